//! Meetings of branches and Party groups (issue 14): scheduling, the year's list, one
//! meeting with its attendees, attendance and minutes.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::meeting::{
    Attendance, LeaveState, MeetingKind, MinutesState, SignInVia, ValidMeeting,
};
use crate::models::org::Position;
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;
use crate::server::repo::assessment::LinkRow;

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
    /// The minutes' photos and attachments.
    pub files: Vec<LinkRow>,
}

/// The meeting `key`, if any.
#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<MeetingFull>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS}, agenda, lecturer, host, recorder, attendees, minutes,
                    minutes_state, approved_by, created_by, created_at, files
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
        // Fetched by id, not a scan of every member filtered by `IN` (each live
        // snapshot of a meeting reads its attendees' names).
        .query("SELECT id, name FROM $ids WHERE record::tb(id) = 'member'")
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

/// The attendance write both statements below share (a macro, so that they are joined
/// at compile time).
macro_rules! upsert_attendance {
    () => {
        "UPSERT type::record('attendance', $a_key) CONTENT {
             meeting: $a_meeting, member: $a_member, status: $a_status, via: $a_via,
             reason: $a_reason, client_id: $a_client, by: $a_actor, at: $a_now
         }"
    };
}

/// Writes one attendance record whatever was recorded before (the recorder's marking).
const MARK: &str = concat!(upsert_attendance!(), ";");

/// The same write, except that a record already present is left as it is (a sign-in).
/// (A tablet's sign-in is written just after its answer: a recorder's mark made in that
/// moment is replaced by it. Comparing the times instead would trust every server's
/// clock, and the demo's clock, which starts again at the same instant after a restart,
/// would skip sign-ins for good.)
const SIGN_IN: &str = concat!(upsert_attendance!(), " WHERE status != $a_status;");

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
    Change::new(MARK)
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

/// `member` signs in to `meeting` (at a tablet or by phone): present, unless present
/// already, when nothing changes (a replayed or repeated sign-in counts once). The record
/// is the sign-in's history: the device or account, the time, how, and the client's id.
pub fn sign_in(
    meeting: RecordId,
    member: RecordId,
    via: SignInVia,
    client_id: String,
    by: Stamp,
) -> Change {
    // The values of a marking as present, with the guarded statement.
    let marked = mark(
        meeting,
        member,
        Attendance::Present,
        via,
        String::new(),
        client_id,
        by,
    );
    Change {
        sql: SIGN_IN.into(),
        ..marked
    }
}

/// A member's request for leave from a meeting, as read.
#[derive(Debug, Clone, SurrealValue)]
pub struct LeaveRow {
    pub member: RecordId,
    pub reason: String,
    pub state: LeaveState,
    pub decided_by: String,
}

/// The requests for leave from the meeting `meeting`.
#[tracing::instrument(skip(db))]
pub async fn leave_requests(db: &Db, meeting: RecordId) -> surrealdb::Result<Vec<LeaveRow>> {
    let mut res = db
        .query("SELECT member, reason, state, decided_by FROM leave_request WHERE meeting = $m")
        .bind(("m", meeting))
        .await?
        .check()?;
    res.take(0)
}

/// `member` asks for leave from `meeting` with `reason` (the same record as their
/// attendance's key, so asking again while it waits replaces the reason). The guard
/// refuses a request decided since it was read.
pub fn request_leave(meeting: RecordId, member: RecordId, reason: String, by: Stamp) -> Change {
    let key = attendance_key(
        &crate::server::key_string(&meeting),
        &crate::server::key_string(&member),
    );
    Change::new(
        "IF (SELECT VALUE state FROM ONLY type::record('leave_request', $l_key)) IN ['approved', 'refused'] {
             THROW 'zhibu-guard:leave_decided';
         };
         UPSERT type::record('leave_request', $l_key) CONTENT {
             meeting: $l_meeting, member: $l_member, reason: $l_reason, state: 'pending',
             requested_at: $l_now, decided_by: ''
         };",
    )
    .bind("l_key", key)
    .bind("l_meeting", meeting)
    .bind("l_member", member)
    .bind("l_reason", reason)
    .bind("l_now", by.now)
}

/// Decides `member`'s waiting request for leave from `meeting` (guarded: still waiting);
/// approved, their attendance becomes `leave` with the request's reason in the same
/// transaction.
pub fn decide_leave(
    meeting: RecordId,
    member: RecordId,
    approve: bool,
    reason: String,
    by: Stamp,
) -> Change {
    let key = attendance_key(
        &crate::server::key_string(&meeting),
        &crate::server::key_string(&member),
    );
    let state = if approve {
        LeaveState::Approved
    } else {
        LeaveState::Refused
    };
    let decide = Change::new(
        "IF (SELECT VALUE state FROM ONLY type::record('leave_request', $q_key)) != 'pending' {
             THROW 'zhibu-guard:leave_decided';
         };
         UPDATE type::record('leave_request', $q_key) SET state = $q_state,
             decided_by = $q_actor, decided_at = $q_now;",
    )
    .bind("q_key", key)
    .bind("q_state", state)
    .bind("q_actor", by.actor.clone())
    .bind("q_now", by.now);
    if approve {
        decide.then(mark(
            meeting,
            member,
            Attendance::Leave,
            SignInVia::Recorder,
            reason,
            String::new(),
            by,
        ))
    } else {
        decide
    }
}

/// Requests for leave waiting for a decision at meetings of the organisations `orgs`
/// (`None`: all) held from `from` on: the meeting and the member's name, soonest first.
#[tracing::instrument(skip(db))]
pub async fn leave_waiting(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    from: NaiveDate,
) -> surrealdb::Result<Vec<(MeetingRow, String)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Waiting {
        meeting: RecordId,
        name: String,
    }
    let filter = if orgs.is_some() {
        " AND meeting.org IN $orgs"
    } else {
        ""
    };
    let mut res = db
        .query(format!(
            "SELECT meeting, member.name AS name FROM leave_request
             WHERE state = 'pending'{filter} LIMIT 200"
        ))
        .bind(("orgs", orgs.unwrap_or_default()))
        .await?
        .check()?;
    let waiting: Vec<Waiting> = res.take(0)?;
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<RecordId> = waiting.iter().map(|w| w.meeting.clone()).collect();
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM $ids WHERE day >= $from ORDER BY day, time"
        ))
        .bind(("ids", ids))
        .bind(("from", from))
        .await?
        .check()?;
    let meetings: Vec<MeetingRow> = res.take(0)?;
    let mut out = Vec::new();
    for m in meetings {
        for w in waiting.iter().filter(|w| w.meeting == m.id) {
            out.push((m.clone(), w.name.clone()));
        }
    }
    Ok(out)
}

/// One rule slot as stored (`frequency` empty: not required).
#[derive(Debug, Clone, SurrealValue)]
pub struct StoredRule {
    pub org_kind: String,
    pub meeting: String,
    pub frequency: String,
    pub times: i64,
}

/// The compliance settings as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct StoredRules {
    pub rules: Vec<StoredRule>,
    pub warn_days: i64,
    pub updated_by: String,
}

/// The office's compliance settings, if it has saved any.
#[tracing::instrument(skip(db))]
pub async fn rules(db: &Db) -> surrealdb::Result<Option<StoredRules>> {
    let mut res = db
        .query("SELECT rules, warn_days, updated_by FROM ONLY meeting_rules:current")
        .await?
        .check()?;
    res.take(0)
}

/// Replaces the compliance settings.
pub fn save_rules(rules: Vec<StoredRule>, warn_days: u32, by: Stamp) -> Change {
    Change::new(
        "UPSERT meeting_rules:current CONTENT {
             rules: $r_rules, warn_days: $r_warn, updated_by: $r_actor, updated_at: $r_now
         };",
    )
    .bind("r_rules", rules)
    .bind("r_warn", i64::from(warn_days))
    .bind("r_actor", by.actor)
    .bind("r_now", by.now)
}

/// Replaces the minutes' photos and attachments of `meeting` (guarded: the minutes are
/// not approved since they were read).
pub fn set_files(meeting: RecordId, files: Vec<LinkRow>) -> Change {
    Change::new(
        "IF (SELECT VALUE minutes_state FROM ONLY $f_meeting) = 'approved' {
             THROW 'zhibu-guard:minutes_approved';
         };
         UPDATE $f_meeting SET files = $f_files;",
    )
    .bind("f_meeting", meeting)
    .bind("f_files", files)
}

/// Replaces the host, the recorder and the planned attendees of `meeting`; the attendance
/// and requests for leave of anyone no longer expected go with them (guarded: the minutes
/// are not approved since they were read).
pub fn set_people(
    meeting: RecordId,
    host: Option<RecordId>,
    recorder: Option<RecordId>,
    attendees: Vec<RecordId>,
) -> Change {
    Change::new(
        "IF (SELECT VALUE minutes_state FROM ONLY $e_meeting) = 'approved' {
             THROW 'zhibu-guard:minutes_approved';
         };
         UPDATE $e_meeting SET host = $e_host, recorder = $e_recorder, attendees = $e_attendees;
         DELETE attendance WHERE meeting = $e_meeting AND member NOT IN $e_attendees;
         DELETE leave_request WHERE meeting = $e_meeting AND member NOT IN $e_attendees;",
    )
    .bind("e_meeting", meeting)
    .bind("e_host", host)
    .bind("e_recorder", recorder)
    .bind("e_attendees", attendees)
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

/// A demo request for leave, inserted whole.
#[derive(Debug, Clone, SurrealValue)]
pub struct LeaveInsert {
    pub id: RecordId,
    pub meeting: RecordId,
    pub member: RecordId,
    pub reason: String,
    pub state: LeaveState,
    pub requested_at: DateTime<Utc>,
    pub decided_by: String,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Inserts demo meetings, their attendance and requests for leave, 500 rows a statement.
pub async fn insert_many(
    db: &Db,
    meetings: &[MeetingInsert],
    attendance: &[AttendanceInsert],
    leave: &[LeaveInsert],
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
    for chunk in leave.chunks(500) {
        db.query("INSERT INTO leave_request $rows")
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
