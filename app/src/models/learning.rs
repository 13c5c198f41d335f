//! Learning (issue 15), first step: courses made of chapters, and articles in them.
//!
//! A course belongs to the organisation that publishes it: the hospital's Party committee
//! (for everyone) or a branch (for its own members). It is a draft until its publisher
//! publishes it; members see published courses of their own organisation and of those
//! above it. An article is Markdown, rendered and sanitised on the server when it is
//! saved (`server::markdown`); the browser only ever receives the sanitised HTML.
//!
//! Learning is measured by what was learned, never by time spent: nothing here counts
//! minutes, and no list is ordered by anyone's activity.

use serde::{Deserialize, Serialize};

/// Longest title of a course, chapter or item (characters).
pub const TITLE_MAX: usize = 100;
/// Longest summary of a course.
pub const SUMMARY_MAX: usize = 500;
/// Most tags on a course, and the longest tag.
pub const TAGS_MAX: usize = 10;
pub const TAG_MAX: usize = 20;
/// Longest article body (characters of Markdown).
pub const BODY_MAX: usize = 100_000;
/// Most chapters in a course, and items in a chapter.
pub const CHAPTERS_MAX: usize = 50;
pub const ITEMS_MAX: usize = 100;
/// Courses per page of the list.
pub const COURSE_PAGE: u32 = 20;
/// Longest search text in the course list.
pub const QUERY_MAX: usize = 50;
/// A place in an item, in thousandths of its length (the end).
pub const POSITION_MAX: u16 = 1000;
/// A video is counted in this many equal parts; a part is seen when at least half of it
/// was played (`seen_parts`).
pub const VIDEO_PARTS: u16 = 100;
/// A video is finished when this many of its parts were seen (90 %).
pub const VIDEO_PARTS_NEEDED: u16 = 90;
/// Most played stretches one report carries.
pub const PLAYED_MAX: usize = 64;

word_enum! {
    /// Where a course stands.
    CourseState {
        Draft => "draft" / LnStateDraft,
        Published => "published" / LnStatePublished,
    }
}

word_enum! {
    /// What a course is about (the list's filter).
    Category {
        Theory => "theory" / LnCatTheory,
        Rules => "rules" / LnCatRules,
        History => "history" / LnCatHistory,
        Policy => "policy" / LnCatPolicy,
        Ethics => "ethics" / LnCatEthics,
        Other => "other" / LnCatOther,
    }
}

word_enum! {
    /// The four kinds of item (video, document and 党课 records come in the next steps).
    ItemKind {
        Article => "article" / LnKindArticle,
        Video => "video" / LnKindVideo,
        Document => "document" / LnKindDocument,
        Lesson => "lesson" / LnKindLesson,
    }
}

/// A new course's category until one is chosen.
impl Default for Category {
    fn default() -> Self {
        Category::Theory
    }
}

impl Default for ItemKind {
    fn default() -> Self {
        ItemKind::Article
    }
}

/// Input of `list_courses`: a search over titles and summaries, a category, a page (from 1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseQuery {
    #[serde(default)]
    pub q: String,
    /// A category's word, or empty for all.
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub page: u32,
}

/// One course in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRow {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub tags: Vec<String>,
    /// The publishing organisation's name.
    pub org_name: String,
    pub published: bool,
    pub required: bool,
    /// Items in all its chapters.
    pub items: u32,
    /// How many of them the caller has finished (`None` when no reading is kept).
    pub done: Option<u32>,
    /// Last change, `YYYY-MM-DD` China time.
    pub updated: String,
    /// The cover image's file key (`/files/<key>/thumb`), or empty.
    #[serde(default)]
    pub cover: String,
    /// Where a search found it (empty without a search): the course's own text and up to
    /// [`HITS_SHOWN`] of its items, best first.
    pub hits: Vec<SearchHit>,
}

/// How many of a course's items a search result names.
pub const HITS_SHOWN: usize = 2;

/// A place a search found: an item of the course (`item` its key) or the course's own
/// title and summary (`item` empty), with a fragment of its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub item: String,
    pub title: String,
    pub fragment: Vec<Piece>,
}

/// A piece of a fragment: plain text, or a word of the query (`hit`, drawn marked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// An organisation the caller may publish for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    pub id: String,
    pub name: String,
}

/// Answer of `list_courses`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursePage {
    pub rows: Vec<CourseRow>,
    pub total: u32,
    pub page: u32,
    /// Where the caller may publish (empty: the caller only reads).
    pub publishers: Vec<Publisher>,
}

/// Input of `save_course`: a new course (`id` empty) or a changed one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    #[serde(default)]
    pub id: String,
    /// The publishing organisation (its key). Fixed once the course exists.
    #[serde(default)]
    pub org: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub category: String,
    /// As typed: separated by commas, 、 or blanks.
    #[serde(default)]
    pub tags: String,
    /// 必学 (a checkbox: absent is false).
    #[serde(default)]
    pub required: bool,
    /// The cover image's file key (uploaded first, `POST /files`); empty for none (the
    /// form always sends it: a URL-encoded empty value reads as `None` in an `Option`, so
    /// "keep" and "remove" could not be told apart that way).
    #[serde(default)]
    pub cover: String,
}

/// A [`CourseInput`] that passed [`check_course`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCourse {
    pub id: String,
    pub org: String,
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub required: bool,
}

/// Which field is wrong, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LearningProblem {
    Title,
    Summary,
    Category,
    Tags,
    Body,
    /// A video or a document without its file, or with a file of another kind.
    File,
    /// A kind that cannot be added this way.
    Kind,
    /// A 党课 record without its lecturer (or with one over [`LECTURER_MAX`] characters).
    Lecturer,
    /// A 党课 record's day missing, malformed or ahead of today (a record of what was given).
    GivenOn,
    /// A 党课 record linked to a meeting that is not its organisation's (or none at all).
    Meeting,
    /// A cover that is not an image (JPEG or PNG) uploaded for the course's publisher.
    Cover,
    /// An image in an article that is not one uploaded for the course's publisher.
    Image,
}

impl LearningProblem {
    pub fn field(self) -> &'static str {
        match self {
            LearningProblem::Title => "title",
            LearningProblem::Summary => "summary",
            LearningProblem::Category => "category",
            LearningProblem::Tags => "tags",
            LearningProblem::Body => "body",
            LearningProblem::File => "file",
            LearningProblem::Kind => "kind",
            LearningProblem::Lecturer => "lecturer",
            LearningProblem::GivenOn => "given_on",
            LearningProblem::Meeting => "meeting",
            LearningProblem::Cover => "cover",
            LearningProblem::Image => "body",
        }
    }

    pub fn text(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            LearningProblem::Title => T::LnErrTitle,
            LearningProblem::Summary => T::LnErrSummary,
            LearningProblem::Category => T::LnErrCategory,
            LearningProblem::Tags => T::LnErrTags,
            LearningProblem::Body => T::LnErrBody,
            LearningProblem::File => T::LnErrFile,
            LearningProblem::Kind => T::LnErrKind,
            LearningProblem::Lecturer => T::LnErrLecturer,
            LearningProblem::GivenOn => T::LnErrGivenOn,
            LearningProblem::Meeting => T::LnErrMeeting,
            LearningProblem::Cover => T::LnErrCover,
            LearningProblem::Image => T::LnErrImage,
        }
    }
}

/// Longest name of a 党课's lecturer.
pub const LECTURER_MAX: usize = 30;

/// A 党课 record's lecturer (trimmed, 1 to [`LECTURER_MAX`] characters) and the day it was
/// given (`YYYY-MM-DD`, not after `today`).
pub fn check_lesson(
    lecturer: &str,
    given_on: &str,
    today: chrono::NaiveDate,
) -> Result<(String, chrono::NaiveDate), LearningProblem> {
    let lecturer = lecturer.trim();
    if lecturer.is_empty() || lecturer.chars().count() > LECTURER_MAX {
        return Err(LearningProblem::Lecturer);
    }
    let day = crate::models::wire_date::parse_date(given_on.trim())
        .filter(|d| *d <= today)
        .ok_or(LearningProblem::GivenOn)?;
    Ok((lecturer.to_string(), day))
}

/// A title: trimmed, 1 to [`TITLE_MAX`] characters.
pub fn check_title(title: &str) -> Result<String, LearningProblem> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        return Err(LearningProblem::Title);
    }
    Ok(title.to_string())
}

/// Tags as typed: split on commas (either width), 、, semicolons and blanks; each kept
/// once, in the order typed.
pub fn parse_tags(typed: &str) -> Result<Vec<String>, LearningProblem> {
    let mut tags: Vec<String> = Vec::new();
    for tag in
        typed.split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
    {
        let tag = tag.trim();
        if tag.is_empty() || tags.iter().any(|t| t == tag) {
            continue;
        }
        if tag.chars().count() > TAG_MAX {
            return Err(LearningProblem::Tags);
        }
        tags.push(tag.to_string());
    }
    if tags.len() > TAGS_MAX {
        return Err(LearningProblem::Tags);
    }
    Ok(tags)
}

/// Checks a course as typed (the organisation is checked against the caller's scope on the
/// server).
pub fn check_course(input: &CourseInput) -> Result<ValidCourse, LearningProblem> {
    let title = check_title(&input.title)?;
    // Line ends as a browser counts them (`maxlength` counts CR LF once).
    let summary = input.summary.replace("\r\n", "\n");
    let summary = summary.trim();
    if summary.chars().count() > SUMMARY_MAX {
        return Err(LearningProblem::Summary);
    }
    let category = Category::parse(input.category.trim()).ok_or(LearningProblem::Category)?;
    Ok(ValidCourse {
        id: input.id.trim().to_string(),
        org: input.org.trim().to_string(),
        title,
        summary: summary.to_string(),
        category,
        tags: parse_tags(&input.tags)?,
        required: input.required,
    })
}

/// Checks an article's body: not empty, at most [`BODY_MAX`] characters.
pub fn check_body(body: &str) -> Result<String, LearningProblem> {
    // Line ends as a browser counts them (`maxlength` counts CR LF once).
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() || body.chars().count() > BODY_MAX {
        return Err(LearningProblem::Body);
    }
    Ok(body)
}

/// One course with its chapters and items (answer of `get_course`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseView {
    pub id: String,
    pub org: String,
    pub org_name: String,
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub published: bool,
    pub required: bool,
    /// The cover image's file key, or empty.
    #[serde(default)]
    pub cover: String,
    pub chapters: Vec<ChapterView>,
    /// Whether the caller may change it (its publisher's committee, or the office).
    pub can_edit: bool,
    /// Who last changed it and when (`YYYY-MM-DD HH:MM`), for its editors.
    pub updated_by: String,
    pub updated: String,
    /// Whether the caller's reading is kept (a member, a published course): then each
    /// item's `done` says whether they finished it.
    pub tracked: bool,
    /// The course's quizzes: key and title (`models::quiz`).
    #[serde(default)]
    pub exams: Vec<(String, String)>,
}

/// A chapter and its items, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterView {
    pub id: String,
    pub title: String,
    pub items: Vec<ItemRow>,
}

/// An item in a chapter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    pub id: String,
    pub kind: ItemKind,
    pub title: String,
    /// Whether the caller has finished it.
    pub done: bool,
}

/// One member's reading of one item: where they were and whether they reached the end.
/// Never a time: learning is measured by what was read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// Where they were (thousandths of the item), to go on from there on any device.
    pub position: u16,
    /// The furthest point they reached (thousandths).
    pub furthest: u16,
    /// Whether they reached the end (once finished, always finished).
    pub completed: bool,
    /// A video's parts seen, of [`VIDEO_PARTS`] (0 for an article).
    #[serde(default)]
    pub seen: u16,
}

/// What one report writes: the reader's place and the furthest point it shows they
/// reached (the end's, when the end was seen), each at most [`POSITION_MAX`]. The
/// database keeps the furthest point of all reports and the first completion
/// (`repo::learning::report`).
pub fn report_points(input: &ProgressInput) -> (u16, u16) {
    let position = input.position.min(POSITION_MAX);
    let reached = if input.end {
        POSITION_MAX
    } else {
        input.furthest.min(POSITION_MAX).max(position)
    };
    (position, reached)
}

impl Reading {
    /// Where a reader opening the item again starts (thousandths): the furthest point
    /// they had read to, or the top once they have finished it. Not their last place: a
    /// reader scrolls back up to leave by the links at the top.
    pub fn resume_at(self) -> u16 {
        if self.completed { 0 } else { self.furthest }
    }
}

/// Input of `report_progress`: where the reader is in an item, and whether its end has
/// been seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressInput {
    pub item: String,
    /// Thousandths of the item (more than [`POSITION_MAX`] counts as the end's place).
    #[serde(default)]
    pub position: u16,
    /// The furthest place the page saw since it opened (thousandths): a reader who read
    /// halfway and went back to the top to leave has still read halfway.
    #[serde(default)]
    pub furthest: u16,
    #[serde(default)]
    pub end: bool,
    /// A video's stretches actually played since the page opened, in thousandths (the
    /// player's `played` ranges: seeking past a part does not play it).
    #[serde(default)]
    pub played: Vec<(u16, u16)>,
}

/// The parts of a video (of [`VIDEO_PARTS`]) that `played` covers at least half of: what
/// counts towards finishing it. Stretches out of order, overlapping or past the end count
/// once; at most [`PLAYED_MAX`] stretches are read.
pub fn seen_parts(played: &[(u16, u16)]) -> Vec<u16> {
    let mut stretches: Vec<(u32, u32)> = played
        .iter()
        .take(PLAYED_MAX)
        .map(|&(a, b)| {
            let (a, b) = (a.min(POSITION_MAX), b.min(POSITION_MAX));
            (u32::from(a.min(b)), u32::from(a.max(b)))
        })
        .filter(|(a, b)| b > a)
        .collect();
    stretches.sort_unstable();
    // Merged, so an overlap is not counted twice.
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (a, b) in stretches {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let width = u32::from(POSITION_MAX) / u32::from(VIDEO_PARTS);
    (0..VIDEO_PARTS)
        .filter(|&part| {
            let (from, to) = (u32::from(part) * width, u32::from(part + 1) * width);
            let covered: u32 = merged
                .iter()
                .map(|&(a, b)| b.min(to).saturating_sub(a.max(from)))
                .sum();
            covered * 2 >= width
        })
        .collect()
}

/// Input of `save_chapter`: a new chapter at the end of the course (`id` empty), or a
/// renamed one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterInput {
    pub course: String,
    #[serde(default)]
    pub id: String,
    pub title: String,
}

/// Input of `save_article`: a new item at the end of a chapter (`id` empty), or a changed
/// one: an article, or a video or a document with notes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleInput {
    pub chapter: String,
    #[serde(default)]
    pub id: String,
    pub title: String,
    pub body: String,
    /// An article (the default), a video or a document.
    #[serde(default)]
    pub kind: ItemKind,
    /// A video's or a document's file, uploaded first (`POST /files`); its notes are
    /// `body`, which may then be empty. A 党课 record's slides or script (a PDF, optional).
    #[serde(default)]
    pub file: String,
    /// A 党课 record's lecturer, the day it was given (`YYYY-MM-DD`) and the meeting it was
    /// given in (optional: a meeting of the course's organisation or one below it).
    #[serde(default)]
    pub lecturer: String,
    #[serde(default)]
    pub given_on: String,
    #[serde(default)]
    pub meeting: String,
}

/// Input of `publish_course`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishInput {
    pub id: String,
    /// Publish (`true`) or take back to a draft (`false`).
    #[serde(default)]
    pub publish: bool,
}

/// One item to read (answer of `get_item`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub kind: ItemKind,
    pub title: String,
    /// The sanitised HTML of an article.
    pub html: String,
    pub course: String,
    pub course_title: String,
    /// The course's publisher (where an editor's uploads for it are filed).
    pub org: String,
    pub chapter: String,
    pub chapter_title: String,
    /// The Markdown as saved: only for those who may change it (empty for readers).
    pub body: String,
    pub can_edit: bool,
    /// Whether its course is published (then its editors may require it, 设为必学).
    #[serde(default)]
    pub published: bool,
    /// The items before and after it in the course (keys, or empty).
    pub previous: String,
    pub next: String,
    /// The caller's reading of it; `None` when none is kept (a draft, or a caller with no
    /// member record, such as an office account).
    pub reading: Option<Reading>,
    /// A video's or a document's file in the store (`/files/<key>`), and its name.
    pub file: String,
    pub file_name: String,
    /// A 党课 record's lecturer, day (`YYYY-MM-DD`) and meeting (key, and "day topic").
    #[serde(default)]
    pub lecturer: String,
    #[serde(default)]
    pub given_on: String,
    #[serde(default)]
    pub meeting: String,
    #[serde(default)]
    pub meeting_label: String,
    /// The quizzes on this item (本节测验), by title, and whether the caller passed each.
    #[serde(default)]
    pub exams: Vec<ItemExam>,
}

/// A quiz on an item as its page lists it: no question and no key, only whether the
/// caller has passed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemExam {
    pub id: String,
    pub title: String,
    pub passed: bool,
}

/// A member's learning record (学习档案): course by course, what they finished and when
/// (a day, never a duration); required courses they have not started show too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningRecord {
    pub member: String,
    pub name: String,
    pub org_name: String,
    pub courses: Vec<RecordCourse>,
}

/// One course in a learning record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCourse {
    pub id: String,
    pub title: String,
    pub required: bool,
    /// Items finished, of all its items.
    pub done: u32,
    pub total: u32,
    /// The items opened, in the course's order.
    pub items: Vec<RecordItem>,
}

/// One item opened: when it was finished (`YYYY-MM-DD`, China time; empty while not), and
/// for a video the share of it seen (percent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordItem {
    pub id: String,
    pub title: String,
    pub kind: ItemKind,
    pub finished: String,
    pub seen: u16,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(title: &str, category: &str, tags: &str) -> CourseInput {
        CourseInput {
            title: title.into(),
            category: category.into(),
            tags: tags.into(),
            ..CourseInput::default()
        }
    }

    #[test]
    fn a_course_needs_a_title_and_a_known_category() {
        assert_eq!(
            check_course(&course("  ", "theory", "")),
            Err(LearningProblem::Title)
        );
        assert_eq!(
            check_course(&course(&"学".repeat(TITLE_MAX + 1), "theory", "")),
            Err(LearningProblem::Title)
        );
        assert_eq!(
            check_course(&course("党章学习", "poetry", "")),
            Err(LearningProblem::Category)
        );
        let ok = check_course(&course(" 党章学习 ", "rules", "")).unwrap();
        assert_eq!(ok.title, "党章学习");
        assert_eq!(ok.category, Category::Rules);
        let long = CourseInput {
            summary: "字".repeat(SUMMARY_MAX + 1),
            ..course("党章学习", "rules", "")
        };
        assert_eq!(check_course(&long), Err(LearningProblem::Summary));
    }

    #[test]
    fn tags_split_on_any_separator_once_each() {
        assert_eq!(
            parse_tags("党章，党规、 党章;两学一做  三会一课").unwrap(),
            vec!["党章", "党规", "两学一做", "三会一课"]
        );
        assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
        assert_eq!(
            parse_tags(&"长".repeat(TAG_MAX + 1)),
            Err(LearningProblem::Tags)
        );
        let many: Vec<String> = (0..=TAGS_MAX).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tags(&many.join(",")), Err(LearningProblem::Tags));
    }

    #[test]
    fn a_report_is_clamped_and_the_end_reaches_the_end() {
        let report = |position, furthest, end| ProgressInput {
            item: "it1".into(),
            position,
            furthest,
            end,
            played: Vec::new(),
        };
        assert_eq!(report_points(&report(300, 0, false)), (300, 300));
        assert_eq!(
            report_points(&report(0, 600, false)),
            (0, 600),
            "read halfway, back at the top"
        );
        assert_eq!(report_points(&report(300, 0, true)), (300, POSITION_MAX));
        assert_eq!(
            report_points(&report(u16::MAX, u16::MAX, false)),
            (POSITION_MAX, POSITION_MAX)
        );
        let reading = |furthest, completed| Reading {
            position: 100,
            furthest,
            completed,
            seen: 0,
        };
        assert_eq!(
            reading(300, false).resume_at(),
            300,
            "where they had read to"
        );
        assert_eq!(
            reading(300, true).resume_at(),
            0,
            "a finished item opens at its top"
        );
    }

    #[test]
    fn a_video_part_counts_when_half_of_it_was_played_once() {
        assert!(seen_parts(&[]).is_empty());
        // Played from the start to 45 %: parts 0..44 whole, part 44 half (440..445 of 440..450).
        assert_eq!(seen_parts(&[(0, 445)]).len(), 45);
        assert_eq!(
            seen_parts(&[(0, 444)]).len(),
            44,
            "less than half of the last part"
        );
        // The same stretch twice, overlapping, or reversed counts once.
        assert_eq!(seen_parts(&[(0, 300), (100, 300), (300, 100)]).len(), 30);
        // Seeking to the end and playing the last tenth is a tenth, not the whole video.
        assert_eq!(seen_parts(&[(0, 10), (900, 1000)]).len(), 11);
        assert_eq!(
            seen_parts(&[(0, 5000)]).len(),
            usize::from(VIDEO_PARTS),
            "clamped"
        );
        // Two stretches that meet inside a part cover it together.
        assert_eq!(
            seen_parts(&[(0, 503), (503, 510)]),
            (0..51).collect::<Vec<u16>>()
        );
        let nine_tenths = seen_parts(&[(0, 500), (500, 900)]);
        assert_eq!(nine_tenths.len(), usize::from(VIDEO_PARTS_NEEDED));
        // Only the first stretches of a long report are read.
        let many: Vec<(u16, u16)> = (0..200).map(|i| (i * 5, i * 5 + 5)).collect();
        assert_eq!(seen_parts(&many).len(), PLAYED_MAX * 5 / 10);
    }

    #[test]
    fn a_body_is_not_empty_and_not_too_long() {
        assert_eq!(check_body(" \n "), Err(LearningProblem::Body));
        assert_eq!(
            check_body(&"字".repeat(BODY_MAX + 1)),
            Err(LearningProblem::Body)
        );
        assert_eq!(check_body("一\r\n二").unwrap(), "一\n二");
        // What the browser let through (CR LF counted once) is not refused.
        let lines = "字\r\n".repeat(BODY_MAX / 2);
        assert!(check_body(&lines).is_ok());
    }
}
