//! Required learning (issue 15, schemas `0043_requirement`, `0050_requirement_members`,
//! `0051_requirement_item`): requirements, and the completion read from progress and
//! attempts (never stored twice).

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::required::{RequiredKind, ValidRequirement};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A requirement as stored, with the names a list shows.
#[derive(Debug, Clone, SurrealValue)]
pub struct RequirementDb {
    pub id: RecordId,
    pub org: RecordId,
    pub org_name: Option<String>,
    pub title: String,
    pub course: Option<RecordId>,
    pub exam: Option<RecordId>,
    pub item: Option<RecordId>,
    pub what_title: Option<String>,
    pub targets: Vec<RecordId>,
    pub target_names: Vec<Option<String>>,
    /// The members named individually, their names and (today's) organisations.
    pub members: Vec<RecordId>,
    pub member_names: Vec<Option<String>>,
    pub member_orgs: Vec<Option<RecordId>>,
    pub member_org_names: Vec<Option<String>>,
    pub due: NaiveDate,
}

impl RequirementDb {
    /// What it asks for, and that course's, item's or exam's record.
    pub fn what(&self) -> (RequiredKind, Option<&RecordId>) {
        match (&self.course, &self.item, &self.exam) {
            (Some(c), _, _) => (RequiredKind::Course, Some(c)),
            (None, Some(i), _) => (RequiredKind::Item, Some(i)),
            (None, None, e) => (RequiredKind::Exam, e.as_ref()),
        }
    }
}

const FIELDS: &str = "id, org, org.name AS org_name, title, course, exam, item,
    (course.title ?? item.title ?? exam.title) AS what_title, targets, targets.name AS target_names,
    members, members.name AS member_names, members.org AS member_orgs,
    members.org.name AS member_org_names, due";

/// The requirement `key`.
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<RequirementDb>> {
    let sql = ["SELECT ", FIELDS, " FROM type::record('requirement', $key)"].concat();
    db.query(sql)
        .bind(("key", key.to_string()))
        .await?
        .check()?
        .take(0)
}

/// Requirements addressed to any of `orgs` (a member's organisation and those above it)
/// or naming `member`, nearest deadline first.
pub async fn addressed_to(
    db: &Db,
    orgs: Vec<RecordId>,
    member: RecordId,
) -> surrealdb::Result<Vec<RequirementDb>> {
    let sql = [
        "SELECT ",
        FIELDS,
        " FROM requirement WHERE targets CONTAINSANY $orgs OR members CONTAINS $member
             ORDER BY due, id LIMIT 200",
    ]
    .concat();
    db.query(sql)
        .bind(("orgs", orgs))
        .bind(("member", member))
        .await?
        .check()?
        .take(0)
}

/// One page of the requirements set by an organisation of `reach`, addressed to one of
/// `watched` (those in reach and those above them) or naming members in reach, with
/// `orgs` as `(reach, watched)` (`None`: every one), newest deadline first, and how many
/// there are. One set above and addressed elsewhere is not listed.
pub async fn watched(
    db: &Db,
    orgs: Option<(Vec<RecordId>, Vec<RecordId>)>,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<RequirementDb>, i64)> {
    let filter = if orgs.is_some() {
        " WHERE org IN $reach OR targets CONTAINSANY $watched OR members.org CONTAINSANY $reach"
    } else {
        ""
    };
    let (reach, watched) = orgs.unwrap_or_default();
    let sql = [
        "SELECT ",
        FIELDS,
        " FROM requirement",
        filter,
        " ORDER BY due DESC, id LIMIT $limit START $start;
         SELECT count() AS n FROM requirement",
        filter,
        " GROUP ALL;",
    ]
    .concat();
    let mut res = db
        .query(sql)
        .bind(("reach", reach))
        .bind(("watched", watched))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<RequirementDb> = res.take(0)?;
    #[derive(SurrealValue)]
    struct Count {
        n: i64,
    }
    let n: Option<Count> = res.take(1)?;
    Ok((rows, n.map_or(0, |c| c.n)))
}

/// Requirements whose deadline lies from `from` to `to` (the reminder job).
pub async fn due_between(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> surrealdb::Result<Vec<RequirementDb>> {
    let sql = [
        "SELECT ",
        FIELDS,
        " FROM requirement WHERE due >= $from AND due <= $to",
    ]
    .concat();
    db.query(sql)
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .check()?
        .take(0)
}

/// An active member a requirement is owed by.
#[derive(Debug, Clone, SurrealValue)]
pub struct Owing {
    pub id: RecordId,
    pub name: String,
    pub org: RecordId,
    pub org_name: String,
}

/// The active members of `orgs`, by organisation and name.
pub async fn members_of(db: &Db, orgs: Vec<RecordId>) -> surrealdb::Result<Vec<Owing>> {
    db.query(
        "SELECT id, name, org, org.name AS org_name FROM member
             WHERE org IN $orgs AND standing = 'active' ORDER BY org, name",
    )
    .bind(("orgs", orgs))
    .await?
    .check()?
    .take(0)
}

/// The active members among `ids` (those named individually), by organisation and name.
pub async fn named(db: &Db, ids: Vec<RecordId>) -> surrealdb::Result<Vec<Owing>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.query(
        "SELECT id, name, org, org.name AS org_name FROM $ids
             WHERE standing = 'active' ORDER BY org, name",
    )
    .bind(("ids", ids))
    .await?
    .check()?
    .take(0)
}

/// When each member who is done was done: for a course, the day its last item was
/// finished by those who finished every item; for an item, the day they finished it; for
/// an exam, their first passed attempt.
pub async fn done(
    db: &Db,
    kind: RequiredKind,
    what: RecordId,
) -> surrealdb::Result<Vec<(RecordId, DateTime<Utc>)>> {
    #[derive(SurrealValue)]
    struct Row {
        member: RecordId,
        n: i64,
        at: Option<DateTime<Utc>>,
    }
    let rows: Vec<Row> = match kind {
        RequiredKind::Course => {
            let mut res = db
                .query(
                    "SELECT count() AS n FROM item WHERE course = $what GROUP ALL;
                     SELECT member, count() AS n, time::max(completed_at) AS at FROM progress
                         WHERE course = $what AND completed_at != NONE GROUP BY member;",
                )
                .bind(("what", what))
                .await?
                .check()?;
            #[derive(SurrealValue)]
            struct Count {
                n: i64,
            }
            let total: Option<Count> = res.take(0)?;
            let total = total.map_or(0, |c| c.n);
            let rows: Vec<Row> = res.take(1)?;
            // A course with no item is done by nobody (there is nothing to have learned).
            rows.into_iter()
                .filter(|r| total > 0 && r.n >= total)
                .collect()
        }
        // The item's own progress (one record per member), completed as in a course.
        RequiredKind::Item => db
            .query(
                "SELECT member, count() AS n, time::min(completed_at) AS at FROM progress
                     WHERE item = $what AND completed_at != NONE GROUP BY member",
            )
            .bind(("what", what))
            .await?
            .check()?
            .take(0)?,
        RequiredKind::Exam => db
            .query(
                "SELECT member, count() AS n, time::min(submitted_at) AS at FROM attempt
                     WHERE exam = $what AND passed = true GROUP BY member",
            )
            .bind(("what", what))
            .await?
            .check()?
            .take(0)?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.member, r.at?)))
        .collect())
}

/// When `member` was done with the course, item or exam `what` (as [`done`]), if they were.
pub async fn done_by(
    db: &Db,
    kind: RequiredKind,
    what: Option<RecordId>,
    member: RecordId,
) -> surrealdb::Result<Option<DateTime<Utc>>> {
    let Some(what) = what else {
        return Ok(None);
    };
    #[derive(SurrealValue)]
    struct Row {
        n: i64,
        at: Option<DateTime<Utc>>,
    }
    // A course: every item finished (the total first); an item: it finished; an exam: one
    // passed attempt.
    let (sql, first) = match kind {
        RequiredKind::Course => (
            "SELECT count() AS n FROM item WHERE course = $what GROUP ALL;
             SELECT count() AS n, time::max(completed_at) AS at FROM progress
                 WHERE member = $member AND course = $what AND completed_at != NONE GROUP ALL;",
            1,
        ),
        RequiredKind::Item => (
            "SELECT count() AS n, time::min(completed_at) AS at FROM progress
                 WHERE member = $member AND item = $what AND completed_at != NONE GROUP ALL;",
            0,
        ),
        RequiredKind::Exam => (
            "SELECT count() AS n, time::min(submitted_at) AS at FROM attempt
                 WHERE member = $member AND exam = $what AND passed = true GROUP ALL;",
            0,
        ),
    };
    let mut res = db
        .query(sql)
        .bind(("what", what))
        .bind(("member", member))
        .await?
        .check()?;
    let total = if first == 1 {
        let total: Option<Row> = res.take(0)?;
        total.map_or(0, |t| t.n)
    } else {
        1
    };
    let mine: Option<Row> = res.take(first)?;
    Ok(mine
        .filter(|m| total > 0 && m.n >= total)
        .and_then(|m| m.at))
}

/// The organisation and title of the published course, the item of a published course
/// (its course's organisation), or the exam (a course's quiz while its course is
/// published), `key`.
pub async fn what(
    db: &Db,
    kind: RequiredKind,
    key: &str,
) -> surrealdb::Result<Option<(RecordId, String)>> {
    #[derive(SurrealValue)]
    struct Row {
        org: RecordId,
        title: String,
    }
    let sql = match kind {
        RequiredKind::Course => {
            "SELECT org, title FROM type::record('course', $key) WHERE state = 'published'"
        }
        RequiredKind::Item => {
            "SELECT course.org AS org, title FROM type::record('item', $key)
                 WHERE course.state = 'published'"
        }
        RequiredKind::Exam => {
            "SELECT org, title FROM type::record('exam', $key)
                 WHERE course = NONE OR course.state = 'published'"
        }
    };
    let row: Option<Row> = db
        .query(sql)
        .bind(("key", key.to_string()))
        .await?
        .check()?
        .take(0)?;
    Ok(row.map(|r| (r.org, r.title)))
}

/// A course or exam the form offers.
#[derive(Debug, Clone, SurrealValue)]
pub struct ChoiceDb {
    pub id: RecordId,
    pub title: String,
    pub org: RecordId,
    pub org_name: Option<String>,
}

/// The published courses and the exams (a course's quiz only while its course is
/// published) of `orgs` (`None`: every organisation), by title.
pub async fn choices(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
) -> surrealdb::Result<(Vec<ChoiceDb>, Vec<ChoiceDb>)> {
    let (courses, exams) = if orgs.is_some() {
        (
            "SELECT id, title, org, org.name AS org_name FROM course
                 WHERE state = 'published' AND org IN $orgs ORDER BY title LIMIT 500;",
            "SELECT id, title, org, org.name AS org_name FROM exam
                 WHERE org IN $orgs AND (course = NONE OR course.state = 'published')
                 ORDER BY title LIMIT 500;",
        )
    } else {
        (
            "SELECT id, title, org, org.name AS org_name FROM course
                 WHERE state = 'published' ORDER BY title LIMIT 500;",
            "SELECT id, title, org, org.name AS org_name FROM exam
                 WHERE course = NONE OR course.state = 'published' ORDER BY title LIMIT 500;",
        )
    };
    let mut res = db
        .query([courses, exams].concat())
        .bind(("orgs", orgs.unwrap_or_default()))
        .await?
        .check()?;
    Ok((res.take(0)?, res.take(1)?))
}

/// Sets a requirement (new with `key`) or changes one (its organisation and what it asks
/// for stay; its organisations and members may change).
pub fn save(key: String, new: bool, valid: ValidRequirement, by: Stamp) -> Change {
    let sql = if new {
        "CREATE type::record('requirement', $r_key) CONTENT {
             org: type::record('org', $r_org), title: $r_title, course: $r_course,
             exam: $r_exam, item: $r_item, targets: $r_targets, members: $r_members,
             due: $r_due, updated_by: $r_actor, updated_at: $r_now };"
    } else {
        "UPDATE type::record('requirement', $r_key) SET title = $r_title,
             targets = $r_targets, members = $r_members, due = $r_due, updated_by = $r_actor,
             updated_at = $r_now;"
    };
    let record = |table: &str| Some(RecordId::new(table, valid.what.as_str()));
    let (course, exam, item) = match valid.kind {
        RequiredKind::Course => (record("course"), None, None),
        RequiredKind::Exam => (None, record("exam"), None),
        RequiredKind::Item => (None, None, record("item")),
    };
    let targets: Vec<RecordId> = valid
        .targets
        .iter()
        .map(|t| RecordId::new("org", t.as_str()))
        .collect();
    let members: Vec<RecordId> = valid
        .members
        .iter()
        .map(|m| RecordId::new("member", m.as_str()))
        .collect();
    Change::new(sql)
        .bind("r_key", key)
        .bind("r_org", valid.org)
        .bind("r_title", valid.title)
        .bind("r_course", course)
        .bind("r_exam", exam)
        .bind("r_item", item)
        .bind("r_targets", targets)
        .bind("r_members", members)
        .bind("r_due", valid.due)
        .bind("r_actor", by.actor)
        .bind("r_now", by.now)
}

/// Withdraws the requirement `key` (the members' progress and attempts stay).
pub fn delete(key: String) -> Change {
    Change::new("DELETE type::record('requirement', $r_key);").bind("r_key", key)
}

/// A requirement as the demo inserts it.
#[derive(Debug, Clone, SurrealValue)]
pub struct RequirementInsert {
    pub id: RecordId,
    pub org: RecordId,
    pub title: String,
    pub course: Option<RecordId>,
    pub exam: Option<RecordId>,
    pub targets: Vec<RecordId>,
    pub due: NaiveDate,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// Many requirements at once (the demo).
pub fn insert_many(rows: Vec<RequirementInsert>) -> Change {
    Change::new("INSERT INTO requirement $r_rows;").bind("r_rows", rows)
}
