//! `assessment`: the rules of the closed loop 任务发布 → 执行 → 评价 → 整改 and of the
//! branch assessment it rolls up into (issue 13). Pure: no I/O, compiled on both sides.
//!
//! - The indicator tree of a period: 一级 indicators with weights that sum to 100, each in
//!   one evaluation dimension, with 二级 indicators that carry a maximum score and the
//!   guidance reviewers score against ([`check_tree`]).
//! - Star ratings from a period's thresholds ([`StarThresholds`]).
//! - The roll-up of review scores into a branch's period score and its score per
//!   dimension ([`roll_up`]), in integer hundredths of a point so that the score kept up to
//!   date on every review and the one recomputed from the raw reviews are the same number.
//! - The state machines of tasks, assignments and rectification items: every transition
//!   is checked here, and a refusal names the rule ([`Illegal`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};

word_enum! {
    /// 评价维度: the three dimensions of the evaluation model every indicator belongs to.
    Dimension {
        Effectiveness => "effectiveness" / AsDimEffectiveness,
        Synergy => "synergy" / AsDimSynergy,
        Satisfaction => "satisfaction" / AsDimSatisfaction,
    }
}

word_enum! {
    /// A period is open until it is scored and closed; a closed period is read-only.
    PeriodStatus {
        Open => "open" / AsPeriodOpen,
        Closed => "closed" / AsPeriodClosed,
    }
}

/// Points are kept in hundredths (`9050` is 90.50 points).
pub type Hundredths = u32;

/// The most a 二级 indicator may be worth, in points.
pub const MAX_ITEM_POINTS: u32 = 100;
/// Longest indicator name and scoring guidance, in characters.
pub const NAME_MAX: usize = 60;
pub const GUIDANCE_MAX: usize = 500;

/// A 一级 indicator as entered: its weight (of 100), dimension and 二级 indicators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorDraft {
    pub name: String,
    pub weight: u32,
    pub dimension: Dimension,
    pub items: Vec<ItemDraft>,
}

/// A 二级 indicator as entered: what it is worth and how to score it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    pub name: String,
    pub max_points: u32,
    #[serde(default)]
    pub guidance: String,
}

/// Why an indicator tree is refused; each names the rule and where it is broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeProblem {
    /// A period needs at least one 一级 indicator.
    Empty,
    /// Every indicator has a name of 1–60 characters (the position, counted from 1).
    NameMissing {
        position: String,
    },
    NameTooLong {
        name: String,
    },
    /// Two indicators at the same level under the same parent share a name.
    NameTwice {
        name: String,
    },
    /// A weight is 1–100.
    WeightOutOfRange {
        name: String,
    },
    /// The weights of the 一级 indicators sum to 100.
    WeightSum {
        sum: u32,
    },
    /// A 一级 indicator has at least one 二级 indicator.
    NoItems {
        name: String,
    },
    /// A 二级 indicator is worth 1–100 points.
    MaxOutOfRange {
        name: String,
    },
    GuidanceTooLong {
        name: String,
    },
}

impl TreeProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TreeProblem::Empty => lang.t(T::AsTreeEmpty).to_string(),
            TreeProblem::NameMissing { position } => T::AsNameMissing(position.as_str())(lang),
            TreeProblem::NameTooLong { name } => T::AsNameTooLong(name.as_str(), NAME_MAX)(lang),
            TreeProblem::NameTwice { name } => T::AsNameTwice(name.as_str())(lang),
            TreeProblem::WeightOutOfRange { name } => T::AsWeightRange(name.as_str())(lang),
            TreeProblem::WeightSum { sum } => T::AsWeightSum(*sum)(lang),
            TreeProblem::NoItems { name } => T::AsNoItems(name.as_str())(lang),
            TreeProblem::MaxOutOfRange { name } => {
                T::AsMaxRange(name.as_str(), MAX_ITEM_POINTS)(lang)
            }
            TreeProblem::GuidanceTooLong { name } => {
                T::AsGuidanceTooLong(name.as_str(), GUIDANCE_MAX)(lang)
            }
        }
    }
}

/// Checks a period's indicator tree; the first problem found, in reading order, with the
/// weight sum last (so a typo in a name is reported before arithmetic).
pub fn check_tree(tree: &[IndicatorDraft]) -> Result<(), TreeProblem> {
    if tree.is_empty() {
        return Err(TreeProblem::Empty);
    }
    let named = |name: &str, position: String| -> Result<(), TreeProblem> {
        let name = name.trim();
        if name.is_empty() {
            Err(TreeProblem::NameMissing { position })
        } else if name.chars().count() > NAME_MAX {
            Err(TreeProblem::NameTooLong {
                name: name.chars().take(12).collect(),
            })
        } else {
            Ok(())
        }
    };
    let mut seen = std::collections::HashSet::new();
    for (i, indicator) in tree.iter().enumerate() {
        named(&indicator.name, format!("{}", i + 1))?;
        let name = indicator.name.trim().to_string();
        if !seen.insert(name.clone()) {
            return Err(TreeProblem::NameTwice { name });
        }
        if !(1..=100).contains(&indicator.weight) {
            return Err(TreeProblem::WeightOutOfRange { name });
        }
        if indicator.items.is_empty() {
            return Err(TreeProblem::NoItems { name });
        }
        let mut items = std::collections::HashSet::new();
        for (j, item) in indicator.items.iter().enumerate() {
            named(&item.name, format!("{}.{}", i + 1, j + 1))?;
            let item_name = item.name.trim().to_string();
            if !items.insert(item_name.clone()) {
                return Err(TreeProblem::NameTwice { name: item_name });
            }
            if !(1..=MAX_ITEM_POINTS).contains(&item.max_points) {
                return Err(TreeProblem::MaxOutOfRange { name: item_name });
            }
            if item.guidance.trim().chars().count() > GUIDANCE_MAX {
                return Err(TreeProblem::GuidanceTooLong { name: item_name });
            }
        }
    }
    let sum: u32 = tree.iter().map(|i| i.weight).sum();
    if sum != 100 {
        return Err(TreeProblem::WeightSum { sum });
    }
    Ok(())
}

/// The lowest score (in hundredths) for five, four, three and two stars; every scored
/// branch has at least one star. Strictly decreasing, within 0–100 points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarThresholds(pub [Hundredths; 4]);

impl Default for StarThresholds {
    /// ≥ 90 five stars, ≥ 80 four, ≥ 70 three, ≥ 60 two, below that one.
    fn default() -> Self {
        StarThresholds([9000, 8000, 7000, 6000])
    }
}

impl StarThresholds {
    /// Whether the thresholds are usable: strictly decreasing, none above 100 points.
    pub fn check(&self) -> Result<(), T> {
        let t = self.0;
        if t[0] > 10_000 || t.windows(2).any(|w| w[0] <= w[1]) {
            return Err(T::AsStarsOrder);
        }
        Ok(())
    }

    /// The star rating (1–5) of a period score.
    pub fn stars(&self, score: Hundredths) -> u8 {
        let above = self.0.iter().filter(|min| score >= **min).count();
        1 + above as u8
    }
}

/// A 一级 indicator's part in the roll-up: its weight and dimension, and per 二级
/// indicator its maximum and the points awarded so far (`None`: not yet scored, counted
/// as 0 in the score so far).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorScores {
    pub weight: u32,
    pub dimension: Dimension,
    /// (maximum, awarded), both in hundredths.
    pub items: Vec<(Hundredths, Option<Hundredths>)>,
}

/// A branch's period score: the total and per dimension, each out of 100 points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollup {
    pub total: Hundredths,
    pub effectiveness: Hundredths,
    pub synergy: Hundredths,
    pub satisfaction: Hundredths,
}

impl Rollup {
    pub fn dimension(&self, d: Dimension) -> Hundredths {
        match d {
            Dimension::Effectiveness => self.effectiveness,
            Dimension::Synergy => self.synergy,
            Dimension::Satisfaction => self.satisfaction,
        }
    }
}

/// `a × b / c` rounded half up, in u64 (`c > 0`).
fn mul_div(a: u64, b: u64, c: u64) -> u64 {
    (2 * a * b + c) / (2 * c)
}

/// The period score: Σ weight × (awarded ÷ maximum) over the 一级 indicators, each term
/// rounded to a hundredth; per dimension the same over its indicators, scaled to 100 by
/// the weight the dimension carries. Awards above an item's maximum count as the maximum.
pub fn roll_up(indicators: &[IndicatorScores]) -> Rollup {
    // Per indicator: its contribution to the total, in hundredths of a point.
    let terms: Vec<(u64, &IndicatorScores)> = indicators
        .iter()
        .map(|ind| {
            let max: u64 = ind.items.iter().map(|(m, _)| u64::from(*m)).sum();
            let got: u64 = ind
                .items
                .iter()
                .map(|(m, a)| u64::from(a.unwrap_or(0).min(*m)))
                .sum();
            let term = if max == 0 {
                0
            } else {
                mul_div(u64::from(ind.weight) * 100, got, max)
            };
            (term, ind)
        })
        .collect();
    let total: u64 = terms.iter().map(|(t, _)| t).sum();
    let per = |d: Dimension| -> Hundredths {
        let weight: u64 = terms
            .iter()
            .filter(|(_, i)| i.dimension == d)
            .map(|(_, i)| u64::from(i.weight))
            .sum();
        let got: u64 = terms
            .iter()
            .filter(|(_, i)| i.dimension == d)
            .map(|(t, _)| t)
            .sum();
        if weight == 0 {
            0
        } else {
            mul_div(got, 100, weight) as Hundredths
        }
    };
    Rollup {
        total: total as Hundredths,
        effectiveness: per(Dimension::Effectiveness),
        synergy: per(Dimension::Synergy),
        satisfaction: per(Dimension::Satisfaction),
    }
}

/// A score written as points with at most two decimals ("90.5", "88").
pub fn show_points(h: Hundredths) -> String {
    let (whole, part) = (h / 100, h % 100);
    match part {
        0 => whole.to_string(),
        p if p % 10 == 0 => format!("{whole}.{}", p / 10),
        p => format!("{whole}.{p:02}"),
    }
}

/// Points as typed ("8", "8.5", "8.25") in hundredths; `None` if not a number of points
/// with at most two decimals.
pub fn parse_points(text: &str) -> Option<Hundredths> {
    let text = text.trim();
    let (whole, part) = match text.split_once('.') {
        Some((_, "")) => return None,
        Some(split) => split,
        None => (text, ""),
    };
    if whole.is_empty() || whole.len() > 4 || part.len() > 2 {
        return None;
    }
    if !whole
        .bytes()
        .chain(part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let part: u32 = format!("{part:0<2}").parse().ok()?;
    Some(whole * 100 + part)
}

word_enum! {
    /// Where a task stands: drafted by the office, published to its targets, or withdrawn
    /// (with a reason; its assignments end).
    TaskStatus {
        Draft => "draft" / AsTaskDraft,
        Published => "published" / AsTaskPublished,
        Withdrawn => "withdrawn" / AsTaskWithdrawn,
    }
}

word_enum! {
    /// What may be done with a task.
    TaskAction {
        Edit => "edit" / AsEdit,
        Publish => "publish" / AsPublish,
        Withdraw => "withdraw" / AsWithdraw,
        Extend => "extend" / AsExtend,
    }
}

word_enum! {
    /// Where one target's assignment stands. A returned answer is answered again as a new
    /// version; a reviewed version never changes.
    AssignmentStatus {
        Pending => "pending" / AsPending,
        Draft => "draft" / AsAnswerDraft,
        Submitted => "submitted" / AsSubmitted,
        Returned => "returned" / AsReturned,
        Accepted => "accepted" / AsAccepted,
        /// The task was withdrawn: nothing more is owed.
        Withdrawn => "withdrawn" / AsTaskWithdrawn,
    }
}

word_enum! {
    /// What may be done with an assignment.
    AssignmentAction {
        SaveDraft => "save" / AsSaveDraft,
        Submit => "submit" / AsSubmit,
        Return => "return" / AsReturn,
        Accept => "accept" / AsAccept,
    }
}

word_enum! {
    /// Where a rectification item (整改) stands.
    RectificationStatus {
        Open => "open" / AsRectOpen,
        Answered => "answered" / AsRectAnswered,
        Closed => "closed" / AsRectClosed,
    }
}

word_enum! {
    /// What may be done with a rectification item.
    RectificationAction {
        Answer => "answer" / AsRectAnswer,
        Close => "close" / AsRectClose,
        Reopen => "reopen" / AsRectReopen,
    }
}

/// A transition the rules do not allow: from which state, by which action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Illegal {
    pub from: T,
    pub action: T,
}

impl Illegal {
    pub fn message(&self, lang: Lang) -> String {
        T::AsIllegal(lang.t(self.from), lang.t(self.action))(lang)
    }
}

impl TaskStatus {
    /// The state after `action`, or why it is refused.
    pub fn next(self, action: TaskAction) -> Result<TaskStatus, Illegal> {
        use TaskAction as A;
        use TaskStatus as S;
        match (self, action) {
            (S::Draft, A::Edit) => Ok(S::Draft),
            (S::Draft, A::Publish) => Ok(S::Published),
            (S::Published, A::Withdraw) => Ok(S::Withdrawn),
            (S::Published, A::Extend) => Ok(S::Published),
            _ => Err(Illegal {
                from: self.label(),
                action: action.label(),
            }),
        }
    }
}

impl AssignmentStatus {
    /// The state after `action`, or why it is refused.
    pub fn next(self, action: AssignmentAction) -> Result<AssignmentStatus, Illegal> {
        use AssignmentAction as A;
        use AssignmentStatus as S;
        match (self, action) {
            (S::Pending | S::Draft | S::Returned, A::SaveDraft) => Ok(S::Draft),
            (S::Pending | S::Draft | S::Returned, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::Return) => Ok(S::Returned),
            (S::Submitted, A::Accept) => Ok(S::Accepted),
            _ => Err(Illegal {
                from: self.label(),
                action: action.label(),
            }),
        }
    }

    /// Whether the target still owes work on it (an inbox item).
    pub fn awaits_target(self) -> bool {
        matches!(
            self,
            AssignmentStatus::Pending | AssignmentStatus::Draft | AssignmentStatus::Returned
        )
    }
}

impl RectificationStatus {
    /// The state after `action`, or why it is refused.
    pub fn next(self, action: RectificationAction) -> Result<RectificationStatus, Illegal> {
        use RectificationAction as A;
        use RectificationStatus as S;
        match (self, action) {
            (S::Open, A::Answer) => Ok(S::Answered),
            (S::Answered, A::Close) => Ok(S::Closed),
            (S::Answered | S::Closed, A::Reopen) => Ok(S::Open),
            _ => Err(Illegal {
                from: self.label(),
                action: action.label(),
            }),
        }
    }
}

/// Whether work with `deadline` is overdue on `today` (China time): the deadline day
/// itself still counts as in time.
pub fn overdue(deadline: NaiveDate, today: NaiveDate) -> bool {
    today > deadline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, max: u32) -> ItemDraft {
        ItemDraft {
            name: name.into(),
            max_points: max,
            guidance: String::new(),
        }
    }

    fn ind(name: &str, weight: u32, d: Dimension, items: Vec<ItemDraft>) -> IndicatorDraft {
        IndicatorDraft {
            name: name.into(),
            weight,
            dimension: d,
            items,
        }
    }

    fn good() -> Vec<IndicatorDraft> {
        vec![
            ind(
                "组织建设",
                40,
                Dimension::Effectiveness,
                vec![item("三会一课", 10), item("发展党员", 10)],
            ),
            ind(
                "业务融合",
                35,
                Dimension::Synergy,
                vec![item("党建+医疗", 10)],
            ),
            ind(
                "群众评价",
                25,
                Dimension::Satisfaction,
                vec![item("满意度", 10)],
            ),
        ]
    }

    #[test]
    fn a_tree_needs_weights_that_sum_to_100_and_names_and_items_everywhere() {
        assert_eq!(check_tree(&good()), Ok(()));
        assert_eq!(check_tree(&[]), Err(TreeProblem::Empty));

        let mut t = good();
        t[2].weight = 20;
        assert_eq!(check_tree(&t), Err(TreeProblem::WeightSum { sum: 95 }));
        assert!(
            TreeProblem::WeightSum { sum: 95 }
                .message(Lang::Zh)
                .contains("95")
        );

        let mut t = good();
        t[1].items[0].name = "  ".into();
        assert_eq!(
            check_tree(&t),
            Err(TreeProblem::NameMissing {
                position: "2.1".into()
            })
        );

        let mut t = good();
        t[1].name = "组织建设".into();
        assert!(matches!(check_tree(&t), Err(TreeProblem::NameTwice { .. })));

        let mut t = good();
        t[0].items[1].name = "三会一课".into();
        assert!(matches!(check_tree(&t), Err(TreeProblem::NameTwice { .. })));

        let mut t = good();
        t[0].weight = 0;
        assert!(matches!(
            check_tree(&t),
            Err(TreeProblem::WeightOutOfRange { .. })
        ));

        let mut t = good();
        t[2].items.clear();
        assert!(matches!(check_tree(&t), Err(TreeProblem::NoItems { .. })));

        let mut t = good();
        t[2].items[0].max_points = 101;
        assert!(matches!(
            check_tree(&t),
            Err(TreeProblem::MaxOutOfRange { .. })
        ));

        let mut t = good();
        t[0].items[0].guidance = "说".repeat(GUIDANCE_MAX + 1);
        assert!(matches!(
            check_tree(&t),
            Err(TreeProblem::GuidanceTooLong { .. })
        ));
    }

    #[test]
    fn stars_follow_the_thresholds_and_bad_thresholds_are_refused() {
        let s = StarThresholds::default();
        assert_eq!(s.check(), Ok(()));
        assert_eq!(s.stars(10_000), 5);
        assert_eq!(s.stars(9000), 5);
        assert_eq!(s.stars(8999), 4);
        assert_eq!(s.stars(7000), 3);
        assert_eq!(s.stars(6000), 2);
        assert_eq!(s.stars(5999), 1);
        assert_eq!(s.stars(0), 1);
        assert!(StarThresholds([9000, 9000, 7000, 6000]).check().is_err());
        assert!(StarThresholds([8000, 9000, 7000, 6000]).check().is_err());
        assert!(StarThresholds([10_001, 9000, 7000, 6000]).check().is_err());
    }

    #[test]
    fn the_roll_up_weights_each_indicator_and_scales_each_dimension_to_100() {
        let scores = vec![
            IndicatorScores {
                weight: 40,
                dimension: Dimension::Effectiveness,
                // 15 of 20 points: 75 % of 40 = 30.
                items: vec![(1000, Some(1000)), (1000, Some(500))],
            },
            IndicatorScores {
                weight: 35,
                dimension: Dimension::Synergy,
                // 8 of 10: 80 % of 35 = 28.
                items: vec![(1000, Some(800))],
            },
            IndicatorScores {
                weight: 25,
                dimension: Dimension::Satisfaction,
                // Not yet scored: 0.
                items: vec![(1000, None)],
            },
        ];
        let r = roll_up(&scores);
        assert_eq!(r.total, 5800);
        assert_eq!(r.effectiveness, 7500);
        assert_eq!(r.synergy, 8000);
        assert_eq!(r.satisfaction, 0);
        assert_eq!(r.dimension(Dimension::Synergy), 8000);

        // Everything at its maximum is 100 everywhere; awards above the maximum count as it.
        let full: Vec<_> = scores
            .iter()
            .map(|i| IndicatorScores {
                items: i.items.iter().map(|(m, _)| (*m, Some(*m + 50))).collect(),
                ..i.clone()
            })
            .collect();
        assert_eq!(
            roll_up(&full),
            Rollup {
                total: 10_000,
                effectiveness: 10_000,
                synergy: 10_000,
                satisfaction: 10_000
            }
        );
        // Thirds round half up, per indicator: 1/3 of 100 = 33.33.
        let third = roll_up(&[IndicatorScores {
            weight: 100,
            dimension: Dimension::Synergy,
            items: vec![(300, Some(100))],
        }]);
        assert_eq!(third.total, 3333);
        assert_eq!(roll_up(&[]), Rollup::default());
    }

    #[test]
    fn points_are_read_and_written_with_at_most_two_decimals() {
        assert_eq!(parse_points("8"), Some(800));
        assert_eq!(parse_points(" 8.5 "), Some(850));
        assert_eq!(parse_points("8.25"), Some(825));
        assert_eq!(parse_points("0.05"), Some(5));
        for bad in ["", ".5", "8.", "8.123", "-1", "1e2", "八", "12345"] {
            assert_eq!(parse_points(bad), None, "{bad}");
        }
        assert_eq!(show_points(850), "8.5");
        assert_eq!(show_points(825), "8.25");
        assert_eq!(show_points(800), "8");
        assert_eq!(show_points(5), "0.05");
    }

    /// Every (state, action) pair: the legal ones lead where `legal` says, all others are
    /// refused.
    fn exactly<S, A>(
        states: &[S],
        actions: &[A],
        legal: &[(S, A, S)],
        next: impl Fn(S, A) -> Option<S>,
    ) where
        S: Copy + PartialEq + std::fmt::Debug + std::fmt::Display,
        A: Copy + PartialEq + std::fmt::Display,
    {
        for from in states {
            for action in actions {
                let want = legal
                    .iter()
                    .find(|(f, a, _)| f == from && a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(next(*from, *action), want, "{from} {action}");
            }
        }
    }

    #[test]
    fn every_transition_of_the_state_machines_is_checked() {
        use AssignmentAction as AA;
        use AssignmentStatus as AS;
        use RectificationAction as RA;
        use RectificationStatus as RS;
        use TaskAction as TA;
        use TaskStatus as TS;

        exactly(
            TS::ALL,
            TA::ALL,
            &[
                (TS::Draft, TA::Edit, TS::Draft),
                (TS::Draft, TA::Publish, TS::Published),
                (TS::Published, TA::Withdraw, TS::Withdrawn),
                (TS::Published, TA::Extend, TS::Published),
            ],
            |s, a| s.next(a).ok(),
        );
        exactly(
            AS::ALL,
            AA::ALL,
            &[
                (AS::Pending, AA::SaveDraft, AS::Draft),
                (AS::Draft, AA::SaveDraft, AS::Draft),
                (AS::Returned, AA::SaveDraft, AS::Draft),
                (AS::Pending, AA::Submit, AS::Submitted),
                (AS::Draft, AA::Submit, AS::Submitted),
                (AS::Returned, AA::Submit, AS::Submitted),
                (AS::Submitted, AA::Return, AS::Returned),
                (AS::Submitted, AA::Accept, AS::Accepted),
            ],
            |s, a| s.next(a).ok(),
        );
        assert!(AS::Returned.awaits_target() && !AS::Submitted.awaits_target());
        exactly(
            RS::ALL,
            RA::ALL,
            &[
                (RS::Open, RA::Answer, RS::Answered),
                (RS::Answered, RA::Close, RS::Closed),
                (RS::Answered, RA::Reopen, RS::Open),
                (RS::Closed, RA::Reopen, RS::Open),
            ],
            |s, a| s.next(a).ok(),
        );

        // A refusal names the state and the action.
        let refused = AS::Accepted.next(AA::Return).unwrap_err();
        let zh = refused.message(Lang::Zh);
        assert!(zh.contains("已通过") && zh.contains("退回"), "{zh}");
        let en = refused.message(Lang::En);
        assert!(en.contains("Accepted") && en.contains("Return"), "{en}");
    }

    #[test]
    fn the_deadline_day_is_still_in_time() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(!overdue(d, d));
        assert!(overdue(d, d.succ_opt().unwrap()));
    }
}
