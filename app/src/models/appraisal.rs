//! 民主评议党员 (issue 14): the yearly appraisal of a branch's members at its 组织生活会.
//!
//! Each member submits a 党性分析 (self-assessment) beforehand; during the vote every
//! member on the list grades every other member 优秀 / 合格 / 基本合格 / 不合格; the branch
//! then decides each member's grade, with 优秀 for at most about a third of them.
//!
//! Anonymity is by construction, not by permission: a ballot is never stored. Casting one
//! writes, in one transaction, that the voter has voted (no grades) and adds one to a
//! counter per member and grade (no voter). Nothing links the two, so no query, export or
//! administrator can tell who graded whom how; the committee sees only the totals, and
//! only after the vote is closed (docs/organisational-life.md, "The ballot").

use serde::{Deserialize, Serialize};

word_enum! {
    /// 评议等次.
    Grade {
        Excellent => "excellent" / ApGradeExcellent,
        Qualified => "qualified" / ApGradeQualified,
        Basic => "basic" / ApGradeBasic,
        Unqualified => "unqualified" / ApGradeUnqualified,
    }
}

word_enum! {
    /// Where an appraisal stands: self-assessments are collected, then the vote, then the
    /// totals are read (closed), then the branch decides.
    AppraisalState {
        Collecting => "collecting" / ApStateCollecting,
        Voting => "voting" / ApStateVoting,
        Closed => "closed" / ApStateClosed,
        Decided => "decided" / ApStateDecided,
    }
}

impl AppraisalState {
    /// The state a committee may move to from this one.
    pub fn next(self) -> Option<AppraisalState> {
        match self {
            AppraisalState::Collecting => Some(AppraisalState::Voting),
            AppraisalState::Voting => Some(AppraisalState::Closed),
            AppraisalState::Closed | AppraisalState::Decided => None,
        }
    }
}

/// The default share of 优秀, in percent of the members appraised ("about one third").
pub const EXCELLENT_PERCENT: u32 = 33;

/// How many members may be graded 优秀 among `n` at `percent`: `n × percent / 100`,
/// rounded to the nearest whole member (3 members at 33 %: 1; 20: 7; 10: 3).
pub fn max_excellent(n: usize, percent: u32) -> usize {
    (n * percent as usize + 50) / 100
}

/// A self-assessment (党性分析): 20 to 5,000 characters.
pub const SELF_MIN: usize = 20;
pub const SELF_MAX: usize = 5_000;

/// Input of `open_appraisal`: the branch and year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenAppraisalInput {
    pub org: String,
    #[serde(default)]
    pub year: i32,
    /// The share of 优秀 allowed, in percent; 0: the default.
    #[serde(default)]
    pub excellent_percent: u32,
}

/// Input of `submit_self_assessment`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessmentInput {
    pub appraisal: String,
    pub text: String,
}

/// One grade on a ballot, or in a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub member: String,
    pub grade: Grade,
}

/// Input of `cast_ballot`: a grade for every other member on the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotInput {
    pub appraisal: String,
    #[serde(default)]
    pub marks: Vec<Mark>,
}

/// Input of `decide_appraisal`: the branch's grade for every member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInput {
    pub appraisal: String,
    #[serde(default)]
    pub marks: Vec<Mark>,
}

/// One member on an appraisal's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppraisalMember {
    pub member: String,
    pub name: String,
    /// Whether their 党性分析 is in (the committee sees it; others see their own).
    pub self_assessed: bool,
    /// Their self-assessment's text (the committee; a member: their own).
    pub self_text: String,
    /// The totals of the vote, per grade in `Grade::ALL` order (the committee, once closed).
    pub counts: Vec<u32>,
    /// The branch's decision (the committee; a member: their own).
    pub decided: Option<Grade>,
}

/// One appraisal as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppraisalView {
    pub id: String,
    pub org: String,
    pub org_name: String,
    pub year: i32,
    pub state: AppraisalState,
    pub excellent_percent: u32,
    /// How many of the list may be graded 优秀.
    pub excellent_max: u32,
    pub members: Vec<AppraisalMember>,
    /// How many have voted, of how many.
    pub voted: u32,
    pub voters: u32,
    /// The caller is on the list: may submit, vote.
    pub on_list: bool,
    /// The caller has voted.
    pub has_voted: bool,
    /// The caller runs the branch's appraisal (its committee or the office).
    pub can_manage: bool,
}

/// An appraisal in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppraisalRow {
    pub id: String,
    pub org_name: String,
    pub year: i32,
    pub state: AppraisalState,
    pub voted: u32,
    pub voters: u32,
}

/// Why a ballot or a decision is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkProblem {
    /// A member not on the list, or graded twice, or the voter grading themself.
    Stranger,
    /// Someone on the list is not graded.
    Missing,
    /// More 优秀 than the share allows.
    TooManyExcellent,
}

/// Checks a ballot: every member of `list` but `voter` graded exactly once, nobody else.
pub fn check_ballot(list: &[String], voter: &str, marks: &[Mark]) -> Result<(), MarkProblem> {
    check_marks(list, Some(voter), marks)
}

/// Checks a decision: every member of `list` graded exactly once, 优秀 within the share.
pub fn check_decision(list: &[String], marks: &[Mark], percent: u32) -> Result<(), MarkProblem> {
    check_marks(list, None, marks)?;
    let excellent = marks.iter().filter(|m| m.grade == Grade::Excellent).count();
    if excellent > max_excellent(list.len(), percent) {
        return Err(MarkProblem::TooManyExcellent);
    }
    Ok(())
}

fn check_marks(list: &[String], voter: Option<&str>, marks: &[Mark]) -> Result<(), MarkProblem> {
    let mut seen: Vec<&str> = Vec::with_capacity(marks.len());
    for m in marks {
        let known = list.iter().any(|l| *l == m.member);
        if !known || Some(m.member.as_str()) == voter || seen.contains(&m.member.as_str()) {
            return Err(MarkProblem::Stranger);
        }
        seen.push(&m.member);
    }
    let expected = list.len() - usize::from(voter.is_some_and(|v| list.iter().any(|l| l == v)));
    if seen.len() != expected {
        return Err(MarkProblem::Missing);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Vec<String> {
        ["m1", "m2", "m3", "m4"].map(String::from).to_vec()
    }

    fn mark(member: &str, grade: Grade) -> Mark {
        Mark {
            member: member.into(),
            grade,
        }
    }

    #[test]
    fn the_share_of_excellent_is_about_a_third() {
        assert_eq!(max_excellent(3, 33), 1);
        assert_eq!(max_excellent(10, 33), 3);
        assert_eq!(max_excellent(20, 33), 7);
        assert_eq!(max_excellent(1, 33), 0);
        assert_eq!(max_excellent(20, 20), 4);
        assert_eq!(max_excellent(0, 33), 0);
    }

    #[test]
    fn a_ballot_grades_every_other_member_once() {
        let ok = [
            mark("m2", Grade::Excellent),
            mark("m3", Grade::Qualified),
            mark("m4", Grade::Basic),
        ];
        assert_eq!(check_ballot(&list(), "m1", &ok), Ok(()));
        // Grading oneself, a stranger or someone twice.
        let own = [
            mark("m1", Grade::Excellent),
            mark("m3", Grade::Qualified),
            mark("m4", Grade::Basic),
        ];
        assert_eq!(
            check_ballot(&list(), "m1", &own),
            Err(MarkProblem::Stranger)
        );
        let stranger = [mark("m9", Grade::Excellent)];
        assert_eq!(
            check_ballot(&list(), "m1", &stranger),
            Err(MarkProblem::Stranger)
        );
        let twice = [
            mark("m2", Grade::Excellent),
            mark("m2", Grade::Basic),
            mark("m4", Grade::Basic),
        ];
        assert_eq!(
            check_ballot(&list(), "m1", &twice),
            Err(MarkProblem::Stranger)
        );
        // Someone left out.
        assert_eq!(
            check_ballot(&list(), "m1", &ok[..2]),
            Err(MarkProblem::Missing)
        );
    }

    #[test]
    fn a_decision_grades_everyone_with_excellent_within_the_share() {
        let all_qualified: Vec<Mark> = list().iter().map(|m| mark(m, Grade::Qualified)).collect();
        assert_eq!(check_decision(&list(), &all_qualified, 33), Ok(()));
        let mut one = all_qualified.clone();
        one[0].grade = Grade::Excellent;
        assert_eq!(check_decision(&list(), &one, 33), Ok(()));
        let mut two = one.clone();
        two[1].grade = Grade::Excellent;
        assert_eq!(
            check_decision(&list(), &two, 33),
            Err(MarkProblem::TooManyExcellent),
            "4 members at 33 %: one 优秀"
        );
        assert_eq!(check_decision(&list(), &two, 50), Ok(()));
        assert_eq!(
            check_decision(&list(), &all_qualified[1..], 33),
            Err(MarkProblem::Missing)
        );
    }

    #[test]
    fn the_states_go_one_way() {
        assert_eq!(
            AppraisalState::Collecting.next(),
            Some(AppraisalState::Voting)
        );
        assert_eq!(AppraisalState::Voting.next(), Some(AppraisalState::Closed));
        assert_eq!(AppraisalState::Closed.next(), None);
        assert_eq!(AppraisalState::Decided.next(), None);
    }
}
