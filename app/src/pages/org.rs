//! `/org`: the organisation tree beside the selected organisation's details.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::org::{get_org_detail, get_org_tree};
use crate::components::feedback::{LoadingState, error_panel};
use crate::components::org_tree::OrgTree;
use crate::i18n::{T, use_lang};
use crate::models::org::{OrgDetail, OrgDetailQuery, OrgKind, needs_committee};

#[component]
pub fn OrgPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let selected = Signal::derive(move || query.read().get("id").filter(|s| !s.is_empty()));
    let tree = Resource::new(|| (), |_| get_org_tree());
    let detail = Resource::new(
        move || selected.get(),
        |id| async move {
            match id {
                Some(id) => get_org_detail(OrgDetailQuery { id }).await.map(Some),
                None => Ok(None),
            }
        },
    );

    view! {
        <h1>{lang.t(T::OrgTitle)}</h1>
        <div class="org-layout">
            <section class="card org-tree-panel" aria-labelledby="org-tree-heading">
                <h2 id="org-tree-heading" class="visually-hidden">{lang.t(T::OrgTreeLabel)}</h2>
                <Suspense fallback=|| view! { <LoadingState/> }>
                    <ErrorBoundary fallback=error_panel>
                        {move || Suspend::new(async move {
                            tree.await.map(|forest| view! { <OrgTree forest selected/> })
                        })}
                    </ErrorBoundary>
                </Suspense>
            </section>
            <section
                class="card org-detail-panel"
                aria-labelledby="org-detail-heading"
                aria-live="polite"
            >
                <h2 id="org-detail-heading">{lang.t(T::OrgDetail)}</h2>
                <Transition fallback=|| view! { <LoadingState/> }>
                    <ErrorBoundary fallback=error_panel>
                        {move || Suspend::new(async move {
                            detail.await.map(|d| match d {
                                Some(d) => view! { <OrgDetailView detail=d/> }.into_any(),
                                None => view! {
                                    <p class="hint">{lang.t(T::OrgSelectHint)}</p>
                                }.into_any(),
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
        </div>
    }
}

#[component]
fn OrgDetailView(detail: OrgDetail) -> impl IntoView {
    let lang = use_lang();
    let none = lang.t(T::NoneText);
    let is_branch = detail.kind == OrgKind::Branch;
    let committee_note = if !is_branch {
        None
    } else if !needs_committee(detail.member_count) {
        Some(lang.t(T::CommitteeNone))
    } else if detail.committee.is_empty() {
        Some(lang.t(T::CommitteeEmpty))
    } else {
        None
    };
    let departments = if detail.departments.is_empty() {
        none.to_string()
    } else {
        detail.departments.join("、")
    };
    view! {
        <h3 class="detail-title" data-testid="org-detail-name">{detail.name.clone()}</h3>
        <dl class="detail-grid">
            <dt>{lang.t(T::FieldKind)}</dt>
            <dd>{lang.t(detail.kind.label())}</dd>
            {detail.category.map(|c| view! {
                <dt>{lang.t(T::FieldCategory)}</dt>
                <dd>{lang.t(c.label())}</dd>
            })}
            <dt>{lang.t(T::FieldParent)}</dt>
            <dd>
                {match detail.parent.clone() {
                    Some(p) => view! { <a href=format!("/org?id={}", p.id)>{p.name}</a> }.into_any(),
                    None => view! { <span>{none}</span> }.into_any(),
                }}
            </dd>
            <dt>{lang.t(T::FieldDepartments)}</dt>
            <dd>{departments}</dd>
            <dt>{lang.t(T::FieldMemberCount)}</dt>
            <dd data-testid="org-detail-count">{detail.member_count}</dd>
            <dt>{lang.t(T::FieldFullMembers)}</dt>
            <dd>{detail.full_members}</dd>
            <dt>{lang.t(T::FieldProbationary)}</dt>
            <dd>{detail.probationary_members}</dd>
        </dl>
        {is_branch.then(|| view! {
            <h4>{lang.t(T::FieldCommittee)}</h4>
            {committee_note.map(|n| view! { <p class="hint">{n}</p> })}
            {(!detail.committee.is_empty()).then(|| view! {
                <ul class="committee">
                    {detail.committee.iter().map(|seat| view! {
                        <li>
                            <span class="seat">{lang.t(seat.position.label())}</span>
                            <span>{seat.member_name.clone()}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        })}
        {(!detail.children.is_empty()).then(|| view! {
            <h4>{lang.t(T::FieldSubOrgs)}</h4>
            <ul class="child-list">
                {detail.children.iter().map(|c| view! {
                    <li><a href=format!("/org?id={}", c.id)>{c.name.clone()}</a></li>
                }).collect_view()}
            </ul>
        })}
    }
}
