//! Server functions: thin endpoints that check, call a repo and map errors.
//!
//! Every server function has a fixed path under `/api/` so that tests, logs and the
//! access inventory can name it.

pub mod org;
