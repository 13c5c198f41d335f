//! Required learning (issue 15): the committee or a branch asks its members to finish a
//! course or pass an exam by a day; completion is read from progress and attempts.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::required::{RequiredPage, RequirementInput, RequirementView};

/// Every Party account: a member sees what they owe; a committee and the office also what
/// they set or watch, with the completion of the members in their reach.
pub const LIST_REQUIRED: AccessRule = AccessRule {
    endpoint: "/api/list_required",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// What the caller owes, and one page of the requirements they set or watch.
#[server(endpoint = "list_required", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_required(page: u32) -> Result<RequiredPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_REQUIRED).await?;
    service::required::list(&ctx, page).await
}

/// Those who set it and the committees of the organisations it is for, each for the
/// members in their reach (another branch's: 403, recorded).
pub const GET_REQUIREMENT: AccessRule = AccessRule {
    endpoint: "/api/get_requirement",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// A requirement with its completion by organisation and member.
#[server(endpoint = "get_requirement", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_requirement(id: String) -> Result<RequirementView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_REQUIREMENT).await?;
    service::required::get(&ctx, &id).await
}

/// As `GET_REQUIREMENT`: the same completion as an Excel workbook. A plain route
/// (`server::http::required`), `GET /export/required.xlsx?id=`.
pub const EXPORT_REQUIRED: AccessRule = AccessRule {
    endpoint: "/export/required.xlsx",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// As `learning::SAVE_COURSE`: whoever publishes courses for the organisation.
pub const SAVE_REQUIREMENT: AccessRule = AccessRule {
    endpoint: "/api/save_requirement",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Sets a requirement, or changes one's title, organisations and deadline. Returns its key.
#[server(endpoint = "save_requirement", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_requirement(input: RequirementInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_REQUIREMENT).await?;
    service::required::save(&ctx, input).await
}

/// As `SAVE_REQUIREMENT`.
pub const DELETE_REQUIREMENT: AccessRule = AccessRule {
    endpoint: "/api/delete_requirement",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Withdraws a requirement; the members' progress and attempts stay.
#[server(endpoint = "delete_requirement", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn delete_requirement(id: String) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&DELETE_REQUIREMENT).await?;
    service::required::delete(&ctx, &id).await
}
