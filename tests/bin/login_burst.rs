//! Benchmark: a meeting starts and 150 people sign in at once.
//!
//! Starts the real server (in-memory SurrealDB, demo hospital), sends 150 concurrent
//! sign-ins over HTTP while a reader keeps loading the sign-in page, and prints how long
//! the burst took, sign-in latencies, page latencies during the burst and the process's
//! peak memory. Run it with
//!
//! ```sh
//! cargo run -p tests --bin login-burst            # the test build, argon2 optimised
//! cargo run -p tests --bin login-burst -- 300     # another burst size
//! ```
//!
//! What it shows: password hashing waits its turn on the blocking pool, so pages keep
//! rendering while the burst is served, and memory stays bounded (about 19 MiB per hash in
//! flight, a fixed number at a time).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zhibu_server::{Application, Config};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[tokio::main]
async fn main() {
    let burst: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(150);
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".into();
    config.database.url = Some("mem://".into());
    config.demo_data = true;
    config.log_level = "error".into();
    zhibu_server::telemetry::init(&config.log_level);
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let rss_before = peak_rss_mib().unwrap_or(0.0);
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    // Warm up: one sign-in and one page.
    let _ = client.get(format!("{base}/login")).send().await;

    let users = ["office", "secretary", "member"];
    let started = Instant::now();
    let mut logins = Vec::new();
    for i in 0..burst {
        let client = client.clone();
        let url = format!("{base}/api/login");
        let origin = base.clone();
        let user = users[i % users.len()];
        logins.push(tokio::spawn(async move {
            let t = Instant::now();
            let res = client
                .post(url)
                .header("origin", origin)
                .form(&[("input[username]", user), ("input[password]", "Zhibu@2026")])
                .send()
                .await
                .expect("sign-in answered");
            (
                t.elapsed(),
                res.status().is_redirection() || res.status().is_success(),
            )
        }));
    }
    let pages = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (client, pages, done) = (client.clone(), pages.clone(), done.clone());
        let url = format!("{base}/login");
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                let t = Instant::now();
                let ok = client
                    .get(&url)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if let Ok(mut p) = pages.lock() {
                    p.push((t.elapsed(), ok));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let mut latencies = Vec::new();
    let mut failures = 0;
    for l in logins {
        let (t, ok) = l.await.expect("task");
        latencies.push(t);
        failures += usize::from(!ok);
    }
    let total = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = reader.await;
    let loads = pages.lock().map(|p| p.clone()).unwrap_or_default();
    let page_failures = loads.iter().filter(|(_, ok)| !ok).count();
    let mut pages: Vec<Duration> = loads.into_iter().map(|(t, _)| t).collect();
    pages.sort();
    latencies.sort();

    println!("login burst: {burst} concurrent sign-ins, one address");
    println!("  all answered in      {:>8.2?}", total);
    println!("  failed sign-ins      {failures}");
    println!(
        "  sign-in latency      p50 {:.2?}  p95 {:.2?}  max {:.2?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 1.0)
    );
    println!(
        "  /login page during   p50 {:.2?}  max {:.2?}  ({} loads, {page_failures} failed)",
        percentile(&pages, 0.5),
        percentile(&pages, 1.0),
        pages.len()
    );
    println!(
        "  peak memory (RSS)    {:.0} MiB (before the burst {:.0} MiB)",
        peak_rss_mib().unwrap_or(0.0),
        rss_before
    );
    if failures > 0 || page_failures > 0 {
        std::process::exit(1);
    }
}
