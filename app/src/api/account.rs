//! Signing in and out.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::error::AppError;
use crate::models::account::{LoginInput, SessionInfo};

/// Anyone may try to sign in; the answer never says whether the account exists.
pub const LOGIN: AccessRule = AccessRule {
    endpoint: "/api/login",
    audience: Audience::Anyone,
    scope: DataScope::Own,
};

/// Checks the password (Argon2id, bounded concurrency), applies lockout, starts a new
/// session with a fresh token and sets the cookie; then sends the browser to the workbench.
#[server(endpoint = "login")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn login(input: LoginInput) -> Result<SessionInfo, AppError> {
    use crate::access::Role;
    use crate::i18n::{T, detect_lang};
    use crate::models::account::{after_failure, is_locked};
    use crate::server::{
        app_state, auth, authorize, fail, internal, repo, request_token, set_cookie,
    };

    authorize(&LOGIN)?;
    let username = input.username.trim().to_string();
    if username.is_empty() || input.password.is_empty() {
        return Err(fail(AppError::Validation {
            field: "username".into(),
            message: detect_lang().t(T::LoginMissing).into(),
        }));
    }
    let state = app_state().map_err(fail)?;
    let now = state.clock.now();
    let row = repo::account::find_for_login(&state.db, &username)
        .await
        .map_err(|e| fail(internal(e)))?;
    // Always verify, against a dummy hash when the account is missing, so timing is uniform.
    let password_ok = state
        .passwords
        .verify(
            input.password,
            row.as_ref().map(|r| r.password_hash.clone()),
        )
        .await;
    let Some(row) = row else {
        tracing::info!("login refused: unknown account");
        return Err(fail(AppError::InvalidCredentials));
    };
    if row.disabled || is_locked(row.locked_until, now) {
        tracing::info!(account = %row.username, "login refused: account locked or disabled");
        return Err(fail(AppError::InvalidCredentials));
    }
    if !password_ok {
        let failed = u32::try_from(row.failed_logins).unwrap_or(0);
        let (failed, locked_until) = after_failure(&state.policy, failed, now);
        repo::account::record_failure(&state.db, row.id, failed, locked_until)
            .await
            .map_err(|e| fail(internal(e)))?;
        if locked_until.is_some() {
            tracing::warn!(account = %row.username, "account locked after repeated failures");
        } else {
            tracing::info!(account = %row.username, "login refused: wrong password");
        }
        return Err(fail(AppError::InvalidCredentials));
    }

    // A fresh token at every sign-in: a session id planted before login is worthless.
    if let Some(old) = request_token() {
        let _ = repo::account::end_session(&state.db, &auth::token_key(&old)).await;
    }
    let token = auth::new_token().map_err(|e| fail(internal(e)))?;
    repo::account::start_session(&state.db, row.id, auth::token_key(&token), now)
        .await
        .map_err(|e| fail(internal(e)))?;
    set_cookie(auth::session_cookie(&token, state.secure_cookies));
    tracing::info!(account = %row.username, "signed in");
    leptos_axum::redirect("/workbench");
    Ok(SessionInfo {
        username: row.username,
        display_name: row.display_name,
        roles: row.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        must_change_password: row.must_change_password,
    })
}

/// Anyone: signing out of no session is harmless.
pub const LOGOUT: AccessRule = AccessRule {
    endpoint: "/api/logout",
    audience: Audience::Anyone,
    scope: DataScope::Own,
};

/// Ends the session on the server and clears the cookie.
#[server(endpoint = "logout")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{
        app_state, auth, authorize, fail, internal, repo, request_token, set_cookie,
    };
    authorize(&LOGOUT)?;
    let state = app_state().map_err(fail)?;
    if let Some(token) = request_token() {
        repo::account::end_session(&state.db, &auth::token_key(&token))
            .await
            .map_err(|e| fail(internal(e)))?;
    }
    set_cookie(auth::clear_session_cookie(state.secure_cookies));
    leptos_axum::redirect("/login");
    Ok(())
}

/// Anyone: a visitor simply gets `None`.
pub const GET_SESSION: AccessRule = AccessRule {
    endpoint: "/api/get_session",
    audience: Audience::Anyone,
    scope: DataScope::Own,
};

/// Who is signed in, if anyone.
#[server(endpoint = "get_session")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_session() -> Result<Option<SessionInfo>, AppError> {
    use crate::server::{authorize, current_caller};
    authorize(&GET_SESSION)?;
    let caller = current_caller();
    Ok(caller.account.clone().map(|username| SessionInfo {
        username,
        display_name: caller.display_name.clone(),
        roles: caller.roles.clone(),
        must_change_password: caller.must_change_password,
    }))
}
