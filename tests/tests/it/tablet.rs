//! The meeting-room tablet (issue 14): pairing by a one-time code, a device credential that
//! reaches only its room's meetings of the day, sign-in with a member's PIN (limited
//! attempts, counted once however often it is replayed), revoking, and live attendance
//! over server-sent events: on this server, through a second server on the same
//! database, on the projector view, and ended by a graceful shutdown.

use std::time::Duration;

use app::models::room::{TabletSignedIn, TabletView};

use crate::support::{TestApp, spawn_app};

/// Today's meeting in a registered room (the demo secretary's branch meets in the first
/// room today): its key, its room, and its planned attendees.
async fn todays_meeting(app: &TestApp) -> (String, String, Vec<String>) {
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE [record::id(id), record::id(place)] FROM meeting
             WHERE day = $today AND place = room:rm001 LIMIT 1;
             SELECT VALUE attendees.map(|$a| record::id($a)) FROM meeting
             WHERE day = $today AND place = room:rm001 LIMIT 1;",
        )
        .bind(("today", app.china_today()))
        .await
        .unwrap();
    let ids: Vec<Vec<String>> = res.take(0).unwrap();
    let attendees: Vec<Vec<String>> = res.take(1).unwrap();
    (ids[0][0].clone(), ids[0][1].clone(), attendees[0].clone())
}

async fn today(app: &TestApp, tablet: &str) -> reqwest::Response {
    app.call_as(tablet, "tablet_today", &[]).await
}

async fn sign_in(
    app: &TestApp,
    tablet: &str,
    meeting: &str,
    member: &str,
    pin: &str,
    client_id: &str,
) -> reqwest::Response {
    app.call_as(
        tablet,
        "tablet_sign_in",
        &[
            ("input[meeting]", meeting),
            ("input[member]", member),
            ("input[pin]", pin),
            ("input[client_id]", client_id),
        ],
    )
    .await
}

async fn count(app: &TestApp, query: &str, meeting: &str) -> usize {
    let mut res = app
        .state
        .db
        .query(query)
        .bind(("m", meeting.to_string()))
        .await
        .unwrap();
    let rows: Vec<serde_json::Value> = res.take(0).unwrap();
    rows.len()
}

#[tokio::test]
async fn a_tablet_pairs_by_its_code_shows_its_rooms_day_and_is_revoked() {
    let app = spawn_app().await;
    let (meeting, room, _) = todays_meeting(&app).await;
    let (tablet, code) = app.waiting_tablet().await;
    assert_eq!(code.len(), 6);
    // Waiting, it shows the same code; it reaches no meeting.
    let res = today(&app, &tablet).await;
    assert_eq!(res.status(), 200);
    let view: TabletView = res.json().await.unwrap();
    assert!(
        matches!(&view, TabletView::Pending { code: c, .. } if *c == code),
        "{view:?}"
    );
    assert_eq!(
        app.get_as(&tablet, &format!("/tablet/live/{meeting}"))
            .await
            .status(),
        403,
        "a tablet waiting for pairing follows nothing"
    );

    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    // A secretary cannot pair; a wrong code and a bad one are refused with their reason.
    let pair = |cookie: String, code: String| {
        let app = &app;
        let room = room.clone();
        async move {
            app.call_as(
                &cookie,
                "pair_tablet",
                &[
                    ("input[room]", room.as_str()),
                    ("input[code]", code.as_str()),
                ],
            )
            .await
        }
    };
    assert_eq!(pair(secretary.clone(), code.clone()).await.status(), 403);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let res = pair(office.clone(), wrong.into()).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("code"));
    assert_eq!(pair(office.clone(), "12ab".into()).await.status(), 400);
    // The right code, typed with a space.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let res = pair(office.clone(), spaced).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let rooms: Vec<app::models::room::RoomRow> = res.json().await.unwrap();
    let paired = rooms.iter().find(|r| r.id == room).unwrap();
    assert_eq!(paired.tablets.len(), 1);
    // A code pairs once.
    assert_eq!(pair(office.clone(), code.clone()).await.status(), 400);

    // Paired: the room's meetings of the day with everybody expected.
    let view: TabletView = today(&app, &tablet).await.json().await.unwrap();
    let TabletView::Paired {
        room: name,
        meetings,
        ..
    } = view
    else {
        panic!("paired: {view:?}");
    };
    assert_eq!(name, paired.name);
    let m = meetings
        .iter()
        .find(|m| m.id == meeting)
        .expect("today's meeting");
    assert!(m.expected > 0 && m.attendees.iter().all(|a| a.has_pin));
    // A QR code of the meeting's page, for members who sign in on their phone.
    assert!(
        m.qr.starts_with("<svg") && m.qr.contains("<path"),
        "{}",
        m.qr
    );
    // A branch secretary choosing a room sees no tablets.
    let res = app.call_as(&secretary, "list_rooms", &[]).await;
    let rooms: Vec<app::models::room::RoomRow> = res.json().await.unwrap();
    assert!(rooms.len() >= 3 && rooms.iter().all(|r| r.tablets.is_empty()));

    // The tablet is nobody: no person's endpoint admits it.
    let res = app
        .call_as(&tablet, "get_meeting", &[("id", meeting.as_str())])
        .await;
    assert_eq!(res.status(), 401);

    // Revoked: refused at once, and its stream too.
    let device = &paired.tablets[0].id;
    let res = app
        .call_as(&office, "revoke_tablet", &[("id", device.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(today(&app, &tablet).await.status(), 401);
    assert_eq!(
        app.get_as(&tablet, &format!("/tablet/live/{meeting}"))
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_tablet_signs_in_with_the_pin_once_and_locks_after_five_wrong_ones() {
    let app = spawn_app().await;
    let (meeting, room, attendees) = todays_meeting(&app).await;
    let tablet = app.paired_tablet(&room).await;
    let (first, second) = (&attendees[0], &attendees[1]);

    // Wrong PINs: each says how many tries are left; the fifth locks.
    for left in (1..=4).rev() {
        let res = sign_in(&app, &tablet, &meeting, first, "1357", "c-wrong-0001").await;
        assert_eq!(res.status(), 400);
        let body = res.text().await.unwrap();
        assert!(body.contains(&format!("还可以再试 {left} 次")), "{body}");
    }
    let res = sign_in(&app, &tablet, &meeting, first, "1357", "c-wrong-0001").await;
    assert!(res.text().await.unwrap().contains("已锁定"));
    // Locked: even the right PIN is refused, and nothing is recorded.
    let res = sign_in(&app, &tablet, &meeting, first, "2468", "c-right-0001").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("已锁定"));
    let present = "SELECT * FROM attendance WHERE meeting = type::record('meeting', $m) AND status = 'present' AND via = 'tablet'";
    assert_eq!(count(&app, present, &meeting).await, 0);
    let wrong = "SELECT * FROM audit WHERE entity = 'member_pin' AND outcome = 'denied'";
    assert_eq!(
        count(&app, wrong, &meeting).await,
        5,
        "each wrong PIN is in the trail"
    );

    // Another member, the right PIN, sent three times (an offline queue replayed): one
    // attendance, kept as the record's history (device, time, client id), not in the trail.
    let trail_before = count(&app, "SELECT * FROM audit", "").await;
    for _ in 0..3 {
        let res = sign_in(&app, &tablet, &meeting, second, "2468", "c-0001-abcd").await;
        assert_eq!(res.status(), 200);
        let signed: TabletSignedIn = res.json().await.unwrap();
        assert_eq!(
            signed,
            TabletSignedIn {
                meeting: meeting.clone(),
                member: second.clone()
            },
            "a small answer: who is present where"
        );
    }
    // Answered first, written just after (the three writes of one record in a row).
    assert!(
        app.state
            .sign_in_writes
            .settled(std::time::Duration::from_secs(5))
            .await,
        "written within seconds"
    );
    assert_eq!(count(&app, present, &meeting).await, 1);
    let record = "SELECT * FROM attendance WHERE meeting = type::record('meeting', $m) AND via = 'tablet' AND client_id = 'c-0001-abcd' AND string::starts_with(by, 'tablet:') AND at != NONE";
    assert_eq!(count(&app, record, &meeting).await, 1, "who, how and when");
    assert_eq!(
        count(&app, "SELECT * FROM audit", "").await,
        trail_before,
        "sign-ins are domain history, not trail entries"
    );
    // The tablet's day shows the member present.
    let TabletView::Paired { meetings, .. } = today(&app, &tablet).await.json().await.unwrap()
    else {
        panic!("paired");
    };
    let m = meetings.iter().find(|m| m.id == meeting).unwrap();
    let me = m.attendees.iter().find(|a| &a.member == second).unwrap();
    assert_eq!(me.status, Some(app::models::meeting::Attendance::Present));
    assert_eq!(m.present, 1);

    // Someone not expected, and a meeting of another room, are refused.
    let res = sign_in(&app, &tablet, &meeting, "m9999", "2468", "c-0002-abcd").await;
    assert_eq!(res.status(), 400);
    let elsewhere = app.paired_tablet("rm002").await;
    let res = sign_in(&app, &elsewhere, &meeting, second, "2468", "c-0003-abcd").await;
    assert_eq!(
        res.status(),
        403,
        "another room's tablet learns nothing of it"
    );
}

#[tokio::test]
async fn a_pin_hashed_before_pins_were_keyed_works_and_is_then_stored_keyed() {
    let app = spawn_app().await;
    let (meeting, room, attendees) = todays_meeting(&app).await;
    let tablet = app.paired_tablet(&room).await;
    let member = &attendees[2];
    // As set_pin stored PINs before: an Argon2 hash.
    let old = app.state.passwords.hash("1357".into()).await.unwrap();
    app.state
        .db
        .query("UPDATE type::record('member_pin', $k) SET hash = $h")
        .bind(("k", member.clone()))
        .bind(("h", old))
        .await
        .unwrap()
        .check()
        .unwrap();
    let keyed = "SELECT * FROM member_pin WHERE record::id(id) = $m AND string::starts_with(hash, 'hmac-sha256$')";
    assert_eq!(count(&app, keyed, member).await, 0);
    let res = sign_in(&app, &tablet, &meeting, member, "2468", "c-legacy-0001").await;
    assert_eq!(res.status(), 400, "the old PIN still decides");
    let res = sign_in(&app, &tablet, &meeting, member, "1357", "c-legacy-0002").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        count(&app, keyed, member).await,
        1,
        "stored keyed once right"
    );
    let res = sign_in(&app, &tablet, &meeting, member, "1357", "c-legacy-0003").await;
    assert_eq!(res.status(), 200, "and checked keyed since");
}

#[tokio::test]
async fn a_member_sets_a_pin_that_is_not_the_first_guess() {
    let app = spawn_app().await;
    let member = app.session_cookie("member").await;
    for (pin, ok) in [
        ("12", false),
        ("1234", false),
        ("0000", false),
        ("13579", true),
    ] {
        let res = app
            .call_as(&member, "set_pin", &[("input[pin]", pin)])
            .await;
        assert_eq!(res.status() == 200, ok, "{pin}");
    }
    let res = app.call_as(&member, "pin_status", &[]).await;
    assert_eq!(res.text().await.unwrap(), "true");
    // The PIN is kept hashed only.
    let stored = count(
        &app,
        "SELECT * FROM member_pin WHERE hash CONTAINS '13579'",
        "",
    )
    .await;
    assert_eq!(stored, 0);
    let keyed = count(
        &app,
        "SELECT * FROM member_pin WHERE string::starts_with(hash, 'hmac-sha256$')",
        "",
    )
    .await;
    assert!(keyed > 0, "keyed with the servers' PIN key");
    // An administrator's account has no member record: no PIN.
    let admin = app.session_cookie("sysadmin").await;
    let res = app
        .call_as(&admin, "set_pin", &[("input[pin]", "13579")])
        .await;
    assert_eq!(res.status(), 403);
}

/// Reads server-sent events from `res` until one snapshot matches `want`, within
/// `within`; returns it.
async fn snapshot_where(
    res: &mut reqwest::Response,
    within: Duration,
    want: impl Fn(&app::models::room::LiveSnapshot) -> bool,
) -> app::models::room::LiveSnapshot {
    let deadline = tokio::time::Instant::now() + within;
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .expect("a snapshot in time")
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) {
                let snap: app::models::room::LiveSnapshot = serde_json::from_str(data).unwrap();
                if want(&snap) {
                    return snap;
                }
            }
        }
    }
}

#[tokio::test]
async fn the_count_reaches_every_screen_within_a_second_on_any_server() {
    let app = spawn_app().await;
    app.following_changes().await;
    let (meeting, room, attendees) = todays_meeting(&app).await;
    let tablet = app.paired_tablet(&room).await;
    let secretary = app.session_cookie("secretary").await;

    // The secretary's page follows the meeting: the first event is the snapshot now.
    let mut page = app
        .get_as(&secretary, &format!("/live/meetings/{meeting}"))
        .await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/event-stream");
    let first = snapshot_where(&mut page, Duration::from_secs(2), |_| true).await;
    let before = first.present;
    // The tablet follows it too.
    let mut on_tablet = app
        .get_as(&tablet, &format!("/tablet/live/{meeting}"))
        .await;
    assert_eq!(on_tablet.status(), 200);
    snapshot_where(&mut on_tablet, Duration::from_secs(2), |_| true).await;

    // A sign-in through a second server on the same database reaches both within a second.
    let beside = app.spawn_beside().await;
    beside.following_changes().await;
    let member = attendees
        .iter()
        .find(|a| !first.present_members.contains(a))
        .expect("someone still to sign in");
    let res = sign_in(&beside, &tablet, &meeting, member, "2468", "c-beside-1").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let seen = snapshot_where(&mut page, Duration::from_secs(1), |s| {
        s.present == before + 1
    })
    .await;
    assert!(seen.present_members.contains(member));
    assert!(!seen.present_names.is_empty());
    snapshot_where(&mut on_tablet, Duration::from_secs(1), |s| {
        s.present == before + 1
    })
    .await;

    // An attendee outside the committee follows the counts, not the names.
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(member) FROM account WHERE username = 'member'")
        .await
        .unwrap();
    let own: Vec<String> = res.take(0).unwrap();
    if attendees.contains(&own[0]) {
        let member = app.session_cookie("member").await;
        let mut counts = app
            .get_as(&member, &format!("/live/meetings/{meeting}"))
            .await;
        assert_eq!(counts.status(), 200);
        let snap = snapshot_where(&mut counts, Duration::from_secs(2), |_| true).await;
        assert_eq!(snap.present, before + 1);
        assert!(snap.present_names.is_empty() && snap.present_members.is_empty());
    }

    // The projector view: the count and names in the page, a nonce'd script, no WASM.
    let res = app
        .get_as(&secretary, &format!("/screen/meetings/{meeting}"))
        .await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("已签到 {} / 应到", before + 1)),
        "{html}"
    );
    assert!(html.contains(&seen.present_names[0]));
    assert!(!html.contains(".wasm") && !html.contains("/pkg/"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap();
    assert!(html.contains(&format!("<script nonce=\"{nonce}\">")));
    assert_eq!(
        app.get(&format!("/screen/meetings/{meeting}"))
            .await
            .status(),
        401
    );
    beside.stop().await;

    // Shutdown stays graceful with streams open: they end, the server stops.
    tokio::time::timeout(Duration::from_secs(10), app.stop())
        .await
        .expect("the server stops with live streams open");
    drop(page);
    drop(on_tablet);
}

/// Reads `res` to its end; fails if it is still open at `within`.
async fn ends_within(res: &mut reqwest::Response, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .expect("the stream ends in time");
        match chunk {
            Ok(Some(_)) => continue,
            Ok(None) | Err(_) => return,
        }
    }
}

#[tokio::test]
async fn an_open_tablet_screen_goes_blank_soon_after_its_tablet_is_revoked_on_another_server() {
    // Open streams check their tablet every `auth.tablet_check_seconds` (30 by default).
    let mut config = crate::support::test_config();
    config.auth.tablet_check_seconds = 1;
    let app = crate::support::spawn_app_with(config).await;
    app.following_changes().await;
    let (meeting, room, _) = todays_meeting(&app).await;
    let tablet = app.paired_tablet(&room).await;
    let mut screen = app
        .get_as(&tablet, &format!("/tablet/live/{meeting}"))
        .await;
    assert_eq!(screen.status(), 200);
    snapshot_where(&mut screen, Duration::from_secs(2), |_| true).await;

    // Still paired: the checks pass and the stream stays open.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let open = tokio::time::timeout(Duration::from_millis(200), screen.chunk()).await;
    assert!(
        !matches!(open, Ok(Ok(None))),
        "a paired tablet's stream stays open"
    );

    // The committee office revokes it through a second server.
    let beside = app.spawn_beside().await;
    beside.following_changes().await;
    let office = beside.session_cookie("office").await;
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(id) FROM device WHERE room = type::record('room', $r)")
        .bind(("r", room.clone()))
        .await
        .unwrap();
    let devices: Vec<String> = res.take(0).unwrap();
    assert_eq!(devices.len(), 1, "{devices:?}");
    let res = beside
        .call_as(&office, "revoke_tablet", &[("id", devices[0].as_str())])
        .await;
    assert_eq!(res.status(), 200);

    // The screen on the first server ends within the check (1 s, up to a third later).
    ends_within(&mut screen, Duration::from_secs(4)).await;
    assert_eq!(
        app.get_as(&tablet, &format!("/tablet/live/{meeting}"))
            .await
            .status(),
        401
    );
    beside.stop().await;
    app.stop().await;
}
