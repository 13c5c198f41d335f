//! Resolves the caller of every request from its session cookie.
//!
//! A live session puts a [`Caller`] into the request's extensions, where server functions
//! and pages read it; an expired one (idle or too old) is deleted. Activity is written at
//! most once a minute per session so reading pages does not turn into a write per request,
//! and the session itself comes from memory while that is safe (`app::server::sessions`).

use app::access::{Caller, Role};
use app::models::account::{password_change_due, session_alive};
use app::server::auth::{device_from_cookies, token_from_cookies, token_key};
use app::server::repo::account::SessionRow;
use app::server::sessions::Source;
use app::server::{AppState, key_string, repo};
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Duration;

/// Whether to take the client address from `X-Forwarded-For` (a trusted proxy in front).
#[derive(Clone, Copy)]
pub struct TrustForwardedFor(pub bool);

pub async fn resolve_caller(
    State((state, trust)): State<(AppState, TrustForwardedFor)>,
    mut req: Request,
    next: Next,
) -> Response {
    let address = client_address(&req, trust.0);
    let cookies = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok());
    let token = cookies.and_then(token_from_cookies);
    let caller = match token {
        Some(token) => caller_for(&state, &token_key(&token)).await,
        None => None,
    };
    // No person signed in: perhaps a meeting-room tablet.
    let caller = match (caller, cookies.and_then(device_from_cookies)) {
        (None, Some(device)) => device_caller(&state, &token_key(&device)).await,
        (caller, _) => caller,
    };
    let mut caller = caller.unwrap_or_else(Caller::visitor);
    caller.address = address;
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The peer address, or the last `X-Forwarded-For` entry when a trusted proxy adds it.
/// Sends a visitor to sign in, and an account that must change its password to do so,
/// from every page of the management area before it is rendered (GET and HEAD only: server
/// functions and downloads refuse on their own). The layout relies on it to draw its page
/// at once (`app::routes::MANAGEMENT_AREAS`). Runs after [`resolve_caller`].
pub async fn gate_management(req: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let page = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) && app::routes::is_management_path(req.uri().path());
    if page {
        let caller = req.extensions().get::<Caller>();
        let to = match caller {
            Some(c) if c.account.is_some() => (c.must_change_password
                && req.uri().path() != app::components::layout::PASSWORD_PATH)
                .then_some(app::components::layout::PASSWORD_PATH),
            _ => Some("/login"),
        };
        if let Some(to) = to {
            return (
                axum::http::StatusCode::FOUND,
                [(header::LOCATION, to), (header::CACHE_CONTROL, "no-store")],
            )
                .into_response();
        }
    }
    next.run(req).await
}

fn client_address(req: &Request, trust_forwarded_for: bool) -> String {
    let forwarded = trust_forwarded_for
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 64);
    forwarded
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

async fn caller_for(state: &AppState, key: &str) -> Option<Caller> {
    let found = match state.sessions.get(&state.db, key).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            return None;
        }
    };
    let (mut row, source) = found?;
    let now = state.clock.now();
    let valid = |row: &SessionRow| {
        !row.disabled && session_alive(&state.policy, row.created_at, row.last_seen, now)
    };
    if !valid(&row) && source == Source::Memory {
        // Another server may have recorded activity this copy does not show: ask the
        // database before ending the session.
        row = match state.sessions.load(&state.db, key).await {
            Ok(Some(row)) => row,
            Ok(None) => return None,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return None;
            }
        };
    }
    if !valid(&row) {
        let _ = repo::account::end_session(&state.db, key).await;
        state.sessions.forget(key);
        return None;
    }
    if now - row.last_seen >= Duration::minutes(1) {
        match repo::account::touch_session(&state.db, key, now).await {
            Ok(()) => state.sessions.touched(key, now),
            Err(e) => tracing::warn!(error = %e, "could not record session activity"),
        }
    }
    Some(Caller {
        account: Some(row.username),
        display_name: row.display_name,
        roles: row.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        orgs: row.orgs.iter().map(key_string).collect(),
        member: row.member.as_ref().map(key_string),
        member_org: row.member_org.as_ref().map(key_string),
        must_change_password: password_change_due(
            &state.policy,
            row.must_change_password,
            row.demo,
            row.password_changed_at,
            now,
        ),
        address: String::new(),
        device: None,
        room: None,
        device_credential: None,
    })
}

/// A meeting-room tablet, from its device token: held in memory like a session
/// (`DeviceCache`), so a revoked tablet (its record deleted) is refused at once on every
/// server. Activity is written at most once a minute.
async fn device_caller(state: &AppState, key: &str) -> Option<Caller> {
    let device = match state.devices.get(&state.db, key).await {
        Ok(found) => found?,
        Err(e) => {
            tracing::error!(error = %e, "device lookup failed");
            return None;
        }
    };
    let now = state.clock.now();
    let waiting = device.room.is_none();
    if waiting && device.code_until.is_none_or(|until| until <= now) {
        // A pairing code that ran out opens nothing; the tablet asks for a new one.
        return None;
    }
    if device
        .last_seen
        .is_none_or(|seen| now - seen >= Duration::minutes(1))
    {
        // Bookkeeping the tablet's request need not wait for (a sign-in is answered
        // without it): written beside it, and held here at once so the next request does
        // not write it again (the change notification then forgets the held row).
        state.devices.update(key, |d| d.last_seen = Some(now));
        let (db, id) = (state.db.clone(), device.id.clone());
        tokio::spawn(async move {
            if let Err(e) = repo::room::touch_device(&db, id, now).await {
                tracing::warn!(error = %e, "could not record tablet activity");
            }
        });
    }
    Some(Caller {
        display_name: String::new(),
        device: Some(key_string(&device.id)),
        room: device.room.as_ref().map(key_string),
        device_credential: Some(key.to_string()),
        ..Caller::default()
    })
}
