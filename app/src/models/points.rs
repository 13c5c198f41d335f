//! Points (积分, issue 15): feedback for what a member learned, never a quota.
//!
//! An action earns points by a rule (finishing a learning item, passing a quiz, attending
//! a meeting whose minutes were approved, a task of one's own accepted), each rule
//! with a daily cap, into an append-only ledger: one entry per rule, thing and member (the
//! same item finished again, or a quiz passed twice, earns nothing more). A member sees
//! their points and why; nobody is ranked by them. A branch committee sees its own
//! members' totals (by name, never ordered by points) only when the committee office turns
//! that on.

use serde::{Deserialize, Serialize};

/// Most points one action may earn, and the highest daily cap.
pub const AMOUNT_MAX: u16 = 100;
pub const CAP_MAX: u16 = 1000;
/// Ledger entries per page.
pub const POINTS_PAGE: u32 = 50;

word_enum! {
    /// What earns points.
    PointRule {
        ItemDone => "item_done" / PtRuleItemDone,
        QuizPassed => "quiz_passed" / PtRuleQuizPassed,
        MeetingAttended => "meeting_attended" / PtRuleMeetingAttended,
        TaskAccepted => "task_accepted" / PtRuleTaskAccepted,
    }
}

impl PointRule {
    /// The default (points per action, daily cap).
    pub fn defaults(self) -> (u16, u16) {
        match self {
            PointRule::ItemDone => (1, 10),
            PointRule::QuizPassed => (5, 10),
            PointRule::MeetingAttended => (2, 10),
            PointRule::TaskAccepted => (3, 15),
        }
    }
}

/// One rule as the office set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetting {
    pub rule: PointRule,
    pub amount: u16,
    pub cap: u16,
}

/// The rules and whether branches see their members' totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointSettings {
    pub rules: Vec<RuleSetting>,
    pub branch_totals: bool,
}

impl Default for PointSettings {
    fn default() -> Self {
        PointSettings {
            rules: PointRule::ALL
                .iter()
                .map(|&rule| {
                    let (amount, cap) = rule.defaults();
                    RuleSetting { rule, amount, cap }
                })
                .collect(),
            branch_totals: false,
        }
    }
}

impl PointSettings {
    /// The (amount, cap) of `rule` (its default when not set).
    pub fn of(&self, rule: PointRule) -> (u16, u16) {
        self.rules
            .iter()
            .find(|r| r.rule == rule)
            .map_or_else(|| rule.defaults(), |r| (r.amount, r.cap))
    }
}

/// What one more action earns when `used` points of its rule were earned today: the
/// rule's amount, cut to what is left of the daily cap.
pub fn granted(amount: u16, cap: u16, used: u32) -> u16 {
    let left = u32::from(cap).saturating_sub(used);
    u16::try_from(left.min(u32::from(amount))).unwrap_or(0)
}

/// The office's form: amounts and caps in [`PointRule::ALL`]'s order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointSettingsInput {
    #[serde(default)]
    pub amounts: Vec<u16>,
    #[serde(default)]
    pub caps: Vec<u16>,
    #[serde(default)]
    pub branch_totals: bool,
}

/// Checks the office's form: one amount (0 to [`AMOUNT_MAX`]) and one cap (0 to
/// [`CAP_MAX`]) per rule. A cap below the amount makes the rule earn only the cap.
pub fn check_settings(input: &PointSettingsInput) -> Result<PointSettings, &'static str> {
    let n = PointRule::ALL.len();
    if input.amounts.len() != n || input.amounts.iter().any(|&a| a > AMOUNT_MAX) {
        return Err("amounts");
    }
    if input.caps.len() != n || input.caps.iter().any(|&c| c > CAP_MAX) {
        return Err("caps");
    }
    Ok(PointSettings {
        rules: PointRule::ALL
            .iter()
            .zip(input.amounts.iter().zip(&input.caps))
            .map(|(&rule, (&amount, &cap))| RuleSetting { rule, amount, cap })
            .collect(),
        branch_totals: input.branch_totals,
    })
}

/// One ledger entry: on which day, by which rule, for what, how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointRow {
    pub day: String,
    pub rule: PointRule,
    pub label: String,
    pub amount: u16,
}

/// Answer of `my_points`: the caller's total, this year's, one page of the ledger (newest
/// first) and the rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsView {
    pub total: u32,
    pub year: u32,
    pub rows: Vec<PointRow>,
    pub entries: u32,
    pub page: u32,
    pub settings: Option<PointSettings>,
    /// Whether the caller may change the rules (the office).
    pub can_set: bool,
    /// The organisations whose members' totals the caller may see (empty: none).
    pub branches: Vec<crate::models::learning::Publisher>,
}

/// One member's total (a branch's view, by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPoints {
    pub id: String,
    pub name: String,
    pub total: u32,
}

/// Answer of `branch_points`: an organisation's active members by name with their totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPoints {
    pub org_name: String,
    pub members: Vec<MemberPoints>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_earns_its_amount_up_to_what_is_left_of_the_daily_cap() {
        assert_eq!(granted(5, 10, 0), 5);
        assert_eq!(granted(5, 10, 5), 5);
        assert_eq!(granted(5, 10, 8), 2, "cut to the cap");
        assert_eq!(granted(5, 10, 10), 0);
        assert_eq!(granted(5, 10, 50), 0, "never negative");
        assert_eq!(granted(5, 0, 0), 0, "a cap of 0 turns the rule off");
        assert_eq!(granted(0, 10, 0), 0);
    }

    #[test]
    fn the_office_sets_one_amount_and_cap_per_rule_within_bounds() {
        let n = PointRule::ALL.len();
        let ok = check_settings(&PointSettingsInput {
            amounts: vec![2; n],
            caps: vec![20; n],
            branch_totals: true,
        })
        .unwrap();
        assert_eq!(ok.of(PointRule::QuizPassed), (2, 20));
        assert!(ok.branch_totals);
        let short = PointSettingsInput {
            amounts: vec![1],
            caps: vec![1; n],
            branch_totals: false,
        };
        assert_eq!(check_settings(&short), Err("amounts"));
        let big = PointSettingsInput {
            amounts: vec![1; n],
            caps: vec![CAP_MAX + 1; n],
            branch_totals: false,
        };
        assert_eq!(check_settings(&big), Err("caps"));
        // Without settings, each rule has its default.
        assert_eq!(PointSettings::default().of(PointRule::ItemDone), (1, 10));
        assert!(!PointSettings::default().branch_totals);
    }
}
