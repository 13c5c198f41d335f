//! Quizzes and exams (issue 15): the question bank and exams are kept by whoever publishes
//! courses for the organisation; members take the exams of what they may read. A key
//! reaches the browser only in the bank (its editors) and in a submitted attempt's review.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::quiz::{
    AttemptView, ExamInput, ExamView, QuestionImport, QuestionImportInput, QuestionInput,
    QuestionPage, QuestionQuery, SubmitInput,
};

/// As `learning::SAVE_COURSE`: a bank is read with its keys, so only by its editors.
pub const LIST_QUESTIONS: AccessRule = AccessRule {
    endpoint: "/api/list_questions",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// One page of the question bank of the organisations the caller publishes for.
#[server(endpoint = "list_questions", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_questions(query: QuestionQuery) -> Result<QuestionPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_QUESTIONS).await?;
    service::quiz::list_questions(&ctx, query).await
}

/// As `LIST_QUESTIONS`.
pub const SAVE_QUESTION: AccessRule = AccessRule {
    endpoint: "/api/save_question",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Adds a question to an organisation's bank or changes one. Returns its key.
#[server(endpoint = "save_question", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_question(input: QuestionInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_QUESTION).await?;
    service::quiz::save_question(&ctx, input).await
}

/// As `LIST_QUESTIONS`.
pub const DELETE_QUESTION: AccessRule = AccessRule {
    endpoint: "/api/delete_question",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Removes a question from its bank (not one an attempt drew).
#[server(endpoint = "delete_question", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn delete_question(id: String) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&DELETE_QUESTION).await?;
    service::quiz::delete_question(&ctx, &id).await
}

/// As `LIST_QUESTIONS`: into the bank of an organisation the caller publishes for, from
/// a file of that organisation. The template's download shares this rule.
pub const IMPORT_QUESTIONS: AccessRule = AccessRule {
    endpoint: "/api/import_questions",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Checks an uploaded `.xlsx` of questions and, with `commit` and no problem, adds them
/// all to the bank (or none).
#[server(endpoint = "import_questions", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn import_questions(input: QuestionImportInput) -> Result<QuestionImport, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&IMPORT_QUESTIONS).await?;
    service::quiz::import_questions(&ctx, input).await
}

/// As `LIST_QUESTIONS`.
pub const SAVE_EXAM: AccessRule = AccessRule {
    endpoint: "/api/save_exam",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Sets up an exam (or a course's quiz) or changes one. Returns its key.
#[server(endpoint = "save_exam", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_exam(input: ExamInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_EXAM).await?;
    service::quiz::save_exam(&ctx, input).await
}

/// As `learning::GET_COURSE`: the exams of what the caller reads, and their own attempts.
pub const GET_EXAM: AccessRule = AccessRule {
    endpoint: "/api/get_exam",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// An exam before starting it, with the caller's attempts.
#[server(endpoint = "get_exam", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_exam(id: String) -> Result<ExamView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_EXAM).await?;
    service::quiz::get_exam(&ctx, &id).await
}

/// As `GET_EXAM`; a member starts their own attempts only.
pub const START_ATTEMPT: AccessRule = AccessRule {
    endpoint: "/api/start_attempt",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// Starts an attempt (or resumes the open one): its questions, without their keys, and
/// the seconds left by the server's clock.
#[server(endpoint = "start_attempt", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn start_attempt(exam: String) -> Result<AttemptView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&START_ATTEMPT).await?;
    service::quiz::start_attempt(&ctx, &exam).await
}

/// As `START_ATTEMPT`: the caller's own attempts only.
pub const GET_ATTEMPT: AccessRule = AccessRule {
    endpoint: "/api/get_attempt",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// One of the caller's attempts: open, its questions; submitted, its review.
#[server(endpoint = "get_attempt", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_attempt(id: String) -> Result<AttemptView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ATTEMPT).await?;
    service::quiz::get_attempt(&ctx, &id).await
}

/// As `GET_ATTEMPT`.
pub const SUBMIT_ATTEMPT: AccessRule = AccessRule {
    endpoint: "/api/submit_attempt",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// Submits the answers of the caller's open attempt, graded on the server; refused after
/// the deadline. Returns the review.
#[server(endpoint = "submit_attempt", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn submit_attempt(input: SubmitInput) -> Result<AttemptView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SUBMIT_ATTEMPT).await?;
    service::quiz::submit_attempt(&ctx, input).await
}
