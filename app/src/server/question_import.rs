//! The question bank's import from `.xlsx` (issue 15): one question a row, in the
//! template's columns (`models::quiz::IMPORT_COLUMNS`), each row checked by the same rules
//! as the bank's form (`check_question`). The file is read with the roster import's
//! hardened reader (`server::import::read_rows`: size, parts and what it unpacks to are
//! checked before anything is allocated).

use crate::i18n::{Lang, T};
use crate::models::quiz::{
    IMPORT_COLUMNS, IMPORT_DIFFICULTY, IMPORT_LISTED_MAX, IMPORT_ROWS_MAX, ImportLine,
    QuestionInput, STEM_MAX, ValidQuestion, check_question, difficulty_of_cell, kind_of_cell,
};
use crate::server::import::{FileProblem, HEADER_SEARCH_ROWS, read_rows};

/// The longest cell worth reading: an explanation (1,000 characters) and a little more, so
/// that one too long is refused rather than cut.
const CELL_MAX: usize = 1_100;

/// Why a whole file is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    File(FileProblem),
    /// No row within the first ten names the 题型, 题干 and 答案 columns.
    Columns,
    Empty,
    TooMany,
}

impl Refused {
    pub fn message(self, lang: Lang) -> String {
        match self {
            Refused::Columns => lang.t(T::QiErrColumns).to_string(),
            Refused::Empty => lang.t(T::QiErrEmpty).to_string(),
            Refused::TooMany => lang.t(T::QiErrTooMany(IMPORT_ROWS_MAX as u32)),
            Refused::File(FileProblem::TooBig) => lang.t(T::ImpTooBig).to_string(),
            Refused::File(_) => lang.t(T::QiErrRead).to_string(),
        }
    }
}

/// What a file holds: how many rows, the questions that pass, the problems (the first
/// [`IMPORT_LISTED_MAX`]) and how many problems in all.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: u32,
    pub ready: Vec<ValidQuestion>,
    pub problems: Vec<ImportLine>,
    pub problem_count: u32,
}

/// A column's name in the template, in `lang`.
pub fn column_label(column: &str, lang: Lang) -> String {
    match column {
        "kind" => lang.t(T::QiColKind).to_string(),
        "stem" => lang.t(T::QiColStem).to_string(),
        "key" => lang.t(T::QiColKey).to_string(),
        "explanation" => lang.t(T::QiColExplanation).to_string(),
        "tags" => lang.t(T::QiColTags).to_string(),
        "difficulty" => lang.t(T::QiColDifficulty).to_string(),
        // `option_a` → 选项A; `options` (the set) → 选项
        c => match c.strip_prefix("option_") {
            Some(l) => lang.t(T::QiColOption(&l.to_uppercase())),
            None => lang.t(T::QiColOption("")),
        },
    }
}

/// The column a header cell names, in either language or by field name.
fn column_of(header: &str) -> Option<&'static str> {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    IMPORT_COLUMNS
        .into_iter()
        .chain([IMPORT_DIFFICULTY])
        .find(|c| {
            let label = |lang| -> String {
                column_label(c, lang)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect()
            };
            h == *c || h == label(Lang::Zh) || h.eq_ignore_ascii_case(&label(Lang::En))
        })
}

/// Reads a file into questions for `org`'s bank, each row checked on its own.
pub fn parse(bytes: &[u8], org: &str, lang: Lang) -> Result<Parsed, Refused> {
    let mut header: Option<Vec<(u32, &'static str)>> = None;
    let mut out = Parsed::default();
    let mut refused = None;
    let mut any = false;
    let problem = |out: &mut Parsed, row: u32, column: &str, message: String| {
        out.problem_count += 1;
        if out.problems.len() < IMPORT_LISTED_MAX {
            out.problems.push(ImportLine {
                row,
                column: column_label(column, lang),
                message,
            });
        }
    };
    read_rows(bytes, CELL_MAX, |index, cells| {
        if header.is_none() {
            any = true;
            let found: Vec<(u32, &'static str)> = cells
                .iter()
                .filter_map(|(col, text)| column_of(text).map(|c| (*col, c)))
                .collect();
            let has = |name| found.iter().any(|(_, c)| *c == name);
            if has("kind") && has("stem") && has("key") {
                header = Some(found);
            } else if index + 1 >= HEADER_SEARCH_ROWS {
                refused = Some(Refused::Columns);
                return false;
            }
            return true;
        }
        let Some(columns) = header.as_ref() else {
            return true;
        };
        out.rows += 1;
        if out.rows as usize > IMPORT_ROWS_MAX {
            refused = Some(Refused::TooMany);
            return false;
        }
        let row = index + 1;
        let cell = |name: &str| -> String {
            columns
                .iter()
                .filter(|(_, c)| *c == name)
                .find_map(|(col, _)| cells.iter().find(|(c, _)| c == col))
                .map(|(_, text)| text.clone())
                .unwrap_or_default()
        };
        let kind = kind_of_cell(&cell("kind"));
        let Some(kind) = kind else {
            problem(&mut out, row, "kind", lang.t(T::QzErrKind).to_string());
            return true;
        };
        let Some(difficulty) = difficulty_of_cell(&cell(IMPORT_DIFFICULTY)) else {
            problem(
                &mut out,
                row,
                IMPORT_DIFFICULTY,
                lang.t(T::QiErrDifficulty).to_string(),
            );
            return true;
        };
        let input = QuestionInput {
            id: String::new(),
            org: org.to_string(),
            kind: kind.as_str().to_string(),
            stem: cell("stem"),
            options: IMPORT_COLUMNS
                .iter()
                .filter(|c| c.starts_with("option_"))
                .map(|c| cell(c))
                .collect(),
            key: cell("key"),
            explanation: cell("explanation"),
            tags: cell("tags"),
            difficulty,
        };
        // A stem cut by the reader would pass as shorter than it was.
        if input.stem.chars().count() > STEM_MAX {
            problem(&mut out, row, "stem", lang.t(T::QzErrStem).to_string());
            return true;
        }
        match check_question(&input) {
            Ok(valid) => out.ready.push(valid),
            Err(p) => {
                let column = match p.field() {
                    "options" => "option_a",
                    f => f,
                };
                problem(&mut out, row, column, lang.t(p.text()).to_string());
            }
        }
        true
    })
    .map_err(Refused::File)?;
    if let Some(r) = refused {
        return Err(r);
    }
    if header.is_none() {
        return Err(if any {
            Refused::Columns
        } else {
            Refused::Empty
        });
    }
    if out.rows == 0 {
        return Err(Refused::Empty);
    }
    Ok(out)
}

/// One question as a row of the template (options A, B, … in order).
pub struct Row<'a> {
    pub kind: &'a str,
    pub stem: &'a str,
    pub options: &'a [&'a str],
    pub key: &'a str,
    pub explanation: &'a str,
    pub tags: &'a str,
    pub difficulty: &'a str,
}

/// The template's examples: one of each kind.
const EXAMPLES: [Row<'static>; 4] = [
    Row {
        kind: "单选",
        stem: "中国共产党的最高领导机关是？",
        options: &[
            "党的全国代表大会和它所产生的中央委员会",
            "中央纪律检查委员会",
            "中央军事委员会",
        ],
        key: "A",
        explanation: "见《中国共产党章程》第十条。",
        tags: "党章",
        difficulty: "1",
    },
    Row {
        kind: "多选",
        stem: "“三会一课”中的“三会”包括哪些？",
        options: &["支部党员大会", "支部委员会", "党小组会", "民主评议会"],
        key: "ABC",
        explanation: "",
        tags: "组织生活",
        difficulty: "2",
    },
    Row {
        kind: "判断",
        stem: "预备党员的预备期为一年。",
        options: &[],
        key: "对",
        explanation: "",
        tags: "党章",
        difficulty: "1",
    },
    Row {
        kind: "填空",
        stem: "党的根本宗旨是全心全意为人民____。",
        options: &[],
        key: "服务",
        explanation: "",
        tags: "党章",
        difficulty: "1",
    },
];

/// The template: the header row and one example of each kind.
pub fn template(lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    workbook(lang, &EXAMPLES)
}

/// A workbook in the template's shape: its header in `lang`, then `rows`, every cell text.
pub fn workbook(lang: Lang, rows: &[Row<'_>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t(T::QiSheet))?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let columns = IMPORT_COLUMNS.into_iter().chain([IMPORT_DIFFICULTY]);
    for (col, field) in (0u16..).zip(columns.clone()) {
        sheet.write_string_with_format(0, col, column_label(field, lang), &bold)?;
        sheet.set_column_width(col, if field == "stem" { 40 } else { 14 })?;
        sheet.set_column_format(col, &text)?;
    }
    for (row, q) in (1u32..).zip(rows) {
        for (col, field) in (0u16..).zip(columns.clone()) {
            let value = match field {
                "kind" => q.kind,
                "stem" => q.stem,
                "key" => q.key,
                "explanation" => q.explanation,
                "tags" => q.tags,
                "difficulty" => q.difficulty,
                option => {
                    let n = option
                        .as_bytes()
                        .last()
                        .map_or(0, |l| usize::from(l - b'a'));
                    q.options.get(n).copied().unwrap_or("")
                }
            };
            if !value.is_empty() {
                sheet.write_string_with_format(row, col, value, &text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_four_questions_in_either_language() {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = template(lang).unwrap();
            let parsed = parse(&bytes, "o0001", lang).unwrap();
            assert_eq!(parsed.rows, 4);
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            let kinds: Vec<&str> = parsed.ready.iter().map(|q| q.kind.as_str()).collect();
            assert_eq!(kinds, ["single", "multiple", "judge", "fill"]);
            assert_eq!(parsed.ready[1].options.len(), 4);
            assert_eq!(parsed.ready[0].org, "o0001");
        }
    }

    #[test]
    fn headers_are_found_by_either_language_and_field_names() {
        assert_eq!(column_of("题 干"), Some("stem"));
        assert_eq!(column_of("Question"), Some("stem"));
        assert_eq!(column_of("选项C"), Some("option_c"));
        assert_eq!(column_of("option b"), Some("option_b"));
        assert_eq!(column_of("Option H"), Some("option_h"));
        assert_eq!(column_of("difficulty"), Some("difficulty"));
        assert_eq!(column_of("备注"), None);
    }

    #[test]
    fn not_a_spreadsheet_is_refused_as_a_whole() {
        assert_eq!(
            parse(b"not a zip", "o0001", Lang::Zh).unwrap_err(),
            Refused::File(FileProblem::NotXlsx)
        );
    }
}
