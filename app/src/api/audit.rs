//! The audit trail for the security auditor: search, chain verification and export.
//! The auditor reads the trail and nothing else; nobody else reads it.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::audit::{AuditPage, AuditQuery, ChainReport};

/// The security auditor only.
pub const SEARCH_AUDIT: AccessRule = AccessRule {
    endpoint: "/api/search_audit",
    audience: Audience::Roles(crate::access::roles::AUDITORS),
    scope: DataScope::AuditTrail,
};

/// Entries matching the filters, newest first, 50 a page.
#[server(endpoint = "search_audit", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn search_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SEARCH_AUDIT).await?;
    service::audit::search(&ctx, query).await
}

/// The security auditor only.
pub const VERIFY_AUDIT_CHAIN: AccessRule = AccessRule {
    endpoint: "/api/verify_audit_chain",
    audience: Audience::Roles(crate::access::roles::AUDITORS),
    scope: DataScope::AuditTrail,
};

/// Recomputes every hash and link; reports the first broken entry. The check itself is
/// recorded.
#[server(endpoint = "verify_audit_chain", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn verify_audit_chain() -> Result<ChainReport, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&VERIFY_AUDIT_CHAIN).await?;
    service::audit::verify(&ctx).await
}

/// The security auditor only. A plain GET route (a file download), not a server function;
/// it is listed with the server functions so the inventory covers it.
pub const EXPORT_AUDIT: AccessRule = AccessRule {
    endpoint: "/export/audit.xlsx",
    audience: Audience::Roles(crate::access::roles::AUDITORS),
    scope: DataScope::AuditTrail,
};

/// The most rows one export holds (an Excel sheet holds about a million).
pub const EXPORT_LIMIT: i64 = 100_000;
