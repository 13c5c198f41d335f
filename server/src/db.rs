//! Connecting to SurrealDB and applying the schema.
//!
//! One URL chooses the engine (`surrealkv://`, `mem://`, `ws://`, `wss://`) through
//! `engine::any`. Migrations are the `.surql` files in `server/schema/`, applied in name
//! order, each in its own transaction together with its record in the `migration` table.
//! An applied migration whose file has since changed stops start-up.

use app::server::Db;
use serde::Serialize;
use surrealdb::opt::auth::Root;
use surrealdb::types::SurrealValue;

use crate::config::Config;

/// One schema migration: a name (its order) and its SurrealQL.
#[derive(Clone, Debug, Serialize)]
pub struct Migration {
    pub name: String,
    pub sql: String,
}

impl Migration {
    pub fn new(name: impl Into<String>, sql: impl Into<String>) -> Self {
        Migration {
            name: name.into(),
            sql: sql.into(),
        }
    }

    /// SHA-256 of the file's text, hex-encoded.
    pub fn checksum(&self) -> String {
        app::server::sha256_hex(&self.sql)
    }
}

/// The schema shipped with this build, in order.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration::new("0001_org", include_str!("../schema/0001_org.surql")),
        Migration::new("0002_member", include_str!("../schema/0002_member.surql")),
        Migration::new("0003_account", include_str!("../schema/0003_account.surql")),
        Migration::new("0004_session", include_str!("../schema/0004_session.surql")),
        Migration::new("0005_audit", include_str!("../schema/0005_audit.surql")),
        Migration::new(
            "0006_account_security",
            include_str!("../schema/0006_account_security.surql"),
        ),
        Migration::new(
            "0007_member_roster",
            include_str!("../schema/0007_member_roster.surql"),
        ),
        Migration::new(
            "0008_org_admin",
            include_str!("../schema/0008_org_admin.surql"),
        ),
        Migration::new(
            "0009_pipeline",
            include_str!("../schema/0009_pipeline.surql"),
        ),
        Migration::new(
            "0010_transfer",
            include_str!("../schema/0010_transfer.surql"),
        ),
        Migration::new(
            "0011_roster_index",
            include_str!("../schema/0011_roster_index.surql"),
        ),
        Migration::new("0012_import", include_str!("../schema/0012_import.surql")),
        Migration::new(
            "0013_roster_search",
            include_str!("../schema/0013_roster_search.surql"),
        ),
        Migration::new(
            "0014_import_progress",
            include_str!("../schema/0014_import_progress.surql"),
        ),
        Migration::new(
            "0015_roster_order",
            include_str!("../schema/0015_roster_order.surql"),
        ),
        Migration::new(
            "0016_roster_given",
            include_str!("../schema/0016_roster_given.surql"),
        ),
        Migration::new(
            "0017_import_sheet",
            include_str!("../schema/0017_import_sheet.surql"),
        ),
        Migration::new(
            "0018_org_version",
            include_str!("../schema/0018_org_version.surql"),
        ),
        Migration::new(
            "0019_member_history_kinds",
            include_str!("../schema/0019_member_history_kinds.surql"),
        ),
        Migration::new(
            "0020_org_history_kinds",
            include_str!("../schema/0020_org_history_kinds.surql"),
        ),
        Migration::new(
            "0021_assessment",
            include_str!("../schema/0021_assessment.surql"),
        ),
        Migration::new(
            "0022_notification",
            include_str!("../schema/0022_notification.surql"),
        ),
        Migration::new("0023_file", include_str!("../schema/0023_file.surql")),
        Migration::new(
            "0024_task_evidence",
            include_str!("../schema/0024_task_evidence.surql"),
        ),
        Migration::new(
            "0025_rectification_evidence",
            include_str!("../schema/0025_rectification_evidence.surql"),
        ),
        Migration::new(
            "0026_task_attachments",
            include_str!("../schema/0026_task_attachments.surql"),
        ),
        Migration::new(
            "0027_task_issuer",
            include_str!("../schema/0027_task_issuer.surql"),
        ),
        Migration::new(
            "0028_task_members",
            include_str!("../schema/0028_task_members.surql"),
        ),
        Migration::new("0029_meeting", include_str!("../schema/0029_meeting.surql")),
        Migration::new(
            "0030_meeting_attendance",
            include_str!("../schema/0030_meeting_attendance.surql"),
        ),
        Migration::new("0031_rooms", include_str!("../schema/0031_rooms.surql")),
        Migration::new(
            "0032_appraisal",
            include_str!("../schema/0032_appraisal.surql"),
        ),
        Migration::new(
            "0033_leave_request",
            include_str!("../schema/0033_leave_request.surql"),
        ),
        Migration::new(
            "0034_meeting_rules",
            include_str!("../schema/0034_meeting_rules.surql"),
        ),
        Migration::new(
            "0035_meeting_files",
            include_str!("../schema/0035_meeting_files.surql"),
        ),
        Migration::new(
            "0036_meeting_reminders",
            include_str!("../schema/0036_meeting_reminders.surql"),
        ),
        Migration::new(
            "0037_learning",
            include_str!("../schema/0037_learning.surql"),
        ),
        Migration::new(
            "0038_learning_progress",
            include_str!("../schema/0038_learning_progress.surql"),
        ),
        Migration::new(
            "0039_learning_search",
            include_str!("../schema/0039_learning_search.surql"),
        ),
        Migration::new(
            "0040_learning_search_index",
            include_str!("../schema/0040_learning_search_index.surql"),
        ),
        Migration::new(
            "0041_learning_media",
            include_str!("../schema/0041_learning_media.surql"),
        ),
        Migration::new("0042_quiz", include_str!("../schema/0042_quiz.surql")),
        Migration::new(
            "0043_requirement",
            include_str!("../schema/0043_requirement.surql"),
        ),
        Migration::new("0044_points", include_str!("../schema/0044_points.surql")),
        Migration::new(
            "0045_reflection",
            include_str!("../schema/0045_reflection.surql"),
        ),
        Migration::new("0046_lesson", include_str!("../schema/0046_lesson.surql")),
        Migration::new(
            "0047_points_meetings_tasks",
            include_str!("../schema/0047_points_meetings_tasks.surql"),
        ),
        Migration::new(
            "0048_learning_course_document",
            include_str!("../schema/0048_learning_course_document.surql"),
        ),
        Migration::new(
            "0049_learning_course_document_index",
            include_str!("../schema/0049_learning_course_document_index.surql"),
        ),
        Migration::new(
            "0050_requirement_members",
            include_str!("../schema/0050_requirement_members.surql"),
        ),
        Migration::new(
            "0051_requirement_item",
            include_str!("../schema/0051_requirement_item.surql"),
        ),
        Migration::new(
            "0052_exam_item",
            include_str!("../schema/0052_exam_item.surql"),
        ),
        Migration::new(
            "0053_learning_course_vocabulary",
            include_str!("../schema/0053_learning_course_vocabulary.surql"),
        ),
        Migration::new(
            "0054_learning_images",
            include_str!("../schema/0054_learning_images.surql"),
        ),
    ]
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database at `{url}`: {source}")]
    Connect {
        url: String,
        source: surrealdb::Error,
    },
    #[error(
        "migration `{name}` was edited after it was applied (recorded checksum {recorded}, \
         file checksum {current}); restore the original file and put the change in a new migration"
    )]
    Edited {
        name: String,
        recorded: String,
        current: String,
    },
    #[error("migration `{name}` failed and was rolled back: {source}")]
    Failed {
        name: String,
        source: surrealdb::Error,
    },
    #[error("database error: {0}")]
    Query(#[from] surrealdb::Error),
}

const MIGRATION_TABLE: &str = "
    DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
    DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
    DEFINE FIELD IF NOT EXISTS checksum ON migration TYPE string;
    DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;
    DEFINE INDEX IF NOT EXISTS migration_name ON migration FIELDS name UNIQUE;";

#[derive(Debug, SurrealValue)]
struct Applied {
    name: String,
    checksum: String,
}

/// Opens the configured database and selects the namespace and database.
pub async fn connect(config: &Config) -> Result<Db, DbError> {
    let url = config.database_url();
    let err = |source| DbError::Connect {
        url: url.clone(),
        source,
    };
    if let Some(path) = url.strip_prefix("surrealkv://") {
        if let Some(parent) = std::path::Path::new(path).parent() {
            let _ = std::fs::create_dir_all(parent);
        }
    }
    let db = open_waiting_for_lock(&url).await.map_err(err)?;
    if config.is_remote() {
        if let (Some(username), Some(password)) =
            (&config.database.username, &config.database.password)
        {
            db.signin(Root {
                username: username.clone(),
                password: password.clone(),
            })
            .await
            .map_err(err)?;
        }
    }
    db.use_ns(config.database.namespace.as_str())
        .use_db(config.database.database.as_str())
        .await
        .map_err(err)?;
    Ok(db)
}

/// How long to wait for an embedded store that another instance is still closing.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens the store; an embedded store still locked by a closing instance (a restart, or a
/// test reopening the same folder) is retried for up to `LOCK_WAIT`.
async fn open_waiting_for_lock(url: &str) -> surrealdb::Result<Db> {
    let started = std::time::Instant::now();
    loop {
        match surrealdb::engine::any::connect(url).await {
            Err(e) if e.to_string().contains("locked") && started.elapsed() < LOCK_WAIT => {
                tracing::info!("database folder is locked by a closing instance; waiting");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

/// Drops the last handle (the database, or the state holding it) and gives the engine's background task time to flush and
/// release the store. (Every commit is already fsynced; this only makes the stop tidy.)
pub async fn close(db: impl Send) {
    drop(db);
    for _ in 0..20 {
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

async fn applied(db: &Db) -> Result<Vec<Applied>, DbError> {
    db.query(MIGRATION_TABLE).await?.check()?;
    let mut res = db
        .query("SELECT name, checksum FROM migration")
        .await?
        .check()?;
    Ok(res.take(0)?)
}

/// Applies every migration not yet recorded; returns how many ran. Idempotent.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &Db, migrations: &[Migration]) -> Result<usize, DbError> {
    let done = applied(db).await?;
    // Check every recorded checksum before running anything new.
    for m in migrations {
        if let Some(a) = done.iter().find(|a| a.name == m.name) {
            let current = m.checksum();
            if a.checksum != current {
                return Err(DbError::Edited {
                    name: m.name.clone(),
                    recorded: a.checksum.clone(),
                    current,
                });
            }
        }
    }
    let mut ran = 0;
    for m in migrations
        .iter()
        .filter(|m| !done.iter().any(|a| a.name == m.name))
    {
        db.query("BEGIN TRANSACTION")
            .query(m.sql.as_str())
            .query(
                "CREATE migration SET name = $name, checksum = $checksum, applied_at = time::now()",
            )
            .query("COMMIT TRANSACTION")
            .bind(("name", m.name.clone()))
            .bind(("checksum", m.checksum()))
            .await
            .and_then(|r| r.check())
            .map_err(|source| DbError::Failed {
                name: m.name.clone(),
                source,
            })?;
        tracing::info!(migration = %m.name, "applied migration");
        ran += 1;
    }
    Ok(ran)
}

/// Ready means reachable, with every shipped migration applied unchanged.
pub async fn is_ready(db: &Db, migrations: &[Migration]) -> bool {
    let Ok(mut res) = db.query("SELECT name, checksum FROM migration").await else {
        return false;
    };
    let Ok(done) = res.take::<Vec<Applied>>(0) else {
        return false;
    };
    migrations.iter().all(|m| {
        done.iter()
            .any(|a| a.name == m.name && a.checksum == m.checksum())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_changes_with_the_text() {
        let a = Migration::new("x", "DEFINE TABLE a;");
        let b = Migration::new("x", "DEFINE TABLE a; ");
        assert_eq!(a.checksum().len(), 64);
        assert_ne!(a.checksum(), b.checksum());
    }

    #[test]
    fn shipped_migrations_are_in_order_and_unique() {
        let names: Vec<_> = migrations().into_iter().map(|m| m.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }
}
