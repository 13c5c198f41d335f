//! SurrealQL for accounts and sessions.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::server::Db;

/// What the login check needs about an account.
#[derive(Debug, SurrealValue)]
pub struct LoginRow {
    pub id: RecordId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub must_change_password: bool,
    pub password_hash: String,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

/// A session joined with its account.
#[derive(Debug, SurrealValue)]
pub struct SessionRow {
    pub account: RecordId,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub orgs: Vec<RecordId>,
    pub must_change_password: bool,
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
    pub password_changed_at: DateTime<Utc>,
}

#[tracing::instrument(skip(db))]
pub async fn find_for_login(db: &Db, username: &str) -> surrealdb::Result<Option<LoginRow>> {
    let mut res = db
        .query(
            "SELECT id, username, display_name, roles, must_change_password, password_hash,
                    disabled, failed_logins, locked_until
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
                    account.orgs AS orgs, account.must_change_password AS must_change_password,
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
