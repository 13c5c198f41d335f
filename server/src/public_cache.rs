//! Public pages from memory.
//!
//! A public page (`/`, `/site/…`) is the same for every visitor who reads it in the same
//! language, so it is rendered once, kept with its gzip and Brotli forms and an `ETag`,
//! and served from memory until the data it shows changes: the page is tagged with the
//! version of the public tables (`AppState::public`, an [`app::server::live::Version`]),
//! which this server bumps on its own writes and on the change notifications of every
//! other server on the same database. A browser that sends the `ETag` back gets `304 Not Modified`.
//!
//! While changes are not being followed (no live subscription) nothing is kept and every
//! request renders.
//!
//! A kept page keeps the headers it was rendered with, its `Content-Security-Policy`
//! included: the nonce of its inline scripts stays the same until the page is rendered
//! again. Public pages hold no personal data and no input of visitors; the nonce still
//! only admits the page's own scripts.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use app::i18n::Lang;
use app::server::live::Version;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages larger than this are served but not kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// At most this many pages (path, query and language) are kept; beyond, the cache starts over.
const MAX_PAGES: usize = 1_000;

#[derive(Clone)]
pub struct PublicPages {
    version: Version,
    kept: Arc<RwLock<HashMap<(String, Lang), Arc<Page>>>>,
}

struct Page {
    version: u64,
    etag: HeaderValue,
    headers: HeaderMap,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl PublicPages {
    pub fn new(version: Version) -> Self {
        PublicPages {
            version,
            kept: Arc::default(),
        }
    }

    fn get(&self, key: &(String, Lang), version: u64) -> Option<Arc<Page>> {
        let kept = self.kept.read().ok()?;
        kept.get(key).filter(|p| p.version == version).cloned()
    }

    fn keep(&self, key: (String, Lang), page: Page) -> Arc<Page> {
        let page = Arc::new(page);
        if let Ok(mut kept) = self.kept.write() {
            if kept.len() >= MAX_PAGES {
                kept.clear();
            }
            kept.insert(key, page.clone());
        }
        page
    }
}

/// The middleware: public `GET`/`HEAD` requests are answered from memory when a page is
/// kept for the current version, and rendered (then kept) otherwise.
pub async fn serve_public(
    State(pages): State<PublicPages>,
    mut req: Request,
    next: Next,
) -> Response {
    let public = matches!(*req.method(), Method::GET | Method::HEAD)
        && app::routes::is_public_path(req.uri().path());
    let Some(version) = pages.version.current().filter(|_| public) else {
        return next.run(req).await;
    };
    let lang = Lang::from_headers(req.headers());
    let key = (
        req.uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        lang,
    );
    let encoding = accepted(req.headers());
    let revalidating = req.headers().get(header::IF_NONE_MATCH).cloned();
    let head = req.method() == Method::HEAD;
    if let Some(page) = pages.get(&key, version) {
        return answer(&page, encoding, revalidating.as_ref(), head);
    }
    // Rendered uncompressed: the compressed forms are made here, once.
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    *req.method_mut() = Method::GET;
    let res = next.run(req).await;
    let keepable = res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    if !keepable {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, path = %key.0, "public page could not be rendered");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if bytes.len() > MAX_PAGE_BYTES {
        tracing::warn!(path = %key.0, bytes = bytes.len(), "public page too large to keep");
        return Response::from_parts(parts, Body::from(bytes));
    }
    let page = match compress(&bytes) {
        Ok((gzip, brotli)) => Page {
            version,
            etag: etag(&bytes),
            headers: parts.headers,
            identity: bytes,
            gzip,
            brotli,
        },
        Err(e) => {
            tracing::warn!(error = %e, "public page could not be compressed");
            return Response::from_parts(parts, Body::from(bytes));
        }
    };
    let page = pages.keep(key, page);
    answer(&page, encoding, revalidating.as_ref(), head)
}

fn answer(
    page: &Page,
    encoding: Encoding,
    revalidating: Option<&HeaderValue>,
    head: bool,
) -> Response {
    let mut res = Response::new(Body::empty());
    let fresh = revalidating.is_some_and(|tags| matches_etag(tags, &page.etag));
    if fresh {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
    } else {
        *res.headers_mut() = page.headers.clone();
        res.headers_mut().remove(header::CONTENT_LENGTH);
    }
    let headers = res.headers_mut();
    headers.insert(header::ETAG, page.etag.clone());
    // Revalidated on every visit: a changed page is seen at once, an unchanged one costs a 304.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, cookie"),
    );
    if fresh {
        return res;
    }
    let body = match encoding {
        Encoding::Identity => &page.identity,
        Encoding::Gzip => &page.gzip,
        Encoding::Brotli => &page.brotli,
    };
    if let Some(name) = match encoding {
        Encoding::Identity => None,
        Encoding::Gzip => Some("gzip"),
        Encoding::Brotli => Some("br"),
    } {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if !head {
        *res.body_mut() = Body::from(body.clone());
    }
    res
}

/// The best form the client accepts (Brotli, then gzip); `q=0` refuses one.
fn accepted(headers: &HeaderMap) -> Encoding {
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let takes = |name: &str| {
        value.split(',').any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if takes("br") {
        Encoding::Brotli
    } else if takes("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether an `If-None-Match` list names this tag (or is `*`).
fn matches_etag(tags: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(tags), Ok(etag)) = (tags.to_str(), etag.to_str()) else {
        return false;
    };
    tags.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag
    })
}

/// A strong tag from the page's bytes.
fn etag(bytes: &[u8]) -> HeaderValue {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"{hex}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn compress(bytes: &[u8]) -> std::io::Result<(Bytes, Bytes)> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?;
    let mut brotli = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
        w.write_all(bytes)?;
        w.flush()?;
    }
    Ok((Bytes::from(gzip), Bytes::from(brotli)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        assert_eq!(accepted(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            accepted(&accept("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(accepted(&accept("gzip")), Encoding::Gzip);
        assert_eq!(accepted(&accept("br;q=0, gzip;q=0.8")), Encoding::Gzip);
        assert_eq!(accepted(&accept("identity")), Encoding::Identity);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(matches_etag(&HeaderValue::from_static("\"abc\""), &tag));
        assert!(matches_etag(
            &HeaderValue::from_static("\"x\", W/\"abc\""),
            &tag
        ));
        assert!(matches_etag(&HeaderValue::from_static("*"), &tag));
        assert!(!matches_etag(&HeaderValue::from_static("\"abd\""), &tag));
    }

    #[test]
    fn compressed_forms_decompress_to_the_page() {
        use std::io::Read;
        let page = "<!DOCTYPE html><html><body>支部 党员 1234</body></html>".repeat(20);
        let (gzip, brotli) = compress(page.as_bytes()).unwrap();
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        let mut out = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        assert!(gzip.len() < page.len() / 4 && brotli.len() < gzip.len());
    }
}
