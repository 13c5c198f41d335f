//! Required learning (issue 15): the office or a branch asks members to finish a course,
//! read one item of a course or pass a quiz by a day; done is what the members learned
//! (progress, a passed attempt), never a check-in; each committee sees its own members' completion, a member their own.

use app::access::Role;
use app::api::assessment::GetInbox;
use app::api::learning::{PublishCourse, ReportProgress, SaveArticle, SaveChapter, SaveCourse};
use app::api::quiz::{SaveExam, SaveQuestion, StartAttempt, SubmitAttempt};
use app::api::required::{DeleteRequirement, GetRequirement, ListRequired, SaveRequirement};
use app::models::closed_loop::{Inbox, InboxKind};
use app::models::learning::{
    ArticleInput, ChapterInput, CourseInput, CourseView, ProgressInput, PublishInput,
};
use app::models::org::OrgKind;
use app::models::quiz::{Answer, AttemptView, Draw, ExamInput, QuestionInput, SubmitInput};
use app::models::required::{RequiredPage, RequirementInput, RequirementView};

use crate::support::{Fixture, TestApp, china_day, spawn_app, workbook};

async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A published course of `org` with two articles: (course, [items]).
pub(crate) async fn course(
    app: &TestApp,
    cookie: &str,
    org: &str,
    title: &str,
) -> (String, Vec<String>) {
    let input = CourseInput {
        org: org.into(),
        title: title.into(),
        summary: "必学材料".into(),
        category: "theory".into(),
        ..CourseInput::default()
    };
    let id: String = ok(app.call_fn(cookie, SaveCourse { input }).await).await;
    let input = ChapterInput {
        course: id.clone(),
        id: String::new(),
        title: "第一章".into(),
    };
    let outline: CourseView = ok(app.call_fn(cookie, SaveChapter { input }).await).await;
    let chapter = outline.chapters[0].id.clone();
    let mut items = Vec::new();
    for t in ["党章总纲", "党员的义务"] {
        let input = ArticleInput {
            chapter: chapter.clone(),
            title: t.into(),
            body: format!("# {t}\n\n认真学习。"),
            ..ArticleInput::default()
        };
        items.push(ok(app.call_fn(cookie, SaveArticle { input }).await).await);
    }
    let input = PublishInput {
        id: id.clone(),
        publish: true,
    };
    let _: CourseView = ok(app.call_fn(cookie, PublishCourse { input }).await).await;
    (id, items)
}

/// A quiz of `org` of one true/false question (true is right; its own tag), by `cookie`:
/// its key.
pub(crate) async fn judge_quiz(
    app: &TestApp,
    cookie: &str,
    org: &str,
    stem: &str,
    title: &str,
) -> String {
    let input = QuestionInput {
        org: org.into(),
        kind: "judge".into(),
        stem: stem.into(),
        key: "对".into(),
        tags: title.into(),
        difficulty: 1,
        ..QuestionInput::default()
    };
    let _: String = ok(app.call_fn(cookie, SaveQuestion { input }).await).await;
    let input = ExamInput {
        org: org.into(),
        title: title.into(),
        pass_percent: 100,
        attempts: 0,
        draws: vec![Draw {
            tag: title.into(),
            difficulty: 0,
            count: 1,
        }],
        ..ExamInput::default()
    };
    ok(app.call_fn(cookie, SaveExam { input }).await).await
}

fn require(org: &str, what: &str, targets: &[&str], due: &str) -> RequirementInput {
    RequirementInput {
        org: org.into(),
        what: what.into(),
        targets: targets.iter().map(|t| t.to_string()).collect(),
        due: due.into(),
        ..RequirementInput::default()
    }
}

async fn list(app: &TestApp, cookie: &str) -> RequiredPage {
    ok(app.call_fn(cookie, ListRequired { page: 1 }).await).await
}

pub(crate) async fn finish(app: &TestApp, cookie: &str, item: &str) {
    let input = ProgressInput {
        item: item.into(),
        position: 1000,
        furthest: 1000,
        end: true,
        ..ProgressInput::default()
    };
    let res = app.call_fn(cookie, ReportProgress { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn required_learning_is_done_by_what_members_learned_and_seen_by_those_in_reach() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("必学党委", OrgKind::Committee, None).await;
    let a = fx.org("必学第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("必学第二党支部", OrgKind::Branch, Some(&root)).await;
    let in_a = fx.members(&a, 2).await;
    let in_b = fx.members(&b, 1).await;
    let office = app.session_cookie("office").await;
    let sec_a = fx
        .account("rq_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("rq_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let m1 = fx.account("rq_m1", Role::Member, &[], Some(&in_a[0])).await;
    let m2 = fx.account("rq_m2", Role::Member, &[], Some(&in_a[1])).await;
    let mb = fx.account("rq_mb", Role::Member, &[], Some(&in_b[0])).await;
    let (c, items) = course(&app, &office, &root, "学习党章（必学）").await;
    let what = format!("course:{c}");

    // Bad input is refused by its field and stores nothing.
    let before = app.count("requirement").await;
    for (input, field) in [
        (require(&root, &what, &[&root], &china_day(-1)), "due"),
        (require(&root, &what, &[], &china_day(7)), "targets"),
        (require(&root, "course:", &[&root], &china_day(7)), "what"),
        (
            require(&root, "course:nosuch", &[&root], &china_day(7)),
            "what",
        ),
    ] {
        let res = app.call_fn(&office, SaveRequirement { input }).await;
        assert_eq!(res.status(), 400);
        let text = res.text().await.unwrap();
        assert!(text.contains(field), "{field}: {text}");
    }
    // A branch sets nothing for the committee or another branch; a member sets nothing.
    let input = require(&root, &what, &[&root], &china_day(7));
    let res = app.call_fn(&sec_a, SaveRequirement { input }).await;
    assert_eq!(res.status(), 403);
    let input = require(&a, &what, &[&b], &china_day(7));
    let res = app.call_fn(&sec_a, SaveRequirement { input }).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("targets"));
    let input = require(&a, &what, &[&a], &china_day(7));
    let res = app.call_fn(&m1, SaveRequirement { input }).await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("requirement").await, before);

    // The office requires the course of the whole committee within a week; the name is
    // the course's when left empty.
    let input = require(&root, &what, &[&root], &china_day(7));
    let id: String = ok(app.call_fn(&office, SaveRequirement { input }).await).await;
    let mine = list(&app, &m1).await.mine;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].title, "学习党章（必学）");
    assert_eq!(mine[0].href, format!("/learning/courses/{c}"));
    assert!(!mine[0].standing.is_done() && !mine[0].standing.overdue);
    // It waits in the member's 待办.
    let inbox: Inbox = ok(app.call_fn(&m2, GetInbox {}).await).await;
    assert!(
        inbox
            .items
            .iter()
            .any(|i| i.kind == InboxKind::Required && i.title == "学习党章（必学）"),
        "{inbox:?}"
    );

    // One article is not the course; both are, on today's date.
    finish(&app, &m1, &items[0]).await;
    assert!(!list(&app, &m1).await.mine[0].standing.is_done());
    finish(&app, &m1, &items[1]).await;
    let done = &list(&app, &m1).await.mine[0].standing;
    assert_eq!(done.done, china_day(0));
    assert!(!done.late);
    let inbox: Inbox = ok(app.call_fn(&m1, GetInbox {}).await).await;
    assert!(inbox.items.iter().all(|i| i.kind != InboxKind::Required));

    // Each committee sees its own members: the first branch 1 of 2 (the one not done
    // first), the second 0 of 1, the office 1 of 3.
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!((seen.row.done, seen.row.total), (1, 2));
    assert!(!seen.row.editable);
    assert_eq!(seen.members.len(), 2);
    assert_eq!(seen.members[0].id, in_a[1], "not done first");
    assert_eq!(seen.branches.len(), 1);
    assert_eq!((seen.branches[0].done, seen.branches[0].total), (1, 2));
    let listed = list(&app, &sec_a).await;
    let row = listed.set.iter().find(|r| r.id == id).unwrap();
    assert_eq!((row.done, row.total), (1, 2));
    let seen: RequirementView =
        ok(app.call_fn(&sec_b, GetRequirement { id: id.clone() }).await).await;
    assert_eq!((seen.row.done, seen.row.total), (0, 1));
    assert_eq!(seen.members[0].id, in_b[0]);
    let seen: RequirementView = ok(app
        .call_fn(&office, GetRequirement { id: id.clone() })
        .await)
    .await;
    assert_eq!((seen.row.done, seen.row.total), (1, 3));
    assert!(seen.row.editable);
    // A member reads no one's completion.
    let res = app.call_fn(&mb, GetRequirement { id: id.clone() }).await;
    assert_eq!(res.status(), 403);

    // The first branch requires a quiz of its own of its members: passing it is done.
    let exam = judge_quiz(&app, &sec_a, &a, "党员应当按期交纳党费。", "党费小测").await;
    // The quiz of one branch is not readable by the other's members: refused.
    let input = require(&root, &format!("exam:{exam}"), &[&root], &china_day(3));
    let res = app.call_fn(&office, SaveRequirement { input }).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("what"));
    let input = require(&a, &format!("exam:{exam}"), &[&a], &china_day(3));
    let quiz: String = ok(app.call_fn(&sec_a, SaveRequirement { input }).await).await;
    assert_eq!(
        list(&app, &mb).await.mine.len(),
        1,
        "not the other branch's"
    );
    let attempt: AttemptView =
        ok(app.call_fn(&m2, StartAttempt { exam: exam.clone() }).await).await;
    let wrong = SubmitInput {
        attempt: attempt.id.clone(),
        answers: vec![Answer {
            choices: vec![1],
            text: String::new(),
        }],
    };
    let _: AttemptView = ok(app.call_fn(&m2, SubmitAttempt { input: wrong }).await).await;
    let theirs = list(&app, &m2).await.mine;
    let q = theirs.iter().find(|m| m.id == quiz).unwrap();
    assert!(!q.standing.is_done(), "a failed attempt is not done");
    let attempt: AttemptView =
        ok(app.call_fn(&m2, StartAttempt { exam: exam.clone() }).await).await;
    let right = SubmitInput {
        attempt: attempt.id.clone(),
        answers: vec![Answer {
            choices: vec![0],
            text: String::new(),
        }],
    };
    let _: AttemptView = ok(app.call_fn(&m2, SubmitAttempt { input: right }).await).await;
    let theirs = list(&app, &m2).await.mine;
    let q = theirs.iter().find(|m| m.id == quiz).unwrap();
    assert_eq!(q.standing.done, china_day(0));

    // Its setter moves the deadline; the other committee may not, nor withdraw it.
    let mut change = require("", "", &[&root], &china_day(14));
    change.id = id.clone();
    change.title = "学习党章（延期）".into();
    let res = app
        .call_fn(
            &sec_a,
            SaveRequirement {
                input: change.clone(),
            },
        )
        .await;
    assert_eq!(res.status(), 403);
    let _: String = ok(app
        .call_fn(&office, SaveRequirement { input: change })
        .await)
    .await;
    let seen: RequirementView = ok(app
        .call_fn(&office, GetRequirement { id: id.clone() })
        .await)
    .await;
    assert_eq!(seen.row.due, china_day(14));
    assert_eq!(seen.row.title, "学习党章（延期）");
    assert_eq!(seen.row.what, c, "what it asks for stays");
    let res = app
        .call_fn(&sec_b, DeleteRequirement { id: id.clone() })
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_fn(&office, DeleteRequirement { id: id.clone() })
        .await;
    assert_eq!(res.status(), 200);
    assert!(list(&app, &mb).await.mine.is_empty());
    // Withdrawn, the members' reading stays.
    assert!(app.count("progress").await >= 2);
    assert!(!app.audit("delete").await.is_empty());

    // The pages are rendered on the server for whom they are for.
    let html = app
        .get_as(&sec_a, &format!("/learning/required/{quiz}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("党费小测") && html.contains("已完成 1/2"),
        "{html}"
    );
    let html = app
        .get_as(&m1, "/learning/required")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("我的必学") && html.contains("党费小测"));
}

/// A requirement may name members besides or instead of organisations (the secretary
/// asks the branch's new members to finish the 党章 course): they owe it, in their list,
/// their 待办 and the reminders, and nobody else does; a member named and covered by an
/// organisation is counted once, under their own organisation; a member outside the
/// setter's reach, unknown or no longer active is refused and nothing is stored.
/// A branch's list holds what it set, what is addressed to it or to an organisation above
/// it, and what names its members; not what a committee above set for another branch,
/// which it could not open.
#[tokio::test]
async fn a_branch_lists_only_the_requirements_it_can_open() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("列表党委", OrgKind::Committee, None).await;
    let a = fx.org("列表第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("列表第二党支部", OrgKind::Branch, Some(&root)).await;
    fx.members(&a, 1).await;
    fx.members(&b, 1).await;
    let office = app.session_cookie("office").await;
    let sec_a = fx
        .account("ls_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let (c, _) = course(&app, &office, &root, "列表课程").await;
    let what = format!("course:{c}");
    let input = require(&root, &what, &[&root], &china_day(7));
    let everyone: String = ok(app.call_fn(&office, SaveRequirement { input }).await).await;
    let input = require(&root, &what, &[&a], &china_day(8));
    let for_a: String = ok(app.call_fn(&office, SaveRequirement { input }).await).await;
    let input = require(&root, &what, &[&b], &china_day(9));
    let for_b: String = ok(app.call_fn(&office, SaveRequirement { input }).await).await;

    let listed = list(&app, &sec_a).await;
    let ids: Vec<&str> = listed.set.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.contains(&everyone.as_str()) && ids.contains(&for_a.as_str()),
        "{ids:?}"
    );
    assert!(!ids.contains(&for_b.as_str()), "another branch's: {ids:?}");
    assert_eq!(listed.total as usize, ids.len());
    for id in &ids {
        let res = app
            .call_fn(&sec_a, GetRequirement { id: id.to_string() })
            .await;
        assert_eq!(res.status(), 200, "{id} is listed, so it opens");
    }
    let res = app.call_fn(&sec_a, GetRequirement { id: for_b }).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_requirement_addressed_to_members_is_owed_by_them_and_counted_once() {
    use app::api::notification::GetNotifications;
    use app::models::notification::{NotificationKind, Notifications};

    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("点名党委", OrgKind::Committee, None).await;
    let a = fx.org("点名第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("点名第二党支部", OrgKind::Branch, Some(&root)).await;
    let in_a = fx.members(&a, 3).await;
    let in_b = fx.members(&b, 1).await;
    let office = app.session_cookie("office").await;
    let sec_a = fx
        .account("rqm_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("rqm_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let named = fx
        .account("rqm_new", Role::Member, &[], Some(&in_a[0]))
        .await;
    let not_named = fx
        .account("rqm_old", Role::Member, &[], Some(&in_a[1]))
        .await;
    let (c, items) = course(&app, &sec_a, &a, "党章（预备党员必学）").await;
    let what = format!("course:{c}");
    // The third member of the branch is no longer active.
    app.state
        .db
        .query("UPDATE type::record('member', $k) SET standing = 'suspended'")
        .bind(("k", in_a[2].clone()))
        .await
        .unwrap()
        .check()
        .unwrap();

    // Another branch's member, an unknown one, an inactive one: refused by the field;
    // nobody at all: refused by the organisations; nothing stored.
    let before = app.count("requirement").await;
    for (members, field) in [
        (vec![in_b[0].clone()], "members"),
        (vec![in_a[0].clone(), "nosuch".to_string()], "members"),
        (vec![in_a[2].clone()], "members"),
        (vec!["not a key".to_string()], "members"),
        (Vec::new(), "targets"),
    ] {
        let mut input = require(&a, &what, &[], &china_day(2));
        input.members = members.clone();
        let res = app.call_fn(&sec_a, SaveRequirement { input }).await;
        assert_eq!(res.status(), 400, "{members:?}");
        let text = res.text().await.unwrap();
        assert!(text.contains(field), "{members:?} {field}: {text}");
    }
    assert_eq!(app.count("requirement").await, before);

    // Addressed to one member of the branch: that member owes it, the other does not.
    let mut input = require(&a, &what, &[], &china_day(2));
    input.members = vec![in_a[0].clone()];
    let id: String = ok(app.call_fn(&sec_a, SaveRequirement { input }).await).await;
    let mine = list(&app, &named).await.mine;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].title, "党章（预备党员必学）");
    assert!(list(&app, &not_named).await.mine.is_empty());
    let required_in = |inbox: &Inbox| {
        inbox
            .items
            .iter()
            .any(|i| i.kind == InboxKind::Required && i.title == "党章（预备党员必学）")
    };
    let inbox: Inbox = ok(app.call_fn(&named, GetInbox {}).await).await;
    assert!(required_in(&inbox), "{inbox:?}");
    let inbox: Inbox = ok(app.call_fn(&not_named, GetInbox {}).await).await;
    assert!(!required_in(&inbox), "{inbox:?}");
    // The reminders tell the member named, due in two days, and nobody else.
    app::server::service::reminders::run_once(&app.state, "server-a")
        .await
        .unwrap();
    let told = |n: &Notifications| {
        n.items
            .iter()
            .filter(|x| x.kind == NotificationKind::DueSoon && x.title == "党章（预备党员必学）")
            .count()
    };
    let theirs: Notifications = ok(app.call_fn(&named, GetNotifications {}).await).await;
    assert_eq!(told(&theirs), 1, "{theirs:?}");
    let theirs: Notifications = ok(app.call_fn(&not_named, GetNotifications {}).await).await;
    assert_eq!(told(&theirs), 0, "{theirs:?}");

    // Its completion counts the member named, under their own organisation; the page
    // names them. Another branch's committee reads none of it (recorded).
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!((seen.row.done, seen.row.total), (0, 1));
    assert!(seen.row.target_keys.is_empty());
    assert_eq!(seen.row.member_keys, vec![in_a[0].clone()]);
    assert_eq!(seen.members.len(), 1);
    assert_eq!(seen.members[0].id, in_a[0]);
    assert_eq!(seen.branches.len(), 1);
    assert_eq!(seen.branches[0].org, a);
    let seen: RequirementView = ok(app
        .call_fn(&office, GetRequirement { id: id.clone() })
        .await)
    .await;
    assert_eq!((seen.row.done, seen.row.total), (0, 1));
    let res = app.call_fn(&sec_b, GetRequirement { id: id.clone() }).await;
    assert_eq!(res.status(), 403);
    assert!(
        app.audit("permission_denied")
            .await
            .iter()
            .any(|e| e.actor == "rqm_sec_b" && e.entity_id == id)
    );
    finish(&app, &named, &items[0]).await;
    finish(&app, &named, &items[1]).await;
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!((seen.row.done, seen.row.total), (1, 1));
    assert_eq!(seen.members[0].standing.done, china_day(0));

    // Changed to the whole branch as well: the member named and covered by the branch is
    // counted once; the inactive member not at all.
    let mut change = require("", "", &[&a], &china_day(2));
    change.id = id.clone();
    change.members = vec![in_a[0].clone()];
    let _: String = ok(app.call_fn(&sec_a, SaveRequirement { input: change }).await).await;
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!((seen.row.done, seen.row.total), (1, 2));
    let ids: Vec<&str> = seen.members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, vec![in_a[1].as_str(), in_a[0].as_str()], "each once");
    assert_eq!(seen.branches.len(), 1);
    assert_eq!((seen.branches[0].done, seen.branches[0].total), (1, 2));
    assert_eq!(list(&app, &named).await.mine.len(), 1, "owed once");
    // The export counts the same.
    let sheets = workbook(
        app.get_as(&sec_a, &format!("/export/required.xlsx?id={id}"))
            .await,
    )
    .await;
    assert_eq!(sheets, expected_sheets(&seen));
    // Changed to name nobody and no organisation: refused; the members stay.
    let mut change = require("", "", &[], &china_day(2));
    change.id = id.clone();
    let res = app.call_fn(&sec_a, SaveRequirement { input: change }).await;
    assert_eq!(res.status(), 400);
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!(seen.row.member_keys, vec![in_a[0].clone()]);

    // The office names a member of the second branch: that branch's committee watches it
    // (its list and its completion), the first branch's reads none of it.
    let (whole, _) = course(&app, &office, &root, "党章（全委必学）").await;
    let mut input = require(&root, &format!("course:{whole}"), &[], &china_day(5));
    input.members = vec![in_b[0].clone()];
    let theirs: String = ok(app.call_fn(&office, SaveRequirement { input }).await).await;
    let listed = list(&app, &sec_b).await;
    let row = listed.set.iter().find(|r| r.id == theirs).expect("watched");
    assert_eq!((row.done, row.total), (0, 1));
    let seen: RequirementView = ok(app
        .call_fn(&sec_b, GetRequirement { id: theirs.clone() })
        .await)
    .await;
    assert_eq!(seen.members[0].id, in_b[0]);
    let res = app.call_fn(&sec_a, GetRequirement { id: theirs }).await;
    assert_eq!(res.status(), 403);

    // The page names the members addressed.
    let html = app
        .get_as(&sec_a, &format!("/learning/required/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("面向党员（个人）") && html.contains("测试党员"),
        "{html}"
    );

    // The member named is no longer active: no longer counted, and dropped when the
    // requirement changes (its deadline still moves); naming them anew is refused.
    app.state
        .db
        .query("UPDATE type::record('member', $k) SET standing = 'suspended'")
        .bind(("k", in_a[0].clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!((seen.row.done, seen.row.total), (0, 1));
    let mut change = require("", "", &[&a], &china_day(9));
    change.id = id.clone();
    change.members = vec![in_a[0].clone()];
    let _: String = ok(app
        .call_fn(
            &sec_a,
            SaveRequirement {
                input: change.clone(),
            },
        )
        .await)
    .await;
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!(seen.row.due, china_day(9));
    assert!(seen.row.member_keys.is_empty());
    let res = app.call_fn(&sec_a, SaveRequirement { input: change }).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("members"));
}

/// The rows an export of `view` holds, as the page shows it: by organisation (the total
/// last) and by member (not done first), in Chinese.
fn expected_sheets(view: &RequirementView) -> Vec<(String, Vec<Vec<String>>)> {
    let mut branches = vec![vec![
        "组织".to_string(),
        "应完成".into(),
        "已完成".into(),
        "逾期未完成".into(),
    ]];
    branches.extend(view.branches.iter().map(|b| {
        vec![
            b.name.clone(),
            b.total.to_string(),
            b.done.to_string(),
            b.overdue.to_string(),
        ]
    }));
    let overdue = view.members.iter().filter(|m| m.standing.overdue).count();
    branches.push(vec![
        "合计".into(),
        view.row.total.to_string(),
        view.row.done.to_string(),
        overdue.to_string(),
    ]);
    let mut members = vec![vec![
        "姓名".to_string(),
        "组织".into(),
        "状态".into(),
        "完成日期".into(),
    ]];
    members.extend(view.members.iter().map(|m| {
        let s = &m.standing;
        let word = match (s.is_done(), s.late, s.overdue) {
            (true, true, _) => "逾期完成",
            (true, false, _) => "已完成",
            (false, _, true) => "已逾期",
            (false, _, false) => "未完成",
        };
        vec![
            m.name.clone(),
            m.org_name.clone(),
            word.into(),
            s.done.clone(),
        ]
    }));
    vec![("按组织".into(), branches), ("按党员".into(), members)]
}

/// One item of a course may be required on its own ("every member of the branch reads
/// this article by Friday"): a member has done it when their own reading of that item is
/// finished, on the day it was; another item of the course does not count. The item must
/// be in a published course the members can read; otherwise, or unknown, it is refused on
/// `what` and nothing is stored. It shows in the member's list (linking the item), their
/// 待办 and the reminders, and its completion exports as its page shows it.
#[tokio::test]
async fn one_item_of_a_course_is_required_and_done_when_that_item_is_finished() {
    use app::api::notification::GetNotifications;
    use app::models::notification::{NotificationKind, Notifications};
    use app::models::required::RequiredKind;

    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("单项党委", OrgKind::Committee, None).await;
    let a = fx.org("单项第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("单项第二党支部", OrgKind::Branch, Some(&root)).await;
    let in_a = fx.members(&a, 2).await;
    let office = app.session_cookie("office").await;
    let sec_a = fx
        .account("rqi_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("rqi_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let m1 = fx
        .account("rqi_m1", Role::Member, &[], Some(&in_a[0]))
        .await;
    let m2 = fx
        .account("rqi_m2", Role::Member, &[], Some(&in_a[1]))
        .await;
    let (c, items) = course(&app, &office, &root, "党章学习").await;
    // The other branch's own course: not readable by the first branch's members.
    let (_, theirs) = course(&app, &sec_b, &b, "第二支部学习").await;
    // A draft course of the committee, with one article.
    let input = CourseInput {
        org: root.clone(),
        title: "草稿课程".into(),
        summary: "未发布".into(),
        category: "theory".into(),
        ..CourseInput::default()
    };
    let draft: String = ok(app.call_fn(&office, SaveCourse { input }).await).await;
    let input = ChapterInput {
        course: draft,
        id: String::new(),
        title: "第一章".into(),
    };
    let outline: CourseView = ok(app.call_fn(&office, SaveChapter { input }).await).await;
    let input = ArticleInput {
        chapter: outline.chapters[0].id.clone(),
        title: "草稿文章".into(),
        body: "尚未发布。".into(),
        ..ArticleInput::default()
    };
    let drafted: String = ok(app.call_fn(&office, SaveArticle { input }).await).await;

    // Another branch's item, a draft course's item, an unknown item: refused on `what`,
    // nothing stored.
    let before = app.count("requirement").await;
    for (cookie, org, what) in [
        (&sec_a, &a, format!("item:{}", theirs[0])),
        (&office, &root, format!("item:{drafted}")),
        (&sec_a, &a, "item:nosuch".to_string()),
    ] {
        let input = require(org, &what, &[org], &china_day(7));
        let res = app.call_fn(cookie, SaveRequirement { input }).await;
        assert_eq!(res.status(), 400, "{what}");
        let text = res.text().await.unwrap();
        assert!(text.contains("what"), "{what}: {text}");
    }
    assert_eq!(app.count("requirement").await, before);

    // The first branch requires the committee's first article of its members; the name is
    // the item's own.
    let item = &items[0];
    let input = require(&a, &format!("item:{item}"), &[&a], &china_day(7));
    let id: String = ok(app.call_fn(&sec_a, SaveRequirement { input }).await).await;
    let mine = list(&app, &m1).await.mine;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].kind, RequiredKind::Item);
    assert_eq!(mine[0].title, "党章总纲");
    assert_eq!(mine[0].href, format!("/learning/items/{item}"));
    assert!(!mine[0].standing.is_done() && !mine[0].standing.overdue);
    let inbox: Inbox = ok(app.call_fn(&m2, GetInbox {}).await).await;
    assert!(
        inbox.items.iter().any(|i| i.kind == InboxKind::Required
            && i.title == "党章总纲"
            && i.href == format!("/learning/items/{item}")),
        "{inbox:?}"
    );

    // The first member reads it to the end; the second reads the course's other article,
    // which is not the one required.
    finish(&app, &m1, item).await;
    finish(&app, &m2, &items[1]).await;
    let done = &list(&app, &m1).await.mine[0].standing;
    assert_eq!(done.done, china_day(0));
    assert!(!done.late);
    assert!(!list(&app, &m2).await.mine[0].standing.is_done());
    let inbox: Inbox = ok(app.call_fn(&m1, GetInbox {}).await).await;
    assert!(inbox.items.iter().all(|i| i.kind != InboxKind::Required));
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!(seen.row.kind, RequiredKind::Item);
    assert_eq!(
        (seen.row.what.as_str(), seen.row.what_title.as_str()),
        (item.as_str(), "党章总纲")
    );
    assert_eq!(seen.href, format!("/learning/items/{item}"));
    assert_eq!((seen.row.done, seen.row.total), (1, 2));
    assert_eq!(seen.members[0].id, in_a[1], "not done first");
    assert!(!seen.members[0].standing.is_done());
    assert_eq!(seen.members[1].standing.done, china_day(0));
    let seen: RequirementView = ok(app
        .call_fn(&office, GetRequirement { id: id.clone() })
        .await)
    .await;
    assert_eq!((seen.row.done, seen.row.total), (1, 2));

    // The deadline passes: the member not done is overdue, in their 待办 and reminded; the
    // one done is not overdue (done late now that the deadline lies before that day).
    app.state
        .db
        .query("UPDATE type::record('requirement', $id) SET due = due - 8d")
        .bind(("id", id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let seen: RequirementView =
        ok(app.call_fn(&sec_a, GetRequirement { id: id.clone() }).await).await;
    assert_eq!(seen.row.due, china_day(-1));
    assert!(seen.members[0].standing.overdue);
    let done = &seen.members[1].standing;
    assert!(done.is_done() && done.late && !done.overdue);
    assert_eq!((seen.branches[0].done, seen.branches[0].overdue), (1, 1));
    assert!(list(&app, &m2).await.mine[0].standing.overdue);
    let inbox: Inbox = ok(app.call_fn(&m2, GetInbox {}).await).await;
    assert!(
        inbox
            .items
            .iter()
            .any(|i| i.kind == InboxKind::Required && i.title == "党章总纲" && i.overdue),
        "{inbox:?}"
    );
    app::server::service::reminders::run_once(&app.state, "server-a")
        .await
        .unwrap();
    let told = |n: &Notifications| {
        n.items
            .iter()
            .filter(|x| x.kind == NotificationKind::Overdue && x.title == "党章总纲")
            .count()
    };
    let bell: Notifications = ok(app.call_fn(&m2, GetNotifications {}).await).await;
    assert_eq!(told(&bell), 1, "{bell:?}");
    let bell: Notifications = ok(app.call_fn(&m1, GetNotifications {}).await).await;
    assert_eq!(told(&bell), 0, "{bell:?}");

    // The export holds what the page shows.
    let sheets = workbook(
        app.get_as(&sec_a, &format!("/export/required.xlsx?id={id}"))
            .await,
    )
    .await;
    assert_eq!(sheets, expected_sheets(&seen));

    // The member's page links the item.
    let html = app
        .get_as(&m1, "/learning/required")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("href=\"/learning/items/{item}\"")) && html.contains("党章总纲"),
        "{html}"
    );
    // The item's page offers its editors to require it (设为必学), naming it and its
    // course; the form so addressed sends that item (before the page hydrates, as is).
    let link = format!("/learning/required?what=item:{item}&course={c}");
    let html = app
        .get_as(&office, &format!("/learning/items/{item}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&link.replace('&', "&amp;")), "{html}");
    let html = app
        .get_as(&m1, &format!("/learning/items/{item}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("item-require"), "not for a reader");
    let html = app.get_as(&sec_a, &link).await.text().await.unwrap();
    assert!(
        html.contains(&format!("name=\"input[what]\" value=\"item:{item}\""))
            && html.contains(&format!("value=\"course:{c}\" selected")),
        "{html}"
    );
}

/// A requirement's completion exports to Excel with exactly what its page shows the same
/// caller: the office everyone, a branch its own members; refused as the page is.
#[tokio::test]
async fn the_completion_exports_to_excel_as_its_page_shows_it_to_the_same_caller() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    // Another branch's committee (the demo's "general" serves above the secretary's).
    let other = Fixture::new(&app)
        .account("rq_export_other", Role::BranchCommittee, &["o0004"], None)
        .await;
    let export = |id: &str| format!("/export/required.xlsx?id={id}");

    // The office: the whole hospital's requirement, every member, a row each.
    let seen: RequirementView = ok(app
        .call_fn(
            &office,
            GetRequirement {
                id: "rqdemo1".into(),
            },
        )
        .await)
    .await;
    assert!(seen.branches.len() > 1 && !seen.members.is_empty());
    let res = app.get_as(&office, &export("rqdemo1")).await;
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"required-")
            && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    let sheets = workbook(res).await;
    assert_eq!(sheets, expected_sheets(&seen));
    let total = seen.row.total;
    assert_eq!(sheets[1].1.len(), total as usize + 1, "a row per member");
    assert!(
        app.audit("export")
            .await
            .iter()
            .any(|e| e.actor == "office" && e.entity == "requirement" && e.entity_id == "rqdemo1")
    );
    // In English, the headers and words are English.
    let english = workbook(
        app.get_as(&format!("{office}; zhibu_lang=en"), &export("rqdemo1"))
            .await,
    )
    .await;
    assert_eq!(
        english[0].1[0],
        ["Organisation", "Required of", "Done", "Overdue, not done"]
    );
    assert_eq!(english[1].1[0][0], "Name");

    // The secretary: the same requirement over the own branch's members only.
    let theirs: RequirementView = ok(app
        .call_fn(
            &secretary,
            GetRequirement {
                id: "rqdemo1".into(),
            },
        )
        .await)
    .await;
    let sheets = workbook(app.get_as(&secretary, &export("rqdemo1")).await).await;
    assert_eq!(sheets, expected_sheets(&theirs));
    assert_eq!(theirs.branches.len(), 1);
    let branch = &theirs.branches[0].name;
    assert!(sheets[1].1[1..].iter().all(|row| &row[1] == branch));
    assert!(theirs.row.total < total, "not the other branches' members");
    // The branch's overdue quiz: those not done are overdue, counted as such.
    let overdue: RequirementView = ok(app
        .call_fn(
            &secretary,
            GetRequirement {
                id: "rqdemo2".into(),
            },
        )
        .await)
    .await;
    let sheets = workbook(app.get_as(&secretary, &export("rqdemo2")).await).await;
    assert_eq!(sheets, expected_sheets(&overdue));
    assert!(
        sheets[1].1.iter().any(|row| row[2] == "已逾期"),
        "{sheets:?}"
    );

    // Refused as the page is: another branch's requirement (recorded), a member, no
    // requirement, one that does not exist, nobody.
    let page = app
        .call_fn(
            &other,
            GetRequirement {
                id: "rqdemo2".into(),
            },
        )
        .await;
    assert_eq!(page.status(), 403);
    assert_eq!(app.get_as(&other, &export("rqdemo2")).await.status(), 403);
    let denied = app.audit("permission_denied").await;
    assert_eq!(
        denied
            .iter()
            .filter(|e| e.actor == "rq_export_other"
                && e.entity == "requirement"
                && e.entity_id == "rqdemo2")
            .count(),
        2,
        "the page's refusal and the export's"
    );
    assert_eq!(app.get_as(&member, &export("rqdemo1")).await.status(), 403);
    assert!(
        app.audit("permission_denied")
            .await
            .iter()
            .any(|e| e.actor == "member" && e.entity_id == "/export/required.xlsx")
    );
    assert_eq!(
        app.get_as(&office, "/export/required.xlsx").await.status(),
        400
    );
    assert_eq!(app.get_as(&office, &export("nosuch")).await.status(), 404);
    assert_eq!(app.get(&export("rqdemo1")).await.status(), 401);

    // The page links the export for those who read it.
    let html = app
        .get_as(&secretary, "/learning/required/rqdemo1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/export/required.xlsx?id=rqdemo1\"") && html.contains("导出 Excel"),
        "{html}"
    );
}
