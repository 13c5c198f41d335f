//! `pipeline`: the development pipeline (`/development`): stages, steps, their time rules.

use chrono::NaiveDate;

texts! {
    StageApplicant => "入党申请人", "Applicant";
    StageActivist => "入党积极分子", "Activist";
    StageCandidate => "发展对象", "Candidate for development";
    StageAdmission => "预备党员接收", "Admission";
    StageProbation => "预备期考察与转正", "Probation";
    StepNotNext(n: u8) => "请按顺序办理：下一步是第 {n} 步。", "Steps go in order: the next is step {n}.";
    StepBeforePrevious(d: NaiveDate) => "日期不能早于上一步（{d}）。", "The date cannot be before the previous step ({d}).";
    StepActivistYear(d: NaiveDate) => "确定为入党积极分子满一年后才能列为发展对象（最早 {d}）。", "A year as activist is required before selection for development (earliest {d}).";
    StepProbationYear(d: NaiveDate) => "预备期满一年后才能讨论转正（最早 {d}）。", "Full membership is discussed after a year of probation (earliest {d}).";
    StepTwoPeople => "须填写两名人员（培养联系人或入党介绍人），用顿号分隔。", "Name two people (mentors or sponsors), separated by commas.";
    StepApprover => "请填写审批或决定的组织。", "Name the approving body.";
    StepFinished => "发展流程已全部完成。", "The pipeline is complete.";
    PipelineTitle => "发展党员", "Party development";
    PipelineNew => "登记入党申请", "Register an application";
    PipelineEmpty => "当前没有发展对象。", "Nobody is in the pipeline.";
    PipelineNext => "下一步", "Next step";
    PipelineDue(d: NaiveDate) => "应于 {d} 前办理", "Due by {d}";
    PipelineEarliest(d: NaiveDate) => "最早 {d} 可办理", "Not before {d}";
    PipelineOverdue => "已逾期", "Overdue";
    PipelineOverdueOnly => "只看逾期", "Overdue only";
    PipelineRecord => "办理下一步", "Record the next step";
    PipelineSteps => "发展记录", "Steps";
    PipelineResponsible => "相关人员（培养联系人/入党介绍人）", "People (mentors / sponsors)";
    PipelineApprover => "审批/决定组织", "Approving body";
    PipelineMaterials => "材料与备注", "Materials and notes";
    PipelineDate => "办理日期", "Date";
    PipelineBranches => "各支部发展情况", "Branches";
    PipelineDone => "已完成", "Completed";
    PipelineInProgress => "培养中", "In progress";
    PipelineWithdrawn => "已退出", "Withdrawn";
    PipelineStep(n: u8) => "第 {n} 步", "Step {n}";
    PipelineMember => "查看党员档案", "View member record";
    PipelineKnown => "该身份证号已在发展流程中或已是党员。", "This ID number is already in the pipeline or on the roster.";
}
