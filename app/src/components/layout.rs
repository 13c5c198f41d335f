//! The three areas' frames: management, meeting-room tablet and public site.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::api::account::{Logout, get_session};
use crate::components::table::keyed;
use crate::i18n::{T, use_lang};

/// Switches the language with a plain form post, so it works with and without WASM;
/// the server stores the choice in a cookie and sends the user back to the same page.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let next = move || format!("{}{}", location.pathname.get(), location.search.get());
    view! {
        <form method="post" action="/lang" class="lang-switch">
            <input type="hidden" name="lang" value=lang.other().code()/>
            <input type="hidden" name="next" value=next/>
            <button
                type="submit"
                class="btn btn-ghost"
                lang=lang.other().code()
                title=lang.t(T::SwitchLanguageLabel)
            >
                {lang.t(T::SwitchLanguage)}
            </button>
        </form>
    }
}

/// Pages of modules not built yet ("该功能暂未开放"): Party roles. Each module replaces
/// this with the rule of its own page's server function when it lands.
const UPCOMING_MODULE: AccessRule = AccessRule {
    endpoint: "",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::Aggregate,
};

/// The sidebar: each entry names the rule of the server function its page reads, so an
/// entry shows exactly when its page can be used. Hiding is a courtesy; the server
/// functions decide.
const NAV: &[(&str, T, &AccessRule)] = &[
    (
        "/workbench",
        T::NavWorkbench,
        &crate::api::account::CHANGE_PASSWORD,
    ),
    ("/org", T::NavOrg, &crate::api::org::GET_ORG_TREE),
    ("/members", T::NavMembers, &crate::api::member::GET_MEMBER),
    (
        "/development",
        T::NavDevelopment,
        &crate::api::pipeline::LIST_PIPELINE,
    ),
    ("/tasks", T::NavTasks, &crate::api::assessment::LIST_TASKS),
    (
        "/meetings",
        T::NavMeetings,
        &crate::api::meeting::LIST_MEETINGS,
    ),
    (
        "/learning",
        T::NavLearning,
        &crate::api::learning::LIST_COURSES,
    ),
    ("/analytics", T::NavAnalytics, &UPCOMING_MODULE),
    (
        "/admin/accounts",
        T::NavAccounts,
        &crate::api::admin::LIST_ACCOUNTS,
    ),
    ("/audit", T::NavAudit, &crate::api::audit::SEARCH_AUDIT),
];

/// The sidebar entries a signed-in holder of `roles` may use.
pub fn nav_for(roles: &[Role]) -> Vec<(&'static str, T)> {
    NAV.iter()
        .filter(|(_, _, rule)| rule.audience.admits_signed_in(roles))
        .map(|(href, label, _)| (*href, *label))
        .collect()
}

/// Where an account that must change its password is sent.
pub const PASSWORD_PATH: &str = "/account/password";

/// The session as the management layout read it: one read when the area is entered, kept
/// across navigations inside it. Pages may read it with `use_context::<Session>()`.
pub type Session =
    Resource<Result<Option<crate::models::account::SessionInfo>, crate::error::AppError>>;

/// The session the management layout read, for a page inside it (no second request).
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The frame of the management area, the view of its `<ParentRoute>`: header, sidebar and
/// the matched page in `<Outlet/>`. Built once when the area is entered, so the session is
/// read once; while the account must change its password, each navigation reads it again
/// (so the change is seen and the redirect stays exact).
#[component]
pub fn AdminLayout() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    // The management area is for signed-in accounts; visitors are sent to sign in.
    let recheck = RwSignal::new(0u32);
    let session: Session = Resource::new(move || recheck.get(), |_| get_session());
    provide_context(session);
    let must_change = move || {
        session
            .get_untracked()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|s| s.must_change_password)
    };
    // Browser only: a navigation while the password must change reads the session again
    // before deciding, as rebuilding the layout on every page did.
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) && must_change() {
            recheck.update(|n| *n += 1);
        }
        path
    });
    // On phones and tablets the navigation and the account tools fold behind a menu
    // button: a checkbox, so the menu opens without WebAssembly too. Following a link
    // closes it again.
    let menu = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(menu) = menu.get_untracked() {
            menu.set_checked(false);
        }
    });
    view! {
        <a class="skip-link" href="#main">{lang.t(T::SkipToContent)}</a>
        <div class="admin">
            <input
                type="checkbox"
                id="nav-toggle"
                class="nav-toggle"
                node_ref=menu
                aria-controls="admin-nav"
                aria-label=lang.t(T::MenuLabel)
            />
            <header class="admin-header">
                <a class="brand" href="/workbench">
                    <span class="brand-mark" aria-hidden="true">"支"</span>
                    <span class="brand-name">{lang.t(T::AppName)}</span>
                    <span class="brand-tagline">{lang.t(T::AppTagline)}</span>
                </a>
                <label for="nav-toggle" class="btn btn-ghost menu-button" aria-hidden="true">
                    <span class="menu-icon"></span>
                    {lang.t(T::Menu)}
                </label>
                <div class="header-tools">
                    <LangSwitch/>
                    <CurrentUser session/>
                </div>
            </header>
            <nav class="sidebar" id="admin-nav" aria-label=lang.t(T::MainNav)>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let roles = session.await.ok().flatten().map(|s| s.roles).unwrap_or_default();
                        view! {
                            <ul>
                                {keyed(
                                    nav_for(&roles),
                                    |(href, _)| *href,
                                    move |(href, label)| {
                                        let current = move || {
                                            let path = location.pathname.get();
                                            (path == href || path.starts_with(&format!("{href}/")))
                                                .then_some("page")
                                        };
                                        view! {
                                            <li>
                                                <a href=href aria-current=current>{lang.t(label)}</a>
                                            </li>
                                        }
                                    },
                                )}
                            </ul>
                        }
                    })}
                </Suspense>
                <ul class="sidebar-secondary">
                    <li><a href="/tablet">{lang.t(T::NavTablet)}</a></li>
                    <li><a href="/" rel="external">{lang.t(T::NavPublic)}</a></li>
                </ul>
            </nav>
            <main id="main" class="admin-main" tabindex="-1">
                // The server has already sent visitors and accounts that must change their
                // password away (`server::session::gate_management`). This decides again
                // in the browser (a session ended meanwhile, the password changed) without
                // holding the page: a page inside this `<Suspense>` would be built three
                // times on the server (once per settling pass), with all its resources.
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match session.await {
                            // A password that must change first: nothing else until it has.
                            Ok(Some(s))
                                if s.must_change_password
                                    && location.pathname.get_untracked() != PASSWORD_PATH =>
                            {
                                crate::routes::set_page_status(http::StatusCode::FOUND);
                                view! { <Redirect path=PASSWORD_PATH/> }.into_any()
                            }
                            Ok(Some(_)) => ().into_any(),
                            _ => {
                                crate::routes::set_page_status(http::StatusCode::FOUND);
                                view! { <Redirect path="/login"/> }.into_any()
                            }
                        }
                    })}
                </Suspense>
                <Outlet/>
            </main>
        </div>
    }
}

/// The signed-in account with a sign-out button, or a sign-in link.
#[component]
fn CurrentUser(session: Session) -> impl IntoView {
    let lang = use_lang();
    let logout = ServerAction::<Logout>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(s)) => view! {
                        <NotificationBell unread=s.unread/>
                        <span class="current-user" aria-label=lang.t(T::CurrentUser)>
                            {s.display_name}
                        </span>
                        <a class="btn btn-ghost" href=PASSWORD_PATH>{lang.t(T::NavPassword)}</a>
                        <ActionForm action=logout attr:class="inline-form">
                            <button type="submit" class="btn btn-ghost">{lang.t(T::Logout)}</button>
                        </ActionForm>
                    }
                    .into_any(),
                    _ => view! {
                        <span class="current-user">{lang.t(T::NotSignedIn)}</span>
                        <a class="btn btn-ghost" href="/login">{lang.t(T::SignIn)}</a>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The bell: the caller's unread notifications (reminders, escalations), counted with
/// the session (no request of its own), a link to the list on the workbench.
#[component]
fn NotificationBell(unread: u32) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a
            class="btn btn-ghost bell"
            href="/workbench#notifications"
            aria-label=lang.t(T::NtBell(unread))
            data-testid="bell"
        >
            {lang.t(T::NtTitle)}
            {(unread > 0).then(|| view! {
                <span class="bell-count" aria-hidden="true">{unread}</span>
            })}
        </a>
    }
}

#[component]
pub fn TabletLayout(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.t(T::TabletTitle)/>
        <div class="tablet">
            <header class="tablet-header">
                <span class="brand-mark" aria-hidden="true">"支"</span>
                <h1>{lang.t(T::TabletTitle)}</h1>
                <LangSwitch/>
            </header>
            <main id="main" class="tablet-main">{children()}</main>
        </div>
    }
}

#[component]
pub fn PublicLayout(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="skip-link" href="#main">{lang.t(T::SkipToContent)}</a>
        <div class="public">
            <header class="public-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"支"</span>
                    <span class="brand-name">{lang.t(T::AppName)}</span>
                </a>
                <LangSwitch/>
            </header>
            <main id="main" class="public-main">{children()}</main>
            <footer class="public-footer">{lang.t(T::Footer)}</footer>
        </div>
    }
}

/// What a route for a later capability shows: an honest "not yet available", never fake data.
#[component]
pub fn Placeholder(title: T) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{lang.t(title)}</h1>
        <section class="card empty-state" role="status">
            <h2>{lang.t(T::NotYetAvailable)}</h2>
            <p>{lang.t(T::NotYetAvailableBody)}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrative_roles_see_only_their_own_tools() {
        let hrefs = |role| {
            nav_for(&[role])
                .into_iter()
                .map(|(h, _)| h)
                .collect::<Vec<_>>()
        };
        assert_eq!(hrefs(Role::SystemAdmin), ["/workbench", "/admin/accounts"]);
        assert_eq!(
            hrefs(Role::SecurityAdmin),
            ["/workbench", "/admin/accounts"]
        );
        assert_eq!(hrefs(Role::SecurityAuditor), ["/workbench", "/audit"]);
    }

    #[test]
    fn party_roles_see_the_party_modules() {
        for role in [Role::Member, Role::BranchCommittee, Role::CommitteeOffice] {
            let hrefs: Vec<_> = nav_for(&[role]).into_iter().map(|(h, _)| h).collect();
            assert!(hrefs.contains(&"/org"), "{role:?}");
            assert!(!hrefs.contains(&"/audit") && !hrefs.contains(&"/admin/accounts"));
            // Members have no pipeline to run and no meeting list yet (they open a
            // meeting by its link to sign in); tasks go to members too.
            let branch_work = role != Role::Member;
            assert_eq!(hrefs.contains(&"/development"), branch_work, "{role:?}");
            assert_eq!(hrefs.contains(&"/meetings"), branch_work, "{role:?}");
            assert!(hrefs.contains(&"/tasks"), "{role:?}");
            assert_eq!(hrefs.len(), NAV.len() - 2 - 2 * usize::from(!branch_work));
        }
        assert!(nav_for(&[]).iter().all(|(h, _)| *h == "/workbench"));
    }
}
