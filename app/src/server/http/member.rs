//! `GET /export/members.xlsx`: the roster under the current filters.

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::{Params, denied_error, failed, lang_of, refuse, text, xlsx};
use crate::access::{Caller, Role, check};
use crate::api::member::{EXPORT_MEMBERS, MEMBER_EXPORT_LIMIT};
use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action};
use crate::models::member::{MemberQuery, mask_id_number, mask_phone};
use crate::server::audit::Event;
use crate::server::roster::{self, ScopeError};
use crate::server::{AppState, export, record, repo};

pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let state = state.clone();
    Router::new().route(
        EXPORT_MEMBERS.endpoint,
        get(move |caller, query, headers| members(state.clone(), caller, query, headers)),
    )
}

/// The roster filters, as the roster page puts them in the link.
pub fn member_query(params: &HashMap<String, String>) -> MemberQuery {
    MemberQuery {
        q: text(params, "q"),
        org: text(params, "org"),
        status: text(params, "status"),
        flag: text(params, "flag"),
        department: text(params, "department"),
        sort: text(params, "sort"),
        page: 1,
    }
}

/// `GET /export/members.xlsx?q=&org=&status=&flag=&department=&sort=[&full=1]`: the
/// roster under the current filters. ID and phone numbers are masked; the committee
/// office alone may ask for full values (`full=1`), and the export records which it got.
pub async fn members(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&EXPORT_MEMBERS, &caller) {
        return refuse(&state, &caller, &EXPORT_MEMBERS, denied_error(denied)).await;
    }
    let query = member_query(&params);
    let orgs = match roster::scoped_orgs(&state, &caller, &EXPORT_MEMBERS, query.org.trim()).await {
        Ok(orgs) => orgs,
        Err(ScopeError::OutOfScope) => {
            return refuse(&state, &caller, &EXPORT_MEMBERS, AppError::Forbidden).await;
        }
        Err(ScopeError::Db(e)) => return failed("member export", e),
    };
    let full = params.get("full").is_some_and(|v| v == "1")
        && caller.roles.contains(&Role::CommitteeOffice);
    let filter = roster::filter(&query, orgs);
    let rows = match repo::member::roster(&state.db, &filter, 0, MEMBER_EXPORT_LIMIT).await {
        Ok((rows, _)) => rows,
        Err(e) => return failed("member export", e),
    };
    let lang = lang_of(&headers);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                lang.t(r.gender.label()).to_string(),
                r.department.clone(),
                r.org_name.clone(),
                lang.t(r.position.label()).to_string(),
                lang.t(r.status.label()).to_string(),
                r.admission_date.to_string(),
                r.flags
                    .iter()
                    .map(|f| lang.t(f.label()))
                    .collect::<Vec<_>>()
                    .join("、"),
                if full {
                    r.phone.clone()
                } else {
                    mask_phone(&r.phone)
                },
                if full {
                    r.id_number.clone()
                } else {
                    mask_id_number(&r.id_number)
                },
            ]
        })
        .collect();
    let headers_row = [
        T::AccountDisplayName,
        T::MemberGender,
        T::MemberDepartment,
        T::MemberBranch,
        T::MemberPosition,
        T::MemberStatus,
        T::MemberAdmission,
        T::MemberFlags,
        T::MemberPhone,
        T::MemberIdNumber,
    ];
    let bytes = match export::table_workbook(T::NavMembers, &headers_row, &table, lang) {
        Ok(bytes) => bytes,
        Err(e) => return failed("member workbook", e),
    };
    let event = Event::new(action::EXPORT, Outcome::Success)
        .on("member", "")
        .summary(format!(
            "{} members; {}; filters q={:?} org={:?} status={:?} flag={:?} department={:?}",
            table.len(),
            if full { "full values" } else { "masked" },
            query.q,
            query.org,
            query.status,
            query.flag,
            query.department
        ));
    record(&state, &caller, &event).await;
    xlsx(&state, "members", bytes)
}
