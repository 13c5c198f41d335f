//! Roster import from `.xlsx`: the upload (`POST /import/members`, a plain form post that
//! works without JavaScript) stores the file and its report; the page shows the report
//! (row, column, problem) before anything is written; confirming reads and checks the file
//! again, then writes every row in one transaction, or none. The write runs in the
//! background (20,000 rows take about ten seconds) and reports how many rows it has
//! written so far, which the page shows as a progress bar.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::{AccessRule, Audience, DataScope};
use crate::error::AppError;

/// One problem in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: u32,
    pub column: String,
    pub message: String,
    /// The cell's value as it was read (reports stored before it existed have none).
    #[serde(default)]
    pub value: String,
}

/// What an upload found, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: String,
    pub file_name: String,
    /// The worksheet that was read (the first visible one, or the one named as in the
    /// template).
    pub sheet: String,
    /// `checked` (report ready), `rejected` (the file itself was refused), `importing`
    /// (confirmed, being written), `imported`, or `failed` (nothing was written; it may be
    /// confirmed again).
    pub status: String,
    /// Why the file was refused, or why the import failed.
    pub message: String,
    pub rows: u32,
    pub ready: u32,
    pub problem_count: u32,
    pub problems: Vec<ImportProblem>,
    pub imported: u32,
    /// While importing: rows written so far inside the (not yet committed) transaction.
    pub written: u32,
}

impl ImportReport {
    /// The confirm button is offered: a clean report, not yet imported, nothing running.
    pub fn can_confirm(&self) -> bool {
        self.problem_count == 0
            && self.ready > 0
            && matches!(self.status.as_str(), "checked" | "failed")
    }
}

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

#[server(endpoint = "get_import")]
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
#[server(endpoint = "commit_import")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn commit_import(id: String) -> Result<ImportReport, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&COMMIT_IMPORT).await?;
    service::import::confirm(&ctx, &id).await
}
