//! SurrealQL for accounts and sessions.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::server::Db;
use crate::server::audit::Change;

/// What the login check needs about an account.
#[derive(Debug, SurrealValue)]
pub struct LoginRow {
    pub id: RecordId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub must_change_password: bool,
    pub demo: bool,
    pub password_changed_at: DateTime<Utc>,
    pub password_hash: String,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

/// A session joined with its account.
#[derive(Clone, Debug, SurrealValue)]
pub struct SessionRow {
    pub account: RecordId,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub orgs: Vec<RecordId>,
    pub member: Option<RecordId>,
    pub member_org: Option<RecordId>,
    pub must_change_password: bool,
    pub demo: bool,
    pub password_changed_at: DateTime<Utc>,
    pub disabled: bool,
}

/// A new account (demo data and, later, administrators).
#[derive(Clone, Debug, SurrealValue)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<String>,
    pub orgs: Vec<RecordId>,
    pub member: Option<RecordId>,
    pub must_change_password: bool,
    /// Demo accounts only (demo mode): exempt from forced password changes.
    pub demo: bool,
    pub password_changed_at: DateTime<Utc>,
}

#[tracing::instrument(skip(db))]
pub async fn find_for_login(db: &Db, username: &str) -> surrealdb::Result<Option<LoginRow>> {
    let mut res = db
        .query(
            "SELECT id, username, display_name, roles, must_change_password, demo,
                    password_changed_at, password_hash, disabled, failed_logins, locked_until
             FROM account WHERE username = $username LIMIT 1",
        )
        .bind(("username", username.to_string()))
        .await?
        .check()?;
    let rows: Vec<LoginRow> = res.take(0)?;
    Ok(rows.into_iter().next())
}

#[tracing::instrument(skip(db))]
pub async fn record_failure(
    db: &Db,
    id: RecordId,
    failed: u32,
    locked_until: Option<DateTime<Utc>>,
) -> surrealdb::Result<()> {
    db.query("UPDATE $id SET failed_logins = $failed, locked_until = $until")
        .bind(("id", id))
        .bind(("failed", i64::from(failed)))
        .bind(("until", locked_until))
        .await?
        .check()?;
    Ok(())
}

/// Resets the failure count and creates the session, in one transaction.
#[tracing::instrument(skip(db, key))]
pub async fn start_session(
    db: &Db,
    account: RecordId,
    key: String,
    now: DateTime<Utc>,
) -> surrealdb::Result<()> {
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $account SET failed_logins = 0, locked_until = NONE;
         CREATE type::record('session', $key) SET account = $account, created_at = $now, last_seen = $now;
         COMMIT TRANSACTION;",
    )
    .bind(("account", account))
    .bind(("key", key))
    .bind(("now", now))
    .await?
    .check()?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn session(db: &Db, key: &str) -> surrealdb::Result<Option<SessionRow>> {
    let mut res = db
        .query(
            "SELECT account, created_at, last_seen, account.username AS username,
                    account.display_name AS display_name, account.roles AS roles,
                    account.orgs AS orgs, account.member AS member,
                    account.member.org AS member_org,
                    account.must_change_password AS must_change_password,
                    account.demo AS demo, account.password_changed_at AS password_changed_at,
                    account.disabled AS disabled
             FROM ONLY type::record('session', $key)",
        )
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

#[tracing::instrument(skip_all)]
pub async fn touch_session(db: &Db, key: &str, now: DateTime<Utc>) -> surrealdb::Result<()> {
    db.query("UPDATE type::record('session', $key) SET last_seen = $now")
        .bind(("key", key.to_string()))
        .bind(("now", now))
        .await?
        .check()?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn end_session(db: &Db, key: &str) -> surrealdb::Result<()> {
    db.query("DELETE type::record('session', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    Ok(())
}

#[tracing::instrument(skip(db, accounts))]
pub async fn create_accounts(db: &Db, accounts: Vec<NewAccount>) -> surrealdb::Result<()> {
    db.query("INSERT INTO account $accounts")
        .bind(("accounts", accounts))
        .await?
        .check()?;
    Ok(())
}

/// An account as administrators list it.
#[derive(Debug, SurrealValue)]
pub struct AdminRow {
    pub id: RecordId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub orgs: Vec<RecordId>,
    pub org_names: Vec<String>,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub demo: bool,
}

const ADMIN_FIELDS: &str = "id, username, display_name, roles, orgs, orgs.name AS org_names,
    disabled, locked_until, must_change_password, demo";

/// One page of accounts whose name or display name contains `q`, ordered by name.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &Db,
    q: &str,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<AdminRow>, i64)> {
    let filter = "WHERE $q = '' OR string::contains(string::lowercase(username), $q)
                  OR string::contains(string::lowercase(display_name), $q)";
    let mut res = db
        .query(format!(
            "SELECT {ADMIN_FIELDS} FROM account {filter} ORDER BY username LIMIT $limit START $start;
             SELECT count() AS n FROM account {filter} GROUP ALL;"
        ))
        .bind(("q", q.trim().to_lowercase()))
        .bind(("limit", limit))
        .bind(("start", start))
        .await?
        .check()?;
    let rows: Vec<AdminRow> = res.take(0)?;
    let total: Option<i64> = res.take((1, "n"))?;
    Ok((rows, total.unwrap_or(0)))
}

#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, username: &str) -> surrealdb::Result<Option<AdminRow>> {
    let mut res = db
        .query(format!(
            "SELECT {ADMIN_FIELDS} FROM account WHERE username = $username LIMIT 1"
        ))
        .bind(("username", username.to_string()))
        .await?
        .check()?;
    let rows: Vec<AdminRow> = res.take(0)?;
    Ok(rows.into_iter().next())
}

/// Organisations a branch role may serve on (党总支 and 党支部 that are not dissolved).
#[tracing::instrument(skip(db))]
pub async fn org_choices(db: &Db) -> surrealdb::Result<Vec<(RecordId, String)>> {
    #[derive(SurrealValue)]
    struct Choice {
        id: RecordId,
        name: String,
    }
    let mut res = db
        .query(
            "SELECT id, name, sort FROM org
             WHERE kind IN ['general_branch', 'branch'] AND dissolved_at = NONE
             ORDER BY sort",
        )
        .await?
        .check()?;
    let rows: Vec<Choice> = res.take(0)?;
    Ok(rows.into_iter().map(|c| (c.id, c.name)).collect())
}

/// Creates an account (by an administrator, with its audit entry).
pub fn create(account: NewAccount) -> Change {
    Change::new("CREATE account CONTENT $account").bind("account", account)
}

/// Replaces an account's roles and the organisations its branch role serves.
pub fn set_roles(target: RecordId, roles: Vec<String>, orgs: Vec<RecordId>) -> Change {
    Change::new("UPDATE $target SET roles = $roles, orgs = $orgs")
        .bind("target", target)
        .bind("roles", roles)
        .bind("orgs", orgs)
}

/// Disables an account (ending all its sessions) or enables it; clears a lockout.
pub fn set_disabled(target: RecordId, disabled: bool) -> Change {
    Change::new(
        "UPDATE $target SET disabled = $disabled, failed_logins = 0, locked_until = NONE;
         IF $disabled { DELETE session WHERE account = $target };",
    )
    .bind("target", target)
    .bind("disabled", disabled)
}

/// A one-time password set by an administrator: to be changed at the next sign-in; clears
/// a lockout and ends every session of the account.
pub fn reset_password(target: RecordId, hash: String, now: DateTime<Utc>) -> Change {
    Change::new(
        "UPDATE $target SET password_hash = $hash, must_change_password = true,
             password_changed_at = $now, failed_logins = 0, locked_until = NONE;
         DELETE session WHERE account = $target;",
    )
    .bind("target", target)
    .bind("hash", hash)
    .bind("now", now)
}

/// The account's own new password; ends its sessions except the one with key `keep`.
pub fn change_password(target: RecordId, hash: String, now: DateTime<Utc>, keep: String) -> Change {
    Change::new(
        "UPDATE $target SET password_hash = $hash, must_change_password = false,
             password_changed_at = $now;
         DELETE session WHERE account = $target AND id != type::record('session', $keep);",
    )
    .bind("target", target)
    .bind("hash", hash)
    .bind("now", now)
    .bind("keep", keep)
}
