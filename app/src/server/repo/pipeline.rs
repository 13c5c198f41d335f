//! SurrealQL for the development pipeline.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::server::Db;

/// A person in the pipeline as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct CandidateRow {
    pub id: RecordId,
    pub name: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub org: RecordId,
    pub org_name: String,
    pub step: i64,
    pub step_dates: Vec<NaiveDate>,
    pub status: String,
    pub member: Option<RecordId>,
}

const FIELDS: &str = "id, name, gender, birth_date, ethnicity, education, department, title,
    phone, id_number, org, org.name AS org_name, step, step_dates, status, member";

/// The people still in the pipeline in these organisations (`None`: all). A branch's
/// people come through the `candidate_org` index.
#[tracing::instrument(skip(db, orgs))]
pub async fn active(db: &Db, orgs: Option<Vec<RecordId>>) -> surrealdb::Result<Vec<CandidateRow>> {
    let sql = match orgs {
        Some(_) => format!(
            "SELECT {FIELDS} FROM (SELECT * FROM candidate WHERE org IN $orgs)
             WHERE status = 'active' ORDER BY name"
        ),
        None => format!("SELECT {FIELDS} FROM candidate WHERE status = 'active' ORDER BY name"),
    };
    let mut res = db
        .query(sql)
        .bind(("orgs", orgs.unwrap_or_default()))
        .await?
        .check()?;
    res.take(0)
}

#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<CandidateRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM ONLY type::record('candidate', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// The candidate whose member record this is, if the member came through the pipeline.
#[tracing::instrument(skip(db))]
pub async fn of_member(db: &Db, member: &RecordId) -> surrealdb::Result<Option<CandidateRow>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM candidate WHERE member = $member LIMIT 1"
        ))
        .bind(("member", member.clone()))
        .await?
        .check()?;
    let rows: Vec<CandidateRow> = res.take(0)?;
    Ok(rows.into_iter().next())
}

/// Whether anyone in the pipeline or on the roster carries this ID number.
#[tracing::instrument(skip_all)]
pub async fn id_number_known(db: &Db, id_number: &str) -> surrealdb::Result<bool> {
    let mut res = db
        .query(
            "RETURN array::len(SELECT id FROM candidate WHERE id_number = $n)
                  + array::len(SELECT id FROM member WHERE id_number = $n)",
        )
        .bind(("n", id_number.to_string()))
        .await?
        .check()?;
    let n: Option<i64> = res.take(0)?;
    Ok(n.unwrap_or(0) > 0)
}

/// A recorded step as stored.
#[derive(Debug, SurrealValue)]
pub struct StepRow {
    pub no: i64,
    pub date: NaiveDate,
    pub responsible: Vec<String>,
    pub approver: String,
    pub materials: String,
    pub actor: String,
}

#[tracing::instrument(skip(db))]
pub async fn steps(db: &Db, candidate: &RecordId) -> surrealdb::Result<Vec<StepRow>> {
    let mut res = db
        .query(
            "SELECT no, date, responsible, approver, materials, actor FROM pipeline_step
             WHERE candidate = $c ORDER BY no",
        )
        .bind(("c", candidate.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// A person in the development pipeline as inserted in bulk.
#[derive(Clone, Debug, SurrealValue)]
pub struct NewCandidate {
    pub id: RecordId,
    pub name: String,
    pub name_initials: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub org: RecordId,
    pub step: i64,
    pub step_dates: Vec<NaiveDate>,
    pub status: String,
    pub member: Option<RecordId>,
}

/// A recorded pipeline step as inserted in bulk.
#[derive(Clone, Debug, SurrealValue)]
pub struct NewStep {
    pub candidate: RecordId,
    pub no: i64,
    pub date: NaiveDate,
    pub responsible: Vec<String>,
    pub approver: String,
    pub materials: String,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Inserts people in the pipeline with their recorded steps.
pub async fn insert_many(
    db: &Db,
    candidates: &[NewCandidate],
    steps: &[NewStep],
) -> surrealdb::Result<()> {
    db.query("INSERT INTO candidate $candidates; INSERT INTO pipeline_step $steps;")
        .bind(("candidates", candidates.to_vec()))
        .bind(("steps", steps.to_vec()))
        .await?
        .check()?;
    Ok(())
}
