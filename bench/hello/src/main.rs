//! `GET /` answers "Hello, World!"; nothing else. Listens on `HELLO_LISTEN`
//! (default 127.0.0.1:3900), on the same multi-threaded tokio runtime Zhibu uses.

use axum::{Router, routing::get};

#[tokio::main]
async fn main() {
    let addr = std::env::var("HELLO_LISTEN").unwrap_or_else(|_| "127.0.0.1:3900".into());
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
