//! Required learning (必学, issue 15).
//!
//! - `/learning/required`: what the caller owes (each with its deadline and where they
//!   stand, done on a day, not done, overdue); for a committee and the office, the
//!   requirements they set or watch with how many of the members in their reach are done,
//!   and the form to set one (what: a published course, one item of it, or a quiz; for which
//!   organisations and which members, found by name or pinyin initials; by when).
//!   `?what=course:<key>` preselects the course (the course page links so);
//!   `?what=item:<key>&course=<key>` the item and its course (the item page links so). A
//!   course's items are fetched once it is chosen, after the page has hydrated.
//! - `/learning/required/<id>`: one requirement's completion by organisation and member
//!   (those not done first), exported as the same to Excel (`/export/required.xlsx`); its
//!   setters change the deadline or withdraw it (its organisations and members are kept).
//!
//! Completion is read from progress and quiz results: nobody checks in, nothing is ranked.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::Params;

use crate::api::required::{DeleteRequirement, SaveRequirement, get_requirement, list_required};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{
    EmptyState, LoadingState, encode_query, error_panel, general_error,
};
use crate::components::filter::{Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error, successes};
use crate::components::table::Pager;
use crate::error::AppError;
use crate::i18n::{Lang, T, use_lang};
use crate::models::closed_loop::Picked;
use crate::models::required::{
    MEMBERS_MAX, MyRequirement, REQUIRED_PAGE, RequiredPage, RequirementRow, RequirementView,
    Standing,
};

#[derive(Params, PartialEq, Clone, Default)]
struct RequiredFilters {
    page: Lenient<u32>,
}

impl ListQuery for RequiredFilters {
    const PATH: &'static str = "/learning/required";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

/// The form's fields, whose errors show under them.
const FIELDS: [&str; 6] = ["org", "what", "title", "targets", "members", "due"];

/// A member's standing as a badge.
fn standing_badge(lang: Lang, s: &Standing) -> impl IntoView + use<> {
    let (class, text) = if s.is_done() && s.late {
        (
            "badge badge-warn",
            lang.t(T::RqDoneLate(&s.done)).to_string(),
        )
    } else if s.is_done() {
        ("badge badge-ok", lang.t(T::RqDoneOn(&s.done)).to_string())
    } else if s.overdue {
        ("badge badge-danger", lang.t(T::RqOverdue).to_string())
    } else {
        ("badge badge-muted", lang.t(T::RqOpen).to_string())
    };
    view! { <span class=class>{text}</span> }
}

#[component]
pub fn RequiredListPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<RequiredFilters>();
    let save = ServerAction::<SaveRequirement>::new();
    let saved = successes(save.value().into(), save.version().into());
    let list = Resource::new(
        move || (filters.get().page(), saved.get()),
        |(page, _)| list_required(page),
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::RqTitle)}</h1>
            <a class="btn btn-ghost" href="/learning">{lang.t(T::LnBack)}</a>
        </div>
        <p class="hint">{lang.t(T::RqHint)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    list.await.map(|page| view! { <RequiredBody filters page save/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn RequiredBody(
    filters: Signal<RequiredFilters>,
    page: RequiredPage,
    save: ServerAction<SaveRequirement>,
) -> impl IntoView {
    let lang = use_lang();
    let for_form = page.clone_form();
    let manager = !page.publishers.is_empty() || !page.set.is_empty();
    let mine = (!page.mine.is_empty() || !manager).then(|| {
        let rows = if page.mine.is_empty() {
            view! { <EmptyState message=T::RqMineEmpty/> }.into_any()
        } else {
            view! {
                <ul class="link-list" data-testid="required-mine">
                    {page.mine.into_iter().map(|m| mine_row(lang, m)).collect_view()}
                </ul>
            }
            .into_any()
        };
        view! {
            <section class="card" aria-labelledby="rq-mine-heading">
                <h2 id="rq-mine-heading">{lang.t(T::RqMine)}</h2>
                {rows}
            </section>
        }
    });
    let set = manager.then(|| {
        let current = filters.get_untracked();
        let rows = if page.set.is_empty() {
            view! { <EmptyState message=T::RqSetEmpty/> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data-table" data-testid="required-set">
                        <thead>
                            <tr>
                                <th scope="col">{lang.t(T::RqTitle)}</th>
                                <th scope="col">{lang.t(T::RqWhat)}</th>
                                <th scope="col">{lang.t(T::RqTargets)}</th>
                                <th scope="col">{lang.t(T::RqDue)}</th>
                                <th scope="col">{lang.t(T::RqDetail)}</th>
                            </tr>
                        </thead>
                        <tbody>{page.set.into_iter().map(|r| set_row(lang, r)).collect_view()}</tbody>
                    </table>
                </div>
                <Pager page=page.page total=u64::from(page.total) page_size=REQUIRED_PAGE
                    href=move |n| current.href(n)/>
            }
            .into_any()
        };
        view! {
            <section class="card" aria-labelledby="rq-set-heading">
                <h2 id="rq-set-heading">{lang.t(T::RqSet)}</h2>
                {rows}
            </section>
        }
    });
    let form = (!for_form.publishers.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="rq-new-heading">
                <h2 id="rq-new-heading">{lang.t(T::RqNew)}</h2>
                <RequirementForm save page=for_form/>
            </section>
        }
    });
    view! { {mine} {set} {form} }
}

impl RequiredPage {
    /// What the form needs of the page (its choices, organisations and today).
    fn clone_form(&self) -> RequiredPage {
        RequiredPage {
            publishers: self.publishers.clone(),
            choices: self.choices.clone(),
            today: self.today.clone(),
            ..RequiredPage::default()
        }
    }
}

fn mine_row(lang: Lang, m: MyRequirement) -> impl IntoView {
    view! {
        <li class="required-row" data-testid="required-mine-row">
            <a href=m.href.clone()>{m.title}</a>
            <span class="badge badge-muted">{lang.t(m.kind.label())}</span>
            <span class="hint">{lang.t(T::RqSetBy(&m.org_name))}" · "{lang.t(T::RqDueOn(&m.due))}</span>
            {standing_badge(lang, &m.standing)}
            {(!m.standing.is_done()).then(|| view! {
                <a class="btn btn-ghost" href=m.href>{lang.t(T::RqGo)}</a>
            })}
        </li>
    }
}

fn set_row(lang: Lang, r: RequirementRow) -> impl IntoView {
    view! {
        <tr data-testid="required-set-row">
            <td><a href=format!("/learning/required/{}", r.id)>{r.title}</a></td>
            <td>{lang.t(r.kind.label())}"："{r.what_title}</td>
            <td>{r.targets.iter().chain(&r.members).cloned().collect::<Vec<_>>().join("、")}</td>
            <td>{r.due}</td>
            <td>{lang.t(T::RqDoneOf(r.done, r.total))}</td>
        </tr>
    }
}

/// A new requirement. What was typed stays when the server refuses; the list above shows
/// it once set.
#[component]
fn RequirementForm(save: ServerAction<SaveRequirement>, page: RequiredPage) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let (preselected, pre_item) = use_query_map().with_untracked(|q| {
        let what = q.get("what").unwrap_or_default();
        // An item's page names the item and its course: the course is chosen in the first
        // select, the item in the second.
        if what.starts_with("item:") {
            (
                format!("course:{}", q.get("course").unwrap_or_default()),
                what,
            )
        } else {
            (what, String::new())
        }
    });
    // The course or quiz chosen, and the item of that course (`item:<key>`, or empty for
    // the whole course): an item chosen is what the form sends.
    let what = RwSignal::new(preselected.clone());
    let item = RwSignal::new(pre_item.clone());
    let form = NodeRef::<leptos::html::Form>::new();
    // Members named individually: (key, label), carried by the form as hidden inputs.
    let picked = RwSignal::new(Vec::<Picked>::new());
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_)))
            && let Some(f) = form.get_untracked()
        {
            f.reset();
            picked.set(Vec::new());
            item.set(String::new());
            what.set(preselected.clone());
        }
    });
    let first = page
        .publishers
        .first()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    // A month from today unless changed: the usual span of a round of required learning.
    let due = crate::models::wire_date::parse_date(&page.today)
        .and_then(|d| d.checked_add_days(chrono::Days::new(30)))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let targets = page
        .publishers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            view! {
                <label class="check">
                    <input type="checkbox" name=format!("input[targets][{i}]") value=p.id.clone()
                        checked=p.id == first/>
                    " "{p.name.clone()}
                </label>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=save node_ref=form attr:data-testid="required-form">
            <Field id="rq-org" name="input[org]" label=lang.t(T::LnOrg) error=error("org")>
                {page
                    .publishers
                    .iter()
                    .map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> })
                    .collect_view()}
            </Field>
            <div class="field">
                <label for="rq-what">{lang.t(T::RqWhat)}</label>
                // Sent unless an item of the course is chosen below.
                <select id="rq-what" name=move || item.with(String::is_empty).then_some("input[what]")
                    aria-describedby="rq-what-error"
                    aria-invalid=move || error("what").with(Option::is_some).to_string()
                    on:change=move |ev| {
                        item.set(String::new());
                        what.set(event_target_value(&ev));
                    }>
                    <option value="">{lang.t(T::RqWhatPick)}</option>
                    {page
                        .choices
                        .into_iter()
                        .map(|c| {
                            let selected = c.value == what.get_untracked();
                            view! { <option value=c.value selected=selected>{c.label}</option> }
                        })
                        .collect_view()}
                </select>
                <p id="rq-what-error" class="field-error" role="alert">{move || error("what").get()}</p>
            </div>
            // Until the page has hydrated, an item named by the address goes as it is.
            {crate::components::later::after_hydration(
                move || kept_item(&pre_item),
                move || item_picker(what, item),
            )}
            <Field id="rq-title" name="input[title]" label=lang.t(T::RqName) error=error("title")
                maxlength=60/>
            <fieldset class="checks checks-scroll">
                <legend>{lang.t(T::RqTargets)}</legend>
                {targets}
            </fieldset>
            <p class="field-error" role="alert">{move || error("targets").get()}</p>
            // The keys go with the form; the picker (a search among the members the caller
            // reaches) is fetched once the page has hydrated.
            {move || {
                picked
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, (key, _))| view! {
                        <input type="hidden" name=format!("input[members][{i}]") value=key/>
                    })
                    .collect_view()
            }}
            {crate::components::later::after_hydration(|| ().into_any(), move || member_picker(picked))}
            <p class="field-error" role="alert">{move || error("members").get()}</p>
            <Field id="rq-due" name="input[due]" label=lang.t(T::RqDue) error=error("due")
                kind="date" required=true value=due/>
            <p class="field-error" role="alert">
                {move || general_error(save.value().get(), &FIELDS, lang)}
            </p>
            <p class="hint" role="status">
                {move || matches!(save.value().get(), Some(Ok(_))).then(|| lang.t(T::RqSaved))}
            </p>
            <div class="row-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {lang.t(T::RqCreate)}
                </button>
            </div>
        </ActionForm>
    }
}

/// The item a form sends as it is (a hidden field), if any.
fn kept_item(item: &str) -> AnyView {
    (!item.is_empty())
        .then(|| view! { <input type="hidden" name="input[what]" value=item.to_string()/> })
        .into_any()
}

/// A course's items as `(item:<key>, "chapter · title")`, in a file of its own
/// (`#[lazy]`): fetched once a course is chosen, not with the page.
#[lazy]
async fn course_items(course: String) -> Result<Vec<(String, String)>, AppError> {
    let c = crate::api::learning::get_course(course).await?;
    Ok(c.chapters
        .into_iter()
        .flat_map(|ch| {
            let chapter = ch.title;
            ch.items
                .into_iter()
                .map(move |i| (format!("item:{}", i.id), format!("{chapter} · {}", i.title)))
        })
        .collect())
}

/// The item picker, fetched once the form has hydrated.
#[lazy]
fn item_picker(what: RwSignal<String>, item: RwSignal<String>) -> AnyView {
    view! { <ItemPicker what item/> }.into_any()
}

/// One item of the course chosen, or (empty) the whole course: the items are fetched each
/// time a course is chosen; while they are not there, an item already chosen goes as it is.
#[component]
fn ItemPicker(what: RwSignal<String>, item: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let items = RwSignal::new(Vec::<(String, String)>::new());
    let last = StoredValue::new(0u32);
    Effect::new(move |_| {
        let course = what.with(|w| w.strip_prefix("course:").map(str::to_string));
        // A newer choice wins over an older one still under way.
        let n = last.get_value().wrapping_add(1);
        last.set_value(n);
        items.set(Vec::new());
        let Some(course) = course.filter(|c| !c.is_empty()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(list) = course_items(course).await
                && last.get_value() == n
            {
                // An item not of this course (an address made by hand): the whole course.
                if !item.with_untracked(|i| list.iter().any(|(v, _)| v == i)) {
                    item.set(String::new());
                }
                items.set(list);
            }
        });
    });
    move || {
        if items.with(Vec::is_empty) {
            return kept_item(&item.get_untracked());
        }
        let chosen = item.get_untracked();
        view! {
            <div class="field">
                <label for="rq-item">{lang.t(T::RqItemPick)}</label>
                <select id="rq-item" data-testid="required-item"
                    name=move || (!item.with(String::is_empty)).then_some("input[what]")
                    on:change=move |ev| item.set(event_target_value(&ev))>
                    <option value="">{lang.t(T::RqItemWhole)}</option>
                    {items
                        .get()
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = value == chosen;
                            view! { <option value=value selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
        .into_any()
    }
}

/// The member picker (`components::member_picker`), fetched once the form has hydrated.
#[lazy]
fn member_picker(picked: RwSignal<Vec<Picked>>) -> AnyView {
    use crate::components::member_picker::MemberPicker;
    view! {
        <MemberPicker picked name="required" legend=T::RqMembers hint=T::RqMembersHint
            max=MEMBERS_MAX/>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// /learning/required/<id>: one requirement's completion.

#[component]
pub fn RequirementPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let save = ServerAction::<SaveRequirement>::new();
    let saved = successes(save.value().into(), save.version().into());
    let found = Resource::new(move || (id(), saved.get()), |(id, _)| get_requirement(id));
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    found.await.map(|r| view! { <RequirementBody r save/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn RequirementBody(r: RequirementView, save: ServerAction<SaveRequirement>) -> impl IntoView {
    let lang = use_lang();
    let row = r.row;
    let branches = r
        .branches
        .into_iter()
        .map(|b| {
            view! {
                <tr>
                    <td>{b.name}</td>
                    <td>{lang.t(T::RqDoneOf(b.done, b.total))}</td>
                </tr>
            }
        })
        .collect_view();
    let members = if r.members.is_empty() {
        view! { <EmptyState message=T::RqNoMembers/> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="required-members">
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::RqMember)}</th>
                            <th scope="col">{lang.t(T::RqOrg)}</th>
                            <th scope="col">{lang.t(T::RqStanding)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.members
                            .into_iter()
                            .map(|m| view! {
                                <tr data-testid="required-member">
                                    <td><a href=format!("/learning/members/{}", m.id)>{m.name}</a></td>
                                    <td>{m.org_name}</td>
                                    <td>{standing_badge(lang, &m.standing)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let edit = row
        .editable
        .then(|| view! { <EditRequirement row=row.clone() save/> });
    // Whoever reads the completion may export it (the same rule and reach).
    let export = format!("/export/required.xlsx?id={}", encode_query(&row.id));
    view! {
        <div class="page-head">
            <h1>{row.title.clone()}</h1>
            <a class="btn btn-ghost" href="/learning/required">{lang.t(T::RqTitle)}</a>
        </div>
        <section class="card" aria-labelledby="rq-detail-heading">
            <h2 id="rq-detail-heading">{lang.t(T::RqDetail)}</h2>
            <p>
                {lang.t(row.kind.label())}"："<a href=r.href>{row.what_title.clone()}</a>
                " · "{lang.t(T::RqSetBy(&row.org_name))}" · "{lang.t(T::RqDueOn(&row.due))}
            </p>
            {(!row.targets.is_empty()).then(|| view! {
                <p>{lang.t(T::RqTargets)}"："{row.targets.join("、")}</p>
            })}
            {(!row.members.is_empty()).then(|| view! {
                <p data-testid="required-named">{lang.t(T::RqMembers)}"："{row.members.join("、")}</p>
            })}
            <p class="required-total" data-testid="required-total">
                <strong>{lang.t(T::RqDoneOf(row.done, row.total))}</strong>
            </p>
            <p>
                <a class="btn btn-ghost" href=export rel="external" download="" data-testid="required-export">
                    {lang.t(T::RqExport)}
                </a>
            </p>
            <h3>{lang.t(T::RqByBranch)}</h3>
            <div class="table-wrap">
                <table class="data-table" data-testid="required-branches">
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::RqOrg)}</th>
                            <th scope="col">{lang.t(T::RqDetail)}</th>
                        </tr>
                    </thead>
                    <tbody>{branches}</tbody>
                </table>
            </div>
            <h3>{lang.t(T::RqByMember)}</h3>
            {members}
        </section>
        {edit}
    }
}

/// Its setters change the deadline (and the name) or withdraw it.
#[component]
fn EditRequirement(row: RequirementRow, save: ServerAction<SaveRequirement>) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let withdraw = ServerAction::<DeleteRequirement>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(withdraw.value().get(), Some(Ok(()))) {
            navigate("/learning/required", Default::default());
        }
    });
    let id = row.id.clone();
    view! {
        <section class="card" aria-labelledby="rq-edit-heading">
            <h2 id="rq-edit-heading">{lang.t(T::RqChangeDue)}</h2>
            <ActionForm action=save attr:data-testid="required-edit">
                <input type="hidden" name="input[id]" value=row.id.clone()/>
                // The organisations and members stay as they were (the names shown above).
                <TargetsKept row=row.clone()/>
                <Field id="rq-edit-title" name="input[title]" label=lang.t(T::RqName)
                    error=error("title") maxlength=60 value=row.title.clone()/>
                <Field id="rq-edit-due" name="input[due]" label=lang.t(T::RqDue) error=error("due")
                    kind="date" required=true value=row.due.clone()/>
                <p class="field-error" role="alert">
                    {move || general_error(save.value().get(), &FIELDS, lang)}
                </p>
                <div class="row-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                        {lang.t(T::RqChangeDue)}
                    </button>
                </div>
            </ActionForm>
            // Outside the form above: a form may not hold another.
            <div class="row-actions">
                <ConfirmDialog trigger=lang.t(T::RqWithdraw) message=lang.t(T::RqWithdrawConfirm)>
                    <ActionForm action=withdraw attr:class="inline-form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="btn btn-primary" data-testid="required-withdraw">
                            {lang.t(T::Confirm)}
                        </button>
                    </ActionForm>
                </ConfirmDialog>
            </div>
            <p class="field-error" role="alert">
                {move || general_error(withdraw.value().get(), &[], lang)}
            </p>
        </section>
    }
}

/// The requirement's organisations and members as hidden inputs (the edit form keeps
/// them).
#[component]
fn TargetsKept(row: RequirementRow) -> impl IntoView {
    let targets = row
        .target_keys
        .into_iter()
        .enumerate()
        .map(|(i, t)| view! { <input type="hidden" name=format!("input[targets][{i}]") value=t/> })
        .collect_view();
    let members = row
        .member_keys
        .into_iter()
        .enumerate()
        .map(|(i, m)| view! { <input type="hidden" name=format!("input[members][{i}]") value=m/> })
        .collect_view();
    view! { {targets} {members} }
}
