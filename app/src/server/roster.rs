//! The roster as both the `list_members` endpoint and the Excel export use it: which
//! organisations the caller may list, and masked lines.

use surrealdb::types::RecordId;

use crate::access::{AccessRule, Caller};
use crate::models::member::{MemberLine, MemberQuery, mask_id_number, mask_phone};
use crate::server::repo::member::{LineRow, RosterFilter};
use crate::server::scope::Scope;
use crate::server::{AppState, key_string};

pub enum ScopeError {
    /// The organisation filter names an organisation outside the caller's scope.
    OutOfScope,
    Db(surrealdb::Error),
}

/// The organisations whose members the caller may list under `rule`, narrowed to `org`
/// when given: `None` means all (the office without a filter, or with the root
/// committee). The scope module decides.
pub async fn scoped_orgs(
    state: &AppState,
    caller: &Caller,
    rule: &AccessRule,
    org: &str,
) -> Result<Option<Vec<RecordId>>, ScopeError> {
    let scope = Scope::of(rule, caller, &state.db, &state.structure)
        .await
        .map_err(ScopeError::Db)?;
    scope.orgs(org).map_err(|()| ScopeError::OutOfScope)
}

/// The repository filter for a query and the organisations in scope.
pub fn filter(query: &MemberQuery, orgs: Option<Vec<RecordId>>) -> RosterFilter<'_> {
    RosterFilter {
        orgs,
        q: query.q.as_str(),
        status: query.status.trim(),
        flag: query.flag.trim(),
        department: query.department.trim(),
        sort: query.sort.trim(),
    }
}

/// A roster line with ID and phone numbers masked.
pub fn line(r: LineRow) -> MemberLine {
    MemberLine {
        id: key_string(&r.id),
        name: r.name,
        gender: r.gender,
        department: r.department,
        org_id: key_string(&r.org),
        org_name: r.org_name,
        position: r.position,
        status: r.status,
        admission_date: r.admission_date,
        flags: r.flags,
        phone_masked: mask_phone(&r.phone),
        id_number_masked: mask_id_number(&r.id_number),
    }
}

/// How many of the counted statuses are `status`.
pub fn count(counts: &[(String, i64)], status: &str) -> u64 {
    counts
        .iter()
        .filter(|(s, _)| s == status)
        .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
        .sum()
}
