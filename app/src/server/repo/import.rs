//! SurrealQL for roster imports: the job (upload, report, claim, outcome), its progress,
//! and the rows written inside the import's transaction.

use chrono::{DateTime, Utc};
use surrealdb::engine::any::Any;
use surrealdb::types::{Bytes, RecordId, SurrealValue};

use crate::models::import::ImportStatus;
use crate::server::Db;
use crate::server::audit::Change;

/// A transaction the import writes its rows in.
pub type Tx = surrealdb::method::Transaction<Any>;

/// An upload and its report as stored.
#[derive(Debug, SurrealValue)]
pub struct JobRow {
    pub id: RecordId,
    pub account: String,
    pub file_name: String,
    #[surreal(default)]
    pub sheet: String,
    pub file: Option<Bytes>,
    pub rows: i64,
    pub ready: i64,
    pub problem_count: i64,
    pub problems: String,
    pub status: ImportStatus,
    pub message: String,
    pub imported: i64,
    pub started_at: Option<DateTime<Utc>>,
    /// The confirmation that owns the running write.
    pub run: Option<String>,
}

#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<JobRow>> {
    let mut res = db
        .query("SELECT * FROM ONLY type::record('import_job', $id)")
        .bind(("id", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// How far a running write has come (rows written, when), kept outside its transaction.
#[tracing::instrument(skip(db))]
pub async fn progress(db: &Db, key: &str) -> surrealdb::Result<Option<(i64, DateTime<Utc>)>> {
    #[derive(Debug, SurrealValue)]
    struct Progress {
        written: i64,
        at: DateTime<Utc>,
    }
    let mut res = db
        .query("SELECT written, at FROM ONLY $progress")
        .bind(("progress", RecordId::new("import_progress", key)))
        .await?
        .check()?;
    let p: Option<Progress> = res.take(0)?;
    Ok(p.map(|p| (p.written, p.at)))
}

/// Records the progress of a running write (outside its transaction, so the page can read
/// it while the write runs). Best effort: a failure is ignored.
pub async fn set_progress(db: &Db, key: &str, written: i64, at: DateTime<Utc>) {
    let _ = db
        .query("UPSERT $p SET written = $w, at = $at RETURN NONE")
        .bind(("p", RecordId::new("import_progress", key)))
        .bind(("w", written))
        .bind(("at", at))
        .await;
}

/// An upload to store with its report.
pub struct NewJob {
    pub key: String,
    pub account: String,
    pub file_name: String,
    pub sheet: String,
    /// The file, kept only when it may be confirmed.
    pub file: Option<Bytes>,
    pub rows: i64,
    pub ready: i64,
    pub problem_count: i64,
    /// The problems as JSON.
    pub problems: String,
    pub status: ImportStatus,
    pub message: String,
    pub now: DateTime<Utc>,
}

pub fn create(job: NewJob) -> Change {
    Change::new(
        "CREATE type::record('import_job', $key) CONTENT {
             account: $account, file_name: $file_name, sheet: $sheet, file: $file, rows: $rows,
             ready: $ready, problem_count: $count, problems: $problems, status: $status,
             message: $message, created_at: $now
         };",
    )
    .bind("key", job.key)
    .bind("account", job.account)
    .bind("file_name", job.file_name)
    .bind("sheet", job.sheet)
    .bind("file", job.file)
    .bind("rows", job.rows)
    .bind("ready", job.ready)
    .bind("count", job.problem_count)
    .bind("problems", job.problems)
    .bind("status", job.status)
    .bind("message", job.message)
    .bind("now", job.now)
}

/// Claims the job for the confirmation `run`: applies only to the job as it was read
/// (`seen_status`, `seen_run`), so of two confirmations at once the second changes
/// nothing. Starts the progress at zero.
pub fn claim(
    key: &str,
    run: String,
    seen_status: ImportStatus,
    seen_run: Option<String>,
    now: DateTime<Utc>,
) -> Change {
    Change::new(
        "UPDATE type::record('import_job', $id)
             SET status = 'importing', run = $run, started_at = $now, message = ''
             WHERE status = $seen_status AND run = $seen_run RETURN NONE;
         UPSERT type::record('import_progress', $id) SET written = 0, at = $now;",
    )
    .bind("id", key.to_string())
    .bind("run", run)
    .bind("seen_status", seen_status)
    .bind("seen_run", seen_run)
    .bind("now", now)
}

/// Marks the run failed (nothing was written), with the reason.
pub fn failed(key: &str, run: &str, message: String) -> Change {
    Change::new(
        "UPDATE type::record('import_job', $id)
             SET status = 'failed', message = $message
             WHERE run = $run RETURN NONE;",
    )
    .bind("id", key.to_string())
    .bind("run", run.to_string())
    .bind("message", message)
}

/// A history line ready to insert.
#[derive(Clone, SurrealValue)]
pub struct NewEvent {
    pub member: RecordId,
    pub kind: String,
    pub what: crate::models::member::History,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// Opens the import's transaction; the service commits or cancels it.
pub async fn begin(db: &Db) -> surrealdb::Result<Tx> {
    db.clone().begin().await
}

/// Inserts members and their history lines inside the import's transaction.
pub async fn insert(
    tx: &Tx,
    members: Vec<crate::server::repo::member::MemberInsert>,
    events: Vec<NewEvent>,
) -> surrealdb::Result<()> {
    tx.query("INSERT INTO member $m RETURN NONE; INSERT INTO member_event $e RETURN NONE;")
        .bind(("m", members))
        .bind(("e", events))
        .await?
        .check()?;
    Ok(())
}

/// Marks the run imported (`n` rows) and drops the file, inside the import's transaction.
pub async fn mark_imported(tx: &Tx, key: &str, run: &str, n: i64) -> surrealdb::Result<()> {
    tx.query(
        "UPDATE type::record('import_job', $id)
             SET status = 'imported', imported = $n, file = NONE
             WHERE run = $run RETURN NONE;",
    )
    .bind(("id", key.to_string()))
    .bind(("run", run.to_string()))
    .bind(("n", n))
    .await?
    .check()?;
    Ok(())
}
