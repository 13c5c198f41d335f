//! Courses, chapters and items (issue 15, schema `0037_learning`).

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::learning::{
    CHAPTERS_MAX, Category, CourseState, ITEMS_MAX, ItemKind, ValidCourse,
};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A course as the list and its page read it.
#[derive(Debug, Clone, SurrealValue)]
pub struct CourseDb {
    pub id: RecordId,
    pub org: RecordId,
    pub org_name: Option<String>,
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub state: CourseState,
    pub required: bool,
    /// The cover image (a file of the publisher).
    pub cover: Option<RecordId>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    pub items: i64,
    /// Items of it that `$member` has finished (0 without a member).
    pub done: i64,
}

// `items` and `done` are counted afterwards by `with_counts`: a subquery on
// `$parent.id` does not use the `item_course` index and read every item for each course
// (600 ms for 9 courses of 10,000 items; docs/learning.md, the search benchmark).
const COURSE_FIELDS: &str = "id, org, org.name AS org_name, title, summary, category, tags, state,
    required, cover, updated_by, updated_at, 0 AS items, 0 AS done";

#[derive(SurrealValue)]
struct PerCourse {
    course: RecordId,
    n: i64,
}

/// The number of items of each of the courses `ids` (by the `item_words_course` index).
async fn item_counts(db: &Db, ids: Vec<RecordId>) -> surrealdb::Result<Vec<PerCourse>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Counted over the items' narrow copies (`item_words`, one per item), not the items.
    db.query("SELECT course, count() AS n FROM item_words WHERE course IN $ids GROUP BY course")
        .bind(("ids", ids))
        .await?
        .check()?
        .take(0)
}

/// Each course's number of items and of those `member` finished, one grouped read of
/// each by the indexes (`item_course`, `progress_member_course`).
async fn with_counts(
    db: &Db,
    mut rows: Vec<CourseDb>,
    member: Option<RecordId>,
) -> surrealdb::Result<Vec<CourseDb>> {
    if rows.is_empty() {
        return Ok(rows);
    }
    let ids: Vec<RecordId> = rows.iter().map(|c| c.id.clone()).collect();
    let items = item_counts(db, ids.clone()).await?;
    let done: Vec<PerCourse> = match member {
        Some(member) => db
            .query(
                "SELECT course, count() AS n FROM progress WHERE member = $member
                     AND course IN $ids AND completed_at != NONE GROUP BY course;",
            )
            .bind(("ids", ids))
            .bind(("member", member))
            .await?
            .check()?
            .take(0)?,
        None => Vec::new(),
    };
    let of = |counts: &[PerCourse], id: &RecordId| {
        counts.iter().find(|c| c.course == *id).map_or(0, |c| c.n)
    };
    for c in &mut rows {
        c.items = of(&items, &c.id);
        c.done = of(&done, &c.id);
    }
    Ok(rows)
}

/// Which courses a list shows.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    /// Courses of these organisations in any state (`None`: of every organisation).
    pub editable: Option<Vec<RecordId>>,
    /// Published courses of these organisations.
    pub readable: Vec<RecordId>,
    /// Lower-case text that the title or the summary contains (empty: any).
    pub q: String,
    /// A category's word (empty: any).
    pub category: String,
    pub start: i64,
    pub limit: i64,
    /// The caller's member record, whose finished items are counted.
    pub member: Option<RecordId>,
}

// Every organisation (the office), or the caller's own reach: two fixed statements, so
// nothing is spliced into the text.
const EVERY: &str = "true";
const SCOPED: &str = "(org IN $editable OR (state = 'published' AND org IN $readable))";
const MATCHING: &str = "($q = '' OR string::contains(string::lowercase(title), $q)
    OR string::contains(string::lowercase(summary), $q))
    AND ($category = '' OR category = $category)";

/// One page of courses (required first, then the most recently changed) and how many match.
#[tracing::instrument(skip(db))]
pub async fn courses(db: &Db, filter: CourseFilter) -> surrealdb::Result<(Vec<CourseDb>, i64)> {
    let (all, editable) = match filter.editable {
        None => (true, Vec::new()),
        Some(orgs) => (false, orgs),
    };
    let reach = if all { EVERY } else { SCOPED };
    let sql = [
        "SELECT ",
        COURSE_FIELDS,
        " FROM course WHERE ",
        reach,
        " AND ",
        MATCHING,
        " ORDER BY required DESC, updated_at DESC LIMIT $limit START $start;
         RETURN count(SELECT VALUE id FROM course WHERE ",
        reach,
        " AND ",
        MATCHING,
        ");",
    ]
    .concat();
    let mut res = db
        .query(sql)
        .bind(("editable", editable))
        .bind(("readable", filter.readable))
        .bind(("q", filter.q))
        .bind(("category", filter.category))
        .bind(("start", filter.start))
        .bind(("limit", filter.limit))
        .await?
        .check()?;
    let rows: Vec<CourseDb> = res.take(0)?;
    let total: Option<i64> = res.take(1)?;
    Ok((
        with_counts(db, rows, filter.member).await?,
        total.unwrap_or(0),
    ))
}

/// A course that a search matched, with its BM25 score.
#[derive(Debug, Clone, SurrealValue)]
pub struct Ranked {
    pub course: RecordId,
    pub score: f64,
}

/// An item of a course that holds every word of a search.
#[derive(Debug, Clone, SurrealValue)]
pub struct Found {
    pub course: RecordId,
    pub item: RecordId,
    pub title: String,
    /// Its index words (how often it says the query's words ranks it in its course).
    pub search: String,
}

/// At most this many courses are listed for one search …
pub const SEARCH_MAX: i64 = 500;

/// At most this many words of a query are matched (`server::words::query_words` keeps 12).
const WORDS_MAX: usize = 12;

/// The courses in `filter`'s reach (and category) whose whole text (`course_text`: the
/// course's own words and its items', schema 0048) holds every one of `words` (as
/// `server::words` cuts them), best first, at most [`SEARCH_MAX`]. One document per
/// course: a common word is scored once per course, not once per article. The reach is
/// read from the same rows (their organisation, state and category), not the courses.
///
/// Scoring costs about 25 µs for each course matched (the database reads every word the
/// course holds to weigh the few asked for), so a query of common words, which matches
/// most courses, was the slow case. Yet BM25 weighs a word found in at least half of all
/// courses zero (its IDF is clamped there: see `docs/learning.md`), so when every word of
/// a query is that common every score is 0 and the order would be the order found
/// anyway. Such a query is listed without scoring ([`all_common`]).
#[tracing::instrument(skip(db))]
pub async fn search(
    db: &Db,
    filter: &CourseFilter,
    words: &[String],
) -> surrealdb::Result<Vec<Ranked>> {
    let (all, editable) = match &filter.editable {
        None => (true, Vec::new()),
        Some(orgs) => (false, orgs.clone()),
    };
    let words = &words[..words.len().min(WORDS_MAX)];
    let unscored = all_common(db, words).await?;
    let sql = [
        "SELECT course, ",
        if unscored { "0f" } else { "search::score(1)" },
        " AS score FROM course_text WHERE deep @1@ $words AND ",
        if all { EVERY } else { SCOPED },
        " AND ($category = '' OR category = $category)",
        if unscored {
            " LIMIT $most;"
        } else {
            " ORDER BY score DESC LIMIT $most;"
        },
    ]
    .concat();
    let mut res = db
        .query(sql)
        .bind(("words", words.join(" ")))
        .bind(("editable", editable))
        .bind(("readable", filter.readable.clone()))
        .bind(("category", filter.category.clone()))
        .bind(("most", SEARCH_MAX))
        .await?
        .check()?;
    res.take(0)
}

/// Course texts read to tell how common a query's words are: the first by key, and keys
/// are random (`server::new_key`), so they are a sample of courses of every age and
/// organisation.
pub const SAMPLE: i64 = 256;

/// With fewer course texts than this, a search is always scored (it costs little).
pub const SCORED_BELOW: i64 = 2 * SAMPLE;

/// Whether every word is in so many courses that BM25 weighs it zero: there are at least
/// [`SCORED_BELOW`] course texts and each word is in at least 60 % of the [`SAMPLE`] read.
/// The margin over the clamp's half makes a word wrongly judged common unlikely (three
/// standard deviations of a sample of 256), and such a word would weigh little.
pub async fn all_common(db: &Db, words: &[String]) -> surrealdb::Result<bool> {
    #[derive(SurrealValue)]
    struct Counts {
        documents: i64,
        sampled: i64,
        found: Vec<i64>,
    }
    if words.is_empty() {
        return Ok(false);
    }
    // Whole words: the stored words are joined by single blanks.
    let found = (0..words.len())
        .map(|w| format!("array::len(array::filter($texts, |$t| string::contains($t, $w{w})))"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "LET $documents = (SELECT count() FROM course_text GROUP ALL)[0].count ?? 0;
         LET $texts = IF $documents >= $below {{
             (SELECT VALUE string::concat(' ', deep, ' ') FROM course_text LIMIT $sample)
         }} ELSE {{ [] }};
         RETURN {{ documents: $documents, sampled: array::len($texts), found: [{found}] }};"
    );
    let mut query = db
        .query(sql)
        .bind(("below", SCORED_BELOW))
        .bind(("sample", SAMPLE));
    for (w, word) in words.iter().enumerate() {
        query = query.bind((format!("w{w}"), format!(" {word} ")));
    }
    let mut res = query.await?.check()?;
    let counts: Option<Counts> = res.take(2)?;
    Ok(counts.is_some_and(|c| common(c.documents, c.sampled, &c.found)))
}

/// The rule of [`all_common`], on its counts: `documents` course texts, `sampled` of them
/// read, and in how many of those each word was `found`.
pub fn common(documents: i64, sampled: i64, found: &[i64]) -> bool {
    documents >= SCORED_BELOW
        && sampled > 0
        && !found.is_empty()
        && found.iter().all(|&f| f * 5 >= sampled * 3)
}

/// For each of `courses`, up to `most` of its items whose own words hold every one of
/// `words` (in the order the index keeps them): the items a result may name. A statement
/// per course, each stopping at `most`, so a common word reads a few items, not all.
#[tracing::instrument(skip(db))]
pub async fn items_with(
    db: &Db,
    courses: Vec<RecordId>,
    words: &[String],
    most: usize,
) -> surrealdb::Result<Vec<Found>> {
    if courses.is_empty() || words.is_empty() {
        return Ok(Vec::new());
    }
    let words = &words[..words.len().min(WORDS_MAX)];
    // Whole words: the stored words are joined by single blanks.
    let all_words = (0..words.len())
        .map(|w| format!("string::contains(string::concat(' ', words, ' '), $w{w})"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let sql: String = (0..courses.len())
        .map(|c| {
            format!(
                "SELECT course, item, title, words AS search FROM item_words
                     WHERE course = $c{c} AND {all_words} LIMIT $most;"
            )
        })
        .collect();
    let mut query = db.query(sql).bind(("most", most as i64));
    for (c, course) in courses.iter().enumerate() {
        query = query.bind((format!("c{c}"), course.clone()));
    }
    for (w, word) in words.iter().enumerate() {
        query = query.bind((format!("w{w}"), format!(" {word} ")));
    }
    let mut res = query.await?.check()?;
    let mut found = Vec::new();
    for c in 0..courses.len() {
        let rows: Vec<Found> = res.take(c)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The courses in `filter`'s reach whose title or summary contains `filter.q` (at most
/// [`SEARCH_MAX`], most recently changed first): a search also lists what its words miss
/// (one character, part of a word).
#[tracing::instrument(skip(db))]
pub async fn containing(db: &Db, filter: &CourseFilter) -> surrealdb::Result<Vec<RecordId>> {
    let (all, editable) = match &filter.editable {
        None => (true, Vec::new()),
        Some(orgs) => (false, orgs.clone()),
    };
    let sql = [
        "SELECT VALUE id FROM course WHERE ",
        if all { EVERY } else { SCOPED },
        " AND ",
        MATCHING,
        " ORDER BY updated_at DESC LIMIT $most;",
    ]
    .concat();
    let mut res = db
        .query(sql)
        .bind(("editable", editable))
        .bind(("readable", filter.readable.clone()))
        .bind(("q", filter.q.clone()))
        .bind(("category", filter.category.clone()))
        .bind(("most", SEARCH_MAX))
        .await?
        .check()?;
    res.take(0)
}

/// The courses `ids`, in that order (with the items `member` has finished).
#[tracing::instrument(skip(db))]
pub async fn courses_by_ids(
    db: &Db,
    ids: Vec<RecordId>,
    member: Option<RecordId>,
) -> surrealdb::Result<Vec<CourseDb>> {
    let sql = ["SELECT ", COURSE_FIELDS, " FROM $ids"].concat();
    let mut res = db.query(sql).bind(("ids", ids.clone())).await?.check()?;
    let mut rows: Vec<CourseDb> = res.take(0)?;
    rows.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
    with_counts(db, rows, member).await
}

/// The plain text of the items `ids` (fragments are cut from it for the results shown).
pub async fn item_texts(db: &Db, ids: Vec<RecordId>) -> surrealdb::Result<Vec<(RecordId, String)>> {
    #[derive(SurrealValue)]
    struct Text {
        id: RecordId,
        text: String,
    }
    let mut res = db
        .query("SELECT id, text FROM $ids")
        .bind(("ids", ids))
        .await?
        .check()?;
    let rows: Vec<Text> = res.take(0)?;
    Ok(rows.into_iter().map(|t| (t.id, t.text)).collect())
}

/// The courses and items saved before search existed (their `search` is empty), a batch
/// at a time: the server indexes them when it starts.
#[derive(Debug, Clone, SurrealValue)]
pub struct Unindexed {
    pub id: RecordId,
    pub title: String,
    /// A course's summary and tags, an item's plain text.
    pub text: String,
}

/// Up to 200 courses and up to 200 items whose `search` is still empty.
pub async fn unindexed(db: &Db) -> surrealdb::Result<Vec<Unindexed>> {
    let mut res = db
        .query(
            "SELECT id, title, string::concat(summary, ' ', array::join(tags, ' ')) AS text
                 FROM course WHERE search = '' LIMIT 200;
             SELECT id, title, text FROM item WHERE search = '' LIMIT 200;",
        )
        .await?
        .check()?;
    let mut rows: Vec<Unindexed> = res.take(0)?;
    let items: Vec<Unindexed> = res.take(1)?;
    rows.extend(items);
    Ok(rows)
}

/// Gathers every course's whole text again (`deep`), after rows were indexed at start.
pub async fn gather_all(db: &Db) -> surrealdb::Result<()> {
    db.query(
        [
            "FOR $item IN (SELECT id, course, title, search FROM item) {",
            &item_words_of("$item"),
            "};
             FOR $course IN (SELECT VALUE id FROM course) {",
            &deep("$course"),
            "};",
        ]
        .concat(),
    )
    .await?
    .check()?;
    Ok(())
}

/// Stores the index words of the course or item `id` (kept only while they are still
/// empty: a save in between wrote its own).
pub async fn set_search(db: &Db, id: RecordId, words: String) -> surrealdb::Result<()> {
    db.query("UPDATE $id SET search = $words WHERE search = ''")
        .bind(("id", id))
        .bind(("words", words))
        .await?
        .check()?;
    Ok(())
}

/// The course `key`, if any (with the items `member` has finished).
#[tracing::instrument(skip(db))]
pub async fn course(
    db: &Db,
    key: &str,
    member: Option<RecordId>,
) -> surrealdb::Result<Option<CourseDb>> {
    let sql = [
        "SELECT ",
        COURSE_FIELDS,
        " FROM ONLY type::record('course', $key)",
    ]
    .concat();
    let mut res = db
        .query(sql)
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    let found: Option<CourseDb> = res.take(0)?;
    match found {
        Some(c) => Ok(with_counts(db, vec![c], member).await?.pop()),
        None => Ok(None),
    }
}

/// A chapter.
#[derive(Debug, Clone, SurrealValue)]
pub struct ChapterDb {
    pub id: RecordId,
    pub course: RecordId,
    pub title: String,
}

/// An item as its course's outline lists it.
#[derive(Debug, Clone, SurrealValue)]
pub struct ItemBrief {
    pub id: RecordId,
    pub chapter: RecordId,
    pub kind: ItemKind,
    pub title: String,
}

/// The chapters and the items of `course`, each in order.
#[tracing::instrument(skip(db))]
pub async fn outline(
    db: &Db,
    course: RecordId,
) -> surrealdb::Result<(Vec<ChapterDb>, Vec<ItemBrief>)> {
    let mut res = db
        .query(
            "SELECT id, course, title, position FROM chapter WHERE course = $course ORDER BY position;
             SELECT id, chapter, kind, title, position FROM item WHERE course = $course
                 ORDER BY position;",
        )
        .bind(("course", course))
        .await?
        .check()?;
    Ok((res.take(0)?, res.take(1)?))
}

/// The chapter `key`, if any.
#[tracing::instrument(skip(db))]
pub async fn chapter(db: &Db, key: &str) -> surrealdb::Result<Option<ChapterDb>> {
    let mut res = db
        .query("SELECT id, course, title FROM ONLY type::record('chapter', $key)")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// An item with its content.
#[derive(Debug, Clone, SurrealValue)]
pub struct ItemDb {
    pub id: RecordId,
    pub course: RecordId,
    pub chapter: RecordId,
    pub kind: ItemKind,
    pub title: String,
    pub body: String,
    pub html: String,
    /// A video's or a document's file.
    pub file: Option<RecordId>,
    /// A 党课 record's lecturer, day and meeting (with the meeting's day and topic).
    pub lecturer: Option<String>,
    pub given_on: Option<NaiveDate>,
    pub meeting: Option<RecordId>,
    pub meeting_day: Option<NaiveDate>,
    pub meeting_topic: Option<String>,
}

/// The item `key`, if any.
#[tracing::instrument(skip(db))]
pub async fn item(db: &Db, key: &str) -> surrealdb::Result<Option<ItemDb>> {
    let mut res = db
        .query(
            "SELECT id, course, chapter, kind, title, body, html, file, lecturer, given_on,
                 meeting, meeting.day AS meeting_day, meeting.topic AS meeting_topic
             FROM ONLY type::record('item', $key)",
        )
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A member's reading of an item as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct ProgressDb {
    pub position: i64,
    pub furthest: i64,
    pub completed_at: Option<DateTime<Utc>>,
    /// A video's parts seen (`models::learning::seen_parts`).
    pub seen: Option<Vec<i64>>,
}

/// The key of `member`'s reading of `item` (both keys).
pub fn progress_key(item: &str, member: &str) -> String {
    format!("{item}_{member}")
}

/// `member`'s reading of the item `item`, if they opened it.
#[tracing::instrument(skip(db))]
pub async fn progress(db: &Db, item: &str, member: &str) -> surrealdb::Result<Option<ProgressDb>> {
    let mut res = db
        .query(
            "SELECT position, furthest, completed_at, seen
             FROM ONLY type::record('progress', $key)",
        )
        .bind(("key", progress_key(item, member)))
        .await?
        .check()?;
    res.take(0)
}

/// The items of `course` that `member` has finished.
#[tracing::instrument(skip(db))]
pub async fn finished(
    db: &Db,
    course: RecordId,
    member: RecordId,
) -> surrealdb::Result<Vec<RecordId>> {
    let mut res = db
        .query(
            "SELECT VALUE item FROM progress
             WHERE member = $member AND course = $course AND completed_at != NONE",
        )
        .bind(("course", course))
        .bind(("member", member))
        .await?
        .check()?;
    res.take(0)
}

/// An item a member opened, for their learning record.
#[derive(Debug, Clone, SurrealValue)]
pub struct OpenedDb {
    pub item: RecordId,
    pub course: RecordId,
    pub title: Option<String>,
    pub kind: Option<ItemKind>,
    /// The item's chapter's place in the course, and its place in the chapter.
    pub chapter: Option<i64>,
    pub position: Option<i64>,
    pub completed_at: Option<DateTime<Utc>>,
    pub seen: Option<Vec<i64>>,
}

/// A course of a learning record, with its number of items.
#[derive(Debug, Clone, SurrealValue)]
pub struct RecordCourseDb {
    pub id: RecordId,
    pub title: String,
    pub required: bool,
    pub total: i64,
}

/// What `member` opened (with each item's title, kind and place in the course), and the
/// published courses of those items with the required published courses of `readable`
/// (a course taken back to a draft is not shown).
#[tracing::instrument(skip(db))]
pub async fn record(
    db: &Db,
    member: RecordId,
    readable: Vec<RecordId>,
) -> surrealdb::Result<(Vec<OpenedDb>, Vec<RecordCourseDb>)> {
    let mut res = db
        .query(
            "LET $opened = (SELECT item, course, item.title AS title, item.kind AS kind,
                 item.chapter.position AS chapter, item.position AS position, completed_at, seen
                 FROM progress WHERE member = $member);
             RETURN $opened;
             SELECT id, title, required, 0 AS total FROM course
                 WHERE state = 'published' AND (id IN $opened.course
                     OR (required AND org IN $readable))
                 ORDER BY required DESC, title;",
        )
        .bind(("member", member))
        .bind(("readable", readable))
        .await?
        .check()?;
    let opened: Vec<OpenedDb> = res.take(1)?;
    let mut courses: Vec<RecordCourseDb> = res.take(2)?;
    let totals = item_counts(db, courses.iter().map(|c| c.id.clone()).collect()).await?;
    for c in &mut courses {
        c.total = totals.iter().find(|t| t.course == c.id).map_or(0, |t| t.n);
    }
    Ok((opened, courses))
}

/// One report of a member's reading, written as one statement (not audited: reports come
/// every 15 s while anyone reads). The furthest point only grows, and a completion stays.
#[derive(Debug, Clone)]
pub struct ProgressReport {
    pub item: RecordId,
    pub course: RecordId,
    pub member: RecordId,
    /// The place and the furthest point reported (`models::learning::report_points`).
    pub position: u16,
    pub reached: u16,
    pub end: bool,
    /// A video's parts seen in this report, and how many finish it (more than there
    /// are for an article, which is finished by its end).
    pub seen: Vec<u16>,
    pub needed: u16,
    pub now: DateTime<Utc>,
}

/// Writes `report` onto what is kept; returns the reading as it now stands.
#[tracing::instrument(skip(db))]
pub async fn report(db: &Db, report: ProgressReport) -> surrealdb::Result<Option<ProgressDb>> {
    // The same member's two devices (or a page's last report and the next page's first)
    // may write the row at once; the write only ever adds (a union, a maximum, a first
    // time), so the one that lost is simply tried again.
    let mut attempt = 0;
    loop {
        match write_report(db, &report).await {
            Err(e) if attempt < 3 && is_conflict(&e) => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, "progress report retried");
            }
            other => return other,
        }
    }
}

/// Whether a write failed because another transaction wrote the same record first.
fn is_conflict(e: &surrealdb::Error) -> bool {
    let text = e.to_string().to_lowercase();
    text.contains("conflict") || text.contains("can be retried")
}

async fn write_report(db: &Db, report: &ProgressReport) -> surrealdb::Result<Option<ProgressDb>> {
    let key = progress_key(&key_of(&report.item), &key_of(&report.member));
    let mut res = db
        .query(
            "UPSERT ONLY type::record('progress', $key) SET
                 item = $item, course = $course, member = $member,
                 position = $position,
                 furthest = math::max([furthest ?? 0, $reached]),
                 opened_at = opened_at ?? $now,
                 updated_at = $now,
                 seen = array::union(seen ?? [], $seen),
                 completed_at = completed_at ?? (IF $end
                     OR array::len(array::union(seen ?? [], $seen)) >= $needed
                     { $now } ELSE { NONE })
             RETURN position, furthest, completed_at, seen;",
        )
        .bind(("key", key))
        .bind(("item", report.item.clone()))
        .bind(("course", report.course.clone()))
        .bind(("member", report.member.clone()))
        .bind(("position", i64::from(report.position)))
        .bind(("reached", i64::from(report.reached)))
        .bind(("end", report.end))
        .bind((
            "seen",
            report
                .seen
                .iter()
                .copied()
                .map(i64::from)
                .collect::<Vec<_>>(),
        ))
        .bind(("needed", i64::from(report.needed)))
        .bind(("now", report.now))
        .await?
        .check()?;
    res.take(0)
}

fn key_of(id: &RecordId) -> String {
    crate::server::key_string(id)
}

/// The index words of a course: its title (twice: a match there weighs more), summary and
/// tags.
pub fn course_words(title: &str, summary: &str, tags: &[String]) -> String {
    let tags = tags.join(" ");
    crate::server::words::index_words(&[title, title, summary, &tags])
}

/// The index words of an item: its title (twice) and its plain text.
pub fn item_words(title: &str, text: &str) -> String {
    crate::server::words::index_words(&[title, title, text])
}

/// A new course `key` of `org`, a draft, with its cover image (if any).
pub fn create_course(
    key: String,
    org: RecordId,
    valid: ValidCourse,
    cover: Option<RecordId>,
    by: Stamp,
) -> Change {
    let change = Change::new(
        [
            "CREATE type::record('course', $c_key) CONTENT {
                 org: $c_org, title: $c_title, summary: $c_summary, category: $c_category,
                 tags: $c_tags, search: $c_search, state: 'draft', required: $c_required,
                 cover: $c_cover, created_by: $c_actor, created_at: $c_now,
                 updated_by: $c_actor, updated_at: $c_now
             };
             LET $c_course = type::record('course', $c_key);",
            &deep("$c_course"),
        ]
        .concat(),
    )
    .bind("c_key", key)
    .bind("c_org", org);
    with_course_fields(change, valid, cover, by)
}

/// The course `key` as typed, its cover included (its organisation stays).
pub fn update_course(
    key: String,
    valid: ValidCourse,
    cover: Option<RecordId>,
    by: Stamp,
) -> Change {
    let change = Change::new(
        [
            "UPDATE type::record('course', $c_key) SET title = $c_title, summary = $c_summary,
                 category = $c_category, tags = $c_tags, search = $c_search,
                 required = $c_required, cover = $c_cover, updated_by = $c_actor,
                 updated_at = $c_now;
             LET $c_course = type::record('course', $c_key);",
            &deep("$c_course"),
        ]
        .concat(),
    )
    .bind("c_key", key);
    with_course_fields(change, valid, cover, by)
}

/// `change` with the values both course changes bind.
fn with_course_fields(
    change: Change,
    valid: ValidCourse,
    cover: Option<RecordId>,
    by: Stamp,
) -> Change {
    let search = course_words(&valid.title, &valid.summary, &valid.tags);
    change
        .bind("c_cover", cover)
        .bind("c_search", search)
        .bind("c_title", valid.title)
        .bind("c_summary", valid.summary)
        .bind("c_category", valid.category)
        .bind("c_tags", valid.tags)
        .bind("c_required", valid.required)
        .bind("c_actor", by.actor)
        .bind("c_now", by.now)
}

/// Publishes the course `key` (the first time stays its publication date) or takes it back
/// to a draft.
pub fn set_course_state(key: String, state: CourseState, by: Stamp) -> Change {
    Change::new(
        "UPDATE type::record('course', $s_key) SET state = $s_state,
             published_at = IF $s_state = 'published' AND published_at = NONE { $s_now } ELSE { published_at },
             updated_by = $s_actor, updated_at = $s_now;
         UPDATE type::record('course_text', $s_key) SET state = $s_state;",
    )
    .bind("s_key", key)
    .bind("s_state", state)
    .bind("s_actor", by.actor)
    .bind("s_now", by.now)
}

/// The statement that marks the course `$course` changed by `$actor` at `$now`.
const TOUCH: &str = "UPDATE $course SET updated_by = $actor, updated_at = $now;";

/// The statement that keeps the narrow copy of the item in the variable `item` (an object
/// with its `id`, `course`, `title` and `search`) that a search reads (`item_words`).
fn item_words_of(item: &str) -> String {
    format!(
        "UPSERT type::record('item_words', record::id({item}.id)) SET course = {item}.course,
             item = {item}.id, title = {item}.title, words = {item}.search;"
    )
}

/// The statement that gathers the whole text of the course in the variable `course`
/// (`$course`) for the search: its own index words and those of every item in it, into
/// `course_text` (schema 0048, 0053), after a change to either; with the course's
/// organisation, state and category, so that a search keeps to the caller's reach without
/// reading the courses. The variable holds a record, so the items are read by the
/// `item_course` index (a `$parent.id` would read every item).
///
/// Each word is kept once for each binary digit of how often the course says it (once: 1;
/// 2–3 times: 2; 4–7: 3; …): the document is the course's vocabulary, a few thousand
/// words, not its articles' tens of thousands. A search pays for every course it matches
/// by the size of its document (docs/learning.md), and BM25 still ranks a course that
/// says a word more often above one that says it less.
pub fn deep(course: &str) -> String {
    format!(
        "LET $deep_said = array::flatten(array::concat([string::split({course}.search, ' ')],
             (SELECT VALUE string::split(search, ' ') FROM item WHERE course = {course})));
         LET $deep_counts = SELECT w, count() AS n
             FROM $deep_said.filter(|$w| $w != '').map(|$w| {{ w: $w }}) GROUP BY w;
         UPSERT type::record('course_text', record::id({course})) SET course = {course},
             org = {course}.org, state = {course}.state, category = {course}.category,
             deep = array::join(array::flatten($deep_counts.map(|$c|
                 array::repeat($c.w, <int> math::floor(math::log2($c.n)) + 1))), ' ');"
    )
}

/// A new chapter `key` at the end of `course` (at most [`CHAPTERS_MAX`]).
pub fn add_chapter(key: String, course: RecordId, title: String, by: Stamp) -> Change {
    Change::new(
        [
            "LET $place = count(SELECT VALUE id FROM chapter WHERE course = $course);
             IF $place >= $most { THROW 'zhibu-guard:chapters_max' };
             CREATE type::record('chapter', $key) CONTENT {
                 course: $course, position: $place, title: $title
             };",
            TOUCH,
        ]
        .concat(),
    )
    .bind("key", key)
    .bind("course", course)
    .bind("title", title)
    .bind("most", CHAPTERS_MAX as i64)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// Renames the chapter `key` of `course`.
pub fn rename_chapter(key: String, course: RecordId, title: String, by: Stamp) -> Change {
    Change::new(
        [
            "UPDATE type::record('chapter', $key) SET title = $title;",
            TOUCH,
        ]
        .concat(),
    )
    .bind("key", key)
    .bind("course", course)
    .bind("title", title)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// An item's content as saved: its Markdown, the sanitised HTML and its plain text; a
/// video's or a document's file.
#[derive(Debug, Clone)]
pub struct ArticleContent {
    pub kind: ItemKind,
    pub file: Option<RecordId>,
    /// The images its text shows (files of the course's publisher).
    pub images: Vec<RecordId>,
    pub title: String,
    pub body: String,
    pub html: String,
    pub text: String,
    /// A 党课 record's lecturer, day and meeting.
    pub lesson: Option<(String, NaiveDate, Option<RecordId>)>,
}

/// A new article `key` at the end of `chapter` of `course` (at most [`ITEMS_MAX`]).
pub fn add_article(
    key: String,
    course: RecordId,
    chapter: RecordId,
    content: ArticleContent,
    by: Stamp,
) -> Change {
    let change = Change::new(
        [
            "LET $place = count(SELECT VALUE id FROM item WHERE chapter = $chapter);
             IF $place >= $most { THROW 'zhibu-guard:items_max' };
             CREATE type::record('item', $key) CONTENT {
                 course: $course, chapter: $chapter, position: $place, kind: $kind,
                 file: $file, images: $images, title: $title, body: $body, html: $html,
                 text: $text, search: $search,
                 lecturer: $lecturer, given_on: $given_on, meeting: $meeting,
                 updated_by: $actor, updated_at: $now
             };",
            TOUCH,
            &images_of("type::record('item', $key)", "$images"),
            "LET $words_of = (SELECT id, course, title, search FROM ONLY type::record('item', $key));",
            &item_words_of("$words_of"),
            &deep("$course"),
        ]
        .concat(),
    )
    .bind("key", key)
    .bind("chapter", chapter)
    .bind("most", ITEMS_MAX as i64);
    with_article_fields(change, course, content, by)
}

/// The article `key` of `course` as changed.
pub fn update_article(key: String, course: RecordId, content: ArticleContent, by: Stamp) -> Change {
    let change = Change::new(
        [
            "UPDATE type::record('item', $key) SET title = $title, body = $body, html = $html,
                 text = $text, search = $search, file = $file, images = $images,
                 lecturer = $lecturer,
                 given_on = $given_on, meeting = $meeting, updated_by = $actor,
                 updated_at = $now;",
            TOUCH,
            &images_of("type::record('item', $key)", "$images"),
            "LET $words_of = (SELECT id, course, title, search FROM ONLY type::record('item', $key));",
            &item_words_of("$words_of"),
            &deep("$course"),
        ]
        .concat(),
    )
    .bind("key", key);
    with_article_fields(change, course, content, by)
}

/// Statements that make the `item_image` rows of `item` (an expression of its record) the
/// files of `images` (an expression of an array), each once: who may fetch an image is
/// found by them (`repo::file::shared_with`).
fn images_of(item: &str, images: &str) -> String {
    format!(
        "DELETE item_image WHERE item = {item};
         FOR $image IN array::distinct({images} ?? []) {{
             CREATE item_image CONTENT {{ item: {item}, file: $image }};
         }};"
    )
}

/// `change` with the values both article changes bind.
fn with_article_fields(
    change: Change,
    course: RecordId,
    content: ArticleContent,
    by: Stamp,
) -> Change {
    // A 党课 record is found by its lecturer too.
    let (lecturer, given_on, meeting) = match content.lesson {
        Some((l, d, m)) => (Some(l), Some(d), m),
        None => (None, None, None),
    };
    let search = match &lecturer {
        Some(l) => item_words(&content.title, &format!("{l} {}", content.text)),
        None => item_words(&content.title, &content.text),
    };
    change
        .bind("lecturer", lecturer)
        .bind("given_on", given_on)
        .bind("meeting", meeting)
        .bind("search", search)
        .bind("kind", content.kind)
        .bind("file", content.file)
        .bind("images", content.images)
        .bind("course", course)
        .bind("title", content.title)
        .bind("body", content.body)
        .bind("html", content.html)
        .bind("text", content.text)
        .bind("actor", by.actor)
        .bind("now", by.now)
}

/// A demo course, inserted whole.
#[derive(Debug, Clone, SurrealValue)]
pub struct CourseInsert {
    pub id: RecordId,
    pub org: RecordId,
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub state: CourseState,
    pub required: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// Its index words ([`course_words`]).
    pub search: String,
    /// Its cover image (a file of `org`).
    pub cover: Option<RecordId>,
}

/// A demo chapter, inserted whole.
#[derive(Debug, Clone, SurrealValue)]
pub struct ChapterInsert {
    pub id: RecordId,
    pub course: RecordId,
    pub position: i64,
    pub title: String,
}

/// A demo item, inserted whole (its HTML rendered and sanitised already).
#[derive(Debug, Clone, SurrealValue)]
pub struct ItemInsert {
    pub id: RecordId,
    pub course: RecordId,
    pub chapter: RecordId,
    pub position: i64,
    pub kind: ItemKind,
    pub title: String,
    pub body: String,
    pub html: String,
    pub text: String,
    /// Its index words ([`item_words`]).
    pub search: String,
    /// A video's or a document's file (stored by `demo::load_files`).
    pub file: Option<RecordId>,
    /// The images an article shows ([`crate::server::markdown::images`]).
    pub images: Vec<RecordId>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A demo course's video, document or image: its file's key, publisher, name and bytes.
#[derive(Debug, Clone)]
pub struct DemoMedia {
    pub key: String,
    pub org: RecordId,
    pub name: String,
    pub bytes: Vec<u8>,
    pub at: DateTime<Utc>,
}

/// The demo's learning content.
#[derive(Debug, Clone, Default)]
pub struct DemoContent {
    pub courses: Vec<CourseInsert>,
    pub chapters: Vec<ChapterInsert>,
    pub items: Vec<ItemInsert>,
    /// The files its videos and documents show (stored with the evidence photos).
    pub media: Vec<DemoMedia>,
    /// The committee's question bank and exams (`repo::quiz`).
    pub questions: Vec<(String, crate::models::quiz::ValidQuestion)>,
    pub exams: Vec<(String, crate::models::quiz::ExamInput)>,
    /// Required learning (`repo::required`).
    pub requirements: Vec<crate::server::repo::required::RequirementInsert>,
    /// Members' progress and the points it earned (`repo::points`).
    pub progress: Vec<ProgressInsert>,
    pub points: Vec<crate::server::repo::points::PointInsert>,
}

/// A member's progress in an item as the demo inserts it.
#[derive(Debug, Clone, SurrealValue)]
pub struct ProgressInsert {
    pub id: RecordId,
    pub item: RecordId,
    pub course: RecordId,
    pub member: RecordId,
    pub position: i64,
    pub furthest: i64,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub seen: Option<Vec<i64>>,
}

/// Inserts the demo's courses, chapters and items in one transaction.
pub async fn insert_many(db: &Db, content: &DemoContent) -> surrealdb::Result<()> {
    db.query(
        [
            "BEGIN;
             INSERT INTO course $courses;
             INSERT INTO chapter $chapters;
             INSERT INTO item $items;
             INSERT INTO progress $progress;
             FOR $item IN $items {",
            &item_words_of("$item"),
            &images_of("$item.id", "$item.images"),
            "};
             FOR $course IN $courses.id {",
            &deep("$course"),
            "};
             COMMIT;",
        ]
        .concat(),
    )
    .bind(("progress", content.progress.clone()))
    .bind(("courses", content.courses.clone()))
    .bind(("chapters", content.chapters.clone()))
    .bind(("items", content.items.clone()))
    .await?
    .check()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{SAMPLE, SCORED_BELOW, common};

    #[test]
    fn a_query_is_left_unscored_only_when_every_word_is_in_most_of_many_courses() {
        // 60 % of the sample is the line: 154 of 256 is common, 153 is not.
        assert!(common(1_000, SAMPLE, &[154]));
        assert!(!common(1_000, SAMPLE, &[153]));
        // Every word must be common: one rare word makes the scores differ.
        assert!(common(1_000, SAMPLE, &[256, 200, 154]));
        assert!(!common(1_000, SAMPLE, &[256, 200, 3]));
        // Few courses are always scored, whatever their words.
        assert!(!common(SCORED_BELOW - 1, SAMPLE, &[256]));
        assert!(common(SCORED_BELOW, SAMPLE, &[256]));
        // Nothing read, or no word: scored.
        assert!(!common(1_000, 0, &[0]));
        assert!(!common(1_000, SAMPLE, &[]));
    }
}
