//! Organisational life, first storage (issue 14): meetings scheduled or recorded by a
//! branch, refused outside its reach, listed by year with where each rule stands.

use app::api::meeting::{ListMeetings, ScheduleMeeting};
use app::models::meeting::{MeetingInput, MeetingKind, MeetingQuery, MeetingsPage, Standing};
use chrono::{Duration, Utc};

use crate::support::{TestApp, spawn_app};

fn china_day(days_from_today: i64) -> String {
    (Utc::now() + Duration::hours(8) + Duration::days(days_from_today))
        .date_naive()
        .to_string()
}

fn meeting(org: &str, kind: &str, day: &str, topic: &str) -> ScheduleMeeting {
    ScheduleMeeting {
        input: MeetingInput {
            org: org.into(),
            kind: kind.into(),
            day: day.into(),
            time: "14:30".into(),
            topic: topic.into(),
            room: "门诊楼 5 楼会议室".into(),
            agenda: String::new(),
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
    let theme_day = page
        .standings
        .iter()
        .find(|s| s.meeting == MeetingKind::ThemeDay)
        .unwrap();
    assert_eq!((theme_day.held, theme_day.standing), (1, Standing::Done));
    let life = page
        .standings
        .iter()
        .find(|s| s.meeting == MeetingKind::LifeMeeting)
        .unwrap();
    assert_ne!(
        life.standing,
        Standing::Done,
        "no 组织生活会 held this year"
    );
}

#[tokio::test]
async fn meetings_outside_the_reach_or_with_bad_fields_are_refused_and_nothing_is_kept() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    let office = app.session_cookie("office").await;
    let today = china_day(0);

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
    assert_eq!(stored(&app).await, 0, "no refusal left a record");

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
    assert_eq!(mine.meetings.len(), 1);
    assert_eq!(mine.meetings[0].org, "o0003");
    assert!(
        mine.standings.is_empty(),
        "no standings without one organisation"
    );
    let all: MeetingsPage = list(&app, &office, "").await.json().await.unwrap();
    assert_eq!(all.meetings.len(), 2);
    assert_eq!(list(&app, &secretary, "o0004").await.status(), 403);
    assert_eq!(list(&app, &member, "").await.status(), 403);
}
