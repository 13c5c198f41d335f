//! Writes the spreadsheets the import tests upload (`tests/fixtures/import/`): files a
//! hostile user would craft (a far-away cell, a huge declared size, deep nesting, many
//! sheets, strings or formats, zip headers that lie) and files a hospital clerk produces
//! (an ID number typed into a number cell, full-width digits, a hidden sheet, a title row,
//! a formula). Deterministic: running it again writes the same bytes.
//!
//! `cargo run -p tests --bin make-import-fixtures` (the files are committed; rerun it only
//! to change them).

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

use tests::IMPORT_HEADERS as HEADERS;

/// An ID number for a woman born on `birth` (yyyymmdd), numbered `n`.
fn id_for(n: usize, birth: &str) -> String {
    tests::import_id(n, birth, false)
}

use tests::import_row as row;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Column letters for a 0-based index (0 → A, 13 → N, 16383 → XFD).
fn col_name(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// A row of inline-string cells at 0-based row `r`.
fn text_row(r: u32, cells: &[String]) -> String {
    let mut xml = format!("<row r=\"{}\">", r + 1);
    for (c, v) in (0u32..).zip(cells) {
        xml.push_str(&format!(
            "<c r=\"{}{}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
            col_name(c),
            r + 1,
            escape(v)
        ));
    }
    xml.push_str("</row>");
    xml
}

fn header_row() -> String {
    text_row(0, &HEADERS.map(String::from))
}

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn worksheet(dimension: &str, rows: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{NS}\"><dimension ref=\"{dimension}\"/><sheetData>{rows}</sheetData></worksheet>"
    )
}

/// The parts of a minimal workbook with one sheet, to which a case adds or replaces parts.
fn package(sheet_xml: String) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "[Content_Types].xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels".into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").into_bytes(),
        ),
        ("xl/workbook.xml".into(), workbook_xml(&["党员信息"]).into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), workbook_rels(1).into_bytes()),
        ("xl/worksheets/sheet1.xml".into(), sheet_xml.into_bytes()),
    ]
}

fn workbook_xml(names: &[&str]) -> String {
    let sheets: String = (1..)
        .zip(names)
        .map(|(i, n)| format!("<sheet name=\"{n}\" sheetId=\"{i}\" r:id=\"rId{i}\"/>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{NS}\" xmlns:r=\"{REL_NS}\"><sheets>{sheets}</sheets></workbook>"
    )
}

fn workbook_rels(sheets: usize) -> String {
    let rels: String = (1..=sheets)
        .map(|i| format!("<Relationship Id=\"rId{i}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    )
}

fn set(parts: &mut Vec<(String, Vec<u8>)>, name: &str, bytes: Vec<u8>) {
    parts.retain(|(n, _)| n != name);
    parts.push((name.to_string(), bytes));
}

/// Zips the parts (deflated, fixed timestamps so the bytes are reproducible).
fn zip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .large_file(false);
        for (name, bytes) in parts {
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out
}

/// Rewrites the uncompressed size recorded for `name` in both the local header and the
/// central directory, so the archive claims a small part that really unpacks to more.
fn lie_about_size(bytes: &mut [u8], name: &str, claimed: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    let mut i = 0;
    while i + 46 <= bytes.len() {
        let sig = &bytes[i..i + 4];
        if sig == b"PK\x03\x04" {
            let len = u16::from_le_bytes([bytes[i + 26], bytes[i + 27]]) as usize;
            if bytes.get(i + 30..i + 30 + len) == Some(name) {
                bytes[i + 22..i + 26].copy_from_slice(&claimed.to_le_bytes());
                patched += 1;
            }
        } else if sig == b"PK\x01\x02" {
            let len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if bytes.get(i + 46..i + 46 + len) == Some(name) {
                bytes[i + 24..i + 28].copy_from_slice(&claimed.to_le_bytes());
                patched += 1;
            }
        }
        i += 1;
    }
    assert_eq!(patched, 2, "local and central headers both found");
}

/// A file made with a spreadsheet writer, as a clerk's program would.
fn with_writer(build: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    build(&mut book);
    // rust_xlsxwriter stamps the creation time into docProps: pin it.
    let props = rust_xlsxwriter::DocProperties::new()
        .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1).unwrap());
    book.set_properties(&props);
    book.save_to_buffer().unwrap()
}

fn write_rows(sheet: &mut rust_xlsxwriter::Worksheet, first: u32, rows: &[Vec<String>]) {
    for (r, cells) in (first..).zip(rows) {
        for (c, v) in (0u16..).zip(cells) {
            sheet.write_string(r, c, v).unwrap();
        }
    }
}

pub fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let one_row = text_row(1, &row(1, "甲一"));

    // 1. The header and one cell at the sheet's very last position (XFD1048576): a dense
    //    grid of it would be 16,384 × 1,048,576 cells.
    out.push((
        "dos-far-cell-xfd.xlsx",
        zip(&package(worksheet(
            "A1:XFD1048576",
            &format!(
                "{}<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row>",
                header_row()
            ),
        ))),
    ));
    // 2. A data row and a far cell in the last template column (N1048576).
    out.push((
        "dos-far-cell-n.xlsx",
        zip(&package(worksheet(
            "A1:N1048576",
            &format!(
                "{}{one_row}<row r=\"1048576\"><c r=\"N1048576\" t=\"inlineStr\"><is><t>2014-06-01</t></is></c></row>",
                header_row()
            ),
        ))),
    ));
    // 3. A small sheet that declares itself as large as a sheet can be.
    out.push((
        "dos-huge-dimension.xlsx",
        zip(&package(worksheet(
            "A1:XFD1048576",
            &format!("{}{one_row}", header_row()),
        ))),
    ));
    // 4. Elements nested a million deep inside the sheet data.
    {
        let depth = 1_000_000;
        let nest = format!("{}{}", "<x>".repeat(depth), "</x>".repeat(depth));
        out.push((
            "dos-deep-nesting.xlsx",
            zip(&package(worksheet(
                "A1:N2",
                &format!("{}<row r=\"2\">{nest}</row>", header_row()),
            ))),
        ));
    }
    // 5. A workbook listing 10,000 sheets.
    {
        let mut parts = package(worksheet("A1:N2", &format!("{}{one_row}", header_row())));
        let names: Vec<String> = (0..10_000).map(|i| format!("S{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        set(
            &mut parts,
            "xl/workbook.xml",
            workbook_xml(&refs).into_bytes(),
        );
        set(
            &mut parts,
            "xl/_rels/workbook.xml.rels",
            workbook_rels(10_000).into_bytes(),
        );
        out.push(("dos-many-sheets.xlsx", zip(&parts)));
    }
    // 6. Three million (empty) shared strings.
    {
        let mut parts = package(worksheet("A1:N2", &format!("{}{one_row}", header_row())));
        let mut sst = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{NS}\">");
        sst.push_str(&"<si><t/></si>".repeat(3_000_000));
        sst.push_str("</sst>");
        set(&mut parts, "xl/sharedStrings.xml", sst.into_bytes());
        out.push(("dos-many-shared-strings.xlsx", zip(&parts)));
    }
    // 6b. The most a file may hold: 900,000 shared strings of 50 characters (60 MB of
    //     XML, just under the limits). Admitted: this is what the memory bound is for.
    {
        let mut parts = package(worksheet("A1:N2", &format!("{}{one_row}", header_row())));
        let mut sst = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{NS}\">");
        let text = "x".repeat(50);
        sst.push_str(&format!("<si><t>{text}</t></si>").repeat(900_000));
        sst.push_str("</sst>");
        set(&mut parts, "xl/sharedStrings.xml", sst.into_bytes());
        out.push(("dos-largest-admitted.xlsx", zip(&parts)));
    }
    // 7. A string table that declares 10^11 strings (the reader reserves room up front).
    {
        let mut parts = package(worksheet("A1:N2", &format!("{}{one_row}", header_row())));
        let sst = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{NS}\" count=\"1\" uniqueCount=\"100000000000\"><si><t>a</t></si></sst>"
        );
        set(&mut parts, "xl/sharedStrings.xml", sst.into_bytes());
        out.push(("dos-declared-strings.xlsx", zip(&parts)));
    }
    // 8. Two million cell formats.
    {
        let mut parts = package(worksheet("A1:N2", &format!("{}{one_row}", header_row())));
        let styles = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"{NS}\"><cellXfs count=\"2000000\">{}</cellXfs></styleSheet>",
            "<xf/>".repeat(2_000_000)
        );
        set(&mut parts, "xl/styles.xml", styles.into_bytes());
        out.push(("dos-many-styles.xlsx", zip(&parts)));
    }
    // 9. A sheet of 100 MiB of spaces whose headers claim 1 KiB.
    {
        let mut rows = header_row();
        rows.push_str(&" ".repeat(100 * 1024 * 1024));
        let mut bytes = zip(&package(worksheet("A1:N2", &rows)));
        lie_about_size(&mut bytes, "xl/worksheets/sheet1.xml", 1024);
        out.push(("dos-lying-zip-sizes.xlsx", bytes));
    }
    // 10. A shared formula numbered four billion (a reader that expands shared formulas
    //     sizes a table by that number).
    out.push((
        "dos-shared-formula-index.xlsx",
        zip(&package(worksheet(
            "A1:N3",
            &format!(
                "{}{one_row}<row r=\"3\"><c r=\"A3\"><f t=\"shared\" si=\"4000000000\" ref=\"A3:A4\">B1</f><v>0</v></c></row>",
                header_row()
            ),
        ))),
    ));

    // Real-world files, made with a spreadsheet writer.
    // 11. ID numbers typed into number cells: Excel keeps 15 significant digits, so the
    //     first reads 320102198410245000 (a valid ID after rounding); a phone typed as a
    //     number keeps all its 11 digits and is fine.
    out.push((
        "id-as-number.xlsx",
        with_writer(|book| {
            let sheet = book.add_worksheet();
            write_rows(sheet, 0, &[HEADERS.map(String::from).to_vec()]);
            let mut r = row(1, "甲一");
            r[2] = "1984-10-24".into();
            write_rows(sheet, 1, &[r]);
            sheet.write_number(1, 8, 320_102_198_410_245_000.0).unwrap();
            sheet.write_number(1, 7, 13_912_345_678.0).unwrap();
            write_rows(sheet, 2, &[row(2, "甲二")]);
            sheet.write_number(2, 7, 13_912_345_679.0).unwrap();
        }),
    ));
    // 12. Full-width digits and Ｘ, and spaces, as typed with a Chinese input method.
    out.push((
        "full-width.xlsx",
        with_writer(|book| {
            let sheet = book.add_worksheet();
            write_rows(sheet, 0, &[HEADERS.map(String::from).to_vec()]);
            let widen = |s: &str| -> String {
                s.chars()
                    .map(|c| match c {
                        '0'..='9' | 'X' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                        c => c,
                    })
                    .collect()
            };
            // Find a number whose check character is X, to exercise the full-width Ｘ.
            let with_x = (1..500)
                .map(|n| id_for(n, "19920315"))
                .find(|id| id.ends_with('X'))
                .unwrap();
            let mut a = row(1, "甲一");
            a[7] = format!(" {} ", widen(&a[7]));
            a[8] = format!("\u{3000}{}", widen(&with_x));
            let mut b = row(2, "甲二");
            b[8] = format!("{} ", widen(&b[8]));
            write_rows(sheet, 1, &[a, b]);
        }),
    ));
    // 13. A hidden first sheet (never imported) before the visible roster.
    out.push((
        "hidden-sheet.xlsx",
        with_writer(|book| {
            let hidden = book.add_worksheet();
            hidden.set_name("旧数据").unwrap();
            write_rows(
                hidden,
                0,
                &[HEADERS.map(String::from).to_vec(), row(9, "隐藏")],
            );
            hidden.set_hidden(true);
            let visible = book.add_worksheet();
            visible.set_name("2026年名册").unwrap();
            write_rows(
                visible,
                0,
                &[
                    HEADERS.map(String::from).to_vec(),
                    row(1, "甲一"),
                    row(2, "甲二"),
                ],
            );
            visible.set_active(true);
        }),
    ));
    // 14. A merged title row above the header.
    out.push((
        "title-row.xlsx",
        with_writer(|book| {
            let sheet = book.add_worksheet();
            sheet
                .merge_range(
                    0,
                    0,
                    0,
                    13,
                    "肿瘤内科第一党支部党员名册",
                    &rust_xlsxwriter::Format::new().set_bold(),
                )
                .unwrap();
            write_rows(
                sheet,
                1,
                &[
                    HEADERS.map(String::from).to_vec(),
                    row(1, "甲一"),
                    row(2, "甲二"),
                ],
            );
        }),
    ));
    // 15. A formula in the phone column (its computed value is cached in the file).
    out.push((
        "formula.xlsx",
        with_writer(|book| {
            let sheet = book.add_worksheet();
            write_rows(
                sheet,
                0,
                &[HEADERS.map(String::from).to_vec(), row(1, "甲一")],
            );
            let formula = rust_xlsxwriter::Formula::new("=13900000000+1").set_result("13900000001");
            sheet.write_formula(1, 7, formula).unwrap();
        }),
    ));
    out
}

fn main() {
    let dir: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in fixtures() {
        assert!(
            bytes.len() < 10 * 1024 * 1024,
            "{name} fits the upload limit"
        );
        std::fs::write(dir.join(name), &bytes).unwrap();
        println!("{name}: {} bytes", bytes.len());
    }
}
