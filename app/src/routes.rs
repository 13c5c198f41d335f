//! The document shell and the route table of the three areas. The management area is one
//! `<ParentRoute>` (the layout with an `<Outlet/>`) holding one route function per module.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, LazyRoute, SsrMode,
    any_nested_route::IntoAnyNestedRoute,
    components::{ParentRoute, Route, Router, Routes},
    lazy_route, path,
};

use crate::assets::{Hydration, chunk_preloads};
use crate::components::layout::{AdminLayout, Placeholder, TabletLayout};
use crate::i18n::{T, detect_lang, use_lang};
use crate::pages::{
    accounts::AccountsPage,
    appraisal::{AppraisalPage, AppraisalsPage},
    assessment::{BranchAssessmentPage, PeriodPage, PeriodsPage, RankingPage, RectificationsPage},
    audit::AuditPage,
    import::ImportPage,
    learning::{
        CoursePage, EditArticlePage, ItemPage, LearningPage, LearningRecordPage, NewArticlePage,
    },
    login::LoginPage,
    meeting_reports::{MeetingGridPage, MeetingLedgerPage},
    meetings::{MeetingPage, MeetingsPage, NewMeetingPage},
    member_edit::{EditMemberPage, NewMemberPage},
    members::{MemberProfilePage, MembersPage},
    not_found::NotFound,
    org::OrgPage,
    password::PasswordPage,
    pin::PinPage,
    pipeline::{CandidatePage, NewCandidatePage, PipelinePage},
    points::PointsPage,
    public::PublicHome,
    quiz::{AttemptPage, BankPage, ExamPage},
    reflection::ReflectionsPage,
    required::{RequiredListPage, RequirementPage},
    rooms::RoomsPage,
    tablet::TabletHome,
    tasks::{AssignmentPage, EditTaskPage, NewTaskPage, QueuePage, TaskPage, TasksPage},
    transfer::{TransferLetterPage, TransfersPage},
    workbench::Workbench,
};

/// Paths of the public site: rendered on the server and shipped without the WASM bundle.
pub fn is_public_path(path: &str) -> bool {
    path == "/" || path.starts_with("/site/")
}

/// The first path segments of the management area: the `<ParentRoute>` drawn by
/// `AdminLayout`. Before rendering, the server sends visitors to sign in, and accounts that
/// must change their password to do so, from every path under these
/// (`server::session::gate_management`); so the layout draws its page at once instead of
/// inside a `<Suspense>` that would build it three times on the server. A test checks
/// that every route of the table is listed here or is one of the pages outside the area.
pub const MANAGEMENT_AREAS: &[&str] = &[
    "workbench",
    "org",
    "members",
    "transfers",
    "development",
    "account",
    "admin",
    "audit",
    "tasks",
    "meetings",
    "learning",
    "analytics",
];

/// Whether `path` lies in the management area (see [`MANAGEMENT_AREAS`]).
pub fn is_management_path(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    MANAGEMENT_AREAS.contains(&first)
}

/// Whether a page loads the WASM bundle: the public site and the sign-in page are complete
/// as served (the sign-in page is a plain form), everything else hydrates.
pub fn needs_wasm(path: &str) -> bool {
    !(is_public_path(path) || path == "/login")
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_page_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

fn request_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| parts.uri.path().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The HTML document. Public pages and the sign-in page get no hydration scripts: they are
/// complete as served.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    let interactive = needs_wasm(&request_path());
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {interactive.then(|| view! {
                    <AutoReload options=options.clone()/>
                    <Hydration options=options.clone()/>
                })}
                <HashedStylesheet options=options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

// Route functions: one per module, each `#[component(transparent)]` returning its routes
// (`.into_any_nested_route()` when there are several), placed under the management
// `<ParentRoute>` in `App`.

/// A management page with its document title (`<Title>`; the app formatter adds the
/// product name).
fn titled(title: T, page: AnyView) -> AnyView {
    let lang = use_lang();
    view! {
        <Title text=lang.t(title)/>
        {page}
    }
    .into_any()
}

/// Declares a lazy route for a management page: `Lazy::<$route>::new()` loads the page's
/// code on demand. In a `--split` build each one becomes a WASM chunk of its own
/// (`split_*.wasm`, listed in `__wasm_split_manifest.json`), fetched before hydration on a
/// first load and on navigation otherwise. Nothing happens in `data()`, so all of the page
/// (its resources, server-function calls and their serde code) stays in the chunk.
macro_rules! lazy_page {
    ($route:ident, $title:expr, $page:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                titled(
                    $title,
                    // The preloads of the route's WASM chunks (`assets::chunk_preloads`).
                    view! { <$page/> {chunk_preloads(stringify!($route))} }.into_any(),
                )
            }
        }
    };
}

lazy_page!(WorkbenchView, T::WorkbenchTitle, Workbench);
lazy_page!(OrgView, T::OrgTitle, OrgPage);
lazy_page!(MembersView, T::NavMembers, MembersPage);
lazy_page!(ImportView, T::NavMembers, ImportPage);
lazy_page!(NewMemberView, T::NavMembers, NewMemberPage);
lazy_page!(MemberProfileView, T::NavMembers, MemberProfilePage);
lazy_page!(EditMemberView, T::NavMembers, EditMemberPage);
lazy_page!(TransfersView, T::NavMembers, TransfersPage);
lazy_page!(TransferLetterView, T::NavMembers, TransferLetterPage);
lazy_page!(PipelineView, T::NavDevelopment, PipelinePage);
lazy_page!(NewCandidateView, T::NavDevelopment, NewCandidatePage);
lazy_page!(CandidateView, T::NavDevelopment, CandidatePage);
lazy_page!(PasswordView, T::PasswordTitle, PasswordPage);
lazy_page!(AccountsView, T::AccountsTitle, AccountsPage);
lazy_page!(AuditView, T::AuditTitle, AuditPage);
lazy_page!(TasksView, T::NavTasks, TasksPage);
lazy_page!(NewTaskView, T::NavTasks, NewTaskPage);
lazy_page!(TaskView, T::NavTasks, TaskPage);
lazy_page!(EditTaskView, T::NavTasks, EditTaskPage);
lazy_page!(QueueView, T::NavTasks, QueuePage);
lazy_page!(AssignmentView, T::NavTasks, AssignmentPage);
lazy_page!(RectificationsView, T::NavTasks, RectificationsPage);
lazy_page!(RankingView, T::NavTasks, RankingPage);
lazy_page!(BranchAssessmentView, T::NavTasks, BranchAssessmentPage);
lazy_page!(PeriodsView, T::NavTasks, PeriodsPage);
lazy_page!(PeriodView, T::NavTasks, PeriodPage);
lazy_page!(MeetingsView, T::NavMeetings, MeetingsPage);
lazy_page!(NewMeetingView, T::NavMeetings, NewMeetingPage);
lazy_page!(MeetingView, T::NavMeetings, MeetingPage);
lazy_page!(MeetingGridView, T::MtrGridTitle, MeetingGridPage);
lazy_page!(MeetingLedgerView, T::MtrLedger, MeetingLedgerPage);
lazy_page!(RoomsView, T::RmRooms, RoomsPage);
lazy_page!(AppraisalsView, T::ApvTitle, AppraisalsPage);
lazy_page!(AppraisalView, T::ApvTitle, AppraisalPage);
lazy_page!(PinView, T::RmPinPage, PinPage);
lazy_page!(LearningView, T::NavLearning, LearningPage);
lazy_page!(CourseView, T::NavLearning, CoursePage);
lazy_page!(ItemView, T::NavLearning, ItemPage);
lazy_page!(NewArticleView, T::NavLearning, NewArticlePage);
lazy_page!(EditArticleView, T::NavLearning, EditArticlePage);
lazy_page!(LearningRecordView, T::LnRecord, LearningRecordPage);
lazy_page!(ExamRoute, T::QzExam, ExamPage);
lazy_page!(AttemptRoute, T::QzExam, AttemptPage);
lazy_page!(BankRoute, T::QzBank, BankPage);
lazy_page!(RequiredRoute, T::RqTitle, RequiredListPage);
lazy_page!(PointsRoute, T::PtTitle, PointsPage);
lazy_page!(ReflectionsRoute, T::RfTitle, ReflectionsPage);
lazy_page!(RequirementRoute, T::RqTitle, RequirementPage);

/// `/tablet`: the meeting-room tablet, outside the management area (a tablet is no
/// person: it carries a device credential). Lazy like the pages: its code (pairing, the
/// PIN pad, the offline queue, the live stream) is a chunk of its own.
struct TabletView;

#[lazy_route]
impl LazyRoute for TabletView {
    fn data() -> Self {
        TabletView
    }

    fn view(_this: Self) -> AnyView {
        view! {
            <TabletLayout><TabletHome/></TabletLayout>
            {chunk_preloads("TabletView")}
        }
        .into_any()
    }
}

/// `/workbench`: the management home.
#[component(transparent)]
fn WorkbenchRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route
            path=path!("/workbench")
            view={Lazy::<WorkbenchView>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
}

/// `org`: the organisation tree and its records.
#[component(transparent)]
fn OrgRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/org") view={Lazy::<OrgView>::new()} ssr=SsrMode::Async/>
    }
    .into_inner()
}

/// `member` (with `import`): the roster, the import, registering and one member's record.
#[component(transparent)]
fn MemberRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/members") view={Lazy::<MembersView>::new()} ssr=SsrMode::Async/>
        <Route
            path=path!("/members/import")
            view={Lazy::<ImportView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/members/new")
            view={Lazy::<NewMemberView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/members/:id")
            view={Lazy::<MemberProfileView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/members/:id/edit")
            view={Lazy::<EditMemberView>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
    .into_any_nested_route()
}

/// `transfer`: the list of transfers and one printable letter.
#[component(transparent)]
fn TransferRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route
            path=path!("/transfers")
            view={Lazy::<TransfersView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/transfers/:id")
            view={Lazy::<TransferLetterView>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
    .into_any_nested_route()
}

/// `pipeline`: the development pipeline under `/development`.
#[component(transparent)]
fn PipelineRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route
            path=path!("/development")
            view={Lazy::<PipelineView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/development/new")
            view={Lazy::<NewCandidateView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/development/:id")
            view={Lazy::<CandidateView>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
    .into_any_nested_route()
}

/// `account`: one's own password (sign-in is outside the management area).
#[component(transparent)]
fn AccountRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route
            path=path!("/account/password")
            view={Lazy::<PasswordView>::new()}
            ssr=SsrMode::Async
        />
        <Route path=path!("/account/pin") view={Lazy::<PinView>::new()} ssr=SsrMode::Async/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// `admin`: account administration.
#[component(transparent)]
fn AdminRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route
            path=path!("/admin/accounts")
            view={Lazy::<AccountsView>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
}

/// `audit`: the security auditor's trail.
#[component(transparent)]
fn AuditRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/audit") view={Lazy::<AuditView>::new()} ssr=SsrMode::Async/>
    }
    .into_inner()
}

/// `assessment`: the closed loop under `/tasks`: tasks and their assignments (answering
/// and reviewing), the review queue, rectification, the ranking, a branch's assessment
/// and the periods with their indicator trees.
#[component(transparent)]
fn TaskRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/tasks") view={Lazy::<TasksView>::new()} ssr=SsrMode::Async/>
        <Route path=path!("/tasks/new") view={Lazy::<NewTaskView>::new()} ssr=SsrMode::Async/>
        <Route path=path!("/tasks/queue") view={Lazy::<QueueView>::new()} ssr=SsrMode::Async/>
        <Route
            path=path!("/tasks/rectifications")
            view={Lazy::<RectificationsView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/tasks/ranking")
            view={Lazy::<RankingView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/tasks/periods")
            view={Lazy::<PeriodsView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/tasks/periods/:id")
            view={Lazy::<PeriodView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/tasks/branches/:org")
            view={Lazy::<BranchAssessmentView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/tasks/assignments/:id")
            view={Lazy::<AssignmentView>::new()}
            ssr=SsrMode::Async
        />
        <Route path=path!("/tasks/:id") view={Lazy::<TaskView>::new()} ssr=SsrMode::Async/>
        <Route path=path!("/tasks/:id/edit") view={Lazy::<EditTaskView>::new()} ssr=SsrMode::Async/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// `meeting`: organisational life under `/meetings`: the year's meetings with where a
/// branch stands, scheduling one, one meeting (attendance, sign-in, minutes), the
/// committee's compliance grid and a branch's printable 台账.
#[component(transparent)]
fn MeetingRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/meetings") view={Lazy::<MeetingsView>::new()} ssr=SsrMode::Async/>
        <Route
            path=path!("/meetings/new")
            view={Lazy::<NewMeetingView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/meetings/grid")
            view={Lazy::<MeetingGridView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/meetings/ledger")
            view={Lazy::<MeetingLedgerView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/meetings/rooms")
            view={Lazy::<RoomsView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/meetings/appraisals")
            view={Lazy::<AppraisalsView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/meetings/appraisals/:id")
            view={Lazy::<AppraisalView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/meetings/:id")
            view={Lazy::<MeetingView>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
    .into_any_nested_route()
}

/// `learning`: courses for the caller, one course, an item to read or watch, the item
/// editor, a member's learning record.
#[component(transparent)]
fn LearningRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/learning") view={Lazy::<LearningView>::new()} ssr=SsrMode::Async/>
        <Route
            path=path!("/learning/courses/:id")
            view={Lazy::<CourseView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/items/:id")
            view={Lazy::<ItemView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/items/:id/edit")
            view={Lazy::<EditArticleView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/chapters/:id/new")
            view={Lazy::<NewArticleView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/members/:id")
            view={Lazy::<LearningRecordView>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/bank")
            view={Lazy::<BankRoute>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/exams/:id")
            view={Lazy::<ExamRoute>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/attempts/:id")
            view={Lazy::<AttemptRoute>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/reflections")
            view={Lazy::<ReflectionsRoute>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/points")
            view={Lazy::<PointsRoute>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/required")
            view={Lazy::<RequiredRoute>::new()}
            ssr=SsrMode::Async
        />
        <Route
            path=path!("/learning/required/:id")
            view={Lazy::<RequirementRoute>::new()}
            ssr=SsrMode::Async
        />
    }
    .into_inner()
    .into_any_nested_route()
}

/// Modules not built yet: an honest "not yet available" each.
#[component(transparent)]
fn PlaceholderRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    fn placeholder(title: T) -> impl IntoView {
        titled(title, view! { <Placeholder title=title/> }.into_any())
    }
    view! {
        <Route path=path!("/analytics") view=|| placeholder(T::NavAnalytics)/>
    }
    .into_inner()
    .into_any_nested_route()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_lang());
    let lang = use_lang();
    // The browser entry (`frontend`) marks `<body data-hydrated>` once hydration is done.
    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() {
                lang.t(T::AppName).to_string()
            } else {
                format!("{page} · {}", lang.t(T::AppName))
            }
        }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=PublicHome ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage/>
                // The management area: one layout (and one session read) kept across
                // navigations; each module adds its routes under it.
                <ParentRoute path=path!("") view=AdminLayout>
                    <WorkbenchRoutes/>
                    <OrgRoutes/>
                    <MemberRoutes/>
                    <TransferRoutes/>
                    <PipelineRoutes/>
                    <AccountRoutes/>
                    <AdminRoutes/>
                    <AuditRoutes/>
                    <TaskRoutes/>
                    <MeetingRoutes/>
                    <LearningRoutes/>
                    <PlaceholderRoutes/>
                </ParentRoute>
                <Route path=path!("/tablet") view={Lazy::<TabletView>::new()}/>
            </Routes>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::{is_public_path, needs_wasm};

    #[test]
    fn only_the_public_site_and_the_sign_in_page_skip_hydration() {
        assert!(is_public_path("/"));
        assert!(is_public_path("/site/news"));
        assert!(!is_public_path("/org"));
        assert!(!is_public_path("/tablet"));
        assert!(!is_public_path("/sitemap"));
        assert!(!is_public_path("/login"), "the sign-in page is not cached");
        for path in ["/", "/site/news", "/login"] {
            assert!(!needs_wasm(path), "{path}");
        }
        for path in [
            "/org",
            "/tablet",
            "/workbench",
            "/login/x",
            "/members/m000001",
        ] {
            assert!(needs_wasm(path), "{path}");
        }
    }
}
