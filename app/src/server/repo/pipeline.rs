//! SurrealQL for the development pipeline.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::member::Gender;
use crate::models::member_form::ValidMember;
use crate::models::pipeline::CandidateStatus;
use crate::models::pipeline::{ADMITTED_STEP, FULL_STEP, STEPS};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A person in the pipeline as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct CandidateRow {
    pub id: RecordId,
    pub name: String,
    pub gender: Gender,
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
    pub status: CandidateStatus,
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
pub struct CandidateInsert {
    pub id: RecordId,
    pub name: String,
    pub name_initials: String,
    pub gender: Gender,
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
    pub status: CandidateStatus,
    pub member: Option<RecordId>,
}

/// A recorded pipeline step as inserted in bulk.
#[derive(Clone, Debug, SurrealValue)]
pub struct StepInsert {
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
    candidates: &[CandidateInsert],
    steps: &[StepInsert],
) -> surrealdb::Result<()> {
    db.query("INSERT INTO candidate $candidates; INSERT INTO pipeline_step $steps;")
        .bind(("candidates", candidates.to_vec()))
        .bind(("steps", steps.to_vec()))
        .await?
        .check()?;
    Ok(())
}

/// Registers an application (step 1 on the application date, `valid.admission_date`):
/// the person's record in branch `org` and the first step.
pub fn create(candidate: RecordId, valid: &ValidMember, org: RecordId, by: Stamp) -> Change {
    Change::new(
        "CREATE $c CONTENT {
             name: $name, name_initials: $initials, gender: $gender, birth_date: $birth,
             ethnicity: $ethnicity, education: $education, department: $department,
             title: $title, phone: $phone, id_number: $id_number, org: $org, step: 1,
             step_dates: [$date], status: 'active'
         };
         CREATE pipeline_step SET candidate = $c, no = 1, date = $date, actor = $actor, at = $now;",
    )
    .bind("c", candidate)
    .bind("name", valid.name.clone())
    .bind(
        "initials",
        crate::server::repo::member::name_initials(&valid.name),
    )
    .bind("gender", valid.gender)
    .bind("birth", valid.birth_date)
    .bind("ethnicity", valid.ethnicity.clone())
    .bind("education", valid.education.clone())
    .bind("department", valid.department.clone())
    .bind("title", valid.title.clone())
    .bind("phone", valid.phone.clone())
    .bind("id_number", valid.id_number.clone())
    .bind("org", org)
    .bind("date", valid.admission_date)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// One step to record.
pub struct NewStep {
    pub candidate: RecordId,
    /// The person's member record: the one to create at step 17, or the existing one.
    pub member: RecordId,
    pub no: u8,
    pub date: NaiveDate,
    pub people: Vec<String>,
    pub approver: String,
    pub materials: String,
    /// Admission (the branch meeting's date): the member record's admission date.
    pub admitted: NaiveDate,
    /// The day probation ends: the full membership date at step 24.
    pub full: NaiveDate,
}

/// Records the step. Step 17 also creates the member record (预备党员) from what the
/// pipeline holds; step 24 makes it a full member; the last step closes the pipeline.
pub fn record_step(step: NewStep, by: Stamp) -> Change {
    let mut sql = String::from(
        "UPDATE $c SET step = $no, step_dates = array::append(step_dates, $date);
         CREATE pipeline_step SET candidate = $c, no = $no, date = $date,
             responsible = $people, approver = $approver, materials = $materials,
             actor = $actor, at = $now;",
    );
    if step.no == ADMITTED_STEP {
        sql.push_str(
            "LET $cand = (SELECT * FROM ONLY $c);
             CREATE $m CONTENT {
                 name: $cand.name, name_initials: $cand.name_initials, gender: $cand.gender,
                 birth_date: $cand.birth_date, ethnicity: $cand.ethnicity,
                 education: $cand.education, department: $cand.department, title: $cand.title,
                 phone: $cand.phone, id_number: $cand.id_number, org: $cand.org,
                 position: 'member', status: 'probationary',
                 application_date: $cand.step_dates[0], admission_date: $admitted,
                 standing: 'active', flags: [], dual_leader: false
             };
             UPDATE $c SET member = $m;
             CREATE member_event SET member = $m, kind = 'created',
                 what = { kind: 'admitted' }, effective = $admitted,
                 actor = $actor, at = $now;",
        );
    }
    if step.no == FULL_STEP {
        sql.push_str(
            "UPDATE $m SET status = 'full', full_date = $full;
             CREATE member_event SET member = $m, kind = 'status', what = { kind: 'became_full' },
                 effective = $full, actor = $actor, at = $now;",
        );
    }
    if usize::from(step.no) == STEPS.len() {
        sql.push_str("UPDATE $c SET status = 'completed';");
    }
    Change::new(sql)
        .bind("c", step.candidate)
        .bind("m", step.member)
        .bind("no", i64::from(step.no))
        .bind("date", step.date)
        .bind("people", step.people)
        .bind("approver", step.approver)
        .bind("materials", step.materials)
        .bind("admitted", step.admitted)
        .bind("full", step.full)
        .bind("actor", by.actor)
        .bind("now", by.now)
}
