//! Account administration, password changes and the separation of the three
//! administrative roles (三员分立).

use std::sync::Arc;

use app::models::account::{AccountPage, IssuedPassword, SessionInfo};
use app::server::auth::ManualClock;
use chrono::{Duration, TimeZone, Utc};

use crate::support::{
    DEMO_PASSWORD, TestApp, session_pair, spawn_app, spawn_app_with_clock, test_config,
};

async fn session_of(app: &TestApp, cookie: &str) -> Option<SessionInfo> {
    app.call_as(cookie, "get_session", &[])
        .await
        .json()
        .await
        .unwrap()
}

/// An `AccountInput` form: name fields, then `input[roles][i]` and `input[orgs][i]`.
async fn account_call(
    app: &TestApp,
    admin: &str,
    endpoint: &str,
    fields: &[(&str, &str)],
    roles: &[&str],
    orgs: &[&str],
) -> reqwest::Response {
    let mut form: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (format!("input[{k}]"), v.to_string()))
        .collect();
    for (list, items) in [("roles", roles), ("orgs", orgs)] {
        for (i, item) in items.iter().enumerate() {
            form.push((format!("input[{list}][{i}]"), item.to_string()));
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(admin, endpoint, &pairs).await
}

async fn create(app: &TestApp, admin: &str, username: &str, roles: &[&str]) -> reqwest::Response {
    let fields = [("username", username), ("display_name", "张三")];
    account_call(app, admin, "create_account", &fields, roles, &[]).await
}

async fn set_roles(
    app: &TestApp,
    admin: &str,
    username: &str,
    roles: &[&str],
    orgs: &[&str],
) -> u16 {
    let fields = [("username", username)];
    account_call(app, admin, "set_account_roles", &fields, roles, orgs)
        .await
        .status()
        .as_u16()
}

async fn change_password(
    app: &TestApp,
    cookie: &str,
    current: &str,
    new: &str,
) -> reqwest::Response {
    app.call_as(
        cookie,
        "change_password",
        &[
            ("input[current]", current),
            ("input[new_password]", new),
            ("input[confirm]", new),
        ],
    )
    .await
}

#[tokio::test]
async fn a_new_account_must_change_its_one_time_password_before_anything_else() {
    let app = spawn_app().await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let res = create(&app, &sysadmin, "zhang.san", &["member"]).await;
    assert_eq!(res.status(), 200);
    let issued: IssuedPassword = res.json().await.unwrap();
    assert_eq!(issued.username, "zhang.san");

    let res = app.login("zhang.san", &issued.password).await;
    assert_eq!(
        res.headers().get("location").map(|v| v.to_str().unwrap()),
        Some("/account/password")
    );
    let cookie = session_pair(&res).unwrap();
    assert!(
        session_of(&app, &cookie)
            .await
            .unwrap()
            .must_change_password
    );
    let blocked = app.call_as(&cookie, "get_org_tree", &[]).await;
    assert_eq!(blocked.status(), 403);
    assert!(
        blocked
            .text()
            .await
            .unwrap()
            .contains("PasswordChangeRequired")
    );

    let wrong = change_password(&app, &cookie, "not-it", "Xin-mima-2026").await;
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().await.unwrap().contains("\"current\""));
    let weak = change_password(&app, &cookie, &issued.password, "abcdefgh").await;
    assert_eq!(weak.status(), 400);
    assert!(weak.text().await.unwrap().contains("new_password"));
    let mismatch = app
        .call_as(
            &cookie,
            "change_password",
            &[
                ("input[current]", issued.password.as_str()),
                ("input[new_password]", "Xin-mima-2026"),
                ("input[confirm]", "Xin-mima-2027"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), 400);
    assert!(mismatch.text().await.unwrap().contains("confirm"));

    let ok = change_password(&app, &cookie, &issued.password, "Xin-mima-2026").await;
    assert!(
        ok.status().is_success() || ok.status().is_redirection(),
        "{}",
        ok.status()
    );
    assert!(
        !session_of(&app, &cookie)
            .await
            .unwrap()
            .must_change_password
    );
    assert_eq!(
        app.call_as(&cookie, "get_org_tree", &[]).await.status(),
        200
    );

    let created = app.audit("create").await;
    assert!(
        created
            .iter()
            .any(|e| e.actor == "sysadmin" && e.entity_id == "zhang.san")
    );
    let changes = app.audit("password_change").await;
    assert_eq!(
        changes
            .iter()
            .filter(|e| e.actor == "zhang.san" && e.outcome == "success")
            .count(),
        1
    );
    assert_eq!(
        changes
            .iter()
            .filter(|e| e.actor == "zhang.san" && e.outcome == "failure")
            .count(),
        1
    );
}

#[tokio::test]
async fn changing_a_password_ends_the_accounts_other_sessions() {
    let app = spawn_app().await;
    let here = app.session_cookie("member").await;
    let elsewhere = app.session_cookie("member").await;
    let ok = change_password(&app, &here, DEMO_PASSWORD, "Xin-mima-2026").await;
    assert!(ok.status().is_success() || ok.status().is_redirection());
    assert!(
        session_of(&app, &here).await.is_some(),
        "this session stays"
    );
    assert!(
        session_of(&app, &elsewhere).await.is_none(),
        "the other one ends"
    );
    assert!(session_pair(&app.login("member", "Xin-mima-2026").await).is_some());
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_refuses_sign_in_until_enabled() {
    let app = spawn_app().await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let member = app.session_cookie("member").await;
    let res = app
        .call_as(
            &sysadmin,
            "set_account_disabled",
            &[("username", "member"), ("disabled", "true")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(session_of(&app, &member).await.is_none());
    assert_eq!(app.login("member", DEMO_PASSWORD).await.status(), 401);
    let res = app
        .call_as(
            &sysadmin,
            "set_account_disabled",
            &[("username", "member"), ("disabled", "false")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(session_pair(&app.login("member", DEMO_PASSWORD).await).is_some());
    let updates = app.audit("update").await;
    assert!(
        updates
            .iter()
            .any(|e| e.entity_id == "member" && e.summary == "disabled")
    );
}

#[tokio::test]
async fn no_administrator_grants_itself_a_role_and_admin_roles_are_the_security_admins() {
    let app = spawn_app().await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let secadmin = app.session_cookie("secadmin").await;

    assert_eq!(
        set_roles(
            &app,
            &sysadmin,
            "sysadmin",
            &["system_admin", "security_auditor"],
            &[]
        )
        .await,
        403
    );
    assert_eq!(
        set_roles(
            &app,
            &secadmin,
            "secadmin",
            &["security_admin", "committee_office"],
            &[]
        )
        .await,
        403
    );
    assert_eq!(
        set_roles(
            &app,
            &sysadmin,
            "member",
            &["member", "security_auditor"],
            &[]
        )
        .await,
        403
    );
    assert_eq!(
        set_roles(
            &app,
            &secadmin,
            "member",
            &["system_admin", "security_auditor"],
            &[]
        )
        .await,
        400
    );
    assert_eq!(
        set_roles(
            &app,
            &secadmin,
            "member",
            &["member", "branch_committee"],
            &[]
        )
        .await,
        400
    );
    assert_eq!(
        set_roles(
            &app,
            &secadmin,
            "member",
            &["member", "branch_committee"],
            &["no-such-org"]
        )
        .await,
        400
    );
    assert_eq!(
        set_roles(
            &app,
            &sysadmin,
            "member",
            &["member", "branch_committee"],
            &["o0003"]
        )
        .await,
        200
    );
    assert_eq!(
        set_roles(
            &app,
            &secadmin,
            "member",
            &["member", "security_auditor"],
            &[]
        )
        .await,
        200
    );
    // Now that `member` holds an administrative role, only the security administrator manages it.
    let res = app
        .call_as(
            &sysadmin,
            "reset_account_password",
            &[("username", "member")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_as(
            &sysadmin,
            "reset_account_password",
            &[("username", "auditor")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_as(
            &secadmin,
            "reset_account_password",
            &[("username", "auditor")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let issued: IssuedPassword = res.json().await.unwrap();
    assert_ne!(issued.password, DEMO_PASSWORD);
    assert_eq!(
        app.login("auditor", DEMO_PASSWORD).await.status(),
        401,
        "old password gone"
    );
    let res = app
        .call_as(
            &secadmin,
            "reset_account_password",
            &[("username", "secadmin")],
        )
        .await;
    assert_eq!(res.status(), 403, "not one's own");

    let denials = app.audit("permission_denied").await;
    assert!(
        denials
            .iter()
            .any(|e| e.actor == "sysadmin" && e.entity == "account" && e.entity_id == "sysadmin")
    );
}

#[tokio::test]
async fn fields_the_caller_may_not_set_are_ignored() {
    let app = spawn_app().await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let res = app
        .call_as(
            &sysadmin,
            "create_account",
            &[
                ("input[username]", "li.si"),
                ("input[display_name]", "李四"),
                ("input[roles][0]", "member"),
                ("input[demo]", "true"),
                ("input[must_change_password]", "false"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page: AccountPage = app
        .call_as(
            &sysadmin,
            "list_accounts",
            &[("query[q]", "li.si"), ("query[page]", "1")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.accounts.len(), 1);
    assert!(page.accounts[0].must_change_password);
    assert!(!page.accounts[0].demo);
}

#[tokio::test]
async fn account_creation_reports_bad_names_and_taken_names_clearly() {
    let app = spawn_app().await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let bad = create(&app, &sysadmin, "张 三", &["member"]).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("username"));
    let taken = create(&app, &sysadmin, "office", &["member"]).await;
    assert_eq!(taken.status(), 400);
    assert!(taken.text().await.unwrap().contains("已存在"));
}

#[tokio::test]
async fn administrators_search_and_page_accounts_and_nobody_else_lists_them() {
    let app = spawn_app().await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let page: AccountPage = app
        .call_as(
            &sysadmin,
            "list_accounts",
            &[("query[q]", "SEC"), ("query[page]", "1")],
        )
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<_> = page.accounts.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(names, ["secadmin", "secretary"]);
    assert_eq!(page.total, 2);
    let secretary = &page.accounts[1];
    assert_eq!(secretary.orgs.len(), 1, "org names come with the keys");
    for user in ["office", "member", "auditor"] {
        let cookie = app.session_cookie(user).await;
        let res = app
            .call_as(&cookie, "list_accounts", &[("query[page]", "1")])
            .await;
        assert_eq!(res.status(), 403, "{user}");
    }
}

#[tokio::test]
async fn passwords_older_than_the_maximum_age_must_be_changed_except_demo_accounts() {
    let mut config = test_config();
    config.auth.password_max_age_days = 90;
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    let app = spawn_app_with_clock(config, Arc::new(clock.clone())).await;
    let sysadmin = app.session_cookie("sysadmin").await;
    let issued: IssuedPassword = create(&app, &sysadmin, "wang.wu", &["member"])
        .await
        .json()
        .await
        .unwrap();
    let cookie = session_pair(&app.login("wang.wu", &issued.password).await).unwrap();
    change_password(&app, &cookie, &issued.password, "Xin-mima-2026").await;
    clock.advance(Duration::days(91));
    let cookie = session_pair(&app.login("wang.wu", "Xin-mima-2026").await).unwrap();
    assert!(
        session_of(&app, &cookie)
            .await
            .unwrap()
            .must_change_password
    );
    let demo = app.session_cookie("member").await;
    assert!(!session_of(&app, &demo).await.unwrap().must_change_password);
}

#[tokio::test]
async fn one_address_with_many_failures_waits_but_only_failures_count() {
    let mut config = test_config();
    config.auth.address_failure_threshold = 3;
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    let app = spawn_app_with_clock(config, Arc::new(clock.clone())).await;
    // Many correct sign-ins from one address (a meeting room of tablets) never count.
    for _ in 0..5 {
        assert!(session_pair(&app.login("member", DEMO_PASSWORD).await).is_some());
    }
    for name in ["a1", "a2", "a3"] {
        assert_eq!(app.login(name, "Wrong-password-1").await.status(), 401);
    }
    let res = app.login("office", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("TooManyAttempts"));
    clock.advance(Duration::minutes(15));
    assert!(session_pair(&app.login("office", DEMO_PASSWORD).await).is_some());
}
