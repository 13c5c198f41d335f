use std::sync::Arc;

use app::models::account::SessionInfo;
use app::server::auth::ManualClock;
use chrono::{Duration, TimeZone, Utc};

use crate::support::{
    DEMO_PASSWORD, TestApp, session_pair, spawn_app, spawn_app_with_clock, test_config,
};

async fn session_of(app: &TestApp, cookie: &str) -> Option<SessionInfo> {
    let res = app.call_as(cookie, "get_session", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn app_with_clock() -> (TestApp, ManualClock) {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    let app = spawn_app_with_clock(test_config(), Arc::new(clock.clone())).await;
    (app, clock)
}

#[tokio::test]
async fn signing_in_sets_an_http_only_cookie_and_a_session() {
    let app = spawn_app().await;
    let res = app.login("office", DEMO_PASSWORD).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let set_cookie: Vec<_> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = set_cookie
        .iter()
        .find(|c| c.starts_with("zhibu_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain HTTP in tests");

    let cookie = session_pair(&res).unwrap();
    let info = session_of(&app, &cookie).await.expect("signed in");
    assert_eq!(info.username, "office");
    assert_eq!(info.roles, vec![app::access::Role::CommitteeOffice]);

    // Only the token's hash is stored.
    let token = cookie.trim_start_matches("zhibu_session=");
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(id) FROM session")
        .await
        .unwrap();
    let keys: Vec<String> = res.take(0).unwrap();
    assert_eq!(keys.len(), 1);
    assert_ne!(keys[0], token);
    assert_eq!(keys[0], app::server::auth::token_key(token));
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app.login("office", "Wrong-password-1").await;
    let (s1, b1) = (wrong.status(), wrong.text().await.unwrap());
    let unknown = app.login("nobody-here", "Wrong-password-1").await;
    let (s2, b2) = (unknown.status(), unknown.text().await.unwrap());
    assert_eq!(s1, 401);
    assert_eq!((s1, &b1), (s2, &b2), "no hint whether the account exists");
    assert!(b1.contains("InvalidCredentials"), "{b1}");
}

#[tokio::test]
async fn empty_input_is_a_clear_validation_error() {
    let app = spawn_app().await;
    let res = app.login("  ", "").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("请输入账号和密码"));
}

#[tokio::test]
async fn five_failures_lock_the_account_until_the_window_passes() {
    let (app, clock) = app_with_clock().await;
    for _ in 0..5 {
        assert_eq!(
            app.login("secretary", "Wrong-password-1").await.status(),
            401
        );
    }
    // Locked: even the right password is refused, with the same message.
    let locked = app.login("secretary", DEMO_PASSWORD).await;
    assert_eq!(locked.status(), 401);
    assert!(session_pair(&locked).is_none());

    clock.advance(Duration::minutes(14));
    assert_eq!(
        app.login("secretary", DEMO_PASSWORD).await.status(),
        401,
        "still locked at 14 min"
    );
    clock.advance(Duration::minutes(1));
    let ok = app.login("secretary", DEMO_PASSWORD).await;
    assert!(
        session_pair(&ok).is_some(),
        "unlocked after 15 minutes: {}",
        ok.status()
    );
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes() {
    let (app, clock) = app_with_clock().await;
    let cookie = app.session_cookie("member").await;
    clock.advance(Duration::minutes(29));
    assert!(
        session_of(&app, &cookie).await.is_some(),
        "29 minutes idle is fine"
    );
    clock.advance(Duration::minutes(29));
    assert!(
        session_of(&app, &cookie).await.is_some(),
        "activity extends the session"
    );
    clock.advance(Duration::minutes(30));
    assert!(
        session_of(&app, &cookie).await.is_none(),
        "30 idle minutes end it"
    );
}

#[tokio::test]
async fn sessions_end_after_twelve_hours_however_active() {
    let (app, clock) = app_with_clock().await;
    let cookie = app.session_cookie("member").await;
    for _ in 0..35 {
        clock.advance(Duration::minutes(20));
        assert!(session_of(&app, &cookie).await.is_some());
    }
    clock.advance(Duration::minutes(20)); // 12 hours since sign-in
    assert!(session_of(&app, &cookie).await.is_none());
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id_and_drops_a_planted_one() {
    let app = spawn_app().await;
    let victim = app.session_cookie("member").await;
    // Someone signs in while presenting the other session's cookie (fixation attempt).
    let res = app
        .login_with_cookie("office", DEMO_PASSWORD, Some(&victim))
        .await;
    let fresh = session_pair(&res).expect("a new cookie");
    assert_ne!(fresh, victim);
    assert!(
        session_of(&app, &victim).await.is_none(),
        "the presented session is gone"
    );
    assert_eq!(session_of(&app, &fresh).await.unwrap().username, "office");
    // A made-up token is simply no session.
    assert!(session_of(&app, "zhibu_session=forged").await.is_none());
}

#[tokio::test]
async fn signing_out_destroys_the_session_on_the_server() {
    let app = spawn_app().await;
    let cookie = app.session_cookie("office").await;
    let res = app.call_as(&cookie, "logout", &[]).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let cleared = res.headers().get_all("set-cookie").iter().any(|v| {
        let v = v.to_str().unwrap();
        v.starts_with("zhibu_session=;") && v.contains("Max-Age=0")
    });
    assert!(cleared, "the cookie is cleared");
    assert!(
        session_of(&app, &cookie).await.is_none(),
        "replaying the old cookie fails"
    );
}
