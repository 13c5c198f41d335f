//! Orchestration behind the `member` server functions (`crate::api::member`): reads and
//! writes through the repositories, decisions that need the database.

use surrealdb::types::{RecordId, SurrealValue};

use crate::access::Caller;
use crate::error::AppError;
use crate::i18n::{Lang, T};
use crate::models::member_form::{MemberInput, ValidMember, validate_member};
use crate::server::audit::Change;
use crate::server::repo::member::MemberRow;
use crate::server::{AppState, app_state, fail, internal, invalid, repo};

/// Registers a member record in a branch the caller serves, under every record rule,
/// with `extra` (which may use `$member`, `$v`, `$org`, `$actor`, `$now`) in the same
/// transaction. Returns the new key.
pub async fn register(
    ctx: &crate::server::Ctx,
    input: &MemberInput,
    extra: Option<Change>,
) -> Result<String, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::models::org::OrgKind;
    use crate::server::audit::Event;
    use crate::server::{china_today, commit, new_key};
    let (caller, state, lang) = (&ctx.caller, &ctx.state, ctx.lang);
    let valid = validated(input, china_today(state), lang)?;
    let org = crate::server::scope::record::org(ctx, input.org.trim()).await?;
    if OrgKind::parse(&org.kind) != Some(OrgKind::Branch) {
        return Err(invalid("org", lang.t(T::MfOrgNotBranch).into()));
    }
    id_number_free(&valid.id_number, None, lang).await?;
    let key = new_key("m");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("member", key.clone())
        .summary(format!("member in {}", org.name));
    let mut change = record_change(
        "CREATE $member CONTENT {
             name: $v.name, name_initials: $initials, gender: $v.gender, birth_date: $v.birth_date,
             ethnicity: $v.ethnicity, education: $v.education, department: $v.department,
             title: $v.title, phone: $v.phone, id_number: $v.id_number, org: $org,
             position: 'member', status: $v.status, application_date: $v.application_date,
             admission_date: $v.admission_date, full_date: $v.full_date, standing: 'active',
             flags: [], dual_leader: false
         };",
        caller,
        &state,
        RecordId::new("member", key.as_str()),
        &valid,
        "created",
        "record created".into(),
    )
    .bind("org", org.id);
    if let Some(extra) = extra {
        change = change.then(extra);
    }
    commit(&state, caller, &event, &change).await?;
    Ok(key)
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
    id_number: &str,
    except: Option<&RecordId>,
    lang: Lang,
) -> Result<(), AppError> {
    let state = app_state().map_err(fail)?;
    let holder = repo::member::by_id_number(&state.db, id_number)
        .await
        .map_err(|e| fail(internal(e)))?;
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

/// `sql` over `$member` and `$v` (the valid record), with the history line.
pub fn record_change(
    sql: &str,
    caller: &Caller,
    state: &AppState,
    member: RecordId,
    valid: &ValidMember,
    kind: &str,
    detail: String,
) -> Change {
    Change::new(format!(
        "{sql}
         CREATE member_event SET member = $member, kind = $kind, detail = $detail,
             actor = $actor, at = $now;"
    ))
    .bind("member", member)
    .bind("v", ValidRow::from(valid))
    .bind("initials", repo::member::name_initials(&valid.name))
    .bind("kind", kind.to_string())
    .bind("detail", detail)
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now())
}

/// A valid record as SurrealDB receives it.
#[derive(SurrealValue)]
struct ValidRow {
    name: String,
    gender: String,
    birth_date: chrono::NaiveDate,
    ethnicity: String,
    education: String,
    department: String,
    title: String,
    phone: String,
    id_number: String,
    status: String,
    application_date: Option<chrono::NaiveDate>,
    admission_date: chrono::NaiveDate,
    full_date: Option<chrono::NaiveDate>,
}

impl From<&ValidMember> for ValidRow {
    fn from(v: &ValidMember) -> ValidRow {
        ValidRow {
            name: v.name.clone(),
            gender: v.gender.into(),
            birth_date: v.birth_date,
            ethnicity: v.ethnicity.clone(),
            education: v.education.clone(),
            department: v.department.clone(),
            title: v.title.clone(),
            phone: v.phone.clone(),
            id_number: v.id_number.clone(),
            status: v.status.into(),
            application_date: v.application_date,
            admission_date: v.admission_date,
            full_date: v.full_date,
        }
    }
}
