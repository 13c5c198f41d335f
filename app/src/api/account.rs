//! Signing in and out.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
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
#[server(endpoint = "login", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn login(input: LoginInput) -> Result<SessionInfo, AppError> {
    use crate::server::{auth, begin, service, set_cookie};
    let ctx = begin(&LOGIN).await?;
    let typed = input.username.trim().to_string();
    let result = service::account::login(&ctx, input).await;
    // A refused plain form post comes back as a new page: it finds the name typed here.
    let kept = result.is_err().then_some(typed.as_str());
    set_cookie(auth::typed_username_cookie(kept, ctx.state.secure_cookies));
    result
}

/// Anyone: signing out of no session is harmless.
pub const LOGOUT: AccessRule = AccessRule {
    endpoint: "/api/logout",
    audience: Audience::Anyone,
    scope: DataScope::Own,
};

/// Ends the session on the server and clears the cookie.
#[server(endpoint = "logout", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LOGOUT).await?;
    service::account::logout(&ctx).await
}

/// Anyone: a visitor simply gets `None`.
pub const GET_SESSION: AccessRule = AccessRule {
    endpoint: "/api/get_session",
    audience: Audience::Anyone,
    scope: DataScope::Own,
};

/// Who is signed in, if anyone.
#[server(endpoint = "get_session", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_session() -> Result<Option<SessionInfo>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_SESSION).await?;
    service::account::session(&ctx).await
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
#[server(endpoint = "change_password", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn change_password(input: PasswordChange) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CHANGE_PASSWORD).await?;
    service::account::change_password(&ctx, input).await
}
