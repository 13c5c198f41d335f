//! Learning (issue 15), first step: a branch writes a course with chapters and articles,
//! publishes it, and only the members it is for read it; the committee's courses reach
//! everyone; Markdown is stored sanitised; bad input is refused by field and stores
//! nothing; the list searches, filters and pages; a member's reading is kept per item,
//! resumed on any server, and a completion is never taken back; Chinese words find
//! courses and articles, ranked, in scope, with the words marked in fragments; videos and
//! PDFs are served in parts to the courses' readers only, and a video is finished by what
//! was played.

use app::access::Role;
use app::api::learning::{
    GetCourse, GetItem, GetLearningRecord, ListCourses, PreviewMarkdown, PublishCourse,
    ReportProgress, SaveArticle, SaveChapter, SaveCourse,
};
use app::models::files::FileView;
use app::models::learning::{
    ArticleInput, COURSE_PAGE, ChapterInput, CourseInput, CoursePage, CourseQuery, CourseView,
    ItemKind, ItemView, ProgressInput, PublishInput, Reading, SearchHit,
};
use app::models::org::OrgKind;
use app::server::files::{SAMPLE_VIDEO, sample_pdf};

use crate::support::{Fixture, TestApp, spawn_app};

fn course(org: &str, title: &str) -> CourseInput {
    CourseInput {
        org: org.into(),
        title: title.into(),
        summary: "支部学习材料".into(),
        category: "theory".into(),
        tags: "党章、两学一做".into(),
        ..CourseInput::default()
    }
}

async fn create(app: &TestApp, cookie: &str, input: CourseInput) -> String {
    let res = app.call_fn(cookie, SaveCourse { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn get(app: &TestApp, cookie: &str, id: &str) -> reqwest::Response {
    app.call_fn(cookie, GetCourse { id: id.into() }).await
}

async fn list(app: &TestApp, cookie: &str, q: &str, category: &str, page: u32) -> CoursePage {
    let query = CourseQuery {
        q: q.into(),
        category: category.into(),
        page,
    };
    let res = app.call_fn(cookie, ListCourses { query }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn publish(app: &TestApp, cookie: &str, id: &str, on: bool) -> reqwest::Response {
    let input = PublishInput {
        id: id.into(),
        publish: on,
    };
    app.call_fn(cookie, PublishCourse { input }).await
}

/// A committee `<name>党委` with two branches below it: (committee, first, second).
async fn committee_with_two_branches(fx: &Fixture<'_>, name: &str) -> (String, String, String) {
    let root = fx
        .org(&format!("{name}党委"), OrgKind::Committee, None)
        .await;
    let first = fx
        .org(&format!("{name}第一党支部"), OrgKind::Branch, Some(&root))
        .await;
    let second = fx
        .org(&format!("{name}第二党支部"), OrgKind::Branch, Some(&root))
        .await;
    (root, first, second)
}

#[tokio::test]
async fn a_course_is_written_published_and_read_only_by_those_it_is_for() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let (root, a, b) = committee_with_two_branches(&fx, "学习测试").await;
    let in_a = fx.members(&a, 1).await;
    let in_b = fx.members(&b, 1).await;
    let sec_a = fx
        .account("ln_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let mem_a = fx
        .account("ln_mem_a", Role::Member, &[], Some(&in_a[0]))
        .await;
    let mem_b = fx
        .account("ln_mem_b", Role::Member, &[], Some(&in_b[0]))
        .await;
    let office = app.session_cookie("office").await;

    // The branch publishes for itself only; elsewhere it is refused.
    let outside = app
        .call_fn(
            &sec_a,
            SaveCourse {
                input: course(&b, "越权课程"),
            },
        )
        .await;
    assert_eq!(outside.status(), 403);
    let id = create(&app, &sec_a, course(&a, "支部党章学习")).await;

    // A draft: its editors see it, its members do not.
    let draft: CourseView = get(&app, &sec_a, &id).await.json().await.unwrap();
    assert!(draft.can_edit && !draft.published);
    assert_eq!(draft.tags, vec!["党章", "两学一做"]);
    assert_eq!(get(&app, &mem_a, &id).await.status(), 403);
    assert!(
        list(&app, &mem_a, "", "", 1)
            .await
            .rows
            .iter()
            .all(|r| r.id != id)
    );
    let mine = list(&app, &sec_a, "", "", 1).await;
    assert!(mine.rows.iter().any(|r| r.id == id && !r.published));
    assert!(mine.publishers.iter().any(|p| p.id == a));
    assert!(mine.publishers.iter().all(|p| p.id != b));

    // A chapter and an article with hostile Markdown: stored sanitised.
    let input = ChapterInput {
        course: id.clone(),
        id: String::new(),
        title: "第一章　党员".into(),
    };
    let res = app.call_fn(&sec_a, SaveChapter { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let outline: CourseView = res.json().await.unwrap();
    let chapter = outline.chapters[0].id.clone();
    let body = "# 党员的义务\n\n<script>alert(1)</script>认真学习。\n\n[点我](javascript:alert(1)) <img src=x onerror=alert(2)>";
    let input = ArticleInput {
        chapter: chapter.clone(),
        id: String::new(),
        title: "党员的义务".into(),
        body: body.into(),
        ..ArticleInput::default()
    };
    let res = app.call_fn(&sec_a, SaveArticle { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let item: String = res.json().await.unwrap();
    let res = app.call_fn(&sec_a, GetItem { id: item.clone() }).await;
    let seen: ItemView = res.json().await.unwrap();
    assert!(seen.html.contains("<h1>党员的义务</h1>"), "{}", seen.html);
    assert!(seen.html.contains("认真学习"));
    for bad in ["<script", "javascript:", "onerror"] {
        assert!(!seen.html.contains(bad), "{bad} in {}", seen.html);
    }
    assert_eq!(
        seen.body, body,
        "its editor gets the Markdown back as typed"
    );
    // The preview is what saving stored.
    let res = app
        .call_fn(&sec_a, PreviewMarkdown { body: body.into() })
        .await;
    let preview: String = res.json().await.unwrap();
    assert_eq!(preview, seen.html);

    // The chapter is renamed in place: same key, same items, one chapter still. An empty
    // title is refused by field and changes nothing; another course's chapter is unknown.
    let rename = |course: &str, title: &str| ChapterInput {
        course: course.into(),
        id: chapter.clone(),
        title: title.into(),
    };
    let res = app
        .call_fn(
            &sec_a,
            SaveChapter {
                input: rename(&id, "第一章　党员的义务"),
            },
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let renamed: CourseView = res.json().await.unwrap();
    assert_eq!(renamed.chapters.len(), 1);
    assert_eq!(renamed.chapters[0].id, chapter);
    assert_eq!(renamed.chapters[0].title, "第一章　党员的义务");
    assert_eq!(renamed.chapters[0].items[0].id, item);
    let res = app
        .call_fn(
            &sec_a,
            SaveChapter {
                input: rename(&id, "  "),
            },
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("\"title\""));
    let other = create(&app, &sec_a, course(&a, "另一门课程")).await;
    let res = app
        .call_fn(
            &sec_a,
            SaveChapter {
                input: rename(&other, "挪用"),
            },
        )
        .await;
    assert_eq!(res.status(), 404, "another course's chapter");
    let after: CourseView = get(&app, &sec_a, &id).await.json().await.unwrap();
    assert_eq!(after.chapters[0].title, "第一章　党员的义务");
    let theirs: CourseView = get(&app, &sec_a, &other).await.json().await.unwrap();
    assert!(theirs.chapters.is_empty());

    // Published: the branch's member reads it (HTML only), the other branch's does not.
    let res = publish(&app, &sec_a, &id, true).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let read: CourseView = get(&app, &mem_a, &id).await.json().await.unwrap();
    assert!(read.published && !read.can_edit);
    assert_eq!(read.chapters[0].items[0].id, item);
    let res = app.call_fn(&mem_a, GetItem { id: item.clone() }).await;
    let as_member: ItemView = res.json().await.unwrap();
    assert_eq!(as_member.html, seen.html);
    assert!(as_member.body.is_empty() && !as_member.can_edit);
    assert_eq!(get(&app, &mem_b, &id).await.status(), 403);
    let res = app.call_fn(&mem_b, GetItem { id: item.clone() }).await;
    assert_eq!(res.status(), 403);
    assert!(
        list(&app, &mem_b, "", "", 1)
            .await
            .rows
            .iter()
            .all(|r| r.id != id)
    );
    // A member changes nothing, even of what they read.
    let res = app
        .call_fn(
            &mem_a,
            SaveCourse {
                input: CourseInput {
                    id: id.clone(),
                    ..course(&a, "改")
                },
            },
        )
        .await;
    assert_eq!(res.status(), 403);

    // The committee's course reaches both branches; the branch reads but cannot change it.
    let hospital = create(&app, &office, course(&root, "全院理论学习")).await;
    assert_eq!(publish(&app, &office, &hospital, true).await.status(), 200);
    for member in [&mem_a, &mem_b] {
        assert!(
            list(&app, member, "", "", 1)
                .await
                .rows
                .iter()
                .any(|r| r.id == hospital)
        );
    }
    let theirs: CourseView = get(&app, &sec_a, &hospital).await.json().await.unwrap();
    assert!(!theirs.can_edit);
    let res = publish(&app, &sec_a, &hospital, false).await;
    assert_eq!(res.status(), 403);
    let input = ChapterInput {
        course: hospital.clone(),
        id: String::new(),
        title: "支部加的章".into(),
    };
    assert_eq!(
        app.call_fn(&sec_a, SaveChapter { input }).await.status(),
        403
    );

    // Taken back to a draft: hidden from members again.
    assert_eq!(publish(&app, &sec_a, &id, false).await.status(), 200);
    assert_eq!(get(&app, &mem_a, &id).await.status(), 403);
    let res = app.call_fn(&mem_a, GetItem { id: item.clone() }).await;
    assert_eq!(res.status(), 403, "its article too");
    // A member cannot change the article either.
    let input = ArticleInput {
        chapter: chapter.clone(),
        id: item.clone(),
        title: "改".into(),
        body: "改".into(),
        ..ArticleInput::default()
    };
    assert_eq!(
        app.call_fn(&mem_a, SaveArticle { input }).await.status(),
        403
    );

    // Each change is on the audit trail, by whom.
    let created = app.audit("create").await;
    assert!(
        created
            .iter()
            .any(|e| e.entity == "course" && e.entity_id == id && e.actor == "ln_sec_a")
    );
    assert!(
        created
            .iter()
            .any(|e| e.entity == "item" && e.entity_id == item)
    );
}

#[tokio::test]
async fn bad_input_is_refused_by_field_and_stores_nothing() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let (courses, items) = (app.count("course").await, app.count("item").await);
    let root: String = {
        let mut res = app
            .state
            .db
            .query("SELECT VALUE record::id(id) FROM org WHERE kind = 'committee' LIMIT 1")
            .await
            .unwrap();
        res.take::<Vec<String>>(0).unwrap().remove(0)
    };
    let group: String = {
        let mut res = app
            .state
            .db
            .query("SELECT VALUE record::id(id) FROM org WHERE kind = 'group' LIMIT 1")
            .await
            .unwrap();
        res.take::<Vec<String>>(0).unwrap().remove(0)
    };
    let cases: Vec<(CourseInput, &str)> = vec![
        (course(&root, "  "), "title"),
        (course(&root, &"长".repeat(101)), "title"),
        (
            CourseInput {
                category: "poetry".into(),
                ..course(&root, "分类")
            },
            "category",
        ),
        (
            CourseInput {
                summary: "字".repeat(501),
                ..course(&root, "简介")
            },
            "summary",
        ),
        (
            CourseInput {
                tags: "一,二,三,四,五,六,七,八,九,十,十一".into(),
                ..course(&root, "标签")
            },
            "tags",
        ),
        (course("", "无单位"), "org"),
        (course(&group, "党小组"), "org"),
    ];
    for (input, field) in cases {
        let typed = input.title.clone();
        let res = app.call_fn(&office, SaveCourse { input }).await;
        assert_eq!(res.status(), 400, "{typed}");
        let body = res.text().await.unwrap();
        assert!(body.contains(&format!("\"{field}\"")), "{typed}: {body}");
    }
    // An article needs a body, and a chapter that exists.
    let article = |chapter: &str, body: &str| ArticleInput {
        chapter: chapter.into(),
        id: String::new(),
        title: "文章".into(),
        body: body.into(),
        ..ArticleInput::default()
    };
    for (input, field) in [
        (article("csdemo1c0", " \n "), "body"),
        (article("nochapter", "正文"), "chapter"),
    ] {
        let res = app.call_fn(&office, SaveArticle { input }).await;
        assert_eq!(res.status(), 400, "{field}");
        assert!(res.text().await.unwrap().contains(&format!("\"{field}\"")));
    }
    assert_eq!(app.count("course").await, courses);
    assert_eq!(app.count("item").await, items);
}

#[tokio::test]
async fn the_list_searches_filters_and_pages() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let member = app.session_cookie("member").await;
    let root: String = {
        let mut res = app
            .state
            .db
            .query("SELECT VALUE record::id(id) FROM org WHERE kind = 'committee' LIMIT 1")
            .await
            .unwrap();
        res.take::<Vec<String>>(0).unwrap().remove(0)
    };
    let before = list(&app, &office, "", "", 1).await.total;
    let extra = COURSE_PAGE + 2;
    for n in 0..extra {
        let input = CourseInput {
            category: if n % 2 == 0 { "policy" } else { "ethics" }.into(),
            ..course(&root, &format!("分页课程{n:02}"))
        };
        let id = create(&app, &office, input).await;
        if n < 3 {
            assert_eq!(publish(&app, &office, &id, true).await.status(), 200);
        }
    }
    let first = list(&app, &office, "", "", 1).await;
    assert_eq!(first.total, before + extra);
    assert_eq!(first.rows.len(), COURSE_PAGE as usize);
    let all = first.total as usize;
    let last_page = all.div_ceil(COURSE_PAGE as usize) as u32;
    let last = list(&app, &office, "", "", last_page).await;
    assert_eq!(
        last.rows.len(),
        all - (last_page as usize - 1) * COURSE_PAGE as usize
    );
    // Required courses come first (the demo's 学习贯彻党的二十大精神).
    assert!(first.rows[0].required);
    // Search by a part of the title; a category narrows it. (分页课程0 is no run of whole
    // words, 0 is not 00: these come from the titles that contain it as typed.)
    let found = list(&app, &office, "分页课程0", "", 1).await;
    assert_eq!(found.total, 10);
    let policy = list(&app, &office, "分页课程", "policy", 1).await;
    assert_eq!(policy.total, extra.div_ceil(2));
    assert!(policy.rows.iter().all(|r| r.category.as_str() == "policy"));
    // A member finds only the published ones.
    let theirs = list(&app, &member, "分页课程", "", 1).await;
    assert_eq!(theirs.total, 3);
    assert!(theirs.publishers.is_empty());
}

#[tokio::test]
async fn the_pages_are_rendered_on_the_server_for_whom_they_are_for() {
    let app = spawn_app().await;
    let member = app.session_cookie("member").await;
    let res = app.get_as(&member, "/learning").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("学习贯彻党的二十大精神"),
        "the committee's course"
    );
    assert!(
        !html.contains("党史学习（草稿）"),
        "the branch's draft is for its editors"
    );
    assert!(!html.contains("新建课程"), "a member publishes nothing");
    let res = app.get_as(&member, "/learning/courses/csdemo1").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("大会主题与重大意义"));
    let res = app.get_as(&member, "/learning/items/csdemo1c0i0").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<h2>大会主题</h2>"),
        "the article's stored HTML"
    );
    assert!(
        html.contains("/learning/items/csdemo1c0i1"),
        "the next article"
    );
    let secretary = app.session_cookie("secretary").await;
    let html = app
        .get_as(&secretary, "/learning")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("党史学习（草稿）") && html.contains("新建课程"));
}

async fn article(app: &TestApp, cookie: &str, chapter: &str, title: &str) -> String {
    let input = ArticleInput {
        chapter: chapter.into(),
        id: String::new(),
        title: title.into(),
        body: format!("# {title}\n\n认真学习党章。"),
        ..ArticleInput::default()
    };
    let res = app.call_fn(cookie, SaveArticle { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn report(
    app: &TestApp,
    cookie: &str,
    item: &str,
    position: u16,
    end: bool,
) -> reqwest::Response {
    let input = ProgressInput {
        item: item.into(),
        position,
        furthest: position,
        end,
        ..ProgressInput::default()
    };
    app.call_fn(cookie, ReportProgress { input }).await
}

async fn reading(app: &TestApp, cookie: &str, item: &str, position: u16, end: bool) -> Reading {
    let res = report(app, cookie, item, position, end).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn item_view(app: &TestApp, cookie: &str, item: &str) -> ItemView {
    let res = app.call_fn(cookie, GetItem { id: item.into() }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_members_reading_is_kept_resumed_on_any_server_and_never_taken_back() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let (_, a, b) = committee_with_two_branches(&fx, "进度测试").await;
    let in_a = fx.members(&a, 3).await;
    let in_b = fx.members(&b, 1).await;
    // A secretary who is a member too: even so, a draft keeps nothing.
    let sec = fx
        .account("pg_sec_a", Role::BranchCommittee, &[&a], Some(&in_a[2]))
        .await;
    let reader = fx
        .account("pg_mem_a", Role::Member, &[], Some(&in_a[0]))
        .await;
    let other = fx
        .account("pg_mem_a2", Role::Member, &[], Some(&in_a[1]))
        .await;
    let stranger = fx
        .account("pg_mem_b", Role::Member, &[], Some(&in_b[0]))
        .await;
    let office = app.session_cookie("office").await;

    let id = create(&app, &sec, course(&a, "支部进度课程")).await;
    let input = ChapterInput {
        course: id.clone(),
        id: String::new(),
        title: "第一章".into(),
    };
    let outline: CourseView = app
        .call_fn(&sec, SaveChapter { input })
        .await
        .json()
        .await
        .unwrap();
    let chapter = outline.chapters[0].id.clone();
    let first = article(&app, &sec, &chapter, "第一篇").await;
    let second = article(&app, &sec, &chapter, "第二篇").await;

    // A draft keeps no reading, not even its editor's (the demo's own readers aside).
    let demo = app.count("progress").await;
    assert_eq!(
        reading(&app, &sec, &first, 500, true).await,
        Reading::default()
    );
    assert_eq!(app.count("progress").await, demo);
    assert_eq!(publish(&app, &sec, &id, true).await.status(), 200);
    let audited = app.count("audit").await;

    // Opened: nothing read yet.
    assert_eq!(
        item_view(&app, &reader, &first).await.reading,
        Some(Reading::default())
    );
    let r = reading(&app, &reader, &first, 400, false).await;
    assert_eq!((r.position, r.furthest, r.completed), (400, 400, false));
    // On another app server (another device behind the load balancer): it opens there.
    let beside = app.spawn_beside().await;
    let there = item_view(&beside, &reader, &first).await.reading.unwrap();
    assert_eq!((there.position, there.resume_at()), (400, 400));
    // Back up the page: the place moves, the furthest point stays, and it opens there.
    let r = reading(&beside, &reader, &first, 200, false).await;
    assert_eq!((r.position, r.furthest, r.completed), (200, 400, false));
    let again = item_view(&app, &reader, &first).await.reading.unwrap();
    assert_eq!((again.position, again.resume_at()), (200, 400));
    let row = list(&app, &reader, "支部进度", "", 1).await.rows.remove(0);
    assert_eq!((row.items, row.done), (2, Some(0)));

    // The end seen: finished, and the course says so.
    let r = reading(&app, &reader, &first, 950, true).await;
    assert_eq!((r.furthest, r.completed), (1000, true));
    let view: CourseView = get(&app, &reader, &id).await.json().await.unwrap();
    assert!(view.tracked);
    let done: Vec<bool> = view.chapters[0].items.iter().map(|i| i.done).collect();
    assert_eq!(done, vec![true, false]);
    let row = list(&app, &reader, "支部进度", "", 1).await.rows.remove(0);
    assert_eq!(row.done, Some(1));
    // A later report never takes it back; a finished article opens at its top.
    let r = reading(&app, &reader, &first, 10, false).await;
    assert_eq!((r.position, r.furthest, r.completed), (10, 1000, true));
    assert_eq!(
        item_view(&app, &reader, &first)
            .await
            .reading
            .unwrap()
            .resume_at(),
        0
    );
    // Read to 700, then back at the top to leave by the links there: read to 700.
    let input = ProgressInput {
        item: second.clone(),
        position: 0,
        furthest: 700,
        end: false,
        ..ProgressInput::default()
    };
    let r: Reading = app
        .call_fn(&reader, ReportProgress { input })
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((r.position, r.furthest, r.resume_at()), (0, 700, 700));
    // Beyond the end is the end's place, not a completion.
    let r = reading(&app, &reader, &second, u16::MAX, false).await;
    assert_eq!((r.position, r.completed), (1000, false));

    // As the tab closes the page sends a beacon: the same form, with the page's origin and
    // cookie (`pages::learning::beacon`). It is kept like any report; from another site it
    // is not. Declared as text (what a beacon of a plain string would be) it is read too.
    let input = ProgressInput {
        item: second.clone(),
        position: 800,
        furthest: 850,
        ..ProgressInput::default()
    };
    let body = serde_qs::to_string(&ReportProgress { input }).unwrap();
    let send = |origin: String, body: String, kind: &'static str| {
        app.client
            .post(app.url("/api/report_progress"))
            .header("origin", origin)
            .header("cookie", &reader)
            .header("content-type", kind)
            .body(body)
            .send()
    };
    let form = "application/x-www-form-urlencoded";
    let res = send("https://evil.example".into(), body.clone(), form)
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let kept = item_view(&app, &reader, &second).await.reading.unwrap();
    assert_eq!((kept.position, kept.furthest), (1000, 1000), "unchanged");
    let res = send(app.origin().to_string(), body.clone(), form)
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let r = item_view(&app, &reader, &second).await.reading.unwrap();
    assert_eq!((r.position, r.furthest, r.completed), (800, 1000, false));
    let input = ProgressInput {
        item: second.clone(),
        position: 820,
        ..ProgressInput::default()
    };
    let body = serde_qs::to_string(&ReportProgress { input }).unwrap();
    let res = send(app.origin().to_string(), body, "text/plain;charset=UTF-8")
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let r = item_view(&app, &reader, &second).await.reading.unwrap();
    assert_eq!(r.position, 820);

    // Each member's own: the other member of the branch has finished nothing.
    let theirs: CourseView = get(&app, &other, &id).await.json().await.unwrap();
    assert!(theirs.chapters[0].items.iter().all(|i| !i.done));
    // Another branch's member cannot report on it (nor read it).
    assert_eq!(
        report(&app, &stranger, &first, 100, true).await.status(),
        403
    );
    // The office reads along, and nothing is kept for an account with no member record.
    assert_eq!(item_view(&app, &office, &first).await.reading, None);
    let kept = app.count("progress").await;
    assert_eq!(
        reading(&app, &office, &first, 900, true).await,
        Reading::default()
    );
    assert_eq!(app.count("progress").await, kept);
    assert_eq!(
        kept - demo,
        2,
        "one record per member and item opened and reported"
    );
    // Reports are not on the audit trail (the refusal of the stranger is).
    assert_eq!(app.count("audit").await, audited + 1);
    beside.stop().await;
}

/// An article `title` with `body` at the end of `chapter`.
async fn article_with(
    app: &TestApp,
    cookie: &str,
    chapter: &str,
    title: &str,
    body: &str,
) -> String {
    let input = ArticleInput {
        chapter: chapter.into(),
        id: String::new(),
        title: title.into(),
        body: body.into(),
        ..ArticleInput::default()
    };
    let res = app.call_fn(cookie, SaveArticle { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// A new chapter of `course`: its key.
async fn chapter(app: &TestApp, cookie: &str, course: &str, title: &str) -> String {
    let input = ChapterInput {
        course: course.into(),
        id: String::new(),
        title: title.into(),
    };
    let res = app.call_fn(cookie, SaveChapter { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let outline: CourseView = res.json().await.unwrap();
    outline.chapters.last().unwrap().id.clone()
}

/// The marked words of a fragment.
fn marks(hit: &SearchHit) -> Vec<String> {
    hit.fragment
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.clone())
        .collect()
}

#[tokio::test]
async fn chinese_words_find_courses_and_articles_ranked_in_scope_with_marked_fragments() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let (_, a, b) = committee_with_two_branches(&fx, "检索测试").await;
    let in_a = fx.members(&a, 1).await;
    let sec_a = fx
        .account("se_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("se_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let mem_a = fx
        .account("se_mem_a", Role::Member, &[], Some(&in_a[0]))
        .await;

    // Branch A's published course: one article about 三会一课 at length, one that names it
    // once, one about something else; the summary names 主题党日.
    let ours = create(
        &app,
        &sec_a,
        CourseInput {
            summary: "本支部每月开展主题党日活动的做法与体会。".into(),
            ..course(&a, "支部组织生活规范")
        },
    )
    .await;
    let ch = chapter(&app, &sec_a, &ours, "第一章").await;
    let often = article_with(
        &app,
        &sec_a,
        &ch,
        "怎样开好三会一课",
        "三会一课是党的组织生活的基本制度。支部按时召开三会一课，\
         党员参加三会一课，支委会记录三会一课。",
    )
    .await;
    let once = article_with(
        &app,
        &sec_a,
        &ch,
        "支部工作手册",
        &format!(
            "{}另外，请按时参加三会一课。{}",
            "支部日常工作包括发展党员、收缴党费等。".repeat(5),
            "做好记录。".repeat(5)
        ),
    )
    .await;
    article_with(
        &app,
        &sec_a,
        &ch,
        "医德医风建设",
        "坚持以病人为中心，廉洁行医。",
    )
    .await;
    assert_eq!(publish(&app, &sec_a, &ours, true).await.status(), 200);
    // Branch B's published course and branch A's draft also name 三会一课.
    let theirs = create(&app, &sec_b, course(&b, "第二支部学习")).await;
    let ch_b = chapter(&app, &sec_b, &theirs, "第一章").await;
    article_with(&app, &sec_b, &ch_b, "三会一课台账", "三会一课的记录要求。").await;
    assert_eq!(publish(&app, &sec_b, &theirs, true).await.status(), 200);
    let draft = create(&app, &sec_a, course(&a, "草稿课程")).await;
    let ch_d = chapter(&app, &sec_a, &draft, "第一章").await;
    article_with(&app, &sec_a, &ch_d, "草稿文章", "三会一课的草稿。").await;
    // Articles on other things, so that 三会一课 is in well under half of all items (BM25
    // gives a word found in half of them or more no weight, and the order would be the
    // database's).
    for n in 0..6 {
        article_with(
            &app,
            &sec_a,
            &ch_d,
            &format!("其他内容{n}"),
            "临床路径与病历质量。",
        )
        .await;
    }

    // The member of branch A: only the published course of A, the article that says it most
    // first, each fragment with the words marked; nothing of B, nothing of the draft.
    let found = list(&app, &mem_a, "三会一课", "", 1).await;
    assert_eq!(found.total, 1, "{:?}", found.rows);
    let row = &found.rows[0];
    assert_eq!(row.id, ours);
    let items: Vec<&str> = row.hits.iter().map(|h| h.item.as_str()).collect();
    assert_eq!(items, vec![often.as_str(), once.as_str()]);
    for hit in &row.hits {
        assert_eq!(marks(hit), vec!["三会一课"; marks(hit).len()]);
        assert!(!marks(hit).is_empty(), "{hit:?}");
    }
    let fragment: String = row.hits[1]
        .fragment
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert!(fragment.contains("请按时参加三会一课"), "{fragment}");
    assert!(
        fragment.starts_with('…') && fragment.chars().count() < 100,
        "a fragment around the word, not the whole text: {fragment}"
    );

    // Its editor also finds the draft; the other branch's secretary finds their own.
    let editor = list(&app, &sec_a, "三会一课", "", 1).await;
    let ids: Vec<&str> = editor.rows.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.contains(&ours.as_str()) && ids.contains(&draft.as_str()),
        "{ids:?}"
    );
    assert!(!ids.contains(&theirs.as_str()));
    let other = list(&app, &sec_b, "三会一课", "", 1).await;
    assert!(other.rows.iter().any(|r| r.id == theirs));
    assert!(other.rows.iter().all(|r| r.id != ours && r.id != draft));

    // A word of the summary: the course itself, its summary's fragment marked.
    let by_summary = list(&app, &mem_a, "主题党日", "", 1).await;
    let row = by_summary.rows.iter().find(|r| r.id == ours).unwrap();
    let own = row.hits.iter().find(|h| h.item.is_empty()).unwrap();
    assert_eq!(marks(own), vec!["主题党日"]);
    // A sentence without blanks finds what holds all of its words.
    let words = list(&app, &mem_a, "发展党员、收缴党费", "", 1).await;
    assert!(
        words
            .rows
            .iter()
            .any(|r| r.hits.iter().any(|h| h.item == once)),
        "{:?}",
        words.rows
    );
    // Nothing matches: nothing listed.
    let none = list(&app, &mem_a, "量子计算", "", 1).await;
    assert_eq!(none.total, 0);
    assert!(none.rows.is_empty());
    // One character is no word of the index: titles that contain it are still found.
    let one = list(&app, &mem_a, "范", "", 1).await;
    assert!(one.rows.iter().any(|r| r.id == ours));
    // A category narrows a search.
    let policy = list(&app, &mem_a, "三会一课", "policy", 1).await;
    assert_eq!(policy.total, 0);

    // A course or item saved before search existed is indexed when a server starts (its
    // search copy, made by migration 0048 from the empty words, is empty too).
    app.state
        .db
        .query(
            "UPDATE type::record('item', $k) SET search = '';
             UPDATE type::record('item_words', $k) SET words = '';",
        )
        .bind(("k", often.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let gone = list(&app, &mem_a, "三会一课", "", 1).await;
    assert!(gone.rows[0].hits.iter().all(|h| h.item != often));
    let indexed = app::server::service::learning::index_unindexed(&app.state.db)
        .await
        .unwrap();
    assert!(indexed >= 1);
    let back = list(&app, &mem_a, "三会一课", "", 1).await;
    assert_eq!(back.rows[0].hits[0].item, often);
}

/// A video or a document item in `chapter`: the answer to saving it.
async fn save_media(
    app: &TestApp,
    cookie: &str,
    chapter: &str,
    kind: ItemKind,
    file: &str,
) -> reqwest::Response {
    let input = ArticleInput {
        chapter: chapter.into(),
        title: format!("{}（{}）", kind.as_str(), file),
        body: "观看要点：**联系实际**。".into(),
        kind,
        file: file.into(),
        ..ArticleInput::default()
    };
    app.call_fn(cookie, SaveArticle { input }).await
}

/// `GET path` as `cookie` with extra headers.
async fn get_with(
    app: &TestApp,
    cookie: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = app.client.get(app.url(path)).header("cookie", cookie);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// An uploaded file's key.
async fn uploaded(app: &TestApp, cookie: &str, org: &str, name: &str, bytes: Vec<u8>) -> String {
    let res = app.upload(cookie, org, name, bytes).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json::<FileView>().await.unwrap().id
}

#[tokio::test]
async fn videos_and_documents_are_served_in_parts_to_their_readers_and_watching_counts_what_played()
{
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let (root, a, b) = committee_with_two_branches(&fx, "视频测试").await;
    let in_a = fx.members(&a, 1).await;
    let in_b = fx.members(&b, 1).await;
    let sec_a = fx
        .account("md_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let mem_a = fx
        .account("md_mem_a", Role::Member, &[], Some(&in_a[0]))
        .await;
    let mem_b = fx
        .account("md_mem_b", Role::Member, &[], Some(&in_b[0]))
        .await;
    let office = app.session_cookie("office").await;

    // Uploads: a video and a PDF are told apart by content; a page named like a video is
    // refused.
    let video = uploaded(&app, &sec_a, &a, "第一讲.webm", SAMPLE_VIDEO.to_vec()).await;
    let pdf = uploaded(&app, &sec_a, &a, "讲稿.pdf", sample_pdf(&["Lecture notes"])).await;
    let fake = app
        .upload(
            &sec_a,
            &a,
            "第二讲.mp4",
            b"<html>not a video</html>".to_vec(),
        )
        .await;
    assert_eq!(fake.status(), 400);
    // A member sends no more than a document's 20 MB, whatever it is.
    let mut big = SAMPLE_VIDEO.to_vec();
    big.resize(21 * 1024 * 1024, 0);
    let res = app.upload(&mem_a, &a, "大视频.webm", big).await;
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("20 MB"));

    let id = create(&app, &sec_a, course(&a, "支部视频课程")).await;
    let ch = chapter(&app, &sec_a, &id, "第一章　视频").await;
    let items_before = app.count("item").await;
    // A file of another organisation (here the committee's) never becomes the course's.
    let elsewhere = uploaded(&app, &office, &root, "院级讲稿.pdf", sample_pdf(&["x"])).await;
    // A video needs a video, a document a PDF; a 党课 record its lecturer.
    for (kind, file, field) in [
        (ItemKind::Document, elsewhere.as_str(), "file"),
        (ItemKind::Video, "", "file"),
        (ItemKind::Video, pdf.as_str(), "file"),
        (ItemKind::Document, video.as_str(), "file"),
        (ItemKind::Lesson, video.as_str(), "lecturer"),
    ] {
        let res = save_media(&app, &sec_a, &ch, kind, file).await;
        assert_eq!(res.status(), 400, "{kind:?} {file}");
        let body = res.text().await.unwrap();
        assert!(body.contains(field), "{body}");
    }
    assert_eq!(app.count("item").await, items_before, "nothing half-made");
    let res = save_media(&app, &sec_a, &ch, ItemKind::Video, &video).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let watch: String = res.json().await.unwrap();
    let res = save_media(&app, &sec_a, &ch, ItemKind::Document, &pdf).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let read: String = res.json().await.unwrap();
    let shown = item_view(&app, &sec_a, &watch).await;
    assert_eq!(
        (shown.file.as_str(), shown.file_name.as_str()),
        (video.as_str(), "第一讲.webm")
    );
    assert_eq!(shown.org, a);
    assert!(shown.html.contains("<strong>联系实际</strong>"));

    // While the course is a draft its member may not fetch the video; once published they
    // may; a member of the other branch never.
    let path = format!("/files/{video}");
    assert_eq!(get_with(&app, &mem_a, &path, &[]).await.status(), 403);
    assert_eq!(publish(&app, &sec_a, &id, true).await.status(), 200);
    assert_eq!(get_with(&app, &mem_b, &path, &[]).await.status(), 403);

    // The whole video: inline, offered in ranges, never compressed.
    let size = SAMPLE_VIDEO.len();
    let whole = get_with(&app, &mem_a, &path, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(header(&whole, "content-type"), "video/webm");
    assert_eq!(header(&whole, "accept-ranges"), "bytes");
    assert!(header(&whole, "content-disposition").starts_with("inline"));
    assert_eq!(header(&whole, "content-encoding"), "");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), SAMPLE_VIDEO);
    // Parts, as a player seeking asks for them.
    let first = get_with(
        &app,
        &mem_a,
        &path,
        &[("range", "bytes=0-99"), ("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(first.status(), 206);
    assert_eq!(
        header(&first, "content-range"),
        format!("bytes 0-99/{size}")
    );
    assert_eq!(header(&first, "content-length"), "100");
    assert_eq!(header(&first, "content-encoding"), "");
    assert_eq!(first.bytes().await.unwrap().as_ref(), &SAMPLE_VIDEO[..100]);
    let seek = get_with(&app, &mem_a, &path, &[("range", "bytes=20000-")]).await;
    assert_eq!(seek.status(), 206);
    assert_eq!(
        header(&seek, "content-range"),
        format!("bytes 20000-{}/{size}", size - 1)
    );
    assert_eq!(seek.bytes().await.unwrap().as_ref(), &SAMPLE_VIDEO[20000..]);
    // A player's first request asks for everything from the start: a part, all of it.
    let all = get_with(&app, &mem_a, &path, &[("range", "bytes=0-")]).await;
    assert_eq!(all.status(), 206);
    assert_eq!(
        header(&all, "content-range"),
        format!("bytes 0-{}/{size}", size - 1)
    );
    let tail = get_with(&app, &mem_a, &path, &[("range", "bytes=-10")]).await;
    assert_eq!(
        tail.bytes().await.unwrap().as_ref(),
        &SAMPLE_VIDEO[size - 10..]
    );
    let past = get_with(&app, &mem_a, &path, &[("range", &format!("bytes={size}-"))]).await;
    assert_eq!(past.status(), 416);
    assert_eq!(header(&past, "content-range"), format!("bytes */{size}"));
    // A range for other bytes (`If-Range` names another version) gets the whole file.
    let other = get_with(
        &app,
        &mem_a,
        &path,
        &[("range", "bytes=0-9"), ("if-range", "\"old\"")],
    )
    .await;
    assert_eq!(other.status(), 200);

    // The PDF: framed by the platform's own pages when asked inline, else downloaded.
    let doc = format!("/files/{pdf}");
    let framed = get_with(&app, &mem_a, &format!("{doc}?inline=1"), &[]).await;
    assert_eq!(framed.status(), 200);
    assert!(header(&framed, "content-disposition").starts_with("inline"));
    assert_eq!(header(&framed, "x-frame-options"), "SAMEORIGIN");
    assert_eq!(
        header(&framed, "content-security-policy"),
        "frame-ancestors 'self'"
    );
    let saved = get_with(&app, &mem_a, &doc, &[]).await;
    assert!(header(&saved, "content-disposition").starts_with("attachment"));
    assert_eq!(header(&saved, "x-frame-options"), "DENY");
    assert_eq!(get_with(&app, &mem_b, &doc, &[]).await.status(), 403);

    // Watching: what was played counts, not where the seek bar went.
    let watched = |played: Vec<(u16, u16)>, position: u16, end: bool| {
        let input = ProgressInput {
            item: watch.clone(),
            position,
            furthest: position,
            end,
            played,
        };
        let (app, mem_a) = (&app, &mem_a);
        async move {
            let res = app.call_fn(mem_a, ReportProgress { input }).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            res.json::<Reading>().await.unwrap()
        }
    };
    let r = watched(vec![(0, 500)], 500, false).await;
    assert_eq!((r.seen, r.completed), (50, false));
    // Dragged to the end: the end alone does not finish a video.
    let r = watched(vec![(0, 500), (990, 1000)], 1000, true).await;
    assert_eq!((r.seen, r.completed), (51, false));
    // The same stretch again counts once; the rest played finishes it.
    let r = watched(vec![(0, 500)], 500, false).await;
    assert_eq!(r.seen, 51);
    let r = watched(vec![(490, 890)], 890, false).await;
    assert_eq!((r.seen, r.completed), (90, true));
    // Opened again on a second server: where they were, finished.
    let beside = app.spawn_beside().await;
    let again = item_view(&beside, &mem_a, &watch).await;
    let kept = again.reading.unwrap();
    assert_eq!((kept.position, kept.seen, kept.completed), (890, 90, true));
    let outline: CourseView = get(&app, &mem_a, &id).await.json().await.unwrap();
    let done: Vec<bool> = outline.chapters[0].items.iter().map(|i| i.done).collect();
    assert_eq!(done, vec![true, false]);
    // A document is finished like an article: its end came into view.
    let input = ProgressInput {
        item: read.clone(),
        end: true,
        ..ProgressInput::default()
    };
    let res = app.call_fn(&mem_a, ReportProgress { input }).await;
    assert!(res.json::<Reading>().await.unwrap().completed);

    // The committee's course shows its video to members of every branch below it.
    let hospital_video =
        uploaded(&app, &office, &root, "院级党课.webm", SAMPLE_VIDEO.to_vec()).await;
    let ours = create(&app, &office, course(&root, "全院视频课程")).await;
    let hch = chapter(&app, &office, &ours, "第一章").await;
    let res = save_media(&app, &office, &hch, ItemKind::Video, &hospital_video).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let hospital_path = format!("/files/{hospital_video}");
    assert_eq!(
        get_with(&app, &mem_b, &hospital_path, &[]).await.status(),
        403,
        "a draft's"
    );
    assert_eq!(publish(&app, &office, &ours, true).await.status(), 200);
    let part = get_with(&app, &mem_b, &hospital_path, &[("range", "bytes=0-0")]).await;
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().as_ref(), &SAMPLE_VIDEO[..1]);
    beside.stop().await;
}

/// The labelled set (`tests/fixtures/search/labelled.json`): courses of one topic each,
/// and queries with the courses that should come first.
#[derive(serde::Deserialize)]
struct Labelled {
    courses: Vec<LabelledCourse>,
    queries: Vec<(String, Vec<String>)>,
}

#[derive(serde::Deserialize)]
struct LabelledCourse {
    title: String,
    summary: String,
    tags: Vec<String>,
    articles: Vec<(String, String)>,
}

#[tokio::test]
async fn the_labelled_queries_find_what_they_should() {
    let set: Labelled =
        serde_json::from_str(include_str!("../../fixtures/search/labelled.json")).unwrap();
    let app = crate::support::spawn_empty_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("检索评测党委", OrgKind::Committee, None).await;
    let branch = fx.org("检索评测党支部", OrgKind::Branch, Some(&root)).await;
    let people = fx.members(&branch, 1).await;
    let office = fx
        .account("pr_committee", Role::BranchCommittee, &[&root], None)
        .await;
    let member = fx
        .account("pr_member", Role::Member, &[], Some(&people[0]))
        .await;
    for c in &set.courses {
        let input = CourseInput {
            org: root.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            category: "theory".into(),
            tags: c.tags.join("、"),
            ..CourseInput::default()
        };
        let id = create(&app, &office, input).await;
        let ch = chapter(&app, &office, &id, "第一章").await;
        for (title, body) in &c.articles {
            article_with(&app, &office, &ch, title, body).await;
        }
        assert_eq!(publish(&app, &office, &id, true).await.status(), 200);
    }

    // Per query: the first result right (P@1), the reciprocal rank of the first right
    // one, and the share of the right ones among the first three (R@3).
    let (mut p1, mut rr, mut r3, mut shown) = (0.0, 0.0, 0.0, 0usize);
    let mut misses = Vec::new();
    for (q, relevant) in &set.queries {
        let found: Vec<String> = list(&app, &member, q, "", 1)
            .await
            .rows
            .into_iter()
            .map(|r| r.title)
            .collect();
        shown += found.len();
        let first = found.iter().position(|t| relevant.contains(t));
        if first == Some(0) {
            p1 += 1.0;
        } else {
            misses.push(format!("{q}: {found:?}"));
        }
        rr += first.map_or(0.0, |n| 1.0 / (n as f64 + 1.0));
        let top3 = found
            .iter()
            .take(3)
            .filter(|t| relevant.contains(t))
            .count();
        r3 += top3 as f64 / relevant.len() as f64;
    }
    let n = set.queries.len() as f64;
    let (p1, mrr, r3) = (p1 / n, rr / n, r3 / n);
    println!(
        "labelled search: {} queries over {} courses: P@1 {p1:.3}, MRR {mrr:.3}, R@3 {r3:.3}, \
         {:.1} courses listed a query; misses: {misses:#?}",
        set.queries.len(),
        set.courses.len(),
        shown as f64 / n
    );
    assert!(p1 >= 0.9, "P@1 {p1:.3}; misses: {misses:#?}");
    assert!(r3 >= 0.95, "R@3 {r3:.3}");
}

#[tokio::test]
async fn a_members_learning_record_shows_what_they_finished_to_them_and_their_committee_only() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let (root, a, b) = committee_with_two_branches(&fx, "档案测试").await;
    let in_a = fx.members(&a, 1).await;
    let in_b = fx.members(&b, 1).await;
    let top = fx
        .account("rc_top", Role::BranchCommittee, &[&root], None)
        .await;
    let sec_a = fx
        .account("rc_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("rc_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let mem_a = fx
        .account("rc_mem_a", Role::Member, &[], Some(&in_a[0]))
        .await;
    let mem_b = fx
        .account("rc_mem_b", Role::Member, &[], Some(&in_b[0]))
        .await;
    let office = app.session_cookie("office").await;

    // The committee's required course, not started; the branch's course, half finished.
    let required = create(
        &app,
        &top,
        CourseInput {
            required: true,
            ..course(&root, "全院必学课程")
        },
    )
    .await;
    let rch = chapter(&app, &top, &required, "第一章").await;
    article(&app, &top, &rch, "必学第一篇").await;
    assert_eq!(publish(&app, &top, &required, true).await.status(), 200);
    let ours = create(&app, &sec_a, course(&a, "支部自学课程")).await;
    let ch = chapter(&app, &sec_a, &ours, "第一章").await;
    let first = article(&app, &sec_a, &ch, "自学第一篇").await;
    let second = article(&app, &sec_a, &ch, "自学第二篇").await;
    let ch2 = chapter(&app, &sec_a, &ours, "第二章").await;
    let third = article(&app, &sec_a, &ch2, "自学第三篇").await;
    assert_eq!(publish(&app, &sec_a, &ours, true).await.status(), 200);
    // Opened out of order: the record lists them in the course's order.
    assert!(reading(&app, &mem_a, &third, 100, false).await.furthest == 100);
    assert!(reading(&app, &mem_a, &second, 400, false).await.furthest == 400);
    assert!(reading(&app, &mem_a, &first, 0, true).await.completed);

    let record = |cookie: String, member: String| {
        let app = &app;
        async move { app.call_fn(&cookie, GetLearningRecord { member }).await }
    };
    let own: app::models::learning::LearningRecord = record(mem_a.clone(), String::new())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.member, in_a[0]);
    let titles: Vec<&str> = own.courses.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        vec!["全院必学课程", "支部自学课程"],
        "required first"
    );
    assert!(own.courses[0].required && own.courses[0].items.is_empty());
    assert_eq!((own.courses[0].done, own.courses[0].total), (0, 1));
    let c = &own.courses[1];
    assert_eq!((c.done, c.total), (1, 3));
    let items: Vec<(&str, bool)> = c
        .items
        .iter()
        .map(|i| (i.title.as_str(), !i.finished.is_empty()))
        .collect();
    assert_eq!(
        items,
        vec![
            ("自学第一篇", true),
            ("自学第二篇", false),
            ("自学第三篇", false)
        ],
        "in course order"
    );
    assert_eq!(
        c.items[0].finished,
        app.china_today().format("%Y-%m-%d").to_string()
    );
    // Their branch's committee sees the same record; another branch's, or another
    // branch's member, is refused; the office account has no record of its own.
    let seen: app::models::learning::LearningRecord = record(sec_a.clone(), in_a[0].clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen, own);
    assert_eq!(record(sec_b.clone(), in_a[0].clone()).await.status(), 403);
    assert_eq!(record(mem_b.clone(), in_a[0].clone()).await.status(), 403);
    assert_eq!(record(office.clone(), String::new()).await.status(), 404);
    // The page is rendered on the server for the member.
    let page = app
        .get_as(&mem_a, &format!("/learning/members/{}", in_a[0]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("自学第一篇") && page.contains("已学 1/3"),
        "{page}"
    );
    // A course taken back to a draft leaves the record.
    assert_eq!(publish(&app, &sec_a, &ours, false).await.status(), 200);
    let after: app::models::learning::LearningRecord = record(mem_a.clone(), String::new())
        .await
        .json()
        .await
        .unwrap();
    let titles: Vec<&str> = after.courses.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, vec!["全院必学课程"]);
}

/// A 党课 record: its lecturer, the day it was given (not ahead) and, optionally, the
/// branch's 党课 meeting it was given in (not another branch's); read and finished like
/// an article, and found by its lecturer.
#[tokio::test]
async fn a_party_lecture_is_recorded_with_its_lecturer_day_and_meeting() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = app.session_cookie("member").await;
    // o0003: the demo secretary's (and member's) branch.
    let id = create(&app, &secretary, course("o0003", "支部党课记录")).await;
    let chapter = chapter(&app, &secretary, &id, "2026 年党课").await;
    // The branch's 党课 three days ago, and a meeting of another organisation.
    let mut given = crate::meeting::meeting(
        "o0003",
        "lesson",
        &crate::support::china_day(-3),
        "专题党课",
    );
    given.input.lecturer = "王书记".into();
    let ours = crate::meeting::scheduled(&app, &secretary, given).await;
    let office = app.session_cookie("office").await;
    let theirs = crate::meeting::scheduled(
        &app,
        &office,
        crate::meeting::meeting(
            "o0004",
            "theme_day",
            &crate::support::china_day(-3),
            "他支部主题党日",
        ),
    )
    .await;
    let lesson = |lecturer: &str, day: String, meeting: &str| ArticleInput {
        chapter: chapter.clone(),
        title: "学习贯彻党的二十大精神专题党课".into(),
        body: String::new(),
        kind: ItemKind::Lesson,
        lecturer: lecturer.into(),
        given_on: day,
        meeting: meeting.into(),
        ..ArticleInput::default()
    };
    let before = app.count("item").await;
    for (input, field) in [
        (lesson("", crate::support::china_day(-3), ""), "lecturer"),
        (
            lesson("王书记", crate::support::china_day(1), ""),
            "given_on",
        ),
        (lesson("王书记", "三天前".into(), ""), "given_on"),
        (
            lesson("王书记", crate::support::china_day(-3), &theirs),
            "meeting",
        ),
    ] {
        let res = app.call_fn(&secretary, SaveArticle { input }).await;
        assert_eq!(res.status(), 400);
        let text = res.text().await.unwrap();
        assert!(text.contains(field), "{field}: {text}");
    }
    assert_eq!(app.count("item").await, before);

    let input = lesson("王书记", crate::support::china_day(-3), &ours);
    let res = app.call_fn(&secretary, SaveArticle { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let key: String = res.json().await.unwrap();
    assert_eq!(publish(&app, &secretary, &id, true).await.status(), 200);

    let seen = item_view(&app, &member, &key).await;
    assert_eq!(seen.kind, ItemKind::Lesson);
    assert_eq!(seen.lecturer, "王书记");
    assert_eq!(seen.given_on, crate::support::china_day(-3));
    assert_eq!(seen.meeting, ours);
    assert!(!seen.meeting_label.is_empty());
    // Read to its end like an article: finished.
    assert!(reading(&app, &member, &key, 1000, true).await.completed);
    // Its page says who gave it, when and where.
    let html = app
        .get_as(&member, &format!("/learning/items/{key}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("主讲人：王书记") && html.contains(&seen.meeting_label));
    // Found by the lecturer's name.
    let found = list(&app, &member, "王书记", "", 1).await;
    assert!(found.rows.iter().any(|c| c.id == id), "{found:?}");
}

/// Reports of one member's video sent at once to two app servers (two devices, or a
/// page's last report and the next page's first) all land: each is answered 200, and the
/// parts seen are the union of all of them, none lost to a write that lost the race.
#[tokio::test]
async fn reports_sent_at_once_to_two_servers_all_count() {
    let app = spawn_app().await;
    let beside = app.spawn_beside().await;
    let member = app.session_cookie("member").await;
    let videos: Vec<String> = app
        .state
        .db
        .query("SELECT VALUE record::id(id) FROM item WHERE kind = 'video' LIMIT 1")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let video = videos.first().expect("the demo course has a video").clone();
    // Eight stretches of a tenth each (ten parts apiece), every other one to each server.
    let report = |n: u16| {
        let server = if n % 2 == 0 { &app } else { &beside };
        let input = ProgressInput {
            item: video.clone(),
            position: (n + 1) * 100,
            furthest: (n + 1) * 100,
            end: false,
            played: vec![(n * 100, (n + 1) * 100)],
        };
        let member = member.clone();
        async move {
            let res = server.call_fn(&member, ReportProgress { input }).await;
            let status = res.status();
            (status, res.text().await.unwrap())
        }
    };
    let all = tokio::join!(
        report(0),
        report(1),
        report(2),
        report(3),
        report(4),
        report(5),
        report(6),
        report(7)
    );
    for (status, text) in [all.0, all.1, all.2, all.3, all.4, all.5, all.6, all.7] {
        assert_eq!(status, 200, "{text}");
    }
    let last = ProgressInput {
        item: video.clone(),
        position: 800,
        furthest: 800,
        end: false,
        played: vec![],
    };
    let res = app.call_fn(&member, ReportProgress { input: last }).await;
    let reading: Reading = res.json().await.unwrap();
    assert_eq!(reading.seen, 80, "every stretch counted once");
    assert!(!reading.completed, "80 parts do not finish a video");
    beside.stop().await;
}

/// A search whose every word most courses hold is listed without BM25's scores (they
/// would all be 0: the IDF is clamped at half of all courses), still only within the
/// reader's reach; a query with a rarer word is scored as before.
#[tokio::test]
async fn a_search_of_common_words_over_many_courses_is_unscored_and_keeps_to_the_reach() {
    use app::models::learning::{Category, CourseState};
    use app::server::repo::learning::{
        CourseInsert, DemoContent, SCORED_BELOW, SEARCH_MAX, all_common, course_words, insert_many,
    };
    use surrealdb::types::RecordId;

    let app = crate::support::spawn_empty_app().await;
    let fx = Fixture::new(&app);
    let (root, first, second) = committee_with_two_branches(&fx, "常用词").await;
    let people = fx.members(&first, 1).await;
    let member = fx
        .account("cw_member", Role::Member, &[], Some(&people[0]))
        .await;
    let db = &app.state.db;
    let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();

    // The other branch's 20 courses are written first, so an unscored match, which lists
    // in the order written, would show them first if it forgot the reach. Five courses of
    // each also say 遵义会议.
    let now = chrono::Utc::now();
    // Each course changed a second after the one before: the title scan lists the most
    // recently changed, so which of them it lists does not hang on how ties fall.
    let course = |n: i64, key: String, org: &str, rare: bool| {
        let now = now + chrono::Duration::seconds(n);
        let title = format!("{}党员学习{key}", if rare { "遵义会议与" } else { "" });
        let summary = "支部党员集中学习材料".to_string();
        CourseInsert {
            cover: None,
            search: course_words(&title, &summary, &[]),
            id: RecordId::new("course", key),
            org: RecordId::new("org", org),
            title,
            summary,
            category: Category::Theory,
            tags: Vec::new(),
            state: CourseState::Published,
            required: false,
            created_by: "test".into(),
            created_at: now,
            updated_by: "test".into(),
            updated_at: now,
            published_at: Some(now),
        }
    };
    let few = DemoContent {
        courses: (0..20)
            .map(|n| course(n, format!("cwa{n:04}"), &second, n < 5))
            .collect(),
        ..DemoContent::default()
    };
    insert_many(db, &few).await.unwrap();
    // Below the line every search is scored.
    assert!(!all_common(db, &words(&["党员"])).await.unwrap());

    let many = DemoContent {
        courses: (0..SCORED_BELOW)
            .map(|n| course(20 + n, format!("cwb{n:04}"), &root, n < 5))
            .collect(),
        ..DemoContent::default()
    };
    insert_many(db, &many).await.unwrap();
    assert!(all_common(db, &words(&["党员"])).await.unwrap());
    assert!(all_common(db, &words(&["党员", "学习"])).await.unwrap());
    assert!(!all_common(db, &words(&["党员", "遵义会议"])).await.unwrap());
    assert!(!all_common(db, &words(&["遵义会议"])).await.unwrap());

    // Unscored: the most a match lists (the first 500 written), and the title scan adds
    // the committee's other courses that say it (the 500 changed last): all 512 of the
    // committee's, none of the other branch's 20.
    let page = list(&app, &member, "党员", "", 1).await;
    assert!(SEARCH_MAX < SCORED_BELOW);
    assert_eq!(page.total, u32::try_from(SCORED_BELOW).unwrap());
    assert_eq!(page.rows.len(), COURSE_PAGE as usize);
    assert!(
        page.rows.iter().all(|r| r.id.starts_with("cwb")),
        "{:?}",
        page.rows.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    // Scored: the committee's five, not the other branch's.
    let page = list(&app, &member, "党员 遵义会议", "", 1).await;
    assert_eq!(page.total, 5, "{:?}", page.rows);
    assert!(page.rows.iter().all(|r| r.id.starts_with("cwb")));
}

#[tokio::test]
async fn covers_and_article_images_are_the_publishers_and_shown_to_the_courses_readers_only() {
    use app::server::files::sample_png;
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let (root, a, b) = committee_with_two_branches(&fx, "图片测试").await;
    let in_a = fx.members(&a, 1).await;
    let in_b = fx.members(&b, 1).await;
    let sec_a = fx
        .account("im_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let mem_a = fx
        .account("im_mem_a", Role::Member, &[], Some(&in_a[0]))
        .await;
    let mem_b = fx
        .account("im_mem_b", Role::Member, &[], Some(&in_b[0]))
        .await;
    let office = app.session_cookie("office").await;

    let cover = uploaded(&app, &sec_a, &a, "封面.png", sample_png(400, 300, 1)).await;
    let photo = uploaded(&app, &sec_a, &a, "合影.png", sample_png(640, 360, 2)).await;
    let pdf = uploaded(&app, &sec_a, &a, "讲稿.pdf", sample_pdf(&["notes"])).await;
    let elsewhere = uploaded(&app, &office, &b, "他处.png", sample_png(64, 64, 3)).await;
    let above = uploaded(&app, &office, &root, "院级.png", sample_png(64, 64, 4)).await;

    // A cover is an image of the course's publisher: a PDF, another branch's image, the
    // committee's image or a made-up key is refused on the field, and nothing is created.
    let courses = app.count("course").await;
    for bad in [
        pdf.as_str(),
        elsewhere.as_str(),
        above.as_str(),
        "../f1",
        "fnothere",
    ] {
        let input = CourseInput {
            cover: bad.into(),
            ..course(&a, "带封面的课程")
        };
        let res = app.call_fn(&sec_a, SaveCourse { input }).await;
        assert_eq!(res.status(), 400, "{bad}");
        let body = res.text().await.unwrap();
        assert!(body.contains("cover") && body.contains("封面"), "{body}");
    }
    assert_eq!(app.count("course").await, courses, "nothing half-made");
    let input = CourseInput {
        cover: cover.clone(),
        ..course(&a, "带封面的课程")
    };
    let id = create(&app, &sec_a, input).await;
    let view: CourseView = get(&app, &sec_a, &id).await.json().await.unwrap();
    assert_eq!(view.cover, cover);

    // An article's images: the store's own, uploaded for the publisher. One of elsewhere
    // is refused on the body (what was typed stays with the browser); a picture from the
    // internet is left out, its description kept.
    let ch = chapter(&app, &sec_a, &id, "第一章").await;
    let items = app.count("item").await;
    for bad in [&elsewhere, &pdf] {
        let input = ArticleInput {
            chapter: ch.clone(),
            title: "学习合影".into(),
            body: format!("正文\n\n![他处](/files/{bad})"),
            ..ArticleInput::default()
        };
        let res = app.call_fn(&sec_a, SaveArticle { input }).await;
        assert_eq!(res.status(), 400, "{bad}");
        let body = res.text().await.unwrap();
        assert!(body.contains("body") && body.contains("图片"), "{body}");
    }
    assert_eq!(app.count("item").await, items, "nothing half-made");
    let input = ArticleInput {
        chapter: ch.clone(),
        title: "学习合影".into(),
        body: format!(
            "支部集中学习。\n\n![集中学习](/files/{photo})\n\n![网图](https://cdn.example/a.png)"
        ),
        ..ArticleInput::default()
    };
    let res = app.call_fn(&sec_a, SaveArticle { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let item: String = res.json().await.unwrap();
    let shown = item_view(&app, &sec_a, &item).await;
    assert!(
        shown.html.contains(&format!(
            r#"<img src="/files/{photo}" alt="集中学习" loading="lazy">"#
        )),
        "{}",
        shown.html
    );
    assert!(!shown.html.contains("cdn.example") && shown.html.contains("网图"));
    // The preview renders the same, images included.
    let res = app
        .call_fn(
            &sec_a,
            PreviewMarkdown {
                body: format!("![集中学习](/files/{photo})"),
            },
        )
        .await;
    assert!(res.text().await.unwrap().contains(&photo));

    // While a draft, the branch's member may not fetch them; once published, they may (the
    // cover's thumbnail and the article's image); the other branch's member never.
    let paths = [
        format!("/files/{cover}/thumb"),
        format!("/files/{cover}"),
        format!("/files/{photo}"),
    ];
    for path in &paths {
        assert_eq!(app.get_as(&sec_a, path).await.status(), 200, "{path}");
        assert_eq!(app.get_as(&mem_a, path).await.status(), 403, "draft {path}");
    }
    assert_eq!(publish(&app, &sec_a, &id, true).await.status(), 200);
    for path in &paths {
        let res = app.get_as(&mem_a, path).await;
        assert_eq!(res.status(), 200, "published {path}");
        assert!(header(&res, "content-type").starts_with("image/"), "{path}");
        assert_eq!(app.get_as(&mem_b, path).await.status(), 403, "other {path}");
    }
    // The list shows the cover to its readers.
    let row = list(&app, &mem_a, "带封面", "", 1).await.rows.remove(0);
    assert_eq!(row.cover, cover);
    // An image taken out of the article is no longer the readers'.
    let input = ArticleInput {
        chapter: ch.clone(),
        id: item.clone(),
        title: "学习合影".into(),
        body: "支部集中学习（图片已删去）。".into(),
        ..ArticleInput::default()
    };
    let res = app.call_fn(&sec_a, SaveArticle { input }).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(app.get_as(&mem_a, &paths[2]).await.status(), 403);
    // Nor is the cover once the course is back to a draft; and a cover can be removed.
    assert_eq!(publish(&app, &sec_a, &id, false).await.status(), 200);
    assert_eq!(app.get_as(&mem_a, &paths[0]).await.status(), 403);
    let input = CourseInput {
        id: id.clone(),
        ..course(&a, "带封面的课程")
    };
    assert_eq!(
        app.call_fn(&sec_a, SaveCourse { input }).await.status(),
        200
    );
    let view: CourseView = get(&app, &sec_a, &id).await.json().await.unwrap();
    assert_eq!(view.cover, "");

    // Who may fetch an image is decided by indexes, not by reading every item or course.
    for (sql, index) in [
        (
            "EXPLAIN SELECT VALUE item.course.org FROM item_image
                 WHERE file = $file AND item.course.state = 'published'",
            "item_image_file",
        ),
        (
            "EXPLAIN SELECT id FROM item_image WHERE item = $file",
            "item_image_item",
        ),
        (
            "EXPLAIN SELECT VALUE org FROM course WHERE cover = $file AND state = 'published'",
            "course_cover",
        ),
    ] {
        let plan: surrealdb::types::Value = app
            .state
            .db
            .query(sql)
            .bind((
                "file",
                surrealdb::types::RecordId::new("file", photo.as_str()),
            ))
            .await
            .unwrap()
            .take(0)
            .unwrap();
        let plan = format!("{plan:?}");
        assert!(plan.contains(index), "{sql}: {plan}");
    }
}

#[tokio::test]
async fn the_demo_courses_show_covers_and_a_photo_their_members_may_fetch() {
    use app::server::demo::learning::{DEMO_COURSE, DEMO_IMAGE};
    let app = crate::support::spawn_demo_app().await;
    let member = app.session_cookie("member").await;
    let page = list(&app, &member, "", "", 1).await;
    let covered: Vec<&str> = page
        .rows
        .iter()
        .filter(|r| !r.cover.is_empty())
        .map(|r| r.cover.as_str())
        .collect();
    assert!(
        !covered.is_empty() && covered.len() < page.rows.len(),
        "{covered:?}"
    );
    for cover in covered {
        let res = app.get_as(&member, &format!("/files/{cover}/thumb")).await;
        assert_eq!(res.status(), 200, "{cover}");
    }
    let first = item_view(&app, &member, &format!("{DEMO_COURSE}c0i0")).await;
    assert!(
        first.html.contains(&format!("/files/{DEMO_IMAGE}")),
        "{}",
        first.html
    );
    let res = app.get_as(&member, &format!("/files/{DEMO_IMAGE}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "image/png");
}
