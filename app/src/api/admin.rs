//! Account administration (三员分立): the system administrator creates, disables and resets
//! Party accounts; administrative accounts and roles are the security administrator's; no
//! one manages their own account here. Every change is written with its audit entry in one
//! transaction.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::account::{AccountInput, AccountPage, AccountQuery, IssuedPassword, OrgChoice};

/// Account administrators: names, roles and status, no personal data.
pub const LIST_ACCOUNTS: AccessRule = AccessRule {
    endpoint: "/api/list_accounts",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Accounts whose name contains the search text, 20 a page.
#[server(endpoint = "list_accounts", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_accounts(query: AccountQuery) -> Result<AccountPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_ACCOUNTS).await?;
    service::admin::list(&ctx, query).await
}

/// Account administrators: organisation names only, to assign branch roles.
pub const LIST_ORG_CHOICES: AccessRule = AccessRule {
    endpoint: "/api/list_org_choices",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::OrgStructure,
};

/// The 党总支 and 党支部 a branch role may serve on.
#[server(endpoint = "list_org_choices", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_org_choices() -> Result<Vec<OrgChoice>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_ORG_CHOICES).await?;
    service::admin::org_choices(&ctx).await
}

/// Account administrators; which roles each may give is checked against 三员分立.
pub const CREATE_ACCOUNT: AccessRule = AccessRule {
    endpoint: "/api/create_account",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Creates an account with a one-time password that must be changed at first sign-in.
#[server(endpoint = "create_account", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn create_account(input: AccountInput) -> Result<IssuedPassword, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CREATE_ACCOUNT).await?;
    service::admin::create(&ctx, input).await
}

/// Account administrators; 三员分立 checked per change.
pub const SET_ACCOUNT_ROLES: AccessRule = AccessRule {
    endpoint: "/api/set_account_roles",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Replaces an account's roles and organisations.
#[server(endpoint = "set_account_roles", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_account_roles(input: AccountInput) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SET_ACCOUNT_ROLES).await?;
    service::admin::set_roles(&ctx, input).await
}

/// Account administrators; administrative accounts only by the security administrator.
pub const SET_ACCOUNT_DISABLED: AccessRule = AccessRule {
    endpoint: "/api/set_account_disabled",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Disables an account (ending all its sessions at once) or enables it again.
#[server(endpoint = "set_account_disabled", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_account_disabled(username: String, disabled: bool) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SET_ACCOUNT_DISABLED).await?;
    service::admin::set_disabled(&ctx, &username, disabled).await
}

/// Account administrators; administrative accounts only by the security administrator.
pub const RESET_ACCOUNT_PASSWORD: AccessRule = AccessRule {
    endpoint: "/api/reset_account_password",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Issues a one-time password (to be changed at next sign-in), clears a lockout and ends
/// the account's sessions.
#[server(endpoint = "reset_account_password", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn reset_account_password(username: String) -> Result<IssuedPassword, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&RESET_ACCOUNT_PASSWORD).await?;
    service::admin::reset_password(&ctx, &username).await
}
