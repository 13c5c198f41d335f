//! Files: the upload and download routes' rules (plain routes in `server::http::files`)
//! and the list a branch picks its earlier files from.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::files::{FilePage, FileQuery};

/// Branch committees and the committee office upload into an organisation in their scope
/// (`POST /files?org=`): the evidence of that branch's answers; a member into their own
/// branch only (the evidence of a task given to them). Every upload, accepted or refused,
/// is audited.
pub const UPLOAD_FILE: AccessRule = AccessRule {
    endpoint: "/files",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// `GET /files/<key>` and `/files/<key>/thumb`: a file of an organisation in the caller's
/// scope, the caller's own upload, or a file attached to a task (no longer a draft) that
/// went to one; any other file is refused and recorded, also when its key is guessed.
pub const DOWNLOAD_FILE: AccessRule = AccessRule {
    endpoint: "/files/{key}",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// As `DOWNLOAD_FILE`: the files of the organisations in the caller's scope; a member's own
/// uploads.
pub const LIST_FILES: AccessRule = AccessRule {
    endpoint: "/api/list_files",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// A page of files, newest first, narrowed by organisation, kind and words of the name.
#[server(endpoint = "list_files", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_files(query: FileQuery) -> Result<FilePage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_FILES).await?;
    service::files::list(&ctx, query).await
}
