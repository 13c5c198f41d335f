use tokio::sync::oneshot;
use zhibu_server::{Application, Config};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: app::server::AppState,
    /// Where this server keeps files: a second server beside it shares them.
    pub files: zhibu_server::config::FilesConfig,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _watchdog: Watchdog,
}

/// How long a test may hold a server. A test that still holds one after this has hung:
/// the run stops with the test's name instead of waiting for CI's limit (one such hang,
/// with no name, once cost a whole CI run).
const LONGEST_TEST: std::time::Duration = std::time::Duration::from_secs(600);

/// How long one request of a test may take before it fails the test.
const LONGEST_REQUEST: std::time::Duration = std::time::Duration::from_secs(60);

/// Ends the test process, naming the test, if its server is still held after
/// [`LONGEST_TEST`]; dropped with the server, it ends at once.
struct Watchdog {
    _held: std::sync::mpsc::Sender<()>,
}

impl Watchdog {
    fn start() -> Watchdog {
        let (held, released) = std::sync::mpsc::channel::<()>();
        // libtest names each test's thread after the test.
        let test = std::thread::current()
            .name()
            .unwrap_or("an unnamed test")
            .to_string();
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                released.recv_timeout(LONGEST_TEST)
            {
                eprintln!(
                    "HUNG: {test} still holds its server after {} s; stopping the run",
                    LONGEST_TEST.as_secs()
                );
                std::process::exit(3);
            }
        });
        Watchdog { _held: held }
    }
}

pub fn test_config() -> Config {
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".into();
    config.database.url = Some("mem://".into());
    config.demo_data = true;
    // The demo's organisation tree, accounts, pipeline and transfers with about 230 members
    // rather than 800: it loads in a quarter of the time every test pays.
    config.demo_scale = "small".into();
    config.log_level = "warn".into();
    // A real folder of its own for each test's uploads.
    config.files.dir = Some(
        std::env::temp_dir()
            .join("zhibu-test-files")
            .join(app::server::new_key("t")),
    );
    config
}

/// Starts the server with the small hospital (`demo_scale = small`) on a fresh in-memory
/// database: the demo's org tree and accounts, its first three branches in full.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

/// Starts the server with the whole demo hospital (about 800 members), for the few smoke
/// tests that check what a visitor of `./scripts/run` sees.
pub async fn spawn_demo_app() -> TestApp {
    let mut config = test_config();
    config.demo_scale = "demo".into();
    spawn_app_with(config).await
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
    let files = config.files.clone();
    let app = Application::build_with_clock(config, clock)
        .await
        .expect("server starts");
    start(app, files)
}

impl TestApp {
    /// A second app server on this one's database, as a hospital runs several behind a
    /// load balancer: the same data, its own memory (sessions, structure, public pages).
    pub async fn spawn_beside(&self) -> TestApp {
        let mut config = test_config();
        config.demo_data = false;
        config.files = self.files.clone();
        let files = config.files.clone();
        let app = Application::build_on(
            config,
            std::sync::Arc::new(app::server::auth::SystemClock),
            self.state.db.clone(),
        )
        .await
        .expect("second server starts");
        start(app, files)
    }

    /// Waits (up to 5 s) until this server follows the database's changes, as it does
    /// shortly after start.
    pub async fn following_changes(&self) {
        for _ in 0..500 {
            if self.state.sessions.is_live() && self.state.public.current().is_some() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the server does not follow changes");
    }
}

fn start(app: Application, files: zhibu_server::config::FilesConfig) -> TestApp {
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(LONGEST_REQUEST)
        .build()
        .expect("http client");
    TestApp {
        address,
        client,
        state,
        files,
        stop,
        server,
        _watchdog: Watchdog::start(),
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

impl TestApp {
    /// Calls a server function with its own argument type (e.g.
    /// `app::api::member::ListMembers { query }`), at the endpoint it declares and encoded
    /// exactly as the browser encodes it, so a test never hand-types form keys.
    pub async fn call_fn<F>(&self, cookie: &str, args: F) -> reqwest::Response
    where
        F: leptos::server_fn::ServerFn + serde::Serialize,
    {
        let body = serde_qs::to_string(&args).expect("arguments encode");
        self.client
            .post(self.url(F::PATH))
            .header("origin", self.origin())
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
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

impl TestApp {
    /// Uploads `bytes` as a file named `name` into organisation `org`, as the browser
    /// does (`POST /files?org=`, the name percent-encoded in `x-file-name`).
    pub async fn upload(
        &self,
        cookie: &str,
        org: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        self.client
            .post(self.url(&format!("/files?org={org}")))
            .header("origin", self.origin())
            .header("cookie", cookie)
            .header("x-file-name", encoded)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .expect("request sent")
    }
}

/// Every demo account with its role.
pub const DEMO_ACCOUNTS: &[(&str, app::access::Role)] = &[
    ("office", app::access::Role::CommitteeOffice),
    ("secretary", app::access::Role::BranchCommittee),
    ("general", app::access::Role::BranchCommittee),
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

/// Starts the server on a fresh in-memory database with no organisations at all: the test
/// builds what it needs with [`Fixture`].
pub async fn spawn_empty_app() -> TestApp {
    let mut config = test_config();
    config.demo_data = false;
    spawn_app_with(config).await
}

/// A small hospital built for one test: organisations, members and accounts, inserted
/// through the repos' own insert types (the ones the demo generator uses). Records get
/// keys `fx_*`, so they never collide with the demo's.
///
/// ```ignore
/// let app = spawn_empty_app().await;
/// let fx = Fixture::new(&app);
/// let root = fx.org("院党委", OrgKind::Committee, None).await;
/// let branch = fx.org("内科第一党支部", OrgKind::Branch, Some(&root)).await;
/// let people = fx.members(&branch, 3).await;
/// let cookie = fx.account("sec", Role::BranchCommittee, &[&branch], Some(&people[0])).await;
/// ```
pub struct Fixture<'a> {
    app: &'a TestApp,
}

impl<'a> Fixture<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Fixture { app }
    }

    fn today(&self) -> chrono::NaiveDate {
        self.app.state.clock.now().date_naive()
    }

    /// Adds an organisation; returns its key.
    pub async fn org(
        &self,
        name: &str,
        kind: app::models::org::OrgKind,
        parent: Option<&str>,
    ) -> String {
        use app::models::org::{BranchCategory, OrgKind};
        use surrealdb::types::RecordId;
        let key = next_key();
        let today = self.today();
        let branch = kind == OrgKind::Branch;
        let org = app::server::repo::org::OrgInsert {
            id: RecordId::new("org", key.as_str()),
            name: name.into(),
            kind,
            parent: parent.map(|p| RecordId::new("org", p)),
            category: branch.then_some(BranchCategory::Clinical),
            departments: if branch {
                vec!["内科".into()]
            } else {
                Vec::new()
            },
            sort: 0,
            term_start: branch.then(|| today - chrono::Days::new(100)),
            term_end: branch.then(|| today + chrono::Days::new(900)),
        };
        app::server::repo::org::insert_many(&self.app.state.db, &[org])
            .await
            .expect("organisation inserted");
        // Inserted behind the services' back: the scope's cached structure is refreshed.
        self.app.state.structure.invalidate();
        key
    }

    /// Adds `n` full members to an organisation (valid ID numbers, distinct phones);
    /// returns their keys.
    pub async fn members(&self, org: &str, n: usize) -> Vec<String> {
        use app::models::member::{Gender, MemberStatus, Standing};
        use surrealdb::types::RecordId;
        let today = self.today();
        let admitted = today - chrono::Days::new(3 * 365);
        let keys: Vec<String> = (0..n).map(|_| next_key()).collect();
        let members: Vec<_> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let name = format!("测试党员{}", ordinal_name(i));
                let first17 = format!("110105198{}0101{:03}", i % 10, serial % 1000);
                app::server::repo::member::MemberInsert {
                    id: RecordId::new("member", key.as_str()),
                    name_initials: app::server::repo::member::name_initials(&name),
                    name,
                    gender: if i % 2 == 0 {
                        Gender::Female
                    } else {
                        Gender::Male
                    },
                    birth_date: chrono::NaiveDate::from_ymd_opt(1980 + (i % 10) as i32, 1, 1)
                        .expect("a date"),
                    ethnicity: "汉族".into(),
                    education: "大学本科".into(),
                    department: "内科".into(),
                    title: "主治医师".into(),
                    phone: format!("139{:08}", serial % 100_000_000),
                    id_number: format!(
                        "{first17}{}",
                        app::models::member::id_check_char(&first17).expect("17 digits")
                    ),
                    org: RecordId::new("org", org),
                    party_group: None,
                    position: app::models::org::Position::Member,
                    status: MemberStatus::Full,
                    application_date: Some(admitted - chrono::Days::new(800)),
                    admission_date: admitted,
                    full_date: Some(admitted + chrono::Months::new(12)),
                    standing: Standing::Active,
                    flags: Vec::new(),
                    dual_leader: false,
                }
            })
            .collect();
        app::server::repo::member::insert_many(&self.app.state.db, &members)
            .await
            .expect("members inserted");
        keys
    }

    /// Adds an account with one role (password [`DEMO_PASSWORD`], no forced change) and
    /// signs it in; returns the session cookie.
    pub async fn account(
        &self,
        username: &str,
        role: app::access::Role,
        orgs: &[&str],
        member: Option<&str>,
    ) -> String {
        use surrealdb::types::RecordId;
        let state = &self.app.state;
        let hash = state
            .passwords
            .hash(DEMO_PASSWORD.to_string())
            .await
            .expect("password hashed");
        let account = app::server::repo::account::NewAccount {
            username: username.into(),
            display_name: format!("{username}（测试）"),
            password_hash: hash,
            roles: vec![role.as_str().into()],
            orgs: orgs.iter().map(|o| RecordId::new("org", *o)).collect(),
            member: member.map(|m| RecordId::new("member", m)),
            must_change_password: false,
            demo: false,
            password_changed_at: state.clock.now(),
        };
        app::server::repo::account::create_accounts(&state.db, vec![account])
            .await
            .expect("account created");
        self.app.session_cookie(username).await
    }
}

/// Distinct keys, ID numbers and phones across a test process.
static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_key() -> String {
    format!(
        "fx_{}",
        SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

fn ordinal_name(i: usize) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    i.to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// The `zhibu_device=<token>` pair a response sets, if any.
pub fn device_pair(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("zhibu_device=") && !v.starts_with("zhibu_device=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

impl TestApp {
    /// A browser that asked for a pairing code: its device cookie and the code.
    pub async fn waiting_tablet(&self) -> (String, String) {
        let res = self.call("start_pairing", &[]).await;
        assert_eq!(res.status(), 200, "a tablet asks for a code");
        let cookie = device_pair(&res).expect("a device cookie is set");
        let view: app::models::room::TabletView = res.json().await.unwrap();
        let app::models::room::TabletView::Pending { code, .. } = view else {
            panic!("a new tablet waits: {view:?}");
        };
        (cookie, code)
    }

    /// A tablet paired by the committee office with the room `room`: its cookie.
    pub async fn paired_tablet(&self, room: &str) -> String {
        let (cookie, code) = self.waiting_tablet().await;
        let office = self.session_cookie("office").await;
        let res = self
            .call_as(
                &office,
                "pair_tablet",
                &[("input[room]", room), ("input[code]", &code)],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        cookie
    }

    /// Today's date in China by the server's clock.
    pub fn china_today(&self) -> chrono::NaiveDate {
        app::server::china_today(&self.state)
    }
}

/// An Excel download: status 200, the xlsx type, no caching, a zip body; its sheets by
/// name, every cell as text.
pub async fn workbook(res: reqwest::Response) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let bytes = res.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"PK"), "a zip file");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    book.worksheets()
        .into_iter()
        .map(|(name, range)| {
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

/// The day `days_from_today` from today in China time, as a form sends it (`YYYY-MM-DD`).
pub fn china_day(days_from_today: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) + chrono::Duration::days(days_from_today))
        .date_naive()
        .to_string()
}

/// The member record key of the demo account `username`.
pub async fn member_of(app: &TestApp, username: &str) -> String {
    let mut res = app
        .state
        .db
        .query("SELECT VALUE record::id(member) FROM account WHERE username = $u")
        .bind(("u", username.to_string()))
        .await
        .unwrap();
    res.take::<Vec<String>>(0).unwrap().remove(0)
}

impl TestApp {
    /// How many records `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        let mut res = self
            .state
            .db
            .query("RETURN count(SELECT VALUE id FROM type::table($t))")
            .bind(("t", table.to_string()))
            .await
            .unwrap();
        res.take::<Option<i64>>(0).unwrap().unwrap_or(0)
    }
}
