//! `POST /files?org=` (an upload: the body is the file, `x-file-name` its name) and
//! `GET /files/<key>[/thumb]` (a download, checked against the file's organisation).

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::{Params, answer, context, denied_error, refuse, text};
use crate::access::{Caller, check};
use crate::api::files::{DOWNLOAD_FILE, UPLOAD_FILE};
use crate::error::AppError;
use crate::models::files::{FileProblem, UPLOAD_MAX_BYTES};
use crate::server::{AppState, service};

/// The downloads (general body limit).
pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let (file_state, thumb_state) = (state.clone(), state.clone());
    Router::new()
        .route(
            "/files/{key}",
            get(move |caller, key, headers| {
                download(file_state.clone(), caller, key, headers, false)
            }),
        )
        .route(
            "/files/{key}/thumb",
            get(move |caller, key, headers| {
                download(thumb_state.clone(), caller, key, headers, true)
            }),
        )
}

/// The upload: the server's router gives it the caller and same-origin layers; the
/// handler reads at most [`UPLOAD_MAX_BYTES`] of the body.
pub fn upload_routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let state = state.clone();
    Router::new().route(
        UPLOAD_FILE.endpoint,
        post(move |caller, query, headers, body| {
            upload(state.clone(), caller, query, headers, body)
        }),
    )
}

/// The upload route's body limit: the largest file and a little room.
pub const BODY_LIMIT: usize = UPLOAD_MAX_BYTES + 1024;

/// `POST /files?org=<key>`: answers the stored file's `FileView` as JSON, or the reason
/// it was refused (400, or 413 for a file too large).
pub async fn upload(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    if let Err(denied) = check(&UPLOAD_FILE, &caller) {
        return refuse(&state, &caller, &UPLOAD_FILE, denied_error(denied)).await;
    }
    let ctx = match context(&state, caller, &UPLOAD_FILE, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    let too_large = || {
        let problem = FileProblem::TooLarge(UPLOAD_MAX_BYTES);
        let error = AppError::Validation {
            field: "file".into(),
            message: problem.message(ctx.lang),
        };
        (axum::http::StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response()
    };
    // A body declared too large is refused before it is read; one that turns out too
    // large is refused when it passes the limit.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > UPLOAD_MAX_BYTES) {
        return too_large();
    }
    let Ok(bytes) = axum::body::to_bytes(body, UPLOAD_MAX_BYTES).await else {
        return too_large();
    };
    // The name as sent, percent-encoded UTF-8; an undecodable one is a bad name.
    let name = headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| percent_encoding::percent_decode_str(v).decode_utf8().ok())
        .map(|v| v.into_owned())
        .unwrap_or_default();
    let org = text(&params, "org");
    match service::files::upload(&ctx, &org, &name, bytes).await {
        Ok(file) => axum::Json(file).into_response(),
        Err(refusal) if refusal.too_large => (
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(refusal.error),
        )
            .into_response(),
        Err(refusal) => answer(refusal.error),
    }
}

/// `GET /files/<key>` and `/files/<key>/thumb`: images are shown in the page, documents
/// are downloaded under their name. The bytes behind a key never change, but who may
/// read them can: the browser keeps them for an hour, for this account only.
pub async fn download(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    headers: HeaderMap,
    thumb: bool,
) -> Response {
    if let Err(denied) = check(&DOWNLOAD_FILE, &caller) {
        return refuse(&state, &caller, &DOWNLOAD_FILE, denied_error(denied)).await;
    }
    let ctx = match context(&state, caller, &DOWNLOAD_FILE, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    let (row, bytes) = match service::files::open(&ctx, &key, thumb).await {
        Ok(found) => found,
        Err(e) => return answer(e),
    };
    let mime = if thumb {
        "image/jpeg"
    } else {
        row.file_type.mime()
    };
    let disposition = if row.file_type.is_image() {
        "inline".to_string()
    } else {
        let encoded =
            percent_encoding::utf8_percent_encode(&row.name, percent_encoding::NON_ALPHANUMERIC);
        format!("attachment; filename*=UTF-8''{encoded}")
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            ),
        ],
        bytes,
    )
        .into_response()
}
