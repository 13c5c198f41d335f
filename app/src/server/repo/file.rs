//! SurrealQL for the `file` table: who uploaded what, for which organisation. The bytes
//! are in the file store (`server::files`).

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::files::FileType;
use crate::server::Db;
use crate::server::audit::Change;

const FIELDS: &str = "id, sha256, name, file_type, size, org, uploaded_by, at";

#[derive(Debug, Clone, SurrealValue)]
pub struct FileRow {
    pub id: RecordId,
    pub sha256: String,
    pub name: String,
    pub file_type: FileType,
    pub size: i64,
    pub org: RecordId,
    pub uploaded_by: String,
    pub at: DateTime<Utc>,
}

/// A new file's row.
#[derive(Debug, Clone, SurrealValue)]
pub struct FileInsert {
    pub id: RecordId,
    pub sha256: String,
    pub name: String,
    pub file_type: FileType,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub org: RecordId,
    pub uploaded_by: String,
    pub at: DateTime<Utc>,
}

pub fn create(row: FileInsert) -> Change {
    Change::new("INSERT INTO file $row;").bind("row", row)
}

/// Several rows at once, without an audit entry (the demo hospital).
pub async fn insert_many(db: &Db, rows: Vec<FileInsert>) -> surrealdb::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    db.query("INSERT INTO file $rows RETURN NONE")
        .bind(("rows", rows))
        .await?
        .check()?;
    Ok(())
}

pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<FileRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM ONLY type::record('file', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// Who a file is sent to as a task's attachment, from the assignments of every task that
/// attaches it and is no longer a draft: their organisations (a branch's, or the branch a
/// member's assignment is filed under) and the members they are to; and the publishers
/// of the published courses that show it (an item's video or document, an image in an
/// article, the cover).
pub async fn shared_with(db: &Db, key: &str) -> surrealdb::Result<Shared> {
    let mut res = db
        .query(
            "LET $tasks = (SELECT VALUE id FROM task
                 WHERE status != 'draft' AND attachments.*.id CONTAINS $key);
             RETURN array::distinct(SELECT VALUE org FROM assignment WHERE task IN $tasks);
             RETURN array::distinct(SELECT VALUE member FROM assignment
                 WHERE task IN $tasks AND member != NONE);
             RETURN array::distinct(array::concat(
                 (SELECT VALUE course.org FROM item
                     WHERE file = $file AND course.state = 'published'),
                 (SELECT VALUE item.course.org FROM item_image
                     WHERE file = $file AND item.course.state = 'published'),
                 (SELECT VALUE org FROM course WHERE cover = $file AND state = 'published')));",
        )
        .bind(("key", key.to_string()))
        .bind(("file", RecordId::new("file", key)))
        .await?
        .check()?;
    Ok(Shared {
        orgs: res.take::<Vec<RecordId>>(1)?,
        members: res.take::<Vec<RecordId>>(2)?,
        courses: res.take::<Vec<RecordId>>(3)?,
    })
}

/// Who else a file is for, beyond its organisation and its uploader.
#[derive(Debug, Default)]
pub struct Shared {
    /// The organisations given a task (no longer a draft) it is attached to.
    pub orgs: Vec<RecordId>,
    /// The members given such a task one by one.
    pub members: Vec<RecordId>,
    /// The publishers of published courses with an item that shows it: whoever reads
    /// their courses reads it.
    pub courses: Vec<RecordId>,
}

/// A page of files of `orgs` (all when `None`), newest first, with the total.
pub async fn list(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    by: Option<String>,
    types: Option<Vec<FileType>>,
    words: &str,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<FileRow>, i64)> {
    let mut cond = vec!["true"];
    if orgs.is_some() {
        cond.push("org IN $orgs");
    }
    if by.is_some() {
        cond.push("uploaded_by = $by");
    }
    if types.is_some() {
        cond.push("file_type IN $types");
    }
    if !words.is_empty() {
        cond.push("string::contains(string::lowercase(name), $words)");
    }
    let cond = cond.join(" AND ");
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM file WHERE {cond} ORDER BY at DESC LIMIT $limit START $start;
             RETURN array::len(SELECT VALUE id FROM file WHERE {cond});"
        ))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("by", by))
        .bind(("types", types.unwrap_or_default()))
        .bind(("words", words.to_lowercase()))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<FileRow> = res.take(0)?;
    let total: Option<i64> = res.take(1)?;
    Ok((rows, total.unwrap_or(0)))
}
