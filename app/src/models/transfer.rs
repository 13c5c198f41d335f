//! Transfers of the membership relation (组织关系转接) and their rules.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
use crate::models::member::{Gender, MemberStatus};

/// How long a letter is valid unless set otherwise.
pub const DEFAULT_VALID_DAYS: u32 = 30;
/// The longest validity accepted.
pub const MAX_VALID_DAYS: u32 = 90;

word_enum! {
    /// 转接类型: to another branch of the hospital, out of the hospital with a letter, or
    /// into it from outside (recorded with the arriving member).
    TransferKind {
        Internal => "internal" / TrInternal,
        Outbound => "outbound" / TrOutbound,
        Inbound => "inbound" / TrInbound,
    }
}

word_enum! {
    /// Where a transfer stands. Internal: pending, then accepted, rejected or cancelled.
    /// Outbound: issued, then received or cancelled. Inbound: completed when recorded.
    TransferStatus {
        Pending => "pending" / TrPending,
        Accepted => "accepted" / TrAccepted,
        Rejected => "rejected" / TrRejected,
        Issued => "issued" / TrIssued,
        Received => "received" / TrReceived,
        Cancelled => "cancelled" / TrCancelled,
        Completed => "completed" / TrCompleted,
    }
}

word_enum! {
    /// What a side may do with an open transfer.
    TransferAction {
        Accept => "accept" / TrAccept,
        Reject => "reject" / TrReject,
        Receipt => "receipt" / TrReceipt,
        Cancel => "cancel" / TrCancel,
    }
}

impl TransferStatus {
    /// Whether the transfer is still open (the member cannot start another).
    pub fn is_open(self) -> bool {
        matches!(self, TransferStatus::Pending | TransferStatus::Issued)
    }
}

/// Input of `start_transfer`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferStart {
    pub member: String,
    /// `internal` (to another branch of the hospital) or `outbound` (out of the hospital).
    pub kind: String,
    /// The receiving branch (internal).
    #[serde(default)]
    pub to_org: String,
    /// The receiving Party organisation outside (outbound).
    #[serde(default)]
    pub outside: String,
    /// 党费交至: `YYYY-MM`.
    pub dues_paid_to: String,
    #[serde(default)]
    pub valid_days: String,
    #[serde(default)]
    pub reason: String,
}

/// Input of `resolve_transfer`: `accept` / `reject` (the receiving branch, internal),
/// `receipt` (the receipt came back, outbound) or `cancel` (the sending side).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferResolve {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub note: String,
}

/// One transfer as lists and the letter show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub id: String,
    pub member_id: String,
    pub member_name: String,
    pub kind: TransferKind,
    pub from_org: Option<String>,
    pub from_name: String,
    pub to_org: Option<String>,
    pub to_name: String,
    pub outside: String,
    pub letter_no: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub valid_until: NaiveDate,
    pub dues_paid_to: String,
    pub status: TransferStatus,
    pub reason: String,
    pub note: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// Set when the letter is past its validity and still open.
    pub expired: bool,
    /// What the caller may do with it now.
    pub actions: Vec<TransferAction>,
    /// Gender, status and the like for the letter.
    pub member_gender: Gender,
    pub member_status: MemberStatus,
    pub id_number_masked: String,
}

/// Why a transfer is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferProblem {
    KindUnknown,
    /// Internal transfers go to another branch of the hospital.
    TargetInvalid,
    /// Outbound letters name the receiving organisation.
    OutsideMissing,
    /// 党费交至 is a month, `YYYY-MM`, not after next month.
    DuesInvalid,
    /// Validity is 1–90 days.
    ValidityInvalid,
    /// The member already has an open transfer, or is not in good standing.
    Busy,
    /// The action does not apply to this transfer in its state.
    ActionInvalid,
    ReasonMissing,
}

impl TransferProblem {
    pub fn field(self) -> &'static str {
        match self {
            TransferProblem::KindUnknown => "kind",
            TransferProblem::TargetInvalid => "to_org",
            TransferProblem::OutsideMissing => "outside",
            TransferProblem::DuesInvalid => "dues_paid_to",
            TransferProblem::ValidityInvalid => "valid_days",
            TransferProblem::Busy | TransferProblem::ActionInvalid => "member",
            TransferProblem::ReasonMissing => "reason",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        lang.t(match self {
            TransferProblem::KindUnknown => T::TrKindUnknown,
            TransferProblem::TargetInvalid => T::TrTargetInvalid,
            TransferProblem::OutsideMissing => T::TrOutsideMissing,
            TransferProblem::DuesInvalid => T::TrDuesInvalid,
            TransferProblem::ValidityInvalid => T::TrValidityInvalid,
            TransferProblem::Busy => T::TrBusy,
            TransferProblem::ActionInvalid => T::TrActionInvalid,
            TransferProblem::ReasonMissing => T::StatusReasonMissing,
        })
        .to_string()
    }
}

/// Parses 党费交至 (`2026-10`, `2026年10月`, `2026/10`): a month no later than next month.
pub fn parse_dues_month(text: &str, today: NaiveDate) -> Option<(i32, u32)> {
    let cleaned = text.trim().replace(['年', '/', '.'], "-").replace('月', "");
    let (y, m) = cleaned.split_once('-')?;
    let y: i32 = y.trim().parse().ok()?;
    let m: u32 = m.trim().parse().ok()?;
    if !(1..=12).contains(&m) || y < 1921 {
        return None;
    }
    let next = (today.year() * 12 + today.month0() as i32) + 1;
    if y * 12 + (m as i32 - 1) > next {
        return None;
    }
    Some((y, m))
}

/// Validity in days: empty means the default.
pub fn parse_valid_days(text: &str) -> Option<u32> {
    if text.trim().is_empty() {
        return Some(DEFAULT_VALID_DAYS);
    }
    text.trim()
        .parse()
        .ok()
        .filter(|d| (1..=MAX_VALID_DAYS).contains(d))
}

/// Which actions apply to a transfer of `kind` in `status`, for a caller who serves the
/// sending side (`sender`) and/or the receiving side (`receiver`).
pub fn actions(
    kind: TransferKind,
    status: TransferStatus,
    sender: bool,
    receiver: bool,
) -> Vec<TransferAction> {
    use TransferAction::*;
    let mut out = Vec::new();
    match (kind, status) {
        (TransferKind::Internal, TransferStatus::Pending) => {
            if receiver {
                out.extend([Accept, Reject]);
            }
            if sender {
                out.push(Cancel);
            }
        }
        (TransferKind::Outbound, TransferStatus::Issued) if sender => out.extend([Receipt, Cancel]),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dues_month_is_a_month_not_after_next() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(parse_dues_month("2026-10", today), Some((2026, 10)));
        assert_eq!(parse_dues_month("2026年12月", today), Some((2026, 12)));
        assert_eq!(parse_dues_month("2027-01", today), None);
        assert_eq!(parse_dues_month("2026-13", today), None);
        assert_eq!(parse_dues_month("十月", today), None);
    }

    #[test]
    fn validity_defaults_and_is_bounded() {
        assert_eq!(parse_valid_days(""), Some(DEFAULT_VALID_DAYS));
        assert_eq!(parse_valid_days("60"), Some(60));
        assert_eq!(parse_valid_days("0"), None);
        assert_eq!(parse_valid_days("91"), None);
    }

    #[test]
    fn only_the_receiving_branch_accepts_and_only_the_sender_confirms_receipts() {
        use TransferAction::*;
        use TransferKind::*;
        use TransferStatus::*;
        assert_eq!(actions(Internal, Pending, false, true), [Accept, Reject]);
        assert_eq!(actions(Internal, Pending, true, false), [Cancel]);
        assert!(actions(Internal, Accepted, true, true).is_empty());
        assert_eq!(actions(Outbound, Issued, true, false), [Receipt, Cancel]);
        assert!(actions(Outbound, Issued, false, true).is_empty());
        assert!(Pending.is_open() && Issued.is_open() && !Completed.is_open());
        assert_eq!(TransferAction::parse("receipt"), Some(Receipt));
        assert_eq!(TransferAction::parse("delete"), None);
    }
}
