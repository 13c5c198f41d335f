//! Orchestration behind the `account` server functions (`crate::api::account`): signing
//! in and out, the session, the caller's own password.

use crate::access::Role;
use crate::error::AppError;
use crate::i18n::T;
use crate::models::account::{
    LoginInput, PasswordChange, PasswordProblem, SessionInfo, after_failure, check_password,
    is_locked, password_change_due,
};
use crate::models::audit::{Outcome, action};
use crate::server::audit::{Actor, Event};
use crate::server::{
    Ctx, auth, db_error, fail, internal, invalid, key_string, record_as, repo, request_token,
    set_cookie,
};

/// Checks the password (always, against a dummy hash for an unknown name, so timing is
/// uniform), applies the address limit and the account lockout, starts a new session with
/// a fresh token, sets the cookie and sends the browser on. Every outcome is recorded.
pub async fn login(ctx: &Ctx, input: LoginInput) -> Result<SessionInfo, AppError> {
    let (caller, state) = (&ctx.caller, &ctx.state);
    let username = input.username.trim().to_string();
    if username.is_empty() || input.password.is_empty() {
        return Err(invalid("username", ctx.lang.t(T::LoginMissing).into()));
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
        .map_err(db_error)?;
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
    let account_id = key_string(&row.id);
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
            .map_err(db_error)?;
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
        let key = auth::token_key(&old);
        let _ = repo::account::end_session(&state.db, &key).await;
        state.sessions.forget(&key);
    }
    let token = auth::new_token().map_err(|e| fail(internal(e)))?;
    repo::account::start_session(&state.db, row.id, auth::token_key(&token), now)
        .await
        .map_err(db_error)?;
    set_cookie(auth::session_cookie(&token, state.secure_cookies));
    tracing::info!(account = %row.username, "signed in");
    let must_change_password = password_change_due(
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
        unread: 0,
        issues_tasks: false,
    })
}

/// Ends the request's session on the server, clears the cookie and sends the browser to
/// the sign-in page.
pub async fn logout(ctx: &Ctx) -> Result<(), AppError> {
    let state = &ctx.state;
    if let Some(token) = request_token() {
        let key = auth::token_key(&token);
        repo::account::end_session(&state.db, &key)
            .await
            .map_err(db_error)?;
        state.sessions.forget(&key);
    }
    if ctx.caller.account.is_some() {
        ctx.record(&Event::new(action::LOGOUT, Outcome::Success))
            .await;
    }
    set_cookie(auth::clear_session_cookie(state.secure_cookies));
    leptos_axum::redirect("/login");
    Ok(())
}

/// Who is signed in, if anyone, with the number of unread notifications (the bell).
pub async fn session(ctx: &Ctx) -> Result<Option<SessionInfo>, AppError> {
    let caller = &ctx.caller;
    let Some(username) = caller.account.clone() else {
        return Ok(None);
    };
    // Every management page shows the bell's count: held until a notification changes.
    let state = &ctx.state;
    let unread = *state
        .unread
        .get(
            &state.notices,
            username.clone(),
            crate::server::repo::notification::unread(&state.db, &username),
        )
        .await
        .map_err(db_error)?;
    Ok(Some(SessionInfo {
        username,
        display_name: caller.display_name.clone(),
        roles: caller.roles.clone(),
        must_change_password: caller.must_change_password,
        member: caller.member.clone(),
        unread: u32::try_from(unread).unwrap_or(0),
        issues_tasks: crate::server::service::assessment::issues_tasks(ctx).await?,
    }))
}

/// Changes the caller's own password after checking the current one and the password
/// rules, and ends the account's other sessions.
pub async fn change_password(ctx: &Ctx, input: PasswordChange) -> Result<(), AppError> {
    let (caller, state, lang) = (&ctx.caller, &ctx.state, ctx.lang);
    let refuse = |field: &str, text: T| invalid(field, lang.t(text).into());
    let username = caller.account.clone().unwrap_or_default();
    let row = repo::account::find_for_login(&state.db, &username)
        .await
        .map_err(db_error)?
        .ok_or_else(|| fail(AppError::Unauthenticated))?;
    if input.new_password != input.confirm {
        return Err(refuse("confirm", T::PasswordMismatch));
    }
    let with_number = |message: String| invalid("new_password", message);
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
            return Err(refuse("new_password", T::PasswordSameAsUsername));
        }
    }
    if input.new_password == input.current {
        return Err(refuse("new_password", T::PasswordUnchanged));
    }
    let account_id = key_string(&row.id);
    if !state
        .passwords
        .verify(input.current, Some(row.password_hash.clone()))
        .await
    {
        let event = Event::new(action::PASSWORD_CHANGE, Outcome::Failure)
            .on("account", account_id)
            .summary("current password wrong");
        ctx.record(&event).await;
        return Err(refuse("current", T::PasswordCurrentWrong));
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
    let change = repo::account::change_password(row.id, hash, state.clock.now(), keep);
    ctx.commit(&event, &change).await?;
    leptos_axum::redirect("/workbench");
    Ok(())
}
