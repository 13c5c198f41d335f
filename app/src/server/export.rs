//! Excel (.xlsx) exports: sheets of text cells, each under a bold header row.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::i18n::{Lang, T};
use crate::models::assessment::{Dimension, show_points};
use crate::models::audit::{AuditEntry, china_offset};
use crate::models::closed_loop::{BranchAssessment, Ranking};
use crate::models::meeting::{Ledger, MinutesState};
use crate::models::required::{RequirementView, Standing};

/// Text that a spreadsheet (or a CSV made from it) could take for a formula gets a leading
/// apostrophe: `=HYPERLINK(…)` stays text.
pub fn cell_text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// One sheet of a workbook: text cells under a header row.
pub struct Sheet<'a> {
    pub name: T,
    pub headers: &'a [T],
    pub rows: &'a [Vec<String>],
}

/// A workbook of sheets of text cells, each under a bold header row, first row frozen.
pub fn sheets_workbook(sheets: &[Sheet<'_>], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for part in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(lang.t(part.name))?;
        for (col, header) in (0u16..).zip(part.headers) {
            sheet.write_string_with_format(0, col, lang.t(*header), &bold)?;
            sheet.set_column_width(col, 14)?;
        }
        for (row, cells) in (1u32..).zip(part.rows) {
            for (col, text) in (0u16..).zip(cells) {
                sheet.write_string(row, col, cell_text(text))?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

/// A sheet of text cells under a header row, first row frozen.
pub fn table_workbook(
    sheet_name: T,
    headers: &[T],
    rows: &[Vec<String>],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let sheet = Sheet {
        name: sheet_name,
        headers,
        rows,
    };
    sheets_workbook(&[sheet], lang)
}

/// A date, marked in words once it has passed.
fn deadline_text(d: NaiveDate, overdue: bool, lang: Lang) -> String {
    if overdue {
        format!("{} {}", lang.date(d), lang.t(T::ScOverdueBadge))
    } else {
        lang.date(d)
    }
}

/// The committee's ranking of a period, as the ranking page shows it.
pub fn ranking_workbook(ranking: &Ranking, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let headers = [
        T::ScRank,
        T::ScBranch,
        T::ScTotal,
        T::AsDimEffectiveness,
        T::AsDimSynergy,
        T::AsDimSatisfaction,
        T::ScStarsCol,
    ];
    let rows: Vec<Vec<String>> = ranking
        .rows
        .iter()
        .map(|r| {
            vec![
                r.rank.to_string(),
                r.org_name.clone(),
                show_points(r.score.total),
                show_points(r.score.effectiveness),
                show_points(r.score.synergy),
                show_points(r.score.satisfaction),
                lang.t(T::ScStars(r.stars)),
            ]
        })
        .collect();
    table_workbook(T::ScRanking, &headers, &rows, lang)
}

/// A branch's assessment report for a period, as the branch's page shows it: a summary,
/// the indicator scores, the assignments and the rectification items, a sheet each.
pub fn branch_assessment_workbook(a: &BranchAssessment, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let period = &a.period;
    let mut summary = vec![
        vec![lang.t(T::ScBranch).to_string(), a.org_name.clone()],
        vec![lang.t(T::ScPeriod).to_string(), period.name.clone()],
        vec![
            lang.t(T::ScDates).to_string(),
            lang.t(T::ScDateRange(period.starts, period.ends)),
        ],
        vec![
            lang.t(T::ScStatus).to_string(),
            lang.t(period.status.label()).to_string(),
        ],
        vec![lang.t(T::ScTotal).to_string(), show_points(a.score.total)],
        vec![
            lang.t(T::ScStarsCol).to_string(),
            lang.t(T::ScStars(a.stars)),
        ],
    ];
    summary.extend(Dimension::ALL.iter().map(|d| {
        vec![
            lang.t(d.label()).to_string(),
            show_points(a.score.dimension(*d)),
        ]
    }));
    let not_scored = || lang.t(T::ScNotScored).to_string();
    let indicators: Vec<Vec<String>> = a
        .indicators
        .iter()
        .flat_map(|ind| {
            ind.items.iter().map(move |item| {
                vec![
                    ind.name.clone(),
                    ind.weight.to_string(),
                    lang.t(ind.dimension.label()).to_string(),
                    item.name.clone(),
                    show_points(item.max),
                    item.awarded.map(show_points).unwrap_or_else(not_scored),
                ]
            })
        })
        .collect();
    let assignments: Vec<Vec<String>> = a
        .assignments
        .iter()
        .map(|s| {
            vec![
                s.title.clone(),
                s.indicator_name.clone(),
                lang.t(s.status.label()).to_string(),
                deadline_text(s.deadline, s.overdue, lang),
                s.score.map(show_points).unwrap_or_else(not_scored),
            ]
        })
        .collect();
    let rectifications: Vec<Vec<String>> = a
        .rectifications
        .iter()
        .map(|r| {
            vec![
                r.problem.clone(),
                lang.t(r.source.label()).to_string(),
                deadline_text(r.deadline, r.overdue, lang),
                lang.t(r.status.label()).to_string(),
            ]
        })
        .collect();
    sheets_workbook(
        &[
            Sheet {
                name: T::ScSummary,
                headers: &[T::ScField, T::ScValue],
                rows: &summary,
            },
            Sheet {
                name: T::ScIndicators,
                headers: &[
                    T::ScIndicator1,
                    T::ScWeight,
                    T::ScDimension,
                    T::ScIndicator2,
                    T::ScMax,
                    T::ScAwarded,
                ],
                rows: &indicators,
            },
            Sheet {
                name: T::ScAssignments,
                headers: &[
                    T::ScTask,
                    T::ScIndicator2,
                    T::ScStatus,
                    T::ScDue,
                    T::ScScore,
                ],
                rows: &assignments,
            },
            Sheet {
                name: T::ScRectifications,
                headers: &[T::ScProblem, T::ScSource, T::ScDeadline, T::ScStatus],
                rows: &rectifications,
            },
        ],
        lang,
    )
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

/// A branch's 台账 for a year as one sheet laid out like the printed page: the committee's
/// and the branch's names and the year above, then a row per meeting, oldest first, with
/// attendance by name and the minutes. Printed on A4 landscape, one page wide, the header
/// row repeated on every page. The minutes' photos and attachments are listed by name.
pub fn ledger_workbook(ledger: &Ledger, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let headers = [
        (T::AuditSeq, 6),
        (T::MtrDateTime, 16),
        (T::MtpKind, 12),
        (T::MtpTopic, 24),
        (T::MtpRoom, 16),
        (T::MtpHost, 10),
        (T::MtpRecorder, 10),
        (T::MtpLecturer, 10),
        (T::MtpAttendance, 22),
        (T::MtrPresentNames, 30),
        (T::MtrLeaveNames, 20),
        (T::MtrAbsentNames, 20),
        (T::MtpAgenda, 30),
        (T::MtpMinutes, 48),
        (T::MtrApprover, 10),
        (T::MtpLate, 24),
        (T::MtpFiles, 30),
    ];
    let mut book = Workbook::new();
    let title_format = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold().set_text_wrap();
    let cell = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t(T::MtrLedger))?;
    let title = lang.t(T::MtrLedgerTitle(&ledger.org_name, ledger.year));
    let title = if ledger.committee.is_empty() {
        title
    } else {
        format!("{} {title}", ledger.committee)
    };
    let last = (headers.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last, &cell_text(&title), &title_format)?;
    for (col, (header, width)) in (0u16..).zip(headers) {
        sheet.write_string_with_format(1, col, lang.t(header), &bold)?;
        sheet.set_column_width(col, width)?;
    }
    let none = lang.t(T::NoneText);
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            none.to_string()
        } else {
            s.to_string()
        }
    };
    let names = |items: &[String]| {
        if items.is_empty() {
            none.to_string()
        } else {
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            lang.list(&items)
        }
    };
    for (row, (i, e)) in (2u32..).zip(ledger.entries.iter().enumerate()) {
        let m = &e.meeting;
        let leave: Vec<String> = e
            .leave
            .iter()
            .map(|(name, reason)| {
                if reason.trim().is_empty() {
                    name.clone()
                } else {
                    lang.t(T::MtrLeaveItem(name, reason))
                }
            })
            .collect();
        let mut minutes = or_none(&e.minutes);
        if e.minutes_state != MinutesState::Approved {
            minutes.push('\n');
            minutes.push_str(&lang.t(T::MtrMinutesState(lang.t(e.minutes_state.label()))));
        }
        let late = if m.late {
            lang.t(T::MtrLateNote(&e.created_by, e.created_on))
        } else {
            String::new()
        };
        let cells = [
            (i + 1).to_string(),
            format!("{} {}", m.day, m.time),
            lang.t(m.kind.label()).to_string(),
            m.topic.clone(),
            or_none(&m.room),
            or_none(&e.host),
            or_none(&e.recorder),
            e.lecturer.clone(),
            lang.t(T::MtrCounts(
                e.expected,
                e.present.len(),
                e.leave.len(),
                e.absent.len(),
            )),
            names(&e.present),
            names(&leave),
            names(&e.absent),
            or_none(&e.agenda),
            minutes,
            or_none(&e.approved_by),
            late,
            e.files
                .iter()
                .map(|f| f.label.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ];
        for (col, text) in (0u16..).zip(cells) {
            sheet.write_string_with_format(row, col, cell_text(&text), &cell)?;
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(1, 1)?;
    book.save_to_buffer()
}

/// A member's standing with a requirement in words: done, done late, not done, overdue.
fn standing_text(s: &Standing, lang: Lang) -> &'static str {
    lang.t(if s.is_done() && s.late {
        T::RqDoneLateWord
    } else if s.is_done() {
        T::RqDone
    } else if s.overdue {
        T::RqOverdue
    } else {
        T::RqOpen
    })
}

/// A requirement's completion as its page shows it to the caller (the members in their
/// reach only): a sheet by organisation with the total last, and one by member, those not
/// done first.
pub fn required_workbook(view: &RequirementView, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let overdue: u32 = view.branches.iter().map(|b| b.overdue).sum();
    let branches: Vec<Vec<String>> = view
        .branches
        .iter()
        .map(|b| {
            vec![
                b.name.clone(),
                b.total.to_string(),
                b.done.to_string(),
                b.overdue.to_string(),
            ]
        })
        .chain(std::iter::once(vec![
            lang.t(T::RqXlsTotal).to_string(),
            view.row.total.to_string(),
            view.row.done.to_string(),
            overdue.to_string(),
        ]))
        .collect();
    let members: Vec<Vec<String>> = view
        .members
        .iter()
        .map(|m| {
            vec![
                m.name.clone(),
                m.org_name.clone(),
                standing_text(&m.standing, lang).to_string(),
                m.standing.done.clone(),
            ]
        })
        .collect();
    sheets_workbook(
        &[
            Sheet {
                name: T::RqByBranch,
                headers: &[T::RqXlsOrg, T::RqXlsOwed, T::RqDone, T::RqXlsOverdue],
                rows: &branches,
            },
            Sheet {
                name: T::RqByMember,
                headers: &[T::RqXlsName, T::RqXlsOrg, T::RqStanding, T::RqXlsDoneOn],
                rows: &members,
            },
        ],
        lang,
    )
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
