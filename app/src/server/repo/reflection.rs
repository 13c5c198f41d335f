//! Learning reflections (issue 15, schema `0045_reflection`).

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::server::Db;
use crate::server::audit::Change;

/// A reflection with its writer's and organisation's names.
#[derive(Debug, Clone, SurrealValue)]
pub struct ReflectionDb {
    pub id: RecordId,
    pub member: RecordId,
    pub name: Option<String>,
    pub org: RecordId,
    pub org_name: Option<String>,
    pub year: i64,
    pub title: String,
    pub body: String,
    pub shared: bool,
    pub updated_at: DateTime<Utc>,
}

const FIELDS: &str = "id, member, member.name AS name, org, org.name AS org_name, year, title,
    body, shared, updated_at";

/// The key of `member`'s reflection of `year`.
pub fn key(year: i32, member: &RecordId) -> String {
    format!("{year}_{}", crate::server::key_string(member))
}

/// The reflection `key`.
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<ReflectionDb>> {
    let sql = ["SELECT ", FIELDS, " FROM type::record('reflection', $key)"].concat();
    db.query(sql)
        .bind(("key", key.to_string()))
        .await?
        .check()?
        .take(0)
}

/// The reflections of `year` written in `orgs` (`None`: every organisation), shared ones
/// only if `shared_only`, by organisation and newest first (at most 500).
pub async fn of_orgs(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    year: i32,
    shared_only: bool,
) -> surrealdb::Result<Vec<ReflectionDb>> {
    let mut filter = String::from(" WHERE year = $year");
    if orgs.is_some() {
        filter.push_str(" AND org IN $orgs");
    }
    if shared_only {
        filter.push_str(" AND shared = true");
    }
    let sql = [
        "SELECT ",
        FIELDS,
        " FROM reflection",
        &filter,
        " ORDER BY org, updated_at DESC LIMIT 500",
    ]
    .concat();
    db.query(sql)
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("year", i64::from(year)))
        .await?
        .check()?
        .take(0)
}

/// Writes `member`'s reflection of `year` (one per member and year: a second save changes
/// it; whether it is shared stays).
pub fn save(
    key: String,
    member: RecordId,
    org: RecordId,
    year: i32,
    (title, body): (String, String),
    now: DateTime<Utc>,
) -> Change {
    Change::new(
        "UPSERT type::record('reflection', $f_key) SET member = $f_member, org = $f_org,
             year = $f_year, title = $f_title, body = $f_body, shared = shared ?? false,
             updated_at = $f_now;",
    )
    .bind("f_key", key)
    .bind("f_member", member)
    .bind("f_org", org)
    .bind("f_year", i64::from(year))
    .bind("f_title", title)
    .bind("f_body", body)
    .bind("f_now", now)
}

/// Shares the reflection `key` with its branch, or takes it back.
pub fn share(key: String, shared: bool, by: String, now: DateTime<Utc>) -> Change {
    Change::new(
        "UPDATE type::record('reflection', $f_key) SET shared = $f_shared,
             shared_by = IF $f_shared { $f_by } ELSE { NONE },
             shared_at = IF $f_shared { $f_now } ELSE { NONE };",
    )
    .bind("f_key", key)
    .bind("f_shared", shared)
    .bind("f_by", by)
    .bind("f_now", now)
}
