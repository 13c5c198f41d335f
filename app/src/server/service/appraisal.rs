//! Orchestration behind the `appraisal` server functions (`crate::api::appraisal`): the
//! yearly 民主评议党员 of a branch. Ballots are anonymous by construction
//! (`repo::appraisal::cast`); the committee reads totals only, and only once the vote is
//! closed.

use chrono::Datelike;
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::appraisal::{
    AppraisalMember, AppraisalRow, AppraisalState, AppraisalView, BallotInput, DecisionInput,
    EXCELLENT_PERCENT, Grade, MarkProblem, OpenAppraisalInput, SELF_MAX, SELF_MIN,
    SelfAssessmentInput, check_ballot, check_decision, max_excellent,
};
use crate::models::audit::{Outcome, action};
use crate::models::org::OrgKind;
use crate::server::audit::Event;
use crate::server::repo::appraisal::{AppraisalDb, Decided};
use crate::server::{Ctx, db_error, fail, invalid, key_string, new_key, repo, scope};

/// The appraisals in reach: the branches' (committee, office) and those the caller is on
/// the list of.
pub async fn list(ctx: &Ctx) -> Result<Vec<AppraisalRow>, AppError> {
    let orgs = ctx.scope.orgs("").unwrap_or(Some(Vec::new()));
    let me = me(ctx);
    let (orgs, member) = match (orgs, ctx.scope.is_all()) {
        (_, true) => (None, None),
        (Some(orgs), false) => (Some(orgs), me),
        (None, false) => (Some(Vec::new()), me),
    };
    let rows = repo::appraisal::list(&ctx.state.db, orgs, member)
        .await
        .map_err(db_error)?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        let voted = repo::appraisal::voted(&ctx.state.db, a.id.clone())
            .await
            .map_err(db_error)?;
        out.push(AppraisalRow {
            id: key_string(&a.id),
            org_name: a.org_name,
            year: a.year as i32,
            state: a.state,
            voted: voted as u32,
            voters: a.members.len() as u32,
        });
    }
    Ok(out)
}

fn me(ctx: &Ctx) -> Option<RecordId> {
    ctx.caller
        .member
        .as_deref()
        .map(|k| RecordId::new("member", k))
}

/// Opens a branch's appraisal of the year: its active members are the list.
pub async fn open(ctx: &Ctx, input: OpenAppraisalInput) -> Result<String, AppError> {
    let org = input.org.trim();
    if org.is_empty() {
        return Err(invalid("org", ctx.lang.t(T::ApsErrOrg).to_string()));
    }
    let info = scope::record::org(ctx, org).await?;
    if info.kind != OrgKind::Branch {
        return Err(invalid("org", ctx.lang.t(T::ApsErrOrg).to_string()));
    }
    let this_year = ctx.today().year();
    let year = if input.year == 0 {
        this_year
    } else {
        input.year
    };
    if !(2000..=this_year + 1).contains(&year) {
        return Err(invalid("year", ctx.lang.t(T::ApsErrYear).to_string()));
    }
    let percent = match input.excellent_percent {
        0 => EXCELLENT_PERCENT,
        p if (1..=50).contains(&p) => p,
        _ => {
            return Err(invalid(
                "excellent_percent",
                ctx.lang.t(T::ApsErrPercent).to_string(),
            ));
        }
    };
    let members: Vec<RecordId> = repo::meeting::members_of(&ctx.state.db, info.id.clone())
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if members.is_empty() {
        return Err(invalid("org", ctx.lang.t(T::ApsErrNoMembers).to_string()));
    }
    let key = new_key("ap");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("appraisal", key.clone())
        .summary(format!(
            "{year} appraisal of {org}, {} members",
            members.len()
        ));
    let change = repo::appraisal::open(key.clone(), info.id, year, percent, members, ctx.stamp());
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { .. }) => {
            Err(invalid("year", ctx.lang.t(T::ApsErrExists).to_string()))
        }
        other => other.map(|()| key),
    }
}

/// The appraisal `key`, with whether the caller manages it (its branch is in reach) and
/// whether the caller is on its list; anyone else is refused (403, recorded).
async fn find(ctx: &Ctx, key: &str) -> Result<(AppraisalDb, bool, bool), AppError> {
    let key = key.trim();
    let found = if crate::models::org::is_valid_key(key) {
        repo::appraisal::find(&ctx.state.db, key)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let me = me(ctx);
    match found {
        Some(a) => {
            let manage = ctx.scope.org(&key_string(&a.org));
            let on_list = me.as_ref().is_some_and(|m| a.members.contains(m));
            if manage || on_list {
                Ok((a, manage, on_list))
            } else {
                Err(ctx.deny("appraisal", key).await)
            }
        }
        None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
        None => Err(ctx.deny("appraisal", key).await),
    }
}

/// One appraisal as the caller may see it.
pub async fn get(ctx: &Ctx, id: &str) -> Result<AppraisalView, AppError> {
    let (a, manage, on_list) = find(ctx, id).await?;
    view(ctx, a, manage, on_list).await
}

async fn view(
    ctx: &Ctx,
    a: AppraisalDb,
    manage: bool,
    on_list: bool,
) -> Result<AppraisalView, AppError> {
    let db = &ctx.state.db;
    let names = repo::meeting::names(db, a.members.clone())
        .await
        .map_err(db_error)?;
    let selves = repo::appraisal::selves(db, a.id.clone())
        .await
        .map_err(db_error)?;
    let totals_open = manage && matches!(a.state, AppraisalState::Closed | AppraisalState::Decided);
    let counts = if totals_open {
        repo::appraisal::counts(db, a.id.clone())
            .await
            .map_err(db_error)?
    } else {
        Vec::new()
    };
    let outcomes = if a.state == AppraisalState::Decided {
        repo::appraisal::outcomes(db, a.id.clone())
            .await
            .map_err(db_error)?
    } else {
        Vec::new()
    };
    let voted = repo::appraisal::voted(db, a.id.clone())
        .await
        .map_err(db_error)?;
    let me = me(ctx);
    let has_voted = match (&me, on_list) {
        (Some(m), true) => repo::appraisal::has_voted(db, &key_string(&a.id), &key_string(m))
            .await
            .map_err(db_error)?,
        _ => false,
    };
    let members = a
        .members
        .iter()
        .map(|id| {
            let mine = me.as_ref() == Some(id);
            let own = selves.iter().find(|s| &s.member == id);
            AppraisalMember {
                member: key_string(id),
                name: names
                    .iter()
                    .find(|n| &n.id == id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default(),
                self_assessed: (manage || mine) && own.is_some(),
                self_text: if manage || mine {
                    own.map(|s| s.text.clone()).unwrap_or_default()
                } else {
                    String::new()
                },
                counts: if totals_open {
                    Grade::ALL
                        .iter()
                        .map(|g| {
                            counts
                                .iter()
                                .find(|c| &c.subject == id && c.grade == *g)
                                .map_or(0, |c| c.n as u32)
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                decided: if manage || mine {
                    outcomes.iter().find(|o| &o.member == id).map(|o| o.grade)
                } else {
                    None
                },
            }
        })
        .collect();
    let percent = a.excellent_percent as u32;
    Ok(AppraisalView {
        id: key_string(&a.id),
        org: key_string(&a.org),
        org_name: a.org_name,
        year: a.year as i32,
        state: a.state,
        excellent_percent: percent,
        excellent_max: max_excellent(a.members.len(), percent) as u32,
        voted: voted as u32,
        voters: a.members.len() as u32,
        members,
        on_list,
        has_voted,
        can_manage: manage,
    })
}

fn state_error(ctx: &Ctx) -> AppError {
    invalid("state", ctx.lang.t(T::ApsErrState).to_string())
}

/// The caller's own 党性分析.
pub async fn submit_self(ctx: &Ctx, input: SelfAssessmentInput) -> Result<AppraisalView, AppError> {
    let (a, manage, on_list) = find(ctx, &input.appraisal).await?;
    let Some(me) = me(ctx).filter(|_| on_list) else {
        return Err(invalid(
            "appraisal",
            ctx.lang.t(T::ApsErrNotOnList).to_string(),
        ));
    };
    let text = input.text.trim().to_string();
    if !(SELF_MIN..=SELF_MAX).contains(&text.chars().count()) {
        return Err(invalid(
            "text",
            ctx.lang.t(T::ApsErrSelfText(SELF_MIN, SELF_MAX)),
        ));
    }
    let key = format!("{}_{}", key_string(&a.id), key_string(&me));
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("appraisal", key_string(&a.id))
        .summary("self-assessment submitted");
    let change = repo::appraisal::submit_self(a.id.clone(), key, me, text, ctx.state.clock.now());
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { .. }) => return Err(state_error(ctx)),
        other => other?,
    }
    reread(ctx, &a.id, manage, on_list).await
}

async fn reread(
    ctx: &Ctx,
    id: &RecordId,
    manage: bool,
    on_list: bool,
) -> Result<AppraisalView, AppError> {
    let a = repo::appraisal::find(&ctx.state.db, &key_string(id))
        .await
        .map_err(db_error)?
        .ok_or_else(|| fail(AppError::NotFound))?;
    view(ctx, a, manage, on_list).await
}

fn mark_error(ctx: &Ctx, p: MarkProblem, max: usize) -> AppError {
    let text = match p {
        MarkProblem::Stranger => ctx.lang.t(T::ApsErrStranger).to_string(),
        MarkProblem::Missing => ctx.lang.t(T::ApsErrMissing).to_string(),
        MarkProblem::TooManyExcellent => ctx.lang.t(T::ApsErrTooManyExcellent(max)),
    };
    invalid("marks", text)
}

/// The caller's ballot: a grade for every other member on the list, once.
pub async fn cast(ctx: &Ctx, input: BallotInput) -> Result<AppraisalView, AppError> {
    let (a, manage, on_list) = find(ctx, &input.appraisal).await?;
    let Some(me) = me(ctx).filter(|_| on_list) else {
        return Err(invalid(
            "appraisal",
            ctx.lang.t(T::ApsErrNotOnList).to_string(),
        ));
    };
    if a.state != AppraisalState::Voting {
        return Err(state_error(ctx));
    }
    let list: Vec<String> = a.members.iter().map(key_string).collect();
    let me_key = key_string(&me);
    check_ballot(&list, &me_key, &input.marks).map_err(|p| mark_error(ctx, p, 0))?;
    let a_key = key_string(&a.id);
    if repo::appraisal::has_voted(&ctx.state.db, &a_key, &me_key)
        .await
        .map_err(db_error)?
    {
        return Err(invalid("marks", ctx.lang.t(T::ApsErrVoted).to_string()));
    }
    // The audit entry says that the caller voted, never how.
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("appraisal", a_key.clone())
        .summary("ballot cast");
    let marks = input
        .marks
        .into_iter()
        .map(|m| (m.member, m.grade))
        .collect();
    let change = repo::appraisal::cast(a.id.clone(), &a_key, me, &me_key, marks);
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { message }) if message == "appraisal_voted" => {
            return Err(invalid("marks", ctx.lang.t(T::ApsErrVoted).to_string()));
        }
        Err(AppError::Conflict { .. }) => return Err(state_error(ctx)),
        other => other?,
    }
    reread(ctx, &a.id, manage, on_list).await
}

/// Moves the appraisal on (its committee or the office).
pub async fn advance(ctx: &Ctx, id: &str) -> Result<AppraisalView, AppError> {
    let (a, manage, on_list) = find(ctx, id).await?;
    if !manage {
        return Err(ctx.deny("appraisal", id.trim()).await);
    }
    let Some(next) = a.state.next() else {
        return Err(state_error(ctx));
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("appraisal", key_string(&a.id))
        .summary(format!("{} → {}", a.state.as_str(), next.as_str()));
    let change = repo::appraisal::advance(a.id.clone(), a.state, next);
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { .. }) => return Err(state_error(ctx)),
        other => other?,
    }
    reread(ctx, &a.id, manage, on_list).await
}

/// The branch's grade of every member: each goes to the member's record, and a 不合格
/// opens a rectification item of the closed loop (in the newest open period).
pub async fn decide(ctx: &Ctx, input: DecisionInput) -> Result<AppraisalView, AppError> {
    let (a, manage, on_list) = find(ctx, &input.appraisal).await?;
    if !manage {
        return Err(ctx.deny("appraisal", input.appraisal.trim()).await);
    }
    if a.state != AppraisalState::Closed {
        return Err(state_error(ctx));
    }
    let list: Vec<String> = a.members.iter().map(key_string).collect();
    let percent = a.excellent_percent as u32;
    let max = max_excellent(list.len(), percent);
    check_decision(&list, &input.marks, percent).map_err(|p| mark_error(ctx, p, max))?;
    let names = repo::meeting::names(&ctx.state.db, a.members.clone())
        .await
        .map_err(db_error)?;
    let name_of = |member: &RecordId| {
        names
            .iter()
            .find(|n| &n.id == member)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    let a_key = key_string(&a.id);
    let year = a.year as i32;
    let zh = crate::i18n::Lang::Zh;
    let decided: Vec<Decided> = input
        .marks
        .iter()
        .map(|m| Decided {
            key: format!("{a_key}_{}", m.member),
            member: RecordId::new("member", m.member.as_str()),
            grade: m.grade,
            line: zh.t(T::ApsHistory(year, zh.t(m.grade.label()))),
        })
        .collect();
    let mut change = repo::appraisal::decide(a.id.clone(), decided, ctx.stamp());
    let unqualified: Vec<&crate::models::appraisal::Mark> = input
        .marks
        .iter()
        .filter(|m| m.grade == Grade::Unqualified)
        .collect();
    if !unqualified.is_empty() {
        let period = repo::assessment::periods(&ctx.state.db)
            .await
            .map_err(db_error)?
            .into_iter()
            .find(|p| p.status == crate::models::assessment::PeriodStatus::Open);
        match period {
            Some(period) => {
                for m in unqualified {
                    let member = RecordId::new("member", m.member.as_str());
                    change = change.then(repo::assessment::open_rectification(
                        repo::assessment::NewRectification {
                            key: new_key("r"),
                            period: period.id.clone(),
                            org: a.org.clone(),
                            source: crate::models::closed_loop::RectificationSource::Finding,
                            assignment: None,
                            problem: zh.t(T::ApsRectProblem(year, &name_of(&member))),
                            required: zh.t(T::ApsRectRequired).to_string(),
                            owner: String::new(),
                            deadline: ctx.today()
                                + chrono::Days::new(crate::models::closed_loop::RECTIFY_DAYS),
                        },
                        ctx.stamp(),
                    ));
                }
            }
            None => tracing::warn!(
                appraisal = %a_key,
                "no open assessment period: the unqualified grades open no rectification item"
            ),
        }
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("appraisal", a_key)
        .summary(format!("grades decided for {} members", list.len()));
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { .. }) => return Err(state_error(ctx)),
        other => other?,
    }
    reread(ctx, &a.id, manage, on_list).await
}
