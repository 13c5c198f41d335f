//! All SurrealQL, one module per entity. Queries always bind their parameters.
//!
//! A write that goes with an audit entry is not run here: the repository builds it as a
//! [`Change`](crate::server::audit::Change) from its parts, and the service commits it
//! with the entry in one transaction (`server::commit`).

pub mod account;
pub mod appraisal;
pub mod assessment;
pub mod audit;
pub mod file;
pub mod import;
pub mod learning;
pub mod meeting;
pub mod member;
pub mod notification;
pub mod org;
pub mod pipeline;
pub mod points;
pub mod quiz;
pub mod reflection;
pub mod required;
pub mod room;
pub mod transfer;

use chrono::{DateTime, Utc};

use crate::access::Caller;
use crate::server::AppState;

/// Who made a change and when: the `$actor` and `$now` of history lines.
#[derive(Clone, Debug)]
pub struct Stamp {
    pub actor: String,
    pub now: DateTime<Utc>,
}

impl Stamp {
    /// The caller's account (empty for none) and the application clock's now.
    pub fn new(caller: &Caller, state: &AppState) -> Stamp {
        Stamp {
            actor: caller
                .account
                .clone()
                .or_else(|| caller.device.as_ref().map(|d| format!("tablet:{d}")))
                .unwrap_or_default(),
            now: state.clock.now(),
        }
    }
}

/// Runs a change alone, in one transaction of its own, with no audit entry and no lock:
/// domain history (`server::history::write`).
pub async fn transaction(
    db: &crate::server::Db,
    change: &crate::server::audit::Change,
) -> surrealdb::Result<()> {
    let sql = format!(
        "BEGIN TRANSACTION;\n{};\nCOMMIT TRANSACTION;",
        change.sql.trim_end().trim_end_matches(';')
    );
    let mut query = db.query(sql);
    for (name, value) in &change.vars {
        query = query.bind((name.clone(), value.clone()));
    }
    query.await?.check()?;
    Ok(())
}
