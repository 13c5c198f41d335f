//! `meetings` pages: the meeting list with its compliance strip, the form that schedules a
//! meeting, and one meeting's page (attendance, sign-in, minutes).

use chrono::NaiveDate;

texts! {
    MtpNew => "安排会议", "Schedule a meeting";
    MtpBack => "返回会议列表", "Back to meetings";
    MtpOrg => "组织", "Organisation";
    MtpYear => "年度", "Year";
    MtpYearOption(year: i32) => "{year} 年", "{year}";
    MtpCompliance => "制度落实情况", "Where the rules stand";
    MtpThisMonth(held: u32, times: u32) => "本月 {held}/{times}", "This month: {held}/{times}";
    MtpThisQuarter(held: u32, times: u32) => "本季度 {held}/{times}", "This quarter: {held}/{times}";
    MtpThisYear(held: u32, times: u32) => "本年度 {held}/{times}", "This year: {held}/{times}";
    MtpDate => "会议日期", "Date";
    MtpTime => "开始时间", "Start time";
    MtpWhen => "时间", "When";
    MtpKind => "会议类型", "Kind";
    MtpTopic => "会议主题", "Topic";
    MtpRoom => "地点", "Room";
    MtpPlace => "会议室", "Meeting room";
    MtpScreen => "投屏显示", "Projector view";
    MtpPlaceOther => "其他地点（在右侧填写）", "Elsewhere (type it beside)";
    MtpRoomTyped => "其他地点", "Other place";
    MtpLate => "补录", "Recorded late";
    MtpLateBy(who: &str, day: NaiveDate) => "由 {who} 于 {day} 补录", "Recorded late by {who} on {day}";
    MtpEmpty => "该年度暂无会议。", "No meetings in this year.";
    MtpNoOrgs => "您的管理范围内没有可以安排会议的组织。", "No organisation in your reach can hold a meeting.";
    MtpLecturer => "授课人", "Lecturer";
    MtpLecturerField => "授课人（仅党课填写）", "Lecturer (Party lessons only)";
    MtpAgenda => "会议议程", "Agenda";
    MtpRolesHint => "主持人默认为支部书记，记录人默认为组织委员，可在会议页查看。", "The host defaults to the branch secretary and the recorder to the organisation committee member; both are shown on the meeting's page.";
    MtpHost => "主持人", "Host";
    MtpRecorder => "记录人", "Recorder";
    MtpAttendance => "出席情况", "Attendance";
    MtpTally(total: u32, present: u32, leave: u32, absent: u32, unmarked: u32) => "应到 {total} · 出席 {present} · 请假 {leave} · 缺席 {absent} · 未登记 {unmarked}", "Expected {total} · present {present} · on leave {leave} · absent {absent} · not marked {unmarked}";
    MtpStatus => "出席状态", "Status";
    MtpVia => "登记方式", "Recorded by";
    MtpMark => "登记", "Mark";
    MtpUnmarked => "未登记", "Not marked";
    MtpNoAttendees => "本次会议没有应到人员。", "This meeting has no planned attendees.";
    MtpConfirmLeave(name: &str) => "登记 {name} 请假？请填写事由。", "Mark {name} on leave? Give the reason.";
    MtpMarkLeave => "登记请假", "Mark on leave";
    MtpSignIn => "签到", "Sign in";
    MtpSignedIn => "已签到。", "Signed in.";
    MtpMinutes => "会议记录", "Minutes";
    MtpSaveDraft => "保存草稿", "Save draft";
    MtpSubmitMinutes => "提交审核", "Submit for approval";
    MtpApprove => "审核通过", "Approve";
    MtpApprovedBy(who: &str) => "审核人：{who}", "Approved by {who}";
}
