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
