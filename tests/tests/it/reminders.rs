//! Reminders and the bell: the job runs on one app server at a time (a lease in the
//! database), a reminder is stored once however often the job runs, and each account
//! reads only its own notifications.

use app::api::notification::{GetNotifications, MarkNotificationsRead};
use app::models::notification::{NotificationKind, Notifications};
use app::server::service::reminders::run_once;

use crate::support::spawn_app;

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
    let member = app.session_cookie("member").await;
    let none: Notifications = app
        .call_fn(&member, GetNotifications {})
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none, Notifications::default());
    // The bell counts the unread ones; marking them read clears only the caller's.
    let page = app
        .get_as(&secretary, "/workbench")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("通知（{} 条未读）", mine.unread)),
        "the bell"
    );
    let res = app.call_fn(&secretary, MarkNotificationsRead {}).await;
    assert_eq!(res.status(), 200);
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
