//! The router: health and readiness, the language switch, hashed static assets, the
//! Leptos pages and server functions, and the layers every request passes through.

use std::path::PathBuf;
use std::sync::Arc;

use app::i18n::{LANG_COOKIE, Lang};
use app::server::AppState;
use axum::Router;
use axum::extract::Form;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::db::{self, Migration};

/// Largest request body any route accepts (uploads get their own limit when they arrive).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The roster import's limit: the file plus the form around it.
pub const IMPORT_BODY_LIMIT: usize = app::server::import::MAX_FILE_BYTES + 64 * 1024;

/// Leptos options from our configuration. Hashed file names are used when cargo-leptos
/// left its `hash.txt` beside the executable (release and dev builds made by it).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|file| file.is_file());
    LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("zhibu"))
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr())
        .hash_files(hash_files)
        .build()
}

/// The app's route table, read once per process. Reading it runs the whole app with
/// resource loading switched off by one process-wide flag (`SuppressResourceLoad` in
/// leptos_server 0.8, leptos#4773): a page rendered on another server of the same process
/// while a second router was being built got resources that never loaded, and its request
/// hung (the integration tests start servers in parallel; seen as 60 s timeouts on `/org`
/// and `/workbench`). Once per process, the window closes before any server listens.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::LazyLock::new(|| generate_route_list(app::App));
    ROUTES.clone()
}

pub fn router(config: &Config, state: AppState) -> Router {
    let options = leptos_options(config);
    let routes = route_list();
    // cargo-leptos sets LEPTOS_WATCH for `cargo leptos watch`; its reload socket needs CSP room.
    let dev_reload = std::env::var("LEPTOS_WATCH")
        .is_ok()
        .then_some(options.reload_port as u16);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            crate::security::provide_page_security(dev_reload);
        }
    };
    let pkg_dir = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    warn_if_not_split(&pkg_dir);
    let expected = Arc::new(db::migrations());

    let router = Router::new()
        .route(
            "/readyz",
            get({
                let state = state.clone();
                move || readyz(state.clone(), expected.clone())
            }),
        )
        .route("/lang", post(set_lang))
        // Downloads of every module (`app::server::http`).
        .merge(app::server::http::routes(&state))
        .nest_service(
            "/pkg",
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(
                    PkgCache {
                        hashed: options.hash_files,
                        entry_prefix: Arc::from(format!("{}.", options.output_name)),
                    },
                    pkg_cache_control_layer,
                ))
                .service(ServeDir::new(pkg_dir)),
        )
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context,
            app::shell,
        ))
        // Inside the caller's resolution, so it knows who is asking.
        .layer(axum::middleware::from_fn(crate::session::gate_management));
    with_caller(router, &state, config)
        .layer(axum::middleware::from_fn(undecodable_requests_are_400))
        .layer(axum::middleware::from_fn(plain_form_posts_are_redirected))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // The uploads have bigger bodies: added after the general limit, each with its
        // own limit and the caller and same-origin checks.
        .merge(uploads(
            app::server::http::import::upload_routes(&state)
                .layer(RequestBodyLimitLayer::new(IMPORT_BODY_LIMIT)),
            IMPORT_BODY_LIMIT,
            &state,
            config,
        ))
        .merge(uploads(
            app::server::http::files::upload_routes(&state),
            app::server::http::files::BODY_LIMIT,
            &state,
            config,
        ))
        .layer(axum::middleware::from_fn(crate::security::plain_pages))
        .layer(axum::middleware::from_fn_with_state(
            crate::security::FrameAncestors(Arc::new(config.security.frame_ancestors.clone())),
            crate::security::security_headers,
        ))
        .layer(CompressionLayer::new().compress_when(compressible()))
        .layer(TraceLayer::new_for_http())
        // Outermost: a public page kept in memory is answered before any other layer runs.
        .layer(axum::middleware::from_fn_with_state(
            crate::public_cache::PublicPages::new(state.public.clone()),
            crate::public_cache::serve_public,
        ))
        .with_state(options)
        // Added after the layers, so none of them runs: the probe answers as fast as the
        // machine can, with the headers the security layer would have added.
        .route("/healthz", get(healthz))
}

/// What the compression layer compresses: what it would by default (text, JSON, WASM; not
/// images or event streams), less videos and PDFs (compressed already, and a player's
/// `Range` requests count bytes of the file as stored) and any partial answer (`206`),
/// whose `Content-Range` would no longer match its body.
fn compressible() -> impl tower_http::compression::Predicate {
    use tower_http::compression::Predicate;
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType};
    DefaultPredicate::new()
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("application/pdf"))
        .and(
            |status: StatusCode,
             _: axum::http::Version,
             _: &axum::http::HeaderMap,
             _: &axum::http::Extensions| { status != StatusCode::PARTIAL_CONTENT },
        )
}

/// An upload route with its own body limit and the caller and same-origin checks (it is
/// merged outside the general layers, whose body limit is smaller). The limit is the one
/// axum's extractors apply, so the handler answers a body over it in its own words.
fn uploads<S: Clone + Send + Sync + 'static>(
    routes: Router<S>,
    limit: usize,
    state: &AppState,
    config: &Config,
) -> Router<S> {
    with_caller(
        routes.layer(axum::extract::DefaultBodyLimit::max(limit)),
        state,
        config,
    )
}

/// Resolves who is asking (inside the same-origin check, which refuses state-changing
/// requests from other sites first).
fn with_caller<S: Clone + Send + Sync + 'static>(
    routes: Router<S>,
    state: &AppState,
    config: &Config,
) -> Router<S> {
    routes
        .layer(axum::middleware::from_fn_with_state(
            (
                state.clone(),
                crate::session::TrustForwardedFor(config.security.trust_forwarded_for),
            ),
            crate::session::resolve_caller,
        ))
        .layer(axum::middleware::from_fn(
            crate::security::require_same_origin,
        ))
}

/// `/healthz`: the process is up and serving (no I/O; `/readyz` checks the database).
async fn healthz() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_SECURITY_POLICY,
                crate::security::DEFAULT_CSP,
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::REFERRER_POLICY, "same-origin"),
        ],
        "ok",
    )
}

/// server_fn answers every error with 500 unless the function set a status itself, and a
/// request it cannot decode never reaches our code. Such answers carry
/// `AppError::Request` with the decoder's own words (serde internals): they are the
/// client's mistake, so they become 400 with a plain message in the caller's language,
/// and the detail goes to the log.
async fn undecodable_requests_are_400(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_api = req.uri().path().starts_with("/api/");
    let lang = Lang::from_headers(req.headers());
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let Ok(app::error::AppError::Request(detail)) =
        serde_json::from_slice::<app::error::AppError>(&bytes)
    else {
        return axum::response::Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    tracing::info!(%detail, "undecodable server-function request");
    parts.status = StatusCode::BAD_REQUEST;
    parts.headers.remove(header::CONTENT_LENGTH);
    let plain = app::error::AppError::Request(lang.t(app::i18n::T::ErrRequestDecode).into());
    let body = serde_json::to_vec(&plain).unwrap_or_default();
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

/// A page without JavaScript (the sign-in page) posts its form to a server function, which
/// answers with a redirect: to where it leads on success, or back to the page with the
/// error in the address (Leptos' form redirects). A refusal also sets the error's status
/// (401, 400, …), which would replace the redirect and show the browser a JSON body; for
/// such a post the status stays a redirect (303 See Other: the browser then GETs the page).
async fn plain_form_posts_are_redirected(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let plain_post = req.method() == axum::http::Method::POST
        && req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let mut res = next.run(req).await;
    if plain_post
        && (res.status().is_client_error() || res.status().is_server_error())
        && res.headers().contains_key(header::LOCATION)
    {
        *res.status_mut() = StatusCode::SEE_OTHER;
    }
    res
}

/// The management pages are lazy routes: a front end built without `cargo leptos --split`
/// imports the bare module `__wasm_split_placeholder__`, which no browser resolves, so no
/// page would hydrate. Say so at start rather than leave a silently dead interface.
fn warn_if_not_split(pkg_dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(pkg_dir) else {
        return; // no site at all (tests without a browser)
    };
    let split = entries.flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with("__wasm_split_manifest")
    });
    if !split {
        tracing::error!(
            pkg = %pkg_dir.display(),
            "the front end was built without `--split`: pages will not hydrate \
             (build with `cargo leptos build --split`)"
        );
    }
}

/// How `/pkg` files may be cached: whether names are hashed, and the entry files' prefix.
#[derive(Clone)]
struct PkgCache {
    hashed: bool,
    entry_prefix: Arc<str>,
}

/// The `Cache-Control` of a file under `/pkg` (`name` without the folder).
///
/// Hashed names change with their content, so they may be cached for a year, except the
/// entry files of a split build: cargo-leptos names `zhibu.<hash>.js` and
/// `zhibu.<hash>.wasm` from their content *before* it writes the name of the chunk loader
/// (`__wasm_split.<hash>.js`) into them, so a change in one page's chunk ships new entry
/// files under the old names. A browser holding them for a year would import a loader that
/// is gone, and nothing would hydrate. They are revalidated on every load instead (a 304
/// when unchanged); the loader and the chunks are named from their final content.
fn pkg_cache_control(name: &str, hashed: bool, entry_prefix: &str) -> &'static str {
    let entry =
        name.starts_with(entry_prefix) && (name.ends_with(".js") || name.ends_with(".wasm"));
    if hashed && !entry {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

async fn pkg_cache_control_layer(
    axum::extract::State(cache): axum::extract::State<PkgCache>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let name = req.uri().path().rsplit('/').next().unwrap_or_default();
    let value = pkg_cache_control(name, cache.hashed, &cache.entry_prefix);
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

async fn readyz(state: AppState, expected: Arc<Vec<Migration>>) -> impl IntoResponse {
    if db::is_ready(&state.db, &expected).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
    next: Option<String>,
}

/// Only same-site paths are followed, so the switch cannot be used as an open redirect.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_string())
}

async fn set_lang(Form(form): Form<LangForm>) -> impl IntoResponse {
    let lang = Lang::from_code(&form.lang);
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(form.next)),
    )
}

#[cfg(test)]
mod tests {
    use super::{pkg_cache_control, route_list, safe_next};

    /// The server's gate (`session::gate_management`) knows the management area by the
    /// first segment of a path: every page of the route table is in it, or is one of the
    /// pages deliberately outside (public, sign-in, the tablet's own frame).
    #[test]
    fn every_page_of_the_route_table_is_in_the_management_area_or_deliberately_outside() {
        let outside = ["/", "/login", "/tablet"];
        let routes = route_list();
        assert!(
            routes.len() > 15,
            "the route table was read: {}",
            routes.len()
        );
        for route in routes {
            let path = route.path();
            assert!(
                app::routes::is_management_path(path) != outside.contains(&path),
                "{path}: add its first segment to app::routes::MANAGEMENT_AREAS, or list it as outside"
            );
        }
        assert!(!app::routes::is_management_path("/organisations"));
        assert!(app::routes::is_management_path("/members/m0001"));
    }

    #[test]
    fn split_entry_files_are_revalidated_and_the_rest_is_immutable() {
        let immutable = "public, max-age=31536000, immutable";
        for (name, hashed, expected) in [
            ("zhibu.Ab-c.js", true, "no-cache"),
            ("zhibu.Ab-c.wasm", true, "no-cache"),
            ("zhibu.Ab-c.css", true, immutable),
            ("__wasm_split.Ab-c.js", true, immutable),
            ("chunk_3.Ab-c.wasm", true, immutable),
            ("split___org_view_view_1.Ab-c.wasm", true, immutable),
            ("chunk_3.wasm", false, "no-cache"),
        ] {
            assert_eq!(
                pkg_cache_control(name, hashed, "zhibu."),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn language_switch_only_returns_to_local_paths() {
        assert_eq!(safe_next(Some("/org?id=o0001".into())), "/org?id=o0001");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil".into())), "/");
        assert_eq!(safe_next(None), "/");
    }
}

/// Routes outside the server functions that serve protected data; each has a rule in
/// `app::api::ACCESS_RULES` too.
pub const PROTECTED_ROUTES: &[&str] = &[
    app::api::audit::EXPORT_AUDIT.endpoint,
    app::api::member::EXPORT_MEMBERS.endpoint,
    app::api::assessment::EXPORT_RANKING.endpoint,
    app::api::assessment::EXPORT_BRANCH_ASSESSMENT.endpoint,
    app::api::import::IMPORT_MEMBERS.endpoint,
    app::api::files::UPLOAD_FILE.endpoint,
    app::api::files::DOWNLOAD_FILE.endpoint,
    app::api::meeting::MEETING_LIVE.endpoint,
    app::api::meeting::MEETING_SCREEN.endpoint,
    app::api::meeting::EXPORT_LEDGER.endpoint,
    app::api::required::EXPORT_REQUIRED.endpoint,
    app::api::room::TABLET_LIVE.endpoint,
];

/// Every server-function endpoint registered in this build, plus the protected plain
/// routes, for the access inventory.
pub fn registered_server_fns() -> Vec<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_string())
        .chain(PROTECTED_ROUTES.iter().map(|p| p.to_string()))
        .collect()
}
