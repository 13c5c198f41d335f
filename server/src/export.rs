//! File downloads. They are plain GET routes, not server functions, so each checks its
//! access rule here with the same `access::check` and records the outcome.

use std::collections::HashMap;

use app::access::{AccessRule, Caller, Denied, Role, check};
use app::api::audit::{EXPORT_AUDIT, EXPORT_LIMIT};
use app::api::member::{EXPORT_MEMBERS, MEMBER_EXPORT_LIMIT};
use app::error::AppError;
use app::i18n::{Lang, T};
use app::models::audit::{AuditQuery, Outcome, action};
use app::models::member::{MemberQuery, flag_label, mask_id_number, mask_phone, status_label};
use app::models::org::Position;
use app::server::audit::Event;
use app::server::roster::{self, ScopeError};
use app::server::{AppState, audit as trail, export, record, repo};
use axum::Extension;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

type Params = Query<HashMap<String, String>>;

fn text(params: &HashMap<String, String>, key: &str) -> String {
    params
        .get(key)
        .map(|v| v.trim().chars().take(64).collect())
        .unwrap_or_default()
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

fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default()
}

/// Records a refusal and answers with the error the server functions would give.
async fn refuse(state: &AppState, caller: &Caller, rule: &AccessRule, error: AppError) -> Response {
    tracing::warn!(endpoint = rule.endpoint, ?error, "permission denied");
    let event = Event::new(action::DENIED, Outcome::Denied)
        .on("endpoint", rule.endpoint)
        .summary(format!("{error:?}"));
    record(state, caller, &event).await;
    (error.status(), axum::Json(error)).into_response()
}

fn denied_error(denied: Denied) -> AppError {
    match denied {
        Denied::Unauthenticated => AppError::Unauthenticated,
        Denied::Forbidden => AppError::Forbidden,
        Denied::PasswordChangeRequired => AppError::PasswordChangeRequired,
    }
}

fn internal(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what} failed");
    (AppError::Internal.status(), axum::Json(AppError::Internal)).into_response()
}

fn xlsx(state: &AppState, prefix: &str, bytes: Vec<u8>) -> Response {
    let name = format!(
        "{prefix}-{}.xlsx",
        state.clock.now().format("%Y%m%d-%H%M%S")
    );
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
        Err(e) => return internal("audit export", e),
    };
    let bytes = match export::audit_workbook(&entries, lang_of(&headers)) {
        Ok(bytes) => bytes,
        Err(e) => return internal("audit workbook", e),
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
    let orgs = match roster::scoped_orgs(&state.db, &caller, query.org.trim()).await {
        Ok(orgs) => orgs,
        Err(ScopeError::OutOfScope) => {
            return refuse(&state, &caller, &EXPORT_MEMBERS, AppError::Forbidden).await;
        }
        Err(ScopeError::Db(e)) => return internal("member export", e),
    };
    let full = params.get("full").is_some_and(|v| v == "1")
        && caller.roles.contains(&Role::CommitteeOffice);
    let filter = roster::filter(&query, orgs);
    let rows = match repo::member::roster(&state.db, &filter, 0, MEMBER_EXPORT_LIMIT).await {
        Ok((rows, _)) => rows,
        Err(e) => return internal("member export", e),
    };
    let lang = lang_of(&headers);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                lang.t(if r.gender == "female" {
                    T::GenderFemale
                } else {
                    T::GenderMale
                })
                .to_string(),
                r.department.clone(),
                r.org_name.clone(),
                lang.t(Position::parse(&r.position)
                    .unwrap_or(Position::Member)
                    .label())
                    .to_string(),
                lang.t(status_label(&r.status)).to_string(),
                r.admission_date.to_string(),
                r.flags
                    .iter()
                    .map(|f| lang.t(flag_label(f)))
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
        Err(e) => return internal("member workbook", e),
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

/// `GET /export/member-template.xlsx`: the import template (headers and one example row).
pub async fn member_template(
    state: AppState,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    use app::api::import::IMPORT_MEMBERS;
    if let Err(denied) = check(&IMPORT_MEMBERS, &caller) {
        return refuse(&state, &caller, &IMPORT_MEMBERS, denied_error(denied)).await;
    }
    match app::server::import::template(lang_of(&headers)) {
        Ok(bytes) => xlsx(&state, "member-template", bytes),
        Err(e) => internal("import template", e),
    }
}

/// A refused upload: the message in the user's language, as JSON under the field `file`.
fn file_refused(lang: app::i18n::Lang, key: T) -> Response {
    let error = AppError::Validation {
        field: "file".into(),
        message: lang.t(key).into(),
    };
    (error.status(), axum::Json(error)).into_response()
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// `POST /import/members` (multipart form, field `file`): stores the upload with its
/// report and sends the browser to the report. Nothing is written to the roster here.
pub async fn import_members(
    state: AppState,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    use app::api::import::IMPORT_MEMBERS;
    use app::server::import::MAX_FILE_BYTES;
    if let Err(denied) = check(&IMPORT_MEMBERS, &caller) {
        return refuse(&state, &caller, &IMPORT_MEMBERS, denied_error(denied)).await;
    }
    let lang = lang_of(&headers);
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload.xlsx").to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes.to_vec())),
                    Err(_) => return file_refused(lang, T::ImpTooBig),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return file_refused(lang, T::ImpTooBig),
        }
    }
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return file_refused(lang, T::ImpNoFile);
    };
    if bytes.len() > MAX_FILE_BYTES {
        return file_refused(lang, T::ImpTooBig);
    }
    match app::api::import::server_side::store(&state, &caller, &name, bytes, lang).await {
        // The page's script asks for JSON (it shows upload progress and opens the report
        // itself); the plain form post is sent to the report.
        Ok(key) if wants_json(&headers) => {
            axum::Json(serde_json::json!({ "job": key })).into_response()
        }
        Ok(key) => {
            axum::response::Redirect::to(&format!("/members/import?job={key}")).into_response()
        }
        Err(e) => (e.status(), axum::Json(e)).into_response(),
    }
}
