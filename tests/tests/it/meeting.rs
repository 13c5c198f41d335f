//! Organisational life (issue 14): meetings scheduled or recorded by a branch, refused
//! outside its reach, listed by year with where each rule stands; attendance marked by
//! the recorder and signed in by members (once, whatever is replayed); minutes from draft
//! to approved; a meeting offered as a task's evidence.

use app::api::assessment::{GetInbox, PickRecords};
use app::api::meeting::{
    ApproveMinutes, DecideLeave, GetMeeting, GetMeetingRules, ListMeetings, MarkAttendance,
    MeetingGrid, MeetingLedger, RequestLeave, SaveMeetingRules, SaveMinutes, ScheduleMeeting,
    SetMeetingFiles, SetMeetingPeople, SignInMeeting,
};
use app::models::closed_loop::{Inbox, InboxKind, LinkKind, Picked};
use app::models::meeting::{
    Attendance, AttendanceInput, ComplianceGrid, LeaveDecisionInput, LeaveRequestInput, LeaveState,
    Ledger, MeetingDetail, MeetingFilesInput, MeetingInput, MeetingKind, MeetingPeopleInput,
    MeetingQuery, MeetingRules, MeetingRulesInput, MeetingsPage, MinutesInput, MinutesState,
    SignInInput, SignInVia, Standing,
};

use crate::support::{TestApp, china_day, member_of, spawn_app, workbook};

pub(crate) fn meeting(org: &str, kind: &str, day: &str, topic: &str) -> ScheduleMeeting {
    ScheduleMeeting {
        input: MeetingInput {
            org: org.into(),
            kind: kind.into(),
            day: day.into(),
            time: "14:30".into(),
            topic: topic.into(),
            room: "门诊楼 5 楼会议室".into(),
            agenda: String::new(),
            ..Default::default()
        },
    }
}

async fn list(app: &TestApp, cookie: &str, org: &str) -> reqwest::Response {
    let query = MeetingQuery {
        org: org.into(),
        year: 0,
    };
    app.call_fn(cookie, ListMeetings { query }).await
}

async fn stored(app: &TestApp) -> usize {
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(id) FROM meeting")
        .await
        .unwrap();
    let ids: Vec<String> = res.take(0).unwrap();
    ids.len()
}

#[tokio::test]
async fn a_secretary_schedules_and_records_meetings_and_sees_where_the_branch_stands() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let today = china_day(0);
    let res = app
        .call_fn(
            &secretary,
            meeting("o0003", "theme_day", &today, "学习贯彻全会精神"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let planned: String = res.json().await.unwrap();
    // Recorded the day after it was held: a 补录, marked as such.
    let yesterday = china_day(-1);
    let res = app
        .call_fn(
            &secretary,
            meeting("o0003", "lesson", &yesterday, "专题党课"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let recorded: String = res.json().await.unwrap();

    let page: MeetingsPage = list(&app, &secretary, "o0003").await.json().await.unwrap();
    let of = |key: &str| page.meetings.iter().find(|m| m.id == key).unwrap();
    assert_eq!(of(&planned).kind, MeetingKind::ThemeDay);
    assert_eq!(of(&planned).time, "14:30");
    assert!(!of(&planned).late);
    assert!(of(&recorded).late, "recorded after its day");
    assert_eq!(page.standings.len(), 5, "a branch's five rules");
    assert!(
        page.meetings.iter().all(|m| m.org == "o0003"),
        "one organisation's"
    );
    let theme_day = page
        .standings
        .iter()
        .find(|s| s.meeting == MeetingKind::ThemeDay)
        .unwrap();
    assert!(theme_day.held >= 1);
    assert_eq!(theme_day.standing, Standing::Done);
}

#[tokio::test]
async fn meetings_outside_the_reach_or_with_bad_fields_are_refused_and_nothing_is_kept() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let office = app.session_cookie("office").await;
    let today = china_day(0);
    let before = stored(&app).await;

    let res = app
        .call_fn(
            &secretary,
            meeting("o0004", "committee", &today, "另一支部"),
        )
        .await;
    assert_eq!(res.status(), 403, "another branch");
    let res = app
        .call_fn(&member, meeting("o0003", "committee", &today, "党员"))
        .await;
    assert_eq!(res.status(), 403, "a member does not schedule");
    for (kind, day, topic, field) in [
        ("party", today.as_str(), "x", "kind"),
        ("group", today.as_str(), "x", "kind"),
        ("committee", "2026-02-30", "x", "day"),
        ("committee", today.as_str(), "", "topic"),
    ] {
        let res = app
            .call_fn(&secretary, meeting("o0003", kind, day, topic))
            .await;
        assert_eq!(res.status(), 400, "{kind} {day} {topic:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
    }
    assert_eq!(stored(&app).await, before, "no refusal left a record");

    // The office schedules for any branch; the secretary's list holds only their own.
    let res = app
        .call_fn(&office, meeting("o0004", "committee", &today, "支委会"))
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_fn(&secretary, meeting("o0003", "committee", &today, "支委会"))
        .await;
    assert_eq!(res.status(), 200);
    let mine: MeetingsPage = list(&app, &secretary, "").await.json().await.unwrap();
    assert!(
        mine.meetings
            .iter()
            .any(|m| m.topic == "支委会" && m.day.to_string() == today)
    );
    assert!(
        mine.meetings.iter().all(|m| m.org == "o0003"),
        "the secretary's branch only"
    );
    assert_eq!(
        mine.standings.len(),
        5,
        "the secretary reaches one branch: its standings without asking"
    );
    let all: MeetingsPage = list(&app, &office, "").await.json().await.unwrap();
    assert!(
        all.meetings
            .iter()
            .any(|m| m.org == "o0004" && m.topic == "支委会")
    );
    assert!(all.meetings.len() > mine.meetings.len());
    assert!(
        all.standings.is_empty(),
        "no standings for the whole hospital"
    );
    assert_eq!(list(&app, &secretary, "o0004").await.status(), 403);
    assert_eq!(list(&app, &member, "").await.status(), 403);
}

async fn detail(app: &TestApp, cookie: &str, id: &str) -> reqwest::Response {
    app.call_fn(cookie, GetMeeting { id: id.into() }).await
}

async fn sign_in(app: &TestApp, cookie: &str, meeting: &str, client_id: &str) -> reqwest::Response {
    let input = SignInInput {
        meeting: meeting.into(),
        client_id: client_id.into(),
    };
    app.call_fn(cookie, SignInMeeting { input }).await
}

/// Schedules `input` as `cookie`; the new meeting's key.
pub(crate) async fn scheduled(app: &TestApp, cookie: &str, input: ScheduleMeeting) -> String {
    let res = app.call_fn(cookie, input).await;
    assert_eq!(res.status(), 200, "scheduled");
    res.json().await.unwrap()
}

pub(crate) async fn mark(
    app: &TestApp,
    cookie: &str,
    meeting: &str,
    member: &str,
    status: &str,
    reason: &str,
) -> reqwest::Response {
    let input = AttendanceInput {
        meeting: meeting.into(),
        member: member.into(),
        status: status.into(),
        reason: reason.into(),
    };
    app.call_fn(cookie, MarkAttendance { input }).await
}

async fn attendance_rows(app: &TestApp, meeting: &str) -> usize {
    let mut res = app
        .state
        .db
        .query("SELECT VALUE id FROM attendance WHERE meeting = type::record('meeting', $m)")
        .bind(("m", meeting.to_string()))
        .await
        .unwrap();
    let ids: Vec<surrealdb::types::RecordId> = res.take(0).unwrap();
    ids.len()
}

/// A themed day today: the secretary hosts by default, every member of the branch is
/// expected; a member signs in by phone and sending it again (the same id, another id)
/// counts once; the recorder marks the others, a leave with its reason; a member of
/// another branch cannot be marked, and nobody signs in to another day or another
/// branch's meeting.
#[tokio::test]
async fn attendance_is_signed_in_once_and_marked_by_the_recorder_within_the_rules() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let office = app.session_cookie("office").await;
    let me = member_of(&app, "member").await;
    let res = app
        .call_fn(
            &secretary,
            meeting("o0003", "theme_day", &china_day(0), "重温入党誓词"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id: String = res.json().await.unwrap();

    let full: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    assert!(full.can_manage);
    assert_eq!(
        full.host.as_ref().map(|h| h.id.clone()),
        Some(member_of(&app, "secretary").await),
        "the secretary hosts unless told otherwise"
    );
    assert!(full.recorder.is_some());
    assert!(
        full.attendees.len() >= 7,
        "the branch's members are expected"
    );
    assert!(full.attendees.iter().any(|a| a.member == me));
    assert_eq!(full.tally.unmarked as usize, full.attendees.len());

    // The member's own view: the meeting and their line, no one else's.
    let mine: MeetingDetail = detail(&app, &member, &id).await.json().await.unwrap();
    assert!(!mine.can_manage && mine.can_sign_in);
    assert_eq!(mine.attendees.len(), 1);
    assert_eq!(mine.attendees[0].member, me);

    // Signed in, then the same sign-in replayed, then a second tap: one attendance.
    let rows_before = attendance_rows(&app, &id).await;
    assert_eq!(rows_before, 0);
    for client_id in [
        "0b7c2f1e-9a4d-4c55",
        "0b7c2f1e-9a4d-4c55",
        "another-tap-0001",
    ] {
        let res = sign_in(&app, &member, &id, client_id).await;
        assert_eq!(res.status(), 200, "{client_id}");
        let d: MeetingDetail = res.json().await.unwrap();
        assert_eq!(d.attendees[0].status, Some(Attendance::Present));
        assert_eq!(d.attendees[0].via, Some(SignInVia::Phone));
        assert!(!d.can_sign_in, "already present");
    }
    assert_eq!(attendance_rows(&app, &id).await, 1, "counted once");
    // A member's own sign-in is domain history (docs/audit-and-history.md): the record
    // keeps who, how, when and the first client id; the security trail has no entry.
    let mut res = app
        .state
        .db
        .query("SELECT VALUE [client_id, by] FROM attendance WHERE meeting = type::record('meeting', $m)")
        .bind(("m", id.clone()))
        .await
        .unwrap();
    let kept: Vec<Vec<String>> = res.take(0).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0][0], "0b7c2f1e-9a4d-4c55", "the first sign-in stands");
    assert!(!kept[0][1].is_empty(), "by whom");
    let signed = app
        .audit("update")
        .await
        .into_iter()
        .filter(|e| e.entity_id == id && e.summary.starts_with("signed in"))
        .count();
    assert_eq!(signed, 0, "not a trail entry");
    assert_eq!(
        sign_in(&app, &member, &id, "x").await.status(),
        400,
        "a malformed id"
    );

    // The recorder marks another attendee on leave: the reason is required.
    let other = full
        .attendees
        .iter()
        .find(|a| a.member != me)
        .unwrap()
        .member
        .clone();
    let res = mark(&app, &secretary, &id, &other, "leave", " ").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("\"field\":\"reason\""));
    let res = mark(&app, &secretary, &id, &other, "leave", "手术").await;
    assert_eq!(res.status(), 200);
    let d: MeetingDetail = res.json().await.unwrap();
    let line = d.attendees.iter().find(|a| a.member == other).unwrap();
    assert_eq!(
        (line.status, line.via, line.reason.as_str()),
        (Some(Attendance::Leave), Some(SignInVia::Recorder), "手术")
    );
    assert_eq!((d.tally.present, d.tally.leave), (1, 1));
    // Not expected at the meeting: refused, nothing written.
    let stranger = app
        .state
        .db
        .query("SELECT VALUE record::id(id) FROM member WHERE org = org:o0004 LIMIT 1")
        .await
        .unwrap()
        .take::<Vec<String>>(0)
        .unwrap()
        .remove(0);
    let res = mark(&app, &secretary, &id, &stranger, "present", "").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("\"field\":\"member\""));
    assert_eq!(attendance_rows(&app, &id).await, 2);
    // A member marks nobody.
    assert_eq!(
        mark(&app, &member, &id, &me, "absent", "").await.status(),
        403
    );

    // Another day: no sign-in; another branch's meeting: not theirs to see or sign.
    let res = app
        .call_fn(
            &secretary,
            meeting("o0003", "lesson", &china_day(-2), "补录的党课"),
        )
        .await;
    let earlier: String = res.json().await.unwrap();
    let res = sign_in(&app, &member, &earlier, "late-sign-in-01").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("\"field\":\"meeting\""));
    let res = app
        .call_fn(
            &office,
            meeting("o0004", "theme_day", &china_day(0), "另一支部"),
        )
        .await;
    let elsewhere: String = res.json().await.unwrap();
    assert_eq!(
        sign_in(&app, &member, &elsewhere, "elsewhere-0001")
            .await
            .status(),
        403
    );
    assert_eq!(detail(&app, &member, &elsewhere).await.status(), 403);
    assert_eq!(detail(&app, &secretary, &elsewhere).await.status(), 403);
    assert_eq!(attendance_rows(&app, &elsewhere).await, 0);
}

/// Minutes: a draft, refused empty when submitted, submitted, approved by the secretary;
/// approved minutes no longer change and are not approved twice. Another branch's
/// minutes are out of reach.
#[tokio::test]
async fn minutes_go_from_draft_to_approved_and_then_stay() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let office = app.session_cookie("office").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "committee", &china_day(-1), "研究发展对象"),
    )
    .await;
    let save = |minutes: &str, submit: bool| SaveMinutes {
        input: MinutesInput {
            meeting: id.clone(),
            minutes: minutes.into(),
            submit,
        },
    };
    let res = app
        .call_fn(&secretary, save("一、讨论发展对象", false))
        .await;
    assert_eq!(res.status(), 200);
    let d: MeetingDetail = res.json().await.unwrap();
    assert_eq!(
        (d.minutes_state, d.minutes.as_str()),
        (MinutesState::Draft, "一、讨论发展对象")
    );
    let res = app.call_fn(&secretary, save("  ", true)).await;
    assert_eq!(res.status(), 400, "nothing to submit");
    let approve = ApproveMinutes { id: id.clone() };
    assert_eq!(
        app.call_fn(&secretary, approve.clone()).await.status(),
        400,
        "a draft is not approved"
    );
    let res = app
        .call_fn(&secretary, save("一、讨论发展对象\n二、通过", true))
        .await;
    let d: MeetingDetail = res.json().await.unwrap();
    assert_eq!(d.minutes_state, MinutesState::Submitted);
    // Out of reach: another branch's secretary would get 403 (the office reaches all).
    let res = app
        .call_fn(
            &office,
            meeting("o0004", "committee", &china_day(-1), "他支部"),
        )
        .await;
    let theirs: String = res.json().await.unwrap();
    assert_eq!(
        app.call_fn(&secretary, ApproveMinutes { id: theirs })
            .await
            .status(),
        403
    );
    let res = app.call_fn(&secretary, approve.clone()).await;
    assert_eq!(res.status(), 200);
    let d: MeetingDetail = res.json().await.unwrap();
    assert_eq!(
        (d.minutes_state, d.approved_by.as_str()),
        (MinutesState::Approved, "secretary")
    );
    let res = app.call_fn(&secretary, save("改写", false)).await;
    assert_eq!(res.status(), 400, "approved minutes stay");
    assert_eq!(app.call_fn(&secretary, approve).await.status(), 400);
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    assert_eq!(d.minutes, "一、讨论发展对象\n二、通过");
}

/// A task's answer may link a meeting the branch recorded: the picker offers this year's
/// meetings in reach, found by words of their topic.
#[tokio::test]
async fn the_evidence_picker_offers_the_branchs_meetings() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "theme_day", &china_day(0), "独一无二的主题党日"),
    )
    .await;
    let pick = PickRecords {
        kind: LinkKind::Meeting,
        words: "独一无二".into(),
        this: String::new(),
    };
    let res = app.call_fn(&secretary, pick).await;
    assert_eq!(res.status(), 200);
    let picked: Vec<Picked> = res.json().await.unwrap();
    assert_eq!(picked.len(), 1);
    assert_eq!(picked[0].0, id);
    assert!(picked[0].1.contains("主题党日"), "{}", picked[0].1);
}

/// The committee's grid: every branch and Party group in reach, twelve months each; a
/// themed day recorded this month (through a second app server) turns another branch's
/// month from "missing a themed day" to not missing it on the first server too; a
/// secretary sees their branch only, members nothing.
#[tokio::test]
async fn the_compliance_grid_covers_the_reach_and_follows_what_is_held() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let grid = |cookie: String, org: &'static str| {
        let app = &app;
        async move {
            let query = MeetingQuery {
                org: org.into(),
                year: 0,
            };
            app.call_fn(&cookie, MeetingGrid { query }).await
        }
    };
    let all: ComplianceGrid = grid(office.clone(), "").await.json().await.unwrap();
    assert!(all.rows.len() >= 31, "every branch: {}", all.rows.len());
    assert!(all.rows.iter().all(|r| r.cells.len() == 12));
    let mine: ComplianceGrid = grid(secretary.clone(), "").await.json().await.unwrap();
    assert!(mine.rows.iter().any(|r| r.org == "o0003"));
    assert!(
        mine.rows.len() < all.rows.len() && mine.rows.iter().all(|r| r.org != "o0004"),
        "the secretary's branch and its groups only"
    );
    assert_eq!(grid(secretary.clone(), "o0004").await.status(), 403);
    assert_eq!(grid(member.clone(), "").await.status(), 403);

    // Another branch with no meetings at all: this month misses its themed day until one
    // is recorded today.
    let month = |g: &ComplianceGrid, org: &str| {
        let today = china_day(0);
        let m: usize = today[5..7].parse().unwrap();
        g.rows.iter().find(|r| r.org == org).unwrap().cells[m - 1].clone()
    };
    let before = month(&all, "o0004");
    assert!(
        before.missing.contains(&MeetingKind::ThemeDay),
        "{before:?}"
    );
    // This server holds what the grid counts; the meeting is recorded through another
    // app server on the same database, and this one's grid follows within moments.
    let beside = app.spawn_beside().await;
    app.following_changes().await;
    beside.following_changes().await;
    let res = beside
        .call_fn(
            &office,
            meeting("o0004", "theme_day", &china_day(0), "主题党日"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut cell = before.clone();
    for _ in 0..100 {
        let after: ComplianceGrid = grid(office.clone(), "").await.json().await.unwrap();
        cell = month(&after, "o0004");
        if !cell.missing.contains(&MeetingKind::ThemeDay) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!cell.missing.contains(&MeetingKind::ThemeDay), "{cell:?}");
    assert_eq!(cell.done, before.done + 1);
    beside.stop().await;
}

/// The 台账 of a branch: its meetings of the year oldest first, with who attended, who
/// was on leave and why, and the minutes; the committee's name for the header; refused
/// outside the reach and without an organisation.
#[tokio::test]
async fn the_ledger_lists_a_branchs_meetings_with_names_and_minutes() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let me = member_of(&app, "member").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "committee", &china_day(0), "台账测试的支委会"),
    )
    .await;
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    let first = d.attendees[0].member.clone();
    assert_eq!(
        mark(&app, &secretary, &id, &first, "leave", "外出进修")
            .await
            .status(),
        200
    );
    let ledger = |cookie: String, org: &'static str| {
        let app = &app;
        async move {
            let query = MeetingQuery {
                org: org.into(),
                year: 0,
            };
            app.call_fn(&cookie, MeetingLedger { query }).await
        }
    };
    let res = ledger(secretary.clone(), "o0003").await;
    assert_eq!(res.status(), 200);
    let l: Ledger = res.json().await.unwrap();
    assert_eq!(l.org, "o0003");
    assert!(l.committee.ends_with("党委"), "{}", l.committee);
    assert!(
        l.entries
            .windows(2)
            .all(|w| w[0].meeting.day <= w[1].meeting.day),
        "oldest first"
    );
    let entry = l.entries.iter().find(|e| e.meeting.id == id).unwrap();
    assert_eq!(entry.expected as usize, d.attendees.len());
    assert_eq!(
        entry.leave,
        vec![(d.attendees[0].name.clone(), "外出进修".to_string())]
    );
    assert!(!entry.host.is_empty() && !entry.recorder.is_empty());
    // Held today and not marked: absent in the ledger (a committee meeting: the member
    // holds no seat, so is not among them).
    assert_eq!(entry.absent.len() + 1, d.attendees.len());
    assert!(l.entries.iter().all(|e| e.meeting.org == "o0003"));
    // The demo's earlier meetings carry their attendance and approved minutes.
    assert!(
        l.entries
            .iter()
            .any(|e| !e.present.is_empty() && e.minutes_state == MinutesState::Approved)
    );
    let _ = me;
    assert_eq!(ledger(secretary.clone(), "o0004").await.status(), 403);
    assert_eq!(ledger(secretary.clone(), "").await.status(), 400);
    assert_eq!(ledger(member.clone(), "o0003").await.status(), 403);

    // The same 台账 as an Excel workbook: a title row with the committee, the branch and
    // the year, a header row, then a row per meeting in the same order.
    let sheets = workbook(
        app.get_as(&secretary, "/export/ledger.xlsx?org=o0003&year=0")
            .await,
    )
    .await;
    assert_eq!(sheets.len(), 1);
    let (name, rows) = &sheets[0];
    assert_eq!(name, "会议台账");
    assert!(
        rows[0][0].starts_with(&l.committee) && rows[0][0].contains(&l.org_name),
        "{:?}",
        rows[0]
    );
    assert!(rows[0][0].contains(&format!("{} 年度组织生活台账", l.year)));
    assert_eq!(rows[1][..4], ["序号", "日期/时间", "会议类型", "会议主题"]);
    assert_eq!(rows.len(), l.entries.len() + 2, "a row per meeting");
    let at = l.entries.iter().position(|e| e.meeting.id == id).unwrap();
    let row = &rows[at + 2];
    assert_eq!(row[0], (at + 1).to_string());
    assert_eq!(row[3], "台账测试的支委会");
    assert_eq!(row[10], format!("{}（外出进修）", d.attendees[0].name));
    assert!(
        row[8].starts_with(&format!("应到 {} 人", d.attendees.len())),
        "{}",
        row[8]
    );
    assert!(
        app.audit("export")
            .await
            .iter()
            .any(|e| e.actor == "secretary" && e.entity == "org" && e.entity_id == "o0003")
    );
    // Refused as the page is: another branch (recorded), no branch, a member, nobody.
    let other = app
        .get_as(&secretary, "/export/ledger.xlsx?org=o0004")
        .await;
    assert_eq!(other.status(), 403);
    assert!(
        app.audit("permission_denied")
            .await
            .iter()
            .any(|e| e.actor == "secretary" && e.entity_id == "o0004")
    );
    assert_eq!(
        app.get_as(&secretary, "/export/ledger.xlsx").await.status(),
        400
    );
    assert_eq!(
        app.get_as(&member, "/export/ledger.xlsx?org=o0003")
            .await
            .status(),
        403
    );
    assert_eq!(app.get("/export/ledger.xlsx?org=o0003").await.status(), 401);
}

/// The 待办: a member finds the meeting they are expected at today until they sign in; the
/// secretary finds minutes waiting for approval until approved.
#[tokio::test]
async fn the_inbox_holds_meetings_to_attend_and_minutes_to_approve() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "theme_day", &china_day(0), "待办里的主题党日"),
    )
    .await;
    let inbox = |cookie: String| {
        let app = &app;
        async move {
            let res = app.call_fn(&cookie, GetInbox {}).await;
            assert_eq!(res.status(), 200);
            res.json::<Inbox>().await.unwrap()
        }
    };
    let href = format!("/meetings/{id}");
    let has = |i: &Inbox, kind: InboxKind| i.items.iter().any(|x| x.kind == kind && x.href == href);
    let before = inbox(member.clone()).await;
    assert!(has(&before, InboxKind::Meeting), "{:?}", before.items);
    let item = before.items.iter().find(|x| x.href == href).unwrap();
    assert!(item.title.contains("待办里的主题党日") && !item.overdue);
    assert_eq!(
        sign_in(&app, &member, &id, "inbox-sign-in-1")
            .await
            .status(),
        200
    );
    let after = inbox(member.clone()).await;
    assert!(!has(&after, InboxKind::Meeting), "signed in: done");
    assert_eq!(after.total + 1, before.total);

    let save = SaveMinutes {
        input: MinutesInput {
            meeting: id.clone(),
            minutes: "记录".into(),
            submit: true,
        },
    };
    assert_eq!(app.call_fn(&secretary, save).await.status(), 200);
    assert!(has(&inbox(secretary.clone()).await, InboxKind::Minutes));
    let approve = ApproveMinutes { id: id.clone() };
    assert_eq!(app.call_fn(&secretary, approve).await.status(), 200);
    assert!(!has(&inbox(secretary.clone()).await, InboxKind::Minutes));
    // The member sees no minutes to approve, the office no branch's reminders.
    let office = app.session_cookie("office").await;
    let office_inbox = inbox(office).await;
    assert!(
        office_inbox
            .items
            .iter()
            .all(|x| x.kind != InboxKind::Minutes && x.kind != InboxKind::Compliance)
    );
}

/// 请假: an attendee asks with a reason until the meeting's day is over; the request waits
/// in the secretary's 待办; approved, the attendance becomes 请假 with the reason (in the
/// same transaction), refused, it stays as it was; once decided it is final. Someone not
/// expected, or outside the reach, is refused; a meeting already held takes no request.
#[tokio::test]
async fn a_member_asks_for_leave_and_the_committee_decides() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let office = app.session_cookie("office").await;
    let me = member_of(&app, "member").await;
    let schedule = |day: String, topic: &'static str| {
        let app = &app;
        let secretary = secretary.clone();
        async move {
            let res = app
                .call_fn(&secretary, meeting("o0003", "theme_day", &day, topic))
                .await;
            assert_eq!(res.status(), 200);
            res.json::<String>().await.unwrap()
        }
    };
    let id = schedule(china_day(2), "请假测试的主题党日").await;
    let ask = |cookie: String, meeting: String, reason: &'static str| {
        let app = &app;
        async move {
            let input = LeaveRequestInput {
                meeting,
                reason: reason.into(),
            };
            app.call_fn(&cookie, RequestLeave { input }).await
        }
    };
    let decide = |member: String, approve: bool| {
        let app = &app;
        let secretary = secretary.clone();
        let meeting = id.clone();
        async move {
            let input = LeaveDecisionInput {
                meeting,
                member,
                approve,
            };
            app.call_fn(&secretary, DecideLeave { input }).await
        }
    };
    // A reason is needed, and at most 200 characters.
    let res = ask(member.clone(), id.clone(), "   ").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("事由"));
    let d: MeetingDetail = ask(member.clone(), id.clone(), "门诊值班")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d.attendees.len(), 1, "the member sees their own line only");
    let request = d.attendees[0].request.clone().unwrap();
    assert_eq!(
        (request.state, request.reason.as_str()),
        (LeaveState::Pending, "门诊值班")
    );
    assert!(d.can_request_leave, "still open while it waits");
    // Asking again while it waits replaces the reason: one request.
    let d: MeetingDetail = ask(member.clone(), id.clone(), "外出进修")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d.attendees[0].request.as_ref().unwrap().reason, "外出进修");
    let mut res = app
        .state
        .db
        .query("SELECT VALUE reason FROM leave_request WHERE meeting = type::record('meeting', $m)")
        .bind(("m", id.clone()))
        .await
        .unwrap();
    let stored: Vec<String> = res.take(0).unwrap();
    assert_eq!(stored, ["外出进修"]);

    // The secretary's 待办 names the member and the meeting; the page shows the request.
    let res = app.call_fn(&secretary, GetInbox {}).await;
    let inbox: Inbox = res.json().await.unwrap();
    let href = format!("/meetings/{id}");
    let item = inbox
        .items
        .iter()
        .find(|i| i.kind == InboxKind::Leave && i.href == href)
        .expect("the request in the secretary's 待办");
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    let line = d.attendees.iter().find(|a| a.member == me).unwrap();
    assert!(item.title.contains(&line.name) && item.title.contains("请假测试的主题党日"));
    assert_eq!(line.status, None, "not on leave before it is approved");
    assert_eq!(line.request.as_ref().unwrap().state, LeaveState::Pending);

    // Nobody else asks for someone: the office (no member) and a stranger to the meeting.
    assert_eq!(ask(office.clone(), id.clone(), "代请").await.status(), 403);
    // Deciding on someone who did not ask is refused; a member decides nothing.
    let other = d
        .attendees
        .iter()
        .find(|a| a.member != me && a.request.is_none());
    if let Some(other) = other {
        assert_eq!(decide(other.member.clone(), true).await.status(), 400);
    }
    assert_eq!(
        app.call_fn(
            &member,
            DecideLeave {
                input: LeaveDecisionInput {
                    meeting: id.clone(),
                    member: me.clone(),
                    approve: true,
                },
            },
        )
        .await
        .status(),
        403,
        "a member decides nothing"
    );

    // Approved: the attendance is 请假 with the request's reason; the 待办 item is gone.
    let res = decide(me.clone(), true).await;
    assert_eq!(res.status(), 200);
    let d: MeetingDetail = res.json().await.unwrap();
    let line = d.attendees.iter().find(|a| a.member == me).unwrap();
    assert_eq!(line.status, Some(Attendance::Leave));
    assert_eq!(line.reason, "外出进修");
    let request = line.request.clone().unwrap();
    assert_eq!(
        (request.state, request.decided_by.as_str()),
        (LeaveState::Approved, "secretary")
    );
    assert_eq!(d.tally.leave, 1);
    let inbox: Inbox = app
        .call_fn(&secretary, GetInbox {})
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !inbox
            .items
            .iter()
            .any(|i| i.kind == InboxKind::Leave && i.href == href)
    );
    // Final once decided: neither a second decision nor a new request changes it.
    assert_eq!(decide(me.clone(), false).await.status(), 400);
    let res = ask(member.clone(), id.clone(), "再次请假").await;
    assert_eq!(res.status(), 400);
    let d: MeetingDetail = detail(&app, &member, &id).await.json().await.unwrap();
    assert!(!d.can_request_leave);
    assert_eq!(d.attendees[0].reason, "外出进修");

    // Refused: the request says so and the attendance is untouched.
    let id2 = schedule(china_day(1), "请假被拒的主题党日").await;
    ask(member.clone(), id2.clone(), "私事").await;
    let input = LeaveDecisionInput {
        meeting: id2.clone(),
        member: me.clone(),
        approve: false,
    };
    let d: MeetingDetail = app
        .call_fn(&secretary, DecideLeave { input })
        .await
        .json()
        .await
        .unwrap();
    let line = d.attendees.iter().find(|a| a.member == me).unwrap();
    assert_eq!(line.status, None);
    assert_eq!(line.request.as_ref().unwrap().state, LeaveState::Refused);

    // A meeting already held takes no request.
    let past = schedule(china_day(-1), "已经开过的主题党日").await;
    let res = ask(member.clone(), past, "补请假").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("不能再请假"));
    // Every step is in the audit trail.
    let updates = app.audit("update").await;
    assert!(
        updates
            .iter()
            .any(|e| e.actor == "member" && e.summary.contains("leave requested"))
    );
    assert!(
        updates
            .iter()
            .any(|e| e.actor == "secretary" && e.summary.contains("approved"))
    );
}

/// The office's compliance settings: the platform's defaults until it saves; a save
/// changes what the standings, the grid and the 待办 hold a branch to, at once and on
/// every app server; a secretary reads them and cannot change them; bad values are
/// refused and change nothing.
#[tokio::test]
async fn the_office_sets_the_meeting_rules_and_every_page_follows() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    let read = |cookie: String| {
        let app = &app;
        async move {
            let res = app.call_fn(&cookie, GetMeetingRules {}).await;
            assert_eq!(res.status(), 200);
            res.json::<MeetingRules>().await.unwrap()
        }
    };
    let rules = read(secretary.clone()).await;
    assert_eq!(rules, MeetingRules::defaults());
    // 主题党日 no longer required, two 支委会 a month, yellow 20 days ahead.
    let mut input = MeetingRulesInput {
        rules: rules.rules.clone(),
        warn_days: "20".into(),
    };
    for r in &mut input.rules {
        if r.meeting == MeetingKind::ThemeDay {
            r.frequency = None;
        }
        if r.meeting == MeetingKind::Committee {
            r.times = 2;
        }
    }
    let save = |cookie: String, input: MeetingRulesInput| {
        let app = &app;
        async move { app.call_fn(&cookie, SaveMeetingRules { input }).await }
    };
    assert_eq!(save(secretary.clone(), input.clone()).await.status(), 403);
    for (warn, field) in [("0", "warn_days"), ("32", "warn_days")] {
        let bad = MeetingRulesInput {
            warn_days: warn.into(),
            ..input.clone()
        };
        let res = save(office.clone(), bad).await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains(field));
    }
    let mut too_many = input.clone();
    too_many.rules[0].times = 9;
    assert_eq!(save(office.clone(), too_many).await.status(), 400);
    let mut missing = input.clone();
    missing.rules.pop();
    assert_eq!(save(office.clone(), missing).await.status(), 400);
    assert_eq!(
        read(office.clone()).await,
        MeetingRules::defaults(),
        "nothing kept"
    );

    let res = save(office.clone(), input.clone()).await;
    assert_eq!(res.status(), 200);
    let saved: MeetingRules = res.json().await.unwrap();
    assert_eq!(saved.rules, input.rules);
    assert_eq!((saved.warn_days, saved.updated_by.as_str()), (20, "office"));
    assert_eq!(read(secretary.clone()).await, saved);

    // The secretary's standings follow at once: four rules, two 支委会 a month.
    let page: MeetingsPage = list(&app, &secretary, "o0003").await.json().await.unwrap();
    assert_eq!(page.standings.len(), 4, "{:?}", page.standings);
    assert!(
        !page
            .standings
            .iter()
            .any(|s| s.meeting == MeetingKind::ThemeDay)
    );
    let committee = page
        .standings
        .iter()
        .find(|s| s.meeting == MeetingKind::Committee)
        .unwrap();
    assert_eq!(committee.times, 2);
    // So does the grid, and so does a second app server on the same database.
    let beside = app.spawn_beside().await;
    let query = MeetingQuery {
        org: String::new(),
        year: 0,
    };
    let grid: ComplianceGrid = beside
        .call_fn(&office, MeetingGrid { query })
        .await
        .json()
        .await
        .unwrap();
    assert!(!grid.rows.is_empty());
    assert!(
        grid.rows
            .iter()
            .flat_map(|r| &r.cells)
            .all(|c| !c.missing.contains(&MeetingKind::ThemeDay)),
        "no 主题党日 is missing once none is required"
    );
    let page: MeetingsPage = list(&beside, &secretary, "o0003")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.standings.len(), 4);
    beside.stop().await;
    assert!(
        app.audit("update")
            .await
            .iter()
            .any(|e| e.actor == "office" && e.entity == "meeting_rules")
    );
}

/// The minutes' photos and attachments: files of the branch uploaded into the file store,
/// linked to the meeting (a photo and a document), shown to the committee and in the 台账
/// (printed and as Excel), not to an attendee's phone; a file the caller may not read, or
/// too many, are refused; once the minutes are approved the list no longer changes.
#[tokio::test]
async fn the_minutes_carry_photos_and_attachments_until_approved() {
    use app::models::closed_loop::LinkKind;
    use app::models::files::FileView;
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "theme_day", &china_day(0), "有照片的主题党日"),
    )
    .await;
    let photo: FileView = app
        .upload(
            &secretary,
            "o0003",
            "现场照片.png",
            app::server::files::sample_png(320, 240, 3),
        )
        .await
        .json()
        .await
        .unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let doc: FileView = app
        .upload(&secretary, "o0003", "签到表.pdf", pdf)
        .await
        .json()
        .await
        .unwrap();
    let set = |cookie: String, files: String| {
        let app = &app;
        let meeting = id.clone();
        async move {
            let input = MeetingFilesInput { meeting, files };
            app.call_fn(&cookie, SetMeetingFiles { input }).await
        }
    };
    let res = set(secretary.clone(), format!("{},{}", photo.id, doc.id)).await;
    assert_eq!(res.status(), 200);
    let d: MeetingDetail = res.json().await.unwrap();
    let kinds: Vec<(LinkKind, &str)> = d.files.iter().map(|f| (f.kind, f.label.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (LinkKind::Photo, "现场照片.png"),
            (LinkKind::File, "签到表.pdf")
        ]
    );
    // An attendee's phone shows neither the minutes nor their files.
    let mine: MeetingDetail = detail(&app, &member, &id).await.json().await.unwrap();
    assert!(mine.files.is_empty());
    // A key that is no file, or eleven files, are refused; nothing changes.
    assert_eq!(
        set(secretary.clone(), "f-nothing-here".into())
            .await
            .status(),
        400
    );
    let eleven = vec![photo.id.clone(); 1]
        .into_iter()
        .chain((0..10).map(|i| format!("fx{i:04}")))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(set(secretary.clone(), eleven).await.status(), 400);
    // A member cannot attach files to the minutes.
    assert_eq!(set(member.clone(), photo.id.clone()).await.status(), 403);
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    assert_eq!(d.files.len(), 2);

    // In the 台账, on the page and in the workbook.
    let query = MeetingQuery {
        org: "o0003".into(),
        year: 0,
    };
    let l: Ledger = app
        .call_fn(&secretary, MeetingLedger { query })
        .await
        .json()
        .await
        .unwrap();
    let entry = l.entries.iter().find(|e| e.meeting.id == id).unwrap();
    assert_eq!(entry.files.len(), 2);
    let sheets = workbook(
        app.get_as(&secretary, "/export/ledger.xlsx?org=o0003&year=0")
            .await,
    )
    .await;
    let rows = &sheets[0].1;
    assert_eq!(rows[1].last().unwrap(), "会议照片和附件");
    let row = rows.iter().find(|r| r[3] == "有照片的主题党日").unwrap();
    assert_eq!(row.last().unwrap(), "现场照片.png\n签到表.pdf");

    // Approved minutes lock their files.
    let input = MinutesInput {
        meeting: id.clone(),
        minutes: "一、学习。".into(),
        submit: true,
    };
    assert_eq!(
        app.call_fn(&secretary, SaveMinutes { input })
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_fn(&secretary, ApproveMinutes { id: id.clone() })
            .await
            .status(),
        200
    );
    let res = set(secretary.clone(), photo.id.clone()).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("已审核"));
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    assert_eq!(d.files.len(), 2);
}

/// A meeting's people after scheduling: the committee names another host and recorder and
/// drops an attendee (who loses their sign-in and request for leave with it), only from
/// the organisation's members, never without an attendee, and not once the minutes are
/// approved; the choices are offered to the committee only.
#[tokio::test]
async fn the_committee_changes_a_meetings_people_until_the_minutes_are_approved() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let me = member_of(&app, "member").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "theme_day", &china_day(0), "调整人员的主题党日"),
    )
    .await;
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    assert!(d.choices.len() >= d.attendees.len() && !d.choices.is_empty());
    let mine: MeetingDetail = detail(&app, &member, &id).await.json().await.unwrap();
    assert!(mine.choices.is_empty(), "an attendee is offered nobody");
    // The member signs in, then is dropped: their sign-in goes with them.
    assert_eq!(
        sign_in(&app, &member, &id, "people-test-1").await.status(),
        200
    );
    let others: Vec<String> = d
        .attendees
        .iter()
        .map(|a| a.member.clone())
        .filter(|k| *k != me)
        .collect();
    let (new_host, new_recorder) = (others[0].clone(), others[others.len() - 1].clone());
    let set = |input: MeetingPeopleInput| {
        let app = &app;
        let secretary = secretary.clone();
        async move { app.call_fn(&secretary, SetMeetingPeople { input }).await }
    };
    let input = |host: &str, recorder: &str, attendees: Vec<String>| MeetingPeopleInput {
        meeting: id.clone(),
        host: host.into(),
        recorder: recorder.into(),
        attendees,
    };
    // Nobody from outside the organisation, never an empty list.
    assert_eq!(
        set(input("m9999999", "", others.clone())).await.status(),
        400
    );
    let mut stranger = others.clone();
    stranger.push("m9999999".into());
    assert_eq!(set(input("", "", stranger)).await.status(), 400);
    assert_eq!(set(input("", "", Vec::new())).await.status(), 400);
    assert_eq!(
        app.call_fn(
            &member,
            SetMeetingPeople {
                input: input("", "", others.clone())
            }
        )
        .await
        .status(),
        403
    );

    let res = set(input(&new_host, &new_recorder, others.clone())).await;
    assert_eq!(res.status(), 200);
    let d: MeetingDetail = res.json().await.unwrap();
    assert_eq!(d.host.as_ref().unwrap().id, new_host);
    assert_eq!(d.recorder.as_ref().unwrap().id, new_recorder);
    assert_eq!(d.attendees.len(), others.len());
    assert!(d.attendees.iter().all(|a| a.member != me));
    assert_eq!(
        d.tally.present, 0,
        "the dropped member's sign-in went with them"
    );
    let mut res = app
        .state
        .db
        .query("SELECT VALUE status FROM attendance WHERE meeting = type::record('meeting', $m)")
        .bind(("m", id.clone()))
        .await
        .unwrap();
    let left: Vec<String> = res.take(0).unwrap();
    assert!(left.is_empty(), "{left:?}");
    // The member no longer reaches it.
    assert_eq!(detail(&app, &member, &id).await.status(), 403);

    // Approved minutes make the record final.
    let minutes = MinutesInput {
        meeting: id.clone(),
        minutes: "一、学习。".into(),
        submit: true,
    };
    app.call_fn(&secretary, SaveMinutes { input: minutes })
        .await;
    app.call_fn(&secretary, ApproveMinutes { id: id.clone() })
        .await;
    let res = set(input("", "", others.clone())).await;
    assert_eq!(res.status(), 400);
    let d: MeetingDetail = detail(&app, &secretary, &id).await.json().await.unwrap();
    assert!(d.choices.is_empty(), "nothing to choose once approved");
    assert_eq!(d.host.unwrap().id, new_host);
}
