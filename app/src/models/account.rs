//! Accounts and sessions: wire types and the pure rules (password policy, lockout, expiry).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;

/// What `login` takes from the sign-in form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

/// The signed-in account as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

/// Authentication settings (defaults per 等保 2.0 practice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthPolicy {
    pub idle_timeout: Duration,
    pub absolute_lifetime: Duration,
    pub lockout_threshold: u32,
    pub lockout_duration: Duration,
    pub min_password_len: usize,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            idle_timeout: Duration::minutes(30),
            absolute_lifetime: Duration::hours(12),
            lockout_threshold: 5,
            lockout_duration: Duration::minutes(15),
            min_password_len: 8,
        }
    }
}

/// Why a new password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooFewClasses,
    SameAsUsername,
}

/// At least `min_len` characters from 3 of 4 classes (lower, upper, digit, other), and not
/// the account name.
pub fn check_password(
    policy: &AuthPolicy,
    username: &str,
    password: &str,
) -> Result<(), PasswordProblem> {
    if password.chars().count() < policy.min_password_len {
        return Err(PasswordProblem::TooShort);
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|&&c| c).count() < 3 {
        return Err(PasswordProblem::TooFewClasses);
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(PasswordProblem::SameAsUsername);
    }
    Ok(())
}

/// Whether an account locked until `locked_until` is still locked at `now`.
pub fn is_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    locked_until.is_some_and(|until| until > now)
}

/// The failure count and lock after one more failed attempt. Reaching the threshold locks
/// the account for the lockout duration and starts counting afresh.
pub fn after_failure(
    policy: &AuthPolicy,
    failed: u32,
    now: DateTime<Utc>,
) -> (u32, Option<DateTime<Utc>>) {
    let failed = failed + 1;
    if failed >= policy.lockout_threshold {
        (0, Some(now + policy.lockout_duration))
    } else {
        (failed, None)
    }
}

/// Whether a session created at `created` and last used at `last_seen` is still valid.
pub fn session_alive(
    policy: &AuthPolicy,
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    now - last_seen < policy.idle_timeout && now - created < policy.absolute_lifetime
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    #[test]
    fn password_policy_follows_the_rules() {
        let p = AuthPolicy::default();
        assert_eq!(
            check_password(&p, "li", "Ab1!"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_password(&p, "li", "abcdefgh1"),
            Err(PasswordProblem::TooFewClasses)
        );
        assert_eq!(check_password(&p, "li", "abcdEFGH1"), Ok(()));
        assert_eq!(check_password(&p, "li", "abcdefg1!"), Ok(()));
        assert_eq!(
            check_password(&p, "Admin123x", "admin123X"),
            Err(PasswordProblem::SameAsUsername)
        );
        assert_eq!(
            check_password(&p, "li", "党建工作Ab12"),
            Ok(()),
            "CJK characters count towards the length"
        );
        assert_eq!(
            check_password(&p, "li", "党建工作Ab1"),
            Err(PasswordProblem::TooShort)
        );
    }

    #[test]
    fn fifth_failure_locks_for_the_window() {
        let p = AuthPolicy::default();
        let mut failed = 0;
        for _ in 0..4 {
            let (f, lock) = after_failure(&p, failed, t(0));
            assert!(lock.is_none());
            failed = f;
        }
        let (f, lock) = after_failure(&p, failed, t(0));
        assert_eq!(f, 0);
        assert_eq!(lock, Some(t(15)));
        assert!(is_locked(lock, t(14)));
        assert!(!is_locked(lock, t(15)));
        assert!(!is_locked(None, t(0)));
    }

    #[test]
    fn sessions_end_on_inactivity_or_age() {
        let p = AuthPolicy::default();
        assert!(session_alive(&p, t(0), t(0), t(29)));
        assert!(!session_alive(&p, t(0), t(0), t(30)), "30 minutes idle");
        assert!(session_alive(&p, t(0), t(700), t(710)));
        assert!(!session_alive(&p, t(0), t(715), t(720)), "12 hours old");
    }
}
