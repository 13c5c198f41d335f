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
    /// The account's own member record, if any (for "my profile").
    #[serde(default)]
    pub member: Option<String>,
    /// Unread notifications (the bell in the header).
    #[serde(default)]
    pub unread: u32,
    /// The account issues tasks: the committee office, or a general branch's committee.
    #[serde(default)]
    pub issues_tasks: bool,
}

/// What `change_password` takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new_password: String,
    pub confirm: String,
}

/// The three administrative roles (三员分立): one account holds at most one of them.
pub const ADMIN_ROLES: [Role; 3] = [
    Role::SystemAdmin,
    Role::SecurityAdmin,
    Role::SecurityAuditor,
];

/// An account as the administrators see it: no personal data beyond the display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Organisations a branch role serves on: (record key, name).
    pub orgs: Vec<(String, String)>,
    pub disabled: bool,
    pub locked: bool,
    pub must_change_password: bool,
    pub demo: bool,
}

/// Search and page for the account list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: u32,
}

pub const ACCOUNT_PAGE_SIZE: u32 = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub accounts: Vec<AccountSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// A new account, or new roles for an existing one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInput {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Organisation record keys, for the branch committee role.
    #[serde(default)]
    pub orgs: Vec<String>,
}

/// A one-time password issued by an administrator, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub username: String,
    pub password: String,
}

/// An organisation to choose when assigning a branch role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgChoice {
    pub id: String,
    pub name: String,
}

/// Why an administrator may not make a change to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountRefusal {
    /// Nobody changes their own roles, status or password through administration.
    OwnAccount,
    /// Administrative accounts and roles are the security administrator's to manage.
    NeedsSecurityAdmin,
    /// One account may hold at most one administrative role (三员分立).
    SeparationOfDuties,
    /// The branch committee role needs at least one organisation.
    BranchRoleNeedsOrg,
}

fn is_admin(role: &Role) -> bool {
    ADMIN_ROLES.contains(role)
}

/// Whether `actor` may disable, enable or reset the password of an account holding
/// `target_roles`: never their own; accounts with an administrative role only by the
/// security administrator; others by the system or security administrator.
pub fn may_manage(
    actor_roles: &[Role],
    actor: &str,
    target: &str,
    target_roles: &[Role],
) -> Result<(), AccountRefusal> {
    if actor.eq_ignore_ascii_case(target) {
        return Err(AccountRefusal::OwnAccount);
    }
    if target_roles.iter().any(is_admin) && !actor_roles.contains(&Role::SecurityAdmin) {
        return Err(AccountRefusal::NeedsSecurityAdmin);
    }
    Ok(())
}

/// Whether `actor` may give an account holding `current` the roles `new`: not their own;
/// at most one administrative role; adding or removing an administrative role only by the
/// security administrator; a branch role needs an organisation.
pub fn may_assign(
    actor_roles: &[Role],
    actor: &str,
    target: &str,
    current: &[Role],
    new: &[Role],
    org_count: usize,
) -> Result<(), AccountRefusal> {
    may_manage(actor_roles, actor, target, current)?;
    if new.iter().filter(|r| is_admin(r)).count() > 1 {
        return Err(AccountRefusal::SeparationOfDuties);
    }
    let admin_changes = ADMIN_ROLES
        .iter()
        .any(|r| current.contains(r) != new.contains(r));
    if admin_changes && !actor_roles.contains(&Role::SecurityAdmin) {
        return Err(AccountRefusal::NeedsSecurityAdmin);
    }
    if new.contains(&Role::BranchCommittee) && org_count == 0 {
        return Err(AccountRefusal::BranchRoleNeedsOrg);
    }
    Ok(())
}

/// Account names: 2–64 letters, digits, `.`, `_` or `-`.
pub fn valid_username(name: &str) -> bool {
    (2..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Authentication settings (defaults per 等保 2.0 practice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthPolicy {
    pub idle_timeout: Duration,
    pub absolute_lifetime: Duration,
    pub lockout_threshold: u32,
    pub lockout_duration: Duration,
    pub min_password_len: usize,
    /// Character classes (lower, upper, digit, other) a password must mix: 3 or 4.
    pub min_password_classes: usize,
    /// Passwords older than this must be changed (demo accounts are exempt); `None`: never.
    pub password_max_age: Option<Duration>,
    /// Failed sign-ins from one network address within `address_window` before that
    /// address must wait. High, so a meeting room of tablets behind one address is never
    /// shut out by a few mistyped passwords.
    pub address_failure_threshold: u32,
    pub address_window: Duration,
    /// How often an open live stream of a meeting-room tablet checks that the tablet is
    /// still paired with its room.
    pub tablet_check: Duration,
    /// How long audit entries are kept (never less than [`MIN_AUDIT_RETENTION_DAYS`]).
    pub audit_retention: Duration,
}

/// The legal minimum for keeping the audit trail (六个月, as 网络安全法 第二十一条 asks).
pub const MIN_AUDIT_RETENTION_DAYS: i64 = 184;

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            idle_timeout: Duration::minutes(30),
            absolute_lifetime: Duration::hours(12),
            lockout_threshold: 5,
            lockout_duration: Duration::minutes(15),
            min_password_len: 8,
            min_password_classes: 3,
            password_max_age: None,
            address_failure_threshold: 100,
            address_window: Duration::minutes(15),
            tablet_check: Duration::seconds(30),
            audit_retention: Duration::days(MIN_AUDIT_RETENTION_DAYS),
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
    if classes.iter().filter(|&&c| c).count() < policy.min_password_classes {
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

/// Whether the account must change its password before doing anything else: set by an
/// administrator, or older than the maximum age. Demo accounts are never forced.
pub fn password_change_due(
    policy: &AuthPolicy,
    flagged: bool,
    demo: bool,
    changed_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    if demo {
        return false;
    }
    flagged
        || policy
            .password_max_age
            .is_some_and(|max| now - changed_at >= max)
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
        let strict = AuthPolicy {
            min_password_classes: 4,
            ..AuthPolicy::default()
        };
        assert_eq!(
            check_password(&strict, "li", "abcdEFGH1"),
            Err(PasswordProblem::TooFewClasses)
        );
        assert_eq!(check_password(&strict, "li", "abcdEFGH1!"), Ok(()));
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
    fn passwords_fall_due_when_flagged_or_too_old_but_never_for_demo_accounts() {
        let mut p = AuthPolicy::default();
        assert!(!password_change_due(&p, false, false, t(0), t(1_000_000)));
        assert!(password_change_due(&p, true, false, t(0), t(0)));
        assert!(!password_change_due(&p, true, true, t(0), t(0)));
        p.password_max_age = Some(Duration::days(90));
        assert!(!password_change_due(
            &p,
            false,
            false,
            t(0),
            t(90 * 1440 - 1)
        ));
        assert!(password_change_due(&p, false, false, t(0), t(90 * 1440)));
        assert!(!password_change_due(&p, false, true, t(0), t(90 * 1440)));
    }

    #[test]
    fn nobody_manages_their_own_account_or_grants_themselves_a_role() {
        use Role::*;
        assert_eq!(
            may_manage(&[SystemAdmin], "sys", "SYS", &[SystemAdmin]),
            Err(AccountRefusal::OwnAccount)
        );
        assert_eq!(
            may_assign(
                &[SecurityAdmin],
                "sec",
                "sec",
                &[SecurityAdmin],
                &[SecurityAdmin, Member],
                0
            ),
            Err(AccountRefusal::OwnAccount)
        );
    }

    #[test]
    fn administrative_roles_are_the_security_administrators_to_give_one_at_a_time() {
        use Role::*;
        // The system administrator manages Party accounts...
        assert_eq!(may_manage(&[SystemAdmin], "sys", "li", &[Member]), Ok(()));
        assert_eq!(
            may_assign(
                &[SystemAdmin],
                "sys",
                "li",
                &[Member],
                &[Member, CommitteeOffice],
                0
            ),
            Ok(())
        );
        // ...but neither administrative accounts nor administrative roles.
        assert_eq!(
            may_manage(&[SystemAdmin], "sys", "aud", &[SecurityAuditor]),
            Err(AccountRefusal::NeedsSecurityAdmin)
        );
        assert_eq!(
            may_assign(
                &[SystemAdmin],
                "sys",
                "li",
                &[Member],
                &[Member, SecurityAuditor],
                0
            ),
            Err(AccountRefusal::NeedsSecurityAdmin)
        );
        assert_eq!(
            may_assign(
                &[SecurityAdmin],
                "sec",
                "li",
                &[Member],
                &[Member, SecurityAuditor],
                0
            ),
            Ok(())
        );
        assert_eq!(
            may_assign(
                &[SecurityAdmin],
                "sec",
                "li",
                &[],
                &[SystemAdmin, SecurityAuditor],
                0
            ),
            Err(AccountRefusal::SeparationOfDuties)
        );
        assert_eq!(
            may_assign(&[SecurityAdmin], "sec", "li", &[], &[BranchCommittee], 0),
            Err(AccountRefusal::BranchRoleNeedsOrg)
        );
    }

    #[test]
    fn account_names_are_plain() {
        assert!(valid_username("zhang.san_01"));
        assert!(!valid_username("z"));
        assert!(!valid_username("张三"));
        assert!(!valid_username("a b"));
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
