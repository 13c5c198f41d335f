//! 民主评议党员 (issue 14): appraisals, self-assessments, the anonymous ballot's totals and
//! the branch's decisions.
//!
//! No function here reads or writes a ballot: [`cast`] records that a member voted and adds
//! to the totals, and no table holds both.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::appraisal::{AppraisalState, Grade};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// An appraisal.
#[derive(Debug, Clone, SurrealValue)]
pub struct AppraisalDb {
    pub id: RecordId,
    pub org: RecordId,
    pub org_name: String,
    pub year: i64,
    pub state: AppraisalState,
    pub excellent_percent: i64,
    pub members: Vec<RecordId>,
}

const FIELDS: &str = "id, org, org.name AS org_name, year, state, excellent_percent, members";

/// The appraisal `key`, if any.
#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<AppraisalDb>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM ONLY type::record('appraisal', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// The appraisals of `orgs` (`None`: all), or those `member` is on the list of; newest
/// year first.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    member: Option<RecordId>,
) -> surrealdb::Result<Vec<AppraisalDb>> {
    let filter = match (&orgs, &member) {
        (Some(_), Some(_)) => "WHERE org IN $orgs OR members CONTAINS $member",
        (Some(_), None) => "WHERE org IN $orgs",
        (None, Some(_)) => "WHERE members CONTAINS $member",
        (None, None) => "",
    };
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM appraisal {filter} ORDER BY year DESC, org_name"
        ))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("member", member))
        .await?
        .check()?;
    res.take(0)
}

/// A new appraisal (one per branch and year: a second fails the guard).
pub fn open(
    key: String,
    org: RecordId,
    year: i32,
    percent: u32,
    members: Vec<RecordId>,
    by: Stamp,
) -> Change {
    Change::new(
        "IF (SELECT VALUE id FROM appraisal WHERE org = $a_org AND year = $a_year) != [] {
             THROW 'zhibu-guard:appraisal_exists';
         };
         CREATE type::record('appraisal', $a_key) CONTENT {
             org: $a_org, year: $a_year, state: 'collecting', excellent_percent: $a_percent,
             members: $a_members, opened_by: $a_actor, opened_at: $a_now
         };",
    )
    .bind("a_key", key)
    .bind("a_org", org)
    .bind("a_year", i64::from(year))
    .bind("a_percent", i64::from(percent))
    .bind("a_members", members)
    .bind("a_actor", by.actor)
    .bind("a_now", by.now)
}

/// A guard: the appraisal is at `state` when the transaction runs.
fn at_state(appraisal: &RecordId, state: AppraisalState) -> Change {
    Change::new(
        "IF (SELECT VALUE state FROM ONLY $g_appraisal) != $g_state {
             THROW 'zhibu-guard:appraisal_state';
         };",
    )
    .bind("g_appraisal", appraisal.clone())
    .bind("g_state", state)
}

/// Moves the appraisal from `from` to `to` (guarded).
pub fn advance(appraisal: RecordId, from: AppraisalState, to: AppraisalState) -> Change {
    at_state(&appraisal, from).then(
        Change::new("UPDATE $s_appraisal SET state = $s_to;")
            .bind("s_appraisal", appraisal)
            .bind("s_to", to),
    )
}

/// The member's own 党性分析 (replacing an earlier one), while they are collected or the
/// vote runs.
pub fn submit_self(
    appraisal: RecordId,
    key: String,
    member: RecordId,
    text: String,
    now: DateTime<Utc>,
) -> Change {
    Change::new(
        "IF (SELECT VALUE state FROM ONLY $t_appraisal) NOT IN ['collecting', 'voting'] {
             THROW 'zhibu-guard:appraisal_state';
         };
         UPSERT type::record('self_assessment', $t_key) CONTENT {
             appraisal: $t_appraisal, member: $t_member, text: $t_text, at: $t_now
         };",
    )
    .bind("t_appraisal", appraisal)
    .bind("t_key", key)
    .bind("t_member", member)
    .bind("t_text", text)
    .bind("t_now", now)
}

/// One ballot: that `voter` voted (a second time fails the guard), and one more for each
/// (member, grade) in `marks`. Nothing written names both the voter and a grade.
pub fn cast(
    appraisal: RecordId,
    appraisal_key: &str,
    voter: RecordId,
    voter_key: &str,
    marks: Vec<(String, Grade)>,
) -> Change {
    // Each total's key and what it counts; the voter is not among the bound values of
    // these statements.
    let counts: Vec<CountKey> = marks
        .into_iter()
        .map(|(member, grade)| CountKey {
            key: format!("{appraisal_key}_{member}_{}", grade.as_str()),
            subject: RecordId::new("member", member.as_str()),
            grade,
        })
        .collect();
    at_state(&appraisal, AppraisalState::Voting)
        .then(
            Change::new(
                "IF (SELECT VALUE id FROM ONLY type::record('appraisal_voted', $v_key)) != NONE {
                     THROW 'zhibu-guard:appraisal_voted';
                 };
                 CREATE type::record('appraisal_voted', $v_key) CONTENT {
                     appraisal: $v_appraisal, voter: $v_voter
                 };",
            )
            .bind("v_key", format!("{appraisal_key}_{voter_key}"))
            .bind("v_appraisal", appraisal.clone())
            .bind("v_voter", voter),
        )
        .then(
            Change::new(
                "FOR $c IN $c_counts {
                     UPSERT type::record('appraisal_count', $c.key) SET
                         appraisal = $c_appraisal, subject = $c.subject, grade = $c.grade,
                         n = (n ?? 0) + 1;
                 };",
            )
            .bind("c_counts", counts)
            .bind("c_appraisal", appraisal),
        )
}

#[derive(Debug, Clone, SurrealValue)]
struct CountKey {
    key: String,
    subject: RecordId,
    grade: Grade,
}

/// How many of the appraisal's list have voted.
#[tracing::instrument(skip(db))]
pub async fn voted(db: &Db, appraisal: RecordId) -> surrealdb::Result<usize> {
    let mut res = db
        .query("SELECT VALUE id FROM appraisal_voted WHERE appraisal = $a")
        .bind(("a", appraisal))
        .await?
        .check()?;
    let rows: Vec<RecordId> = res.take(0)?;
    Ok(rows.len())
}

/// Whether `voter` has voted.
#[tracing::instrument(skip(db))]
pub async fn has_voted(db: &Db, appraisal_key: &str, voter_key: &str) -> surrealdb::Result<bool> {
    let mut res = db
        .query("SELECT VALUE id FROM ONLY type::record('appraisal_voted', $key)")
        .bind(("key", format!("{appraisal_key}_{voter_key}")))
        .await?
        .check()?;
    Ok(res.take::<Option<RecordId>>(0)?.is_some())
}

/// A member's 党性分析.
#[derive(Debug, Clone, SurrealValue)]
pub struct SelfRow {
    pub member: RecordId,
    pub text: String,
}

/// The 党性分析 submitted for the appraisal.
#[tracing::instrument(skip(db))]
pub async fn selves(db: &Db, appraisal: RecordId) -> surrealdb::Result<Vec<SelfRow>> {
    let mut res = db
        .query("SELECT member, text FROM self_assessment WHERE appraisal = $a")
        .bind(("a", appraisal))
        .await?
        .check()?;
    res.take(0)
}

/// One total of the vote.
#[derive(Debug, Clone, SurrealValue)]
pub struct CountRow {
    pub subject: RecordId,
    pub grade: Grade,
    pub n: i64,
}

/// The totals of the vote.
#[tracing::instrument(skip(db))]
pub async fn counts(db: &Db, appraisal: RecordId) -> surrealdb::Result<Vec<CountRow>> {
    let mut res = db
        .query("SELECT subject, grade, n FROM appraisal_count WHERE appraisal = $a")
        .bind(("a", appraisal))
        .await?
        .check()?;
    res.take(0)
}

/// One decided grade.
#[derive(Debug, Clone, SurrealValue)]
pub struct OutcomeRow {
    pub member: RecordId,
    pub grade: Grade,
}

/// The branch's decisions.
#[tracing::instrument(skip(db))]
pub async fn outcomes(db: &Db, appraisal: RecordId) -> surrealdb::Result<Vec<OutcomeRow>> {
    let mut res = db
        .query("SELECT member, grade FROM appraisal_outcome WHERE appraisal = $a")
        .bind(("a", appraisal))
        .await?
        .check()?;
    res.take(0)
}

/// A decided grade with the line for the member's record.
#[derive(Debug, Clone, SurrealValue)]
pub struct Decided {
    pub key: String,
    pub member: RecordId,
    pub grade: Grade,
    /// The member's record's history line (`{ kind: 'note', text }`).
    pub line: String,
}

/// The branch's decision (guarded: the vote is closed), each grade on the member's record.
pub fn decide(appraisal: RecordId, decided: Vec<Decided>, by: Stamp) -> Change {
    at_state(&appraisal, AppraisalState::Closed).then(
        Change::new(
            "FOR $d IN $d_rows {
                 CREATE type::record('appraisal_outcome', $d.key) CONTENT {
                     appraisal: $d_appraisal, member: $d.member, grade: $d.grade,
                     decided_by: $d_actor, at: $d_now
                 };
                 CREATE member_event SET member = $d.member, kind = 'appraisal',
                     what = { kind: 'note', text: $d.line }, actor = $d_actor, at = $d_now;
             };
             UPDATE $d_appraisal SET state = 'decided', decided_at = $d_now;",
        )
        .bind("d_rows", decided)
        .bind("d_appraisal", appraisal)
        .bind("d_actor", by.actor)
        .bind("d_now", by.now),
    )
}

/// The open appraisals `member` is on the list of and owes something: a 党性分析 while
/// they are collected, a ballot while the vote runs; with the text key of what is owed.
#[tracing::instrument(skip(db))]
pub async fn waiting_for(
    db: &Db,
    member: &RecordId,
) -> surrealdb::Result<Vec<(AppraisalDb, crate::i18n::T)>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS} FROM appraisal
             WHERE members CONTAINS $member AND state IN ['collecting', 'voting']"
        ))
        .bind(("member", member.clone()))
        .await?
        .check()?;
    let open: Vec<AppraisalDb> = res.take(0)?;
    let member_key = crate::server::key_string(member);
    let mut out = Vec::new();
    for a in open {
        let a_key = crate::server::key_string(&a.id);
        let owed = match a.state {
            AppraisalState::Collecting => {
                let mut res = db
                    .query("SELECT VALUE id FROM ONLY type::record('self_assessment', $key)")
                    .bind(("key", format!("{a_key}_{member_key}")))
                    .await?
                    .check()?;
                res.take::<Option<RecordId>>(0)?
                    .is_none()
                    .then_some(crate::i18n::T::ApsInboxSelf)
            }
            _ => {
                (!has_voted(db, &a_key, &member_key).await?).then_some(crate::i18n::T::ApsInboxVote)
            }
        };
        if let Some(text) = owed {
            out.push((a, text));
        }
    }
    Ok(out)
}
