//! `/org`: the organisation tree beside the selected organisation's details.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::access::Role;
use crate::api::org::{ChangeOrg, CreateOrg, UpdateBranch, get_org_detail, get_org_outline};
use crate::components::feedback::{LoadingState, error_panel, field_error, general_error};
use crate::components::later::after_hydration;
use crate::components::layout::use_session;
use crate::components::org_tree::{OrgTree, whole_tree_when};
use crate::components::table::keyed;
use crate::i18n::{Lang, T, use_lang};
use crate::models::org::{
    BranchCategory, OrgDetail, OrgDetailQuery, OrgKind, OrgNode, TermStatus, needs_committee,
};

/// The actions the detail panel offers; the tree and the panel reload after each.
#[derive(Clone, Copy)]
struct OrgActions {
    create: ServerAction<CreateOrg>,
    change: ServerAction<ChangeOrg>,
    branch: ServerAction<UpdateBranch>,
}

#[component]
pub fn OrgPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let selected = Signal::derive(move || query.read().get("id").filter(|s| !s.is_empty()));
    let actions = OrgActions {
        create: ServerAction::<CreateOrg>::new(),
        change: ServerAction::<ChangeOrg>::new(),
        branch: ServerAction::<UpdateBranch>::new(),
    };
    let versions = move || {
        (
            actions.create.version().get(),
            actions.change.version().get(),
            actions.branch.version().get(),
        )
    };
    // The tree as first shown (folded); the whole tree only where a form needs it: the
    // parents an organisation may move under, when one is selected.
    let tree = Resource::new(versions, |_| get_org_outline());
    let forest = Resource::new(
        move || (selected.get().is_some(), versions()),
        |(chosen, _)| whole_tree_when(chosen),
    );
    let session = use_session();
    let detail = Resource::new(
        move || (selected.get(), versions()),
        |(id, _)| async move {
            match id {
                Some(id) => get_org_detail(OrgDetailQuery { id }).await.map(Some),
                None => Ok(None),
            }
        },
    );

    view! {
        <h1>{lang.t(T::OrgTitle)}</h1>
        <div class="org-layout" class:has-selection=move || selected.get().is_some()>
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
                            let roles = session.await.ok().flatten().map(|s| s.roles).unwrap_or_default();
                            let forest = forest.await.unwrap_or_default();
                            detail.await.map(|d| match d {
                                Some(d) => view! {
                                    <OrgDetailView detail=d.clone()/>
                                    {
                                        // The forms are fetched once the page has hydrated.
                                        let args = ManageArgs { detail: d, forest, roles, actions };
                                        after_hydration(|| ().into_any(), move || org_manage(args.clone()))
                                    }
                                }.into_any(),
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
    let (committee, children, history) = (
        detail.committee.clone(),
        detail.children.clone(),
        detail.history.clone(),
    );
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
            <p data-testid="org-term">
                {lang.t(T::TermLabel)}"："
                {match (detail.term_start, detail.term_end) {
                    (Some(a), Some(b)) => format!("{a} – {b} "),
                    _ => String::new(),
                }}
                {term_badge(detail.term, lang)}
            </p>
            {committee_note.map(|n| view! { <p class="hint">{n}</p> })}
            {(!detail.committee.is_empty()).then(|| view! {
                <ul class="committee">
                    {keyed(
                        committee.clone(),
                        |seat| (seat.position, seat.member_id.clone()),
                        move |seat| view! {
                            <li>
                                <span class="seat">{lang.t(seat.position.label())}</span>
                                <a href=format!("/members/{}", seat.member_id)>{seat.member_name.clone()}</a>
                                {seat.dual_leader.then(|| view! {
                                    <span class="badge badge-ok">{lang.t(T::DualLeader)}</span>
                                })}
                            </li>
                        },
                    )}
                </ul>
            })}
        })}
        {(!detail.children.is_empty()).then(|| view! {
            <h4>{lang.t(T::FieldSubOrgs)}</h4>
            <ul class="child-list">
                {keyed(
                    children.clone(),
                    |c| c.id.clone(),
                    |c| view! { <li><a href=format!("/org?id={}", c.id)>{c.name.clone()}</a></li> },
                )}
            </ul>
        })}
        {(!detail.history.is_empty()).then(|| view! {
            <h4>{lang.t(T::OrgHistory)}</h4>
            <ol class="history" data-testid="org-history">
                // Events carry no id of their own: a line's place in the history is its key.
                {keyed(
                    history.clone().into_iter().enumerate(),
                    |(i, _)| *i,
                    move |(_, e)| view! {
                        <li>
                            <time>{lang.day(e.at)}</time>
                            " · "{lang.t(e.what.label())}" · "{e.what.text(lang)}
                            {(!e.reason.is_empty()).then(|| format!("（{}）", e.reason))}
                            " · "{e.actor.clone()}
                        </li>
                    },
                )}
            </ol>
        })}
    }
}

fn term_badge(term: TermStatus, lang: Lang) -> impl IntoView {
    let (class, text) = match term {
        TermStatus::Unset => ("badge", lang.t(T::TermUnset).to_string()),
        TermStatus::Current => ("badge badge-ok", lang.t(T::TermCurrent).to_string()),
        TermStatus::DueSoon { days } => ("badge badge-warn", lang.t(T::TermDueSoon(days))),
        TermStatus::Overdue { days } => ("badge badge-danger", lang.t(T::TermOverdue(days))),
    };
    view! { <span class=class role=(class != "badge" && class != "badge badge-ok").then_some("status")>{text}</span> }
}

/// What the management forms need.
#[derive(Clone)]
struct ManageArgs {
    detail: OrgDetail,
    forest: Vec<OrgNode>,
    roles: Vec<Role>,
    actions: OrgActions,
}

/// The management forms (`#[lazy]`, not part of the page's first load: docs/wasm-size.md).
#[lazy]
fn org_manage(args: ManageArgs) -> AnyView {
    let ManageArgs {
        detail,
        forest,
        roles,
        actions,
    } = args;
    view! { <OrgManage detail forest roles actions/> }.into_any()
}

/// Forms for the office (structure) and the branch committee (departments, term).
#[component]
fn OrgManage(
    detail: OrgDetail,
    forest: Vec<OrgNode>,
    roles: Vec<Role>,
    actions: OrgActions,
) -> impl IntoView {
    let lang = use_lang();
    let office = roles.contains(&Role::CommitteeOffice);
    let branch_role = office || roles.contains(&Role::BranchCommittee);
    let kind = detail.kind;
    let child_kinds: Vec<OrgKind> = [OrgKind::GeneralBranch, OrgKind::Branch, OrgKind::Group]
        .into_iter()
        .filter(|k| kind.may_contain(*k))
        .collect();
    // Where this organisation could move: parents that may contain its kind, outside its
    // own subtree.
    let own: Vec<String> = forest
        .iter()
        .flat_map(|n| n.walk())
        .find(|n| n.id == detail.id)
        .map(|n| n.walk().iter().map(|d| d.id.clone()).collect())
        .unwrap_or_default();
    let targets: Vec<(String, String)> = forest
        .iter()
        .flat_map(|n| n.walk())
        .filter(|n| n.kind.may_contain(kind) && !own.contains(&n.id))
        .filter(|n| detail.parent.as_ref().map(|p| p.id != n.id).unwrap_or(true))
        .map(|n| (n.id.clone(), n.name.clone()))
        .collect();
    let is_root = kind == OrgKind::Committee;
    let has_branch_fields = matches!(kind, OrgKind::Branch | OrgKind::GeneralBranch);
    let create = actions.create;
    let change = actions.change;
    let branch = actions.branch;
    let id = StoredValue::new(detail.id.clone());
    let departments = detail.departments.join("、");
    let create_fields = ["name"];
    let branch_fields = ["value"];
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    let branch_saved = move || matches!(branch.value().get(), Some(Ok(())));
    view! {
        {(branch_role && has_branch_fields).then(|| view! {
            <section class="manage" aria-labelledby="org-branch-heading">
                <h4 id="org-branch-heading">{lang.t(T::FieldCommittee)}" · "{lang.t(T::FieldDepartments)}</h4>
                <ActionForm action=branch attr:class="form-stack">
                    <input type="hidden" name="input[id]" value=id.get_value()/>
                    <input type="hidden" name="input[action]" value="term"/>
                    <div class="field">
                        <label for="org-term-start">{lang.t(T::OrgSetTerm)}</label>
                        <input id="org-term-start" type="date" name="input[value]" required=true/>
                    </div>
                    <button type="submit" class="btn" disabled=move || branch.pending().get()>{lang.t(T::Save)}</button>
                </ActionForm>
                <ActionForm action=branch attr:class="form-stack">
                    <input type="hidden" name="input[id]" value=id.get_value()/>
                    <input type="hidden" name="input[action]" value="departments"/>
                    <div class="field">
                        <label for="org-departments">{lang.t(T::OrgEditDepartments)}</label>
                        <input id="org-departments" type="text" name="input[value]" maxlength="1000"
                            value=departments.clone()/>
                    </div>
                    <button type="submit" class="btn" disabled=move || branch.pending().get()>{lang.t(T::Save)}</button>
                </ActionForm>
                <p class="field-error" role="alert">
                    {move || field_error(branch.value().get(), "value")}
                    {move || general_error(branch.value().get(), &branch_fields, lang)}
                </p>
                {move || branch_saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
            </section>
        })}
        {office.then(|| view! {
            <section class="manage" aria-labelledby="org-manage-heading">
                <h4 id="org-manage-heading">{lang.t(T::OrgManage)}</h4>
                {(!child_kinds.is_empty()).then(|| view! {
                    <details>
                        <summary>{lang.t(T::OrgCreateChild)}</summary>
                        <ActionForm action=create attr:class="form-stack">
                            <input type="hidden" name="input[parent]" value=id.get_value()/>
                            <div class="form-row">
                                <div class="field">
                                    <label for="org-new-kind">{lang.t(T::FieldKind)}</label>
                                    <select id="org-new-kind" name="input[kind]">
                                        {child_kinds.iter().map(|k| view! {
                                            <option value=k.as_str()>{lang.t(k.label())}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="org-new-category">{lang.t(T::FieldCategory)}</label>
                                    <select id="org-new-category" name="input[category]">
                                        {[BranchCategory::Clinical, BranchCategory::Medtech, BranchCategory::Admin,
                                          BranchCategory::Retiree, BranchCategory::Student].into_iter().map(|c| view! {
                                            <option value=c.as_str()>{lang.t(c.label())}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            </div>
                            <div class="field">
                                <label for="org-new-name">{lang.t(T::OrgName)}</label>
                                <input id="org-new-name" type="text" name="input[name]" maxlength="100" required=true
                                    aria-describedby="org-new-name-error"/>
                                <p id="org-new-name-error" class="field-error" role="alert">
                                    {move || field_error(create.value().get(), "name")}
                                </p>
                            </div>
                            <div class="field">
                                <label for="org-new-departments">{lang.t(T::OrgEditDepartments)}</label>
                                <input id="org-new-departments" type="text" name="input[departments]" maxlength="1000"/>
                            </div>
                            <p class="field-error" role="alert">
                                {move || general_error(create.value().get(), &create_fields, lang)}
                            </p>
                            {move || created().then(|| view! { <p class="saved" role="status">{lang.t(T::OrgCreated)}</p> })}
                            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                                {lang.t(T::OrgCreateChild)}
                            </button>
                        </ActionForm>
                    </details>
                })}
                <details>
                    <summary>{lang.t(T::OrgRename)}</summary>
                    <ActionForm action=change attr:class="form-stack">
                        <input type="hidden" name="input[id]" value=id.get_value()/>
                        <input type="hidden" name="input[action]" value="rename"/>
                        <div class="field">
                            <label for="org-rename">{lang.t(T::OrgName)}</label>
                            <input id="org-rename" type="text" name="input[value]" maxlength="100" required=true
                                value=detail.name.clone()/>
                        </div>
                        <button type="submit" class="btn" disabled=move || change.pending().get()>{lang.t(T::Save)}</button>
                    </ActionForm>
                </details>
                {(!is_root).then(|| view! {
                    <details>
                        <summary>{lang.t(T::OrgMove)}</summary>
                        <ActionForm action=change attr:class="form-stack">
                            <input type="hidden" name="input[id]" value=id.get_value()/>
                            <input type="hidden" name="input[action]" value="move"/>
                            <div class="field">
                                <label for="org-move-parent">{lang.t(T::OrgNewParent)}</label>
                                <select id="org-move-parent" name="input[value]">
                                    {keyed(
                                        targets.clone(),
                                        |(value, _)| value.clone(),
                                        |(value, name)| view! { <option value=value>{name}</option> },
                                    )}
                                </select>
                            </div>
                            <div class="field">
                                <label for="org-move-reason">{lang.t(T::Reason)}</label>
                                <input id="org-move-reason" type="text" name="input[reason]" maxlength="200" required=true/>
                            </div>
                            <button type="submit" class="btn" disabled=move || change.pending().get()>{lang.t(T::Save)}</button>
                        </ActionForm>
                    </details>
                    <details>
                        <summary>{lang.t(T::OrgDissolve)}</summary>
                        <ActionForm action=change attr:class="form-stack">
                            <input type="hidden" name="input[id]" value=id.get_value()/>
                            <input type="hidden" name="input[action]" value="dissolve"/>
                            <div class="field">
                                <label for="org-dissolve-reason">{lang.t(T::Reason)}</label>
                                <input id="org-dissolve-reason" type="text" name="input[reason]" maxlength="200" required=true/>
                            </div>
                            <label class="check">
                                <input type="checkbox" required=true/>
                                {lang.t(T::OrgDissolveConfirm)}
                            </label>
                            <button type="submit" class="btn btn-danger" disabled=move || change.pending().get()>
                                {lang.t(T::OrgDissolve)}
                            </button>
                        </ActionForm>
                    </details>
                })}
                <p class="field-error" role="alert" data-testid="org-change-error">
                    {move || general_error(change.value().get(), &[], lang)}
                </p>
                {move || changed().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
            </section>
        })}
    }
}
