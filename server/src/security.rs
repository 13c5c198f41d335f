//! Web security applied to every response: same-origin checks for state-changing requests,
//! a Content-Security-Policy with a per-response nonce on pages, and the usual headers.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::{provide_nonce, use_nonce};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The policy for pages. Scripts run only from this origin or with the response's nonce;
/// `wasm-unsafe-eval` lets the browser compile the app's WebAssembly; nothing is framed.
pub fn page_csp(nonce: &str, dev_reload_port: Option<u16>) -> String {
    let reload = dev_reload_port
        .map(|p| format!(" ws://127.0.0.1:{p} ws://localhost:{p}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for pages that load no script (the public site, the sign-in page): nothing
/// runs, so no nonce is needed and a page kept in memory carries none.
pub const PLAIN_PAGE_CSP: &str = "default-src 'self'; script-src 'none'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Pages that load no WASM (`app::routes::needs_wasm`) get no script at all. Leptos still
/// writes its hydration data as inline scripts (resolved resources, streaming chunks),
/// which nothing would read there: they are removed, and the page gets
/// [`PLAIN_PAGE_CSP`]. A page's own text cannot contain `<script`: Leptos escapes it.
pub async fn plain_pages(req: Request, next: Next) -> Response {
    let plain = matches!(*req.method(), Method::GET | Method::HEAD)
        && !app::routes::needs_wasm(req.uri().path());
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !plain || !html || res.headers().contains_key(header::CONTENT_ENCODING) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "page could not be rendered");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = strip_scripts(&String::from_utf8_lossy(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PLAIN_PAGE_CSP),
    );
    Response::from_parts(parts, axum::body::Body::from(page))
}

/// The document without its `<script>…</script>` elements.
pub fn strip_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</script>") {
            Some(end) => rest = &rest[start + end + "</script>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Policy for everything that is not a page (JSON, assets, health).
pub const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Runs in the Leptos context of each page and server-function request: creates the nonce
/// that Leptos puts on its inline scripts and sends the matching policy.
pub fn provide_page_security(dev_reload_port: Option<u16>) {
    provide_nonce();
    if let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) {
        if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce, dev_reload_port)) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Whether a request's `Sec-Fetch-Site` or `Origin` shows it comes from this site.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

/// Refuses state-changing requests that do not come from the platform's own pages.
pub async fn require_same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_same_origin(req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-origin request refused");
    (StatusCode::FORBIDDEN, "cross-origin request refused").into_response()
}

/// Everything but the public pages, the hashed assets under `/pkg/`, static files of the
/// site (a name with an extension, like `/favicon.svg`) and the health probes.
pub fn may_carry_personal_data(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    let static_file = last.contains('.') && !last.ends_with(".xlsx");
    !(app::routes::is_public_path(path)
        || path.starts_with("/pkg/")
        || static_file
        || path == "/healthz"
        || path == "/readyz")
}

/// Origins allowed to frame the public display pages (from `security.frame_ancestors`).
#[derive(Clone, Default)]
pub struct FrameAncestors(pub std::sync::Arc<Vec<String>>);

/// Headers every response carries; a page's own CSP (with its nonce) is kept. Public
/// display pages may be framed by the configured origins; nothing else may be framed.
pub async fn security_headers(
    axum::extract::State(frames): axum::extract::State<FrameAncestors>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let embeddable = !frames.0.is_empty() && app::routes::is_public_path(path);
    let private = may_carry_personal_data(path);
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if private {
        // Pages and answers behind the sign-in may carry personal data: no browser or
        // proxy keeps a copy (a shared computer's back button or disk cache included).
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if embeddable {
        let allowed = format!("frame-ancestors 'self' {}", frames.0.join(" "));
        if let Some(csp) = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(|csp| csp.replace("frame-ancestors 'none'", &allowed))
            .and_then(|csp| HeaderValue::from_str(&csp).ok())
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    } else {
        // A response that names who may frame it keeps that (a course's PDF, framed by
        // the platform's own pages; `app::server::http::files`).
        headers
            .entry(header::X_FRAME_OPTIONS)
            .or_insert(HeaderValue::from_static("DENY"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_removed_and_nothing_else() {
        let page = "<html><head><script nonce=\"x\">__RESOLVED_RESOURCES=[];</script>\
                    <link rel=\"stylesheet\" href=\"/a.css\"></head><body><p>支部 &lt;script&gt;</p>\
                    <script nonce=\"x\">__INCOMPLETE_CHUNKS=[];</script></body></html>";
        assert_eq!(
            strip_scripts(page),
            "<html><head><link rel=\"stylesheet\" href=\"/a.css\"></head><body><p>支部 &lt;script&gt;</p></body></html>"
        );
        assert_eq!(strip_scripts("a<script>unclosed"), "a");
        assert_eq!(strip_scripts("no scripts"), "no scripts");
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        // A forged Origin cannot override what the browser said.
        assert!(!is_same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a.test"),
            ("host", "a.test"),
        ])));
    }

    #[test]
    fn origin_must_match_host() {
        assert!(is_same_origin(&headers(&[
            ("origin", "http://a.test:3000"),
            ("host", "a.test:3000")
        ])));
        assert!(is_same_origin(&headers(&[
            ("origin", "https://A.test"),
            ("host", "a.test")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "http://evil.test"),
            ("host", "a.test")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "a.test")
        ])));
        assert!(!is_same_origin(&headers(&[("host", "a.test")])));
    }

    #[test]
    fn only_public_and_static_paths_may_be_cached() {
        for private in [
            "/members",
            "/members/m0001",
            "/api/get_member",
            "/org",
            "/login",
        ] {
            assert!(may_carry_personal_data(private), "{private}");
        }
        assert!(may_carry_personal_data("/export/members.xlsx"));
        for public in [
            "/",
            "/site/news",
            "/pkg/zhibu.abc.wasm",
            "/favicon.svg",
            "/healthz",
        ] {
            assert!(!may_carry_personal_data(public), "{public}");
        }
    }

    #[test]
    fn page_policy_allows_only_nonced_inline_scripts() {
        let csp = page_csp("abc", None);
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("ws://"));
        assert!(page_csp("abc", Some(3001)).contains("ws://127.0.0.1:3001"));
    }
}
