//! Orchestration behind the `pipeline` server functions (`crate::api::pipeline`): reads and
//! writes through the repositories, decisions that need the database.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action};
use crate::models::member::{MemberStatus, mask_id_number};
use crate::models::member_form::{MemberInput, parse_date, validate_member};
use crate::models::org::OrgKind;
use crate::models::pipeline::{
    ADMISSION_MEETING_STEP, CandidateDetail, CandidateInput, CandidateLine, Done, PipelinePage,
    PipelineQuery, Stage, StageCounts, StepInput, StepProblem, StepRecord, check_step,
    full_membership_date, is_overdue, next_step, parse_people, stage_after,
};
use crate::server::audit::Event;
use crate::server::repo::pipeline::{CandidateRow, NewStep, StepRow};
use crate::server::{Ctx, clip, db_error, invalid, key_string, new_key, repo, scope};

/// The people in the pipeline in the caller's scope (filtered by organisation, stage,
/// overdue) and the counts by stage for every branch in scope. An organisation filter
/// outside the scope is refused (403, recorded).
pub async fn list(ctx: &Ctx, query: PipelineQuery) -> Result<PipelinePage, AppError> {
    let Ok(orgs) = ctx.scope.orgs(query.org.trim()) else {
        return Err(ctx.deny("org", query.org.trim()).await);
    };
    let rows = repo::pipeline::active(&ctx.state.db, orgs)
        .await
        .map_err(db_error)?;
    let today = ctx.today();
    let lines: Vec<_> = rows.iter().map(|r| line(r, today)).collect();
    let mut branches: BTreeMap<String, StageCounts> = BTreeMap::new();
    for l in &lines {
        let entry = branches
            .entry(l.org_id.clone())
            .or_insert_with(|| StageCounts {
                org_id: l.org_id.clone(),
                org_name: l.org_name.clone(),
                ..StageCounts::default()
            });
        if let Some(i) = Stage::ALL.iter().position(|s| *s == l.stage) {
            entry.counts[i] += 1;
        }
        entry.overdue += u32::from(l.overdue);
    }
    let stage = Stage::parse(query.stage.trim());
    let people = lines
        .into_iter()
        .filter(|l| stage.is_none_or(|s| l.stage == s))
        .filter(|l| !query.overdue || l.overdue)
        .collect();
    Ok(PipelinePage {
        people,
        branches: branches.into_values().collect(),
    })
}

/// One person's pipeline, if their branch is in scope.
pub async fn candidate(ctx: &Ctx, id: &str) -> Result<CandidateDetail, AppError> {
    let row = scope::record::candidate(ctx, id).await?;
    let steps = repo::pipeline::steps(&ctx.state.db, &row.id)
        .await
        .map_err(db_error)?;
    Ok(detail(
        &row,
        steps,
        ctx.today(),
        mask_id_number(&row.id_number),
    ))
}

/// Registers an application (step 1) under the record rules of a member, with the
/// application in the place of admission. Returns the new key.
pub async fn create(ctx: &Ctx, input: CandidateInput) -> Result<String, AppError> {
    let lang = ctx.lang;
    let as_member = MemberInput {
        name: input.name.clone(),
        gender: input.gender.clone(),
        birth_date: input.birth_date.clone(),
        ethnicity: input.ethnicity.clone(),
        education: input.education.clone(),
        department: input.department.clone(),
        title: input.title.clone(),
        phone: input.phone.clone(),
        id_number: input.id_number.clone(),
        org: input.org.clone(),
        status: MemberStatus::Probationary.as_str().into(),
        application_date: String::new(),
        admission_date: input.application_date.clone(),
        full_date: String::new(),
    };
    let valid = validate_member(&as_member, ctx.today()).map_err(|problems| {
        let p = problems[0];
        let field = match p.field() {
            "admission_date" => "application_date",
            f => f,
        };
        invalid(field, p.message(lang))
    })?;
    let org = scope::record::org(ctx, input.org.trim()).await?;
    if org.kind != OrgKind::Branch {
        return Err(invalid("org", lang.t(T::MfOrgNotBranch).into()));
    }
    if repo::pipeline::id_number_known(&ctx.state.db, &valid.id_number)
        .await
        .map_err(db_error)?
    {
        return Err(invalid("id_number", lang.t(T::PipelineKnown).into()));
    }
    let key = new_key("c");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("candidate", key.clone())
        .summary(format!("application in {}", org.name));
    let candidate = RecordId::new("candidate", key.as_str());
    let change = repo::pipeline::create(candidate, &valid, org.id, ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// Records the next step under the time rules; a step that would break one is refused
/// with the rule named.
pub async fn record_step(ctx: &Ctx, input: StepInput) -> Result<(), AppError> {
    let lang = ctx.lang;
    let row = scope::record::candidate(ctx, input.candidate.trim()).await?;
    let Some(date) = parse_date(&input.date) else {
        return Err(invalid("date", lang.t(T::MfDate).into()));
    };
    let people = parse_people(&input.responsible);
    let approver = clip(&input.approver, 50);
    let materials = clip(&input.materials, 500);
    let done = done(&row);
    check_step(
        &done,
        input.step,
        date,
        row.birth_date,
        ctx.today(),
        people.len(),
        &approver,
    )
    .map_err(|p: StepProblem| invalid(p.field(), p.message(lang)))?;
    let no = input.step;
    let member_key = row
        .member
        .as_ref()
        .map(key_string)
        .unwrap_or_else(|| new_key("m"));
    let admitted = done
        .iter()
        .find(|d| d.no == ADMISSION_MEETING_STEP)
        .map(|d| d.date)
        .unwrap_or(date);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("candidate", key_string(&row.id))
        .summary(format!("step {no}"));
    let step = NewStep {
        candidate: row.id.clone(),
        member: RecordId::new("member", member_key.as_str()),
        no,
        date,
        people,
        approver,
        materials,
        admitted,
        full: full_membership_date(admitted),
    };
    ctx.commit(&event, &repo::pipeline::record_step(step, ctx.stamp()))
        .await
}

pub fn done(row: &CandidateRow) -> Vec<Done> {
    row.step_dates
        .iter()
        .enumerate()
        .map(|(i, date)| Done {
            no: u8::try_from(i + 1).unwrap_or(u8::MAX),
            date: *date,
        })
        .collect()
}

pub fn line(row: &CandidateRow, today: NaiveDate) -> CandidateLine {
    let done = done(row);
    let step = u8::try_from(row.step).unwrap_or(0);
    let next = next_step(&done);
    CandidateLine {
        id: key_string(&row.id),
        name: row.name.clone(),
        org_id: key_string(&row.org),
        org_name: row.org_name.clone(),
        stage: stage_after(step),
        step,
        next,
        overdue: is_overdue(next, today),
        member: row.member.as_ref().map(key_string),
    }
}

pub fn detail(
    row: &CandidateRow,
    steps: Vec<StepRow>,
    today: NaiveDate,
    id_number_masked: String,
) -> CandidateDetail {
    CandidateDetail {
        line: line(row, today),
        gender: row.gender.clone(),
        birth_date: row.birth_date,
        department: row.department.clone(),
        id_number_masked,
        steps: steps.into_iter().map(step).collect(),
    }
}

/// A recorded step as the pages show it.
pub fn step(s: StepRow) -> StepRecord {
    StepRecord {
        no: u8::try_from(s.no).unwrap_or(0),
        date: s.date,
        responsible: s.responsible,
        approver: s.approver,
        materials: s.materials,
        actor: s.actor,
    }
}
