//! Benchmark: the closed loop (issue 13) at SF1.
//!
//! Loads a generated hospital of `N × 100` branches and `N × 5,000` members (default
//! N = 1) with the demo's closed loop (a closed period and the current one with its tasks)
//! into the in-memory database, signs in as the committee office and times the loop's
//! server functions over HTTP as the pages call them, each with its own argument type
//! encoded as the browser encodes it:
//!
//! - publishing a task to every branch (`change_task`, action `publish`), once per task
//!   the queue needs;
//! - the review queue's first page with 10,000 submitted answers (`list_assignments`,
//!   status `submitted`);
//! - saving a review, which recomputes the branch's score in the same transaction
//!   (`review_assignment`, accept with points), each run on another submitted answer;
//! - the ranking of the current period (`get_ranking`);
//!
//! and, to show where the queue's time goes, the statements of `repo::assessment::queue`
//! directly on the database next to variants the indexes can serve.
//!
//! The answers in the queue are not typed by 100 branch committees (the demo has one
//! secretary account): the tasks are published over HTTP, then their assignments are set
//! to `submitted` and their submissions inserted directly in the database. Only the
//! measured calls go over HTTP. Run it with
//!
//! ```sh
//! cargo run --release -p tests --bin loop-bench          # SF1: 100 branches
//! cargo run --release -p tests --bin loop-bench -- 2     # SF2: 200 branches
//! ```

use std::time::{Duration, Instant};

use app::api::assessment::{
    ChangeTask, GetPeriod, GetRanking, ListAssignments, ListPeriods, ReviewAssignment, SaveTask,
};
use app::models::assessment::PeriodStatus;
use app::models::closed_loop::{
    AssignmentPage, PeriodSummary, PeriodView, QueueQuery, Ranking, ReviewInput, TaskChange,
    TaskInput,
};
use app::server::repo::assessment::SubmissionInsert;
use surrealdb::types::RecordId;
use tests::bench::{Browser, percentile};

/// Submitted answers the queue holds while it is measured (issue 13).
const QUEUE_TARGET: usize = 10_000;
/// Reviews saved, each on another submitted answer.
const REVIEWS: usize = 60;
const QUEUE_RUNS: usize = 30;
const RANKING_RUNS: usize = 30;

/// Hundredths of a point as typed in the review form ("8", "8.5" are both accepted).
fn typed(h: u32) -> String {
    format!("{}.{:02}", h / 100, h % 100)
}

/// One line of the table.
struct Line {
    name: String,
    times: Vec<Duration>,
    /// The goal on p50 (p95 for publishing), if the issue sets one.
    goal: Option<(Duration, bool)>,
}

impl Line {
    fn new(name: impl Into<String>, mut times: Vec<Duration>, goal: Option<(u64, bool)>) -> Line {
        times.sort();
        Line {
            name: name.into(),
            times,
            goal: goal.map(|(ms, on_p95)| (Duration::from_millis(ms), on_p95)),
        }
    }
}

async fn count(db: &app::server::Db, table: &str, filter: &str) -> i64 {
    let mut res = db
        .query(format!(
            "RETURN array::len(SELECT VALUE id FROM {table} {filter});"
        ))
        .await
        .expect("count")
        .check()
        .expect("count");
    res.take::<Option<i64>>(0).expect("count").unwrap_or(0)
}

/// Median time of a SurrealQL script run directly on the database (no HTTP), with the
/// review queue's parameters: the office (every organisation), status `submitted`.
async fn median_db(db: &app::server::Db, sql: &str, today: chrono::NaiveDate) -> Duration {
    let mut times = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        db.query(sql)
            .bind(("all", true))
            .bind(("orgs", Vec::<RecordId>::new()))
            .bind(("task", None::<RecordId>))
            .bind(("indicator", None::<RecordId>))
            .bind(("period", None::<RecordId>))
            .bind(("status", "submitted"))
            .bind(("today", today))
            .bind(("start", 0))
            .bind(("limit", 50))
            .await
            .expect("query")
            .check()
            .expect("query");
        times.push(started.elapsed());
    }
    times.sort();
    percentile(&times, 0.5)
}

/// Where the review queue's time goes: the three statements of
/// `repo::assessment::queue` (copied here, as the filters of the office's first page bind
/// them) timed one by one, and the same answers asked so that the indexes can serve them.
async fn queue_breakdown(db: &app::server::Db, today: chrono::NaiveDate) {
    const FIELDS: &str = "id, task, task.title AS title, indicator.name AS indicator_name,
        org.name AS org_name, status, deadline, score";
    let filter = "($all OR org IN $orgs) AND ($task = NONE OR task = $task)
        AND ($indicator = NONE OR indicator = $indicator) AND ($period = NONE OR period = $period)";
    let cases = [
        (
            "as built: page (`($status = NONE OR status = $status)`, ORDER BY deadline, id LIMIT 50)",
            format!(
                "SELECT {FIELDS} FROM assignment WHERE {filter}
                     AND ($status = NONE OR status = $status)
                     ORDER BY deadline, id LIMIT $limit START $start;"
            ),
        ),
        (
            "as built: total (`array::len(SELECT VALUE id …)`)",
            format!(
                "RETURN array::len(SELECT VALUE id FROM assignment
                     WHERE {filter} AND ($status = NONE OR status = $status));"
            ),
        ),
        (
            "as built: counts (GROUP BY task, status, late over every assignment)",
            format!(
                "SELECT task, status, (deadline < $today) AS late, count() AS n FROM assignment
                     WHERE {filter} GROUP BY task, status, late;"
            ),
        ),
        (
            "page with only `status = $status` in WHERE",
            format!(
                "SELECT {FIELDS} FROM assignment WHERE status = $status
                     ORDER BY deadline, id LIMIT $limit START $start;"
            ),
        ),
        (
            "page: 50 keys first, then the linked names of those 50",
            format!(
                "LET $page = (SELECT id, deadline FROM assignment WHERE status = $status
                     ORDER BY deadline, id LIMIT $limit START $start);
                 SELECT {FIELDS} FROM $page.id;"
            ),
        ),
        (
            "total: `count() … GROUP ALL` with only `status = $status`",
            "SELECT count() FROM assignment WHERE status = $status GROUP ALL;".to_string(),
        ),
        (
            "total: `count() … GROUP ALL` forced onto the index `assignment_queue`",
            "SELECT count() FROM assignment WITH INDEX assignment_queue
                 WHERE status = $status GROUP ALL;"
                .to_string(),
        ),
        (
            "count of the whole table (`count() … GROUP ALL`, no WHERE)",
            "SELECT count() FROM assignment GROUP ALL;".to_string(),
        ),
        (
            "counts: GROUP BY status only, no filter",
            "SELECT status, count() AS n FROM assignment GROUP BY status;".to_string(),
        ),
        (
            "counts: GROUP BY status, late (not per task)",
            format!(
                "SELECT status, (deadline < $today) AS late, count() AS n FROM assignment
                     WHERE {filter} GROUP BY status, late;"
            ),
        ),
    ];
    println!();
    println!("| review queue statement, directly on the database (no HTTP) | p50 |");
    println!("|---|---:|");
    for (name, sql) in cases {
        println!("| {name} | {:.1?} |", median_db(db, &sql, today).await);
    }
}

#[tokio::main]
async fn main() {
    let factor: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let started = Instant::now();
    let (app, data) = tests::bench::hospital(factor).await;
    let state = app.state().clone();
    let today = state.clock.now().date_naive();
    let branches = data.branches().len();
    println!(
        "loaded SF{factor}: {} organisations ({branches} branches) and {} members in {:.1?}",
        data.orgs.len(),
        data.members.len(),
        started.elapsed()
    );

    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let office = Browser::sign_in(&base, "office").await;

    // The demo's current period and its 二级 indicators.
    let (_, periods): (_, Vec<PeriodSummary>) = office.call(ListPeriods {}).await;
    let current = periods
        .iter()
        .find(|p| p.status == PeriodStatus::Open)
        .expect("the demo has an open period")
        .clone();
    let (_, view): (_, PeriodView) = office
        .call(GetPeriod {
            id: current.id.clone(),
        })
        .await;
    let items: Vec<(String, u32)> = view
        .indicators
        .iter()
        .flat_map(|i| &i.items)
        .map(|item| (item.id.clone(), item.max))
        .collect();

    // Publishing: a draft to every branch, then publish (timed), as many tasks as the
    // queue needs for 10,000 submitted answers that stay above 10,000 while reviewed.
    let needed = (QUEUE_TARGET + REVIEWS).div_ceil(branches);
    let mut tasks: Vec<(String, u32)> = Vec::new();
    let mut publish = Vec::new();
    for i in 0..needed {
        let (item, max) = items[i % items.len()].clone();
        let deadline = (today + chrono::Days::new(10 + (i % 20) as u64))
            .min(current.ends)
            .max(today);
        let input = TaskInput {
            id: String::new(),
            period: current.id.clone(),
            indicator: item,
            title: format!("基准测试任务 {:03}", i + 1),
            body: "请按要求完成并报送。".into(),
            targets: "all".into(),
            starts: today.to_string(),
            deadline: deadline.to_string(),
            need_text: "true".into(),
            min_links: "0".into(),
            ..Default::default()
        };
        let (_, id): (_, String) = office.call(SaveTask { input }).await;
        let change = TaskChange {
            id: id.clone(),
            action: "publish".into(),
            ..Default::default()
        };
        let (took, ()) = office.call(ChangeTask { input: change }).await;
        publish.push(took);
        tasks.push((id, max));
    }

    // The queue: the published assignments answered, by direct inserts (not measured).
    let db = &state.db;
    let task_ids: Vec<RecordId> = tasks
        .iter()
        .map(|(id, _)| RecordId::new("task", id.as_str()))
        .collect();
    let now = state.clock.now();
    let text = "已按要求完成，会议记录和照片见附件。";
    let fill = Instant::now();
    let answered: Vec<RecordId> = db
        .query(
            "UPDATE assignment SET status = 'submitted', version = 1, text = $text,
                 updated_at = $now
             WHERE task IN $tasks AND status = 'pending' RETURN VALUE id;",
        )
        .bind(("tasks", task_ids.clone()))
        .bind(("text", text.to_string()))
        .bind(("now", now))
        .await
        .expect("answers")
        .check()
        .expect("answers")
        .take(0)
        .expect("answers");
    let submissions: Vec<SubmissionInsert> = answered
        .iter()
        .map(|a| SubmissionInsert {
            assignment: a.clone(),
            version: 1,
            text: text.into(),
            links: Vec::new(),
            submitted_by: "secretary".into(),
            submitted_at: now,
            decision: None,
            score: None,
            comment: String::new(),
            reviewer: None,
            reviewed_at: None,
        })
        .collect();
    db.query("INSERT INTO submission $rows RETURN NONE;")
        .bind(("rows", submissions))
        .await
        .expect("submissions")
        .check()
        .expect("submissions");
    let filled = fill.elapsed();
    assert_eq!(
        answered.len(),
        needed * branches,
        "every assignment answered"
    );

    // The review queue's first page, submitted answers only; and, for comparison, the
    // first page with no filter.
    let mut queue = Vec::new();
    let mut page = AssignmentPage::default();
    for _ in 0..QUEUE_RUNS {
        let query = QueueQuery {
            status: "submitted".into(),
            page: 1,
            ..Default::default()
        };
        let (took, got): (_, AssignmentPage) = office.call(ListAssignments { query }).await;
        queue.push(took);
        page = got;
    }
    assert!(
        page.total as usize >= QUEUE_TARGET,
        "{} submitted",
        page.total
    );
    let mut queue_all = Vec::new();
    let mut all_total = 0;
    for _ in 0..QUEUE_RUNS {
        let query = QueueQuery {
            page: 1,
            ..Default::default()
        };
        let (took, got): (_, AssignmentPage) = office.call(ListAssignments { query }).await;
        queue_all.push(took);
        all_total = got.total;
    }

    // Saving a review: accept with 80 % of the item's points (no rectification item),
    // each on another submitted answer, going through the branches in turn.
    let mut reviews = Vec::new();
    let mut reviewed = 0;
    'tasks: for (task, max) in &tasks {
        let ids: Vec<RecordId> = db
            .query("SELECT VALUE id FROM assignment WHERE task = $t AND status = 'submitted'")
            .bind(("t", RecordId::new("task", task.as_str())))
            .await
            .expect("assignments")
            .check()
            .expect("assignments")
            .take(0)
            .expect("assignments");
        for a in ids {
            if reviewed == REVIEWS {
                break 'tasks;
            }
            let input = ReviewInput {
                id: app::server::key_string(&a),
                version: "1".into(),
                score: typed(max * 8 / 10),
                comment: String::new(),
                decision: "accept".into(),
            };
            let (took, ()) = office.call(ReviewAssignment { input }).await;
            reviews.push(took);
            reviewed += 1;
        }
    }

    // The ranking of the current period.
    let mut ranking = Vec::new();
    let mut rows = 0;
    for _ in 0..RANKING_RUNS {
        let (took, got): (_, Ranking) = office
            .call(GetRanking {
                period: current.id.clone(),
            })
            .await;
        ranking.push(took);
        rows = got.rows.len();
    }
    assert_eq!(rows, branches, "one ranking row per branch");

    let sizes = [
        ("organisations", count(db, "org", "").await),
        ("members", count(db, "member", "").await),
        ("tasks", count(db, "task", "").await),
        ("assignments", count(db, "assignment", "").await),
        (
            "submitted assignments (after the reviews)",
            count(db, "assignment", "WHERE status = 'submitted'").await,
        ),
        ("submissions", count(db, "submission", "").await),
        ("branch scores", count(db, "branch_score", "").await),
    ];

    println!();
    println!(
        "The queue was filled by direct inserts: {needed} tasks published over HTTP to all \
         {branches} branches, then their {} assignments set to `submitted` (version 1) and \
         {} `submission` rows inserted in the database in {filled:.1?}. Every measured call \
         below goes over HTTP as the office.",
        answered.len(),
        answered.len()
    );
    println!();
    println!("| data | rows |");
    println!("|---|---:|");
    for (name, n) in sizes {
        println!("| {name} | {n} |");
    }
    println!(
        "| queue: submitted / all statuses (first page of {}) | {} / {all_total} |",
        page.page_size, page.total
    );
    println!();
    let lines = [
        Line::new(
            format!("publish a task to {branches} branches (`change_task`)"),
            publish,
            Some((1000, true)),
        ),
        Line::new(
            format!(
                "review queue, first page, {} submitted (`list_assignments`)",
                page.total
            ),
            queue,
            Some((50, false)),
        ),
        Line::new(
            format!("review queue, first page, no filter, {all_total} assignments"),
            queue_all,
            None,
        ),
        Line::new(
            "save a review with the branch score roll-up (`review_assignment`)",
            reviews,
            Some((30, false)),
        ),
        Line::new(
            format!("ranking, {branches} branches (`get_ranking`)"),
            ranking,
            Some((50, false)),
        ),
    ];
    println!("| operation (HTTP, office) | runs | p50 | p95 | max | goal | met |");
    println!("|---|---:|---:|---:|---:|---|---|");
    for line in lines {
        let p50 = percentile(&line.times, 0.5);
        let p95 = percentile(&line.times, 0.95);
        let max = line.times[line.times.len() - 1];
        let (goal, met) = match line.goal {
            Some((goal, true)) => (
                format!("p95 < {goal:.0?}"),
                if p95 < goal { "yes" } else { "**no**" },
            ),
            Some((goal, false)) => (
                format!("p50 < {goal:.0?}"),
                if p50 < goal { "yes" } else { "**no**" },
            ),
            None => ("—".to_string(), "—"),
        };
        println!(
            "| {} | {} | {p50:.1?} | {p95:.1?} | {max:.1?} | {goal} | {met} |",
            line.name,
            line.times.len()
        );
    }
    queue_breakdown(db, today).await;
}
