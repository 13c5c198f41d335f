//! The member roster: search, filters, counts, paging, scope, and contact updates with
//! history.

use app::models::member::{MemberPage, MemberProfile};

use crate::support::{TestApp, spawn_app, spawn_demo_app};

async fn roster(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let mut form = form.to_vec();
    form.push(("query[page]", "1"));
    let res = app.call_as(cookie, "list_members", &form).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn profile(app: &TestApp, cookie: &str, id: &str) -> MemberProfile {
    let res = app.call_as(cookie, "get_member", &[("id", id)]).await;
    assert_eq!(res.status(), 200, "get_member {id}");
    res.json().await.unwrap()
}

fn page(body: &str) -> MemberPage {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn the_office_finds_members_by_name_pinyin_initials_and_id_tail() {
    let app = spawn_demo_app().await;
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
    let profile = profile(&app, &office, &target.id).await;
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
                .all(|m| m.flags.contains(&app::models::member::Flag::Floating))
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
    let others = page(&roster(&app, &office, &[("query[org]", "o0004")]).await.1);
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
    let profile = profile(&app, &secretary, &mine.id).await;
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

#[tokio::test]
async fn status_changes_name_the_rule_they_break_and_leave_history() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let prob = page(
        &roster(&app, &office, &[("query[status]", "probationary")])
            .await
            .1,
    );
    let m = &prob.members[0];
    let change = |action: &'static str, date: String, reason: &'static str| {
        let id = m.id.clone();
        let office = office.clone();
        let app = &app;
        async move {
            let res = app
                .call_as(
                    &office,
                    "change_member_status",
                    &[
                        ("input[id]", id.as_str()),
                        ("input[action]", action),
                        ("input[date]", date.as_str()),
                        ("input[reason]", reason),
                    ],
                )
                .await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    // Probation is one year from admission.
    let too_early = (m.admission_date + chrono::Days::new(1)).to_string();
    let (status, body) = change("to_full", too_early, "支部大会通过").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("预备期须满一年"), "{body}");
    let (status, body) = change("to_full", m.admission_date.to_string(), "").await;
    assert_eq!(status, 400);
    assert!(body.contains("reason"), "{body}");

    // Move the admission 400 days back so that the year of probation has passed.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let admitted = today - chrono::Days::new(400);
    app.state
        .db
        .query("UPDATE type::record('member', $id) SET admission_date = $d")
        .bind(("id", m.id.clone()))
        .bind(("d", admitted))
        .await
        .unwrap()
        .check()
        .unwrap();
    let due = admitted + chrono::Months::new(12);
    let (status, body) = change("to_full", due.to_string(), "支部大会通过").await;
    assert_eq!(status, 200, "{body}");
    let p = profile(&app, &office, &m.id).await;
    assert_eq!(p.status, "full");
    assert_eq!(p.full_date, Some(due));
    let last = p.history.last().unwrap();
    assert_eq!((last.kind.as_str(), last.effective), ("status", Some(due)));
    let (status, _) = change("flag_on:lost_contact", today.to_string(), "三个月联系不上").await;
    assert_eq!(status, 200);
    let (status, body) = change("flag_on:lost_contact", today.to_string(), "again").await;
    assert_eq!(status, 400, "{body}");
    let p = profile(&app, &office, &m.id).await;
    assert!(p.flags.contains(&app::models::member::Flag::LostContact));
    assert!(
        app.audit("update")
            .await
            .iter()
            .any(|e| e.entity_id == m.id && e.summary == "flag on: lost_contact")
    );

    let member = app.session_cookie("member").await;
    let res = app
        .call_as(
            &member,
            "change_member_status",
            &[
                ("input[id]", m.id.as_str()),
                ("input[action]", "to_full"),
                ("input[date]", "2026-01-01"),
                ("input[reason]", "x"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403, "members do not change status");
}

#[tokio::test]
async fn the_roster_exports_masked_within_scope_and_neutralises_formulas() {
    use calamine::{Reader, Xlsx};
    let app = spawn_app().await;
    // A hostile value in the data must come out as text.
    app.state
        .db
        .query("UPDATE member SET department = '=HYPERLINK(\"http://evil.example\")' WHERE org = org:o0003")
        .await
        .unwrap()
        .check()
        .unwrap();
    let secretary = app.session_cookie("secretary").await;
    let res = app
        .get_as(&secretary, "/export/members.xlsx?sort=name")
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "姓名");
    let own = page(&roster(&app, &secretary, &[]).await.1);
    assert_eq!(
        rows.len() as u64 - 1,
        own.total,
        "the whole filtered roster, nothing else"
    );
    for row in &rows[1..] {
        assert_eq!(row[3], "肿瘤内科第一党支部");
        assert!(row[2].starts_with("'="), "formula neutralised: {}", row[2]);
        assert!(
            row[8].contains("****") && row[9].contains("********"),
            "masked: {row:?}"
        );
    }
    // Asking for full values as a branch role still gets masked values.
    let res = app.get_as(&secretary, "/export/members.xlsx?full=1").await;
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert!(
        sheet
            .rows()
            .skip(1)
            .all(|r| r[9].to_string().contains("********"))
    );
    let exports = app.audit("export").await;
    assert!(exports.iter().all(|e| e.summary.contains("masked")));

    let office = app.session_cookie("office").await;
    assert_eq!(
        app.get_as(&secretary, "/export/members.xlsx?org=o0001")
            .await
            .status(),
        403
    );
    let res = app
        .get_as(&office, "/export/members.xlsx?full=1&status=probationary")
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        app.audit("export")
            .await
            .iter()
            .any(|e| e.actor == "office" && e.summary.contains("full values"))
    );
    let member = app.session_cookie("member").await;
    assert_eq!(
        app.get_as(&member, "/export/members.xlsx").await.status(),
        403
    );
}

#[tokio::test]
async fn records_without_initials_are_filled_in_for_the_search() {
    let app = spawn_app().await;
    let db = &app.state.db;
    db.query("UPDATE member SET name_initials = '' WHERE org = org:o0003")
        .await
        .unwrap()
        .check()
        .unwrap();
    let office = app.session_cookie("office").await;
    let before = page(&roster(&app, &office, &[("query[q]", "hsz")]).await.1);
    assert!(
        before.members.iter().all(|m| m.name != "侯淑珍"),
        "not found without initials"
    );
    let filled = app::server::repo::member::backfill_initials(db)
        .await
        .unwrap();
    assert!(filled > 0);
    let found = page(&roster(&app, &office, &[("query[q]", "hsz")]).await.1);
    assert!(
        found.members.iter().any(|m| m.name == "侯淑珍"),
        "{found:?}"
    );
}

/// The numbers the database gives for members in good standing matching `cond`.
async fn active_count(app: &TestApp, cond: &str) -> u64 {
    let mut res = app
        .state
        .db
        .query(format!(
            "SELECT count() AS n FROM member WHERE standing = 'active' AND {cond} GROUP ALL"
        ))
        .await
        .unwrap();
    let n: Option<i64> = res.take((0, "n")).unwrap();
    n.unwrap_or(0) as u64
}

#[tokio::test]
async fn hospital_wide_filters_and_sort_orders_agree_with_the_records() {
    let app = spawn_demo_app().await;
    let office = app.session_cookie("office").await;

    // Newest admission first, across the hospital and across pages.
    let first = page(
        &roster(&app, &office, &[("query[sort]", "admission")])
            .await
            .1,
    );
    let mut res = app
        .state
        .db
        .query("SELECT VALUE admission_date FROM member WHERE standing = 'active' ORDER BY admission_date DESC LIMIT 1")
        .await
        .unwrap();
    let newest: Option<chrono::DateTime<chrono::Utc>> = res.take(0).unwrap();
    assert_eq!(
        first.members[0].admission_date,
        newest.unwrap().date_naive()
    );
    let mut form = vec![("query[sort]", "admission")];
    form.push(("query[page]", "2"));
    let second: MemberPage = app
        .call_as(&office, "list_members", &form)
        .await
        .json()
        .await
        .unwrap();
    let dates: Vec<_> = first
        .members
        .iter()
        .chain(&second.members)
        .map(|m| m.admission_date)
        .collect();
    assert_eq!(dates.len(), 40);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(first.total, active_count(&app, "true").await);

    // Across the hospital a name matches from its start or from its second character
    // (the given name), and nowhere else.
    let three = first
        .members
        .iter()
        .chain(&second.members)
        .find(|m| {
            let c: Vec<char> = m.name.chars().collect();
            c.len() == 3 && c[2] != c[0] && c[2] != c[1]
        })
        .expect("a three-character name");
    let given: String = three.name.chars().skip(1).collect();
    let by_given = page(&roster(&app, &office, &[("query[q]", &given)]).await.1);
    assert!(
        by_given.members.iter().any(|m| m.id == three.id),
        "{given} finds {}",
        three.name
    );
    assert!(by_given.members.iter().all(|m| {
        m.name.starts_with(&given)
            || m.name
                .chars()
                .skip(1)
                .collect::<String>()
                .starts_with(&given)
    }));
    let last: String = three.name.chars().skip(2).collect();
    let by_last = page(&roster(&app, &office, &[("query[q]", &last)]).await.1);
    assert!(
        by_last.members.iter().all(|m| m.id != three.id),
        "{last} is not the start of a name or a given name"
    );

    // The root committee as a filter is the whole hospital.
    let root = page(&roster(&app, &office, &[("query[org]", "o0000")]).await.1);
    assert_eq!(root.total, first.total);
    assert_eq!(root.members[0].id, all_first_id(&app, &office).await);

    // By organisation: grouped by branch key.
    let by_org = page(&roster(&app, &office, &[("query[sort]", "org")]).await.1);
    let orgs: Vec<&str> = by_org.members.iter().map(|m| m.org_id.as_str()).collect();
    assert!(orgs.windows(2).all(|w| w[0] <= w[1]), "{orgs:?}");

    // A department and a flag: every line matches and the counts are the records'.
    let department = first.members[0].department.clone();
    let in_department = page(
        &roster(&app, &office, &[("query[department]", &department)])
            .await
            .1,
    );
    assert!(
        in_department
            .members
            .iter()
            .all(|m| m.department == department)
    );
    assert_eq!(
        in_department.total,
        active_count(&app, &format!("department = {department:?}")).await
    );
    let hardship = page(
        &roster(
            &app,
            &office,
            &[("query[flag]", "hardship"), ("query[sort]", "admission")],
        )
        .await
        .1,
    );
    assert!(hardship.total > 0);
    assert_eq!(
        hardship.total,
        active_count(&app, "'hardship' IN flags").await
    );
    assert!(
        hardship
            .members
            .windows(2)
            .all(|w| w[0].admission_date >= w[1].admission_date)
    );
    // A search sorted by admission reads its matches and sorts them.
    let surname = first.members[0].name.chars().next().unwrap().to_string();
    let found = page(
        &roster(
            &app,
            &office,
            &[("query[q]", &surname), ("query[sort]", "admission")],
        )
        .await
        .1,
    );
    assert!(found.total > 0);
    assert!(found.members.iter().all(|m| m.name.starts_with(&surname)));
    assert!(
        found
            .members
            .windows(2)
            .all(|w| w[0].admission_date >= w[1].admission_date)
    );
    app.stop().await;
}

async fn all_first_id(app: &TestApp, cookie: &str) -> String {
    page(&roster(app, cookie, &[]).await.1).members[0]
        .id
        .clone()
}
