//! Excel (.xlsx) exports: one sheet, a bold header row, text cells.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::i18n::{Lang, T};
use crate::models::audit::{AuditEntry, china_offset};

/// Text that a spreadsheet (or a CSV made from it) could take for a formula gets a leading
/// apostrophe: `=HYPERLINK(…)` stays text.
pub fn cell_text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// A sheet of text cells under a header row, first row frozen.
pub fn table_workbook(
    sheet_name: T,
    headers: &[T],
    rows: &[Vec<String>],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t(sheet_name))?;
    let bold = Format::new().set_bold();
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, lang.t(*header), &bold)?;
        sheet.set_column_width(col, 14)?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (col, text) in (0u16..).zip(cells) {
            sheet.write_string(row, col, cell_text(text))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// The audit entries, times in China time.
pub fn audit_workbook(entries: &[AuditEntry], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let headers = [
        T::AuditSeq,
        T::AuditAt,
        T::AuditActor,
        T::AuditRoles,
        T::AuditAddress,
        T::AuditAction,
        T::AuditEntity,
        T::AuditEntityId,
        T::AuditOutcome,
        T::AuditSummary,
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                e.at.with_timezone(&china_offset())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                e.actor.clone(),
                e.roles.join(","),
                e.address.clone(),
                e.action.clone(),
                e.entity.clone(),
                e.entity_id.clone(),
                e.outcome.clone(),
                e.summary.clone(),
            ]
        })
        .collect();
    table_workbook(T::AuditTitle, &headers, &rows, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_stays_text() {
        assert_eq!(
            cell_text("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell_text("+86"), "'+86");
        assert_eq!(cell_text("-1"), "'-1");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("张三"), "张三");
        assert_eq!(cell_text(""), "");
    }
}
