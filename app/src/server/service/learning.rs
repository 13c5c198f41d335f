//! Orchestration behind the `learning` server functions (`crate::api::learning`): courses,
//! their chapters and articles (issue 15, first step).
//!
//! Who may do what is decided by the rule's `DataScope::Learning` (`server::scope`): a
//! course is changed by the committee of its organisation (or one above it) and by the
//! office; it is read, once published, by everyone whose organisation is its organisation
//! or lies below it. A course outside both is refused like any record outside the scope.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action, china_offset};
use crate::models::learning::{
    ArticleInput, COURSE_PAGE, ChapterInput, ChapterView, CourseInput, CoursePage, CourseQuery,
    CourseRow, CourseState, CourseView, HITS_SHOWN, ItemExam, ItemKind, ItemRow, ItemView,
    LearningProblem, LearningRecord, ProgressInput, PublishInput, Publisher, QUERY_MAX, Reading,
    RecordCourse, RecordItem, SearchHit, VIDEO_PARTS, VIDEO_PARTS_NEEDED, check_body, check_course,
    check_lesson, check_title, report_points, seen_parts,
};
use crate::models::org::{OrgKind, is_valid_key};
use crate::models::{clip, page_start};
use crate::server::audit::Event;
use crate::server::repo::learning::{ArticleContent, CourseDb, CourseFilter, Found};
use crate::server::{Ctx, db_error, fail, invalid, key_string, markdown, new_key, repo, words};

/// `YYYY-MM-DD HH:MM` in China time.
pub(crate) fn china_minute(at: DateTime<Utc>) -> String {
    at.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn problem(ctx: &Ctx, p: LearningProblem) -> AppError {
    invalid(p.field(), ctx.lang.t(p.text()).to_string())
}

/// The organisations whose published courses the caller reads: their branch, the
/// organisations they serve, and every one above them.
pub(crate) fn readable(ctx: &Ctx) -> Vec<String> {
    ctx.scope
        .upward(&crate::server::scope::home_orgs(&ctx.caller))
}

/// The caller's member record, whose reading is kept (none for an office account).
pub(crate) fn member(ctx: &Ctx) -> Option<RecordId> {
    ctx.caller
        .member
        .as_deref()
        .map(|m| RecordId::new("member", m))
}

/// Whether the caller may change a course of `org`.
pub(crate) fn can_edit(ctx: &Ctx, org: &RecordId) -> bool {
    ctx.scope.org(&key_string(org))
}

/// Whether the caller may read `course`.
fn can_read(ctx: &Ctx, course: &CourseDb) -> bool {
    can_edit(ctx, &course.org)
        || (course.state == CourseState::Published
            && readable(ctx).contains(&key_string(&course.org)))
}

/// The course `id` if the caller may read it (and whether they may change it).
pub(crate) async fn readable_course(ctx: &Ctx, id: &str) -> Result<(CourseDb, bool), AppError> {
    let found = if is_valid_key(id) {
        repo::learning::course(&ctx.state.db, id, member(ctx))
            .await
            .map_err(db_error)?
    } else {
        None
    };
    match found {
        Some(c) if can_read(ctx, &c) => {
            let edit = can_edit(ctx, &c.org);
            Ok((c, edit))
        }
        None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
        _ => Err(ctx.deny("course", id).await),
    }
}

/// The course `id` if the caller may change it.
async fn editable_course(ctx: &Ctx, id: &str) -> Result<CourseDb, AppError> {
    match readable_course(ctx, id).await? {
        (c, true) => Ok(c),
        (_, false) => Err(ctx.deny("course", id).await),
    }
}

/// Where the caller may publish: the organisations in their reach, Party groups left out
/// (a group learns with its branch), in tree order.
pub(crate) async fn publishers(ctx: &Ctx) -> Result<Vec<Publisher>, AppError> {
    if matches!(ctx.scope.reach, crate::server::scope::Reach::Nothing) {
        return Ok(Vec::new());
    }
    let structure = ctx.structure().await?;
    let nodes = ctx.scope.restrict(structure.forest().to_vec());
    Ok(nodes
        .iter()
        .flat_map(|root| root.walk())
        .filter(|n| n.kind != OrgKind::Group)
        .map(|n| Publisher {
            id: n.id.clone(),
            name: n.name.clone(),
        })
        .collect())
}

fn row(c: CourseDb, tracked: bool) -> CourseRow {
    let published = c.state == CourseState::Published;
    CourseRow {
        done: (tracked && published).then(|| u32::try_from(c.done).unwrap_or(0)),
        id: key_string(&c.id),
        title: c.title,
        summary: c.summary,
        category: c.category,
        tags: c.tags,
        org_name: c.org_name.unwrap_or_default(),
        published,
        required: c.required,
        items: u32::try_from(c.items).unwrap_or(0),
        updated: china_minute(c.updated_at)[..10].to_string(),
        cover: c.cover.as_ref().map(key_string).unwrap_or_default(),
        hits: Vec::new(),
    }
}

/// Indexes the courses and items saved before search existed (run when a server starts;
/// several servers starting at once write the same words). Returns how many.
pub async fn index_unindexed(db: &crate::server::Db) -> surrealdb::Result<usize> {
    let mut done = 0;
    // A bound, not a limit met in practice (200 × 2 rows a round).
    for _ in 0..10_000 {
        let batch = repo::learning::unindexed(db).await?;
        let mut changed = 0;
        for row in batch {
            // A course's text is its summary and tags: the same words `course_words` gives.
            let search = repo::learning::item_words(&row.title, &row.text);
            // Nothing to index (a title of punctuation only): a blank, which holds no
            // word and is not picked up again.
            let search = if search.is_empty() {
                " ".to_string()
            } else {
                search
            };
            repo::learning::set_search(db, row.id, search).await?;
            changed += 1;
        }
        if changed == 0 {
            break;
        }
        done += changed;
    }
    if done > 0 {
        // The courses' whole texts hold their items' words: gathered again once.
        repo::learning::gather_all(db).await?;
    }
    Ok(done)
}

/// One page of the courses the caller reads or changes.
pub async fn list(ctx: &Ctx, query: CourseQuery) -> Result<CoursePage, AppError> {
    let page = query.page.max(1);
    let editable = match ctx.scope.orgs("") {
        Ok(None) => None,
        Ok(Some(orgs)) => Some(orgs),
        Err(()) => Some(Vec::new()),
    };
    let category = query.category.trim();
    let category = if crate::models::learning::Category::parse(category).is_some() {
        category.to_string()
    } else {
        String::new()
    };
    let filter = CourseFilter {
        editable,
        readable: readable(ctx)
            .iter()
            .map(|o| RecordId::new("org", o.as_str()))
            .collect(),
        q: clip(&query.q, QUERY_MAX).to_lowercase(),
        category,
        start: page_start(page, COURSE_PAGE),
        limit: i64::from(COURSE_PAGE),
        member: member(ctx),
    };
    let tracked = member(ctx).is_some();
    // A query of words is a search (ranked, with fragments); one of punctuation only is
    // matched as typed against titles and summaries. The words are cut from the query as
    // typed, not lowered first: the dictionary keeps B超 and C语言 whole only in capitals.
    let words = words::query_words(&clip(&query.q, QUERY_MAX));
    let (rows, total) = match words.is_empty() {
        false => search(ctx, &filter, &words, page, tracked).await?,
        true => {
            let (rows, total) = repo::learning::courses(&ctx.state.db, filter)
                .await
                .map_err(db_error)?;
            let rows = rows.into_iter().map(|c| row(c, tracked)).collect();
            (rows, u32::try_from(total).unwrap_or(u32::MAX))
        }
    };
    Ok(CoursePage {
        rows,
        total,
        page,
        publishers: publishers(ctx).await?,
    })
}

/// A search by words: the courses in the list's reach whose whole text (their own and
/// their items') holds every word, ranked by BM25 over that text, each with where it
/// matched; then those whose title or summary contains the query as typed but were not
/// found by words (a single character, part of a word), most recently changed first.
async fn search(
    ctx: &Ctx,
    filter: &CourseFilter,
    words: &[String],
    page: u32,
    tracked: bool,
) -> Result<(Vec<CourseRow>, u32), AppError> {
    let db = &ctx.state.db;
    // The two reads are independent: they run at once.
    let (found, containing) = futures::join!(
        repo::learning::search(db, filter, words),
        repo::learning::containing(db, filter)
    );
    let mut ranked: Vec<RecordId> = found
        .map_err(db_error)?
        .into_iter()
        .map(|f| f.course)
        .collect();
    let mut listed: std::collections::HashSet<RecordId> = ranked.iter().cloned().collect();
    for id in containing.map_err(db_error)? {
        if listed.insert(id.clone()) {
            ranked.push(id);
        }
    }
    let total = u32::try_from(ranked.len()).unwrap_or(u32::MAX);
    let start = usize::try_from(page_start(page, COURSE_PAGE)).unwrap_or(usize::MAX);
    let shown: Vec<RecordId> = ranked
        .into_iter()
        .skip(start)
        .take(COURSE_PAGE as usize)
        .collect();
    // Only the page's courses are searched item by item (while they are read), and only
    // the items named are read whole, for their fragments.
    let (courses, items) = futures::join!(
        repo::learning::courses_by_ids(db, shown.clone(), filter.member.clone()),
        repo::learning::items_with(db, shown, words, ITEMS_WEIGHED)
    );
    let courses = courses.map_err(db_error)?;
    let items = most_said(items.map_err(db_error)?, words);
    let texts = repo::learning::item_texts(db, items.iter().map(|f| f.item.clone()).collect())
        .await
        .map_err(db_error)?;
    let rows = courses
        .into_iter()
        .map(|c| {
            let named: Vec<&Found> = items.iter().filter(|f| f.course == c.id).collect();
            CourseRow {
                hits: hits(&c.title, &c.summary, &named, &texts, words),
                ..row(c, tracked)
            }
        })
        .collect();
    Ok((rows, total))
}

/// How many items of a course shown are weighed to name the [`HITS_SHOWN`] that say the
/// query's words most.
const ITEMS_WEIGHED: usize = 20;

/// The [`HITS_SHOWN`] items of each course that say `words` most often (ties keep the
/// order found), courses in the order found.
fn most_said(items: Vec<Found>, words: &[String]) -> Vec<Found> {
    let said = |f: &Found| {
        f.search
            .split(' ')
            .filter(|w| words.iter().any(|q| q == w))
            .count()
    };
    let mut courses: Vec<RecordId> = Vec::new();
    for f in &items {
        if !courses.contains(&f.course) {
            courses.push(f.course.clone());
        }
    }
    let mut weighed: Vec<(usize, usize, Found)> = items
        .into_iter()
        .enumerate()
        .map(|(at, f)| (said(&f), at, f))
        .collect();
    weighed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    courses
        .iter()
        .flat_map(|c| {
            weighed
                .iter()
                .filter(move |(_, _, f)| f.course == *c)
                .take(HITS_SHOWN)
                .map(|(_, _, f)| f.clone())
        })
        .collect()
}

/// Where a course matched: its `summary` (when a word is in it), then the items `named`,
/// each with a fragment around the first word found in its text (from `texts`).
fn hits(
    title: &str,
    summary: &str,
    named: &[&Found],
    texts: &[(RecordId, String)],
    words: &[String],
) -> Vec<SearchHit> {
    let own = words::fragment(summary, words).map(|fragment| SearchHit {
        item: String::new(),
        title: title.to_string(),
        fragment,
    });
    let items = named.iter().take(HITS_SHOWN).map(|f| {
        let text = texts
            .iter()
            .find(|(id, _)| *id == f.item)
            .map_or("", |(_, t)| t.as_str());
        SearchHit {
            item: key_string(&f.item),
            title: f.title.clone(),
            fragment: words::fragment(text, words).unwrap_or_default(),
        }
    });
    own.into_iter().chain(items).collect()
}

/// One course with its chapters and items.
pub async fn get(ctx: &Ctx, id: &str) -> Result<CourseView, AppError> {
    let (course, edit) = readable_course(ctx, id.trim()).await?;
    view(ctx, course, edit).await
}

async fn view(ctx: &Ctx, c: CourseDb, can_edit: bool) -> Result<CourseView, AppError> {
    let (chapters, items) = repo::learning::outline(&ctx.state.db, c.id.clone())
        .await
        .map_err(db_error)?;
    let published = c.state == CourseState::Published;
    let exams = repo::quiz::exams_of_course(&ctx.state.db, c.id.clone())
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|e| (key_string(&e.id), e.title))
        .collect();
    let reader = member(ctx).filter(|_| published);
    let finished = match reader.clone() {
        Some(m) => repo::learning::finished(&ctx.state.db, c.id.clone(), m)
            .await
            .map_err(db_error)?,
        None => Vec::new(),
    };
    let chapters = chapters
        .into_iter()
        .map(|ch| ChapterView {
            items: items
                .iter()
                .filter(|i| i.chapter == ch.id)
                .map(|i| ItemRow {
                    id: key_string(&i.id),
                    kind: i.kind,
                    title: i.title.clone(),
                    done: finished.contains(&i.id),
                })
                .collect(),
            id: key_string(&ch.id),
            title: ch.title,
        })
        .collect();
    Ok(CourseView {
        id: key_string(&c.id),
        org: key_string(&c.org),
        org_name: c.org_name.unwrap_or_default(),
        title: c.title,
        summary: c.summary,
        category: c.category,
        tags: c.tags,
        published,
        required: c.required,
        cover: c.cover.as_ref().map(key_string).unwrap_or_default(),
        chapters,
        tracked: reader.is_some(),
        exams,
        can_edit,
        updated_by: if can_edit {
            c.updated_by
        } else {
            String::new()
        },
        updated: if can_edit {
            china_minute(c.updated_at)
        } else {
            String::new()
        },
    })
}

/// Creates a course (a draft of an organisation in reach) or changes one. Returns its key.
pub async fn save(ctx: &Ctx, input: CourseInput) -> Result<String, AppError> {
    let valid = check_course(&input).map_err(|p| problem(ctx, p))?;
    let (key, change, verb) = if valid.id.is_empty() {
        if valid.org.is_empty() || !is_valid_key(&valid.org) {
            return Err(invalid("org", ctx.lang.t(T::LnErrOrg).to_string()));
        }
        let publishers = publishers(ctx).await?;
        if !publishers.iter().any(|p| p.id == valid.org) {
            // Outside the caller's reach, or a Party group: recorded as a refusal when
            // outside, a plain error when it is a group in reach.
            if !ctx.scope.org(&valid.org) {
                return Err(ctx.deny("org", &valid.org).await);
            }
            return Err(invalid("org", ctx.lang.t(T::LnErrOrg).to_string()));
        }
        let key = new_key("cs");
        let org = RecordId::new("org", valid.org.as_str());
        let cover = publisher_image(ctx, input.cover.trim(), &org, LearningProblem::Cover).await?;
        let change =
            repo::learning::create_course(key.clone(), org, valid.clone(), cover, ctx.stamp());
        (key, change, action::CREATE)
    } else {
        let course = editable_course(ctx, &valid.id).await?;
        let key = key_string(&course.id);
        let cover =
            publisher_image(ctx, input.cover.trim(), &course.org, LearningProblem::Cover).await?;
        let change = repo::learning::update_course(key.clone(), valid.clone(), cover, ctx.stamp());
        (key, change, action::UPDATE)
    };
    let event = Event::new(verb, Outcome::Success)
        .on("course", key.clone())
        .summary(valid.title.clone());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// Publishes a course (it then shows to the members it is for) or takes it back to a draft.
pub async fn publish(ctx: &Ctx, input: PublishInput) -> Result<CourseView, AppError> {
    let id = input.id.trim();
    if id.is_empty() {
        return Err(invalid("id", ctx.lang.t(T::LnErrCourse).to_string()));
    }
    let course = editable_course(ctx, id).await?;
    let key = key_string(&course.id);
    let state = if input.publish {
        CourseState::Published
    } else {
        CourseState::Draft
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("course", key.clone())
        .summary(format!("{state}: {}", course.title));
    let change = repo::learning::set_course_state(key.clone(), state, ctx.stamp());
    ctx.commit(&event, &change).await?;
    get(ctx, &key).await
}

/// Adds a chapter at the end of a course, or renames one. Returns the course.
pub async fn save_chapter(ctx: &Ctx, input: ChapterInput) -> Result<CourseView, AppError> {
    let title = check_title(&input.title).map_err(|p| problem(ctx, p))?;
    let course = editable_course(ctx, input.course.trim()).await?;
    let course_key = key_string(&course.id);
    let id = input.id.trim();
    let (key, change, verb) = if id.is_empty() {
        let key = new_key("ch");
        let change =
            repo::learning::add_chapter(key.clone(), course.id.clone(), title.clone(), ctx.stamp());
        (key, change, action::CREATE)
    } else {
        let chapter = chapter_of(ctx, id, &course).await?;
        let key = key_string(&chapter.id);
        let change = repo::learning::rename_chapter(
            key.clone(),
            course.id.clone(),
            title.clone(),
            ctx.stamp(),
        );
        (key, change, action::UPDATE)
    };
    let event = Event::new(verb, Outcome::Success)
        .on("chapter", key)
        .summary(format!("{title} ({course_key})"));
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { message }) if message == "chapters_max" => {
            return Err(invalid(
                "title",
                ctx.lang.t(T::LnErrChaptersMax).to_string(),
            ));
        }
        other => other?,
    }
    get(ctx, &course_key).await
}

/// The chapter `id` if it belongs to `course` (another course's chapter is an unknown one).
async fn chapter_of(
    ctx: &Ctx,
    id: &str,
    course: &CourseDb,
) -> Result<repo::learning::ChapterDb, AppError> {
    let found = if is_valid_key(id) {
        repo::learning::chapter(&ctx.state.db, id)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    match found {
        Some(ch) if ch.course == course.id => Ok(ch),
        _ => Err(fail(AppError::NotFound)),
    }
}

/// Adds an article at the end of a chapter, or changes one: its Markdown is rendered and
/// sanitised here, once. Returns the article's key.
pub async fn save_article(ctx: &Ctx, input: ArticleInput) -> Result<String, AppError> {
    let title = check_title(&input.title).map_err(|p| problem(ctx, p))?;
    let kind = input.kind;
    // A video's or a document's notes may be empty; an article's text may not.
    // A 党课 record's notes may be empty too (its lecturer and day are the record).
    let body = match kind {
        ItemKind::Article => check_body(&input.body),
        _ if input.body.trim().is_empty() => Ok(String::new()),
        _ => check_body(&input.body),
    }
    .map_err(|p| problem(ctx, p))?;
    let lesson = match kind {
        ItemKind::Lesson => Some(
            check_lesson(&input.lecturer, &input.given_on, ctx.today())
                .map_err(|p| problem(ctx, p))?,
        ),
        _ => None,
    };
    let html = if body.is_empty() {
        String::new()
    } else {
        markdown::render(&body)
    };
    let mut content = ArticleContent {
        kind,
        file: None,
        images: Vec::new(),
        text: markdown::plain_text(&html),
        title: title.clone(),
        body,
        html,
        lesson: None,
    };
    let id = input.id.trim();
    let (key, change, verb, course) = if id.is_empty() {
        let chapter_key = input.chapter.trim();
        let chapter = if is_valid_key(chapter_key) {
            repo::learning::chapter(&ctx.state.db, chapter_key)
                .await
                .map_err(db_error)?
        } else {
            None
        };
        let Some(chapter) = chapter else {
            return Err(invalid("chapter", ctx.lang.t(T::LnErrChapter).to_string()));
        };
        let course = editable_course(ctx, &key_string(&chapter.course)).await?;
        content.file = media_file(ctx, input.file.trim(), kind, &course).await?;
        content.images = article_images(ctx, &content.html, &course).await?;
        content.lesson = lesson_of(ctx, lesson, input.meeting.trim(), &course).await?;
        let key = new_key("it");
        let change = repo::learning::add_article(
            key.clone(),
            course.id.clone(),
            chapter.id,
            content,
            ctx.stamp(),
        );
        (key, change, action::CREATE, course)
    } else {
        let (item, course, edit) = readable_item(ctx, id).await?;
        if !edit {
            return Err(ctx.deny("course", &key_string(&course.id)).await);
        }
        if item.kind != kind {
            return Err(fail(AppError::NotFound));
        }
        content.file = media_file(ctx, input.file.trim(), kind, &course).await?;
        content.images = article_images(ctx, &content.html, &course).await?;
        content.lesson = lesson_of(ctx, lesson, input.meeting.trim(), &course).await?;
        let key = key_string(&item.id);
        let change =
            repo::learning::update_article(key.clone(), course.id.clone(), content, ctx.stamp());
        (key, change, action::UPDATE, course)
    };
    let event = Event::new(verb, Outcome::Success)
        .on("item", key.clone())
        .summary(format!("{title} ({})", key_string(&course.id)));
    match ctx.commit(&event, &change).await {
        Err(AppError::Conflict { message }) if message == "items_max" => {
            return Err(invalid("chapter", ctx.lang.t(T::LnErrItemsMax).to_string()));
        }
        other => other?,
    }
    Ok(key)
}

/// A 党课 record's lecturer and day with the meeting `meeting` it was given in (none when
/// empty): a meeting of the course's organisation or of one below it, else a refusal on
/// the field `meeting`.
async fn lesson_of(
    ctx: &Ctx,
    lesson: Option<(String, chrono::NaiveDate)>,
    meeting: &str,
    course: &CourseDb,
) -> Result<Option<(String, chrono::NaiveDate, Option<RecordId>)>, AppError> {
    let Some((lecturer, day)) = lesson else {
        return Ok(None);
    };
    if meeting.is_empty() {
        return Ok(Some((lecturer, day, None)));
    }
    let found = if is_valid_key(meeting) {
        repo::meeting::find(&ctx.state.db, meeting)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let structure = ctx.structure().await?;
    match found {
        Some(m) if structure.within(&[key_string(&course.org)], &key_string(&m.org)) => {
            Ok(Some((lecturer, day, Some(m.id))))
        }
        _ => Err(problem(ctx, LearningProblem::Meeting)),
    }
}

/// The image `key` (none when empty) if it is a JPEG or PNG of the publisher `org`
/// (uploaded for the course): a course's readers may fetch its cover and its articles'
/// images, so a file of elsewhere never becomes one. Else `problem`.
async fn publisher_image(
    ctx: &Ctx,
    key: &str,
    org: &RecordId,
    problem_if_not: LearningProblem,
) -> Result<Option<RecordId>, AppError> {
    if key.is_empty() {
        return Ok(None);
    }
    match file_row(ctx, key).await? {
        Some(row) if row.org == *org && row.file_type.is_image() => Ok(Some(row.id)),
        _ => Err(problem(ctx, problem_if_not)),
    }
}

/// The file `key` (none for a malformed key), whoever's it is: the caller checks it.
async fn file_row(
    ctx: &Ctx,
    key: &str,
) -> Result<Option<crate::server::repo::file::FileRow>, AppError> {
    if !is_valid_key(key) {
        return Ok(None);
    }
    crate::server::repo::file::find(&ctx.state.db, key)
        .await
        .map_err(db_error)
}

/// The images an article's `html` shows, each checked by [`publisher_image`].
async fn article_images(
    ctx: &Ctx,
    html: &str,
    course: &CourseDb,
) -> Result<Vec<RecordId>, AppError> {
    let mut images = Vec::new();
    for key in markdown::images(html) {
        if let Some(id) = publisher_image(ctx, &key, &course.org, LearningProblem::Image).await? {
            images.push(id);
        }
    }
    Ok(images)
}

/// The file `key` for an item of `kind` in `course` (none for an article): a file of the
/// course's publisher (uploaded for it), of the kind's type (a video, or a PDF). Anything
/// else, another organisation's file included, is a refusal on the field `file`: a
/// course's readers may fetch its files, so a file of elsewhere never becomes one.
async fn media_file(
    ctx: &Ctx,
    key: &str,
    kind: ItemKind,
    course: &CourseDb,
) -> Result<Option<RecordId>, AppError> {
    // An article has none; a 党课 record's slides or script are optional.
    if kind == ItemKind::Article || (kind == ItemKind::Lesson && key.is_empty()) {
        return Ok(None);
    }
    let found = file_row(ctx, key).await?;
    let fits = |row: &crate::server::repo::file::FileRow| {
        row.org == course.org
            && match kind {
                ItemKind::Video => row.file_type.is_video(),
                _ => row.file_type == crate::models::files::FileType::Pdf,
            }
    };
    match found {
        Some(row) if fits(&row) => Ok(Some(row.id)),
        _ => Err(problem(ctx, LearningProblem::File)),
    }
}

/// The item `id` if its course is one the caller may read, with the course and whether
/// the caller may change it.
pub async fn readable_item(
    ctx: &Ctx,
    id: &str,
) -> Result<(repo::learning::ItemDb, CourseDb, bool), AppError> {
    let found = if is_valid_key(id) {
        repo::learning::item(&ctx.state.db, id)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let Some(item) = found else {
        return Err(if ctx.scope.is_all() {
            fail(AppError::NotFound)
        } else {
            ctx.deny("item", id).await
        });
    };
    // Refused (and recorded) as its course when the course is not for the caller.
    let (course, edit) = readable_course(ctx, &key_string(&item.course)).await?;
    Ok((item, course, edit))
}

/// The quizzes on an item (本节测验), with whether the caller passed each (a member's, on a
/// published course: as their reading is kept). Titles only: no question, no key.
async fn item_exams(
    ctx: &Ctx,
    item: RecordId,
    state: CourseState,
) -> Result<Vec<ItemExam>, AppError> {
    let exams = repo::quiz::exams_of_item(&ctx.state.db, item)
        .await
        .map_err(db_error)?;
    let passed = match member(ctx).filter(|_| state == CourseState::Published) {
        Some(m) if !exams.is_empty() => {
            let ids = exams.iter().map(|e| e.id.clone()).collect();
            repo::quiz::passed(&ctx.state.db, ids, m)
                .await
                .map_err(db_error)?
        }
        _ => Vec::new(),
    };
    Ok(exams
        .into_iter()
        .map(|e| ItemExam {
            passed: passed.contains(&e.id),
            id: key_string(&e.id),
            title: e.title,
        })
        .collect())
}

/// One item to read, with its place in the course.
pub async fn item(ctx: &Ctx, id: &str) -> Result<ItemView, AppError> {
    let (item, course, edit) = readable_item(ctx, id.trim()).await?;
    let (chapters, items) = repo::learning::outline(&ctx.state.db, course.id.clone())
        .await
        .map_err(db_error)?;
    // The course's items in reading order: chapter by chapter.
    let order: Vec<&RecordId> = chapters
        .iter()
        .flat_map(|ch| items.iter().filter(move |i| i.chapter == ch.id))
        .map(|i| &i.id)
        .collect();
    let at = order.iter().position(|i| **i == item.id);
    let neighbour = |offset: isize| -> String {
        at.and_then(|at| at.checked_add_signed(offset))
            .and_then(|n| order.get(n))
            .map(|i| key_string(i))
            .unwrap_or_default()
    };
    let reading = match member(ctx).filter(|_| course.state == CourseState::Published) {
        Some(m) => Some(
            repo::learning::progress(&ctx.state.db, &key_string(&item.id), &key_string(&m))
                .await
                .map_err(db_error)?
                .map(reading_of)
                .unwrap_or_default(),
        ),
        None => None,
    };
    let (file, file_name) = match &item.file {
        Some(f) => {
            let name = crate::server::repo::file::find(&ctx.state.db, &key_string(f))
                .await
                .map_err(db_error)?
                .map(|row| row.name)
                .unwrap_or_default();
            (key_string(f), name)
        }
        None => (String::new(), String::new()),
    };
    let exams = item_exams(ctx, item.id.clone(), course.state).await?;
    Ok(ItemView {
        exams,
        reading,
        file,
        file_name,
        id: key_string(&item.id),
        kind: item.kind,
        title: item.title,
        html: item.html,
        course: key_string(&course.id),
        org: key_string(&course.org),
        course_title: course.title,
        chapter: key_string(&item.chapter),
        chapter_title: chapters
            .iter()
            .find(|ch| ch.id == item.chapter)
            .map(|ch| ch.title.clone())
            .unwrap_or_default(),
        body: if edit { item.body } else { String::new() },
        can_edit: edit,
        published: course.state == CourseState::Published,
        previous: neighbour(-1),
        next: neighbour(1),
        lecturer: item.lecturer.unwrap_or_default(),
        given_on: item
            .given_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        meeting: item.meeting.as_ref().map(key_string).unwrap_or_default(),
        meeting_label: match (item.meeting_day, item.meeting_topic) {
            (Some(day), Some(topic)) => format!("{} {topic}", day.format("%Y-%m-%d")),
            _ => String::new(),
        },
    })
}

fn reading_of(p: repo::learning::ProgressDb) -> Reading {
    let thousandths = |v: i64| u16::try_from(v.clamp(0, 1000)).unwrap_or(0);
    Reading {
        position: thousandths(p.position),
        furthest: thousandths(p.furthest),
        completed: p.completed_at.is_some(),
        seen: p
            .seen
            .map_or(0, |s| u16::try_from(s.len()).unwrap_or(VIDEO_PARTS)),
    }
}

/// Keeps where the caller is in an item of a published course they read, and whether they
/// reached its end; returns the reading as it now stands. Nothing is kept for a caller
/// with no member record (an office account reading along) or in a draft.
pub async fn report_progress(ctx: &Ctx, input: ProgressInput) -> Result<Reading, AppError> {
    let (item, course, _) = readable_item(ctx, input.item.trim()).await?;
    let Some(member) = member(ctx) else {
        return Ok(Reading::default());
    };
    if course.state != CourseState::Published {
        return Ok(Reading::default());
    }
    let (position, reached) = report_points(&input);
    // A video is finished by the parts actually played, not by reaching its end (the
    // seek bar reaches it in a moment); an article by its end coming into view.
    let video = item.kind == ItemKind::Video;
    let report = repo::learning::ProgressReport {
        seen: if video {
            seen_parts(&input.played)
        } else {
            Vec::new()
        },
        needed: if video { VIDEO_PARTS_NEEDED } else { u16::MAX },
        item: item.id,
        course: course.id,
        member,
        position,
        reached,
        end: input.end && !video,
        now: ctx.state.clock.now(),
    };
    let now = report.now;
    let (item_key, item_title, by) = (key_string(&report.item), item.title, report.member.clone());
    let stored = repo::learning::report(&ctx.state.db, report)
        .await
        .map_err(db_error)?;
    // Finished by this report (not before): points, once per item.
    if stored
        .as_ref()
        .and_then(|p| p.completed_at)
        .is_some_and(|at| (now - at).num_seconds().abs() < 2)
    {
        crate::server::service::points::award(
            &ctx.state,
            by,
            crate::models::points::PointRule::ItemDone,
            format!("item:{item_key}"),
            item_title,
        )
        .await;
    }
    Ok(stored.map(reading_of).unwrap_or_default())
}

/// Member `id`'s learning record (the caller's own when `id` is empty): the courses they
/// opened items of and the required courses for their branch, each with what they
/// finished and when. Their own, or a member in the caller's reach (as their record).
pub async fn record(ctx: &Ctx, id: &str) -> Result<LearningRecord, AppError> {
    let id = match (id.trim(), ctx.caller.member.as_deref()) {
        ("", Some(own)) => own.to_string(),
        ("", None) => return Err(fail(AppError::NotFound)),
        (id, _) => id.to_string(),
    };
    let m = crate::server::scope::record::member(ctx, &id).await?;
    // What the member may read: their branch's courses and those of every organisation
    // above it (whoever asks).
    let structure = ctx.structure().await?;
    let readable = structure
        .upward(&[key_string(&m.org)])
        .iter()
        .map(|o| RecordId::new("org", o.as_str()))
        .collect();
    let (opened, courses) = repo::learning::record(&ctx.state.db, m.id.clone(), readable)
        .await
        .map_err(db_error)?;
    let courses = courses
        .into_iter()
        .map(|c| {
            let mut items: Vec<&repo::learning::OpenedDb> =
                opened.iter().filter(|o| o.course == c.id).collect();
            items.sort_by_key(|o| {
                (
                    o.chapter.unwrap_or(i64::MAX),
                    o.position.unwrap_or(i64::MAX),
                )
            });
            let done = items.iter().filter(|o| o.completed_at.is_some()).count();
            RecordCourse {
                id: key_string(&c.id),
                title: c.title,
                required: c.required,
                done: u32::try_from(done).unwrap_or(u32::MAX),
                total: u32::try_from(c.total).unwrap_or(0),
                items: items
                    .into_iter()
                    .map(|o| RecordItem {
                        id: key_string(&o.item),
                        title: o.title.clone().unwrap_or_default(),
                        kind: o.kind.unwrap_or_default(),
                        finished: o
                            .completed_at
                            .map(|at| {
                                at.with_timezone(&china_offset())
                                    .format("%Y-%m-%d")
                                    .to_string()
                            })
                            .unwrap_or_default(),
                        seen: o
                            .seen
                            .as_ref()
                            .map_or(0, |s| u16::try_from(s.len()).unwrap_or(VIDEO_PARTS)),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(LearningRecord {
        member: key_string(&m.id),
        name: m.name,
        org_name: m.org_name,
        courses,
    })
}

/// The sanitised HTML of `body` as it would be saved (the editor's preview).
pub async fn preview(ctx: &Ctx, body: String) -> Result<String, AppError> {
    let body = check_body(&body).map_err(|p| problem(ctx, p))?;
    Ok(markdown::render(&body))
}
