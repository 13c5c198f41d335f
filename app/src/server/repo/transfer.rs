//! SurrealQL for transfers.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::server::Db;

/// A transfer with the names the views show.
#[derive(Debug, Clone, SurrealValue)]
pub struct TransferRow {
    pub id: RecordId,
    pub member: RecordId,
    pub member_name: String,
    pub member_gender: String,
    pub member_status: String,
    pub member_id_number: String,
    pub kind: String,
    pub from_org: Option<RecordId>,
    pub from_name: String,
    pub to_org: Option<RecordId>,
    pub to_name: String,
    pub outside: String,
    pub letter_no: String,
    pub valid_until: NaiveDate,
    pub dues_paid_to: String,
    pub status: String,
    pub reason: String,
    pub note: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

const FIELDS: &str = "id, member, member_name, member.gender AS member_gender,
    member.status AS member_status, member.id_number AS member_id_number, kind, from_org,
    from_org.name ?? '' AS from_name, to_org, to_org.name ?? '' AS to_name, outside, letter_no,
    valid_until, dues_paid_to, status, reason, note, issued_at";

#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<TransferRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM ONLY type::record('transfer', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A member's transfers, newest first.
#[tracing::instrument(skip(db))]
pub async fn of_member(db: &Db, member: &RecordId) -> surrealdb::Result<Vec<TransferRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM transfer WHERE member = $m ORDER BY issued_at DESC"
        ))
        .bind(("m", member.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// Whether the member has a transfer still open (pending or issued).
#[tracing::instrument(skip(db))]
pub async fn has_open(db: &Db, member: &RecordId) -> surrealdb::Result<bool> {
    let mut res = db
        .query(
            "RETURN array::len((SELECT status FROM transfer WHERE member = $m)
                 [WHERE status IN ['pending', 'issued']])",
        )
        .bind(("m", member.clone()))
        .await?
        .check()?;
    let n: Option<i64> = res.take(0)?;
    Ok(n.unwrap_or(0) > 0)
}

/// Transfers from or to these organisations (`None`: all), newest first.
#[tracing::instrument(skip(db, orgs))]
pub async fn list(db: &Db, orgs: Option<Vec<RecordId>>) -> surrealdb::Result<Vec<TransferRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM transfer WHERE $all OR from_org IN $orgs OR to_org IN $orgs
             ORDER BY issued_at DESC LIMIT 200"
        ))
        .bind(("all", orgs.is_none()))
        .bind(("orgs", orgs.unwrap_or_default()))
        .await?
        .check()?;
    res.take(0)
}

/// A transfer of the membership relation as inserted in bulk.
#[derive(Clone, Debug, SurrealValue)]
pub struct NewTransfer {
    pub id: RecordId,
    pub member: RecordId,
    pub member_name: String,
    pub kind: String,
    pub from_org: Option<RecordId>,
    pub to_org: Option<RecordId>,
    pub outside: String,
    pub letter_no: String,
    pub valid_until: NaiveDate,
    pub dues_paid_to: String,
    pub status: String,
    pub reason: String,
    pub issued_by: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

/// Inserts transfers issued in one year and sets that year's letter counter to their
/// number, so the next letter continues the sequence.
pub async fn insert_many(db: &Db, transfers: &[NewTransfer]) -> surrealdb::Result<()> {
    let Some(first) = transfers.first() else {
        return Ok(());
    };
    db.query(
        "INSERT INTO transfer $transfers;
         UPSERT type::record('transfer_counter', $year) SET n = array::len($transfers);",
    )
    .bind(("transfers", transfers.to_vec()))
    .bind(("year", i64::from(chrono::Datelike::year(&first.issued_at))))
    .await?
    .check()?;
    Ok(())
}
