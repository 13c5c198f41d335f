//! Integration tests live in `tests/it/`: one binary that drives the real server over HTTP.
//! This library holds what the tests, the benchmarks and the fixture generator share.

/// The roster template's header row, as the import reads it.
pub const IMPORT_HEADERS: [&str; 14] = [
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "学历",
    "科室",
    "职称",
    "手机号码",
    "身份证号",
    "所在支部",
    "党员类别",
    "申请入党日期",
    "入党日期",
    "转正日期",
];

/// A valid ID number (Xi'an, born on `birth`, yyyymmdd), numbered `n`, for a man or a
/// woman (the 17th digit's parity).
pub fn import_id(n: usize, birth: &str, male: bool) -> String {
    let seq = 100 + n * 2 + usize::from(male);
    let first17 = format!("610104{birth}{seq:03}");
    let check = app::models::member::id_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A valid roster row for the demo secretary's branch (肿瘤内科第一党支部), numbered `n`.
pub fn import_row(n: usize, name: &str) -> Vec<String> {
    [
        name,
        "女",
        "1992-03-15",
        "汉族",
        "大学本科",
        "肿瘤内科一病区",
        "护师",
        &format!("139{:08}", 10_000_000 + n),
        &import_id(n, "19920315", false),
        "肿瘤内科第一党支部",
        "正式党员",
        "2012-04-01",
        "2013-06-01",
        "2014-06-01",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// What the benchmarks (`bin/*_bench.rs`) share: a signed-in browser that calls server
/// functions as the pages do, and percentiles.
pub mod bench {
    use std::time::{Duration, Instant};

    /// An app server on a fresh in-memory database holding the generated hospital of
    /// `factor × 100` branches (`Scale::Factor`) with the demo accounts; not yet serving.
    pub async fn hospital(factor: u32) -> (zhibu_server::Application, app::server::demo::Dataset) {
        use app::server::demo::{self, Scale};
        let mut config = zhibu_server::Config::default();
        config.listen = "127.0.0.1:0".into();
        config.database.url = Some("mem://".into());
        config.log_level = "error".into();
        zhibu_server::telemetry::init(&config.log_level);
        let app = zhibu_server::Application::build(config)
            .await
            .expect("server starts");
        let state = app.state().clone();
        let today = app::server::china_today(&state);
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
        (app, data)
    }

    /// The `p` percentile (0–1) of sorted times.
    pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
        let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[i.min(sorted.len() - 1)]
    }

    /// A signed-in browser.
    pub struct Browser {
        pub http: reqwest::Client,
        pub base: String,
        pub cookie: String,
    }

    impl Browser {
        /// Signs in to the server at `base` as a demo account.
        pub async fn sign_in(base: &str, username: &str) -> Browser {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client");
            let res = http
                .post(format!("{base}/api/login"))
                .header("origin", base)
                .form(&[
                    ("input[username]", username),
                    ("input[password]", app::server::demo::DEMO_PASSWORD),
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
                .expect("session cookie")
                .to_string();
            Browser {
                http,
                base: base.to_string(),
                cookie,
            }
        }

        /// Calls a server function with its own argument type at the endpoint it declares,
        /// encoded as the browser encodes it (as `tests/tests/it/support.rs` `call_fn`),
        /// and returns the time to the whole answer and the answer.
        pub async fn call<F, T>(&self, args: F) -> (Duration, T)
        where
            F: leptos::server_fn::ServerFn + serde::Serialize,
            T: serde::de::DeserializeOwned,
        {
            let body = serde_qs::to_string(&args).expect("arguments encode");
            let started = Instant::now();
            let res = self
                .http
                .post(format!("{}{}", self.base, F::PATH))
                .header("origin", &self.base)
                .header("cookie", &self.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("request sent");
            let status = res.status();
            let text = res.text().await.expect("answer read");
            let took = started.elapsed();
            assert!(status.is_success(), "{}: {status}: {text}", F::PATH);
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}: {text}", F::PATH));
            (took, value)
        }
    }
}
