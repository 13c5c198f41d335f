//! Resolves the caller of every request from its session cookie.
//!
//! A live session puts a [`Caller`] into the request's extensions, where server functions
//! and pages read it; an expired one (idle or too old) is deleted. Activity is written at
//! most once a minute per session so reading pages does not turn into a write per request.

use app::access::{Caller, Role};
use app::models::account::session_alive;
use app::server::auth::{token_from_cookies, token_key};
use app::server::{AppState, key_string, repo};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Duration;

pub async fn resolve_caller(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(token_from_cookies);
    if let Some(token) = token {
        if let Some(caller) = caller_for(&state, &token_key(&token)).await {
            req.extensions_mut().insert(caller);
        }
    }
    next.run(req).await
}

async fn caller_for(state: &AppState, key: &str) -> Option<Caller> {
    let row = match repo::account::session(&state.db, key).await {
        Ok(row) => row?,
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return None;
        }
    };
    let now = state.clock.now();
    if row.disabled || !session_alive(&state.policy, row.created_at, row.last_seen, now) {
        let _ = repo::account::end_session(&state.db, key).await;
        return None;
    }
    if now - row.last_seen >= Duration::minutes(1) {
        if let Err(e) = repo::account::touch_session(&state.db, key, now).await {
            tracing::warn!(error = %e, "could not record session activity");
        }
    }
    Some(Caller {
        account: Some(row.username),
        display_name: row.display_name,
        roles: row.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        orgs: row.orgs.iter().map(key_string).collect(),
        must_change_password: row.must_change_password,
    })
}
