//! Logging with `tracing`; the filter comes from configuration.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (as in tests) are ignored.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true)
        .try_init();
}
