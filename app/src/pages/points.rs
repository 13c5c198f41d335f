//! `/learning/points` (积分, issue 15): the caller's points and why (the ledger, newest
//! first), the rules with their daily caps; members' totals by name where the office lets
//! a committee see them; the office's settings.
//!
//! Points are feedback: nothing here ranks anyone or counts time.

use leptos::prelude::*;
use leptos_router::params::Params;

use crate::api::points::{SavePointSettings, branch_points, my_points};
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::filter::{Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error};
use crate::components::table::Pager;
use crate::i18n::{Lang, T, use_lang};
use crate::models::learning::Publisher;
use crate::models::points::{POINTS_PAGE, PointRule, PointSettings, PointsView};

#[derive(Params, PartialEq, Clone, Default)]
struct PointFilters {
    page: Lenient<u32>,
}

impl ListQuery for PointFilters {
    const PATH: &'static str = "/learning/points";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

#[component]
pub fn PointsPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<PointFilters>();
    let save = ServerAction::<SavePointSettings>::new();
    let mine = Resource::new(
        move || (filters.get().page(), save.version().get()),
        |(page, _)| my_points(page),
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::PtTitle)}</h1>
            <a class="btn btn-ghost" href="/learning">{lang.t(T::LnBack)}</a>
        </div>
        <p class="hint">{lang.t(T::PtHint)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    mine.await.map(|p| view! { <PointsBody filters p save/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn rule_lines(lang: Lang, settings: &PointSettings) -> impl IntoView + use<> {
    settings
        .rules
        .iter()
        .map(|r| {
            view! {
                <li>
                    <strong>{lang.t(r.rule.label())}</strong>"："
                    {lang.t(T::PtRuleLine(u32::from(r.amount), u32::from(r.cap)))}
                </li>
            }
        })
        .collect_view()
}

#[component]
fn PointsBody(
    filters: Signal<PointFilters>,
    p: PointsView,
    save: ServerAction<SavePointSettings>,
) -> impl IntoView {
    let lang = use_lang();
    let settings = p.settings.clone().unwrap_or_default();
    let current = filters.get_untracked();
    let ledger = if p.rows.is_empty() {
        view! { <EmptyState message=T::PtEmpty/> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="points-ledger">
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::PtDay)}</th>
                            <th scope="col">{lang.t(T::PtRule)}</th>
                            <th scope="col">{lang.t(T::PtFor)}</th>
                            <th scope="col">{lang.t(T::PtAmount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p.rows
                            .into_iter()
                            .map(|r| view! {
                                <tr data-testid="points-row">
                                    <td>{r.day}</td>
                                    <td>{lang.t(r.rule.label())}</td>
                                    <td>{r.label}</td>
                                    <td>{lang.t(T::PtPlus(u32::from(r.amount)))}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=p.page total=u64::from(p.entries) page_size=POINTS_PAGE
                href=move |n| current.href(n)/>
        }
        .into_any()
    };
    let branches = (!p.branches.is_empty()).then(|| view! { <BranchTotals orgs=p.branches/> });
    let form = p
        .can_set
        .then(|| view! { <SettingsForm save settings=settings.clone()/> });
    view! {
        <section class="card" aria-labelledby="pt-ledger-heading">
            <p class="points-total" data-testid="points-total">
                <strong>{lang.t(T::PtTotal(p.total))}</strong>" · "{lang.t(T::PtYear(p.year))}
            </p>
            <h2 id="pt-ledger-heading">{lang.t(T::PtLedger)}</h2>
            {ledger}
        </section>
        <section class="card" aria-labelledby="pt-rules-heading">
            <h2 id="pt-rules-heading">{lang.t(T::PtRules)}</h2>
            <ul class="link-list" data-testid="points-rules">{rule_lines(lang, &settings)}</ul>
            <p class="hint">{lang.t(T::PtOnce)}</p>
        </section>
        {branches}
        {form}
    }
}

/// Members' totals of one organisation in reach, by name.
#[component]
fn BranchTotals(orgs: Vec<Publisher>) -> impl IntoView {
    let lang = use_lang();
    let first = orgs.first().map(|o| o.id.clone()).unwrap_or_default();
    let org = RwSignal::new(first);
    let totals = Resource::new(move || org.get(), branch_points);
    view! {
        <section class="card" aria-labelledby="pt-branch-heading">
            <h2 id="pt-branch-heading">{lang.t(T::PtBranch)}</h2>
            <p class="hint">{lang.t(T::PtBranchHint)}</p>
            <div class="field">
                <label for="pt-org">{lang.t(T::LnOrg)}</label>
                <select id="pt-org" on:change=move |ev| org.set(event_target_value(&ev))>
                    {orgs
                        .into_iter()
                        .map(|o| view! { <option value=o.id.clone()>{o.name}</option> })
                        .collect_view()}
                </select>
            </div>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        totals.await.map(|b| {
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table" data-testid="points-branch">
                                        <thead>
                                            <tr>
                                                <th scope="col">{lang.t(T::PtMember)}</th>
                                                <th scope="col">{lang.t(T::PtAmount)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {b.members
                                                .into_iter()
                                                .map(|m| view! {
                                                    <tr><td>{m.name}</td><td>{m.total}</td></tr>
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The office's rules: points each and a daily cap per rule, and whether branches see
/// their members' totals.
#[component]
fn SettingsForm(save: ServerAction<SavePointSettings>, settings: PointSettings) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let rows = PointRule::ALL
        .iter()
        .enumerate()
        .map(|(i, &rule)| {
            let (amount, cap) = settings.of(rule);
            view! {
                <fieldset class="row-actions">
                    <legend>{lang.t(rule.label())}</legend>
                    <Field id=format!("pt-amount-{i}") name=format!("input[amounts][{i}]")
                        label=lang.t(T::PtAmountLabel) kind="number" min="0" max="100"
                        value=amount.to_string()/>
                    <Field id=format!("pt-cap-{i}") name=format!("input[caps][{i}]")
                        label=lang.t(T::PtCapLabel) kind="number" min="0" max="1000"
                        value=cap.to_string()/>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="pt-settings-heading">
            <h2 id="pt-settings-heading">{lang.t(T::PtSettings)}</h2>
            <ActionForm action=save attr:data-testid="points-settings">
                {rows}
                <label class="check">
                    <input type="checkbox" name="input[branch_totals]" value="true"
                        checked=settings.branch_totals/>
                    " "{lang.t(T::PtBranchTotals)}
                </label>
                <p class="field-error" role="alert">{move || error("amounts").get()}</p>
                <p class="field-error" role="alert">{move || error("caps").get()}</p>
                <p class="field-error" role="alert">
                    {move || general_error(save.value().get(), &["amounts", "caps"], lang)}
                </p>
                <p class="hint" role="status">
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| lang.t(T::PtSaved))}
                </p>
                <div class="row-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                        {lang.t(T::PtSave)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
