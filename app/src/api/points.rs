//! Points (issue 15): a member's own ledger; members' totals for the office, and for
//! branch committees only when the office turns that on; the rules, set by the office.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::points::{MembersPoints, PointSettings, PointSettingsInput, PointsView};

/// Every Party account: their own points (none for an account without a member record),
/// and the rules.
pub const MY_POINTS: AccessRule = AccessRule {
    endpoint: "/api/my_points",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// The caller's total, this year's, one page of the ledger and the rules.
#[server(endpoint = "my_points", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn my_points(page: u32) -> Result<PointsView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&MY_POINTS).await?;
    service::points::mine(&ctx, page).await
}

/// The office; a branch committee for organisations in reach only while the office shows
/// branch totals (else 403, recorded).
pub const BRANCH_POINTS: AccessRule = AccessRule {
    endpoint: "/api/branch_points",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// An organisation's active members by name with their totals (never ordered by them).
#[server(endpoint = "branch_points", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn branch_points(org: String) -> Result<MembersPoints, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&BRANCH_POINTS).await?;
    service::points::branch(&ctx, &org).await
}

/// The committee office only.
pub const SAVE_POINT_SETTINGS: AccessRule = AccessRule {
    endpoint: "/api/save_point_settings",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::Learning,
};

/// Replaces the rules: points per action, daily caps, and whether branches see totals.
#[server(endpoint = "save_point_settings", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_point_settings(input: PointSettingsInput) -> Result<PointSettings, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_POINT_SETTINGS).await?;
    service::points::save_settings(&ctx, input).await
}
