//! Account administration (三员分立): the system administrator creates, disables and resets
//! Party accounts; administrative accounts and roles are the security administrator's; no
//! one manages their own account here. Every change is written with its audit entry in one
//! transaction.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::error::AppError;
use crate::models::account::{AccountInput, AccountPage, AccountQuery, IssuedPassword, OrgChoice};

/// The two roles that administer accounts.
pub const ACCOUNT_ADMINS: &[Role] = &[Role::SystemAdmin, Role::SecurityAdmin];

/// Account administrators: names, roles and status, no personal data.
pub const LIST_ACCOUNTS: AccessRule = AccessRule {
    endpoint: "/api/list_accounts",
    audience: Audience::Roles(ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Accounts whose name contains the search text, 20 a page.
#[server(endpoint = "list_accounts")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_accounts(query: AccountQuery) -> Result<AccountPage, AppError> {
    use crate::models::account::ACCOUNT_PAGE_SIZE;
    use crate::server::{app_state, authorize, fail, internal, repo};
    authorize(&LIST_ACCOUNTS).await?;
    let state = app_state().map_err(fail)?;
    let page = query.page.max(1);
    let (rows, total) = repo::account::list(
        &state.db,
        &query.q.chars().take(64).collect::<String>(),
        i64::from((page - 1) * ACCOUNT_PAGE_SIZE),
        i64::from(ACCOUNT_PAGE_SIZE),
    )
    .await
    .map_err(|e| fail(internal(e)))?;
    let now = state.clock.now();
    Ok(AccountPage {
        accounts: rows
            .into_iter()
            .map(|r| server_side::summary(r, now))
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: ACCOUNT_PAGE_SIZE,
    })
}

/// Account administrators: organisation names only, to assign branch roles.
pub const LIST_ORG_CHOICES: AccessRule = AccessRule {
    endpoint: "/api/list_org_choices",
    audience: Audience::Roles(ACCOUNT_ADMINS),
    scope: DataScope::OrgStructure,
};

/// The 党总支 and 党支部 a branch role may serve on.
#[server(endpoint = "list_org_choices")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_org_choices() -> Result<Vec<OrgChoice>, AppError> {
    use crate::server::{app_state, authorize, fail, internal, key_string, repo};
    authorize(&LIST_ORG_CHOICES).await?;
    let state = app_state().map_err(fail)?;
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
    audience: Audience::Roles(ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Creates an account with a one-time password that must be changed at first sign-in.
#[server(endpoint = "create_account")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn create_account(input: AccountInput) -> Result<IssuedPassword, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::repo::account::NewAccount;
    use crate::server::{app_state, auth, authorize, commit, fail, internal, repo};
    let caller = authorize(&CREATE_ACCOUNT).await?;
    let state = app_state().map_err(fail)?;
    let username = input.username.trim().to_string();
    let display_name = input.display_name.trim().to_string();
    server_side::check_new(&username, &display_name)?;
    let orgs = server_side::checked_roles(
        &state,
        &caller,
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
        return Err(server_side::invalid(
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
        .summary(format!("roles: {}", server_side::role_list(&input.roles)));
    let change = Change::new("CREATE account CONTENT $account").bind("account", account);
    commit(&state, &caller, &event, &change).await?;
    Ok(IssuedPassword { username, password })
}

/// Account administrators; 三员分立 checked per change.
pub const SET_ACCOUNT_ROLES: AccessRule = AccessRule {
    endpoint: "/api/set_account_roles",
    audience: Audience::Roles(ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Replaces an account's roles and organisations.
#[server(endpoint = "set_account_roles")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_account_roles(input: AccountInput) -> Result<(), AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{app_state, authorize, commit, fail};
    let caller = authorize(&SET_ACCOUNT_ROLES).await?;
    let state = app_state().map_err(fail)?;
    let target = server_side::target(&state, &input.username).await?;
    let current = server_side::roles_of(&target);
    let orgs = server_side::checked_roles(
        &state,
        &caller,
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
            server_side::role_list(&current),
            server_side::role_list(&input.roles)
        ));
    let roles: Vec<String> = input.roles.iter().map(|r| r.as_str().to_string()).collect();
    let change = Change::new("UPDATE $target SET roles = $roles, orgs = $orgs")
        .bind("target", target.id)
        .bind("roles", roles)
        .bind("orgs", orgs);
    commit(&state, &caller, &event, &change).await
}

/// Account administrators; administrative accounts only by the security administrator.
pub const SET_ACCOUNT_DISABLED: AccessRule = AccessRule {
    endpoint: "/api/set_account_disabled",
    audience: Audience::Roles(ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Disables an account (ending all its sessions at once) or enables it again.
#[server(endpoint = "set_account_disabled")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_account_disabled(username: String, disabled: bool) -> Result<(), AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{app_state, authorize, commit, fail};
    let caller = authorize(&SET_ACCOUNT_DISABLED).await?;
    let state = app_state().map_err(fail)?;
    let target = server_side::target(&state, &username).await?;
    server_side::check_manage(&caller, &target, SET_ACCOUNT_DISABLED.endpoint).await?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("account", target.username.clone())
        .summary(if disabled { "disabled" } else { "enabled" });
    let change = Change::new(
        "UPDATE $target SET disabled = $disabled, failed_logins = 0, locked_until = NONE;
         IF $disabled { DELETE session WHERE account = $target };",
    )
    .bind("target", target.id)
    .bind("disabled", disabled);
    commit(&state, &caller, &event, &change).await
}

/// Account administrators; administrative accounts only by the security administrator.
pub const RESET_ACCOUNT_PASSWORD: AccessRule = AccessRule {
    endpoint: "/api/reset_account_password",
    audience: Audience::Roles(ACCOUNT_ADMINS),
    scope: DataScope::Accounts,
};

/// Issues a one-time password (to be changed at next sign-in), clears a lockout and ends
/// the account's sessions.
#[server(endpoint = "reset_account_password")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn reset_account_password(username: String) -> Result<IssuedPassword, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::server::audit::{Change, Event};
    use crate::server::{app_state, auth, authorize, commit, fail, internal};
    let caller = authorize(&RESET_ACCOUNT_PASSWORD).await?;
    let state = app_state().map_err(fail)?;
    let target = server_side::target(&state, &username).await?;
    server_side::check_manage(&caller, &target, RESET_ACCOUNT_PASSWORD.endpoint).await?;
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
    commit(&state, &caller, &event, &change).await?;
    Ok(IssuedPassword {
        username: target.username,
        password,
    })
}

#[cfg(feature = "ssr")]
mod server_side {
    use chrono::{DateTime, Utc};
    use surrealdb::types::RecordId;

    use crate::access::{Caller, Role};
    use crate::error::AppError;
    use crate::i18n::{T, detect_lang};
    use crate::models::account::{
        AccountInput, AccountRefusal, AccountSummary, is_locked, may_assign, may_manage,
        valid_username,
    };
    use crate::server::repo::account::AdminRow;
    use crate::server::{AppState, deny_record, fail, internal, key_string, repo};

    pub fn invalid(field: &str, text: T) -> AppError {
        fail(AppError::Validation {
            field: field.into(),
            message: detect_lang().t(text).into(),
        })
    }

    pub fn roles_of(row: &AdminRow) -> Vec<Role> {
        row.roles.iter().filter_map(|r| Role::parse(r)).collect()
    }

    pub fn role_list(roles: &[Role]) -> String {
        if roles.is_empty() {
            "-".into()
        } else {
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(",")
        }
    }

    pub fn summary(row: AdminRow, now: DateTime<Utc>) -> AccountSummary {
        AccountSummary {
            roles: roles_of(&row),
            orgs: row
                .orgs
                .iter()
                .map(key_string)
                .zip(row.org_names.iter().cloned())
                .collect(),
            username: row.username,
            display_name: row.display_name,
            disabled: row.disabled,
            locked: is_locked(row.locked_until, now),
            must_change_password: row.must_change_password,
            demo: row.demo,
        }
    }

    pub fn check_new(username: &str, display_name: &str) -> Result<(), AppError> {
        if !valid_username(username) {
            return Err(invalid("username", T::AccountNameRule));
        }
        if display_name.is_empty() || display_name.chars().count() > 50 {
            return Err(invalid("display_name", T::AccountDisplayNameRule));
        }
        Ok(())
    }

    pub async fn target(state: &AppState, username: &str) -> Result<AdminRow, AppError> {
        repo::account::find(&state.db, username.trim())
            .await
            .map_err(|e| fail(internal(e)))?
            .ok_or_else(|| fail(AppError::NotFound))
    }

    async fn refuse(
        caller: &Caller,
        endpoint: &str,
        target: &str,
        why: AccountRefusal,
    ) -> AppError {
        match why {
            AccountRefusal::OwnAccount | AccountRefusal::NeedsSecurityAdmin => {
                deny_record(caller, endpoint, "account", target).await
            }
            AccountRefusal::SeparationOfDuties => invalid("roles", T::AccountSeparation),
            AccountRefusal::BranchRoleNeedsOrg => invalid("orgs", T::AccountBranchNeedsOrg),
        }
    }

    pub async fn check_manage(
        caller: &Caller,
        target: &AdminRow,
        endpoint: &str,
    ) -> Result<(), AppError> {
        let actor = caller.account.as_deref().unwrap_or_default();
        match may_manage(&caller.roles, actor, &target.username, &roles_of(target)) {
            Ok(()) => Ok(()),
            Err(why) => Err(refuse(caller, endpoint, &target.username, why).await),
        }
    }

    /// Checks a role assignment and resolves its organisations (which must exist and be
    /// branches or general branches).
    pub async fn checked_roles(
        state: &AppState,
        caller: &Caller,
        endpoint: &str,
        target: &str,
        current: &[Role],
        input: &AccountInput,
    ) -> Result<Vec<RecordId>, AppError> {
        let actor = caller.account.as_deref().unwrap_or_default();
        let mut orgs: Vec<String> = input.orgs.clone();
        orgs.sort();
        orgs.dedup();
        if !input.roles.contains(&Role::BranchCommittee) {
            orgs.clear();
        }
        if let Err(why) = may_assign(
            &caller.roles,
            actor,
            target,
            current,
            &input.roles,
            orgs.len(),
        ) {
            return Err(refuse(caller, endpoint, target, why).await);
        }
        let choices = repo::account::org_choices(&state.db)
            .await
            .map_err(|e| fail(internal(e)))?;
        orgs.iter()
            .map(|key| {
                choices
                    .iter()
                    .find(|(id, _)| key_string(id) == *key)
                    .map(|(id, _)| id.clone())
                    .ok_or_else(|| invalid("orgs", T::AccountUnknownOrg))
            })
            .collect()
    }
}
