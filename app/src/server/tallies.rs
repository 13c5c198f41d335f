//! Member counts per organisation, held in memory.
//!
//! The database keeps a tally per organisation and status on every member write (schema
//! 0011). This server holds the tallies it last read, tagged with a [`Version`] that its
//! own member writes and the change notifications of the tally tables bump ([`super::live`]),
//! so the organisation tree costs no database read while nothing changes. While changes are
//! not followed, every use reads the database.
//!
//! The tree with counts is the structure held by `scope::StructureCache` with these counts
//! added up: no query at all on a warm server.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::models::org::{OrgNode, with_counts};
use crate::server::live::Version;
use crate::server::repo::org::{StatusCounts, totals};
use crate::server::{AppState, Db, repo};

/// Counts per organisation key, by status.
pub type Counts = HashMap<String, StatusCounts>;

#[derive(Clone, Default)]
pub struct TallyCache {
    version: Version,
    held: Arc<RwLock<Option<(u64, Arc<Counts>)>>>,
}

impl TallyCache {
    /// The version the held counts are checked against.
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// The counts as the database has them now.
    pub async fn get(&self, db: &Db) -> surrealdb::Result<Arc<Counts>> {
        // Read before loading: a change during the load leaves the version moved on, and
        // the next use loads again.
        let version = self.version.current();
        if let Some(version) = version {
            let held = self.held.read().ok().and_then(|h| h.clone());
            if let Some((_, counts)) = held.filter(|(at, _)| *at == version) {
                return Ok(counts);
            }
        }
        let counts = Arc::new(repo::org::tallies(db).await?);
        if let (Some(version), Ok(mut held)) = (version, self.held.write()) {
            *held = Some((version, counts.clone()));
        }
        Ok(counts)
    }
}

/// The whole organisation forest with member counts, from memory where it is held.
pub async fn org_tree(state: &AppState) -> surrealdb::Result<Vec<OrgNode>> {
    let structure = state.structure.get(&state.db).await?;
    let counts = state.tallies.get(&state.db).await?;
    Ok(with_counts(structure.forest(), &totals(&counts)))
}
