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
    /// How large a demo hospital: `demo` (31 branches, about 800 members), `small` (what
    /// most tests use), `sf1` (about 5,000 members, 100 branches), `sf10`, ….
    pub demo_scale: String,
    /// Demo and browser tests only: the platform's clock starts at this instant (RFC 3339,
    /// e.g. `2026-12-04T04:00:00Z`) and runs at real speed from there, so a test run that
    /// crosses midnight in China keeps one "today". Refused without `demo_data`.
    pub demo_clock_start: Option<String>,
    /// Folder with the built site (`pkg/`, stylesheet, assets).
    pub site_root: PathBuf,
    /// Mark session cookies `Secure`: set when the platform is served over HTTPS.
    pub secure_cookies: bool,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub audit: AuditConfig,
    pub security: SecurityConfig,
    pub files: FilesConfig,
}

/// Where uploaded files (evidence, attachments) are kept: a folder by default; an
/// S3-compatible store (MinIO) when several app servers must share them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    /// `folder` (default) or `s3`.
    pub store: String,
    /// The folder; empty: `files/` under `data_dir`.
    pub dir: Option<PathBuf>,
    /// The bucket, endpoint (`http://minio:9000`; empty for AWS), region and keys of an
    /// S3-compatible store.
    pub s3_bucket: String,
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: String,
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig {
            store: "folder".into(),
            dir: None,
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: "us-east-1".into(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
        }
    }
}

/// Sign-in, lockout, session and password rules. Defaults follow 等保 2.0 practice.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub idle_timeout_minutes: i64,
    pub absolute_lifetime_hours: i64,
    /// Failed sign-ins that lock an account.
    pub lockout_threshold: u32,
    pub lockout_minutes: i64,
    /// At least 8 (等保 2.0).
    pub password_min_length: usize,
    /// Character classes a password must mix (lower, upper, digit, other): 3 (等保) or 4.
    pub password_min_classes: usize,
    /// Force a new password after this many days; 0 turns it off.
    pub password_max_age_days: i64,
    /// Failed sign-ins from one address within the window before it must wait.
    pub address_failure_threshold: u32,
    pub address_window_minutes: i64,
    /// How often a meeting-room screen's open live stream checks that its tablet is still
    /// paired with the room (a revoked tablet's screen goes blank within this).
    pub tablet_check_seconds: i64,
    /// The secret the sign-in PINs are keyed with (at least 32 characters), the same on
    /// every app server. Empty: `pin.key` beside the embedded database, made on first
    /// start; required with a remote database, where several servers share the PINs.
    pub pin_key: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Days the audit trail is kept; at least 184.
    pub retention_days: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    /// Take the client address from the last `X-Forwarded-For` entry (set when a reverse
    /// proxy you run sits in front of the platform).
    pub trust_forwarded_for: bool,
    /// Origins (e.g. `https://intranet.example.cn`) allowed to embed the public display
    /// pages in a frame. Empty: no page may be framed.
    pub frame_ancestors: Vec<String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            idle_timeout_minutes: 30,
            absolute_lifetime_hours: 12,
            lockout_threshold: 5,
            lockout_minutes: 15,
            password_min_length: 8,
            password_min_classes: 3,
            password_max_age_days: 0,
            address_failure_threshold: 100,
            address_window_minutes: 15,
            tablet_check_seconds: 30,
            pin_key: String::new(),
        }
    }
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
            demo_scale: "demo".into(),
            demo_clock_start: None,
            site_root: PathBuf::from("target/site"),
            secure_cookies: false,
            database: DatabaseConfig {
                url: None,
                namespace: "zhibu".into(),
                database: "main".into(),
                username: None,
                password: None,
            },
            auth: AuthConfig::default(),
            audit: AuditConfig {
                retention_days: app::models::account::MIN_AUDIT_RETENTION_DAYS,
            },
            security: SecurityConfig {
                trust_forwarded_for: false,
                frame_ancestors: Vec::new(),
            },
            files: FilesConfig::default(),
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
        match self.files.store.as_str() {
            "folder" => {}
            "s3" if !self.files.s3_bucket.is_empty() => {}
            "s3" => {
                return Err(ConfigError::Invalid {
                    setting: "files.s3_bucket",
                    reason: "an S3 store needs a bucket".into(),
                });
            }
            other => {
                return Err(ConfigError::Invalid {
                    setting: "files.store",
                    reason: format!("`{other}` must be folder or s3"),
                });
            }
        }
        if app::server::demo::Scale::parse(&self.demo_scale).is_none() {
            return Err(ConfigError::Invalid {
                setting: "demo_scale",
                reason: format!("`{}` must be demo, small or sf1 … sf100", self.demo_scale),
            });
        }
        if let Some(start) = &self.demo_clock_start {
            if !self.demo_data {
                return Err(ConfigError::Invalid {
                    setting: "demo_clock_start",
                    reason: "a moved clock is for demo data and tests only: set demo_data too"
                        .into(),
                });
            }
            self.clock_start_at(start)?;
        }
        self.validate_security()?;
        if self.database.username.is_some() != self.database.password.is_some() {
            return Err(ConfigError::Invalid {
                setting: "database.username",
                reason: "username and password must be given together".into(),
            });
        }
        if self.is_remote() && self.auth.pin_key.is_empty() {
            return Err(ConfigError::Invalid {
                setting: "auth.pin_key",
                reason: "with a remote database every app server must check PINs with the same \
                         secret: set ZHIBU_AUTH__PIN_KEY (at least 32 characters) on each"
                    .into(),
            });
        }
        Ok(())
    }

    fn validate_security(&self) -> Result<(), ConfigError> {
        let a = &self.auth;
        let positive: [(&'static str, i64); 7] = [
            ("auth.idle_timeout_minutes", a.idle_timeout_minutes),
            ("auth.absolute_lifetime_hours", a.absolute_lifetime_hours),
            ("auth.lockout_threshold", i64::from(a.lockout_threshold)),
            ("auth.lockout_minutes", a.lockout_minutes),
            (
                "auth.address_failure_threshold",
                i64::from(a.address_failure_threshold),
            ),
            ("auth.address_window_minutes", a.address_window_minutes),
            ("auth.tablet_check_seconds", a.tablet_check_seconds),
        ];
        for (setting, value) in positive {
            if value <= 0 {
                return Err(ConfigError::Invalid {
                    setting,
                    reason: format!("`{value}` must be greater than 0"),
                });
            }
        }
        if a.password_min_length < 8 {
            return Err(ConfigError::Invalid {
                setting: "auth.password_min_length",
                reason: "等保 2.0 asks for at least 8 characters".into(),
            });
        }
        if !(3..=4).contains(&a.password_min_classes) {
            return Err(ConfigError::Invalid {
                setting: "auth.password_min_classes",
                reason: "must be 3 (等保 2.0) or 4".into(),
            });
        }
        if a.password_max_age_days < 0 {
            return Err(ConfigError::Invalid {
                setting: "auth.password_max_age_days",
                reason: "use 0 to turn the maximum age off".into(),
            });
        }
        if !a.pin_key.is_empty() && a.pin_key.chars().count() < 32 {
            return Err(ConfigError::Invalid {
                setting: "auth.pin_key",
                reason: "the PIN key must be at least 32 characters (for example 64 hex digits)"
                    .into(),
            });
        }
        let min = app::models::account::MIN_AUDIT_RETENTION_DAYS;
        if self.audit.retention_days < min {
            return Err(ConfigError::Invalid {
                setting: "audit.retention_days",
                reason: format!("the audit trail must be kept at least {min} days"),
            });
        }
        for origin in &self.security.frame_ancestors {
            let ok = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin
                    .chars()
                    .any(|c| c.is_whitespace() || c == ';' || c == ',' || c == '\'');
            if !ok {
                return Err(ConfigError::Invalid {
                    setting: "security.frame_ancestors",
                    reason: format!(
                        "`{origin}` must be an origin like https://intranet.example.cn"
                    ),
                });
            }
        }
        Ok(())
    }

    /// The authentication rules the server enforces.
    pub fn auth_policy(&self) -> app::models::account::AuthPolicy {
        use chrono::Duration;
        let a = &self.auth;
        app::models::account::AuthPolicy {
            idle_timeout: Duration::minutes(a.idle_timeout_minutes),
            absolute_lifetime: Duration::hours(a.absolute_lifetime_hours),
            lockout_threshold: a.lockout_threshold,
            lockout_duration: Duration::minutes(a.lockout_minutes),
            min_password_len: a.password_min_length,
            min_password_classes: a.password_min_classes,
            password_max_age: (a.password_max_age_days > 0)
                .then(|| Duration::days(a.password_max_age_days)),
            address_failure_threshold: a.address_failure_threshold,
            address_window: Duration::minutes(a.address_window_minutes),
            tablet_check: Duration::seconds(a.tablet_check_seconds),
            audit_retention: Duration::days(self.audit.retention_days),
        }
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

    /// The key the sign-in PINs are hashed with: `auth.pin_key`; else, in memory, this
    /// process's own; else `pin.key` under `data_dir`, made (readable by its owner only)
    /// on the first start.
    pub fn pin_key(&self) -> Result<app::server::auth::PinKey, String> {
        use app::server::auth::PinKey;
        if !self.auth.pin_key.is_empty() {
            return Ok(PinKey::from_secret(self.auth.pin_key.as_bytes()));
        }
        if self.database_url().starts_with("mem:") {
            return Ok(PinKey::for_process());
        }
        let path = self.data_dir.join("pin.key");
        match std::fs::read_to_string(&path) {
            Ok(text) if text.trim().len() >= 32 => {
                return Ok(PinKey::from_secret(text.trim().as_bytes()));
            }
            Ok(_) => return Err(format!("{} is shorter than 32 characters", path.display())),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("{}: {e}", path.display()));
            }
            Err(_) => {}
        }
        let secret = PinKey::new_secret().map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| format!("{}: {e}", self.data_dir.display()))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{secret}\n").as_bytes()));
        match written {
            Ok(()) => Ok(PinKey::from_secret(secret.as_bytes())),
            // Another process made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::read_to_string(&path)
                    .map(|text| PinKey::from_secret(text.trim().as_bytes()))
                    .map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The file store the settings name (a folder is created when missing).
    pub fn file_store(&self) -> Result<app::server::files::FileStore, String> {
        let f = &self.files;
        if f.store == "s3" {
            return app::server::files::FileStore::s3(&app::server::files::S3Settings {
                bucket: f.s3_bucket.clone(),
                endpoint: f.s3_endpoint.clone(),
                region: f.s3_region.clone(),
                access_key_id: f.s3_access_key_id.clone(),
                secret_access_key: f.s3_secret_access_key.clone(),
            });
        }
        let dir = f.dir.clone().unwrap_or_else(|| self.data_dir.join("files"));
        app::server::files::FileStore::folder(&dir)
    }

    /// The clock the platform runs on: the system's, or (demo and tests) one started at
    /// `demo_clock_start`.
    pub fn clock(&self) -> Result<std::sync::Arc<dyn app::server::auth::Clock>, ConfigError> {
        Ok(match &self.demo_clock_start {
            Some(start) => std::sync::Arc::new(app::server::auth::OffsetClock::starting_at(
                self.clock_start_at(start)?,
            )),
            None => std::sync::Arc::new(app::server::auth::SystemClock),
        })
    }

    fn clock_start_at(&self, start: &str) -> Result<chrono::DateTime<chrono::Utc>, ConfigError> {
        chrono::DateTime::parse_from_rfc3339(start)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|e| ConfigError::Invalid {
                setting: "demo_clock_start",
                reason: format!("`{start}` is not a time like 2026-12-04T04:00:00Z ({e})"),
            })
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
    fn the_demo_scale_is_checked_and_names_the_setting() {
        assert_eq!(with(&[("demo_scale", "sf1")]).unwrap().demo_scale, "sf1");
        let err = with(&[("demo_scale", "huge")]).unwrap_err().to_string();
        assert!(err.contains("demo_scale") && err.contains("huge"), "{err}");
    }

    #[test]
    fn a_moved_clock_needs_demo_data_and_a_valid_time() {
        let moved = |demo_data: bool, start: &str| Config {
            demo_data,
            demo_clock_start: Some(start.into()),
            ..Config::default()
        };
        let err = moved(false, "2026-12-04T04:00:00Z")
            .validate()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("demo_clock_start") && err.contains("demo_data"),
            "{err}"
        );
        let err = moved(true, "noon").validate().unwrap_err().to_string();
        assert!(
            err.contains("demo_clock_start") && err.contains("noon"),
            "{err}"
        );
        let c = moved(true, "2026-12-04T04:00:00Z");
        c.validate().unwrap();
        let now = c.clock().unwrap().now();
        let start = chrono::DateTime::parse_from_rfc3339("2026-12-04T04:00:00Z").unwrap();
        let ran = now.signed_duration_since(start);
        assert!(
            ran >= chrono::Duration::zero() && ran < chrono::Duration::minutes(1),
            "{ran}"
        );
        assert!(
            Config::default().clock().unwrap().now() > now,
            "the system clock otherwise"
        );
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
    fn security_settings_refuse_values_below_the_legal_floor() {
        let refused = |edit: fn(&mut Config)| {
            let mut c = Config::default();
            edit(&mut c);
            c.validate().unwrap_err().to_string()
        };
        let err = refused(|c| c.audit.retention_days = 30);
        assert!(err.contains("`audit.retention_days`"), "{err}");
        let err = refused(|c| c.auth.password_min_length = 6);
        assert!(err.contains("`auth.password_min_length`"), "{err}");
        let err = refused(|c| c.auth.password_min_classes = 2);
        assert!(err.contains("`auth.password_min_classes`"), "{err}");
        let err = refused(|c| c.auth.lockout_threshold = 0);
        assert!(err.contains("`auth.lockout_threshold`"), "{err}");
        let mut framed = Config::default();
        framed.security.frame_ancestors = vec!["'none'".into()];
        let err = framed.validate().unwrap_err().to_string();
        assert!(err.contains("`security.frame_ancestors`"), "{err}");
        framed.security.frame_ancestors = vec!["https://intranet.example.cn".into()];
        assert!(framed.validate().is_ok());
        let mut ok = Config::default();
        ok.audit.retention_days = 400;
        ok.auth.password_max_age_days = 90;
        ok.validate().unwrap();
        let policy = ok.auth_policy();
        assert_eq!(policy.audit_retention, chrono::Duration::days(400));
        assert_eq!(policy.password_max_age, Some(chrono::Duration::days(90)));
        assert_eq!(
            with(&[]).unwrap().auth_policy(),
            app::models::account::AuthPolicy::default()
        );
    }

    #[test]
    fn the_pin_key_is_long_kept_beside_the_embedded_database_and_required_when_remote() {
        let err = with(&[("auth.pin_key", "too-short")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`auth.pin_key`"), "{err}");
        let err = with(&[("database.url", "ws://127.0.0.1:8000")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`auth.pin_key`") && err.contains("ZHIBU_AUTH__PIN_KEY"),
            "{err}"
        );
        let secret = "0123456789abcdef0123456789abcdef";
        let remote = with(&[
            ("database.url", "ws://127.0.0.1:8000"),
            ("auth.pin_key", secret),
        ])
        .unwrap();
        let given = remote.pin_key().unwrap().hash("m1", "2468");
        assert_eq!(
            given,
            app::server::auth::PinKey::from_secret(secret.as_bytes()).hash("m1", "2468")
        );

        // Embedded: made on the first start (owner-only), the same on the next.
        let dir = std::env::temp_dir().join(format!("zhibu-pin-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut c = Config::default();
        c.data_dir = dir.join("data");
        let first = c.pin_key().unwrap().hash("m1", "2468");
        let file = c.data_dir.join("pin.key");
        assert_eq!(std::fs::read_to_string(&file).unwrap().trim().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(c.pin_key().unwrap().hash("m1", "2468"), first);
        assert_ne!(first, given);
        std::fs::write(&file, "short\n").unwrap();
        assert!(c.pin_key().unwrap_err().contains("pin.key"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_log_filter_names_the_setting() {
        let err = with(&[("log_level", "info,=[")]).unwrap_err().to_string();
        assert!(err.contains("`log_level`"), "{err}");
    }
}
