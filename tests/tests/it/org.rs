use app::models::org::{OrgDetail, OrgKind, OrgNode};
use app::server::demo::HOSPITAL_COMMITTEE;

use crate::support::spawn_app;

async fn member_total(app: &crate::support::TestApp) -> u32 {
    let mut res = app
        .state
        .db
        .query("SELECT count() AS n FROM member WHERE standing = 'active' GROUP ALL")
        .await
        .unwrap();
    let n: Option<i64> = res.take((0, "n")).unwrap();
    n.unwrap_or(0) as u32
}

#[tokio::test]
async fn org_tree_returns_the_demo_hospital_with_counts() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let res = app.call_as(&office, "get_org_tree", &[]).await;
    assert_eq!(res.status(), 200);
    let forest: Vec<OrgNode> = res.json().await.unwrap();
    assert_eq!(forest.len(), 1, "one committee at the root");
    let root = &forest[0];
    assert_eq!(root.kind, OrgKind::Committee);
    assert_eq!(root.name, HOSPITAL_COMMITTEE);
    assert_eq!(root.total_members, member_total(&app).await);

    let all = root.walk();
    let of = |k: OrgKind| all.iter().filter(|n| n.kind == k).count();
    assert_eq!(of(OrgKind::GeneralBranch), 2);
    assert_eq!(of(OrgKind::Branch), 31);
    assert!(of(OrgKind::Group) > 0);
    // Every branch's count is the sum over its own members, and sums add up to the root.
    let branch_sum: u32 = all
        .iter()
        .filter(|n| n.kind == OrgKind::Branch)
        .map(|n| n.total_members)
        .sum();
    assert_eq!(branch_sum, root.total_members);
}

#[tokio::test]
async fn org_detail_shows_parent_counts_and_committee() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let forest: Vec<OrgNode> = app
        .call_as(&office, "get_org_tree", &[])
        .await
        .json()
        .await
        .unwrap();
    let branch = forest[0]
        .walk()
        .into_iter()
        .find(|n| n.kind == OrgKind::Branch && n.total_members >= 7)
        .cloned()
        .expect("a branch with a committee");

    let res = app
        .call_as(&office, "get_org_detail", &[("query[id]", &branch.id)])
        .await;
    assert_eq!(res.status(), 200);
    let detail: OrgDetail = res.json().await.unwrap();
    assert_eq!(detail.name, branch.name);
    assert_eq!(detail.member_count, branch.total_members);
    assert_eq!(
        detail.full_members + detail.probationary_members,
        detail.member_count
    );
    assert!(detail.parent.is_some());
    assert!(!detail.departments.is_empty());
    assert!(
        detail
            .committee
            .iter()
            .any(|s| s.position == app::models::org::Position::Secretary),
        "{:?}",
        detail.committee
    );
}

#[tokio::test]
async fn org_detail_of_an_unknown_or_malformed_id_is_404_without_detail() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    for id in ["o9999", "org:o0000", "x' OR 1=1", ""] {
        let res = app
            .call_as(&office, "get_org_detail", &[("query[id]", id)])
            .await;
        assert_eq!(res.status(), 404, "id {id:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains("NotFound"), "{body}");
        assert!(!body.to_lowercase().contains("surreal"), "{body}");
    }
}

#[tokio::test]
async fn a_database_failure_is_a_500_that_reveals_nothing() {
    let app = spawn_app().await;
    // A row the repository cannot read stands in for any database-side failure.
    app.state
        .db
        .query("DEFINE FIELD OVERWRITE kind ON org TYPE any; UPDATE org:o0001 SET kind = 5;")
        .await
        .unwrap()
        .check()
        .unwrap();

    let office = app.session_cookie("office").await;
    let res = app.call_as(&office, "get_org_tree", &[]).await;
    assert_eq!(res.status(), 500);
    let body = res.text().await.unwrap();
    assert!(body.contains("Internal"), "{body}");
    assert!(
        !body.contains("xpected") && !body.contains("org:"),
        "no detail leaks: {body}"
    );

    let page = app.get_as(&office, "/org").await;
    assert_eq!(page.status(), 500, "the page carries the real status");
    let html = page.text().await.unwrap();
    assert!(html.contains("服务器出现问题"), "a readable message");
}
