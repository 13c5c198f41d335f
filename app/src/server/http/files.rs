//! `POST /files?org=` (an upload: the body is the file, `x-file-name` its name) and
//! `GET /files/<key>[/thumb]` (a download, checked against the file's organisation).

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::{Params, answer, context, denied_error, refuse, text};
use crate::access::{Caller, check};
use crate::api::files::{DOWNLOAD_FILE, UPLOAD_FILE};
use crate::models::files::{FileProblem, UPLOAD_MAX_BYTES, download_name};
use crate::server::{AppState, service};

/// What a download's name keeps as it is (RFC 8187 `attr-char`, less the rarer marks).
const NAME_CHARS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

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
    // The name as sent, percent-encoded UTF-8; an undecodable one is a bad name.
    let name = headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| percent_encoding::percent_decode_str(v).decode_utf8().ok())
        .map(|v| v.into_owned())
        .unwrap_or_default();
    let org = text(&params, "org");
    // A body declared too large is refused before it is read; one that turns out too
    // large is refused when it passes the limit. Both are audited like other refusals.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let bytes = match declared {
        Some(n) if n > UPLOAD_MAX_BYTES => None,
        _ => axum::body::to_bytes(body, UPLOAD_MAX_BYTES).await.ok(),
    };
    let Some(bytes) = bytes else {
        let problem = FileProblem::TooLarge(UPLOAD_MAX_BYTES);
        let refusal = service::files::refused(&ctx, &org, &name, problem).await;
        return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(refusal.error)).into_response();
    };
    match service::files::upload(&ctx, &org, &name, bytes).await {
        Ok(file) => axum::Json(file).into_response(),
        Err(refusal) if refusal.too_large => {
            (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(refusal.error)).into_response()
        }
        Err(refusal) => answer(refusal.error),
    }
}

/// `GET /files/<key>` and `/files/<key>/thumb`: images are shown in the page, documents
/// are downloaded under their name.
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
    let row = match service::files::find(&ctx, &key, thumb).await {
        Ok(row) => row,
        Err(e) => return answer(e),
    };
    // The bytes behind a key never change: the browser keeps them but asks each time
    // (`no-cache`), so a reader who lost access is refused above, and one who has it
    // gets 304 without the bytes being read again.
    let etag = format!("\"{}{}\"", if thumb { "t" } else { "" }, row.sha256);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (
                    header::ETAG,
                    HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("")),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-cache"),
                ),
            ],
        )
            .into_response();
    }
    let bytes = match service::files::bytes(&ctx, &row, thumb).await {
        Ok(bytes) => bytes,
        Err(e) => return answer(e),
    };
    let mime = if thumb {
        "image/jpeg"
    } else {
        row.file_type.mime()
    };
    // A document is downloaded under the extension of what it is, whatever it was
    // uploaded as (a PDF named `.bat` is saved as `.pdf`).
    let disposition = if row.file_type.is_image() {
        "inline".to_string()
    } else {
        let name = download_name(&row.name, row.file_type);
        let encoded = percent_encoding::utf8_percent_encode(&name, NAME_CHARS);
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
                HeaderValue::from_static("private, no-cache"),
            ),
            (
                header::ETAG,
                HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("")),
            ),
        ],
        bytes,
    )
        .into_response()
}
