//! The audit trail as the auditor sees it: search filters, entries, chain verification.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What happened, in the words stored in the trail (stable identifiers, not prose).
pub mod action {
    pub const LOGIN: &str = "login";
    pub const LOGOUT: &str = "logout";
    pub const LOCKOUT: &str = "lockout";
    pub const DENIED: &str = "permission_denied";
    pub const PASSWORD_CHANGE: &str = "password_change";
    pub const CREATE: &str = "create";
    pub const UPDATE: &str = "update";
    pub const DELETE: &str = "delete";
    pub const VIEW_FULL: &str = "view_full";
    pub const EXPORT: &str = "export";
    pub const VERIFY: &str = "verify_chain";
    pub const PRUNE: &str = "prune";

    pub const ALL: &[&str] = &[
        LOGIN,
        LOGOUT,
        LOCKOUT,
        DENIED,
        PASSWORD_CHANGE,
        CREATE,
        UPDATE,
        DELETE,
        VIEW_FULL,
        EXPORT,
        VERIFY,
        PRUNE,
    ];
}

/// An action identifier as people read it (unknown ones are shown as stored).
pub fn action_text(action: &str, lang: crate::i18n::Lang) -> String {
    use crate::i18n::T;
    let key = match action {
        action::LOGIN => T::ActLogin,
        action::LOGOUT => T::ActLogout,
        action::LOCKOUT => T::ActLockout,
        action::DENIED => T::ActDenied,
        action::PASSWORD_CHANGE => T::ActPasswordChange,
        action::CREATE => T::ActCreate,
        action::UPDATE => T::ActUpdate,
        action::DELETE => T::ActDelete,
        action::VIEW_FULL => T::ActViewFull,
        action::EXPORT => T::ActExport,
        action::VERIFY => T::ActVerify,
        action::PRUNE => T::ActPrune,
        other => return other.to_string(),
    };
    lang.t(key).to_string()
}

/// An outcome identifier as people read it.
pub fn outcome_text(outcome: &str, lang: crate::i18n::Lang) -> String {
    use crate::i18n::T;
    match outcome {
        "success" => lang.t(T::OutSuccess).to_string(),
        "failure" => lang.t(T::OutFailure).to_string(),
        "denied" => lang.t(T::OutDenied).to_string(),
        other => other.to_string(),
    }
}

/// How it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One entry of the trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::instant")
    )]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub roles: Vec<String>,
    pub address: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub outcome: String,
    pub summary: String,
}

/// The auditor's search. Empty fields do not filter; dates are whole days (China time),
/// both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date")
    )]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date")
    )]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub entity: String,
    /// 1-based page number.
    #[serde(default)]
    pub page: u32,
}

pub const AUDIT_PAGE_SIZE: u32 = 50;

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// The result of walking the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// Entries checked.
    pub checked: u64,
    /// The first entry whose hash or link does not match, if any.
    pub first_broken: Option<i64>,
    /// The first sequence number still held (older entries were removed by retention).
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// China Standard Time, in which the hospital reads its dates.
pub fn china_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The UTC instants bounding the days `from..=to` in China time.
pub fn day_bounds(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let start = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(china_offset()).single())
            .map(|t| t.with_timezone(&Utc))
    };
    (
        from.and_then(start),
        to.and_then(|d| d.succ_opt()).and_then(start),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_label_in_both_languages() {
        use crate::i18n::Lang;
        for a in action::ALL {
            assert_ne!(action_text(a, Lang::Zh), *a, "{a}");
            assert_ne!(action_text(a, Lang::En), *a, "{a}");
        }
        assert_eq!(outcome_text("denied", Lang::Zh), "拒绝");
    }

    #[test]
    fn days_are_bounded_in_china_time() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let (from, to) = day_bounds(Some(d), Some(d));
        assert_eq!(from.unwrap().to_rfc3339(), "2026-11-01T16:00:00+00:00");
        assert_eq!(to.unwrap().to_rfc3339(), "2026-11-02T16:00:00+00:00");
        assert_eq!(day_bounds(None, None), (None, None));
    }
}
