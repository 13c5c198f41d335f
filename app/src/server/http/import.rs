//! The roster import's plain routes: the template download, and the upload (a multipart
//! form post that works without JavaScript; with it, the page shows upload progress).

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::{denied_error, failed, lang_of, refuse, xlsx};
use crate::access::{Caller, check};
use crate::api::import::IMPORT_MEMBERS;
use crate::error::AppError;
use crate::i18n::{Lang, T};
use crate::models::audit::{Outcome, action};
use crate::server::audit::Event;
use crate::server::{AppState, record};

/// The template download (general body limit).
pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let (members, questions) = (state.clone(), state.clone());
    Router::new()
        .route(
            "/export/member-template.xlsx",
            get(move |caller, headers| member_template(members.clone(), caller, headers)),
        )
        .route(
            "/export/question-template.xlsx",
            get(move |caller, headers| question_template(questions.clone(), caller, headers)),
        )
}

/// The upload: the server's router gives it a body limit of its own
/// (`MAX_FILE_BYTES` and the form around it) and the caller and same-origin layers.
pub fn upload_routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let state = state.clone();
    Router::new().route(
        IMPORT_MEMBERS.endpoint,
        post(move |caller, headers, form| import_members(state.clone(), caller, headers, form)),
    )
}

/// `GET /export/member-template.xlsx`: the import template (headers and one example row).
pub async fn member_template(
    state: AppState,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&IMPORT_MEMBERS, &caller) {
        return refuse(&state, &caller, &IMPORT_MEMBERS, denied_error(denied)).await;
    }
    match crate::server::import::template(lang_of(&headers)) {
        Ok(bytes) => xlsx(&state, "member-template", bytes),
        Err(e) => failed("import template", e),
    }
}

/// `GET /export/question-template.xlsx`: the question bank's import template (headers and
/// one example of each kind), for whoever may import questions.
pub async fn question_template(
    state: AppState,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let rule = &crate::api::quiz::IMPORT_QUESTIONS;
    if let Err(denied) = check(rule, &caller) {
        return refuse(&state, &caller, rule, denied_error(denied)).await;
    }
    match crate::server::question_import::template(lang_of(&headers)) {
        Ok(bytes) => xlsx(&state, "question-template", bytes),
        Err(e) => failed("question template", e),
    }
}

/// A refused upload: recorded on the audit trail like an accepted one, and answered with
/// the message in the user's language, as JSON under the field `file`.
async fn file_refused(state: &AppState, caller: &Caller, lang: Lang, key: T) -> Response {
    let error = AppError::Validation {
        field: "file".into(),
        message: lang.t(key).into(),
    };
    let event = Event::new(action::CREATE, Outcome::Failure)
        .on("import_job", "")
        .summary(format!("upload refused: {}", Lang::En.t(key)));
    record(state, caller, &event).await;
    (error.status(), axum::Json(error)).into_response()
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// `POST /import/members` (multipart form, field `file`): stores the upload with its
/// report and sends the browser to the report. Nothing is written to the roster here.
pub async fn import_members(
    state: AppState,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    if let Err(denied) = check(&IMPORT_MEMBERS, &caller) {
        return refuse(&state, &caller, &IMPORT_MEMBERS, denied_error(denied)).await;
    }
    let lang = lang_of(&headers);
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload.xlsx").to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes.to_vec())),
                    Err(_) => return file_refused(&state, &caller, lang, T::ImpTooBig).await,
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return file_refused(&state, &caller, lang, T::ImpTooBig).await,
        }
    }
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return file_refused(&state, &caller, lang, T::ImpNoFile).await;
    };
    if bytes.len() > crate::server::import::MAX_FILE_BYTES {
        return file_refused(&state, &caller, lang, T::ImpTooBig).await;
    }
    match crate::server::service::import::store(&state, &caller, &name, bytes, lang).await {
        // The page's script asks for JSON (it shows upload progress and opens the report
        // itself); the plain form post is sent to the report.
        Ok(key) if wants_json(&headers) => {
            axum::Json(serde_json::json!({ "job": key })).into_response()
        }
        Ok(key) => {
            axum::response::Redirect::to(&format!("/members/import?job={key}")).into_response()
        }
        Err(e) => (e.status(), axum::Json(e)).into_response(),
    }
}
