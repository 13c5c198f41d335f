//! File downloads. They are plain GET routes, not server functions, so each checks its
//! access rule here with the same `access::check` and records the outcome.

use std::collections::HashMap;

use app::access::{Caller, Denied, check};
use app::api::audit::{EXPORT_AUDIT, EXPORT_LIMIT};
use app::error::AppError;
use app::i18n::Lang;
use app::models::audit::{AuditQuery, Outcome, action};
use app::server::audit::Event;
use app::server::{AppState, audit as trail, export, record};
use axum::Extension;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The auditor's search filters, as the audit page puts them in the link.
pub fn audit_query(params: &HashMap<String, String>) -> AuditQuery {
    let text = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let date = |k: &str| params.get(k).and_then(|v| v.trim().parse().ok());
    AuditQuery {
        from: date("from"),
        to: date("to"),
        actor: text("actor"),
        action: text("action"),
        entity: text("entity"),
        page: 1,
    }
}

/// `GET /export/audit.xlsx?from=&to=&actor=&action=&entity=`: the matching entries as Excel.
pub async fn audit(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&EXPORT_AUDIT, &caller) {
        tracing::warn!(
            endpoint = EXPORT_AUDIT.endpoint,
            ?denied,
            "permission denied"
        );
        let event = Event::new(action::DENIED, Outcome::Denied)
            .on("endpoint", EXPORT_AUDIT.endpoint)
            .summary(format!("{denied:?}"));
        record(&state, &caller, &event).await;
        let error = match denied {
            Denied::Unauthenticated => AppError::Unauthenticated,
            Denied::Forbidden => AppError::Forbidden,
            Denied::PasswordChangeRequired => AppError::PasswordChangeRequired,
        };
        return (error.status(), axum::Json(error)).into_response();
    }
    let query = audit_query(&params);
    let entries = match trail::matching(&state.db, &query, EXPORT_LIMIT).await {
        Ok(entries) => entries,
        Err(e) => {
            tracing::error!(error = %e, "audit export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let lang = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default();
    let bytes = match export::audit_workbook(&entries, lang) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "audit workbook could not be written");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
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
    let name = format!("audit-{}.xlsx", state.clock.now().format("%Y%m%d-%H%M%S"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}
