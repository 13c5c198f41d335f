//! 民主评议党员: the pages `/meetings/appraisals` and `/meetings/appraisals/<id>`. The grade
//! and step labels and the server's messages are in `appraisal_server.rs`.

texts! {
    // The list and the open form
    ApvTitle => "民主评议党员", "Democratic appraisal of members";
    ApvIntro => "每年在党支部组织生活会上开展：党员先提交党性分析，再相互评议，支部委员会根据得票情况确定每位党员的等次。", "Held every year at the branch's meeting on organisational life: members first write a self-assessment, then grade one another, and the branch committee decides each member's grade from the votes.";
    ApvListCaption => "民主评议列表", "Appraisals";
    ApvColBranch => "党支部", "Branch";
    ApvColYear => "年度", "Year";
    ApvColState => "环节", "Step";
    ApvColVoted => "投票进度", "Votes";
    ApvYearText(year: i32) => "{year} 年度", "{year}";
    ApvVotedOf(voted: u32, voters: u32) => "已投票 {voted} / {voters}", "{voted} / {voters} voted";
    ApvEmpty => "暂无民主评议。", "No appraisals yet.";
    ApvOpenHeading => "开启民主评议", "Open an appraisal";
    ApvOpenHint => "开启后，该支部的正式党员即为评议名单，可以开始提交党性分析。每个支部每年开展一次。", "Once it is open, the branch's full members are its list and may submit their self-assessments. One per branch and year.";
    ApvPercent => "优秀比例（%，选填）", "Share of excellent (%, optional)";
    ApvPercentHint(percent: u32) => "不填则为 {percent}%（约三分之一），可填 1 至 50。", "Empty: {percent} % (about a third); 1 to 50.";
    ApvOpen => "开启民主评议", "Open the appraisal";
    ApvNoBranches => "您的管理范围内没有党支部。", "There is no branch in your reach.";

    // One appraisal: its facts and the secret ballot
    ApvHeading(org: &str, year: i32) => "{org} {year} 年度民主评议党员", "{org}: appraisal of members, {year}";
    ApvBack => "返回民主评议列表", "Back to appraisals";
    ApvFacts => "基本情况", "Facts";
    ApvColSelf => "党性分析", "Self-assessment";
    ApvColShare => "优秀名额", "Excellent allowed";
    ApvSelfCount(n: usize, total: usize) => "已提交 {n} / {total} 人", "{n} of {total} submitted";
    ApvShare(percent: u32, max: u32) => "比例 {percent}%，最多 {max} 人", "{percent} %: at most {max} members";
    ApvAnonHeading => "关于匿名投票", "How the ballot stays secret";
    ApvAnonText => "系统不保存任何选票。投票时只记录“您已投票”，同时把您的选择分别计入每位党员各等次的票数，两者之间没有任何关联，因此任何人（包括支部委员和系统管理员）都无法查看谁投了什么票。投票结束后，支部委员会只能看到每位党员各等次的得票总数。", "No ballot is stored. Casting one records only that you have voted, and adds your choices to each member's total per grade; nothing links the two, so nobody (the branch committee and the system administrators included) can see who voted how. Once the vote is closed, the branch committee sees only each member's totals per grade.";
    ApvVoteLater => "投票尚未开始，将在组织生活会上开启。请先提交您的党性分析。", "The vote has not opened yet; it opens at the meeting. Please submit your self-assessment first.";
    ApvAwaitDecision => "投票已结束，等待支部确定等次。", "The vote is closed; the branch will decide the grades.";
    ApvMyGrade(grade: &str) => "您的评议等次：{grade}", "Your grade: {grade}";

    // The member's 党性分析
    ApvSelfHeading => "我的党性分析", "My self-assessment";
    ApvSelfHint(min: usize, max: usize) => "对照党员标准，从理想信念、政治纪律、作用发挥等方面查找不足，明确努力方向。{min} 至 {max} 字，投票结束前可以修改。", "Measure yourself against the standards for members (convictions, political discipline, the part you play), name what falls short and how you will improve. {min} to {max} characters; you may revise it until the vote closes.";
    ApvSelfLabel => "党性分析", "Self-assessment";
    ApvChars(n: usize, max: usize) => "已输入 {n} / {max} 字", "{n} / {max} characters";
    ApvCharsShort(n: usize, max: usize, need: usize) => "已输入 {n} / {max} 字，还需 {need} 字", "{n} / {max} characters: {need} more needed";
    ApvSelfSubmitted => "已提交", "Submitted";
    ApvSelfMissing => "未提交", "Not submitted";
    ApvSubmitSelf => "提交", "Submit";
    ApvSelfSaved => "党性分析已提交。", "Your self-assessment is in.";

    // The ballot
    ApvBallotHeading => "民主评议票", "Ballot";
    ApvBallotHint => "请为名单上除您以外的每一位党员选择一个等次：优秀、合格、基本合格或不合格。", "Choose a grade for every member on the list but yourself: excellent, qualified, basically qualified or unqualified.";
    ApvAllQualified => "全部设为合格", "Set everyone to qualified";
    ApvGraded(done: usize, total: usize) => "已评 {done} / {total} 人", "{done} of {total} graded";
    ApvExcellentChosen(n: usize) => "其中“优秀” {n} 人", "excellent: {n}";
    ApvNotChosen => "（未选择）", "(not graded)";
    ApvMissing(names: &str) => "以下党员尚未选择等次：{names}", "Not graded yet: {names}";
    ApvCastBallot => "提交投票", "Cast my ballot";
    ApvConfirmBallot => "投票后不能修改，选票不记录投票人，任何人都无法查看您的选择。确认提交？", "A ballot cannot be changed once cast. It does not record who cast it, and nobody can see your choices. Cast it?";
    ApvConfirmCast => "确认提交", "Cast it";
    ApvVoted => "您已投票。选票不记录投票人。", "You have voted. Ballots do not record who cast them.";

    // The committee
    ApvManageHeading => "组织评议", "Running the appraisal";
    ApvStartVoting => "开始投票", "Open the vote";
    ApvStartHint => "在组织生活会上、党员提交党性分析后开始投票。", "Open the vote at the meeting, once the members have submitted their self-assessments.";
    ApvConfirmStart => "开始投票后，名单上的党员即可投票。确认开始投票？", "Once the vote is open, the members on the list can vote. Open it?";
    ApvCloseVoting => "结束投票并统计", "Close the vote and count";
    ApvCloseHint => "全部党员投票后结束投票，即可看到每位党员各等次的得票数。", "Close the vote once everyone has voted to see each member's totals.";
    ApvConfirmClose(voted: u32, voters: u32) => "已投票 {voted} / {voters} 人。结束后不能再投票，未投票的视为弃权。确认结束投票并统计？", "{voted} of {voters} have voted. Once closed, nobody can vote; those who have not voted abstain. Close the vote and count?";
    ApvSelvesHeading => "党性分析提交情况", "Self-assessments";
    ApvReadSelf(name: &str) => "查看{name}的党性分析", "Read {name}'s self-assessment";
    ApvTotalsHeading => "投票结果与确定等次", "Totals and decision";
    ApvDecideHint => "每位党员默认选中得票最多的等次（票数相同时优先“合格”），支部委员会可以调整。", "Each member starts at the grade with the most votes (on a tie, qualified); the committee may change it.";
    ApvTotalsCaption => "各党员得票数（只有总数，不含投票人）", "Votes per member and grade (totals only, no voters)";
    ApvColMember => "党员", "Member";
    ApvColDecision => "确定等次", "Grade decided";
    ApvColGrade => "评议等次", "Grade";
    ApvGradeOf(name: &str) => "{name}的评议等次", "{name}'s grade";
    ApvExcellentCounter(n: usize, max: u32) => "优秀 {n} / 最多 {max}", "Excellent {n} / at most {max}";
    ApvDecide => "确定等次", "Decide the grades";
    ApvConfirmDecide(unqualified: usize) => "等次确定后记入每位党员的档案，不能修改。本次“不合格” {unqualified} 人，将为每人生成一项整改事项。确认确定等次？", "Once decided, each grade goes on the member's record and cannot be changed. {unqualified} unqualified: each opens a rectification item. Decide the grades?";
    ApvResultsHeading => "评议结果", "Results";
    ApvResultsCaption => "支部确定的评议等次", "Grades decided by the branch";
}
