//! Organisational life: meeting kinds, how often the rules ask for them, where a rule
//! stands, and the 民主评议 grades.

texts! {
    MtGeneralMeeting => "支部党员大会", "Branch general meeting";
    MtCommittee => "支部委员会", "Branch committee meeting";
    MtGroup => "党小组会", "Party group meeting";
    MtLesson => "党课", "Party lesson";
    MtThemeDay => "主题党日", "Themed Party day";
    MtLifeMeeting => "组织生活会", "Organisational-life meeting";
    MtOther => "其他会议", "Other meeting";
    FreqMonthly => "每月", "Monthly";
    FreqQuarterly => "每季度", "Quarterly";
    FreqYearly => "每年", "Yearly";
    CmpDone => "已完成", "Done";
    CmpOpen => "进行中", "Open";
    CmpDueSoon => "即将到期", "Due soon";
    CmpOverdue => "已逾期", "Overdue";
    CmpFuture => "未开始", "Not started";
    GradeExcellent => "优秀", "Excellent";
    GradeQualified => "合格", "Qualified";
    GradeBasicallyQualified => "基本合格", "Basically qualified";
    GradeUnqualified => "不合格", "Unqualified";
}

texts! {
    MtErrOrg => "请选择支部或党小组。", "Choose a branch or a Party group.";
    MtErrKind => "请选择会议类型。", "Choose the kind of meeting.";
    MtErrKindForOrg => "党小组只召开党小组会、党课、主题党日或其他会议。", "A Party group holds group meetings, Party lessons, themed days or other meetings.";
    MtErrDay => "请填写会议日期（年-月-日）。", "Enter the meeting's date (YYYY-MM-DD).";
    MtErrTime => "时间格式为 时:分，例如 14:30。", "Enter the time as HH:MM, for example 14:30.";
    MtErrTopic => "请填写会议主题（100 字以内）。", "Enter the meeting's topic (at most 100 characters).";
}

texts! {
    MtPresent => "出席", "Present";
    MtLeave => "请假", "On leave";
    MtAbsent => "缺席", "Absent";
    MtViaTablet => "平板签到", "Tablet";
    MtViaPhone => "手机签到", "Phone";
    MtViaRecorder => "记录人登记", "Marked by the recorder";
    MtMinutesEmpty => "未填写", "Not written";
    MtMinutesDraft => "草稿", "Draft";
    MtMinutesSubmitted => "待审核", "Awaiting approval";
    MtMinutesApproved => "已审核", "Approved";
    MtErrMember => "只能登记本次会议的应到人员。", "Only the meeting's planned attendees can be marked.";
    MtErrStatus => "请选择出席、请假或缺席。", "Choose present, on leave or absent.";
    MtErrReason => "请假需填写事由（200 字以内）。", "A leave needs its reason (at most 200 characters).";
    MtErrHost => "主持人和记录人须是本组织的党员。", "The host and the recorder must be members of the organisation.";
    MtErrMinutes => "会议记录不能为空，且不超过 20000 字。", "Minutes must not be empty and at most 20,000 characters.";
    MtErrApproved => "会议记录已审核，不能再修改。", "The minutes are approved and can no longer change.";
    MtErrNotSubmitted => "会议记录尚未提交审核。", "The minutes have not been submitted for approval.";
    MtErrSignInDay => "只能在会议当天签到。", "Sign-in is open on the meeting's day only.";
    MtErrNotAttendee => "您不在本次会议的应到人员中。", "You are not among this meeting's attendees.";
    MtErrClientId => "签到编号无效，请刷新页面后重试。", "The sign-in id is invalid; reload the page and try again.";
}

// 请假: the states of a request and what the server answers.
texts! {
    MtLeavePending => "待审批", "Awaiting a decision";
    MtLeaveApproved => "已批准", "Approved";
    MtLeaveRefused => "未批准", "Refused";
    MtErrLeaveClosed => "会议已结束、您已签到或请假申请已处理，不能再请假。", "Leave can no longer be asked: the meeting is over, you are signed in, or your request was decided.";
    MtErrNoRequest => "该党员没有待审批的请假申请。", "This member has no request for leave awaiting a decision.";
    MtInboxLeave(name: &str, meeting: &str) => "{name} 请假：{meeting}", "{name} asks for leave: {meeting}";
}

// The office's compliance settings: what the server answers.
texts! {
    MtErrWarnDays => "提醒天数须为 1 至 31 之间的整数。", "Warning days must be a whole number from 1 to 31.";
    MtErrTimes => "每个周期的次数须为 1 至 4 次。", "Each period asks for 1 to 4 meetings.";
    MtErrRules => "规则列表不完整，请刷新页面后重试。", "The list of rules is incomplete; reload the page and try again.";
}

// A meeting's people changed after scheduling.
texts! {
    MtErrAttendees => "请至少选择一名应到人员，且只能选择本组织的党员。", "Choose at least one attendee, from the organisation's members only.";
}
