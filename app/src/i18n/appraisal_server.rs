//! 民主评议: the grades and states (shared by the pages) and what the server answers.

texts! {
    ApGradeExcellent => "优秀", "Excellent";
    ApGradeQualified => "合格", "Qualified";
    ApGradeBasic => "基本合格", "Basically qualified";
    ApGradeUnqualified => "不合格", "Unqualified";
    ApStateCollecting => "提交党性分析", "Self-assessments";
    ApStateVoting => "投票中", "Voting";
    ApStateClosed => "投票结束，待支部确定等次", "Vote closed; grades to decide";
    ApStateDecided => "已确定等次", "Grades decided";
    ApsErrOrg => "请选择党支部。民主评议在党支部开展。", "Choose a branch: appraisals are held in branches.";
    ApsErrYear => "年度须在 2000 年至明年之间。", "The year must be between 2000 and next year.";
    ApsErrPercent => "优秀比例须在 1% 至 50% 之间。", "The share of excellent must be between 1 % and 50 %.";
    ApsErrExists => "该支部本年度的民主评议已经开启。", "This branch's appraisal for the year is open already.";
    ApsErrNoMembers => "该支部没有可参加评议的正式党员。", "The branch has no members to appraise.";
    ApsErrNotOnList => "您不在本次民主评议的党员名单中。", "You are not on this appraisal's list.";
    ApsErrSelfText(min: usize, max: usize) => "党性分析须为 {min} 至 {max} 字。", "A self-assessment is {min} to {max} characters.";
    ApsErrState => "民主评议当前不在这一环节，请刷新页面。", "The appraisal is not at that step; reload the page.";
    ApsErrVoted => "您已经投过票，每人只能投一次。", "You have voted already: one ballot each.";
    ApsErrStranger => "评议表中有不在名单上的党员，或同一人出现两次，或评议了自己。", "The ballot names someone not on the list, someone twice, or yourself.";
    ApsErrMissing => "请为名单上的每一位党员选择等次。", "Choose a grade for every member on the list.";
    ApsErrTooManyExcellent(max: usize) => "“优秀”等次最多 {max} 人（约三分之一）。", "At most {max} members may be excellent (about a third).";
    ApsRectProblem(year: i32, name: &str) => "{year} 年度民主评议：{name} 被确定为不合格党员", "{year} appraisal: {name} graded unqualified";
    ApsRectRequired => "支部对不合格党员进行组织处置并帮助整改，按规定程序办理。", "The branch handles the unqualified member and helps them improve, by the rules.";
    ApsInboxSelf => "民主评议：提交党性分析", "Appraisal: your self-assessment";
    ApsInboxVote => "民主评议：投票", "Appraisal: your ballot";
    ApsHistory(year: i32, grade: &str) => "{year} 年度民主评议：{grade}", "{year} appraisal: {grade}";
}
