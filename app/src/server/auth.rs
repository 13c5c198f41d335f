//! Password hashing, session tokens and the clock.

use std::sync::{Arc, Mutex};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};

use crate::models::account::AuthPolicy;

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

/// The system's clock moved to start at a chosen instant, running at real speed from there
/// (demo and browser tests: one "today" for a whole run).
pub struct OffsetClock(Duration);

impl OffsetClock {
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        OffsetClock(start.signed_duration_since(Utc::now()))
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
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

/// Argon2id hashing on a fixed set of worker threads: a burst of sign-ins queues here
/// instead of starving page rendering, and memory stays bounded. Each hash needs about
/// 19 MiB; on tokio's blocking pool every new thread kept its own 19 MiB in its allocator
/// arena (a burst of 150 grew the process by ~380 MiB), while dedicated workers keep one
/// block each.
#[derive(Clone)]
pub struct Passwords {
    jobs: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// A valid hash of a random password, verified against when the account does not exist so
/// that response time does not reveal which accounts exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0nQiJHbwjKyZDNf6X2B8JtKQ0yDbKxTBv7ZYyNn2mvM";

impl Passwords {
    /// Starts `workers` hashing threads; they end when the last handle is dropped.
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..workers.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("zhibu-hash-{i}"))
                .spawn(move || {
                    loop {
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "password worker could not start");
            }
        }
        Passwords { jobs }
    }

    /// Runs `f` on a worker and waits for its result without blocking the async runtime.
    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .ok()?;
        rx.await.ok()
    }

    pub async fn hash(&self, password: String) -> Result<String, String> {
        self.run(move || {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
            let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|| Err("password workers stopped".into()))
    }

    /// Verifies `password` against `phc`, or against a dummy hash when there is none.
    pub async fn verify(&self, password: String, phc: Option<String>) -> bool {
        let has_account = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_string());
        let ok = self
            .run(move || {
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

/// The secret the sign-in PINs are keyed with (HMAC-SHA-256), kept outside the database.
///
/// A 4–6 digit PIN is one of at most a million: whoever holds its hash can try them all,
/// however slow the hash (Argon2 made each check 35 ms and still fell in hours). What
/// protects a PIN is a key the database does not hold, and online the attempt limit. The
/// key is the same on every app server (`auth.pin_key`, or `pin.key` beside the embedded
/// database), so a PIN set through one server is checked by any other; checking costs
/// microseconds, which keeps a meeting's sign-in burst fast (issue 14).
#[derive(Clone)]
pub struct PinKey([u8; 32]);

impl std::fmt::Debug for PinKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinKey(..)")
    }
}

/// How a keyed PIN hash starts; anything else stored is an older Argon2 hash.
const PIN_HASH_PREFIX: &str = "hmac-sha256$";

impl PinKey {
    /// The key made from an operator's secret (`auth.pin_key`).
    pub fn from_secret(secret: &[u8]) -> Self {
        use sha2::Digest;
        PinKey(sha2::Sha256::digest(secret).into())
    }

    /// A random key, made once per process: for in-memory databases, which live no longer
    /// than the process (every app server in it shares the key, as they share the data).
    pub fn for_process() -> Self {
        static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
        PinKey(*KEY.get_or_init(|| {
            let mut key = [0u8; 32];
            if let Err(e) = getrandom::fill(&mut key) {
                // No randomness: the process cannot make sessions either; fail loudly.
                panic!("no randomness for the PIN key: {e}");
            }
            key
        }))
    }

    /// A new random key as text, for a `pin.key` file.
    pub fn new_secret() -> Result<String, getrandom::Error> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(hex(&key))
    }

    fn mac(&self, member: &str, pin: &str) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        // The member's key makes two members' equal PINs hash differently.
        mac.update(b"zhibu-pin\0");
        mac.update(member.as_bytes());
        mac.update(b"\0");
        mac.update(pin.as_bytes());
        mac
    }

    /// The stored form of member `member`'s PIN.
    pub fn hash(&self, member: &str, pin: &str) -> String {
        use hmac::Mac;
        let tag = self.mac(member, pin).finalize().into_bytes();
        format!("{PIN_HASH_PREFIX}{}", hex(&tag))
    }

    /// Whether `pin` is member `member`'s, by a keyed hash made by [`PinKey::hash`]
    /// (compared in constant time); `None` when `stored` is an older Argon2 hash.
    pub fn verify(&self, member: &str, pin: &str, stored: &str) -> Option<bool> {
        use hmac::Mac;
        let tag = stored.strip_prefix(PIN_HASH_PREFIX)?;
        Some(unhex(tag).is_some_and(|tag| self.mac(member, pin).verify_slice(&tag).is_ok()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Failed sign-ins per client address, in this process. Only failures count, so a room
/// of tablets signing in correctly behind one address never reaches the limit.
#[derive(Clone, Default)]
pub struct AddressLimiter {
    failures: Arc<Mutex<std::collections::HashMap<String, (u32, DateTime<Utc>)>>>,
}

impl AddressLimiter {
    /// Whether the address has reached the threshold within the current window.
    pub fn blocked(&self, address: &str, policy: &AuthPolicy, now: DateTime<Utc>) -> bool {
        let Ok(map) = self.failures.lock() else {
            return false;
        };
        map.get(address).is_some_and(|(count, since)| {
            now - *since < policy.address_window && *count >= policy.address_failure_threshold
        })
    }

    /// Counts one failure; a window that has passed starts afresh.
    pub fn failed(&self, address: &str, policy: &AuthPolicy, now: DateTime<Utc>) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() > 10_000 {
            map.retain(|_, (_, since)| now - *since < policy.address_window);
        }
        let entry = map.entry(address.to_string()).or_insert((0, now));
        if now - entry.1 >= policy.address_window {
            *entry = (0, now);
        }
        entry.0 += 1;
    }
}

/// A new random session token (sent once, in the cookie).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(super::hex(&bytes))
}

/// A one-time password for an account created or reset by an administrator: 12
/// characters without look-alikes (0/O, 1/l/I), always meeting the policy.
pub fn temporary_password(policy: &AuthPolicy, username: &str) -> Result<String, getrandom::Error> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789@#%+=";
    loop {
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes)?;
        let candidate: String = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        if crate::models::account::check_password(policy, username, &candidate).is_ok() {
            return Ok(candidate);
        }
    }
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

/// The account name a refused sign-in typed, kept for two minutes for the sign-in page
/// only: the page works without JavaScript, and a plain form post that fails comes back as
/// a new page, which fills the name in again from this cookie.
pub const TYPED_USERNAME_COOKIE: &str = "zhibu_login_name";

/// The `Set-Cookie` value that keeps the typed name, or removes it (`None`, or a name with
/// characters an account name never has).
pub fn typed_username_cookie(name: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match name.filter(|n| is_plain_username(n)) {
        Some(name) => format!(
            "{TYPED_USERNAME_COOKIE}={name}; Path=/login; Max-Age=120; HttpOnly; SameSite=Lax{secure}"
        ),
        None => format!(
            "{TYPED_USERNAME_COOKIE}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
        ),
    }
}

/// Letters, digits and `._@-`, at most 64: what may travel in a cookie as it is.
pub fn is_plain_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
}

/// The cookie of a meeting-room tablet's device credential: a random token (stored only
/// hashed), kept for years (the office revokes a tablet by deleting its record).
pub const DEVICE_COOKIE: &str = "zhibu_device";

/// The `Set-Cookie` value that carries a device token.
pub fn device_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={token}; Path=/; Max-Age=315360000; HttpOnly; SameSite=Lax{secure}")
}

/// The device token in a `Cookie` header, if any.
pub fn device_from_cookies(header: &str) -> Option<String> {
    crate::cookie::cookie_value(header, DEVICE_COOKIE).map(str::to_string)
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
    fn an_address_waits_after_many_failures_until_the_window_passes() {
        let policy = AuthPolicy {
            address_failure_threshold: 3,
            ..AuthPolicy::default()
        };
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let limiter = AddressLimiter::default();
        for _ in 0..2 {
            limiter.failed("10.0.0.9", &policy, t0);
        }
        assert!(!limiter.blocked("10.0.0.9", &policy, t0));
        limiter.failed("10.0.0.9", &policy, t0);
        assert!(limiter.blocked("10.0.0.9", &policy, t0));
        assert!(!limiter.blocked("10.0.0.8", &policy, t0), "per address");
        assert!(!limiter.blocked("10.0.0.9", &policy, t0 + Duration::minutes(15)));
    }

    #[test]
    fn temporary_passwords_meet_the_policy_and_differ() {
        let policy = AuthPolicy::default();
        let a = temporary_password(&policy, "li").unwrap();
        assert_eq!(a.chars().count(), 12);
        assert!(crate::models::account::check_password(&policy, "li", &a).is_ok());
        assert_ne!(a, temporary_password(&policy, "li").unwrap());
    }

    #[test]
    fn a_pin_hash_is_keyed_and_bound_to_its_member() {
        let key = PinKey::from_secret(b"a secret of the hospital's servers");
        let h = key.hash("m0001", "2468");
        assert!(h.starts_with("hmac-sha256$"), "{h}");
        assert_eq!(h.len(), "hmac-sha256$".len() + 64);
        assert_eq!(key.verify("m0001", "2468", &h), Some(true));
        assert_eq!(key.verify("m0001", "2469", &h), Some(false));
        // Another member with the same PIN, or another key, does not match.
        assert_ne!(key.hash("m0002", "2468"), h);
        assert_eq!(key.verify("m0002", "2468", &h), Some(false));
        let other = PinKey::from_secret(b"another hospital");
        assert_eq!(other.verify("m0001", "2468", &h), Some(false));
        // A damaged stored hash never matches; an Argon2 hash is left to the old check.
        assert_eq!(key.verify("m0001", "2468", "hmac-sha256$zz"), Some(false));
        assert_eq!(key.verify("m0001", "2468", DUMMY_HASH), None);
        assert_eq!(
            PinKey::for_process().hash("m1", "2468"),
            PinKey::for_process().hash("m1", "2468")
        );
        let secret = PinKey::new_secret().unwrap();
        assert_eq!(secret.len(), 64);
        assert_ne!(secret, PinKey::new_secret().unwrap());
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

    #[test]
    fn a_typed_name_is_kept_for_the_sign_in_page_only_when_it_is_plain() {
        let kept = typed_username_cookie(Some("office"), false);
        assert!(kept.starts_with("zhibu_login_name=office;"));
        assert!(kept.contains("Path=/login") && kept.contains("Max-Age=120"));
        for odd in ["", "a b", "a;b=c", "名字", &"x".repeat(65)] {
            assert!(
                typed_username_cookie(Some(odd), false).contains("Max-Age=0"),
                "{odd:?} is not kept"
            );
        }
        assert!(
            typed_username_cookie(None, true).contains("Max-Age=0; HttpOnly; SameSite=Lax; Secure")
        );
    }
}
