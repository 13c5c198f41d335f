//! Party members as the browser sees them. Identity-card numbers and phone numbers are
//! personal data: they travel masked, and a full value is sent only on an explicit,
//! audited request.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
// What the `SurrealValue` derive of `History` names unqualified.
use crate::models::org::Position;
#[cfg(feature = "ssr")]
use surrealdb::types::{SurrealValue, Value};

/// One member's record with the sensitive fields masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub id: String,
    pub name: String,
    pub gender: Gender,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub org_id: String,
    pub org_name: String,
    pub position: Position,
    pub status: MemberStatus,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub admission_date: NaiveDate,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub application_date: Option<NaiveDate>,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub full_date: Option<NaiveDate>,
    /// e.g. `138****5678`
    pub phone_masked: String,
    /// e.g. `110101********123X`
    pub id_number_masked: String,
    pub flags: Vec<Flag>,
    /// 双带头人 (only ever set on a secretary).
    pub dual_leader: bool,
    pub standing: Standing,
    /// What happened to the record, oldest first.
    pub history: Vec<MemberEvent>,
    /// The development steps, when the member came through the pipeline here.
    pub pipeline: Vec<crate::models::pipeline::StepRecord>,
    /// Transfers of the membership relation, newest first.
    pub transfers: Vec<crate::models::transfer::TransferView>,
    /// The closed loop's assignments whose answer links this record (for branch
    /// committees and the office; latest deadline first).
    #[serde(default)]
    pub tasks: Vec<crate::models::closed_loop::AssignmentSummary>,
}

/// One line of a member's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEvent {
    pub kind: String,
    pub what: History,
    pub reason: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub effective: Option<NaiveDate>,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A new mobile number for a member, with why it changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneUpdate {
    pub id: String,
    pub phone: String,
    #[serde(default)]
    pub reason: String,
}

/// Which sensitive field to show in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveField {
    IdNumber,
    Phone,
}

impl SensitiveField {
    pub fn as_str(self) -> &'static str {
        match self {
            SensitiveField::IdNumber => "id_number",
            SensitiveField::Phone => "phone",
        }
    }
}

/// Keeps the first `head` and last `tail` characters and stars the rest; values too short
/// to keep anything are starred entirely.
fn mask(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - head - tail;
    chars[..head]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(&chars[chars.len() - tail..])
        .collect()
}

/// 18-digit ID numbers keep the region code (6) and the last 4; the birth date is hidden.
pub fn mask_id_number(value: &str) -> String {
    mask(value, 6, 4)
}

/// Mobile numbers keep the carrier prefix (3) and the last 4.
pub fn mask_phone(value: &str) -> String {
    mask(value, 3, 4)
}

/// An ID or phone number as typed with a Chinese input method, made plain: full-width
/// digits and letters (０-９, Ｘ) become half-width, and spaces (also the ideographic
/// space U+3000) are dropped, around and inside the number.
pub fn half_width(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The GB 11643 check character of the first 17 digits of an identity number.
pub fn id_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// A mainland ID number (GB 11643): 17 digits and the check character, which must match.
pub fn valid_id_number(value: &str) -> bool {
    let value = value.trim();
    value.len() == 18
        && value.is_ascii()
        && id_check_char(&value[..17])
            .is_some_and(|c| value[17..].eq_ignore_ascii_case(&c.to_string()))
}

/// A mainland mobile number: 11 digits starting 13–19.
pub fn valid_mobile(value: &str) -> bool {
    let b = value.trim().as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

word_enum! {
    /// 性别.
    Gender { Male => "male" / GenderMale, Female => "female" / GenderFemale }
}

word_enum! {
    /// 正式党员 or 预备党员.
    MemberStatus { Full => "full" / FieldFullMembers, Probationary => "probationary" / FieldProbationary }
}

word_enum! {
    /// 党籍: in good standing, transferred out of the hospital, or stopped (停止党籍).
    Standing {
        Active => "active" / StandingActive,
        TransferredOut => "transferred_out" / StandingTransferred,
        Suspended => "suspended" / StandingSuspended,
    }
}

word_enum! {
    /// Marks a branch keeps on a member: 流动党员, 失联党员, 困难党员.
    Flag {
        Floating => "floating" / FlagFloating,
        LostContact => "lost_contact" / FlagLostContact,
        Hardship => "hardship" / FlagHardship,
    }
}

/// How a status reads to people (a `MemberStatus` or its word).
/// "标记为：流动党员" / "Mark as: Floating"; `on` false: "取消标记：…" / "Clear: …".
pub fn flag_action_text(on: bool, flag: Flag, lang: Lang) -> String {
    let flag = lang.t(flag.label());
    if on {
        lang.t(T::StatusFlagOn(flag))
    } else {
        lang.t(T::StatusFlagOff(flag))
    }
}

/// What happened to a member's record: a kind with its parameters, stored as such in
/// `member_event.what` (`{ kind: 'flag_on', flag: 'floating' }`) and put into words in the
/// reader's language only when shown. Names in parameters (organisations) are the names
/// at the time, which is what a history line should keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(SurrealValue),
    surreal(tag = "kind", rename_all = "snake_case")
)]
pub enum History {
    /// The record was created by hand.
    Created,
    /// The record was created by a spreadsheet import.
    Imported,
    /// The record was created at step 17 of the development pipeline.
    Admitted,
    PhoneChanged,
    /// Probationary → full member (转正).
    BecameFull,
    /// Membership stopped (停止党籍).
    Suspended,
    /// Membership restored (恢复党籍).
    Restored,
    FlagOn {
        flag: Flag,
    },
    FlagOff {
        flag: Flag,
    },
    /// Fields of the record corrected (their form names).
    Corrected {
        fields: Vec<String>,
    },
    /// A seat in the branch (`Position` names).
    Position {
        from: String,
        to: String,
    },
    TransferStarted {
        from: String,
        to: String,
    },
    TransferAccepted {
        from: String,
        to: String,
    },
    TransferredOut {
        to: String,
    },
    TransferredIn {
        from: String,
    },
    TransferRejected,
    TransferCancelled,
    /// A line whose words could not be mapped to a kind (kept as written).
    Note {
        text: String,
    },
}

impl History {
    /// The line in the reader's language.
    pub fn text(&self, lang: Lang) -> String {
        let plain = |key: T| lang.t(key).to_string();
        let labelled = |key: T, rest: &str| lang.t(T::Labelled(lang.t(key), rest));
        let arrow = |a: &str, b: &str| format!("{a} → {b}");
        match self {
            History::Created => plain(T::HistCreated),
            History::Imported => plain(T::HistImported),
            History::Admitted => plain(T::HistAdmitted),
            History::PhoneChanged => plain(T::HistPhoneChanged),
            History::BecameFull => plain(T::HistToFull),
            History::Suspended => plain(T::HistStandingSuspended),
            History::Restored => plain(T::HistStandingRestored),
            History::FlagOn { flag } => flag_action_text(true, *flag, lang),
            History::FlagOff { flag } => flag_action_text(false, *flag, lang),
            History::Corrected { fields } => {
                let fields: Vec<&str> = fields
                    .iter()
                    .map(|f| crate::models::member_form::field_label(f.trim(), lang))
                    .collect();
                labelled(T::HistFields, &lang.list(&fields))
            }
            History::Position { from, to } => {
                let label = |p: &str| {
                    Position::parse(p.trim())
                        .map(|p| lang.t(p.label()).to_string())
                        .unwrap_or_else(|| p.trim().to_string())
                };
                labelled(T::HistPosition, &arrow(&label(from), &label(to)))
            }
            History::TransferStarted { from, to } => {
                labelled(T::HistTransferStarted, &arrow(from, to))
            }
            History::TransferAccepted { from, to } => {
                labelled(T::HistTransferAccepted, &arrow(from, to))
            }
            History::TransferredOut { to } => labelled(T::HistTransferredOut, to),
            History::TransferredIn { from } => labelled(T::HistTransferredIn, from),
            History::TransferRejected => plain(T::HistTransferRejected),
            History::TransferCancelled => plain(T::HistTransferCancelled),
            History::Note { text } => text.clone(),
        }
    }

    /// The line for the audit trail's summary (a stable English form, no personal data).
    pub fn summary(&self) -> String {
        self.text(Lang::En)
    }
}

/// The roster's search and filters. Empty strings do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQuery {
    /// Name (汉字), pinyin initials (e.g. `zs` for 张三), or the last 4+ characters of the ID.
    #[serde(default)]
    pub q: String,
    /// An organisation key: its members and those of organisations below it.
    #[serde(default)]
    pub org: String,
    /// `full` or `probationary`.
    #[serde(default)]
    pub status: String,
    /// A [`Flag`]'s word.
    #[serde(default)]
    pub flag: String,
    #[serde(default)]
    pub department: String,
    /// `name` (default), `admission` or `org`.
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: u32,
}

pub const MEMBER_PAGE_SIZE: u32 = 20;

/// One line of the roster (sensitive fields masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLine {
    pub id: String,
    pub name: String,
    pub gender: Gender,
    pub department: String,
    pub org_id: String,
    pub org_name: String,
    pub position: Position,
    pub status: MemberStatus,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub admission_date: NaiveDate,
    pub flags: Vec<Flag>,
    pub phone_masked: String,
    pub id_number_masked: String,
}

/// A page of the roster with the counts of the whole filtered set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub members: Vec<MemberLine>,
    pub total: u64,
    pub full: u64,
    pub probationary: u64,
    pub page: u32,
    pub page_size: u32,
}

/// Whether a search text looks like the tail of an ID number (digits, maybe a final X).
pub fn is_id_tail(q: &str) -> bool {
    let q = q.trim();
    q.len() >= 4
        && q.len() <= 18
        && q.char_indices()
            .all(|(i, c)| c.is_ascii_digit() || (i == q.len() - 1 && c.eq_ignore_ascii_case(&'x')))
}

/// What `change_member_status` takes. `action` is `to_full`, `flag_on:<flag>` or
/// `flag_off:<flag>`; `date` is when it took effect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub reason: String,
}

/// A parsed status action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusAction {
    /// 预备党员 → 正式党员 (转正).
    ToFull,
    FlagOn(Flag),
    FlagOff(Flag),
    /// 停止党籍: the member leaves the roster; the record and its history stay.
    Suspend,
    /// 恢复党籍 after a 停止党籍 (by decision of the committee).
    Restore,
}

impl StatusAction {
    pub fn parse(s: &str) -> Option<StatusAction> {
        let flag = Flag::parse;
        match s.split_once(':') {
            None if s == "to_full" => Some(StatusAction::ToFull),
            None if s == "suspend" => Some(StatusAction::Suspend),
            None if s == "restore" => Some(StatusAction::Restore),
            Some(("flag_on", f)) => flag(f).map(StatusAction::FlagOn),
            Some(("flag_off", f)) => flag(f).map(StatusAction::FlagOff),
            _ => None,
        }
    }
}

/// Why a status change is refused; each names the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusProblem {
    /// Only probationary members become full members.
    NotProbationary,
    /// The probation of one year (from admission) has not passed on that date.
    ProbationNotOver(NaiveDate),
    /// The date lies in the future.
    FutureDate,
    /// The flag is already set (on) or not set (off).
    FlagUnchanged,
    /// A reason is required for every change.
    ReasonMissing,
    /// Only members in good standing (在籍) change status, flags or have 党籍 stopped.
    NotActive,
    /// Only a stopped 党籍 is restored.
    NotSuspended,
}

/// Checks an action against the member's 党籍 (`standing`): everything but 恢复党籍 needs
/// a member in good standing (在籍); 恢复党籍 needs a stopped one.
pub fn check_standing(action: StatusAction, standing: Standing) -> Result<(), StatusProblem> {
    match (action, standing) {
        (StatusAction::Restore, Standing::Suspended) => Ok(()),
        (StatusAction::Restore, _) => Err(StatusProblem::NotSuspended),
        (_, Standing::Active) => Ok(()),
        _ => Err(StatusProblem::NotActive),
    }
}

/// Checks a status change against the record: `status`, `admission` and `flags` as stored,
/// `date` the effective date, `today` in China time.
pub fn check_status_change(
    action: StatusAction,
    status: MemberStatus,
    admission: NaiveDate,
    flags: &[Flag],
    date: NaiveDate,
    today: NaiveDate,
    reason: &str,
) -> Result<(), StatusProblem> {
    if reason.trim().is_empty() {
        return Err(StatusProblem::ReasonMissing);
    }
    if date > today {
        return Err(StatusProblem::FutureDate);
    }
    match action {
        StatusAction::ToFull => {
            if status != MemberStatus::Probationary {
                return Err(StatusProblem::NotProbationary);
            }
            let earliest = admission
                .checked_add_months(chrono::Months::new(12))
                .unwrap_or(admission);
            if date < earliest {
                return Err(StatusProblem::ProbationNotOver(earliest));
            }
            Ok(())
        }
        StatusAction::FlagOn(f) if flags.contains(&f) => Err(StatusProblem::FlagUnchanged),
        StatusAction::FlagOff(f) if !flags.contains(&f) => Err(StatusProblem::FlagUnchanged),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_decides_which_actions_apply() {
        assert_eq!(
            check_standing(StatusAction::Suspend, Standing::Active),
            Ok(())
        );
        assert_eq!(
            check_standing(StatusAction::ToFull, Standing::Active),
            Ok(())
        );
        assert_eq!(
            check_standing(StatusAction::Suspend, Standing::Suspended),
            Err(StatusProblem::NotActive)
        );
        assert_eq!(
            check_standing(
                StatusAction::FlagOn(Flag::Floating),
                Standing::TransferredOut
            ),
            Err(StatusProblem::NotActive)
        );
        assert_eq!(
            check_standing(StatusAction::Restore, Standing::Suspended),
            Ok(())
        );
        assert_eq!(
            check_standing(StatusAction::Restore, Standing::Active),
            Err(StatusProblem::NotSuspended)
        );
        assert_eq!(StatusAction::parse("suspend"), Some(StatusAction::Suspend));
        assert_eq!(StatusAction::parse("restore"), Some(StatusAction::Restore));
    }

    #[test]
    fn masks_hide_the_middle_counting_characters() {
        assert_eq!(mask_id_number("11010119900307123X"), "110101********123X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("1234"), "****", "too short: all hidden");
        assert_eq!(mask_phone(""), "");
        assert_eq!(
            mask_phone("一二三四五六七八"),
            "一二三*五六七八",
            "characters, not bytes"
        );
    }

    #[test]
    fn history_lines_read_in_the_readers_language() {
        assert_eq!(History::PhoneChanged.text(Lang::Zh), "更新了手机号码");
        let on = History::FlagOn {
            flag: Flag::Floating,
        };
        assert_eq!(on.text(Lang::Zh), "标记为：流动党员");
        let off = History::FlagOff {
            flag: Flag::Hardship,
        };
        assert_eq!(off.text(Lang::En), "Clear: In hardship");
        assert_eq!(
            History::BecameFull.text(Lang::En),
            "Probationary → full member"
        );
        let seat = History::Position {
            from: "member".into(),
            to: "secretary".into(),
        };
        assert!(seat.text(Lang::Zh).contains("→"), "{}", seat.text(Lang::Zh));
        assert!(!seat.text(Lang::Zh).contains("secretary"));
    }

    #[test]
    fn member_values_travel_and_are_stored_as_their_words() {
        assert_eq!(
            serde_json::to_string(&Flag::LostContact).unwrap(),
            r#""lost_contact""#
        );
        assert_eq!(
            serde_json::from_str::<Standing>(r#""transferred_out""#).unwrap(),
            Standing::TransferredOut
        );
        for s in MemberStatus::ALL {
            assert_eq!(MemberStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Gender::parse("unknown"), None);
        assert_eq!(Gender::parse("female"), Some(Gender::Female));
        assert_eq!(MemberStatus::Probationary.label(), T::FieldProbationary);
        assert_eq!(Flag::Floating.label(), T::FlagFloating);
        assert!(Standing::Suspended == "suspended");
    }

    #[test]
    fn history_travels_as_a_kind_with_parameters() {
        let on = History::FlagOn {
            flag: Flag::Floating,
        };
        let json = serde_json::to_string(&on).unwrap();
        assert_eq!(json, r#"{"kind":"flag_on","flag":"floating"}"#);
        assert_eq!(serde_json::from_str::<History>(&json).unwrap(), on);
        assert_eq!(
            serde_json::to_string(&History::BecameFull).unwrap(),
            r#"{"kind":"became_full"}"#
        );
    }

    #[test]
    fn id_numbers_need_the_right_check_character() {
        assert!(valid_id_number("11010519491231002X"));
        assert!(valid_id_number("11010519491231002x"));
        assert!(
            !valid_id_number("110105194912310021"),
            "wrong check character"
        );
        assert!(!valid_id_number("1101051949123100"), "too short");
        assert!(!valid_id_number("1101051949123100２X"), "full-width digit");
    }

    #[test]
    fn mobiles_are_eleven_digits_from_13_to_19() {
        assert!(valid_mobile("13812345678"));
        assert!(valid_mobile("19912345678"));
        assert!(!valid_mobile("12812345678"));
        assert!(!valid_mobile("1381234567"));
        assert!(!valid_mobile("1381234567a"));
    }

    #[test]
    fn id_tails_are_four_or_more_digits_with_an_optional_final_x() {
        assert!(is_id_tail("002X"));
        assert!(is_id_tail("1234"));
        assert!(!is_id_tail("123"));
        assert!(!is_id_tail("zs12"));
        assert!(!is_id_tail("X123"));
    }

    #[test]
    fn becoming_a_full_member_needs_a_year_of_probation_and_a_reason() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 11, 22);
        let admitted = d(2025, 12, 1);
        let check = |status: MemberStatus, date, reason| {
            check_status_change(
                StatusAction::ToFull,
                status,
                admitted,
                &[],
                date,
                today,
                reason,
            )
        };
        assert_eq!(
            check(MemberStatus::Probationary, d(2026, 11, 1), "支部大会通过"),
            Err(StatusProblem::ProbationNotOver(d(2026, 12, 1)))
        );
        assert_eq!(
            check(MemberStatus::Full, d(2026, 11, 1), "x"),
            Err(StatusProblem::NotProbationary)
        );
        assert_eq!(
            check(MemberStatus::Probationary, d(2026, 12, 1), "x"),
            Err(StatusProblem::FutureDate)
        );
        assert_eq!(
            check(MemberStatus::Probationary, d(2026, 11, 1), " "),
            Err(StatusProblem::ReasonMissing)
        );
        let old = d(2024, 5, 1);
        assert_eq!(
            check_status_change(
                StatusAction::ToFull,
                MemberStatus::Probationary,
                old,
                &[],
                d(2025, 5, 1),
                today,
                "x"
            ),
            Ok(())
        );
    }

    #[test]
    fn flags_are_switched_explicitly() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let floating = vec![Flag::Floating];
        assert_eq!(
            StatusAction::parse("flag_on:floating"),
            Some(StatusAction::FlagOn(Flag::Floating))
        );
        assert_eq!(StatusAction::parse("flag_on:vip"), None);
        assert_eq!(StatusAction::parse("to_full"), Some(StatusAction::ToFull));
        assert_eq!(
            check_status_change(
                StatusAction::FlagOn(Flag::Floating),
                MemberStatus::Full,
                d,
                &floating,
                d,
                d,
                "x"
            ),
            Err(StatusProblem::FlagUnchanged)
        );
        assert_eq!(
            check_status_change(
                StatusAction::FlagOff(Flag::Floating),
                MemberStatus::Full,
                d,
                &floating,
                d,
                d,
                "x"
            ),
            Ok(())
        );
        assert_eq!(
            check_status_change(
                StatusAction::FlagOff(Flag::Hardship),
                MemberStatus::Full,
                d,
                &floating,
                d,
                d,
                "x"
            ),
            Err(StatusProblem::FlagUnchanged)
        );
    }
}
