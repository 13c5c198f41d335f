//! SurrealQL for notifications and the lease of the reminder job.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::notification::NotificationKind;
use crate::server::Db;

/// Takes (or keeps) the lease `name` for `holder` until `until`, unless another holder's
/// lease is still running. The read and the write are one transaction, so two servers
/// asking at once cannot both take it.
pub async fn take_lease(
    db: &Db,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> surrealdb::Result<bool> {
    // Two transactions on the lease at once may both be refused: ask again after a pause
    // that differs per holder, so that one of them gets it.
    let pause = u64::from(holder.bytes().fold(0u8, |a, b| a.wrapping_add(b)) % 50) + 10;
    for attempt in 0..4u64 {
        let mut res = db
            .query(
                "BEGIN TRANSACTION;
                 LET $cur = (SELECT holder, until FROM ONLY type::record('lease', $name));
                 LET $take = $cur = NONE OR $cur.holder = $me OR $cur.until < $now;
                 IF $take { UPSERT type::record('lease', $name) SET holder = $me, until = $until };
                 RETURN $take;
                 COMMIT TRANSACTION;",
            )
            .bind(("name", name.to_string()))
            .bind(("me", holder.to_string()))
            .bind(("now", now))
            .bind(("until", until))
            .await?;
        let errors = res.take_errors();
        if !errors.is_empty() {
            tracing::debug!(?errors, attempt, "lease {name} contended");
            tokio::time::sleep(std::time::Duration::from_millis(pause * (attempt + 1))).await;
            continue;
        }
        // The answer of `RETURN $take` (the transaction's own statements answer nothing).
        for i in (0..res.num_statements()).rev() {
            if let Ok(Some(took)) = res.take::<Option<bool>>(i) {
                return Ok(took);
            }
        }
        return Ok(false);
    }
    Ok(false)
}

/// Work that is due: open assignments with a deadline up to `soon`, and rectification
/// items still open after their deadline.
#[derive(Debug, Clone, SurrealValue)]
pub struct DueRow {
    pub id: RecordId,
    pub title: String,
    pub org: RecordId,
    /// The member who answers it (a task to members).
    pub member: Option<RecordId>,
    /// The general branch that issued its task (it reviews, it does not owe).
    pub issuer: Option<RecordId>,
    pub org_name: String,
    pub deadline: NaiveDate,
}

pub async fn due(
    db: &Db,
    today: NaiveDate,
    soon: NaiveDate,
) -> surrealdb::Result<(Vec<DueRow>, Vec<DueRow>)> {
    let mut res = db
        .query(
            "SELECT id, task.title AS title, org, member, task.issuer AS issuer,
                     org.name AS org_name, deadline FROM assignment
                 WHERE status IN ['pending', 'draft', 'returned'] AND deadline <= $soon
                     AND task.status = 'published' AND period.status = 'open';
             SELECT id, problem AS title, org, NONE AS member, NONE AS issuer,
                     org.name AS org_name, deadline FROM rectification
                 WHERE status = 'open' AND deadline < $today AND period.status = 'open';",
        )
        .bind(("today", today))
        .bind(("soon", soon))
        .await?
        .check()?;
    Ok((res.take(0)?, res.take(1)?))
}

/// A meeting on the days `from..=to` and the attendees to remind of it: expected, and
/// neither present nor on leave yet.
#[derive(Debug, Clone)]
pub struct MeetingDue {
    pub id: RecordId,
    pub topic: String,
    pub org_name: String,
    pub day: NaiveDate,
    pub attendees: Vec<RecordId>,
    /// Attendees already marked present or on leave.
    pub marked: Vec<RecordId>,
}

pub async fn meetings_due(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> surrealdb::Result<Vec<MeetingDue>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        id: RecordId,
        topic: String,
        org_name: String,
        day: NaiveDate,
        attendees: Vec<RecordId>,
    }
    #[derive(Debug, Clone, SurrealValue)]
    struct Mark {
        meeting: RecordId,
        member: RecordId,
    }
    let mut res = db
        .query(
            "SELECT id, topic, org.name AS org_name, day, attendees FROM meeting
                 WHERE day >= $from AND day <= $to",
        )
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .check()?;
    let rows: Vec<Row> = res.take(0)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<RecordId> = rows.iter().map(|r| r.id.clone()).collect();
    let mut res = db
        .query(
            "SELECT meeting, member FROM attendance
                 WHERE meeting IN $ids AND status IN ['present', 'leave']",
        )
        .bind(("ids", ids))
        .await?
        .check()?;
    let marks: Vec<Mark> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| MeetingDue {
            marked: marks
                .iter()
                .filter(|m| m.meeting == r.id)
                .map(|m| m.member.clone())
                .collect(),
            id: r.id,
            topic: r.topic,
            org_name: r.org_name,
            day: r.day,
            attendees: r.attendees,
        })
        .collect())
}

/// An account that may be told: its name, roles and organisations.
#[derive(Debug, Clone, SurrealValue)]
pub struct Recipient {
    pub username: String,
    pub roles: Vec<String>,
    pub orgs: Vec<RecordId>,
    /// The account's own member record (told of tasks to that member).
    pub member: Option<RecordId>,
}

pub async fn recipients(db: &Db) -> surrealdb::Result<Vec<Recipient>> {
    let mut res = db
        .query(
            "SELECT username, roles, orgs, member FROM account WHERE disabled = false
                 AND (roles CONTAINS 'branch_committee' OR roles CONTAINS 'committee_office'
                     OR member != NONE)",
        )
        .await?
        .check()?;
    res.take(0)
}

/// A notification as inserted; its key follows from (account, item, kind).
#[derive(Debug, Clone, SurrealValue)]
pub struct NotificationInsert {
    pub id: RecordId,
    pub account: String,
    pub kind: NotificationKind,
    pub item: String,
    pub title: String,
    pub org_name: String,
    pub href: String,
    pub deadline: NaiveDate,
    pub read: bool,
    pub at: DateTime<Utc>,
}

/// Inserts the notifications not sent before (the same key is skipped); returns how many
/// are new.
pub async fn insert_new(db: &Db, rows: Vec<NotificationInsert>) -> surrealdb::Result<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut res = db
        .query("RETURN array::len(INSERT IGNORE INTO notification $rows RETURN id)")
        .bind(("rows", rows))
        .await?
        .check()?;
    let n: Option<i64> = res.take(0)?;
    Ok(usize::try_from(n.unwrap_or(0)).unwrap_or(0))
}

#[derive(Debug, Clone, SurrealValue)]
pub struct NotificationRow {
    pub id: RecordId,
    pub kind: NotificationKind,
    pub title: String,
    pub org_name: String,
    pub href: String,
    pub deadline: NaiveDate,
    pub read: bool,
    pub at: DateTime<Utc>,
}

/// An account's latest notifications and its unread count.
pub async fn of_account(
    db: &Db,
    account: &str,
    limit: i64,
) -> surrealdb::Result<(Vec<NotificationRow>, i64)> {
    let mut res = db
        .query(
            "SELECT id, kind, title, org_name, href, deadline, read, at FROM notification
                 WHERE account = $a ORDER BY at DESC, deadline LIMIT $limit;
             RETURN array::len(SELECT VALUE id FROM notification
                 WHERE account = $a AND read = false);",
        )
        .bind(("a", account.to_string()))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<NotificationRow> = res.take(0)?;
    let unread: Option<i64> = res.take(1)?;
    Ok((rows, unread.unwrap_or(0)))
}

/// Marks every notification of the account read.
pub async fn mark_read(db: &Db, account: &str) -> surrealdb::Result<()> {
    db.query("UPDATE notification SET read = true WHERE account = $a AND read = false")
        .bind(("a", account.to_string()))
        .await?
        .check()?;
    Ok(())
}

/// How many of the account's notifications are unread.
pub async fn unread(db: &Db, account: &str) -> surrealdb::Result<i64> {
    let mut res = db
        .query(
            "RETURN array::len(SELECT VALUE id FROM notification
                 WHERE account = $a AND read = false)",
        )
        .bind(("a", account.to_string()))
        .await?
        .check()?;
    let n: Option<i64> = res.take(0)?;
    Ok(n.unwrap_or(0))
}
