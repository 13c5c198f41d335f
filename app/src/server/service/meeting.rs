//! Orchestration behind the `meeting` server functions (`crate::api::meeting`): the first
//! part of organisational life (issue 14), meetings scheduled or recorded and where a
//! branch stands against the compliance rules.

use chrono::{Datelike, NaiveDate};

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action};
use crate::models::meeting::{
    Attendance, AttendanceInput, AttendeeRow, Frequency, LeaveDecisionInput, LeaveRequest,
    LeaveRequestInput, LeaveState, MeetingDetail, MeetingFilesInput, MeetingInput, MeetingKind,
    MeetingPeopleInput, MeetingQuery, MeetingRules, MeetingRulesInput, MeetingSummary,
    MeetingsPage, MinutesInput, MinutesState, Named, RULE_SLOTS, RuleSetting, SignInInput,
    SignInVia, check_attendance, check_leave_reason, check_meeting, check_minutes, check_people,
    check_rules, client_id_ok, default_roles, is_late_record, leave_open, sign_in_open, standings,
    tally,
};
use crate::models::meeting::{ComplianceGrid, GridRow, Ledger, LedgerEntry, grid_cells};
use crate::models::points::PointRule;
use crate::server::audit::Event;
use crate::server::repo::meeting::{MeetingFull, People};
use crate::server::{Ctx, db_error, fail, invalid, key_string, new_key, repo, scope};
use surrealdb::types::RecordId;

/// Schedules a meeting of an organisation in the caller's reach (or records one already
/// held: a day before today is a 补录, marked late). Returns its key.
pub async fn schedule(ctx: &Ctx, input: MeetingInput) -> Result<String, AppError> {
    let org = input.org.trim();
    if org.is_empty() {
        return Err(invalid("org", ctx.lang.t(T::MtErrOrg).to_string()));
    }
    let info = scope::record::org(ctx, org).await?;
    let valid = check_meeting(&input, info.kind)
        .map_err(|p| invalid(p.field(), ctx.lang.t(p.text()).to_string()))?;
    let late = is_late_record(valid.day, ctx.today());
    let mut people = people(ctx, &info.id, valid.kind, &input).await?;
    let mut valid = valid;
    let place = input.place.trim();
    if !place.is_empty() {
        let room = repo::room::room(&ctx.state.db, place)
            .await
            .map_err(db_error)?;
        let Some(room) = room else {
            return Err(invalid("place", ctx.lang.t(T::TbErrRoom).to_string()));
        };
        valid.room = room.name;
        people.place = Some(room.id);
    }
    let key = new_key("mt");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("meeting", key.clone())
        .summary(format!("{} {} for {org}", valid.kind.as_str(), valid.day));
    let change = repo::meeting::schedule(key.clone(), info.id, valid, people, late, ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// The host, recorder and planned attendees of a new meeting of `org`: its active members
/// (a 支委会: those with a committee seat), the host and recorder as chosen (they must be
/// among the organisation's members) or by seat (`default_roles`).
async fn people(
    ctx: &Ctx,
    org: &RecordId,
    kind: MeetingKind,
    input: &MeetingInput,
) -> Result<People, AppError> {
    let seats = repo::meeting::members_of(&ctx.state.db, org.clone())
        .await
        .map_err(db_error)?;
    let positions: Vec<(String, crate::models::org::Position)> = seats
        .iter()
        .map(|s| (key_string(&s.id), s.position))
        .collect();
    let (host_default, recorder_default) = default_roles(&positions);
    let pick = |typed: &str, default: Option<String>| -> Result<Option<RecordId>, AppError> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(default.map(|k| RecordId::new("member", k)));
        }
        match positions.iter().find(|(k, _)| k == typed) {
            Some((k, _)) => Ok(Some(RecordId::new("member", k.clone()))),
            None => Err(invalid("host", ctx.lang.t(T::MtErrHost).to_string())),
        }
    };
    let host = pick(&input.host, host_default)?;
    let recorder = pick(&input.recorder, recorder_default)
        .map_err(|_| invalid("recorder", ctx.lang.t(T::MtErrHost).to_string()))?;
    let attendees = seats
        .into_iter()
        .filter(|s| kind != MeetingKind::Committee || s.position.is_committee_seat())
        .map(|s| s.id)
        .collect();
    Ok(People {
        host,
        recorder,
        attendees,
        place: None,
    })
}

/// The year's meetings of the organisations in reach (narrowed to `org`'s subtree), and,
/// for one named organisation (or the only one the caller reaches), where each of its
/// rules stands today.
pub async fn list(ctx: &Ctx, query: MeetingQuery) -> Result<MeetingsPage, AppError> {
    let org = query.org.trim();
    let Ok(orgs) = ctx.scope.orgs(org) else {
        return Err(ctx.deny("org", org).await);
    };
    let today = ctx.today();
    let year = if query.year == 0 {
        today.year()
    } else {
        query.year
    };
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(invalid("year", ctx.lang.t(T::MtErrDay).to_string()));
    };
    let rows = repo::meeting::in_days(&ctx.state.db, orgs, from, to)
        .await
        .map_err(db_error)?;
    let meetings: Vec<MeetingSummary> = rows
        .into_iter()
        .map(|r| MeetingSummary {
            id: key_string(&r.id),
            org: key_string(&r.org),
            org_name: r.org_name,
            kind: r.kind,
            day: r.day,
            time: r.time,
            topic: r.topic,
            room: r.room,
            late: r.late,
        })
        .collect();
    // With no organisation named, a caller who reaches one (a branch secretary) sees where
    // it stands at once, without choosing it first.
    let org = match &ctx.scope.reach {
        scope::Reach::Subtrees(roots) if org.is_empty() && roots.len() == 1 => roots[0].as_str(),
        _ => org,
    };
    let standings = if org.is_empty() || year != today.year() {
        Vec::new()
    } else {
        // In reach (checked above): its kind comes from the cached structure.
        let structure = ctx.structure().await?;
        let Some(kind) = structure
            .subtrees(&[org.to_string()])
            .first()
            .map(|n| n.kind)
        else {
            return Err(ctx.deny("org", org).await);
        };
        let held: Vec<_> = meetings
            .iter()
            .filter(|m| m.org == org)
            .map(|m| (m.kind, m.day))
            .collect();
        let rules = rules_in_force(ctx).await?;
        standings(kind, &rules.in_force(), &held, today, rules.warn_days)
    };
    Ok(MeetingsPage {
        year,
        meetings,
        standings,
    })
}

/// The meeting `key`, if there is one (a malformed key finds none).
async fn find(ctx: &Ctx, key: &str) -> Result<Option<MeetingFull>, AppError> {
    if !crate::models::org::is_valid_key(key) {
        return Ok(None);
    }
    repo::meeting::find(&ctx.state.db, key)
        .await
        .map_err(db_error)
}

/// The caller's own member record.
fn me(ctx: &Ctx) -> Option<RecordId> {
    ctx.caller
        .member
        .as_deref()
        .map(|k| RecordId::new("member", k))
}

async fn meeting_in_reach(ctx: &Ctx, key: &str) -> Result<MeetingFull, AppError> {
    let key = key.trim();
    let found = find(ctx, key).await?;
    match found {
        Some(m) if ctx.scope.org(&key_string(&m.org)) => Ok(m),
        None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
        _ => Err(ctx.deny("meeting", key).await),
    }
}

fn summary(m: &MeetingFull) -> MeetingSummary {
    MeetingSummary {
        id: key_string(&m.id),
        org: key_string(&m.org),
        org_name: m.org_name.clone(),
        kind: m.kind,
        day: m.day,
        time: m.time.clone(),
        topic: m.topic.clone(),
        room: m.room.clone(),
        late: m.late,
    }
}

/// The meeting's page: who runs it, who is expected and how each stands, the minutes.
async fn detail(ctx: &Ctx, m: MeetingFull, can_manage: bool) -> Result<MeetingDetail, AppError> {
    let db = &ctx.state.db;
    let mut wanted = m.attendees.clone();
    wanted.extend(m.host.iter().cloned());
    wanted.extend(m.recorder.iter().cloned());
    let names = repo::meeting::names(db, wanted).await.map_err(db_error)?;
    let name_of = |id: &RecordId| {
        names
            .iter()
            .find(|n| &n.id == id)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    let named = |id: &Option<RecordId>| {
        id.as_ref().map(|id| Named {
            id: key_string(id),
            name: name_of(id),
        })
    };
    let marks = repo::meeting::attendance(db, m.id.clone())
        .await
        .map_err(db_error)?;
    let requests = repo::meeting::leave_requests(db, m.id.clone())
        .await
        .map_err(db_error)?;
    let mut attendees: Vec<AttendeeRow> = m
        .attendees
        .iter()
        .map(|id| {
            let mark = marks.iter().find(|a| &a.member == id);
            AttendeeRow {
                member: key_string(id),
                name: name_of(id),
                status: mark.map(|a| a.status),
                via: mark.map(|a| a.via),
                reason: mark.map(|a| a.reason.clone()).unwrap_or_default(),
                request: requests
                    .iter()
                    .find(|r| &r.member == id)
                    .map(|r| LeaveRequest {
                        state: r.state,
                        reason: r.reason.clone(),
                        decided_by: r.decided_by.clone(),
                    }),
            }
        })
        .collect();
    attendees.sort_by(|a, b| a.name.cmp(&b.name));
    let me = me(ctx);
    let can_sign_in = sign_in_open(m.day, ctx.today())
        && me.as_ref().is_some_and(|me| {
            m.attendees.contains(me)
                && !marks
                    .iter()
                    .any(|a| &a.member == me && a.status == Attendance::Present)
        });
    let can_request_leave = me.as_ref().is_some_and(|me| {
        let present = marks
            .iter()
            .any(|a| &a.member == me && a.status == Attendance::Present);
        let decided = requests
            .iter()
            .any(|r| &r.member == me && r.state != LeaveState::Pending);
        m.attendees.contains(me) && leave_open(m.day, ctx.today(), present, decided)
    });
    // Whom the committee may name, while the minutes may still change.
    let choices = if can_manage && m.minutes_state != MinutesState::Approved {
        repo::meeting::members_of(db, m.org.clone())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(|s| Named {
                id: key_string(&s.id),
                name: s.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(MeetingDetail {
        can_request_leave,
        meeting: summary(&m),
        host: named(&m.host),
        recorder: named(&m.recorder),
        tally: tally(&attendees),
        attendees,
        agenda: m.agenda,
        lecturer: m.lecturer,
        created_by: m.created_by,
        created_on: m
            .created_at
            .with_timezone(&crate::models::audit::china_offset())
            .date_naive(),
        minutes: m.minutes,
        minutes_state: m.minutes_state,
        approved_by: m.approved_by.unwrap_or_default(),
        can_manage,
        can_sign_in,
        choices,
        // Last: the fields above read `m` whole first.
        files: crate::server::service::assessment::attachment_views(m.files),
    })
}

/// One meeting of an organisation in reach, whole; for a member expected at it (the page
/// their phone opens to sign in), the meeting with the count and their own line only.
pub async fn get(ctx: &Ctx, id: &str) -> Result<MeetingDetail, AppError> {
    let key = id.trim();
    let found = find(ctx, key).await?;
    let me = me(ctx);
    match found {
        Some(m) if ctx.scope.org(&key_string(&m.org)) => detail(ctx, m, true).await,
        Some(m) if me.as_ref().is_some_and(|me| m.attendees.contains(me)) => {
            let mut d = detail(ctx, m, false).await?;
            let mine = ctx.caller.member.clone().unwrap_or_default();
            d.attendees.retain(|a| a.member == mine);
            d.agenda.clear();
            d.minutes.clear();
            d.files.clear();
            Ok(d)
        }
        None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
        _ => Err(ctx.deny("meeting", key).await),
    }
}

/// The recorder marks one planned attendee present, on leave (with the reason) or absent.
pub async fn mark(ctx: &Ctx, input: AttendanceInput) -> Result<MeetingDetail, AppError> {
    let m = meeting_in_reach(ctx, &input.meeting).await?;
    let (status, reason) = check_attendance(&input).map_err(|field| {
        let text = if field == "reason" {
            T::MtErrReason
        } else {
            T::MtErrStatus
        };
        invalid(field, ctx.lang.t(text).to_string())
    })?;
    let member = RecordId::new("member", input.member.trim().to_string());
    if !m.attendees.contains(&member) {
        return Err(invalid("member", ctx.lang.t(T::MtErrMember).to_string()));
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary(format!("attendance {} {status}", key_string(&member)));
    let change = repo::meeting::mark(
        m.id.clone(),
        member,
        status,
        SignInVia::Recorder,
        reason,
        String::new(),
        ctx.stamp(),
    );
    ctx.commit(&event, &change).await?;
    get(ctx, &key_string(&m.id)).await
}

/// The caller signs in to a meeting they are expected at, on its day (by phone; the tablet
/// signs in for its room). A sign-in already recorded (the same client id sent again, or
/// a second tap) changes nothing: one attendance per member and meeting.
pub async fn sign_in(ctx: &Ctx, input: SignInInput) -> Result<MeetingDetail, AppError> {
    let key = input.meeting.trim();
    let found = find(ctx, key).await?;
    let me = me(ctx);
    if !client_id_ok(input.client_id.trim()) {
        return Err(invalid(
            "client_id",
            ctx.lang.t(T::MtErrClientId).to_string(),
        ));
    }
    // Someone not expected learns nothing about the meeting (not even that it exists).
    let (Some(m), Some(me)) = (found, me) else {
        return Err(ctx.deny("meeting", key).await);
    };
    if !m.attendees.contains(&me) {
        return Err(ctx.deny("meeting", key).await);
    }
    if !sign_in_open(m.day, ctx.today()) {
        return Err(invalid(
            "meeting",
            ctx.lang.t(T::MtErrSignInDay).to_string(),
        ));
    }
    record_sign_in(ctx, &m.id, me, SignInVia::Phone, input.client_id.trim()).await?;
    get(ctx, key).await
}

/// Writes `member`'s sign-in to `meeting` (present, unless already) as domain history, not
/// the security trail (docs/audit-and-history.md): the attendance record keeps who (the
/// account, or the tablet), how, when and the client's id; one statement, its own
/// transaction, so a room's burst is not queued behind the trail's lock (a phone's
/// sign-in waits for it; a tablet's is answered first, [`accept_sign_in`]). The screens
/// following the meeting on this server hear of it at once (the others by the change
/// notification).
pub(crate) async fn record_sign_in(
    ctx: &Ctx,
    meeting: &RecordId,
    member: RecordId,
    via: SignInVia,
    client_id: &str,
) -> Result<(), AppError> {
    let change = repo::meeting::sign_in(
        meeting.clone(),
        member,
        via,
        client_id.to_string(),
        ctx.stamp(),
    );
    crate::server::history::write_one(&ctx.state.db, &change)
        .await
        .map_err(db_error)?;
    ctx.state
        .live_meetings
        .changed(&ctx.state, &key_string(meeting));
    Ok(())
}

/// As [`record_sign_in`] at a meeting-room tablet, once everything that could refuse it
/// has been checked: written on a thread of the blocking pool, so the tablet is answered
/// at once (`pending_writes`). A write the database refuses is tried again, and then
/// logged; the tablet sends the sign-in again until the live stream shows the attendee
/// present.
pub(crate) fn accept_sign_in(ctx: &Ctx, meeting: &RecordId, member: RecordId, client_id: &str) {
    let state = ctx.state.clone();
    let key = key_string(meeting);
    let who = key_string(&member);
    let change = repo::meeting::sign_in(
        meeting.clone(),
        member,
        SignInVia::Tablet,
        client_id.to_string(),
        ctx.stamp(),
    );
    let client_id = client_id.to_string();
    ctx.state.sign_in_writes.spawn(async move {
        use crate::server::pending_writes::{RETRY_AFTER, TRY_LIMIT, with_retries};
        let written = with_retries(&RETRY_AFTER, || async {
            match tokio::time::timeout(
                TRY_LIMIT,
                crate::server::history::write_one(&state.db, &change),
            )
            .await
            {
                Ok(done) => done.map_err(|e| e.to_string()),
                Err(_) => Err(format!("no answer within {TRY_LIMIT:?}")),
            }
        })
        .await;
        match written {
            Ok(()) => state.live_meetings.changed(&state, &key),
            Err(e) => tracing::error!(
                meeting = %key,
                member = %who,
                client_id = %client_id,
                error = %e,
                "a tablet's sign-in could not be written; the tablet will send it again"
            ),
        }
    });
}

/// The caller asks for leave from a meeting they are expected at, until the end of its
/// day, unless present or already decided. Asking again while the request waits replaces
/// its reason.
pub async fn request_leave(ctx: &Ctx, input: LeaveRequestInput) -> Result<MeetingDetail, AppError> {
    let key = input.meeting.trim();
    let Some(reason) = check_leave_reason(&input.reason) else {
        return Err(invalid("reason", ctx.lang.t(T::MtErrReason).to_string()));
    };
    let found = find(ctx, key).await?;
    // Someone not expected learns nothing about the meeting (not even that it exists).
    let (Some(m), Some(me)) = (found, me(ctx)) else {
        return Err(ctx.deny("meeting", key).await);
    };
    if !m.attendees.contains(&me) {
        return Err(ctx.deny("meeting", key).await);
    }
    let db = &ctx.state.db;
    let present = repo::meeting::attendance(db, m.id.clone())
        .await
        .map_err(db_error)?
        .iter()
        .any(|a| a.member == me && a.status == Attendance::Present);
    let decided = repo::meeting::leave_requests(db, m.id.clone())
        .await
        .map_err(db_error)?
        .iter()
        .any(|r| r.member == me && r.state != LeaveState::Pending);
    let closed = || invalid("meeting", ctx.lang.t(T::MtErrLeaveClosed).to_string());
    if !leave_open(m.day, ctx.today(), present, decided) {
        return Err(closed());
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary(format!("leave requested by {}", key_string(&me)));
    let change = repo::meeting::request_leave(m.id.clone(), me, reason, ctx.stamp());
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { .. } => closed(),
        e => e,
    })?;
    get(ctx, key).await
}

/// The committee approves or refuses a waiting request for leave from a meeting in its
/// reach; approved, the member's attendance becomes 请假 with the request's reason.
pub async fn decide_leave(ctx: &Ctx, input: LeaveDecisionInput) -> Result<MeetingDetail, AppError> {
    let m = meeting_in_reach(ctx, &input.meeting).await?;
    let member = input.member.trim();
    let none = || invalid("member", ctx.lang.t(T::MtErrNoRequest).to_string());
    if !crate::models::org::is_valid_key(member) {
        return Err(none());
    }
    let member = RecordId::new("member", member.to_string());
    let requests = repo::meeting::leave_requests(&ctx.state.db, m.id.clone())
        .await
        .map_err(db_error)?;
    let Some(request) = requests
        .into_iter()
        .find(|r| r.member == member && r.state == LeaveState::Pending)
    else {
        return Err(none());
    };
    let word = if input.approve { "approved" } else { "refused" };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary(format!("leave of {} {word}", key_string(&member)));
    let change = repo::meeting::decide_leave(
        m.id.clone(),
        member,
        input.approve,
        request.reason,
        ctx.stamp(),
    );
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { .. } => none(),
        e => e,
    })?;
    get(ctx, &key_string(&m.id)).await
}

/// Saves the minutes as a draft, or submits them for approval.
pub async fn save_minutes(ctx: &Ctx, input: MinutesInput) -> Result<MeetingDetail, AppError> {
    let m = meeting_in_reach(ctx, &input.meeting).await?;
    let text = check_minutes(&input.minutes, input.submit, m.minutes_state).map_err(|f| {
        if f == "state" {
            invalid("minutes", ctx.lang.t(T::MtErrApproved).to_string())
        } else {
            invalid("minutes", ctx.lang.t(T::MtErrMinutes).to_string())
        }
    })?;
    let state = match (input.submit, text.is_empty()) {
        (true, _) => MinutesState::Submitted,
        (false, true) => MinutesState::Empty,
        (false, false) => MinutesState::Draft,
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary(format!("minutes {state}"));
    let change = repo::meeting::save_minutes(m.id.clone(), text, state, ctx.stamp());
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { .. } => invalid("minutes", ctx.lang.t(T::MtErrApproved).to_string()),
        e => e,
    })?;
    get(ctx, &key_string(&m.id)).await
}

/// Replaces the minutes' photos and attachments: files the caller may read (uploaded
/// there and then, or earlier), at most `ATTACHMENTS_MAX`; refused once the minutes are
/// approved.
pub async fn set_files(ctx: &Ctx, input: MeetingFilesInput) -> Result<MeetingDetail, AppError> {
    let m = meeting_in_reach(ctx, &input.meeting).await?;
    let approved = || invalid("files", ctx.lang.t(T::MtErrApproved).to_string());
    if m.minutes_state == MinutesState::Approved {
        return Err(approved());
    }
    let files = crate::server::service::assessment::attachments(ctx, &input.files).await?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary(format!("{} minutes files", files.len()));
    let change = repo::meeting::set_files(m.id.clone(), files);
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { .. } => approved(),
        e => e,
    })?;
    get(ctx, &key_string(&m.id)).await
}

/// Changes the host, the recorder and the planned attendees of a meeting in reach, from
/// the active members of its organisation (a 支委会 may invite a member without a seat);
/// someone no longer expected loses their attendance and request for leave. Refused once the minutes are
/// approved (the record is then final).
pub async fn set_people(ctx: &Ctx, input: MeetingPeopleInput) -> Result<MeetingDetail, AppError> {
    let m = meeting_in_reach(ctx, &input.meeting).await?;
    let approved = || invalid("attendees", ctx.lang.t(T::MtErrApproved).to_string());
    if m.minutes_state == MinutesState::Approved {
        return Err(approved());
    }
    let seats = repo::meeting::members_of(&ctx.state.db, m.org.clone())
        .await
        .map_err(db_error)?;
    let keys: Vec<String> = seats.iter().map(|s| key_string(&s.id)).collect();
    let (host, recorder, attendees) = check_people(&input, &keys).map_err(|field| {
        let text = if field == "attendees" {
            T::MtErrAttendees
        } else {
            T::MtErrHost
        };
        invalid(field, ctx.lang.t(text).to_string())
    })?;
    let member = |k: String| RecordId::new("member", k);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary(format!(
            "people: host {:?}, recorder {:?}, {} attendees",
            host,
            recorder,
            attendees.len()
        ));
    let change = repo::meeting::set_people(
        m.id.clone(),
        host.map(member),
        recorder.map(member),
        attendees.into_iter().map(member).collect(),
    );
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { .. } => approved(),
        e => e,
    })?;
    get(ctx, &key_string(&m.id)).await
}

/// Approves submitted minutes; from then on they no longer change.
pub async fn approve_minutes(ctx: &Ctx, id: &str) -> Result<MeetingDetail, AppError> {
    let m = meeting_in_reach(ctx, id).await?;
    if m.minutes_state != MinutesState::Submitted {
        return Err(invalid(
            "minutes",
            ctx.lang.t(T::MtErrNotSubmitted).to_string(),
        ));
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting", key_string(&m.id))
        .summary("minutes approved");
    let change = repo::meeting::approve_minutes(m.id.clone(), ctx.stamp());
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { .. } => {
            invalid("minutes", ctx.lang.t(T::MtErrNotSubmitted).to_string())
        }
        e => e,
    })?;
    let detail = get(ctx, &key_string(&m.id)).await?;
    // The record is final: those present earn the meeting's points (once per meeting).
    let present: Vec<RecordId> = detail
        .attendees
        .iter()
        .filter(|a| a.status == Some(Attendance::Present))
        .map(|a| RecordId::new("member", a.member.as_str()))
        .collect();
    crate::server::service::points::award_each(
        &ctx.state,
        present,
        PointRule::MeetingAttended,
        format!("meeting:{}", key_string(&m.id)),
        if detail.meeting.topic.trim().is_empty() {
            ctx.lang.t(detail.meeting.kind.label()).to_string()
        } else {
            detail.meeting.topic.clone()
        },
    )
    .await;
    Ok(detail)
}

/// The year asked (0: this year in China time) and its first and last day.
fn year_span(ctx: &Ctx, year: i32) -> Result<(i32, NaiveDate, NaiveDate), AppError> {
    let year = if year == 0 { ctx.today().year() } else { year };
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(from), Some(to)) if (2000..=2100).contains(&year) => Ok((year, from, to)),
        _ => Err(invalid("year", ctx.lang.t(T::MtErrDay).to_string())),
    }
}

/// What the compliance rules count, per organisation: the kind and day of every meeting
/// on the days `from..=to` of `orgs` (`None`: all). Held in memory until a meeting changes
/// on any server (`AppState::meetings`); the grid and the 待办 read it.
async fn held_by_org(
    ctx: &Ctx,
    orgs: Option<Vec<RecordId>>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<std::collections::HashMap<String, Vec<(MeetingKind, NaiveDate)>>, AppError> {
    let key = (
        orgs.as_ref()
            .map(|o| o.iter().map(key_string).collect::<Vec<_>>()),
        from,
        to,
    );
    let rows = ctx
        .state
        .meetings_held
        .get(&ctx.state.meetings, key, async {
            repo::meeting::held_in(&ctx.state.db, orgs, from, to)
                .await
                .map_err(db_error)
        })
        .await?;
    let mut held: std::collections::HashMap<String, Vec<(MeetingKind, NaiveDate)>> =
        std::collections::HashMap::new();
    for r in rows.iter() {
        held.entry(key_string(&r.org))
            .or_default()
            .push((r.kind, r.day));
    }
    Ok(held)
}

/// The branch × month grid: every organisation in reach (narrowed to `org`'s subtree) that
/// has rules (branches and Party groups), in tree order, with the twelve months of `year`
/// as they stand today.
pub async fn grid(ctx: &Ctx, query: MeetingQuery) -> Result<ComplianceGrid, AppError> {
    let org = query.org.trim();
    let Ok(orgs) = ctx.scope.orgs(org) else {
        return Err(ctx.deny("org", org).await);
    };
    let (year, from, to) = year_span(ctx, query.year)?;
    let structure = ctx.structure().await?;
    let forest = if !org.is_empty() {
        structure.subtrees(&[org.to_string()])
    } else {
        ctx.scope.restrict(structure.forest().to_vec())
    };
    let held = held_by_org(ctx, orgs, from, to).await?;
    let today = ctx.today();
    let mut out = Vec::new();
    fn walk<'a>(
        nodes: &'a [crate::models::org::OrgNode],
        out: &mut Vec<&'a crate::models::org::OrgNode>,
    ) {
        for n in nodes {
            out.push(n);
            walk(&n.children, out);
        }
    }
    let mut nodes = Vec::new();
    walk(&forest, &mut nodes);
    let settings = rules_in_force(ctx).await?;
    let rules = settings.in_force();
    for node in nodes {
        if !rules.iter().any(|r| r.org_kind == node.kind) {
            continue;
        }
        let mine = held.get(&node.id).map(Vec::as_slice).unwrap_or(&[]);
        out.push(GridRow {
            org: node.id.clone(),
            org_name: node.name.clone(),
            cells: grid_cells(node.kind, &rules, mine, year, today, settings.warn_days),
        });
    }
    Ok(ComplianceGrid { year, rows: out })
}

/// A branch's 台账 for a year: every meeting of the organisation itself (not those below),
/// oldest first, with who attended, who was on leave and why, who was absent, and the
/// minutes; the Party committee's and the branch's names for the header.
pub async fn ledger(ctx: &Ctx, query: MeetingQuery) -> Result<Ledger, AppError> {
    let org = query.org.trim();
    if org.is_empty() {
        return Err(invalid("org", ctx.lang.t(T::MtErrOrg).to_string()));
    }
    let info = scope::record::org(ctx, org).await?;
    let (year, from, to) = year_span(ctx, query.year)?;
    let rows = repo::meeting::in_days(&ctx.state.db, Some(vec![info.id.clone()]), from, to)
        .await
        .map_err(db_error)?;
    let structure = ctx.structure().await?;
    let committee = structure
        .forest()
        .iter()
        .find(|n| n.kind == crate::models::org::OrgKind::Committee)
        .map(|n| n.name.clone())
        .unwrap_or_default();
    let today = ctx.today();
    let mut entries = Vec::new();
    // Oldest first, as the paper ledger is kept.
    for row in rows.into_iter().rev() {
        let Some(m) = find(ctx, &key_string(&row.id)).await? else {
            continue;
        };
        let held = m.day <= today;
        let d = detail(ctx, m, true).await?;
        let mut present = Vec::new();
        let mut leave = Vec::new();
        let mut absent = Vec::new();
        for a in &d.attendees {
            match a.status {
                Some(Attendance::Present) => present.push(a.name.clone()),
                Some(Attendance::Leave) => leave.push((a.name.clone(), a.reason.clone())),
                Some(Attendance::Absent) => absent.push(a.name.clone()),
                None if held => absent.push(a.name.clone()),
                None => {}
            }
        }
        entries.push(LedgerEntry {
            expected: d.attendees.len() as u32,
            meeting: d.meeting,
            host: d.host.map(|n| n.name).unwrap_or_default(),
            recorder: d.recorder.map(|n| n.name).unwrap_or_default(),
            lecturer: d.lecturer,
            agenda: d.agenda,
            present,
            leave,
            absent,
            minutes: d.minutes,
            minutes_state: d.minutes_state,
            approved_by: d.approved_by,
            created_by: d.created_by,
            created_on: d.created_on,
            files: d.files,
        });
    }
    Ok(Ledger {
        committee,
        org: org.to_string(),
        org_name: info.name,
        year,
        entries,
    })
}

/// How many days ahead a meeting the caller is expected at shows in their 待办.
const INBOX_DAYS: u64 = 7;

/// Organisational life in the caller's 待办 (`get_inbox`):
/// - meetings they are expected at, today and in the next [`INBOX_DAYS`] days, until they
///   are present;
/// - for a branch committee: minutes submitted for approval in reach, and each rule of its own organisations not held yet whose period
///   ends within the warning days (due soon) or ended (last period, overdue).
///
/// Returns the items and how many of them are overdue.
pub async fn inbox(
    ctx: &Ctx,
) -> Result<(Vec<crate::models::closed_loop::InboxItem>, i64), AppError> {
    use crate::access::Role;
    use crate::models::closed_loop::{InboxItem, InboxKind};
    use crate::models::meeting::Standing;
    let db = &ctx.state.db;
    let today = ctx.today();
    let mut items = Vec::new();
    let mut overdue = 0;
    // A meeting as an item of the 待办: "主题党日：topic", on its day, to its page.
    let item = |kind: InboxKind, m: repo::meeting::MeetingRow| InboxItem {
        kind,
        title: ctx
            .lang
            .t(T::Labelled(ctx.lang.t(m.kind.label()), &m.topic))
            .to_string(),
        org_name: m.org_name,
        deadline: m.day,
        overdue: false,
        href: format!("/meetings/{}", key_string(&m.id)),
    };
    if let Some(member) = me(ctx) {
        let to = today + chrono::Days::new(INBOX_DAYS);
        for m in repo::meeting::expecting(db, member.clone(), today, to)
            .await
            .map_err(db_error)?
        {
            items.push(item(InboxKind::Meeting, m));
        }
        // 民主评议 waiting for the member: a 党性分析 to write, a ballot to cast.
        for (a, step) in repo::appraisal::waiting_for(db, &member)
            .await
            .map_err(db_error)?
        {
            items.push(InboxItem {
                kind: InboxKind::Appraisal,
                title: ctx.lang.t(step).to_string(),
                org_name: a.org_name,
                deadline: today,
                overdue: false,
                href: format!("/meetings/appraisals/{}", key_string(&a.id)),
            });
        }
    }
    // The secretary approves minutes and answers for the rules; the office watches them on
    // the grid instead.
    if ctx.caller.roles.contains(&Role::BranchCommittee) {
        // Under the meetings' own rule: the same reach as the list.
        let scope = scope::Scope::of(
            &crate::api::meeting::LIST_MEETINGS,
            &ctx.caller,
            db,
            &ctx.state.structure,
        )
        .await
        .map_err(db_error)?;
        if let Ok(orgs) = scope.orgs("")
            && orgs.as_ref().is_none_or(|o| !o.is_empty())
        {
            for m in repo::meeting::minutes_waiting(db, orgs.clone())
                .await
                .map_err(db_error)?
            {
                items.push(item(InboxKind::Minutes, m));
            }
            // Requests for leave from meetings still ahead (or today), by the member's
            // name: "张三 请假：主题党日：…".
            for (m, name) in repo::meeting::leave_waiting(db, orgs, today)
                .await
                .map_err(db_error)?
            {
                let mut it = item(InboxKind::Leave, m);
                it.title = ctx.lang.t(T::MtInboxLeave(&name, &it.title));
                items.push(it);
            }
        }
        if let scope::Reach::Subtrees(roots) = &scope.reach {
            let structure = ctx.state.structure.get(db).await.map_err(db_error)?;
            let nodes = structure.subtrees(roots);
            // Last year too: the last period of a rule may have ended in it.
            let from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
            let to = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
            let ids = nodes
                .iter()
                .map(|n| RecordId::new("org", n.id.as_str()))
                .collect();
            let held_all = held_by_org(ctx, Some(ids), from, to).await?;
            let settings = rules_in_force(ctx).await?;
            let rules = settings.in_force();
            let warn_days = settings.warn_days;
            for node in nodes {
                let held = held_all.get(&node.id).map(Vec::as_slice).unwrap_or(&[]);
                for rule in rules.iter().filter(|r| r.org_kind == node.kind) {
                    // This period if it is close to its end, else the last one if missed.
                    let this = rule.frequency.period_of(today);
                    let last = rule.frequency.period_of(this.starts - chrono::Days::new(1));
                    let days: Vec<NaiveDate> = held
                        .iter()
                        .filter(|(k, _)| *k == rule.meeting)
                        .map(|(_, d)| *d)
                        .collect();
                    let now =
                        crate::models::meeting::standing(this, rule.times, &days, today, warn_days);
                    let before =
                        crate::models::meeting::standing(last, rule.times, &days, today, warn_days);
                    let (period, late) = match (now, before) {
                        (Standing::DueSoon, _) => (this, false),
                        (_, Standing::Overdue) => (last, true),
                        _ => continue,
                    };
                    overdue += i64::from(late);
                    items.push(InboxItem {
                        kind: InboxKind::Compliance,
                        title: ctx.lang.t(rule.meeting.label()).to_string(),
                        org_name: node.name.clone(),
                        deadline: period.ends,
                        overdue: late,
                        href: format!("/meetings?org={}", node.id),
                    });
                }
            }
        }
    }
    Ok((items, overdue))
}

/// The compliance settings in force: the office's, or the platform's defaults before it
/// saves any. Read from the database on every call, so every app server applies a change
/// at once (one small record).
pub async fn rules_in_force(ctx: &Ctx) -> Result<MeetingRules, AppError> {
    let stored = repo::meeting::rules(&ctx.state.db)
        .await
        .map_err(db_error)?;
    let Some(stored) = stored else {
        return Ok(MeetingRules::defaults());
    };
    // Every slot the platform knows, as stored when it was (a slot added by a later
    // version starts from its default).
    let defaults = MeetingRules::defaults();
    let rules = RULE_SLOTS
        .iter()
        .zip(defaults.rules)
        .map(|(&(org_kind, meeting), default)| {
            stored
                .rules
                .iter()
                .find(|r| r.org_kind == org_kind.as_str() && r.meeting == meeting.as_str())
                .map(|r| RuleSetting {
                    org_kind,
                    meeting,
                    frequency: Frequency::parse(&r.frequency),
                    times: u32::try_from(r.times).unwrap_or(1),
                })
                .unwrap_or(default)
        })
        .collect();
    Ok(MeetingRules {
        rules,
        warn_days: u32::try_from(stored.warn_days).unwrap_or(defaults.warn_days),
        updated_by: stored.updated_by,
    })
}

/// The office replaces the compliance settings; the grid, the standings and the 待办 read
/// them from then on. Returns the settings as saved.
pub async fn save_rules(ctx: &Ctx, input: MeetingRulesInput) -> Result<MeetingRules, AppError> {
    let (rules, warn_days) = check_rules(&input).map_err(|field| {
        let text = match field {
            "warn_days" => T::MtErrWarnDays,
            "times" => T::MtErrTimes,
            _ => T::MtErrRules,
        };
        invalid(field, ctx.lang.t(text).to_string())
    })?;
    let stored: Vec<repo::meeting::StoredRule> = rules
        .iter()
        .map(|r| repo::meeting::StoredRule {
            org_kind: r.org_kind.as_str().to_string(),
            meeting: r.meeting.as_str().to_string(),
            frequency: r
                .frequency
                .map(|f| f.as_str().to_string())
                .unwrap_or_default(),
            times: i64::from(r.times),
        })
        .collect();
    let summary = rules
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.meeting.as_str(),
                r.frequency
                    .map_or("off".to_string(), |f| format!("{f}×{}", r.times))
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("meeting_rules", "current")
        .summary(format!(
            "compliance rules: {summary}; warn {warn_days} days"
        ));
    let change = repo::meeting::save_rules(stored, warn_days, ctx.stamp());
    ctx.commit(&event, &change).await?;
    rules_in_force(ctx).await
}
