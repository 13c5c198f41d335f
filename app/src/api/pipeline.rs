//! The development pipeline (发展党员): who is at which of the 25 steps, what is due
//! next, and recording a step under the time rules. Becoming a 预备党员 (step 17) creates
//! the member record from what the pipeline already holds; 转正 approval (step 24) makes
//! it a full member.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::error::AppError;
use crate::models::pipeline::{
    CandidateDetail, CandidateInput, PipelinePage, PipelineQuery, StepInput,
};

/// Branch committees for their organisations and below; the office for all (the
/// committee view across branches).
pub const LIST_PIPELINE: AccessRule = AccessRule {
    endpoint: "/api/list_pipeline",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// People in the pipeline (filtered by organisation, stage, overdue) and the counts by
/// stage for every branch in scope.
#[server(endpoint = "list_pipeline")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_pipeline(
    #[server(default)] query: PipelineQuery,
) -> Result<PipelinePage, AppError> {
    use std::collections::BTreeMap;

    use crate::models::pipeline::{Stage, StageCounts};
    use crate::server::roster::{self, ScopeError};
    use crate::server::{begin, china_today, deny_record, fail, internal, repo};
    let ctx = begin(&LIST_PIPELINE).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let orgs = match roster::scoped_orgs(state, caller, &LIST_PIPELINE, query.org.trim()).await {
        Ok(orgs) => orgs,
        Err(ScopeError::OutOfScope) => {
            return Err(deny_record(caller, LIST_PIPELINE.endpoint, "org", query.org.trim()).await);
        }
        Err(ScopeError::Db(e)) => return Err(fail(internal(e))),
    };
    let rows = repo::pipeline::active(&state.db, orgs)
        .await
        .map_err(|e| fail(internal(e)))?;
    let today = china_today(state);
    let lines: Vec<_> = rows
        .iter()
        .map(|r| crate::server::service::pipeline::line(r, today))
        .collect();
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

/// As `LIST_PIPELINE`, for the person's branch.
pub const GET_CANDIDATE: AccessRule = AccessRule {
    endpoint: "/api/get_candidate",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// One person's pipeline: every recorded step and what is due next.
#[server(endpoint = "get_candidate")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_candidate(id: String) -> Result<CandidateDetail, AppError> {
    use crate::models::member::mask_id_number;
    use crate::server::{begin, china_today, fail, internal, repo};
    let ctx = begin(&GET_CANDIDATE).await?;
    let state = &ctx.state;
    let row = crate::server::scope::record::candidate(&ctx, &id).await?;
    let steps = repo::pipeline::steps(&state.db, &row.id)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(crate::server::service::pipeline::detail(
        &row,
        steps,
        china_today(state),
        mask_id_number(&row.id_number),
    ))
}

/// As `LIST_PIPELINE`, for a branch in scope.
pub const CREATE_CANDIDATE: AccessRule = AccessRule {
    endpoint: "/api/create_candidate",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Registers an application for membership (step 1): the person's record under the same
/// rules as a member record (ID check, birth date and gender in the ID, mobile number) and
/// the application date (age 18). An ID number already in the pipeline or on the roster is
/// refused.
#[server(endpoint = "create_candidate")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_candidate(input: CandidateInput) -> Result<String, AppError> {
    use crate::i18n::T;
    use crate::models::audit::{Outcome, action};
    use crate::models::member_form::{MemberInput, validate_member};
    use crate::models::org::OrgKind;
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, china_today, commit, fail, internal, new_key, repo};
    let ctx = begin(&CREATE_CANDIDATE).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    // The record rules of a member, with the application in the place of admission.
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
        status: "probationary".into(),
        application_date: String::new(),
        admission_date: input.application_date.clone(),
        full_date: String::new(),
    };
    let valid = validate_member(&as_member, china_today(state)).map_err(|problems| {
        let p = problems[0];
        let field = match p.field() {
            "admission_date" => "application_date",
            f => f,
        };
        crate::server::invalid(field, p.message(lang))
    })?;
    let org = crate::server::scope::record::org(&ctx, input.org.trim()).await?;
    if OrgKind::parse(&org.kind) != Some(OrgKind::Branch) {
        return Err(crate::server::invalid(
            "org",
            lang.t(T::MfOrgNotBranch).into(),
        ));
    }
    if repo::pipeline::id_number_known(&state.db, &valid.id_number)
        .await
        .map_err(|e| fail(internal(e)))?
    {
        return Err(crate::server::invalid(
            "id_number",
            lang.t(T::PipelineKnown).into(),
        ));
    }
    let key = new_key("c");
    let actor = caller.account.clone().unwrap_or_default();
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("candidate", key.clone())
        .summary(format!("application in {}", org.name));
    let change = Change::new(
        "CREATE $c CONTENT {
             name: $name, name_initials: $initials, gender: $gender, birth_date: $birth,
             ethnicity: $ethnicity, education: $education, department: $department,
             title: $title, phone: $phone, id_number: $id_number, org: $org, step: 1,
             step_dates: [$date], status: 'active'
         };
         CREATE pipeline_step SET candidate = $c, no = 1, date = $date, actor = $actor, at = $now;",
    )
    .bind(
        "c",
        surrealdb::types::RecordId::new("candidate", key.as_str()),
    )
    .bind("name", valid.name.clone())
    .bind("initials", repo::member::name_initials(&valid.name))
    .bind("gender", valid.gender.to_string())
    .bind("birth", valid.birth_date)
    .bind("ethnicity", valid.ethnicity)
    .bind("education", valid.education)
    .bind("department", valid.department)
    .bind("title", valid.title)
    .bind("phone", valid.phone)
    .bind("id_number", valid.id_number)
    .bind("org", org.id)
    .bind("date", valid.admission_date)
    .bind("actor", actor)
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await?;
    Ok(key)
}

/// As `GET_CANDIDATE`.
pub const RECORD_STEP: AccessRule = AccessRule {
    endpoint: "/api/record_step",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Records the next step with its date, people, approving body and materials; a step
/// that would break a time rule is refused with the rule named. Step 17 creates the
/// member record (预备党员, admitted on the date of the branch meeting, step 15); step 24
/// makes them a full member from the day probation ends; step 25 closes the pipeline.
#[server(endpoint = "record_step")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn record_step(input: StepInput) -> Result<(), AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::models::member_form::parse_date;
    use crate::models::pipeline::{
        ADMISSION_MEETING_STEP, ADMITTED_STEP, FULL_STEP, STEPS, StepProblem, check_step,
        full_membership_date, parse_people,
    };
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, china_today, commit, key_string, new_key};
    let ctx = begin(&RECORD_STEP).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let row = crate::server::scope::record::candidate(&ctx, input.candidate.trim()).await?;
    let refuse = |p: StepProblem| crate::server::invalid(p.field(), p.message(lang));
    let Some(date) = parse_date(&input.date) else {
        return Err(crate::server::invalid(
            "date",
            lang.t(crate::i18n::T::MfDate).into(),
        ));
    };
    let people = parse_people(&input.responsible);
    let approver: String = input.approver.trim().chars().take(50).collect();
    let materials: String = input.materials.trim().chars().take(500).collect();
    let done = crate::server::service::pipeline::done(&row);
    check_step(
        &done,
        input.step,
        date,
        row.birth_date,
        china_today(state),
        people.len(),
        &approver,
    )
    .map_err(refuse)?;
    let no = input.step;
    let actor = caller.account.clone().unwrap_or_default();
    let mut sql = String::from(
        "UPDATE $c SET step = $no, step_dates = array::append(step_dates, $date);
         CREATE pipeline_step SET candidate = $c, no = $no, date = $date,
             responsible = $people, approver = $approver, materials = $materials,
             actor = $actor, at = $now;",
    );
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
    if no == ADMITTED_STEP {
        sql.push_str(
            "LET $cand = (SELECT * FROM ONLY $c);
             CREATE $m CONTENT {
                 name: $cand.name, name_initials: $cand.name_initials, gender: $cand.gender,
                 birth_date: $cand.birth_date, ethnicity: $cand.ethnicity,
                 education: $cand.education, department: $cand.department, title: $cand.title,
                 phone: $cand.phone, id_number: $cand.id_number, org: $cand.org,
                 position: 'member', status: 'probationary',
                 application_date: $cand.step_dates[0], admission_date: $admitted,
                 standing: 'active', flags: [], dual_leader: false
             };
             UPDATE $c SET member = $m;
             CREATE member_event SET member = $m, kind = 'created',
                 detail = 'admitted through the pipeline', effective = $admitted,
                 actor = $actor, at = $now;",
        );
    }
    if no == FULL_STEP {
        sql.push_str(
            "UPDATE $m SET status = 'full', full_date = $full;
             CREATE member_event SET member = $m, kind = 'status', detail = 'probationary → full',
                 effective = $full, actor = $actor, at = $now;",
        );
    }
    if usize::from(no) == STEPS.len() {
        sql.push_str("UPDATE $c SET status = 'completed';");
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("candidate", key_string(&row.id))
        .summary(format!("step {no}"));
    let change = Change::new(sql)
        .bind("c", row.id.clone())
        .bind(
            "m",
            surrealdb::types::RecordId::new("member", member_key.as_str()),
        )
        .bind("no", i64::from(no))
        .bind("date", date)
        .bind("people", people)
        .bind("approver", approver)
        .bind("materials", materials)
        .bind("admitted", admitted)
        .bind("full", full_membership_date(admitted))
        .bind("actor", actor)
        .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await
}
