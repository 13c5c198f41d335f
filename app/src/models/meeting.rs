//! Organisational life (issue 14): the kinds of meeting and the pure rules around them.
//! These are the compliance engine's periods and colours, the 补录 (late record) rule and
//! the 民主评议 ⅓ rule. No I/O: the server counts meetings held and asks these functions
//! what they mean, and the browser can show the same answer without asking.
//!
//! Dates are days in China time (UTC+8, `models::audit::china_offset`): a meeting held at
//! 23:30 on 31 March in Beijing belongs to the first quarter, whatever the server's clock
//! zone.

use chrono::{Datelike, Days, NaiveDate};

use crate::models::org::OrgKind;

word_enum! {
    /// 会议类型: 三会一课, 主题党日, 组织生活会 and anything else a branch records.
    MeetingKind {
        GeneralMeeting => "general_meeting" / MtGeneralMeeting,
        Committee => "committee" / MtCommittee,
        Group => "group" / MtGroup,
        Lesson => "lesson" / MtLesson,
        ThemeDay => "theme_day" / MtThemeDay,
        LifeMeeting => "life_meeting" / MtLifeMeeting,
        Other => "other" / MtOther,
    }
}

word_enum! {
    /// How often a rule asks for a meeting.
    Frequency {
        Monthly => "monthly" / FreqMonthly,
        Quarterly => "quarterly" / FreqQuarterly,
        Yearly => "yearly" / FreqYearly,
    }
}

/// One compliance rule: organisations of `org_kind` hold `times` meetings of `meeting` in
/// every period of `frequency`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub org_kind: OrgKind,
    pub meeting: MeetingKind,
    pub frequency: Frequency,
    pub times: u32,
}

/// The rules the platform starts with (`DOMAIN.md`): for a branch, 党员大会 quarterly,
/// 支委会 monthly, 党课 quarterly, 主题党日 monthly, 组织生活会 yearly; for a Party group,
/// 党小组会 monthly. The committee office may change them.
pub const DEFAULT_RULES: &[Rule] = &[
    rule(
        OrgKind::Branch,
        MeetingKind::GeneralMeeting,
        Frequency::Quarterly,
    ),
    rule(OrgKind::Branch, MeetingKind::Committee, Frequency::Monthly),
    rule(OrgKind::Branch, MeetingKind::Lesson, Frequency::Quarterly),
    rule(OrgKind::Branch, MeetingKind::ThemeDay, Frequency::Monthly),
    rule(OrgKind::Branch, MeetingKind::LifeMeeting, Frequency::Yearly),
    rule(OrgKind::Group, MeetingKind::Group, Frequency::Monthly),
];

const fn rule(org_kind: OrgKind, meeting: MeetingKind, frequency: Frequency) -> Rule {
    Rule {
        org_kind,
        meeting,
        frequency,
        times: 1,
    }
}

/// How many days before a period ends an unmet rule turns yellow, unless configured.
pub const DEFAULT_WARN_DAYS: u32 = 7;

/// The rule slots the committee office sets (`meeting_rules`): a branch's five kinds of
/// meeting and a Party group's one, in the order the settings page lists them.
pub const RULE_SLOTS: &[(OrgKind, MeetingKind)] = &[
    (OrgKind::Branch, MeetingKind::GeneralMeeting),
    (OrgKind::Branch, MeetingKind::Committee),
    (OrgKind::Branch, MeetingKind::Lesson),
    (OrgKind::Branch, MeetingKind::ThemeDay),
    (OrgKind::Branch, MeetingKind::LifeMeeting),
    (OrgKind::Group, MeetingKind::Group),
];

/// The most meetings a rule may ask for in one period.
pub const RULE_TIMES_MAX: u32 = 4;

/// The warning days the office may choose: a rule turns yellow this many days before its
/// period ends.
pub const WARN_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=31;

/// One rule slot as the office sets it: how often (`None`: not required) and how many
/// meetings per period.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleSetting {
    pub org_kind: OrgKind,
    pub meeting: MeetingKind,
    pub frequency: Option<Frequency>,
    pub times: u32,
}

/// The compliance settings in force: every slot of [`RULE_SLOTS`] and the warning days.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingRules {
    pub rules: Vec<RuleSetting>,
    pub warn_days: u32,
    /// The account that last changed them (empty: the platform's defaults).
    pub updated_by: String,
}

impl MeetingRules {
    /// The platform's defaults (`DEFAULT_RULES`, `DEFAULT_WARN_DAYS`).
    pub fn defaults() -> MeetingRules {
        let rules = RULE_SLOTS
            .iter()
            .map(|&(org_kind, meeting)| {
                let found = DEFAULT_RULES
                    .iter()
                    .find(|r| r.org_kind == org_kind && r.meeting == meeting);
                RuleSetting {
                    org_kind,
                    meeting,
                    frequency: found.map(|r| r.frequency),
                    times: found.map_or(1, |r| r.times),
                }
            })
            .collect();
        MeetingRules {
            rules,
            warn_days: DEFAULT_WARN_DAYS,
            updated_by: String::new(),
        }
    }

    /// The rules that ask for meetings (a slot without a frequency asks for none).
    pub fn in_force(&self) -> Vec<Rule> {
        self.rules
            .iter()
            .filter_map(|r| {
                r.frequency.map(|frequency| Rule {
                    org_kind: r.org_kind,
                    meeting: r.meeting,
                    frequency,
                    times: r.times,
                })
            })
            .collect()
    }
}

/// Input of `save_meeting_rules`: a setting for every slot, and the warning days as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingRulesInput {
    #[serde(default)]
    pub rules: Vec<RuleSetting>,
    #[serde(default)]
    pub warn_days: String,
}

/// Checks the settings: exactly the slots of [`RULE_SLOTS`] in order, 1 to
/// [`RULE_TIMES_MAX`] meetings per period, warning days within [`WARN_DAYS_RANGE`].
/// Returns the field at fault.
pub fn check_rules(input: &MeetingRulesInput) -> Result<(Vec<RuleSetting>, u32), &'static str> {
    let slots_match = input.rules.len() == RULE_SLOTS.len()
        && input
            .rules
            .iter()
            .zip(RULE_SLOTS)
            .all(|(r, &(org_kind, meeting))| r.org_kind == org_kind && r.meeting == meeting);
    if !slots_match {
        return Err("rules");
    }
    if input
        .rules
        .iter()
        .any(|r| !(1..=RULE_TIMES_MAX).contains(&r.times))
    {
        return Err("times");
    }
    let warn_days = input
        .warn_days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| WARN_DAYS_RANGE.contains(d))
        .ok_or("warn_days")?;
    Ok((input.rules.clone(), warn_days))
}

/// A period of a rule: the days `starts..=ends` in China time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Period {
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
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.starts <= day && day <= self.ends
    }
}

/// The first day of `month` (1–12) of `year`.
fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("months 1–12 have a first day")
}

/// The last day of the period of `months` months that starts on the first of `month`.
fn end_after(year: i32, month: u32, months: u32) -> NaiveDate {
    let next = month + months;
    let (y, m) = if next > 12 {
        (year + 1, next - 12)
    } else {
        (year, next)
    };
    first_of(y, m) - Days::new(1)
}

impl Frequency {
    fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::Yearly => 12,
        }
    }

    /// The period of this frequency that contains `day`: its month, its quarter
    /// (January–March, …) or its calendar year.
    pub fn period_of(self, day: NaiveDate) -> Period {
        let months = self.months();
        let month = (day.month() - 1) / months * months + 1;
        Period {
            starts: first_of(day.year(), month),
            ends: end_after(day.year(), month, months),
        }
    }

    /// The periods of this frequency in `year`, in order: 12, 4 or 1.
    pub fn periods_in(self, year: i32) -> Vec<Period> {
        let months = self.months();
        (0..12 / months)
            .map(|i| {
                let month = i * months + 1;
                Period {
                    starts: first_of(year, month),
                    ends: end_after(year, month, months),
                }
            })
            .collect()
    }
}

word_enum! {
    /// Where a rule stands for one organisation and period. The colours are the
    /// compliance grid's: green, yellow, red; a period still open and not yet close to
    /// its end, and one that has not started, are neither.
    Standing {
        /// Held as often as required (green).
        Done => "done" / CmpDone,
        /// Not yet held, and the period ends more than the warning days away.
        Open => "open" / CmpOpen,
        /// Not yet held, and the period ends within the warning days (yellow).
        DueSoon => "due_soon" / CmpDueSoon,
        /// The period is over and it was not held as often as required (red).
        Overdue => "overdue" / CmpOverdue,
        /// The period starts after today.
        Future => "future" / CmpFuture,
    }
}

/// Where a rule asking for `times` meetings stands in `period` on `today` (China time),
/// given the days on which meetings of its kind were held; days outside the period, and
/// days after today (scheduled, not held yet), are ignored. A period is overdue from the day after its last day; it is due soon on its
/// last `warn_days` days (its last day included).
pub fn standing(
    period: Period,
    times: u32,
    held: &[NaiveDate],
    today: NaiveDate,
    warn_days: u32,
) -> Standing {
    // A meeting scheduled for a later day is not held yet.
    let count = held
        .iter()
        .filter(|d| period.contains(**d) && **d <= today)
        .count();
    if count >= times as usize {
        Standing::Done
    } else if today < period.starts {
        Standing::Future
    } else if today > period.ends {
        Standing::Overdue
    } else if (period.ends - today).num_days() < i64::from(warn_days) {
        Standing::DueSoon
    } else {
        Standing::Open
    }
}

/// Whether a meeting held on `held` and recorded on `recorded` (both days in China time) is
/// a late record (补录): entered after the day it was held. It is shown as such, with who
/// recorded it and when, and never back-dated silently.
pub fn is_late_record(held: NaiveDate, recorded: NaiveDate) -> bool {
    recorded > held
}

word_enum! {
    /// The 民主评议 grades, best first: 优秀 / 合格 / 基本合格 / 不合格.
    Grade {
        Excellent => "excellent" / GradeExcellent,
        Qualified => "qualified" / GradeQualified,
        BasicallyQualified => "basically_qualified" / GradeBasicallyQualified,
        Unqualified => "unqualified" / GradeUnqualified,
    }
}

/// The default cap on 优秀 in a branch's final grades, in percent of the members graded:
/// "at most about one third".
pub const DEFAULT_EXCELLENT_PERCENT: u32 = 33;

/// How many members of `graded` may be graded 优秀 under a cap of `percent` (rounded to
/// the nearest whole member, so 10 members at 33 % allow 3 and 5 allow 2).
pub fn excellent_allowed(graded: u32, percent: u32) -> u32 {
    (2 * graded * percent + 100) / 200
}

/// Input of `schedule_meeting`: what a secretary types; who, when and where it was
/// recorded the platform knows. `day` is `YYYY-MM-DD` in China time, `time` `HH:MM` or empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingInput {
    pub org: String,
    pub kind: String,
    pub day: String,
    #[serde(default)]
    pub time: String,
    pub topic: String,
    #[serde(default)]
    pub room: String,
    /// A registered meeting room's key (its tablet signs attendees in); its name then
    /// stands for `room`.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub agenda: String,
    /// 主持人, a member key of the organisation; empty: its secretary.
    #[serde(default)]
    pub host: String,
    /// 记录人, a member key of the organisation; empty: its organisation committee member
    /// (组织委员), else the deputy secretary, else the secretary.
    #[serde(default)]
    pub recorder: String,
    /// 授课人 of a 党课, as typed (a guest lecturer need not be a member here).
    #[serde(default)]
    pub lecturer: String,
}

/// Which field of a [`MeetingInput`] is wrong, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingProblem {
    Kind,
    KindForOrg,
    Day,
    Time,
    Topic,
}

impl MeetingProblem {
    pub fn field(self) -> &'static str {
        match self {
            MeetingProblem::Kind | MeetingProblem::KindForOrg => "kind",
            MeetingProblem::Day => "day",
            MeetingProblem::Time => "time",
            MeetingProblem::Topic => "topic",
        }
    }

    pub fn text(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            MeetingProblem::Kind => T::MtErrKind,
            MeetingProblem::KindForOrg => T::MtErrKindForOrg,
            MeetingProblem::Day => T::MtErrDay,
            MeetingProblem::Time => T::MtErrTime,
            MeetingProblem::Topic => T::MtErrTopic,
        }
    }
}

/// A [`MeetingInput`] that passed [`check_meeting`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidMeeting {
    pub kind: MeetingKind,
    pub day: NaiveDate,
    pub time: String,
    pub topic: String,
    pub room: String,
    pub agenda: String,
    pub lecturer: String,
}

/// The kinds an organisation of `org` holds: a branch (or general branch) all but the
/// Party group's meeting; a Party group its own meeting, lessons, themed days and others.
pub fn kind_allowed(org: OrgKind, kind: MeetingKind) -> bool {
    match org {
        OrgKind::Group => matches!(
            kind,
            MeetingKind::Group | MeetingKind::Lesson | MeetingKind::ThemeDay | MeetingKind::Other
        ),
        _ => kind != MeetingKind::Group,
    }
}

/// Checks a meeting for an organisation of kind `org`: a known kind that organisation
/// holds, a real day, a time `HH:MM` (or none), a topic of 1–100 characters. Room (50) and
/// agenda (2,000) are trimmed to their lengths.
pub fn check_meeting(input: &MeetingInput, org: OrgKind) -> Result<ValidMeeting, MeetingProblem> {
    let kind = MeetingKind::parse(input.kind.trim()).ok_or(MeetingProblem::Kind)?;
    if !kind_allowed(org, kind) {
        return Err(MeetingProblem::KindForOrg);
    }
    let day = crate::models::wire_date::parse_date(input.day.trim()).ok_or(MeetingProblem::Day)?;
    let time = input.time.trim();
    let time_ok = time.is_empty()
        || (time.len() == 5
            && time.as_bytes()[2] == b':'
            && time[..2].parse::<u32>().is_ok_and(|h| h < 24)
            && time[3..].parse::<u32>().is_ok_and(|m| m < 60)
            && time
                .bytes()
                .enumerate()
                .all(|(i, b)| i == 2 || b.is_ascii_digit()));
    if !time_ok {
        return Err(MeetingProblem::Time);
    }
    let topic = input.topic.trim();
    if topic.is_empty() || topic.chars().count() > 100 {
        return Err(MeetingProblem::Topic);
    }
    Ok(ValidMeeting {
        kind,
        day,
        time: time.to_string(),
        topic: topic.to_string(),
        room: crate::models::clip(&input.room, 50),
        agenda: crate::models::clip(&input.agenda, 2000),
        lecturer: if kind == MeetingKind::Lesson {
            crate::models::clip(&input.lecturer, 50)
        } else {
            String::new()
        },
    })
}

/// A meeting in a list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingSummary {
    pub id: String,
    pub org: String,
    pub org_name: String,
    pub kind: MeetingKind,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub day: NaiveDate,
    pub time: String,
    pub topic: String,
    pub room: String,
    /// Recorded after the day it was held (补录).
    pub late: bool,
}

/// Where one rule stands for one organisation in the period that contains the day asked.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleStanding {
    pub meeting: MeetingKind,
    pub frequency: Frequency,
    pub times: u32,
    pub period: Period,
    pub held: u32,
    pub standing: Standing,
}

/// Filter of `list_meetings`: an organisation (empty: every one in reach) and a year
/// (0: this year in China time).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingQuery {
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub year: i32,
}

/// The answer of `list_meetings`: the year's meetings, newest first, and, when the filter
/// names one organisation, where each of its rules stands today.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingsPage {
    pub year: i32,
    pub meetings: Vec<MeetingSummary>,
    pub standings: Vec<RuleStanding>,
}

/// Where every rule for an organisation of kind `org` stands on `today`, given the days
/// its meetings were held (each with its kind).
pub fn standings(
    org: OrgKind,
    rules: &[Rule],
    held: &[(MeetingKind, NaiveDate)],
    today: NaiveDate,
    warn_days: u32,
) -> Vec<RuleStanding> {
    rules
        .iter()
        .filter(|r| r.org_kind == org)
        .map(|r| {
            let days: Vec<NaiveDate> = held
                .iter()
                .filter(|(k, _)| *k == r.meeting)
                .map(|(_, d)| *d)
                .collect();
            let period = r.frequency.period_of(today);
            RuleStanding {
                meeting: r.meeting,
                frequency: r.frequency,
                times: r.times,
                held: days
                    .iter()
                    .filter(|d| period.contains(**d) && **d <= today)
                    .count() as u32,
                standing: standing(period, r.times, &days, today, warn_days),
                period,
            }
        })
        .collect()
}

word_enum! {
    /// Where an attendee stands at a meeting: 出席, 请假, 缺席.
    Attendance {
        Present => "present" / MtPresent,
        Leave => "leave" / MtLeave,
        Absent => "absent" / MtAbsent,
    }
}

word_enum! {
    /// Where a member's request for leave (请假) stands: waiting for the branch committee,
    /// approved (the attendance becomes 请假 with the reason), or refused.
    LeaveState {
        Pending => "pending" / MtLeavePending,
        Approved => "approved" / MtLeaveApproved,
        Refused => "refused" / MtLeaveRefused,
    }
}

/// A member's request for leave from one meeting, and who decided it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaveRequest {
    pub state: LeaveState,
    pub reason: String,
    /// The account that approved or refused it (empty while pending).
    pub decided_by: String,
}

/// Input of `request_leave`: the caller asks for leave from `meeting`, with a reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaveRequestInput {
    pub meeting: String,
    #[serde(default)]
    pub reason: String,
}

/// Input of `decide_leave`: the committee approves or refuses `member`'s request.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaveDecisionInput {
    pub meeting: String,
    pub member: String,
    #[serde(default)]
    pub approve: bool,
}

/// A leave request's reason: 1–200 characters once trimmed, as the recorder's own leave
/// mark asks.
pub fn check_leave_reason(reason: &str) -> Option<String> {
    let reason = reason.trim();
    (!reason.is_empty() && reason.chars().count() <= 200).then(|| reason.to_string())
}

/// Whether a member may still ask for leave: until the end of the meeting's day (China
/// time), and not once they are present or their request was decided.
pub fn leave_open(day: NaiveDate, today: NaiveDate, present: bool, decided: bool) -> bool {
    day >= today && !present && !decided
}

word_enum! {
    /// How an attendance was recorded: signed in at the room's tablet, by phone, or marked
    /// by the recorder.
    SignInVia {
        Tablet => "tablet" / MtViaTablet,
        Phone => "phone" / MtViaPhone,
        Recorder => "recorder" / MtViaRecorder,
    }
}

word_enum! {
    /// The minutes (会议记录): not written, written (draft), submitted for approval,
    /// approved by the secretary (then they no longer change).
    MinutesState {
        Empty => "empty" / MtMinutesEmpty,
        Draft => "draft" / MtMinutesDraft,
        Submitted => "submitted" / MtMinutesSubmitted,
        Approved => "approved" / MtMinutesApproved,
    }
}

/// The positions that default to 主持人 and 记录人 of a meeting, in order of preference:
/// the secretary hosts; the organisation committee member (组织委员) records, else the
/// deputy, else the secretary (a Party group: its leader for both).
pub fn default_roles(
    positions: &[(String, crate::models::org::Position)],
) -> (Option<String>, Option<String>) {
    use crate::models::org::Position as P;
    let first = |wanted: &[P]| {
        wanted.iter().find_map(|w| {
            positions
                .iter()
                .find(|(_, p)| p == w)
                .map(|(id, _)| id.clone())
        })
    };
    let host = first(&[P::Secretary, P::DeputySecretary, P::GroupLeader]);
    let recorder = first(&[
        P::Organization,
        P::DeputySecretary,
        P::Secretary,
        P::GroupLeader,
    ]);
    (host, recorder)
}

/// Whether a member may sign in to a meeting on `today` themself (at the tablet or by
/// phone): only on the meeting's day. Before, it has not happened; after, the recorder
/// marks attendance, which the record shows.
pub fn sign_in_open(day: NaiveDate, today: NaiveDate) -> bool {
    day == today
}

/// A client-generated sign-in id (a tablet or phone offline queue): 8–64 letters, digits
/// or `-`. The server keeps one attendance per member and meeting, so a replayed id
/// changes nothing.
pub fn client_id_ok(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Input of `mark_attendance`: the recorder marks one attendee; 请假 needs its reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttendanceInput {
    pub meeting: String,
    pub member: String,
    pub status: String,
    #[serde(default)]
    pub reason: String,
}

/// Checks an attendance mark: a known status; a leave with a reason of 1–200 characters
/// (other statuses keep no reason).
pub fn check_attendance(input: &AttendanceInput) -> Result<(Attendance, String), &'static str> {
    let status = Attendance::parse(input.status.trim()).ok_or("status")?;
    let reason = input.reason.trim();
    match status {
        Attendance::Leave if reason.is_empty() || reason.chars().count() > 200 => Err("reason"),
        Attendance::Leave => Ok((status, reason.to_string())),
        _ => Ok((status, String::new())),
    }
}

/// Input of `sign_in_meeting`: the caller signs in to `meeting`; `client_id` is made on the
/// device, so a sign-in queued offline and sent twice counts once.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignInInput {
    pub meeting: String,
    pub client_id: String,
}

/// Input of `save_minutes`: the text, and whether it goes to the secretary for approval.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MinutesInput {
    pub meeting: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub submit: bool,
}

/// The longest minutes kept (characters).
pub const MINUTES_MAX: usize = 20_000;

/// Checks minutes: at most [`MINUTES_MAX`] characters, and not empty when submitted;
/// approved minutes no longer change.
pub fn check_minutes(
    text: &str,
    submit: bool,
    state: MinutesState,
) -> Result<String, &'static str> {
    if state == MinutesState::Approved {
        return Err("state");
    }
    let text = text.trim();
    if text.chars().count() > MINUTES_MAX || (submit && text.is_empty()) {
        return Err("minutes");
    }
    Ok(text.to_string())
}

/// One planned attendee and, once recorded, their attendance.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttendeeRow {
    pub member: String,
    pub name: String,
    pub status: Option<Attendance>,
    pub via: Option<SignInVia>,
    pub reason: String,
    /// Their request for leave, if they made one (the committee sees everyone's; a member
    /// their own).
    #[serde(default)]
    pub request: Option<LeaveRequest>,
}

/// Counts of a meeting's attendance: present, on leave, absent, not yet recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    pub unmarked: u32,
}

/// The tally of `rows`.
pub fn tally(rows: &[AttendeeRow]) -> Tally {
    let mut t = Tally::default();
    for r in rows {
        match r.status {
            Some(Attendance::Present) => t.present += 1,
            Some(Attendance::Leave) => t.leave += 1,
            Some(Attendance::Absent) => t.absent += 1,
            None => t.unmarked += 1,
        }
    }
    t
}

/// A member named on a meeting (host, recorder).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// Everything the meeting's page shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingDetail {
    pub meeting: MeetingSummary,
    pub agenda: String,
    pub host: Option<Named>,
    pub recorder: Option<Named>,
    pub lecturer: String,
    /// Who entered the meeting, and on which day (China time): shown with a 补录.
    pub created_by: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub created_on: NaiveDate,
    pub attendees: Vec<AttendeeRow>,
    pub tally: Tally,
    pub minutes: String,
    pub minutes_state: MinutesState,
    /// Who approved the minutes (empty until approved).
    pub approved_by: String,
    /// Whether the caller may mark attendance, write and approve the minutes.
    pub can_manage: bool,
    /// Whether the caller is an attendee who may sign in now (the meeting's day, not yet
    /// present).
    pub can_sign_in: bool,
    /// Whether the caller is an attendee who may still ask for leave (`leave_open`).
    #[serde(default)]
    pub can_request_leave: bool,
    /// The minutes' photos and attachments (the committee's view only).
    #[serde(default)]
    pub files: Vec<crate::models::closed_loop::EvidenceLink>,
    /// The organisation's active members, whom the committee may name host, recorder or
    /// attendee (the committee's view only; empty once the minutes are approved).
    #[serde(default)]
    pub choices: Vec<Named>,
}

/// Input of `set_meeting_people`: the host, the recorder (member keys, or empty for none)
/// and every planned attendee.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingPeopleInput {
    pub meeting: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub recorder: String,
    #[serde(default)]
    pub attendees: Vec<String>,
}

/// Checks the people of a meeting against the organisation's members (`members`, keys):
/// host and recorder empty or among them; at least one attendee, each among them, kept
/// once in the order given. Returns the field at fault.
pub fn check_people(
    input: &MeetingPeopleInput,
    members: &[String],
) -> Result<(Option<String>, Option<String>, Vec<String>), &'static str> {
    let known = |k: &str| members.iter().any(|m| m == k);
    let pick = |typed: &str, field: &'static str| -> Result<Option<String>, &'static str> {
        let typed = typed.trim();
        match typed {
            "" => Ok(None),
            k if known(k) => Ok(Some(k.to_string())),
            _ => Err(field),
        }
    };
    let host = pick(&input.host, "host")?;
    let recorder = pick(&input.recorder, "recorder")?;
    let mut attendees: Vec<String> = Vec::new();
    for a in input.attendees.iter().map(|a| a.trim()) {
        if !known(a) {
            return Err("attendees");
        }
        if !attendees.iter().any(|x| x == a) {
            attendees.push(a.to_string());
        }
    }
    if attendees.is_empty() {
        return Err("attendees");
    }
    Ok((host, recorder, attendees))
}

/// Input of `set_meeting_files`: the keys of the minutes' photos and attachments, all of
/// them (the list replaces the one stored), separated by commas.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeetingFilesInput {
    pub meeting: String,
    #[serde(default)]
    pub files: String,
}

/// One month of an organisation's row in the compliance grid: the rules whose period ends
/// in that month (monthly rules every month, quarterly ones in March, June, September and
/// December, yearly ones in December), with the worst of their standings as the colour.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GridCell {
    pub month: u32,
    /// `Overdue` if any rule is, else `DueSoon` if any is, else `Done` if all are (and
    /// there is one), else `Open` or `Future`.
    pub standing: Standing,
    /// Kinds of the rules closing this month that are not held as often as required.
    pub missing: Vec<MeetingKind>,
    /// How many rules close this month, and how many of them are done.
    pub due: u32,
    pub done: u32,
}

/// One organisation's year in the compliance grid.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GridRow {
    pub org: String,
    pub org_name: String,
    pub cells: Vec<GridCell>,
}

/// The committee's branch × month grid (`compliance_grid`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ComplianceGrid {
    pub year: i32,
    pub rows: Vec<GridRow>,
}

/// The twelve cells of an organisation of kind `org` in `year`, as they stand on `today`.
pub fn grid_cells(
    org: OrgKind,
    rules: &[Rule],
    held: &[(MeetingKind, NaiveDate)],
    year: i32,
    today: NaiveDate,
    warn_days: u32,
) -> Vec<GridCell> {
    let mut cells: Vec<GridCell> = (1..=12)
        .map(|month| GridCell {
            month,
            standing: Standing::Future,
            missing: Vec::new(),
            due: 0,
            done: 0,
        })
        .collect();
    let mut worst: Vec<Vec<Standing>> = vec![Vec::new(); 12];
    for rule in rules.iter().filter(|r| r.org_kind == org) {
        let days: Vec<NaiveDate> = held
            .iter()
            .filter(|(k, _)| *k == rule.meeting)
            .map(|(_, d)| *d)
            .collect();
        for period in rule.frequency.periods_in(year) {
            let at = period.ends.month() as usize - 1;
            let s = standing(period, rule.times, &days, today, warn_days);
            cells[at].due += 1;
            if s == Standing::Done {
                cells[at].done += 1;
            } else if !cells[at].missing.contains(&rule.meeting) {
                cells[at].missing.push(rule.meeting);
            }
            worst[at].push(s);
        }
    }
    for (cell, all) in cells.iter_mut().zip(worst) {
        cell.standing = if all.contains(&Standing::Overdue) {
            Standing::Overdue
        } else if all.contains(&Standing::DueSoon) {
            Standing::DueSoon
        } else if !all.is_empty() && all.iter().all(|s| *s == Standing::Done) {
            Standing::Done
        } else if all.contains(&Standing::Open) {
            Standing::Open
        } else {
            Standing::Future
        };
    }
    cells
}

/// One meeting in the 台账, with the names of who was there, on leave (with the reason)
/// and absent, as a branch keeps its paper ledger.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerEntry {
    pub meeting: MeetingSummary,
    pub host: String,
    pub recorder: String,
    pub lecturer: String,
    pub agenda: String,
    pub present: Vec<String>,
    /// Name and reason.
    pub leave: Vec<(String, String)>,
    /// Absent, and (for a meeting already held) not recorded at all.
    pub absent: Vec<String>,
    pub expected: u32,
    pub minutes: String,
    pub minutes_state: MinutesState,
    pub approved_by: String,
    /// Who entered the meeting and on which day: printed beside a 补录.
    pub created_by: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub created_on: NaiveDate,
    /// The minutes' photos and attachments.
    #[serde(default)]
    pub files: Vec<crate::models::closed_loop::EvidenceLink>,
}

/// A branch's 台账 for a year (`meeting_ledger`): the hospital's Party committee and the
/// branch for the header, and every meeting held, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    pub committee: String,
    pub org: String,
    pub org_name: String,
    pub year: i32,
    pub entries: Vec<LedgerEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_settings_start_from_the_defaults_and_are_checked() {
        let d = MeetingRules::defaults();
        assert_eq!(d.rules.len(), RULE_SLOTS.len());
        assert_eq!(d.in_force(), DEFAULT_RULES.to_vec());
        assert_eq!(d.warn_days, DEFAULT_WARN_DAYS);
        let mut input = MeetingRulesInput {
            rules: d.rules.clone(),
            warn_days: " 10 ".into(),
        };
        assert_eq!(check_rules(&input), Ok((d.rules.clone(), 10)));
        // A slot switched off asks for nothing.
        input.rules[3].frequency = None;
        let (rules, _) = check_rules(&input).unwrap();
        let off = MeetingRules {
            rules,
            warn_days: 10,
            updated_by: String::new(),
        };
        assert_eq!(off.in_force().len(), DEFAULT_RULES.len() - 1);
        assert!(
            !off.in_force()
                .iter()
                .any(|r| r.meeting == MeetingKind::ThemeDay)
        );
        for bad in ["0", "32", "", "七"] {
            input.warn_days = bad.into();
            assert_eq!(check_rules(&input), Err("warn_days"), "{bad:?}");
        }
        input.warn_days = "7".into();
        input.rules[0].times = 0;
        assert_eq!(check_rules(&input), Err("times"));
        input.rules[0].times = RULE_TIMES_MAX + 1;
        assert_eq!(check_rules(&input), Err("times"));
        input.rules[0].times = 2;
        input.rules.swap(0, 1);
        assert_eq!(check_rules(&input), Err("rules"), "the slots in order");
        input.rules.swap(0, 1);
        input.rules.pop();
        assert_eq!(check_rules(&input), Err("rules"), "every slot");
    }

    #[test]
    fn a_meetings_people_come_from_its_organisation() {
        let members = vec!["m1".to_string(), "m2".to_string(), "m3".to_string()];
        let input = |host: &str, recorder: &str, attendees: &[&str]| MeetingPeopleInput {
            meeting: "mt1".into(),
            host: host.into(),
            recorder: recorder.into(),
            attendees: attendees.iter().map(|a| a.to_string()).collect(),
        };
        assert_eq!(
            check_people(&input("m1", "", &["m2", " m1", "m2"]), &members),
            Ok((
                Some("m1".to_string()),
                None,
                vec!["m2".to_string(), "m1".to_string()]
            )),
            "kept once, in order; no recorder"
        );
        assert_eq!(
            check_people(&input("mx", "", &["m1"]), &members),
            Err("host")
        );
        assert_eq!(
            check_people(&input("", "mx", &["m1"]), &members),
            Err("recorder")
        );
        assert_eq!(
            check_people(&input("", "", &["m1", "mx"]), &members),
            Err("attendees")
        );
        assert_eq!(
            check_people(&input("m1", "m2", &[]), &members),
            Err("attendees")
        );
    }

    #[test]
    fn leave_is_asked_with_a_reason_before_the_meeting_is_over() {
        assert_eq!(
            check_leave_reason("  外出进修 "),
            Some("外出进修".to_string())
        );
        assert_eq!(check_leave_reason("   "), None);
        assert_eq!(
            check_leave_reason(&"假".repeat(200)).map(|r| r.chars().count()),
            Some(200)
        );
        assert_eq!(check_leave_reason(&"假".repeat(201)), None);
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let yesterday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let tomorrow = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(leave_open(tomorrow, today, false, false));
        assert!(leave_open(today, today, false, false), "on the day itself");
        assert!(
            !leave_open(yesterday, today, false, false),
            "a meeting already held"
        );
        assert!(!leave_open(today, today, true, false), "already signed in");
        assert!(!leave_open(tomorrow, today, false, true), "already decided");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(a: NaiveDate, b: NaiveDate) -> Period {
        Period { starts: a, ends: b }
    }

    #[test]
    fn periods_follow_months_quarters_and_years_to_their_last_day() {
        assert_eq!(
            Frequency::Monthly.period_of(d(2024, 2, 10)),
            p(d(2024, 2, 1), d(2024, 2, 29)),
            "a leap February"
        );
        assert_eq!(
            Frequency::Monthly.period_of(d(2025, 12, 31)),
            p(d(2025, 12, 1), d(2025, 12, 31)),
            "December ends in the same year"
        );
        assert_eq!(
            Frequency::Quarterly.period_of(d(2026, 3, 31)),
            p(d(2026, 1, 1), d(2026, 3, 31))
        );
        assert_eq!(
            Frequency::Quarterly.period_of(d(2026, 4, 1)),
            p(d(2026, 4, 1), d(2026, 6, 30))
        );
        assert_eq!(
            Frequency::Quarterly.period_of(d(2026, 11, 30)),
            p(d(2026, 10, 1), d(2026, 12, 31))
        );
        assert_eq!(
            Frequency::Yearly.period_of(d(2026, 7, 1)),
            p(d(2026, 1, 1), d(2026, 12, 31))
        );
        for f in Frequency::ALL {
            let periods = f.periods_in(2026);
            assert_eq!(periods.len() as u32, 12 / f.months());
            assert_eq!(periods[0].starts, d(2026, 1, 1));
            assert_eq!(periods.last().unwrap().ends, d(2026, 12, 31));
            // Back to back, no day missing or counted twice.
            for w in periods.windows(2) {
                assert_eq!(w[0].ends + Days::new(1), w[1].starts);
            }
            for day in [d(2026, 1, 1), d(2026, 6, 30), d(2026, 12, 31)] {
                assert_eq!(periods.iter().filter(|q| q.contains(day)).count(), 1);
                assert!(f.period_of(day).contains(day));
            }
        }
    }

    #[test]
    fn a_meeting_late_on_the_last_evening_in_beijing_counts_for_that_period() {
        use chrono::{TimeZone, Utc};
        // 23:30 on 31 March in Beijing is 15:30 UTC the same day; 00:30 on 1 April in
        // Beijing is still 31 March in UTC and must count for the second quarter.
        let china = crate::models::audit::china_offset();
        let late = Utc.with_ymd_and_hms(2026, 3, 31, 15, 30, 0).unwrap();
        let early = Utc.with_ymd_and_hms(2026, 3, 31, 16, 30, 0).unwrap();
        let q1 = Frequency::Quarterly.period_of(d(2026, 1, 1));
        assert!(q1.contains(late.with_timezone(&china).date_naive()));
        assert!(!q1.contains(early.with_timezone(&china).date_naive()));
        assert_eq!(
            Frequency::Quarterly.period_of(early.with_timezone(&china).date_naive()),
            p(d(2026, 4, 1), d(2026, 6, 30))
        );
    }

    #[test]
    fn a_rule_is_done_open_due_soon_overdue_or_not_yet_started() {
        let march = Frequency::Monthly.period_of(d(2026, 3, 1));
        let w = DEFAULT_WARN_DAYS;
        assert_eq!(standing(march, 1, &[], d(2026, 2, 28), w), Standing::Future);
        assert_eq!(standing(march, 1, &[], d(2026, 3, 1), w), Standing::Open);
        assert_eq!(standing(march, 1, &[], d(2026, 3, 24), w), Standing::Open);
        // The last seven days, the last day included.
        assert_eq!(
            standing(march, 1, &[], d(2026, 3, 25), w),
            Standing::DueSoon
        );
        assert_eq!(
            standing(march, 1, &[], d(2026, 3, 31), w),
            Standing::DueSoon
        );
        assert_eq!(standing(march, 1, &[], d(2026, 4, 1), w), Standing::Overdue);
        // Held in the period: done, whenever asked, even before the period ends.
        let held = [d(2026, 3, 12)];
        assert_eq!(standing(march, 1, &held, d(2026, 3, 12), w), Standing::Done);
        assert_eq!(standing(march, 1, &held, d(2027, 1, 1), w), Standing::Done);
        // Held in another month: does not count.
        let elsewhere = [d(2026, 2, 28), d(2026, 4, 1)];
        assert_eq!(
            standing(march, 1, &elsewhere, d(2026, 4, 2), w),
            Standing::Overdue
        );
        // A rule asking twice is not met by one meeting.
        assert_eq!(
            standing(march, 2, &held, d(2026, 4, 1), w),
            Standing::Overdue
        );
        // No warning days: never yellow.
        assert_eq!(standing(march, 1, &[], d(2026, 3, 31), 0), Standing::Open);
        // The yearly 组织生活会 across the year change.
        let year = Frequency::Yearly.period_of(d(2025, 6, 1));
        assert_eq!(
            standing(year, 1, &[], d(2025, 12, 31), w),
            Standing::DueSoon
        );
        assert_eq!(standing(year, 1, &[], d(2026, 1, 1), w), Standing::Overdue);
    }

    #[test]
    fn the_default_rules_are_those_of_the_party_rules() {
        let of = |kind: OrgKind| -> Vec<(MeetingKind, Frequency)> {
            DEFAULT_RULES
                .iter()
                .filter(|r| r.org_kind == kind)
                .map(|r| (r.meeting, r.frequency))
                .collect()
        };
        assert_eq!(
            of(OrgKind::Branch),
            vec![
                (MeetingKind::GeneralMeeting, Frequency::Quarterly),
                (MeetingKind::Committee, Frequency::Monthly),
                (MeetingKind::Lesson, Frequency::Quarterly),
                (MeetingKind::ThemeDay, Frequency::Monthly),
                (MeetingKind::LifeMeeting, Frequency::Yearly),
            ]
        );
        assert_eq!(
            of(OrgKind::Group),
            vec![(MeetingKind::Group, Frequency::Monthly)]
        );
        assert!(DEFAULT_RULES.iter().all(|r| r.times == 1));
    }

    #[test]
    fn a_record_made_after_the_meeting_day_is_a_late_record() {
        assert!(!is_late_record(d(2026, 3, 12), d(2026, 3, 12)));
        assert!(is_late_record(d(2026, 3, 12), d(2026, 3, 13)));
        assert!(is_late_record(d(2025, 12, 31), d(2026, 1, 1)));
    }

    #[test]
    fn at_most_about_a_third_are_graded_excellent() {
        let cap = DEFAULT_EXCELLENT_PERCENT;
        assert_eq!(excellent_allowed(0, cap), 0);
        assert_eq!(excellent_allowed(1, cap), 0);
        assert_eq!(excellent_allowed(2, cap), 1);
        assert_eq!(excellent_allowed(3, cap), 1);
        assert_eq!(excellent_allowed(5, cap), 2);
        assert_eq!(excellent_allowed(9, cap), 3);
        assert_eq!(excellent_allowed(10, cap), 3);
        assert_eq!(excellent_allowed(30, cap), 10);
        assert_eq!(excellent_allowed(100, cap), 33);
        assert_eq!(excellent_allowed(10, 100), 10);
        assert_eq!(excellent_allowed(10, 0), 0);
    }

    fn input(kind: &str, day: &str, time: &str, topic: &str) -> MeetingInput {
        MeetingInput {
            org: "o0003".into(),
            kind: kind.into(),
            day: day.into(),
            time: time.into(),
            topic: topic.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_meeting_is_checked_field_by_field() {
        let ok = check_meeting(
            &input("theme_day", "2026-12-02", "14:30", " 学习 "),
            OrgKind::Branch,
        )
        .unwrap();
        assert_eq!(
            (ok.kind, ok.time.as_str(), ok.topic.as_str()),
            (MeetingKind::ThemeDay, "14:30", "学习")
        );
        assert!(
            check_meeting(
                &input("theme_day", "2026-12-02", "", "学习"),
                OrgKind::Branch
            )
            .is_ok()
        );
        let cases = [
            (
                input("party", "2026-12-02", "", "x"),
                OrgKind::Branch,
                MeetingProblem::Kind,
            ),
            (
                input("group", "2026-12-02", "", "x"),
                OrgKind::Branch,
                MeetingProblem::KindForOrg,
            ),
            (
                input("committee", "2026-12-02", "", "x"),
                OrgKind::Group,
                MeetingProblem::KindForOrg,
            ),
            (
                input("lesson", "2026-02-30", "", "x"),
                OrgKind::Branch,
                MeetingProblem::Day,
            ),
            (
                input("lesson", "2026-12-02", "24:00", "x"),
                OrgKind::Branch,
                MeetingProblem::Time,
            ),
            (
                input("lesson", "2026-12-02", "9:30", "x"),
                OrgKind::Branch,
                MeetingProblem::Time,
            ),
            (
                input("lesson", "2026-12-02", "", "  "),
                OrgKind::Branch,
                MeetingProblem::Topic,
            ),
            (
                input("lesson", "2026-12-02", "", &"长".repeat(101)),
                OrgKind::Branch,
                MeetingProblem::Topic,
            ),
        ];
        for (i, org, want) in cases {
            assert_eq!(check_meeting(&i, org), Err(want), "{i:?}");
        }
        assert!(check_meeting(&input("group", "2026-12-02", "", "x"), OrgKind::Group).is_ok());
    }

    #[test]
    fn standings_follow_each_rule_of_the_organisation_s_kind() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let held = [
            (MeetingKind::Committee, d(12, 1)),
            (MeetingKind::ThemeDay, d(11, 20)),
            (MeetingKind::GeneralMeeting, d(10, 9)),
        ];
        let s = standings(
            OrgKind::Branch,
            DEFAULT_RULES,
            &held,
            d(12, 26),
            DEFAULT_WARN_DAYS,
        );
        let of = |k| s.iter().find(|r| r.meeting == k).unwrap();
        assert_eq!(
            s.len(),
            5,
            "a branch has five rules; the group rule is not among them"
        );
        assert_eq!(of(MeetingKind::Committee).standing, Standing::Done);
        assert_eq!(
            of(MeetingKind::ThemeDay).standing,
            Standing::DueSoon,
            "November's does not count in December"
        );
        assert_eq!(of(MeetingKind::GeneralMeeting).held, 1);
        assert_eq!(of(MeetingKind::Lesson).standing, Standing::DueSoon);
        assert_eq!(of(MeetingKind::LifeMeeting).period.ends, d(12, 31));
        let g = standings(
            OrgKind::Group,
            DEFAULT_RULES,
            &held,
            d(12, 2),
            DEFAULT_WARN_DAYS,
        );
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].standing, Standing::Open);
    }

    #[test]
    fn host_and_recorder_default_to_the_secretary_and_the_organisation_member() {
        use crate::models::org::Position as P;
        let seats = vec![
            ("a".to_string(), P::Member),
            ("b".to_string(), P::Organization),
            ("c".to_string(), P::Secretary),
        ];
        assert_eq!(default_roles(&seats), (Some("c".into()), Some("b".into())));
        let small = vec![
            ("c".to_string(), P::Secretary),
            ("a".to_string(), P::Member),
        ];
        assert_eq!(default_roles(&small), (Some("c".into()), Some("c".into())));
        let group = vec![("g".to_string(), P::GroupLeader)];
        assert_eq!(default_roles(&group), (Some("g".into()), Some("g".into())));
        assert_eq!(default_roles(&[("a".to_string(), P::Member)]), (None, None));
    }

    #[test]
    fn attendance_marks_need_a_known_status_and_a_leave_its_reason() {
        let mark = |status: &str, reason: &str| {
            check_attendance(&AttendanceInput {
                meeting: "m".into(),
                member: "p".into(),
                status: status.into(),
                reason: reason.into(),
            })
        };
        assert_eq!(
            mark("present", "ignored"),
            Ok((Attendance::Present, String::new()))
        );
        assert_eq!(
            mark("leave", " 值班 "),
            Ok((Attendance::Leave, "值班".into()))
        );
        assert_eq!(mark("leave", "  "), Err("reason"));
        assert_eq!(mark("leave", &"假".repeat(201)), Err("reason"));
        assert_eq!(mark("late", ""), Err("status"));
        assert_eq!(mark("absent", ""), Ok((Attendance::Absent, String::new())));
    }

    #[test]
    fn sign_in_is_open_on_the_day_only_and_client_ids_are_plain() {
        assert!(sign_in_open(d(2026, 3, 31), d(2026, 3, 31)));
        assert!(!sign_in_open(d(2026, 3, 31), d(2026, 4, 1)));
        assert!(!sign_in_open(d(2026, 4, 1), d(2026, 3, 31)));
        assert!(client_id_ok("0b7c2f1e-9a4d-4c55-8d2e-1f2a3b4c5d6e"));
        assert!(!client_id_ok("short"));
        assert!(!client_id_ok("has space in it"));
        assert!(!client_id_ok(&"a".repeat(65)));
    }

    #[test]
    fn minutes_are_kept_until_approved_and_submitted_only_with_text() {
        assert_eq!(
            check_minutes(" 记录 ", true, MinutesState::Draft),
            Ok("记录".into())
        );
        assert_eq!(
            check_minutes("", false, MinutesState::Empty),
            Ok(String::new())
        );
        assert_eq!(
            check_minutes("  ", true, MinutesState::Draft),
            Err("minutes")
        );
        assert_eq!(
            check_minutes(&"字".repeat(MINUTES_MAX + 1), false, MinutesState::Draft),
            Err("minutes")
        );
        assert_eq!(
            check_minutes("改", false, MinutesState::Approved),
            Err("state")
        );
    }

    #[test]
    fn the_tally_counts_each_status_and_the_unmarked() {
        let row = |status| AttendeeRow {
            member: "m".into(),
            name: "n".into(),
            status,
            via: None,
            reason: String::new(),
            request: None,
        };
        let rows = [
            row(Some(Attendance::Present)),
            row(Some(Attendance::Present)),
            row(Some(Attendance::Leave)),
            row(None),
        ];
        assert_eq!(
            tally(&rows),
            Tally {
                present: 2,
                leave: 1,
                absent: 0,
                unmarked: 1
            }
        );
    }

    #[test]
    fn a_grid_month_shows_the_rules_closing_in_it_and_the_worst_colour() {
        use MeetingKind as K;
        let held = [
            (K::Committee, d(2026, 1, 8)),
            (K::ThemeDay, d(2026, 1, 20)),
            (K::Committee, d(2026, 2, 5)),
            (K::GeneralMeeting, d(2026, 2, 15)),
            (K::Lesson, d(2026, 3, 1)),
            (K::Committee, d(2026, 3, 3)),
            (K::ThemeDay, d(2026, 3, 28)),
        ];
        let cells = grid_cells(
            OrgKind::Branch,
            DEFAULT_RULES,
            &held,
            2026,
            d(2026, 3, 27),
            7,
        );
        assert_eq!(cells.len(), 12);
        assert_eq!(
            (cells[0].standing, cells[0].due, cells[0].done),
            (Standing::Done, 2, 2),
            "January: the two monthly rules, both held"
        );
        assert_eq!(
            cells[1].standing,
            Standing::Overdue,
            "February: no themed day"
        );
        assert_eq!(cells[1].missing, vec![K::ThemeDay]);
        // March closes the quarter too: the general meeting and the lesson were held; on
        // the 27th the themed day (held on the 28th) does not count yet.
        assert_eq!(cells[2].due, 4);
        assert_eq!(cells[2].standing, Standing::DueSoon);
        assert_eq!(cells[2].missing, vec![K::ThemeDay]);
        assert_eq!(cells[4].standing, Standing::Future);
        assert_eq!(
            cells[11].due, 5,
            "December: two monthly, two quarterly, one yearly"
        );
        let after = grid_cells(
            OrgKind::Branch,
            DEFAULT_RULES,
            &held,
            2026,
            d(2026, 4, 1),
            7,
        );
        assert_eq!(after[2].standing, Standing::Done, "held on the 28th");
        let group = grid_cells(OrgKind::Group, DEFAULT_RULES, &[], 2026, d(2026, 4, 1), 7);
        assert_eq!((group[0].due, group[0].standing), (1, Standing::Overdue));
        assert_eq!(group[2].due, 1, "a group has one monthly rule only");
    }
}
