//! Orchestration behind the `admin` server functions (`crate::api::admin`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use crate::access::{Caller, Role};
use crate::error::AppError;
use crate::i18n::{T, detect_lang};
use crate::models::account::{
    ACCOUNT_PAGE_SIZE, AccountInput, AccountPage, AccountQuery, AccountRefusal, AccountSummary,
    IssuedPassword, OrgChoice, is_locked, may_assign, may_manage, valid_username,
};
use crate::models::audit::{Outcome, action};
use crate::server::audit::Event;
use crate::server::repo::account::{AdminRow, NewAccount};
use crate::server::{AppState, Ctx, auth, db_error, deny_record, fail, internal, key_string, repo};

/// Accounts whose name contains the search text, one page.
pub async fn list(ctx: &Ctx, query: AccountQuery) -> Result<AccountPage, AppError> {
    let page = query.page.max(1);
    let (rows, total) = repo::account::list(
        &ctx.state.db,
        &query.q.chars().take(64).collect::<String>(),
        crate::models::page_start(page, ACCOUNT_PAGE_SIZE),
        i64::from(ACCOUNT_PAGE_SIZE),
    )
    .await
    .map_err(db_error)?;
    let now = ctx.state.clock.now();
    Ok(AccountPage {
        accounts: rows.into_iter().map(|r| summary(r, now)).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: ACCOUNT_PAGE_SIZE,
    })
}

/// The 党总支 and 党支部 a branch role may serve on.
pub async fn org_choices(ctx: &Ctx) -> Result<Vec<OrgChoice>, AppError> {
    let rows = repo::account::org_choices(&ctx.state.db)
        .await
        .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| OrgChoice {
            id: key_string(&id),
            name,
        })
        .collect())
}

/// Creates an account with a one-time password that must be changed at first sign-in.
pub async fn create(ctx: &Ctx, input: AccountInput) -> Result<IssuedPassword, AppError> {
    let (caller, state) = (&ctx.caller, &ctx.state);
    let username = input.username.trim().to_string();
    let display_name = input.display_name.trim().to_string();
    check_new(&username, &display_name)?;
    let orgs = checked_roles(state, caller, ctx.rule.endpoint, &username, &[], &input).await?;
    if repo::account::find(&state.db, &username)
        .await
        .map_err(db_error)?
        .is_some()
    {
        return Err(invalid("username", T::AccountTaken));
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
        .summary(format!("roles: {}", role_list(&input.roles)));
    ctx.commit(&event, &repo::account::create(account)).await?;
    Ok(IssuedPassword { username, password })
}

/// Replaces an account's roles and organisations, as 三员分立 allows.
pub async fn set_roles(ctx: &Ctx, input: AccountInput) -> Result<(), AppError> {
    let (caller, state) = (&ctx.caller, &ctx.state);
    let target = target(state, &input.username).await?;
    let current = roles_of(&target);
    let orgs = checked_roles(
        state,
        caller,
        ctx.rule.endpoint,
        &target.username,
        &current,
        &input,
    )
    .await?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("account", target.username.clone())
        .summary(format!(
            "roles: {} -> {}",
            role_list(&current),
            role_list(&input.roles)
        ));
    let roles: Vec<String> = input.roles.iter().map(|r| r.as_str().to_string()).collect();
    ctx.commit(&event, &repo::account::set_roles(target.id, roles, orgs))
        .await
}

/// Disables an account (ending all its sessions at once) or enables it again.
pub async fn set_disabled(ctx: &Ctx, username: &str, disabled: bool) -> Result<(), AppError> {
    let target = target(&ctx.state, username).await?;
    check_manage(&ctx.caller, &target, ctx.rule.endpoint).await?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("account", target.username.clone())
        .summary(if disabled { "disabled" } else { "enabled" });
    ctx.commit(&event, &repo::account::set_disabled(target.id, disabled))
        .await
}

/// Issues a one-time password, clears a lockout and ends the account's sessions.
pub async fn reset_password(ctx: &Ctx, username: &str) -> Result<IssuedPassword, AppError> {
    let state = &ctx.state;
    let target = target(state, username).await?;
    check_manage(&ctx.caller, &target, ctx.rule.endpoint).await?;
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
    let change = repo::account::reset_password(target.id, hash, state.clock.now());
    ctx.commit(&event, &change).await?;
    Ok(IssuedPassword {
        username: target.username,
        password,
    })
}

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

async fn refuse(caller: &Caller, endpoint: &str, target: &str, why: AccountRefusal) -> AppError {
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
