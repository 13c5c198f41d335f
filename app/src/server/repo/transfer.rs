//! SurrealQL for transfers.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::member::{Gender, MemberStatus};
use crate::models::transfer::{TransferKind, TransferStatus};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A transfer with the names the views show.
#[derive(Debug, Clone, SurrealValue)]
pub struct TransferRow {
    pub id: RecordId,
    pub member: RecordId,
    pub member_name: String,
    pub member_gender: Gender,
    pub member_status: MemberStatus,
    pub member_id_number: String,
    pub kind: TransferKind,
    pub from_org: Option<RecordId>,
    pub from_name: String,
    pub to_org: Option<RecordId>,
    pub to_name: String,
    pub outside: String,
    pub letter_no: String,
    pub valid_until: NaiveDate,
    pub dues_paid_to: String,
    pub status: TransferStatus,
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
pub struct TransferInsert {
    pub id: RecordId,
    pub member: RecordId,
    pub member_name: String,
    pub kind: TransferKind,
    pub from_org: Option<RecordId>,
    pub to_org: Option<RecordId>,
    pub outside: String,
    pub letter_no: String,
    pub valid_until: NaiveDate,
    pub dues_paid_to: String,
    pub status: TransferStatus,
    pub reason: String,
    pub issued_by: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

/// Inserts transfers issued in one year and sets that year's letter counter to their
/// number, so the next letter continues the sequence.
pub async fn insert_many(db: &Db, transfers: &[TransferInsert]) -> surrealdb::Result<()> {
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

/// A transfer to start.
pub struct NewTransfer {
    pub key: String,
    /// The year whose letter counter numbers it.
    pub year: i64,
    pub member: RecordId,
    pub member_name: String,
    /// Internal or outbound.
    pub kind: TransferKind,
    pub from: RecordId,
    pub to: Option<RecordId>,
    pub outside: String,
    pub valid_until: NaiveDate,
    /// `YYYY-MM`.
    pub dues_paid_to: String,
    /// Pending (internal) or issued (outbound).
    pub status: TransferStatus,
    pub reason: String,
    /// The member's history line.
    pub what: crate::models::member::History,
    pub today: NaiveDate,
}

/// Creates the transfer with the next letter number of its year, and the member's
/// history line.
pub fn start(t: NewTransfer, by: Stamp) -> Change {
    Change::new(
        "LET $n = (UPSERT type::record('transfer_counter', $year) SET n += 1)[0].n;
         CREATE type::record('transfer', $key) CONTENT {
             member: $member, member_name: $name, kind: $kind, from_org: $from, to_org: $to,
             outside: $outside,
             letter_no: string::concat('明肿党转〔', <string> $year, '〕第 ', <string> $n, ' 号'),
             valid_until: $valid_until, dues_paid_to: $dues, status: $status, reason: $reason,
             issued_by: $actor, issued_at: $now
         };
         CREATE member_event SET member = $member, kind = 'transfer', what = $what,
             reason = $reason, effective = $today, actor = $actor, at = $now;",
    )
    .bind("year", t.year)
    .bind("key", t.key)
    .bind("member", t.member)
    .bind("name", t.member_name)
    .bind("kind", t.kind)
    .bind("from", t.from)
    .bind("to", t.to)
    .bind("outside", t.outside)
    .bind("valid_until", t.valid_until)
    .bind("dues", t.dues_paid_to)
    .bind("status", t.status)
    .bind("reason", t.reason)
    .bind("what", t.what)
    .bind("today", t.today)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// Resolves a transfer with its new `status`, and the member's history line. Accepted
/// moves the member to the receiving branch (out of their Party group and seat);
/// received marks them transferred out.
pub fn resolve(
    row: &TransferRow,
    status: TransferStatus,
    note: String,
    what: crate::models::member::History,
    today: NaiveDate,
    by: Stamp,
) -> Change {
    let member_sql = match status {
        TransferStatus::Accepted => {
            "UPDATE $member SET org = $to, party_group = NONE, position = 'member', dual_leader = false;"
        }
        TransferStatus::Received => "UPDATE $member SET standing = 'transferred_out';",
        _ => "",
    };
    Change::new(format!(
        "UPDATE $transfer SET status = $status, note = $note, resolved_by = $actor, resolved_at = $now;
         {member_sql}
         CREATE member_event SET member = $member, kind = 'transfer', what = $what,
             reason = $note, effective = $today, actor = $actor, at = $now;"
    ))
    .bind("transfer", row.id.clone())
    .bind("member", row.member.clone())
    .bind("to", row.to_org.clone())
    .bind("status", status)
    .bind("note", note)
    .bind("what", what)
    .bind("today", today)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// A member arriving with a letter: the completed inbound transfer and its history line,
/// to join the member's registration (`repo::member::create`: `$member`, `$v`, `$org`,
/// `$actor`, `$now`).
pub fn inbound(
    key: String,
    outside: String,
    letter_no: String,
    dues_paid_to: String,
    today: NaiveDate,
) -> Change {
    Change::new(
        "CREATE type::record('transfer', $t_key) CONTENT {
             member: $member, member_name: $v.name, kind: 'inbound', to_org: $org,
             outside: $t_outside, letter_no: $t_letter, valid_until: $t_today,
             dues_paid_to: $t_dues, status: 'completed', issued_by: $actor, issued_at: $now,
             resolved_by: $actor, resolved_at: $now
         };
         CREATE member_event SET member = $member, kind = 'transfer', what = $t_what,
             effective = $t_today, actor = $actor, at = $now;",
    )
    .bind("t_key", key)
    .bind(
        "t_what",
        crate::models::member::History::TransferredIn {
            from: outside.clone(),
        },
    )
    .bind("t_outside", outside)
    .bind("t_letter", letter_no)
    .bind("t_today", today)
    .bind("t_dues", dues_paid_to)
}
