//! The development pipeline end to end: 25 steps in order under the time rules, the member
//! record created on admission and made full on 转正, overdue flags, scope.

use app::models::member::{MemberProfile, id_check_char};
use app::models::pipeline::{CandidateDetail, PipelinePage, Stage};

use crate::support::{TestApp, spawn_app};

fn id_for(birth: &str, male: bool) -> String {
    let first17 = format!("330102{birth}05{}", if male { 5 } else { 6 });
    format!("{first17}{}", id_check_char(&first17).unwrap())
}

async fn apply(
    app: &TestApp,
    cookie: &str,
    name: &str,
    birth: &str,
    org: &str,
    applied: &str,
) -> reqwest::Response {
    let id_number = id_for(&birth.replace('-', ""), false);
    app.call_as(
        cookie,
        "create_candidate",
        &[
            ("input[name]", name),
            ("input[gender]", "female"),
            ("input[birth_date]", birth),
            ("input[id_number]", &id_number),
            ("input[phone]", "13700002222"),
            ("input[department]", "肿瘤内科一病区"),
            ("input[title]", "护师"),
            ("input[org]", org),
            ("input[application_date]", applied),
        ],
    )
    .await
}

async fn step(
    app: &TestApp,
    cookie: &str,
    candidate: &str,
    no: u8,
    date: &str,
) -> reqwest::Response {
    let no = no.to_string();
    app.call_as(
        cookie,
        "record_step",
        &[
            ("input[candidate]", candidate),
            ("input[step]", &no),
            ("input[date]", date),
            ("input[responsible]", "王建国、李秀英"),
            ("input[approver]", "院党委"),
            ("input[materials]", "会议记录"),
        ],
    )
    .await
}

async fn detail(app: &TestApp, cookie: &str, id: &str) -> CandidateDetail {
    app.call_as(cookie, "get_candidate", &[("id", id)])
        .await
        .json()
        .await
        .unwrap()
}

async fn refused(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 400);
    res.text().await.unwrap()
}

#[tokio::test]
async fn an_applicant_becomes_a_full_member_through_twenty_five_steps() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let res = apply(
        &app,
        &secretary,
        "林晓雯",
        "1996-04-03",
        "o0003",
        "2022-01-10",
    )
    .await;
    assert_eq!(res.status(), 200);
    let id: String = res.json().await.unwrap();
    let ok = |res: reqwest::Response| async move {
        let status = res.status();
        assert_eq!(status, 200, "{}", res.text().await.unwrap());
    };
    ok(step(&app, &secretary, &id, 2, "2022-01-20").await).await;
    // Out of order.
    assert!(
        refused(step(&app, &secretary, &id, 4, "2022-03-01").await)
            .await
            .contains("第 3 步")
    );
    for (no, date) in [
        (3, "2022-03-01"),
        (4, "2022-03-05"),
        (5, "2022-03-10"),
        (6, "2022-09-01"),
    ] {
        ok(step(&app, &secretary, &id, no, date).await).await;
    }
    let d = detail(&app, &secretary, &id).await;
    assert_eq!(d.line.stage, Stage::Activist);
    assert_eq!(d.steps[4].responsible, vec!["王建国", "李秀英"]);
    // A year as activist first (activist since 2022-03-01).
    let text = refused(step(&app, &secretary, &id, 7, "2023-02-28").await).await;
    assert!(
        text.contains("满一年") && text.contains("2023-03-01"),
        "{text}"
    );
    for (no, date) in [
        (7, "2023-03-01"),
        (8, "2023-03-05"),
        (9, "2023-03-10"),
        (10, "2023-04-01"),
        (11, "2023-05-01"),
        (12, "2023-08-01"),
        (13, "2023-08-10"),
        (14, "2023-08-20"),
        (15, "2023-09-01"),
        (16, "2023-09-10"),
    ] {
        ok(step(&app, &secretary, &id, no, date).await).await;
    }
    assert!(detail(&app, &secretary, &id).await.line.member.is_none());
    ok(step(&app, &secretary, &id, 17, "2023-10-01").await).await;
    let d = detail(&app, &secretary, &id).await;
    assert_eq!(d.line.stage, Stage::Probation);
    let member = d
        .line
        .member
        .clone()
        .expect("admission creates the member record");
    let m: MemberProfile = app
        .call_as(&secretary, "get_member", &[("id", &member)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m.name, "林晓雯");
    assert_eq!(m.status, "probationary");
    assert_eq!(m.org_id, "o0003");
    assert_eq!(
        m.admission_date.to_string(),
        "2023-09-01",
        "the branch meeting's date"
    );
    assert_eq!(
        m.application_date.map(|d| d.to_string()).as_deref(),
        Some("2022-01-10")
    );
    assert_eq!(m.title, "护师", "nothing typed twice");
    assert_eq!(m.pipeline.len(), 17, "the profile shows the steps so far");
    assert_eq!(m.pipeline[16].approver, "院党委");

    for (no, date) in [
        (18, "2023-10-10"),
        (19, "2023-10-15"),
        (20, "2023-10-20"),
        (21, "2024-06-01"),
        (22, "2024-08-01"),
    ] {
        ok(step(&app, &secretary, &id, no, date).await).await;
    }
    let text = refused(step(&app, &secretary, &id, 23, "2024-08-31").await).await;
    assert!(
        text.contains("预备期满一年") && text.contains("2024-09-01"),
        "{text}"
    );
    ok(step(&app, &secretary, &id, 23, "2024-09-02").await).await;
    ok(step(&app, &secretary, &id, 24, "2024-09-20").await).await;
    let m: MemberProfile = app
        .call_as(&secretary, "get_member", &[("id", &member)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m.status, "full");
    assert_eq!(
        m.full_date.map(|d| d.to_string()).as_deref(),
        Some("2024-09-01")
    );
    ok(step(&app, &secretary, &id, 25, "2024-10-01").await).await;
    assert!(
        refused(step(&app, &secretary, &id, 25, "2024-10-02").await)
            .await
            .contains("全部完成")
    );
    let d = detail(&app, &secretary, &id).await;
    assert_eq!(d.steps.len(), 25);
    assert!(d.line.next.is_none());
    let page: PipelinePage = app
        .call_as(&secretary, "list_pipeline", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !page.people.iter().any(|l| l.id == id),
        "completed: off the list"
    );
    assert_eq!(
        app.audit("update")
            .await
            .iter()
            .filter(|e| e.entity_id == id)
            .count(),
        24
    );
    app.stop().await;
}

#[tokio::test]
async fn applications_follow_the_rules_and_the_scope() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    // Seventeen on the day of application.
    let text = refused(
        apply(
            &app,
            &secretary,
            "周小禾",
            "2008-06-01",
            "o0003",
            "2026-05-31",
        )
        .await,
    )
    .await;
    assert!(text.contains("18 周岁"), "{text}");
    // Another branch.
    let res = apply(
        &app,
        &secretary,
        "周小禾",
        "1998-06-01",
        "o0004",
        "2024-05-31",
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = apply(
        &app,
        &secretary,
        "周小禾",
        "1998-06-01",
        "o0003",
        "2024-05-31",
    )
    .await;
    assert_eq!(res.status(), 200);
    let id: String = res.json().await.unwrap();
    // The same person again.
    let text = refused(
        apply(
            &app,
            &secretary,
            "周小禾",
            "1998-06-01",
            "o0003",
            "2024-06-30",
        )
        .await,
    )
    .await;
    assert!(text.contains("已在发展流程中"), "{text}");
    // Two mentors are two people; the approving body is named.
    step(&app, &secretary, &id, 2, "2024-06-10").await;
    let res = app
        .call_as(
            &secretary,
            "record_step",
            &[
                ("input[candidate]", &id),
                ("input[step]", "3"),
                ("input[date]", "2024-07-01"),
            ],
        )
        .await;
    assert!(refused(res).await.contains("审批"));

    // Another branch's secretary does not see this person; the office does.
    let office = app.session_cookie("office").await;
    assert_eq!(detail(&app, &office, &id).await.line.name, "周小禾");
    app.state
        .db
        .query("UPDATE candidate SET org = org:o0004 WHERE id = type::record('candidate', $id)")
        .bind(("id", id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let res = app
        .call_as(&secretary, "get_candidate", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn overdue_talks_are_flagged_and_the_committee_sees_every_branch() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let today = chrono::Utc::now().date_naive();
    let long_ago = (today - chrono::Duration::days(60)).to_string();
    let recent = (today - chrono::Duration::days(5)).to_string();
    let late: String = apply(&app, &office, "逾期甲", "1990-01-01", "o0003", &long_ago)
        .await
        .json()
        .await
        .unwrap();
    let fresh: String = apply(&app, &office, "按时乙", "1991-01-01", "o0004", &recent)
        .await
        .json()
        .await
        .unwrap();
    let page: PipelinePage = app
        .call_as(&office, "list_pipeline", &[("query[overdue]", "true")])
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = page.people.iter().map(|l| l.id.as_str()).collect();
    assert!(
        ids.contains(&late.as_str()) && !ids.contains(&fresh.as_str()),
        "{ids:?}"
    );
    let all: PipelinePage = app
        .call_as(&office, "list_pipeline", &[])
        .await
        .json()
        .await
        .unwrap();
    let o3 = all.branches.iter().find(|b| b.org_id == "o0003").unwrap();
    let o4 = all.branches.iter().find(|b| b.org_id == "o0004").unwrap();
    assert!(o3.counts[0] >= 1 && o3.overdue >= 1);
    assert!(o4.counts[0] >= 1);
    // A secretary's view holds only their branch.
    let secretary = app.session_cookie("secretary").await;
    let mine: PipelinePage = app
        .call_as(&secretary, "list_pipeline", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.people.iter().all(|l| l.org_id == "o0003"));
    assert!(mine.people.iter().any(|l| l.id == late));
    app.stop().await;
}
