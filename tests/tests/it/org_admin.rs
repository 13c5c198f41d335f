//! Organisation administration: create, rename, move and dissolve with the structure
//! rules; departments and committee terms; seats. Every change leaves history and an
//! audit entry, and a refused change writes nothing.

use app::models::org::{OrgDetail, OrgHistory, OrgKind, OrgNode, Position, TermStatus};

use crate::support::{TestApp, spawn_app};

async fn tree(app: &TestApp, cookie: &str) -> Vec<OrgNode> {
    app.call_as(cookie, "get_org_tree", &[])
        .await
        .json()
        .await
        .unwrap()
}

async fn detail(app: &TestApp, cookie: &str, id: &str) -> reqwest::Response {
    app.call_as(cookie, "get_org_detail", &[("query[id]", id)])
        .await
}

async fn org_count(app: &TestApp) -> i64 {
    let mut res = app
        .state
        .db
        .query("SELECT count() AS n FROM org GROUP ALL")
        .await
        .unwrap();
    let n: Option<i64> = res.take((0, "n")).unwrap();
    n.unwrap_or(0)
}

async fn message(res: reqwest::Response) -> String {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 400, "a validation error: {text}");
    text
}

fn find<'a>(forest: &'a [OrgNode], name: &str) -> Option<&'a OrgNode> {
    forest
        .iter()
        .flat_map(|n| n.walk())
        .find(|n| n.name == name)
}

#[tokio::test]
async fn office_creates_renames_moves_and_dissolves_with_history() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let res = app
        .call_as(
            &office,
            "create_org",
            &[
                ("input[parent]", "o0001"),
                ("input[kind]", "branch"),
                ("input[name]", "肿瘤内科第九党支部"),
                ("input[category]", "clinical"),
                ("input[departments]", "肿瘤内科九病区、日间病房"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let key: String = res.json().await.unwrap();
    let forest = tree(&app, &office).await;
    let node = find(&forest, "肿瘤内科第九党支部").expect("in the tree");
    assert_eq!(node.id, key);
    assert_eq!(node.kind, OrgKind::Branch);
    let d: OrgDetail = detail(&app, &office, &key).await.json().await.unwrap();
    assert_eq!(d.parent.unwrap().id, "o0001");
    assert_eq!(d.departments, vec!["肿瘤内科九病区", "日间病房"]);
    assert_eq!(d.history.len(), 1);
    assert_eq!(d.history[0].what.kind(), "created");
    assert!(app.audit("create").await.iter().any(|e| e.entity_id == key));

    // Rename, then move to the committee with a reason.
    let res = app
        .call_as(
            &office,
            "change_org",
            &[
                ("input[id]", &key),
                ("input[action]", "rename"),
                ("input[value]", "日间病房党支部"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let no_reason = app
        .call_as(
            &office,
            "change_org",
            &[
                ("input[id]", &key),
                ("input[action]", "move"),
                ("input[value]", "o0000"),
            ],
        )
        .await;
    assert!(message(no_reason).await.contains("原因"));
    let res = app
        .call_as(
            &office,
            "change_org",
            &[
                ("input[id]", &key),
                ("input[action]", "move"),
                ("input[value]", "o0000"),
                ("input[reason]", "院党委直属"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let d: OrgDetail = detail(&app, &office, &key).await.json().await.unwrap();
    assert_eq!(d.name, "日间病房党支部");
    assert_eq!(d.parent.unwrap().id, "o0000");
    let kinds: Vec<&str> = d.history.iter().map(|e| e.what.kind()).collect();
    assert_eq!(kinds, ["created", "renamed", "moved"]);
    assert_eq!(d.history[2].reason, "院党委直属");
    assert!(
        matches!(&d.history[2].what, OrgHistory::Moved { from, to }
            if from == "内科党总支" && to.ends_with("党委")),
        "{:?}",
        d.history[2].what
    );

    // Dissolve: gone from the tree and the detail, history kept.
    let res = app
        .call_as(
            &office,
            "change_org",
            &[
                ("input[id]", &key),
                ("input[action]", "dissolve"),
                ("input[reason]", "病区合并"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(find(&tree(&app, &office).await, "日间病房党支部").is_none());
    assert_eq!(detail(&app, &office, &key).await.status(), 404);
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE what.kind FROM org_event WHERE org = type::record('org', $k) ORDER BY at",
        )
        .bind(("k", key.clone()))
        .await
        .unwrap();
    let kinds: Vec<String> = res.take(0).unwrap();
    assert_eq!(kinds, ["created", "renamed", "moved", "dissolved"]);
    app.stop().await;
}

#[tokio::test]
async fn structure_rules_refuse_with_the_rule_named_and_write_nothing() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let before = org_count(&app).await;
    let create =
        |parent: &'static str, kind: &'static str, name: &'static str, category: &'static str| {
            let app = &app;
            let office = office.clone();
            async move {
                app.call_as(
                    &office,
                    "create_org",
                    &[
                        ("input[parent]", parent),
                        ("input[kind]", kind),
                        ("input[name]", name),
                        ("input[category]", category),
                    ],
                )
                .await
            }
        };
    // A Party group sits in a branch, not under the committee.
    let text = message(create("o0000", "group", "第一党小组", "").await).await;
    assert!(text.contains("党小组不能直接设在党委之下"), "{text}");
    // The committee is the root.
    assert!(
        message(create("o0000", "committee", "另一个党委", "").await)
            .await
            .contains("根")
    );
    // A branch needs a category; names are unique under one parent; the parent must exist.
    assert!(
        message(create("o0001", "branch", "新支部", "").await)
            .await
            .contains("类别")
    );
    let forest = tree(&app, &office).await;
    let taken = forest[0]
        .walk()
        .into_iter()
        .find(|n| n.id == "o0003")
        .unwrap()
        .name
        .clone();
    let res = app
        .call_as(
            &office,
            "create_org",
            &[
                ("input[parent]", "o0001"),
                ("input[kind]", "branch"),
                ("input[name]", &taken),
                ("input[category]", "clinical"),
            ],
        )
        .await;
    assert!(message(res).await.contains("同名"));
    assert!(
        message(create("nowhere", "branch", "新支部", "clinical").await)
            .await
            .contains("上级")
    );
    assert_eq!(org_count(&app).await, before, "nothing was created");

    // Moving a general branch under its own branch; dissolving a branch with members or
    // children; moving the root.
    let change = |id: &'static str, action: &'static str, value: &'static str| {
        let app = &app;
        let office = office.clone();
        async move {
            app.call_as(
                &office,
                "change_org",
                &[
                    ("input[id]", id),
                    ("input[action]", action),
                    ("input[value]", value),
                    ("input[reason]", "测试"),
                ],
            )
            .await
        }
    };
    assert!(
        message(change("o0001", "move", "o0003").await)
            .await
            .contains("下级组织之下")
    );
    let text = message(change("o0003", "dissolve", "").await).await;
    assert!(text.contains("名党员"), "{text}");
    let text = message(change("o0001", "dissolve", "").await).await;
    assert!(text.contains("下级组织"), "{text}");
    assert!(
        message(change("o0000", "dissolve", "").await)
            .await
            .contains("根")
    );
    let d: OrgDetail = detail(&app, &office, "o0003").await.json().await.unwrap();
    assert_eq!(d.name, taken, "unchanged");
    assert!(d.history.is_empty(), "refusals leave no history");
    app.stop().await;
}

#[tokio::test]
async fn branch_committee_keeps_its_term_and_departments_but_not_the_structure() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let res = app
        .call_as(
            &secretary,
            "create_org",
            &[
                ("input[parent]", "o0003"),
                ("input[kind]", "group"),
                ("input[name]", "x"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);

    // A term that started 2 years and 10 months ago: 换届 is due within 90 days.
    let today = chrono::Utc::now().date_naive();
    let start = today - chrono::Duration::days(3 * 365 - 60);
    let res = app
        .call_as(
            &secretary,
            "update_branch",
            &[
                ("input[id]", "o0003"),
                ("input[action]", "term"),
                ("input[value]", &start.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let d: OrgDetail = detail(&app, &secretary, "o0003")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d.term_start, Some(start));
    assert!(
        matches!(d.term, TermStatus::DueSoon { days } if (55..=65).contains(&days)),
        "{:?}",
        d.term
    );

    // Four years ago: overdue.
    let start = today - chrono::Duration::days(4 * 365);
    app.call_as(
        &secretary,
        "update_branch",
        &[
            ("input[id]", "o0003"),
            ("input[action]", "term"),
            ("input[value]", &start.to_string()),
        ],
    )
    .await;
    let d: OrgDetail = detail(&app, &secretary, "o0003")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        matches!(d.term, TermStatus::Overdue { days } if days > 300),
        "{:?}",
        d.term
    );

    let res = app
        .call_as(
            &secretary,
            "update_branch",
            &[
                ("input[id]", "o0003"),
                ("input[action]", "departments"),
                ("input[value]", "肿瘤内科一病区，肿瘤内科二病区"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let d: OrgDetail = detail(&app, &secretary, "o0003")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d.departments, vec!["肿瘤内科一病区", "肿瘤内科二病区"]);
    let kinds: Vec<&str> = d.history.iter().map(|e| e.what.kind()).collect();
    assert_eq!(kinds, ["term", "term", "departments"]);

    // Another branch is out of scope, and the refusal is recorded.
    let res = app
        .call_as(
            &secretary,
            "update_branch",
            &[
                ("input[id]", "o0004"),
                ("input[action]", "departments"),
                ("input[value]", "x"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(
        app.audit("permission_denied")
            .await
            .iter()
            .any(|e| e.entity_id == "o0004")
    );
    app.stop().await;
}

#[derive(serde::Deserialize)]
struct Seat {
    id: String,
}

async fn members_of(app: &TestApp, org: &str) -> Vec<Seat> {
    let mut res = app
        .state
        .db
        .query("SELECT meta::id(id) AS id, name FROM member WHERE org = type::record('org', $o) ORDER BY name")
        .bind(("o", org.to_string()))
        .await
        .unwrap();
    let ids: Vec<String> = res.take((0, "id")).unwrap();
    ids.into_iter().map(|id| Seat { id }).collect()
}

#[tokio::test]
async fn seats_follow_committee_size_and_one_secretary_replaces_another() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let d: OrgDetail = detail(&app, &office, "o0003").await.json().await.unwrap();
    assert!(d.member_count >= 7);
    let old_secretary = d
        .committee
        .iter()
        .find(|s| s.position == Position::Secretary)
        .map(|s| s.member_id.clone())
        .expect("the demo branch has a secretary");
    let newcomer = members_of(&app, "o0003")
        .await
        .into_iter()
        .map(|s| s.id)
        .find(|id| !d.committee.iter().any(|s| &s.member_id == id))
        .unwrap();
    let res = app
        .call_as(
            &office,
            "assign_seat",
            &[
                ("input[member]", &newcomer),
                ("input[position]", "secretary"),
                ("input[dual_leader]", "true"),
                ("input[reason]", "支部换届选举"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let d: OrgDetail = detail(&app, &office, "o0003").await.json().await.unwrap();
    let secretaries: Vec<_> = d
        .committee
        .iter()
        .filter(|s| s.position == Position::Secretary)
        .collect();
    assert_eq!(secretaries.len(), 1);
    assert_eq!(secretaries[0].member_id, newcomer);
    assert!(secretaries[0].dual_leader);
    let old: app::models::member::MemberProfile = app
        .call_as(&office, "get_member", &[("id", &old_secretary)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(old.position, Position::Member);
    assert!(old.history.iter().any(|e| e.what
        == app::models::member::History::Position {
            from: "secretary".into(),
            to: "member".into()
        }));

    // A branch of three: no 组织委员.
    let small = app
        .call_as(
            &office,
            "create_org",
            &[
                ("input[parent]", "o0000"),
                ("input[kind]", "branch"),
                ("input[name]", "小支部"),
                ("input[category]", "admin"),
            ],
        )
        .await
        .json::<String>()
        .await
        .unwrap();
    let three: Vec<String> = members_of(&app, "o0004")
        .await
        .into_iter()
        .take(3)
        .map(|s| s.id)
        .collect();
    app.state
        .db
        .query("FOR $k IN $keys { UPDATE type::record('member', $k) SET org = type::record('org', $o), party_group = NONE, position = 'member' }")
        .bind(("keys", three.clone()))
        .bind(("o", small.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let res = app
        .call_as(
            &office,
            "assign_seat",
            &[
                ("input[member]", &three[0]),
                ("input[position]", "organization"),
            ],
        )
        .await;
    let text = message(res).await;
    assert!(text.contains("不足 7 人"), "{text}");
    let res = app
        .call_as(
            &office,
            "assign_seat",
            &[
                ("input[member]", &three[0]),
                ("input[position]", "secretary"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);

    // The secretary of o0003 cannot seat someone in another branch.
    let secretary = app.session_cookie("secretary").await;
    let res = app
        .call_as(
            &secretary,
            "assign_seat",
            &[
                ("input[member]", &three[1]),
                ("input[position]", "deputy_secretary"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    app.stop().await;
}

/// The scope authority holds the organisation structure in memory: a move through this
/// server changes who reaches what at once, and a write by another app server on the
/// same database (here: straight to the database, bypassing this server) within a
/// second, when the structure's version is read again.
#[tokio::test]
async fn a_moved_organisation_changes_scope_at_once_here_and_within_a_second_elsewhere() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    let create = |parent: &'static str, kind: &'static str, name: &'static str| {
        let (app, office) = (&app, &office);
        async move {
            let res = app
                .call_as(
                    office,
                    "create_org",
                    &[
                        ("input[parent]", parent),
                        ("input[kind]", kind),
                        ("input[name]", name),
                        ("input[category]", "clinical"),
                        ("input[departments]", ""),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200, "{name}");
            res.json::<String>().await.unwrap()
        }
    };
    let other = create("o0001", "branch", "作用域测试党支部").await;
    let group = app
        .call_as(
            &office,
            "create_org",
            &[
                ("input[parent]", other.as_str()),
                ("input[kind]", "group"),
                ("input[name]", "作用域测试党小组"),
                ("input[category]", ""),
                ("input[departments]", ""),
            ],
        )
        .await;
    assert_eq!(group.status(), 200);
    let group: String = group.json().await.unwrap();
    // Outside the secretary's branch (o0003): refused.
    assert_eq!(detail(&app, &secretary, &group).await.status(), 403);
    // Moved into it through this server: reached at once.
    let res = app
        .call_as(
            &office,
            "change_org",
            &[
                ("input[id]", group.as_str()),
                ("input[action]", "move"),
                ("input[value]", "o0003"),
                ("input[reason]", "调整党小组"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(detail(&app, &secretary, &group).await.status(), 200);
    // Moved back by "another server": reached no more once the version is read again.
    app.state
        .db
        .query("UPDATE type::record('org', $g) SET parent = type::record('org', $p)")
        .bind(("g", group.clone()))
        .bind(("p", other.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(detail(&app, &secretary, &group).await.status(), 403);
    app.stop().await;
}
