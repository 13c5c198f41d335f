//! Transfers: two open ones touching the demo secretary's branch.

use crate::models::transfer::{TransferKind, TransferStatus};
use chrono::NaiveDate;
use surrealdb::types::RecordId;

use super::Dataset;
use crate::server::repo::transfer::TransferInsert;

/// Two open transfers touching the demo secretary's branch (the first branch): one from
/// the second branch waiting for its acceptance, and a letter out of the hospital waiting
/// for its receipt.
pub(super) fn add(data: &mut Dataset, as_of: NaiveDate) {
    let branches = data.branches();
    if branches.len() < 2 {
        return;
    }
    let plain = |org: &RecordId| {
        data.members
            .iter()
            .rev()
            .filter(|m| {
                !data
                    .candidates
                    .iter()
                    .any(|c| c.member.as_ref() == Some(&m.id))
            })
            .find(|m| &m.org == org && m.position == "member")
            .map(|m| (m.id.clone(), m.name.clone()))
    };
    let (Some(incoming), Some(outgoing)) = (plain(&branches[1]), plain(&branches[0])) else {
        return;
    };
    let at = (as_of - chrono::Days::new(3))
        .and_hms_opt(10, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default();
    let dues = (as_of - chrono::Months::new(1)).format("%Y-%m").to_string();
    let year = as_of.format("%Y");
    data.transfers = vec![
        TransferInsert {
            id: RecordId::new("transfer", "t0001"),
            member: incoming.0,
            member_name: incoming.1,
            kind: TransferKind::Internal,
            from_org: Some(branches[1].clone()),
            to_org: Some(branches[0].clone()),
            outside: String::new(),
            letter_no: format!("明肿党转〔{year}〕第 1 号"),
            valid_until: as_of + chrono::Days::new(27),
            dues_paid_to: dues.clone(),
            status: TransferStatus::Pending,
            reason: "科室调整".into(),
            issued_by: "office".into(),
            issued_at: at,
        },
        TransferInsert {
            id: RecordId::new("transfer", "t0002"),
            member: outgoing.0,
            member_name: outgoing.1,
            kind: TransferKind::Outbound,
            from_org: Some(branches[0].clone()),
            to_org: None,
            outside: "明川市第一人民医院党委".into(),
            letter_no: format!("明肿党转〔{year}〕第 2 号"),
            valid_until: as_of + chrono::Days::new(27),
            dues_paid_to: dues,
            status: TransferStatus::Issued,
            reason: "调离本院".into(),
            issued_by: "secretary".into(),
            issued_at: at,
        },
    ];
}
