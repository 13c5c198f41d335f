//! All SurrealQL, one module per entity. Queries always bind their parameters.

pub mod account;
pub mod member;
pub mod org;
pub mod pipeline;
pub mod transfer;
