//! The audit trail: what is recorded, the chain that reveals tampering, retention, and the
//! auditor's search and export.

use std::sync::Arc;

use app::models::audit::{AuditPage, ChainReport};
use app::server::auth::ManualClock;
use chrono::{Duration, Utc};

use crate::support::{DEMO_PASSWORD, TestApp, spawn_app, spawn_app_with_clock, test_config};

async fn verify_as_auditor(app: &TestApp) -> ChainReport {
    let auditor = app.session_cookie("auditor").await;
    let res = app.call_as(&auditor, "verify_audit_chain", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn sign_ins_sign_outs_lockouts_and_denials_are_recorded_with_who_where_and_outcome() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    assert_eq!(app.login("nobody", "Wrong-password-1").await.status(), 401);
    for _ in 0..5 {
        app.login("secretary", "Wrong-password-1").await;
    }
    let member = app.session_cookie("member").await;
    assert_eq!(
        app.call_as(&member, "search_audit", &[("query[page]", "1")])
            .await
            .status(),
        403
    );
    app.call_as(&office, "logout", &[]).await;

    let logins = app.audit("login").await;
    let ok = logins
        .iter()
        .find(|e| e.actor == "office" && e.outcome == "success")
        .expect("successful sign-in recorded");
    assert_eq!(ok.roles, ["committee_office"]);
    assert_eq!(ok.address, "127.0.0.1");
    assert_eq!(ok.entity, "account");
    let unknown = logins
        .iter()
        .find(|e| e.actor == "nobody")
        .expect("failed sign-in of an unknown name recorded");
    assert_eq!(
        (unknown.outcome.as_str(), unknown.summary.as_str()),
        ("failure", "unknown account")
    );
    let wrong = logins
        .iter()
        .filter(|e| e.actor == "secretary" && e.outcome == "failure")
        .count();
    assert_eq!(wrong, 5);
    assert!(
        logins.iter().all(|e| !e.summary.contains("Wrong-password")),
        "no secrets"
    );

    let lock = app.audit("lockout").await;
    assert_eq!(lock.len(), 1);
    assert_eq!(lock[0].actor, "secretary");

    let denied = app.audit("permission_denied").await;
    let d = denied
        .iter()
        .find(|e| e.actor == "member")
        .expect("denial recorded");
    assert_eq!(
        (d.entity.as_str(), d.entity_id.as_str(), d.outcome.as_str()),
        ("endpoint", "/api/search_audit", "denied")
    );
    assert!(
        app.audit("logout")
            .await
            .iter()
            .any(|e| e.actor == "office")
    );
}

#[tokio::test]
async fn the_chain_is_intact_and_a_changed_or_removed_entry_is_reported() {
    let app = spawn_app().await;
    for user in ["office", "member", "secretary"] {
        app.session_cookie(user).await;
    }
    let report = verify_as_auditor(&app).await;
    assert!(report.intact(), "{report:?}");
    assert!(report.checked >= 3);

    // Append-only: the database itself refuses to change or delete an entry.
    let db = &app.state.db;
    let update = db
        .query("UPDATE audit:2 SET summary = 'nothing to see'")
        .await
        .unwrap()
        .check();
    assert!(update.is_err(), "entries cannot be updated");
    let delete = db.query("DELETE audit:2").await.unwrap().check();
    assert!(delete.is_err(), "young entries cannot be deleted");

    // Someone with full database rights removes the guard and edits an entry.
    db.query("REMOVE EVENT audit_append_only ON audit; UPDATE audit:2 SET actor = 'someone-else';")
        .await
        .unwrap()
        .check()
        .unwrap();
    let report = verify_as_auditor(&app).await;
    assert_eq!(report.first_broken, Some(2), "{report:?}");

    // The verification itself is recorded.
    let checks = app.audit("verify_chain").await;
    assert!(
        checks
            .iter()
            .any(|e| e.outcome == "failure" && e.summary.contains("first broken entry 2"))
    );
}

#[tokio::test]
async fn a_deleted_entry_breaks_the_chain_where_it_was() {
    let app = spawn_app().await;
    for user in ["office", "member", "secretary", "office"] {
        app.session_cookie(user).await;
    }
    app.state
        .db
        .query("REMOVE EVENT audit_append_only ON audit; DELETE audit:3;")
        .await
        .unwrap()
        .check()
        .unwrap();
    let report = app::server::audit::verify(&app.state.db).await.unwrap();
    assert_eq!(report.first_broken, Some(3), "{report:?}");
}

#[tokio::test]
async fn the_verify_command_reads_an_embedded_store_after_the_server_stops() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config();
    config.database.url = Some(format!("surrealkv://{}", dir.path().join("db").display()));
    {
        let app = crate::support::spawn_app_with(config.clone()).await;
        app.session_cookie("office").await;
        app.stop().await;
    }
    let report = zhibu_server::verify_audit(&config)
        .await
        .expect("store readable");
    assert!(report.intact(), "{report:?}");
    assert!(report.checked >= 1);
}

#[tokio::test]
async fn retention_removes_only_entries_older_than_the_period_and_the_chain_stays_verifiable() {
    let clock = ManualClock::new(Utc::now() - Duration::days(300));
    let app = spawn_app_with_clock(test_config(), Arc::new(clock.clone())).await;
    app.session_cookie("office").await; // 300 days ago
    clock.advance(Duration::days(200));
    app.session_cookie("member").await; // 100 days ago
    clock.advance(Duration::days(100));

    let removed = app::server::prune_audit(&app.state).await.unwrap();
    assert!(removed >= 1);
    let left = app.audit("").await;
    let cutoff = Utc::now() - Duration::days(184);
    assert!(
        left.iter().all(|e| e.at >= cutoff),
        "nothing older than 184 days is left"
    );
    assert!(
        left.iter()
            .any(|e| e.actor == "member" && e.action == "login"),
        "younger entries stay"
    );
    assert!(
        app.audit("prune").await.len() == 1,
        "the removal is itself recorded"
    );
    let report = app::server::audit::verify(&app.state.db).await.unwrap();
    assert!(report.intact(), "{report:?}");
    assert!(report.first_seq > Some(1));
}

#[tokio::test]
async fn the_auditor_searches_by_action_user_and_day() {
    let app = spawn_app().await;
    app.session_cookie("office").await;
    app.login("office", "Wrong-password-1").await;
    let auditor = app.session_cookie("auditor").await;
    let today = (Utc::now() + Duration::hours(8)).date_naive().to_string();
    let res = app
        .call_as(
            &auditor,
            "search_audit",
            &[
                ("query[actor]", "office"),
                ("query[action]", "login"),
                ("query[from]", &today),
                ("query[to]", &today),
                ("query[page]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page: AuditPage = res.json().await.unwrap();
    assert_eq!(page.total, 2, "{page:?}");
    assert!(
        page.entries
            .iter()
            .all(|e| e.actor == "office" && e.action == "login")
    );
    assert!(page.entries[0].seq > page.entries[1].seq, "newest first");

    let yesterday = (Utc::now() + Duration::hours(8) - Duration::days(1))
        .date_naive()
        .to_string();
    let res = app
        .call_as(
            &auditor,
            "search_audit",
            &[("query[to]", &yesterday), ("query[page]", "1")],
        )
        .await;
    let page: AuditPage = res.json().await.unwrap();
    assert_eq!(page.total, 0);
}

#[tokio::test]
async fn the_auditor_exports_to_excel_and_nobody_else_can() {
    use calamine::{Reader, Xlsx};
    let app = spawn_app().await;
    app.session_cookie("office").await;
    let auditor = app.session_cookie("auditor").await;
    let res = app
        .get_as(&auditor, "/export/audit.xlsx?action=login&actor=office")
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a real workbook");
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "序号");
    assert_eq!(
        rows.len(),
        2,
        "header and the one sign-in of office: {rows:?}"
    );
    assert_eq!(rows[1][2], "office");
    assert_eq!(rows[1][5], "login");
    assert!(
        app.audit("export")
            .await
            .iter()
            .any(|e| e.actor == "auditor")
    );

    let office = app.session_cookie("office").await;
    assert_eq!(
        app.get_as(&office, "/export/audit.xlsx").await.status(),
        403
    );
    assert_eq!(app.get("/export/audit.xlsx").await.status(), 401);
}

#[tokio::test]
async fn a_sign_in_burst_from_one_address_keeps_a_consistent_chain() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = app.client.clone();
        let url = app.url("/api/login");
        let origin = app.origin().to_string();
        let user = ["office", "member", "secretary", "sysadmin"][i % 4];
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .form(&[
                    ("input[username]", user),
                    ("input[password]", DEMO_PASSWORD),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!(status.is_success() || status.is_redirection(), "{status}");
    }
    let report = app::server::audit::verify(&app.state.db).await.unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(app.audit("login").await.len(), 20);
}
