//! Learning (issue 15), first step: courses, chapters and articles. The committee office
//! publishes for the whole hospital, a branch committee for its own branches; members read
//! what is published for them (`DataScope::Learning`).

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::learning::{
    ArticleInput, ChapterInput, CourseInput, CoursePage, CourseQuery, CourseView, ItemView,
    LearningRecord, ProgressInput, PublishInput, Reading,
};

/// Everyone in the Party's work: members read what is published for them; committees and
/// the office also see their own drafts.
pub const LIST_COURSES: AccessRule = AccessRule {
    endpoint: "/api/list_courses",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// One page of courses (required first, then the most recently changed), with where the
/// caller may publish.
#[server(endpoint = "list_courses", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_courses(query: CourseQuery) -> Result<CoursePage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_COURSES).await?;
    service::learning::list(&ctx, query).await
}

/// As `LIST_COURSES`.
pub const GET_COURSE: AccessRule = AccessRule {
    endpoint: "/api/get_course",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// One course with its chapters and items.
#[server(endpoint = "get_course", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_course(id: String) -> Result<CourseView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_COURSE).await?;
    service::learning::get(&ctx, &id).await
}

/// Branch committees for their organisations; the committee office for all.
pub const SAVE_COURSE: AccessRule = AccessRule {
    endpoint: "/api/save_course",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Creates a course (a draft) or changes one. Returns its key.
#[server(endpoint = "save_course", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_course(input: CourseInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_COURSE).await?;
    service::learning::save(&ctx, input).await
}

/// As `SAVE_COURSE`.
pub const PUBLISH_COURSE: AccessRule = AccessRule {
    endpoint: "/api/publish_course",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Publishes a course to the members it is for, or takes it back to a draft.
#[server(endpoint = "publish_course", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn publish_course(input: PublishInput) -> Result<CourseView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&PUBLISH_COURSE).await?;
    service::learning::publish(&ctx, input).await
}

/// As `SAVE_COURSE`.
pub const SAVE_CHAPTER: AccessRule = AccessRule {
    endpoint: "/api/save_chapter",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Adds a chapter at the end of a course, or renames one. Returns the course.
#[server(endpoint = "save_chapter", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_chapter(input: ChapterInput) -> Result<CourseView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_CHAPTER).await?;
    service::learning::save_chapter(&ctx, input).await
}

/// As `SAVE_COURSE`.
pub const SAVE_ARTICLE: AccessRule = AccessRule {
    endpoint: "/api/save_article",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Adds an article at the end of a chapter, or changes one (Markdown, rendered and
/// sanitised on the server). Returns the article's key.
#[server(endpoint = "save_article", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn save_article(input: ArticleInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_ARTICLE).await?;
    service::learning::save_article(&ctx, input).await
}

/// As `LIST_COURSES`.
pub const GET_ITEM: AccessRule = AccessRule {
    endpoint: "/api/get_item",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// One item to read: an article's sanitised HTML (its Markdown only for its editors).
#[server(endpoint = "get_item", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_item(id: String) -> Result<ItemView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ITEM).await?;
    service::learning::item(&ctx, &id).await
}

/// As `LIST_COURSES`: a member reports their own reading of what they may read.
pub const REPORT_PROGRESS: AccessRule = AccessRule {
    endpoint: "/api/report_progress",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// Where the caller is in an item and whether they reached its end (sent every 15 s
/// while it changes, and on leaving the page); kept per member and item, not audited.
#[server(endpoint = "report_progress", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn report_progress(input: ProgressInput) -> Result<Reading, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&REPORT_PROGRESS).await?;
    service::learning::report_progress(&ctx, input).await
}

/// A member their own; committees and the office the members in their reach (as a
/// member's record: `get_member`).
pub const LEARNING_RECORD: AccessRule = AccessRule {
    endpoint: "/api/get_learning_record",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// A member's learning record (学习档案): what they finished, course by course, and
/// the required courses they have not started. Empty `member`: the caller's own.
#[server(endpoint = "get_learning_record", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_learning_record(member: String) -> Result<LearningRecord, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LEARNING_RECORD).await?;
    service::learning::record(&ctx, &member).await
}

/// As `SAVE_COURSE` (no organisation's data: the text sent is rendered and sent back).
pub const PREVIEW_MARKDOWN: AccessRule = AccessRule {
    endpoint: "/api/preview_markdown",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Aggregate,
};

/// The sanitised HTML of an article's Markdown, exactly as saving it would store it.
#[server(endpoint = "preview_markdown", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(body)))]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&PREVIEW_MARKDOWN).await?;
    service::learning::preview(&ctx, body).await
}
