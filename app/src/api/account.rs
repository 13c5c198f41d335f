//! Signing in and out.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::error::AppError;
use crate::models::account::{LoginInput, PasswordChange, SessionInfo};

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
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Actor, Event};
    use crate::server::{auth, begin, fail, internal, record_as, repo, request_token, set_cookie};

    let ctx = begin(&LOGIN).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let username = input.username.trim().to_string();
    if username.is_empty() || input.password.is_empty() {
        return Err(fail(AppError::Validation {
            field: "username".into(),
            message: detect_lang().t(T::LoginMissing).into(),
        }));
    }
    let now = state.clock.now();
    // The name tried is recorded as the actor; roles are filled in once it is known.
    let mut actor = Actor {
        name: username.clone(),
        roles: Vec::new(),
        address: caller.address.clone(),
    };
    let refused = |summary: &'static str| {
        Event::new(action::LOGIN, Outcome::Failure)
            .on("account", "")
            .summary(summary)
    };
    if state.addresses.blocked(&caller.address, &state.policy, now) {
        tracing::warn!(address = %caller.address, "sign-in refused: too many failures from this address");
        record_as(state, &actor, &refused("address limit reached")).await;
        return Err(fail(AppError::TooManyAttempts));
    }
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
        state.addresses.failed(&caller.address, &state.policy, now);
        record_as(state, &actor, &refused("unknown account")).await;
        return Err(fail(AppError::InvalidCredentials));
    };
    actor.roles = row.roles.clone();
    let account_id = crate::server::key_string(&row.id);
    if row.disabled || is_locked(row.locked_until, now) {
        tracing::info!(account = %row.username, "login refused: account locked or disabled");
        state.addresses.failed(&caller.address, &state.policy, now);
        let why = if row.disabled {
            "account disabled"
        } else {
            "account locked"
        };
        record_as(state, &actor, &refused(why).on("account", account_id)).await;
        return Err(fail(AppError::InvalidCredentials));
    }
    if !password_ok {
        state.addresses.failed(&caller.address, &state.policy, now);
        let failed = u32::try_from(row.failed_logins).unwrap_or(0);
        let (failed, locked_until) = after_failure(&state.policy, failed, now);
        repo::account::record_failure(&state.db, row.id, failed, locked_until)
            .await
            .map_err(|e| fail(internal(e)))?;
        record_as(
            state,
            &actor,
            &refused("wrong password").on("account", account_id.clone()),
        )
        .await;
        if let Some(until) = locked_until {
            tracing::warn!(account = %row.username, "account locked after repeated failures");
            let lock = Event::new(action::LOCKOUT, Outcome::Success)
                .on("account", account_id)
                .summary(format!("locked until {until}"));
            record_as(state, &actor, &lock).await;
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
    let must_change_password = crate::models::account::password_change_due(
        &state.policy,
        row.must_change_password,
        row.demo,
        row.password_changed_at,
        now,
    );
    let ok = Event::new(action::LOGIN, Outcome::Success).on("account", account_id);
    record_as(state, &actor, &ok).await;
    leptos_axum::redirect(if must_change_password {
        "/account/password"
    } else {
        "/workbench"
    });
    Ok(SessionInfo {
        username: row.username,
        display_name: row.display_name,
        roles: row.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        must_change_password,
        member: None,
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
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::Event;
    use crate::server::{auth, begin, fail, internal, record, repo, request_token, set_cookie};
    let ctx = begin(&LOGOUT).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    if let Some(token) = request_token() {
        repo::account::end_session(&state.db, &auth::token_key(&token))
            .await
            .map_err(|e| fail(internal(e)))?;
    }
    if caller.account.is_some() {
        record(state, caller, &Event::new(action::LOGOUT, Outcome::Success)).await;
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
    use crate::server::begin;
    let ctx = begin(&GET_SESSION).await?;
    let caller = &ctx.caller;
    Ok(caller.account.clone().map(|username| SessionInfo {
        username,
        display_name: caller.display_name.clone(),
        roles: caller.roles.clone(),
        must_change_password: caller.must_change_password,
        member: caller.member.clone(),
    }))
}

/// Any signed-in account, for its own password only; the one call (besides open ones) an
/// account that must change its password may make.
pub const CHANGE_PASSWORD: AccessRule = AccessRule {
    endpoint: crate::access::PASSWORD_CHANGE_ENDPOINT,
    audience: Audience::SignedIn,
    scope: DataScope::Own,
};

/// Changes the caller's own password after checking the current one, and ends the
/// account's other sessions.
#[server(endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn change_password(input: PasswordChange) -> Result<(), AppError> {
    use crate::i18n::T;
    use crate::models::account::{PasswordProblem, check_password};
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{auth, begin, commit, fail, internal, record, repo, request_token};
    let ctx = begin(&CHANGE_PASSWORD).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let invalid = |field: &str, text: T| {
        fail(AppError::Validation {
            field: field.into(),
            message: lang.t(text).into(),
        })
    };
    let username = caller.account.clone().unwrap_or_default();
    let row = repo::account::find_for_login(&state.db, &username)
        .await
        .map_err(|e| fail(internal(e)))?
        .ok_or_else(|| fail(AppError::Unauthenticated))?;
    if input.new_password != input.confirm {
        return Err(invalid("confirm", T::PasswordMismatch));
    }
    let with_number = |message: String| {
        fail(AppError::Validation {
            field: "new_password".into(),
            message,
        })
    };
    match check_password(&state.policy, &username, &input.new_password) {
        Ok(()) => {}
        Err(PasswordProblem::TooShort) => {
            return Err(with_number(
                lang.t(T::PasswordTooShort(state.policy.min_password_len)),
            ));
        }
        Err(PasswordProblem::TooFewClasses) => {
            return Err(with_number(
                lang.t(T::PasswordTooFewClasses(state.policy.min_password_classes)),
            ));
        }
        Err(PasswordProblem::SameAsUsername) => {
            return Err(invalid("new_password", T::PasswordSameAsUsername));
        }
    }
    if input.new_password == input.current {
        return Err(invalid("new_password", T::PasswordUnchanged));
    }
    let account_id = crate::server::key_string(&row.id);
    if !state
        .passwords
        .verify(input.current, Some(row.password_hash.clone()))
        .await
    {
        let event = Event::new(action::PASSWORD_CHANGE, Outcome::Failure)
            .on("account", account_id)
            .summary("current password wrong");
        record(state, caller, &event).await;
        return Err(invalid("current", T::PasswordCurrentWrong));
    }
    let hash = state
        .passwords
        .hash(input.new_password)
        .await
        .map_err(|e| fail(internal(e)))?;
    let keep = request_token()
        .map(|t| auth::token_key(&t))
        .unwrap_or_default();
    let event = Event::new(action::PASSWORD_CHANGE, Outcome::Success)
        .on("account", account_id)
        .summary("other sessions ended");
    let change = Change::new(
        "UPDATE $target SET password_hash = $hash, must_change_password = false,
             password_changed_at = $now;
         DELETE session WHERE account = $target AND id != type::record('session', $keep);",
    )
    .bind("target", row.id)
    .bind("hash", hash)
    .bind("now", state.clock.now())
    .bind("keep", keep);
    commit(state, caller, &event, &change).await?;
    leptos_axum::redirect("/workbench");
    Ok(())
}
