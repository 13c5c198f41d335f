//! Quizzes and exams (issue 15): a branch keeps a question bank and sets an exam; its
//! members take it; the key never reaches a member before they submit (no answer, no page);
//! grading is the server's, the time limit is the server's clock, attempts are counted and
//! the same attempt started twice at once is one attempt.

use std::sync::Arc;

use app::access::Role;
use app::api::quiz::{
    GetAttempt, GetExam, ListQuestions, SaveExam, SaveQuestion, StartAttempt, SubmitAttempt,
};
use app::models::learning::{CourseView, ItemExam, ItemView};
use app::models::org::OrgKind;
use app::models::points::{PointRule, PointsView};
use app::models::quiz::{
    Answer, AttemptView, Draw, ExamInput, ExamView, QuestionInput, QuestionPage, QuestionQuery,
    SubmitInput,
};
use app::server::auth::ManualClock;
use chrono::{Duration, TimeZone, Utc};

use crate::support::{Fixture, TestApp, spawn_app, spawn_app_with_clock, test_config};

/// The fill-in's key: a word that appears nowhere else, so finding it in an answer
/// means the key leaked.
const SECRET: &str = "甲乙丙丁暗号";

fn question(org: &str, kind: &str, stem: &str, options: &[&str], key: &str) -> QuestionInput {
    QuestionInput {
        org: org.into(),
        kind: kind.into(),
        stem: stem.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        key: key.into(),
        explanation: "见党章。".into(),
        tags: "党章".into(),
        difficulty: 1,
        ..Default::default()
    }
}

async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A branch with its secretary and two members, and a second branch with one member:
/// (branch, secretary, member, member, other branch's member).
async fn branch(app: &TestApp, name: &str) -> (String, String, String, String, String) {
    let fx = Fixture::new(app);
    let root = fx
        .org(&format!("{name}党委"), OrgKind::Committee, None)
        .await;
    let a = fx
        .org(&format!("{name}第一党支部"), OrgKind::Branch, Some(&root))
        .await;
    let b = fx
        .org(&format!("{name}第二党支部"), OrgKind::Branch, Some(&root))
        .await;
    let in_a = fx.members(&a, 2).await;
    let in_b = fx.members(&b, 1).await;
    let sec = fx
        .account(&format!("{name}_sec"), Role::BranchCommittee, &[&a], None)
        .await;
    let m1 = fx
        .account(&format!("{name}_m1"), Role::Member, &[], Some(&in_a[0]))
        .await;
    let m2 = fx
        .account(&format!("{name}_m2"), Role::Member, &[], Some(&in_a[1]))
        .await;
    let other = fx
        .account(&format!("{name}_mb"), Role::Member, &[], Some(&in_b[0]))
        .await;
    (a, sec, m1, m2, other)
}

/// Four questions of each kind in `org`'s bank, by `cookie`.
async fn bank(app: &TestApp, cookie: &str, org: &str) {
    for input in [
        question(org, "single", "预备期为多长？", &["半年", "一年"], "B"),
        question(
            org,
            "multiple",
            "哪些是纪律处分？",
            &["警告", "降级", "开除党籍"],
            "A,C",
        ),
        question(org, "judge", "主题党日每月开展一次。", &[], "对"),
        question(org, "fill", "本题的暗号是什么？", &[], SECRET),
    ] {
        let _: String = ok(app.call_fn(cookie, SaveQuestion { input }).await).await;
    }
}

fn exam(org: &str, count: u16, limit: u16, attempts: u8) -> ExamInput {
    ExamInput {
        org: org.into(),
        title: "党章小测".into(),
        limit_minutes: limit,
        pass_percent: 75,
        attempts,
        draws: vec![Draw {
            tag: "党章".into(),
            difficulty: 0,
            count,
        }],
        ..Default::default()
    }
}

/// The right answers of an attempt's questions, read from the database in the order asked.
async fn right_answers(app: &TestApp, attempt: &str) -> Vec<Answer> {
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE [kind, answer_key.choices, answer_key.accepted]
             FROM type::record('attempt', $a).questions",
        )
        .bind(("a", attempt.to_string()))
        .await
        .unwrap();
    let rows: Vec<(String, Vec<u8>, Vec<String>)> = res.take(0).unwrap();
    rows.into_iter()
        .map(|(kind, choices, accepted)| Answer {
            choices,
            text: if kind == "fill" {
                format!(" {} ", accepted[0])
            } else {
                String::new()
            },
        })
        .collect()
}

#[tokio::test]
async fn an_exam_is_drawn_from_the_bank_graded_by_the_server_and_its_keys_stay_hidden_until_submitted()
 {
    let app = spawn_app().await;
    let (org, sec, m1, m2, other) = branch(&app, "测验").await;

    // A bad question is refused by its field and stores nothing.
    let before = app.count("question").await;
    let mut bad = question(&org, "single", "两个答案？", &["甲", "乙"], "AB");
    let res = app.call_fn(&sec, SaveQuestion { input: bad.clone() }).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("key"));
    bad.stem = String::new();
    bad.key = "A".into();
    let res = app.call_fn(&sec, SaveQuestion { input: bad }).await;
    assert!(res.text().await.unwrap().contains("stem"));
    assert_eq!(app.count("question").await, before);
    // A member keeps no bank, and a branch none for another branch.
    let input = question(&org, "judge", "？", &[], "对");
    assert_eq!(app.call_fn(&m1, SaveQuestion { input }).await.status(), 403);
    let query = QuestionQuery::default();
    assert_eq!(
        app.call_fn(&m1, ListQuestions { query }).await.status(),
        403
    );

    bank(&app, &sec, &org).await;
    let page: QuestionPage = ok(app
        .call_fn(
            &sec,
            ListQuestions {
                query: QuestionQuery {
                    org: org.clone(),
                    ..Default::default()
                },
            },
        )
        .await)
    .await;
    assert_eq!(page.total, 4);
    assert!(
        page.rows.iter().any(|q| q.key == "AC"),
        "its editors see keys"
    );

    // More questions than the bank holds: refused, with how many there are.
    let res = app
        .call_fn(
            &sec,
            SaveExam {
                input: exam(&org, 5, 0, 1),
            },
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains('4'));
    let id: String = ok(app
        .call_fn(
            &sec,
            SaveExam {
                input: exam(&org, 4, 0, 1),
            },
        )
        .await)
    .await;

    // Members of the branch see it; another branch's member is refused.
    let seen: ExamView = ok(app.call_fn(&m1, GetExam { id: id.clone() }).await).await;
    assert!(seen.can_start && seen.mine.is_empty() && !seen.editable);
    assert_eq!(seen.questions, 4);
    let res = app.call_fn(&other, GetExam { id: id.clone() }).await;
    assert_eq!(res.status(), 403);
    let res = app.call_fn(&other, StartAttempt { exam: id.clone() }).await;
    assert_eq!(res.status(), 403);

    // Started: four questions, and no key in the answer, in a second read or in the page.
    let res = app.call_fn(&m1, StartAttempt { exam: id.clone() }).await;
    assert_eq!(res.status(), 200);
    let raw = res.text().await.unwrap();
    for leak in [SECRET, "answer_key", "accepted", "explanation", "见党章"] {
        assert!(!raw.contains(leak), "{leak} in {raw}");
    }
    let attempt: AttemptView = serde_json::from_str(&raw).unwrap();
    assert_eq!(attempt.asked.len(), 4);
    assert!(attempt.result.is_none() && attempt.seconds_left.is_none());
    let raw = app
        .call_fn(
            &m1,
            GetAttempt {
                id: attempt.id.clone(),
            },
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains(SECRET) && !raw.contains("answer_key"),
        "{raw}"
    );
    let page = app
        .get_as(&m1, &format!("/learning/attempts/{}", attempt.id))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("本题的暗号是什么"),
        "the page shows the questions"
    );
    assert!(!html.contains(SECRET), "the page's data holds no key");
    // Starting again resumes it; another member cannot read it.
    let again: AttemptView = ok(app.call_fn(&m1, StartAttempt { exam: id.clone() }).await).await;
    assert_eq!(again.id, attempt.id);
    let res = app
        .call_fn(
            &m2,
            GetAttempt {
                id: attempt.id.clone(),
            },
        )
        .await;
    assert_eq!(res.status(), 403);

    // Answers that do not match the questions are refused and grade nothing.
    let input = SubmitInput {
        attempt: attempt.id.clone(),
        answers: vec![Answer::default()],
    };
    assert_eq!(
        app.call_fn(&m1, SubmitAttempt { input }).await.status(),
        400
    );
    // Another member cannot submit it.
    let input = SubmitInput {
        attempt: attempt.id.clone(),
        answers: vec![Answer::default(); 4],
    };
    assert_eq!(
        app.call_fn(&m2, SubmitAttempt { input }).await.status(),
        403
    );

    // Three right, one wrong: 75, the pass mark; the review shows the keys now.
    let mut answers = right_answers(&app, &attempt.id).await;
    let multiple = attempt
        .asked
        .iter()
        .position(|q| q.stem == "哪些是纪律处分？")
        .unwrap();
    answers[multiple].choices = vec![0];
    let input = SubmitInput {
        attempt: attempt.id.clone(),
        answers: answers.clone(),
    };
    let res = app.call_fn(&m1, SubmitAttempt { input }).await;
    assert_eq!(res.status(), 200);
    let raw = res.text().await.unwrap();
    assert!(raw.contains(SECRET), "the review shows the key");
    let done: AttemptView = serde_json::from_str(&raw).unwrap();
    let result = done.result.expect("graded");
    assert_eq!((result.correct, result.total, result.percent), (3, 4, 75));
    assert!(result.passed);
    assert!(!result.review[multiple].correct);
    assert_eq!(result.review[multiple].key.choices, vec![0, 2]);
    assert_eq!(result.review[multiple].explanation, "见党章。");

    // Submitted once only; its one attempt used, no other starts.
    let input = SubmitInput {
        attempt: attempt.id.clone(),
        answers,
    };
    assert_eq!(
        app.call_fn(&m1, SubmitAttempt { input }).await.status(),
        400
    );
    let seen: ExamView = ok(app.call_fn(&m1, GetExam { id: id.clone() }).await).await;
    assert!(!seen.can_start && seen.open.is_none());
    assert_eq!(seen.mine[0].percent, Some(75));
    let res = app.call_fn(&m1, StartAttempt { exam: id.clone() }).await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("attempt").await, 1);
}

/// Its editor changes an exam in place (what applies to attempts from then on) and sees
/// how the members in their reach stand: not passed first, never ranked by score.
#[tokio::test]
async fn an_exams_editor_changes_it_and_sees_its_members_results() {
    let app = spawn_app().await;
    let (org, sec, m1, m2, other) = branch(&app, "改卷").await;
    bank(&app, &sec, &org).await;
    let id: String = ok(app
        .call_fn(
            &sec,
            SaveExam {
                input: exam(&org, 4, 0, 1),
            },
        )
        .await)
    .await;
    let seen: ExamView = ok(app.call_fn(&sec, GetExam { id: id.clone() }).await).await;
    let edit = seen
        .edit
        .clone()
        .expect("its editor gets the form's values");
    assert_eq!(
        (edit.id.as_str(), edit.org.as_str()),
        (id.as_str(), org.as_str())
    );
    assert_eq!(
        (edit.pass_percent, edit.attempts, edit.draws[0].count),
        (75, 1, 4)
    );
    assert!(seen.results.is_empty());
    let mine: ExamView = ok(app.call_fn(&m1, GetExam { id: id.clone() }).await).await;
    assert!(
        mine.edit.is_none() && mine.results.is_empty(),
        "a member reads no one's results"
    );

    // The first member passes; the second starts and leaves it open.
    let attempt: AttemptView = ok(app.call_fn(&m1, StartAttempt { exam: id.clone() }).await).await;
    let input = SubmitInput {
        answers: right_answers(&app, &attempt.id).await,
        attempt: attempt.id,
    };
    let _: AttemptView = ok(app.call_fn(&m1, SubmitAttempt { input }).await).await;
    let _: AttemptView = ok(app.call_fn(&m2, StartAttempt { exam: id.clone() }).await).await;
    let seen: ExamView = ok(app.call_fn(&sec, GetExam { id: id.clone() }).await).await;
    let standing: Vec<_> = seen
        .results
        .iter()
        .map(|r| (r.attempts, r.best, r.passed, !r.day.is_empty()))
        .collect();
    assert_eq!(
        standing,
        vec![(1, None, false, false), (1, Some(100), true, true)],
        "not passed first"
    );
    assert!(
        seen.results
            .iter()
            .all(|r| r.org_name.ends_with("第一党支部"))
    );
    let html = app
        .get_as(&sec, &format!("/learning/exams/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("党员作答情况") && html.contains(r#"data-testid="exam-results""#));
    let html = app
        .get_as(&m1, &format!("/learning/exams/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("党员作答情况") && !html.contains("exam-edit"));

    // Changed in place: a new title, pass mark and attempts; the pass already given stays.
    let changed = ExamInput {
        title: "党章小测（修订）".into(),
        pass_percent: 100,
        attempts: 3,
        ..edit.clone()
    };
    let again: String = ok(app
        .call_fn(
            &sec,
            SaveExam {
                input: changed.clone(),
            },
        )
        .await)
    .await;
    assert_eq!(again, id, "the same exam, not a new one");
    let mine: ExamView = ok(app.call_fn(&m1, GetExam { id: id.clone() }).await).await;
    assert_eq!(
        (mine.title.as_str(), mine.pass_percent),
        ("党章小测（修订）", 100)
    );
    assert!(
        mine.can_start && mine.mine[0].passed,
        "two attempts more; the pass stays"
    );
    // Nobody else changes it: a member, another branch's member.
    for cookie in [&m1, &other] {
        let res = app
            .call_fn(
                cookie,
                SaveExam {
                    input: ExamInput {
                        title: "改掉".into(),
                        ..changed.clone()
                    },
                },
            )
            .await;
        assert_eq!(res.status(), 403);
    }
    let seen: ExamView = ok(app.call_fn(&sec, GetExam { id }).await).await;
    assert_eq!(seen.title, "党章小测（修订）");
}

/// A quiz on one item of a course (a check after reading one article): only on an item of
/// its own course and in its editor's reach; the item's page lists it for the member,
/// without a key, and shows once they passed it; passing it earns the quiz's points.
#[tokio::test]
async fn a_quiz_on_an_item_is_listed_on_the_items_page_and_shows_when_the_member_passed_it() {
    let app = spawn_app().await;
    let (org, sec, m1, m2, _) = branch(&app, "本节").await;
    bank(&app, &sec, &org).await;
    let (course, items) = crate::required::course(&app, &sec, &org, "党章学习").await;
    let (_, elsewhere) = crate::required::course(&app, &sec, &org, "党史学习").await;
    let (far_org, far_sec, ..) = branch(&app, "远处").await;
    let (_, far_items) = crate::required::course(&app, &far_sec, &far_org, "远处课程").await;
    let on = |course: &str, item: &str| ExamInput {
        title: "读后小测".into(),
        course: course.into(),
        item: item.into(),
        ..exam(&org, 4, 0, 0)
    };

    // Another course's item: refused naming `item`; one out of reach: refused. Nothing stored.
    let before = app.count("exam").await;
    let res = app
        .call_fn(
            &sec,
            SaveExam {
                input: on(&course, &elsewhere[0]),
            },
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("item"));
    for input in [on("", &far_items[0]), on(&course, &far_items[0])] {
        let res = app.call_fn(&sec, SaveExam { input }).await;
        assert_eq!(res.status(), 403, "{}", res.text().await.unwrap());
    }
    let input = on("", &items[0]);
    assert_eq!(app.call_fn(&m1, SaveExam { input }).await.status(), 403);
    assert_eq!(app.count("exam").await, before);

    // On the first article, its course taken from it.
    let id: String = ok(app
        .call_fn(
            &sec,
            SaveExam {
                input: on("", &items[0]),
            },
        )
        .await)
    .await;
    let seen: ExamView = ok(app.call_fn(&sec, GetExam { id: id.clone() }).await).await;
    let edit = seen.edit.expect("its editor's form");
    assert_eq!(
        (edit.course.as_str(), edit.item.as_str()),
        (course.as_str(), items[0].as_str())
    );
    let seen: ExamView = ok(app.call_fn(&m1, GetExam { id: id.clone() }).await).await;
    assert_eq!(seen.item, Some((items[0].clone(), "党章总纲".to_string())));
    let html = app
        .get_as(&m1, &format!("/learning/exams/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/learning/items/{}", items[0])));

    // The article's page lists it for the member: its title, not passed, and no key.
    let res = app
        .call_fn(
            &m1,
            app::api::learning::GetItem {
                id: items[0].clone(),
            },
        )
        .await;
    assert_eq!(res.status(), 200);
    let raw = res.text().await.unwrap();
    for leak in [
        SECRET,
        "answer_key",
        "accepted",
        "explanation",
        "见党章",
        "预备期",
    ] {
        assert!(!raw.contains(leak), "{leak} in {raw}");
    }
    let page: ItemView = serde_json::from_str(&raw).unwrap();
    let listed = ItemExam {
        id: id.clone(),
        title: "读后小测".into(),
        passed: false,
    };
    assert_eq!(page.exams, vec![listed.clone()]);
    let other: ItemView = ok(app
        .call_fn(
            &m1,
            app::api::learning::GetItem {
                id: items[1].clone(),
            },
        )
        .await)
    .await;
    assert!(other.exams.is_empty(), "the next article has none");
    let html = app
        .get_as(&m1, &format!("/learning/items/{}", items[0]))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("本节测验") && html.contains(&format!("/learning/exams/{id}")));
    assert!(!html.contains(SECRET));
    let passed_badge = r#"<span class="badge badge-ok">通过"#;
    assert!(!html.contains(passed_badge));

    // Passed: the page shows it, for that member only; the quiz's points are earned.
    let attempt: AttemptView = ok(app.call_fn(&m1, StartAttempt { exam: id.clone() }).await).await;
    let input = SubmitInput {
        answers: right_answers(&app, &attempt.id).await,
        attempt: attempt.id,
    };
    let done: AttemptView = ok(app.call_fn(&m1, SubmitAttempt { input }).await).await;
    assert!(done.result.expect("graded").passed);
    let page: ItemView = ok(app
        .call_fn(
            &m1,
            app::api::learning::GetItem {
                id: items[0].clone(),
            },
        )
        .await)
    .await;
    assert_eq!(
        page.exams,
        vec![ItemExam {
            passed: true,
            ..listed.clone()
        }]
    );
    let html = app
        .get_as(&m1, &format!("/learning/items/{}", items[0]))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(passed_badge), "{html}");
    let page: ItemView = ok(app
        .call_fn(
            &m2,
            app::api::learning::GetItem {
                id: items[0].clone(),
            },
        )
        .await)
    .await;
    assert_eq!(page.exams, vec![listed]);
    let points: PointsView = ok(app
        .call_fn(&m1, app::api::points::MyPoints { page: 1 })
        .await)
    .await;
    assert!(
        points
            .rows
            .iter()
            .any(|r| r.rule == PointRule::QuizPassed && r.label == "读后小测"),
        "{:?}",
        points.rows
    );
}

#[tokio::test]
async fn the_time_limit_is_kept_by_the_servers_clock() {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    let app = spawn_app_with_clock(test_config(), Arc::new(clock.clone())).await;
    let (org, sec, m1, _, _) = branch(&app, "限时").await;
    bank(&app, &sec, &org).await;
    let id: String = ok(app
        .call_fn(
            &sec,
            SaveExam {
                input: exam(&org, 2, 1, 2),
            },
        )
        .await)
    .await;
    let first: AttemptView = ok(app.call_fn(&m1, StartAttempt { exam: id.clone() }).await).await;
    assert_eq!(first.seconds_left, Some(60));
    clock.advance(Duration::seconds(30));
    let read: AttemptView = ok(app
        .call_fn(
            &m1,
            GetAttempt {
                id: first.id.clone(),
            },
        )
        .await)
    .await;
    assert_eq!(read.seconds_left, Some(30), "counted by the server");

    // Within the grace after the deadline it still counts; past it, refused.
    clock.advance(Duration::seconds(30 + 61));
    let input = SubmitInput {
        attempt: first.id.clone(),
        answers: vec![Answer::default(); 2],
    };
    let res = app.call_fn(&m1, SubmitAttempt { input }).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("时间已到"));
    let read: AttemptView = ok(app
        .call_fn(
            &m1,
            GetAttempt {
                id: first.id.clone(),
            },
        )
        .await)
    .await;
    assert!(read.result.is_none(), "nothing graded");

    // The lapsed attempt counts; the second (and last) starts afresh and is graded in time.
    let seen: ExamView = ok(app.call_fn(&m1, GetExam { id: id.clone() }).await).await;
    assert!(seen.open.is_none() && seen.can_start);
    let second: AttemptView = ok(app.call_fn(&m1, StartAttempt { exam: id.clone() }).await).await;
    assert_ne!(second.id, first.id);
    assert_eq!(second.n, 2);
    clock.advance(Duration::seconds(90));
    let input = SubmitInput {
        attempt: second.id.clone(),
        answers: right_answers(&app, &second.id).await,
    };
    let done: AttemptView = ok(app.call_fn(&m1, SubmitAttempt { input }).await).await;
    assert_eq!(
        done.result.map(|r| r.percent),
        Some(100),
        "within the grace"
    );
    let res = app.call_fn(&m1, StartAttempt { exam: id.clone() }).await;
    assert_eq!(res.status(), 400, "no attempts left");
}

#[tokio::test]
async fn one_attempt_started_twice_at_once_on_two_servers_is_one_attempt() {
    let app = spawn_app().await;
    let beside = app.spawn_beside().await;
    let (org, sec, m1, _, _) = branch(&app, "并发").await;
    bank(&app, &sec, &org).await;
    let id: String = ok(app
        .call_fn(
            &sec,
            SaveExam {
                input: exam(&org, 3, 0, 0),
            },
        )
        .await)
    .await;
    let (one, two) = tokio::join!(
        app.call_fn(&m1, StartAttempt { exam: id.clone() }),
        beside.call_fn(&m1, StartAttempt { exam: id.clone() }),
    );
    let one: AttemptView = ok(one).await;
    let two: AttemptView = ok(two).await;
    assert_eq!(one.id, two.id);
    assert_eq!(one.asked, two.asked, "the questions drawn once");
    assert_eq!(app.count("attempt").await, 1);
}

#[tokio::test]
async fn the_demo_course_carries_its_quiz_for_every_member() {
    let app = spawn_app().await;
    let member = app.session_cookie("member").await;
    let course: CourseView = ok(app
        .call_fn(
            &member,
            app::api::learning::GetCourse {
                id: "csdemo1".into(),
            },
        )
        .await)
    .await;
    assert!(course.exams.iter().any(|(id, _)| id == "exdemo1"));
    let exam: ExamView = ok(app
        .call_fn(
            &member,
            GetExam {
                id: "exdemo1".into(),
            },
        )
        .await)
    .await;
    assert_eq!(
        (exam.questions, exam.attempts, exam.pass_percent),
        (5, 3, 60)
    );
    let page = app.get_as(&member, "/learning/exams/exdemo1").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("党章知识小测"));
}

async fn bank_total(app: &TestApp, cookie: &str, org: &str) -> u32 {
    let query = QuestionQuery {
        org: org.into(),
        ..QuestionQuery::default()
    };
    let res = app.call_fn(cookie, ListQuestions { query }).await;
    assert_eq!(res.status(), 200);
    res.json::<QuestionPage>().await.unwrap().total
}

/// Questions come in from Excel: the template downloads for the bank's editors only; a
/// check reports each bad row by row, column and rule and writes nothing, also when the
/// import is asked for; a clean file is imported whole; another branch's file, and a file
/// that is not a workbook, are refused; members may not import.
#[tokio::test]
async fn questions_are_imported_from_excel_all_or_none_with_a_report_by_row() {
    use app::api::quiz::ImportQuestions;
    use app::i18n::Lang;
    use app::models::files::FileView;
    use app::models::quiz::{QuestionImport, QuestionImportInput};
    use app::server::question_import::{Row, workbook};

    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("导入党委", OrgKind::Committee, None).await;
    let a = fx.org("导入第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("导入第二党支部", OrgKind::Branch, Some(&root)).await;
    let in_a = fx.members(&a, 1).await;
    let sec_a = fx
        .account("qi_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("qi_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let member = fx
        .account("qi_member", Role::Member, &[], Some(&in_a[0]))
        .await;

    // The template, for editors only; it is itself a valid file of four questions.
    let res = app.get_as(&sec_a, "/export/question-template.xlsx").await;
    let sheets = crate::support::workbook(res).await;
    assert_eq!(sheets[0].1[0][1], "题干");
    assert_eq!(
        sheets[0].1.len(),
        5,
        "the header and an example of each kind"
    );
    let res = app.get_as(&member, "/export/question-template.xlsx").await;
    assert_eq!(res.status(), 403);

    let upload = |cookie: String, org: String, bytes: Vec<u8>| {
        let app = &app;
        async move {
            let res = app.upload(&cookie, &org, "题库.xlsx", bytes).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            res.json::<FileView>().await.unwrap().id
        }
    };
    let run = |cookie: String, org: String, file: String, commit: bool| {
        let app = &app;
        async move {
            app.call_fn(
                &cookie,
                ImportQuestions {
                    input: QuestionImportInput { org, file, commit },
                },
            )
            .await
        }
    };

    // Two bad rows of four: a wrong kind and a key that does not fit; each named.
    let row = |kind, stem, options, key| Row {
        kind,
        stem,
        options,
        key,
        explanation: "",
        tags: "党章",
        difficulty: "",
    };
    let bad = workbook(
        Lang::Zh,
        &[
            row(
                "单选",
                "党的最高领导机关是？",
                &["全国代表大会", "中央委员会"],
                "A",
            ),
            row("问答", "谈谈体会。", &[], "无"),
            row(
                "多选",
                "三会包括？",
                &["支部党员大会", "支部委员会", "党小组会"],
                "A",
            ),
            row("判断", "预备期为一年。", &[], "对"),
        ],
    )
    .unwrap();
    let file = upload(sec_a.clone(), a.clone(), bad).await;
    for commit in [false, true] {
        let res = run(sec_a.clone(), a.clone(), file.clone(), commit).await;
        assert_eq!(res.status(), 200);
        let report: QuestionImport = res.json().await.unwrap();
        assert_eq!((report.rows, report.ready, report.imported), (4, 2, 0));
        assert_eq!(report.problem_count, 2);
        assert_eq!(
            (report.problems[0].row, report.problems[0].column.as_str()),
            (3, "题型")
        );
        assert_eq!(
            (report.problems[1].row, report.problems[1].column.as_str()),
            (4, "答案")
        );
        assert!(
            report.problems[1].message.contains("多选"),
            "{:?}",
            report.problems
        );
    }
    assert_eq!(bank_total(&app, &sec_a, &a).await, 0, "nothing written");

    // The template's four questions: checked, then imported at once.
    let good = app::server::question_import::template(Lang::Zh).unwrap();
    let file = upload(sec_a.clone(), a.clone(), good).await;
    let report: QuestionImport = run(sec_a.clone(), a.clone(), file.clone(), false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((report.rows, report.ready, report.imported), (4, 4, 0));
    assert_eq!(
        bank_total(&app, &sec_a, &a).await,
        0,
        "a check writes nothing"
    );
    let report: QuestionImport = run(sec_a.clone(), a.clone(), file.clone(), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report.imported, 4);
    assert_eq!(bank_total(&app, &sec_a, &a).await, 4);

    // Not into another branch's bank, not from another branch's file, not by a member.
    let res = run(sec_b.clone(), b.clone(), file.clone(), true).await;
    assert_eq!(res.status(), 403, "{}", res.text().await.unwrap());
    let res = run(sec_a.clone(), b.clone(), file.clone(), true).await;
    assert_eq!(res.status(), 403);
    let res = run(member.clone(), a.clone(), file.clone(), false).await;
    assert_eq!(res.status(), 403);
    // A file that is not a workbook: refused on the file.
    let pdf = app::server::files::sample_pdf(&["not questions"]);
    let other = upload(sec_a.clone(), a.clone(), pdf).await;
    let res = run(sec_a.clone(), a.clone(), other, false).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("file"));
    assert_eq!(bank_total(&app, &sec_a, &a).await, 4);

    // Changing and deleting questions in the bank.
    let listed = |cookie: String| {
        let (app, org) = (&app, a.clone());
        async move {
            let query = QuestionQuery {
                org,
                ..QuestionQuery::default()
            };
            ok::<QuestionPage>(app.call_fn(&cookie, ListQuestions { query }).await)
                .await
                .rows
        }
    };
    let rows = listed(sec_a.clone()).await;
    let fill = rows.iter().find(|q| q.key == "服务").unwrap().clone();
    let judge = rows.iter().find(|q| q.key == "对").unwrap().clone();
    let multiple = rows.iter().find(|q| q.key == "ABC").unwrap().clone();
    // The form sends the question back as listed, changed: its key and its stem.
    let mut input = question(
        &a,
        "fill",
        "党的根本宗旨是全心全意为____服务。",
        &[],
        "人民",
    );
    input.id = fill.id.clone();
    assert_eq!(
        app.call_fn(
            &sec_b,
            SaveQuestion {
                input: input.clone()
            }
        )
        .await
        .status(),
        403
    );
    let key: String = ok(app.call_fn(&sec_a, SaveQuestion { input }).await).await;
    assert_eq!(key, fill.id);
    let rows = listed(sec_a.clone()).await;
    let changed = rows.iter().find(|q| q.id == fill.id).unwrap();
    assert_eq!((changed.key.as_str(), rows.len()), ("人民", 4));
    assert!(changed.stem.contains("为____服务"));

    // A question an attempt drew stays (its review shows it); another goes.
    let mut draw_one = exam(&a, 1, 0, 1);
    draw_one.draws[0].tag = "组织生活".into();
    let exam_id: String = ok(app.call_fn(&sec_a, SaveExam { input: draw_one }).await).await;
    let _: AttemptView = ok(app.call_fn(&member, StartAttempt { exam: exam_id }).await).await;
    let delete = |cookie: String, id: String| {
        let app = &app;
        async move {
            app.call_fn(&cookie, app::api::quiz::DeleteQuestion { id })
                .await
        }
    };
    let res = delete(sec_a.clone(), multiple.id.clone()).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("答卷"));
    assert_eq!(delete(sec_b.clone(), judge.id.clone()).await.status(), 403);
    assert_eq!(delete(member.clone(), judge.id.clone()).await.status(), 403);
    assert_eq!(delete(sec_a.clone(), judge.id.clone()).await.status(), 200);
    let left: Vec<String> = listed(sec_a.clone())
        .await
        .into_iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(left.len(), 3);
    assert!(!left.contains(&judge.id) && left.contains(&multiple.id));
}
