//! Tests that build their own small hospital with `Fixture` instead of loading the demo,
//! and call server functions with their own argument types (`TestApp::call_fn`).

use app::access::Role;
use app::api::member::{GetMember, ListMembers};
use app::models::member::{MemberPage, MemberQuery};
use app::models::org::OrgKind;

use crate::support::{Fixture, spawn_empty_app};

#[tokio::test]
async fn a_secretary_built_from_fixtures_sees_their_branch_and_nothing_else() {
    let app = spawn_empty_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("测试医院党委", OrgKind::Committee, None).await;
    let ours = fx.org("内科第一党支部", OrgKind::Branch, Some(&root)).await;
    let theirs = fx.org("外科第一党支部", OrgKind::Branch, Some(&root)).await;
    let our_people = fx.members(&ours, 3).await;
    let their_people = fx.members(&theirs, 2).await;
    let secretary = fx
        .account("fx-secretary", Role::BranchCommittee, &[&ours], None)
        .await;
    let office = fx
        .account("fx-office", Role::CommitteeOffice, &[], None)
        .await;

    let list = |cookie: String| {
        let app = &app;
        async move {
            let res = app
                .call_fn(
                    &cookie,
                    ListMembers {
                        query: MemberQuery {
                            page: 1,
                            ..Default::default()
                        },
                    },
                )
                .await;
            assert_eq!(res.status(), 200);
            res.json::<MemberPage>().await.expect("a member page")
        }
    };
    let seen = list(secretary.clone()).await;
    assert_eq!(seen.total, 3, "the secretary's branch only");
    let mut ids: Vec<_> = seen.members.iter().map(|m| m.id.clone()).collect();
    ids.sort();
    let mut expected = our_people.clone();
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(list(office).await.total, 5, "the office sees the hospital");

    // A record of the other branch is refused, and the refusal is recorded.
    let res = app
        .call_fn(
            &secretary,
            GetMember {
                id: their_people[0].clone(),
            },
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_fn(
            &secretary,
            GetMember {
                id: our_people[0].clone(),
            },
        )
        .await;
    assert_eq!(res.status(), 200);
    app.stop().await;
}

/// Domain history (`history::write`) lands every concurrent write in its own transaction
/// and leaves the security trail alone.
#[tokio::test]
async fn concurrent_domain_history_writes_all_land_without_touching_the_trail() {
    let app = spawn_empty_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("测试医院党委", OrgKind::Committee, None).await;
    let branch = fx.org("内科第一党支部", OrgKind::Branch, Some(&root)).await;
    let people = fx.members(&branch, 10).await;
    let trail = || async {
        let mut res = app
            .state
            .db
            .query("SELECT count() AS n FROM audit GROUP ALL")
            .await
            .expect("counted");
        res.take::<Option<i64>>((0, "n")).expect("a count")
    };
    let attended = || async {
        let mut res = app
            .state
            .db
            .query("SELECT count() AS n FROM member_event WHERE kind = 'attended' GROUP ALL")
            .await
            .expect("counted");
        res.take::<Option<i64>>((0, "n")).expect("a count")
    };
    let trail_before = trail().await;
    let writes = (0..50).map(|n| {
        let db = app.state.db.clone();
        let member = surrealdb::types::RecordId::new("member", people[n % 10].as_str());
        let now = app.state.clock.now();
        tokio::spawn(async move {
            let change = app::server::audit::Change::new(
                "CREATE member_event CONTENT {
                    member: $member, kind: 'attended', what: { kind: 'note', text: $detail }, actor: 'tablet', at: $at
                }",
            )
            .bind("member", member)
            .bind("detail", format!("sign-in {n}"))
            .bind("at", now);
            app::server::history::write(&db, &change).await
        })
    });
    for w in writes.collect::<Vec<_>>() {
        w.await.expect("writer").expect("written");
    }
    assert_eq!(attended().await, Some(50));
    assert_eq!(trail().await, trail_before, "no trail entries");

    // A failing statement rolls the whole change back.
    let bad = app::server::audit::Change::new(
        "CREATE member_event CONTENT {
            member: $member, kind: 'attended', what: { kind: 'note', text: 'x' }, actor: 'tablet', at: $at
        };
        CREATE member_event CONTENT { member: 'not a record' }",
    )
    .bind(
        "member",
        surrealdb::types::RecordId::new("member", people[0].as_str()),
    )
    .bind("at", app.state.clock.now());
    assert!(
        app::server::history::write(&app.state.db, &bad)
            .await
            .is_err()
    );
    assert_eq!(
        attended().await,
        Some(50),
        "nothing of the failed change remains"
    );
    app.stop().await;
}
