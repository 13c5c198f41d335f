//! 民主评议党员 (issue 14): the yearly appraisal of a branch's members, with an anonymous
//! ballot (`models::appraisal`).

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::appraisal::{
    AppraisalRow, AppraisalView, BallotInput, DecisionInput, OpenAppraisalInput,
    SelfAssessmentInput,
};

/// Branch committees and the office for the branches in reach; a member for the appraisals they are on the list of.
pub const LIST_APPRAISALS: AccessRule = AccessRule {
    endpoint: "/api/list_appraisals",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// The appraisals in the caller's reach, newest year first.
#[server(endpoint = "list_appraisals", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_appraisals() -> Result<Vec<AppraisalRow>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_APPRAISALS).await?;
    service::appraisal::list(&ctx).await
}

/// Branch committees for their branches; the committee office for any.
pub const OPEN_APPRAISAL: AccessRule = AccessRule {
    endpoint: "/api/open_appraisal",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Opens the year's 民主评议 of a branch: its active members are the list. Returns its key.
#[server(endpoint = "open_appraisal", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn open_appraisal(input: OpenAppraisalInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&OPEN_APPRAISAL).await?;
    service::appraisal::open(&ctx, input).await
}

/// As `LIST_APPRAISALS`.
pub const GET_APPRAISAL: AccessRule = AccessRule {
    endpoint: "/api/get_appraisal",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// One appraisal: the list, where each stands, the totals once closed (the committee only).
#[server(endpoint = "get_appraisal", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_appraisal(id: String) -> Result<AppraisalView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_APPRAISAL).await?;
    service::appraisal::get(&ctx, &id).await
}

/// A member on the list, for their own 党性分析 (the branch's committee reaches the
/// appraisal, and is refused unless on the list too).
pub const SUBMIT_SELF_ASSESSMENT: AccessRule = AccessRule {
    endpoint: "/api/submit_self_assessment",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// Submits (or replaces, while they are collected) the caller's own 党性分析.
#[server(endpoint = "submit_self_assessment", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn submit_self_assessment(input: SelfAssessmentInput) -> Result<AppraisalView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SUBMIT_SELF_ASSESSMENT).await?;
    service::appraisal::submit_self(&ctx, input).await
}

/// A member on the list, once, while the vote is open (as `SUBMIT_SELF_ASSESSMENT`).
pub const CAST_BALLOT: AccessRule = AccessRule {
    endpoint: "/api/cast_ballot",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// Casts the caller's ballot. No ballot is stored: only that the caller voted, and the totals.
#[server(endpoint = "cast_ballot", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn cast_ballot(input: BallotInput) -> Result<AppraisalView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CAST_BALLOT).await?;
    service::appraisal::cast(&ctx, input).await
}

/// As `OPEN_APPRAISAL`.
pub const ADVANCE_APPRAISAL: AccessRule = AccessRule {
    endpoint: "/api/advance_appraisal",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Moves the appraisal on: from collecting to the vote, from the vote to its totals.
#[server(endpoint = "advance_appraisal", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn advance_appraisal(id: String) -> Result<AppraisalView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&ADVANCE_APPRAISAL).await?;
    service::appraisal::advance(&ctx, &id).await
}

/// As `OPEN_APPRAISAL`.
pub const DECIDE_APPRAISAL: AccessRule = AccessRule {
    endpoint: "/api/decide_appraisal",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Records the branch's grade of every member (优秀 within the share); each goes to the member's record, and a 不合格 opens a rectification item.
#[server(endpoint = "decide_appraisal", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn decide_appraisal(input: DecisionInput) -> Result<AppraisalView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&DECIDE_APPRAISAL).await?;
    service::appraisal::decide(&ctx, input).await
}
