//! The yearly learning-reflection exchange (学习心得交流, issue 15): each member writes one
//! reflection a year; their branch committee selects some to share with the branch, whose
//! members then read them. Nothing is scored or ranked.

use serde::{Deserialize, Serialize};

/// Longest title, and the shortest and longest text (characters).
pub const TITLE_MAX: usize = 60;
pub const BODY_MIN: usize = 20;
pub const BODY_MAX: usize = 5000;

/// A member's reflection as written (the year is the server's: this year in China).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// Which field of a reflection is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReflectionProblem {
    Title,
    Body,
}

impl ReflectionProblem {
    pub fn field(self) -> &'static str {
        match self {
            ReflectionProblem::Title => "title",
            ReflectionProblem::Body => "body",
        }
    }

    pub fn text(self) -> crate::i18n::T {
        match self {
            ReflectionProblem::Title => crate::i18n::T::RfErrTitle,
            ReflectionProblem::Body => crate::i18n::T::RfErrBody,
        }
    }
}

/// The title (1 to [`TITLE_MAX`] characters) and text ([`BODY_MIN`] to [`BODY_MAX`]
/// characters, line breaks kept), trimmed.
pub fn check_reflection(input: &ReflectionInput) -> Result<(String, String), ReflectionProblem> {
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        return Err(ReflectionProblem::Title);
    }
    let body = input.body.replace("\r\n", "\n").trim().to_string();
    let n = body.chars().count();
    if !(BODY_MIN..=BODY_MAX).contains(&n) {
        return Err(ReflectionProblem::Body);
    }
    Ok((title.to_string(), body))
}

/// A committee's choice: share the reflection `id` with the branch, or take it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub shared: bool,
}

/// One reflection as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionView {
    pub id: String,
    pub name: String,
    pub org_name: String,
    pub year: i32,
    pub title: String,
    pub body: String,
    pub shared: bool,
    /// `YYYY-MM-DD`, China time.
    pub updated: String,
}

/// Answer of `list_reflections`: the caller's own this year, what their branch shares,
/// and (for a committee, the office) every reflection in reach this year to select from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionsPage {
    pub year: i32,
    /// Whether the caller writes one (an account with a member record).
    pub can_write: bool,
    pub mine: Option<ReflectionView>,
    pub shared: Vec<ReflectionView>,
    /// Whether the caller selects (a committee or the office).
    pub can_select: bool,
    pub in_reach: Vec<ReflectionView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, body: &str) -> ReflectionInput {
        ReflectionInput {
            title: title.into(),
            body: body.into(),
        }
    }

    #[test]
    fn a_reflection_has_a_title_and_a_text_of_reasonable_length() {
        let body = "学习党章后，我对全心全意为人民服务有了更深的理解。\r\n在临床工作中践行初心。";
        let (t, b) = check_reflection(&input(" 学习党章的体会 ", body)).unwrap();
        assert_eq!(t, "学习党章的体会");
        assert!(
            b.contains('\n') && !b.contains('\r'),
            "line breaks kept, CRLF made LF"
        );
        assert_eq!(
            check_reflection(&input("", body)),
            Err(ReflectionProblem::Title)
        );
        assert_eq!(
            check_reflection(&input(&"题".repeat(TITLE_MAX + 1), body)),
            Err(ReflectionProblem::Title)
        );
        assert_eq!(
            check_reflection(&input("体会", "太短了。")),
            Err(ReflectionProblem::Body)
        );
        assert_eq!(
            check_reflection(&input("体会", &"学".repeat(BODY_MAX + 1))),
            Err(ReflectionProblem::Body)
        );
    }
}
