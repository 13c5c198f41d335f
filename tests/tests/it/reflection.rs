//! The yearly learning-reflection exchange (issue 15): a member writes one reflection a
//! year (a second save changes it); only their branch's committee (or the office) reads
//! it and may share it; the branch's members then read what was shared, another branch's
//! members never.

use app::access::Role;
use app::api::reflection::{ListReflections, SaveReflection, ShareReflection};
use app::models::org::OrgKind;
use app::models::reflection::{ReflectionInput, ReflectionView, ReflectionsPage, ShareInput};

use crate::support::{Fixture, TestApp, spawn_app};

async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn page(app: &TestApp, cookie: &str) -> ReflectionsPage {
    ok(app.call_fn(cookie, ListReflections { year: 0 }).await).await
}

fn write(title: &str, body: &str) -> SaveReflection {
    SaveReflection {
        input: ReflectionInput {
            title: title.into(),
            body: body.into(),
        },
    }
}

const BODY: &str =
    "通过学习党章，我更加明确了党员的义务。\n在临床一线，我要把患者放在心上，做到廉洁行医。";

#[tokio::test]
async fn a_reflection_is_written_once_a_year_and_shared_only_within_its_branch() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("心得党委", OrgKind::Committee, None).await;
    let a = fx.org("心得第一党支部", OrgKind::Branch, Some(&root)).await;
    let b = fx.org("心得第二党支部", OrgKind::Branch, Some(&root)).await;
    let in_a = fx.members(&a, 2).await;
    let in_b = fx.members(&b, 1).await;
    let office = app.session_cookie("office").await;
    let sec_a = fx
        .account("rf_sec_a", Role::BranchCommittee, &[&a], None)
        .await;
    let sec_b = fx
        .account("rf_sec_b", Role::BranchCommittee, &[&b], None)
        .await;
    let m1 = fx.account("rf_m1", Role::Member, &[], Some(&in_a[0])).await;
    let m2 = fx.account("rf_m2", Role::Member, &[], Some(&in_a[1])).await;
    let mb = fx.account("rf_mb", Role::Member, &[], Some(&in_b[0])).await;

    // Bad input is refused by field and stores nothing; an account without a member record
    // writes none.
    let before = app.count("reflection").await;
    let res = app.call_fn(&m1, write("", BODY)).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("title"));
    let res = app.call_fn(&m1, write("体会", "太短。")).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("body"));
    let res = app.call_fn(&office, write("体会", BODY)).await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("reflection").await, before);

    // Written, then changed: one a year.
    let first: ReflectionView = ok(app.call_fn(&m1, write("学习党章的体会", BODY)).await).await;
    assert!(!first.shared);
    let changed: ReflectionView = ok(app
        .call_fn(&m1, write("学习党章的体会（修改）", BODY))
        .await)
    .await;
    assert_eq!(changed.id, first.id);
    assert_eq!(app.count("reflection").await, before + 1);
    let mine = page(&app, &m1).await;
    assert!(mine.can_write && !mine.can_select);
    assert_eq!(mine.mine.unwrap().title, "学习党章的体会（修改）");

    // Not shared yet: the other member reads nothing of it; the branch's committee and the
    // office do; the other branch's committee does not.
    assert!(page(&app, &m2).await.shared.is_empty());
    let theirs = page(&app, &sec_a).await;
    assert!(theirs.can_select);
    assert!(theirs.in_reach.iter().any(|r| r.id == first.id));
    assert!(
        page(&app, &office)
            .await
            .in_reach
            .iter()
            .any(|r| r.id == first.id)
    );
    assert!(
        page(&app, &sec_b)
            .await
            .in_reach
            .iter()
            .all(|r| r.id != first.id)
    );

    // Only its own committee (or the office) shares it; a member shares nothing.
    let share = |shared: bool| ShareReflection {
        input: ShareInput {
            id: first.id.clone(),
            shared,
        },
    };
    assert_eq!(app.call_fn(&sec_b, share(true)).await.status(), 403);
    assert_eq!(app.call_fn(&m2, share(true)).await.status(), 403);
    let shared: ReflectionView = ok(app.call_fn(&sec_a, share(true)).await).await;
    assert!(shared.shared);

    // Shared: the branch reads it, the other branch does not; changing it keeps it shared.
    let seen = page(&app, &m2).await.shared;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].title, "学习党章的体会（修改）");
    assert!(seen[0].body.contains("廉洁行医"));
    assert!(page(&app, &mb).await.shared.is_empty());
    let again: ReflectionView = ok(app.call_fn(&m1, write("学习党章的体会", BODY)).await).await;
    assert!(again.shared);
    let html = app
        .get_as(&m2, "/learning/reflections")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("支部交流") && html.contains("廉洁行医"),
        "{html}"
    );

    // Taken back: gone from the branch's list.
    let _: ReflectionView = ok(app.call_fn(&sec_a, share(false)).await).await;
    assert!(page(&app, &m2).await.shared.is_empty());
    assert!(!app.audit("update").await.is_empty());
}
