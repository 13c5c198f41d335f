//! Reading a roster spreadsheet: the file is checked before it is opened (size, what it
//! unpacks to, row count), every row is validated with the same rules as the member form,
//! branches are matched by name or key within the caller's scope, and ID numbers are
//! checked against the file itself and the roster. Nothing here writes.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use crate::i18n::{Lang, T};
use crate::models::member_form::{MemberInput, ValidMember, field_label, validate_member};
use crate::models::org::{OrgKind, OrgNode};

/// The largest upload accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// What the file may unpack to: a bigger total is a "zip bomb", refused before parsing.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// Rows per import.
pub const MAX_ROWS: usize = 50_000;
/// Problems listed in a report (the count is always complete).
pub const MAX_LISTED: usize = 1000;

/// The columns of the template, in order: the member form's fields, the branch after the
/// identity number.
pub const COLUMNS: [&str; 14] = [
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "department",
    "title",
    "phone",
    "id_number",
    "org",
    "status",
    "application_date",
    "admission_date",
    "full_date",
];

const REQUIRED: [&str; 9] = [
    "name",
    "gender",
    "birth_date",
    "phone",
    "id_number",
    "org",
    "status",
    "admission_date",
    "full_date",
];

/// One problem: the spreadsheet row (as Excel numbers it), the column's label, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowProblem {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// A row that passed, ready to insert.
#[derive(Clone, Debug)]
pub struct ReadyRow {
    pub row: u32,
    pub valid: ValidMember,
    pub org: String,
}

/// The outcome of reading a file.
#[derive(Debug, Default)]
pub struct Checked {
    pub rows: usize,
    pub ready: Vec<ReadyRow>,
    pub problems: Vec<RowProblem>,
    pub problem_count: usize,
}

/// Why a whole file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    TooBig,
    NotXlsx,
    Unpacked,
    NoSheet,
    TooManyRows,
    MissingColumn(&'static str),
    Empty,
}

impl FileProblem {
    pub fn message(self, lang: Lang) -> String {
        match self {
            FileProblem::MissingColumn(c) => lang
                .t(T::ImpMissingColumn)
                .replace("{c}", field_label(c, lang)),
            other => lang
                .t(match other {
                    FileProblem::TooBig => T::ImpTooBig,
                    FileProblem::NotXlsx => T::ImpNotXlsx,
                    FileProblem::Unpacked => T::ImpUnpacked,
                    FileProblem::NoSheet => T::ImpNoSheet,
                    FileProblem::TooManyRows => T::ImpTooManyRows,
                    _ => T::ImpEmpty,
                })
                .to_string(),
        }
    }
}

/// Refuses files that are too big or unpack to too much, before any XML is parsed.
fn precheck(bytes: &[u8]) -> Result<(), FileProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooBig);
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileProblem::NotXlsx)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| FileProblem::NotXlsx)?;
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED_BYTES {
            return Err(FileProblem::Unpacked);
        }
    }
    Ok(())
}

fn cell_text(cell: &Data) -> String {
    let text = match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers typed without text format (phones) read as floats.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        // Excel counts days from 1899-12-30.
        Data::DateTime(d) => NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64)))
            .map(|date| date.to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    };
    text.trim().chars().take(200).collect()
}

/// Maps a header cell to a column by its Chinese or English label, or the field name.
fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim();
    COLUMNS.into_iter().find(|c| {
        h == *c || h == field_label(c, Lang::Zh) || h.eq_ignore_ascii_case(field_label(c, Lang::En))
    })
}

/// Reads and checks a file. `forest` is the caller's visible organisation tree (branches
/// outside it are refused), `known` the ID numbers already on the roster.
pub fn check(
    bytes: &[u8],
    forest: &[OrgNode],
    known: &dyn Fn(&[String]) -> Vec<String>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Checked, FileProblem> {
    precheck(bytes)?;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileProblem::NotXlsx)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(FileProblem::NoSheet)?
        .map_err(|_| FileProblem::NotXlsx)?;
    let mut rows = range.rows();
    let header = rows.next().ok_or(FileProblem::Empty)?;
    let columns: Vec<Option<&'static str>> =
        header.iter().map(|c| column_of(&cell_text(c))).collect();
    for required in REQUIRED {
        if !columns.contains(&Some(required)) {
            return Err(FileProblem::MissingColumn(required));
        }
    }
    if range.height() > MAX_ROWS + 1 {
        return Err(FileProblem::TooManyRows);
    }
    // Branches by key and by name (a name two branches share is ambiguous).
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    for node in forest.iter().flat_map(|n| n.walk()) {
        if node.kind == OrgKind::Branch {
            by_name
                .entry(node.name.clone())
                .or_default()
                .push(node.id.clone());
            keys.push(node.id.clone());
        }
    }
    let mut out = Checked::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let problem = |out: &mut Checked, row: u32, field: &str, message: String| {
        out.problem_count += 1;
        if out.problems.len() < MAX_LISTED {
            out.problems.push(RowProblem {
                row,
                column: field_label(field, lang).to_string(),
                message,
            });
        }
    };
    for (i, cells) in rows.enumerate() {
        let row = u32::try_from(i + 2).unwrap_or(u32::MAX);
        let mut input = MemberInput::default();
        let mut any = false;
        for (cell, column) in cells.iter().zip(&columns) {
            let Some(column) = column else { continue };
            let text = cell_text(cell);
            any |= !text.is_empty();
            let slot = match *column {
                "name" => &mut input.name,
                "gender" => &mut input.gender,
                "birth_date" => &mut input.birth_date,
                "ethnicity" => &mut input.ethnicity,
                "education" => &mut input.education,
                "department" => &mut input.department,
                "title" => &mut input.title,
                "phone" => &mut input.phone,
                "id_number" => &mut input.id_number,
                "org" => &mut input.org,
                "status" => &mut input.status,
                "application_date" => &mut input.application_date,
                "admission_date" => &mut input.admission_date,
                _ => &mut input.full_date,
            };
            *slot = text;
        }
        if !any {
            continue;
        }
        out.rows += 1;
        let org = match by_name.get(input.org.trim()).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            Some(_) => {
                problem(&mut out, row, "org", lang.t(T::ImpOrgAmbiguous).into());
                None
            }
            None if keys.iter().any(|k| k == input.org.trim()) => {
                Some(input.org.trim().to_string())
            }
            None => {
                problem(&mut out, row, "org", lang.t(T::ImpOrgUnknown).into());
                None
            }
        };
        match validate_member(&input, today) {
            Err(problems) => {
                for p in problems {
                    problem(&mut out, row, p.field(), p.message(lang));
                }
            }
            Ok(valid) => {
                if let Some(first) = seen.get(&valid.id_number) {
                    problem(
                        &mut out,
                        row,
                        "id_number",
                        lang.t(T::ImpDuplicateRow)
                            .replace("{n}", &first.to_string()),
                    );
                } else {
                    seen.insert(valid.id_number.clone(), row);
                    if let Some(org) = org {
                        out.ready.push(ReadyRow { row, valid, org });
                    }
                }
            }
        }
    }
    if out.rows == 0 {
        return Err(FileProblem::Empty);
    }
    // Already on the roster: reported, never doubled.
    let numbers: Vec<String> = out
        .ready
        .iter()
        .map(|r| r.valid.id_number.clone())
        .collect();
    let existing = known(&numbers);
    if !existing.is_empty() {
        let existing: std::collections::HashSet<String> = existing.into_iter().collect();
        let (dupes, fresh): (Vec<ReadyRow>, Vec<ReadyRow>) = std::mem::take(&mut out.ready)
            .into_iter()
            .partition(|r| existing.contains(&r.valid.id_number));
        for r in dupes {
            problem(&mut out, r.row, "id_number", lang.t(T::MfIdTaken).into());
        }
        out.ready = fresh;
    }
    out.problems.sort_by_key(|p| p.row);
    Ok(out)
}

/// The template: the header row and one example row, identity and phone columns as text.
pub fn template(lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t(T::ImpSheet))?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let first17 = "11010119850412123";
    let example_id = format!(
        "{first17}{}",
        crate::models::member::id_check_char(first17).unwrap_or('0')
    );
    let example: [&str; 14] = [
        "张三",
        "男",
        "1985-04-12",
        "汉族",
        "硕士研究生",
        "肿瘤内科一病区",
        "主治医师",
        "13812345678",
        &example_id,
        "肿瘤内科第一党支部",
        "正式党员",
        "2007-03-01",
        "2008-07-01",
        "2009-07-01",
    ];
    for (col, field) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, col, field_label(field, lang), &bold)?;
        sheet.set_column_width(col, 16)?;
        sheet.set_column_format(col, &text)?;
    }
    for (col, value) in (0u16..).zip(example) {
        sheet.write_string_with_format(1, col, value, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
