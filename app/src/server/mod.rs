//! Everything that touches the database. Compiled only with the `ssr` feature.

pub mod auth;
pub mod demo;
pub mod repo;

use std::fmt::Display;
use std::sync::Arc;

use leptos::prelude::*;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::types::{RecordId, RecordIdKey};

use crate::access::{self, AccessRule, Caller, Denied};
use crate::error::AppError;
use crate::models::account::AuthPolicy;
use auth::{Clock, Passwords};

pub type Db = Surreal<Any>;

/// Shared state handed to every request through Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub passwords: Passwords,
    pub policy: AuthPolicy,
    /// Mark cookies `Secure` (the platform is served over TLS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        AppState {
            db,
            clock,
            passwords: Passwords::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            policy: AuthPolicy::default(),
            secure_cookies: false,
        }
    }
}

/// The caller of the current request, as resolved from its session cookie.
pub fn current_caller() -> Caller {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned())
        .unwrap_or_else(Caller::visitor)
}

/// The state in context, or an internal error if the server was wired wrongly.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))
}

/// Checks the caller against a server function's rule; a refusal is logged and sets the
/// response status.
pub fn authorize(rule: &AccessRule) -> Result<Caller, AppError> {
    let caller = current_caller();
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

/// The session token the current request carries, if any.
pub fn request_token() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(auth::token_from_cookies)
    })
}

/// Adds a `Set-Cookie` header to the current response.
pub fn set_cookie(value: String) {
    if let (Some(opts), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        opts.append_header(http::header::SET_COOKIE, value);
    }
}

/// Logs the detail and returns the opaque error the client may see.
pub fn internal(detail: impl Display) -> AppError {
    tracing::error!(error = %detail, "internal error");
    AppError::Internal
}

/// Sets the response status to match the error, then hands the error back.
pub fn fail(err: AppError) -> AppError {
    crate::routes::set_page_status(err.status());
    err
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a text, as lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(text.as_bytes()))
}

/// The key of a record id as the string the browser sees.
pub fn key_string(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}
