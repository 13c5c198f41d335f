//! Member records. Lists and profiles carry ID and phone numbers masked; the full value
//! comes only from `reveal_member_field`, for callers whose scope covers the member, and
//! every such view is recorded in the audit trail.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::api::org::PARTY_ROLES;
use crate::error::AppError;
use crate::models::member::{MemberProfile, SensitiveField};

/// Party roles. Scope: the office all members; branch roles the members of their
/// organisations and below; a member only their own record.
pub const GET_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/get_member",
    audience: Audience::Roles(PARTY_ROLES),
    scope: DataScope::OrgSubtree,
};

/// One member's record, sensitive fields masked.
#[server(endpoint = "get_member")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_member(id: String) -> Result<MemberProfile, AppError> {
    use crate::models::member::{mask_id_number, mask_phone};
    use crate::models::org::Position;
    use crate::server::{authorize, key_string};
    let caller = authorize(&GET_MEMBER).await?;
    let row = server_side::in_scope(&caller, &id, GET_MEMBER.endpoint).await?;
    Ok(MemberProfile {
        id: key_string(&row.id),
        name: row.name,
        gender: row.gender,
        birth_date: row.birth_date,
        ethnicity: row.ethnicity,
        education: row.education,
        department: row.department,
        title: row.title,
        org_id: key_string(&row.org),
        org_name: row.org_name,
        position: Position::parse(&row.position).unwrap_or(Position::Member),
        status: row.status,
        admission_date: row.admission_date,
        full_date: row.full_date,
        phone_masked: mask_phone(&row.phone),
        id_number_masked: mask_id_number(&row.id_number),
    })
}

/// Those who work with the member's record: the office, the branch committee over the
/// member, and the member themself. Every call is audited.
pub const REVEAL_MEMBER_FIELD: AccessRule = AccessRule {
    endpoint: "/api/reveal_member_field",
    audience: Audience::Roles(&[Role::Member, Role::BranchCommittee, Role::CommitteeOffice]),
    scope: DataScope::OrgSubtree,
};

/// The full ID or phone number of one member. The audit entry names the member and the
/// field, never the value.
#[server(endpoint = "reveal_member_field")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn reveal_member_field(id: String, field: SensitiveField) -> Result<String, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::Event;
    use crate::server::{app_state, authorize, fail, record};
    let caller = authorize(&REVEAL_MEMBER_FIELD).await?;
    let row = server_side::in_scope(&caller, &id, REVEAL_MEMBER_FIELD.endpoint).await?;
    let state = app_state().map_err(fail)?;
    let event = Event::new(action::VIEW_FULL, Outcome::Success)
        .on("member", id)
        .summary(field.as_str());
    record(&state, &caller, &event).await;
    Ok(match field {
        SensitiveField::IdNumber => row.id_number,
        SensitiveField::Phone => row.phone,
    })
}

#[cfg(feature = "ssr")]
mod server_side {
    use crate::access::{Caller, Role};
    use crate::error::AppError;
    use crate::models::org::{OrgScope, is_valid_key};
    use crate::server::repo::member::MemberRow;
    use crate::server::{app_state, deny_record, fail, internal, key_string, repo};

    /// The member, if the caller's scope covers them; otherwise 403 (recorded). Unknown
    /// ids get the same answer as ids outside the scope, except for the office (404).
    pub async fn in_scope(
        caller: &Caller,
        id: &str,
        endpoint: &str,
    ) -> Result<MemberRow, AppError> {
        let state = app_state().map_err(fail)?;
        let row = if is_valid_key(id) {
            repo::member::find(&state.db, id)
                .await
                .map_err(|e| fail(internal(e)))?
        } else {
            None
        };
        let scope = OrgScope::of(caller);
        if scope == OrgScope::All {
            return row.ok_or_else(|| fail(AppError::NotFound));
        }
        let own = caller.member.as_deref() == Some(id);
        let allowed = match &row {
            Some(_) if own => true,
            Some(row) if caller.roles.contains(&Role::BranchCommittee) => {
                let forest = repo::org::tree(&state.db)
                    .await
                    .map_err(|e| fail(internal(e)))?;
                // Members see only their own record: the branch-role scope alone decides.
                let branch_scope = OrgScope::Roots(caller.orgs.clone());
                branch_scope.covers(&forest, &key_string(&row.org))
            }
            _ => false,
        };
        match row {
            Some(row) if allowed => Ok(row),
            _ => Err(deny_record(caller, endpoint, "member", id).await),
        }
    }
}
