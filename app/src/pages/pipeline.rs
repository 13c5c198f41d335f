//! `/development`: the pipeline of a branch (who is at which stage, what is due next) and,
//! for the office, the counts of every branch; `/development/<id>`: one person's steps and
//! the form for the next; `/development/new`: registering an application.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::org::get_org_tree;
use crate::api::pipeline::{CreateCandidate, RecordStep, get_candidate, list_pipeline};
use crate::components::feedback::{LoadingState, error_panel, field_error, general_error};
use crate::i18n::{Lang, T, use_lang};
use crate::models::org::OrgKind;
use crate::models::pipeline::{
    CandidateDetail, CandidateLine, Needs, PipelineQuery, STEPS, Stage, step_of,
};

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
    let params = use_query_map();
    let get = move |k: &str| params.read().get(k).unwrap_or_default();
    let query = Memo::new(move |_| PipelineQuery {
        org: get("org"),
        stage: get("stage"),
        overdue: get("overdue") == "true",
    });
    let page = Resource::new(move || query.get(), list_pipeline);
    let initial = move |k: &str| params.read_untracked().get(k).unwrap_or_default();
    view! {
        <div class="page-head">
            <h1>{lang.t(T::PipelineTitle)}</h1>
            <a class="btn btn-primary" href="/development/new">{lang.t(T::PipelineNew)}</a>
        </div>
        <section class="card">
            <form method="get" action="/development" class="filter-bar">
                <input type="hidden" name="org" value=move || get("org")/>
                <div class="field">
                    <label for="pl-stage">{lang.t(T::MemberStatus)}</label>
                    <select id="pl-stage" name="stage">
                        <option value="">{lang.t(T::AllText)}</option>
                        {Stage::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=initial("stage") == s.as_str()>{lang.t(s.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" name="overdue" value="true" checked=initial("overdue") == "true"/>
                    {lang.t(T::PipelineOverdueOnly)}
                </label>
                <button type="submit" class="btn btn-primary">{lang.t(T::Search)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        page.await.map(|p| view! {
                            {(p.branches.len() > 1).then(|| view! {
                                <h2>{lang.t(T::PipelineBranches)}</h2>
                                <div class="table-wrap">
                                    <table class="data-table" data-testid="pipeline-branches">
                                        <thead><tr>
                                            <th scope="col">{lang.t(T::MemberBranch)}</th>
                                            {Stage::ALL.into_iter().map(|s| view! { <th scope="col">{lang.t(s.label())}</th> }).collect_view()}
                                            <th scope="col">{lang.t(T::PipelineOverdue)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.branches.iter().map(|b| view! {
                                                <tr>
                                                    <td><a href=format!("/development?org={}", b.org_id)>{b.org_name.clone()}</a></td>
                                                    {b.counts.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                                    <td>{b.overdue}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            })}
                            {if p.people.is_empty() {
                                view! { <p class="empty-state" role="status">{lang.t(T::PipelineEmpty)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data-table" data-testid="pipeline-people">
                                            <thead><tr>
                                                <th scope="col">{lang.t(T::MemberName)}</th>
                                                <th scope="col">{lang.t(T::MemberBranch)}</th>
                                                <th scope="col">{lang.t(T::MemberStatus)}</th>
                                                <th scope="col">{lang.t(T::PipelineNext)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {p.people.iter().map(|l| view! {
                                                    <tr>
                                                        <td><a href=format!("/development/{}", l.id)>{l.name.clone()}</a></td>
                                                        <td>{l.org_name.clone()}</td>
                                                        <td>{lang.t(l.stage.label())}</td>
                                                        <td>
                                                            {next_text(l, lang)}
                                                            {l.overdue.then(|| view! {
                                                                " "<span class="badge badge-danger">{lang.t(T::PipelineOverdue)}</span>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
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
                    {STEPS.iter().map(|s| {
                        let rec = detail.steps.iter().find(|r| r.no == s.no).cloned();
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
                    }).collect_view()}
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
                            <div class="field">
                                <label for="pl-date">{lang.t(T::PipelineDate)}</label>
                                <input id="pl-date" type="date" name="input[date]" required=true aria-describedby="pl-date-error"/>
                                <p id="pl-date-error" class="field-error" role="alert">{move || field_error(record.value().get(), "date")}</p>
                            </div>
                            {(step.needs == Needs::TwoPeople).then(|| view! {
                                <div class="field">
                                    <label for="pl-people">{lang.t(T::PipelineResponsible)}</label>
                                    <input id="pl-people" type="text" name="input[responsible]" maxlength="100" required=true
                                        aria-describedby="pl-people-error"/>
                                    <p id="pl-people-error" class="field-error" role="alert">{move || field_error(record.value().get(), "responsible")}</p>
                                </div>
                            })}
                            {(step.needs == Needs::Approver).then(|| view! {
                                <div class="field">
                                    <label for="pl-approver">{lang.t(T::PipelineApprover)}</label>
                                    <input id="pl-approver" type="text" name="input[approver]" maxlength="50" required=true
                                        aria-describedby="pl-approver-error"/>
                                    <p id="pl-approver-error" class="field-error" role="alert">{move || field_error(record.value().get(), "approver")}</p>
                                </div>
                            })}
                            <div class="field">
                                <label for="pl-materials">{lang.t(T::PipelineMaterials)}</label>
                                <input id="pl-materials" type="text" name="input[materials]" maxlength="500"/>
                            </div>
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
    let input = move |name: &'static str, label: T, kind: &'static str, required: bool| {
        let id = format!("nc-{name}");
        let err = format!("nc-{name}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{lang.t(label)}</label>
                <input id=id type=kind name=format!("input[{name}]") maxlength="50" required=required
                    aria-describedby=err.clone()/>
                <p id=err class="field-error" role="alert">{move || field_error(create.value().get(), name)}</p>
            </div>
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
                                    <div class="field">
                                        <label for="nc-org">{lang.t(T::MemberBranch)}</label>
                                        <select id="nc-org" name="input[org]">
                                            {branches.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                        </select>
                                        <p class="field-error" role="alert">{move || field_error(create.value().get(), "org")}</p>
                                    </div>
                                    <div class="form-row">
                                        {input("name", T::MemberName, "text", true)}
                                        <div class="field">
                                            <label for="nc-gender">{lang.t(T::MemberGender)}</label>
                                            <select id="nc-gender" name="input[gender]">
                                                <option value="male">{lang.t(T::GenderMale)}</option>
                                                <option value="female">{lang.t(T::GenderFemale)}</option>
                                            </select>
                                            <p class="field-error" role="alert">{move || field_error(create.value().get(), "gender")}</p>
                                        </div>
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
