//! A member record as typed (a form or a spreadsheet row) and the rules it must meet
//! before anything is written. The same check serves the form and the Excel import, so a
//! record is valid or not regardless of how it arrived.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
use crate::models::member::{Gender, MemberStatus, half_width, valid_id_number, valid_mobile};

/// The fields of a member record as text, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInput {
    pub name: String,
    /// `male` / `female`, or 男 / 女.
    pub gender: String,
    pub birth_date: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub title: String,
    pub phone: String,
    pub id_number: String,
    /// The branch (key); on import, the branch's name.
    #[serde(default)]
    pub org: String,
    /// `full` / `probationary`, or 正式党员 / 预备党员.
    pub status: String,
    #[serde(default)]
    pub application_date: String,
    pub admission_date: String,
    #[serde(default)]
    pub full_date: String,
}

/// A record that passed every rule, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidMember {
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub status: MemberStatus,
    pub application_date: Option<NaiveDate>,
    pub admission_date: NaiveDate,
    pub full_date: Option<NaiveDate>,
}

/// One broken rule, with the field it concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberProblem {
    NameInvalid,
    GenderInvalid,
    DateInvalid(&'static str),
    DateFuture(&'static str),
    TextTooLong(&'static str),
    PhoneInvalid,
    IdInvalid,
    /// The birth date inside the ID number differs from the birth date given.
    IdBirthMismatch,
    /// The 17th digit of the ID number is odd for men and even for women.
    IdGenderMismatch,
    StatusInvalid,
    /// birth < application < admission < full membership.
    DateOrder(&'static str),
    /// An applicant must be at least 18 years old.
    TooYoung,
    /// A full member has a 转正 date; a probationary member has none.
    FullDateMissing,
    FullDateUnexpected,
    /// 转正 comes at least one year after admission.
    ProbationTooShort,
}

impl MemberProblem {
    /// The input field the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            MemberProblem::NameInvalid => "name",
            MemberProblem::GenderInvalid | MemberProblem::IdGenderMismatch => "gender",
            MemberProblem::DateInvalid(f)
            | MemberProblem::DateFuture(f)
            | MemberProblem::TextTooLong(f)
            | MemberProblem::DateOrder(f) => f,
            MemberProblem::PhoneInvalid => "phone",
            MemberProblem::IdInvalid => "id_number",
            MemberProblem::IdBirthMismatch => "birth_date",
            MemberProblem::StatusInvalid => "status",
            MemberProblem::TooYoung => "application_date",
            MemberProblem::FullDateMissing
            | MemberProblem::FullDateUnexpected
            | MemberProblem::ProbationTooShort => "full_date",
        }
    }

    /// What is wrong, naming the rule, for people.
    pub fn message(self, lang: Lang) -> String {
        let t = |k: T| lang.t(k).to_string();
        match self {
            MemberProblem::NameInvalid => t(T::MfName),
            MemberProblem::GenderInvalid => t(T::MfGender),
            MemberProblem::DateInvalid(f) => format!("{}：{}", field_label(f, lang), t(T::MfDate)),
            MemberProblem::DateFuture(f) => format!("{}：{}", field_label(f, lang), t(T::MfFuture)),
            MemberProblem::TextTooLong(f) => {
                format!("{}：{}", field_label(f, lang), t(T::MfTooLong))
            }
            MemberProblem::PhoneInvalid => t(T::MemberPhoneRule),
            MemberProblem::IdInvalid => t(T::MfId),
            MemberProblem::IdBirthMismatch => t(T::MfIdBirth),
            MemberProblem::IdGenderMismatch => t(T::MfIdGender),
            MemberProblem::StatusInvalid => t(T::MfStatus),
            MemberProblem::DateOrder(_) => t(T::MfDateOrder),
            MemberProblem::TooYoung => t(T::MfTooYoung),
            MemberProblem::FullDateMissing => t(T::MfFullMissing),
            MemberProblem::FullDateUnexpected => t(T::MfFullUnexpected),
            MemberProblem::ProbationTooShort => t(T::MfProbation),
        }
    }
}

/// The label of an input field, as the form and the import template name it.
pub fn field_label(field: &str, lang: Lang) -> &'static str {
    lang.t(match field {
        "name" => T::MemberName,
        "gender" => T::MemberGender,
        "birth_date" => T::MemberBirthDate,
        "ethnicity" => T::MemberEthnicity,
        "education" => T::MemberEducation,
        "department" => T::MemberDepartment,
        "title" => T::MemberTitle,
        "phone" => T::MemberPhone,
        "id_number" => T::MemberIdNumber,
        "org" => T::MemberBranch,
        "status" => T::MemberStatus,
        "application_date" => T::MemberApplication,
        "admission_date" => T::MemberAdmission,
        "full_date" => T::MemberFull,
        _ => T::NoneText,
    })
}

/// Parses a date as typed: `2024-03-01`, `2024/3/1`, `2024.3.1` or `2024年3月1日`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let cleaned: String = text
        .trim()
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', "");
    let mut parts = cleaned.split('-').map(str::trim);
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A gender as a form or a spreadsheet writes it: the word or 男/女.
pub(crate) fn gender(text: &str) -> Option<Gender> {
    match text.trim() {
        "男" => Some(Gender::Male),
        "女" => Some(Gender::Female),
        word => Gender::parse(word),
    }
}

/// A status as a form or a spreadsheet writes it: the word, 正式(党员) or 预备(党员).
fn status(text: &str) -> Option<MemberStatus> {
    match text.trim() {
        "正式党员" | "正式" => Some(MemberStatus::Full),
        "预备党员" | "预备" => Some(MemberStatus::Probationary),
        word => MemberStatus::parse(word),
    }
}

pub(crate) fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    date.with_year(date.year() + years)
        .or_else(|| {
            date.with_day(28)
                .and_then(|d| d.with_year(d.year() + years))
        })
        .unwrap_or(date)
}

/// Checks every rule and returns all the problems found (the form shows the first per
/// field; the import report lists them all), or the normalised record.
pub fn validate_member(
    input: &MemberInput,
    today: NaiveDate,
) -> Result<ValidMember, Vec<MemberProblem>> {
    let mut problems = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 50 {
        problems.push(MemberProblem::NameInvalid);
    }
    let gender_value = gender(&input.gender);
    if gender_value.is_none() {
        problems.push(MemberProblem::GenderInvalid);
    }
    let mut date = |field: &'static str, text: &str, required: bool| -> Option<NaiveDate> {
        if text.trim().is_empty() {
            if required {
                problems.push(MemberProblem::DateInvalid(field));
            }
            return None;
        }
        match parse_date(text) {
            None => {
                problems.push(MemberProblem::DateInvalid(field));
                None
            }
            Some(d) if d > today => {
                problems.push(MemberProblem::DateFuture(field));
                None
            }
            Some(d) => Some(d),
        }
    };
    let birth = date("birth_date", &input.birth_date, true);
    let application = date("application_date", &input.application_date, false);
    let admission = date("admission_date", &input.admission_date, true);
    let full = date("full_date", &input.full_date, false);

    let mut text = |field: &'static str, value: &str| -> String {
        let value = value.trim();
        if value.chars().count() > 50 {
            problems.push(MemberProblem::TextTooLong(field));
        }
        value.to_string()
    };
    let ethnicity = text("ethnicity", &input.ethnicity);
    let education = text("education", &input.education);
    let department = text("department", &input.department);
    let title = text("title", &input.title);

    let phone = half_width(&input.phone);
    if !valid_mobile(&phone) {
        problems.push(MemberProblem::PhoneInvalid);
    }
    let id_number = half_width(&input.id_number).to_ascii_uppercase();
    if !valid_id_number(&id_number) {
        problems.push(MemberProblem::IdInvalid);
    } else {
        let embedded = NaiveDate::parse_from_str(&id_number[6..14], "%Y%m%d").ok();
        if let (Some(b), Some(e)) = (birth, embedded)
            && b != e
        {
            problems.push(MemberProblem::IdBirthMismatch);
        }
        let odd = id_number.as_bytes()[16] % 2 == 1;
        if let Some(g) = gender_value
            && (g == Gender::Male) != odd
        {
            problems.push(MemberProblem::IdGenderMismatch);
        }
    }
    let status_value = status(&input.status);
    if status_value.is_none() {
        problems.push(MemberProblem::StatusInvalid);
    }

    // birth < application < admission < full membership.
    if let (Some(b), Some(a)) = (birth, application)
        && a <= b
    {
        problems.push(MemberProblem::DateOrder("application_date"));
    }
    if let Some(ad) = admission {
        let before = application.or(birth);
        if before.is_some_and(|p| ad <= p) {
            problems.push(MemberProblem::DateOrder("admission_date"));
        }
    }
    if let Some(b) = birth {
        // Age is checked on application, or on admission when no application date is known.
        if let Some(first) = application.or(admission)
            && first < add_years(b, 18)
        {
            problems.push(MemberProblem::TooYoung);
        }
    }
    match (status_value, full) {
        (Some(MemberStatus::Full), None) if input.full_date.trim().is_empty() => {
            problems.push(MemberProblem::FullDateMissing)
        }
        (Some(MemberStatus::Probationary), Some(_)) => {
            problems.push(MemberProblem::FullDateUnexpected)
        }
        (Some(MemberStatus::Full), Some(f)) => {
            if let Some(ad) = admission {
                if f <= ad {
                    problems.push(MemberProblem::DateOrder("full_date"));
                } else if f < add_years(ad, 1) {
                    problems.push(MemberProblem::ProbationTooShort);
                }
            }
        }
        _ => {}
    }

    match (
        problems.is_empty(),
        gender_value,
        birth,
        admission,
        status_value,
    ) {
        (true, Some(gender), Some(birth_date), Some(admission_date), Some(status)) => {
            Ok(ValidMember {
                name,
                gender,
                birth_date,
                ethnicity: if ethnicity.is_empty() {
                    "汉族".into()
                } else {
                    ethnicity
                },
                education,
                department,
                title,
                phone,
                id_number,
                status,
                application_date: application,
                admission_date,
                full_date: full,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::member::id_check_char;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    /// An identity number for a birth date and gender, with a correct check character.
    fn id_for(birth: &str, male: bool) -> String {
        let first17 = format!("110101{birth}12{}", if male { 3 } else { 2 });
        format!("{first17}{}", id_check_char(&first17).unwrap())
    }

    fn good() -> MemberInput {
        MemberInput {
            name: "张三".into(),
            gender: "男".into(),
            birth_date: "1985-04-12".into(),
            ethnicity: String::new(),
            education: "博士研究生".into(),
            department: "肿瘤内科".into(),
            title: "主任医师".into(),
            phone: "13812345678".into(),
            id_number: id_for("19850412", true),
            org: "o0003".into(),
            status: "正式党员".into(),
            application_date: "2008/3/1".into(),
            admission_date: "2009年7月1日".into(),
            full_date: "2010-07-01".into(),
        }
    }

    fn problems(input: MemberInput) -> Vec<MemberProblem> {
        validate_member(&input, today()).err().unwrap_or_default()
    }

    #[test]
    fn a_complete_record_is_normalised() {
        let v = validate_member(&good(), today()).unwrap();
        assert_eq!(v.gender, Gender::Male);
        assert_eq!(v.status, MemberStatus::Full);
        assert_eq!(v.ethnicity, "汉族", "the default");
        assert_eq!(
            v.admission_date,
            NaiveDate::from_ymd_opt(2009, 7, 1).unwrap()
        );
        assert_eq!(v.application_date, NaiveDate::from_ymd_opt(2008, 3, 1));
    }

    #[test]
    fn dates_must_run_birth_application_admission_full() {
        let mut i = good();
        i.application_date = "1980-01-01".into();
        assert!(problems(i).contains(&MemberProblem::DateOrder("application_date")));
        let mut i = good();
        i.admission_date = "2008-01-01".into();
        assert!(problems(i).contains(&MemberProblem::DateOrder("admission_date")));
        let mut i = good();
        i.full_date = "2009-07-01".into();
        assert_eq!(problems(i), [MemberProblem::DateOrder("full_date")]);
        let mut i = good();
        i.full_date = "2010-06-30".into();
        assert_eq!(problems(i), [MemberProblem::ProbationTooShort]);
        let mut i = good();
        i.admission_date = "2027-01-01".into();
        assert!(problems(i).contains(&MemberProblem::DateFuture("admission_date")));
        let mut i = good();
        i.birth_date = "1985-02-30".into();
        assert!(problems(i).contains(&MemberProblem::DateInvalid("birth_date")));
    }

    #[test]
    fn applicants_are_at_least_eighteen() {
        let mut i = good();
        i.application_date = "2003-04-11".into();
        assert!(problems(i).contains(&MemberProblem::TooYoung));
        let mut i = good();
        i.application_date = "2003-04-12".into();
        assert!(!problems(i).contains(&MemberProblem::TooYoung));
    }

    #[test]
    fn status_and_full_date_agree() {
        let mut i = good();
        i.full_date = String::new();
        assert_eq!(problems(i), [MemberProblem::FullDateMissing]);
        let mut i = good();
        i.status = "预备党员".into();
        assert_eq!(problems(i), [MemberProblem::FullDateUnexpected]);
        let mut i = good();
        i.status = "积极分子".into();
        assert_eq!(problems(i), [MemberProblem::StatusInvalid]);
    }

    #[test]
    fn identity_number_matches_check_birth_and_gender() {
        let mut i = good();
        let wrong = if i.id_number.ends_with('0') { "1" } else { "0" };
        i.id_number.replace_range(17.., wrong);
        assert_eq!(problems(i), [MemberProblem::IdInvalid]);
        let mut i = good();
        i.id_number = id_for("19850413", true);
        assert_eq!(problems(i), [MemberProblem::IdBirthMismatch]);
        let mut i = good();
        i.id_number = id_for("19850412", false);
        assert_eq!(problems(i), [MemberProblem::IdGenderMismatch]);
        let mut i = good();
        i.id_number = good().id_number.to_lowercase();
        assert!(
            validate_member(&i, today()).is_ok(),
            "a lower-case x is accepted"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let i = MemberInput {
            name: " ".into(),
            phone: "12".into(),
            ..MemberInput::default()
        };
        let p = problems(i);
        for expected in [
            MemberProblem::NameInvalid,
            MemberProblem::GenderInvalid,
            MemberProblem::DateInvalid("birth_date"),
            MemberProblem::DateInvalid("admission_date"),
            MemberProblem::PhoneInvalid,
            MemberProblem::IdInvalid,
            MemberProblem::StatusInvalid,
        ] {
            assert!(p.contains(&expected), "{expected:?} in {p:?}");
        }
    }

    #[test]
    fn typed_dates_in_common_forms_parse() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1);
        for text in [
            "2024-03-01",
            "2024/3/1",
            "2024.3.1",
            "2024年3月1日",
            " 2024-3-1 ",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        for text in ["", "2024", "2024-13-01", "1/3/2024", "2024-03-01-02"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
