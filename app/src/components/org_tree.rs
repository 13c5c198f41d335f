//! The organisation tree: nested lists with disclosure buttons.
//!
//! The server sends the tree folded (`models::org::outline`: the committee and small
//! general branches open, branches and large general branches closed without their
//! children) and renders what is open, so the page costs what is on the screen, not what
//! the hospital holds. After hydration the buttons open and close nodes; a folded node's
//! children are fetched (`get_org_children`) when it is first opened. Links select a node
//! without a reload.

use leptos::prelude::*;

#[cfg(not(feature = "ssr"))]
use crate::api::org::get_org_children;
use crate::i18n::{T, use_lang};
#[cfg(not(feature = "ssr"))]
use crate::models::org::OrgDetailQuery;
use crate::models::org::OrgNode;

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
    let has_children = !node.children.is_empty() || node.unloaded > 0;
    // What the server sent open (the committee, small general branches) starts open; a
    // folded node's children are fetched when it is first opened.
    let initially_open = !node.children.is_empty();
    let expanded = RwSignal::new(initially_open);
    let folded = node.unloaded > 0;
    let list_id = format!("tree-children-{}", node.id);
    let id = node.id.clone();
    let is_selected = move || selected.with(|s| s.as_deref() == Some(id.as_str()));
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
    let (toggle, children) = subtree(&node.id, node.children, folded, expanded, selected);
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
                            on:click=move |_| toggle()
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
            // A collapsed node's children are drawn when it is first opened, not before
            // (at 100 branches their groups were 70 % of the page, issue 12).
            {has_children.then(|| view! {
                <ul class="tree-children" id=list_id.clone() hidden=move || !expanded.get()>
                    {children}
                </ul>
            })}
        </li>
    }
    .into_any()
}

/// The server draws what it sent open once, eagerly: nothing on the server ever opens a
/// node, and a reactive closure inside a `Suspense` is run twice while rendering (every
/// open subtree was built twice, 22 % of `/org`, issue 12). The HTML is the same as the
/// browser's closure gives on its first run, so hydration matches.
#[cfg(feature = "ssr")]
fn subtree(
    _id: &str,
    sent: Vec<OrgNode>,
    _folded: bool,
    _expanded: RwSignal<bool>,
    selected: Signal<Option<String>>,
) -> (impl Fn() + Clone + 'static, AnyView) {
    let children = (!sent.is_empty()).then(|| {
        sent.into_iter()
            .map(|c| tree_node(c, selected))
            .collect_view()
            .into_any()
    });
    (|| {}, children.into_any())
}

/// In the browser a node's children are drawn when it is first opened and stay drawn
/// (closing only hides them); a folded node's children are fetched then.
#[cfg(not(feature = "ssr"))]
fn subtree(
    id: &str,
    sent: Vec<OrgNode>,
    folded: bool,
    expanded: RwSignal<bool>,
    selected: Signal<Option<String>>,
) -> (impl Fn() + Clone + 'static, AnyView) {
    let lang = use_lang();
    let opened =
        Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || expanded.get());
    let sent = StoredValue::new(sent);
    // Only a folded node needs a way to fetch.
    let fetch = folded.then(|| {
        Action::new(move |id: &String| get_org_children(OrgDetailQuery { id: id.clone() }))
    });
    let key = id.to_owned();
    let toggle = move || {
        expanded.update(|e| *e = !*e);
        if let Some(fetch) = fetch
            && fetch.value().with_untracked(Option::is_none)
            && !fetch.pending().get_untracked()
        {
            fetch.dispatch(key.clone());
        }
    };
    let children = move || {
        if !opened.get() {
            return None;
        }
        let kids = if let Some(fetch) = fetch {
            match fetch.value().get() {
                Some(Ok(kids)) => kids,
                Some(Err(_)) => {
                    return Some(
                        view! {
                            <li class="tree-note" role="alert">{lang.t(T::LoadFailed)}</li>
                        }
                        .into_any(),
                    );
                }
                None => {
                    return Some(
                        view! {
                            <li class="tree-note" aria-busy="true">{lang.t(T::Loading)}</li>
                        }
                        .into_any(),
                    );
                }
            }
        } else {
            sent.get_value()
        };
        Some(
            kids.into_iter()
                .map(|c| tree_node(c, selected))
                .collect_view()
                .into_any(),
        )
    };
    (toggle, children.into_any())
}

/// The whole tree in the caller's scope, read only when `wanted` (for forms that choose an
/// organisation, once they are needed); nothing otherwise.
pub async fn whole_tree_when(wanted: bool) -> Result<Vec<OrgNode>, crate::error::AppError> {
    if wanted {
        crate::api::org::get_org_tree().await
    } else {
        Ok(Vec::new())
    }
}
