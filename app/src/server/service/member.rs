//! Orchestration behind the `member` server functions (`crate::api::member`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::{Lang, T};
use crate::models::audit::{Outcome, action};
use crate::models::member::{
    History, MEMBER_PAGE_SIZE, MemberEvent, MemberPage, MemberProfile, MemberQuery, PhoneUpdate,
    SensitiveField, StatusAction, StatusChange, StatusProblem, check_standing, check_status_change,
    mask_id_number, mask_phone, valid_mobile,
};
use crate::models::member_form::{MemberInput, ValidMember, validate_member};
use crate::models::org::OrgKind;
use crate::server::audit::{Change, Event};
use crate::server::repo::member::MemberRow;
use crate::server::{
    Ctx, clip, db_error, invalid, key_string, new_key, repo, roster, scope, service,
};

/// One member's record with history, pipeline steps and transfers, sensitive fields
/// masked. Held in memory per record and day until the Party records change
/// (`AppState::profiles`); whether the caller may see it is decided on every call.
pub async fn profile(ctx: &Ctx, id: &str) -> Result<MemberProfile, AppError> {
    let state = &ctx.state;
    let found = if crate::models::org::is_valid_key(id) {
        let today = ctx.today();
        state
            .profiles
            .get(
                &state.records,
                (id.to_string(), today),
                load_profile(&state.db, id, today),
            )
            .await
            .map_err(db_error)?
    } else {
        std::sync::Arc::new(None)
    };
    let mut profile = scope::record::allow_member(ctx, id, found.as_ref().as_ref())
        .await
        .cloned()?;
    // The tasks that cite the record (held until an assignment, task, indicator, member
    // or organisation changes: `AppState::member_tasks`), only for those who see the
    // branch's work.
    let org = profile.org_id.clone();
    if ctx.scope.org(&org)
        && ctx.caller.roles.iter().any(|r| {
            matches!(
                r,
                crate::access::Role::BranchCommittee | crate::access::Role::CommitteeOffice
            )
        })
    {
        profile.tasks = super::assessment::citing_member(ctx, &org, id).await?;
    } else if ctx.caller.member.as_deref() == Some(id) {
        // A member's own record: the tasks given to them.
        profile.tasks = super::assessment::own_tasks(ctx, id).await?;
    }
    Ok(profile)
}

/// The member record `id` as of `today`, read from the database: 4 queries (the record,
/// its history, its place in the pipeline with the steps, its transfers).
async fn load_profile(
    db: &crate::server::Db,
    id: &str,
    today: NaiveDate,
) -> surrealdb::Result<Option<MemberProfile>> {
    let Some(row) = repo::member::find(db, id).await? else {
        return Ok(None);
    };
    let history = repo::member::history(db, id)
        .await?
        .into_iter()
        .map(|e| MemberEvent {
            kind: e.kind,
            what: e.what,
            reason: e.reason,
            effective: e.effective,
            actor: e.actor,
            at: e.at,
        })
        .collect();
    let pipeline = match repo::pipeline::of_member(db, &row.id).await? {
        Some(candidate) => repo::pipeline::steps(db, &candidate.id)
            .await?
            .into_iter()
            .map(service::pipeline::step)
            .collect(),
        None => Vec::new(),
    };
    let transfers = repo::transfer::of_member(db, &row.id)
        .await?
        .into_iter()
        .map(|t| service::transfer::view(t, today, false, false))
        .collect();
    Ok(Some(MemberProfile {
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
        position: row.position,
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
        tasks: Vec::new(),
    }))
}

/// What one roster page is read for: the filters as the server understood them, the
/// organisations they stand for in the caller's scope (`None`: all), and the page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RosterKey {
    q: String,
    status: String,
    flag: String,
    department: String,
    sort: String,
    orgs: Option<Vec<String>>,
    page: u32,
}

/// One page of the roster in the caller's scope, with the counts by status of the whole
/// filtered set. An organisation filter outside the scope is refused (403, recorded).
/// Held in memory per filter, scope and page until the Party records change
/// (`AppState::rosters`): the key carries the organisations the caller may see, so a
/// page is only ever served to callers with the same reach.
pub async fn roster(ctx: &Ctx, mut query: MemberQuery) -> Result<MemberPage, AppError> {
    query.q = query.q.trim().chars().take(32).collect();
    let Ok(orgs) = ctx.scope.orgs(query.org.trim()) else {
        return Err(ctx.deny("org", query.org.trim()).await);
    };
    let page = query.page.max(1);
    let filter = roster::filter(&query, orgs);
    let key = RosterKey {
        q: filter.q.to_string(),
        status: filter.status.to_string(),
        flag: filter.flag.to_string(),
        department: filter.department.to_string(),
        sort: filter.sort.to_string(),
        orgs: filter
            .orgs
            .as_ref()
            .map(|ids| ids.iter().map(key_string).collect()),
        page,
    };
    let state = &ctx.state;
    let read = state
        .rosters
        .get(&state.records, key, async {
            let (rows, counts) = repo::member::roster(
                &state.db,
                &filter,
                crate::models::page_start(page, MEMBER_PAGE_SIZE),
                i64::from(MEMBER_PAGE_SIZE),
            )
            .await?;
            let (full, probationary) = (
                roster::count(&counts, "full"),
                roster::count(&counts, "probationary"),
            );
            Ok::<_, surrealdb::Error>(MemberPage {
                members: rows.into_iter().map(roster::line).collect(),
                total: full + probationary,
                full,
                probationary,
                page,
                page_size: MEMBER_PAGE_SIZE,
            })
        })
        .await
        .map_err(db_error)?;
    Ok(read.as_ref().clone())
}

/// Sets a member's mobile number (validated first), with the history line and the audit
/// entry (never the number itself).
pub async fn set_phone(ctx: &Ctx, input: PhoneUpdate) -> Result<(), AppError> {
    let phone = input.phone.trim().to_string();
    if !valid_mobile(&phone) {
        return Err(invalid("phone", ctx.lang.t(T::MemberPhoneRule).into()));
    }
    let row = scope::record::member(ctx, &input.id).await?;
    let reason = clip(&input.reason, 200);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", input.id.clone())
        .summary("phone changed");
    let change = repo::member::set_phone(row.id, phone, reason, ctx.stamp());
    ctx.commit(&event, &change).await
}

/// The full ID or phone number of a member in scope; the audit entry names the member
/// and the field, never the value.
pub async fn reveal(ctx: &Ctx, id: String, field: SensitiveField) -> Result<String, AppError> {
    let row = scope::record::member(ctx, &id).await?;
    let event = Event::new(action::VIEW_FULL, Outcome::Success)
        .on("member", id)
        .summary(field.as_str());
    ctx.record(&event).await;
    Ok(match field {
        SensitiveField::IdNumber => row.id_number,
        SensitiveField::Phone => row.phone,
    })
}

/// The refusal for a status action that breaks a rule, naming the rule.
fn status_problem(lang: Lang, problem: StatusProblem) -> AppError {
    match problem {
        StatusProblem::NotProbationary => {
            invalid("action", lang.t(T::StatusNotProbationary).into())
        }
        StatusProblem::ProbationNotOver(earliest) => {
            invalid("date", lang.t(T::StatusProbationNotOver(earliest)))
        }
        StatusProblem::FutureDate => invalid("date", lang.t(T::StatusFutureDate).into()),
        StatusProblem::FlagUnchanged => invalid("action", lang.t(T::StatusFlagUnchanged).into()),
        StatusProblem::ReasonMissing => invalid("reason", lang.t(T::StatusReasonMissing).into()),
        StatusProblem::NotActive => invalid("action", lang.t(T::StatusNotActive).into()),
        StatusProblem::NotSuspended => invalid("action", lang.t(T::StatusNotSuspended).into()),
    }
}

/// 转正, a flag set or cleared, 停止/恢复党籍: checked against the status rules, kept as
/// history and audited.
pub async fn change_status(ctx: &Ctx, input: StatusChange) -> Result<(), AppError> {
    let lang = ctx.lang;
    let Some(act) = StatusAction::parse(input.action.trim()) else {
        return Err(invalid("action", lang.t(T::StatusActionUnknown).into()));
    };
    let Ok(date) = input.date.trim().parse::<NaiveDate>() else {
        return Err(invalid("date", lang.t(T::StatusDateMissing).into()));
    };
    let row = scope::record::member(ctx, &input.id).await?;
    let reason = clip(&input.reason, 200);
    check_standing(act, row.standing)
        .and_then(|()| {
            check_status_change(
                act,
                row.status,
                row.admission_date,
                &row.flags,
                date,
                ctx.today(),
                &reason,
            )
        })
        .map_err(|p| status_problem(lang, p))?;
    let (kind, summary, what) = match act {
        StatusAction::ToFull => (
            "status",
            "probationary → full".to_string(),
            History::BecameFull,
        ),
        StatusAction::FlagOn(f) => (
            "flag",
            format!("flag on: {f}"),
            History::FlagOn { flag: f.into() },
        ),
        StatusAction::FlagOff(f) => (
            "flag",
            format!("flag off: {f}"),
            History::FlagOff { flag: f.into() },
        ),
        StatusAction::Suspend => (
            "standing",
            "standing: active → suspended".to_string(),
            History::Suspended,
        ),
        StatusAction::Restore => (
            "standing",
            "standing: suspended → active".to_string(),
            History::Restored,
        ),
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", input.id.clone())
        .summary(summary);
    let change = repo::member::change_status(act, row.id, date, kind, what, reason, ctx.stamp());
    ctx.commit(&event, &change).await
}

/// Registers a member record in a branch the caller serves, under every record rule,
/// with `extra` (which may use `$member`, `$v`, `$org`, `$actor`, `$now`) in the same
/// transaction. Returns the new key.
pub async fn register(
    ctx: &Ctx,
    input: &MemberInput,
    extra: Option<Change>,
) -> Result<String, AppError> {
    let lang = ctx.lang;
    let valid = validated(input, ctx.today(), lang)?;
    let org = scope::record::org(ctx, input.org.trim()).await?;
    if org.kind != OrgKind::Branch {
        return Err(invalid("org", lang.t(T::MfOrgNotBranch).into()));
    }
    id_number_free(ctx, &valid.id_number, None).await?;
    let key = new_key("m");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("member", key.clone())
        .summary(format!("member in {}", org.name));
    let mut change = repo::member::create(
        RecordId::new("member", key.as_str()),
        org.id,
        &valid,
        ctx.stamp(),
    );
    if let Some(extra) = extra {
        change = change.then(extra);
    }
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// Corrects a member's record under the rules of `register`. Status, branch and 党籍 are
/// not edited here; the history names the fields changed, never their values.
pub async fn update(ctx: &Ctx, id: &str, mut input: MemberInput) -> Result<(), AppError> {
    let lang = ctx.lang;
    let row = scope::record::member(ctx, id).await?;
    input.status = row.status.as_str().to_string();
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
    let valid = validated(&input, ctx.today(), lang)?;
    id_number_free(ctx, &valid.id_number, Some(&row.id)).await?;
    let changed = changed_fields(&row, &valid);
    if changed.is_empty() {
        return Err(invalid("name", lang.t(T::MfUnchanged).into()));
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", id.to_string())
        .summary(format!("fields: {}", changed.join(",")));
    let what = History::Corrected {
        fields: changed.iter().map(|f| f.to_string()).collect(),
    };
    let change = repo::member::correct(row.id.clone(), &valid, what, ctx.stamp());
    ctx.commit(&event, &change).await
}

/// The record after every rule, or the first problem as a validation error.
pub fn validated(
    input: &MemberInput,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<ValidMember, AppError> {
    validate_member(input, today).map_err(|problems| {
        let first = problems[0];
        invalid(first.field(), first.message(lang))
    })
}

/// Refuses an ID number that another member record already carries.
pub async fn id_number_free(
    ctx: &Ctx,
    id_number: &str,
    except: Option<&RecordId>,
) -> Result<(), AppError> {
    let lang = ctx.lang;
    let holder = repo::member::by_id_number(&ctx.state.db, id_number)
        .await
        .map_err(db_error)?;
    match holder {
        Some(h) if Some(&h) != except => Err(invalid("id_number", lang.t(T::MfIdTaken).into())),
        _ => Ok(()),
    }
}

/// The fields whose stored value differs from the valid input.
pub fn changed_fields(row: &MemberRow, v: &ValidMember) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |field: &'static str, same: bool| {
        if !same {
            out.push(field);
        }
    };
    check("name", row.name == v.name);
    check("gender", row.gender == v.gender);
    check("birth_date", row.birth_date == v.birth_date);
    check("ethnicity", row.ethnicity == v.ethnicity);
    check("education", row.education == v.education);
    check("department", row.department == v.department);
    check("title", row.title == v.title);
    check("phone", row.phone == v.phone);
    check("id_number", row.id_number == v.id_number);
    check(
        "application_date",
        row.application_date == v.application_date,
    );
    check("admission_date", row.admission_date == v.admission_date);
    check("full_date", row.full_date == v.full_date);
    out
}
