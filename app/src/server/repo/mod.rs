//! All SurrealQL, one module per entity. Queries always bind their parameters.

pub mod org;
