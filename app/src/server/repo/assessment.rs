//! SurrealQL for the closed loop: periods and indicators, tasks, assignments and their
//! submissions, rectification items and branch scores.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::assessment::{
    AssignmentStatus, Dimension, PeriodStatus, RectificationStatus, TaskStatus,
};
use crate::models::closed_loop::RectificationSource;
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

#[derive(Debug, Clone, SurrealValue)]
pub struct PeriodRow {
    pub id: RecordId,
    pub name: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub status: PeriodStatus,
    pub stars: Vec<i64>,
}

const PERIOD_FIELDS: &str = "id, name, starts, ends, status, stars";

pub async fn periods(db: &Db) -> surrealdb::Result<Vec<PeriodRow>> {
    let mut res = db
        .query(format!(
            "SELECT {PERIOD_FIELDS} FROM period ORDER BY starts DESC"
        ))
        .await?
        .check()?;
    res.take(0)
}

pub async fn period(db: &Db, key: &str) -> surrealdb::Result<Option<PeriodRow>> {
    let mut res = db
        .query(format!(
            "SELECT {PERIOD_FIELDS} FROM ONLY type::record('period', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct IndicatorRow {
    pub id: RecordId,
    pub parent: Option<RecordId>,
    pub name: String,
    pub weight: i64,
    pub dimension: Dimension,
    pub max: i64,
    pub guidance: String,
    pub ord: i64,
}

/// A period's indicators, in their order (一级 before their 二级).
pub async fn indicators(db: &Db, period: &RecordId) -> surrealdb::Result<Vec<IndicatorRow>> {
    let mut res = db
        .query(
            "SELECT id, parent, name, weight, dimension, max, guidance, ord FROM indicator
             WHERE period = $p ORDER BY ord",
        )
        .bind(("p", period.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// An indicator as inserted.
#[derive(Debug, Clone, SurrealValue)]
pub struct IndicatorInsert {
    pub id: RecordId,
    pub period: RecordId,
    pub parent: Option<RecordId>,
    pub name: String,
    pub weight: i64,
    pub dimension: Dimension,
    pub max: i64,
    pub guidance: String,
    pub ord: i64,
}

/// What a period is written with, new or replaced.
pub struct PeriodWrite {
    pub id: RecordId,
    pub name: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub stars: Vec<i64>,
}

impl PeriodWrite {
    fn bind(self, change: Change) -> Change {
        change
            .bind("period", self.id)
            .bind("name", self.name)
            .bind("starts", self.starts)
            .bind("ends", self.ends)
            .bind("stars", self.stars)
    }
}

/// A new period and its indicator tree.
pub fn create_period(period: PeriodWrite, indicators: Vec<IndicatorInsert>, by: Stamp) -> Change {
    period
        .bind(Change::new(
            "CREATE $period CONTENT {
                 name: $name, starts: $starts, ends: $ends, status: 'open', stars: $stars,
                 created_at: $now
             };
             INSERT INTO indicator $indicators;",
        ))
        .bind("indicators", indicators)
        .bind("now", by.now)
}

/// Whether any task (a draft included) counts toward one of the period's indicators.
pub async fn period_has_tasks(db: &Db, period: &RecordId) -> surrealdb::Result<bool> {
    let mut res = db
        .query("RETURN array::len(SELECT VALUE id FROM task WHERE period = $p LIMIT 1) > 0")
        .bind(("p", period.clone()))
        .await?
        .check()?;
    Ok(res.take::<Option<bool>>(0)?.unwrap_or(false))
}

/// An open period's name, dates, thresholds and whole tree, replaced while no task counts
/// toward it (a task created meanwhile refuses the change: `tree_in_use`).
pub fn replace_period(period: PeriodWrite, indicators: Vec<IndicatorInsert>) -> Change {
    period
        .bind(Change::new(
            "IF array::len(SELECT VALUE id FROM task WHERE period = $period LIMIT 1) > 0 {
                 THROW 'zhibu-guard:tree_in_use'
             };
             LET $p = (UPDATE $period SET name = $name, starts = $starts, ends = $ends,
                 stars = $stars WHERE status = 'open' RETURN AFTER);
             IF array::len($p) = 0 { THROW 'zhibu-guard:period_changed' };
             DELETE indicator WHERE period = $period;
             INSERT INTO indicator $indicators;",
        ))
        .bind("indicators", indicators)
}

/// Closes an open period.
pub fn close_period(period: &RecordId) -> Change {
    Change::new(
        "LET $p = (UPDATE $period SET status = 'closed' WHERE status = 'open' RETURN AFTER);
         IF array::len($p) = 0 { THROW 'zhibu-guard:period_changed' };",
    )
    .bind("period", period.clone())
}

#[derive(Debug, Clone, SurrealValue)]
pub struct TaskRow {
    pub id: RecordId,
    pub period: RecordId,
    pub period_name: String,
    pub period_status: PeriodStatus,
    pub indicator: RecordId,
    pub indicator_name: String,
    pub max: i64,
    pub guidance: String,
    pub title: String,
    pub body: String,
    pub targets: Vec<RecordId>,
    pub members: Vec<RecordId>,
    pub starts: NaiveDate,
    pub deadline: NaiveDate,
    pub need_text: bool,
    pub min_links: i64,
    pub min_photos: i64,
    pub min_files: i64,
    pub status: TaskStatus,
    pub reason: String,
    pub attachments: Vec<LinkRow>,
    /// The general branch that issued it; `None` for the committee office.
    pub issuer: Option<RecordId>,
}

const TASK_FIELDS: &str = "id, period, period.name AS period_name, period.status AS period_status,
    indicator, indicator.name AS indicator_name, indicator.max AS max,
    indicator.guidance AS guidance, title, body, targets, members, starts, deadline, need_text,
    min_links, min_photos, min_files, status, reason, attachments, issuer";

pub async fn task(db: &Db, key: &str) -> surrealdb::Result<Option<TaskRow>> {
    let mut res = db
        .query(format!(
            "SELECT {TASK_FIELDS} FROM ONLY type::record('task', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// One page of tasks, nearest deadline first: every task (`orgs` `None`), or the
/// published and withdrawn ones that went to one of `orgs` or to the member `me`, and
/// those `issuers` issued.
#[allow(clippy::too_many_arguments)]
pub async fn tasks(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    me: Option<RecordId>,
    issuers: Vec<RecordId>,
    period: Option<RecordId>,
    status: Option<TaskStatus>,
    words: &str,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<TaskRow>, i64)> {
    let filter =
        "($all OR (status != 'draft' AND (targets CONTAINSANY $orgs OR members CONTAINS $me
                OR members.org CONTAINSANY $orgs))
            OR issuer IN $issuers)
        AND ($period = NONE OR period = $period) AND ($status = NONE OR status = $status)
        AND ($words = '' OR string::contains(title, $words))";
    let mut res = db
        .query(format!(
            "SELECT {TASK_FIELDS} FROM task WHERE {filter}
                 ORDER BY deadline, title LIMIT $limit START $start;
             RETURN array::len(SELECT VALUE id FROM task WHERE {filter});"
        ))
        .bind(("all", orgs.is_none()))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("issuers", issuers))
        .bind(("me", me))
        .bind(("period", period))
        .bind(("status", status))
        .bind(("words", words.to_string()))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<TaskRow> = res.take(0)?;
    let total: Option<i64> = res.take(1)?;
    Ok((rows, total.unwrap_or(0)))
}

/// Assignment counts per task and status, within `orgs` (`None`: all), and how many are
/// owed past their deadline.
#[derive(Debug, Clone, SurrealValue)]
pub struct CountRow {
    pub task: RecordId,
    pub status: AssignmentStatus,
    pub late: bool,
    pub n: i64,
}

pub async fn task_counts(
    db: &Db,
    tasks: Vec<RecordId>,
    orgs: Option<Vec<RecordId>>,
    member: Option<RecordId>,
    today: NaiveDate,
) -> surrealdb::Result<Vec<CountRow>> {
    let mut res = db
        .query(
            "SELECT task, status, (deadline < $today) AS late, count() AS n FROM assignment
             WHERE task IN $tasks AND ($all OR org IN $orgs)
                 AND ($member = NONE OR member = $member)
             GROUP BY task, status, late",
        )
        .bind(("tasks", tasks))
        .bind(("all", orgs.is_none()))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("member", member))
        .bind(("today", today))
        .await?
        .check()?;
    res.take(0)
}

/// A task as written by `save_task`.
pub struct TaskWrite {
    pub id: RecordId,
    pub period: RecordId,
    pub indicator: RecordId,
    pub title: String,
    pub body: String,
    pub targets: Vec<RecordId>,
    pub members: Vec<RecordId>,
    pub starts: NaiveDate,
    pub deadline: NaiveDate,
    pub need_text: bool,
    pub min_links: i64,
    pub min_photos: i64,
    pub min_files: i64,
    pub attachments: Vec<LinkRow>,
    /// Set when the task is created, never changed.
    pub issuer: Option<RecordId>,
}

/// Creates a draft task, or changes one that is still a draft.
pub fn save_task(t: TaskWrite, new: bool, by: Stamp) -> Change {
    // The indicator must still belong to the period, and the period be open, when the task
    // is written: a period's tree replaced meanwhile (`replace_period`) refuses it.
    let sql = if new {
        "IF $indicator.period != $period OR $period.status != 'open' {
             THROW 'zhibu-guard:period_changed'
         };
         CREATE $task CONTENT {
             period: $period, indicator: $indicator, title: $title, body: $body,
             targets: $targets, members: $members, starts: $starts, deadline: $deadline, need_text: $need_text,
             min_links: $min_links, min_photos: $min_photos, min_files: $min_files,
             attachments: $attachments, issuer: $issuer, status: 'draft', created_by: $actor, created_at: $now
         };"
    } else {
        "IF $indicator.period != $period OR $period.status != 'open' {
             THROW 'zhibu-guard:period_changed'
         };
         LET $t = (UPDATE $task SET period = $period, indicator = $indicator, title = $title,
             body = $body, targets = $targets, members = $members, starts = $starts, deadline = $deadline,
             need_text = $need_text, min_links = $min_links, min_photos = $min_photos,
             min_files = $min_files, attachments = $attachments
             WHERE status = 'draft' RETURN AFTER);
         IF array::len($t) = 0 { THROW 'zhibu-guard:task_changed' };"
    };
    Change::new(sql)
        .bind("task", t.id)
        .bind("period", t.period)
        .bind("indicator", t.indicator)
        .bind("title", t.title)
        .bind("body", t.body)
        .bind("targets", t.targets)
        .bind("members", t.members)
        .bind("starts", t.starts)
        .bind("deadline", t.deadline)
        .bind("need_text", t.need_text)
        .bind("min_links", t.min_links)
        .bind("min_photos", t.min_photos)
        .bind("min_files", t.min_files)
        .bind("attachments", t.attachments)
        .bind("issuer", t.issuer)
        .bind("actor", by.actor)
        .bind("now", by.now)
}

/// An assignment as inserted when its task is published.
#[derive(Debug, Clone, SurrealValue)]
pub struct AssignmentInsert {
    pub id: RecordId,
    pub task: RecordId,
    pub period: RecordId,
    pub indicator: RecordId,
    pub org: RecordId,
    /// The member who answers it (a task to members), else `None`.
    pub member: Option<RecordId>,
    pub status: AssignmentStatus,
    pub deadline: NaiveDate,
    pub version: i64,
    /// The latest review's points (demo data; `None` when published).
    pub score: Option<i64>,
    pub text: String,
    pub links: Vec<LinkRow>,
    pub updated_at: DateTime<Utc>,
}

/// Publishes a draft with one assignment per target, in the same transaction.
/// The assignments were built from the draft as read: the guard also checks that its
/// targets, period, indicator and deadline are still those.
pub fn publish(row: &TaskRow, assignments: Vec<AssignmentInsert>, by: Stamp) -> Change {
    Change::new(
        "LET $t = (UPDATE $task SET status = 'published', published_at = $now
             WHERE status = 'draft' AND targets = $targets AND members = $members
                 AND period = $period
                 AND indicator = $indicator AND deadline = $deadline
             RETURN AFTER);
         IF array::len($t) = 0 { THROW 'zhibu-guard:task_changed' };
         INSERT INTO assignment $assignments;",
    )
    .bind("task", row.id.clone())
    .bind("targets", row.targets.clone())
    .bind("members", row.members.clone())
    .bind("period", row.period.clone())
    .bind("indicator", row.indicator.clone())
    .bind("deadline", row.deadline)
    .bind("assignments", assignments)
    .bind("now", by.now)
}

/// Withdraws a published task: what its targets still owe or await ends.
pub fn withdraw(task: &RecordId, reason: String, by: Stamp) -> Change {
    Change::new(
        "LET $t = (UPDATE $task SET status = 'withdrawn', reason = $reason
             WHERE status = 'published' RETURN AFTER);
         IF array::len($t) = 0 { THROW 'zhibu-guard:task_changed' };
         LET $ended = (UPDATE assignment SET status = 'withdrawn', score = NONE, updated_at = $now
             WHERE task = $task AND status IN ['pending', 'draft', 'returned', 'submitted']
             RETURN VALUE id);
         UPDATE rectification SET status = 'closed', note = $reason, updated_at = $now
             WHERE assignment IN $ended AND status != 'closed';",
    )
    .bind("task", task.clone())
    .bind("reason", reason)
    .bind("now", by.now)
}

/// The branches whose score a withdrawal changes: those with a reviewed assignment of the
/// task that is not accepted (a return's points stop counting).
pub async fn withdrawn_scores(db: &Db, task: &RecordId) -> surrealdb::Result<Vec<RecordId>> {
    let mut res = db
        .query(
            "SELECT VALUE org FROM assignment WHERE task = $task AND score >= 0
                 AND status IN ['returned', 'submitted']",
        )
        .bind(("task", task.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// Moves a published task's deadline, and that of every assignment not yet accepted.
pub fn extend(task: &RecordId, old: NaiveDate, deadline: NaiveDate, by: Stamp) -> Change {
    Change::new(
        "LET $t = (UPDATE $task SET deadline = $deadline
             WHERE status = 'published' AND deadline = $old RETURN AFTER);
         IF array::len($t) = 0 { THROW 'zhibu-guard:task_changed' };
         UPDATE assignment SET deadline = $deadline, updated_at = $now
             WHERE task = $task AND status != 'accepted';",
    )
    .bind("task", task.clone())
    .bind("old", old)
    .bind("deadline", deadline)
    .bind("now", by.now)
}

/// A linked record as stored in an answer.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct LinkRow {
    pub kind: String,
    pub id: String,
    pub label: String,
    pub org: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AssignmentRow {
    pub id: RecordId,
    pub task: RecordId,
    pub title: String,
    pub body: String,
    pub task_status: TaskStatus,
    pub need_text: bool,
    pub min_links: i64,
    pub min_photos: i64,
    pub min_files: i64,
    pub period: RecordId,
    pub period_status: PeriodStatus,
    pub indicator: RecordId,
    pub indicator_name: String,
    pub guidance: String,
    pub max: i64,
    pub org: RecordId,
    pub org_name: String,
    pub member: Option<RecordId>,
    pub member_name: Option<String>,
    pub status: AssignmentStatus,
    pub deadline: NaiveDate,
    pub version: i64,
    pub score: Option<i64>,
    pub text: String,
    pub links: Vec<LinkRow>,
    pub attachments: Vec<LinkRow>,
    pub issuer: Option<RecordId>,
}

const ASSIGNMENT_FIELDS: &str = "id, task, task.title AS title, task.body AS body,
    task.status AS task_status, task.need_text AS need_text, task.min_links AS min_links,
    task.min_photos AS min_photos, task.min_files AS min_files,
    period, period.status AS period_status, indicator, indicator.name AS indicator_name,
    indicator.guidance AS guidance, indicator.max AS max, org, org.name AS org_name,
    member, member.name AS member_name, status,
    deadline, version, score, text, links, task.attachments AS attachments,
    task.issuer AS issuer";

pub async fn assignment(db: &Db, key: &str) -> surrealdb::Result<Option<AssignmentRow>> {
    let mut res = db
        .query(format!(
            "SELECT {ASSIGNMENT_FIELDS} FROM ONLY type::record('assignment', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct SubmissionRow {
    pub version: i64,
    pub text: String,
    pub links: Vec<LinkRow>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub decision: Option<String>,
    pub score: Option<i64>,
    pub comment: String,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// Every submitted version of an assignment, newest first.
pub async fn submissions(db: &Db, assignment: &RecordId) -> surrealdb::Result<Vec<SubmissionRow>> {
    let mut res = db
        .query(
            "SELECT version, text, links, submitted_by, submitted_at, decision, score, comment,
                 reviewer, reviewed_at
             FROM submission WHERE assignment = $a ORDER BY version DESC",
        )
        .bind(("a", assignment.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// A submitted version linked as evidence: its task's title and its branch.
#[derive(Debug, Clone, SurrealValue)]
pub struct SubmissionRef {
    pub title: String,
    pub org: RecordId,
    pub version: i64,
}

/// The latest version of an assignment's answer, for a link to it.
pub async fn submission_ref(db: &Db, assignment: &str) -> surrealdb::Result<Option<SubmissionRef>> {
    let mut res = db
        .query(
            "SELECT task.title AS title, org, version FROM ONLY type::record('assignment', $key)
             WHERE version > 0",
        )
        .bind(("key", assignment.to_string()))
        .await?
        .check()?;
    res.take(0)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct SummaryRow {
    pub id: RecordId,
    pub task: RecordId,
    pub title: String,
    pub indicator_name: String,
    pub org_name: String,
    pub member_name: Option<String>,
    pub status: AssignmentStatus,
    pub deadline: NaiveDate,
    pub score: Option<i64>,
}

const SUMMARY_FIELDS: &str = "id, task, task.title AS title, indicator.name AS indicator_name,
    org.name AS org_name, member.name AS member_name, status, deadline, score";

/// The filters of the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Queue {
    pub orgs: Option<Vec<RecordId>>,
    /// A member's own assignments only (a member who sits on no committee).
    pub member: Option<RecordId>,
    pub task: Option<RecordId>,
    pub indicator: Option<RecordId>,
    pub period: Option<RecordId>,
    pub status: Option<AssignmentStatus>,
}

/// The conditions of the queue's filters that are set, from constant fragments (the values
/// stay bound parameters): a condition like `($task = NONE OR task = $task)` keeps
/// SurrealDB from using an index, and the office's queue by status alone is then served
/// in index order by `assignment_queue` (status, deadline).
fn queue_where(q: &Queue, with_status: bool) -> String {
    let mut conditions: Vec<&'static str> = Vec::new();
    if with_status && q.status.is_some() {
        conditions.push("status = $status");
    }
    if q.orgs.is_some() {
        conditions.push("org IN $orgs");
    }
    if q.member.is_some() {
        conditions.push("member = $member");
    }
    if q.task.is_some() {
        conditions.push("task = $task");
    }
    if q.indicator.is_some() {
        conditions.push("indicator = $indicator");
    }
    if q.period.is_some() {
        conditions.push("period = $period");
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

/// A page of the queue, nearest deadline first.
pub async fn queue_page(
    db: &Db,
    q: &Queue,
    start: i64,
    limit: i64,
) -> surrealdb::Result<Vec<SummaryRow>> {
    let filter = queue_where(q, true);
    let mut res = db
        .query(format!(
            "SELECT {SUMMARY_FIELDS} FROM assignment {filter}
                 ORDER BY deadline, id LIMIT $limit START $start"
        ))
        .bind(("orgs", q.orgs.clone().unwrap_or_default()))
        .bind(("member", q.member.clone()))
        .bind(("task", q.task.clone()))
        .bind(("indicator", q.indicator.clone()))
        .bind(("period", q.period.clone()))
        .bind(("status", q.status))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    res.take(0)
}

/// The count per status and lateness of everything matching the filters but the status
/// (the queue's total is the sum of the chosen status's rows).
pub async fn queue_counts(
    db: &Db,
    q: &Queue,
    today: NaiveDate,
) -> surrealdb::Result<Vec<CountRow>> {
    let filter = queue_where(q, false);
    let mut res = db
        .query(format!(
            "SELECT task, status, (deadline < $today) AS late, count() AS n FROM assignment
                 {filter} GROUP BY task, status, late"
        ))
        .bind(("orgs", q.orgs.clone().unwrap_or_default()))
        .bind(("member", q.member.clone()))
        .bind(("task", q.task.clone()))
        .bind(("indicator", q.indicator.clone()))
        .bind(("period", q.period.clone()))
        .bind(("today", today))
        .await?
        .check()?;
    res.take(0)
}

/// The assignments of `org` whose answer (the draft or the version submitted last) links
/// the member record `member`, latest deadline first. Answers link only records of their
/// own branch, so the branch's assignments are all there is to look through.
pub async fn citing_member(
    db: &Db,
    org: &RecordId,
    member: &str,
) -> surrealdb::Result<Vec<SummaryRow>> {
    let mut res = db
        .query(format!(
            "SELECT {SUMMARY_FIELDS} FROM assignment
             WHERE org = $o AND links[WHERE kind = 'member' AND id = $m] != []
             ORDER BY deadline DESC, id LIMIT 50"
        ))
        .bind(("o", org.clone()))
        .bind(("m", member.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// An organisation's assignments in a period.
pub async fn assignments_of(
    db: &Db,
    period: &RecordId,
    org: &RecordId,
) -> surrealdb::Result<Vec<SummaryRow>> {
    let mut res = db
        .query(format!(
            "SELECT {SUMMARY_FIELDS} FROM assignment WHERE period = $p AND org = $o
             ORDER BY deadline, id"
        ))
        .bind(("p", period.clone()))
        .bind(("o", org.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// Saves the answer being written as a draft.
pub fn save_answer(assignment: &RecordId, text: String, links: Vec<LinkRow>, by: Stamp) -> Change {
    Change::new(
        "LET $a = (UPDATE $assignment SET status = 'draft', text = $text, links = $links,
             updated_at = $now WHERE status IN ['pending', 'draft', 'returned'] RETURN AFTER);
         IF array::len($a) = 0 { THROW 'zhibu-guard:assignment_changed' };",
    )
    .bind("assignment", assignment.clone())
    .bind("text", text)
    .bind("links", links)
    .bind("now", by.now)
}

/// Submits the answer as the next version. A rectification item opened by an earlier
/// return counts as answered by it.
pub fn submit_answer(
    assignment: &RecordId,
    text: String,
    links: Vec<LinkRow>,
    by: Stamp,
) -> Change {
    Change::new(
        "LET $a = (UPDATE $assignment SET status = 'submitted', version += 1, text = $text,
             links = $links, updated_at = $now
             WHERE status IN ['pending', 'draft', 'returned'] RETURN AFTER);
         IF array::len($a) = 0 { THROW 'zhibu-guard:assignment_changed' };
         CREATE submission CONTENT {
             assignment: $assignment, version: $a[0].version, text: $text, links: $links,
             submitted_by: $actor, submitted_at: $now
         };
         UPDATE rectification SET status = 'answered', answer = $text, updated_at = $now
             WHERE assignment = $assignment AND status = 'open';",
    )
    .bind("assignment", assignment.clone())
    .bind("text", text)
    .bind("links", links)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// Scores a branch's reviewed assignments in a period: (二级 indicator, points).
#[derive(Debug, Clone, SurrealValue)]
pub struct ScoredRow {
    pub id: RecordId,
    pub task: RecordId,
    pub member: Option<RecordId>,
    pub indicator: RecordId,
    pub score: i64,
}

pub async fn scored(
    db: &Db,
    period: &RecordId,
    org: &RecordId,
) -> surrealdb::Result<Vec<ScoredRow>> {
    let mut res = db
        .query(
            "SELECT id, task, member, indicator, score FROM assignment
             WHERE period = $p AND org = $o AND score >= 0 AND status != 'withdrawn'",
        )
        .bind(("p", period.clone()))
        .bind(("o", org.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// Every reviewed assignment of a period, for the consistency check.
#[derive(Debug, Clone, SurrealValue)]
pub struct ScoredOrgRow {
    pub org: RecordId,
    pub task: RecordId,
    pub member: Option<RecordId>,
    pub indicator: RecordId,
    pub score: i64,
}

pub async fn scored_all(db: &Db, period: &RecordId) -> surrealdb::Result<Vec<ScoredOrgRow>> {
    let mut res = db
        .query("SELECT org, task, member, indicator, score FROM assignment WHERE period = $p AND score >= 0 AND status != 'withdrawn'")
        .bind(("p", period.clone()))
        .await?
        .check()?;
    res.take(0)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct BranchScoreRow {
    pub org: RecordId,
    pub total: i64,
    pub effectiveness: i64,
    pub synergy: i64,
    pub satisfaction: i64,
    pub stars: i64,
    pub rev: i64,
}

pub async fn branch_scores(db: &Db, period: &RecordId) -> surrealdb::Result<Vec<BranchScoreRow>> {
    let mut res = db
        .query(
            "SELECT org, total, effectiveness, synergy, satisfaction, stars, rev FROM branch_score
             WHERE period = $p",
        )
        .bind(("p", period.clone()))
        .await?
        .check()?;
    res.take(0)
}

/// The key of a branch's score row in a period.
pub fn score_id(period: &RecordId, org: &RecordId) -> RecordId {
    let key = |id: &RecordId| crate::server::key_string(id);
    RecordId::new("branch_score", format!("{}_{}", key(period), key(org)))
}

pub async fn branch_score(
    db: &Db,
    period: &RecordId,
    org: &RecordId,
) -> surrealdb::Result<Option<BranchScoreRow>> {
    let mut res = db
        .query("SELECT org, total, effectiveness, synergy, satisfaction, stars, rev FROM ONLY $s")
        .bind(("s", score_id(period, org)))
        .await?
        .check()?;
    res.take(0)
}

/// A review's decision and points.
pub struct Review {
    pub assignment: RecordId,
    pub version: i64,
    pub accept: bool,
    pub score: i64,
    pub comment: String,
}

/// A branch's score as it will be after the review.
pub struct ScoreWrite {
    pub period: RecordId,
    pub org: RecordId,
    /// `rev` of the row read before (0: none was there).
    pub rev: i64,
    pub total: i64,
    pub effectiveness: i64,
    pub synergy: i64,
    pub satisfaction: i64,
    pub stars: i64,
}

/// A rectification item as opened.
pub struct NewRectification {
    pub key: String,
    pub period: RecordId,
    pub org: RecordId,
    pub source: RectificationSource,
    pub assignment: Option<RecordId>,
    pub problem: String,
    pub required: String,
    pub owner: String,
    pub deadline: NaiveDate,
}

/// Records the review of one submitted version and the branch's new score; refused
/// (`reviewed`) when the version is no longer the one submitted, and (`stale`) when the
/// score row changed since it was read. Accepting closes the items an earlier return
/// opened.
pub fn review(r: Review, score: ScoreWrite, rect: Option<NewRectification>, by: Stamp) -> Change {
    let decision = if r.accept { "accept" } else { "return" };
    let status = if r.accept { "accepted" } else { "returned" };
    let mut change = Change::new(
        "LET $a = (UPDATE $assignment SET status = $status, score = $score, updated_at = $now
             WHERE status = 'submitted' AND version = $version RETURN AFTER);
         IF array::len($a) = 0 { THROW 'zhibu-guard:reviewed' };
         UPDATE submission SET decision = $decision, score = $score, comment = $comment,
             reviewer = $actor, reviewed_at = $now
             WHERE assignment = $assignment AND version = $version;
         IF $accept {
             UPDATE rectification SET status = 'closed', note = $comment, updated_at = $now
                 WHERE assignment = $assignment AND status != 'closed';
         };",
    )
    .bind("assignment", r.assignment)
    .bind("version", r.version)
    .bind("status", status)
    .bind("decision", decision)
    .bind("accept", r.accept)
    .bind("score", r.score)
    .bind("comment", r.comment)
    .bind("actor", by.actor.clone())
    .bind("now", by.now)
    .then(write_score(score, by.now));
    if let Some(rect) = rect {
        change = change.then(open_rectification(rect, by));
    }
    change
}

/// Writes a branch's score as recomputed, refused (`stale`) when the row changed since its
/// `rev` was read (or appeared, when none was there).
pub fn write_score(score: ScoreWrite, now: DateTime<Utc>) -> Change {
    let sql = if score.rev == 0 {
        "IF $s_row.rev != NONE { THROW 'zhibu-guard:stale' };
         CREATE $s_row CONTENT {
             period: $s_period, org: $s_org, total: $s_total, effectiveness: $s_eff,
             synergy: $s_syn, satisfaction: $s_sat, stars: $s_stars, rev: 1, updated_at: $s_now
         };"
    } else {
        "LET $s = (UPDATE $s_row SET total = $s_total, effectiveness = $s_eff, synergy = $s_syn,
             satisfaction = $s_sat, stars = $s_stars, rev = $s_rev + 1, updated_at = $s_now
             WHERE rev = $s_rev RETURN AFTER);
         IF array::len($s) = 0 { THROW 'zhibu-guard:stale' };"
    };
    Change::new(sql)
        .bind("s_row", score_id(&score.period, &score.org))
        .bind("s_period", score.period)
        .bind("s_org", score.org)
        .bind("s_rev", score.rev)
        .bind("s_total", score.total)
        .bind("s_eff", score.effectiveness)
        .bind("s_syn", score.synergy)
        .bind("s_sat", score.satisfaction)
        .bind("s_stars", score.stars)
        .bind("s_now", now)
}

/// Opens a rectification item.
pub fn open_rectification(r: NewRectification, by: Stamp) -> Change {
    Change::new(
        "CREATE type::record('rectification', $r_key) CONTENT {
             period: $r_period, org: $r_org, source: $r_source, assignment: $r_assignment,
             problem: $r_problem, required: $r_required, owner: $r_owner,
             deadline: $r_deadline, status: 'open', created_by: $r_actor, created_at: $r_now,
             updated_at: $r_now
         };",
    )
    .bind("r_key", r.key)
    .bind("r_period", r.period)
    .bind("r_org", r.org)
    .bind("r_source", r.source)
    .bind("r_assignment", r.assignment)
    .bind("r_problem", r.problem)
    .bind("r_required", r.required)
    .bind("r_owner", r.owner)
    .bind("r_deadline", r.deadline)
    .bind("r_actor", by.actor)
    .bind("r_now", by.now)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct RectificationRow {
    pub id: RecordId,
    pub period: RecordId,
    pub org: RecordId,
    pub org_name: String,
    pub source: RectificationSource,
    pub assignment: Option<RecordId>,
    pub problem: String,
    pub required: String,
    pub owner: String,
    pub deadline: NaiveDate,
    pub status: RectificationStatus,
    pub answer: String,
    pub links: Vec<LinkRow>,
    pub note: String,
}

const RECT_FIELDS: &str = "id, period, org, org.name AS org_name, source, assignment, problem,
    required, owner, deadline, status, answer, links, note";

pub async fn rectification(db: &Db, key: &str) -> surrealdb::Result<Option<RectificationRow>> {
    let mut res = db
        .query(format!(
            "SELECT {RECT_FIELDS} FROM ONLY type::record('rectification', $key)"
        ))
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A page of rectification items within `orgs` (`None`: all): open and answered first,
/// then by deadline. `overdue` keeps those still open past their deadline.
#[allow(clippy::too_many_arguments)]
pub async fn rectifications(
    db: &Db,
    orgs: Option<Vec<RecordId>>,
    period: Option<RecordId>,
    status: Option<RectificationStatus>,
    overdue: bool,
    today: NaiveDate,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<RectificationRow>, i64)> {
    let filter = "($all OR org IN $orgs) AND ($period = NONE OR period = $period)
        AND ($status = NONE OR status = $status)
        AND (!$overdue OR (status != 'closed' AND deadline < $today))";
    let mut res = db
        .query(format!(
            "SELECT {RECT_FIELDS}, status = 'closed' AS done FROM rectification WHERE {filter}
                 ORDER BY done, deadline, id LIMIT $limit START $start;
             RETURN array::len(SELECT VALUE id FROM rectification WHERE {filter});"
        ))
        .bind(("all", orgs.is_none()))
        .bind(("orgs", orgs.unwrap_or_default()))
        .bind(("period", period))
        .bind(("status", status))
        .bind(("overdue", overdue))
        .bind(("today", today))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<RectificationRow> = res.take(0)?;
    let total: Option<i64> = res.take(1)?;
    Ok((rows, total.unwrap_or(0)))
}

/// Moves a rectification item from `from` to `to` with the answer or the re-check note.
pub fn rectify(
    id: &RecordId,
    from: RectificationStatus,
    to: RectificationStatus,
    answer: bool,
    text: String,
    links: Vec<LinkRow>,
    by: Stamp,
) -> Change {
    // An answer replaces the evidence; a close or reopen note leaves it.
    let set = if answer {
        "answer = $text, links = $links"
    } else {
        "note = $text"
    };
    Change::new(format!(
        "LET $r = (UPDATE $rect SET status = $to, {set}, updated_at = $now
             WHERE status = $from RETURN AFTER);
         IF array::len($r) = 0 {{ THROW 'zhibu-guard:rectification_changed' }};"
    ))
    .bind("rect", id.clone())
    .bind("from", from)
    .bind("to", to)
    .bind("text", text)
    .bind("links", links)
    .bind("now", by.now)
}

/// One item of the inbox as read.
#[derive(Debug, Clone, SurrealValue)]
pub struct InboxRow {
    pub id: RecordId,
    pub title: String,
    pub org_name: String,
    pub status: String,
    pub deadline: NaiveDate,
}

/// What organisations `orgs` owe: assignments to answer or rework and open rectification
/// items (those opened by a return are answered by reworking the assignment, which
/// stands for them), nearest deadline first (at most `limit` of each), with their totals.
pub async fn owed(
    db: &Db,
    orgs: Vec<RecordId>,
    issued: Vec<RecordId>,
    today: NaiveDate,
    limit: i64,
) -> surrealdb::Result<(Vec<InboxRow>, Vec<InboxRow>, i64, i64, i64)> {
    // Assignments of tasks the caller's general branch issued are reviewed by it, and those
    // to members answered by the members: neither is owed by the committee.
    let mut res = db
        .query(
            "SELECT id, task.title AS title, org.name AS org_name, status, deadline
                 FROM assignment WHERE org IN $orgs AND status IN ['pending', 'draft', 'returned']
                     AND period.status = 'open' AND task.issuer NOT IN $issued AND member = NONE
                 ORDER BY deadline LIMIT $limit;
             SELECT id, problem AS title, org.name AS org_name, status, deadline
                 FROM rectification WHERE org IN $orgs AND status = 'open' AND source != 'return'
                 ORDER BY deadline LIMIT $limit;
             RETURN array::len(SELECT VALUE id FROM assignment
                 WHERE org IN $orgs AND status IN ['pending', 'draft', 'returned']
                     AND period.status = 'open' AND task.issuer NOT IN $issued AND member = NONE);
             RETURN array::len(SELECT VALUE id FROM rectification
                 WHERE org IN $orgs AND status = 'open' AND source != 'return');
             RETURN array::len(SELECT VALUE id FROM assignment
                     WHERE org IN $orgs AND status IN ['pending', 'draft', 'returned']
                     AND period.status = 'open' AND deadline < $today
                     AND task.issuer NOT IN $issued AND member = NONE)
                 + array::len(SELECT VALUE id FROM rectification
                     WHERE org IN $orgs AND status = 'open' AND source != 'return'
                     AND deadline < $today);",
        )
        .bind(("orgs", orgs))
        .bind(("issued", issued))
        .bind(("today", today))
        .bind(("limit", limit))
        .await?
        .check()?;
    let a: Vec<InboxRow> = res.take(0)?;
    let r: Vec<InboxRow> = res.take(1)?;
    let na: Option<i64> = res.take(2)?;
    let nr: Option<i64> = res.take(3)?;
    let late: Option<i64> = res.take(4)?;
    Ok((a, r, na.unwrap_or(0), nr.unwrap_or(0), late.unwrap_or(0)))
}

/// A member's own assignments still owed (tasks to members), nearest deadline first, with
/// how many there are and how many are late.
pub async fn owed_by_member(
    db: &Db,
    member: RecordId,
    today: NaiveDate,
    limit: i64,
) -> surrealdb::Result<(Vec<InboxRow>, i64, i64)> {
    let mut res = db
        .query(
            "SELECT id, task.title AS title, org.name AS org_name, status, deadline
                 FROM assignment WHERE member = $m AND status IN ['pending', 'draft', 'returned']
                     AND period.status = 'open'
                 ORDER BY deadline LIMIT $limit;
             RETURN array::len(SELECT VALUE id FROM assignment WHERE member = $m
                 AND status IN ['pending', 'draft', 'returned'] AND period.status = 'open');
             RETURN array::len(SELECT VALUE id FROM assignment WHERE member = $m
                 AND status IN ['pending', 'draft', 'returned'] AND period.status = 'open'
                 AND deadline < $today);",
        )
        .bind(("m", member))
        .bind(("today", today))
        .bind(("limit", limit))
        .await?
        .check()?;
    let a: Vec<InboxRow> = res.take(0)?;
    let n: Option<i64> = res.take(1)?;
    let late: Option<i64> = res.take(2)?;
    Ok((a, n.unwrap_or(0), late.unwrap_or(0)))
}

/// Members by key with their name and organisation (the members a task goes to).
#[derive(Debug, Clone, SurrealValue)]
pub struct MemberRef {
    pub id: RecordId,
    pub name: String,
    pub org: RecordId,
}

pub async fn member_refs(db: &Db, ids: Vec<RecordId>) -> surrealdb::Result<Vec<MemberRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut res = db
        .query("SELECT id, name, org FROM $ids")
        .bind(("ids", ids))
        .await?
        .check()?;
    res.take(0)
}

/// A member's own assignments (tasks to members), latest deadline first; with `org`, only
/// those filed under that branch.
pub async fn assignments_of_member(
    db: &Db,
    member: &RecordId,
    org: Option<RecordId>,
) -> surrealdb::Result<Vec<SummaryRow>> {
    let mut res = db
        .query(format!(
            "SELECT {SUMMARY_FIELDS} FROM assignment WHERE member = $m
                 AND ($org = NONE OR org = $org)
             ORDER BY deadline DESC, id LIMIT 50"
        ))
        .bind(("m", member.clone()))
        .bind(("org", org))
        .await?
        .check()?;
    res.take(0)
}

/// Submissions to tasks that general branches (`issuers`) issued, waiting for their review.
pub async fn waiting_for(
    db: &Db,
    issuers: Vec<RecordId>,
    limit: i64,
) -> surrealdb::Result<(Vec<InboxRow>, i64)> {
    let mut res = db
        .query(
            "SELECT id, task.title AS title, org.name AS org_name, status, deadline
                 FROM assignment WHERE status = 'submitted' AND task.issuer IN $issuers
                 ORDER BY deadline LIMIT $limit;
             RETURN array::len(SELECT VALUE id FROM assignment
                 WHERE status = 'submitted' AND task.issuer IN $issuers);",
        )
        .bind(("issuers", issuers))
        .bind(("limit", limit))
        .await?
        .check()?;
    let a: Vec<InboxRow> = res.take(0)?;
    let n: Option<i64> = res.take(1)?;
    Ok((a, n.unwrap_or(0)))
}

/// What the office has waiting: submissions to review and answered items to re-check.
pub async fn waiting(
    db: &Db,
    today: NaiveDate,
    limit: i64,
) -> surrealdb::Result<(Vec<InboxRow>, Vec<InboxRow>, i64, i64, i64)> {
    let mut res = db
        .query(
            "SELECT id, task.title AS title, org.name AS org_name, status, deadline
                 FROM assignment WHERE status = 'submitted' ORDER BY deadline LIMIT $limit;
             SELECT id, problem AS title, org.name AS org_name, status, deadline
                 FROM rectification WHERE status = 'answered' ORDER BY deadline LIMIT $limit;
             RETURN array::len(SELECT VALUE id FROM assignment WHERE status = 'submitted');
             RETURN array::len(SELECT VALUE id FROM rectification WHERE status = 'answered');
             RETURN array::len(SELECT VALUE id FROM rectification
                 WHERE status != 'closed' AND deadline < $today);",
        )
        .bind(("today", today))
        .bind(("limit", limit))
        .await?
        .check()?;
    let a: Vec<InboxRow> = res.take(0)?;
    let r: Vec<InboxRow> = res.take(1)?;
    let na: Option<i64> = res.take(2)?;
    let nr: Option<i64> = res.take(3)?;
    let late: Option<i64> = res.take(4)?;
    Ok((a, r, na.unwrap_or(0), nr.unwrap_or(0), late.unwrap_or(0)))
}

/// Writes a branch's score as recomputed (the consistency check's repair).
pub async fn set_score(db: &Db, w: ScoreWrite, now: DateTime<Utc>) -> surrealdb::Result<()> {
    db.query(
        "UPSERT $s SET period = $p, org = $o, total = $total, effectiveness = $eff,
             synergy = $syn, satisfaction = $sat, stars = $stars, rev = (rev ?? 0) + 1,
             updated_at = $now",
    )
    .bind(("s", score_id(&w.period, &w.org)))
    .bind(("p", w.period))
    .bind(("o", w.org))
    .bind(("total", w.total))
    .bind(("eff", w.effectiveness))
    .bind(("syn", w.synergy))
    .bind(("sat", w.satisfaction))
    .bind(("stars", w.stars))
    .bind(("now", now))
    .await?
    .check()?;
    Ok(())
}

/// The closed loop's demo records, as inserted in bulk (`server::demo::assessment`).
#[derive(Clone, Debug, Default)]
pub struct LoopInsert {
    pub periods: Vec<PeriodInsert>,
    pub indicators: Vec<IndicatorInsert>,
    pub tasks: Vec<TaskInsert>,
    pub assignments: Vec<AssignmentInsert>,
    pub submissions: Vec<SubmissionInsert>,
    pub rectifications: Vec<RectificationInsert>,
    pub scores: Vec<BranchScoreInsert>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct PeriodInsert {
    pub id: RecordId,
    pub name: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub status: PeriodStatus,
    pub stars: Vec<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct TaskInsert {
    pub id: RecordId,
    pub period: RecordId,
    pub indicator: RecordId,
    pub title: String,
    pub body: String,
    pub targets: Vec<RecordId>,
    pub members: Vec<RecordId>,
    pub starts: NaiveDate,
    pub deadline: NaiveDate,
    pub need_text: bool,
    pub min_links: i64,
    pub min_photos: i64,
    pub min_files: i64,
    pub status: TaskStatus,
    pub reason: String,
    pub issuer: Option<RecordId>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct SubmissionInsert {
    pub assignment: RecordId,
    pub version: i64,
    pub text: String,
    pub links: Vec<LinkRow>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub decision: Option<String>,
    pub score: Option<i64>,
    pub comment: String,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct RectificationInsert {
    pub id: RecordId,
    pub period: RecordId,
    pub org: RecordId,
    pub source: RectificationSource,
    pub assignment: Option<RecordId>,
    pub problem: String,
    pub required: String,
    pub owner: String,
    pub deadline: NaiveDate,
    pub status: RectificationStatus,
    pub answer: String,
    pub note: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct BranchScoreInsert {
    pub id: RecordId,
    pub period: RecordId,
    pub org: RecordId,
    pub total: i64,
    pub effectiveness: i64,
    pub synergy: i64,
    pub satisfaction: i64,
    pub stars: i64,
    pub rev: i64,
    pub updated_at: DateTime<Utc>,
}

/// Inserts the closed loop's demo records.
pub async fn insert_many(db: &Db, data: &LoopInsert) -> surrealdb::Result<()> {
    if data.periods.is_empty() {
        return Ok(());
    }
    db.query(
        "INSERT INTO period $periods;
         INSERT INTO indicator $indicators;
         INSERT INTO task $tasks;
         INSERT INTO assignment $assignments;
         INSERT INTO submission $submissions;
         INSERT INTO rectification $rectifications;
         INSERT INTO branch_score $scores;",
    )
    .bind(("periods", data.periods.clone()))
    .bind(("indicators", data.indicators.clone()))
    .bind(("tasks", data.tasks.clone()))
    .bind(("assignments", data.assignments.clone()))
    .bind(("submissions", data.submissions.clone()))
    .bind(("rectifications", data.rectifications.clone()))
    .bind(("scores", data.scores.clone()))
    .await?
    .check()?;
    Ok(())
}
