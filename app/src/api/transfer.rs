//! Transfers of the membership relation (组织关系转接): to another branch of the hospital
//! (the receiving branch accepts, and only then does the member move), out of the hospital
//! (a numbered letter with stub and receipt; the member leaves when the receipt is
//! confirmed) and in from outside (the member record is registered with the letter's
//! details). Every step is audited and leaves a line in the member's history.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::error::AppError;
use crate::models::member_form::MemberInput;
use crate::models::transfer::{TransferResolve, TransferStart, TransferView};

/// Branch committees for members of their organisations, and the office.
pub const START_TRANSFER: AccessRule = AccessRule {
    endpoint: "/api/start_transfer",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Starts a transfer: `internal` to another branch (pending until accepted) or `outbound`
/// with a numbered letter (issued until its receipt is confirmed). Returns its key.
#[server(endpoint = "start_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn start_transfer(input: TransferStart) -> Result<String, AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::models::org::{OrgKind, is_valid_key};
    use crate::models::transfer::{TransferProblem, parse_dues_month, parse_valid_days};
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, china_today, commit, fail, internal, key_string, new_key, repo};
    let ctx = begin(&START_TRANSFER).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let refuse = |p: TransferProblem| crate::server::invalid(p.field(), p.message(lang));
    let kind = match input.kind.trim() {
        k @ ("internal" | "outbound") => k,
        _ => return Err(refuse(TransferProblem::KindUnknown)),
    };
    let row = crate::server::scope::record::member(&ctx, input.member.trim()).await?;
    let today = china_today(state);
    if row.standing != "active"
        || repo::transfer::has_open(&state.db, &row.id)
            .await
            .map_err(|e| fail(internal(e)))?
    {
        return Err(refuse(TransferProblem::Busy));
    }
    let Some((year, month)) = parse_dues_month(&input.dues_paid_to, today) else {
        return Err(refuse(TransferProblem::DuesInvalid));
    };
    let Some(valid_days) = parse_valid_days(&input.valid_days) else {
        return Err(refuse(TransferProblem::ValidityInvalid));
    };
    let outside: String = input.outside.trim().chars().take(100).collect();
    let to_org = if kind == "internal" {
        let target = if is_valid_key(input.to_org.trim()) {
            repo::org::info(&state.db, input.to_org.trim())
                .await
                .map_err(|e| fail(internal(e)))?
        } else {
            None
        };
        match target {
            Some(t) if OrgKind::parse(&t.kind) == Some(OrgKind::Branch) && t.id != row.org => {
                Some(t)
            }
            _ => return Err(refuse(TransferProblem::TargetInvalid)),
        }
    } else {
        if outside.is_empty() {
            return Err(refuse(TransferProblem::OutsideMissing));
        }
        None
    };
    let key = new_key("t");
    let status = if kind == "internal" {
        "pending"
    } else {
        "issued"
    };
    let actor = caller.account.clone().unwrap_or_default();
    let target_name = to_org
        .as_ref()
        .map(|t| t.name.clone())
        .unwrap_or(outside.clone());
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("transfer", key.clone())
        .summary(format!(
            "{kind} transfer of member {} to {target_name}",
            key_string(&row.id)
        ));
    let change = Change::new(
        "LET $n = (UPSERT type::record('transfer_counter', $year) SET n += 1)[0].n;
         CREATE type::record('transfer', $key) CONTENT {
             member: $member, member_name: $name, kind: $kind, from_org: $from, to_org: $to,
             outside: $outside,
             letter_no: string::concat('明肿党转〔', <string> $year, '〕第 ', <string> $n, ' 号'),
             valid_until: $valid_until, dues_paid_to: $dues, status: $status, reason: $reason,
             issued_by: $actor, issued_at: $now
         };
         CREATE member_event SET member = $member, kind = 'transfer', detail = $detail,
             reason = $reason, effective = $today, actor = $actor, at = $now;",
    )
    .bind("year", i64::from(chrono::Datelike::year(&today)))
    .bind("key", key.clone())
    .bind("member", row.id.clone())
    .bind("name", row.name.clone())
    .bind("kind", kind.to_string())
    .bind("from", row.org.clone())
    .bind("to", to_org.map(|t| t.id))
    .bind("outside", outside)
    .bind(
        "valid_until",
        today + chrono::Days::new(u64::from(valid_days)),
    )
    .bind("dues", format!("{year}-{month:02}"))
    .bind("status", status.to_string())
    .bind(
        "reason",
        input.reason.trim().chars().take(200).collect::<String>(),
    )
    .bind(
        "detail",
        format!("transfer started: {} → {target_name}", row.org_name),
    )
    .bind("today", today)
    .bind("actor", actor)
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await?;
    Ok(key)
}

/// As `START_TRANSFER`: the receiving branch accepts or rejects; the sending side confirms
/// the receipt or cancels. Anyone else gets 403, recorded.
pub const RESOLVE_TRANSFER: AccessRule = AccessRule {
    endpoint: "/api/resolve_transfer",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Accepting moves the member to the receiving branch (out of their Party group and
/// seat); confirming the receipt marks the member transferred out.
#[server(endpoint = "resolve_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn resolve_transfer(input: TransferResolve) -> Result<(), AppError> {
    use crate::models::audit::{Outcome, action};
    use crate::models::transfer::{TransferProblem, actions};
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, china_today, commit};
    let ctx = begin(&RESOLVE_TRANSFER).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let (row, sender, receiver) =
        crate::server::scope::record::transfer(&ctx, input.id.trim()).await?;
    let act = input.action.trim();
    if !actions(&row.kind, &row.status, sender, receiver).contains(&act) {
        return Err(crate::server::invalid(
            "action",
            TransferProblem::ActionInvalid.message(lang),
        ));
    }
    let note: String = input.note.trim().chars().take(200).collect();
    if act == "reject" && note.is_empty() {
        return Err(crate::server::invalid(
            "note",
            TransferProblem::ReasonMissing.message(lang),
        ));
    }
    let (status, member_sql, detail) = match act {
        "accept" => (
            "accepted",
            "UPDATE $member SET org = $to, party_group = NONE, position = 'member', dual_leader = false;",
            format!("transfer accepted: {} → {}", row.from_name, row.to_name),
        ),
        "reject" => ("rejected", "", "transfer rejected".to_string()),
        "receipt" => (
            "received",
            "UPDATE $member SET standing = 'transferred_out';",
            format!("transferred out: {}", row.outside),
        ),
        _ => ("cancelled", "", "transfer cancelled".to_string()),
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("transfer", input.id.trim().to_string())
        .summary(format!("{act}: {}", row.letter_no));
    let change = Change::new(format!(
        "UPDATE $transfer SET status = $status, note = $note, resolved_by = $actor, resolved_at = $now;
         {member_sql}
         CREATE member_event SET member = $member, kind = 'transfer', detail = $detail,
             reason = $note, effective = $today, actor = $actor, at = $now;"
    ))
    .bind("transfer", row.id.clone())
    .bind("member", row.member.clone())
    .bind("to", row.to_org.clone())
    .bind("status", status.to_string())
    .bind("note", note)
    .bind("detail", detail)
    .bind("today", china_today(state))
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await
}

/// As `START_TRANSFER`: transfers from or to the caller's organisations.
pub const LIST_TRANSFERS: AccessRule = AccessRule {
    endpoint: "/api/list_transfers",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Transfers touching the caller's organisations, newest first (the latest 200).
#[server(endpoint = "list_transfers")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_transfers() -> Result<Vec<TransferView>, AppError> {
    use crate::server::roster::{self, ScopeError};
    use crate::server::{begin, china_today, fail, internal, repo};
    let ctx = begin(&LIST_TRANSFERS).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let orgs = match roster::scoped_orgs(state, caller, &LIST_TRANSFERS, "").await {
        Ok(orgs) => orgs,
        Err(ScopeError::OutOfScope) => Some(Vec::new()),
        Err(ScopeError::Db(e)) => return Err(fail(internal(e))),
    };
    let rows = repo::transfer::list(&state.db, orgs.clone())
        .await
        .map_err(|e| fail(internal(e)))?;
    let today = china_today(state);
    Ok(rows
        .into_iter()
        .map(|r| {
            let covers = |o: &Option<surrealdb::types::RecordId>| match (&orgs, o) {
                (None, _) => true,
                (Some(list), Some(o)) => list.contains(o),
                _ => false,
            };
            let (sender, receiver) = (covers(&r.from_org), covers(&r.to_org));
            crate::server::service::transfer::view(r, today, sender, receiver)
        })
        .collect())
}

/// As `RESOLVE_TRANSFER`: the sending or the receiving side.
pub const GET_TRANSFER: AccessRule = AccessRule {
    endpoint: "/api/get_transfer",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// One transfer, for its page and the printable letter.
#[server(endpoint = "get_transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_transfer(id: String) -> Result<TransferView, AppError> {
    use crate::server::{begin, china_today};
    let ctx = begin(&GET_TRANSFER).await?;
    let state = &ctx.state;
    let (row, sender, receiver) = crate::server::scope::record::transfer(&ctx, id.trim()).await?;
    Ok(crate::server::service::transfer::view(
        row,
        china_today(state),
        sender,
        receiver,
    ))
}

/// As `CREATE_MEMBER`.
pub const TRANSFER_IN: AccessRule = AccessRule {
    endpoint: "/api/transfer_in",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// A member arriving from outside the hospital with a letter: the record is registered in
/// the receiving branch under every rule of `create_member`, with the letter's number,
/// origin and 党费交至 kept as an inbound transfer. Returns the member's key.
#[server(endpoint = "transfer_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn transfer_in(
    input: MemberInput,
    outside: String,
    letter_no: String,
    dues_paid_to: String,
) -> Result<String, AppError> {
    use crate::models::transfer::{TransferProblem, parse_dues_month};
    use crate::server::{begin, china_today, new_key};
    let ctx = begin(&TRANSFER_IN).await?;
    let state = &ctx.state;
    let lang = ctx.lang;
    let today = china_today(state);
    let outside: String = outside.trim().chars().take(100).collect();
    if outside.is_empty() {
        return Err(crate::server::invalid(
            "outside",
            TransferProblem::OutsideMissing.message(lang),
        ));
    }
    let Some((year, month)) = parse_dues_month(&dues_paid_to, today) else {
        return Err(crate::server::invalid(
            "dues_paid_to",
            TransferProblem::DuesInvalid.message(lang),
        ));
    };
    let letter_no: String = letter_no.trim().chars().take(50).collect();
    let key = new_key("t");
    let extra = crate::server::audit::Change::new(
        "CREATE type::record('transfer', $t_key) CONTENT {
             member: $member, member_name: $v.name, kind: 'inbound', to_org: $org,
             outside: $t_outside, letter_no: $t_letter, valid_until: $t_today,
             dues_paid_to: $t_dues, status: 'completed', issued_by: $actor, issued_at: $now,
             resolved_by: $actor, resolved_at: $now
         };
         CREATE member_event SET member = $member, kind = 'transfer', detail = $t_detail,
             effective = $t_today, actor = $actor, at = $now;",
    )
    .bind("t_key", key)
    .bind("t_outside", outside.clone())
    .bind("t_letter", letter_no)
    .bind("t_today", today)
    .bind("t_dues", format!("{year}-{month:02}"))
    .bind("t_detail", format!("transferred in: {outside}"));
    crate::server::service::member::register(&ctx, &input, Some(extra)).await
}
