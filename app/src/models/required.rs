//! Required learning (必学, issue 15): the committee or a branch asks its members to finish
//! a course, read one item of a course (an article, a video, a document or a 党课 record) or
//! pass an exam by a day.
//!
//! A requirement belongs to the organisation that sets it and is addressed to
//! organisations at or below it (a branch, or the whole hospital): every active member of
//! those organisations owes it. What counts as done is what the platform already knows,
//! never a check-in: a course is done when every item in it is finished (the member's own
//! progress), an item when that one is, an exam when an attempt passed. Completion is shown per branch and member to
//! those who set it and to each branch's committee for its own members; a member sees their
//! own. Nothing here ranks anyone or counts time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest title of a requirement (characters).
pub const TITLE_MAX: usize = 60;
/// Most organisations one requirement is addressed to.
pub const TARGETS_MAX: usize = 50;
/// Most members one requirement names individually.
pub const MEMBERS_MAX: usize = 200;
/// Furthest deadline from today (days).
pub const DUE_MAX_DAYS: i64 = 366;
/// Requirements per page of the list.
pub const REQUIRED_PAGE: u32 = 20;

word_enum! {
    /// What a requirement asks for.
    RequiredKind {
        Course => "course" / RqKindCourse,
        Exam => "exam" / RqKindExam,
        Item => "item" / RqKindItem,
    }
}

impl RequiredKind {
    /// Where the course, exam or item is opened.
    pub fn href(self, id: &str) -> String {
        match self {
            RequiredKind::Course => format!("/learning/courses/{id}"),
            RequiredKind::Exam => format!("/learning/exams/{id}"),
            RequiredKind::Item => format!("/learning/items/{id}"),
        }
    }
}

/// Where one member stands with a requirement on `today`: done on `done` (China time;
/// empty when not done), `late` when that was after the deadline, `overdue` when not done
/// and the deadline passed. (A struct, not an enum: a derived enum `Deserialize` costs the
/// browser more code, docs/wasm-size.md.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub done: String,
    pub late: bool,
    pub overdue: bool,
}

impl Standing {
    pub fn is_done(&self) -> bool {
        !self.done.is_empty()
    }
}

/// The standing of a member who finished on `done` (if at all), with deadline `due`.
pub fn standing(done: Option<NaiveDate>, due: NaiveDate, today: NaiveDate) -> Standing {
    match done {
        Some(day) => Standing {
            done: day.format("%Y-%m-%d").to_string(),
            late: day > due,
            overdue: false,
        },
        None => Standing {
            done: String::new(),
            late: false,
            overdue: today > due,
        },
    }
}

/// A requirement as set (the form): `what` is `course:<key>`, `exam:<key>` or `item:<key>`
/// (one item of a course); `title` may be left empty for the course's, exam's or item's own; `targets` are organisation keys and
/// `members` member keys (named individually, besides or instead of organisations); `due`
/// is `YYYY-MM-DD`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub due: String,
}

/// A requirement that passed [`check_requirement`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequirement {
    pub id: String,
    pub org: String,
    pub kind: RequiredKind,
    pub what: String,
    pub title: String,
    pub targets: Vec<String>,
    pub members: Vec<String>,
    pub due: NaiveDate,
}

/// Which field of a requirement is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequiredProblem {
    What,
    Title,
    Targets,
    Members,
    Due,
    DuePast,
    DueFar,
}

impl RequiredProblem {
    pub fn field(self) -> &'static str {
        match self {
            RequiredProblem::What => "what",
            RequiredProblem::Title => "title",
            RequiredProblem::Targets => "targets",
            RequiredProblem::Members => "members",
            RequiredProblem::Due | RequiredProblem::DuePast | RequiredProblem::DueFar => "due",
        }
    }

    pub fn text(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            RequiredProblem::What => T::RqErrWhat,
            RequiredProblem::Title => T::RqErrTitle,
            RequiredProblem::Targets => T::RqErrTargets,
            RequiredProblem::Members => T::RqErrMembers,
            RequiredProblem::Due => T::RqErrDue,
            RequiredProblem::DuePast => T::RqErrDuePast,
            RequiredProblem::DueFar => T::RqErrDueFar,
        }
    }
}

/// Checks a requirement's form on `today` (China time): what it asks for, a title of at
/// most [`TITLE_MAX`] characters (empty: the course's or exam's, filled in by the server),
/// up to [`TARGETS_MAX`] organisations and up to [`MEMBERS_MAX`] members, at least one of
/// either (whether those members may be named is the server's to say), and a deadline from today to [`DUE_MAX_DAYS`]
/// ahead. A changed requirement may keep a deadline already past, and keeps what it asks
/// for (`what` is not read).
pub fn check_requirement(
    input: &RequirementInput,
    today: NaiveDate,
) -> Result<ValidRequirement, RequiredProblem> {
    let changed = !input.id.trim().is_empty();
    // A changed requirement keeps what it asks for: the server reads it, whatever is sent.
    let (kind, what) = if changed {
        (RequiredKind::Course, "")
    } else {
        input
            .what
            .trim()
            .split_once(':')
            .and_then(|(k, id)| Some((RequiredKind::parse(k)?, id)))
            .filter(|(_, id)| crate::models::org::is_valid_key(id))
            .ok_or(RequiredProblem::What)?
    };
    let title = input.title.trim();
    if title.chars().count() > TITLE_MAX {
        return Err(RequiredProblem::Title);
    }
    let keys = |list: &[String]| {
        let mut keys: Vec<String> = list
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let targets = keys(&input.targets);
    if targets.len() > TARGETS_MAX || !targets.iter().all(|t| crate::models::org::is_valid_key(t)) {
        return Err(RequiredProblem::Targets);
    }
    let members = keys(&input.members);
    if members.len() > MEMBERS_MAX || !members.iter().all(|m| crate::models::org::is_valid_key(m)) {
        return Err(RequiredProblem::Members);
    }
    // Addressed to nobody: the organisations are what the form offers first.
    if targets.is_empty() && members.is_empty() {
        return Err(RequiredProblem::Targets);
    }
    let due = crate::models::wire_date::parse_date(input.due.trim()).ok_or(RequiredProblem::Due)?;
    if !changed && due < today {
        return Err(RequiredProblem::DuePast);
    }
    if (due - today).num_days() > DUE_MAX_DAYS {
        return Err(RequiredProblem::DueFar);
    }
    Ok(ValidRequirement {
        id: input.id.trim().to_string(),
        org: input.org.trim().to_string(),
        kind,
        what: what.to_string(),
        title: title.to_string(),
        targets,
        members,
        due,
    })
}

/// One requirement in a list: what, to whom, by when, and (for those who see completion)
/// how many of the members in the caller's reach are done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementRow {
    pub id: String,
    pub title: String,
    pub org_name: String,
    pub kind: RequiredKind,
    /// The course's, exam's or item's key and title.
    pub what: String,
    pub what_title: String,
    /// The organisations' names, and their keys.
    pub targets: Vec<String>,
    pub target_keys: Vec<String>,
    /// The members named individually (name · organisation), and their keys.
    pub members: Vec<String>,
    pub member_keys: Vec<String>,
    pub due: String,
    pub done: u32,
    pub total: u32,
    /// Whether the caller may change or withdraw it.
    pub editable: bool,
}

/// A requirement the caller's member owes, with where they stand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequirement {
    pub id: String,
    pub title: String,
    pub org_name: String,
    pub kind: RequiredKind,
    pub href: String,
    pub due: String,
    pub standing: Standing,
}

/// A course or exam a requirement may ask for (the form's choices).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredChoice {
    /// `course:<key>` or `exam:<key>`.
    pub value: String,
    pub label: String,
}

/// Answer of `list_required`: what the caller owes, what they set or watch, and the form's
/// choices when they may set requirements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredPage {
    pub mine: Vec<MyRequirement>,
    pub set: Vec<RequirementRow>,
    pub total: u32,
    pub page: u32,
    /// Where the caller may set requirements (empty: they may not).
    pub publishers: Vec<crate::models::learning::Publisher>,
    pub choices: Vec<RequiredChoice>,
    /// China's today, the form's earliest deadline.
    pub today: String,
}

/// One branch's completion of a requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchDone {
    pub org: String,
    pub name: String,
    pub done: u32,
    pub total: u32,
    /// Not done, and the deadline passed.
    pub overdue: u32,
}

/// One member's standing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDone {
    pub id: String,
    pub name: String,
    pub org_name: String,
    pub standing: Standing,
}

/// Answer of `get_requirement`: the requirement and its completion among the members in
/// the caller's reach, by branch and by member (those not done first, then by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementView {
    pub row: RequirementRow,
    pub href: String,
    pub branches: Vec<BranchDone>,
    pub members: Vec<MemberDone>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::models::wire_date::parse_date(s).unwrap()
    }

    fn input(what: &str, targets: &[&str], due: &str) -> RequirementInput {
        RequirementInput {
            id: String::new(),
            org: "o1".into(),
            what: what.into(),
            title: String::new(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            members: Vec::new(),
            due: due.into(),
        }
    }

    #[test]
    fn each_kind_opens_its_own_page() {
        assert_eq!(RequiredKind::Course.href("c1"), "/learning/courses/c1");
        assert_eq!(RequiredKind::Exam.href("e1"), "/learning/exams/e1");
        assert_eq!(RequiredKind::Item.href("it1"), "/learning/items/it1");
        assert_eq!(RequiredKind::parse("item"), Some(RequiredKind::Item));
        assert_eq!(RequiredKind::Item.as_str(), "item");
    }

    #[test]
    fn a_member_is_done_on_the_day_they_finished_and_late_only_after_the_deadline() {
        let due = day("2026-12-10");
        let done = standing(Some(day("2026-12-10")), due, day("2026-12-20"));
        assert_eq!(
            (done.done.as_str(), done.late, done.overdue),
            ("2026-12-10", false, false)
        );
        assert!(done.is_done());
        let late = standing(Some(day("2026-12-11")), due, day("2026-12-20"));
        assert_eq!(
            (late.done.as_str(), late.late, late.overdue),
            ("2026-12-11", true, false)
        );
        // The deadline day itself is still open; the day after, overdue.
        let open = standing(None, due, day("2026-12-10"));
        assert!(!open.is_done() && !open.overdue);
        assert!(standing(None, due, day("2026-12-11")).overdue);
    }

    #[test]
    fn a_requirement_needs_what_to_whom_and_a_deadline_from_today() {
        let today = day("2026-12-04");
        let ok = check_requirement(
            &input("course:cs1", &["b2", "b1", "b1"], "2026-12-31"),
            today,
        )
        .unwrap();
        assert_eq!(ok.kind, RequiredKind::Course);
        assert_eq!(ok.what, "cs1");
        assert_eq!(ok.targets, vec!["b1", "b2"], "sorted, each once");
        assert_eq!(ok.due, day("2026-12-31"));
        assert_eq!(
            check_requirement(&input("exam:ex1", &["b1"], "2026-12-04"), today)
                .unwrap()
                .kind,
            RequiredKind::Exam,
            "today is a valid deadline"
        );
        // One item of a course: an article, a video, a document or a 党课 record.
        let item = check_requirement(&input(" item:it1 ", &["b1"], "2026-12-31"), today).unwrap();
        assert_eq!((item.kind, item.what.as_str()), (RequiredKind::Item, "it1"));
        for (what, targets, due, problem) in [
            ("", &["b1"][..], "2026-12-31", RequiredProblem::What),
            ("quiz:x", &["b1"], "2026-12-31", RequiredProblem::What),
            ("item:", &["b1"], "2026-12-31", RequiredProblem::What),
            ("course:a b", &["b1"], "2026-12-31", RequiredProblem::What),
            ("course:cs1", &[], "2026-12-31", RequiredProblem::Targets),
            (
                "course:cs1",
                &["  "],
                "2026-12-31",
                RequiredProblem::Targets,
            ),
            ("course:cs1", &["b1"], "31/12/2026", RequiredProblem::Due),
            (
                "course:cs1",
                &["b1"],
                "2026-12-03",
                RequiredProblem::DuePast,
            ),
            ("course:cs1", &["b1"], "2028-01-01", RequiredProblem::DueFar),
        ] {
            assert_eq!(
                check_requirement(&input(what, targets, due), today),
                Err(problem),
                "{what} {targets:?} {due}"
            );
        }
        let mut long = input("course:cs1", &["b1"], "2026-12-31");
        long.title = "学".repeat(TITLE_MAX + 1);
        assert_eq!(check_requirement(&long, today), Err(RequiredProblem::Title));
        // Members named individually: besides organisations or instead of them, each once.
        let mut named = input("course:cs1", &[], "2026-12-31");
        named.members = vec!["m2".into(), " m1 ".into(), "m2".into(), "".into()];
        let ok = check_requirement(&named, today).unwrap();
        assert!(ok.targets.is_empty());
        assert_eq!(ok.members, vec!["m1", "m2"], "sorted, each once");
        named.targets = vec!["b1".into()];
        assert_eq!(
            check_requirement(&named, today).unwrap().targets,
            vec!["b1"]
        );
        named.members = vec!["not a key".into()];
        assert_eq!(
            check_requirement(&named, today),
            Err(RequiredProblem::Members)
        );
        named.members = (0..=MEMBERS_MAX).map(|i| format!("m{i}")).collect();
        assert_eq!(
            check_requirement(&named, today),
            Err(RequiredProblem::Members),
            "at most {MEMBERS_MAX}"
        );
        assert_eq!(RequiredProblem::Members.field(), "members");
        // A requirement already set may keep its deadline when it is changed.
        let mut kept = input("course:cs1", &["b1"], "2026-11-30");
        kept.id = "rq1".into();
        assert!(check_requirement(&kept, today).is_ok());
    }
}
