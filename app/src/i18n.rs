//! zh-CN first, English second. Every user-facing string is a `T` key with both texts,
//! so a missing translation is a compile error rather than a blank on screen.
//!
//! The language is chosen per request from the `zhibu_lang` cookie on the server and
//! read back from `<html lang>` in the browser, so hydration always agrees with the HTML.

use leptos::prelude::*;

pub const LANG_COOKIE: &str = "zhibu_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a language code; anything unknown falls back to Chinese.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Finds the language in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        crate::cookie::cookie_value(header, LANG_COOKIE)
            .map(Lang::from_code)
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn t(self, key: T) -> &'static str {
        match self {
            Lang::Zh => key.zh(),
            Lang::En => key.en(),
        }
    }
}

/// The language of the current request (server) or page (browser).
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .map(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

/// The language in context; provided once by `App`.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

macro_rules! texts {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A user-facing text, available in every supported language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];
            pub fn zh(self) -> &'static str { match self { $(T::$key => $zh),* } }
            pub fn en(self) -> &'static str { match self { $(T::$key => $en),* } }
        }
    };
}

texts! {
    AppName => "支部", "Zhibu";
    AppTagline => "医院智慧党建信息平台", "Smart Party-building platform for hospitals";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "切换到英文", "Switch to Chinese";
    SkipToContent => "跳到主要内容", "Skip to main content";
    NotSignedIn => "未登录", "Not signed in";
    CurrentUser => "当前用户", "Current user";
    MainNav => "主导航", "Main navigation";
    NavWorkbench => "工作台", "Workbench";
    NavOrg => "组织架构", "Organisation";
    NavMembers => "党员管理", "Members";
    NavDevelopment => "发展党员", "Development";
    NavTasks => "任务考评", "Tasks & assessment";
    NavMeetings => "组织生活", "Organisational life";
    NavLearning => "学习教育", "Learning";
    NavAnalytics => "数据分析", "Analytics";
    NavTablet => "会议室平板", "Meeting-room tablet";
    NavPublic => "公开宣传页", "Public site";
    NotYetAvailable => "该功能暂未开放", "Not yet available";
    NotYetAvailableBody => "此模块正在建设中，上线后将在此处提供。", "This module is being built and will appear here when it is ready.";
    Loading => "正在加载…", "Loading…";
    OrgTitle => "组织架构", "Organisation tree";
    OrgTreeLabel => "组织树", "Organisation tree";
    OrgEmpty => "尚未建立任何组织。", "No organisations have been set up yet.";
    Expand => "展开", "Expand";
    Collapse => "收起", "Collapse";
    MembersCount => "名党员", "members";
    OrgDetail => "组织详情", "Organisation details";
    OrgSelectHint => "在左侧选择一个组织查看详情。", "Select an organisation on the left to see its details.";
    FieldName => "名称", "Name";
    FieldKind => "类型", "Type";
    FieldParent => "上级组织", "Parent";
    FieldDepartments => "所在科室", "Departments";
    FieldMemberCount => "党员人数", "Members";
    FieldFullMembers => "正式党员", "Full members";
    FieldProbationary => "预备党员", "Probationary members";
    FieldSubOrgs => "下级组织", "Sub-organisations";
    FieldCommittee => "支部委员会", "Branch committee";
    FieldCategory => "支部类别", "Category";
    CommitteeNone => "未设支部委员会（党员不足 7 人，仅设书记）", "No committee (fewer than 7 members: a secretary only)";
    CommitteeEmpty => "尚未登记委员。", "No committee members recorded.";
    NoneText => "无", "None";
    KindCommittee => "党委", "Party committee";
    KindGeneralBranch => "党总支", "General branch";
    KindBranch => "党支部", "Branch";
    KindGroup => "党小组", "Party group";
    CatClinical => "临床科室", "Clinical";
    CatMedtech => "医技科室", "Medical technology";
    CatAdmin => "行政后勤", "Administration";
    CatRetiree => "离退休", "Retirees";
    CatStudent => "研究生", "Postgraduates";
    PosSecretary => "书记", "Secretary";
    PosDeputySecretary => "副书记", "Deputy secretary";
    PosOrganization => "组织委员", "Organisation member";
    PosPropaganda => "宣传委员", "Propaganda member";
    PosDiscipline => "纪检委员", "Discipline member";
    PosGroupLeader => "党小组组长", "Group leader";
    PosMember => "党员", "Member";
    ErrNotFound => "未找到该记录。", "That record was not found.";
    ErrInvalidCredentials => "账号或密码错误。连续失败 5 次后账号将被锁定 15 分钟。", "Wrong account name or password. After 5 failures in a row the account is locked for 15 minutes.";
    LoginTitle => "登录", "Sign in";
    LoginUsername => "账号", "Account name";
    LoginPassword => "密码", "Password";
    LoginSubmit => "登录", "Sign in";
    LoginMissing => "请输入账号和密码。", "Enter your account name and password.";
    LoginIntro => "使用党建平台账号登录。", "Sign in with your Party-building platform account.";
    Logout => "退出登录", "Sign out";
    SignIn => "登录", "Sign in";
    ErrUnauthenticated => "请先登录。", "Please sign in first.";
    ErrForbidden => "您没有权限执行此操作。", "You do not have permission to do this.";
    ErrPasswordChangeRequired => "请先修改密码后再继续。", "Please change your password before continuing.";
    ErrTooManyAttempts => "该网络地址登录失败次数过多，请稍后再试。", "Too many failed sign-ins from this network address. Please try again later.";
    ErrInternal => "服务器出现问题，请稍后重试。", "Something went wrong on the server. Please try again later.";
    ErrRequestDecode => "请求格式不正确：缺少参数或参数无法识别。", "The request is malformed: an argument is missing or not understood.";
    ErrRequest => "请求无法处理，请检查后重试。", "The request could not be processed. Please check and try again.";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已被移除。", "The page you asked for does not exist or has been removed.";
    BackHome => "返回首页", "Back to the home page";
    ErrorTitle => "出错了", "Something went wrong";
    PublicWelcome => "欢迎访问", "Welcome to";
    PublicIntro => "坚持党委领导下的院长负责制，把支部建在科室上，以高质量党建引领医院高质量发展。", "Under the president-responsibility system led by the Party committee, branches are built on departments, and strong Party building leads the hospital's development.";
    PublicNews => "党建要闻", "News";
    PublicExemplars => "先锋模范", "Exemplary members";
    PublicLessons => "党课学习", "Party lessons";
    PublicStats => "组织概况", "At a glance";
    PublicBranches => "个党支部", "branches";
    PublicMembers => "名党员", "members";
    EnterPlatform => "进入管理平台", "Enter the platform";
    TabletTitle => "会议室", "Meeting room";
    TabletSignIn => "会议签到", "Sign in to the meeting";
    TabletAgenda => "会议议程", "Agenda";
    TabletAttendance => "实时出勤", "Live attendance";
    TabletMinutes => "会议记录", "Minutes";
    TabletExit => "退出平板模式", "Leave tablet mode";
    WorkbenchTitle => "工作台", "Workbench";
    Footer => "支部 · 开源医院智慧党建平台", "Zhibu · open-source Party-building platform for hospitals";
    NavAccounts => "账号管理", "Accounts";
    NavAudit => "安全审计", "Audit trail";
    NavPassword => "修改密码", "Change password";
    PasswordTitle => "修改密码", "Change password";
    PasswordForced => "为保障账号安全，请先设置新密码（首次登录、管理员重置或密码已到期）。", "For your account's safety, set a new password first (first sign-in, reset by an administrator, or the password has expired).";
    PasswordRules => "至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类，且不能与账号相同。修改后其他设备上的登录将被注销。", "At least 8 characters from at least 3 of: upper case, lower case, digits, symbols; not the account name. Other devices are signed out after the change.";
    PasswordCurrent => "当前密码", "Current password";
    PasswordNew => "新密码", "New password";
    PasswordConfirm => "确认新密码", "Confirm new password";
    PasswordSubmit => "保存新密码", "Save new password";
    PasswordMismatch => "两次输入的新密码不一致。", "The two new passwords do not match.";
    PasswordTooShort => "新密码至少需要 {} 个字符。", "The new password needs at least {} characters.";
    PasswordTooFewClasses => "新密码需包含大写字母、小写字母、数字、符号中的至少 {} 类。", "The new password needs at least {} of: upper case, lower case, digits, symbols.";
    PasswordSameAsUsername => "新密码不能与账号相同。", "The new password may not be the account name.";
    PasswordUnchanged => "新密码不能与当前密码相同。", "The new password must differ from the current one.";
    PasswordCurrentWrong => "当前密码不正确。", "The current password is wrong.";
    AccountsTitle => "账号管理", "Accounts";
    AccountsIntro => "三员分立：系统管理员管理党务账号；管理员账号与管理员角色仅由安全管理员授予；任何人不能修改自己的账号。", "Separation of duties: the system administrator manages Party accounts; administrative accounts and roles are granted only by the security administrator; nobody changes their own account here.";
    AccountsSearch => "搜索账号或姓名", "Search account or name";
    Search => "搜索", "Search";
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
    ConfirmReset => "确认重置该账号密码？其所有登录将立即注销。", "Reset this account's password? All its sessions end at once.";
    Confirm => "确认", "Confirm";
    Cancel => "取消", "Cancel";
    Saved => "已保存。", "Saved.";
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
    PagePrev => "上一页", "Previous";
    PageNext => "下一页", "Next";
    PageOf => "共", "Total";
    PageLabel => "分页", "Pages";
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
    AuditIntact => "审计链完整：已校验", "The chain is intact: entries checked";
    AuditBroken => "审计链在以下序号处断裂（记录被修改或删除）：", "The chain is broken (an entry was changed or removed) at entry";
    AuditExport => "导出 Excel", "Export to Excel";
    FlagFloating => "流动党员", "Floating";
    FlagLostContact => "失联", "Lost contact";
    FlagHardship => "困难党员", "In hardship";
    MemberSearch => "搜索", "Search";
    MemberSearchHint => "姓名、拼音首字母或身份证号后四位", "Name, pinyin initials or last 4 of the ID number";
    MemberStatus => "党员类别", "Status";
    MemberFlags => "标记", "Flags";
    MemberDepartment => "科室", "Department";
    MemberBranch => "所在支部", "Branch";
    MemberPosition => "职务", "Position";
    MemberPhone => "手机号码", "Mobile";
    MemberIdNumber => "身份证号", "ID number";
    MemberRecord => "基本信息", "Record";
    MemberGender => "性别", "Gender";
    GenderMale => "男", "Male";
    GenderFemale => "女", "Female";
    MemberBirthDate => "出生日期", "Date of birth";
    MemberEthnicity => "民族", "Ethnicity";
    MemberEducation => "学历", "Education";
    MemberTitle => "职称", "Title";
    MemberAdmission => "入党日期", "Admitted";
    MemberFull => "转正日期", "Full membership";
    MemberPhoneUpdate => "更新手机号码", "Update mobile number";
    MemberNewPhone => "新手机号码", "New mobile number";
    ChangeReason => "变更原因（选填）", "Reason (optional)";
    MemberHistory => "变更记录", "History";
    MemberHistoryEmpty => "暂无变更记录。", "No changes recorded.";
    MembersEmpty => "没有符合条件的党员。", "No members match.";
    Reveal => "显示完整", "Show in full";
    RevealNote => "查看完整信息将被记入安全审计", "Viewing the full value is recorded in the audit trail";
    SaveText => "保存", "Save";
    AllText => "全部", "All";
    SortBy => "排序", "Sort by";
    SortName => "按姓名", "Name";
    SortAdmission => "按入党日期", "Admission date";
    SortOrg => "按支部", "Branch";
    StatusActionUnknown => "请选择要进行的变更。", "Choose what to change.";
    StatusDateMissing => "请填写生效日期。", "Enter the date it took effect.";
    StatusNotProbationary => "只有预备党员可以转为正式党员。", "Only probationary members become full members.";
    StatusProbationNotOver => "预备期须满一年，最早转正日期为 ", "Probation lasts one year; the earliest date is ";
    StatusFutureDate => "生效日期不能晚于今天。", "The date cannot be in the future.";
    StatusFlagUnchanged => "该标记已是所选状态。", "The flag is already in that state.";
    StatusReasonMissing => "请填写变更原因。", "Enter the reason.";
    StatusTitle => "党籍与标记变更", "Status and flags";
    StatusAction => "变更事项", "Change";
    StatusToFull => "预备党员转为正式党员（转正）", "Probationary → full member";
    StatusFlagOn => "标记为", "Mark as";
    StatusFlagOff => "取消标记", "Clear";
    StatusDate => "生效日期", "Effective date";
    StatusReason => "变更原因", "Reason";
    StatusSubmit => "确认变更", "Record change";
    MemberExport => "导出 Excel（号码已脱敏）", "Export to Excel (numbers masked)";
    HistPhoneChanged => "更新了手机号码", "Mobile number changed";
    HistToFull => "预备党员转为正式党员", "Probationary → full member";
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
    MyRecord => "查看我的党员档案", "View my member record";
    MemberPhoneRule => "请输入 11 位大陆手机号码（以 13–19 开头）。", "Enter an 11-digit mainland mobile number (starting 13–19).";
    OrgKindUnknown => "请选择组织类型。", "Choose the kind of organisation.";
    OrgActionUnknown => "不支持的操作。", "Unsupported action.";
    OrgNameInvalid => "组织名称须为 1–100 个字。", "The name must be 1–100 characters.";
    OrgNameTaken => "同一上级下已有同名组织。", "An organisation with this name already exists under the same parent.";
    OrgParentMissing => "上级组织不存在或已撤销。", "The parent organisation does not exist or has been dissolved.";
    OrgKindNotAllowed => "{c}不能直接设在{p}之下（党小组设在党支部内，党支部设在党委或党总支下）。", "A {c} cannot sit directly under a {p} (groups sit in branches; branches under the committee or a general branch).";
    OrgIntoOwnSubtree => "不能移到本组织或其下级组织之下。", "An organisation cannot move under itself or its own sub-organisations.";
    OrgRootFixed => "院党委是组织树的根，不能在此新建、移动或撤销。", "The hospital Party committee is the root of the tree: it cannot be created, moved or dissolved here.";
    OrgCategoryMissing => "党支部须选择类别（临床、医技、行政后勤、离退休、研究生）。", "A branch needs a category (clinical, medical technology, administration, retirees, postgraduates).";
    OrgHasMembers => "该组织还有 {n} 名党员，请先将他们转到其他组织。", "This organisation still has {n} members: move them to another organisation first.";
    OrgHasChildren => "该组织还有 {n} 个下级组织，请先移走或撤销。", "This organisation still has {n} sub-organisations: move or dissolve them first.";
    OrgNotBranch => "只有党支部和党总支设有科室和支委会届期。", "Only branches and general branches have departments and committee terms.";
    OrgTermDateInvalid => "请输入本届开始日期（YYYY-MM-DD）。", "Enter the date the term started (YYYY-MM-DD).";
    OrgTermFuture => "本届开始日期不能晚于今天。", "The term cannot start after today.";
    SeatUnknown => "请选择职务。", "Choose a position.";
    SeatNeedsCommittee => "党员不足 7 人的支部不设支部委员会，只设书记（可设副书记）；当前党员数", "A branch with fewer than 7 members has no committee, only a secretary (and perhaps a deputy); members now";
    SeatNoGroup => "该党员未编入党小组，不能任党小组组长。", "This member is not in a Party group and cannot lead one.";
    SeatUnchanged => "职务没有变化。", "The position is unchanged.";
    TermLabel => "本届任期", "Current term";
    TermUnset => "未登记届期", "No term recorded";
    TermCurrent => "任期内", "In term";
    TermDueSoon => "距换届还有 {n} 天，请做好换届准备", "{n} days until re-election is due: prepare it";
    TermOverdue => "已超期 {n} 天未换届", "Re-election overdue by {n} days";
    DualLeader => "双带头人", "Dual leader";
    OrgHistory => "组织沿革", "History";
    OrgManage => "组织管理", "Manage";
    OrgCreateChild => "新建下级组织", "New sub-organisation";
    OrgRename => "重命名", "Rename";
    OrgMove => "移动到", "Move to";
    OrgDissolve => "撤销组织", "Dissolve";
    OrgDissolveConfirm => "确认撤销该组织？撤销后保留其历史记录。", "Dissolve this organisation? Its history is kept.";
    OrgNewParent => "新的上级组织", "New parent";
    OrgName => "组织名称", "Name";
    OrgSetTerm => "登记换届（本届开始日期）", "Record an election (term start)";
    OrgEditDepartments => "所依托科室（用顿号或逗号分隔）", "Departments (separated by commas)";
    OrgCreated => "已新建组织。", "Organisation created.";
    Reason => "原因", "Reason";
    Save => "保存", "Save";
    EvCreated => "成立", "Created";
    EvRenamed => "更名", "Renamed";
    EvMoved => "调整隶属关系", "Moved";
    EvDissolved => "撤销", "Dissolved";
    EvDepartments => "调整所依托科室", "Departments";
    EvTerm => "换届", "Election";
    EvSeat => "职务调整", "Position";
    SeatAssign => "任命职务", "Assign position";
    HistPosition => "职务变更", "Position changed";
    MemberName => "姓名", "Name";
    MemberApplication => "申请入党日期", "Applied";
    MfName => "请填写姓名（1–50 个字）。", "Enter the name (1–50 characters).";
    MfGender => "性别须为“男”或“女”。", "Gender must be male or female.";
    MfDate => "请填写有效日期（如 2024-03-01）。", "Enter a valid date (e.g. 2024-03-01).";
    MfFuture => "日期不能晚于今天。", "The date cannot be after today.";
    MfTooLong => "不能超过 50 个字。", "At most 50 characters.";
    MfId => "身份证号应为 18 位且校验码正确（GB 11643）。", "The ID number must have 18 characters and a correct check character (GB 11643).";
    MfIdBirth => "出生日期与身份证号中的出生日期不一致。", "The date of birth differs from the one in the ID number.";
    MfIdGender => "性别与身份证号第 17 位不一致（奇数为男，偶数为女）。", "The gender does not match the 17th digit of the ID number (odd: male, even: female).";
    MfStatus => "党员类别须为“正式党员”或“预备党员”。", "Status must be full or probationary.";
    MfDateOrder => "日期须依次为：出生 < 申请入党 < 入党 < 转正。", "Dates must run: birth < application < admission < full membership.";
    MfTooYoung => "申请入党时须年满 18 周岁。", "An applicant must be at least 18 years old.";
    MfFullMissing => "正式党员须填写转正日期。", "A full member needs the date of full membership.";
    MfFullUnexpected => "预备党员不应有转正日期。", "A probationary member has no date of full membership.";
    MfProbation => "预备期为一年：转正日期须在入党满一年之后。", "Probation lasts one year: full membership comes at least a year after admission.";
    MfIdTaken => "已有党员登记了该身份证号。", "A member with this ID number is already registered.";
    StatusNotActive => "该党员不在籍（已停止党籍或转出），不能办理此项。", "This member is not in good standing (stopped or transferred out).";
    StatusNotSuspended => "只有停止党籍的党员才能恢复党籍。", "Only a stopped membership can be restored.";
    StatusSuspend => "停止党籍", "Stop membership";
    StatusRestore => "恢复党籍", "Restore membership";
    HistStandingSuspended => "停止党籍", "Membership stopped";
    HistStandingRestored => "恢复党籍", "Membership restored";
    HistFields => "修改档案", "Record corrected";
    StandingActive => "在籍", "In good standing";
    StandingSuspended => "停止党籍", "Stopped";
    StandingTransferred => "已转出", "Transferred out";
    MfKeepHint => "留空表示不修改", "Leave empty to keep";
    MfIdHint => "18 位，末位可为 X", "18 characters, the last may be X";
    MfPhoneHint => "11 位手机号", "11-digit mobile";
    MemberNew => "新增党员", "New member";
    MemberEdit => "修改档案", "Correct the record";
    StageApplicant => "入党申请人", "Applicant";
    StageActivist => "入党积极分子", "Activist";
    StageCandidate => "发展对象", "Candidate for development";
    StageAdmission => "预备党员接收", "Admission";
    StageProbation => "预备期考察与转正", "Probation";
    StepNotNext => "请按顺序办理：下一步是第 {n} 步。", "Steps go in order: the next is step {n}.";
    StepBeforePrevious => "日期不能早于上一步（{d}）。", "The date cannot be before the previous step ({d}).";
    StepActivistYear => "确定为入党积极分子满一年后才能列为发展对象（最早 {d}）。", "A year as activist is required before selection for development (earliest {d}).";
    StepProbationYear => "预备期满一年后才能讨论转正（最早 {d}）。", "Full membership is discussed after a year of probation (earliest {d}).";
    StepTwoPeople => "须填写两名人员（培养联系人或入党介绍人），用顿号分隔。", "Name two people (mentors or sponsors), separated by commas.";
    StepApprover => "请填写审批或决定的组织。", "Name the approving body.";
    StepFinished => "发展流程已全部完成。", "The pipeline is complete.";
    PipelineTitle => "发展党员", "Party development";
    PipelineNew => "登记入党申请", "Register an application";
    PipelineEmpty => "当前没有发展对象。", "Nobody is in the pipeline.";
    PipelineNext => "下一步", "Next step";
    PipelineDue => "应于 {d} 前办理", "Due by {d}";
    PipelineEarliest => "最早 {d} 可办理", "Not before {d}";
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
    PipelineStep => "第 {n} 步", "Step {n}";
    PipelineMember => "查看党员档案", "View member record";
    PipelineKnown => "该身份证号已在发展流程中或已是党员。", "This ID number is already in the pipeline or on the roster.";
    HistAdmitted => "经发展程序接收为预备党员", "Admitted as probationary member through the pipeline";
    HistCreated => "建立党员档案", "Record created";
    TrKindUnknown => "请选择转接类型（院内或转出本院）。", "Choose the kind of transfer (within or out of the hospital).";
    TrTargetInvalid => "请选择接收党员的其他党支部。", "Choose another branch to receive the member.";
    TrOutsideMissing => "请填写对方党组织名称。", "Enter the name of the other Party organisation.";
    TrDuesInvalid => "党费交至须为年月（如 2026-10），且不晚于下个月。", "Dues paid to must be a month (e.g. 2026-10), not after next month.";
    TrValidityInvalid => "有效期为 1–90 天。", "Validity is 1–90 days.";
    TrBusy => "该党员不在籍或已有未办结的转接。", "This member is not in good standing or already has an open transfer.";
    TrActionInvalid => "该转接当前不能办理此项。", "This action does not apply to the transfer now.";
    TrPending => "待接收", "Awaiting acceptance";
    TrAccepted => "已接收", "Accepted";
    TrRejected => "已退回", "Rejected";
    TrIssued => "已开具介绍信", "Letter issued";
    TrReceived => "回执已收到", "Receipt returned";
    TrCancelled => "已撤销", "Cancelled";
    TrCompleted => "已办结", "Completed";
    TrTitle => "组织关系转接", "Transfers";
    TrEmpty => "暂无转接记录。", "No transfers yet.";
    TrLetterNo => "介绍信编号", "Letter no.";
    TrFrom => "转出组织", "From";
    TrTo => "接收组织", "To";
    TrNext => "办理", "Actions";
    TrAccept => "接收", "Accept";
    TrReject => "退回", "Reject";
    TrReceipt => "确认回执", "Confirm receipt";
    TrCancel => "撤销", "Cancel";
    TrExpired => "已超过有效期", "Expired";
    TrLetter => "组织关系介绍信", "Introduction letter";
    TrLetterTitle => "中国共产党党员组织关系介绍信", "Letter of introduction of a Party member";
    TrStub => "存根", "Stub";
    TrReceiptTitle => "回执", "Receipt";
    TrLetterBody => "同志的党员组织关系由我处转去，请接洽", "— the Party membership relation of this comrade is transferred to you; please receive";
    TrDues => "党费交至", "Dues paid to";
    TrValidUntil => "有效期至 {d}", "valid until {d}";
    TrReceiptBody => "同志的组织关系已转达我处，特此回执。", "— the membership relation has reached us; this is the receipt.";
    TrPrint => "打印", "Print";
    TrStart => "组织关系转接", "Transfer membership";
    TrKind => "转接类型", "Kind";
    TrInternal => "院内转接（转至本院其他党支部）", "Within the hospital (another branch)";
    TrOutbound => "转出本院（开具介绍信）", "Out of the hospital (letter)";
    TrToBranch => "接收党支部（院内转接）", "Receiving branch (within the hospital)";
    TrOutside => "接收党组织名称（转出本院）", "Receiving Party organisation (out of the hospital)";
    TrValidDays => "有效期（天）", "Valid for (days)";
    TrStarted => "已发起转接。", "Transfer started.";
    HistTransferStarted => "发起组织关系转接", "Transfer started";
    HistTransferAccepted => "组织关系转入本支部", "Transfer accepted";
    HistTransferredOut => "组织关系转出", "Transferred out";
    HistTransferredIn => "组织关系转入", "Transferred in";
    HistTransferRejected => "转接被退回", "Transfer rejected";
    HistTransferCancelled => "转接已撤销", "Transfer cancelled";
    TrSeal => "（盖章）", "(Seal)";
    TrDateBlank => "年　　月　　日", "Date:";
    TrSubmit => "发起转接", "Start the transfer";
    ImpTooBig => "文件超过 10 MB，请拆分后再导入。", "The file is larger than 10 MB: split it and import the parts.";
    ImpNotXlsx => "无法读取：请上传 Excel（.xlsx）文件。", "Cannot read the file: upload an Excel (.xlsx) file.";
    ImpUnpacked => "文件解压后过大，已拒绝（可能是异常文件）。", "The file unpacks to too much and was refused (it may be malformed).";
    ImpExcessive => "文件结构异常（工作表、文字或格式的数量远超名册所需），已拒绝。", "The file's structure is abnormal (far more sheets, texts or formats than any roster has) and was refused.";
    ImpNoSheet => "文件中没有工作表。", "The file has no worksheet.";
    ImpTooManyRows => "单次最多导入 50,000 行。", "At most 50,000 rows per import.";
    ImpMissingColumn => "缺少“{c}”列，请使用导入模板。", "The column “{c}” is missing: use the template.";
    ImpEmpty => "文件中没有数据行。", "The file has no data rows.";
    ImpNoFile => "请选择要导入的文件。", "Choose a file to import.";
    ImpOrgUnknown => "支部不存在或不在您的管理范围内。", "The branch does not exist or is outside your scope.";
    ImpOrgAmbiguous => "有多个同名支部，请填写支部编号。", "Several branches have this name: use the branch key.";
    ImpDuplicateRow => "与第 {n} 行的身份证号重复。", "Same ID number as row {n}.";
    ImpSheet => "党员信息", "Members";
    ImpNotReady => "该导入有问题或已完成，不能导入。", "This import has problems or is already done.";
    ImpChanged => "花名册已发生变化，请重新上传核对。", "The roster has changed since the check: upload the file again.";
    ImpTitle => "导入党员", "Import members";
    ImpTemplate => "下载导入模板", "Download the template";
    ImpChoose => "选择 Excel 文件（.xlsx，不超过 10 MB）", "Choose an Excel file (.xlsx, at most 10 MB)";
    ImpUpload => "上传并核对", "Upload and check";
    ImpReport => "核对结果", "Check report";
    ImpRows => "数据行", "Rows";
    ImpReady => "可导入", "Ready";
    ImpProblems => "问题", "Problems";
    ImpRow => "行号", "Row";
    ImpColumn => "列", "Column";
    ImpMessage => "问题说明", "Problem";
    ImpFixHint => "请修改文件后重新上传；有问题时不会写入任何数据。", "Fix the file and upload it again; nothing is written while there are problems.";
    ImpConfirm => "确认导入", "Import now";
    ImpDone => "已导入 {n} 名党员。", "{n} members imported.";
    ImpWorking => "正在导入，请稍候……", "Importing, please wait…";
    ImpWritten => "正在导入：已写入 {w} / {n} 行（完成前不会生效）", "Importing: {w} of {n} rows written (nothing takes effect until all are)";
    ImpInterrupted => "导入中断（服务器重启），未写入任何数据，可再次确认导入。", "The import was interrupted (the server restarted); nothing was written and it can be confirmed again.";
    ImpConflict => "导入期间名册有其他修改，未写入任何数据，请再次确认导入。", "The roster changed while importing; nothing was written. Confirm the import again.";
    ImpFailed => "导入失败，未写入任何数据，请稍后重试或联系管理员。", "The import failed and nothing was written. Try again later or contact the administrator.";
    ImpUploading => "正在上传：{p}%", "Uploading: {p}%";
    ImpChecking => "上传完成，正在核对……", "Uploaded; checking…";
    ImpIdNumeric => "该单元格是数字格式，身份证号已被 Excel 截断；请将该列设为文本后重新填写。", "This cell is a number, so Excel has cut the ID number to 15 digits: format the column as text and type the number again.";
    ImpPhoneNumeric => "该单元格是数字格式，手机号已被 Excel 改变；请将该列设为文本后重新填写。", "This cell is a number and Excel has changed the phone number: format the column as text and type it again.";
    ImpFormula => "该单元格是公式，请复制后“粘贴为数值”再导入（读取到的计算结果见右侧）。", "This cell holds a formula: copy it and paste it as a value, then import again (the computed value read is shown beside).";
    ImpExampleRow => "这是模板中的示例行，请删除后再导入。", "This is the template's example row: delete it before importing.";
    ImpValue => "读取到的值", "Value read";
    ImpSheetRead => "读取的工作表：{s}", "Worksheet read: {s}";
    HistImported => "通过 Excel 导入建立档案", "Record created by import";
    MfUnchanged => "没有修改任何内容。", "Nothing was changed.";
    MfOrgNotBranch => "请选择党员所在的党支部。", "Choose the member's branch.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for key in T::ALL {
            assert!(!key.zh().trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!key.en().trim().is_empty(), "{key:?} has no English text");
        }
    }

    #[test]
    fn cookie_header_selects_english_only_when_asked() {
        assert_eq!(
            Lang::from_cookie_header("a=1; zhibu_lang=en; b=2"),
            Lang::En
        );
        assert_eq!(Lang::from_cookie_header("zhibu_lang=zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header("other=en"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
