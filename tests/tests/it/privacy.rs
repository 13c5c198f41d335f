//! Personal data: ID and phone numbers travel masked; full values only within scope, and
//! every full view is in the audit trail.

use app::models::member::MemberProfile;

use crate::support::{TestApp, spawn_app};

async fn one(app: &TestApp, sql: &str) -> String {
    let mut res = app.state.db.query(sql).await.unwrap();
    let keys: Vec<String> = res.take(0).unwrap();
    keys.into_iter().next().expect(sql)
}

/// (the demo member's own record, another member of the same branch, a member elsewhere)
async fn three_members(app: &TestApp) -> (String, String, String) {
    let own = one(
        app,
        "SELECT VALUE record::id(member) FROM account WHERE username = 'member'",
    )
    .await;
    let same = one(
        app,
        "SELECT VALUE record::id(id) FROM member WHERE org = org:o0003 AND id != (SELECT VALUE member FROM ONLY account WHERE username = 'member' LIMIT 1) LIMIT 1",
    )
    .await;
    let other = one(
        app,
        "SELECT VALUE record::id(id) FROM member WHERE org != org:o0003 LIMIT 1",
    )
    .await;
    (own, same, other)
}

#[tokio::test]
async fn profiles_are_masked_and_each_role_reads_only_members_in_its_scope() {
    let app = spawn_app().await;
    let (own, same, other) = three_members(&app).await;
    for (user, expect) in [
        ("office", [true, true, true]),
        ("secretary", [true, true, false]),
        ("member", [true, false, false]),
    ] {
        let cookie = app.session_cookie(user).await;
        for (id, ok) in [&own, &same, &other].into_iter().zip(expect) {
            let res = app.call_as(&cookie, "get_member", &[("id", id)]).await;
            let status = res.status().as_u16();
            let body = res.text().await.unwrap();
            if ok {
                assert_eq!(status, 200, "{user} → {id}: {body}");
                let p: MemberProfile = serde_json::from_str(&body).unwrap();
                assert!(
                    p.id_number_masked.contains("********"),
                    "{}",
                    p.id_number_masked
                );
                assert!(p.phone_masked.contains("****"), "{}", p.phone_masked);
            } else {
                assert_eq!(status, 403, "{user} must not read {id}");
                assert!(body.contains("Forbidden") && body.len() < 100, "{body}");
            }
            let res = app
                .call_as(
                    &cookie,
                    "reveal_member_field",
                    &[("id", id), ("field", "id_number")],
                )
                .await;
            assert_eq!(
                res.status().as_u16(),
                if ok { 200 } else { 403 },
                "{user} reveal {id}"
            );
            if ok {
                let full: String = res.json().await.unwrap();
                assert_eq!(full.chars().count(), 18);
            }
        }
    }
    for user in ["sysadmin", "secadmin", "auditor"] {
        let cookie = app.session_cookie(user).await;
        let res = app.call_as(&cookie, "get_member", &[("id", &own)]).await;
        assert_eq!(res.status(), 403, "{user} does not browse personal data");
    }
}

#[tokio::test]
async fn every_full_view_is_audited_without_the_value() {
    let app = spawn_app().await;
    let (own, ..) = three_members(&app).await;
    let office = app.session_cookie("office").await;
    let res = app
        .call_as(
            &office,
            "reveal_member_field",
            &[("id", &own), ("field", "phone")],
        )
        .await;
    let phone: String = res.json().await.unwrap();
    let views = app.audit("view_full").await;
    assert_eq!(views.len(), 1);
    let v = &views[0];
    assert_eq!(
        (
            v.actor.as_str(),
            v.entity.as_str(),
            v.entity_id.as_str(),
            v.summary.as_str()
        ),
        ("office", "member", own.as_str(), "phone")
    );
    let all = app.audit("").await;
    assert!(
        all.iter().all(|e| !e.summary.contains(&phone)),
        "the value is never recorded"
    );
}
