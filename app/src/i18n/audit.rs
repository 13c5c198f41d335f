//! `audit`: the audit trail (`/audit`), its actions and outcomes.

texts! {
    AuditTitle => "安全审计", "Audit trail";
    AuditIntro => "审计记录只增不改、逐条哈希链接，保存期不少于 184 天。", "Audit entries are append-only and hash-chained, and kept at least 184 days.";
    AuditFrom => "开始日期", "From";
    AuditTo => "结束日期", "To";
    AuditAllActions => "全部操作", "All actions";
    AuditSeq => "序号", "No.";
    AuditAt => "时间", "Time";
    AuditActor => "账号", "Account";
    AuditRoles => "角色", "Roles";
    AuditAddress => "来源地址", "Address";
    AuditAction => "操作", "Action";
    AuditEntity => "对象类型", "Entity";
    AuditEntityId => "对象编号", "Entity ID";
    AuditOutcome => "结果", "Outcome";
    AuditSummary => "摘要", "Summary";
    AuditEmpty => "没有符合条件的审计记录。", "No audit entries match.";
    AuditVerify => "校验完整性", "Verify integrity";
    AuditIntact(n: u64) => "审计链完整：已校验 {n} 条记录。", "The chain is intact: {n} entries checked.";
    AuditBroken(n: i64) => "审计链在第 {n} 条记录处断裂（记录被修改或删除）。", "The chain is broken at entry {n}: an entry was changed or removed.";
    AuditExport => "导出 Excel", "Export to Excel";
    ActLogin => "登录", "Sign-in";
    ActLogout => "退出登录", "Sign-out";
    ActLockout => "账号锁定", "Lockout";
    ActDenied => "拒绝访问", "Permission denied";
    ActPasswordChange => "修改密码", "Password change";
    ActCreate => "新建", "Create";
    ActUpdate => "修改", "Update";
    ActDelete => "删除", "Delete";
    ActViewFull => "查看完整信息", "Full view";
    ActExport => "导出", "Export";
    ActVerify => "完整性校验", "Chain verification";
    ActPrune => "到期清理", "Retention";
    OutSuccess => "成功", "Success";
    OutFailure => "失败", "Failure";
    OutDenied => "拒绝", "Denied";
}
