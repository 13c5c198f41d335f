//! Orchestration behind the `transfer` server functions (`crate::api::transfer`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::models::audit::{Outcome, action};
use crate::models::member::{Standing, mask_id_number};
use crate::models::member_form::MemberInput;
use crate::models::org::{OrgKind, is_valid_key};
use crate::models::transfer::{
    TransferAction, TransferKind, TransferProblem, TransferResolve, TransferStart, TransferStatus,
    TransferView, actions, parse_dues_month, parse_valid_days,
};
use crate::server::audit::Event;
use crate::server::repo::transfer::{NewTransfer, TransferRow};
use crate::server::{Ctx, clip, db_error, invalid, key_string, new_key, repo, scope, service};

/// Starts a transfer: `internal` to another branch (pending until accepted) or `outbound`
/// with a numbered letter (issued until its receipt is confirmed). Returns its key.
pub async fn start(ctx: &Ctx, input: TransferStart) -> Result<String, AppError> {
    let lang = ctx.lang;
    let db = &ctx.state.db;
    let refuse = |p: TransferProblem| invalid(p.field(), p.message(lang));
    let kind = match TransferKind::parse(input.kind.trim()) {
        Some(k @ (TransferKind::Internal | TransferKind::Outbound)) => k,
        _ => return Err(refuse(TransferProblem::KindUnknown)),
    };
    let row = scope::record::member(ctx, input.member.trim()).await?;
    let today = ctx.today();
    if row.standing != Standing::Active
        || repo::transfer::has_open(db, &row.id)
            .await
            .map_err(db_error)?
    {
        return Err(refuse(TransferProblem::Busy));
    }
    let Some((year, month)) = parse_dues_month(&input.dues_paid_to, today) else {
        return Err(refuse(TransferProblem::DuesInvalid));
    };
    let Some(valid_days) = parse_valid_days(&input.valid_days) else {
        return Err(refuse(TransferProblem::ValidityInvalid));
    };
    let outside = clip(&input.outside, 100);
    let to_org = if kind == TransferKind::Internal {
        let target = if is_valid_key(input.to_org.trim()) {
            repo::org::info(db, input.to_org.trim())
                .await
                .map_err(db_error)?
        } else {
            None
        };
        match target {
            Some(t) if t.kind == OrgKind::Branch && t.id != row.org => Some(t),
            _ => return Err(refuse(TransferProblem::TargetInvalid)),
        }
    } else {
        if outside.is_empty() {
            return Err(refuse(TransferProblem::OutsideMissing));
        }
        None
    };
    let key = new_key("t");
    let status = if kind == TransferKind::Internal {
        TransferStatus::Pending
    } else {
        TransferStatus::Issued
    };
    let target_name = to_org
        .as_ref()
        .map(|t| t.name.clone())
        .unwrap_or(outside.clone());
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("transfer", key.clone())
        .summary(format!(
            "{} transfer of member {} to {target_name}",
            kind.as_str(),
            key_string(&row.id)
        ));
    let transfer = NewTransfer {
        key: key.clone(),
        year: i64::from(chrono::Datelike::year(&today)),
        member: row.id,
        member_name: row.name,
        kind,
        from: row.org,
        to: to_org.map(|t| t.id),
        outside,
        valid_until: today + chrono::Days::new(u64::from(valid_days)),
        dues_paid_to: format!("{year}-{month:02}"),
        status,
        reason: clip(&input.reason, 200),
        what: crate::models::member::History::TransferStarted {
            from: row.org_name.clone(),
            to: target_name.to_string(),
        },
        today,
    };
    ctx.commit(&event, &repo::transfer::start(transfer, ctx.stamp()))
        .await?;
    Ok(key)
}

/// Accepts, rejects, confirms the receipt of or cancels a transfer, as the caller's side
/// of it may.
pub async fn resolve(ctx: &Ctx, input: TransferResolve) -> Result<(), AppError> {
    let lang = ctx.lang;
    let (row, sender, receiver) = scope::record::transfer(ctx, input.id.trim()).await?;
    let act = TransferAction::parse(input.action.trim());
    let Some(act) = act.filter(|a| actions(row.kind, row.status, sender, receiver).contains(a))
    else {
        return Err(invalid(
            "action",
            TransferProblem::ActionInvalid.message(lang),
        ));
    };
    let note = clip(&input.note, 200);
    if act == TransferAction::Reject && note.is_empty() {
        return Err(invalid(
            "note",
            TransferProblem::ReasonMissing.message(lang),
        ));
    }
    use crate::models::member::History;
    let (status, what) = match act {
        TransferAction::Accept => (
            TransferStatus::Accepted,
            History::TransferAccepted {
                from: row.from_name.clone(),
                to: row.to_name.clone(),
            },
        ),
        TransferAction::Reject => (TransferStatus::Rejected, History::TransferRejected),
        TransferAction::Receipt => (
            TransferStatus::Received,
            History::TransferredOut {
                to: row.outside.clone(),
            },
        ),
        TransferAction::Cancel => (TransferStatus::Cancelled, History::TransferCancelled),
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("transfer", input.id.trim().to_string())
        .summary(format!("{}: {}", act.as_str(), row.letter_no));
    let change = repo::transfer::resolve(&row, status, note, what, ctx.today(), ctx.stamp());
    ctx.commit(&event, &change).await
}

/// Transfers touching the caller's organisations, newest first (the latest 200).
pub async fn list(ctx: &Ctx) -> Result<Vec<TransferView>, AppError> {
    let orgs = ctx.scope.orgs("").unwrap_or(Some(Vec::new()));
    let rows = repo::transfer::list(&ctx.state.db, orgs.clone())
        .await
        .map_err(db_error)?;
    let today = ctx.today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let covers = |o: &Option<RecordId>| match (&orgs, o) {
                (None, _) => true,
                (Some(list), Some(o)) => list.contains(o),
                _ => false,
            };
            let (sender, receiver) = (covers(&r.from_org), covers(&r.to_org));
            view(r, today, sender, receiver)
        })
        .collect())
}

/// One transfer the caller's side may see, for its page and the printable letter.
pub async fn get(ctx: &Ctx, id: &str) -> Result<TransferView, AppError> {
    let (row, sender, receiver) = scope::record::transfer(ctx, id.trim()).await?;
    Ok(view(row, ctx.today(), sender, receiver))
}

/// A member arriving from outside with a letter: registered as `service::member::register`
/// does, with the completed inbound transfer in the same transaction. Returns the
/// member's key.
pub async fn transfer_in(
    ctx: &Ctx,
    input: MemberInput,
    outside: String,
    letter_no: String,
    dues_paid_to: String,
) -> Result<String, AppError> {
    let lang = ctx.lang;
    let today = ctx.today();
    let outside = clip(&outside, 100);
    if outside.is_empty() {
        return Err(invalid(
            "outside",
            TransferProblem::OutsideMissing.message(lang),
        ));
    }
    let Some((year, month)) = parse_dues_month(&dues_paid_to, today) else {
        return Err(invalid(
            "dues_paid_to",
            TransferProblem::DuesInvalid.message(lang),
        ));
    };
    let extra = repo::transfer::inbound(
        new_key("t"),
        outside,
        clip(&letter_no, 50),
        format!("{year}-{month:02}"),
        today,
    );
    service::member::register(ctx, &input, Some(extra)).await
}

pub fn view(r: TransferRow, today: NaiveDate, sender: bool, receiver: bool) -> TransferView {
    TransferView {
        id: key_string(&r.id),
        member_id: key_string(&r.member),
        member_name: r.member_name,
        actions: actions(r.kind, r.status, sender, receiver),
        expired: r.status.is_open() && today > r.valid_until,
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
