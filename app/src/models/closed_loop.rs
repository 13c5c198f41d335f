//! What the closed loop's server functions take and return (issue 13): periods and their
//! indicator trees, tasks, assignments and their submitted versions, reviews,
//! rectification items, branch scores and the to-do inbox. The rules themselves are in
//! [`crate::models::assessment`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
use crate::models::assessment::{
    AssignmentAction, AssignmentStatus, Dimension, Hundredths, PeriodStatus, RectificationAction,
    RectificationStatus, Rollup, StarThresholds, TaskAction, TaskStatus,
};

/// Rows per page of the review queue and the task list.
pub const QUEUE_PAGE_SIZE: u32 = 50;
/// Longest task title, body, answer and review comment, in characters.
pub const TITLE_MAX: usize = 100;
pub const BODY_MAX: usize = 2_000;
pub const ANSWER_MAX: usize = 5_000;
pub const COMMENT_MAX: usize = 1_000;
/// Most records one answer may link.
pub const LINKS_MAX: usize = 20;
/// Most members one task goes to.
pub const MEMBERS_MAX: usize = 200;
/// Most files attached to one task.
pub const ATTACHMENTS_MAX: usize = 10;
/// How many records a picker (`pick_records`) offers at once.
pub const PICKER_MAX: usize = 30;
/// A record a picker offers: its key and a short label (name · branch, letter no. …).
pub type Picked = (String, String);
/// A review below this share of an item's maximum opens a rectification item (60 %).
pub const LOW_SCORE_PERCENT: u32 = 60;
/// Days a rectification item is given unless the reviewer says otherwise.
pub const RECTIFY_DAYS: u64 = 14;

/// A period as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodSummary {
    pub id: String,
    pub name: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub starts: NaiveDate,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub ends: NaiveDate,
    pub status: PeriodStatus,
    pub stars: StarThresholds,
}

/// A 一级 indicator with its 二级 indicators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub id: String,
    pub name: String,
    pub weight: u32,
    pub dimension: Dimension,
    pub items: Vec<ItemView>,
}

/// A 二级 indicator: what it is worth and how reviewers score it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub name: String,
    pub max: Hundredths,
    pub guidance: String,
}

/// A period with its indicator tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    pub period: PeriodSummary,
    pub indicators: Vec<IndicatorView>,
    /// A task counts toward the tree: the period can no longer be edited.
    #[serde(default)]
    pub fixed: bool,
}

/// Input of `save_period`: a new period, or (with `id`) an open period that has no task
/// yet, whose name, dates, thresholds and tree are replaced. The tree is JSON
/// (`[IndicatorDraft]`, what the browser's tree editor sends); when it is empty and
/// `copy_from` names a period, that period's tree is copied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodInput {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub starts: String,
    pub ends: String,
    /// "90/80/70/60": the lowest score for five, four, three and two stars.
    #[serde(default)]
    pub stars: String,
    #[serde(default)]
    pub tree: String,
    #[serde(default)]
    pub copy_from: String,
}

/// Star thresholds as typed: four numbers of points separated by `/`, `,` or spaces.
pub fn parse_stars(text: &str) -> Option<StarThresholds> {
    let parts: Vec<Hundredths> = text
        .split(['/', ',', '，', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(crate::models::assessment::parse_points)
        .collect::<Option<_>>()?;
    let list: [Hundredths; 4] = parts.try_into().ok()?;
    let stars = StarThresholds(list);
    stars.check().ok().map(|()| stars)
}

/// Star thresholds as shown and typed ("90/80/70/60").
pub fn show_stars(stars: &StarThresholds) -> String {
    stars
        .0
        .iter()
        .map(|h| crate::models::assessment::show_points(*h))
        .collect::<Vec<_>>()
        .join("/")
}

/// Counts of a task's assignments by where they stand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCounts {
    pub total: u32,
    /// Pending, draft or returned: the target owes work.
    pub open: u32,
    pub submitted: u32,
    pub accepted: u32,
    /// Still owed after the deadline.
    pub overdue: u32,
}

/// A task as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSummary {
    pub id: String,
    pub title: String,
    pub indicator: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub status: TaskStatus,
    pub counts: TaskCounts,
}

/// A page of tasks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub tasks: Vec<TaskSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// Query of `list_tasks`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskQuery {
    #[serde(default)]
    pub period: String,
    /// A `TaskStatus` word, or empty for all.
    #[serde(default)]
    pub status: String,
    /// Words of the title.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: u32,
}

/// An organisation a task goes to, with its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub name: String,
}

/// A task with what the caller may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: String,
    pub period: String,
    pub period_name: String,
    pub indicator: String,
    pub indicator_name: String,
    pub max: Hundredths,
    pub guidance: String,
    pub title: String,
    pub body: String,
    pub targets: Vec<Target>,
    /// Members the task goes to, each answering for themselves (within the caller's reach).
    #[serde(default)]
    pub members: Vec<Target>,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub starts: NaiveDate,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub need_text: bool,
    pub min_links: u32,
    /// Photos and documents (other files) required, each counted among the links too.
    #[serde(default)]
    pub min_photos: u32,
    #[serde(default)]
    pub min_files: u32,
    pub status: TaskStatus,
    pub reason: String,
    pub counts: TaskCounts,
    pub actions: Vec<TaskAction>,
    /// Files sent with the task (notices, templates), for every target to download.
    #[serde(default)]
    pub attachments: Vec<EvidenceLink>,
}

/// Input of `save_task`: a new draft (`id` empty) or changes to a draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskInput {
    #[serde(default)]
    pub id: String,
    pub period: String,
    /// The 二级 indicator it counts toward.
    pub indicator: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// `all` for every branch, or branch keys separated by commas (may be empty when
    /// `members` names someone).
    pub targets: String,
    /// Member keys separated by commas: each answers the task themselves.
    #[serde(default)]
    pub members: String,
    pub starts: String,
    pub deadline: String,
    /// "true" when a written account is required.
    #[serde(default)]
    pub need_text: String,
    #[serde(default)]
    pub min_links: String,
    #[serde(default)]
    pub min_photos: String,
    #[serde(default)]
    pub min_files: String,
    /// Keys of files the caller uploaded or may read, separated by commas.
    #[serde(default)]
    pub attachments: String,
}

/// Input of `change_task`: publish, withdraw (with a reason) or extend (to a new deadline).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskChange {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub deadline: String,
}

word_enum! {
    /// A kind of record an answer may link to instead of uploading or retyping it
    /// (一次留痕、多处使用). Later modules add theirs (meetings, learning completions) with
    /// a resolver in `server::service::evidence`.
    LinkKind {
        Member => "member" / AsLinkMember,
        Transfer => "transfer" / AsLinkTransfer,
        Candidate => "candidate" / AsLinkCandidate,
        Submission => "submission" / AsLinkSubmission,
        File => "file" / AsLinkFile,
        Photo => "photo" / AsLinkPhoto,
        Meeting => "meeting" / AsLinkMeeting,
        /// Required learning and its completion (issue 15).
        Requirement => "requirement" / AsLinkRequirement,
    }
}

impl LinkKind {
    /// Where the linked record is shown.
    pub fn href(self, id: &str) -> String {
        match self {
            LinkKind::Member => format!("/members/{id}"),
            LinkKind::Transfer => format!("/transfers/{id}"),
            LinkKind::Candidate => format!("/development/{id}"),
            LinkKind::Submission => format!("/tasks/assignments/{id}"),
            LinkKind::File | LinkKind::Photo => format!("/files/{id}"),
            LinkKind::Meeting => format!("/meetings/{id}"),
            LinkKind::Requirement => format!("/learning/required/{id}"),
        }
    }
}

/// A record of the platform attached as evidence, with the label it had when linked and
/// the organisation it belongs to (a reader outside it sees the kind only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub kind: LinkKind,
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub org: String,
}

/// Evidence links as typed in a form: one `kind:key` per line or comma.
pub fn parse_links(text: &str) -> Result<Vec<(LinkKind, String)>, String> {
    let mut out = Vec::new();
    for part in text.split(['\n', ',', '，']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (kind, key) = part.split_once(':').ok_or_else(|| part.to_string())?;
        let kind = LinkKind::parse(kind.trim()).ok_or_else(|| part.to_string())?;
        let key = key.trim().to_string();
        if !out.contains(&(kind, key.clone())) {
            out.push((kind, key));
        }
        if out.len() > LINKS_MAX {
            // Refused before the list grows (the check above is quadratic).
            return Err(part.to_string());
        }
    }
    Ok(out)
}

/// One submitted version of an answer, with its review once it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub version: u32,
    pub text: String,
    pub links: Vec<EvidenceLink>,
    pub submitted_by: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::instant")
    )]
    pub submitted_at: DateTime<Utc>,
    pub decision: Option<AssignmentAction>,
    pub score: Option<Hundredths>,
    pub comment: String,
    pub reviewer: Option<String>,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_instant", default)
    )]
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// One branch's assignment of a task: the task, the guidance, the draft being written,
/// every submitted version, and what the caller may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub id: String,
    pub task: String,
    pub title: String,
    pub body: String,
    pub indicator_name: String,
    pub guidance: String,
    pub max: Hundredths,
    pub need_text: bool,
    pub min_links: u32,
    #[serde(default)]
    pub min_photos: u32,
    #[serde(default)]
    pub min_files: u32,
    pub org_id: String,
    pub org_name: String,
    /// The member who answers it, for a task to members (`None`: the branch answers).
    #[serde(default)]
    pub member_name: Option<String>,
    pub status: AssignmentStatus,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub overdue: bool,
    pub version: u32,
    pub score: Option<Hundredths>,
    pub text: String,
    pub links: Vec<EvidenceLink>,
    pub history: Vec<SubmissionView>,
    pub actions: Vec<AssignmentAction>,
    /// The task's attachments.
    #[serde(default)]
    pub attachments: Vec<EvidenceLink>,
}

/// An assignment as listed in a queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentSummary {
    pub id: String,
    pub task: String,
    pub title: String,
    pub indicator_name: String,
    pub org_name: String,
    /// The member who answers it, for a task to members.
    #[serde(default)]
    pub member_name: Option<String>,
    pub status: AssignmentStatus,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub overdue: bool,
    pub score: Option<Hundredths>,
}

/// Query of `list_assignments`: the review queue (filters, sorted by deadline).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub task: String,
    #[serde(default)]
    pub indicator: String,
    /// An `AssignmentStatus` word, or empty for all.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub page: u32,
}

/// A page of the queue, with the counts per status of everything the filters match
/// (before the status filter).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentPage {
    pub rows: Vec<AssignmentSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub counts: TaskCounts,
}

/// Input of `answer_assignment`: save the draft or submit it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerInput {
    pub id: String,
    /// `save` or `submit`.
    pub action: String,
    #[serde(default)]
    pub text: String,
    /// `kind:key` per line (see [`parse_links`]).
    #[serde(default)]
    pub links: String,
}

/// Input of `review_assignment`: the version reviewed (so that two reviewers cannot both
/// win), the points, a comment, and accept or return.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    pub id: String,
    pub version: String,
    pub score: String,
    #[serde(default)]
    pub comment: String,
    /// `accept` or `return`.
    pub decision: String,
}

word_enum! {
    /// Where a rectification item came from.
    RectificationSource {
        Return => "return" / AsSrcReturn,
        LowScore => "low_score" / AsSrcLowScore,
        Finding => "finding" / AsSrcFinding,
    }
}

/// A rectification item with what the caller may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationView {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub source: RectificationSource,
    pub assignment: Option<String>,
    pub problem: String,
    pub required: String,
    pub owner: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub overdue: bool,
    pub status: RectificationStatus,
    pub answer: String,
    /// The evidence the owner linked with the answer.
    #[serde(default)]
    pub links: Vec<EvidenceLink>,
    pub note: String,
    pub actions: Vec<RectificationAction>,
}

/// Query of `list_rectifications`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationQuery {
    /// A `RectificationStatus` word, `overdue`, or empty for all.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub page: u32,
}

/// A page of rectification items, overdue ones first, then by deadline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationPage {
    pub items: Vec<RectificationView>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// Input of `rectify`: the owner answers; the office closes or reopens. `text` is the
/// answer or the re-check note.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectifyInput {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub text: String,
    /// With an answer: evidence, `kind:key` per line (see [`parse_links`]).
    #[serde(default)]
    pub links: String,
}

/// Input of `raise_finding`: a problem found outside a task (an inspection, 组织生活会, a
/// satisfaction survey).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingInput {
    pub org: String,
    pub problem: String,
    #[serde(default)]
    pub required: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub deadline: String,
}

/// One branch's line of the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreRow {
    pub org_id: String,
    pub org_name: String,
    pub score: Rollup,
    pub stars: u8,
    /// 1 for the highest score; equal scores share a rank.
    pub rank: u32,
}

/// The committee's ranking of a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranking {
    pub period: PeriodSummary,
    pub rows: Vec<ScoreRow>,
}

/// Ranks rows by score, highest first; equal scores share a rank ("1, 2, 2, 4").
pub fn rank(rows: &mut [ScoreRow]) {
    rows.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then(a.org_name.cmp(&b.org_name))
    });
    let mut last: Option<(Hundredths, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match last {
            Some((score, rank)) if score == row.score.total => rank,
            _ => i as u32 + 1,
        };
        last = Some((row.score.total, row.rank));
    }
}

/// A 二级 indicator's line on a branch's page: the points it awarded so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub id: String,
    pub name: String,
    pub max: Hundredths,
    pub awarded: Option<Hundredths>,
}

/// A 一级 indicator's lines on a branch's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub name: String,
    pub weight: u32,
    pub dimension: Dimension,
    pub items: Vec<ItemScore>,
}

/// A branch's assessment for a period: its score and stars, the indicators it came from,
/// its assignments and its rectification items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchAssessment {
    pub period: PeriodSummary,
    pub org_id: String,
    pub org_name: String,
    pub score: Rollup,
    pub stars: u8,
    pub indicators: Vec<IndicatorScore>,
    pub assignments: Vec<AssignmentSummary>,
    pub rectifications: Vec<RectificationView>,
}

word_enum! {
    /// What an inbox item asks for.
    InboxKind {
        Answer => "answer" / AsInboxAnswer,
        Rework => "rework" / AsInboxRework,
        Rectify => "rectify" / AsInboxRectify,
        Review => "review" / AsInboxReview,
        Recheck => "recheck" / AsInboxRecheck,
        /// A meeting the caller is expected at, in the coming days.
        Meeting => "meeting" / AsInboxMeeting,
        /// Minutes submitted for the committee's approval.
        Minutes => "minutes" / AsInboxMinutes,
        /// A member's request for leave from a meeting, for the committee to decide.
        Leave => "leave" / AsInboxLeave,
        /// A meeting a rule asks for, not held yet, its period ending within the warning
        /// days (or ended).
        Compliance => "compliance" / AsInboxCompliance,
        /// A 民主评议 the member owes a self-assessment or a ballot.
        Appraisal => "appraisal" / AsInboxAppraisal,
        /// Required learning not done, its deadline near or passed.
        Required => "required" / RqInbox,
    }
}

/// One piece of work waiting for the caller. Later modules (meetings, learning) add their
/// kinds through the same list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub kind: InboxKind,
    pub title: String,
    pub org_name: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub overdue: bool,
    pub href: String,
}

/// The caller's to-do inbox (待办), overdue and nearest deadlines first; `total` counts
/// everything, `items` holds the first [`INBOX_SHOWN`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    pub total: u32,
    pub overdue: u32,
}

/// How many inbox items the workbench shows.
pub const INBOX_SHOWN: usize = 20;

/// Why a task, answer, review or rectification input is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopProblem {
    TitleMissing,
    IndicatorInvalid,
    TargetsMissing,
    DatesInvalid,
    MinLinksInvalid,
    MinPhotosInvalid,
    MinFilesInvalid,
    ReasonMissing,
    DeadlineNotLater,
    TextMissing,
    TooFewLinks(u32),
    TooFewPhotos(u32),
    TooFewFiles(u32),
    LinkInvalid,
    ScoreInvalid(Hundredths),
    CommentMissing,
    DecisionInvalid,
    AlreadyReviewed,
    PeriodClosed,
    PeriodInvalid,
    NameMissing,
    TreeInvalid,
    /// The tree of a period is fixed once a task counts toward it.
    TreeInUse,
    AttachmentInvalid,
    MembersInvalid,
    ProblemMissing,
    OrgInvalid,
    NotYours,
    /// Only the office, and a general branch for the tasks it issued, manage tasks.
    NotIssuer,
    /// A reviewer's own answer.
    OwnWork,
}

impl LoopProblem {
    /// The input field it is about.
    pub fn field(self) -> &'static str {
        match self {
            LoopProblem::TitleMissing => "title",
            LoopProblem::IndicatorInvalid => "indicator",
            LoopProblem::TargetsMissing => "targets",
            LoopProblem::DatesInvalid | LoopProblem::DeadlineNotLater => "deadline",
            LoopProblem::MinLinksInvalid => "min_links",
            LoopProblem::MinPhotosInvalid => "min_photos",
            LoopProblem::MinFilesInvalid => "min_files",
            LoopProblem::ReasonMissing => "reason",
            LoopProblem::TextMissing => "text",
            LoopProblem::TooFewLinks(_)
            | LoopProblem::TooFewPhotos(_)
            | LoopProblem::TooFewFiles(_)
            | LoopProblem::LinkInvalid => "links",
            LoopProblem::ScoreInvalid(_) => "score",
            LoopProblem::CommentMissing => "comment",
            LoopProblem::DecisionInvalid | LoopProblem::AlreadyReviewed => "decision",
            LoopProblem::PeriodClosed | LoopProblem::PeriodInvalid => "period",
            LoopProblem::NameMissing => "name",
            LoopProblem::TreeInvalid | LoopProblem::TreeInUse => "tree",
            LoopProblem::AttachmentInvalid => "attachments",
            LoopProblem::MembersInvalid => "members",
            LoopProblem::ProblemMissing => "problem",
            LoopProblem::OrgInvalid => "org",
            LoopProblem::NotYours | LoopProblem::NotIssuer | LoopProblem::OwnWork => "id",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        match self {
            LoopProblem::TitleMissing => lang.t(T::AsTitleMissing).into(),
            LoopProblem::IndicatorInvalid => lang.t(T::AsIndicatorInvalid).into(),
            LoopProblem::TargetsMissing => lang.t(T::AsTargetsMissing).into(),
            LoopProblem::DatesInvalid => lang.t(T::AsDatesInvalid).into(),
            LoopProblem::MinLinksInvalid => lang.t(T::AsMinLinksInvalid).into(),
            LoopProblem::MinPhotosInvalid => lang.t(T::AsMinPhotosInvalid).into(),
            LoopProblem::MinFilesInvalid => lang.t(T::AsMinFilesInvalid).into(),
            LoopProblem::ReasonMissing => lang.t(T::AsReasonMissing).into(),
            LoopProblem::DeadlineNotLater => lang.t(T::AsDeadlineNotLater).into(),
            LoopProblem::TextMissing => lang.t(T::AsTextMissing).into(),
            LoopProblem::TooFewLinks(n) => lang.t(T::AsTooFewLinks(n)),
            LoopProblem::TooFewPhotos(n) => lang.t(T::AsTooFewPhotos(n)),
            LoopProblem::TooFewFiles(n) => lang.t(T::AsTooFewFiles(n)),
            LoopProblem::LinkInvalid => lang.t(T::AsLinkInvalid).into(),
            LoopProblem::ScoreInvalid(max) => lang.t(T::AsScoreInvalid(
                &crate::models::assessment::show_points(max),
            )),
            LoopProblem::CommentMissing => lang.t(T::AsCommentMissing).into(),
            LoopProblem::DecisionInvalid => lang.t(T::AsDecisionInvalid).into(),
            LoopProblem::AlreadyReviewed => lang.t(T::AsAlreadyReviewed).into(),
            LoopProblem::PeriodClosed => lang.t(T::AsPeriodClosedRefused).into(),
            LoopProblem::PeriodInvalid => lang.t(T::AsPeriodInvalid).into(),
            LoopProblem::NameMissing => lang.t(T::AsPeriodNameMissing).into(),
            LoopProblem::TreeInvalid => lang.t(T::AsTreeInvalid).into(),
            LoopProblem::TreeInUse => lang.t(T::AsTreeInUse).into(),
            LoopProblem::AttachmentInvalid => lang.t(T::AsAttachmentInvalid(ATTACHMENTS_MAX)),
            LoopProblem::MembersInvalid => lang.t(T::AsMembersInvalid(MEMBERS_MAX)),
            LoopProblem::ProblemMissing => lang.t(T::AsProblemMissing).into(),
            LoopProblem::OrgInvalid => lang.t(T::AsOrgInvalid).into(),
            LoopProblem::NotYours => lang.t(T::AsNotYours).into(),
            LoopProblem::NotIssuer => lang.t(T::AsNotIssuer).into(),
            LoopProblem::OwnWork => lang.t(T::AsOwnWork).into(),
        }
    }
}

/// One reviewed assignment's part in its branch's score: (二级 indicator key, the group it
/// is averaged in ([`score_group`]), points).
pub type ReviewedPoints = (String, String, Hundredths);

/// The group whose answers are averaged into one part of an item: the task, with a task's
/// answers by members apart from its answer by the branch (a task may go to a branch and to
/// some of its members at once; each counts once).
pub fn score_group(task: &str, by_member: bool) -> String {
    if by_member {
        format!("{task}/members")
    } else {
        task.to_string()
    }
}

/// The mean of some points, rounded half up; `None` for none.
fn mean(points: impl Iterator<Item = Hundredths>) -> Option<Hundredths> {
    let (mut n, mut sum) = (0u64, 0u64);
    for p in points {
        n += 1;
        sum += u64::from(p);
    }
    (n > 0).then(|| ((2 * sum + n) / (2 * n)) as Hundredths)
}

/// What a 二级 indicator awards a branch from its reviewed assignments under the item, as
/// ([`score_group`], points): each group counts once, with the mean of its assignments (a
/// task to members has one per member of the branch), and the item awards the mean over them,
/// each mean rounded half up; `None` while none is reviewed. So a task to six members
/// weighs as much in the item as a task to the branch, not six times as much.
pub fn item_award(scores: &[(&str, Hundredths)]) -> Option<Hundredths> {
    let mut tasks: Vec<&str> = scores.iter().map(|(t, _)| *t).collect();
    tasks.sort_unstable();
    tasks.dedup();
    mean(tasks.iter().filter_map(|task| {
        mean(
            scores
                .iter()
                .filter(|(t, _)| t == task)
                .map(|(_, points)| *points),
        )
    }))
}

/// A branch's period score from its indicator tree and the points of its reviewed
/// assignments, as (二级 indicator key, points): the one function behind the score kept up
/// to date on each review and the one the consistency check recomputes.
pub fn branch_rollup(tree: &[IndicatorView], reviewed: &[ReviewedPoints]) -> Rollup {
    let parts: Vec<crate::models::assessment::IndicatorScores> = tree
        .iter()
        .map(|ind| crate::models::assessment::IndicatorScores {
            weight: ind.weight,
            dimension: ind.dimension,
            items: ind
                .items
                .iter()
                .map(|item| {
                    let scores: Vec<(&str, Hundredths)> = reviewed
                        .iter()
                        .filter(|(id, _, _)| *id == item.id)
                        .map(|(_, task, s)| (task.as_str(), *s))
                        .collect();
                    (item.max, item_award(&scores))
                })
                .collect(),
        })
        .collect();
    crate::models::assessment::roll_up(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_thresholds_are_typed_as_four_falling_numbers() {
        assert_eq!(
            parse_stars("90/80/70/60"),
            Some(StarThresholds([9000, 8000, 7000, 6000]))
        );
        assert_eq!(
            parse_stars("95, 85.5, 70 60"),
            Some(StarThresholds([9500, 8550, 7000, 6000]))
        );
        assert_eq!(parse_stars("90/80/70"), None);
        assert_eq!(parse_stars("80/90/70/60"), None);
        assert_eq!(parse_stars("x/80/70/60"), None);
        assert_eq!(
            show_stars(&StarThresholds([9000, 8550, 7000, 6000])),
            "90/85.5/70/60"
        );
    }

    #[test]
    fn links_are_typed_as_kind_and_key_and_kept_once() {
        assert_eq!(
            parse_links("member:m0001\ntransfer: t0002, member:m0001"),
            Ok(vec![
                (LinkKind::Member, "m0001".to_string()),
                (LinkKind::Transfer, "t0002".to_string())
            ])
        );
        assert_eq!(parse_links("  \n"), Ok(vec![]));
        assert_eq!(parse_links("video:x"), Err("video:x".to_string()));
        assert_eq!(
            parse_links("photo:f1, file:f2"),
            Ok(vec![
                (LinkKind::Photo, "f1".to_string()),
                (LinkKind::File, "f2".to_string())
            ])
        );
        assert_eq!(parse_links("m0001"), Err("m0001".to_string()));
    }

    fn row(name: &str, total: Hundredths) -> ScoreRow {
        ScoreRow {
            org_id: name.into(),
            org_name: name.into(),
            score: Rollup {
                total,
                ..Rollup::default()
            },
            stars: 1,
            rank: 0,
        }
    }

    #[test]
    fn equal_scores_share_a_rank_and_the_next_rank_skips() {
        let mut rows = vec![
            row("b", 8000),
            row("a", 9000),
            row("c", 8000),
            row("d", 100),
        ];
        rank(&mut rows);
        let got: Vec<(&str, u32)> = rows.iter().map(|r| (r.org_name.as_str(), r.rank)).collect();
        assert_eq!(got, vec![("a", 1), ("b", 2), ("c", 2), ("d", 4)]);
    }

    fn tree() -> Vec<IndicatorView> {
        let item = |id: &str, max| ItemView {
            id: id.into(),
            name: id.into(),
            max,
            guidance: String::new(),
        };
        vec![
            IndicatorView {
                id: "a".into(),
                name: "组织建设".into(),
                weight: 60,
                dimension: Dimension::Effectiveness,
                items: vec![item("a1", 1000), item("a2", 1000)],
            },
            IndicatorView {
                id: "b".into(),
                name: "群众评价".into(),
                weight: 40,
                dimension: Dimension::Satisfaction,
                items: vec![item("b1", 2000)],
            },
        ]
    }

    #[test]
    fn several_tasks_on_one_item_award_their_mean() {
        assert_eq!(item_award(&[]), None);
        assert_eq!(item_award(&[("t1", 800), ("t2", 900)]), Some(850));
        assert_eq!(
            item_award(&[("t1", 100), ("t2", 100), ("t3", 101)]),
            Some(100)
        );
        assert_eq!(item_award(&[("t1", 100), ("t2", 101)]), Some(101));
    }

    #[test]
    fn a_task_to_members_counts_once_in_its_item() {
        // Three members of the branch answered one task (0, 0 and 10 points: 3.33), the
        // branch answered another (10): the item awards (3.33 + 10) / 2, not 20 / 4.
        let scores = [("m", 0), ("m", 0), ("m", 1000), ("b", 1000)];
        assert_eq!(item_award(&scores), Some(667));
        // Alone, the members' task awards their mean.
        assert_eq!(item_award(&scores[..3]), Some(333));
        // The order of the rows changes nothing.
        assert_eq!(
            item_award(&[("b", 1000), ("m", 1000), ("m", 0), ("m", 0)]),
            Some(667)
        );
        // One task to the branch and to two of its members at once: the branch's answer (10)
        // and the members' (mean 2) are two parts, (10 + 2) / 2, not (10 + 0 + 4) / 3.
        let (branch, members) = (score_group("t", false), score_group("t", true));
        assert_ne!(branch, members);
        let both = [
            (branch.as_str(), 1000),
            (members.as_str(), 0),
            (members.as_str(), 400),
        ];
        assert_eq!(item_award(&both), Some(600));
    }

    #[test]
    fn a_branch_score_counts_unreviewed_items_as_nothing_yet() {
        let none = branch_rollup(&tree(), &[]);
        assert_eq!(none.total, 0);
        // a1 full, a2 half (mean of 4 and 6 of 10), b1 three quarters.
        let got = branch_rollup(
            &tree(),
            &[
                ("a1".into(), "t1".into(), 1000),
                ("a2".into(), "t2".into(), 400),
                ("a2".into(), "t3".into(), 600),
                ("b1".into(), "t4".into(), 1500),
            ],
        );
        // 60 × 15/20 + 40 × 15/20 = 45 + 30.
        assert_eq!(got.total, 7500);
        assert_eq!(got.effectiveness, 7500);
        assert_eq!(got.satisfaction, 7500);
        assert_eq!(got.synergy, 0);
        // A key outside the tree changes nothing.
        assert_eq!(
            branch_rollup(
                &tree(),
                &[
                    ("zz".into(), "t0".into(), 1000),
                    ("a1".into(), "t1".into(), 1000),
                    ("a2".into(), "t2".into(), 500),
                    ("a2".into(), "t3".into(), 500),
                    ("b1".into(), "t4".into(), 1500)
                ]
            ),
            got
        );
    }
}
