//! The roster as both the `list_members` endpoint and the Excel export use it: which
//! organisations the caller may list, and masked lines.

use surrealdb::types::RecordId;

use crate::access::Caller;
use crate::models::member::{MemberLine, MemberQuery, mask_id_number, mask_phone};
use crate::models::org::{OrgScope, Position};
use crate::server::repo::member::{LineRow, RosterFilter};
use crate::server::{Db, key_string, repo};

pub enum ScopeError {
    /// The organisation filter names an organisation outside the caller's scope.
    OutOfScope,
    Db(surrealdb::Error),
}

/// The organisations whose members the caller may list, narrowed to `org` when given:
/// `None` means all (the office without a filter).
pub async fn scoped_orgs(
    db: &Db,
    caller: &Caller,
    org: &str,
) -> Result<Option<Vec<RecordId>>, ScopeError> {
    let scope = OrgScope::of(caller);
    if org.is_empty() && scope == OrgScope::All {
        return Ok(None);
    }
    let forest = repo::org::structure(db).await.map_err(ScopeError::Db)?;
    // Branch roles list by the organisations they serve on (a member's own branch gives
    // no roster).
    let whole: usize = forest.iter().map(|root| root.walk().len()).sum();
    let visible = if scope == OrgScope::All {
        forest
    } else {
        OrgScope::Roots(caller.orgs.clone()).restrict(forest)
    };
    let chosen = if org.is_empty() {
        visible
    } else {
        OrgScope::Roots(vec![org.to_string()]).restrict(visible)
    };
    if !org.is_empty() && chosen.is_empty() {
        return Err(ScopeError::OutOfScope);
    }
    let orgs: Vec<RecordId> = chosen
        .iter()
        .flat_map(|root| root.walk())
        .map(|n| RecordId::new("org", n.id.as_str()))
        .collect();
    // The root committee chosen by the office is the whole hospital: the ordered indexes
    // serve it, where a list of every organisation would read every member.
    if scope == OrgScope::All && orgs.len() == whole {
        return Ok(None);
    }
    Ok(Some(orgs))
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
        position: Position::parse(&r.position).unwrap_or(Position::Member),
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
