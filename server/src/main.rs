use zhibu_server::{Application, Config, shutdown_signal, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("zhibu: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(&config.log_level);
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
