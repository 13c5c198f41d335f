use std::collections::HashSet;

use app::access::{Audience, Role};
use app::api::ACCESS_RULES;

use crate::support::{DEMO_ACCOUNTS, spawn_app};

#[tokio::test]
async fn every_registered_server_function_declares_an_access_rule_and_vice_versa() {
    let registered: HashSet<String> = zhibu_server::http::registered_server_fns()
        .into_iter()
        .collect();
    let declared: Vec<&str> = ACCESS_RULES.iter().map(|r| r.endpoint).collect();
    let declared_set: HashSet<String> = declared.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        declared.len(),
        declared_set.len(),
        "a rule is declared twice: {declared:?}"
    );
    let missing: Vec<_> = registered.difference(&declared_set).collect();
    assert!(
        missing.is_empty(),
        "server functions without an access rule: {missing:?}"
    );
    let stale: Vec<_> = declared_set.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "rules for endpoints that do not exist: {stale:?}"
    );
}

#[tokio::test]
async fn state_changing_requests_from_other_sites_are_refused() {
    let app = spawn_app().await;
    let url = app.url("/api/get_public_summary");
    let cases: [(&str, Option<(&str, &str)>); 4] = [
        ("no origin", None),
        ("foreign origin", Some(("origin", "http://evil.example"))),
        ("cross-site fetch", Some(("sec-fetch-site", "cross-site"))),
        ("null origin", Some(("origin", "null"))),
    ];
    for (case, header) in cases {
        let mut req = app.client.post(&url);
        if let Some((k, v)) = header {
            req = req.header(k, v);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 403, "{case}");
    }
    let lang = app
        .client
        .post(app.url("/lang"))
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(lang.status(), 403, "the language switch is a POST too");
    // The same call from the platform's own page succeeds.
    assert_eq!(app.call("get_public_summary", &[]).await.status(), 200);
    let same_site = app
        .client
        .post(&url)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 200);
}

#[tokio::test]
async fn oversize_bodies_are_refused_with_413() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/get_public_summary"))
        .header("origin", app.origin())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_security_headers() {
    let app = spawn_app().await;
    // The tablet page hydrates: its inline scripts need the nonce.
    let res = app.get("/tablet").await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "same-origin");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the nonce"
    );
    // Every script tag carries it (external ones are also allowed by 'self').
    let tags: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|s| s.split('>').next().unwrap_or(""))
        .collect();
    assert!(!tags.is_empty());
    for tag in &tags {
        assert!(
            tag.contains(&nonce),
            "script without the nonce: <script{tag}>"
        );
    }

    // A fresh nonce every response.
    let again = app.get("/tablet").await;
    let csp2 = again.headers()["content-security-policy"].to_str().unwrap();
    assert_ne!(csp, csp2);

    // Pages that load no WASM run no script at all: none is sent, none may run.
    for path in ["/login", "/"] {
        let res = app.get(path).await;
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("script-src 'none'") && !csp.contains("nonce"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        let html = res.text().await.unwrap();
        assert!(!html.contains("<script"), "{path} carries a script");
        assert!(html.contains("<meta name=\"description\""), "{path}");
    }

    // Non-page responses get the strict default.
    let health = app.get("/healthz").await;
    assert_eq!(
        health.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

/// Every endpoint, called by a visitor and by every demo role: admitted callers get
/// through without a server error; others get 401 (visitors) or 403 (roles) and no data.
#[tokio::test]
async fn each_caller_reaches_exactly_the_endpoints_its_rules_admit() {
    let app = spawn_app().await;
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(member) FROM account WHERE username = 'member'")
        .await
        .unwrap();
    let member: String = res.take::<Vec<String>>(0).unwrap().remove(0);
    // Closed-loop records of the demo secretary's branch: in every admitted caller's scope.
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE record::id(id) FROM assignment WHERE org = org:o0003 LIMIT 1;
             SELECT VALUE record::id(id) FROM rectification WHERE org = org:o0003 LIMIT 1;",
        )
        .await
        .unwrap();
    let assignment: String = res.take::<Vec<String>>(0).unwrap().remove(0);
    let rectification: String = res.take::<Vec<String>>(1).unwrap().remove(0);
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE record::id(id) FROM meeting WHERE org = org:o0003
             AND minutes_state != 'submitted' AND type::record('member', $m) IN attendees LIMIT 1",
        )
        .bind(("m", member.clone()))
        .await
        .unwrap();
    let meeting: String = res.take::<Vec<String>>(0).unwrap().remove(0);
    // The branch's appraisal, already decided: every admitted call reads it or is refused
    // by its state, and none changes it.
    let office = app.session_cookie("office").await;
    let res = app
        .call_as(&office, "open_appraisal", &[("input[org]", "o0003")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let appraisal: String = res.json().await.unwrap();
    app.state
        .db
        .query("UPDATE type::record('appraisal', $a) SET state = 'decided'")
        .bind(("a", appraisal.clone()))
        .await
        .unwrap();
    // A file of that branch, for the download.
    let uploaded = app
        .upload(
            &office,
            "o0003",
            "样例.png",
            app::server::files::sample_png(8, 8, 1),
        )
        .await;
    assert_eq!(uploaded.status(), 200);
    let file = uploaded
        .json::<app::models::files::FileView>()
        .await
        .unwrap()
        .id;
    // A member reads only the tasks to them and answers only their own assignment: the
    // demo's task to members, which includes the demo member.
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE [record::id(id), record::id(task)] FROM assignment
             WHERE member = type::record('member', $m) LIMIT 1",
        )
        .bind(("m", member.clone()))
        .await
        .unwrap();
    let own: Vec<String> = res.take::<Vec<Vec<String>>>(0).unwrap().remove(0);
    // A member downloads their own upload (evidence of a task given to them).
    let member_cookie = app.session_cookie("member").await;
    let own_upload = app
        .upload(
            &member_cookie,
            "",
            "心得配图.png",
            app::server::files::sample_png(8, 8, 2),
        )
        .await;
    assert_eq!(own_upload.status(), 200);
    let member_file = own_upload
        .json::<app::models::files::FileView>()
        .await
        .unwrap()
        .id;
    let records = Records {
        member: &member,
        // A published demo task to every branch.
        task: "k0012",
        assignment: &assignment,
        rectification: &rectification,
        meeting: &meeting,
        appraisal: &appraisal,
    };
    let member_records = Records {
        member: &member,
        task: &own[1],
        assignment: &own[0],
        rectification: &rectification,
        meeting: &meeting,
        appraisal: &appraisal,
    };
    // A meeting-room tablet paired with the room of a meeting held today: its stream and
    // its sign-in aim at that meeting.
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE [record::id(id), record::id(place)] FROM meeting
             WHERE day = $today AND place != NONE LIMIT 1",
        )
        .bind(("today", app.china_today()))
        .await
        .unwrap();
    let today: Vec<String> = res.take::<Vec<Vec<String>>>(0).unwrap().remove(0);
    let tablet = app.paired_tablet(&today[1]).await;
    let mut callers: Vec<(&str, Option<Role>, Option<String>)> = vec![("visitor", None, None)];
    for (username, role) in DEMO_ACCOUNTS {
        callers.push((
            username,
            Some(*role),
            Some(app.session_cookie(username).await),
        ));
    }
    callers.push(("tablet", None, Some(tablet)));
    for (who, role, cookie) in &callers {
        for rule in ACCESS_RULES {
            let name = rule.endpoint.trim_start_matches("/api/");
            if name == "logout" {
                continue; // would end the session this loop uses
            }
            let res = if rule.endpoint.starts_with("/api/") {
                // Well-formed arguments that change nothing: missing targets, wrong passwords.
                let form = if *who == "tablet" {
                    sample_arguments(
                        name,
                        &Records {
                            meeting: &today[0],
                            ..member_records
                        },
                    )
                } else if *role == Some(Role::Member) {
                    sample_arguments(name, &member_records)
                } else {
                    sample_arguments(name, &records)
                };
                match cookie {
                    Some(c) => app.call_as(c, name, &form).await,
                    None => app.call(name, &form).await,
                }
            } else if rule.endpoint == "/import/members" {
                // The upload takes a multipart form: one without a file changes nothing.
                reqwest::Client::new()
                    .post(app.url(rule.endpoint))
                    .header("origin", app.origin())
                    .header("cookie", cookie.clone().unwrap_or_default())
                    .multipart(reqwest::multipart::Form::new().text("other", "x"))
                    .send()
                    .await
                    .unwrap()
            } else if rule.endpoint == "/files" {
                // An upload without a name: refused by validation, nothing stored.
                match cookie {
                    Some(c) => app.upload(c, "o0003", "", b"%PDF-1.4".to_vec()).await,
                    None => app.upload("", "o0003", "", b"%PDF-1.4".to_vec()).await,
                }
            } else {
                // The closed loop's exports name a period (none that exists: 404) and the
                // secretary's branch, in every admitted caller's scope.
                let path = match rule.endpoint {
                    "/export/ranking.xlsx" => format!("{}?period=nowhere", rule.endpoint),
                    "/export/branch-assessment.xlsx" => {
                        format!("{}?period=nowhere&org=o0003", rule.endpoint)
                    }
                    "/export/ledger.xlsx" => format!("{}?org=o0003&year=0", rule.endpoint),
                    // The demo's requirement of the whole hospital, as `get_requirement`.
                    "/export/required.xlsx" => format!("{}?id=rqdemo1", rule.endpoint),
                    "/files/{key}" if *role == Some(Role::Member) => {
                        format!("/files/{member_file}")
                    }
                    "/files/{key}" => format!("/files/{file}"),
                    "/tablet/live/{key}" => format!("/tablet/live/{}", today[0]),
                    "/live/meetings/{key}" => format!("/live/meetings/{meeting}"),
                    "/screen/meetings/{key}" => format!("/screen/meetings/{meeting}"),
                    endpoint => endpoint.to_string(),
                };
                match cookie {
                    Some(c) => app.get_as(c, &path).await,
                    None => app.get(&path).await,
                }
            };
            let status = res.status().as_u16();
            // A live stream admitted never ends: its status is the answer.
            let streams = rule.endpoint.contains("/live/") && status == 200;
            let body = if streams {
                String::new()
            } else {
                res.text().await.unwrap()
            };
            let admitted = match (rule.audience, role) {
                (Audience::Anyone, _) => true,
                (Audience::Device, _) => *who == "tablet",
                // A tablet is no account: nothing else admits it.
                _ if *who == "tablet" => false,
                (Audience::SignedIn, role) => role.is_some(),
                (Audience::Roles(roles), Some(role)) => roles.contains(role),
                (Audience::Roles(_), None) => false,
            };
            if admitted && name == "login" {
                // The sample sign-in uses a wrong password: the one answer it may get.
                assert_eq!(
                    (status, body.as_str()),
                    (401, "\"InvalidCredentials\""),
                    "{who}"
                );
            } else if admitted {
                assert!(
                    status != 401 && status != 403 && status < 500,
                    "{who} → {name}: {status} {body}"
                );
            } else {
                let (code, error) = if role.is_some() {
                    (403, "Forbidden")
                } else {
                    (401, "Unauthenticated")
                };
                assert_eq!(status, code, "{who} must not reach {name}");
                assert!(
                    body.contains(error) && body.len() < 100,
                    "{who} → {name}: {body}"
                );
            }
        }
    }
}

/// Arguments each server function decodes, aimed at nothing that exists or at a wrong
/// password, so that admitted calls change nothing while the matrix runs.
/// A member form with every field empty: refused by validation, so nothing changes.
const EMPTY_MEMBER: &[(&str, &str)] = &[
    ("input[name]", ""),
    ("input[gender]", ""),
    ("input[birth_date]", ""),
    ("input[phone]", ""),
    ("input[id_number]", ""),
    ("input[org]", "o0003"),
    ("input[status]", ""),
    ("input[admission_date]", ""),
];

/// Demo records the samples aim at.
struct Records<'a> {
    member: &'a str,
    /// A meeting of the demo secretary's branch the demo member is expected at, its
    /// minutes not submitted.
    meeting: &'a str,
    task: &'a str,
    assignment: &'a str,
    rectification: &'a str,
    /// The demo secretary's branch's appraisal, decided (the demo member is on its list).
    appraisal: &'a str,
}

fn sample_arguments<'a>(name: &str, records: &Records<'a>) -> Vec<(&'static str, &'a str)> {
    let member = records.member;
    match name {
        // The demo member's own record: in every admitted caller's scope.
        "get_member" => vec![("id", member)],
        "reveal_member_field" => vec![("id", member), ("field", "phone")],
        "login" => vec![
            ("input[username]", "nobody-at-all"),
            ("input[password]", "x"),
        ],
        "get_org_detail" | "get_org_children" => vec![("query[id]", "o0003")],
        "change_password" => vec![
            ("input[current]", "not-the-password"),
            ("input[new_password]", "Xin-mima-2026"),
            ("input[confirm]", "Xin-mima-2026"),
        ],
        "list_accounts" | "search_audit" | "list_members" => vec![("query[page]", "1")],
        "update_member_phone" => vec![("input[id]", member), ("input[phone]", "12")],
        "change_member_status" => vec![
            ("input[id]", member),
            ("input[action]", "to_full"),
            ("input[date]", "2999-01-01"),
            ("input[reason]", "x"),
        ],
        "create_account" => vec![("input[username]", "x"), ("input[display_name]", "")],
        "set_account_roles" => vec![("input[username]", "nobody-at-all")],
        "set_account_disabled" => vec![("username", "nobody-at-all"), ("disabled", "true")],
        "reset_account_password" => vec![("username", "nobody-at-all")],
        "create_org" => vec![
            ("input[parent]", "nowhere"),
            ("input[kind]", "branch"),
            ("input[name]", "x"),
        ],
        "change_org" => vec![
            ("input[id]", "nowhere"),
            ("input[action]", "rename"),
            ("input[value]", "x"),
        ],
        "update_branch" => vec![
            ("input[id]", "o0003"),
            ("input[action]", "term"),
            ("input[value]", "2999-01-01"),
        ],
        "create_member" => EMPTY_MEMBER.to_vec(),
        "update_member" => {
            let mut form = EMPTY_MEMBER.to_vec();
            form.push(("id", member));
            form
        }
        // A demo applicant in the secretary's branch.
        "get_candidate" => vec![("id", "c0001")],
        "create_candidate" => vec![
            ("input[name]", ""),
            ("input[gender]", ""),
            ("input[birth_date]", ""),
            ("input[id_number]", ""),
            ("input[phone]", ""),
            ("input[org]", "o0003"),
            ("input[application_date]", ""),
        ],
        "record_step" => vec![
            ("input[candidate]", "c0001"),
            ("input[step]", "1"),
            ("input[date]", "2020-01-01"),
        ],
        "start_transfer" => vec![
            ("input[member]", member),
            ("input[kind]", "nonsense"),
            ("input[dues_paid_to]", ""),
        ],
        "resolve_transfer" => vec![("input[id]", "t0001"), ("input[action]", "nonsense")],
        "get_transfer" => vec![("id", "t0001")],
        "transfer_in" => {
            let mut form = EMPTY_MEMBER.to_vec();
            form.extend([("outside", ""), ("letter_no", ""), ("dues_paid_to", "")]);
            form
        }
        "get_import" | "commit_import" => vec![("id", "nobody")],
        "assign_seat" => vec![("input[member]", member), ("input[position]", "nonsense")],
        "get_period" | "close_period" => vec![("id", "nowhere")],
        "save_period" => vec![
            ("input[name]", ""),
            ("input[starts]", ""),
            ("input[ends]", ""),
        ],
        "list_tasks" => vec![("query[page]", "1")],
        // Files: every Party role may list its own (the kinds it may not list are refused
        // inside, as their own listing refuses them: tested in assessment.rs).
        "pick_records" => vec![("kind", "file"), ("words", "")],
        "list_assignments" | "list_rectifications" | "list_files" => vec![("query[page]", "1")],
        "get_task" => vec![("id", records.task)],
        "save_task" => vec![
            ("input[period]", "nowhere"),
            ("input[indicator]", ""),
            ("input[title]", ""),
            ("input[targets]", ""),
            ("input[starts]", ""),
            ("input[deadline]", ""),
        ],
        "change_task" => vec![("input[id]", "k0012"), ("input[action]", "nonsense")],
        "get_assignment" => vec![("id", records.assignment)],
        "answer_assignment" => vec![
            ("input[id]", records.assignment),
            ("input[action]", "nonsense"),
        ],
        "review_assignment" => vec![
            ("input[id]", records.assignment),
            ("input[version]", "0"),
            ("input[score]", "0"),
            ("input[decision]", "nonsense"),
        ],
        "rectify" => vec![
            ("input[id]", records.rectification),
            ("input[action]", "nonsense"),
        ],
        "raise_finding" => vec![("input[org]", "nowhere"), ("input[problem]", "")],
        "schedule_meeting" => vec![
            ("input[org]", "o0003"),
            ("input[kind]", "nonsense"),
            ("input[day]", ""),
            ("input[topic]", ""),
        ],
        "list_meetings" => vec![("query[year]", "0")],
        "get_meeting" => vec![("id", records.meeting)],
        "mark_attendance" => vec![
            ("input[meeting]", records.meeting),
            ("input[member]", records.member),
            ("input[status]", "nonsense"),
        ],
        // An id the server refuses before it looks for the meeting.
        "save_room" => vec![("input[name]", "")],
        "open_appraisal" => vec![("input[org]", "")],
        "get_appraisal" | "advance_appraisal" => vec![("id", records.appraisal)],
        "submit_self_assessment" => {
            vec![("input[appraisal]", records.appraisal), ("input[text]", "")]
        }
        "cast_ballot" | "decide_appraisal" => vec![("input[appraisal]", records.appraisal)],
        "pair_tablet" => vec![("input[room]", "nowhere"), ("input[code]", "000000")],
        "revoke_tablet" => vec![("id", "nowhere")],
        "tablet_sign_in" => vec![
            ("input[meeting]", records.meeting),
            ("input[member]", records.member),
            ("input[pin]", ""),
            ("input[client_id]", "x"),
        ],
        "set_pin" => vec![("input[pin]", "")],
        "sign_in_meeting" => vec![
            ("input[meeting]", records.meeting),
            ("input[client_id]", "x"),
        ],
        // An empty reason and a decision on nobody: refused by validation, nothing changes.
        // No attendee: refused by validation, nothing changes.
        "set_meeting_people" => vec![("input[meeting]", records.meeting)],
        // A file key that is no key: refused by validation, nothing changes.
        "set_meeting_files" => vec![
            ("input[meeting]", records.meeting),
            ("input[files]", "no such file!"),
        ],
        // Warning days out of range: refused by validation, nothing changes.
        "save_meeting_rules" => vec![("input[warn_days]", "0")],
        "request_leave" => vec![("input[meeting]", records.meeting), ("input[reason]", "")],
        "decide_leave" => vec![
            ("input[meeting]", records.meeting),
            ("input[member]", "nobody"),
            ("input[approve]", "true"),
        ],
        "save_minutes" => vec![
            ("input[meeting]", records.meeting),
            ("input[minutes]", ""),
            ("input[submit]", "true"),
        ],
        // Minutes not submitted: refused, nothing changes.
        "approve_minutes" => vec![("id", records.meeting)],
        "meeting_grid" => vec![("query[year]", "0")],
        "meeting_ledger" => vec![("query[org]", "o0003"), ("query[year]", "0")],
        // The demo committee's published course: every member reads it.
        "list_courses" => vec![("query[page]", "1")],
        "get_course" => vec![("id", "csdemo1")],
        "get_item" => vec![("id", "csdemo1c0i0")],
        // No title, no course: refused by validation, nothing changes.
        "save_course" => vec![("input[title]", ""), ("input[category]", "theory")],
        "publish_course" => vec![("input[id]", ""), ("input[publish]", "true")],
        "save_chapter" => vec![("input[course]", "csdemo1"), ("input[title]", "")],
        "save_article" => vec![
            ("input[chapter]", "csdemo1c0"),
            ("input[title]", ""),
            ("input[body]", ""),
        ],
        "preview_markdown" => vec![("body", "**党章**")],
        // The top of the committee's first article: kept for a member, nothing for others.
        "report_progress" => vec![("input[item]", "csdemo1c0i0"), ("input[position]", "0")],
        // The caller's own record (none for an account without a member record: 404).
        "get_learning_record" => vec![("member", "")],
        "list_questions" => vec![("query[page]", "1")],
        // No stem, no title: refused by validation, nothing changes.
        "save_question" => vec![
            ("input[org]", "o0003"),
            ("input[kind]", "single"),
            ("input[stem]", ""),
            ("input[key]", "A"),
        ],
        // No question named: refused by validation, nothing deleted.
        "delete_question" => vec![("id", "")],
        // No file: refused by validation, nothing imported.
        "import_questions" => vec![("input[org]", "o0003"), ("input[file]", "")],
        "save_exam" => vec![
            ("input[org]", "o0003"),
            ("input[title]", ""),
            ("input[pass_percent]", "60"),
        ],
        // The committee's demo exam: every member reads it.
        "get_exam" => vec![("id", "exdemo1")],
        // No exam, no attempt: refused by validation, nothing starts or changes.
        "start_attempt" => vec![("exam", "")],
        "get_attempt" => vec![("id", "")],
        "submit_attempt" => vec![("input[attempt]", "")],
        "list_required" => vec![("page", "1")],
        // The demo's requirement of the whole hospital: the office and the committees see
        // it (each its own members); no requirement: 400.
        "get_requirement" => vec![("id", "rqdemo1")],
        // No deadline, no requirement: refused by validation, nothing changes.
        "save_requirement" => vec![
            ("input[org]", "o0003"),
            ("input[what]", "course:csdemo1"),
            ("input[targets][0]", "o0003"),
            ("input[due]", ""),
        ],
        "delete_requirement" => vec![("id", "")],
        "my_points" => vec![("page", "1")],
        "list_reflections" => vec![("year", "0")],
        // No title: refused by validation, nothing is written.
        "save_reflection" => vec![("input[title]", ""), ("input[body]", "")],
        // No reflection: refused by validation, nothing changes.
        "share_reflection" => vec![("input[id]", ""), ("input[shared]", "true")],
        // No organisation: refused by validation (the setting that hides branch totals from
        // committees is tested in `points.rs`).
        "branch_points" => vec![("org", "")],
        // Missing amounts: refused by validation, nothing changes.
        "save_point_settings" => vec![("input[branch_totals]", "false")],
        "get_ranking" => vec![("period", "nowhere")],
        "get_branch_assessment" => vec![("period", "nowhere"), ("org", "o0003")],
        _ => vec![],
    }
}

/// Data scope: every Party role asks for the details of its own branch and of another;
/// the office sees both, the secretary and the member only their own. A refusal carries
/// no data and is recorded.
#[tokio::test]
async fn each_party_role_reaches_only_the_organisations_in_its_scope() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let forest: Vec<app::models::org::OrgNode> = app
        .call_as(&office, "get_org_tree", &[])
        .await
        .json()
        .await
        .unwrap();
    let other = forest[0]
        .walk()
        .into_iter()
        .filter(|n| n.kind == app::models::org::OrgKind::Branch && n.id != "o0003")
        .last()
        .expect("another branch")
        .id
        .clone();
    for (user, own_ok, other_ok) in [
        ("office", true, true),
        ("secretary", true, false),
        ("member", true, false),
    ] {
        let cookie = app.session_cookie(user).await;
        for (id, expect_ok) in [("o0003", own_ok), (other.as_str(), other_ok)] {
            // A folded node's children are the same question as its details.
            for endpoint in ["get_org_detail", "get_org_children"] {
                let res = app.call_as(&cookie, endpoint, &[("query[id]", id)]).await;
                let status = res.status().as_u16();
                let body = res.text().await.unwrap();
                if expect_ok {
                    assert_eq!(status, 200, "{user} → {endpoint} {id}: {body}");
                } else {
                    assert_eq!(status, 403, "{user} must not read {endpoint} {id}");
                    assert!(body.contains("Forbidden") && body.len() < 100, "{body}");
                }
            }
        }
        let tree: Vec<app::models::org::OrgNode> = app
            .call_as(&cookie, "get_org_tree", &[])
            .await
            .json()
            .await
            .unwrap();
        let ids: Vec<String> = tree
            .iter()
            .flat_map(|r| r.walk())
            .map(|n| n.id.clone())
            .collect();
        assert!(ids.contains(&"o0003".to_string()), "{user}");
        assert_eq!(
            ids.contains(&other),
            other_ok,
            "{user} sees {other} in the tree?"
        );
    }
    let denials = app.audit("permission_denied").await;
    assert!(
        denials
            .iter()
            .any(|e| e.actor == "secretary" && e.entity == "org" && e.entity_id == other)
    );
}

#[tokio::test]
async fn display_pages_may_be_framed_only_by_configured_origins() {
    let mut config = crate::support::test_config();
    config.security.frame_ancestors = vec!["https://intranet.example.cn".into()];
    let app = crate::support::spawn_app_with(config).await;
    let public = app.get("/").await;
    let csp = public.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'self' https://intranet.example.cn"),
        "{csp}"
    );
    assert!(public.headers().get("x-frame-options").is_none());
    let login = app.get("/login").await;
    let csp = login.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(login.headers()["x-frame-options"], "DENY");
    // Without configuration nothing may be framed.
    let plain = spawn_app().await;
    let res = plain.get("/").await;
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(res.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn a_request_the_server_cannot_decode_is_a_400_not_a_500() {
    let app = spawn_app().await;
    // `login` needs `input[username]` and `input[password]`.
    let res = app.call("login", &[("unexpected", "field")]).await;
    assert_eq!(res.status(), 400);
    let body: app::error::AppError = res.json().await.unwrap();
    // A plain message in the caller's language, not the decoder's internals.
    let app::error::AppError::Request(message) = body else {
        panic!("{body:?}")
    };
    assert!(message.contains("请求格式不正确"), "{message}");
    assert!(
        !message.contains("Seq") && !message.contains("serde"),
        "{message}"
    );
    // Arguments of the wrong type, signed in, in English.
    let office = app.session_cookie("office").await;
    let res = app
        .call_as(
            &format!("{office}; zhibu_lang=en"),
            "list_members",
            &[("query[page]", "not-a-number")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let body: app::error::AppError = res.json().await.unwrap();
    assert_eq!(
        body,
        app::error::AppError::Request(
            "The request is malformed: an argument is missing or not understood.".into()
        )
    );
}

#[tokio::test]
async fn pages_and_answers_with_personal_data_are_never_stored_by_browsers_or_proxies() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    for path in ["/members", "/org", "/login", "/export/members.xlsx"] {
        let res = app.get_as(&office, path).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app
        .call_as(&office, "list_members", &[("query[page]", "1")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    // The largest page number a client can send is an empty page, not an overflow.
    let res = app
        .call_as(&office, "list_members", &[("query[page]", "4294967295")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // The public home and the hashed assets may be cached.
    let res = app.get("/").await;
    assert_ne!(
        res.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    app.stop().await;
}
