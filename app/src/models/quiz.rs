//! Quizzes and exams (issue 15): a question bank per organisation, exams drawn from it,
//! attempts graded on the server.
//!
//! The key of a question (its correct choices, or the accepted texts of a fill-in) lives in
//! the database and in [`Key`] on the server only. What a learner receives before they
//! submit is an [`Asked`] question, which has no field for it; after they submit, the
//! [`Reviewed`] questions carry the key and the explanation. The time limit is the server's:
//! an attempt's deadline is set when it starts, and a submission after the deadline (and
//! [`GRACE_SECONDS`] for the network) is refused.

use serde::{Deserialize, Serialize};

/// Longest question stem, option, explanation and accepted text (characters).
pub const STEM_MAX: usize = 500;
pub const OPTION_MAX: usize = 200;
pub const EXPLANATION_MAX: usize = 1000;
pub const FILL_MAX: usize = 100;
/// Options of a choice question.
pub const OPTIONS_MIN: usize = 2;
pub const OPTIONS_MAX: usize = 8;
/// Accepted texts of a fill-in question.
pub const ACCEPTED_MAX: usize = 10;
/// Questions one exam asks, at most.
pub const EXAM_QUESTIONS_MAX: u16 = 200;
/// Longest time limit (minutes) and most attempts an exam may set.
pub const LIMIT_MINUTES_MAX: u16 = 600;
pub const ATTEMPTS_MAX: u8 = 20;
/// Seconds after the deadline in which a submission still counts (the answer on its way).
pub const GRACE_SECONDS: i64 = 60;
/// Difficulty from 1 (easy) to 3 (hard); 0 in a draw means any.
pub const DIFFICULTY_MAX: u8 = 3;
/// Questions per page of the bank.
pub const QUESTION_PAGE: u32 = 50;

word_enum! {
    /// 题型.
    QuestionKind {
        Single => "single" / QzKindSingle,
        Multiple => "multiple" / QzKindMultiple,
        Judge => "judge" / QzKindJudge,
        Fill => "fill" / QzKindFill,
    }
}

impl Default for QuestionKind {
    fn default() -> Self {
        QuestionKind::Single
    }
}

/// The options of a true/false question, in this order: choice 0 is 正确 (true).
pub const JUDGE_OPTIONS: [&str; 2] = ["正确", "错误"];

/// An answer as given, and a key as stored: the chosen options (indices from 0, sorted,
/// each once) of a choice question, or the text of a fill-in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    #[serde(default)]
    pub choices: Vec<u8>,
    #[serde(default)]
    pub text: String,
}

/// The key of a question (server only): the correct choices, or the accepted texts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    #[serde(default)]
    pub choices: Vec<u8>,
    #[serde(default)]
    pub accepted: Vec<String>,
}

/// A fill-in's text as compared: blanks and the common punctuation at the ends dropped,
/// full-width letters and digits as half-width, lower case. `"  ＳＡＮ会一课。"` and
/// `"san会一课"` compare equal.
pub fn normalise_fill(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect::<String>()
        .trim_matches(|c: char| matches!(c, '。' | '.' | '，' | ',' | '；' | ';' | '、'))
        .to_lowercase()
}

/// Whether `answer` is right for a question of `kind` with `key`. A multiple-choice
/// question is right only with exactly the correct choices (no part marks); a fill-in
/// when its text matches one accepted text ([`normalise_fill`]).
pub fn is_correct(kind: QuestionKind, key: &Key, answer: &Answer) -> bool {
    match kind {
        QuestionKind::Single | QuestionKind::Judge => {
            answer.choices.len() == 1 && key.choices.first() == answer.choices.first()
        }
        QuestionKind::Multiple => {
            let mut given = answer.choices.clone();
            given.sort_unstable();
            given.dedup();
            let mut right = key.choices.clone();
            right.sort_unstable();
            !given.is_empty() && given == right
        }
        QuestionKind::Fill => {
            let given = normalise_fill(&answer.text);
            !given.is_empty() && key.accepted.iter().any(|a| normalise_fill(a) == given)
        }
    }
}

/// A score out of 100 (rounded down), and whether it passes `pass_percent`.
pub fn score(correct: u32, total: u32, pass_percent: u8) -> (u8, bool) {
    if total == 0 {
        return (0, false);
    }
    let percent = (u64::from(correct) * 100 / u64::from(total)) as u8;
    (percent, percent >= pass_percent)
}

/// A question as typed in the bank's form or a row of the import.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionInput {
    /// Empty for a new question.
    #[serde(default)]
    pub id: String,
    pub org: String,
    pub kind: String,
    pub stem: String,
    /// The options of a single or multiple choice (ignored for true/false and fill-in).
    #[serde(default)]
    pub options: Vec<String>,
    /// The correct options as letters (`"A"`, `"AC"`, `"A,C"`), 对/错 for true/false, or
    /// the accepted texts of a fill-in separated by `|`.
    pub key: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub difficulty: u8,
}

/// A question that passed [`check_question`].
#[derive(Clone, Debug, PartialEq)]
pub struct ValidQuestion {
    pub id: String,
    pub org: String,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub key: Key,
    pub explanation: String,
    pub tags: Vec<String>,
    pub difficulty: u8,
}

/// Which field of a question or an exam is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuizProblem {
    Kind,
    Stem,
    Options,
    Key,
    Explanation,
    Tags,
    Difficulty,
    Title,
    Limit,
    Pass,
    Attempts,
    Draws,
    Item,
}

impl QuizProblem {
    pub fn field(self) -> &'static str {
        match self {
            QuizProblem::Kind => "kind",
            QuizProblem::Stem => "stem",
            QuizProblem::Options => "options",
            QuizProblem::Key => "key",
            QuizProblem::Explanation => "explanation",
            QuizProblem::Tags => "tags",
            QuizProblem::Difficulty => "difficulty",
            QuizProblem::Title => "title",
            QuizProblem::Limit => "limit_minutes",
            QuizProblem::Pass => "pass_percent",
            QuizProblem::Attempts => "attempts",
            QuizProblem::Draws => "draws",
            QuizProblem::Item => "item",
        }
    }

    pub fn text(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            QuizProblem::Kind => T::QzErrKind,
            QuizProblem::Stem => T::QzErrStem,
            QuizProblem::Options => T::QzErrOptions,
            QuizProblem::Key => T::QzErrKey,
            QuizProblem::Explanation => T::QzErrExplanation,
            QuizProblem::Tags => T::LnErrTags,
            QuizProblem::Difficulty => T::QzErrDifficulty,
            QuizProblem::Title => T::LnErrTitle,
            QuizProblem::Limit => T::QzErrLimit,
            QuizProblem::Pass => T::QzErrPass,
            QuizProblem::Attempts => T::QzErrAttempts,
            QuizProblem::Draws => T::QzErrDraws,
            QuizProblem::Item => T::QzErrItem,
        }
    }
}

/// Choice letters as typed (`"A"`, `"a c"`, `"A,C"`, `"AC"`) as sorted indices, each once;
/// `None` when a letter is not one of `options` options.
fn parse_letters(typed: &str, options: usize) -> Option<Vec<u8>> {
    let mut chosen = Vec::new();
    for c in typed.chars() {
        if c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；') {
            continue;
        }
        let c = normalise_fill(&c.to_string()).chars().next()?;
        if !c.is_ascii_lowercase() {
            return None;
        }
        let index = c as u8 - b'a';
        if usize::from(index) >= options {
            return None;
        }
        chosen.push(index);
    }
    chosen.sort_unstable();
    chosen.dedup();
    Some(chosen)
}

/// A choice's letter: 0 is A.
pub fn letter(index: u8) -> char {
    char::from(b'A' + index.min(25))
}

/// Checks a question as typed (its organisation is checked against the caller's scope on
/// the server).
pub fn check_question(input: &QuestionInput) -> Result<ValidQuestion, QuizProblem> {
    let kind = QuestionKind::parse(input.kind.trim()).ok_or(QuizProblem::Kind)?;
    let stem = input.stem.replace("\r\n", "\n").trim().to_string();
    if stem.is_empty() || stem.chars().count() > STEM_MAX {
        return Err(QuizProblem::Stem);
    }
    let options: Vec<String> = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let options: Vec<String> = input
                .options
                .iter()
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect();
            if !(OPTIONS_MIN..=OPTIONS_MAX).contains(&options.len())
                || options.iter().any(|o| o.chars().count() > OPTION_MAX)
            {
                return Err(QuizProblem::Options);
            }
            options
        }
        QuestionKind::Judge => JUDGE_OPTIONS.iter().map(|o| o.to_string()).collect(),
        QuestionKind::Fill => Vec::new(),
    };
    let typed = input.key.trim();
    let key = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let choices = parse_letters(typed, options.len()).ok_or(QuizProblem::Key)?;
            let fits = match kind {
                QuestionKind::Single => choices.len() == 1,
                _ => choices.len() >= 2,
            };
            if !fits {
                return Err(QuizProblem::Key);
            }
            Key {
                choices,
                accepted: Vec::new(),
            }
        }
        QuestionKind::Judge => {
            let choice = match normalise_fill(typed).as_str() {
                "对" | "正确" | "是" | "√" | "✓" | "true" | "t" | "yes" | "a" => 0,
                "错" | "错误" | "否" | "×" | "✗" | "false" | "f" | "no" | "b" => 1,
                _ => return Err(QuizProblem::Key),
            };
            Key {
                choices: vec![choice],
                accepted: Vec::new(),
            }
        }
        QuestionKind::Fill => {
            let mut accepted: Vec<String> = Vec::new();
            for a in typed.split(['|', '｜']) {
                let a = a.trim();
                if a.is_empty() || accepted.iter().any(|b| b == a) {
                    continue;
                }
                if a.chars().count() > FILL_MAX || normalise_fill(a).is_empty() {
                    return Err(QuizProblem::Key);
                }
                accepted.push(a.to_string());
            }
            if accepted.is_empty() || accepted.len() > ACCEPTED_MAX {
                return Err(QuizProblem::Key);
            }
            Key {
                choices: Vec::new(),
                accepted,
            }
        }
    };
    let explanation = input.explanation.replace("\r\n", "\n").trim().to_string();
    if explanation.chars().count() > EXPLANATION_MAX {
        return Err(QuizProblem::Explanation);
    }
    let tags = crate::models::learning::parse_tags(&input.tags).map_err(|_| QuizProblem::Tags)?;
    let difficulty = if input.difficulty == 0 {
        1
    } else {
        input.difficulty
    };
    if difficulty > DIFFICULTY_MAX {
        return Err(QuizProblem::Difficulty);
    }
    Ok(ValidQuestion {
        id: input.id.trim().to_string(),
        org: input.org.trim().to_string(),
        kind,
        stem,
        options,
        key,
        explanation,
        tags,
        difficulty,
    })
}

/// How an exam draws its questions: `count` questions at random among the bank's
/// questions with `tag` (empty: any) and `difficulty` (0: any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub difficulty: u8,
    pub count: u16,
}

/// An exam as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExamInput {
    /// Empty for a new exam.
    #[serde(default)]
    pub id: String,
    pub org: String,
    /// The course it belongs to (empty: none; a course's quiz).
    #[serde(default)]
    pub course: String,
    /// The item of that course it belongs to (empty: none; an item's quiz). Its course is
    /// the item's: taken from the item when `course` is empty, refused when another.
    #[serde(default)]
    pub item: String,
    pub title: String,
    /// Minutes from the start (0: no time limit).
    #[serde(default)]
    pub limit_minutes: u16,
    pub pass_percent: u8,
    /// Attempts each member has (0: as many as they like).
    #[serde(default)]
    pub attempts: u8,
    #[serde(default)]
    pub draws: Vec<Draw>,
}

/// Checks an exam as typed (the organisation and the course, and that the bank holds
/// enough questions, are checked on the server).
pub fn check_exam(input: &ExamInput) -> Result<ExamInput, QuizProblem> {
    let title =
        crate::models::learning::check_title(&input.title).map_err(|_| QuizProblem::Title)?;
    if input.limit_minutes > LIMIT_MINUTES_MAX {
        return Err(QuizProblem::Limit);
    }
    if input.pass_percent == 0 || input.pass_percent > 100 {
        return Err(QuizProblem::Pass);
    }
    if input.attempts > ATTEMPTS_MAX {
        return Err(QuizProblem::Attempts);
    }
    let mut draws = Vec::new();
    for d in &input.draws {
        if d.count == 0 {
            continue;
        }
        if d.difficulty > DIFFICULTY_MAX
            || d.tag.trim().chars().count() > crate::models::learning::TAG_MAX
        {
            return Err(QuizProblem::Draws);
        }
        draws.push(Draw {
            tag: d.tag.trim().to_string(),
            difficulty: d.difficulty,
            count: d.count,
        });
    }
    let total: u32 = draws.iter().map(|d| u32::from(d.count)).sum();
    if draws.is_empty() || total > u32::from(EXAM_QUESTIONS_MAX) {
        return Err(QuizProblem::Draws);
    }
    Ok(ExamInput {
        id: input.id.trim().to_string(),
        org: input.org.trim().to_string(),
        course: input.course.trim().to_string(),
        item: input.item.trim().to_string(),
        title,
        limit_minutes: input.limit_minutes,
        pass_percent: input.pass_percent,
        attempts: input.attempts,
        draws,
    })
}

/// A question of the bank as its editors see it (with its key).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionRow {
    pub id: String,
    pub org: String,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    /// The key as typed back into the form (letters, 对/错, or texts joined by `|`).
    pub key: String,
    pub explanation: String,
    pub tags: Vec<String>,
    pub difficulty: u8,
}

/// Which questions of the bank a list shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionQuery {
    /// An organisation's key (empty: every one the caller edits for).
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub tag: String,
    /// Text the stem contains (empty: any).
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: u32,
}

/// One page of the bank.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub rows: Vec<QuestionRow>,
    pub total: u32,
    pub page: u32,
    /// Where the caller keeps questions and sets quizzes.
    pub publishers: Vec<crate::models::learning::Publisher>,
}

/// An exam as a learner sees it before starting, with their attempts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExamView {
    pub id: String,
    pub title: String,
    pub org_name: String,
    /// The course's key and title, for a course's quiz.
    pub course: Option<(String, String)>,
    /// The item's key and title, for an item's quiz.
    #[serde(default)]
    pub item: Option<(String, String)>,
    pub questions: u16,
    pub limit_minutes: u16,
    pub pass_percent: u8,
    /// Attempts allowed (0: any number).
    pub attempts: u8,
    pub mine: Vec<AttemptRow>,
    /// An attempt of the caller's still open (resumed instead of a new one).
    pub open: Option<String>,
    /// Whether the caller may start (or resume) an attempt now.
    pub can_start: bool,
    /// Whether the caller may change the exam.
    pub editable: bool,
    /// For those who may change it: the exam as saved, to fill in the form.
    #[serde(default)]
    pub edit: Option<ExamInput>,
    /// For those who may change it: each member in their reach who started it, those
    /// who have not passed first, then by organisation and name (never by score).
    #[serde(default)]
    pub results: Vec<ExamResultRow>,
}

/// A member's standing on an exam, for its editors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExamResultRow {
    pub member: String,
    pub name: String,
    pub org_name: String,
    /// Attempts started.
    pub attempts: u8,
    /// The best score of a submitted attempt, out of 100.
    pub best: Option<u8>,
    pub passed: bool,
    /// The day (China time) of the first passed attempt, else of the last submission.
    pub day: String,
}

/// One of a member's attempts at an exam.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub id: String,
    pub n: u8,
    /// `YYYY-MM-DD HH:MM`, China time.
    pub started: String,
    /// Out of 100, once submitted.
    pub percent: Option<u8>,
    pub passed: bool,
}

/// A question as asked: no key, no explanation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Asked {
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
}

/// A question after the attempt was submitted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reviewed {
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub given: Answer,
    /// The correct choices, or the first accepted text.
    pub key: Answer,
    pub correct: bool,
    pub explanation: String,
}

/// An attempt: its questions while open, their review once submitted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttemptView {
    pub id: String,
    pub exam: String,
    pub title: String,
    pub n: u8,
    /// Seconds left when this was read (`None`: no time limit, or submitted).
    pub seconds_left: Option<i64>,
    pub asked: Vec<Asked>,
    pub result: Option<AttemptResult>,
}

/// A submitted attempt's result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub correct: u32,
    pub total: u32,
    pub percent: u8,
    pub passed: bool,
    pub review: Vec<Reviewed>,
}

/// The answers of an attempt, one per question in the order asked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubmitInput {
    pub attempt: String,
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// The key as the bank's form shows it.
pub fn key_text(kind: QuestionKind, key: &Key) -> String {
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            key.choices.iter().map(|&c| letter(c)).collect()
        }
        QuestionKind::Judge => match key.choices.first() {
            Some(0) => "对".to_string(),
            _ => "错".to_string(),
        },
        QuestionKind::Fill => key.accepted.join("|"),
    }
}

// ---------------------------------------------------------------------------------------
// The import of questions from Excel

/// Most rows one file may hold.
pub const IMPORT_ROWS_MAX: usize = 2000;
/// Most problems a report lists (all are counted).
pub const IMPORT_LISTED_MAX: usize = 200;

/// The template's columns, in order, as field names; the options are `option_a` to
/// `option_h`.
pub const IMPORT_COLUMNS: [&str; 13] = [
    "kind",
    "stem",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "option_e",
    "option_f",
    "option_g",
    "option_h",
    "key",
    "explanation",
    "tags",
];
/// The last column, after [`IMPORT_COLUMNS`].
pub const IMPORT_DIFFICULTY: &str = "difficulty";

/// A kind as a spreadsheet names it: 单选/单选题, 多选, 判断, 填空, or the English word.
pub fn kind_of_cell(cell: &str) -> Option<QuestionKind> {
    let c = cell.trim().trim_end_matches('题').to_lowercase();
    Some(match c.as_str() {
        "单选" | "单项选择" | "single" | "single choice" => QuestionKind::Single,
        "多选" | "多项选择" | "multiple" | "multiple choice" => QuestionKind::Multiple,
        "判断" | "judge" | "true/false" | "true or false" => QuestionKind::Judge,
        "填空" | "fill" | "fill in the blank" => QuestionKind::Fill,
        _ => QuestionKind::parse(&c)?,
    })
}

/// A difficulty as a spreadsheet gives it: empty (易), 1–3, or 易/中/难.
pub fn difficulty_of_cell(cell: &str) -> Option<u8> {
    match cell.trim() {
        "" | "易" | "简单" | "easy" => Some(1),
        "中" | "中等" | "medium" => Some(2),
        "难" | "困难" | "hard" => Some(3),
        n => n.parse::<u8>().ok(),
    }
}

/// What the import page sends: the organisation whose bank receives the questions, the
/// uploaded file (in that organisation's files), and whether to write them (`false`
/// checks only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionImportInput {
    pub org: String,
    pub file: String,
    #[serde(default)]
    pub commit: bool,
}

/// One problem of a row: the spreadsheet's row number (1-based), the column as the
/// template names it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// The import's report: rows read, rows that are questions as they stand, their problems
/// (the first [`IMPORT_LISTED_MAX`]; `problem_count` counts all), and how many were
/// written (all of them or none: only when there is no problem and the import was asked
/// for).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionImport {
    pub rows: u32,
    pub ready: u32,
    pub problems: Vec<ImportLine>,
    pub problem_count: u32,
    pub imported: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_names_kinds_and_difficulties_as_people_write_them() {
        for (cell, kind) in [
            ("单选", QuestionKind::Single),
            ("单选题", QuestionKind::Single),
            (" Multiple ", QuestionKind::Multiple),
            ("多项选择题", QuestionKind::Multiple),
            ("判断题", QuestionKind::Judge),
            ("true/false", QuestionKind::Judge),
            ("填空", QuestionKind::Fill),
            ("fill", QuestionKind::Fill),
        ] {
            assert_eq!(kind_of_cell(cell), Some(kind), "{cell}");
        }
        assert_eq!(kind_of_cell("问答"), None);
        assert_eq!(kind_of_cell(""), None);
        assert_eq!(difficulty_of_cell(""), Some(1), "empty is easy");
        assert_eq!(difficulty_of_cell("中"), Some(2));
        assert_eq!(difficulty_of_cell("难"), Some(3));
        assert_eq!(difficulty_of_cell("2"), Some(2));
        assert_eq!(difficulty_of_cell("很难"), None);
    }

    fn choices(c: &[u8]) -> Answer {
        Answer {
            choices: c.to_vec(),
            text: String::new(),
        }
    }

    fn text(t: &str) -> Answer {
        Answer {
            choices: Vec::new(),
            text: t.to_string(),
        }
    }

    fn input(kind: &str, options: &[&str], key: &str) -> QuestionInput {
        QuestionInput {
            org: "o1".into(),
            kind: kind.into(),
            stem: "题干".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            key: key.into(),
            ..Default::default()
        }
    }

    #[test]
    fn single_choice_is_right_with_exactly_the_one_option() {
        let q = check_question(&input("single", &["甲", "乙", "丙"], "b")).unwrap();
        assert_eq!(q.key.choices, vec![1]);
        assert!(is_correct(q.kind, &q.key, &choices(&[1])));
        assert!(!is_correct(q.kind, &q.key, &choices(&[0])));
        assert!(!is_correct(q.kind, &q.key, &choices(&[1, 2])));
        assert!(!is_correct(q.kind, &q.key, &choices(&[])));
    }

    #[test]
    fn multiple_choice_needs_all_and_only_the_correct_options() {
        let q = check_question(&input("multiple", &["甲", "乙", "丙", "丁"], "C，a")).unwrap();
        assert_eq!(q.key.choices, vec![0, 2]);
        assert!(is_correct(q.kind, &q.key, &choices(&[2, 0])));
        assert!(is_correct(q.kind, &q.key, &choices(&[0, 2, 2])));
        assert!(!is_correct(q.kind, &q.key, &choices(&[0])), "no part marks");
        assert!(!is_correct(q.kind, &q.key, &choices(&[0, 1, 2])));
        assert!(!is_correct(q.kind, &q.key, &choices(&[])));
    }

    #[test]
    fn true_false_takes_the_usual_words_and_grades_one_choice() {
        for (typed, want) in [
            ("对", 0),
            ("√", 0),
            ("True", 0),
            ("错", 1),
            ("×", 1),
            ("F", 1),
        ] {
            let q = check_question(&input("judge", &[], typed)).unwrap();
            assert_eq!(q.key.choices, vec![want], "{typed}");
            assert_eq!(q.options, vec!["正确", "错误"]);
            assert!(is_correct(q.kind, &q.key, &choices(&[want])));
            assert!(!is_correct(q.kind, &q.key, &choices(&[1 - want])));
        }
        assert_eq!(
            check_question(&input("judge", &[], "也许")),
            Err(QuizProblem::Key)
        );
    }

    #[test]
    fn fill_in_matches_any_accepted_text_ignoring_blanks_width_and_case() {
        let q = check_question(&input("fill", &[], "三会一课 | 3会1课")).unwrap();
        assert_eq!(q.key.accepted, vec!["三会一课", "3会1课"]);
        assert!(is_correct(q.kind, &q.key, &text(" 三会 一课。")));
        assert!(is_correct(q.kind, &q.key, &text("３会１课")));
        assert!(!is_correct(q.kind, &q.key, &text("三会")));
        assert!(!is_correct(q.kind, &q.key, &text("")));
        let q = check_question(&input("fill", &[], "CPC")).unwrap();
        assert!(is_correct(q.kind, &q.key, &text("ｃｐｃ")));
    }

    #[test]
    fn a_question_with_a_bad_part_names_that_part() {
        assert_eq!(
            check_question(&input("essay", &[], "a")),
            Err(QuizProblem::Kind)
        );
        let mut blank = input("single", &["甲", "乙"], "a");
        blank.stem = "  ".into();
        assert_eq!(check_question(&blank), Err(QuizProblem::Stem));
        assert_eq!(
            check_question(&input("single", &["甲"], "a")),
            Err(QuizProblem::Options)
        );
        assert_eq!(
            check_question(&input("single", &["甲", "乙"], "c")),
            Err(QuizProblem::Key),
            "a letter past the options"
        );
        assert_eq!(
            check_question(&input("single", &["甲", "乙"], "ab")),
            Err(QuizProblem::Key),
            "two keys for a single choice"
        );
        assert_eq!(
            check_question(&input("multiple", &["甲", "乙"], "a")),
            Err(QuizProblem::Key),
            "one key for a multiple choice"
        );
        assert_eq!(
            check_question(&input("fill", &[], " | ")),
            Err(QuizProblem::Key)
        );
        let mut hard = input("fill", &[], "x");
        hard.difficulty = 4;
        assert_eq!(check_question(&hard), Err(QuizProblem::Difficulty));
    }

    #[test]
    fn the_key_reads_back_as_typed() {
        for (kind, options, key, back) in [
            ("single", vec!["甲", "乙"], "b", "B"),
            ("multiple", vec!["甲", "乙", "丙"], "a,c", "AC"),
            ("judge", vec![], "×", "错"),
            ("fill", vec![], "甲|乙", "甲|乙"),
        ] {
            let q = check_question(&input(kind, &options, key)).unwrap();
            assert_eq!(key_text(q.kind, &q.key), back);
            let again = check_question(&input(kind, &options, back)).unwrap();
            assert_eq!(again.key, q.key);
        }
    }

    #[test]
    fn scores_round_down_and_pass_at_the_mark() {
        assert_eq!(score(0, 0, 60), (0, false));
        assert_eq!(score(3, 5, 60), (60, true));
        assert_eq!(score(2, 3, 67), (66, false));
        assert_eq!(score(100, 100, 100), (100, true));
    }

    #[test]
    fn an_exam_needs_a_draw_and_sane_limits() {
        let exam = ExamInput {
            org: "o1".into(),
            title: "测验".into(),
            pass_percent: 60,
            draws: vec![Draw {
                tag: " 党章 ".into(),
                difficulty: 0,
                count: 5,
            }],
            ..Default::default()
        };
        assert_eq!(check_exam(&exam).unwrap().draws[0].tag, "党章");
        let on_item = ExamInput {
            item: " it1 ".into(),
            ..exam.clone()
        };
        assert_eq!(check_exam(&on_item).unwrap().item, "it1");
        let mut none = exam.clone();
        none.draws[0].count = 0;
        assert_eq!(check_exam(&none), Err(QuizProblem::Draws));
        let mut many = exam.clone();
        many.draws[0].count = EXAM_QUESTIONS_MAX + 1;
        assert_eq!(check_exam(&many), Err(QuizProblem::Draws));
        let mut pass = exam.clone();
        pass.pass_percent = 0;
        assert_eq!(check_exam(&pass), Err(QuizProblem::Pass));
        let mut limit = exam;
        limit.limit_minutes = LIMIT_MINUTES_MAX + 1;
        assert_eq!(check_exam(&limit), Err(QuizProblem::Limit));
    }
}
