//! Benchmark: 500 members studying at once, their pages reporting progress (issue 15).
//!
//! Loads the generated hospital (SF1, 4,953 members) on the in-memory engine, gives 500
//! of its members an account each and signs them in. Each learner then reads the
//! required course's first article as its page does: a report (`report_progress`) every
//! `interval`, the place moving down the page, the last one at the end (finished). Two
//! rounds: at the pages' own pace (a report every 15 s: about 33 a second for 500) and at
//! ten times it (every 1.5 s: about 333 a second). Prints each report's latency (p50, p95,
//! p99) and the CPU the process used per second of wall time (the 500 simulated browsers
//! run in the same process, so the server's own share is lower).
//!
//! ```sh
//! cargo run --release -p tests --bin progress-bench [learners]
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::api::learning::ReportProgress;
use app::models::learning::{ProgressInput, Reading};
use tests::bench::{Browser, percentile};

const REPORTS: usize = 6;

/// This process's CPU time so far (user + system), from `/proc/self/stat`.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    let total = ticks(11) + ticks(12);
    Duration::from_millis(total * 10)
}

async fn round(
    learners: &[Arc<Browser>],
    item: &str,
    interval: Duration,
) -> (Vec<Duration>, f64, Duration) {
    let wall = Instant::now();
    let cpu_before = cpu();
    let mut tasks = Vec::new();
    for (n, learner) in learners.iter().enumerate() {
        let learner = learner.clone();
        let item = item.to_string();
        // Spread the learners over the interval, as pages opened at different moments.
        let offset = interval.mul_f64(n as f64 / learners.len() as f64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(offset).await;
            let mut times = Vec::with_capacity(REPORTS);
            for r in 0..REPORTS {
                let end = r + 1 == REPORTS;
                let position = if end { 1000 } else { (r as u16 + 1) * 150 };
                let (took, _): (_, Reading) = learner
                    .call(ReportProgress {
                        input: ProgressInput {
                            item: item.clone(),
                            position,
                            furthest: position,
                            end,
                            ..ProgressInput::default()
                        },
                    })
                    .await;
                times.push(took);
                if !end {
                    tokio::time::sleep(interval).await;
                }
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("learner"));
    }
    let took = wall.elapsed();
    let used = cpu().saturating_sub(cpu_before);
    all.sort();
    (all, used.as_secs_f64() / took.as_secs_f64(), took)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let learners: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    let started = Instant::now();
    let (app, data) = tests::bench::hospital(1).await;
    let state = app.state().clone();
    // An account for each of `learners` members (the demo's password).
    let hash = state
        .passwords
        .hash(app::server::demo::DEMO_PASSWORD.to_string())
        .await
        .expect("hash");
    let accounts: Vec<app::server::repo::account::NewAccount> = data
        .members
        .iter()
        .take(learners)
        .enumerate()
        .map(|(n, m)| app::server::repo::account::NewAccount {
            username: format!("learner{n}"),
            display_name: m.name.clone(),
            password_hash: hash.clone(),
            roles: vec!["member".into()],
            orgs: Vec::new(),
            member: Some(m.id.clone()),
            must_change_password: false,
            demo: true,
            password_changed_at: state.clock.now(),
        })
        .collect();
    app::server::repo::account::create_accounts(&state.db, accounts)
        .await
        .expect("accounts");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let mut browsers = Vec::with_capacity(learners);
    for chunk in (0..learners).collect::<Vec<_>>().chunks(16) {
        let signing: Vec<_> = chunk
            .iter()
            .map(|n| {
                let (base, name) = (base.clone(), format!("learner{n}"));
                tokio::spawn(async move { Browser::sign_in(&base, &name).await })
            })
            .collect();
        for s in signing {
            browsers.push(Arc::new(s.await.expect("sign-in")));
        }
    }
    println!(
        "SF1 ({} members) loaded and {learners} learners signed in, in {:.1?}",
        data.members.len(),
        started.elapsed()
    );
    // The required course's first article (every member reads the committee's courses).
    let item = format!("{}c0i0", app::server::demo::learning::DEMO_COURSE);

    println!("\n| pace | reports | in | p50 | p95 | p99 | process CPU |");
    println!("|---|---|---|---|---|---|---|");
    for (name, interval) in [
        ("every 15 s (the pages' own)", Duration::from_secs(15)),
        ("every 1.5 s (ten times it)", Duration::from_millis(1500)),
    ] {
        let (times, cores, took) = round(&browsers, &item, interval).await;
        println!(
            "| {name} | {} | {:.1?} | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} cores |",
            times.len(),
            took,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(percentile(&times, 0.99)),
            cores
        );
    }
}
