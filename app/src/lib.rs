//! Zhibu (支部): UI, server-function declarations, shared types and rules.
//!
//! Everything that touches the database sits behind the one `ssr` gate below.

pub mod access;
pub mod api;
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
