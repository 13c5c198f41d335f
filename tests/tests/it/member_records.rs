//! Registering and correcting member records under every rule, and 党籍 changes: the
//! server refuses bad input with the field and the rule, and writes nothing then.

use app::models::member::{MemberPage, MemberProfile, id_check_char};

use crate::support::{TestApp, spawn_app};

fn id_for(birth: &str, male: bool) -> String {
    let first17 = format!("440106{birth}07{}", if male { 1 } else { 4 });
    format!("{first17}{}", id_check_char(&first17).unwrap())
}

fn form(id_number: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[name]", "欧阳明远".into()),
        ("input[gender]", "male".into()),
        ("input[birth_date]", "1990-05-20".into()),
        ("input[ethnicity]", "汉族".into()),
        ("input[education]", "硕士研究生".into()),
        ("input[department]", "肿瘤内科一病区".into()),
        ("input[title]", "主治医师".into()),
        ("input[phone]", "13900001111".into()),
        ("input[id_number]", id_number.into()),
        ("input[org]", "o0003".into()),
        ("input[status]", "probationary".into()),
        ("input[application_date]", "2020-03-01".into()),
        ("input[admission_date]", "2025-12-01".into()),
        ("input[full_date]", String::new()),
    ]
}

fn with(
    mut f: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    for (k, v) in f.iter_mut() {
        if *k == key {
            *v = value.to_string();
        }
    }
    f
}

async fn send(app: &TestApp, cookie: &str, name: &str, f: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(cookie, name, &pairs).await
}

async fn member_count(app: &TestApp) -> i64 {
    let mut res = app
        .state
        .db
        .query("SELECT count() AS n FROM member GROUP ALL")
        .await
        .unwrap();
    let n: Option<i64> = res.take((0, "n")).unwrap();
    n.unwrap_or(0)
}

/// (status, field, message) of a refusal.
async fn refusal(res: reqwest::Response) -> (u16, String, String) {
    let status = res.status().as_u16();
    let v: serde_json::Value = res.json().await.unwrap_or_default();
    let inner = &v["Validation"];
    (
        status,
        inner["field"].as_str().unwrap_or_default().to_string(),
        inner["message"].as_str().unwrap_or_default().to_string(),
    )
}

async fn total(app: &TestApp, cookie: String) -> u64 {
    let page: MemberPage = app
        .call_as(&cookie, "list_members", &[("query[page]", "1")])
        .await
        .json()
        .await
        .unwrap();
    page.total
}

async fn profile(app: &TestApp, cookie: &str, id: &str) -> MemberProfile {
    app.call_as(cookie, "get_member", &[("id", id)])
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_secretary_registers_a_member_who_is_then_found_by_initials() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let id_number = id_for("19900520", true);
    let res = send(&app, &secretary, "create_member", &form(&id_number)).await;
    assert_eq!(res.status(), 200);
    let key: String = res.json().await.unwrap();
    let p = profile(&app, &secretary, &key).await;
    assert_eq!(p.name, "欧阳明远");
    assert_eq!(p.status, "probationary");
    assert_eq!(p.org_id, "o0003");
    assert_eq!(p.standing, "active");
    assert_eq!(
        p.id_number_masked,
        format!("440106********{}", &id_number[14..])
    );
    assert_eq!(p.history.len(), 1);
    assert_eq!(p.history[0].kind, "created");
    let created = app.audit("create").await;
    let entry = created
        .iter()
        .find(|e| e.entity_id == key)
        .expect("audited");
    assert!(!entry.summary.contains(&id_number) && !entry.summary.contains("13900001111"));

    let page: MemberPage = app
        .call_as(
            &secretary,
            "list_members",
            &[("query[q]", "oymy"), ("query[page]", "1")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        page.members.iter().any(|m| m.id == key),
        "found by pinyin initials"
    );

    // The same ID number again is a duplicate, not a second record.
    let before = member_count(&app).await;
    let res = send(
        &app,
        &secretary,
        "create_member",
        &with(form(&id_number), "input[name]", "欧阳明"),
    )
    .await;
    let (status, field, message) = refusal(res).await;
    assert_eq!((status, field.as_str()), (400, "id_number"));
    assert!(message.contains("已有党员"), "{message}");
    assert_eq!(member_count(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn bad_records_are_refused_with_the_field_and_rule_and_nothing_is_written() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let before = member_count(&app).await;
    let good = id_for("19900520", true);
    let mut wrong_check = good.clone();
    let last = if good.ends_with('0') { "1" } else { "0" };
    wrong_check.replace_range(17.., last);
    let cases: Vec<(Vec<(&'static str, String)>, &str, &str)> = vec![
        (form(&wrong_check), "id_number", "校验码"),
        (
            with(form(&good), "input[phone]", "1234567"),
            "phone",
            "手机",
        ),
        (
            with(form(&good), "input[admission_date]", "2019-01-01"),
            "admission_date",
            "出生 < 申请入党 < 入党 < 转正",
        ),
        (
            with(form(&good), "input[application_date]", "2007-01-01"),
            "application_date",
            "18 周岁",
        ),
        (
            with(form(&good), "input[birth_date]", "1990-05-21"),
            "birth_date",
            "身份证号中的出生日期",
        ),
        (
            with(form(&good), "input[gender]", "female"),
            "gender",
            "第 17 位",
        ),
        (
            with(form(&good), "input[full_date]", "2026-01-01"),
            "full_date",
            "预备党员不应有转正日期",
        ),
        (
            with(form(&good), "input[status]", "full"),
            "full_date",
            "转正日期",
        ),
        (with(form(&good), "input[org]", "o0001"), "org", "党支部"),
    ];
    for (f, field, text) in cases {
        let (status, got_field, message) =
            refusal(send(&app, &office, "create_member", &f).await).await;
        assert_eq!(status, 400, "{field}");
        assert_eq!(got_field, field, "{message}");
        assert!(message.contains(text), "{field}: {message}");
    }
    assert_eq!(member_count(&app).await, before, "nothing written");

    // A secretary cannot register a member in another branch.
    let secretary = app.session_cookie("secretary").await;
    let res = send(
        &app,
        &secretary,
        "create_member",
        &with(form(&good), "input[org]", "o0004"),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(member_count(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn corrections_keep_hidden_numbers_and_name_the_fields_changed() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let key: String = send(
        &app,
        &secretary,
        "create_member",
        &form(&id_for("19900520", true)),
    )
    .await
    .json()
    .await
    .unwrap();
    // The edit form sends ID and phone empty: they stay as they are.
    let mut edit = with(form(""), "input[phone]", "");
    edit = with(edit, "input[title]", "副主任医师");
    edit = with(edit, "input[name]", "欧阳明");
    edit.push(("id", key.clone()));
    let res = send(&app, &secretary, "update_member", &edit).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let p = profile(&app, &secretary, &key).await;
    assert_eq!(p.name, "欧阳明");
    assert_eq!(p.title, "副主任医师");
    assert!(p.phone_masked.starts_with("139"), "{}", p.phone_masked);
    let last = p.history.last().unwrap();
    assert_eq!(
        last.what,
        app::models::member::History::Corrected {
            fields: vec!["name".into(), "title".into()]
        }
    );

    // The same form again changes nothing and says so; a bad date is refused.
    let res = send(&app, &secretary, "update_member", &edit).await;
    assert_eq!(refusal(res).await.0, 400);
    let bad = with(edit.clone(), "input[admission_date]", "1989-01-01");
    let (_, field, _) = refusal(send(&app, &secretary, "update_member", &bad).await).await;
    assert_eq!(field, "admission_date");
    assert_eq!(profile(&app, &secretary, &key).await.history.len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn stopping_and_restoring_membership_is_explicit_and_kept_as_history() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let key: String = send(
        &app,
        &secretary,
        "create_member",
        &form(&id_for("19900520", true)),
    )
    .await
    .json()
    .await
    .unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    let act = |action: &'static str, reason: &'static str| {
        let app = &app;
        let secretary = secretary.clone();
        let key = key.clone();
        let today = today.clone();
        async move {
            app.call_as(
                &secretary,
                "change_member_status",
                &[
                    ("input[id]", key.as_str()),
                    ("input[action]", action),
                    ("input[date]", today.as_str()),
                    ("input[reason]", reason),
                ],
            )
            .await
        }
    };
    let before = total(&app, secretary.clone()).await;
    assert_eq!(
        act("suspend", "").await.status(),
        400,
        "a reason is required"
    );
    assert_eq!(
        act("suspend", "连续六个月不参加组织生活").await.status(),
        200
    );
    let p = profile(&app, &secretary, &key).await;
    assert_eq!(p.standing, "suspended");
    assert_eq!(
        total(&app, secretary.clone()).await,
        before - 1,
        "off the roster"
    );
    let (status, _, message) = refusal(act("flag_on:floating", "外出").await).await;
    assert_eq!(status, 400);
    assert!(message.contains("不在籍"), "{message}");
    assert_eq!(act("restore", "经党委研究恢复").await.status(), 200);
    let p = profile(&app, &secretary, &key).await;
    assert_eq!(p.standing, "active");
    let what: Vec<_> = p.history.iter().map(|e| e.what.clone()).collect();
    assert_eq!(
        what,
        [
            app::models::member::History::Created,
            app::models::member::History::Suspended,
            app::models::member::History::Restored
        ]
    );
    assert_eq!(total(&app, secretary).await, before);
    app.stop().await;
}
