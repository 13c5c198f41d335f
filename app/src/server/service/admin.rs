//! Orchestration behind the `admin` server functions (`crate::api::admin`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use crate::access::{Caller, Role};
use crate::error::AppError;
use crate::i18n::{T, detect_lang};
use crate::models::account::{
    AccountInput, AccountRefusal, AccountSummary, is_locked, may_assign, may_manage, valid_username,
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
