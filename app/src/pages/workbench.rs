//! `/workbench`: the management home. Shows real figures only.

use leptos::prelude::*;

use crate::api::org::get_public_summary;
use crate::components::feedback::{LoadingState, error_panel};
use crate::i18n::{T, use_lang};

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
        <section class="card empty-state">
            <h2>{lang.t(T::NavTasks)}</h2>
            <p>{lang.t(T::NotYetAvailable)}</p>
        </section>
    }
}
