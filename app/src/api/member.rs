//! Member records. Lists and profiles carry ID and phone numbers masked; the full value
//! comes only from `reveal_member_field`, for callers whose scope covers the member, and
//! every such view is recorded in the audit trail.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::error::AppError;
use crate::models::member::{
    MemberPage, MemberProfile, MemberQuery, PhoneUpdate, SensitiveField, StatusChange,
};
use crate::models::member_form::MemberInput;

/// Party roles. Scope: the office all members; branch roles the members of their
/// organisations and below; a member only their own record.
pub const GET_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/get_member",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// One member's record, sensitive fields masked.
#[server(endpoint = "get_member")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_member(id: String) -> Result<MemberProfile, AppError> {
    use crate::models::member::{MemberEvent, mask_id_number, mask_phone};
    use crate::models::org::Position;
    use crate::server::{begin, fail, internal, key_string, repo};
    let ctx = begin(&GET_MEMBER).await?;
    let state = &ctx.state;
    let row = crate::server::scope::record::member(&ctx, &id).await?;
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
    let today = crate::server::china_today(state);
    let pipeline = match repo::pipeline::of_member(&state.db, &row.id)
        .await
        .map_err(|e| fail(internal(e)))?
    {
        Some(candidate) => repo::pipeline::steps(&state.db, &candidate.id)
            .await
            .map_err(|e| fail(internal(e)))?
            .into_iter()
            .map(|s| crate::models::pipeline::StepRecord {
                no: u8::try_from(s.no).unwrap_or(0),
                date: s.date,
                responsible: s.responsible,
                approver: s.approver,
                materials: s.materials,
                actor: s.actor,
            })
            .collect(),
        None => Vec::new(),
    };
    let transfers = repo::transfer::of_member(&state.db, &row.id)
        .await
        .map_err(|e| fail(internal(e)))?
        .into_iter()
        .map(|t| crate::server::service::transfer::view(t, today, false, false))
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
        application_date: row.application_date,
        full_date: row.full_date,
        phone_masked: mask_phone(&row.phone),
        id_number_masked: mask_id_number(&row.id_number),
        flags: row.flags,
        dual_leader: row.dual_leader,
        standing: row.standing,
        history,
        pipeline,
        transfers,
    })
}

/// Branch roles and the office (members have no roster). Scope: the office all members;
/// branch roles the members of their organisations and below.
pub const LIST_MEMBERS: AccessRule = AccessRule {
    endpoint: "/api/list_members",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// The roster: search by name, pinyin initials or ID tail; filter by organisation, status,
/// flag and department; sort; 20 a page; counts by status of the whole filtered set.
#[server(endpoint = "list_members")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_members(query: MemberQuery) -> Result<MemberPage, AppError> {
    use crate::models::member::MEMBER_PAGE_SIZE;
    use crate::server::roster::{self, ScopeError};
    use crate::server::{begin, deny_record, fail, internal, repo};
    let ctx = begin(&LIST_MEMBERS).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let mut query = query;
    query.q = query.q.trim().chars().take(32).collect();
    let orgs = match roster::scoped_orgs(state, caller, &LIST_MEMBERS, query.org.trim()).await {
        Ok(orgs) => orgs,
        Err(ScopeError::OutOfScope) => {
            return Err(deny_record(caller, LIST_MEMBERS.endpoint, "org", query.org.trim()).await);
        }
        Err(ScopeError::Db(e)) => return Err(fail(internal(e))),
    };
    let page = query.page.max(1);
    let (rows, counts) = repo::member::roster(
        &state.db,
        &roster::filter(&query, orgs),
        crate::models::page_start(page, MEMBER_PAGE_SIZE),
        i64::from(MEMBER_PAGE_SIZE),
    )
    .await
    .map_err(|e| fail(internal(e)))?;
    let (full, probationary) = (
        roster::count(&counts, "full"),
        roster::count(&counts, "probationary"),
    );
    Ok(MemberPage {
        members: rows.into_iter().map(roster::line).collect(),
        total: full + probationary,
        full,
        probationary,
        page,
        page_size: MEMBER_PAGE_SIZE,
    })
}

/// As `LIST_MEMBERS`: the roster under the current filters as Excel. A plain GET route
/// (`server/src/export.rs`); masked for everyone, full values only for the committee office
/// on request, and every export is audited.
pub const EXPORT_MEMBERS: AccessRule = AccessRule {
    endpoint: "/export/members.xlsx",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// The most rows one roster export holds.
pub const MEMBER_EXPORT_LIMIT: i64 = 100_000;

/// Party roles within scope; a member may update their own number.
pub const UPDATE_MEMBER_PHONE: AccessRule = AccessRule {
    endpoint: "/api/update_member_phone",
    audience: Audience::Roles(crate::access::roles::PARTY),
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
    use crate::server::{begin, commit, fail};
    let ctx = begin(&UPDATE_MEMBER_PHONE).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let phone = input.phone.trim().to_string();
    if !valid_mobile(&phone) {
        return Err(fail(AppError::Validation {
            field: "phone".into(),
            message: detect_lang().t(T::MemberPhoneRule).into(),
        }));
    }
    let row = crate::server::scope::record::member(&ctx, &input.id).await?;
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
    commit(state, caller, &event, &change).await
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
    use crate::server::{begin, record};
    let ctx = begin(&REVEAL_MEMBER_FIELD).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let row = crate::server::scope::record::member(&ctx, &id).await?;
    let event = Event::new(action::VIEW_FULL, Outcome::Success)
        .on("member", id)
        .summary(field.as_str());
    record(state, caller, &event).await;
    Ok(match field {
        SensitiveField::IdNumber => row.id_number,
        SensitiveField::Phone => row.phone,
    })
}

/// Branch roles within their scope and the office: status changes are the branch's
/// decision (members cannot change their own status).
pub const CHANGE_MEMBER_STATUS: AccessRule = AccessRule {
    endpoint: "/api/change_member_status",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// 转正 or setting/clearing a flag, with a reason and the date it took effect; refused
/// with the rule named when it would break one. Kept as history and audited.
#[server(endpoint = "change_member_status")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_member_status(input: StatusChange) -> Result<(), AppError> {
    use chrono::NaiveDate;

    use crate::i18n::T;
    use crate::models::audit::{Outcome, action, china_offset};
    use crate::models::member::{StatusAction, StatusProblem, check_standing, check_status_change};
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, commit, fail};
    let ctx = begin(&CHANGE_MEMBER_STATUS).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let invalid = |field: &str, message: String| {
        fail(AppError::Validation {
            field: field.into(),
            message,
        })
    };
    let Some(act) = StatusAction::parse(input.action.trim()) else {
        return Err(invalid("action", lang.t(T::StatusActionUnknown).into()));
    };
    let Ok(date) = input.date.trim().parse::<NaiveDate>() else {
        return Err(invalid("date", lang.t(T::StatusDateMissing).into()));
    };
    let row = crate::server::scope::record::member(&ctx, &input.id).await?;
    let today = state
        .clock
        .now()
        .with_timezone(&china_offset())
        .date_naive();
    let reason: String = input.reason.trim().chars().take(200).collect();
    if let Err(problem) = check_standing(act, &row.standing).and_then(|()| {
        check_status_change(
            act,
            &row.status,
            row.admission_date,
            &row.flags,
            date,
            today,
            &reason,
        )
    }) {
        return Err(match problem {
            StatusProblem::NotProbationary => {
                invalid("action", lang.t(T::StatusNotProbationary).into())
            }
            StatusProblem::ProbationNotOver(earliest) => {
                invalid("date", lang.t(T::StatusProbationNotOver(earliest)))
            }
            StatusProblem::FutureDate => invalid("date", lang.t(T::StatusFutureDate).into()),
            StatusProblem::FlagUnchanged => {
                invalid("action", lang.t(T::StatusFlagUnchanged).into())
            }
            StatusProblem::ReasonMissing => {
                invalid("reason", lang.t(T::StatusReasonMissing).into())
            }
            StatusProblem::NotActive => invalid("action", lang.t(T::StatusNotActive).into()),
            StatusProblem::NotSuspended => invalid("action", lang.t(T::StatusNotSuspended).into()),
        });
    }
    let (sql, detail) = match act {
        StatusAction::ToFull => (
            "UPDATE $member SET status = 'full', full_date = $date;",
            "probationary → full".to_string(),
        ),
        StatusAction::FlagOn(f) => (
            "UPDATE $member SET flags = array::union(flags, [$flag]);",
            format!("flag on: {f}"),
        ),
        StatusAction::FlagOff(f) => (
            "UPDATE $member SET flags = array::complement(flags, [$flag]);",
            format!("flag off: {f}"),
        ),
        StatusAction::Suspend => (
            "UPDATE $member SET standing = 'suspended';",
            "standing: active → suspended".to_string(),
        ),
        StatusAction::Restore => (
            "UPDATE $member SET standing = 'active';",
            "standing: suspended → active".to_string(),
        ),
    };
    let flag = match act {
        StatusAction::FlagOn(f) | StatusAction::FlagOff(f) => f,
        _ => "",
    };
    let kind = match act {
        StatusAction::ToFull => "status",
        StatusAction::Suspend | StatusAction::Restore => "standing",
        _ => "flag",
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", input.id.clone())
        .summary(detail.clone());
    let change = Change::new(format!(
        "{sql}
         CREATE member_event SET member = $member, kind = $kind, detail = $detail,
             reason = $reason, effective = $date, actor = $actor, at = $now;"
    ))
    .bind("member", row.id)
    .bind("date", date)
    .bind("flag", flag.to_string())
    .bind("kind", kind.to_string())
    .bind("detail", detail)
    .bind("reason", reason)
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await
}

/// Branch roles for their own branches, and the office.
pub const CREATE_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/create_member",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Registers a member in a branch after every rule of `validate_member`; an ID number
/// already registered is refused. Returns the new record's key.
#[server(endpoint = "create_member")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_member(input: MemberInput) -> Result<String, AppError> {
    use crate::server::begin;
    let ctx = begin(&CREATE_MEMBER).await?;
    crate::server::service::member::register(&ctx, &input, None).await
}

/// As `CREATE_MEMBER`, for members in scope. Members update only their phone number.
pub const UPDATE_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/update_member",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Corrects a member's record under the same rules as `create_member`. Status, branch and
/// 党籍 are not edited here: they change through status actions and transfers. The
/// history names the fields changed, never their values.
#[server(endpoint = "update_member")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_member(id: String, input: MemberInput) -> Result<(), AppError> {
    use crate::i18n::T;
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::Event;
    use crate::server::{begin, china_today, commit};
    let ctx = begin(&UPDATE_MEMBER).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let row = crate::server::scope::record::member(&ctx, &id).await?;
    let mut input = input;
    input.status = row.status.clone();
    // The browser never holds the full numbers: left empty, they stay as they are.
    if input.phone.trim().is_empty() {
        input.phone = row.phone.clone();
    }
    if input.id_number.trim().is_empty() {
        input.id_number = row.id_number.clone();
    }
    if row.status != "full" {
        input.full_date.clear();
    }
    let valid = crate::server::service::member::validated(&input, china_today(state), lang)?;
    crate::server::service::member::id_number_free(&valid.id_number, Some(&row.id), lang).await?;
    let changed = crate::server::service::member::changed_fields(&row, &valid);
    if changed.is_empty() {
        return Err(crate::server::invalid(
            "name",
            lang.t(T::MfUnchanged).into(),
        ));
    }
    let detail = format!("fields: {}", changed.join(","));
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", id.clone())
        .summary(detail.clone());
    let change = crate::server::service::member::record_change(
        "UPDATE $member MERGE {
             name: $v.name, name_initials: $initials, gender: $v.gender, birth_date: $v.birth_date,
             ethnicity: $v.ethnicity, education: $v.education, department: $v.department,
             title: $v.title, phone: $v.phone, id_number: $v.id_number,
             application_date: $v.application_date, admission_date: $v.admission_date,
             full_date: $v.full_date
         };",
        caller,
        state,
        row.id.clone(),
        &valid,
        "edit",
        detail,
    );
    commit(state, caller, &event, &change).await
}
