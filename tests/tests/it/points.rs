//! Points (issue 15): finishing an item and passing a quiz earn points once each, within
//! the office's daily caps, into a ledger the database keeps append-only; a member sees
//! their own; a branch sees its members' totals only when the office turns that on.

use app::access::Role;
use app::api::points::{BranchPoints, MyPoints, SavePointSettings};
use app::api::quiz::{StartAttempt, SubmitAttempt};
use app::models::org::OrgKind;
use app::models::points::{MembersPoints, PointRule, PointSettingsInput, PointsView};
use app::models::quiz::{Answer, AttemptView, SubmitInput};

use crate::required::{course, finish, judge_quiz};
use crate::support::{Fixture, TestApp, spawn_app};

async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn mine(app: &TestApp, cookie: &str) -> PointsView {
    ok(app.call_fn(cookie, MyPoints { page: 1 }).await).await
}

/// The office's form with the learning rules (item, quiz) as given and the others at their
/// defaults.
fn settings(amounts: [u16; 2], caps: [u16; 2], branch_totals: bool) -> SavePointSettings {
    let rest = PointRule::ALL[2..].iter().map(|r| r.defaults());
    SavePointSettings {
        input: PointSettingsInput {
            amounts: amounts
                .iter()
                .copied()
                .chain(rest.clone().map(|d| d.0))
                .collect(),
            caps: caps.iter().copied().chain(rest.map(|d| d.1)).collect(),
            branch_totals,
        },
    }
}

/// What one rule's ledger holds, as `member:amount`, sorted.
pub(crate) async fn ledger_of(app: &TestApp, rule: &str) -> Vec<String> {
    let mut found: Vec<String> = app
        .state
        .db
        .query(
            "SELECT VALUE record::id(member) + ':' + <string> amount FROM point
             WHERE rule = $rule",
        )
        .bind(("rule", rule.to_string()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    found.sort();
    found
}

#[tokio::test]
async fn points_are_earned_once_within_daily_caps_kept_append_only_and_seen_as_the_office_allows() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("积分党委", OrgKind::Committee, None).await;
    let a = fx.org("积分第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("积分第二党支部", OrgKind::Branch, Some(&root)).await;
    let in_a = fx.members(&a, 2).await;
    let _in_b = fx.members(&b, 1).await;
    let office = app.session_cookie("office").await;
    let sec_a = fx
        .account("pt_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let m1 = fx.account("pt_m1", Role::Member, &[], Some(&in_a[0])).await;
    let (_, items) = course(&app, &office, &root, "积分课程").await;

    // Only the office sets the rules; bad numbers are refused by field, nothing kept.
    assert_eq!(
        app.call_fn(&sec_a, settings([4, 5], [6, 10], false))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_fn(&m1, settings([4, 5], [6, 10], false))
            .await
            .status(),
        403
    );
    let res = app
        .call_fn(&office, settings([4, 5], [6, 5000], false))
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("caps"));
    let view = mine(&app, &m1).await;
    assert_eq!(
        view.settings.unwrap().of(PointRule::ItemDone),
        (1, 10),
        "defaults"
    );
    let res = app.call_fn(&office, settings([4, 5], [6, 10], false)).await;
    assert_eq!(res.status(), 200);

    // An item earns 4 once, however often its end is reported; the second is cut to what
    // is left of today's cap of 6.
    finish(&app, &m1, &items[0]).await;
    finish(&app, &m1, &items[0]).await;
    let view = mine(&app, &m1).await;
    assert_eq!((view.total, view.year, view.entries), (4, 4, 1));
    assert_eq!(view.rows[0].rule, PointRule::ItemDone);
    assert_eq!(view.rows[0].label, "党章总纲");
    assert_eq!(view.rows[0].amount, 4);
    finish(&app, &m1, &items[1]).await;
    let view = mine(&app, &m1).await;
    assert_eq!((view.total, view.entries), (6, 2), "cut to the daily cap");
    assert_eq!(view.rows[0].amount, 2, "newest first");

    // A quiz passed earns 5 once, however often it is passed; a failed one nothing.
    let exam = judge_quiz(&app, &sec_a, &a, "积分不排名。", "积分小测").await;
    for choice in [1u8, 0, 0] {
        let attempt: AttemptView =
            ok(app.call_fn(&m1, StartAttempt { exam: exam.clone() }).await).await;
        let input = SubmitInput {
            attempt: attempt.id,
            answers: vec![Answer {
                choices: vec![choice],
                text: String::new(),
            }],
        };
        let _: AttemptView = ok(app.call_fn(&m1, SubmitAttempt { input }).await).await;
    }
    let view = mine(&app, &m1).await;
    assert_eq!((view.total, view.entries), (11, 3));
    assert_eq!(view.rows[0].rule, PointRule::QuizPassed);
    assert_eq!(view.rows[0].label, "积分小测");

    // The ledger is append-only in the database itself: no entry changes or goes.
    let before = app.count("point").await;
    let changed = app
        .state
        .db
        .query("UPDATE point SET amount = 100")
        .await
        .unwrap()
        .check();
    assert!(changed.is_err(), "an update is refused");
    let removed = app.state.db.query("DELETE point").await.unwrap().check();
    assert!(removed.is_err(), "a delete is refused");
    assert_eq!(app.count("point").await, before);
    assert_eq!(mine(&app, &m1).await.total, 11);

    // Totals by name: the office always; the branch only once the office allows it, and
    // only its own; a member never.
    let seen: MembersPoints = ok(app.call_fn(&office, BranchPoints { org: a.clone() }).await).await;
    let totals: Vec<u32> = seen.members.iter().map(|m| m.total).collect();
    assert_eq!(seen.members.len(), 2);
    assert!(totals.contains(&11) && totals.contains(&0), "{totals:?}");
    let mut names: Vec<String> = seen.members.iter().map(|m| m.name.clone()).collect();
    let by_name = names.clone();
    names.sort();
    assert_eq!(names, by_name, "by name, not by points");
    let res = app.call_fn(&sec_a, BranchPoints { org: a.clone() }).await;
    assert_eq!(res.status(), 403);
    assert!(mine(&app, &sec_a).await.branches.is_empty());
    let _: app::models::points::PointSettings =
        ok(app.call_fn(&office, settings([4, 5], [6, 10], true)).await).await;
    let seen: MembersPoints = ok(app.call_fn(&sec_a, BranchPoints { org: a.clone() }).await).await;
    assert_eq!(seen.members.len(), 2);
    assert!(!mine(&app, &sec_a).await.branches.is_empty());
    let res = app.call_fn(&sec_a, BranchPoints { org: b.clone() }).await;
    assert_eq!(res.status(), 403);
    let res = app.call_fn(&m1, BranchPoints { org: a.clone() }).await;
    assert_eq!(res.status(), 403);

    // The page shows the member their points and why.
    let html = app
        .get_as(&m1, "/learning/points")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("累计 11 分") && html.contains("积分小测"),
        "{html}"
    );
}

/// A meeting earns its points when its minutes are approved (the record is final), to
/// those present and nobody else, once however the approval is tried again.
#[tokio::test]
async fn a_meeting_earns_those_present_points_once_its_minutes_are_approved() {
    use app::api::meeting::{ApproveMinutes, GetMeeting, SaveMinutes};
    use app::models::meeting::{MeetingDetail, MinutesInput};

    use crate::meeting::{mark, meeting, scheduled};
    use crate::support::china_day;

    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let id = scheduled(
        &app,
        &secretary,
        meeting("o0003", "general_meeting", &china_day(-1), "学习党章"),
    )
    .await;
    let d: MeetingDetail = ok(app.call_fn(&secretary, GetMeeting { id: id.clone() }).await).await;
    assert!(d.attendees.len() >= 3, "{:?}", d.attendees);
    let (here, also, away) = (
        d.attendees[0].member.clone(),
        d.attendees[1].member.clone(),
        d.attendees[2].member.clone(),
    );
    for (who, status, reason) in [
        (&here, "present", ""),
        (&also, "present", ""),
        (&away, "absent", "出差"),
    ] {
        let res = mark(&app, &secretary, &id, who, status, reason).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let minutes = |submit| SaveMinutes {
        input: MinutesInput {
            meeting: id.clone(),
            minutes: "一、学习党章总纲。".into(),
            submit,
        },
    };
    let _: MeetingDetail = ok(app.call_fn(&secretary, minutes(true)).await).await;
    assert!(
        ledger_of(&app, "meeting_attended").await.is_empty(),
        "nothing before the approval"
    );
    let _: MeetingDetail = ok(app
        .call_fn(&secretary, ApproveMinutes { id: id.clone() })
        .await)
    .await;
    let mut expected = vec![format!("{here}:2"), format!("{also}:2")];
    expected.sort();
    assert_eq!(ledger_of(&app, "meeting_attended").await, expected);
    // Approved once: a second approval is refused and earns nothing more.
    let res = app
        .call_fn(&secretary, ApproveMinutes { id: id.clone() })
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(ledger_of(&app, "meeting_attended").await, expected);
}
