//! Roster import from `.xlsx`: the upload (`POST /import/members`, a plain form post that
//! works without JavaScript) stores the file and its report; the page shows the report
//! (row, column, problem) before anything is written; confirming reads and checks the file
//! again, then writes every row in one transaction, or none. The write runs in the
//! background (20,000 rows take about ten seconds) and reports how many rows it has
//! written so far, which the page shows as a progress bar.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::import::ImportReport;

/// Branch committees into their own branches, and the office. The upload route and both
/// functions here share this rule.
pub const IMPORT_MEMBERS: AccessRule = AccessRule {
    endpoint: "/import/members",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// As `IMPORT_MEMBERS`; a report belongs to the account that uploaded it.
pub const GET_IMPORT: AccessRule = AccessRule {
    endpoint: "/api/get_import",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Own,
};

#[server(endpoint = "get_import", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_import(id: String) -> Result<ImportReport, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_IMPORT).await?;
    service::import::get(&ctx, &id).await
}

/// As `GET_IMPORT`.
pub const COMMIT_IMPORT: AccessRule = AccessRule {
    endpoint: "/api/commit_import",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Own,
};

/// Starts writing a checked import and returns the report (status `importing`): the file
/// is read and checked again first (the roster may have changed), and if anything is wrong
/// now the call fails and nothing is written. The rows are then written in the background,
/// in one transaction; `get_import` tells how far it has come and how it ended.
#[server(endpoint = "commit_import", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn commit_import(id: String) -> Result<ImportReport, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&COMMIT_IMPORT).await?;
    service::import::confirm(&ctx, &id).await
}
