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

// The compliance settings under the grid.
texts! {
    MrTitle => "组织生活制度要求", "Meeting rules";
    MrIntro => "设置各类会议的频次和每期次数，以及到期前几天开始提醒（黄色）。保存后，合规看板、各支部的落实情况和书记的待办立即按新规则计算。", "Set how often each kind of meeting is due, how many per period, and how many days before a period ends a missing meeting turns yellow. Once saved, the grid, every branch's standing and the secretaries' 待办 follow the new rules at once.";
    MrFrequency => "频次", "How often";
    MrTimes => "每期次数", "Per period";
    MrTimesN(n: u32) => "{n} 次", "{n} times";
    MrOff => "不作要求", "Not required";
    MrEvery(freq: &str, times: u32) => "{freq} {times} 次", "{freq}, {times} times";
    MrWarnDays => "到期前提醒天数", "Warning days before a period ends";
    MrWarnText(days: u32) => "到期前 {days} 天起未开展的显示为黄色，逾期显示为红色。", "A meeting not held turns yellow {days} days before its period ends, red once it has ended.";
    MrSave => "保存设置", "Save the rules";
    MrSaved => "已保存，合规看板和待办已按新规则计算。", "Saved: the grid and the 待办 follow the new rules.";
    MrDefaults => "当前为平台默认规则（依据党内法规的常规要求）。", "These are the platform's default rules.";
    MrUpdatedBy(who: &str) => "由 {who} 设置。", "Set by {who}.";
}
