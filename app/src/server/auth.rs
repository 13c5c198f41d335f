//! Password hashing, session tokens and the clock.

use std::sync::{Arc, Mutex};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use tokio::sync::Semaphore;

/// The time source, injectable so tests can move it instead of sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }
    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|t| *t).unwrap_or_else(|_| Utc::now())
    }
}

/// Argon2id hashing on the blocking pool, a bounded number at a time: a burst of logins
/// queues here instead of starving page rendering or using unbounded memory
/// (each hash takes about 19 MiB).
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

/// A valid hash of a random password, verified against when the account does not exist so
/// that response time does not reveal which accounts exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0nQiJHbwjKyZDNf6X2B8JtKQ0yDbKxTBv7ZYyNn2mvM";

impl Passwords {
    pub fn new(concurrency: usize) -> Self {
        Passwords {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
            let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Verifies `password` against `phc`, or against a dummy hash when there is none.
    pub async fn verify(&self, password: String, phc: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let has_account = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_string());
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&phc)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        ok && has_account
    }
}

/// A new random session token (sent once, in the cookie).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(super::hex(&bytes))
}

/// What is stored for a token: its SHA-256, hex-encoded.
pub fn token_key(token: &str) -> String {
    super::sha256_hex(token)
}

pub const SESSION_COOKIE: &str = "zhibu_session";

/// The `Set-Cookie` value that carries a session token.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookies(header: &str) -> Option<String> {
    crate::cookie::cookie_value(header, SESSION_COOKIE).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_do_not() {
        let p = Passwords::new(2);
        let h = p.hash("Correct-Horse-1".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("Correct-Horse-1".into(), Some(h.clone())).await);
        assert!(!p.verify("wrong".into(), Some(h)).await);
        assert!(
            !p.verify("anything".into(), None).await,
            "no account never verifies"
        );
    }

    #[test]
    fn the_dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token().unwrap());
        assert_ne!(token_key(&a), a);
        assert_eq!(
            token_from_cookies(&format!(
                "x=1; {}",
                session_cookie(&a, false).split(';').next().unwrap()
            )),
            Some(a)
        );
        assert_eq!(token_from_cookies("zhibu_session="), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_over_tls() {
        assert!(session_cookie("t", false).contains("HttpOnly"));
        assert!(!session_cookie("t", false).contains("Secure"));
        assert!(session_cookie("t", true).contains("; Secure"));
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
    }
}
