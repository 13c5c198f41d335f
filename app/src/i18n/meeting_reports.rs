//! `meetings` reports: the compliance grid (`/meetings/grid`) and the printable 台账
//! (`/meetings/ledger`).

use chrono::NaiveDate;

texts! {
    MtrGrid => "合规看板", "Compliance grid";
    MtrLedger => "会议台账", "Meeting ledger";
    MtrGridTitle => "组织生活合规看板", "Organisational-life compliance";
    MtrGridCaption(year: i32) => "{year} 年度各组织每月组织生活落实情况", "Organisational life by organisation and month, {year}";
    MtrGridSummary(year: i32, red: usize, total: usize) => "{year} 年度共 {total} 个组织，其中 {red} 个有已逾期（红色）的月份。", "In {year}, {red} of {total} organisations have an overdue (red) month.";
    MtrGridEmpty => "您的管理范围内没有需要按制度开展组织生活的组织。", "No organisation in your reach is held to the meeting rules.";
    MtrLegend => "图例", "Legend";
    MtrNotDue => "未到期", "Not yet due";
    MtrCell(month: &str, standing: &str, done: u32, due: u32) => "{month}：{standing}，完成 {done}/{due}", "{month}: {standing}, {done} of {due} done";
    MtrCellMissing(month: &str, standing: &str, kinds: &str, done: u32, due: u32) => "{month}：{standing}（缺：{kinds}），完成 {done}/{due}", "{month}: {standing} (missing: {kinds}), {done} of {due} done";
    MtrM1 => "1月", "Jan";
    MtrM2 => "2月", "Feb";
    MtrM3 => "3月", "Mar";
    MtrM4 => "4月", "Apr";
    MtrM5 => "5月", "May";
    MtrM6 => "6月", "Jun";
    MtrM7 => "7月", "Jul";
    MtrM8 => "8月", "Aug";
    MtrM9 => "9月", "Sep";
    MtrM10 => "10月", "Oct";
    MtrM11 => "11月", "Nov";
    MtrM12 => "12月", "Dec";
    MtrLedgerPick => "选择组织和年度，查看并打印该组织的组织生活台账。", "Choose an organisation and a year to view and print its ledger of organisational life.";
    MtrLedgerShow => "查看台账", "Show the ledger";
    MtrLedgerTitle(org: &str, year: i32) => "{org} {year} 年度组织生活台账", "{org}: organisational-life ledger {year}";
    MtrLedgerEmpty => "该年度暂无会议记录。", "No meetings recorded in this year.";
    MtrDateTime => "日期/时间", "Date and time";
    MtrCounts(expected: u32, present: usize, leave: usize, absent: usize) => "应到 {expected} 人，实到 {present} 人，请假 {leave} 人，缺席 {absent} 人", "Expected {expected}, present {present}, on leave {leave}, absent {absent}";
    MtrPresentNames => "出席人员", "Present";
    MtrLeaveNames => "请假人员", "On leave";
    MtrAbsentNames => "缺席人员", "Absent";
    MtrLeaveItem(name: &str, reason: &str) => "{name}（{reason}）", "{name} ({reason})";
    MtrMinutesState(state: &str) => "会议记录状态：{state}", "Minutes: {state}";
    MtrApprover => "审核人", "Approved by";
    MtrLateNote(who: &str, day: NaiveDate) => "补录：由 {who} 于 {day} 录入", "Recorded late: entered by {who} on {day}";
}
