//! Zhibu (支部): UI, server-function declarations, shared types and rules.
//!
//! Everything that touches the database sits behind the one `ssr` gate below.

// Views must erase their component types in every build (`.cargo/config.toml`): server
// and browser walk the same view structure when hydrating, and without it the WASM
// grows by half. A `RUSTFLAGS` in the environment replaces `[build] rustflags` silently,
// so a build without the flag stops here instead.
#[cfg(not(erase_components))]
compile_error!(
    "built without `--cfg erase_components`: a RUSTFLAGS in the environment replaced the \
     project's [build] rustflags. Add `--cfg erase_components` to it, or unset it."
);

pub mod access;
pub mod api;
pub mod assets;
pub mod components;
pub mod cookie;
pub mod error;
pub mod i18n;
pub mod models;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod server;

pub use routes::{App, shell};
