//! Benchmark: importing a 20,000-row roster file.
//!
//! Starts the platform on its on-disk database (SurrealKV, in a temporary folder) with the
//! demo hospital, builds an `.xlsx`
//! of `N` new members (default 20,000) spread over the demo branches, then times over HTTP
//! what the committee office does: the upload with its check report, and the confirmed
//! import that writes every row in one transaction. Run it with
//!
//! ```sh
//! cargo run --release -p tests --bin import-bench          # 20,000 rows
//! cargo run --release -p tests --bin import-bench -- 5000  # 5,000 rows
//! cargo run --release -p tests --bin import-bench -- 2000 --mem  # in-memory engine
//! ```

use std::time::Instant;

use app::models::member::id_check_char;
use app::server::demo;
use zhibu_server::{Application, Config};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(20_000);
    // The platform's own engine by default: SurrealKV on disk, in a folder removed at the
    // end. `--mem` uses the in-memory engine of the tests instead, whose transactions grow
    // with the square of their size (see the README).
    let in_memory = args.iter().any(|a| a == "--mem");
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".into();
    config.database.url = Some(if in_memory {
        "mem://".into()
    } else {
        format!("surrealkv://{}", folder.path().join("db").display())
    });
    println!(
        "engine: {}",
        if in_memory {
            "in-memory"
        } else {
            "SurrealKV on disk"
        }
    );
    config.log_level = "error".into();
    config.demo_data = true;
    zhibu_server::telemetry::init(&config.log_level);
    let app = Application::build(config).await.expect("server starts");
    let state = app.state().clone();
    let today = state.clock.now().date_naive();
    let data = demo::generate(demo::DEFAULT_SEED, demo::Scale::Demo, today);
    let branches: Vec<String> = data
        .orgs
        .iter()
        .filter(|o| o.kind == "branch")
        .map(|o| o.name.clone())
        .collect();

    // The file: one row per new member, valid under every rule.
    let started = Instant::now();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = tests::IMPORT_HEADERS;
    for (c, h) in (0u16..).zip(headers) {
        sheet.write_string(0, c, h).expect("header");
    }
    for i in 0..rows {
        let male = i % 2 == 0;
        // Born 1960–1989: 18 or older on the application date (2010).
        let birth = format!("19{:02}0{}1{}", 60 + i % 30, 1 + i % 9, i % 10);
        let first17 = format!(
            "42{:04}{birth}{:03}",
            1000 + (i / 500) % 9000,
            (i % 500) * 2 + usize::from(male)
        );
        let id = format!("{first17}{}", id_check_char(&first17).expect("digits"));
        let cells = [
            format!("测试{i}"),
            if male { "男" } else { "女" }.to_string(),
            format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..]),
            "汉族".into(),
            "大学本科".into(),
            "导入科室".into(),
            "医师".into(),
            format!("135{:08}", i),
            id,
            branches[i % branches.len()].clone(),
            "正式党员".into(),
            "2010-03-01".into(),
            "2011-07-01".into(),
            "2012-07-01".into(),
        ];
        for (c, v) in (0u16..).zip(cells.iter()) {
            sheet
                .write_string(u32::try_from(i + 1).expect("rows"), c, v)
                .expect("cell");
        }
    }
    let bytes = book.save_to_buffer().expect("workbook");
    println!(
        "built {rows} rows ({:.1} MiB) in {:.1?}",
        bytes.len() as f64 / 1048576.0,
        started.elapsed()
    );

    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = client
        .post(format!("{base}/api/login"))
        .header("origin", &base)
        .form(&[
            ("input[username]", "office"),
            ("input[password]", demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .expect("sign-in");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("zhibu_session="))
        .and_then(|v| v.split(';').next())
        .expect("session")
        .to_string();

    let t = Instant::now();
    let part = reqwest::multipart::Part::bytes(bytes).file_name("roster.xlsx");
    let res = client
        .post(format!("{base}/import/members"))
        .header("origin", &base)
        .header("cookie", &cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let check = t.elapsed();
    let location = res.headers()["location"]
        .to_str()
        .expect("redirect")
        .to_string();
    let job = location.split("job=").nth(1).expect("job").to_string();
    // The report as the page reads it.
    let get_report = || async {
        client
            .post(format!("{base}/api/get_import"))
            .header("origin", &base)
            .header("cookie", &cookie)
            .form(&[("id", job.as_str())])
            .send()
            .await
            .expect("report")
            .json::<serde_json::Value>()
            .await
            .expect("json")
    };
    let report = get_report().await;
    println!(
        "upload + check: {check:.1?} — rows {} ready {} problems {}",
        report["rows"], report["ready"], report["problem_count"]
    );
    if let Some(first) = report["problems"].as_array().and_then(|p| p.first()) {
        println!("first problem: {first}");
    }
    let t = Instant::now();
    let res = client
        .post(format!("{base}/api/commit_import"))
        .header("origin", &base)
        .header("cookie", &cookie)
        .form(&[("id", job.as_str())])
        .send()
        .await
        .expect("commit");
    println!(
        "confirm (check again, start the write): {:.1?} — {}",
        t.elapsed(),
        res.status()
    );
    // Follow the write as the page does, once a second.
    let mut seen = Vec::new();
    let finished = loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let report = get_report().await;
        if report["status"] != "importing" {
            break report;
        }
        seen.push(report["written"].as_u64().unwrap_or(0));
    };
    println!(
        "written, in one transaction: {:.1?} — {} {} imported {}",
        t.elapsed(),
        finished["status"],
        finished["message"],
        finished["imported"]
    );
    println!("progress seen once a second: {seen:?}");
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!("peak RSS: {}", line.trim_start_matches("VmHWM:").trim());
    }
}
