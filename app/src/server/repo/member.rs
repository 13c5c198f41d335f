//! SurrealQL for members.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::server::Db;

/// A member's record as stored, with the organisation's name.
#[derive(Debug, SurrealValue)]
pub struct MemberRow {
    pub id: RecordId,
    pub name: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub org: RecordId,
    pub org_name: String,
    pub position: String,
    pub status: String,
    pub admission_date: NaiveDate,
    pub full_date: Option<NaiveDate>,
    pub phone: String,
    pub id_number: String,
}

/// One member, or `None` when there is no such record.
#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<MemberRow>> {
    let mut res = db
        .query(
            "SELECT id, name, gender, birth_date, ethnicity, education, department, title, org,
                    org.name AS org_name, position, status, admission_date, full_date, phone,
                    id_number
             FROM ONLY type::record('member', $key)",
        )
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}
