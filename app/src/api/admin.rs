//! Account administration (三员分立): the system administrator creates, disables and resets
//! Party accounts; administrative accounts and roles are the security administrator's; no
//! one manages their own account here. Every change is written with its audit entry in one
//! transaction.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::error::AppError;
use crate::models::account::{AccountInput, AccountPage, AccountQuery, IssuedPassword, OrgChoice};

/// Account administrators: names, roles and status, no personal data.
pub const LIST_ACCOUNTS: AccessRule = AccessRule {
    endpoint: "/api/list_accounts",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Accounts whose name contains the search text, 20 a page.
#[server(endpoint = "list_accounts")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_accounts(query: AccountQuery) -> Result<AccountPage, AppError> {
    use crate::models::account::ACCOUNT_PAGE_SIZE;
    use crate::server::{begin, fail, internal, repo};
    let ctx = begin(&LIST_ACCOUNTS).await?;
    let state = &ctx.state;
    let page = query.page.max(1);
    let (rows, total) = repo::account::list(
        &state.db,
        &query.q.chars().take(64).collect::<String>(),
        crate::models::page_start(page, ACCOUNT_PAGE_SIZE),
        i64::from(ACCOUNT_PAGE_SIZE),
    )
    .await
    .map_err(|e| fail(internal(e)))?;
    let now = state.clock.now();
    Ok(AccountPage {
        accounts: rows
            .into_iter()
            .map(|r| crate::server::service::admin::summary(r, now))
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: ACCOUNT_PAGE_SIZE,
    })
}

/// Account administrators: organisation names only, to assign branch roles.
pub const LIST_ORG_CHOICES: AccessRule = AccessRule {
    endpoint: "/api/list_org_choices",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::OrgStructure,
};

/// The 党总支 and 党支部 a branch role may serve on.
#[server(endpoint = "list_org_choices")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_org_choices() -> Result<Vec<OrgChoice>, AppError> {
    use crate::server::{begin, fail, internal, key_string, repo};
    let ctx = begin(&LIST_ORG_CHOICES).await?;
    let state = &ctx.state;
    let rows = repo::account::org_choices(&state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| OrgChoice {
            id: key_string(&id),
            name,
        })
        .collect())
}

/// Account administrators; which roles each may give is checked against 三员分立.
pub const CREATE_ACCOUNT: AccessRule = AccessRule {
    endpoint: "/api/create_account",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Creates an account with a one-time password that must be changed at first sign-in.
#[server(endpoint = "create_account")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn create_account(input: AccountInput) -> Result<IssuedPassword, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::repo::account::NewAccount;
    use crate::server::{auth, begin, commit, fail, internal, repo};
    let ctx = begin(&CREATE_ACCOUNT).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let username = input.username.trim().to_string();
    let display_name = input.display_name.trim().to_string();
    crate::server::service::admin::check_new(&username, &display_name)?;
    let orgs = crate::server::service::admin::checked_roles(
        state,
        caller,
        CREATE_ACCOUNT.endpoint,
        &username,
        &[],
        &input,
    )
    .await?;
    if repo::account::find(&state.db, &username)
        .await
        .map_err(|e| fail(internal(e)))?
        .is_some()
    {
        return Err(crate::server::service::admin::invalid(
            "username",
            crate::i18n::T::AccountTaken,
        ));
    }
    let password =
        auth::temporary_password(&state.policy, &username).map_err(|e| fail(internal(e)))?;
    let hash = state
        .passwords
        .hash(password.clone())
        .await
        .map_err(|e| fail(internal(e)))?;
    let account = NewAccount {
        username: username.clone(),
        display_name,
        password_hash: hash,
        roles: input.roles.iter().map(|r| r.as_str().to_string()).collect(),
        orgs,
        member: None,
        must_change_password: true,
        demo: false,
        password_changed_at: state.clock.now(),
    };
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("account", username.clone())
        .summary(format!(
            "roles: {}",
            crate::server::service::admin::role_list(&input.roles)
        ));
    let change = Change::new("CREATE account CONTENT $account").bind("account", account);
    commit(state, caller, &event, &change).await?;
    Ok(IssuedPassword { username, password })
}

/// Account administrators; 三员分立 checked per change.
pub const SET_ACCOUNT_ROLES: AccessRule = AccessRule {
    endpoint: "/api/set_account_roles",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Replaces an account's roles and organisations.
#[server(endpoint = "set_account_roles")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_account_roles(input: AccountInput) -> Result<(), AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, commit};
    let ctx = begin(&SET_ACCOUNT_ROLES).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let target = crate::server::service::admin::target(state, &input.username).await?;
    let current = crate::server::service::admin::roles_of(&target);
    let orgs = crate::server::service::admin::checked_roles(
        state,
        caller,
        SET_ACCOUNT_ROLES.endpoint,
        &target.username,
        &current,
        &input,
    )
    .await?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("account", target.username.clone())
        .summary(format!(
            "roles: {} -> {}",
            crate::server::service::admin::role_list(&current),
            crate::server::service::admin::role_list(&input.roles)
        ));
    let roles: Vec<String> = input.roles.iter().map(|r| r.as_str().to_string()).collect();
    let change = Change::new("UPDATE $target SET roles = $roles, orgs = $orgs")
        .bind("target", target.id)
        .bind("roles", roles)
        .bind("orgs", orgs);
    commit(state, caller, &event, &change).await
}

/// Account administrators; administrative accounts only by the security administrator.
pub const SET_ACCOUNT_DISABLED: AccessRule = AccessRule {
    endpoint: "/api/set_account_disabled",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Disables an account (ending all its sessions at once) or enables it again.
#[server(endpoint = "set_account_disabled")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_account_disabled(username: String, disabled: bool) -> Result<(), AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, commit};
    let ctx = begin(&SET_ACCOUNT_DISABLED).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let target = crate::server::service::admin::target(state, &username).await?;
    crate::server::service::admin::check_manage(caller, &target, SET_ACCOUNT_DISABLED.endpoint)
        .await?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("account", target.username.clone())
        .summary(if disabled { "disabled" } else { "enabled" });
    let change = Change::new(
        "UPDATE $target SET disabled = $disabled, failed_logins = 0, locked_until = NONE;
         IF $disabled { DELETE session WHERE account = $target };",
    )
    .bind("target", target.id)
    .bind("disabled", disabled);
    commit(state, caller, &event, &change).await
}

/// Account administrators; administrative accounts only by the security administrator.
pub const RESET_ACCOUNT_PASSWORD: AccessRule = AccessRule {
    endpoint: "/api/reset_account_password",
    audience: Audience::Roles(crate::access::roles::ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Issues a one-time password (to be changed at next sign-in), clears a lockout and ends
/// the account's sessions.
#[server(endpoint = "reset_account_password")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn reset_account_password(username: String) -> Result<IssuedPassword, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{auth, begin, commit, fail, internal};
    let ctx = begin(&RESET_ACCOUNT_PASSWORD).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let target = crate::server::service::admin::target(state, &username).await?;
    crate::server::service::admin::check_manage(caller, &target, RESET_ACCOUNT_PASSWORD.endpoint)
        .await?;
    let password =
        auth::temporary_password(&state.policy, &target.username).map_err(|e| fail(internal(e)))?;
    let hash = state
        .passwords
        .hash(password.clone())
        .await
        .map_err(|e| fail(internal(e)))?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("account", target.username.clone())
        .summary("password reset by administrator");
    let change = Change::new(
        "UPDATE $target SET password_hash = $hash, must_change_password = true,
             password_changed_at = $now, failed_logins = 0, locked_until = NONE;
         DELETE session WHERE account = $target;",
    )
    .bind("target", target.id)
    .bind("hash", hash)
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await?;
    Ok(IssuedPassword {
        username: target.username,
        password,
    })
}
