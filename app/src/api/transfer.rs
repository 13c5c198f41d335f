//! Transfers of the membership relation (组织关系转接): to another branch of the hospital
//! (the receiving branch accepts, and only then does the member move), out of the hospital
//! (a numbered letter with stub and receipt; the member leaves when the receipt is
//! confirmed) and in from outside (the member record is registered with the letter's
//! details). Every step is audited and leaves a line in the member's history.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
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
#[server(endpoint = "start_transfer", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn start_transfer(input: TransferStart) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&START_TRANSFER).await?;
    service::transfer::start(&ctx, input).await
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
#[server(endpoint = "resolve_transfer", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn resolve_transfer(input: TransferResolve) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&RESOLVE_TRANSFER).await?;
    service::transfer::resolve(&ctx, input).await
}

/// As `START_TRANSFER`: transfers from or to the caller's organisations.
pub const LIST_TRANSFERS: AccessRule = AccessRule {
    endpoint: "/api/list_transfers",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Transfers touching the caller's organisations, newest first (the latest 200).
#[server(endpoint = "list_transfers", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_transfers() -> Result<Vec<TransferView>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_TRANSFERS).await?;
    service::transfer::list(&ctx).await
}

/// As `RESOLVE_TRANSFER`: the sending or the receiving side.
pub const GET_TRANSFER: AccessRule = AccessRule {
    endpoint: "/api/get_transfer",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// One transfer, for its page and the printable letter.
#[server(endpoint = "get_transfer", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_transfer(id: String) -> Result<TransferView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_TRANSFER).await?;
    service::transfer::get(&ctx, &id).await
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
#[server(endpoint = "transfer_in", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn transfer_in(
    input: MemberInput,
    outside: String,
    letter_no: String,
    dues_paid_to: String,
) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&TRANSFER_IN).await?;
    service::transfer::transfer_in(&ctx, input, outside, letter_no, dues_paid_to).await
}
