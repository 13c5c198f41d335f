//! The organisation tree: nested lists with disclosure buttons.
//!
//! The server renders every node, so the tree reads without JavaScript; after hydration
//! the buttons expand and collapse branches, and links select a node without a reload.

use leptos::prelude::*;

use crate::i18n::{T, use_lang};
use crate::models::org::{OrgKind, OrgNode};

#[component]
pub fn OrgTree(forest: Vec<OrgNode>, selected: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    if forest.is_empty() {
        return view! { <p class="empty-state">{lang.t(T::OrgEmpty)}</p> }.into_any();
    }
    view! {
        <ul class="tree" aria-label=lang.t(T::OrgTreeLabel)>
            {forest.into_iter().map(|node| tree_node(node, selected)).collect_view()}
        </ul>
    }
    .into_any()
}

fn tree_node(node: OrgNode, selected: Signal<Option<String>>) -> AnyView {
    let lang = use_lang();
    let has_children = !node.children.is_empty();
    let expanded = RwSignal::new(matches!(
        node.kind,
        OrgKind::Committee | OrgKind::GeneralBranch
    ));
    let list_id = format!("tree-children-{}", node.id);
    let id = node.id.clone();
    let is_selected = move || selected.get().as_deref() == Some(id.as_str());
    let row_selected = is_selected.clone();
    let href = format!("/org?id={}", node.id);
    let name = node.name.clone();
    let toggle_label = move || {
        let verb = if expanded.get() {
            T::Collapse
        } else {
            T::Expand
        };
        format!("{} {}", lang.t(verb), name)
    };
    let kind_class = format!("tree-node kind-{}", node.kind.as_str());
    let children = node.children;
    view! {
        <li class=kind_class>
            <div class="tree-row" class:selected=row_selected>
                {if has_children {
                    view! {
                        <button
                            type="button"
                            class="tree-toggle"
                            aria-expanded=move || expanded.get().to_string()
                            aria-controls=list_id.clone()
                            aria-label=toggle_label
                            on:click=move |_| expanded.update(|e| *e = !*e)
                        >
                            <span aria-hidden="true">"▸"</span>
                        </button>
                    }
                        .into_any()
                } else {
                    view! { <span class="tree-spacer" aria-hidden="true"></span> }.into_any()
                }}
                <a
                    class="tree-link"
                    href=href
                    aria-current=move || is_selected().then_some("true")
                >
                    <span class="tree-kind">{lang.t(node.kind.label())}</span>
                    <span class="tree-name">{node.name.clone()}</span>
                </a>
                <span class="tree-count">
                    {node.total_members}
                    " "
                    {lang.t(T::MembersCount)}
                </span>
            </div>
            {has_children.then(|| view! {
                <ul class="tree-children" id=list_id.clone() hidden=move || !expanded.get()>
                    {children.into_iter().map(|c| tree_node(c, selected)).collect_view()}
                </ul>
            })}
        </li>
    }
    .into_any()
}
