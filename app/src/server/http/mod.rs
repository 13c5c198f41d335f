//! Plain axum routes (downloads and uploads), one file per module, merged by the server's
//! router. They are not server functions, so each checks its access rule here with the
//! same `access::check`, records refusals like `authorize` does, and names its rule in
//! `crate::api::ACCESS_RULES`.

pub mod assessment;
pub mod audit;
pub mod files;
pub mod import;
pub mod meeting;
pub mod member;
pub mod required;

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::access::{AccessRule, Caller, Denied};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::audit::{Outcome, action};
use crate::server::audit::Event;
use crate::server::{AppState, Ctx, record, scope_of};

/// The download routes of every module (they share the general body limit).
pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    Router::new()
        .merge(audit::routes(state))
        .merge(member::routes(state))
        .merge(import::routes(state))
        .merge(assessment::routes(state))
        .merge(files::routes(state))
        .merge(meeting::routes(state))
        .merge(required::routes(state))
}

pub(super) type Params = Query<HashMap<String, String>>;

pub(super) fn text(params: &HashMap<String, String>, key: &str) -> String {
    params
        .get(key)
        .map(|v| v.trim().chars().take(64).collect())
        .unwrap_or_default()
}

pub(super) fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default()
}

/// Records a refusal and answers with the error the server functions would give.
pub(super) async fn refuse(
    state: &AppState,
    caller: &Caller,
    rule: &AccessRule,
    error: AppError,
) -> Response {
    tracing::warn!(endpoint = rule.endpoint, ?error, "permission denied");
    let event = Event::new(action::DENIED, Outcome::Denied)
        .on("endpoint", rule.endpoint)
        .summary(format!("{error:?}"));
    record(state, caller, &event).await;
    (error.status(), axum::Json(error)).into_response()
}

/// The service functions' context for a plain route: the caller already checked against
/// `rule`, its scope resolved under the rule's declared `DataScope`, as `server::begin`
/// does for a server function.
pub(super) async fn context(
    state: &AppState,
    caller: Caller,
    rule: &'static AccessRule,
    headers: &HeaderMap,
) -> Result<Ctx, AppError> {
    let scope = scope_of(state, &caller, rule).await?;
    Ok(Ctx {
        caller,
        state: state.clone(),
        lang: lang_of(headers),
        scope,
        rule,
    })
}

/// A service function's error as the server function would answer it (404 for a record
/// that does not exist, 403, …); an internal error is logged by the service.
pub(super) fn answer(error: AppError) -> Response {
    (error.status(), axum::Json(error)).into_response()
}

pub(super) fn denied_error(denied: Denied) -> AppError {
    match denied {
        Denied::Unauthenticated => AppError::Unauthenticated,
        Denied::Forbidden => AppError::Forbidden,
        Denied::PasswordChangeRequired => AppError::PasswordChangeRequired,
    }
}

pub(super) fn failed(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what} failed");
    (AppError::Internal.status(), axum::Json(AppError::Internal)).into_response()
}

pub(super) fn xlsx(state: &AppState, prefix: &str, bytes: Vec<u8>) -> Response {
    let name = format!(
        "{prefix}-{}.xlsx",
        state.clock.now().format("%Y%m%d-%H%M%S")
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}
