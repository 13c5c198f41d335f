//! The member roster: search, filters, counts, paging, scope, and contact updates with
//! history.

use app::models::member::{MemberPage, MemberProfile};

use crate::support::{TestApp, spawn_app};

async fn roster(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let mut form = form.to_vec();
    form.push(("query[page]", "1"));
    let res = app.call_as(cookie, "list_members", &form).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

fn page(body: &str) -> MemberPage {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn the_office_finds_members_by_name_pinyin_initials_and_id_tail() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let (_, body) = roster(&app, &office, &[]).await;
    let all = page(&body);
    assert!(all.total > 700, "the demo hospital: {}", all.total);
    assert_eq!(all.total, all.full + all.probationary);
    assert_eq!(all.members.len(), 20, "first page");
    assert!(
        all.members
            .iter()
            .all(|m| m.id_number_masked.contains("********"))
    );

    // Pick a member and find them three ways.
    let target = &all.members[3];
    let profile: MemberProfile = app
        .call_as(&office, "get_member", &[("id", &target.id)])
        .await
        .json()
        .await
        .unwrap();
    let initials = app::server::repo::member::name_initials(&target.name);
    for q in [target.name.as_str(), initials.as_str()] {
        let found = page(&roster(&app, &office, &[("query[q]", q)]).await.1);
        assert!(found.members.iter().any(|m| m.id == target.id), "{q}");
        assert!(found.total < all.total, "{q} narrows the list");
    }
    let full_id: String = app
        .call_as(
            &office,
            "reveal_member_field",
            &[("id", &target.id), ("field", "id_number")],
        )
        .await
        .json()
        .await
        .unwrap();
    let tail = &full_id[12..];
    let found = page(&roster(&app, &office, &[("query[q]", tail)]).await.1);
    assert!(
        found.members.iter().any(|m| m.id == target.id),
        "by ID tail {tail}"
    );
    assert_eq!(profile.name, target.name);

    let prob = page(
        &roster(&app, &office, &[("query[status]", "probationary")])
            .await
            .1,
    );
    assert_eq!(prob.total, all.probationary);
    assert!(prob.members.iter().all(|m| m.status == "probationary"));
    let floating = page(
        &roster(&app, &office, &[("query[flag]", "floating")])
            .await
            .1,
    );
    assert!(
        floating.total > 0
            && floating
                .members
                .iter()
                .all(|m| m.flags.contains(&"floating".into()))
    );
}

#[tokio::test]
async fn a_branch_secretary_lists_and_changes_only_the_own_branch() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let own = page(&roster(&app, &secretary, &[]).await.1);
    assert!(own.total > 0);
    assert!(
        own.members.iter().all(|m| m.org_id == "o0003"),
        "only the own branch"
    );

    let office = app.session_cookie("office").await;
    let others = page(&roster(&app, &office, &[("query[sort]", "org")]).await.1);
    let stranger = others
        .members
        .iter()
        .find(|m| m.org_id != "o0003")
        .expect("a member elsewhere")
        .clone();
    let (status, body) = roster(&app, &secretary, &[("query[org]", &stranger.org_id)]).await;
    assert_eq!(status, 403, "{body}");
    let res = app
        .call_as(
            &secretary,
            "update_member_phone",
            &[("input[id]", &stranger.id), ("input[phone]", "13900001111")],
        )
        .await;
    assert_eq!(res.status(), 403, "cannot change another branch's member");

    let mine = &own.members[0];
    let bad = app
        .call_as(
            &secretary,
            "update_member_phone",
            &[("input[id]", &mine.id), ("input[phone]", "12345")],
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("11 位"));
    let ok = app
        .call_as(
            &secretary,
            "update_member_phone",
            &[
                ("input[id]", &mine.id),
                ("input[phone]", "13900001111"),
                ("input[reason]", "换号"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    let profile: MemberProfile = app
        .call_as(&secretary, "get_member", &[("id", &mine.id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile.phone_masked, "139****1111");
    let last = profile.history.last().expect("a history line");
    assert_eq!(
        (
            last.kind.as_str(),
            last.reason.as_str(),
            last.actor.as_str()
        ),
        ("contact", "换号", "secretary")
    );
    let audit = app.audit("update").await;
    assert!(audit.iter().any(|e| e.entity == "member"
        && e.entity_id == mine.id
        && !e.summary.contains("13900001111")));

    let member = app.session_cookie("member").await;
    let (status, _) = roster(&app, &member, &[]).await;
    assert_eq!(status, 403, "members have no roster");
}
