//! Benchmark: the member roster at hospital scale and beyond.
//!
//! Loads a generated hospital of `N × 5,000` members (default N = 10: 50,000 members in
//! about 1,000 branches) into the in-memory database, signs in, and times roster queries
//! over HTTP as the browser makes them. Run it with
//!
//! ```sh
//! cargo run -p tests --bin roster-bench          # 50,000 members
//! cargo run -p tests --bin roster-bench -- 2     # 10,000 members
//! ```

use std::time::{Duration, Instant};

use app::server::demo::{self, Scale};
use zhibu_server::{Application, Config};

const RUNS: usize = 10;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let factor: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".into();
    config.database.url = Some("mem://".into());
    config.log_level = "error".into();
    zhibu_server::telemetry::init(&config.log_level);
    let app = Application::build(config).await.expect("server starts");
    let state = app.state().clone();

    let started = Instant::now();
    let today = state.clock.now().date_naive();
    let data = demo::generate(demo::DEFAULT_SEED, Scale::Factor(factor), today);
    demo::load(&state.db, &data, &state.pin_key)
        .await
        .expect("hospital loads");
    let accounts = demo::accounts(&data, &state.passwords, state.clock.now())
        .await
        .expect("accounts");
    app::server::repo::account::create_accounts(&state.db, accounts)
        .await
        .expect("accounts stored");
    println!(
        "loaded {} organisations and {} members in {:.1?}",
        data.orgs.len(),
        data.members.len(),
        started.elapsed()
    );
    let sample = &data.members[data.members.len() / 2];
    let initials = app::server::repo::member::name_initials(&sample.name);
    let surname: String = sample.name.chars().take(1).collect();
    let tail = sample.id_number[14..].to_string();
    let department = sample.department.clone();
    let given: String = sample.name.chars().skip(1).collect();

    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let cookie = |user: &'static str| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let res = client
                .post(format!("{base}/api/login"))
                .header("origin", &base)
                .form(&[
                    ("input[username]", user),
                    ("input[password]", demo::DEMO_PASSWORD),
                ])
                .send()
                .await
                .expect("sign-in");
            res.headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("zhibu_session="))
                .and_then(|v| v.split(';').next())
                .expect("session cookie")
                .to_string()
        }
    };
    let office = cookie("office").await;
    let secretary = cookie("secretary").await;

    let scenarios: Vec<(&str, &String, Vec<(&str, String)>)> = vec![
        ("office, first page, no filter", &office, vec![]),
        (
            "office, page 100",
            &office,
            vec![("query[page]", "100".into())],
        ),
        (
            "office, name contains a surname",
            &office,
            vec![("query[q]", surname.clone())],
        ),
        (
            "office, given name",
            &office,
            vec![("query[q]", given.clone())],
        ),
        (
            "office, pinyin initials",
            &office,
            vec![("query[q]", initials.clone())],
        ),
        (
            "office, ID tail (4)",
            &office,
            vec![("query[q]", tail.clone())],
        ),
        (
            "office, probationary only",
            &office,
            vec![("query[status]", "probationary".into())],
        ),
        (
            "office, floating flag",
            &office,
            vec![("query[flag]", "floating".into())],
        ),
        (
            "office, sorted by admission",
            &office,
            vec![("query[sort]", "admission".into())],
        ),
        (
            "office, sorted by branch",
            &office,
            vec![("query[sort]", "org".into())],
        ),
        (
            "office, root committee chosen",
            &office,
            vec![("query[org]", "o0000".into())],
        ),
        (
            "office, one department",
            &office,
            vec![("query[department]", department.clone())],
        ),
        (
            "office, surname, newest first",
            &office,
            vec![
                ("query[q]", surname.clone()),
                ("query[sort]", "admission".into()),
            ],
        ),
        ("secretary, own branch", &secretary, vec![]),
    ];
    println!();
    println!(
        "{:<36} {:>10} {:>10} {:>8}",
        "roster query (HTTP, 20 a page)", "p50", "p95", "rows"
    );
    for (name, cookie, params) in scenarios {
        let mut times = Vec::new();
        let mut total = 0u64;
        for _ in 0..RUNS {
            let mut form: Vec<(&str, String)> = params.clone();
            if !form.iter().any(|(k, _)| *k == "query[page]") {
                form.push(("query[page]", "1".into()));
            }
            let t = Instant::now();
            let res = client
                .post(format!("{base}/api/list_members"))
                .header("origin", &base)
                .header("cookie", cookie.as_str())
                .form(&form)
                .send()
                .await
                .expect("roster");
            assert!(res.status().is_success(), "{name}: {}", res.status());
            let page: app::models::member::MemberPage = res.json().await.expect("page");
            times.push(t.elapsed());
            total = page.total;
        }
        times.sort();
        println!(
            "{:<36} {:>10.1?} {:>10.1?} {:>8}",
            name,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            total
        );
    }
}
