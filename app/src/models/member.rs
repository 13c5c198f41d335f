//! Party members as the browser sees them. Identity-card numbers and phone numbers are
//! personal data: they travel masked, and a full value is sent only on an explicit,
//! audited request.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::models::org::Position;

/// One member's record with the sensitive fields masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub id: String,
    pub name: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub org_id: String,
    pub org_name: String,
    pub position: Position,
    pub status: String,
    pub admission_date: NaiveDate,
    pub full_date: Option<NaiveDate>,
    /// e.g. `138****5678`
    pub phone_masked: String,
    /// e.g. `110101********123X`
    pub id_number_masked: String,
    pub flags: Vec<String>,
    /// What happened to the record, oldest first.
    pub history: Vec<MemberEvent>,
}

/// One line of a member's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEvent {
    pub kind: String,
    pub detail: String,
    pub reason: String,
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

/// Flags a member may carry.
pub const FLAGS: [&str; 3] = ["floating", "lost_contact", "hardship"];

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
    /// One of [`FLAGS`].
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
    pub gender: String,
    pub department: String,
    pub org_id: String,
    pub org_name: String,
    pub position: Position,
    pub status: String,
    pub admission_date: NaiveDate,
    pub flags: Vec<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
