//! Orchestration behind the `transfer` server functions (`crate::api::transfer`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::NaiveDate;

use crate::models::member::mask_id_number;
use crate::models::transfer::{TransferView, actions, is_open};
use crate::server::key_string;
use crate::server::repo::transfer::TransferRow;

pub fn view(r: TransferRow, today: NaiveDate, sender: bool, receiver: bool) -> TransferView {
    TransferView {
        id: key_string(&r.id),
        member_id: key_string(&r.member),
        member_name: r.member_name,
        actions: actions(&r.kind, &r.status, sender, receiver)
            .into_iter()
            .map(String::from)
            .collect(),
        expired: is_open(&r.status) && today > r.valid_until,
        kind: r.kind,
        from_org: r.from_org.as_ref().map(key_string),
        from_name: r.from_name,
        to_org: r.to_org.as_ref().map(key_string),
        to_name: r.to_name,
        outside: r.outside,
        letter_no: r.letter_no,
        valid_until: r.valid_until,
        dues_paid_to: r.dues_paid_to,
        status: r.status,
        reason: r.reason,
        note: r.note,
        issued_at: r.issued_at,
        member_gender: r.member_gender,
        member_status: r.member_status,
        id_number_masked: mask_id_number(&r.member_id_number),
    }
}
