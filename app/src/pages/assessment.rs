//! `/tasks/rectifications`, `/tasks/ranking`, `/tasks/branches/:org` and
//! `/tasks/periods`: rectification (整改), the committee's ranking, a branch's assessment
//! and the periods with their indicator trees. The closed loop's second half.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::Params;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::api::assessment::{
    ClosePeriod, SavePeriod, get_branch_assessment, get_period, get_ranking, list_periods,
    list_rectifications,
};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{
    EmptyState, LoadingState, encode_query, error_panel, general_error,
};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error};
use crate::components::later::after_hydration;
use crate::components::layout::{Session, use_session};
use crate::components::table::{Column, DataTable, Pager, keyed};
use crate::components::upload::link_list;
use crate::i18n::{Lang, T, use_lang};
use crate::models::assessment::{
    Dimension, PeriodStatus, RectificationStatus, StarThresholds, show_points,
};
use crate::models::closed_loop::{
    AssignmentSummary, BranchAssessment, IndicatorScore, IndicatorView, PeriodSummary, PeriodView,
    Ranking, RectificationQuery, RectificationView, ScoreRow, show_stars,
};
use crate::models::org::OrgKind;
use crate::pages::indicator_editor::{TreeDraft, TreeEditor};
use crate::pages::rect_tools as tools;

// ---------------------------------------------------------------------------------------
// Shared pieces

/// The roles of the signed-in account (none while signed out).
async fn roles_of(session: Session) -> Vec<Role> {
    session
        .await
        .ok()
        .flatten()
        .map(|s| s.roles)
        .unwrap_or_default()
}

fn is_office(roles: &[Role]) -> bool {
    roles.contains(&Role::CommitteeOffice)
}

/// A star rating as "★★★★☆", read out as "4 星".
fn stars_view(n: u8, lang: Lang, testid: Option<&'static str>) -> impl IntoView {
    let n = n.min(5);
    let shown: String = (0..5).map(|i| if i < n { '★' } else { '☆' }).collect();
    view! {
        <span class="stars" role="img" aria-label=lang.t(T::ScStars(n)) data-testid=testid>{shown}</span>
    }
}

/// The thresholds of a period in a sentence.
fn thresholds_text(stars: &StarThresholds, lang: Lang) -> String {
    let p = stars.0.map(show_points);
    lang.t(T::ScThresholds(&p[0], &p[1], &p[2], &p[3]))
}

/// A deadline, marked in red and in words once it has passed.
fn deadline_view(d: NaiveDate, overdue: bool, lang: Lang) -> impl IntoView {
    let class = if overdue { "overdue" } else { "" };
    view! {
        <span class=class>{lang.date(d)}</span>
        {overdue.then(|| view! {
            " "<span class="badge badge-danger">{lang.t(T::ScOverdueBadge)}</span>
        })}
    }
}

/// A choice of period that reloads `path` with `?period=`: a GET form, followed in the
/// app without a reload.
fn period_picker(periods: Vec<PeriodSummary>, current: String, path: String) -> AnyView {
    let lang = use_lang();
    let navigate = use_navigate();
    let action = path.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let form = event_target::<web_sys::HtmlFormElement>(&ev);
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        ev.prevent_default();
        let period = data.get("period").as_string().unwrap_or_default();
        navigate(
            &format!("{path}?period={}", encode_query(&period)),
            Default::default(),
        );
    };
    view! {
        <form method="get" action=action class="filter-bar no-print" on:submit=on_submit
            data-testid="period-picker">
            <Field id="period-pick" name="period" label=lang.t(T::ScPeriod)>
                {keyed(periods, |p| p.id.clone(), move |p| {
                    let selected = p.id == current;
                    view! { <option value=p.id.clone() selected=selected>{p.name.clone()}</option> }
                })}
            </Field>
            <button type="submit" class="btn btn-ghost">{lang.t(T::ScShow)}</button>
        </form>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// `/tasks/rectifications`

/// The rectification list's filters, as the URL holds them.
#[derive(Params, PartialEq, Clone, Default)]
struct RectFilters {
    status: Option<String>,
    org: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for RectFilters {
    const PATH: &'static str = "/tasks/rectifications";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("status", self.status.clone().unwrap_or_default()),
            ("org", self.org.clone().unwrap_or_default()),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

/// The rectification items within the caller's reach, overdue first: the branch answers,
/// the office closes or reopens, and the office records findings.
#[component]
pub fn RectificationsPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<RectFilters>();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<T>);
    let list = Resource::new(
        move || {
            let f = filters.get();
            (
                RectificationQuery {
                    page: f.page(),
                    status: f.status.unwrap_or_default(),
                    org: f.org.unwrap_or_default(),
                },
                refresh.get(),
            )
        },
        |(query, _)| list_rectifications(query),
    );
    let session = use_session();
    let initial = filters.get_untracked();
    let status = initial.status.clone().unwrap_or_default();
    let option = move |value: &'static str, label: T| {
        view! { <option value=value selected=status == value>{lang.t(label)}</option> }
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::ScRectTitle)}</h1>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let roles = roles_of(session).await;
                is_office(&roles).then(|| {
                    // The office's form is fetched once the page has hydrated.
                    after_hydration(|| ().into_any(), move || tools::finding_form(refresh))
                })
            })}
        </Suspense>
        <section class="card">
            <FilterBar filters primary=true>
                <input type="hidden" name="org" value=initial.org.clone().unwrap_or_default()/>
                <Field id="rect-status" name="status" label=lang.t(T::ScStatus)>
                    {option("", T::AllText)}
                    {RectificationStatus::ALL
                        .iter()
                        .map(|s| option(s.as_str(), s.label()))
                        .collect_view()}
                    {option("overdue", T::ScOverdue)}
                </Field>
            </FilterBar>
            <p class="saved" role="status">{move || notice.get().map(|t| lang.t(t))}</p>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        list.await.map(|p| {
                            if p.items.is_empty() {
                                return view! { <EmptyState message=T::ScRectEmpty/> }.into_any();
                            }
                            let f = filters.get_untracked();
                            view! {
                                <ol class="rect-list" data-testid="rectification-list">
                                    {keyed(p.items, |r| r.id.clone(), move |item| view! {
                                        <RectItem item refresh notice/>
                                    })}
                                </ol>
                                <Pager page=p.page total=p.total page_size=p.page_size
                                    href=move |n| f.href(n)/>
                            }
                            .into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One rectification item with what the caller may do with it. Each item has its own
/// action, so a refusal shows beside the item it is about; a success reloads the list.
#[component]
fn RectItem(
    item: RectificationView,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<T>>,
) -> impl IntoView {
    let lang = use_lang();
    let args = tools::RectActionsArgs {
        id: item.id.clone(),
        org: item.org_id.clone(),
        actions: item.actions.clone(),
        refresh,
        notice,
    };
    // The answer, close and reopen forms are fetched once the page has hydrated.
    let actions = after_hydration(|| ().into_any(), move || tools::rect_actions(args.clone()));
    let r = item;
    let text = |label: T, value: String| {
        (!value.trim().is_empty()).then(|| {
            view! {
                <dt>{lang.t(label)}</dt>
                <dd class="rect-text">{value}</dd>
            }
        })
    };
    view! {
        <li class="card rect-item" data-testid="rectification-item">
            <h2 class="detail-title">{r.problem.clone()}</h2>
            <dl class="detail-grid">
                <dt>{lang.t(T::ScBranch)}</dt>
                <dd>{r.org_name.clone()}</dd>
                <dt>{lang.t(T::ScSource)}</dt>
                <dd>
                    {lang.t(r.source.label())}
                    {r.assignment.clone().map(|a| view! {
                        " · "<a href=format!("/tasks/assignments/{a}")>{lang.t(T::ScFromTask)}</a>
                    })}
                </dd>
                {text(T::ScRequired, r.required.clone())}
                {text(T::ScOwner, r.owner.clone())}
                <dt>{lang.t(T::ScDeadline)}</dt>
                <dd>{deadline_view(r.deadline, r.overdue, lang)}</dd>
                <dt>{lang.t(T::ScStatus)}</dt>
                <dd><span class="badge" data-testid="rectification-status">{lang.t(r.status.label())}</span></dd>
                {text(T::ScAnswer, r.answer.clone())}
                {(!r.links.is_empty()).then(|| view! {
                    <dt>{lang.t(T::ScEvidence)}</dt>
                    <dd data-testid="rectification-evidence">{link_list(lang, r.links.clone())}</dd>
                })}
                {text(T::ScNote, r.note.clone())}
            </dl>
            {actions}
        </li>
    }
}

// ---------------------------------------------------------------------------------------
// `/tasks/ranking`

/// What the ranking page shows: the office sees the ranking; a branch committee, which may
/// not, gets links to its own branches' pages.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum RankingData {
    NoPeriods,
    Ranked {
        periods: Vec<PeriodSummary>,
        ranking: Ranking,
    },
    Branches {
        period: String,
        branches: Vec<(String, String)>,
    },
}

/// The period asked for in `?period=`, else the newest.
fn chosen_period(periods: &[PeriodSummary], wanted: String) -> Option<String> {
    if wanted.is_empty() {
        periods.first().map(|p| p.id.clone())
    } else {
        Some(wanted)
    }
}

const RANKING_COLUMNS: [Column; 7] = [
    Column::new(T::ScRank),
    Column::new(T::ScBranch),
    Column::new(T::ScTotal),
    Column::new(T::AsDimEffectiveness),
    Column::new(T::AsDimSynergy),
    Column::new(T::AsDimSatisfaction),
    Column::new(T::ScStarsCol),
];

#[component]
pub fn RankingPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let wanted = Memo::new(move |_| query.read().get("period").unwrap_or_default());
    let session = use_session();
    let data = Resource::new(
        move || wanted.get(),
        move |wanted| async move {
            let roles = roles_of(session).await;
            let periods = list_periods().await?;
            let Some(period) = chosen_period(&periods, wanted) else {
                return Ok(RankingData::NoPeriods);
            };
            if !is_office(&roles) {
                let forest = crate::api::org::get_org_tree().await?;
                let branches = forest
                    .iter()
                    .flat_map(|n| n.walk())
                    .filter(|n| n.kind == OrgKind::Branch)
                    .map(|n| (n.id.clone(), n.name.clone()))
                    .collect();
                return Ok(RankingData::Branches { period, branches });
            }
            let ranking = get_ranking(period).await?;
            Ok::<_, crate::error::AppError>(RankingData::Ranked { periods, ranking })
        },
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::ScRanking)}</h1>
            <a class="btn btn-ghost" href="/tasks/periods">{lang.t(T::ScPeriods)}</a>
        </div>
        <section class="card">
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        data.await.map(|d| match d {
                            RankingData::NoPeriods => view! { <EmptyState message=T::ScNoPeriods/> }.into_any(),
                            RankingData::Branches { period, branches } => view! {
                                <p>{lang.t(T::ScRankingOffice)}</p>
                                <ul>
                                    {keyed(branches, |(id, _)| id.clone(), move |(id, name)| view! {
                                        <li><a href=format!("/tasks/branches/{id}?period={}", encode_query(&period))>{name}</a></li>
                                    })}
                                </ul>
                            }
                            .into_any(),
                            RankingData::Ranked { periods, ranking } => {
                                let period = ranking.period.id.clone();
                                let link_period = period.clone();
                                let export = format!("/export/ranking.xlsx?period={}", encode_query(&period));
                                view! {
                                    {period_picker(periods, period, "/tasks/ranking".into())}
                                    <p class="no-print">
                                        <a class="btn btn-ghost" href=export rel="external" download="" data-testid="ranking-export">
                                            {lang.t(T::ScExport)}
                                        </a>
                                    </p>
                                    <p class="hint" data-testid="ranking-thresholds">
                                        {format!(
                                            "{} · {} · {}",
                                            ranking.period.name,
                                            lang.t(T::ScDateRange(ranking.period.starts, ranking.period.ends)),
                                            lang.t(ranking.period.status.label()),
                                        )}
                                        <br/>
                                        {thresholds_text(&ranking.period.stars, lang)}
                                    </p>
                                    <DataTable
                                        columns=RANKING_COLUMNS
                                        rows=ranking.rows
                                        row_key=|r: &ScoreRow| r.org_id.clone()
                                        row=move |r: ScoreRow| view! {
                                            <tr>
                                                <td>{r.rank}</td>
                                                <td>
                                                    <a href=format!("/tasks/branches/{}?period={}", r.org_id, encode_query(&link_period))>
                                                        {r.org_name.clone()}
                                                    </a>
                                                </td>
                                                <td><strong>{show_points(r.score.total)}</strong></td>
                                                <td>{show_points(r.score.effectiveness)}</td>
                                                <td>{show_points(r.score.synergy)}</td>
                                                <td>{show_points(r.score.satisfaction)}</td>
                                                <td>{stars_view(r.stars, lang, None)}</td>
                                            </tr>
                                        }
                                        empty=T::ScRankingEmpty
                                        testid="ranking-table"
                                    />
                                }
                                .into_any()
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// `/tasks/branches/:org`

const ASSIGNMENT_COLUMNS: [Column; 5] = [
    Column::new(T::ScTask),
    Column::new(T::ScIndicator2),
    Column::new(T::ScStatus),
    Column::new(T::ScDue),
    Column::new(T::ScScore),
];

const BRANCH_RECT_COLUMNS: [Column; 4] = [
    Column::new(T::ScProblem),
    Column::new(T::ScSource),
    Column::new(T::ScDeadline),
    Column::new(T::ScStatus),
];

/// A branch's assessment in a period, ready to print.
#[component]
pub fn BranchAssessmentPage() -> impl IntoView {
    let params = use_params_map();
    let org = Memo::new(move |_| params.read().get("org").unwrap_or_default());
    let query = use_query_map();
    let wanted = Memo::new(move |_| query.read().get("period").unwrap_or_default());
    let data = Resource::new(
        move || (org.get(), wanted.get()),
        |(org, wanted)| async move {
            let periods = list_periods().await?;
            let Some(period) = chosen_period(&periods, wanted) else {
                return Ok(None);
            };
            let assessment = get_branch_assessment(period, org).await?;
            Ok::<_, crate::error::AppError>(Some((periods, assessment)))
        },
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    data.await.map(|d| match d {
                        None => view! { <EmptyState message=T::ScNoPeriods/> }.into_any(),
                        Some((periods, a)) => view! { <BranchReport periods assessment=a/> }.into_any(),
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn BranchReport(periods: Vec<PeriodSummary>, assessment: BranchAssessment) -> impl IntoView {
    let lang = use_lang();
    let a = assessment;
    let org = a.org_id.clone();
    let period = a.period.clone();
    let path = format!("/tasks/branches/{}", a.org_id);
    let dimensions = Dimension::ALL
        .iter()
        .map(|d| {
            view! {
                <div class="card stat">
                    <span class="stat-value">{show_points(a.score.dimension(*d))}</span>
                    <span class="stat-label">{lang.t(d.label())}</span>
                </div>
            }
        })
        .collect_view();
    let rect_link = format!("/tasks/rectifications?org={}", a.org_id);
    let export = format!(
        "/export/branch-assessment.xlsx?period={}&org={}",
        encode_query(&period.id),
        encode_query(&a.org_id)
    );
    view! {
        <div class="page-head">
            <h1 data-testid="branch-name">{a.org_name.clone()}</h1>
            <a class="btn btn-ghost no-print" href=export rel="external" download="" data-testid="branch-export">
                {lang.t(T::ScExport)}
            </a>
            <button type="button" class="btn btn-ghost no-print" data-testid="branch-print"
                on:click=move |_| { let _ = window().print(); }>
                {lang.t(T::ScPrint)}
            </button>
        </div>
        <p class="hint">
            {format!(
                "{} · {} · {}",
                period.name,
                lang.t(T::ScDateRange(period.starts, period.ends)),
                lang.t(period.status.label()),
            )}
        </p>
        {period_picker(periods, period.id.clone(), path)}
        <div class="branch-report">
            <div class="stat-cards">
                <div class="card stat">
                    <span class="stat-value" data-testid="branch-score">{show_points(a.score.total)}</span>
                    <span class="stat-label">{lang.t(T::ScTotal)}</span>
                </div>
                <div class="card stat">
                    <span class="stat-value">{stars_view(a.stars, lang, Some("branch-stars"))}</span>
                    <span class="stat-label">{lang.t(T::ScStarsCol)}</span>
                </div>
                {dimensions}
            </div>
            <p class="hint">{lang.t(T::ScScoreHint)}" "{thresholds_text(&period.stars, lang)}</p>
            <section class="card" aria-labelledby="ba-indicators">
                <h2 id="ba-indicators">{lang.t(T::ScIndicators)}</h2>
                {score_tree(a.indicators, org.clone(), lang)}
            </section>
            <section class="card" aria-labelledby="ba-assignments">
                <h2 id="ba-assignments">{lang.t(T::ScAssignments)}</h2>
                <DataTable
                    columns=ASSIGNMENT_COLUMNS
                    rows=a.assignments
                    row_key=|s: &AssignmentSummary| s.id.clone()
                    row=move |s: AssignmentSummary| view! {
                        <tr>
                            <td><a href=format!("/tasks/assignments/{}", s.id)>{s.title.clone()}</a></td>
                            <td>{s.indicator_name.clone()}</td>
                            <td>{lang.t(s.status.label())}</td>
                            <td>{deadline_view(s.deadline, s.overdue, lang)}</td>
                            <td>{s.score.map(show_points).unwrap_or_else(|| lang.t(T::ScNotScored).to_string())}</td>
                        </tr>
                    }
                    empty=T::ScNoAssignments
                    testid="branch-assignments"
                />
            </section>
            <section class="card" aria-labelledby="ba-rect">
                <h2 id="ba-rect">{lang.t(T::ScRectifications)}</h2>
                <DataTable
                    columns=BRANCH_RECT_COLUMNS
                    rows=a.rectifications
                    row_key=|r: &RectificationView| r.id.clone()
                    row=move |r: RectificationView| view! {
                        <tr>
                            <td>{r.problem.clone()}</td>
                            <td>{lang.t(r.source.label())}</td>
                            <td>{deadline_view(r.deadline, r.overdue, lang)}</td>
                            <td>{lang.t(r.status.label())}</td>
                        </tr>
                    }
                    empty=T::ScRectEmpty
                    testid="branch-rectifications"
                />
                <p class="no-print"><a href=rect_link>{lang.t(T::ScAllRect)}</a></p>
            </section>
        </div>
    }
}

/// The indicator tree with the points each 二级 item awarded the branch; an item links to
/// the branch's assignments under it (the review queue, filtered).
fn score_tree(indicators: Vec<IndicatorScore>, org: String, lang: Lang) -> impl IntoView {
    let groups = indicators
        .into_iter()
        .map(|ind| {
            let span = ind.items.len().max(1).to_string();
            let head = format!(
                "{} · {}",
                lang.t(T::Labelled(lang.t(T::ScWeight), &ind.weight.to_string())),
                lang.t(ind.dimension.label())
            );
            let name = ind.name.clone();
            let rows = ind
                .items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let first = (i == 0).then(|| {
                        view! {
                            <th scope="rowgroup" rowspan=span.clone()>
                                {name.clone()}<br/><span class="hint">{head.clone()}</span>
                            </th>
                        }
                    });
                    let awarded = item
                        .awarded
                        .map(show_points)
                        .unwrap_or_else(|| lang.t(T::ScNotScored).to_string());
                    view! {
                        <tr>
                            {first}
                            <td>
                                <a href=format!(
                                    "/tasks/queue?status=&indicator={}&org={}",
                                    encode_query(&item.id),
                                    encode_query(&org)
                                )>
                                    {item.name.clone()}
                                </a>
                            </td>
                            <td>{awarded}</td>
                            <td>{show_points(item.max)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! { <tbody>{rows}</tbody> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table tree-table" data-testid="branch-indicators">
                <thead>
                    <tr>
                        <th scope="col">{lang.t(T::ScIndicator1)}</th>
                        <th scope="col">{lang.t(T::ScIndicator2)}</th>
                        <th scope="col">{lang.t(T::ScAwarded)}</th>
                        <th scope="col">{lang.t(T::ScMax)}</th>
                    </tr>
                </thead>
                {groups}
            </table>
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// `/tasks/periods`

const PERIOD_COLUMNS: [Column; 4] = [
    Column::new(T::ScName),
    Column::new(T::ScDates),
    Column::new(T::ScStatus),
    Column::new(T::ScStarLine),
];

#[component]
pub fn PeriodsPage() -> impl IntoView {
    let lang = use_lang();
    let periods = Resource::new(|| (), |_| list_periods());
    let session = use_session();
    view! {
        <div class="page-head">
            <h1>{lang.t(T::ScPeriods)}</h1>
            <a class="btn btn-ghost" href="/tasks/ranking">{lang.t(T::ScRanking)}</a>
        </div>
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let roles = roles_of(session).await;
                    periods.await.map(|list| {
                        let form = is_office(&roles).then(|| view! { <NewPeriodForm periods=list.clone()/> });
                        view! {
                            <section class="card">
                                <DataTable
                                    columns=PERIOD_COLUMNS
                                    rows=list
                                    row_key=|p: &PeriodSummary| p.id.clone()
                                    row=move |p: PeriodSummary| view! {
                                        <tr>
                                            <td><a href=format!("/tasks/periods/{}", p.id)>{p.name.clone()}</a></td>
                                            <td>{lang.t(T::ScDateRange(p.starts, p.ends))}</td>
                                            <td>{lang.t(p.status.label())}</td>
                                            <td>{show_stars(&p.stars)}</td>
                                        </tr>
                                    }
                                    empty=T::ScNoPeriods
                                    testid="period-table"
                                />
                            </section>
                            {form}
                        }
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The office's form for a new period: its dates, thresholds, and its indicator tree,
/// typed in the editor from a copy of an existing period's tree or from nothing.
#[component]
fn NewPeriodForm(periods: Vec<PeriodSummary>) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SavePeriod>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = save.value().get() {
            navigate(&format!("/tasks/periods/{key}"), Default::default());
        }
    });
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let fields = ["name", "deadline", "stars", "tree"];
    let first = periods.is_empty();
    let tree = TreeDraft::new();
    let start = RwSignal::new(periods.first().map(|p| p.id.clone()).unwrap_or_default());
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<String>);
    let load = move |id: String| {
        load_error.set(None);
        if id.is_empty() {
            tree.blank();
            return;
        }
        loading.set(true);
        leptos::task::spawn_local(async move {
            let got = get_period(id.clone()).await;
            if start.get_untracked() != id {
                return;
            }
            loading.set(false);
            match got {
                Ok(v) => tree.load(&v.indicators),
                Err(e) => load_error.set(Some(e.message(lang))),
            }
        });
    };
    Effect::new(move |_| load(start.get_untracked()));
    view! {
        <section class="card" aria-labelledby="np-heading">
            <details open=first>
                <summary><h2 id="np-heading">{lang.t(T::ScNewPeriod)}</h2></summary>
                <ActionForm action=save attr:class="form-stack" attr:data-testid="period-form">
                    <Field id="np-name" name="input[name]" label=lang.t(T::ScName) required=true maxlength=60
                        error=error("name")/>
                    <div class="form-row">
                        <Field id="np-starts" name="input[starts]" label=lang.t(T::ScStarts) kind="date" required=true/>
                        <Field id="np-ends" name="input[ends]" label=lang.t(T::ScEnds) kind="date" required=true
                            error=error("deadline")/>
                    </div>
                    <Field id="np-stars" name="input[stars]" label=lang.t(T::ScStarsInput) maxlength=40
                        value=show_stars(&StarThresholds::default()) error=error("stars")/>
                    <div class="field">
                        <label for="np-copy">{lang.t(T::ScStartFrom)}</label>
                        <select id="np-copy" name="input[copy_from]" data-testid="period-start-from"
                            on:change=move |ev| {
                                let id = event_target_value(&ev);
                                start.set(id.clone());
                                load(id);
                            }>
                            {keyed(periods, |p| p.id.clone(), move |p| {
                                let id = p.id.clone();
                                view! {
                                    <option value=p.id.clone() selected=move || start.get() == id>{p.name.clone()}</option>
                                }
                            })}
                            <option value="" selected=move || start.get().is_empty()>{lang.t(T::ScBlankTree)}</option>
                        </select>
                    </div>
                    <h3>{lang.t(T::ScTree)}</h3>
                    <p class="hint">{lang.t(T::ScEditorHint)}</p>
                    <Show when=move || loading.get()>
                        <p class="hint" role="status">{lang.t(T::ScTreeLoading)}</p>
                    </Show>
                    <p class="field-error" role="alert">{move || load_error.get()}</p>
                    <TreeEditor tree=tree prefix="np-tree"/>
                    <p class="field-error" role="alert" id="np-tree-error" data-testid="tree-error">{error("tree")}</p>
                    <p class="field-error" role="alert">{move || general_error(save.value().get(), &fields, lang)}</p>
                    <p>
                        <button type="submit" class="btn btn-primary" data-testid="period-create"
                            disabled=move || save.pending().get() || loading.get()>{lang.t(T::ScCreate)}</button>
                    </p>
                </ActionForm>
            </details>
        </section>
    }
}

/// The period's editor (`#[lazy]`, not part of the page's first load: docs/wasm-size.md).
#[lazy]
fn edit_period(view: PeriodView, save: ServerAction<SavePeriod>) -> AnyView {
    view! { <EditPeriodForm view save/> }.into_any()
}

/// The office's form to change an open period no task counts toward yet: everything the
/// new-period form sets, the tree starting from what is saved.
#[component]
fn EditPeriodForm(view: PeriodView, save: ServerAction<SavePeriod>) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let fields = ["name", "deadline", "stars", "tree", "period"];
    let tree = TreeDraft::new();
    tree.load(&view.indicators);
    let p = view.period;
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="ep-heading">
            <details>
                <summary><h2 id="ep-heading">{lang.t(T::ScEditPeriod)}</h2></summary>
                <p class="hint">{lang.t(T::ScEditPeriodHint)}</p>
                <ActionForm action=save attr:class="form-stack" attr:data-testid="period-edit">
                    <input type="hidden" name="input[id]" value=p.id.clone()/>
                    <input type="hidden" name="input[copy_from]" value=p.id.clone()/>
                    <Field id="ep-name" name="input[name]" label=lang.t(T::ScName) required=true maxlength=60
                        value=p.name.clone() error=error("name")/>
                    <div class="form-row">
                        <Field id="ep-starts" name="input[starts]" label=lang.t(T::ScStarts) kind="date" required=true
                            value=p.starts.to_string()/>
                        <Field id="ep-ends" name="input[ends]" label=lang.t(T::ScEnds) kind="date" required=true
                            value=p.ends.to_string() error=error("deadline")/>
                    </div>
                    <Field id="ep-stars" name="input[stars]" label=lang.t(T::ScStarsInput) maxlength=40
                        value=show_stars(&p.stars) error=error("stars")/>
                    <h3>{lang.t(T::ScTree)}</h3>
                    <TreeEditor tree=tree prefix="ep-tree"/>
                    <p class="field-error" role="alert" data-testid="tree-error">{error("tree")}</p>
                    <p class="field-error" role="alert">{move || general_error(save.value().get(), &fields, lang)}</p>
                    <p>
                        <button type="submit" class="btn btn-primary" data-testid="period-save"
                            disabled=move || save.pending().get()>{lang.t(T::ScSave)}</button>
                        " "
                        <span role="status">{move || saved().then(|| lang.t(T::ScSaved))}</span>
                    </p>
                </ActionForm>
            </details>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// `/tasks/periods/:id`

#[component]
pub fn PeriodPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let close = ServerAction::<ClosePeriod>::new();
    let save = ServerAction::<SavePeriod>::new();
    let period = Resource::new(
        move || (id.get(), close.version().get(), save.version().get()),
        |(id, _, _)| get_period(id),
    );
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let roles = roles_of(session).await;
                    period.await.map(|v| {
                        let p = v.period.clone();
                        let office = is_office(&roles);
                        let closable = office && p.status == PeriodStatus::Open;
                        // The editor is fetched once the page has hydrated.
                        let edit = (office && !v.fixed).then(|| {
                            let view = v.clone();
                            after_hydration(|| ().into_any(), move || edit_period(view.clone(), save))
                        });
                        let key = p.id.clone();
                        view! {
                            <div class="page-head">
                                <h1 data-testid="period-name">{p.name.clone()}</h1>
                                {office.then(|| view! {
                                    <a class="btn btn-ghost" href=format!("/tasks/ranking?period={}", encode_query(&p.id))>
                                        {lang.t(T::ScRanking)}
                                    </a>
                                })}
                            </div>
                            <section class="card">
                                <dl class="detail-grid">
                                    <dt>{lang.t(T::ScDates)}</dt>
                                    <dd>{lang.t(T::ScDateRange(p.starts, p.ends))}</dd>
                                    <dt>{lang.t(T::ScStatus)}</dt>
                                    <dd data-testid="period-status">{lang.t(p.status.label())}</dd>
                                    <dt>{lang.t(T::ScStarLine)}</dt>
                                    <dd>{thresholds_text(&p.stars, lang)}</dd>
                                </dl>
                                {closable.then(|| view! {
                                    <div class="toolbar" data-testid="period-close">
                                        <ConfirmDialog
                                            trigger=lang.t(T::ScClosePeriod)
                                            trigger_class="btn btn-danger"
                                            message=lang.t(T::ScCloseConfirm)
                                        >
                                            <ActionForm action=close>
                                                <input type="hidden" name="id" value=key.clone()/>
                                                <button type="submit" class="btn btn-danger" data-testid="period-close-confirm"
                                                    disabled=move || close.pending().get()>
                                                    {lang.t(T::ScClosePeriod)}
                                                </button>
                                            </ActionForm>
                                        </ConfirmDialog>
                                    </div>
                                })}
                                <p class="field-error" role="alert">{move || general_error(close.value().get(), &[], lang)}</p>
                            </section>
                            <section class="card" aria-labelledby="pt-heading">
                                <h2 id="pt-heading">{lang.t(T::ScTree)}</h2>
                                {period_tree(v.indicators, lang)}
                            </section>
                            {edit}
                        }
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// A period's indicator tree: each 一级 indicator a group of rows, one per 二级 item.
fn period_tree(indicators: Vec<IndicatorView>, lang: Lang) -> impl IntoView {
    let groups = indicators
        .into_iter()
        .map(|ind| {
            let span = ind.items.len().max(1).to_string();
            let (name, weight, dimension) = (ind.name.clone(), ind.weight, ind.dimension);
            let rows = ind
                .items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let first = (i == 0).then(|| {
                        view! {
                            <th scope="rowgroup" rowspan=span.clone()>{name.clone()}</th>
                            <td rowspan=span.clone()>{weight}</td>
                            <td rowspan=span.clone()>{lang.t(dimension.label())}</td>
                        }
                    });
                    view! {
                        <tr>
                            {first}
                            <td>{item.name.clone()}</td>
                            <td>{show_points(item.max)}</td>
                            <td class="rect-text">{item.guidance.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! { <tbody>{rows}</tbody> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table tree-table" data-testid="period-tree">
                <thead>
                    <tr>
                        <th scope="col">{lang.t(T::ScIndicator1)}</th>
                        <th scope="col">{lang.t(T::ScWeight)}</th>
                        <th scope="col">{lang.t(T::ScDimension)}</th>
                        <th scope="col">{lang.t(T::ScIndicator2)}</th>
                        <th scope="col">{lang.t(T::ScMax)}</th>
                        <th scope="col">{lang.t(T::ScGuidance)}</th>
                    </tr>
                </thead>
                {groups}
            </table>
        </div>
    }
}
