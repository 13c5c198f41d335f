//! Member records. Lists and profiles carry ID and phone numbers masked; the full value
//! comes only from `reveal_member_field`, for callers whose scope covers the member, and
//! every such view is recorded in the audit trail.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::api::org::PARTY_ROLES;
use crate::error::AppError;
use crate::models::member::{MemberPage, MemberProfile, MemberQuery, PhoneUpdate, SensitiveField};

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
    use crate::models::member::{MemberEvent, mask_id_number, mask_phone};
    use crate::models::org::Position;
    use crate::server::{app_state, authorize, fail, internal, key_string, repo};
    let caller = authorize(&GET_MEMBER).await?;
    let row = server_side::in_scope(&caller, &id, GET_MEMBER.endpoint).await?;
    let state = app_state().map_err(fail)?;
    let history = repo::member::history(&state.db, &id)
        .await
        .map_err(|e| fail(internal(e)))?
        .into_iter()
        .map(|e| MemberEvent {
            kind: e.kind,
            detail: e.detail,
            reason: e.reason,
            effective: e.effective,
            actor: e.actor,
            at: e.at,
        })
        .collect();
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
        flags: row.flags,
        history,
    })
}

/// Branch roles and the office (members have no roster). Scope: the office all members;
/// branch roles the members of their organisations and below.
pub const LIST_MEMBERS: AccessRule = AccessRule {
    endpoint: "/api/list_members",
    audience: Audience::Roles(&[Role::BranchCommittee, Role::CommitteeOffice]),
    scope: DataScope::OrgSubtree,
};

/// The roster: search by name, pinyin initials or ID tail; filter by organisation, status,
/// flag and department; sort; 20 a page; counts by status of the whole filtered set.
#[server(endpoint = "list_members")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_members(query: MemberQuery) -> Result<MemberPage, AppError> {
    use crate::models::member::{MEMBER_PAGE_SIZE, MemberLine, mask_id_number, mask_phone};
    use crate::models::org::Position;
    use crate::server::repo::member::RosterFilter;
    use crate::server::{app_state, authorize, fail, internal, key_string, repo};
    let caller = authorize(&LIST_MEMBERS).await?;
    let state = app_state().map_err(fail)?;
    let orgs = server_side::roster_orgs(&caller, query.org.trim()).await?;
    let page = query.page.max(1);
    let filter = RosterFilter {
        orgs,
        q: &query.q.chars().take(32).collect::<String>(),
        status: query.status.trim(),
        flag: query.flag.trim(),
        department: query.department.trim(),
        sort: query.sort.trim(),
    };
    let (rows, counts) = repo::member::roster(
        &state.db,
        &filter,
        i64::from((page - 1) * MEMBER_PAGE_SIZE),
        i64::from(MEMBER_PAGE_SIZE),
    )
    .await
    .map_err(|e| fail(internal(e)))?;
    let count = |s: &str| {
        counts
            .iter()
            .filter(|(status, _)| status == s)
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .sum::<u64>()
    };
    let (full, probationary) = (count("full"), count("probationary"));
    Ok(MemberPage {
        members: rows
            .into_iter()
            .map(|r| MemberLine {
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
            })
            .collect(),
        total: full + probationary,
        full,
        probationary,
        page,
        page_size: MEMBER_PAGE_SIZE,
    })
}

/// Party roles within scope; a member may update their own number.
pub const UPDATE_MEMBER_PHONE: AccessRule = AccessRule {
    endpoint: "/api/update_member_phone",
    audience: Audience::Roles(PARTY_ROLES),
    scope: DataScope::OrgSubtree,
};

/// Sets a member's mobile number (validated), records the change in the member's history
/// and the audit trail (never the number itself).
#[server(endpoint = "update_member_phone")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_member_phone(input: PhoneUpdate) -> Result<(), AppError> {
    use crate::i18n::{T, detect_lang};
    use crate::models::audit::{Outcome, action};
    use crate::models::member::valid_mobile;
    use crate::server::audit::{Change, Event};
    use crate::server::{app_state, authorize, commit, fail};
    let caller = authorize(&UPDATE_MEMBER_PHONE).await?;
    let phone = input.phone.trim().to_string();
    if !valid_mobile(&phone) {
        return Err(fail(AppError::Validation {
            field: "phone".into(),
            message: detect_lang().t(T::MemberPhoneRule).into(),
        }));
    }
    let row = server_side::in_scope(&caller, &input.id, UPDATE_MEMBER_PHONE.endpoint).await?;
    let state = app_state().map_err(fail)?;
    let reason: String = input.reason.trim().chars().take(200).collect();
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", input.id.clone())
        .summary("phone changed");
    let change = Change::new(
        "UPDATE $member SET phone = $phone;
         CREATE member_event SET member = $member, kind = 'contact', detail = 'phone changed',
             reason = $reason, actor = $actor, at = $now;",
    )
    .bind("member", row.id)
    .bind("phone", phone)
    .bind("reason", reason)
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now());
    commit(&state, &caller, &event, &change).await
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
    use surrealdb::types::RecordId;

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

    /// The organisations whose members the roster may list: `None` for all (the office
    /// without an organisation filter). An organisation filter outside the scope is 403.
    pub async fn roster_orgs(
        caller: &Caller,
        org: &str,
    ) -> Result<Option<Vec<RecordId>>, AppError> {
        let scope = OrgScope::of(caller);
        if org.is_empty() && scope == OrgScope::All {
            return Ok(None);
        }
        let state = app_state().map_err(fail)?;
        let forest = repo::org::tree(&state.db)
            .await
            .map_err(|e| fail(internal(e)))?;
        let scoped = OrgScope::Roots(caller.orgs.clone());
        let visible = if scope == OrgScope::All {
            forest
        } else {
            scoped.restrict(forest)
        };
        if org.is_empty() {
            return Ok(Some(
                visible
                    .iter()
                    .flat_map(|root| root.walk())
                    .map(|n| RecordId::new("org", n.id.as_str()))
                    .collect(),
            ));
        }
        let chosen = OrgScope::Roots(vec![org.to_string()]).restrict(visible);
        if chosen.is_empty() {
            return Err(deny_record(caller, super::LIST_MEMBERS.endpoint, "org", org).await);
        }
        Ok(Some(
            chosen
                .iter()
                .flat_map(|root| root.walk())
                .map(|n| RecordId::new("org", n.id.as_str()))
                .collect(),
        ))
    }
}
