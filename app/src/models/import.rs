//! The spreadsheet import's wire types: the report of an upload and what became of it.

use serde::{Deserialize, Serialize};

word_enum! {
    /// Where an upload stands: checked (report ready), rejected (the file itself was
    /// refused), importing (confirmed, being written), imported, or failed (nothing was
    /// written; it may be confirmed again).
    ImportStatus {
        Checked => "checked" / ImpStatusChecked,
        Rejected => "rejected" / ImpStatusRejected,
        Importing => "importing" / ImpStatusImporting,
        Imported => "imported" / ImpStatusImported,
        Failed => "failed" / ImpStatusFailed,
    }
}

/// One problem in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: u32,
    pub column: String,
    pub message: String,
    /// The cell's value as it was read (reports stored before it existed have none).
    #[serde(default)]
    pub value: String,
}

/// What an upload found, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: String,
    pub file_name: String,
    /// The worksheet that was read (the first visible one, or the one named as in the
    /// template).
    pub sheet: String,
    pub status: ImportStatus,
    /// Why the file was refused, or why the import failed.
    pub message: String,
    pub rows: u32,
    pub ready: u32,
    pub problem_count: u32,
    pub problems: Vec<ImportProblem>,
    pub imported: u32,
    /// While importing: rows written so far inside the (not yet committed) transaction.
    pub written: u32,
}

impl ImportReport {
    /// The confirm button is offered: a clean report, not yet imported, nothing running.
    pub fn can_confirm(&self) -> bool {
        self.problem_count == 0
            && self.ready > 0
            && matches!(self.status, ImportStatus::Checked | ImportStatus::Failed)
    }
}
