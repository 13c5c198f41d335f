//! Typed configuration: defaults, then an optional TOML file, then `ZHIBU_*` variables.
//!
//! Nested keys use a double underscore: `ZHIBU_DATABASE__URL=mem://`.
//! A bad value stops start-up with a message that names the setting.

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on, e.g. `127.0.0.1:3000`.
    pub listen: String,
    /// Folder for the embedded database and other local state.
    pub data_dir: PathBuf,
    /// `tracing` filter, e.g. `info` or `info,zhibu_server=debug`.
    pub log_level: String,
    /// Load the demo hospital into an empty database at start.
    pub demo_data: bool,
    /// Folder with the built site (`pkg/`, stylesheet, assets).
    pub site_root: PathBuf,
    /// Mark session cookies `Secure`: set when the platform is served over HTTPS.
    pub secure_cookies: bool,
    pub database: DatabaseConfig,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `surrealkv://<path>` (embedded, default: under `data_dir`), `mem://` (tests),
    /// or `ws://host:port` / `wss://…` for a remote SurrealDB server.
    pub url: Option<String>,
    pub namespace: String,
    pub database: String,
    /// Root credentials for a remote server; ignored by the embedded engines.
    pub username: Option<String>,
    pub password: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:3000".into(),
            data_dir: PathBuf::from("data"),
            log_level: "info".into(),
            demo_data: false,
            site_root: PathBuf::from("target/site"),
            secure_cookies: false,
            database: DatabaseConfig {
                url: None,
                namespace: "zhibu".into(),
                database: "main".into(),
                username: None,
                password: None,
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(String),
    #[error("configuration setting `{setting}` is invalid: {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
}

impl Config {
    /// Loads from defaults, `ZHIBU_CONFIG` (or `zhibu.toml` when present), then environment.
    pub fn load() -> Result<Config, ConfigError> {
        let file = std::env::var("ZHIBU_CONFIG").unwrap_or_else(|_| "zhibu.toml".into());
        Self::from_figment(
            Figment::from(Serialized::defaults(Config::default()))
                .merge(Toml::file(file))
                .merge(Env::prefixed("ZHIBU_").split("__").ignore(&["config"])),
        )
    }

    pub fn from_figment(figment: Figment) -> Result<Config, ConfigError> {
        let config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Load(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen
            .parse::<SocketAddr>()
            .map_err(|e| ConfigError::Invalid {
                setting: "listen",
                reason: format!(
                    "`{}` is not an address like 127.0.0.1:3000 ({e})",
                    self.listen
                ),
            })?;
        tracing_subscriber::EnvFilter::try_new(&self.log_level).map_err(|e| {
            ConfigError::Invalid {
                setting: "log_level",
                reason: e.to_string(),
            }
        })?;
        let url = self.database_url();
        let scheme = url.split("://").next().unwrap_or_default();
        if !["surrealkv", "mem", "ws", "wss"].contains(&scheme) || !url.contains("://") {
            return Err(ConfigError::Invalid {
                setting: "database.url",
                reason: format!("`{url}` must start with surrealkv://, mem://, ws:// or wss://"),
            });
        }
        for (setting, value) in [
            ("database.namespace", &self.database.namespace),
            ("database.database", &self.database.database),
        ] {
            if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(ConfigError::Invalid {
                    setting,
                    reason: format!("`{value}` must be letters, digits or _"),
                });
            }
        }
        if self.database.username.is_some() != self.database.password.is_some() {
            return Err(ConfigError::Invalid {
                setting: "database.username",
                reason: "username and password must be given together".into(),
            });
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> SocketAddr {
        self.listen
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 3000)))
    }

    /// The database URL, defaulting to an embedded SurrealKV store under `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.clone(),
            None => format!("surrealkv://{}", self.data_dir.join("db").display()),
        }
    }

    /// Whether the URL names a remote server (credentials apply).
    pub fn is_remote(&self) -> bool {
        let url = self.database_url();
        url.starts_with("ws://") || url.starts_with("wss://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        for (k, v) in pairs {
            fig = fig.merge((*k, *v));
        }
        Config::from_figment(fig)
    }

    #[test]
    fn defaults_are_valid_and_use_the_embedded_engine() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database_url(), "surrealkv://data/db");
        assert!(!c.is_remote());
    }

    #[test]
    fn a_bad_listen_address_names_the_setting() {
        let err = with(&[("listen", "not-an-address")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`listen`"), "{err}");
    }

    #[test]
    fn an_unknown_database_scheme_names_the_setting() {
        let err = with(&[("database.url", "postgres://x")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`database.url`"), "{err}");
    }

    #[test]
    fn credentials_come_in_pairs() {
        let err = with(&[
            ("database.url", "ws://127.0.0.1:8000"),
            ("database.username", "root"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("database.username"), "{err}");
    }

    #[test]
    fn a_bad_log_filter_names_the_setting() {
        let err = with(&[("log_level", "info,=[")]).unwrap_err().to_string();
        assert!(err.contains("`log_level`"), "{err}");
    }
}
