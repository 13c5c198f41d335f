//! `GET /export/required.xlsx?id=`: a requirement's completion as an Excel workbook.

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::{Params, answer, context, denied_error, failed, refuse, text, xlsx};
use crate::access::{Caller, check};
use crate::api::required::EXPORT_REQUIRED;
use crate::models::audit::{Outcome, action};
use crate::server::audit::Event;
use crate::server::{AppState, export, record, service};

pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let state = state.clone();
    Router::new().route(
        EXPORT_REQUIRED.endpoint,
        get(move |caller, query, headers| required(state.clone(), caller, query, headers)),
    )
}

/// `GET /export/required.xlsx?id=`: the completion the requirement's page shows the
/// caller, from the same service function (the members in the caller's reach only;
/// another branch's requirement is refused and recorded there; an unknown one is 404 for
/// the office, as on the page; no id is 400).
pub async fn required(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    headers: HeaderMap,
) -> Response {
    let rule = &EXPORT_REQUIRED;
    if let Err(denied) = check(rule, &caller) {
        return refuse(&state, &caller, rule, denied_error(denied)).await;
    }
    let id = text(&params, "id");
    let ctx = match context(&state, caller, rule, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    let view = match service::required::get(&ctx, &id).await {
        Ok(view) => view,
        Err(e) => return answer(e),
    };
    let bytes = match export::required_workbook(&view, ctx.lang) {
        Ok(bytes) => bytes,
        Err(e) => return failed("required workbook", e),
    };
    let event = Event::new(action::EXPORT, Outcome::Success)
        .on("requirement", &view.row.id)
        .summary(format!(
            "required learning {:?}: {} of {} members done",
            view.row.title, view.row.done, view.row.total
        ));
    record(&state, &ctx.caller, &event).await;
    xlsx(&state, "required", bytes)
}
