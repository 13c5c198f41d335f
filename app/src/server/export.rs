//! Excel (.xlsx) exports.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::i18n::{Lang, T};
use crate::models::audit::{AuditEntry, china_offset};

/// The audit entries as one sheet, with a header row, times in China time.
pub fn audit_workbook(entries: &[AuditEntry], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t(T::AuditTitle))?;
    let bold = Format::new().set_bold();
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
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, lang.t(header), &bold)?;
    }
    for (row, e) in (1u32..).zip(entries) {
        let at =
            e.at.with_timezone(&china_offset())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
        sheet.write_number(row, 0, e.seq as f64)?;
        let texts = [
            at,
            e.actor.clone(),
            e.roles.join(","),
            e.address.clone(),
            e.action.clone(),
            e.entity.clone(),
            e.entity_id.clone(),
            e.outcome.clone(),
            e.summary.clone(),
        ];
        for (col, text) in (1u16..).zip(texts) {
            sheet.write_string(row, col, text)?;
        }
    }
    sheet.set_column_width(1, 20)?;
    sheet.set_column_width(9, 60)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
