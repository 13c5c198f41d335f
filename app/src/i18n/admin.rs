//! `admin`: account management under separation of duties (`/admin/accounts`), roles.

texts! {
    AccountsTitle => "账号管理", "Accounts";
    AccountsIntro => "三员分立：系统管理员管理党务账号；管理员账号与管理员角色仅由安全管理员授予；任何人不能修改自己的账号。", "Separation of duties: the system administrator manages Party accounts; administrative accounts and roles are granted only by the security administrator; nobody changes their own account here.";
    AccountsSearch => "搜索账号或姓名", "Search account or name";
    AccountsEmpty => "没有符合条件的账号。", "No accounts match.";
    AccountUsername => "账号", "Account name";
    AccountDisplayName => "姓名", "Name";
    AccountRoles => "角色", "Roles";
    AccountOrgs => "任职组织", "Serves on";
    AccountStatus => "状态", "Status";
    AccountActions => "操作", "Actions";
    StatusActive => "正常", "Active";
    StatusDisabled => "已停用", "Disabled";
    StatusLocked => "已锁定", "Locked";
    StatusMustChange => "待改密", "Must change password";
    StatusDemo => "演示", "Demo";
    AccountCreate => "新建账号", "New account";
    AccountCreateSubmit => "创建账号", "Create account";
    AccountSaveRoles => "保存角色", "Save roles";
    AccountEditRoles => "修改角色", "Edit roles";
    AccountDisable => "停用", "Disable";
    AccountEnable => "启用", "Enable";
    AccountReset => "重置密码", "Reset password";
    ConfirmDisable => "确认停用该账号？其所有登录将立即注销。", "Disable this account? All its sessions end at once.";
    ConfirmEnable => "确认启用该账号？", "Enable this account?";
    ConfirmReset => "确认重置该账号密码？其所有登录将立即注销。", "Reset this account's password? All its sessions end at once.";
    IssuedPasswordNote => "一次性密码（仅显示一次，请当面或通过安全渠道告知本人；首次登录须修改）：", "One-time password (shown once; hand it over in person or by a secure channel; it must be changed at first sign-in):";
    AccountTaken => "该账号已存在。", "That account name is already taken.";
    AccountNameRule => "账号为 2–64 位字母、数字或 . _ -。", "Account names are 2–64 letters, digits or . _ -.";
    AccountDisplayNameRule => "请输入姓名（不超过 50 字）。", "Enter a name (at most 50 characters).";
    AccountSeparation => "三员分立：一个账号最多担任系统管理员、安全管理员、安全审计员中的一个角色。", "Separation of duties: one account may hold at most one of system administrator, security administrator, security auditor.";
    AccountBranchNeedsOrg => "支部委员角色需要至少选择一个任职组织。", "The branch committee role needs at least one organisation.";
    AccountUnknownOrg => "所选组织不存在或不能任职。", "A chosen organisation does not exist or cannot be served on.";
    RoleMember => "党员", "Member";
    RoleBranchCommittee => "支部书记/委员", "Branch committee";
    RoleCommitteeOffice => "党委/组织部", "Committee office";
    RoleSystemAdmin => "系统管理员", "System administrator";
    RoleSecurityAdmin => "安全管理员", "Security administrator";
    RoleSecurityAuditor => "安全审计员", "Security auditor";
}
