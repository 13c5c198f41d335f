//! Reading a roster spreadsheet: the file is checked before it is opened (size, what it
//! unpacks to, row count), every row is validated with the same rules as the member form,
//! branches are matched by name or key within the caller's scope, and ID numbers are
//! checked against the file itself and the roster. Nothing here writes.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};
use chrono::NaiveDate;

use crate::i18n::{Lang, T};
use crate::models::member::half_width;
use crate::models::member_form::{MemberInput, ValidMember, field_label, validate_member};
use crate::models::org::{OrgKind, OrgNode};

/// The largest upload accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// What the whole archive may unpack to, counted while actually decompressing (a zip's
/// declared sizes may lie): a bigger total is a "zip bomb", refused before parsing.
pub const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;
/// What one part of the archive may unpack to.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// Parts in the archive (a real workbook has a few dozen).
pub const MAX_ENTRIES: usize = 1_000;
/// Shared strings (distinct texts) a workbook may hold: 50,000 rows of 14 columns need at
/// most 700,000. Bounds what the reader keeps in memory for them.
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;
/// Cell formats, fonts, fills, borders (Excel's own limit is 64,000 cell formats).
pub const MAX_STYLES: u64 = 65_000;
/// Worksheets listed in the workbook.
pub const MAX_SHEETS: u64 = 256;
/// Rows per import.
pub const MAX_ROWS: usize = 50_000;
/// Rows above the header that may hold a title ("XX党支部党员名册").
pub const HEADER_SEARCH_ROWS: u32 = 10;
/// Problems listed in a report (the count is always complete).
pub const MAX_LISTED: usize = 1000;
/// What checking any file the upload limit admits may add to the process's memory at
/// most, measured by the hostile-file tests (the worst admitted file, 900,000 shared
/// strings just under every limit, adds 67 MiB).
pub const CHECK_MEMORY_BOUND_BYTES: u64 = 128 * 1024 * 1024;

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

/// The template's example row carries this ID number (a valid one, so that its format
/// teaches): a row with it is the example left in by mistake, and is refused.
pub fn example_id_number() -> String {
    let first17 = "11010119850412123";
    format!(
        "{first17}{}",
        crate::models::member::id_check_char(first17).unwrap_or('0')
    )
}

/// One problem: the spreadsheet row (as Excel numbers it), the column's label, what is
/// wrong, and the value as it was read (so a clerk sees why a number that looks right was
/// refused). The report's wire type, stored with the job as it is.
pub type RowProblem = crate::models::import::ImportProblem;

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
    /// The worksheet that was read.
    pub sheet: String,
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
    /// More sheets, strings or formats than any roster has: a crafted file.
    Excessive,
    NoSheet,
    TooManyRows,
    MissingColumn(&'static str),
    Empty,
}

impl FileProblem {
    pub fn message(self, lang: Lang) -> String {
        match self {
            FileProblem::MissingColumn(c) => lang.t(T::ImpMissingColumn(field_label(c, lang))),
            other => lang
                .t(match other {
                    FileProblem::TooBig => T::ImpTooBig,
                    FileProblem::NotXlsx => T::ImpNotXlsx,
                    FileProblem::Unpacked => T::ImpUnpacked,
                    FileProblem::Excessive => T::ImpExcessive,
                    FileProblem::NoSheet => T::ImpNoSheet,
                    FileProblem::TooManyRows => T::ImpTooManyRows,
                    _ => T::ImpEmpty,
                })
                .to_string(),
        }
    }
}

/// Counts what a part of the archive would make the reader allocate, while the part is
/// decompressed once, as a stream.
#[derive(Default)]
struct Tally {
    shared_strings: u64,
    styles: u64,
    sheets: u64,
}

impl Tally {
    fn within_limits(&self) -> bool {
        self.shared_strings <= MAX_SHARED_STRINGS
            && self.styles <= MAX_STYLES
            && self.sheets <= MAX_SHEETS
    }
}

/// Reads at most `limit` bytes from `inner` and remembers whether there was more.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One more byte tells "exactly at the limit" from "over it".
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? > 0 {
                self.over = true;
            }
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Walks one XML part as a stream (constant memory whatever its nesting), counting the
/// elements the spreadsheet reader turns into in-memory lists, and the counts a part
/// declares (`<sst uniqueCount>` makes the reader reserve that many strings up front).
fn tally_xml(reader: impl Read, tally: &mut Tally) -> Result<(), FileProblem> {
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(reader));
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                match e.local_name().as_ref() {
                    "sst" => {
                        for attr in e.attributes().flatten() {
                            let key = attr.key.local_name();
                            if key.as_ref() == "uniqueCount" || key.as_ref() == "count" {
                                let n = attr.value.trim().parse::<u64>().ok();
                                // An unreadable count is no count; a huge one is refused.
                                if n.is_some_and(|n| n > MAX_SHARED_STRINGS) {
                                    return Err(FileProblem::Excessive);
                                }
                            }
                        }
                    }
                    "si" => tally.shared_strings += 1,
                    "xf" | "font" | "fill" | "border" | "numFmt" | "dxf" => tally.styles += 1,
                    "sheet" => tally.sheets += 1,
                    _ => {}
                }
                if !tally.within_limits() {
                    return Err(FileProblem::Excessive);
                }
            }
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            // Not XML (an image, a printer setting) or broken XML: the size was still
            // counted; a broken part the reader needs is refused when it reads it.
            Err(_) => return Ok(()),
        }
    }
}

/// Refuses files that are too big, have too many parts, unpack to too much (counted while
/// decompressing, whatever the headers declare), or declare more strings, formats or
/// sheets than a roster needs: all before the spreadsheet reader allocates anything.
fn precheck(bytes: &[u8]) -> Result<(), FileProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooBig);
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileProblem::NotXlsx)?;
    if archive.len() > MAX_ENTRIES {
        return Err(FileProblem::Excessive);
    }
    let mut total: u64 = 0;
    let mut tally = Tally::default();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| FileProblem::NotXlsx)?;
        if entry.is_dir() {
            continue;
        }
        let limit = MAX_ENTRY_BYTES.min(MAX_UNPACKED_BYTES - total);
        let mut capped = Capped {
            inner: entry,
            left: limit,
            over: false,
        };
        tally_xml(&mut capped, &mut tally)?;
        // Whatever the XML walk left unread still counts.
        std::io::copy(&mut capped, &mut std::io::sink()).map_err(|_| FileProblem::NotXlsx)?;
        if capped.over {
            return Err(FileProblem::Unpacked);
        }
        total += limit - capped.left;
    }
    Ok(())
}

/// A cell as read: its text, and whether Excel stored it as a number or a formula.
struct CellRead {
    text: String,
    number: Option<f64>,
    formula: bool,
}

fn cell_read(cell: &DataRef<'_>, formula: bool, max_chars: usize) -> CellRead {
    let mut number = None;
    let text = match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => {
            number = Some(*i as f64);
            i.to_string()
        }
        // Whole numbers typed without text format (phones) read as floats.
        DataRef::Float(f) => {
            number = Some(*f);
            excel_number_text(*f)
        }
        DataRef::Bool(b) => b.to_string(),
        // Excel counts days from 1899-12-30.
        DataRef::DateTime(d) => NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| {
                epoch.checked_add_days(chrono::Days::new(d.as_f64().clamp(0.0, 3e6) as u64))
            })
            .map(|date| date.to_string())
            .unwrap_or_default(),
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) => String::new(),
    };
    CellRead {
        text: text.trim().chars().take(max_chars).collect(),
        number,
        formula,
    }
}

/// A number as Excel shows it in a cell: whole numbers in full, to Excel's 15 significant
/// digits (`3.20102198410245E+17` reads `320102198410245000`, not the binary float's
/// `320102198410244992`).
fn excel_number_text(f: f64) -> String {
    if f.fract() != 0.0 || !f.is_finite() || f.abs() >= 1e21 {
        return f.to_string();
    }
    if f.abs() < EXACT_DIGITS {
        return format!("{f:.0}");
    }
    // d.dddddddddddddde<exp>: 15 significant digits, then zeros up to the exponent.
    let sci = format!("{:.14e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let width = exp.parse::<usize>().unwrap_or(0) + 1;
    let sign = if f < 0.0 { "-" } else { "" };
    format!("{sign}{digits:0<width$}")
}

/// Maps a header cell to a column by its Chinese or English label, or the field name.
fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim();
    COLUMNS.into_iter().find(|c| {
        h == *c || h == field_label(c, Lang::Zh) || h.eq_ignore_ascii_case(field_label(c, Lang::En))
    })
}

/// Excel keeps 15 significant digits of a number: an 18-digit ID number in a cell that is
/// not text has lost its last digits, however right it may look.
const EXACT_DIGITS: f64 = 1e15;

/// Why a cell's value cannot be taken as it is, before any rule of the member form.
fn cell_refusal(column: &str, cell: &CellRead) -> Option<T> {
    if cell.formula {
        return Some(T::ImpFormula);
    }
    match (column, cell.number) {
        ("id_number", Some(_)) => Some(T::ImpIdNumeric),
        ("phone", Some(n)) if n.abs() >= EXACT_DIGITS || n.fract() != 0.0 => {
            Some(T::ImpPhoneNumeric)
        }
        _ => None,
    }
}

/// The worksheet to import: the one named as in the template (in either language) if it
/// is visible, else the first visible worksheet. Hidden sheets are never read.
fn pick_sheet(sheets: &[calamine::Sheet]) -> Option<String> {
    let visible = |s: &&calamine::Sheet| {
        s.visible == calamine::SheetVisible::Visible && s.typ == calamine::SheetType::WorkSheet
    };
    let named = [Lang::Zh.t(T::ImpSheet), Lang::En.t(T::ImpSheet)];
    sheets
        .iter()
        .filter(visible)
        .find(|s| named.contains(&s.name.trim()))
        .or_else(|| sheets.iter().find(visible))
        .map(|s| s.name.clone())
}

/// The cells of one row, by column (0-based), only the columns the caller wants.
type RowCells = Vec<(u32, CellRead)>;

/// Streams a worksheet row by row, keeping only the first `HEADER_SEARCH_ROWS` rows until
/// the header is found and then one row at a time: memory does not depend on how far
/// away a cell is or how large the sheet declares itself.
struct RowStream<'a, R: Read + std::io::Seek> {
    cells: calamine::XlsxCellReader<'a, R>,
    pending: Option<(u32, u32, CellRead)>,
    done: bool,
    /// A cell's text is cut to this many characters.
    max_chars: usize,
}

/// Opens a file that passed [`precheck`] and names the sheet to import.
fn open_book(bytes: &[u8]) -> Result<(Xlsx<Cursor<&[u8]>>, String), FileProblem> {
    precheck(bytes)?;
    let book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileProblem::NotXlsx)?;
    let sheet = pick_sheet(book.sheets_metadata()).ok_or(FileProblem::NoSheet)?;
    Ok((book, sheet))
}

impl<'a, R: Read + std::io::Seek> RowStream<'a, R> {
    fn new(book: &'a mut Xlsx<R>, sheet: &str, max_chars: usize) -> Result<Self, FileProblem> {
        let cells = book
            .worksheet_cells_reader(sheet)
            .map_err(|_| FileProblem::NotXlsx)?;
        Ok(RowStream {
            cells,
            pending: None,
            done: false,
            max_chars,
        })
    }
}

impl<R: Read + std::io::Seek> RowStream<'_, R> {
    /// The next row holding a value: its 0-based index and its cells (empty values are
    /// dropped). Rows must come in ascending order, as every spreadsheet program writes
    /// them.
    fn next_row(&mut self, last: Option<u32>) -> Result<Option<(u32, RowCells)>, FileProblem> {
        let mut current: Option<(u32, RowCells)> = None;
        loop {
            let next = match self.pending.take() {
                Some(p) => Some(p),
                None if self.done => None,
                None => match self.cells.next_cell_with_formula_metadata() {
                    Ok(Some(record)) => {
                        let cell =
                            cell_read(&record.value, record.formula.is_some(), self.max_chars);
                        if cell.text.is_empty() {
                            continue;
                        }
                        Some((record.pos.0, record.pos.1, cell))
                    }
                    Ok(None) => {
                        self.done = true;
                        None
                    }
                    Err(_) => return Err(FileProblem::NotXlsx),
                },
            };
            match (next, &mut current) {
                (None, _) => return Ok(current),
                (Some((row, col, cell)), None) => {
                    if last.is_some_and(|l| row <= l) {
                        return Err(FileProblem::NotXlsx);
                    }
                    current = Some((row, vec![(col, cell)]));
                }
                (Some((row, col, cell)), Some((at, cells))) if row == *at => {
                    // Only the template's 14 columns can matter; a sheet is refused
                    // rather than kept if a row holds more values than a row can.
                    if cells.len() >= 16_384 {
                        return Err(FileProblem::NotXlsx);
                    }
                    cells.push((col, cell));
                }
                (Some(p), Some(_)) => {
                    self.pending = Some(p);
                    return Ok(current);
                }
            }
        }
    }
}

/// Reads the sheet to import of an `.xlsx` file row by row, after the same checks as the
/// roster's (size, parts, what it unpacks to): each row holding a value, with its 0-based
/// index and its (0-based column, text) cells, texts cut to `max_chars`. `each` returns
/// false to stop. The question import reads its files with it.
pub(crate) fn read_rows(
    bytes: &[u8],
    max_chars: usize,
    mut each: impl FnMut(u32, Vec<(u32, String)>) -> bool,
) -> Result<(), FileProblem> {
    let (mut book, sheet) = open_book(bytes)?;
    let mut stream = RowStream::new(&mut book, &sheet, max_chars)?;
    let mut last = None;
    while let Some((index, cells)) = stream.next_row(last)? {
        last = Some(index);
        if !each(
            index,
            cells.into_iter().map(|(c, cell)| (c, cell.text)).collect(),
        ) {
            break;
        }
    }
    Ok(())
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
    let (mut book, sheet) = open_book(bytes)?;
    let mut stream = RowStream::new(&mut book, &sheet, 200)?;
    // The header: the first row within reach that names the 姓名 column; rows above it
    // (a title) are skipped.
    let mut last = None;
    let columns: Vec<(u32, &'static str)> = loop {
        let Some((row, cells)) = stream.next_row(last)? else {
            // Rows, but none names the columns: not the template.
            return Err(match last {
                Some(_) => FileProblem::MissingColumn("name"),
                None => FileProblem::Empty,
            });
        };
        last = Some(row);
        if row >= HEADER_SEARCH_ROWS {
            return Err(FileProblem::MissingColumn("name"));
        }
        let found: Vec<(u32, &'static str)> = cells
            .iter()
            .filter_map(|(col, cell)| column_of(&cell.text).map(|c| (*col, c)))
            .collect();
        if found.iter().any(|(_, c)| *c == "name") {
            break found;
        }
    };
    for required in REQUIRED {
        if !columns.iter().any(|(_, c)| *c == required) {
            return Err(FileProblem::MissingColumn(required));
        }
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
    let mut out = Checked {
        sheet,
        ..Checked::default()
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    let example_id = example_id_number();
    let problem = |out: &mut Checked, row: u32, field: &str, message: String, value: &str| {
        out.problem_count += 1;
        if out.problems.len() < MAX_LISTED {
            out.problems.push(RowProblem {
                row,
                column: field_label(field, lang).to_string(),
                message,
                value: value.chars().take(60).collect(),
            });
        }
    };
    while let Some((index, cells)) = stream.next_row(last)? {
        last = Some(index);
        let row = index.saturating_add(1);
        let mut input = MemberInput::default();
        // Cells refused as they were stored (a number, a formula): their own problem is
        // reported, and the value stays out of the row, so the member rules say nothing
        // more of it (nor compare it with other cells).
        let mut refused: Vec<&str> = Vec::new();
        for (col, cell) in &cells {
            let Some((_, column)) = columns.iter().find(|(c, _)| c == col) else {
                continue;
            };
            if let Some(why) = cell_refusal(column, cell) {
                problem(&mut out, row, column, lang.t(why).into(), &cell.text);
                refused.push(column);
                continue;
            }
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
            *slot = cell.text.clone();
        }
        // A row with values only outside the template's columns is not a data row.
        let counted = cells
            .iter()
            .any(|(col, _)| columns.iter().any(|(c, _)| c == col));
        if !counted {
            continue;
        }
        out.rows += 1;
        if out.rows > MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        if half_width(&input.id_number).eq_ignore_ascii_case(&example_id) {
            problem(
                &mut out,
                row,
                "id_number",
                lang.t(T::ImpExampleRow).into(),
                &input.id_number,
            );
            continue;
        }
        let org = match by_name.get(input.org.trim()).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            Some(_) => {
                problem(
                    &mut out,
                    row,
                    "org",
                    lang.t(T::ImpOrgAmbiguous).into(),
                    &input.org,
                );
                None
            }
            None if keys.iter().any(|k| k == input.org.trim()) => {
                Some(input.org.trim().to_string())
            }
            None => {
                problem(
                    &mut out,
                    row,
                    "org",
                    lang.t(T::ImpOrgUnknown).into(),
                    &input.org,
                );
                None
            }
        };
        match validate_member(&input, today) {
            Err(problems) => {
                for p in problems
                    .into_iter()
                    .filter(|p| !refused.contains(&p.field()))
                {
                    let value = input_value(&input, p.field());
                    problem(&mut out, row, p.field(), p.message(lang), &value);
                }
            }
            Ok(_) if !refused.is_empty() => {}
            Ok(valid) => {
                if let Some(first) = seen.get(&valid.id_number) {
                    problem(
                        &mut out,
                        row,
                        "id_number",
                        lang.t(T::ImpDuplicateRow(*first)),
                        &valid.id_number,
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
            problem(
                &mut out,
                r.row,
                "id_number",
                lang.t(T::MfIdTaken).into(),
                &r.valid.id_number,
            );
        }
        out.ready = fresh;
    }
    out.problems.sort_by_key(|p| p.row);
    Ok(out)
}

/// The text a row held for a field, to show beside its problem.
fn input_value(input: &MemberInput, field: &str) -> String {
    match field {
        "name" => &input.name,
        "gender" => &input.gender,
        "birth_date" => &input.birth_date,
        "ethnicity" => &input.ethnicity,
        "education" => &input.education,
        "department" => &input.department,
        "title" => &input.title,
        "phone" => &input.phone,
        "id_number" => &input.id_number,
        "org" => &input.org,
        "status" => &input.status,
        "application_date" => &input.application_date,
        "admission_date" => &input.admission_date,
        "full_date" => &input.full_date,
        _ => "",
    }
    .to_string()
}

/// The template: the header row and one example row, identity and phone columns as text.
pub fn template(lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t(T::ImpSheet))?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let example_id = example_id_number();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn branch() -> Vec<OrgNode> {
        vec![OrgNode {
            id: "o0100".into(),
            name: "测试党支部".into(),
            kind: OrgKind::Branch,
            direct_members: 0,
            total_members: 0,
            unloaded: 0,
            children: vec![],
        }]
    }

    fn id_for(n: usize) -> String {
        let first17 = format!("61010419920315{:03}", 100 + n * 2);
        format!(
            "{first17}{}",
            crate::models::member::id_check_char(&first17).unwrap()
        )
    }

    fn row(n: usize) -> Vec<String> {
        [
            "甲一",
            "女",
            "1992-03-15",
            "汉族",
            "大学本科",
            "内科",
            "护师",
            &format!("139{:08}", 10_000_000 + n),
            &id_for(n),
            "测试党支部",
            "正式党员",
            "2012-04-01",
            "2013-06-01",
            "2014-06-01",
        ]
        .map(String::from)
        .to_vec()
    }

    fn book(build: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, f) in (0u16..).zip(COLUMNS) {
            sheet.write_string(0, c, field_label(f, Lang::Zh)).unwrap();
        }
        build(sheet);
        book.save_to_buffer().unwrap()
    }

    fn write(sheet: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[String]) {
        for (c, v) in (0u16..).zip(cells) {
            sheet.write_string(r, c, v).unwrap();
        }
    }

    fn run(bytes: &[u8]) -> Result<Checked, FileProblem> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        check(bytes, &branch(), &|_| Vec::new(), today, Lang::Zh)
    }

    #[test]
    fn a_clean_row_is_ready_and_the_sheet_is_named() {
        let checked = run(&book(|s| write(s, 1, &row(1)))).unwrap();
        assert_eq!((checked.rows, checked.ready.len()), (1, 1), "{checked:?}");
        assert_eq!(checked.sheet, "Sheet1");
    }

    #[test]
    fn an_id_number_in_a_number_cell_is_refused_with_the_value_read() {
        let checked = run(&book(|s| {
            write(s, 1, &row(1));
            s.write_number(1, 8, 320_102_198_410_245_000.0).unwrap();
        }))
        .unwrap();
        assert_eq!(checked.ready.len(), 0);
        assert_eq!(checked.problem_count, 1, "{:?}", checked.problems);
        let p = &checked.problems[0];
        assert_eq!((p.row, p.value.as_str()), (2, "320102198410245000"));
        assert!(p.message.contains("截断"), "{}", p.message);
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(
            excel_number_text(320_102_198_410_245_000.0),
            "320102198410245000"
        );
        assert_eq!(excel_number_text(13_912_345_678.0), "13912345678");
        assert_eq!(excel_number_text(1e15), "1000000000000000");
        assert_eq!(excel_number_text(2.5), "2.5");
    }

    #[test]
    fn a_phone_in_a_number_cell_keeps_its_digits_and_passes() {
        let checked = run(&book(|s| {
            write(s, 1, &row(1));
            s.write_number(1, 7, 13_912_345_678.0).unwrap();
        }))
        .unwrap();
        assert_eq!(checked.ready.len(), 1, "{:?}", checked.problems);
        assert_eq!(checked.ready[0].valid.phone, "13912345678");
    }

    #[test]
    fn full_width_digits_and_spaces_are_made_plain() {
        let wide = |s: &str| -> String {
            s.chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect()
        };
        let mut r = row(1);
        r[7] = format!(" {}\u{3000}", wide(&r[7]));
        r[8] = wide(&r[8]);
        let checked = run(&book(|s| write(s, 1, &r))).unwrap();
        assert_eq!(checked.ready.len(), 1, "{:?}", checked.problems);
        assert_eq!(checked.ready[0].valid.id_number, id_for(1));
    }

    #[test]
    fn the_templates_example_row_is_refused() {
        let mut r = row(1);
        r[8] = example_id_number();
        let checked = run(&book(|s| write(s, 1, &r))).unwrap();
        assert_eq!(checked.ready.len(), 0);
        assert!(checked.problems[0].message.contains("示例"));
    }

    #[test]
    fn a_formula_is_refused_with_its_computed_value() {
        let checked = run(&book(|s| {
            write(s, 1, &row(1));
            s.write_formula(
                1,
                7,
                rust_xlsxwriter::Formula::new("=13900000000+1").set_result("13900000001"),
            )
            .unwrap();
        }))
        .unwrap();
        assert_eq!(checked.ready.len(), 0);
        let p = &checked.problems[0];
        assert!(p.message.contains("公式"), "{}", p.message);
        assert_eq!(p.value, "13900000001");
    }

    #[test]
    fn a_title_row_above_the_header_is_skipped() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "测试党支部党员名册").unwrap();
        for (c, f) in (0u16..).zip(COLUMNS) {
            sheet.write_string(2, c, field_label(f, Lang::Zh)).unwrap();
        }
        write(sheet, 3, &row(1));
        let checked = run(&book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(checked.ready.len(), 1, "{:?}", checked.problems);
        assert_eq!(
            checked.ready[0].row, 4,
            "rows are numbered as Excel numbers them"
        );
    }

    /// Random damage to a valid file: flipped bytes, truncations, spliced garbage. The
    /// reader answers every one with a report or a refusal and never panics.
    #[test]
    fn damaged_files_never_panic() {
        let good = book(|s| {
            for n in 1..20 {
                write(s, n, &row(n as usize));
            }
        });
        let mut seed: u64 = 0x5eed_2026;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..400 {
            let mut bytes = good.clone();
            match next() % 3 {
                0 => {
                    for _ in 0..1 + next() % 8 {
                        let i = (next() as usize) % bytes.len();
                        bytes[i] ^= (next() % 255 + 1) as u8;
                    }
                }
                1 => bytes.truncate((next() as usize) % bytes.len()),
                _ => {
                    let i = (next() as usize) % bytes.len();
                    let junk: Vec<u8> = (0..next() % 64).map(|_| next() as u8).collect();
                    bytes.splice(i..i, junk);
                }
            }
            let _ = run(&bytes);
        }
    }
}
