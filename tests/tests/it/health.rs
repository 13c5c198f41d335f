use crate::support::spawn_app;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_is_ok_once_migrations_are_applied() {
    let app = spawn_app().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn readyz_is_503_when_a_migration_record_is_missing() {
    let app = spawn_app().await;
    app.state
        .db
        .query("DELETE migration WHERE name = '0002_member'")
        .await
        .unwrap()
        .check()
        .unwrap();
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
}
