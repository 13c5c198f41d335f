//! Meeting rooms, their tablets and the members' sign-in PINs (issue 14).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::meeting::MeetingKind;
use crate::models::room::{PIN_ATTEMPTS, PIN_LOCK_MINUTES, RoomInput};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A registered room.
#[derive(Debug, Clone, SurrealValue)]
pub struct RoomDb {
    pub id: RecordId,
    pub name: String,
    pub location: String,
}

/// Every room, by name.
#[tracing::instrument(skip(db))]
pub async fn rooms(db: &Db) -> surrealdb::Result<Vec<RoomDb>> {
    let mut res = db
        .query("SELECT id, name, location FROM room ORDER BY name")
        .await?
        .check()?;
    res.take(0)
}

/// The room `key`, if any.
#[tracing::instrument(skip(db))]
pub async fn room(db: &Db, key: &str) -> surrealdb::Result<Option<RoomDb>> {
    let mut res = db
        .query("SELECT id, name, location FROM ONLY type::record('room', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A paired tablet.
#[derive(Debug, Clone, SurrealValue)]
pub struct TabletDb {
    pub id: RecordId,
    pub room: RecordId,
    pub label: String,
    pub paired_by: Option<String>,
    pub paired_at: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// Every paired tablet.
#[tracing::instrument(skip(db))]
pub async fn tablets(db: &Db) -> surrealdb::Result<Vec<TabletDb>> {
    let mut res = db
        .query(
            "SELECT id, room, label, paired_by, paired_at, last_seen FROM device
             WHERE room != NONE ORDER BY paired_at",
        )
        .await?
        .check()?;
    res.take(0)
}

/// A new room `key` (the name is unique: a second room of the same name fails the guard).
pub fn create_room(key: String, input: RoomInput, by: Stamp) -> Change {
    Change::new(
        "IF (SELECT VALUE id FROM room WHERE name = $r_name) != [] {
             THROW 'zhibu-guard:room_name';
         };
         CREATE type::record('room', $r_key) CONTENT {
             name: $r_name, location: $r_location, created_at: $r_now
         };",
    )
    .bind("r_key", key)
    .bind("r_name", input.name)
    .bind("r_location", input.location)
    .bind("r_now", by.now)
}

/// Renames the room `key` (and the meetings that take place there keep showing its name).
pub fn rename_room(key: String, input: RoomInput) -> Change {
    Change::new(
        "IF (SELECT VALUE id FROM room WHERE name = $r_name AND id != type::record('room', $r_key)) != [] {
             THROW 'zhibu-guard:room_name';
         };
         UPDATE type::record('room', $r_key) SET name = $r_name, location = $r_location;
         UPDATE meeting SET room = $r_name WHERE place = type::record('room', $r_key);",
    )
    .bind("r_key", key)
    .bind("r_name", input.name)
    .bind("r_location", input.location)
}

/// Whether a tablet waiting for pairing shows `code` now.
#[tracing::instrument(skip(db))]
pub async fn code_taken(db: &Db, code: &str, now: DateTime<Utc>) -> surrealdb::Result<bool> {
    let mut res = db
        .query("SELECT VALUE id FROM device WHERE code = $code AND code_until > $now LIMIT 1")
        .bind(("code", code.to_string()))
        .bind(("now", now))
        .await?
        .check()?;
    let found: Vec<RecordId> = res.take(0)?;
    Ok(!found.is_empty())
}

/// A tablet waiting for pairing: its token's hash and its code, good until `until`. Codes
/// never used are cleared away.
pub fn start_device(
    key: String,
    token: String,
    code: String,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Change {
    Change::new(
        "DELETE device WHERE room = NONE AND code_until < $d_now;
         CREATE type::record('device', $d_key) CONTENT {
             token: $d_token, code: $d_code, code_until: $d_until, room: NONE, label: '',
             created_at: $d_now, last_seen: $d_now
         };",
    )
    .bind("d_key", key)
    .bind("d_token", token)
    .bind("d_code", code)
    .bind("d_until", until)
    .bind("d_now", now)
}

/// Pairs the tablet that shows `code` (still valid, not yet paired) with `room`.
pub fn pair(code: String, room: RecordId, label: String, by: Stamp) -> Change {
    Change::new(
        "LET $p_device = (SELECT VALUE id FROM device
             WHERE code = $p_code AND room = NONE AND code_until > $p_now LIMIT 1)[0];
         IF $p_device = NONE { THROW 'zhibu-guard:pairing_code'; };
         UPDATE $p_device SET room = $p_room, code = NONE, code_until = NONE,
             label = $p_label, paired_by = $p_actor, paired_at = $p_now;",
    )
    .bind("p_code", code)
    .bind("p_room", room)
    .bind("p_label", label)
    .bind("p_actor", by.actor)
    .bind("p_now", by.now)
}

/// Revokes the tablet `key`: its token opens nothing any more.
pub fn revoke(key: String) -> Change {
    Change::new(
        "IF (SELECT VALUE id FROM ONLY type::record('device', $v_key)) = NONE {
             THROW 'zhibu-guard:no_tablet';
         };
         DELETE type::record('device', $v_key);",
    )
    .bind("v_key", key)
}

/// What a device token opens.
#[derive(Debug, Clone, SurrealValue)]
pub struct DeviceAuth {
    pub id: RecordId,
    pub room: Option<RecordId>,
    pub code: Option<String>,
    pub code_until: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// The device whose token hashes to `token`, if any.
#[tracing::instrument(skip(db, token))]
pub async fn device(db: &Db, token: &str) -> surrealdb::Result<Option<DeviceAuth>> {
    let mut res = db
        .query(
            "SELECT id, room, code, code_until, last_seen FROM device WHERE token = $hash LIMIT 1",
        )
        .bind(("hash", token.to_string()))
        .await?
        .check()?;
    let mut rows: Vec<DeviceAuth> = res.take(0)?;
    Ok(rows.pop())
}

/// Records that the device was seen.
pub async fn touch_device(db: &Db, id: RecordId, now: DateTime<Utc>) -> surrealdb::Result<()> {
    db.query("UPDATE $id SET last_seen = $now")
        .bind(("id", id))
        .bind(("now", now))
        .await?
        .check()?;
    Ok(())
}

/// A meeting of the day in a room, as a tablet needs it.
#[derive(Debug, Clone, SurrealValue)]
pub struct RoomMeeting {
    pub id: RecordId,
    pub org_name: String,
    pub kind: MeetingKind,
    pub day: NaiveDate,
    pub time: String,
    pub topic: String,
    pub agenda: String,
    pub host_name: Option<String>,
    pub attendees: Vec<RecordId>,
    pub place: Option<RecordId>,
}

const ROOM_MEETING: &str = "id, org.name AS org_name, kind, day, time, topic, agenda, \
     host.name AS host_name, attendees, place";

/// The meetings of `day` in `room`, by time.
#[tracing::instrument(skip(db))]
pub async fn meetings_in(
    db: &Db,
    room: RecordId,
    day: NaiveDate,
) -> surrealdb::Result<Vec<RoomMeeting>> {
    let mut res = db
        .query(format!(
            "SELECT {ROOM_MEETING} FROM meeting WHERE place = $room AND day = $day ORDER BY time"
        ))
        .bind(("room", room))
        .bind(("day", day))
        .await?
        .check()?;
    res.take(0)
}

/// One meeting as a tablet and a live screen need it.
#[tracing::instrument(skip(db))]
pub async fn meeting(db: &Db, key: &str) -> surrealdb::Result<Option<RoomMeeting>> {
    let mut res = db
        .query(format!(
            "SELECT {ROOM_MEETING} FROM ONLY type::record('meeting', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// What a sign-in at a tablet checks of a meeting: where, when, and who is expected.
#[derive(Debug, Clone, SurrealValue)]
pub struct SignInMeeting {
    pub id: RecordId,
    pub day: NaiveDate,
    pub place: Option<RecordId>,
    pub attendees: Vec<RecordId>,
}

/// Meeting `key` as a sign-in checks it, if it exists.
#[tracing::instrument(skip(db))]
pub async fn sign_in_meeting(db: &Db, key: &str) -> surrealdb::Result<Option<SignInMeeting>> {
    let mut res = db
        .query("SELECT id, day, place, attendees FROM ONLY type::record('meeting', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A member's PIN: its hash, the wrong tries in a row, and until when it is locked.
#[derive(Debug, Clone, SurrealValue)]
pub struct PinRow {
    pub hash: String,
    pub failures: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

/// The PIN of member `key`, if set.
#[tracing::instrument(skip(db))]
pub async fn pin(db: &Db, key: &str) -> surrealdb::Result<Option<PinRow>> {
    let mut res = db
        .query("SELECT hash, failures, locked_until FROM ONLY type::record('member_pin', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// The PINs of those of `members` who have one, by member key.
#[tracing::instrument(skip(db, members))]
pub async fn pins_of(db: &Db, members: Vec<RecordId>) -> surrealdb::Result<Vec<(String, PinRow)>> {
    #[derive(SurrealValue)]
    struct Row {
        key: String,
        hash: String,
        failures: i64,
        locked_until: Option<DateTime<Utc>>,
    }
    let mut res = db
        .query(
            // Fetched by id (a member's PIN is keyed by the member's key), not a scan.
            "SELECT record::id(id) AS key, hash, failures, locked_until
             FROM $ids.map(|$m| type::record('member_pin', record::id($m)))",
        )
        .bind(("ids", members))
        .await?
        .check()?;
    let rows: Vec<Row> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.key,
                PinRow {
                    hash: r.hash,
                    failures: r.failures,
                    locked_until: r.locked_until,
                },
            )
        })
        .collect())
}

/// Replaces member `key`'s PIN hash by `hash` (the same PIN, hashed with the PIN key).
#[tracing::instrument(skip(db, hash))]
pub async fn rehash_pin(db: &Db, key: &str, hash: String) -> surrealdb::Result<()> {
    db.query("UPDATE type::record('member_pin', $key) SET hash = $hash")
        .bind(("key", key.to_string()))
        .bind(("hash", hash))
        .await?
        .check()?;
    Ok(())
}

/// Sets member `key`'s PIN (its keyed hash, `auth::PinKey::hash`), unlocked.
pub fn set_pin(key: String, member: RecordId, hash: String, now: DateTime<Utc>) -> Change {
    Change::new(
        "UPSERT type::record('member_pin', $q_key) CONTENT {
             member: $q_member, hash: $q_hash, failures: 0, locked_until: NONE, set_at: $q_now
         };",
    )
    .bind("q_key", key)
    .bind("q_member", member)
    .bind("q_hash", hash)
    .bind("q_now", now)
}

/// Counts a wrong PIN for member `key`; the fifth in a row locks it. Returns the wrong
/// tries in a row now.
#[tracing::instrument(skip(db))]
pub async fn pin_failed(db: &Db, key: &str, now: DateTime<Utc>) -> surrealdb::Result<i64> {
    let mut res = db
        .query(
            "UPDATE ONLY type::record('member_pin', $key) SET failures += 1 RETURN VALUE failures",
        )
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    let failures = res.take::<Option<i64>>(0)?.unwrap_or(0);
    if failures >= i64::from(PIN_ATTEMPTS) {
        db.query("UPDATE type::record('member_pin', $key) SET locked_until = $until, failures = 0")
            .bind(("key", key.to_string()))
            .bind(("until", now + Duration::minutes(PIN_LOCK_MINUTES)))
            .await?
            .check()?;
    }
    Ok(failures)
}

/// A right PIN: the count of wrong ones starts again.
#[tracing::instrument(skip(db))]
pub async fn pin_passed(db: &Db, key: &str) -> surrealdb::Result<()> {
    db.query(
        "UPDATE type::record('member_pin', $key) SET failures = 0, locked_until = NONE
         WHERE failures > 0 OR locked_until != NONE",
    )
    .bind(("key", key.to_string()))
    .await?
    .check()?;
    Ok(())
}

/// The demo's rooms (key, name, location) and the PIN of `members`.
pub async fn insert_demo(
    db: &Db,
    rooms: &[(&str, &str, &str)],
    members: &[RecordId],
    pin: &str,
    pin_key: &crate::server::auth::PinKey,
) -> surrealdb::Result<()> {
    for (key, name, location) in rooms {
        db.query(
            "CREATE type::record('room', $key) CONTENT {
                 name: $name, location: $location, created_at: time::now()
             }",
        )
        .bind(("key", key.to_string()))
        .bind(("name", name.to_string()))
        .bind(("location", location.to_string()))
        .await?
        .check()?;
    }
    let mut members = members.to_vec();
    members.sort_by_key(crate::server::key_string);
    members.dedup();
    let pins: Vec<(RecordId, String)> = members
        .into_iter()
        .map(|m| {
            let hash = pin_key.hash(&crate::server::key_string(&m), pin);
            (m, hash)
        })
        .collect();
    db.query(
        "FOR $p IN $pins {
             CREATE type::record('member_pin', record::id($p[0])) CONTENT {
                 member: $p[0], hash: $p[1], failures: 0, set_at: time::now()
             };
         }",
    )
    .bind(("pins", pins))
    .await?
    .check()?;
    Ok(())
}
