//! `GET /export/audit.xlsx`: the auditor's export.

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::{Params, denied_error, failed, lang_of, refuse, text, xlsx};
use crate::access::{Caller, check};
use crate::api::audit::{EXPORT_AUDIT, EXPORT_LIMIT};
use crate::models::audit::{AuditQuery, Outcome, action};
use crate::server::audit::Event;
use crate::server::{AppState, audit as trail, export, record};

pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let state = state.clone();
    Router::new().route(
        EXPORT_AUDIT.endpoint,
        get(move |caller, query, headers| audit(state.clone(), caller, query, headers)),
    )
}

/// The auditor's search filters, as the audit page puts them in the link.
pub fn audit_query(params: &HashMap<String, String>) -> AuditQuery {
    let date = |k: &str| params.get(k).and_then(|v| v.trim().parse().ok());
    AuditQuery {
        from: date("from"),
        to: date("to"),
        actor: text(params, "actor"),
        action: text(params, "action"),
        entity: text(params, "entity"),
        page: 1,
    }
}

/// `GET /export/audit.xlsx?from=&to=&actor=&action=&entity=`: the matching entries.
pub async fn audit(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&EXPORT_AUDIT, &caller) {
        return refuse(&state, &caller, &EXPORT_AUDIT, denied_error(denied)).await;
    }
    let query = audit_query(&params);
    let entries = match trail::matching(&state.db, &query, EXPORT_LIMIT).await {
        Ok(entries) => entries,
        Err(e) => return failed("audit export", e),
    };
    let bytes = match export::audit_workbook(&entries, lang_of(&headers)) {
        Ok(bytes) => bytes,
        Err(e) => return failed("audit workbook", e),
    };
    let event = Event::new(action::EXPORT, Outcome::Success)
        .on("audit", "")
        .summary(format!(
            "{} entries; filters from={:?} to={:?} actor={:?} action={:?} entity={:?}",
            entries.len(),
            query.from,
            query.to,
            query.actor,
            query.action,
            query.entity
        ));
    record(&state, &caller, &event).await;
    xlsx(&state, "audit", bytes)
}
