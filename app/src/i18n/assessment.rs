//! `assessment`: periods, indicators, tasks, reviews and rectification (the closed loop).

texts! {
    AsDimEffectiveness => "组织效能", "Organisational effectiveness";
    AsDimSynergy => "业务协同", "Business synergy";
    AsDimSatisfaction => "群众满意度", "Satisfaction";
    AsPeriodOpen => "考核中", "Open";
    AsPeriodClosed => "已结束", "Closed";
    AsTreeEmpty => "至少需要一个一级指标。", "Add at least one first-level indicator.";
    AsNameMissing(position: &str) => "第 {position} 项指标缺少名称。", "Indicator {position} has no name.";
    AsNameTooLong(name: &str, max: usize) => "指标名称“{name}…”超过 {max} 个字。", "The indicator name “{name}…” is longer than {max} characters.";
    AsNameTwice(name: &str) => "同一级下已有名为“{name}”的指标。", "Two indicators at the same level are called “{name}”.";
    AsWeightRange(name: &str) => "“{name}”的权重须为 1–100。", "The weight of “{name}” must be 1–100.";
    AsWeightSum(sum: u32) => "一级指标权重合计为 {sum}，应为 100。", "The first-level weights add up to {sum}; they must add up to 100.";
    AsNoItems(name: &str) => "“{name}”下至少需要一个二级指标。", "“{name}” needs at least one second-level indicator.";
    AsMaxRange(name: &str, max: u32) => "“{name}”的满分须为 1–{max} 分。", "“{name}” must be worth 1–{max} points.";
    AsGuidanceTooLong(name: &str, max: usize) => "“{name}”的评分说明超过 {max} 个字。", "The scoring guidance of “{name}” is longer than {max} characters.";
    AsStarsOrder => "星级分数线须从五星到二星依次降低，且不超过 100 分。", "Star thresholds must fall from five stars to two and not exceed 100 points.";
    AsTaskDraft => "草稿", "Draft";
    AsTaskPublished => "已发布", "Published";
    AsTaskWithdrawn => "已撤回", "Withdrawn";
    AsEdit => "修改", "Edit";
    AsPublish => "发布", "Publish";
    AsWithdraw => "撤回", "Withdraw";
    AsExtend => "延期", "Extend the deadline";
    AsPending => "待办理", "To do";
    AsAnswerDraft => "草稿", "Draft";
    AsSubmitted => "待评价", "Submitted";
    AsReturned => "已退回", "Returned";
    AsAccepted => "已通过", "Accepted";
    AsSaveDraft => "保存草稿", "Save draft";
    AsSubmit => "提交", "Submit";
    AsReturn => "退回", "Return";
    AsAccept => "通过", "Accept";
    AsRectOpen => "整改中", "Open";
    AsRectAnswered => "待复核", "Awaiting re-check";
    AsRectClosed => "已销号", "Closed";
    AsRectAnswer => "提交整改情况", "Answer";
    AsRectClose => "复核销号", "Close";
    AsRectReopen => "重新整改", "Reopen";
    AsIllegal(from: &str, action: &str) => "当前状态为“{from}”，不能“{action}”。", "This is “{from}”: “{action}” does not apply.";
}
