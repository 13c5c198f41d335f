//! `/learning/reflections` (学习心得交流, issue 15): the member's reflection of this year
//! (written and changed in place), the reflections their branch shares, and for a
//! committee every reflection in reach with "选为交流" / "取消交流".

use leptos::prelude::*;

use crate::api::reflection::{SaveReflection, ShareReflection, list_reflections};
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::form::{Field, action_error};
use crate::i18n::{T, use_lang};
use crate::models::reflection::{BODY_MAX, ReflectionView, ReflectionsPage};

#[component]
pub fn ReflectionsPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveReflection>::new();
    let share = ServerAction::<ShareReflection>::new();
    let page = Resource::new(
        move || (save.version().get(), share.version().get()),
        |_| list_reflections(0),
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::RfTitle)}</h1>
            <a class="btn btn-ghost" href="/learning">{lang.t(T::LnBack)}</a>
        </div>
        <p class="hint">{lang.t(T::RfHint)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    page.await.map(|p| view! { <ReflectionsBody p save share/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A reflection's text as paragraphs (plain text: nothing in it is markup).
fn paragraphs(body: &str) -> impl IntoView + use<> {
    body.split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(|l| view! { <p>{l.to_string()}</p> })
        .collect_view()
}

fn shared_item(r: ReflectionView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <article class="reflection" data-testid="reflection-shared">
            <h3>{r.title}</h3>
            <p class="hint">{lang.t(T::RfBy(&r.name, &r.org_name))}" · "{r.updated}</p>
            {paragraphs(&r.body)}
        </article>
    }
}

#[component]
fn ReflectionsBody(
    p: ReflectionsPage,
    save: ServerAction<SaveReflection>,
    share: ServerAction<ShareReflection>,
) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let mine = if p.can_write {
        let (title, body, shared) = p
            .mine
            .as_ref()
            .map(|m| (m.title.clone(), m.body.clone(), m.shared))
            .unwrap_or_default();
        view! {
            <section class="card" aria-labelledby="rf-mine-heading">
                <h2 id="rf-mine-heading">{lang.t(T::RfMine(p.year))}</h2>
                {shared.then(|| view! {
                    <p><span class="badge badge-ok" data-testid="reflection-is-shared">
                        {lang.t(T::RfIsShared)}
                    </span></p>
                })}
                <ActionForm action=save attr:data-testid="reflection-form">
                    <Field id="rf-title" name="input[title]" label=lang.t(T::RfName)
                        error=error("title") maxlength=60 value=title required=true/>
                    <div class="field">
                        <label for="rf-body">{lang.t(T::RfBody)}</label>
                        <textarea id="rf-body" name="input[body]" rows="12"
                            maxlength=BODY_MAX.to_string() aria-describedby="rf-body-hint rf-body-error"
                            aria-invalid=move || error("body").get().is_some().to_string()>
                            {body}
                        </textarea>
                        <p id="rf-body-hint" class="hint">{lang.t(T::RfBodyHint)}</p>
                        <p id="rf-body-error" class="field-error" role="alert">
                            {move || error("body").get()}
                        </p>
                    </div>
                    <p class="field-error" role="alert">
                        {move || general_error(save.value().get(), &["title", "body"], lang)}
                    </p>
                    <p class="hint" role="status">
                        {move || matches!(save.value().get(), Some(Ok(_))).then(|| lang.t(T::RfSaved))}
                    </p>
                    <div class="row-actions">
                        <button type="submit" class="btn btn-primary"
                            disabled=move || save.pending().get()>
                            {lang.t(T::RfSave)}
                        </button>
                    </div>
                </ActionForm>
            </section>
        }
        .into_any()
    } else {
        view! { <p class="hint">{lang.t(T::RfNoMember)}</p> }.into_any()
    };
    let shared = (p.can_write || !p.shared.is_empty()).then(|| {
        let list = if p.shared.is_empty() {
            view! { <EmptyState message=T::RfSharedEmpty/> }.into_any()
        } else {
            p.shared
                .into_iter()
                .map(shared_item)
                .collect_view()
                .into_any()
        };
        view! {
            <section class="card" aria-labelledby="rf-shared-heading">
                <h2 id="rf-shared-heading">{lang.t(T::RfShared)}</h2>
                {list}
            </section>
        }
    });
    let select = p.can_select.then(|| {
        let list = if p.in_reach.is_empty() {
            view! { <EmptyState message=T::RfInReachEmpty/> }.into_any()
        } else {
            view! {
                <ul class="link-list" data-testid="reflection-in-reach">
                    {p.in_reach
                        .into_iter()
                        .map(|r| {
                            let label = if r.shared { T::RfUnshare } else { T::RfShare };
                            view! {
                                <li class="required-row" data-testid="reflection-row">
                                    <details>
                                        <summary>
                                            <strong>{r.title.clone()}</strong>" · "
                                            {lang.t(T::RfBy(&r.name, &r.org_name))}
                                        </summary>
                                        {paragraphs(&r.body)}
                                    </details>
                                    {r.shared.then(|| view! {
                                        <span class="badge badge-ok">{lang.t(T::RfIsShared)}</span>
                                    })}
                                    <ActionForm action=share attr:class="inline-form">
                                        <input type="hidden" name="input[id]" value=r.id.clone()/>
                                        <input type="hidden" name="input[shared]"
                                            value=(!r.shared).to_string()/>
                                        <button type="submit" class="btn btn-ghost">{lang.t(label)}</button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="field-error" role="alert">
                    {move || general_error(share.value().get(), &[], lang)}
                </p>
            }
            .into_any()
        };
        view! {
            <section class="card" aria-labelledby="rf-reach-heading">
                <h2 id="rf-reach-heading">{lang.t(T::RfInReach(p.year))}</h2>
                {list}
            </section>
        }
    });
    view! { {mine} {shared} {select} }
}
