//! The yearly learning-reflection exchange (学习心得交流, issue 15).

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::reflection::{ReflectionInput, ReflectionView, ReflectionsPage, ShareInput};

/// Every Party account: their own reflection and what their organisation shares; a
/// committee and the office also every reflection of the organisations in reach.
pub const LIST_REFLECTIONS: AccessRule = AccessRule {
    endpoint: "/api/list_reflections",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// The caller's reflection of `year` (0: this year), the shared ones, and (for those who
/// select) all in reach.
#[server(endpoint = "list_reflections", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_reflections(year: i32) -> Result<ReflectionsPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_REFLECTIONS).await?;
    service::reflection::list(&ctx, year).await
}

/// As `LIST_REFLECTIONS`: a member writes only their own (an account without a member
/// record: 400).
pub const SAVE_REFLECTION: AccessRule = AccessRule {
    endpoint: "/api/save_reflection",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Learning,
};

/// Writes the caller's reflection of this year.
#[server(endpoint = "save_reflection", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_reflection(input: ReflectionInput) -> Result<ReflectionView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_REFLECTION).await?;
    service::reflection::save(&ctx, input).await
}

/// A committee for the organisations in its reach, the office for all (another branch's
/// reflection: 403, recorded).
pub const SHARE_REFLECTION: AccessRule = AccessRule {
    endpoint: "/api/share_reflection",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Learning,
};

/// Shares a reflection with its branch, or takes it back.
#[server(endpoint = "share_reflection", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn share_reflection(input: ShareInput) -> Result<ReflectionView, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SHARE_REFLECTION).await?;
    service::reflection::share(&ctx, input).await
}
