use tokio::sync::oneshot;
use zhibu_server::{Application, Config};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: app::server::AppState,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub fn test_config() -> Config {
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".into();
    config.database.url = Some("mem://".into());
    config.demo_data = true;
    config.log_level = "warn".into();
    config
}

/// Starts the server with the demo hospital on a fresh in-memory database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

pub async fn spawn_app_with(config: Config) -> TestApp {
    spawn_app_with_clock(config, std::sync::Arc::new(app::server::auth::SystemClock)).await
}

/// Starts the server with a clock the test controls.
pub async fn spawn_app_with_clock(
    config: Config,
    clock: std::sync::Arc<dyn app::server::auth::Clock>,
) -> TestApp {
    zhibu_server::telemetry::init(&config.log_level);
    let app = Application::build_with_clock(config, clock)
        .await
        .expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    TestApp {
        address,
        client,
        state,
        stop,
        server,
    }
}

impl TestApp {
    /// Stops the server and waits until it has closed the database.
    pub async fn stop(self) {
        let TestApp {
            stop,
            server,
            state,
            ..
        } = self;
        drop(state);
        let _ = stop.send(());
        server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// The `Origin` a page of this server sends.
    pub fn origin(&self) -> &str {
        &self.address
    }

    /// Calls a server function the way the browser does (same origin, URL-encoded body,
    /// JSON answer).
    pub async fn call(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/{name}")))
            .header("origin", self.origin())
            .form(form)
            .send()
            .await
            .expect("request sent")
    }
}

pub const DEMO_PASSWORD: &str = app::server::demo::DEMO_PASSWORD;

impl TestApp {
    /// Signs in; returns the response (its `Set-Cookie` carries the session).
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.login_with_cookie(username, password, None).await
    }

    pub async fn login_with_cookie(
        &self,
        username: &str,
        password: &str,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url("/api/login"))
            .header("origin", self.origin())
            .form(&[("input[username]", username), ("input[password]", password)]);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.expect("request sent")
    }

    /// Signs in and returns the `zhibu_session=<token>` cookie pair.
    pub async fn session_cookie(&self, username: &str) -> String {
        let res = self.login(username, DEMO_PASSWORD).await;
        session_pair(&res).unwrap_or_else(|| panic!("{username} signs in: {}", res.status()))
    }

    /// Calls a server function with a cookie.
    pub async fn call_as(
        &self,
        cookie: &str,
        name: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/{name}")))
            .header("origin", self.origin())
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .expect("request sent")
    }
}

/// The `zhibu_session=<token>` pair a response sets, if any (a cleared cookie is `None`).
pub fn session_pair(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("zhibu_session=") && !v.starts_with("zhibu_session=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

impl TestApp {
    /// GET with a cookie.
    pub async fn get_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request sent")
    }
}

/// Every demo account with its role.
pub const DEMO_ACCOUNTS: &[(&str, app::access::Role)] = &[
    ("office", app::access::Role::CommitteeOffice),
    ("secretary", app::access::Role::BranchCommittee),
    ("member", app::access::Role::Member),
    ("sysadmin", app::access::Role::SystemAdmin),
    ("secadmin", app::access::Role::SecurityAdmin),
    ("auditor", app::access::Role::SecurityAuditor),
];

impl TestApp {
    /// Audit entries with this action, newest first, read straight from the database.
    pub async fn audit(&self, action: &str) -> Vec<app::models::audit::AuditEntry> {
        let query = app::models::audit::AuditQuery {
            action: action.into(),
            ..Default::default()
        };
        app::server::audit::search(&self.state.db, &query)
            .await
            .expect("audit search")
            .entries
    }
}
