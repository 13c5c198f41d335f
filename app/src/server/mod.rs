//! Everything that touches the database. Compiled only with the `ssr` feature.

pub mod demo;
pub mod repo;

use std::fmt::Display;

use leptos::prelude::*;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::types::{RecordId, RecordIdKey};

use crate::access::{self, AccessRule, Caller, Denied};
use crate::error::AppError;

pub type Db = Surreal<Any>;

/// Shared state handed to every request through Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
}

/// The state in context, or an internal error if the server was wired wrongly.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))
}

/// Checks the caller against a server function's rule; a refusal is logged and sets the
/// response status. (Until accounts exist every caller is a visitor.)
pub fn authorize(rule: &AccessRule) -> Result<Caller, AppError> {
    let caller = use_context::<Caller>().unwrap_or_else(Caller::visitor);
    match access::check(rule, &caller) {
        Ok(()) => Ok(caller),
        Err(denied) => {
            tracing::warn!(endpoint = rule.endpoint, ?denied, "permission denied");
            Err(fail(match denied {
                Denied::Unauthenticated => AppError::Unauthenticated,
                Denied::Forbidden => AppError::Forbidden,
            }))
        }
    }
}

/// Logs the detail and returns the opaque error the client may see.
pub fn internal(detail: impl Display) -> AppError {
    tracing::error!(error = %detail, "internal error");
    AppError::Internal
}

/// Sets the response status to match the error, then hands the error back.
pub fn fail(err: AppError) -> AppError {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(err.status());
    }
    err
}

/// The key of a record id as the string the browser sees.
pub fn key_string(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}
