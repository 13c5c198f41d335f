//! Meetings of branches and Party groups (issue 14): scheduling, the year's list, one
//! meeting with its attendees, attendance and minutes.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::meeting::{Attendance, MeetingKind, MinutesState, SignInVia, ValidMeeting};
use crate::models::org::Position;
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

/// Who runs and attends a new meeting.
#[derive(Debug, Clone)]
pub struct People {
    pub host: Option<RecordId>,
    pub recorder: Option<RecordId>,
    pub attendees: Vec<RecordId>,
    /// The registered room it takes place in, if any.
    pub place: Option<RecordId>,
}

/// The new meeting `key` of `org`; `late` when it is recorded after its day.
pub fn schedule(
    key: String,
    org: RecordId,
    m: ValidMeeting,
    people: People,
    late: bool,
    by: Stamp,
) -> Change {
    Change::new(
        "CREATE type::record('meeting', $m_key) CONTENT {
             org: $m_org, kind: $m_kind, day: $m_day, time: $m_time, topic: $m_topic,
             room: $m_room, agenda: $m_agenda, late: $m_late, lecturer: $m_lecturer,
             host: $m_host, recorder: $m_recorder, attendees: $m_attendees, place: $m_place,
             minutes: '', minutes_state: 'empty',
             created_by: $m_actor, created_at: $m_now
         };",
    )
    .bind("m_lecturer", m.lecturer)
    .bind("m_host", people.host)
    .bind("m_recorder", people.recorder)
    .bind("m_attendees", people.attendees)
    .bind("m_place", people.place)
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

/// A member who may attend: key, name and seat.
#[derive(Debug, Clone, SurrealValue)]
pub struct Seat {
    pub id: RecordId,
    pub name: String,
    pub position: Position,
}

/// The active members of `org` (its own members, or a Party group's), by name: who a new
/// meeting expects by default.
#[tracing::instrument(skip(db))]
pub async fn members_of(db: &Db, org: RecordId) -> surrealdb::Result<Vec<Seat>> {
    let mut res = db
        .query(
            "SELECT id, name, position FROM member
             WHERE (org = $org OR party_group = $org) AND standing = 'active'
             ORDER BY name",
        )
        .bind(("org", org))
        .await?
        .check()?;
    res.take(0)
}

/// One meeting whole.
#[derive(Debug, Clone, SurrealValue)]
pub struct MeetingFull {
    pub id: RecordId,
    pub org: RecordId,
    pub org_name: String,
    pub kind: MeetingKind,
    pub day: NaiveDate,
    pub time: String,
    pub topic: String,
    pub room: String,
    pub late: bool,
    pub agenda: String,
    pub lecturer: String,
    pub host: Option<RecordId>,
    pub recorder: Option<RecordId>,
    pub attendees: Vec<RecordId>,
    pub minutes: String,
    pub minutes_state: MinutesState,
    pub approved_by: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// The meeting `key`, if any.
#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<MeetingFull>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS}, agenda, lecturer, host, recorder, attendees, minutes,
                    minutes_state, approved_by, created_by, created_at
             FROM ONLY type::record('meeting', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A member's key and name.
#[derive(Debug, Clone, SurrealValue)]
pub struct NameRow {
    pub id: RecordId,
    pub name: String,
}

/// The names of `members`.
#[tracing::instrument(skip(db, members))]
pub async fn names(db: &Db, members: Vec<RecordId>) -> surrealdb::Result<Vec<NameRow>> {
    let mut res = db
        .query("SELECT id, name FROM member WHERE id IN $ids")
        .bind(("ids", members))
        .await?
        .check()?;
    res.take(0)
}

/// One recorded attendance.
#[derive(Debug, Clone, SurrealValue)]
pub struct AttendanceRow {
    pub member: RecordId,
    pub status: Attendance,
    pub via: SignInVia,
    pub reason: String,
}

/// The attendance recorded for the meeting `meeting`.
#[tracing::instrument(skip(db))]
pub async fn attendance(db: &Db, meeting: RecordId) -> surrealdb::Result<Vec<AttendanceRow>> {
    let mut res = db
        .query("SELECT member, status, via, reason FROM attendance WHERE meeting = $m")
        .bind(("m", meeting))
        .await?
        .check()?;
    res.take(0)
}

/// The key of one member's attendance at one meeting: the same for every write, so a
/// replayed sign-in lands on the same record.
pub fn attendance_key(meeting: &str, member: &str) -> String {
    format!("{meeting}_{member}")
}

/// Records `member`'s attendance at `meeting` (replacing what was recorded).
#[allow(clippy::too_many_arguments)]
pub fn mark(
    meeting: RecordId,
    member: RecordId,
    status: Attendance,
    via: SignInVia,
    reason: String,
    client_id: String,
    by: Stamp,
) -> Change {
    let key = attendance_key(
        &crate::server::key_string(&meeting),
        &crate::server::key_string(&member),
    );
    Change::new(
        "UPSERT type::record('attendance', $a_key) CONTENT {
             meeting: $a_meeting, member: $a_member, status: $a_status, via: $a_via,
             reason: $a_reason, client_id: $a_client, by: $a_actor, at: $a_now
         };",
    )
    .bind("a_key", key)
    .bind("a_meeting", meeting)
    .bind("a_member", member)
    .bind("a_status", status)
    .bind("a_via", via)
    .bind("a_reason", reason)
    .bind("a_client", client_id)
    .bind("a_actor", by.actor)
    .bind("a_now", by.now)
}

/// Saves the minutes of `meeting` as `state` (draft or submitted). The guard refuses
/// approved minutes, should they have been approved since they were read.
pub fn save_minutes(meeting: RecordId, text: String, state: MinutesState, by: Stamp) -> Change {
    Change::new(
        "IF (SELECT VALUE minutes_state FROM ONLY $n_meeting) = 'approved' {
             THROW 'zhibu-guard:minutes_approved';
         };
         UPDATE $n_meeting SET minutes = $n_text, minutes_state = $n_state, minutes_by = $n_actor;",
    )
    .bind("n_meeting", meeting)
    .bind("n_text", text)
    .bind("n_state", state)
    .bind("n_actor", by.actor)
}

/// Approves the submitted minutes of `meeting` (guarded: still submitted).
pub fn approve_minutes(meeting: RecordId, by: Stamp) -> Change {
    Change::new(
        "IF (SELECT VALUE minutes_state FROM ONLY $p_meeting) != 'submitted' {
             THROW 'zhibu-guard:minutes_not_submitted';
         };
         UPDATE $p_meeting SET minutes_state = 'approved', approved_by = $p_actor,
             approved_at = $p_now;",
    )
    .bind("p_meeting", meeting)
    .bind("p_actor", by.actor)
    .bind("p_now", by.now)
}

/// A demo meeting, inserted whole.
#[derive(Debug, Clone, SurrealValue)]
pub struct MeetingInsert {
    pub id: RecordId,
    pub org: RecordId,
    pub kind: MeetingKind,
    pub day: NaiveDate,
    pub time: String,
    pub topic: String,
    pub room: String,
    pub agenda: String,
    pub late: bool,
    pub lecturer: String,
    pub host: Option<RecordId>,
    pub recorder: Option<RecordId>,
    pub attendees: Vec<RecordId>,
    pub place: Option<RecordId>,
    pub minutes: String,
    pub minutes_state: MinutesState,
    pub approved_by: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A demo attendance, inserted whole.
#[derive(Debug, Clone, SurrealValue)]
pub struct AttendanceInsert {
    pub id: RecordId,
    pub meeting: RecordId,
    pub member: RecordId,
    pub status: Attendance,
    pub via: SignInVia,
    pub reason: String,
    pub client_id: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Inserts demo meetings and their attendance, 500 rows a statement.
pub async fn insert_many(
    db: &Db,
    meetings: &[MeetingInsert],
    attendance: &[AttendanceInsert],
) -> surrealdb::Result<()> {
    for chunk in meetings.chunks(500) {
        db.query("INSERT INTO meeting $rows")
            .bind(("rows", chunk.to_vec()))
            .await?
            .check()?;
    }
    for chunk in attendance.chunks(500) {
        db.query("INSERT INTO attendance $rows")
            .bind(("rows", chunk.to_vec()))
            .await?
            .check()?;
    }
    Ok(())
}

/// Meetings on the days `from..=to` that `member` is expected at and not yet present at,
/// soonest first.
#[tracing::instrument(skip(db))]
pub async fn expecting(
    db: &Db,
    member: RecordId,
    from: NaiveDate,
    to: NaiveDate,
) -> surrealdb::Result<Vec<MeetingRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM meeting WHERE day >= $from AND day <= $to
                 AND attendees CONTAINS $member
                 AND id NOT IN (SELECT VALUE meeting FROM attendance
                     WHERE member = $member AND status = 'present')
             ORDER BY day, time"
        ))
        .bind(("member", member))
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .check()?;
    res.take(0)
}

/// Meetings of the organisations `orgs` (`None`: all) whose minutes wait for approval,
/// oldest first.
#[tracing::instrument(skip(db))]
pub async fn minutes_waiting(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
) -> surrealdb::Result<Vec<MeetingRow>> {
    let filter = if orgs.is_some() {
        " AND org IN $orgs"
    } else {
        ""
    };
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM meeting WHERE minutes_state = 'submitted'{filter}
             ORDER BY day LIMIT 50"
        ))
        .bind(("orgs", orgs.unwrap_or_default()))
        .await?
        .check()?;
    res.take(0)
}

/// A meeting as the compliance rules count it.
#[derive(Debug, Clone, SurrealValue)]
pub struct HeldRow {
    pub org: RecordId,
    pub kind: MeetingKind,
    pub day: NaiveDate,
}

/// The organisation, kind and day of every meeting on the days `from..=to` of the
/// organisations `orgs` (`None`: all): what the grid counts, without the names a list
/// shows (reading each meeting's organisation name cost the grid a third of its time).
#[tracing::instrument(skip(db))]
pub async fn held_in(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    from: NaiveDate,
    to: NaiveDate,
) -> surrealdb::Result<Vec<HeldRow>> {
    let filter = if orgs.is_some() {
        " AND org IN $orgs"
    } else {
        ""
    };
    let mut res = db
        .query(format!(
            "SELECT org, kind, day FROM meeting WHERE day >= $from AND day <= $to{filter}"
        ))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .check()?;
    res.take(0)
}
