//! The Zhibu server: configuration, telemetry, database, router. `main.rs` only calls
//! [`Application::build`] and [`Application::run_until_stopped`]; tests do the same on
//! port 0 with an in-memory database.

pub mod config;
pub mod db;
pub mod http;
pub mod public_cache;
pub mod security;
pub mod session;
pub mod telemetry;

use std::future::Future;

use std::sync::Arc;

use app::server::AppState;
use app::server::auth::Clock;
use tokio::net::TcpListener;

pub use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("demo data could not be loaded: {0}")]
    Demo(surrealdb::Error),
    #[error("the database could not be prepared: {0}")]
    Prepare(surrealdb::Error),
    #[error("demo accounts could not be created: {0}")]
    DemoAccounts(String),
    #[error("the file store could not be opened: {0}")]
    Files(String),
    #[error("the PIN key could not be read or made: {0}")]
    PinKey(String),
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
}

impl Application {
    /// Connects, migrates, loads demo data if asked, and binds the listener.
    pub async fn build(config: Config) -> Result<Application, StartError> {
        let clock = config.clock()?;
        Self::build_with_clock(config, clock).await
    }

    /// As [`Application::build`], with a clock of the caller's choosing (tests move time).
    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartError> {
        config.validate()?;
        let db = db::connect(&config).await?;
        Self::build_on(config, clock, db).await
    }

    /// As [`Application::build_with_clock`], on a connection that another app server in
    /// this process uses too: two servers on one database, as a hospital runs several
    /// behind a load balancer (tests of what crosses servers).
    pub async fn build_on(
        config: Config,
        clock: Arc<dyn Clock>,
        db: app::server::Db,
    ) -> Result<Application, StartError> {
        config.validate()?;
        let ran = db::migrate(&db, &db::migrations()).await?;
        tracing::info!(url = %redact(&config.database_url()), migrations_run = ran, "database ready");
        if config.demo_data {
            tracing::warn!(
                "DEMO MODE: demo data and demo accounts are enabled. Never run demo mode in production."
            );
        }
        let files = config.file_store().map_err(StartError::Files)?;
        tracing::info!(store = %files.describe, "file store ready");
        let pin_key = config.pin_key().map_err(StartError::PinKey)?;
        let state = AppState::with_settings(
            db,
            clock,
            config.auth_policy(),
            config.secure_cookies,
            files,
            pin_key,
        );
        if config.demo_data {
            load_demo(&state, &config.demo_scale).await?;
        }
        let filled = app::server::repo::member::backfill_initials(&state.db)
            .await
            .map_err(StartError::Prepare)?;
        if filled > 0 {
            tracing::info!(
                members = filled,
                "pinyin initials filled in for the roster search"
            );
        }
        let indexed = app::server::service::learning::index_unindexed(&state.db)
            .await
            .map_err(StartError::Prepare)?;
        if indexed > 0 {
            tracing::info!(
                rows = indexed,
                "courses and items indexed for the learning search"
            );
        }
        let router = http::router(&config, state.clone());
        let addr = config.listen_addr();
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Listen {
                addr: addr.to_string(),
                source,
            })?;
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, lets in-flight requests finish, then closes the database.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Application {
            listener,
            router,
            state,
        } = self;
        let pruning = tokio::spawn(prune_audit_daily(state.clone()));
        // Reminders before deadlines and escalations: one server at a time (a lease).
        let reminding = tokio::spawn(app::server::service::reminders::run_forever(state.clone()));
        // Changes by any server end what this one holds in memory (sessions, public pages).
        let following = tokio::spawn(app::server::live::follow(state.clone()));
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown({
            let live = state.live_meetings.clone();
            async move {
                shutdown.await;
                // Open live streams never end on their own: end them, or the graceful
                // shutdown waits for them forever.
                live.stop();
            }
        })
        .await?;
        pruning.abort();
        reminding.abort();
        // Tablets' sign-ins answered and not yet written are written before the database
        // closes (a tablet sends again what a crash would lose).
        if !state
            .sign_in_writes
            .settled(std::time::Duration::from_secs(10))
            .await
        {
            tracing::warn!(
                pending = state.sign_in_writes.pending(),
                "stopping with tablets' sign-ins still being written; the tablets will send them again"
            );
        }
        following.abort();
        let _ = following.await;
        // The last handle on the database: the state holds it.
        db::close(state).await;
        tracing::info!("server stopped; database closed");
        Ok(())
    }
}

/// `server audit verify`: walks the audit chain and reports the first broken entry.
/// Exit code 0 when intact, 1 when broken, 2 when the database cannot be read. (The
/// embedded store admits one process at a time: stop the server first, or point the
/// command at the remote database the servers share.)
pub async fn verify_audit_command(config: &Config) -> std::process::ExitCode {
    match verify_audit(config).await {
        Ok(report) => match report.first_broken {
            None => {
                let range = match (report.first_seq, report.last_seq) {
                    (Some(first), Some(last)) => format!(" (sequence {first}..={last})"),
                    _ => String::new(),
                };
                println!(
                    "audit chain intact: {} entries checked{range}",
                    report.checked
                );
                std::process::ExitCode::SUCCESS
            }
            Some(seq) => {
                println!(
                    "audit chain BROKEN at entry {seq}: it or an entry before it was changed or removed ({} entries checked)",
                    report.checked
                );
                std::process::ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("zhibu: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// `server scores check [--repair]`: recomputes every branch's period score from the raw
/// reviews and compares it with the score kept up to date on each review (exit 1 when any
/// differs; with `--repair` the recomputed scores replace them).
pub async fn check_scores_command(config: &Config, repair: bool) -> std::process::ExitCode {
    let db = match db::connect(config).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("zhibu: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let state = AppState::new(
        db.clone(),
        std::sync::Arc::new(app::server::auth::SystemClock),
    );
    let result = app::server::service::assessment::check_scores(&state, repair).await;
    drop(state);
    db::close(db).await;
    match result {
        Ok(found) if found.is_empty() => {
            println!("branch scores consistent with the reviews");
            std::process::ExitCode::SUCCESS
        }
        Ok(found) => {
            for m in &found {
                println!(
                    "period {} branch {}: stored {:?}, recomputed {:?}{}",
                    m.period,
                    m.org,
                    m.stored.map(|r| r.total),
                    m.computed.total,
                    if repair { " (repaired)" } else { "" }
                );
            }
            std::process::ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("zhibu: the scores could not be checked: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Opens the configured database and walks the audit chain.
pub async fn verify_audit(config: &Config) -> Result<app::models::audit::ChainReport, String> {
    let db = db::connect(config).await.map_err(|e| e.to_string())?;
    let result = app::server::audit::verify(&db).await;
    db::close(db).await;
    result.map_err(|e| format!("the audit trail could not be read: {e}"))
}

/// Applies audit retention at start and once a day.
async fn prune_audit_daily(state: AppState) {
    loop {
        if let Err(e) = app::server::prune_audit(&state).await {
            tracing::error!(error = %e, "audit retention could not be applied");
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
    }
}

async fn load_demo(state: &AppState, scale: &str) -> Result<(), StartError> {
    use app::server::demo;
    let db = &state.db;
    if !app::server::repo::org::is_empty(db)
        .await
        .map_err(StartError::Demo)?
    {
        tracing::info!("database already holds organisations; demo data not loaded");
        return Ok(());
    }
    // China time, as every rule of the domain counts days: from 16:00 UTC the demo's
    // "today" (its meeting open for sign-in, its reminders) is already tomorrow's date.
    let today = app::server::china_today(state);
    // Validated with the configuration.
    let scale = demo::Scale::parse(scale).unwrap_or(demo::Scale::Demo);
    let data = demo::generate(demo::DEFAULT_SEED, scale, today);
    demo::load(db, &data, &state.pin_key)
        .await
        .map_err(StartError::Demo)?;
    demo::load_files(db, &state.files, &data)
        .await
        .map_err(StartError::Files)?;
    let accounts = demo::accounts(&data, &state.passwords, state.clock.now())
        .await
        .map_err(StartError::DemoAccounts)?;
    app::server::repo::account::create_accounts(db, accounts)
        .await
        .map_err(StartError::Demo)?;
    tracing::info!(
        orgs = data.orgs.len(),
        members = data.members.len(),
        "demo data and demo accounts loaded"
    );
    Ok(())
}

/// The URL without credentials, for logs.
fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((scheme_and_user, host)) => {
            let scheme = scheme_and_user.split("://").next().unwrap_or_default();
            format!("{scheme}://***@{host}")
        }
        None => url.to_string(),
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
