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

// 请假 on the meeting's page.
texts! {
    MtpLeaveHint => "不能参加时，请在会议结束前提交请假申请，由支部审批。", "If you cannot attend, ask for leave before the meeting ends; the branch decides.";
    MtpLeaveSubmit => "提交请假申请", "Ask for leave";
    MtpLeaveMine(state: &str, reason: &str) => "您的请假申请：{state}（事由：{reason}）", "Your request for leave: {state} (reason: {reason})";
    MtpLeaveRow(state: &str, reason: &str) => "请假申请{state}：{reason}", "Leave {state}: {reason}";
    MtpApproveLeave => "批准请假", "Approve leave";
    MtpRefuseLeave => "不批准", "Refuse";
}

// The minutes' photos and attachments.
texts! {
    MtpFiles => "会议照片和附件", "Photos and attachments";
    MtpFilesHint => "上传会议现场照片、签到表或会议材料（最多 10 个），然后点击“保存附件”。会议记录审核后不能再更改。", "Upload photos of the meeting, the sign-in sheet or its materials (at most 10), then choose Save. Once the minutes are approved they no longer change.";
    MtpFilesNone => "暂无照片或附件。", "No photos or attachments.";
    MtpFilesSave => "保存附件", "Save the attachments";
    MtpFilesSaved => "附件已保存。", "Attachments saved.";
    MtpFilesUnsaved => "附件有更改尚未保存。", "The attachments have changes not yet saved.";
}

// Changing a meeting's people.
texts! {
    MtpPeople => "调整主持人、记录人和应到人员", "Change the host, the recorder and the attendees";
    MtpPeopleAttendees => "应到人员", "Attendees";
    MtpPeopleCount(n: usize) => "已选 {n} 人。取消勾选的人员，其签到和请假记录一并移除。", "{n} chosen. Anyone unticked loses their sign-in and request for leave.";
    MtpPeopleSave => "保存人员", "Save the people";
}
