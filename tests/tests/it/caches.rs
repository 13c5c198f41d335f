//! What servers hold in memory (sessions, public pages) ends when the data changes, on
//! every app server on the database: two servers share one database here, as behind a
//! load balancer.

use std::time::{Duration, Instant};

use crate::support::*;

/// Polls `check` for up to `within`; the time it took when it held.
async fn within<F, Fut>(within: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < within {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    None
}

/// Two app servers on one database, both following its changes.
async fn two_servers() -> (TestApp, TestApp) {
    let a = spawn_app().await;
    let b = a.spawn_beside().await;
    a.following_changes().await;
    b.following_changes().await;
    (a, b)
}

async fn signed_in(app: &TestApp, cookie: &str) -> bool {
    app.get_as(cookie, "/workbench").await.status() == 200
}

#[tokio::test]
async fn a_session_is_held_in_memory_and_a_logout_on_one_server_ends_it_on_the_other() {
    let (a, b) = two_servers().await;

    let cookie = a.session_cookie("office").await;
    assert!(signed_in(&b, &cookie).await);
    assert_eq!(b.state.sessions.len(), 1, "b holds the session it read");
    assert!(signed_in(&b, &cookie).await);
    assert!(signed_in(&a, &cookie).await);
    assert_eq!(a.state.sessions.len(), 1);

    let res = a.call_as(&cookie, "logout", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    // The server that ended it forgets it before answering…
    assert!(
        !signed_in(&a, &cookie).await,
        "ended at once where it was ended"
    );
    // …and the other as the change notification arrives.
    let took = within(Duration::from_secs(2), || async {
        !signed_in(&b, &cookie).await
    })
    .await;
    assert!(took.is_some(), "the other server still admits the session");
    assert_eq!(b.state.sessions.len(), 0);
}

#[tokio::test]
async fn disabling_an_account_or_changing_its_roles_on_one_server_reaches_the_other() {
    let (a, b) = two_servers().await;

    let member = a.session_cookie("member").await;
    assert!(signed_in(&b, &member).await);
    let sysadmin = a.session_cookie("sysadmin").await;
    let res = a
        .call_as(
            &sysadmin,
            "set_account_disabled",
            &[("username", "member"), ("disabled", "true")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let took = within(Duration::from_secs(2), || async {
        !signed_in(&b, &member).await
    })
    .await;
    assert!(took.is_some(), "a disabled account's session lives on on b");

    // Roles changed straight in the database (by any writer): b reads them again.
    let secretary = a.session_cookie("secretary").await;
    let nav = |html: String| html.contains("href=\"/development\"");
    assert!(nav(b
        .get_as(&secretary, "/workbench")
        .await
        .text()
        .await
        .unwrap()));
    a.state
        .db
        .query("UPDATE account SET roles = ['member'] WHERE username = 'secretary'")
        .await
        .unwrap()
        .check()
        .unwrap();
    let took = within(Duration::from_secs(2), || async {
        !nav(b
            .get_as(&secretary, "/workbench")
            .await
            .text()
            .await
            .unwrap())
    })
    .await;
    assert!(took.is_some(), "b still shows the roles it held");
}

/// The public home asked for again by a browser holding the copy tagged `etag`.
async fn revalidate(app: &TestApp, etag: &str) -> reqwest::Response {
    app.client
        .get(app.url("/"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn public_pages_come_from_memory_with_etags_until_the_data_they_show_changes() {
    let (a, b) = two_servers().await;

    let first = a.get("/").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let body = first.text().await.unwrap();
    assert!(
        body.contains("明川医科大学附属肿瘤医院"),
        "the committee's hospital is named"
    );

    // The same bytes again, and a 304 for a browser that holds them.
    let again = a.get("/").await;
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(again.text().await.unwrap(), body);
    let revalidated = revalidate(&a, &etag).await;
    assert_eq!(revalidated.status(), 304);
    assert!(revalidated.bytes().await.unwrap().is_empty());

    // Compressed forms are kept too.
    for (accept, encoding) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let res = a
            .client
            .get(a.url("/"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], encoding);
        assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
    }

    // Each language is its own page.
    let english = a.get_as("zhibu_lang=en", "/").await;
    assert_ne!(english.headers()["etag"].to_str().unwrap(), etag);
    assert!(english.text().await.unwrap().contains("<html lang=\"en\""));

    // The other server renames the committee: this one's copy is gone.
    b.state
        .db
        .query("UPDATE org SET name = '明川医院党委（改名）' WHERE parent = NONE")
        .await
        .unwrap()
        .check()
        .unwrap();
    let took = within(Duration::from_secs(2), || async {
        a.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("明川医院党委（改名）")
    })
    .await;
    assert!(took.is_some(), "the public home still shows the old name");
    let changed = revalidate(&a, &etag).await;
    assert_eq!(changed.status(), 200, "the old tag no longer matches");
}

#[tokio::test]
async fn a_refused_plain_sign_in_comes_back_with_the_error_and_the_name_typed() {
    let app = spawn_app().await;
    let login = app.get("/login").await.text().await.unwrap();
    assert!(
        !login.contains(".wasm") && !login.contains("<script"),
        "the sign-in page loads no script"
    );

    // The browser without scripts: a form post that accepts HTML, from the sign-in page.
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .header("referer", app.url("/login"))
        .form(&[("input[username]", "office"), ("input[password]", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "a redirect, not the error's status");
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("/login?"), "{location}");
    let kept = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("zhibu_login_name="))
        .expect("the typed name is kept")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(kept, "zhibu_login_name=office");

    let url = if location.starts_with('/') {
        app.url(&location)
    } else {
        location.clone()
    };
    let page = app
        .client
        .get(&url)
        .header("cookie", &kept)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("账号或密码错误"), "the error is shown");
    assert!(
        page.contains("value=\"office\""),
        "the name typed is filled in"
    );
}

async fn profile(app: &TestApp, cookie: &str, id: &str) -> (u16, String) {
    let res = app.call_as(cookie, "get_member", &[("id", id)]).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn roster(app: &TestApp, cookie: &str) -> app::models::member::MemberPage {
    let res = app
        .call_as(cookie, "list_members", &[("query[page]", "1")])
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn one_key(app: &TestApp, sql: &str) -> String {
    let mut res = app.state.db.query(sql).await.unwrap();
    let keys: Vec<String> = res.take(0).unwrap();
    keys.into_iter().next().expect(sql)
}

#[tokio::test]
async fn roster_pages_and_member_records_are_held_until_a_record_changes_on_any_server() {
    use app::models::member::MemberProfile;
    let (a, b) = two_servers().await;
    let office_a = a.session_cookie("office").await;
    let office_b = b.session_cookie("office").await;
    let secretary_b = b.session_cookie("secretary").await;
    // A member of the secretary's branch, and one elsewhere.
    let mine = one_key(
        &a,
        "SELECT VALUE record::id(id) FROM member WHERE org = org:o0003 LIMIT 1",
    )
    .await;
    let elsewhere = one_key(
        &a,
        "SELECT VALUE record::id(id) FROM member WHERE org != org:o0003 LIMIT 1",
    )
    .await;
    // Read on b: held there after the first read.
    let (status, body) = profile(&b, &office_b, &elsewhere).await;
    assert_eq!(status, 200, "{body}");
    let before: MemberProfile = serde_json::from_str(&body).unwrap();
    assert!(b.state.profiles.len() >= 1, "b holds the record it read");
    let total_before = roster(&b, &office_b).await.total;
    assert!(b.state.rosters.len() >= 1, "b holds the page it read");

    // What the office's read left in memory is not the secretary's to see…
    let (status, _) = profile(&b, &secretary_b, &elsewhere).await;
    assert_eq!(
        status, 403,
        "a held record is still checked against the caller"
    );
    // …and the secretary's roster is their branch only, not the office's held page.
    let theirs = roster(&b, &secretary_b).await;
    assert!(theirs.total < total_before);
    assert!(theirs.members.iter().all(|m| m.org_id == "o0003"));
    let (status, _) = profile(&b, &secretary_b, &mine).await;
    assert_eq!(status, 200);

    // A change on a reaches b's held record and roster page.
    let res = a
        .call_as(
            &office_a,
            "update_member_phone",
            &[("input[id]", &elsewhere), ("input[phone]", "13911112222")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let took = within(Duration::from_secs(2), || async {
        let (_, body) = profile(&b, &office_b, &elsewhere).await;
        let now: MemberProfile = serde_json::from_str(&body).unwrap();
        now.phone_masked.ends_with("2222") && now.history.len() > before.history.len()
    })
    .await;
    assert!(took.is_some(), "b still serves the record as it was");
    // On a, the server that wrote, at once.
    let (_, body) = profile(&a, &office_a, &elsewhere).await;
    assert!(body.contains("2222"), "{body}");
}

#[tokio::test]
async fn a_tablet_is_held_in_memory_and_revoking_it_on_one_server_ends_it_on_the_other() {
    let (a, b) = two_servers().await;
    let tablet = a.paired_tablet("rm001").await;
    async fn day(app: &TestApp, tablet: &str) -> u16 {
        app.call_as(tablet, "tablet_today", &[])
            .await
            .status()
            .as_u16()
    }
    assert_eq!(day(&b, &tablet).await, 200);
    assert_eq!(b.state.devices.len(), 1, "b holds the tablet it read");
    assert_eq!(day(&b, &tablet).await, 200);

    let office = a.session_cookie("office").await;
    let rooms: Vec<app::models::room::RoomRow> = a
        .call_as(&office, "list_rooms", &[])
        .await
        .json()
        .await
        .unwrap();
    let device = rooms
        .iter()
        .flat_map(|r| r.tablets.iter())
        .next()
        .expect("the paired tablet")
        .id
        .clone();
    let res = a
        .call_as(&office, "revoke_tablet", &[("id", device.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        day(&a, &tablet).await,
        401,
        "refused at once where it was revoked"
    );
    let took = within(Duration::from_secs(2), || async {
        day(&b, &tablet).await == 401
    })
    .await;
    assert!(took.is_some(), "the other server still admits the tablet");
    assert_eq!(b.state.devices.len(), 0);
}
