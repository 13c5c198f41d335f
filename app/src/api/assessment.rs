//! The closed loop (issue 13): 任务发布 → 执行 → 评价 → 整改, rolled up through the
//! indicator system into branch scores and star ratings. The rules are in
//! `models::assessment`; the orchestration in `server::service::assessment`.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::closed_loop::{
    AnswerInput, AssignmentPage, AssignmentView, BranchAssessment, FindingInput, Inbox,
    PeriodInput, PeriodSummary, PeriodView, QueueQuery, Ranking, RectificationPage,
    RectificationQuery, RectifyInput, ReviewInput, TaskChange, TaskInput, TaskPage, TaskQuery,
    TaskView,
};

/// Branch committees and the office: the periods are the hospital's, not a branch's.
pub const LIST_PERIODS: AccessRule = AccessRule {
    endpoint: "/api/list_periods",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Aggregate,
};

/// Every assessment period, newest first.
#[server(endpoint = "list_periods", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_periods() -> Result<Vec<PeriodSummary>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_PERIODS).await?;
    service::assessment::list_periods(&ctx).await
}

/// As `LIST_PERIODS`.
pub const GET_PERIOD: AccessRule = AccessRule {
    endpoint: "/api/get_period",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Aggregate,
};

/// A period with its indicator tree (the guidance reviewers and branches read).
#[server(endpoint = "get_period", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_period(id: String) -> Result<PeriodView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_PERIOD).await?;
    service::assessment::get_period(&ctx, &id).await
}

/// The committee office only: it manages the indicator system.
pub const SAVE_PERIOD: AccessRule = AccessRule {
    endpoint: "/api/save_period",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgSubtree,
};

/// Creates a period with its indicator tree (weights checked to sum to 100) or a copy of another period's tree, and its star thresholds. Returns its key.
#[server(endpoint = "save_period", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_period(input: PeriodInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_PERIOD).await?;
    service::assessment::save_period(&ctx, input).await
}

/// As `SAVE_PERIOD`.
pub const CLOSE_PERIOD: AccessRule = AccessRule {
    endpoint: "/api/close_period",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgSubtree,
};

/// Closes a period once scored: from then on it is read-only.
#[server(endpoint = "close_period", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn close_period(id: String) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CLOSE_PERIOD).await?;
    service::assessment::close_period(&ctx, &id).await
}

/// Branch committees see the published tasks that went to their organisations (and a general
/// branch the tasks it issued); a member the published tasks to them; the office sees all.
pub const LIST_TASKS: AccessRule = AccessRule {
    endpoint: "/api/list_tasks",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// One page of tasks, nearest deadline first.
#[server(endpoint = "list_tasks", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_tasks(query: TaskQuery) -> Result<TaskPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_TASKS).await?;
    service::assessment::list_tasks(&ctx, query).await
}

/// As `LIST_TASKS`.
pub const GET_TASK: AccessRule = AccessRule {
    endpoint: "/api/get_task",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// A task, its counts and what the caller may do with it.
#[server(endpoint = "get_task", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_task(id: String) -> Result<TaskView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_TASK).await?;
    service::assessment::get_task(&ctx, &id).await
}

/// The committee office issues tasks to every branch; a general branch's committee to the
/// branches below it (any other branch committee is refused: `NotIssuer`). A draft is
/// changed only by its issuer.
pub const SAVE_TASK: AccessRule = AccessRule {
    endpoint: "/api/save_task",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Creates a draft task (empty `id`) or changes a draft. Returns its key.
#[server(endpoint = "save_task", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_task(input: TaskInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_TASK).await?;
    service::assessment::save_task(&ctx, input).await
}

/// As `SAVE_TASK`.
pub const CHANGE_TASK: AccessRule = AccessRule {
    endpoint: "/api/change_task",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Publishes a draft (one assignment per target, in one transaction), withdraws a published task with a reason, or extends its deadline.
#[server(endpoint = "change_task", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_task(input: TaskChange) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CHANGE_TASK).await?;
    service::assessment::change_task(&ctx, input).await
}

/// Branch committees see their organisations' assignments; a member their own (tasks to
/// members); the office sees all.
pub const LIST_ASSIGNMENTS: AccessRule = AccessRule {
    endpoint: "/api/list_assignments",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// The review queue: a page of assignments by filters, nearest deadline first, with counts per status.
#[server(endpoint = "list_assignments", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_assignments(query: QueueQuery) -> Result<AssignmentPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_ASSIGNMENTS).await?;
    service::assessment::list_assignments(&ctx, query).await
}

/// Whoever answers or issues work: which kinds of record each caller is offered is decided
/// by that kind's own listing rule (`LIST_MEMBERS`, `LIST_TRANSFERS`, …), checked again
/// inside, so the picker never shows more than the listing would.
pub const PICK_RECORDS: AccessRule = AccessRule {
    endpoint: "/api/pick_records",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// Records of one kind an answer may link (or a task may go to: members), found by a few
/// words, as key and label: what the forms' pickers offer.
#[server(endpoint = "pick_records", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn pick_records(
    kind: crate::models::closed_loop::LinkKind,
    words: String,
    #[server(default)] this: String,
) -> Result<Vec<crate::models::closed_loop::Picked>, AppError> {
    use crate::server::{begin, service};
    begin(&PICK_RECORDS).await?;
    service::pick::records(kind, &words, &this).await
}

/// As `LIST_ASSIGNMENTS`: another branch's assignment, or another member's, is refused (403,
/// recorded).
pub const GET_ASSIGNMENT: AccessRule = AccessRule {
    endpoint: "/api/get_assignment",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// One assignment with its task, guidance, draft and every submitted version.
#[server(endpoint = "get_assignment", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_assignment(id: String) -> Result<AssignmentView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ASSIGNMENT).await?;
    service::assessment::get_assignment(&ctx, &id).await
}

/// The committee of the target branch (or of an organisation above it, but not the general
/// branch that issued the task); for a task to members, the member alone.
pub const ANSWER_ASSIGNMENT: AccessRule = AccessRule {
    endpoint: "/api/answer_assignment",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// Saves the answer as a draft or submits it as the next version.
#[server(endpoint = "answer_assignment", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn answer_assignment(input: AnswerInput) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&ANSWER_ASSIGNMENT).await?;
    service::assessment::answer_assignment(&ctx, input).await
}

/// The issuer of the task reviews and scores: the committee office, or the general branch
/// that issued it (any other caller is refused: `NotIssuer`).
pub const REVIEW_ASSIGNMENT: AccessRule = AccessRule {
    endpoint: "/api/review_assignment",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Scores the submitted version and accepts it or returns it for rework; the branch's period score is brought up to date in the same transaction. A second reviewer of the same version is refused.
#[server(endpoint = "review_assignment", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn review_assignment(input: ReviewInput) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&REVIEW_ASSIGNMENT).await?;
    service::assessment::review_assignment(&ctx, input).await
}

/// Branch committees see their organisations' items; the office sees all.
pub const LIST_RECTIFICATIONS: AccessRule = AccessRule {
    endpoint: "/api/list_rectifications",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// A page of rectification items, overdue first, then by deadline.
#[server(endpoint = "list_rectifications", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_rectifications(query: RectificationQuery) -> Result<RectificationPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_RECTIFICATIONS).await?;
    service::assessment::list_rectifications(&ctx, query).await
}

/// The owner branch answers; the office closes or reopens.
pub const RECTIFY: AccessRule = AccessRule {
    endpoint: "/api/rectify",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Answers, closes or reopens a rectification item.
#[server(endpoint = "rectify", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn rectify(input: RectifyInput) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&RECTIFY).await?;
    service::assessment::rectify(&ctx, input).await
}

/// The committee office only.
pub const RAISE_FINDING: AccessRule = AccessRule {
    endpoint: "/api/raise_finding",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgSubtree,
};

/// Opens a rectification item for a problem found outside a task. Returns its key.
#[server(endpoint = "raise_finding", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn raise_finding(input: FindingInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&RAISE_FINDING).await?;
    service::assessment::raise_finding(&ctx, input).await
}

/// The committee office only: branches see their own page, not a table of others.
pub const GET_RANKING: AccessRule = AccessRule {
    endpoint: "/api/get_ranking",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgSubtree,
};

/// Every branch's score, stars and rank in a period.
#[server(endpoint = "get_ranking", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_ranking(period: String) -> Result<Ranking, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_RANKING).await?;
    service::assessment::get_ranking(&ctx, &period).await
}

/// A branch's committee (or one above it) and the office.
pub const GET_BRANCH_ASSESSMENT: AccessRule = AccessRule {
    endpoint: "/api/get_branch_assessment",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// A branch's score, stars, indicators, assignments and rectification items in a period.
#[server(endpoint = "get_branch_assessment", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_branch_assessment(
    period: String,
    org: String,
) -> Result<BranchAssessment, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_BRANCH_ASSESSMENT).await?;
    service::assessment::get_branch_assessment(&ctx, &period, &org).await
}

/// As `GET_RANKING`: the committee's ranking table as Excel. A plain GET route
/// (`server::http::assessment`), `?period=`; every export is audited.
pub const EXPORT_RANKING: AccessRule = AccessRule {
    endpoint: "/export/ranking.xlsx",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgSubtree,
};

/// As `GET_BRANCH_ASSESSMENT`: a branch's assessment report for a period as Excel. A plain
/// GET route (`server::http::assessment`), `?period=&org=`; a branch outside the caller's
/// scope is refused and recorded, and every export is audited.
pub const EXPORT_BRANCH_ASSESSMENT: AccessRule = AccessRule {
    endpoint: "/export/branch-assessment.xlsx",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Every Party role: a member without work gets an empty inbox.
pub const GET_INBOX: AccessRule = AccessRule {
    endpoint: "/api/get_inbox",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// The caller's to-do inbox (待办): answers owed, returns, rectification items, reviews and re-checks waiting.
#[server(endpoint = "get_inbox", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_inbox() -> Result<Inbox, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_INBOX).await?;
    service::assessment::get_inbox(&ctx).await
}
