//! Reports on organisational life for the committees:
//! `/meetings/grid?org=&year=`: the compliance grid, one row per organisation in reach
//! and one mark per month for the rules whose period ends in it (green done, yellow due
//! soon, red overdue, grey not yet due);
//! `/meetings/ledger?org=&year=`: one organisation's 台账 for a year, every meeting with
//! its attendance by name and its minutes, one meeting per printed A4 page. Without
//! `org` it asks for the organisation and the year first.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::params::Params;

use crate::api::meeting::{meeting_grid, meeting_ledger};
use crate::components::feedback::{EmptyState, LoadingState, encode_query, error_panel};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, today};
use crate::components::table::keyed;
use crate::error::AppError;
use crate::i18n::{Lang, T, use_lang};
use crate::models::meeting::{
    ComplianceGrid, GridCell, GridRow, Ledger, LedgerEntry, MeetingQuery, MinutesState, Standing,
};
use crate::models::org::OrgKind;
use crate::pages::meetings::{OrgChoice, org_choices, standing_class, when};

// ---------------------------------------------------------------------------------------
// Shared helpers

/// The organisation (empty: all in reach) and the year (absent: this year) of both pages,
/// as the URL holds them. The grid's filter bar sends them to its own path; the ledger
/// reads the same two parameters.
#[derive(Params, PartialEq, Clone, Default)]
struct OrgYear {
    org: Option<String>,
    year: Lenient<i32>,
}

impl ListQuery for OrgYear {
    const PATH: &'static str = "/meetings/grid";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("org", self.org.clone().unwrap_or_default()),
            (
                "year",
                self.year.get().map(|y| y.to_string()).unwrap_or_default(),
            ),
        ]
    }
}

impl OrgYear {
    fn query(&self) -> MeetingQuery {
        MeetingQuery {
            org: self.org.clone().unwrap_or_default(),
            year: self.year.get().unwrap_or(0),
        }
    }
}

/// The organisation and year selects of both forms: the organisations in `choices`
/// (after "全部" when `all`), `org` selected; this year and the two before, `year` (else
/// this year) selected.
fn org_year_fields(
    lang: Lang,
    choices: Vec<OrgChoice>,
    org: &str,
    all: bool,
    year: Option<i32>,
) -> impl IntoView + use<> {
    let this_year = today().map(|d| d.year());
    let chosen = year.or(this_year);
    let mut years: Vec<i32> = this_year.map(|y| vec![y, y - 1, y - 2]).unwrap_or_default();
    if let Some(y) = chosen
        && !years.contains(&y)
    {
        years.push(y);
    }
    let option = |value: String, label: String, selected: bool| {
        view! { <option value=value selected=selected>{label}</option> }
    };
    let all_label = lang.t(T::AllText).to_string();
    let everything = all.then(|| option(String::new(), all_label, org.is_empty()));
    let orgs = choices
        .into_iter()
        .map(|(id, name, _)| {
            let selected = id == org;
            option(id, name, selected)
        })
        .collect_view();
    let years = years
        .into_iter()
        .map(|y| {
            let label = lang.t(T::MtpYearOption(y));
            option(y.to_string(), label, Some(y) == chosen)
        })
        .collect_view();
    view! {
        <Field id="mtr-org" name="org" label=lang.t(T::MtpOrg)>
            {everything}
            {orgs}
        </Field>
        <Field id="mtr-year" name="year" label=lang.t(T::MtpYear)>
            {years}
        </Field>
    }
}

// ---------------------------------------------------------------------------------------
// /meetings/grid

/// The month columns' headers: 1月…12月 / Jan…Dec.
const MONTHS: [T; 12] = [
    T::MtrM1,
    T::MtrM2,
    T::MtrM3,
    T::MtrM4,
    T::MtrM5,
    T::MtrM6,
    T::MtrM7,
    T::MtrM8,
    T::MtrM9,
    T::MtrM10,
    T::MtrM11,
    T::MtrM12,
];

/// The legend: each colour with its mark and its word (grey stands for open and future).
const LEGEND: [(Standing, T); 4] = [
    (Standing::Done, T::CmpDone),
    (Standing::DueSoon, T::CmpDueSoon),
    (Standing::Overdue, T::CmpOverdue),
    (Standing::Open, T::MtrNotDue),
];

/// The visible mark of a standing beside its colour, so the colour is never alone.
fn symbol(s: Standing) -> &'static str {
    match s {
        Standing::Done => "✓",
        Standing::DueSoon => "!",
        Standing::Overdue => "✗",
        Standing::Open | Standing::Future => "·",
    }
}

/// What a cell says in words: "3月：已逾期（缺：主题党日），完成 3/4".
fn cell_text(lang: Lang, cell: &GridCell) -> String {
    let month = MONTHS
        .get((cell.month as usize).wrapping_sub(1))
        .map(|m| lang.t(*m))
        .unwrap_or_default();
    let standing = lang.t(cell.standing.label());
    if cell.missing.is_empty() {
        return lang.t(T::MtrCell(month, standing, cell.done, cell.due));
    }
    let kinds: Vec<&str> = cell.missing.iter().map(|k| lang.t(k.label())).collect();
    lang.t(T::MtrCellMissing(
        month,
        standing,
        &lang.list(&kinds),
        cell.done,
        cell.due,
    ))
}

/// One month of an organisation: nothing when no rule closes in it, else its mark, with
/// its words for screen readers and as a tooltip.
fn grid_cell(lang: Lang, cell: GridCell) -> impl IntoView {
    let mark = (cell.due > 0).then(|| {
        let text = cell_text(lang, &cell);
        view! {
            <span class=standing_class(cell.standing) title=text.clone() aria-hidden="true">
                {symbol(cell.standing)}
            </span>
            <span class="visually-hidden">{text}</span>
        }
    });
    view! { <td>{mark}</td> }
}

/// One organisation's year; its name leads to its meetings of that year.
fn grid_row(lang: Lang, year: i32, row: GridRow) -> impl IntoView {
    let href = format!("/meetings?org={}&year={year}", encode_query(&row.org));
    let cells = row
        .cells
        .into_iter()
        .map(|c| grid_cell(lang, c))
        .collect_view();
    view! {
        <tr>
            <th scope="row"><a href=href>{row.org_name}</a></th>
            {cells}
        </tr>
    }
}

/// The compliance grid of a year: every organisation in reach (or under the one chosen)
/// against the rules, month by month.
#[component]
pub fn MeetingGridPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<OrgYear>();
    let orgs = Resource::new(|| (), |_| org_choices());
    let grid = Resource::new(move || filters.get().query(), meeting_grid);
    view! {
        <div class="page-head">
            <h1>{lang.t(T::MtrGridTitle)}</h1>
            <a class="btn btn-ghost" href="/meetings">{lang.t(T::MtpBack)}</a>
        </div>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let choices = orgs.await?;
                    let answer = grid.await?;
                    Ok::<_, AppError>(view! { <GridView filters choices grid=answer/> })
                })}
            </ErrorBoundary>
        </Transition>
        <crate::pages::meeting_rules::RulesCard/>
    }
}

/// The filters, how many organisations have a red month, the legend and the grid.
#[component]
fn GridView(
    filters: Signal<OrgYear>,
    choices: Vec<OrgChoice>,
    grid: ComplianceGrid,
) -> impl IntoView {
    let lang = use_lang();
    let org = filters.get_untracked().org.unwrap_or_default();
    let ComplianceGrid { year, rows } = grid;
    let fields = org_year_fields(lang, choices, &org, true, Some(year));
    let body = if rows.is_empty() {
        view! { <EmptyState message=T::MtrGridEmpty/> }.into_any()
    } else {
        let red = rows
            .iter()
            .filter(|r| r.cells.iter().any(|c| c.standing == Standing::Overdue))
            .count();
        let summary = lang.t(T::MtrGridSummary(year, red, rows.len()));
        let legend = LEGEND
            .iter()
            .map(|(s, label)| {
                view! {
                    <li>
                        <span class=standing_class(*s) aria-hidden="true">{symbol(*s)}</span>
                        {lang.t(*label)}
                    </li>
                }
            })
            .collect_view();
        let months = MONTHS
            .iter()
            .map(|m| view! { <th scope="col">{lang.t(*m)}</th> })
            .collect_view();
        view! {
            <p data-testid="grid-summary">{summary}</p>
            <ul class="grid-legend" aria-label=lang.t(T::MtrLegend)>{legend}</ul>
            <div class="table-wrap">
                <table class="data-table compliance-grid" data-testid="compliance-grid">
                    <caption class="visually-hidden">{lang.t(T::MtrGridCaption(year))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::MtpOrg)}</th>
                            {months}
                        </tr>
                    </thead>
                    <tbody>
                        {keyed(rows, |r: &GridRow| r.org.clone(), move |r| grid_row(lang, year, r))}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <FilterBar filters primary=true>
                {fields}
            </FilterBar>
        </section>
        <section class="card">{body}</section>
    }
}

// ---------------------------------------------------------------------------------------
// /meetings/ledger

/// One organisation's 台账 for a year, ready to print; without `?org=` the form that asks
/// for the organisation and the year.
#[component]
pub fn MeetingLedgerPage() -> impl IntoView {
    let filters = use_filters::<OrgYear>();
    let ledger = Resource::new(
        move || filters.get().query(),
        |query: MeetingQuery| async move {
            if query.org.is_empty() {
                Ok::<_, AppError>(None)
            } else {
                meeting_ledger(query).await.map(Some)
            }
        },
    );
    // The organisations are read only for the form.
    let orgs = Resource::new(
        move || filters.read().org.as_deref().is_none_or(str::is_empty),
        |pick: bool| async move {
            if pick {
                org_choices().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let year = filters.get_untracked().year.get();
                    Ok::<_, AppError>(match ledger.await? {
                        Some(ledger) => view! { <LedgerDocument ledger/> }.into_any(),
                        None => {
                            let choices = orgs.await?;
                            view! { <LedgerPicker choices year/> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The form that chooses the ledger: a GET to this page, so it works without WASM too.
/// The committee itself holds no branch meetings and is not offered.
#[component]
fn LedgerPicker(choices: Vec<OrgChoice>, year: Option<i32>) -> impl IntoView {
    let lang = use_lang();
    let choices: Vec<OrgChoice> = choices
        .into_iter()
        .filter(|(_, _, kind)| *kind != OrgKind::Committee)
        .collect();
    let body = if choices.is_empty() {
        view! { <EmptyState message=T::MtpNoOrgs/> }.into_any()
    } else {
        let fields = org_year_fields(lang, choices, "", false, year);
        view! {
            <p class="hint">{lang.t(T::MtrLedgerPick)}</p>
            <form method="get" action="/meetings/ledger" class="filter-bar" data-testid="ledger-form">
                {fields}
                <button type="submit" class="btn btn-primary">{lang.t(T::MtrLedgerShow)}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::MtrLedger)}</h1>
            <a class="btn btn-ghost" href="/meetings">{lang.t(T::MtpBack)}</a>
        </div>
        <section class="card">{body}</section>
    }
}

/// Names in a sentence (甲、乙、丙), or 无.
fn names(lang: Lang, items: &[String]) -> String {
    if items.is_empty() {
        return lang.t(T::NoneText).to_string();
    }
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    lang.list(&items)
}

/// A term of an entry and its value; `pre` keeps the value's line breaks.
fn entry_row(label: &'static str, value: String, pre: bool) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td class=pre.then_some("pre-line")>{value}</td>
        </tr>
    }
}

/// One meeting of the ledger, a printed page of its own. Its heading repeats the
/// committee and the organisation (`running`), so every page says whose it is.
fn ledger_entry(lang: Lang, running: String, index: usize, entry: LedgerEntry) -> impl IntoView {
    let LedgerEntry {
        meeting: m,
        host,
        recorder,
        lecturer,
        agenda,
        present,
        leave,
        absent,
        expected,
        minutes,
        minutes_state,
        approved_by,
        created_by,
        created_on,
        files,
    } = entry;
    let none = lang.t(T::NoneText);
    let or_none = |s: String| {
        if s.trim().is_empty() {
            none.to_string()
        } else {
            s
        }
    };
    let heading = format!("mtr-entry-{index}");
    let labelled_by = heading.clone();
    let kind = lang.t(m.kind.label());
    let title = lang.t(T::Labelled(kind, &m.topic));
    let counts = lang.t(T::MtrCounts(
        expected,
        present.len(),
        leave.len(),
        absent.len(),
    ));
    let leave: Vec<String> = leave
        .into_iter()
        .map(|(name, reason)| {
            if reason.trim().is_empty() {
                name
            } else {
                lang.t(T::MtrLeaveItem(&name, &reason))
            }
        })
        .collect();
    let late = m.late.then(|| {
        view! { <p class="ledger-note">{lang.t(T::MtrLateNote(&created_by, created_on))}</p> }
    });
    let state_note = (minutes_state != MinutesState::Approved).then(|| {
        view! {
            <p class="ledger-note">{lang.t(T::MtrMinutesState(lang.t(minutes_state.label())))}</p>
        }
    });
    let lecturer =
        (!lecturer.trim().is_empty()).then(|| entry_row(lang.t(T::MtpLecturer), lecturer, false));
    view! {
        <article class="ledger-entry" data-testid="ledger-entry" aria-labelledby=labelled_by>
            <h2 id=heading>
                <span class="ledger-org">{running}</span>
                {title}
            </h2>
            {late}
            <table class="ledger-table">
                <tbody>
                    {entry_row(lang.t(T::MtrDateTime), when(lang, &m), false)}
                    {entry_row(lang.t(T::MtpKind), kind.to_string(), false)}
                    {entry_row(lang.t(T::MtpTopic), m.topic.clone(), false)}
                    {entry_row(lang.t(T::MtpRoom), or_none(m.room.clone()), false)}
                    {entry_row(lang.t(T::MtpHost), or_none(host), false)}
                    {entry_row(lang.t(T::MtpRecorder), or_none(recorder), false)}
                    {lecturer}
                    {entry_row(lang.t(T::MtpAttendance), counts, false)}
                    {entry_row(lang.t(T::MtrPresentNames), names(lang, &present), false)}
                    {entry_row(lang.t(T::MtrLeaveNames), names(lang, &leave), false)}
                    {entry_row(lang.t(T::MtrAbsentNames), names(lang, &absent), false)}
                    {entry_row(lang.t(T::MtpAgenda), or_none(agenda), true)}
                    <tr>
                        <th scope="row">{lang.t(T::MtpMinutes)}</th>
                        <td>
                            <div class="pre-line">{or_none(minutes)}</div>
                            {state_note}
                        </td>
                    </tr>
                    {entry_row(lang.t(T::MtrApprover), or_none(approved_by), false)}
                    {(!files.is_empty()).then(|| view! {
                        <tr>
                            <th scope="row">{lang.t(T::MtpFiles)}</th>
                            <td>{crate::components::upload::link_list(lang, files)}</td>
                        </tr>
                    })}
                </tbody>
            </table>
        </article>
    }
}

/// The ledger as a document: whose and which year, the print button and the way back
/// (neither printed), then every meeting, oldest first.
#[component]
fn LedgerDocument(ledger: Ledger) -> impl IntoView {
    let lang = use_lang();
    let Ledger {
        committee,
        org,
        org_name,
        year,
        entries,
    } = ledger;
    let back = format!("/meetings?org={}&year={year}", encode_query(&org));
    let export = format!("/export/ledger.xlsx?org={}&year={year}", encode_query(&org));
    let running = if committee.is_empty() {
        org_name.clone()
    } else {
        format!("{committee} {org_name}")
    };
    let body = if entries.is_empty() {
        view! { <EmptyState message=T::MtrLedgerEmpty/> }.into_any()
    } else {
        keyed(
            entries.into_iter().enumerate(),
            |(_, e)| e.meeting.id.clone(),
            |(i, e)| ledger_entry(lang, running.clone(), i, e),
        )
    };
    let title = lang.t(T::MtrLedgerTitle(&org_name, year));
    view! {
        <div class="toolbar no-print">
            <button type="button" class="btn btn-primary" data-testid="ledger-print"
                on:click=move |_| { let _ = window().print(); }>
                {lang.t(T::TrPrint)}
            </button>
            <a class="btn btn-ghost" href=export rel="external" download="" data-testid="ledger-export">
                {lang.t(T::ScExport)}
            </a>
            <a class="btn btn-ghost" href=back>{lang.t(T::MtpBack)}</a>
        </div>
        <div class="ledger" data-testid="ledger">
            <div class="ledger-cover">
                {(!committee.is_empty()).then(|| view! { <p class="ledger-committee">{committee}</p> })}
                <h1>{title}</h1>
            </div>
            {body}
        </div>
    }
}
