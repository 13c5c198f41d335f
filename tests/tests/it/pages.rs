use app::server::demo::HOSPITAL_COMMITTEE;

use crate::support::spawn_app;

#[tokio::test]
async fn org_page_is_rendered_on_the_server_with_the_tree() {
    let app = spawn_app().await;
    let cookie = app.session_cookie("office").await;
    let res = app.get_as(&cookie, "/org").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-CN""#), "Chinese first");
    assert!(html.contains(HOSPITAL_COMMITTEE), "tree in the HTML");
    assert!(html.contains("肿瘤内科第一党支部"));
    assert!(html.contains("内科党总支"));
    // The branch secretary's page holds only the branch's own subtree.
    let secretary = app.session_cookie("secretary").await;
    let scoped = app.get_as(&secretary, "/org").await.text().await.unwrap();
    assert!(scoped.contains("肿瘤内科第一党支部"));
    assert!(
        !scoped.contains("内科党总支"),
        "no organisation outside the scope"
    );
    assert!(
        html.contains("aria-expanded"),
        "disclosure buttons rendered"
    );
    assert!(html.contains("zhibu.js"), "management pages hydrate");
}

#[tokio::test]
async fn selecting_a_node_renders_its_details_without_javascript() {
    let app = spawn_app().await;
    let cookie = app.session_cookie("office").await;
    let html = app
        .get_as(&cookie, "/org?id=o0000")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"data-testid="org-detail-name""#),
        "detail panel rendered"
    );
    assert!(html.contains("内科党总支"));
}

#[tokio::test]
async fn public_home_is_server_rendered_without_wasm() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(HOSPITAL_COMMITTEE));
    assert!(!html.contains(".wasm"), "public pages ship no WASM");
    assert!(
        !html.contains("zhibu.js"),
        "public pages load no app script"
    );
    assert!(html.contains("zhibu.css"), "but they do get the stylesheet");
}

#[tokio::test]
async fn unknown_routes_get_a_404_page() {
    let app = spawn_app().await;
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("页面不存在"));
}

#[tokio::test]
async fn an_unknown_organisation_page_is_404() {
    let app = spawn_app().await;
    let cookie = app.session_cookie("office").await;
    let res = app.get_as(&cookie, "/org?id=o9999").await;
    assert_eq!(res.status(), 404);
}

/// Pages render while other app servers of the same process start. Building a server's
/// router once read the app's route table each time, which switches resource loading off
/// for the whole process while it runs (leptos#4773): a page rendered meanwhile on another
/// server waited for ever (the 60 s request timeouts of `/org` and `/workbench` in CI).
#[tokio::test]
async fn pages_render_while_other_servers_start() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = spawn_app().await;
    let cookie = app.session_cookie("office").await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (stop, state) = (stop.clone(), app.state.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let _entered = rt.enter();
            let config = crate::support::test_config();
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                drop(zhibu_server::http::router(&config, state.clone()));
                built += 1;
            }
            built
        })
    };
    let mut rendered = 0;
    for path in ["/org?id=o9999", "/org", "/workbench"].repeat(4) {
        let res = app
            .client
            .get(app.url(path))
            .header("cookie", &cookie)
            .timeout(std::time::Duration::from_secs(10))
            .send()
            .await;
        let res = res.unwrap_or_else(|e| panic!("{path} did not answer in 10 s: {e}"));
        assert!([200, 404].contains(&res.status().as_u16()), "{path}");
        rendered += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let built = builder.join().unwrap();
    assert_eq!(rendered, 12);
    assert!(built > 0, "routers were built while the pages rendered");
}

#[tokio::test]
async fn placeholders_say_not_yet_available() {
    let app = spawn_app().await;
    let cookie = app.session_cookie("office").await;
    let res = app.get_as(&cookie, "/analytics").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("该功能暂未开放"));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/lang"))
        .header("origin", app.origin())
        .form(&[("lang", "en"), ("next", "/org")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/org");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("zhibu_lang=en"), "{cookie}");

    let session = app.session_cookie("office").await;
    let html = app
        .client
        .get(app.url("/org"))
        .header("cookie", format!("zhibu_lang=en; {session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Organisation tree"));
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
}

#[tokio::test]
async fn visitors_are_sent_to_sign_in_from_the_management_area() {
    let app = spawn_app().await;
    for path in ["/org", "/workbench", "/tasks"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 302, "{path}");
        assert_eq!(res.headers()["location"], "/login", "{path}");
    }
    assert_eq!(app.get("/login").await.status(), 200);
    assert_eq!(
        app.get("/").await.status(),
        200,
        "the public site needs no account"
    );
}
