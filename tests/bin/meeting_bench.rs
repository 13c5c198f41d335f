//! Benchmark: organisational life (issue 14) at SF1.
//!
//! Loads a generated hospital of `N × 100` branches and `N × 5,000` members (default
//! N = 1) with its year of meetings (about 33 a branch; attendance is left out at this
//! scale) into the in-memory database, signs in as the committee office and times over
//! HTTP, as the pages call them:
//!
//! - the compliance grid of every branch and Party group for this year (`meeting_grid`;
//!   issue 14's goal: p50 under 100 ms for 100 branches × 12 months), as it is served
//!   while nothing changes (what it counts is held in memory) and right after a meeting
//!   is recorded (counted anew);
//! - the year's meeting list of the whole hospital and of one branch with its standings
//!   (`list_meetings`);
//! - one branch's 台账 (`meeting_ledger`).
//!
//! ```sh
//! cargo run --release -p tests --bin meeting-bench          # SF1: 100 branches
//! cargo run --release -p tests --bin meeting-bench -- 2     # SF2: 200 branches
//! ```

use std::time::{Duration, Instant};

use app::api::meeting::{ListMeetings, MeetingGrid, MeetingLedger};
use app::models::meeting::{ComplianceGrid, Ledger, MeetingQuery, MeetingsPage};
use tests::bench::{Browser, percentile};

const RUNS: usize = 30;

/// `RUNS` calls of one server function after a warm-up, sorted.
async fn timed<F, T>(browser: &Browser, args: F) -> (Vec<Duration>, T)
where
    F: leptos::server_fn::ServerFn + serde::Serialize + Clone,
    T: serde::de::DeserializeOwned,
{
    let (_, mut last) = browser.call::<F, T>(args.clone()).await;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let (took, answer) = browser.call::<F, T>(args.clone()).await;
        times.push(took);
        last = answer;
    }
    times.sort();
    (times, last)
}

fn line(name: &str, times: &[Duration], what: &str, goal: Option<Duration>) {
    let p50 = percentile(times, 0.5);
    let verdict = match goal {
        Some(g) if p50 <= g => format!(" (goal p50 < {g:?}: met)"),
        Some(g) => format!(" (goal p50 < {g:?}: MISSED)"),
        None => String::new(),
    };
    println!(
        "| {name} | {what} | {:.1} ms | {:.1} ms |{verdict}",
        p50.as_secs_f64() * 1000.0,
        percentile(times, 0.95).as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    let factor: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let started = Instant::now();
    let (app, data) = tests::bench::hospital(factor).await;

    let branches = data.branches();
    println!(
        "loaded SF{factor}: {} organisations ({} branches), {} members, {} meetings in {:.1?}",
        data.orgs.len(),
        branches.len(),
        data.members.len(),
        data.meetings.len(),
        started.elapsed()
    );

    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let office = Browser::sign_in(&base, "office").await;
    let first = app::server::key_string(&branches[0]);
    let query = |org: &str| MeetingQuery {
        org: org.into(),
        year: 0,
    };

    println!("\n| call | answer | p50 | p95 |");
    println!("|---|---|---|---|");
    let (times, grid): (_, ComplianceGrid) = timed(&office, MeetingGrid { query: query("") }).await;
    let red = grid
        .rows
        .iter()
        .filter(|r| {
            r.cells
                .iter()
                .any(|c| c.standing == app::models::meeting::Standing::Overdue)
        })
        .count();
    line(
        "`meeting_grid`, the whole hospital",
        &times,
        &format!(
            "{} rows × 12 months, {red} with a red month",
            grid.rows.len()
        ),
        Some(Duration::from_millis(100)),
    );
    // After a change: each call follows a meeting recorded (the grid counts anew).
    let mut cold = Vec::with_capacity(RUNS);
    let day = (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string();
    for n in 0..RUNS {
        let input = app::models::meeting::MeetingInput {
            org: first.clone(),
            kind: "other".into(),
            day: day.clone(),
            topic: format!("基准测试 {n}"),
            ..Default::default()
        };
        let _: (_, String) = office
            .call(app::api::meeting::ScheduleMeeting { input })
            .await;
        let (took, _): (_, ComplianceGrid) = office.call(MeetingGrid { query: query("") }).await;
        cold.push(took);
    }
    cold.sort();
    line(
        "`meeting_grid`, the whole hospital, right after a meeting is recorded",
        &cold,
        "(the meetings counted anew)",
        None,
    );
    let (times, page): (_, MeetingsPage) = timed(&office, ListMeetings { query: query("") }).await;
    line(
        "`list_meetings`, the whole hospital",
        &times,
        &format!("{} meetings", page.meetings.len()),
        None,
    );
    let (times, page): (_, MeetingsPage) = timed(
        &office,
        ListMeetings {
            query: query(&first),
        },
    )
    .await;
    line(
        "`list_meetings`, one branch with its standings",
        &times,
        &format!(
            "{} meetings, {} rules",
            page.meetings.len(),
            page.standings.len()
        ),
        None,
    );
    let (times, ledger): (_, Ledger) = timed(
        &office,
        MeetingLedger {
            query: query(&first),
        },
    )
    .await;
    line(
        "`meeting_ledger`, one branch",
        &times,
        &format!("{} meetings", ledger.entries.len()),
        None,
    );
}
