//! The development pipeline (发展党员): who is at which of the 25 steps, what is due
//! next, and recording a step under the time rules. Becoming a 预备党员 (step 17) creates
//! the member record from what the pipeline already holds; 转正 approval (step 24) makes
//! it a full member.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
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
#[server(endpoint = "list_pipeline", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_pipeline(
    #[server(default)] query: PipelineQuery,
) -> Result<PipelinePage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_PIPELINE).await?;
    service::pipeline::list(&ctx, query).await
}

/// As `LIST_PIPELINE`, for the person's branch.
pub const GET_CANDIDATE: AccessRule = AccessRule {
    endpoint: "/api/get_candidate",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// One person's pipeline: every recorded step and what is due next.
#[server(endpoint = "get_candidate", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_candidate(id: String) -> Result<CandidateDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_CANDIDATE).await?;
    service::pipeline::candidate(&ctx, &id).await
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
#[server(endpoint = "create_candidate", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_candidate(input: CandidateInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CREATE_CANDIDATE).await?;
    service::pipeline::create(&ctx, input).await
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
#[server(endpoint = "record_step", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn record_step(input: StepInput) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&RECORD_STEP).await?;
    service::pipeline::record_step(&ctx, input).await
}
