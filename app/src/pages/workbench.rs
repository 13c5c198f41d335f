//! `/workbench`: the management home. Shows real figures only, and the caller's to-do
//! inbox (待办) for the Party roles.

use leptos::prelude::*;

use crate::api::assessment::get_inbox;
use crate::api::org::get_public_summary;
use crate::components::feedback::{LoadingState, error_panel};
use crate::components::layout::use_session;
use crate::components::table::{Column, DataTable};
use crate::i18n::{T, use_lang};
use crate::models::closed_loop::InboxItem;

const INBOX_COLUMNS: [Column; 4] = [
    Column::new(T::ScKind),
    Column::new(T::ScTitle),
    Column::new(T::ScBranch),
    Column::new(T::ScDue),
];

#[component]
pub fn Workbench() -> impl IntoView {
    let lang = use_lang();
    let summary = Resource::new(|| (), |_| get_public_summary());
    view! {
        <h1>{lang.t(T::WorkbenchTitle)}</h1>
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    summary.await.map(|s| view! {
                        <div class="stat-cards">
                            <a class="card stat" href="/org">
                                <span class="stat-value">{s.branches}</span>
                                <span class="stat-label">{lang.t(T::PublicBranches)}</span>
                            </a>
                            <a class="card stat" href="/org">
                                <span class="stat-value">{s.members}</span>
                                <span class="stat-label">{lang.t(T::PublicMembers)}</span>
                            </a>
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        <Inbox/>
        <NotificationList/>
    }
}

/// The caller's notifications (reminders before deadlines, overdue work, escalations),
/// newest first, with one button to mark them all read.
#[component]
fn NotificationList() -> impl IntoView {
    let lang = use_lang();
    let mark = ServerAction::<crate::api::notification::MarkNotificationsRead>::new();
    let notes = Resource::new(
        move || mark.version().get(),
        |_| crate::api::notification::get_notifications(),
    );
    view! {
        <section class="card" id="notifications" aria-labelledby="notifications-heading" data-testid="notifications">
            <h2 id="notifications-heading">{lang.t(T::NtTitle)}</h2>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        notes.await.map(|n| {
                            if n.items.is_empty() {
                                return view! { <p class="empty-state">{lang.t(T::NtEmpty)}</p> }.into_any();
                            }
                            let unread = n.unread;
                            view! {
                                {(unread > 0).then(|| view! {
                                    <ActionForm action=mark attr:class="inline-form">
                                        <button type="submit" class="btn" data-testid="mark-read">
                                            {lang.t(T::NtMarkRead)}
                                        </button>
                                    </ActionForm>
                                })}
                                <ul class="notification-list">
                                    {n.items.into_iter().map(|item| view! {
                                        <li class:unread=!item.read>
                                            {(!item.read).then(|| view! {
                                                <span class="badge">{lang.t(T::NtUnread)}</span>" "
                                            })}
                                            <span class="badge">{lang.t(item.kind.label())}</span>" "
                                            <a href=item.href.clone()>{item.title.clone()}</a>
                                            " · "{item.org_name.clone()}" · "{lang.date(item.deadline)}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The to-do inbox: read only for the Party roles (administrators and auditors have none
/// and would be refused), overdue and nearest deadlines first.
#[component]
fn Inbox() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let inbox = Resource::new(
        || (),
        move |_| async move {
            let roles = session
                .await
                .ok()
                .flatten()
                .map(|s| s.roles)
                .unwrap_or_default();
            if roles
                .iter()
                .any(|r| crate::access::roles::PARTY.contains(r))
            {
                get_inbox().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    inbox.await.map(|found| found.map(|inbox| {
                        let shown = inbox.items.len();
                        let more = (inbox.total as usize > shown).then(|| view! {
                            " "{lang.t(T::ScInboxMore(shown))}
                        });
                        view! {
                            <section class="card" aria-labelledby="inbox-heading" data-testid="inbox">
                                <h2 id="inbox-heading">{lang.t(T::ScInbox)}</h2>
                                {(inbox.total > 0).then(|| view! {
                                    <p class="hint" data-testid="inbox-totals">
                                        {lang.t(T::ScInboxTotals(inbox.total, inbox.overdue))}
                                        {more}
                                    </p>
                                })}
                                <DataTable
                                    columns=INBOX_COLUMNS
                                    rows=inbox.items
                                    row_key=|i: &InboxItem| format!("{}{}{}", i.kind.as_str(), i.href, i.title)
                                    row=move |i: InboxItem| {
                                        let class = if i.overdue { "overdue" } else { "" };
                                        view! {
                                            <tr>
                                                <td>{lang.t(i.kind.label())}</td>
                                                <td><a href=i.href.clone()>{i.title.clone()}</a></td>
                                                <td>{i.org_name.clone()}</td>
                                                <td>
                                                    <span class=class>{lang.date(i.deadline)}</span>
                                                    {i.overdue.then(|| view! {
                                                        " "<span class="badge badge-danger">{lang.t(T::ScOverdueBadge)}</span>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }
                                    empty=T::ScInboxEmpty
                                    testid="inbox-table"
                                />
                            </section>
                        }
                    }))
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
