//! `GET /export/ranking.xlsx` and `GET /export/branch-assessment.xlsx`: the closed loop's
//! exports, from the same service functions the ranking and branch pages call.

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::{Params, answer, context, denied_error, failed, refuse, text, xlsx};
use crate::access::{Caller, check};
use crate::api::assessment::{EXPORT_BRANCH_ASSESSMENT, EXPORT_RANKING};
use crate::models::audit::{Outcome, action};
use crate::server::audit::Event;
use crate::server::{AppState, export, record, service};

pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let ranking_state = state.clone();
    let branch_state = state.clone();
    Router::new()
        .route(
            EXPORT_RANKING.endpoint,
            get(move |caller, query, headers| {
                ranking(ranking_state.clone(), caller, query, headers)
            }),
        )
        .route(
            EXPORT_BRANCH_ASSESSMENT.endpoint,
            get(move |caller, query, headers| {
                branch_assessment(branch_state.clone(), caller, query, headers)
            }),
        )
}

/// `GET /export/ranking.xlsx?period=`: every branch's score, stars and rank in a period.
pub async fn ranking(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&EXPORT_RANKING, &caller) {
        return refuse(&state, &caller, &EXPORT_RANKING, denied_error(denied)).await;
    }
    let period = text(&params, "period");
    let ctx = match context(&state, caller, &EXPORT_RANKING, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    let ranking = match service::assessment::get_ranking(&ctx, &period).await {
        Ok(ranking) => ranking,
        Err(e) => return answer(e),
    };
    let bytes = match export::ranking_workbook(&ranking, ctx.lang) {
        Ok(bytes) => bytes,
        Err(e) => return failed("ranking workbook", e),
    };
    let event = Event::new(action::EXPORT, Outcome::Success)
        .on("period", &period)
        .summary(format!(
            "ranking of {} branches; period {:?}",
            ranking.rows.len(),
            ranking.period.name
        ));
    record(&state, &ctx.caller, &event).await;
    xlsx(&state, "ranking", bytes)
}

/// `GET /export/branch-assessment.xlsx?period=&org=`: a branch's assessment report; a
/// branch outside the caller's scope is refused and recorded.
pub async fn branch_assessment(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    headers: HeaderMap,
) -> Response {
    let rule = &EXPORT_BRANCH_ASSESSMENT;
    if let Err(denied) = check(rule, &caller) {
        return refuse(&state, &caller, rule, denied_error(denied)).await;
    }
    let period = text(&params, "period");
    let org = text(&params, "org");
    let ctx = match context(&state, caller, rule, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    if !ctx.scope.org(&org) {
        return answer(ctx.deny("org", &org).await);
    }
    let report = match service::assessment::get_branch_assessment(&ctx, &period, &org).await {
        Ok(report) => report,
        Err(e) => return answer(e),
    };
    let bytes = match export::branch_assessment_workbook(&report, ctx.lang) {
        Ok(bytes) => bytes,
        Err(e) => return failed("branch assessment workbook", e),
    };
    let event = Event::new(action::EXPORT, Outcome::Success)
        .on("org", &org)
        .summary(format!(
            "assessment report of {:?}, period {:?}: {} indicators, {} assignments, {} rectification items",
            report.org_name,
            report.period.name,
            report.indicators.len(),
            report.assignments.len(),
            report.rectifications.len()
        ));
    record(&state, &ctx.caller, &event).await;
    xlsx(&state, "branch-assessment", bytes)
}
