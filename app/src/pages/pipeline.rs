//! `/development`: the pipeline of a branch (who is at which stage, what is due next) and,
//! for the office, the counts of every branch; `/development/<id>`: one person's steps and
//! the form for the next; `/development/new`: registering an application.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::params::Params;

use crate::api::org::get_org_tree;
use crate::api::pipeline::{CreateCandidate, RecordStep, get_candidate, list_pipeline};
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error};
use crate::components::table::{Column, DataTable, keyed};
use crate::i18n::{Lang, T, use_lang};
use crate::models::org::OrgKind;
use crate::models::pipeline::{
    CandidateDetail, CandidateLine, Needs, PipelineQuery, STEPS, Stage, StageCounts, step_of,
};

const PEOPLE_COLUMNS: [Column; 4] = [
    Column::new(T::MemberName),
    Column::new(T::MemberBranch),
    Column::new(T::MemberStatus),
    Column::new(T::PipelineNext),
];

/// The office's counts per branch: one column per stage.
fn branch_columns() -> Vec<Column> {
    let mut columns = vec![Column::new(T::MemberBranch)];
    columns.extend(Stage::ALL.into_iter().map(|s| Column::new(s.label())));
    columns.push(Column::new(T::PipelineOverdue));
    columns
}

/// The pipeline's filters, as the URL holds them.
#[derive(Params, PartialEq, Clone, Default)]
struct PipelineFilters {
    org: Option<String>,
    stage: Option<String>,
    overdue: Lenient<bool>,
}

impl ListQuery for PipelineFilters {
    const PATH: &'static str = "/development";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("org", self.org.clone().unwrap_or_default()),
            ("stage", self.stage.clone().unwrap_or_default()),
            ("overdue", self.overdue.get().unwrap_or(false).to_string()),
        ]
    }
}

fn next_text(line: &CandidateLine, lang: Lang) -> String {
    let Some(next) = line.next else {
        return lang.t(T::PipelineDone).to_string();
    };
    let name = step_of(next.no).map(|s| s.name(lang)).unwrap_or_default();
    let mut text = format!("{} · {name}", lang.t(T::PipelineStep(next.no)));
    if let Some(d) = next.due {
        text.push_str(" · ");
        text.push_str(&lang.t(T::PipelineDue(d)));
    }
    if let Some(d) = next.earliest {
        text.push_str(" · ");
        text.push_str(&lang.t(T::PipelineEarliest(d)));
    }
    text
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<PipelineFilters>();
    let query = move || {
        let f = filters.get();
        PipelineQuery {
            org: f.org.unwrap_or_default(),
            stage: f.stage.unwrap_or_default(),
            overdue: f.overdue.get().unwrap_or(false),
        }
    };
    let page = Resource::new(query, list_pipeline);
    // Fields start from the URL; afterwards they hold what was typed.
    let initial = filters.get_untracked();
    let stage = initial.stage.clone().unwrap_or_default();
    view! {
        <div class="page-head">
            <h1>{lang.t(T::PipelineTitle)}</h1>
            <a class="btn btn-primary" href="/development/new">{lang.t(T::PipelineNew)}</a>
        </div>
        <section class="card">
            <FilterBar filters primary=true>
                <input type="hidden" name="org" value=move || filters.read().org.clone().unwrap_or_default()/>
                <Field id="pl-stage" name="stage" label=lang.t(T::MemberStatus)>
                    <option value="" selected=stage.is_empty()>{lang.t(T::AllText)}</option>
                    {Stage::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=stage == s.as_str()>{lang.t(s.label())}</option>
                    }).collect_view()}
                </Field>
                <label class="check">
                    <input type="checkbox" name="overdue" value="true"
                        checked=initial.overdue.get().unwrap_or(false)/>
                    {lang.t(T::PipelineOverdueOnly)}
                </label>
            </FilterBar>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        page.await.map(|p| view! {
                            {(p.branches.len() > 1).then(|| view! {
                                <h2>{lang.t(T::PipelineBranches)}</h2>
                                <DataTable
                                    columns=branch_columns()
                                    rows=p.branches
                                    row_key=|b: &StageCounts| b.org_id.clone()
                                    row=|b: StageCounts| view! {
                                        <tr>
                                            <td><a href=format!("/development?org={}", b.org_id)>{b.org_name.clone()}</a></td>
                                            {b.counts.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                            <td>{b.overdue}</td>
                                        </tr>
                                    }
                                    testid="pipeline-branches"
                                />
                            })}
                            <DataTable
                                columns=PEOPLE_COLUMNS
                                rows=p.people
                                row_key=|l: &CandidateLine| l.id.clone()
                                row=move |l: CandidateLine| view! {
                                    <tr>
                                        <td><a href=format!("/development/{}", l.id)>{l.name.clone()}</a></td>
                                        <td>{l.org_name.clone()}</td>
                                        <td>{lang.t(l.stage.label())}</td>
                                        <td>
                                            {next_text(&l, lang)}
                                            {l.overdue.then(|| view! {
                                                " "<span class="badge badge-danger">{lang.t(T::PipelineOverdue)}</span>
                                            })}
                                        </td>
                                    </tr>
                                }
                                empty=T::PipelineEmpty
                                testid="pipeline-people"
                            />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
pub fn CandidatePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let record = ServerAction::<RecordStep>::new();
    let detail = Resource::new(
        move || (id.get(), record.version().get()),
        |(id, _)| get_candidate(id),
    );
    view! {
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    detail.await.map(|d| view! { <Candidate detail=d record/> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Candidate(detail: CandidateDetail, record: ServerAction<RecordStep>) -> impl IntoView {
    let lang = use_lang();
    let line = detail.line.clone();
    let next = line.next.and_then(|n| step_of(n.no));
    let fields = ["date", "responsible", "approver"];
    let records = detail.steps.clone();
    let error = move |field: &'static str| action_error(record.value().into(), field);
    view! {
        <h1 data-testid="candidate-name">{line.name.clone()}</h1>
        <p class="hint">
            {format!("{} · {} · {}", line.org_name, lang.t(line.stage.label()), detail.department)}
            {line.member.clone().map(|m| view! {
                " · "<a href=format!("/members/{m}")>{lang.t(T::PipelineMember)}</a>
            })}
        </p>
        <div class="profile-layout">
            <section class="card" aria-labelledby="pl-steps-heading">
                <h2 id="pl-steps-heading">{lang.t(T::PipelineSteps)}</h2>
                <ol class="steps" data-testid="pipeline-steps">
                    {keyed(STEPS.iter(), |s| s.no, move |s| {
                        let rec = records.iter().find(|r| r.no == s.no).cloned();
                        let class = if rec.is_some() { "step done" } else { "step" };
                        view! {
                            <li class=class>
                                <span class="step-name">{s.name(lang)}</span>
                                {rec.map(|r| view! {
                                    <span class="step-meta">
                                        {lang.date(r.date)}
                                        {(!r.responsible.is_empty()).then(|| format!(" · {}", r.responsible.join("、")))}
                                        {(!r.approver.is_empty()).then(|| format!(" · {}", r.approver))}
                                        {(!r.materials.is_empty()).then(|| format!(" · {}", r.materials))}
                                    </span>
                                })}
                            </li>
                        }
                    })}
                </ol>
            </section>
            {next.map(|step| {
                let saved = move || matches!(record.value().get(), Some(Ok(())));
                view! {
                    <section class="card" aria-labelledby="pl-next-heading">
                        <h2 id="pl-next-heading">{lang.t(T::PipelineRecord)}</h2>
                        <p data-testid="pipeline-next">
                            {next_text(&line, lang)}
                            {line.overdue.then(|| view! { " "<span class="badge badge-danger">{lang.t(T::PipelineOverdue)}</span> })}
                        </p>
                        <ActionForm action=record attr:class="form-stack">
                            <input type="hidden" name="input[candidate]" value=line.id.clone()/>
                            <input type="hidden" name="input[step]" value=step.no.to_string()/>
                            <Field id="pl-date" name="input[date]" label=lang.t(T::PipelineDate) kind="date"
                                required=true error=error("date")/>
                            {(step.needs == Needs::TwoPeople).then(|| view! {
                                <Field id="pl-people" name="input[responsible]" label=lang.t(T::PipelineResponsible)
                                    maxlength=100 required=true error=error("responsible")/>
                            })}
                            {(step.needs == Needs::Approver).then(|| view! {
                                <Field id="pl-approver" name="input[approver]" label=lang.t(T::PipelineApprover)
                                    maxlength=50 required=true error=error("approver")/>
                            })}
                            <Field id="pl-materials" name="input[materials]" label=lang.t(T::PipelineMaterials) maxlength=500/>
                            <p class="field-error" role="alert">{move || general_error(record.value().get(), &fields, lang)}</p>
                            {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                            <button type="submit" class="btn btn-primary" disabled=move || record.pending().get()>
                                {step.name(lang)}
                            </button>
                        </ActionForm>
                    </section>
                }
            })}
        </div>
    }
}

#[component]
pub fn NewCandidatePage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateCandidate>::new();
    let tree = Resource::new(|| (), |_| get_org_tree());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = create.value().get() {
            navigate(&format!("/development/{key}"), Default::default());
        }
    });
    let error = move |field: &'static str| action_error(create.value().into(), field);
    let input = move |name: &'static str, label: T, kind: &'static str, required: bool| {
        view! {
            <Field id=format!("nc-{name}") name=format!("input[{name}]") label=lang.t(label) kind
                maxlength=50 required error=error(name)/>
        }
    };
    let fields = [
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "ethnicity",
        "education",
        "department",
        "title",
        "org",
        "application_date",
    ];
    view! {
        <h1>{lang.t(T::PipelineNew)}</h1>
        <section class="card">
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        tree.await.map(|forest| {
                            let branches: Vec<(String, String)> = forest
                                .iter()
                                .flat_map(|n| n.walk())
                                .filter(|n| n.kind == OrgKind::Branch)
                                .map(|n| (n.id.clone(), n.name.clone()))
                                .collect();
                            view! {
                                <ActionForm action=create attr:class="form-stack">
                                    <Field id="nc-org" name="input[org]" label=lang.t(T::MemberBranch) error=error("org")>
                                        {keyed(
                                            branches.clone(),
                                            |(id, _)| id.clone(),
                                            |(id, name)| view! { <option value=id>{name}</option> },
                                        )}
                                    </Field>
                                    <div class="form-row">
                                        {input("name", T::MemberName, "text", true)}
                                        <Field id="nc-gender" name="input[gender]" label=lang.t(T::MemberGender) error=error("gender")>
                                            <option value="male">{lang.t(T::GenderMale)}</option>
                                            <option value="female">{lang.t(T::GenderFemale)}</option>
                                        </Field>
                                        {input("birth_date", T::MemberBirthDate, "date", true)}
                                    </div>
                                    <div class="form-row">
                                        {input("id_number", T::MemberIdNumber, "text", true)}
                                        {input("phone", T::MemberPhone, "tel", true)}
                                        {input("application_date", T::MemberApplication, "date", true)}
                                    </div>
                                    <div class="form-row">
                                        {input("ethnicity", T::MemberEthnicity, "text", false)}
                                        {input("education", T::MemberEducation, "text", false)}
                                        {input("department", T::MemberDepartment, "text", false)}
                                        {input("title", T::MemberTitle, "text", false)}
                                    </div>
                                    <p class="field-error" role="alert">{move || general_error(create.value().get(), &fields, lang)}</p>
                                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                                        {lang.t(T::PipelineNew)}
                                    </button>
                                </ActionForm>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}
