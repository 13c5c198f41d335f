//! 民主评议党员 (issue 14): a branch opens its yearly appraisal, members submit their 党性分析
//! and vote, the committee reads only totals (after the vote), decides the grades with
//! 优秀 within the share, and each grade lands on the member's record; a 不合格 opens a
//! rectification item. The ballot is anonymous by construction: nothing stored, returned
//! or audited names a voter together with a grade.

use app::access::Role;
use app::models::appraisal::{AppraisalState, AppraisalView, Grade};
use app::models::org::OrgKind;

use crate::support::{Fixture, TestApp, spawn_app};

async fn view(app: &TestApp, cookie: &str, id: &str) -> AppraisalView {
    let res = app.call_as(cookie, "get_appraisal", &[("id", id)]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// A ballot (`cast_ballot`) or a decision (`decide_appraisal`): a grade per member.
async fn send_marks(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    id: &str,
    others: &[(&str, Grade)],
) -> reqwest::Response {
    let mut form: Vec<(String, String)> = vec![("input[appraisal]".into(), id.into())];
    for (i, (member, grade)) in others.iter().enumerate() {
        form.push((format!("input[marks][{i}][member]"), member.to_string()));
        form.push((format!("input[marks][{i}][grade]"), grade.as_str().into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(cookie, endpoint, &pairs).await
}

async fn vote(
    app: &TestApp,
    cookie: &str,
    id: &str,
    others: &[(&str, Grade)],
) -> reqwest::Response {
    send_marks(app, cookie, "cast_ballot", id, others).await
}

async fn rows(app: &TestApp, query: &str) -> Vec<serde_json::Value> {
    let mut res = app.state.db.query(query).await.unwrap();
    res.take(0).unwrap()
}

#[tokio::test]
async fn an_appraisal_runs_from_self_assessments_to_decided_grades_and_no_ballot_is_traceable() {
    let app = spawn_app().await;
    let fx = Fixture::new(&app);
    let root = fx.org("评议测试党委", OrgKind::Committee, None).await;
    let branch = fx.org("评议测试党支部", OrgKind::Branch, Some(&root)).await;
    let people = fx.members(&branch, 4).await;
    let sec = fx
        .account(
            "ap_sec",
            Role::BranchCommittee,
            &[&branch],
            Some(&people[0]),
        )
        .await;
    let mut voters = vec![sec.clone()];
    for (i, p) in people.iter().enumerate().skip(1) {
        voters.push(
            fx.account(&format!("ap_m{i}"), Role::Member, &[], Some(p))
                .await,
        );
    }
    let open = |cookie: String, org: String| {
        let app = &app;
        async move {
            app.call_as(&cookie, "open_appraisal", &[("input[org]", org.as_str())])
                .await
        }
    };
    // A member cannot open one; another branch's secretary cannot open it here.
    assert_eq!(open(voters[1].clone(), branch.clone()).await.status(), 403);
    let other = app.session_cookie("secretary").await;
    assert_eq!(open(other.clone(), branch.clone()).await.status(), 403);
    let res = open(sec.clone(), branch.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id: String = res.json().await.unwrap();
    // One per branch and year.
    let again = open(sec.clone(), branch.clone()).await;
    assert_eq!(again.status(), 400);
    assert!(again.text().await.unwrap().contains("year"));
    // Outsiders learn nothing of it.
    let res = app
        .call_as(&other, "get_appraisal", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 403);

    // 党性分析: too short is refused; one's own is seen by oneself and the committee only.
    let short = app
        .call_as(
            &voters[1],
            "submit_self_assessment",
            &[("input[appraisal]", id.as_str()), ("input[text]", "太短")],
        )
        .await;
    assert_eq!(short.status(), 400);
    let text = "本年度认真学习党的理论，立足岗位履职尽责，但在理论联系实际方面仍有不足。";
    let res = app
        .call_as(
            &voters[1],
            "submit_self_assessment",
            &[("input[appraisal]", id.as_str()), ("input[text]", text)],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let own = view(&app, &voters[1], &id).await;
    assert!(own.on_list && !own.can_manage);
    assert!(own.members.iter().any(|m| m.self_text == text));
    let theirs = view(&app, &voters[2], &id).await;
    assert!(theirs.members.iter().all(|m| m.self_text.is_empty()));
    let committee = view(&app, &sec, &id).await;
    assert!(committee.can_manage);
    assert_eq!(
        committee.members.iter().filter(|m| m.self_assessed).count(),
        1
    );

    // No vote before it opens; a member cannot open it.
    let others = |me: usize| -> Vec<(&str, Grade)> {
        people
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != me)
            .map(|(i, p)| {
                let grade = match i {
                    1 => Grade::Excellent,
                    3 => Grade::Unqualified,
                    _ => Grade::Qualified,
                };
                (p.as_str(), grade)
            })
            .collect()
    };
    assert_eq!(vote(&app, &voters[1], &id, &others(1)).await.status(), 400);
    let res = app
        .call_as(&voters[1], "advance_appraisal", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_as(&sec, "advance_appraisal", &[("id", id.as_str())])
        .await;
    assert_eq!(res.status(), 200);
    let voting: AppraisalView = res.json().await.unwrap();
    assert_eq!(voting.state, AppraisalState::Voting);

    // A ballot must grade every other member, not oneself.
    let mut with_self = others(1);
    with_self.push((people[1].as_str(), Grade::Excellent));
    assert_eq!(vote(&app, &voters[1], &id, &with_self).await.status(), 400);
    assert_eq!(
        vote(&app, &voters[1], &id, &others(1)[..2]).await.status(),
        400
    );
    for (i, cookie) in voters.iter().enumerate() {
        let res = vote(&app, cookie, &id, &others(i)).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    // Once each.
    let twice = vote(&app, &voters[2], &id, &others(2)).await;
    assert_eq!(twice.status(), 400);
    // While the vote runs nobody sees totals, the committee included.
    let running = view(&app, &sec, &id).await;
    assert_eq!(running.voted, 4);
    assert!(running.members.iter().all(|m| m.counts.is_empty()));

    // Anonymity: who voted is stored without grades, the totals without voters, and the
    // audit trail says that a ballot was cast, never how.
    let voted = rows(&app, "SELECT * OMIT id FROM appraisal_voted").await;
    assert_eq!(voted.len(), 4);
    for row in &voted {
        let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["appraisal", "voter"], "{row}");
    }
    let totals = rows(&app, "SELECT * OMIT id FROM appraisal_count").await;
    for row in &totals {
        let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["appraisal", "grade", "n", "subject"], "{row}");
    }
    let audit = rows(
        &app,
        "SELECT summary FROM audit WHERE entity = 'appraisal' AND summary CONTAINS 'ballot'",
    )
    .await;
    assert_eq!(audit.len(), 4);
    for row in &audit {
        let summary = row["summary"].as_str().unwrap();
        assert!(
            Grade::ALL.iter().all(|g| !summary.contains(g.as_str())),
            "{summary}"
        );
    }
    assert!(
        rows(
            &app,
            "SELECT * FROM self_assessment WHERE text CONTAINS 'excellent'"
        )
        .await
        .is_empty()
    );

    // Closed: the committee reads the totals; members still do not.
    let res = app
        .call_as(&sec, "advance_appraisal", &[("id", id.as_str())])
        .await;
    let closed: AppraisalView = res.json().await.unwrap();
    assert_eq!(closed.state, AppraisalState::Closed);
    let first = closed
        .members
        .iter()
        .find(|m| m.member == people[1])
        .unwrap();
    assert_eq!(
        first.counts,
        vec![3, 0, 0, 0],
        "three others graded them excellent"
    );
    let last = closed
        .members
        .iter()
        .find(|m| m.member == people[3])
        .unwrap();
    assert_eq!(last.counts, vec![0, 0, 0, 3]);
    assert!(
        view(&app, &voters[1], &id)
            .await
            .members
            .iter()
            .all(|m| m.counts.is_empty())
    );

    // The decision: 优秀 within the share (4 members at 33 %: one), everyone graded.
    assert_eq!(closed.excellent_max, 1);
    let too_many = send_marks(
        &app,
        &sec,
        "decide_appraisal",
        &id,
        &[
            (people[0].as_str(), Grade::Excellent),
            (people[1].as_str(), Grade::Excellent),
            (people[2].as_str(), Grade::Qualified),
            (people[3].as_str(), Grade::Unqualified),
        ],
    )
    .await;
    assert_eq!(too_many.status(), 400);
    assert!(too_many.text().await.unwrap().contains("最多 1 人"));
    let res = send_marks(
        &app,
        &sec,
        "decide_appraisal",
        &id,
        &[
            (people[0].as_str(), Grade::Qualified),
            (people[1].as_str(), Grade::Excellent),
            (people[2].as_str(), Grade::Qualified),
            (people[3].as_str(), Grade::Unqualified),
        ],
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let decided: AppraisalView = res.json().await.unwrap();
    assert_eq!(decided.state, AppraisalState::Decided);
    // Each grade is on the member's record; a member sees their own grade only.
    let lines = rows(
        &app,
        "SELECT what.text AS text FROM member_event WHERE kind = 'appraisal'",
    )
    .await;
    assert_eq!(lines.len(), 4);
    assert!(
        lines
            .iter()
            .any(|l| l["text"].as_str().unwrap().contains("不合格"))
    );
    let mine = view(&app, &voters[1], &id).await;
    let graded: Vec<_> = mine
        .members
        .iter()
        .filter(|m| m.decided.is_some())
        .collect();
    assert_eq!(graded.len(), 1);
    assert_eq!(graded[0].decided, Some(Grade::Excellent));
    // The 不合格 opened a rectification item for the branch.
    let items = rows(
        &app,
        &format!(
            "SELECT problem FROM rectification WHERE org = org:{branch} AND problem CONTAINS '不合格'"
        ),
    )
    .await;
    assert_eq!(items.len(), 1, "{items:?}");
    // Decided once.
    let again = send_marks(
        &app,
        &sec,
        "decide_appraisal",
        &id,
        &[
            (people[0].as_str(), Grade::Qualified),
            (people[1].as_str(), Grade::Qualified),
            (people[2].as_str(), Grade::Qualified),
            (people[3].as_str(), Grade::Qualified),
        ],
    )
    .await;
    assert_eq!(again.status(), 400);
}
