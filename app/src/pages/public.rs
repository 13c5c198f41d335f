//! `/`: the public propaganda site. Server-rendered, no WASM, no login.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::org::get_public_summary;
use crate::components::feedback::error_panel;
use crate::components::layout::PublicLayout;
use crate::i18n::{T, use_lang};

#[component]
pub fn PublicHome() -> impl IntoView {
    let lang = use_lang();
    let summary = Resource::new(|| (), |_| get_public_summary());
    view! {
        <Title text=lang.t(T::AppTagline)/>
        <Meta name="description" content=lang.t(T::PublicDescription)/>
        <PublicLayout>
            <Suspense fallback=|| ()>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        summary.await.map(|s| view! {
                            <section class="hero">
                                <p class="hero-eyebrow">{lang.t(T::PublicWelcome)}</p>
                                <h1>{s.committee_name.clone().unwrap_or_else(|| lang.t(T::AppTagline).to_string())}</h1>
                                <p class="hero-intro">{lang.t(T::PublicIntro)}</p>
                                <a class="btn btn-primary" href="/workbench">{lang.t(T::EnterPlatform)}</a>
                            </section>
                            <section class="stats" aria-label=lang.t(T::PublicStats)>
                                <p><strong>{s.branches}</strong>" "{lang.t(T::PublicBranches)}</p>
                                <p><strong>{s.members}</strong>" "{lang.t(T::PublicMembers)}</p>
                            </section>
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
            <div class="public-sections">
                {[T::PublicNews, T::PublicExemplars, T::PublicLessons]
                    .into_iter()
                    .map(|t| view! {
                        <section class="card">
                            <h2>{lang.t(t)}</h2>
                            <p class="hint">{lang.t(T::NotYetAvailable)}</p>
                        </section>
                    })
                    .collect_view()}
            </div>
        </PublicLayout>
    }
}
