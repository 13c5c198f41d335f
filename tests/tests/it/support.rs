use tokio::sync::oneshot;
use zhibu_server::{Application, Config};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: app::server::AppState,
    _stop: oneshot::Sender<()>,
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
    zhibu_server::telemetry::init(&config.log_level);
    let app = Application::build(config).await.expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
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
        _stop: stop,
    }
}

impl TestApp {
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
