//! The question bank, exams and attempts (issue 15, schema `0042_quiz`).
//!
//! Only [`questions_of_bank`] (the bank's editors) and [`keys`] (grading) read a
//! question's key; what is read for a learner ([`asked`]) leaves it out in the statement.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::learning::CourseState;
use crate::models::quiz::{Answer, Draw, ExamInput, Key, QuestionKind, ValidQuestion};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A question with its key (the bank's editors, and grading).
#[derive(Debug, Clone, SurrealValue)]
pub struct QuestionDb {
    pub id: RecordId,
    pub org: RecordId,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer_key: KeyDb,
    pub explanation: String,
    pub tags: Vec<String>,
    pub difficulty: i64,
}

#[derive(Debug, Clone, Default, SurrealValue)]
pub struct KeyDb {
    pub choices: Vec<i64>,
    pub accepted: Vec<String>,
}

impl KeyDb {
    pub fn key(&self) -> Key {
        Key {
            choices: self.choices.iter().map(|&c| c.clamp(0, 25) as u8).collect(),
            accepted: self.accepted.clone(),
        }
    }
}

fn key_db(key: &Key) -> KeyDb {
    KeyDb {
        choices: key.choices.iter().map(|&c| i64::from(c)).collect(),
        accepted: key.accepted.clone(),
    }
}

/// A question as asked: the statement reads no key.
#[derive(Debug, Clone, SurrealValue)]
pub struct AskedDb {
    pub id: RecordId,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
}

/// One page of the bank of `orgs` (with `tag`, and a stem containing `q`), newest first,
/// and how many there are.
#[tracing::instrument(skip(db))]
pub async fn questions_of_bank(
    db: &Db,
    orgs: Vec<RecordId>,
    tag: String,
    q: String,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<QuestionDb>, i64)> {
    let mut res = db
        .query(
            "LET $rows = SELECT * FROM question WHERE org IN $orgs
                 AND ($tag = '' OR $tag IN tags) AND ($q = '' OR string::contains(stem, $q));
             SELECT id, org, kind, stem, options, answer_key, explanation, tags, difficulty,
                 updated_at FROM $rows ORDER BY updated_at DESC START $start LIMIT $limit;
             RETURN count($rows);",
        )
        .bind(("orgs", orgs))
        .bind(("tag", tag))
        .bind(("q", q))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<QuestionDb> = res.take(1)?;
    let total: Option<i64> = res.take(2)?;
    Ok((rows, total.unwrap_or(0)))
}

/// The question `key` with its key (for its editors).
pub async fn question(db: &Db, key: &str) -> surrealdb::Result<Option<QuestionDb>> {
    db.query("SELECT * FROM type::record('question', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?
        .take(0)
}

/// Writes a question (new with `key`, or changed; its organisation stays).
pub fn save_question(key: String, new: bool, valid: ValidQuestion, by: Stamp) -> Change {
    let sql = if new {
        "CREATE type::record('question', $q_key) CONTENT {
             org: type::record('org', $q_org), kind: $q_kind, stem: $q_stem, options: $q_options,
             answer_key: $q_answer_key, explanation: $q_explanation, tags: $q_tags,
             difficulty: $q_difficulty, updated_by: $q_actor, updated_at: $q_now };"
    } else {
        "UPDATE type::record('question', $q_key) SET kind = $q_kind, stem = $q_stem,
             options = $q_options, answer_key = $q_answer_key, explanation = $q_explanation,
             tags = $q_tags, difficulty = $q_difficulty, updated_by = $q_actor,
             updated_at = $q_now;"
    };
    Change::new(sql)
        .bind("q_key", key)
        .bind("q_org", valid.org)
        .bind("q_kind", valid.kind)
        .bind("q_stem", valid.stem)
        .bind("q_options", valid.options)
        .bind("q_answer_key", key_db(&valid.key))
        .bind("q_explanation", valid.explanation)
        .bind("q_tags", valid.tags)
        .bind("q_difficulty", i64::from(valid.difficulty))
        .bind("q_actor", by.actor)
        .bind("q_now", by.now)
}

/// Whether any attempt drew the question (its review reads it back).
pub async fn question_used(db: &Db, id: RecordId) -> surrealdb::Result<bool> {
    let n: Option<i64> = db
        .query("RETURN count(SELECT VALUE id FROM attempt WHERE questions CONTAINS $q LIMIT 1);")
        .bind(("q", id))
        .await?
        .check()?
        .take(0)?;
    Ok(n.unwrap_or(0) > 0)
}

/// Removes a question from its bank.
pub fn delete_question(key: String) -> Change {
    Change::new("DELETE type::record('question', $q_key);").bind("q_key", key)
}

/// Many questions at once (the demo, the import), each with its organisation.
pub fn insert_questions(rows: Vec<(String, ValidQuestion)>, by: Stamp) -> Change {
    let rows: Vec<QuestionInsert> = rows
        .into_iter()
        .map(|(key, q)| QuestionInsert {
            id: RecordId::new("question", key),
            org: RecordId::new("org", q.org),
            kind: q.kind,
            stem: q.stem,
            options: q.options,
            answer_key: key_db(&q.key),
            explanation: q.explanation,
            tags: q.tags,
            difficulty: i64::from(q.difficulty),
            updated_by: by.actor.clone(),
            updated_at: by.now,
        })
        .collect();
    Change::new("INSERT INTO question $q_rows;").bind("q_rows", rows)
}

#[derive(Debug, Clone, SurrealValue)]
struct QuestionInsert {
    id: RecordId,
    org: RecordId,
    kind: QuestionKind,
    stem: String,
    options: Vec<String>,
    answer_key: KeyDb,
    explanation: String,
    tags: Vec<String>,
    difficulty: i64,
    updated_by: String,
    updated_at: DateTime<Utc>,
}

/// An exam as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct ExamDb {
    pub id: RecordId,
    pub org: RecordId,
    pub org_name: Option<String>,
    pub course: Option<RecordId>,
    pub course_title: Option<String>,
    /// The course's state: a course's quiz is only taken while its course is published.
    pub course_state: Option<CourseState>,
    /// The item of its course it belongs to (an item's quiz), and its title.
    pub item: Option<RecordId>,
    pub item_title: Option<String>,
    pub title: String,
    pub limit_minutes: i64,
    pub pass_percent: i64,
    pub attempts: i64,
    pub draws: Vec<DrawDb>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct DrawDb {
    pub tag: String,
    pub difficulty: i64,
    pub count: i64,
}

const EXAM_FIELDS: &str = "id, org, org.name AS org_name, course, course.title AS course_title,
    course.state AS course_state, item, item.title AS item_title, title, limit_minutes,
    pass_percent, attempts, draws";

/// The exam `key`.
pub async fn exam(db: &Db, key: &str) -> surrealdb::Result<Option<ExamDb>> {
    let sql = ["SELECT ", EXAM_FIELDS, " FROM type::record('exam', $key)"].concat();
    db.query(sql)
        .bind(("key", key.to_string()))
        .await?
        .check()?
        .take(0)
}

/// The exams of `course`, by title.
pub async fn exams_of_course(db: &Db, course: RecordId) -> surrealdb::Result<Vec<ExamDb>> {
    let sql = [
        "SELECT ",
        EXAM_FIELDS,
        " FROM exam WHERE course = $course ORDER BY title",
    ]
    .concat();
    db.query(sql)
        .bind(("course", course))
        .await?
        .check()?
        .take(0)
}

/// The quizzes on `item`, by title.
pub async fn exams_of_item(db: &Db, item: RecordId) -> surrealdb::Result<Vec<ExamDb>> {
    let sql = [
        "SELECT ",
        EXAM_FIELDS,
        " FROM exam WHERE item = $item ORDER BY title",
    ]
    .concat();
    db.query(sql).bind(("item", item)).await?.check()?.take(0)
}

/// Which of `exams` `member` has passed (an attempt submitted at the pass mark).
pub async fn passed(
    db: &Db,
    exams: Vec<RecordId>,
    member: RecordId,
) -> surrealdb::Result<Vec<RecordId>> {
    db.query(
        "RETURN array::distinct(SELECT VALUE exam FROM attempt
             WHERE member = $member AND exam IN $exams AND passed = true);",
    )
    .bind(("exams", exams))
    .bind(("member", member))
    .await?
    .check()?
    .take(0)
}

/// Writes an exam (new with `key`, or changed; its organisation stays).
pub fn save_exam(key: String, new: bool, exam: ExamInput, by: Stamp) -> Change {
    let sql = if new {
        "CREATE type::record('exam', $e_key) CONTENT {
             org: type::record('org', $e_org), course: $e_course, item: $e_item,
             title: $e_title,
             limit_minutes: $e_limit, pass_percent: $e_pass, attempts: $e_attempts,
             draws: $e_draws, updated_by: $e_actor, updated_at: $e_now };"
    } else {
        "UPDATE type::record('exam', $e_key) SET course = $e_course, item = $e_item,
             title = $e_title,
             limit_minutes = $e_limit, pass_percent = $e_pass, attempts = $e_attempts,
             draws = $e_draws, updated_by = $e_actor, updated_at = $e_now;"
    };
    let course = (!exam.course.is_empty()).then(|| RecordId::new("course", exam.course));
    let item = (!exam.item.is_empty()).then(|| RecordId::new("item", exam.item));
    let draws: Vec<DrawDb> = exam.draws.iter().map(draw_db).collect();
    Change::new(sql)
        .bind("e_key", key)
        .bind("e_org", exam.org)
        .bind("e_course", course)
        .bind("e_item", item)
        .bind("e_title", exam.title)
        .bind("e_limit", i64::from(exam.limit_minutes))
        .bind("e_pass", i64::from(exam.pass_percent))
        .bind("e_attempts", i64::from(exam.attempts))
        .bind("e_draws", draws)
        .bind("e_actor", by.actor)
        .bind("e_now", by.now)
}

fn draw_db(d: &Draw) -> DrawDb {
    DrawDb {
        tag: d.tag.clone(),
        difficulty: i64::from(d.difficulty),
        count: i64::from(d.count),
    }
}

/// How many questions of `org`'s bank fit `draw`.
pub async fn bank_count(db: &Db, org: RecordId, draw: &Draw) -> surrealdb::Result<i64> {
    let n: Option<i64> = db
        .query(
            "RETURN count(SELECT VALUE id FROM question WHERE org = $org
                 AND ($tag = '' OR $tag IN tags) AND ($d = 0 OR difficulty = $d));",
        )
        .bind(("org", org))
        .bind(("tag", draw.tag.clone()))
        .bind(("d", i64::from(draw.difficulty)))
        .await?
        .check()?
        .take(0)?;
    Ok(n.unwrap_or(0))
}

/// `count` questions of `org`'s bank drawn at random for `draw`, none of `taken`.
pub async fn draw(
    db: &Db,
    org: RecordId,
    draw: &Draw,
    taken: Vec<RecordId>,
) -> surrealdb::Result<Vec<RecordId>> {
    db.query(
        "RETURN (SELECT id, rand() AS r FROM question WHERE org = $org
             AND ($tag = '' OR $tag IN tags) AND ($d = 0 OR difficulty = $d)
             AND id NOTINSIDE $taken ORDER BY r LIMIT $n).id;",
    )
    .bind(("org", org))
    .bind(("tag", draw.tag.clone()))
    .bind(("d", i64::from(draw.difficulty)))
    .bind(("taken", taken))
    .bind(("n", i64::from(draw.count)))
    .await?
    .check()?
    .take(0)
}

/// An attempt as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct AttemptDb {
    pub id: RecordId,
    pub exam: RecordId,
    pub member: RecordId,
    pub n: i64,
    pub questions: Vec<RecordId>,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub answers: Vec<AnswerDb>,
    pub marks: Vec<bool>,
    pub percent: Option<i64>,
    pub passed: bool,
}

#[derive(Debug, Clone, Default, SurrealValue)]
pub struct AnswerDb {
    pub choices: Vec<i64>,
    pub text: String,
}

impl AnswerDb {
    pub fn answer(&self) -> Answer {
        Answer {
            choices: self.choices.iter().map(|&c| c.clamp(0, 25) as u8).collect(),
            text: self.text.clone(),
        }
    }
}

impl From<&Answer> for AnswerDb {
    fn from(a: &Answer) -> Self {
        AnswerDb {
            choices: a.choices.iter().map(|&c| i64::from(c)).collect(),
            text: a.text.clone(),
        }
    }
}

/// `member`'s attempts at `exam`, in order.
pub async fn attempts(
    db: &Db,
    exam: RecordId,
    member: RecordId,
) -> surrealdb::Result<Vec<AttemptDb>> {
    db.query("SELECT * FROM attempt WHERE member = $member AND exam = $exam ORDER BY n")
        .bind(("exam", exam))
        .bind(("member", member))
        .await?
        .check()?
        .take(0)
}

/// Every attempt at `exam` with its member's name and organisation, for its editors.
#[derive(Debug, Clone, SurrealValue)]
pub struct ResultDb {
    pub member: RecordId,
    pub name: Option<String>,
    pub org: Option<RecordId>,
    pub org_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub percent: Option<i64>,
    pub passed: bool,
}

pub async fn results(db: &Db, exam: RecordId) -> surrealdb::Result<Vec<ResultDb>> {
    db.query(
        "SELECT member, member.name AS name, member.org AS org, member.org.name AS org_name,
             submitted_at, percent, passed FROM attempt WHERE exam = $exam ORDER BY n",
    )
    .bind(("exam", exam))
    .await?
    .check()?
    .take(0)
}

/// The attempt `key`.
pub async fn attempt(db: &Db, key: &str) -> surrealdb::Result<Option<AttemptDb>> {
    db.query("SELECT * FROM type::record('attempt', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?
        .take(0)
}

/// Starts an attempt. Its key holds the exam, the member and the number, so the same
/// attempt started twice at once (two tabs, two app servers) is written once: the second
/// `CREATE` fails and is answered with the first.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    db: &Db,
    key: &str,
    exam: RecordId,
    member: RecordId,
    n: i64,
    questions: Vec<RecordId>,
    now: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
) -> surrealdb::Result<bool> {
    let res = db
        .query(
            "CREATE type::record('attempt', $key) CONTENT {
                 exam: $exam, member: $member, n: $n, questions: $questions,
                 started_at: $now, deadline: $deadline, answers: [], marks: [],
                 passed: false };",
        )
        .bind(("key", key.to_string()))
        .bind(("exam", exam))
        .bind(("member", member))
        .bind(("n", n))
        .bind(("questions", questions))
        .bind(("now", now))
        .bind(("deadline", deadline))
        .await?
        .check();
    match res {
        Ok(_) => Ok(true),
        Err(e) if e.to_string().contains("already exists") => Ok(false),
        Err(e) => Err(e),
    }
}

/// The questions `ids` as asked (no key), in that order.
pub async fn asked(db: &Db, ids: Vec<RecordId>) -> surrealdb::Result<Vec<AskedDb>> {
    let mut rows: Vec<AskedDb> = db
        .query("SELECT id, kind, stem, options FROM $ids")
        .bind(("ids", ids.clone()))
        .await?
        .check()?
        .take(0)?;
    rows.sort_by_key(|q| ids.iter().position(|i| *i == q.id));
    Ok(rows)
}

/// The questions `ids` with their keys (grading, and the review after it), in that order.
pub async fn keys(db: &Db, ids: Vec<RecordId>) -> surrealdb::Result<Vec<QuestionDb>> {
    let mut rows: Vec<QuestionDb> = db
        .query("SELECT * FROM $ids")
        .bind(("ids", ids.clone()))
        .await?
        .check()?
        .take(0)?;
    rows.sort_by_key(|q| ids.iter().position(|i| *i == q.id));
    Ok(rows)
}

/// Records a graded attempt, only if it is still open. Returns whether it was.
pub async fn submit(
    db: &Db,
    key: &str,
    answers: &[Answer],
    marks: Vec<bool>,
    percent: u8,
    passed: bool,
    now: DateTime<Utc>,
) -> surrealdb::Result<bool> {
    let answers: Vec<AnswerDb> = answers.iter().map(AnswerDb::from).collect();
    let done: Vec<RecordId> = db
        .query(
            "UPDATE type::record('attempt', $key) SET answers = $answers, marks = $marks,
                 percent = $percent, passed = $passed, submitted_at = $now
                 WHERE submitted_at = NONE RETURN VALUE id;",
        )
        .bind(("key", key.to_string()))
        .bind(("answers", answers))
        .bind(("marks", marks))
        .bind(("percent", i64::from(percent)))
        .bind(("passed", passed))
        .bind(("now", now))
        .await?
        .check()?
        .take(0)?;
    Ok(!done.is_empty())
}

/// Many exams at once (the demo).
pub fn insert_exams(rows: Vec<(String, ExamInput)>, by: Stamp) -> Change {
    let rows: Vec<ExamInsert> = rows
        .into_iter()
        .map(|(key, e)| ExamInsert {
            id: RecordId::new("exam", key),
            org: RecordId::new("org", e.org),
            course: (!e.course.is_empty()).then(|| RecordId::new("course", e.course)),
            title: e.title,
            limit_minutes: i64::from(e.limit_minutes),
            pass_percent: i64::from(e.pass_percent),
            attempts: i64::from(e.attempts),
            draws: e.draws.iter().map(draw_db).collect(),
            updated_by: by.actor.clone(),
            updated_at: by.now,
        })
        .collect();
    Change::new("INSERT INTO exam $e_rows;").bind("e_rows", rows)
}

#[derive(Debug, Clone, SurrealValue)]
struct ExamInsert {
    id: RecordId,
    org: RecordId,
    course: Option<RecordId>,
    title: String,
    limit_minutes: i64,
    pass_percent: i64,
    attempts: i64,
    draws: Vec<DrawDb>,
    updated_by: String,
    updated_at: DateTime<Utc>,
}
