//! Domain history: what happened to a record, kept with the record and written in the
//! record's own transaction, without the security trail's chain lock.
//!
//! The security trail (`audit`) is one hash chain: every append takes a process-wide lock
//! and moves the chain's head, so audited writes are serialised. That is right for who did
//! what with authority over others' data, and wrong for the volume the next modules bring:
//! a meeting's sign-in burst, a class submitting answers, learners reporting progress.
//! Those are domain history: written here, one transaction each, in parallel. Which events
//! go where is decided in `docs/audit-and-history.md`; the benchmark that shows domain
//! writes are not serialised is `cargo run --release -p tests --bin history-bench`.

use super::Db;
use super::audit::Change;

/// Writes a domain change (the record and its history line, built by the module's repo
/// as a [`Change`]) in one transaction of its own. Concurrent calls run concurrently: no
/// lock is taken and no shared head is read, so writers only conflict when they touch the
/// same record (SurrealDB then fails one transaction, which the caller may retry).
pub async fn write(db: &Db, change: &Change) -> surrealdb::Result<()> {
    super::repo::transaction(db, change).await
}

/// As [`write`], for a change of one statement, which SurrealDB runs as a transaction of
/// its own: no `BEGIN`/`COMMIT` around it (a meeting-room tablet's sign-in).
pub async fn write_one(db: &Db, change: &Change) -> surrealdb::Result<()> {
    let mut query = db.query(change.sql.as_str());
    for (name, value) in &change.vars {
        query = query.bind((name.clone(), value.clone()));
    }
    query.await?.check()?;
    Ok(())
}
