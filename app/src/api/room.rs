//! Meeting rooms and their tablets (issue 14). The committee office registers rooms and
//! pairs tablets; a paired tablet is a caller of its own kind (a device credential in a
//! cookie, no person's login) that reaches only its room's meetings of the day.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::room::{
    PairInput, PinInput, RoomInput, RoomRow, TabletSignInInput, TabletSignedIn, TabletView,
};

/// Branch committees (to choose a meeting's room) and the committee office (which also
/// sees each room's tablets).
pub const LIST_ROOMS: AccessRule = AccessRule {
    endpoint: "/api/list_rooms",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Rooms,
};

/// The registered rooms, by name.
#[server(endpoint = "list_rooms", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_rooms() -> Result<Vec<RoomRow>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_ROOMS).await?;
    service::room::list(&ctx).await
}

/// The committee office alone.
pub const SAVE_ROOM: AccessRule = AccessRule {
    endpoint: "/api/save_room",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::Rooms,
};

/// Registers a room, or renames one. Returns every room.
#[server(endpoint = "save_room", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_room(input: RoomInput) -> Result<Vec<RoomRow>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_ROOM).await?;
    service::room::save(&ctx, input).await
}

/// As `SAVE_ROOM`.
pub const PAIR_TABLET: AccessRule = AccessRule {
    endpoint: "/api/pair_tablet",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::Rooms,
};

/// Pairs the tablet showing `code` with a room. Returns every room.
#[server(endpoint = "pair_tablet", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn pair_tablet(input: PairInput) -> Result<Vec<RoomRow>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&PAIR_TABLET).await?;
    service::room::pair(&ctx, input).await
}

/// As `SAVE_ROOM`.
pub const REVOKE_TABLET: AccessRule = AccessRule {
    endpoint: "/api/revoke_tablet",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::Rooms,
};

/// Revokes a tablet: its next request is a visitor's. Returns every room.
#[server(endpoint = "revoke_tablet", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn revoke_tablet(id: String) -> Result<Vec<RoomRow>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&REVOKE_TABLET).await?;
    service::room::revoke(&ctx, &id).await
}

/// Anyone: a tablet that is not paired asks for a code (it holds no credential yet). The
/// code is good for ten minutes and pairs only the browser that asked for it.
pub const START_PAIRING: AccessRule = AccessRule {
    endpoint: "/api/start_pairing",
    audience: Audience::Anyone,
    scope: DataScope::Rooms,
};

/// Gives this browser a device credential (a cookie) waiting for pairing, and its code.
#[server(endpoint = "start_pairing", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn start_pairing() -> Result<TabletView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&START_PAIRING).await?;
    service::room::start_pairing(&ctx).await
}

/// A tablet alone, for its own room.
pub const TABLET_TODAY: AccessRule = AccessRule {
    endpoint: "/api/tablet_today",
    audience: Audience::Device,
    scope: DataScope::Room,
};

/// What the tablet shows: its pairing code while it waits, then its room's meetings of
/// the day with everybody expected.
#[server(endpoint = "tablet_today", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn tablet_today() -> Result<TabletView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&TABLET_TODAY).await?;
    service::room::today(&ctx).await
}

/// As `TABLET_TODAY`.
pub const TABLET_SIGN_IN: AccessRule = AccessRule {
    endpoint: "/api/tablet_sign_in",
    audience: Audience::Device,
    scope: DataScope::Room,
};

/// Signs an expected attendee in at the tablet, confirmed by their PIN (five wrong PINs in
/// a row lock it for fifteen minutes).
#[server(endpoint = "tablet_sign_in", output = Json)]
// The PIN stays out of the logs: only the meeting and the member are recorded.
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip(input), fields(meeting = %input.meeting, member = %input.member))
)]
pub async fn tablet_sign_in(input: TabletSignInInput) -> Result<TabletSignedIn, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&TABLET_SIGN_IN).await?;
    service::room::sign_in(&ctx, input).await
}

/// Any Party member, for their own PIN.
pub const SET_PIN: AccessRule = AccessRule {
    endpoint: "/api/set_pin",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Own,
};

/// Sets the caller's sign-in PIN (4–6 digits) for meeting-room tablets.
#[server(endpoint = "set_pin", output = Json)]
// The PIN stays out of the logs.
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn set_pin(input: PinInput) -> Result<bool, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SET_PIN).await?;
    service::room::set_pin(&ctx, input).await
}

/// As `SET_PIN`.
pub const PIN_STATUS: AccessRule = AccessRule {
    endpoint: "/api/pin_status",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Own,
};

/// Whether the caller has a sign-in PIN.
#[server(endpoint = "pin_status", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn pin_status() -> Result<bool, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&PIN_STATUS).await?;
    service::room::pin_status(&ctx).await
}

/// As `TABLET_TODAY`: the tablet follows the attendance of its room's meeting of the day
/// live. A plain route (`server::http::meeting`), a stream of server-sent events.
pub const TABLET_LIVE: AccessRule = AccessRule {
    endpoint: "/tablet/live/{key}",
    audience: Audience::Device,
    scope: DataScope::Room,
};
