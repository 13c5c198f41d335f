//! Benchmark: domain history is not serialised; the security trail is.
//!
//! Writes 200 history lines (one per member, as a meeting's sign-in burst would) through
//! `app::server::history::write` (the record's own transaction, no lock) and, for
//! comparison, through the audit trail (`AuditLog::append` with the same change: the chain
//! lock and head), with 1 and with 8 concurrent writers, on the in-memory engine and on
//! the embedded on-disk engine (SurrealKV, the default). Run it with
//!
//! ```sh
//! cargo run --release -p tests --bin history-bench
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::models::audit::Outcome;
use app::server::AppState;
use app::server::audit::{Actor, Change, Event};
use app::server::demo::{self, Scale};
use surrealdb::types::RecordId;
use zhibu_server::{Application, Config};

const WRITES: usize = 200;

#[derive(Clone, Copy, PartialEq)]
enum Path {
    Domain,
    Trail,
}

fn line(member: &RecordId, n: usize, now: chrono::DateTime<chrono::Utc>) -> Change {
    Change::new(
        "CREATE member_event CONTENT {
            member: $member, kind: 'attended', what: { kind: 'note', text: $detail }, actor: 'tablet', at: $at
        }",
    )
    .bind("member", member.clone())
    .bind("detail", format!("bench {n}"))
    .bind("at", now)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// 200 writes by `writers` concurrent tasks: (total time, per-write latencies).
async fn run(
    state: &AppState,
    members: &[RecordId],
    path: Path,
    writers: usize,
) -> (Duration, Vec<Duration>) {
    let next = Arc::new(AtomicUsize::new(0));
    let members = Arc::new(members.to_vec());
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let (state, next, members) = (state.clone(), next.clone(), members.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= WRITES {
                        return latencies;
                    }
                    let change = line(&members[n % members.len()], n, state.clock.now());
                    let t = Instant::now();
                    match path {
                        Path::Domain => app::server::history::write(&state.db, &change)
                            .await
                            .expect("domain write"),
                        Path::Trail => {
                            let actor = Actor {
                                name: "bench".into(),
                                roles: vec![],
                                address: "127.0.0.1".into(),
                            };
                            let event = Event::new("member.attended", Outcome::Success);
                            state
                                .audit
                                .append(&state.db, state.clock.now(), &actor, &event, Some(&change))
                                .await
                                .map(|_| ())
                                .expect("trail write")
                        }
                    }
                    latencies.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("writer"));
    }
    let total = started.elapsed();
    latencies.sort();
    (total, latencies)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let engines = [
        ("in-memory", "mem://".to_string()),
        (
            "SurrealKV on disk",
            format!("surrealkv://{}", dir.path().join("db").display()),
        ),
    ];
    println!("| engine | path | writers | 200 writes | writes/s | p50 | p95 |");
    println!("|---|---|---|---|---|---|---|");
    for (engine, url) in engines {
        let mut config = Config::default();
        config.listen = "127.0.0.1:0".into();
        config.database.url = Some(url);
        config.log_level = "off".into();
        zhibu_server::telemetry::init(&config.log_level);
        let app = Application::build(config).await.expect("server starts");
        let state = app.state().clone();
        let today = state.clock.now().date_naive();
        let data = demo::generate(demo::DEFAULT_SEED, Scale::Small, today);
        demo::load(&state.db, &data, &state.pin_key)
            .await
            .expect("hospital loads");
        let members: Vec<RecordId> = data.members.iter().map(|m| m.id.clone()).collect();
        // One warm-up round, not reported.
        let _ = run(&state, &members, Path::Domain, 8).await;
        for path in [Path::Domain, Path::Trail] {
            for writers in [1, 8] {
                let (total, lat) = run(&state, &members, path, writers).await;
                println!(
                    "| {engine} | {} | {writers} | {} ms | {:.0} | {:.1?} | {:.1?} |",
                    match path {
                        Path::Domain => "domain history (`history::write`)",
                        Path::Trail => "security trail (`AuditLog::append`)",
                    },
                    total.as_millis(),
                    WRITES as f64 / total.as_secs_f64(),
                    percentile(&lat, 0.5),
                    percentile(&lat, 0.95),
                );
            }
        }
        drop(state);
        drop(app);
    }
}
