//! The development pipeline (发展党员): 5 stages, 25 steps (中国共产党发展党员工作细则,
//! 2014), the time rules between them, and what is due next.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
use crate::models::member::Gender;

word_enum! {
    /// Whether a person is still in the pipeline: in progress, completed (became a full
    /// member) or withdrawn.
    CandidateStatus {
        Active => "active" / PipelineInProgress,
        Completed => "completed" / PipelineDone,
        Withdrawn => "withdrawn" / PipelineWithdrawn,
    }
}

/// The five stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// 入党申请人
    Applicant,
    /// 入党积极分子
    Activist,
    /// 发展对象
    Candidate,
    /// 预备党员 (being admitted)
    Admission,
    /// 预备党员 in probation, up to 转正
    Probation,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::Candidate,
        Stage::Admission,
        Stage::Probation,
    ];

    pub fn label(self) -> T {
        match self {
            Stage::Applicant => T::StageApplicant,
            Stage::Activist => T::StageActivist,
            Stage::Candidate => T::StageCandidate,
            Stage::Admission => T::StageAdmission,
            Stage::Probation => T::StageProbation,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Admission => "admission",
            Stage::Probation => "probation",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a step needs recorded beside its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// Two people: 培养联系人 or 入党介绍人.
    TwoPeople,
    /// The approving body (上级党委, 支部大会 ...).
    Approver,
}

/// One of the 25 steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub no: u8,
    pub stage: Stage,
    pub zh: &'static str,
    pub en: &'static str,
    pub needs: Needs,
}

impl Step {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn step(no: u8, stage: Stage, zh: &'static str, en: &'static str, needs: Needs) -> Step {
    Step {
        no,
        stage,
        zh,
        en,
        needs,
    }
}

/// The 25 steps, in order.
pub const STEPS: [Step; 25] = [
    step(
        1,
        Stage::Applicant,
        "递交入党申请书",
        "Application submitted",
        Needs::Nothing,
    ),
    step(
        2,
        Stage::Applicant,
        "党组织派人谈话",
        "Talk with the applicant",
        Needs::Nothing,
    ),
    step(
        3,
        Stage::Activist,
        "推荐和确定入党积极分子",
        "Nominated as activist",
        Needs::Approver,
    ),
    step(
        4,
        Stage::Activist,
        "报上级党委备案",
        "Recorded with the higher committee",
        Needs::Nothing,
    ),
    step(
        5,
        Stage::Activist,
        "指定培养联系人",
        "Two mentors assigned",
        Needs::TwoPeople,
    ),
    step(
        6,
        Stage::Activist,
        "培养教育考察",
        "Education and observation",
        Needs::Nothing,
    ),
    step(
        7,
        Stage::Candidate,
        "确定发展对象",
        "Selected for development",
        Needs::Approver,
    ),
    step(
        8,
        Stage::Candidate,
        "报上级党委备案",
        "Recorded with the higher committee",
        Needs::Nothing,
    ),
    step(
        9,
        Stage::Candidate,
        "确定入党介绍人",
        "Two sponsors named",
        Needs::TwoPeople,
    ),
    step(
        10,
        Stage::Candidate,
        "进行政治审查",
        "Political review",
        Needs::Nothing,
    ),
    step(
        11,
        Stage::Candidate,
        "开展集中培训",
        "Centralised training",
        Needs::Nothing,
    ),
    step(
        12,
        Stage::Admission,
        "支部委员会审查",
        "Branch committee review",
        Needs::Nothing,
    ),
    step(
        13,
        Stage::Admission,
        "上级党委预审",
        "Higher committee pre-review",
        Needs::Approver,
    ),
    step(
        14,
        Stage::Admission,
        "填写入党志愿书",
        "Application form (入党志愿书)",
        Needs::Nothing,
    ),
    step(
        15,
        Stage::Admission,
        "支部大会讨论",
        "Branch general meeting vote",
        Needs::Nothing,
    ),
    step(
        16,
        Stage::Admission,
        "上级党委派人谈话",
        "Talk by the higher committee",
        Needs::Nothing,
    ),
    step(
        17,
        Stage::Admission,
        "上级党委审批",
        "Higher committee approval",
        Needs::Approver,
    ),
    step(
        18,
        Stage::Admission,
        "再上级党委组织部门备案",
        "Recorded with the next level up",
        Needs::Nothing,
    ),
    step(
        19,
        Stage::Probation,
        "编入党支部和党小组",
        "Assigned to branch and group",
        Needs::Nothing,
    ),
    step(20, Stage::Probation, "入党宣誓", "Oath", Needs::Nothing),
    step(
        21,
        Stage::Probation,
        "继续教育考察",
        "Education during probation",
        Needs::Nothing,
    ),
    step(
        22,
        Stage::Probation,
        "提出转正申请",
        "Application for full membership",
        Needs::Nothing,
    ),
    step(
        23,
        Stage::Probation,
        "支部大会讨论转正",
        "Branch meeting vote on full membership",
        Needs::Nothing,
    ),
    step(
        24,
        Stage::Probation,
        "上级党委审批转正",
        "Higher committee approval of full membership",
        Needs::Approver,
    ),
    step(
        25,
        Stage::Probation,
        "材料归档",
        "Records archived",
        Needs::Nothing,
    ),
];

/// The step that makes the person a 预备党员 (the member record is created then).
pub const ADMITTED_STEP: u8 = 17;
/// The branch meeting whose date is the 入党日期 (probation counts from it).
pub const ADMISSION_MEETING_STEP: u8 = 15;
/// The approval that makes the probationary member a full member.
pub const FULL_STEP: u8 = 24;

pub fn step_of(no: u8) -> Option<&'static Step> {
    STEPS.get(usize::from(no).checked_sub(1)?)
}

/// The stage someone is in after completing step `done` (0: none yet).
pub fn stage_after(done: u8) -> Stage {
    match done {
        0..=2 => Stage::Applicant,
        3..=6 => Stage::Activist,
        7..=11 => Stage::Candidate,
        12..=ADMITTED_STEP => {
            if done == ADMITTED_STEP {
                Stage::Probation
            } else {
                Stage::Admission
            }
        }
        _ => Stage::Probation,
    }
}

fn plus_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(d)
}

fn plus_years(d: NaiveDate, years: i32) -> NaiveDate {
    d.with_year(d.year() + years)
        .or_else(|| d.with_day(28).and_then(|x| x.with_year(x.year() + years)))
        .unwrap_or(d)
}

/// Why a step is refused; each names the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepProblem {
    /// Steps are recorded in order: this one is not the next.
    NotNext(u8),
    /// The date lies in the future.
    FutureDate,
    /// A step cannot precede the step before it.
    BeforePrevious(NaiveDate),
    /// An applicant must be 18 on the day of application.
    TooYoung,
    /// ≥ 1 year as 入党积极分子 before becoming 发展对象.
    ActivistYear(NaiveDate),
    /// 1 year of probation before the 转正 vote.
    ProbationYear(NaiveDate),
    /// 培养联系人 / 入党介绍人: two people.
    TwoPeopleNeeded,
    /// The approving body is named.
    ApproverNeeded,
    /// The pipeline is complete.
    Finished,
}

impl StepProblem {
    pub fn field(self) -> &'static str {
        match self {
            StepProblem::TwoPeopleNeeded => "responsible",
            StepProblem::ApproverNeeded => "approver",
            StepProblem::NotNext(_) | StepProblem::Finished => "step",
            _ => "date",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let t = |k: T| lang.t(k).to_string();
        match self {
            StepProblem::NotNext(n) => lang.t(T::StepNotNext(n)),
            StepProblem::FutureDate => t(T::MfFuture),
            StepProblem::BeforePrevious(d) => lang.t(T::StepBeforePrevious(d)),
            StepProblem::TooYoung => t(T::MfTooYoung),
            StepProblem::ActivistYear(d) => lang.t(T::StepActivistYear(d)),
            StepProblem::ProbationYear(d) => lang.t(T::StepProbationYear(d)),
            StepProblem::TwoPeopleNeeded => t(T::StepTwoPeople),
            StepProblem::ApproverNeeded => t(T::StepApprover),
            StepProblem::Finished => t(T::StepFinished),
        }
    }
}

/// A recorded step: its number and date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Done {
    pub no: u8,
    pub date: NaiveDate,
}

fn date_of(done: &[Done], no: u8) -> Option<NaiveDate> {
    done.iter().find(|d| d.no == no).map(|d| d.date)
}

/// Checks recording step `no` on `date` after the steps `done` (in order), for a person
/// born on `birth`. `people` and `approver` are what was entered with it.
pub fn check_step(
    done: &[Done],
    no: u8,
    date: NaiveDate,
    birth: NaiveDate,
    today: NaiveDate,
    people: usize,
    approver: &str,
) -> Result<(), StepProblem> {
    let last = done.iter().map(|d| d.no).max().unwrap_or(0);
    if usize::from(last) >= STEPS.len() {
        return Err(StepProblem::Finished);
    }
    if no != last + 1 {
        return Err(StepProblem::NotNext(last + 1));
    }
    if date > today {
        return Err(StepProblem::FutureDate);
    }
    if let Some(prev) = date_of(done, last)
        && date < prev
    {
        return Err(StepProblem::BeforePrevious(prev));
    }
    if no == 1 && date < plus_years(birth, 18) {
        return Err(StepProblem::TooYoung);
    }
    if no == 7
        && let Some(activist) = date_of(done, 3)
    {
        let earliest = plus_years(activist, 1);
        if date < earliest {
            return Err(StepProblem::ActivistYear(earliest));
        }
    }
    if no == 23
        && let Some(admitted) = date_of(done, ADMISSION_MEETING_STEP)
    {
        let earliest = plus_years(admitted, 1);
        if date < earliest {
            return Err(StepProblem::ProbationYear(earliest));
        }
    }
    let step = step_of(no).ok_or(StepProblem::Finished)?;
    match step.needs {
        Needs::TwoPeople if people < 2 => Err(StepProblem::TwoPeopleNeeded),
        Needs::Approver if approver.trim().is_empty() => Err(StepProblem::ApproverNeeded),
        _ => Ok(()),
    }
}

/// The next step and the date by which (or from which) it is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub no: u8,
    /// The step may not be recorded before this date (a time rule), if any.
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub earliest: Option<NaiveDate>,
    /// The step should be recorded by this date, if a deadline applies.
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub due: Option<NaiveDate>,
}

/// What comes next after `done`, with the time rules and deadlines that apply:
/// the talk within a month of application; 发展对象 no earlier than a year after becoming
/// 积极分子; approval within three months of the branch meeting; the 转正 application by
/// the end of the year of probation.
pub fn next_step(done: &[Done]) -> Option<NextStep> {
    let last = done.iter().map(|d| d.no).max().unwrap_or(0);
    if usize::from(last) >= STEPS.len() {
        return None;
    }
    let no = last + 1;
    let (earliest, due) = match no {
        2 => (None, date_of(done, 1).map(|d| plus_months(d, 1))),
        7 => (date_of(done, 3).map(|d| plus_years(d, 1)), None),
        16 | 17 => (None, date_of(done, 15).map(|d| plus_months(d, 3))),
        22 => (None, date_of(done, 15).map(|d| plus_years(d, 1))),
        23 => (date_of(done, 15).map(|d| plus_years(d, 1)), None),
        24 => (None, date_of(done, 23).map(|d| plus_months(d, 3))),
        _ => (None, None),
    };
    Some(NextStep { no, earliest, due })
}

/// Whether the next step is past its deadline.
pub fn is_overdue(next: Option<NextStep>, today: NaiveDate) -> bool {
    next.and_then(|n| n.due).is_some_and(|due| today > due)
}

/// The date probation ends and full membership counts from (预备期满之日).
pub fn full_membership_date(admitted: NaiveDate) -> NaiveDate {
    plus_years(admitted, 1)
}

/// Names typed in one line (、 , ; or spaces), trimmed, at most 4 of 20 characters each.
pub fn parse_people(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', '，', '、', ';', '；', ' ', '\u{3000}']) {
        let part: String = part.trim().chars().take(20).collect();
        if !part.is_empty() && !out.contains(&part) && out.len() < 4 {
            out.push(part);
        }
    }
    out
}

/// One person in the pipeline, as the lists show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateLine {
    pub id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    pub stage: Stage,
    /// The last step recorded (0 none).
    pub step: u8,
    pub next: Option<NextStep>,
    pub overdue: bool,
    pub member: Option<String>,
}

/// Counts by stage for one organisation (the committee view) or all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCounts {
    pub org_id: String,
    pub org_name: String,
    /// In `Stage::ALL` order.
    pub counts: [u32; 5],
    pub overdue: u32,
}

/// The pipeline view: people (filtered) and counts per branch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelinePage {
    pub people: Vec<CandidateLine>,
    pub branches: Vec<StageCounts>,
}

/// Input of `list_pipeline`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineQuery {
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub overdue: bool,
}

/// A recorded step as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub no: u8,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub date: NaiveDate,
    pub responsible: Vec<String>,
    pub approver: String,
    pub materials: String,
    pub actor: String,
}

/// One person's pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateDetail {
    pub line: CandidateLine,
    pub gender: Gender,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub birth_date: NaiveDate,
    pub department: String,
    pub id_number_masked: String,
    pub steps: Vec<StepRecord>,
}

/// Input of `create_candidate`: the person and step 1 (the application).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateInput {
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub title: String,
    pub org: String,
    pub application_date: String,
}

/// Input of `record_step`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    pub candidate: String,
    pub step: u8,
    pub date: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub approver: String,
    #[serde(default)]
    pub materials: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const BIRTH: &str = "1995-06-01";
    const TODAY: &str = "2026-11-22";

    fn check(done: &[Done], no: u8, date: &str) -> Result<(), StepProblem> {
        check_step(done, no, d(date), d(BIRTH), d(TODAY), 2, "院党委")
    }

    fn upto(n: u8, start: &str) -> Vec<Done> {
        let start = d(start);
        (1..=n)
            .map(|no| Done {
                no,
                date: start
                    .checked_add_days(chrono::Days::new(u64::from(no) * 40))
                    .unwrap(),
            })
            .collect()
    }

    #[test]
    fn there_are_twenty_five_steps_in_five_stages() {
        assert_eq!(STEPS.len(), 25);
        for (i, s) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(s.no), i + 1);
        }
        for stage in Stage::ALL {
            assert!(STEPS.iter().any(|s| s.stage == stage));
        }
        assert_eq!(stage_after(0), Stage::Applicant);
        assert_eq!(stage_after(3), Stage::Activist);
        assert_eq!(stage_after(7), Stage::Candidate);
        assert_eq!(stage_after(12), Stage::Admission);
        assert_eq!(stage_after(17), Stage::Probation);
        assert_eq!(stage_after(25), Stage::Probation);
    }

    #[test]
    fn steps_go_in_order_not_in_the_future_nor_backwards() {
        assert_eq!(check(&[], 2, "2020-01-01"), Err(StepProblem::NotNext(1)));
        assert_eq!(check(&[], 1, "2027-01-01"), Err(StepProblem::FutureDate));
        let done = [Done {
            no: 1,
            date: d("2020-03-01"),
        }];
        assert_eq!(
            check(&done, 2, "2020-02-01"),
            Err(StepProblem::BeforePrevious(d("2020-03-01")))
        );
        assert_eq!(check(&done, 2, "2020-03-20"), Ok(()));
        assert_eq!(
            check(&upto(25, "2015-01-01"), 25, "2020-01-01"),
            Err(StepProblem::Finished)
        );
    }

    #[test]
    fn applicants_are_eighteen() {
        assert_eq!(check(&[], 1, "2013-05-31"), Err(StepProblem::TooYoung));
        assert_eq!(check(&[], 1, "2013-06-01"), Ok(()));
    }

    #[test]
    fn a_year_as_activist_before_becoming_a_candidate() {
        let mut done = upto(6, "2020-01-01");
        done[2].date = d("2020-04-01");
        done[3].date = d("2020-04-02");
        done[4].date = d("2020-04-03");
        done[5].date = d("2020-04-04");
        assert_eq!(
            check(&done, 7, "2021-03-31"),
            Err(StepProblem::ActivistYear(d("2021-04-01")))
        );
        assert_eq!(check(&done, 7, "2021-04-01"), Ok(()));
        let next = next_step(&done).unwrap();
        assert_eq!(next.no, 7);
        assert_eq!(next.earliest, Some(d("2021-04-01")));
    }

    #[test]
    fn a_year_of_probation_before_the_vote() {
        let mut done = upto(22, "2018-01-01");
        done[14].date = d("2020-07-01");
        for x in done.iter_mut().skip(15) {
            x.date = d("2020-08-01");
        }
        assert_eq!(
            check(&done, 23, "2021-06-30"),
            Err(StepProblem::ProbationYear(d("2021-07-01")))
        );
        assert_eq!(check(&done, 23, "2021-07-01"), Ok(()));
        assert_eq!(full_membership_date(d("2020-07-01")), d("2021-07-01"));
    }

    #[test]
    fn mentors_and_sponsors_are_two_and_approvals_name_the_body() {
        let done = upto(4, "2020-01-01");
        assert_eq!(
            check_step(&done, 5, d("2021-01-01"), d(BIRTH), d(TODAY), 1, ""),
            Err(StepProblem::TwoPeopleNeeded)
        );
        let done = upto(2, "2020-01-01");
        assert_eq!(
            check_step(&done, 3, d("2021-01-01"), d(BIRTH), d(TODAY), 0, " "),
            Err(StepProblem::ApproverNeeded)
        );
        assert_eq!(
            parse_people("张三、李四，张三 王五"),
            vec!["张三", "李四", "王五"]
        );
    }

    #[test]
    fn overdue_steps_are_flagged() {
        let done = [Done {
            no: 1,
            date: d("2026-09-01"),
        }];
        let next = next_step(&done);
        assert_eq!(next.unwrap().due, Some(d("2026-10-01")));
        assert!(is_overdue(next, d("2026-10-02")));
        assert!(!is_overdue(next, d("2026-10-01")));
        assert!(
            !is_overdue(next_step(&upto(3, "2026-01-01")), d(TODAY)),
            "no deadline"
        );
        assert_eq!(next_step(&upto(25, "2015-01-01")), None);
    }
}
