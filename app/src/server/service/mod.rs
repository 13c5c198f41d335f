//! Services: the orchestration behind server functions and plain routes, one file per
//! module. A server function checks its rule, calls one service function and maps the
//! error; a service reads and writes through `server::repo` (which holds every query)
//! and may call other services. Services never import `crate::api`'s functions, only its
//! wire types and rules.

pub mod account;
pub mod admin;
pub mod appraisal;
pub mod assessment;
pub mod audit;
pub mod files;
pub mod import;
pub mod learning;
pub mod meeting;
pub mod member;
pub mod org;
pub mod pick;
pub mod pipeline;
pub mod points;
pub mod quiz;
pub mod reflection;
pub mod reminders;
pub mod required;
pub mod room;
pub mod transfer;
