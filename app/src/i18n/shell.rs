//! The shell around every page: brand, language switch, navigation, the public home,
//! the workbench, the tablet mode, not-found.

texts! {
    AppName => "支部", "Zhibu";
    AppTagline => "医院智慧党建信息平台", "Smart Party-building platform for hospitals";
    PublicDescription => "医院党委的智慧党建信息平台：组织与党员、三会一课、任务考核与学习教育，一个平台闭环管理。", "The smart Party-building platform of a hospital Party committee: organisations and members, organisational life, tasks and assessment, and learning on one platform.";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "切换到英文", "Switch to Chinese";
    SkipToContent => "跳到主要内容", "Skip to main content";
    NotSignedIn => "未登录", "Not signed in";
    CurrentUser => "当前用户", "Current user";
    Menu => "菜单", "Menu";
    MenuLabel => "显示或隐藏菜单", "Show or hide the menu";
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
    Logout => "退出登录", "Sign out";
    SignIn => "登录", "Sign in";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已被移除。", "The page you asked for does not exist or has been removed.";
    BackHome => "返回首页", "Back to the home page";
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
}
