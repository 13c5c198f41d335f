//! Orchestration behind the `audit` server functions (`crate::api::audit`): the trail as
//! the security auditor reads and checks it.

use crate::error::AppError;
use crate::models::audit::{AuditPage, AuditQuery, ChainReport, Outcome, action};
use crate::server::audit::{self, Event};
use crate::server::{Ctx, db_error};

/// Entries matching the filters, newest first, one page.
pub async fn search(ctx: &Ctx, query: AuditQuery) -> Result<AuditPage, AppError> {
    audit::search(&ctx.state.db, &query).await.map_err(db_error)
}

/// Walks the whole chain and reports the first broken entry; the check itself is
/// recorded.
pub async fn verify(ctx: &Ctx) -> Result<ChainReport, AppError> {
    let report = audit::verify(&ctx.state.db).await.map_err(db_error)?;
    let outcome = if report.intact() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let summary = match report.first_broken {
        Some(seq) => format!("checked {}, first broken entry {seq}", report.checked),
        None => format!("checked {}, intact", report.checked),
    };
    ctx.record(
        &Event::new(action::VERIFY, outcome)
            .on("audit", "")
            .summary(summary),
    )
    .await;
    Ok(report)
}
