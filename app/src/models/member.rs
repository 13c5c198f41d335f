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
