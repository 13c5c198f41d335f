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
use crate::models::files::{
    DOCUMENT_MAX_BYTES, FileProblem, FileType, UPLOAD_MAX_BYTES, download_name,
};
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
            get(move |caller, key, query, headers| {
                download(file_state.clone(), caller, key, query, headers, false)
            }),
        )
        .route(
            "/files/{key}/thumb",
            get(move |caller, key, query, headers| {
                download(thumb_state.clone(), caller, key, query, headers, true)
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

/// The most uploads held in memory at once, in MB (two of the largest videos).
const RECEIVING_MB: u32 = 2 * (UPLOAD_MAX_BYTES >> 20) as u32;

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
    // Videos (up to `UPLOAD_MAX_BYTES`) are for those who publish courses, with a declared
    // length; anyone else, or a body of unknown length, gets the documents' limit. A body
    // declared too large is refused before it is read; one that turns out too large when
    // it passes the limit. Both are audited like other refusals.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let limit = match declared {
        Some(_) if !service::files::member_only(&ctx) => UPLOAD_MAX_BYTES,
        _ => DOCUMENT_MAX_BYTES,
    };
    // What the server holds of uploads at once is bounded: each waits for room for its
    // declared size (or the limit) before a byte is read, and keeps it until checked.
    static RECEIVING: tokio::sync::Semaphore =
        tokio::sync::Semaphore::const_new(RECEIVING_MB as usize);
    let megabytes = u32::try_from(declared.unwrap_or(limit).min(limit).div_ceil(1 << 20))
        .unwrap_or(RECEIVING_MB)
        .max(1);
    let too_large = declared.is_some_and(|n| n > limit);
    let _room = if too_large {
        None
    } else {
        match RECEIVING.acquire_many(megabytes).await {
            Ok(room) => Some(room),
            Err(_) => return answer(crate::error::AppError::Internal),
        }
    };
    let bytes = if too_large {
        None
    } else {
        axum::body::to_bytes(body, limit).await.ok()
    };
    let Some(bytes) = bytes else {
        let problem = FileProblem::TooLarge(limit);
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

/// `GET /files/<key>` and `/files/<key>/thumb`: images and videos are shown in the page,
/// a PDF too when asked with `?inline=1` (a course's document, framed by the app's own
/// pages only); other documents are downloaded under their name. A `Range` header is
/// honoured (`206`), so a video seeks without being sent whole; nothing is held in memory
/// whole, and the compression layer leaves videos and partial answers alone.
pub async fn download(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    Query(params): Params,
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
    let value = |v: &str| HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static(""));
    let no_cache = HeaderValue::from_static("private, no-cache");
    let framed = !thumb && row.file_type == FileType::Pdf && text(&params, "inline") == "1";
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        // A browser updates its copy's headers from a 304: the framing goes with it.
        let mut response = (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, value(&etag)),
                (header::CACHE_CONTROL, no_cache),
            ],
        )
            .into_response();
        if framed {
            may_be_framed(response.headers_mut());
        }
        return response;
    }
    // A range is for these bytes only: `If-Range` naming other bytes asks for all.
    let same = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| same);
    let opened = match service::files::open(&ctx, &row, thumb, range).await {
        Ok(opened) => opened,
        Err(Ok(e)) => return answer(e),
        Err(Err(size)) => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, value(&format!("bytes */{size}")))],
            )
                .into_response();
        }
    };
    let mime = if thumb {
        "image/jpeg"
    } else {
        row.file_type.mime()
    };
    // A document is downloaded under the extension of what it is, whatever it was
    // uploaded as (a PDF named `.bat` is saved as `.pdf`).
    let name = download_name(&row.name, row.file_type);
    let encoded = percent_encoding::utf8_percent_encode(&name, NAME_CHARS);
    let disposition = if row.file_type.is_image() || row.file_type.is_video() || framed {
        format!("inline; filename*=UTF-8''{encoded}")
    } else {
        format!("attachment; filename*=UTF-8''{encoded}")
    };
    let partial = opened.partial;
    let mut response = (
        if partial {
            StatusCode::PARTIAL_CONTENT
        } else {
            StatusCode::OK
        },
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CONTENT_DISPOSITION, value(&disposition)),
            (header::CACHE_CONTROL, no_cache),
            (header::ETAG, value(&etag)),
            (
                header::CONTENT_LENGTH,
                value(&(opened.range.end - opened.range.start).to_string()),
            ),
        ],
        opened.body,
    )
        .into_response();
    let out = response.headers_mut();
    if !thumb {
        out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    if partial {
        out.insert(
            header::CONTENT_RANGE,
            value(&format!(
                "bytes {}-{}/{}",
                opened.range.start,
                opened.range.end.saturating_sub(1),
                opened.size
            )),
        );
    }
    if framed {
        may_be_framed(out);
    }
    response
}

/// Only the platform's own pages may show it in a frame (the security layer keeps these;
/// everything else may be framed by nobody). The policy is only that: a stricter one
/// (`default-src 'none'`) could keep a browser's PDF viewer from drawing it.
fn may_be_framed(headers: &mut HeaderMap) {
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'self'"),
    );
}
