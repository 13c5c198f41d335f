//! Meetings of branches and Party groups (issue 14): scheduling and the year's list.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::meeting::{MeetingKind, ValidMeeting};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A meeting as listed.
#[derive(Debug, Clone, SurrealValue)]
pub struct MeetingRow {
    pub id: RecordId,
    pub org: RecordId,
    pub org_name: String,
    pub kind: MeetingKind,
    pub day: NaiveDate,
    pub time: String,
    pub topic: String,
    pub room: String,
    pub late: bool,
}

const FIELDS: &str = "id, org, org.name AS org_name, kind, day, time, topic, room, late";

/// The new meeting `key` of `org`; `late` when it is recorded after its day.
pub fn schedule(key: String, org: RecordId, m: ValidMeeting, late: bool, by: Stamp) -> Change {
    Change::new(
        "CREATE type::record('meeting', $m_key) CONTENT {
             org: $m_org, kind: $m_kind, day: $m_day, time: $m_time, topic: $m_topic,
             room: $m_room, agenda: $m_agenda, late: $m_late,
             created_by: $m_actor, created_at: $m_now
         };",
    )
    .bind("m_key", key)
    .bind("m_org", org)
    .bind("m_kind", m.kind)
    .bind("m_day", m.day)
    .bind("m_time", m.time)
    .bind("m_topic", m.topic)
    .bind("m_room", m.room)
    .bind("m_agenda", m.agenda)
    .bind("m_late", late)
    .bind("m_actor", by.actor)
    .bind("m_now", by.now)
}

/// Meetings on the days `from..=to` of the organisations `orgs` (`None`: all), newest
/// first.
#[tracing::instrument(skip(db))]
pub async fn in_days(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    from: NaiveDate,
    to: NaiveDate,
) -> surrealdb::Result<Vec<MeetingRow>> {
    let filter = if orgs.is_some() {
        " AND org IN $orgs"
    } else {
        ""
    };
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM meeting WHERE day >= $from AND day <= $to{filter}
             ORDER BY day DESC, time DESC"
        ))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .check()?;
    res.take(0)
}
