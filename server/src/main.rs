use zhibu_server::{Application, Config, shutdown_signal, telemetry};

/// mimalloc rather than glibc's malloc: rendering a page allocates and frees many buffers
/// of all sizes, and glibc spent nearly half the CPU of a large page consolidating its
/// free lists (perf, docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// SurrealDB evaluates nested statements (a write inside `FOR` inside `IF`, updating two
/// aggregate tables) recursively; tokio's default 2 MiB worker stacks overflowed on such
/// a change in a debug build. SurrealDB's own server runs with larger stacks too.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

fn main() -> std::process::ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("zhibu: cannot start the async runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("zhibu: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(&config.log_level);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => {}
        ["audit", "verify"] => return zhibu_server::verify_audit_command(&config).await,
        ["scores", "check"] => return zhibu_server::check_scores_command(&config, false).await,
        ["scores", "check", "--repair"] => {
            return zhibu_server::check_scores_command(&config, true).await;
        }
        _ => {
            eprintln!("usage: server                 run the platform");
            eprintln!("       server audit verify    check the audit trail's hash chain");
            eprintln!("       server scores check [--repair]");
            eprintln!("                              recompute branch scores from the reviews");
            return std::process::ExitCode::from(2);
        }
    }
    let app = match Application::build(config.clone()).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("start-up failed: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    tracing::info!(
        "listening on http://127.0.0.1:{} (configured: {})",
        app.port(),
        config.listen
    );
    match app.run_until_stopped(shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("server error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
