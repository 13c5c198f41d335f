//! Points (积分, issue 15): the ledger, the rules, members' totals.

texts! {
    PtTitle => "我的积分", "My points";
    PtHint => "积分只是学习的反馈：记录学到了什么，不排名、不计时长。", "Points are feedback on what you learned: nobody is ranked and no time is counted.";
    PtRuleItemDone => "学完一项学习内容", "Finished a learning item";
    PtRuleQuizPassed => "通过一次测验", "Passed a quiz";
    PtRuleMeetingAttended => "参加一次组织生活（会议记录审定后计入）", "Attended a meeting (counted once its minutes are approved)";
    PtRuleTaskAccepted => "本人任务通过审核", "A task of one's own accepted";
    PtTotal(n: u32) => "累计 {n} 分", "{n} points in all";
    PtYear(n: u32) => "今年 {n} 分", "{n} this year";
    PtLedger => "积分明细", "Ledger";
    PtEmpty => "还没有积分。学完课程内容或通过测验即可获得。", "No points yet. Finish learning items or pass quizzes to earn some.";
    PtNoMember => "本账号没有关联党员档案，不累计积分。", "This account has no member record and earns no points.";
    PtDay => "日期", "Day";
    PtRule => "规则", "Rule";
    PtFor => "内容", "For";
    PtAmount => "积分", "Points";
    PtPlus(n: u32) => "+{n}", "+{n}";
    PtRules => "积分规则", "Rules";
    PtRuleLine(a: u32, c: u32) => "每次 {a} 分，每日最多 {c} 分", "{a} each, at most {c} a day";
    PtOnce => "同一内容只计一次。", "The same thing earns once.";
    PtBranch => "党员积分（按姓名）", "Members' points (by name)";
    PtBranchHint => "按姓名排列，不作排名。", "In order of name, not a ranking.";
    PtMember => "党员", "Member";
    PtSettings => "积分设置", "Point settings";
    PtAmountLabel => "每次积分", "Points each";
    PtCapLabel => "每日上限", "Daily cap";
    PtBranchTotals => "允许支部查看本支部党员的积分合计", "Let branches see their members' totals";
    PtSave => "保存设置", "Save settings";
    PtSaved => "已保存。", "Saved.";
    PtErrSettings => "每次积分为 0–100，每日上限为 0–1000。", "Points each are 0 to 100, daily caps 0 to 1000.";
    PtLink => "我的积分", "My points";
}
