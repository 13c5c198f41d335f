//! Reminders and the bell: the job runs on one app server at a time (a lease in the
//! database), a reminder is stored once however often the job runs, and each account
//! reads only its own notifications.

use app::api::notification::{GetNotifications, MarkNotificationsRead};
use app::models::notification::{NotificationKind, Notifications};
use app::server::service::reminders::run_once;

use crate::support::{china_day, member_of, spawn_app};

#[tokio::test]
async fn reminders_are_sent_once_by_one_server_and_read_by_their_account_only() {
    let app = spawn_app().await;
    let beside = app.spawn_beside().await;
    // Two servers start the job at the same moment: one holds the lease and runs it.
    let (a, b) = tokio::join!(
        run_once(&app.state, "server-a"),
        run_once(&beside.state, "server-b")
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.is_some() != b.is_some(), "exactly one runs: {a:?} {b:?}");
    let (winner, loser, state, other) = if a.is_some() {
        ("server-a", "server-b", &app.state, &beside.state)
    } else {
        ("server-b", "server-a", &beside.state, &app.state)
    };
    let sent = a.or(b).unwrap();
    assert!(sent > 0, "the demo hospital has work due and overdue");
    // While the lease runs, the other server does not run the job.
    assert_eq!(run_once(other, loser).await.unwrap(), None);
    // The holder runs it again: nothing is sent twice.
    assert_eq!(run_once(state, winner).await.unwrap(), Some(0));
    let stored: Option<i64> = app
        .state
        .db
        .query("RETURN array::len(SELECT VALUE id FROM notification)")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(stored, Some(sent as i64));

    // The secretary is reminded of the branch's overdue work; the office is told of
    // overdue rectification (escalation); a member has nothing.
    let secretary = app.session_cookie("secretary").await;
    let mine: Notifications = app
        .call_fn(&secretary, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.unread > 0);
    assert!(
        mine.items
            .iter()
            .any(|n| n.kind == NotificationKind::Overdue)
    );
    assert!(
        mine.items
            .iter()
            .all(|n| n.kind != NotificationKind::Escalated)
    );
    let office = app.session_cookie("office").await;
    let theirs: Notifications = app
        .call_fn(&office, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    assert!(
        theirs
            .items
            .iter()
            .all(|n| n.kind == NotificationKind::Escalated)
    );
    assert!(!theirs.items.is_empty());
    // A member owes no task: they are reminded of the meeting they are expected at today
    // (the demo's 主题党日), once, and of the quiz their branch was required to pass, now
    // overdue (the demo's required course is due in ten days: not yet).
    let member = app.session_cookie("member").await;
    let theirs_too: Notifications = app
        .call_fn(&member, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    assert!(!theirs_too.items.is_empty());
    let meeting = |n: &app::models::notification::NotificationView| {
        n.kind == NotificationKind::Meeting && n.href.starts_with("/meetings/")
    };
    let required = |n: &app::models::notification::NotificationView| {
        n.kind == NotificationKind::Overdue && n.href == "/learning/required"
    };
    assert!(theirs_too.items.iter().any(meeting), "{theirs_too:?}");
    assert_eq!(
        theirs_too.items.iter().filter(|n| required(n)).count(),
        1,
        "{theirs_too:?}"
    );
    assert!(
        theirs_too.items.iter().all(|n| meeting(n) || required(n)),
        "{theirs_too:?}"
    );
    // The bell counts the unread ones on every page, from memory on each server; marking
    // them read clears only the caller's, on this server at once and on the other when
    // the change reaches it.
    let bell = format!("通知（{} 条未读）", mine.unread);
    let page_of = |server: &'static str| {
        let (secretary, app, beside) = (secretary.clone(), &app, &beside);
        async move {
            let on = if server == "app" { app } else { beside };
            on.get_as(&secretary, "/workbench")
                .await
                .text()
                .await
                .unwrap()
        }
    };
    assert!(page_of("app").await.contains(&bell), "the bell");
    assert!(page_of("beside").await.contains(&bell), "the bell beside");
    let res = app.call_fn(&secretary, MarkNotificationsRead {}).await;
    assert_eq!(res.status(), 200);
    assert!(
        page_of("app").await.contains("通知（0 条未读）"),
        "read at once"
    );
    let mut beside_read = false;
    for _ in 0..100 {
        if page_of("beside").await.contains("通知（0 条未读）") {
            beside_read = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(beside_read, "the other server's bell follows within 5 s");
    let after: Notifications = app
        .call_fn(&secretary, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after.unread, 0);
    let still: Notifications = app
        .call_fn(&office, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still.unread, theirs.unread);
    beside.stop().await;
}

/// Meeting reminders: every expected attendee of a meeting today or tomorrow is told once
/// (however often the job runs); one already on leave, or present, is not; a meeting later
/// than tomorrow waits.
#[tokio::test]
async fn attendees_are_reminded_of_meetings_today_and_tomorrow_once() {
    use app::api::meeting::{MarkAttendance, ScheduleMeeting};
    use app::models::meeting::{AttendanceInput, MeetingDetail, MeetingInput};
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let schedule = |day: String, topic: &'static str| {
        let app = &app;
        let secretary = secretary.clone();
        async move {
            let input = MeetingInput {
                org: "o0003".into(),
                kind: "theme_day".into(),
                day,
                time: "14:30".into(),
                topic: topic.into(),
                ..Default::default()
            };
            let res = app.call_fn(&secretary, ScheduleMeeting { input }).await;
            assert_eq!(res.status(), 200);
            res.json::<String>().await.unwrap()
        }
    };
    let tomorrow = schedule(china_day(1), "明天的主题党日").await;
    let later = schedule(china_day(5), "五天后的主题党日").await;
    let excused = schedule(china_day(1), "已请假的主题党日").await;
    let d: MeetingDetail = app
        .call_fn(
            &secretary,
            app::api::meeting::GetMeeting {
                id: excused.clone(),
            },
        )
        .await
        .json()
        .await
        .unwrap();
    let me = member_of(&app, "member").await;
    assert!(d.attendees.iter().any(|a| a.member == me));
    let input = AttendanceInput {
        meeting: excused.clone(),
        member: me,
        status: "leave".into(),
        reason: "出差".into(),
    };
    assert_eq!(
        app.call_fn(&secretary, MarkAttendance { input })
            .await
            .status(),
        200
    );
    run_once(&app.state, "server-a").await.unwrap();
    run_once(&app.state, "server-a").await.unwrap();
    let mine: Notifications = app
        .call_fn(&member, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    let to = |id: &str| {
        mine.items
            .iter()
            .filter(|n| n.kind == NotificationKind::Meeting && n.href == format!("/meetings/{id}"))
            .count()
    };
    assert_eq!(to(&tomorrow), 1, "told once: {:?}", mine.items);
    assert_eq!(to(&later), 0, "later than tomorrow: not yet");
    assert_eq!(to(&excused), 0, "on leave: not told");
    let n = mine
        .items
        .iter()
        .find(|n| n.href == format!("/meetings/{tomorrow}"))
        .unwrap();
    assert_eq!(n.title, "明天的主题党日");
}
