//! Transfers: inside the hospital the receiving branch accepts before the member moves;
//! out of the hospital a numbered letter is closed by its receipt; in from outside the
//! record is registered with the letter. Every step is audited and kept as history.

use app::models::member::{MemberProfile, id_check_char};
use app::models::transfer::TransferView;

use crate::support::{TestApp, spawn_app};

async fn first_member_of(app: &TestApp, org: &str) -> String {
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(id) FROM member WHERE org = type::record('org', $o) AND standing = 'active' AND position = 'member' LIMIT 1")
        .bind(("o", org.to_string()))
        .await
        .unwrap();
    let ids: Vec<String> = res.take(0).unwrap();
    ids.into_iter().next().unwrap()
}

async fn start(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.call_as(cookie, "start_transfer", form).await
}

async fn resolve(
    app: &TestApp,
    cookie: &str,
    id: &str,
    action: &str,
    note: &str,
) -> reqwest::Response {
    app.call_as(
        cookie,
        "resolve_transfer",
        &[
            ("input[id]", id),
            ("input[action]", action),
            ("input[note]", note),
        ],
    )
    .await
}

async fn profile(app: &TestApp, cookie: &str, id: &str) -> MemberProfile {
    app.call_as(cookie, "get_member", &[("id", id)])
        .await
        .json()
        .await
        .unwrap()
}

async fn transfer(app: &TestApp, cookie: &str, id: &str) -> TransferView {
    app.call_as(cookie, "get_transfer", &[("id", id)])
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_receiving_branch_accepts_before_the_member_moves() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    let member = first_member_of(&app, "o0004").await;
    // The office sends a member of o0004 to the secretary's branch.
    let res = start(
        &app,
        &office,
        &[
            ("input[member]", &member),
            ("input[kind]", "internal"),
            ("input[to_org]", "o0003"),
            ("input[dues_paid_to]", "2026-10"),
            ("input[reason]", "工作调动"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id: String = res.json().await.unwrap();
    let t = transfer(&app, &secretary, &id).await;
    assert_eq!(t.status, "pending");
    assert_eq!(
        t.actions,
        ["accept", "reject"],
        "the receiving side decides"
    );
    assert!(
        t.letter_no.contains("〔") && t.letter_no.contains("号"),
        "{}",
        t.letter_no
    );
    assert_eq!(
        profile(&app, &office, &member).await.org_id,
        "o0004",
        "not moved yet"
    );

    // A second transfer for the same member is refused while this one is open.
    let res = start(
        &app,
        &office,
        &[
            ("input[member]", &member),
            ("input[kind]", "outbound"),
            ("input[outside]", "某单位党委"),
            ("input[dues_paid_to]", "2026-10"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);

    assert_eq!(
        resolve(&app, &secretary, &id, "reject", "").await.status(),
        400,
        "a reason"
    );
    let res = resolve(&app, &secretary, &id, "accept", "欢迎").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let p = profile(&app, &secretary, &member).await;
    assert_eq!(p.org_id, "o0003");
    assert_eq!(p.transfers.len(), 1, "the profile lists the transfer");
    assert_eq!(p.transfers[0].status, "accepted");
    use app::models::member::History;
    assert!(
        p.history
            .iter()
            .any(|e| matches!(e.what, History::TransferStarted { .. }))
    );
    assert!(
        p.history
            .iter()
            .any(|e| matches!(e.what, History::TransferAccepted { .. }))
    );
    assert_eq!(transfer(&app, &office, &id).await.status, "accepted");
    assert!(app.audit("update").await.iter().any(|e| e.entity_id == id));
    // Done: nothing more to do with it.
    assert_eq!(
        resolve(&app, &secretary, &id, "accept", "").await.status(),
        400
    );
    app.stop().await;
}

#[tokio::test]
async fn the_sender_cannot_accept_and_strangers_cannot_see() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let secretary = app.session_cookie("secretary").await;
    let mine = first_member_of(&app, "o0003").await;
    let id: String = start(
        &app,
        &secretary,
        &[
            ("input[member]", &mine),
            ("input[kind]", "internal"),
            ("input[to_org]", "o0004"),
            ("input[dues_paid_to]", "2026-11"),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(transfer(&app, &secretary, &id).await.actions, ["cancel"]);
    assert_eq!(
        resolve(&app, &secretary, &id, "accept", "").await.status(),
        400
    );
    assert_eq!(
        resolve(&app, &secretary, &id, "cancel", "填错了")
            .await
            .status(),
        200
    );

    // A transfer between two other branches is out of the secretary's sight.
    let other = first_member_of(&app, "o0004").await;
    let id: String = start(
        &app,
        &office,
        &[
            ("input[member]", &other),
            ("input[kind]", "internal"),
            ("input[to_org]", "o0005"),
            ("input[dues_paid_to]", "2026-11"),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    let res = app
        .call_as(&secretary, "get_transfer", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        resolve(&app, &secretary, &id, "accept", "").await.status(),
        403
    );
    let list: Vec<TransferView> = app
        .call_as(&secretary, "list_transfers", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(list.iter().all(|t| t.id != id));
    // Rules: a target that is not another branch, a dues month in the future.
    for (field, value, expect) in [
        ("input[to_org]", "o0003", "其他党支部"),
        ("input[to_org]", "o0001", "其他党支部"),
        ("input[dues_paid_to]", "2099-01", "党费交至"),
    ] {
        let mut form = vec![
            ("input[member]", mine.as_str()),
            ("input[kind]", "internal"),
            ("input[to_org]", "o0004"),
            ("input[dues_paid_to]", "2026-10"),
        ];
        for (k, v) in form.iter_mut() {
            if *k == field {
                *v = value;
            }
        }
        let res = start(&app, &secretary, &form).await;
        assert_eq!(res.status(), 400);
        assert!(
            res.text().await.unwrap().contains(expect),
            "{field}={value}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_letter_out_closes_with_its_receipt_and_a_member_comes_in_from_outside() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let member = first_member_of(&app, "o0003").await;
    let id: String = start(
        &app,
        &secretary,
        &[
            ("input[member]", &member),
            ("input[kind]", "outbound"),
            ("input[outside]", "北京市朝阳区卫生健康委员会党委"),
            ("input[dues_paid_to]", "2026年10月"),
            ("input[valid_days]", "60"),
            ("input[reason]", "调离本院"),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    let t = transfer(&app, &secretary, &id).await;
    assert_eq!((t.kind.as_str(), t.status.as_str()), ("outbound", "issued"));
    assert_eq!(t.dues_paid_to, "2026-10");
    assert_eq!(t.actions, ["receipt", "cancel"]);
    assert_eq!(profile(&app, &secretary, &member).await.standing, "active");
    assert_eq!(
        resolve(&app, &secretary, &id, "receipt", "回执编号 0457")
            .await
            .status(),
        200
    );
    let p = profile(&app, &secretary, &member).await;
    assert_eq!(p.standing, "transferred_out");
    assert!(
        p.history
            .iter()
            .any(|e| matches!(e.what, app::models::member::History::TransferredOut { .. }))
    );

    // In from outside: the record is registered with the letter.
    let first17 = "11010519880808124";
    let id_number = format!("{first17}{}", id_check_char(first17).unwrap());
    let res = app
        .call_as(
            &secretary,
            "transfer_in",
            &[
                ("input[name]", "沈一帆"),
                ("input[gender]", "female"),
                ("input[birth_date]", "1988-08-08"),
                ("input[phone]", "13600003333"),
                ("input[id_number]", &id_number),
                ("input[org]", "o0003"),
                ("input[status]", "full"),
                ("input[admission_date]", "2012-06-01"),
                ("input[full_date]", "2013-06-01"),
                ("outside", "北京大学人民医院党委"),
                ("letter_no", "京医党转〔2026〕第 88 号"),
                ("dues_paid_to", "2026-09"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let key: String = res.json().await.unwrap();
    let p = profile(&app, &secretary, &key).await;
    assert_eq!(p.org_id, "o0003");
    assert!(p.history.iter().any(|e| e.what
        == app::models::member::History::TransferredIn {
            from: "北京大学人民医院党委".into()
        }));
    let list: Vec<TransferView> = app
        .call_as(&secretary, "list_transfers", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        list.iter()
            .any(|t| t.member_id == key && t.kind == "inbound" && t.letter_no.contains("88"))
    );
    app.stop().await;
}
