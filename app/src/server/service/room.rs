//! Orchestration behind the `room` server functions (`crate::api::room`): meeting rooms,
//! pairing and revoking tablets, a tablet's day and its sign-ins, the members' PINs.

use chrono::{DateTime, Duration, Utc};
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action, china_offset};
use crate::models::meeting::{client_id_ok, sign_in_open};
use crate::models::room::{
    LiveSnapshot, PAIRING_MINUTES, PIN_ATTEMPTS, PairInput, PinInput, PinProblem, RoomInput,
    RoomRow, TabletAttendee, TabletMeeting, TabletRow, TabletSignInInput, TabletSignedIn,
    TabletView, check_pin, check_room, normalize_code, snapshot,
};
use crate::server::audit::Event;
use crate::server::repo::room::RoomMeeting;
use crate::server::{AppState, Ctx, db_error, fail, invalid, key_string, new_key, repo};

/// `YYYY-MM-DD HH:MM` in China time.
fn china_minute(at: DateTime<Utc>) -> String {
    at.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Every room; the committee office also sees each room's tablets.
pub async fn list(ctx: &Ctx) -> Result<Vec<RoomRow>, AppError> {
    let db = &ctx.state.db;
    let rooms = repo::room::rooms(db).await.map_err(db_error)?;
    let office = ctx
        .caller
        .roles
        .contains(&crate::access::Role::CommitteeOffice);
    let tablets = if office {
        repo::room::tablets(db).await.map_err(db_error)?
    } else {
        Vec::new()
    };
    Ok(rooms
        .into_iter()
        .map(|r| RoomRow {
            tablets: tablets
                .iter()
                .filter(|t| t.room == r.id)
                .map(|t| TabletRow {
                    id: key_string(&t.id),
                    label: t.label.clone(),
                    paired_by: t.paired_by.clone().unwrap_or_default(),
                    paired_at: t.paired_at.map(china_minute).unwrap_or_default(),
                    last_seen: t.last_seen.map(china_minute).unwrap_or_default(),
                })
                .collect(),
            id: key_string(&r.id),
            name: r.name,
            location: r.location,
        })
        .collect())
}

/// Registers a room or renames one.
pub async fn save(ctx: &Ctx, input: RoomInput) -> Result<Vec<RoomRow>, AppError> {
    let valid = check_room(&input).map_err(|field| {
        let text = if field == "name" {
            T::TbErrRoomName
        } else {
            T::TbErrRoomLocation
        };
        invalid(field, ctx.lang.t(text).to_string())
    })?;
    let (key, change, verb) = if valid.id.is_empty() {
        let key = new_key("rm");
        let change = repo::room::create_room(key.clone(), valid.clone(), ctx.stamp());
        (key, change, action::CREATE)
    } else {
        let found = repo::room::room(&ctx.state.db, &valid.id)
            .await
            .map_err(db_error)?;
        if found.is_none() {
            return Err(fail(AppError::NotFound));
        }
        let key = valid.id.clone();
        (
            key.clone(),
            repo::room::rename_room(key, valid.clone()),
            action::UPDATE,
        )
    };
    let event = Event::new(verb, Outcome::Success)
        .on("room", key)
        .summary(valid.name.clone());
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { .. }) => {
            return Err(invalid("name", ctx.lang.t(T::TbErrRoomTaken).to_string()));
        }
        other => other?,
    }
    list(ctx).await
}

/// Pairs the tablet showing the code with a room.
pub async fn pair(ctx: &Ctx, input: PairInput) -> Result<Vec<RoomRow>, AppError> {
    let room = repo::room::room(&ctx.state.db, input.room.trim())
        .await
        .map_err(db_error)?;
    let Some(room) = room else {
        return Err(invalid("room", ctx.lang.t(T::TbErrRoom).to_string()));
    };
    let Some(code) = normalize_code(&input.code) else {
        return Err(invalid("code", ctx.lang.t(T::TbErrCode).to_string()));
    };
    let label: String = input.label.trim().chars().take(50).collect();
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("room", key_string(&room.id))
        .summary(format!("paired a tablet {label}"));
    let change = repo::room::pair(code, room.id, label, ctx.stamp());
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { .. }) => {
            return Err(invalid("code", ctx.lang.t(T::TbErrCodeUnknown).to_string()));
        }
        other => other?,
    }
    list(ctx).await
}

/// Revokes a tablet.
pub async fn revoke(ctx: &Ctx, id: &str) -> Result<Vec<RoomRow>, AppError> {
    let key = id.trim();
    if !crate::models::org::is_valid_key(key) {
        return Err(fail(AppError::NotFound));
    }
    let event = Event::new(action::DELETE, Outcome::Success)
        .on("device", key.to_string())
        .summary("revoked");
    match ctx
        .commit(&event, &repo::room::revoke(key.to_string()))
        .await
    {
        Err(AppError::Conflict { .. }) => return Err(fail(AppError::NotFound)),
        other => other?,
    }
    list(ctx).await
}

/// A six-digit code no waiting tablet shows now.
async fn free_code(state: &AppState, now: DateTime<Utc>) -> Result<String, AppError> {
    for _ in 0..20 {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).map_err(|e| fail(crate::server::internal(e)))?;
        let code = format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000);
        if !repo::room::code_taken(&state.db, &code, now)
            .await
            .map_err(db_error)?
        {
            return Ok(code);
        }
    }
    Err(fail(crate::server::internal("no free pairing code")))
}

/// A new device credential for this browser, waiting for pairing, and its code. A
/// browser that already waits keeps its code while it is valid.
pub async fn start_pairing(ctx: &Ctx) -> Result<TabletView, AppError> {
    // A paired tablet stays paired: it gets its day.
    if ctx.caller.room.is_some() {
        return today(ctx).await;
    }
    let now = ctx.state.clock.now();
    if let Some(token) = device_token() {
        let found = repo::room::device(&ctx.state.db, &crate::server::auth::token_key(&token))
            .await
            .map_err(db_error)?;
        if let Some(d) = found {
            if let (Some(code), Some(until)) = (d.code, d.code_until) {
                if until > now && d.room.is_none() {
                    return Ok(pending(code, until));
                }
            }
        }
    }
    let token = crate::server::auth::new_token().map_err(|e| fail(crate::server::internal(e)))?;
    let code = free_code(&ctx.state, now).await?;
    let until = now + Duration::minutes(PAIRING_MINUTES);
    let key = new_key("dv");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("device", key.clone())
        .summary("waiting for pairing");
    let change = repo::room::start_device(
        key,
        crate::server::auth::token_key(&token),
        code.clone(),
        until,
        now,
    );
    ctx.commit(&event, &change).await?;
    crate::server::set_cookie(crate::server::auth::device_cookie(
        &token,
        ctx.state.secure_cookies,
    ));
    Ok(pending(code, until))
}

fn pending(code: String, until: DateTime<Utc>) -> TabletView {
    TabletView::Pending {
        code,
        until: until
            .with_timezone(&china_offset())
            .format("%H:%M")
            .to_string(),
    }
}

/// The device token this request carries, if any.
fn device_token() -> Option<String> {
    leptos::prelude::use_context::<::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(::http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::server::auth::device_from_cookies)
    })
}

/// The tablet's code while it waits, then its room's meetings of the day.
pub async fn today(ctx: &Ctx) -> Result<TabletView, AppError> {
    let Some(room_key) = ctx.caller.room.clone() else {
        return waiting(ctx).await;
    };
    let db = &ctx.state.db;
    let room = repo::room::room(db, &room_key).await.map_err(db_error)?;
    let Some(room) = room else {
        return Err(fail(AppError::Unauthenticated));
    };
    let day = ctx.today();
    let rows = repo::room::meetings_in(db, room.id.clone(), day)
        .await
        .map_err(db_error)?;
    let mut meetings = Vec::with_capacity(rows.len());
    for m in rows {
        meetings.push(with_qr(ctx, tablet_meeting(&ctx.state, m).await?));
    }
    Ok(TabletView::Paired {
        room: room.name,
        today: day.format("%Y-%m-%d").to_string(),
        meetings,
    })
}

async fn waiting(ctx: &Ctx) -> Result<TabletView, AppError> {
    let now = ctx.state.clock.now();
    let found = match device_token() {
        Some(token) => repo::room::device(&ctx.state.db, &crate::server::auth::token_key(&token))
            .await
            .map_err(db_error)?,
        None => None,
    };
    match found {
        Some(d) => match (d.code, d.code_until) {
            (Some(code), Some(until)) if until > now => Ok(pending(code, until)),
            // The code ran out: the tablet asks for a new one.
            _ => Err(fail(AppError::Unauthenticated)),
        },
        None => Err(fail(AppError::Unauthenticated)),
    }
}

/// A meeting with its attendees, how each stands and who has a PIN.
pub async fn tablet_meeting(state: &AppState, m: RoomMeeting) -> Result<TabletMeeting, AppError> {
    let db = &state.db;
    let names = repo::meeting::names(db, m.attendees.clone())
        .await
        .map_err(db_error)?;
    let marks = repo::meeting::attendance(db, m.id.clone())
        .await
        .map_err(db_error)?;
    // Read with their PINs, which are then held: a room's sign-ins read no PIN.
    let pins = state
        .pins
        .warm(db, m.attendees.clone())
        .await
        .map_err(db_error)?;
    let attendees: Vec<TabletAttendee> = m
        .attendees
        .iter()
        .map(|id| TabletAttendee {
            member: key_string(id),
            name: names
                .iter()
                .find(|n| &n.id == id)
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            status: marks.iter().find(|a| &a.member == id).map(|a| a.status),
            has_pin: pins.contains(&key_string(id)),
        })
        .collect();
    let snap = snapshot(&key_string(&m.id), &m.topic, &attendees);
    Ok(TabletMeeting {
        qr: String::new(),
        id: key_string(&m.id),
        kind: m.kind,
        org_name: m.org_name,
        time: m.time,
        topic: m.topic,
        agenda: m.agenda,
        host: m.host_name.unwrap_or_default(),
        present: snap.present,
        expected: snap.expected,
        attendees,
    })
}

/// The live snapshot of the meeting `key` (`None`: no such meeting).
pub async fn live_snapshot(state: &AppState, key: &str) -> Result<Option<LiveSnapshot>, AppError> {
    let found = repo::room::meeting(&state.db, key)
        .await
        .map_err(db_error)?;
    let Some(m) = found else {
        return Ok(None);
    };
    let meeting = tablet_meeting(state, m).await?;
    Ok(Some(snapshot(
        &meeting.id,
        &meeting.topic,
        &meeting.attendees,
    )))
}

/// The meeting `key` if it takes place today in the tablet's room.
pub async fn room_meeting(
    state: &AppState,
    room: &str,
    key: &str,
    today: chrono::NaiveDate,
) -> Result<Option<RoomMeeting>, AppError> {
    if !crate::models::org::is_valid_key(key) {
        return Ok(None);
    }
    let found = repo::room::meeting(&state.db, key)
        .await
        .map_err(db_error)?;
    Ok(found.filter(|m| {
        m.place.as_ref().map(key_string).as_deref() == Some(room) && sign_in_open(m.day, today)
    }))
}

/// Signs an expected attendee in at the tablet, after their PIN.
pub async fn sign_in(ctx: &Ctx, input: TabletSignInInput) -> Result<TabletSignedIn, AppError> {
    let Some(room) = ctx.caller.room.clone() else {
        return Err(ctx.deny("meeting", input.meeting.trim()).await);
    };
    if !client_id_ok(input.client_id.trim()) {
        return Err(invalid(
            "client_id",
            ctx.lang.t(T::MtErrClientId).to_string(),
        ));
    }
    let key = input.meeting.trim();
    let member_key = input.member.trim();
    // Where and when, and who is expected: held in memory until a meeting changes
    // (`AppState::sign_in_meetings`), so a room's burst reads no meeting.
    let found = if crate::models::org::is_valid_key(key) {
        let db = ctx.state.db.clone();
        let owned = key.to_string();
        ctx.state
            .sign_in_meetings
            .get(&ctx.state.meetings, key.to_string(), async move {
                repo::room::sign_in_meeting(&db, &owned).await
            })
            .await
            .map_err(db_error)?
    } else {
        std::sync::Arc::new(None)
    };
    // Another room's meeting, or another day's: the tablet learns nothing of it.
    let Some(m) = found.as_ref().as_ref().filter(|m| {
        m.place.as_ref().map(key_string).as_deref() == Some(room.as_str())
            && sign_in_open(m.day, ctx.today())
    }) else {
        return Err(ctx.deny("meeting", key).await);
    };
    let member = RecordId::new("member", member_key);
    if !crate::models::org::is_valid_key(member_key) || !m.attendees.contains(&member) {
        return Err(invalid("member", ctx.lang.t(T::MtErrMember).to_string()));
    }
    check_member_pin(ctx, member_key, input.pin.trim()).await?;
    // Nothing left can refuse it: answered now, written just after (`pending_writes`).
    super::meeting::accept_sign_in(ctx, &m.id, member, input.client_id.trim());
    // The rest of the list reaches the tablet by its live stream.
    Ok(TabletSignedIn {
        meeting: key_string(&m.id),
        member: member_key.to_string(),
    })
}

/// The meeting with the QR code of its page, at the address the tablet reached this
/// server by (`Host`; `https` when cookies are marked secure, i.e. behind TLS).
fn with_qr(ctx: &Ctx, mut m: TabletMeeting) -> TabletMeeting {
    let host = leptos::prelude::use_context::<::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    if let Some(host) = host.filter(|h| crate::models::room::plain_host(h)) {
        let scheme = if ctx.state.secure_cookies {
            "https"
        } else {
            "http"
        };
        m.qr = qr_svg(&format!("{scheme}://{host}/meetings/{}", m.id));
    }
    m
}

/// The QR code of `url` as SVG markup (without the XML declaration), or empty.
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            match svg.find("<svg") {
                Some(start) => svg[start..].to_string(),
                None => String::new(),
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "QR code not drawn");
            String::new()
        }
    }
}

/// Checks `pin` for member `key`: unset, locked and wrong PINs are refused (the fifth
/// wrong one in a row locks it).
async fn check_member_pin(ctx: &Ctx, key: &str, pin: &str) -> Result<(), AppError> {
    let db = &ctx.state.db;
    let now = ctx.state.clock.now();
    let row = ctx.state.pins.get(db, key).await.map_err(db_error)?;
    let Some(row) = row else {
        return Err(invalid("pin", ctx.lang.t(T::TbErrNoPin).to_string()));
    };
    if let Some(until) = row.locked_until.filter(|u| *u > now) {
        let minutes = ((until - now).num_seconds() + 59) / 60;
        return Err(invalid(
            "pin",
            ctx.lang.t(T::TbErrPinLocked(minutes)).to_string(),
        ));
    }
    let right = match ctx.state.pin_key.verify(key, pin, &row.hash) {
        Some(right) => right,
        // Set before PINs were keyed (an Argon2 hash): checked the old way once, and
        // stored keyed when right.
        None => {
            let right = ctx
                .state
                .passwords
                .verify(pin.to_string(), Some(row.hash))
                .await;
            if right {
                let keyed = ctx.state.pin_key.hash(key, pin);
                repo::room::rehash_pin(db, key, keyed)
                    .await
                    .map_err(db_error)?;
                ctx.state.pins.forget(key);
            }
            right
        }
    };
    if right {
        if row.failures > 0 || row.locked_until.is_some() {
            repo::room::pin_passed(db, key).await.map_err(db_error)?;
            ctx.state.pins.forget(key);
        }
        return Ok(());
    }
    let failures = repo::room::pin_failed(db, key, now)
        .await
        .map_err(db_error)?;
    ctx.state.pins.forget(key);
    let event = Event::new(action::DENIED, Outcome::Denied)
        .on("member_pin", key.to_string())
        .summary(format!("wrong PIN ({failures} in a row)"));
    ctx.record(&event).await;
    let left = i64::from(PIN_ATTEMPTS) - failures;
    let text = if left <= 0 {
        ctx.lang
            .t(T::TbErrPinLocked(crate::models::room::PIN_LOCK_MINUTES))
    } else {
        ctx.lang.t(T::TbErrPinWrong(left))
    };
    Err(invalid("pin", text))
}

/// Sets the caller's PIN.
pub async fn set_pin(ctx: &Ctx, input: PinInput) -> Result<bool, AppError> {
    let Some(member) = ctx.caller.member.clone() else {
        return Err(invalid("pin", ctx.lang.t(T::TbErrNotMember).to_string()));
    };
    let pin = input.pin.trim().to_string();
    check_pin(&pin).map_err(|p| {
        let text = match p {
            PinProblem::Shape => T::TbErrPinShape,
            PinProblem::Guessable => T::TbErrPinGuessable,
        };
        invalid("pin", ctx.lang.t(text).to_string())
    })?;
    let hash = ctx.state.pin_key.hash(&member, &pin);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member_pin", member.clone())
        .summary("set the sign-in PIN");
    let change = repo::room::set_pin(
        member.clone(),
        RecordId::new("member", member.as_str()),
        hash,
        ctx.state.clock.now(),
    );
    ctx.commit(&event, &change).await?;
    Ok(true)
}

/// Whether the caller has a PIN.
pub async fn pin_status(ctx: &Ctx) -> Result<bool, AppError> {
    let Some(member) = ctx.caller.member.as_deref() else {
        return Ok(false);
    };
    Ok(repo::room::pin(&ctx.state.db, member)
        .await
        .map_err(db_error)?
        .is_some())
}
