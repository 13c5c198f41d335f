//! `/tasks`: tasks (list, new, one task with its assignments), the review queue and one
//! assignment (answering and reviewing). The closed loop's first half.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::Params;

use crate::access::Role;
use crate::api::assessment::{
    AnswerAssignment, ChangeTask, ReviewAssignment, SaveTask, get_assignment, get_period, get_task,
    list_assignments, list_periods, list_tasks, pick_records,
};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{
    EmptyState, LoadingState, encode_query, error_panel, general_error,
};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error, successes, today};
use crate::components::layout::use_session;
use crate::components::org_tree::whole_tree_when;
use crate::components::table::{Column, DataTable, Paging, keyed};
use crate::components::upload::{FileUpload, chosen_links, link_list};
use crate::error::AppError;
use crate::i18n::{Lang, T, use_lang};
use crate::models::account::SessionInfo;
use crate::models::assessment::{
    AssignmentAction, AssignmentStatus, PeriodStatus, TaskAction, TaskStatus, show_points,
};
use crate::models::closed_loop::{
    ATTACHMENTS_MAX, AssignmentSummary, AssignmentView, EvidenceLink, ItemView, LINKS_MAX,
    LinkKind, MEMBERS_MAX, PeriodSummary, PeriodView, Picked, QueueQuery, SubmissionView,
    TaskQuery, TaskSummary, TaskView,
};
use crate::models::files::FileView;
use crate::models::org::OrgKind;

// ---------------------------------------------------------------------------------------
// Shared helpers

/// Whether the session is the committee office's (office-only controls; the server decides).
fn is_office(session: &Result<Option<SessionInfo>, AppError>) -> bool {
    matches!(session, Ok(Some(s)) if s.roles.contains(&Role::CommitteeOffice))
}

/// What a task asks for as evidence, in words.
fn requirement(lang: Lang, need_text: bool, links: u32, photos: u32, files: u32) -> String {
    let mut parts: Vec<String> = Vec::new();
    if need_text {
        parts.push(lang.t(T::TkNeedText).to_string());
    }
    if links > 0 {
        parts.push(lang.t(T::TkNeedsLinks(links)));
    }
    if photos > 0 {
        parts.push(lang.t(T::TkNeedsPhotos(photos)));
    }
    if files > 0 {
        parts.push(lang.t(T::TkNeedsFiles(files)));
    }
    if parts.is_empty() {
        return lang.t(T::TkNoRequirement).to_string();
    }
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    lang.list(&refs)
}

/// A deadline, with "逾期" in words (not colour alone) when it has passed.
fn deadline_cell(lang: Lang, deadline: NaiveDate, overdue: bool) -> impl IntoView {
    view! {
        {lang.date(deadline)}
        {overdue.then(|| view! { " "<span class="badge badge-danger">{lang.t(T::TkOverdue)}</span> })}
    }
}

// ---------------------------------------------------------------------------------------
// /tasks

const TASK_COLUMNS: [Column; 5] = [
    Column::new(T::TkColTask),
    Column::new(T::TkColIndicator),
    Column::new(T::TkColDeadline),
    Column::new(T::TkStatus),
    Column::new(T::TkColProgress),
];

/// The task list's filters, as the URL holds them.
#[derive(Params, PartialEq, Clone, Default)]
struct TaskFilters {
    period: Option<String>,
    status: Option<String>,
    q: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for TaskFilters {
    const PATH: &'static str = "/tasks";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("period", v(&self.period)),
            ("status", v(&self.status)),
            ("q", v(&self.q)),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

/// Who an assignment is to: the branch, or the member and their branch.
fn target_name(a: &AssignmentSummary) -> String {
    match &a.member_name {
        Some(m) => format!("{m} · {}", a.org_name),
        None => a.org_name.clone(),
    }
}

fn progress(lang: Lang, t: &TaskSummary) -> String {
    let c = t.counts;
    if c.total == 0 {
        lang.t(T::TkNotIssued).to_string()
    } else {
        lang.t(T::TkProgress(c.accepted, c.total, c.submitted, c.overdue))
    }
}

/// The tasks of a period (the newest by default), filtered by status and title words.
#[component]
pub fn TasksPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let filters = use_filters::<TaskFilters>();
    let tasks = Resource::new(
        move || filters.get(),
        |f| async move {
            let periods = list_periods().await?;
            let period = f
                .period
                .clone()
                .filter(|p| !p.is_empty())
                .or_else(|| periods.first().map(|p| p.id.clone()))
                .unwrap_or_default();
            let page = list_tasks(TaskQuery {
                period: period.clone(),
                status: f.status.clone().unwrap_or_default(),
                q: f.q.clone().unwrap_or_default(),
                page: f.page(),
            })
            .await?;
            Ok::<_, AppError>((periods, period, page))
        },
    );
    let option = move |value: &str, label: String, current: &str| {
        view! { <option value=value.to_string() selected=current == value>{label}</option> }
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::NavTasks)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let session = session.await;
                    let office = is_office(&session);
                    let issues = matches!(&session, Ok(Some(s)) if s.issues_tasks);
                    // A member's own tasks: no branch work such as rectification.
                    let member = matches!(&session, Ok(Some(s)) if s.roles.iter().all(|r| *r == Role::Member));
                    let queue = if office {
                        T::TkQueueOffice
                    } else if member {
                        T::TkQueueMine
                    } else {
                        T::TkQueueBranch
                    };
                    view! {
                        <span class="toolbar">
                            <a class="btn btn-ghost" href="/tasks/queue" data-testid="task-queue-link">{lang.t(queue)}</a>
                            {(!member).then(|| view! {
                                <a class="btn btn-ghost" href="/tasks/rectifications">{lang.t(T::TkRectifications)}</a>
                            })}
                            {office.then(|| view! {
                                <a class="btn btn-ghost" href="/tasks/ranking">{lang.t(T::TkRanking)}</a>
                                <a class="btn btn-ghost" href="/tasks/periods">{lang.t(T::TkPeriods)}</a>
                            })}
                            {issues.then(|| view! {
                                <a class="btn btn-primary" href="/tasks/new" data-testid="task-new">{lang.t(T::TkNewTask)}</a>
                            })}
                        </span>
                    }
                })}
            </Suspense>
        </div>
        <section class="card">
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        tasks.await.map(|(periods, period, p)| {
                            let f = filters.get_untracked();
                            let status = f.status.clone().unwrap_or_default();
                            let no_periods = periods.is_empty();
                            let mut current = f.clone();
                            current.period = Some(period.clone());
                            view! {
                                {no_periods.then(|| view! { <EmptyState message=T::TkNoPeriods/> })}
                                <FilterBar filters primary=true>
                                    {(!no_periods).then(|| view! {
                                        <Field id="tk-period" name="period" label=lang.t(T::TkPeriod)>
                                            {periods.iter().map(|ps| option(
                                                &ps.id,
                                                lang.t(T::TkPeriodOption(&ps.name, lang.t(ps.status.label()))),
                                                &period,
                                            )).collect_view()}
                                        </Field>
                                    })}
                                    <Field id="tk-status" name="status" label=lang.t(T::TkStatus)>
                                        {option("", lang.t(T::AllText).to_string(), &status)}
                                        {TaskStatus::ALL.iter().map(|s| option(
                                            s.as_str(),
                                            lang.t(s.label()).to_string(),
                                            &status,
                                        )).collect_view()}
                                    </Field>
                                    <Field id="tk-q" name="q" label=lang.t(T::TkSearch) kind="search" maxlength=50
                                        placeholder=lang.t(T::TkSearchHint) value=f.q.clone().unwrap_or_default() class="grow"/>
                                </FilterBar>
                                <DataTable
                                    columns=TASK_COLUMNS
                                    rows=p.tasks
                                    row_key=|t: &TaskSummary| t.id.clone()
                                    row=move |t: TaskSummary| view! {
                                        <tr>
                                            <td><a href=format!("/tasks/{}", t.id)>{t.title.clone()}</a></td>
                                            <td>{t.indicator.clone()}</td>
                                            <td>{lang.date(t.deadline)}</td>
                                            <td>{lang.t(t.status.label())}</td>
                                            <td>{progress(lang, &t)}</td>
                                        </tr>
                                    }
                                    empty=T::TkTasksEmpty
                                    testid="task-table"
                                    paging=Paging {
                                        page: p.page,
                                        total: p.total,
                                        page_size: p.page_size,
                                        href: Arc::new(move |n| current.href(n)),
                                    }
                                />
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// /tasks/new and the edit form of a draft

/// `save_task`, going to the saved task's page once it succeeds.
fn saving_task() -> ServerAction<SaveTask> {
    let save = ServerAction::<SaveTask>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = save.value().get() {
            navigate(&format!("/tasks/{key}"), Default::default());
        }
    });
    save
}

#[component]
pub fn NewTaskPage() -> impl IntoView {
    let lang = use_lang();
    let save = saving_task();
    let periods = Resource::new(|| (), |_| list_periods());
    view! {
        <h1>{lang.t(T::TkNewTask)}</h1>
        <section class="card">
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        periods.await.map(|periods| {
                            if periods.iter().any(|p| p.status == PeriodStatus::Open) {
                                view! { <TaskForm save periods task=None/> }.into_any()
                            } else {
                                view! {
                                    <EmptyState message=T::TkNoPeriods/>
                                    <p><a class="btn btn-ghost" href="/tasks/periods">{lang.t(T::TkPeriods)}</a></p>
                                }
                                .into_any()
                            }
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// `/tasks/:id/edit`: the office changes a draft task (its own screen, so the task page
/// stays light for everyone who only reads it).
#[component]
pub fn EditTaskPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let save = saving_task();
    let task = Resource::new(move || id.get(), get_task);
    let periods = Resource::new(|| (), |_| list_periods());
    view! {
        <div class="page-head">
            <h1>{lang.t(T::TkEditTask)}</h1>
            <a class="btn btn-ghost" href=move || format!("/tasks/{}", id.get())>{lang.t(T::TkBackToTask)}</a>
        </div>
        <section class="card">
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        let task = task.await?;
                        let periods = periods.await?;
                        Ok::<_, AppError>(if task.actions.contains(&TaskAction::Edit) {
                            view! {
                                <p class="hint" data-testid="editing-task">{task.title.clone()}</p>
                                <TaskForm save periods task=Some(task)/>
                            }
                            .into_any()
                        } else {
                            view! { <EmptyState message=T::TkNotDraft/> }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// A period's indicator tree (nothing before a period is chosen).
async fn period_tree(period: String) -> Result<Option<PeriodView>, AppError> {
    if period.is_empty() {
        Ok(None)
    } else {
        get_period(period).await.map(Some)
    }
}

/// The form of `save_task`: a new draft (`task` None) or changes to a draft. What was typed
/// stays when the server refuses it; the refusal shows under its field.
#[component]
fn TaskForm(
    save: ServerAction<SaveTask>,
    periods: Vec<PeriodSummary>,
    task: Option<TaskView>,
) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let task_period = task.as_ref().map(|t| t.period.clone());
    let periods: Vec<PeriodSummary> = periods
        .into_iter()
        .filter(|p| p.status == PeriodStatus::Open || Some(&p.id) == task_period.as_ref())
        .collect();
    // Newest open period first (the list is newest first).
    let first_period = task_period
        .clone()
        .or_else(|| periods.first().map(|p| p.id.clone()))
        .unwrap_or_default();
    let period = RwSignal::new(first_period.clone());
    let indicator = RwSignal::new(
        task.as_ref()
            .map(|t| t.indicator.clone())
            .unwrap_or_default(),
    );
    let tree = Resource::new(move || period.get(), period_tree);
    let all_initial = task.is_none();
    let all = RwSignal::new(all_initial);
    let chosen = RwSignal::new(
        task.as_ref()
            .map(|t| t.targets.iter().map(|x| x.id.clone()).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    // The branches are read once the list of branches is first wanted.
    let wanted = RwSignal::new(!all_initial);
    let targets = move || {
        if all.get() {
            "all".to_string()
        } else {
            chosen.with(|c| c.join(","))
        }
    };
    let id = task.as_ref().map(|t| t.id.clone()).unwrap_or_default();
    let title = task.as_ref().map(|t| t.title.clone()).unwrap_or_default();
    let body = task.as_ref().map(|t| t.body.clone()).unwrap_or_default();
    let starts = task
        .as_ref()
        .map(|t| t.starts)
        .or_else(today)
        .map(|d| lang.date(d))
        .unwrap_or_default();
    let deadline = task
        .as_ref()
        .map(|t| lang.date(t.deadline))
        .unwrap_or_default();
    let need_text = task.as_ref().is_none_or(|t| t.need_text);
    let min_links = task.as_ref().map_or(0, |t| t.min_links).to_string();
    let min_photos = task.as_ref().map_or(0, |t| t.min_photos).to_string();
    let min_files = task.as_ref().map_or(0, |t| t.min_files).to_string();
    let picked = RwSignal::new(
        task.as_ref()
            .map(|t| {
                t.members
                    .iter()
                    .map(|m| (m.id.clone(), m.name.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let members_error = error("members");
    let attached = RwSignal::new(
        task.as_ref()
            .map(|t| t.attachments.clone())
            .unwrap_or_default(),
    );
    let attached_keys = move || {
        attached.with(|ls| {
            ls.iter()
                .map(|l| l.id.clone())
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let attach = Callback::new(move |f: FileView| {
        attached.update(|ls| {
            if ls.len() < ATTACHMENTS_MAX && !ls.iter().any(|l| l.id == f.id) {
                ls.push(EvidenceLink {
                    kind: f.kind,
                    id: f.id,
                    label: f.name,
                    org: f.org,
                });
            }
        })
    });
    let attachments_error = error("attachments");
    let fields = [
        "period",
        "indicator",
        "title",
        "targets",
        "deadline",
        "min_links",
        "min_photos",
        "min_files",
        "attachments",
        "members",
    ];
    let (period_error, indicator_error, targets_error, body_error) = (
        error("period"),
        error("indicator"),
        error("targets"),
        error("body"),
    );
    let member_keys = move || {
        picked.with(|p| {
            p.iter()
                .map(|(k, _)| k.clone())
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    view! {
        <form action={<SaveTask as leptos::server_fn::ServerFn>::PATH} method="post" class="form-stack" data-testid="task-form"
            on:submit=move |ev| submit_task(ev, save)>
            <input type="hidden" name="input[id]" value=id/>
            <div class="form-row">
                <div class="field">
                    <label for="tf-period">{lang.t(T::TkPeriod)}</label>
                    <select
                        id="tf-period"
                        name="input[period]"
                        aria-describedby="tf-period-error"
                        aria-invalid=move || period_error.get().is_some().to_string()
                        on:change=move |ev| period.set(event_target_value(&ev))
                    >
                        {periods.into_iter().map(|p| {
                            let label = lang.t(T::TkPeriodOption(&p.name, lang.t(p.status.label())));
                            let selected = p.id == first_period;
                            view! { <option value=p.id selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                    <p id="tf-period-error" class="field-error" role="alert">{move || period_error.get()}</p>
                </div>
                <Transition fallback=|| view! { <LoadingState/> }>
                    <ErrorBoundary fallback=error_panel>
                        {move || Suspend::new(async move {
                            tree.await.map(|t| view! { <IndicatorField tree=t indicator error=indicator_error/> })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
            <Field id="tf-title" name="input[title]" label=lang.t(T::TkTaskTitle) required=true maxlength=100
                value=title error=error("title")/>
            <div class="field">
                <label for="tf-body">{lang.t(T::TkBody)}</label>
                <textarea id="tf-body" name="input[body]" rows="6" maxlength="2000" aria-describedby="tf-body-error">
                    {body}
                </textarea>
                <p id="tf-body-error" class="field-error" role="alert">{move || body_error.get()}</p>
            </div>
            <fieldset class="form-stack" aria-describedby="tf-targets-error">
                <legend>{lang.t(T::TkTargets)}</legend>
                <input type="hidden" name="input[targets]" value=targets/>
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="task-all-branches"
                        checked=all_initial
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            all.set(on);
                            if !on {
                                wanted.set(true);
                            }
                        }
                    />
                    {lang.t(T::TkAllBranches)}
                </label>
                // The chosen keys go with the form at once; the list of branches (the org
                // tree's reading and a box per branch) is fetched once the page has hydrated.
                {crate::components::later::after_hydration(|| ().into_any(), move || branch_chooser(all, wanted, chosen))}
                <p id="tf-targets-error" class="field-error" role="alert">{move || targets_error.get()}</p>
                // The keys go with the form at once; the picker's code is fetched once the
                // page has hydrated (not part of the form's first load).
                <input type="hidden" name="input[members]" value=member_keys/>
                {crate::components::later::after_hydration(|| ().into_any(), move || member_picker(picked))}
                <p class="field-error" role="alert">{move || members_error.get()}</p>
            </fieldset>
            <div class="form-row">
                <Field id="tf-starts" name="input[starts]" label=lang.t(T::TkStarts) kind="date" required=true
                    value=starts error=error("starts")/>
                <Field id="tf-deadline" name="input[deadline]" label=lang.t(T::TkDeadline) kind="date" required=true
                    value=deadline error=error("deadline")/>
            </div>
            <div class="form-row">
                <label class="check">
                    <input type="checkbox" name="input[need_text]" value="true" checked=need_text/>
                    {lang.t(T::TkNeedText)}
                </label>
                <Field id="tf-min-links" name="input[min_links]" label=lang.t(T::TkMinLinks) kind="number"
                    min="0" max="20" value=min_links error=error("min_links")/>
                <Field id="tf-min-photos" name="input[min_photos]" label=lang.t(T::TkMinPhotos) kind="number"
                    min="0" max="20" value=min_photos error=error("min_photos")/>
                <Field id="tf-min-files" name="input[min_files]" label=lang.t(T::TkMinFiles) kind="number"
                    min="0" max="20" value=min_files error=error("min_files")/>
            </div>
            <fieldset class="form-stack" data-testid="task-attachments">
                <legend>{lang.t(T::TkAttachments)}</legend>
                <p class="hint">{lang.t(T::TkAttachHint(ATTACHMENTS_MAX))}</p>
                <input type="hidden" name="input[attachments]" value=attached_keys/>
                {chosen_links(lang, attached, "task-attached", T::TkNoAttachments)}
                <p class="field-error" role="alert">{move || attachments_error.get()}</p>
                <FileUpload org=String::new() field="tf-attach" on_done=attach/>
            </fieldset>
            <p class="hint">{lang.t(T::TkDraftHint)}</p>
            <p class="field-error" role="alert">{move || general_error(save.value().get(), &fields, lang)}</p>
            <button type="submit" class="btn btn-primary" data-testid="save-task" disabled=move || save.pending().get()>
                {lang.t(T::TkSaveDraft)}
            </button>
        </form>
    }
}

/// The branch chooser of the task form, fetched once the form has hydrated (not part of
/// its first load; docs/wasm-size.md). Until then the hidden `input[targets]` carries the
/// branches already chosen, so a save keeps them.
#[lazy]
fn branch_chooser(
    all: RwSignal<bool>,
    wanted: RwSignal<bool>,
    chosen: RwSignal<Vec<String>>,
) -> AnyView {
    view! { <BranchChooser all wanted chosen/> }.into_any()
}

/// A box per branch of the whole tree (read once the list is first `wanted`), shown unless
/// the task goes to all branches.
#[component]
fn BranchChooser(
    all: RwSignal<bool>,
    wanted: RwSignal<bool>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let org_tree = Resource::new(move || wanted.get(), whole_tree_when);
    view! {
        <div hidden=move || all.get()>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        org_tree.await.map(|forest| {
                            let branches: Vec<(String, String)> = forest
                                .iter()
                                .flat_map(|n| n.walk())
                                .filter(|n| n.kind == OrgKind::Branch)
                                .map(|n| (n.id.clone(), n.name.clone()))
                                .collect();
                            view! {
                                <fieldset class="checks checks-scroll" data-testid="task-branches">
                                    <legend>{lang.t(T::TkChooseBranches)}</legend>
                                    {keyed(branches, |(id, _)| id.clone(), move |(id, name)| {
                                        let checked = chosen.with_untracked(|c| c.contains(&id));
                                        view! {
                                            <label class="check">
                                                <input
                                                    type="checkbox"
                                                    value=id.clone()
                                                    checked=checked
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| {
                                                            c.retain(|x| x != &id);
                                                            if on {
                                                                c.push(id.clone());
                                                            }
                                                        });
                                                    }
                                                />
                                                {name}
                                            </label>
                                        }
                                    })}
                                </fieldset>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

/// Sends the task form as an `ActionForm` does (without the page's script the form posts
/// itself), except that reading the fields into `SaveTask` (`serde_qs`, sized by the form's
/// fourteen fields) is a file of its own, fetched on the first save rather than with the
/// page (docs/wasm-size.md). A form that cannot be read shows as a refusal under it.
fn submit_task(ev: leptos::ev::SubmitEvent, save: ServerAction<SaveTask>) {
    ev.prevent_default();
    #[cfg(feature = "hydrate")]
    {
        let read = leptos::form::form_data_from_event(&ev).map_err(|e| format!("{e:?}"));
        leptos::task::spawn_local(async move {
            let args = match read {
                Ok(data) => read_task_form(data).await,
                Err(e) => Err(e),
            };
            match args {
                Ok(args) => {
                    save.dispatch(args);
                }
                Err(e) => save.value().set(Some(Err(AppError::Request(e)))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = save;
}

#[cfg(feature = "hydrate")]
#[lazy]
fn read_task_form(data: web_sys::FormData) -> Result<SaveTask, String> {
    use leptos::form::FromFormData;
    SaveTask::from_form_data(&data).map_err(|e| e.to_string())
}

/// The 二级 indicator select, grouped by 一级 indicator, with the chosen item's maximum and
/// scoring guidance under it.
#[component]
fn IndicatorField(
    tree: Option<PeriodView>,
    indicator: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let groups = tree.map(|t| t.indicators).unwrap_or_default();
    let items: Vec<ItemView> = groups.iter().flat_map(|g| g.items.clone()).collect();
    let current = indicator.get_untracked();
    let help = move || {
        indicator.with(|id| {
            items.iter().find(|i| &i.id == id).map(|i| {
                let guidance = (!i.guidance.is_empty())
                    .then(|| lang.t(T::Labelled(lang.t(T::TkGuidance), &i.guidance)));
                view! {
                    <span>{lang.t(T::TkMaxPoints(&show_points(i.max)))}</span>
                    {guidance.map(|g| view! { <br/><span class="pre-line">{g}</span> })}
                }
            })
        })
    };
    view! {
        <div class="field">
            <label for="tf-indicator">{lang.t(T::TkIndicator)}</label>
            <select
                id="tf-indicator"
                name="input[indicator]"
                data-testid="task-indicator"
                aria-describedby="tf-indicator-help tf-indicator-error"
                aria-invalid=move || error.get().is_some().to_string()
                on:change=move |ev| indicator.set(event_target_value(&ev))
            >
                <option value="">{lang.t(T::TkChooseIndicator)}</option>
                {groups.into_iter().map(|g| view! {
                    <optgroup label=g.name>
                        {g.items.into_iter().map(|i| {
                            let selected = i.id == current;
                            view! { <option value=i.id selected=selected>{i.name}</option> }
                        }).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
            <p id="tf-indicator-help" class="hint" aria-live="polite">{help}</p>
            <p id="tf-indicator-error" class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// /tasks/:id

const ASSIGNMENT_COLUMNS: [Column; 4] = [
    Column::new(T::TkColBranch),
    Column::new(T::TkStatus),
    Column::new(T::TkColDeadline),
    Column::new(T::TkColScore),
];

/// One task: what it asks, who it went to, how far they are, and (for the office) what can
/// be done with it; below, each branch's assignment.
#[component]
pub fn TaskPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    });
    let publish = ServerAction::<ChangeTask>::new();
    let withdraw = ServerAction::<ChangeTask>::new();
    let extend = ServerAction::<ChangeTask>::new();
    let (published, withdrawn, extended) = (
        successes(publish.value().into(), publish.version().into()),
        successes(withdraw.value().into(), withdraw.version().into()),
        successes(extend.value().into(), extend.version().into()),
    );
    let changed = Memo::new(move |_| (published.get(), withdrawn.get(), extended.get()));
    let task = Resource::new(move || (id.get(), changed.get()), |(id, _)| get_task(id));
    let rows = Resource::new(
        move || (id.get(), page.get(), changed.get()),
        |(task, page, _)| {
            list_assignments(QueueQuery {
                task,
                page,
                ..Default::default()
            })
        },
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    task.await.map(|t| view! { <TaskDetail task=t publish withdraw extend/> })
                })}
            </ErrorBoundary>
        </Transition>
        <section class="card" aria-labelledby="tk-assignments-heading">
            <div class="page-head">
                <h2 id="tk-assignments-heading">{lang.t(T::TkAssignments)}</h2>
                <a class="btn btn-ghost" href=move || format!("/tasks/queue?status=&task={}", encode_query(&id.get()))>
                    {lang.t(T::TkInQueue)}
                </a>
            </div>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        rows.await.map(|p| {
                            let task = id.get_untracked();
                            view! {
                                <DataTable
                                    columns=ASSIGNMENT_COLUMNS
                                    rows=p.rows
                                    row_key=|a: &AssignmentSummary| a.id.clone()
                                    row=move |a: AssignmentSummary| view! {
                                        <tr>
                                            <td><a href=format!("/tasks/assignments/{}", a.id)>{target_name(&a)}</a></td>
                                            <td>{lang.t(a.status.label())}</td>
                                            <td>{deadline_cell(lang, a.deadline, a.overdue)}</td>
                                            <td>{a.score.map_or_else(|| lang.t(T::TkNotScored).to_string(), show_points)}</td>
                                        </tr>
                                    }
                                    empty=T::TkAssignmentsEmpty
                                    testid="task-assignments"
                                    paging=Paging {
                                        page: p.page,
                                        total: p.total,
                                        page_size: p.page_size,
                                        href: Arc::new(move |n| format!("/tasks/{}?page={n}", encode_query(&task))),
                                    }
                                />
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn TaskDetail(
    task: TaskView,
    publish: ServerAction<ChangeTask>,
    withdraw: ServerAction<ChangeTask>,
    extend: ServerAction<ChangeTask>,
) -> impl IntoView {
    let lang = use_lang();
    let t = task.clone();
    let none = lang.t(T::NoneText);
    let targets = if t.targets.is_empty() {
        none.to_string()
    } else {
        let names: Vec<&str> = t.targets.iter().map(|x| x.name.as_str()).collect();
        lang.list(&names)
    };
    let counts = if t.counts.total == 0 {
        lang.t(T::TkNotIssued).to_string()
    } else {
        lang.t(T::TkProgress(
            t.counts.accepted,
            t.counts.total,
            t.counts.submitted,
            t.counts.overdue,
        ))
    };
    let has = |a: TaskAction| t.actions.contains(&a);
    let (can_publish, can_withdraw, can_extend, can_edit) = (
        has(TaskAction::Publish),
        has(TaskAction::Withdraw),
        has(TaskAction::Extend),
        has(TaskAction::Edit),
    );
    let id = StoredValue::new(t.id.clone());
    let hidden = move |a: TaskAction| {
        view! {
            <input type="hidden" name="input[id]" value=id.get_value()/>
            <input type="hidden" name="input[action]" value=a.as_str()/>
        }
    };
    let any_action = can_publish || can_withdraw || can_extend || can_edit;
    view! {
        <div class="page-head">
            <h1 data-testid="task-title">{t.title.clone()}</h1>
            <a class="btn btn-ghost" href="/tasks">{lang.t(T::NavTasks)}</a>
        </div>
        <p class="hint">
            <span data-testid="task-status">{lang.t(t.status.label())}</span>
            {format!(" · {}", t.period_name)}
        </p>
        <section class="card" aria-labelledby="tk-detail-heading">
            <h2 id="tk-detail-heading" class="visually-hidden">{lang.t(T::TkBody)}</h2>
            <dl class="detail-grid">
                <dt>{lang.t(T::TkColIndicator)}</dt>
                <dd>{format!("{} · {}", t.indicator_name, lang.t(T::TkMaxPoints(&show_points(t.max))))}</dd>
                <dt>{lang.t(T::TkGuidance)}</dt>
                <dd class="pre-line">{if t.guidance.is_empty() { none.to_string() } else { t.guidance.clone() }}</dd>
                <dt>{lang.t(T::TkBody)}</dt>
                <dd class="pre-line">{if t.body.is_empty() { none.to_string() } else { t.body.clone() }}</dd>
                <dt>{lang.t(T::TkDates)}</dt>
                <dd>{lang.t(T::TkDateRange(t.starts, t.deadline))}</dd>
                <dt>{lang.t(T::TkEvidence)}</dt>
                <dd>{requirement(lang, t.need_text, t.min_links, t.min_photos, t.min_files)}</dd>
                <dt>{lang.t(T::TkTargets)}</dt>
                <dd>{targets}</dd>
                {(!t.members.is_empty()).then(|| {
                    let names: Vec<&str> = t.members.iter().map(|m| m.name.as_str()).collect();
                    view! {
                        <dt>{lang.t(T::TkMembers)}</dt>
                        <dd data-testid="task-members">{lang.list(&names)}</dd>
                    }
                })}
                <dt>{lang.t(T::TkColProgress)}</dt>
                <dd data-testid="task-counts">{counts}</dd>
                {(!t.attachments.is_empty()).then(|| view! {
                    <dt>{lang.t(T::TkAttachments)}</dt>
                    <dd data-testid="task-attachment-list">{link_list(lang, t.attachments.clone())}</dd>
                })}
                {(!t.reason.is_empty()).then(|| view! {
                    <dt>{lang.t(T::TkWithdrawReason)}</dt>
                    <dd>{t.reason.clone()}</dd>
                })}
            </dl>
        </section>
        {any_action.then(|| view! {
            <section class="card" aria-labelledby="tk-actions-heading">
                <h2 id="tk-actions-heading">{lang.t(T::TkActions)}</h2>
                <div class="toolbar">
                    {can_publish.then(|| view! {
                        <ConfirmDialog
                            trigger=lang.t(T::AsPublish)
                            trigger_class="btn btn-primary"
                            message=lang.t(T::TkConfirmPublish)
                        >
                            <ActionForm action=publish attr:class="form-stack">
                                {hidden(TaskAction::Publish)}
                                <p class="field-error" role="alert">{move || general_error(publish.value().get(), &[], lang)}</p>
                                <button type="submit" class="btn btn-primary" data-testid="publish-task"
                                    disabled=move || publish.pending().get()>
                                    {lang.t(T::AsPublish)}
                                </button>
                            </ActionForm>
                        </ConfirmDialog>
                    })}
                    {can_withdraw.then(|| view! {
                        <ConfirmDialog
                            trigger=lang.t(T::AsWithdraw)
                            trigger_class="btn btn-danger"
                            message=lang.t(T::TkConfirmWithdraw)
                        >
                            <ActionForm action=withdraw attr:class="form-stack">
                                {hidden(TaskAction::Withdraw)}
                                <Field id="tk-reason" name="input[reason]" label=lang.t(T::TkWithdrawReason)
                                    required=true maxlength=200 error=action_error(withdraw.value().into(), "reason")/>
                                <p class="field-error" role="alert">{move || general_error(withdraw.value().get(), &["reason"], lang)}</p>
                                <button type="submit" class="btn btn-danger" data-testid="withdraw-task"
                                    disabled=move || withdraw.pending().get()>
                                    {lang.t(T::AsWithdraw)}
                                </button>
                            </ActionForm>
                        </ConfirmDialog>
                    })}
                </div>
                {can_extend.then(|| view! {
                    <ActionForm action=extend attr:class="form-row" attr:data-testid="extend-form">
                        {hidden(TaskAction::Extend)}
                        <Field id="tk-new-deadline" name="input[deadline]" label=lang.t(T::TkNewDeadline) kind="date"
                            required=true error=action_error(extend.value().into(), "deadline")/>
                        <div class="field">
                            <button type="submit" class="btn btn-ghost" data-testid="extend-task"
                                disabled=move || extend.pending().get()>
                                {lang.t(T::AsExtend)}
                            </button>
                        </div>
                        <p class="field-error" role="alert">{move || general_error(extend.value().get(), &["deadline"], lang)}</p>
                    </ActionForm>
                })}
                {can_edit.then(|| view! {
                    <p>
                        <a class="btn btn-ghost" data-testid="edit-task" href=format!("/tasks/{}/edit", id.get_value())>
                            {lang.t(T::TkEditTask)}
                        </a>
                    </p>
                })}
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------
// /tasks/queue

const QUEUE_COLUMNS: [Column; 6] = [
    Column::new(T::TkColTask),
    Column::new(T::TkColBranch),
    Column::new(T::TkColIndicator),
    Column::new(T::TkColDeadline),
    Column::new(T::TkStatus),
    Column::new(T::TkColScore),
];

/// The queue's filters, as the URL holds them. An absent `status` means the default (待评价
/// for the office, everything for a branch); `status=` means all. `indicator` and `org`
/// narrow it to one 二级 indicator and one branch (a branch's assessment links here).
#[derive(Params, PartialEq, Clone, Default)]
struct QueueFilters {
    status: Option<String>,
    task: Option<String>,
    indicator: Option<String>,
    org: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for QueueFilters {
    const PATH: &'static str = "/tasks/queue";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("status", v(&self.status)),
            ("task", v(&self.task)),
            ("indicator", v(&self.indicator)),
            ("org", v(&self.org)),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

/// The review queue (office) or the branch's own assignments, nearest deadline first.
#[component]
pub fn QueuePage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let filters = use_filters::<QueueFilters>();
    let queue = Resource::new(
        move || filters.get(),
        move |f| async move {
            let office = is_office(&session.await);
            let status = f.status.clone().unwrap_or_else(|| {
                if office {
                    AssignmentStatus::Submitted.as_str().to_string()
                } else {
                    String::new()
                }
            });
            let page = list_assignments(QueueQuery {
                task: f.task.clone().unwrap_or_default(),
                indicator: f.indicator.clone().unwrap_or_default(),
                org: f.org.clone().unwrap_or_default(),
                status: status.clone(),
                page: f.page(),
            })
            .await?;
            Ok::<_, AppError>((office, status, page))
        },
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    queue.await.map(|(office, status, p)| {
                        let f = filters.get_untracked();
                        let task = f.task.clone().unwrap_or_default();
                        let mut current = f.clone();
                        current.status = Some(status.clone());
                        let heading = if office { T::TkQueueOffice } else { T::TkQueueBranch };
                        let chip = |word: &str, text: String| {
                            let mut with = f.clone();
                            with.status = Some(word.to_string());
                            let href = with.href(1);
                            view! {
                                <a class="chip" href=href aria-current=(status == word).then_some("page")>{text}</a>
                            }
                        };
                        let c = p.counts;
                        view! {
                            <div class="page-head">
                                <h1>{lang.t(heading)}</h1>
                                <a class="btn btn-ghost" href="/tasks">{lang.t(T::NavTasks)}</a>
                            </div>
                            <section class="card">
                                <nav class="chips" aria-label=lang.t(T::TkChipsLabel) data-testid="queue-chips">
                                    {chip("", lang.t(T::TkChipAll(c.total)))}
                                    <span class="chip chip-static">{lang.t(T::TkChipOpen(c.open))}</span>
                                    {chip(AssignmentStatus::Submitted.as_str(), lang.t(T::TkChipSubmitted(c.submitted)))}
                                    {chip(AssignmentStatus::Accepted.as_str(), lang.t(T::TkChipAccepted(c.accepted)))}
                                    <span class="chip chip-static">{lang.t(T::TkChipOverdue(c.overdue))}</span>
                                </nav>
                                {(!task.is_empty()).then(|| {
                                    let mut all = f.clone();
                                    all.status = Some(status.clone());
                                    all.task = None;
                                    view! {
                                        <p class="hint">
                                            {lang.t(T::TkOneTask)}" "
                                            <a href=all.href(1)>{lang.t(T::TkAllTasks)}</a>
                                        </p>
                                    }
                                })}
                                <FilterBar filters>
                                    <input type="hidden" name="task" value=task.clone()/>
                                    <input type="hidden" name="indicator" value=f.indicator.clone().unwrap_or_default()/>
                                    <input type="hidden" name="org" value=f.org.clone().unwrap_or_default()/>
                                    <Field id="tq-status" name="status" label=lang.t(T::TkStatus)>
                                        <option value="" selected=status.is_empty()>{lang.t(T::AllText)}</option>
                                        {AssignmentStatus::ALL.iter().map(|s| view! {
                                            <option value=s.as_str() selected=status == s.as_str()>{lang.t(s.label())}</option>
                                        }).collect_view()}
                                    </Field>
                                </FilterBar>
                                <DataTable
                                    columns=QUEUE_COLUMNS
                                    rows=p.rows
                                    row_key=|a: &AssignmentSummary| a.id.clone()
                                    row=move |a: AssignmentSummary| view! {
                                        <tr>
                                            <td><a href=format!("/tasks/assignments/{}", a.id)>{a.title.clone()}</a></td>
                                            <td>{target_name(&a)}</td>
                                            <td>{a.indicator_name.clone()}</td>
                                            <td>{deadline_cell(lang, a.deadline, a.overdue)}</td>
                                            <td>{lang.t(a.status.label())}</td>
                                            <td>{a.score.map_or_else(|| lang.t(T::TkNotScored).to_string(), show_points)}</td>
                                        </tr>
                                    }
                                    empty=T::TkQueueEmpty
                                    testid="queue-table"
                                    paging=Paging {
                                        page: p.page,
                                        total: p.total,
                                        page_size: p.page_size,
                                        href: Arc::new(move |n| current.href(n)),
                                    }
                                />
                            </section>
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

// ---------------------------------------------------------------------------------------
// /tasks/assignments/:id

/// One branch's assignment: the task and its guidance, the answer form (the branch), the
/// review form beside the latest submission (the office), and every submitted version.
#[component]
pub fn AssignmentPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let answer = ServerAction::<AnswerAssignment>::new();
    let review = ServerAction::<ReviewAssignment>::new();
    let reload = RwSignal::new(0u32);
    let answered = successes(answer.value().into(), answer.version().into());
    let reviewed = successes(review.value().into(), review.version().into());
    let data = Resource::new(
        move || (id.get(), answered.get(), reviewed.get(), reload.get()),
        |(id, ..)| get_assignment(id),
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    data.await.map(|a| view! { <Assignment a answer review reload/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Assignment(
    a: AssignmentView,
    answer: ServerAction<AnswerAssignment>,
    review: ServerAction<ReviewAssignment>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let none = lang.t(T::NoneText);
    let can_answer = a
        .actions
        .iter()
        .any(|x| matches!(x, AssignmentAction::SaveDraft | AssignmentAction::Submit));
    let can_review = a
        .actions
        .iter()
        .any(|x| matches!(x, AssignmentAction::Accept | AssignmentAction::Return));
    let mut history = a.history.clone();
    history.sort_by_key(|x| std::cmp::Reverse(x.version));
    let latest = history.first().cloned();
    let max = show_points(a.max);
    let score = a.score.map_or_else(
        || lang.t(T::TkNotScored).to_string(),
        |s| lang.t(T::TkScoreOf(&show_points(s), &max)),
    );
    let history_view = if history.is_empty() {
        view! { <EmptyState message=T::TkHistoryEmpty/> }.into_any()
    } else {
        view! {
            <ol class="submissions" data-testid="submission-history">
                {keyed(history, |s| s.version, |s| view! { <li><Submission s/></li> })}
            </ol>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <h1 data-testid="assignment-title">{a.title.clone()}</h1>
            <a class="btn btn-ghost" href=format!("/tasks/{}", a.task)>{lang.t(T::TkViewTask)}</a>
        </div>
        <p class="hint">
            {a.member_name.clone().map(|m| format!("{m} · "))}
            {format!("{} · ", a.org_name)}
            <span data-testid="assignment-status">{lang.t(a.status.label())}</span>
        </p>
        <p class="saved" role="status" data-testid="assignment-saved">
            {move || matches!(answer.value().get(), Some(Ok(()))).then(|| lang.t(T::TkAnswerSaved))}
            {move || matches!(review.value().get(), Some(Ok(()))).then(|| lang.t(T::TkReviewed))}
        </p>
        <section class="card" aria-labelledby="as-task-heading">
            <h2 id="as-task-heading">{lang.t(T::TkBody)}</h2>
            <p class="pre-line">{if a.body.is_empty() { none.to_string() } else { a.body.clone() }}</p>
            <dl class="detail-grid">
                <dt>{lang.t(T::TkColIndicator)}</dt>
                <dd>{format!("{} · {}", a.indicator_name, lang.t(T::TkMaxPoints(&max)))}</dd>
                <dt>{lang.t(T::TkGuidance)}</dt>
                <dd class="pre-line">{if a.guidance.is_empty() { none.to_string() } else { a.guidance.clone() }}</dd>
                <dt>{lang.t(T::TkEvidence)}</dt>
                <dd>{requirement(lang, a.need_text, a.min_links, a.min_photos, a.min_files)}</dd>
                {(!a.attachments.is_empty()).then(|| view! {
                    <dt>{lang.t(T::TkAttachments)}</dt>
                    <dd data-testid="assignment-attachments">{link_list(lang, a.attachments.clone())}</dd>
                })}
                <dt>{lang.t(T::TkDeadline)}</dt>
                <dd data-testid="assignment-deadline">{deadline_cell(lang, a.deadline, a.overdue)}</dd>
                <dt>{lang.t(T::TkColScore)}</dt>
                <dd data-testid="assignment-score">{score}</dd>
            </dl>
        </section>
        {(can_answer || can_review).then(|| view! {
            <div class="profile-layout">
                {can_review.then(|| latest.map(|s| view! {
                    <section class="card" aria-labelledby="as-latest-heading">
                        <h2 id="as-latest-heading">{lang.t(T::TkLatest)}</h2>
                        <Submission s/>
                    </section>
                }))}
                {
                    // The forms are fetched once the page has hydrated.
                    let args = FormsArgs { a: a.clone(), answer, review, reload, can_answer, can_review };
                    crate::components::later::after_hydration(|| ().into_any(), move || assignment_forms(args.clone()))
                }
            </div>
        })}
        <section class="card" aria-labelledby="as-history-heading">
            <h2 id="as-history-heading">{lang.t(T::TkHistory)}</h2>
            {history_view}
        </section>
    }
}

/// What the assignment's forms need.
#[derive(Clone)]
struct FormsArgs {
    a: AssignmentView,
    answer: ServerAction<AnswerAssignment>,
    review: ServerAction<ReviewAssignment>,
    reload: RwSignal<u32>,
    can_answer: bool,
    can_review: bool,
}

/// The office's review and the branch's answer (`#[lazy]`, not part of the page's first
/// load: docs/wasm-size.md).
#[lazy]
fn assignment_forms(args: FormsArgs) -> AnyView {
    let FormsArgs {
        a,
        answer,
        review,
        reload,
        can_answer,
        can_review,
    } = args;
    view! {
        {can_review.then(|| view! { <ReviewForm a=a.clone() review reload/> })}
        {can_answer.then(|| view! { <AnswerForm a answer/> })}
    }
    .into_any()
}

/// One submitted version with its review.
#[component]
fn Submission(s: SubmissionView) -> impl IntoView {
    let lang = use_lang();
    let decision = match s.decision {
        Some(AssignmentAction::Accept) => lang.t(AssignmentStatus::Accepted.label()),
        Some(AssignmentAction::Return) => lang.t(AssignmentStatus::Returned.label()),
        _ => lang.t(T::TkAwaitingReview),
    };
    let reviewer = s.reviewer.clone().map(|r| {
        let at = s.reviewed_at.map(|t| lang.time(t)).unwrap_or_default();
        lang.t(T::TkReviewedBy(&r, &at))
    });
    view! {
        <article class="submission" data-testid=format!("submission-{}", s.version)>
            <h3>{lang.t(T::TkVersion(s.version))}</h3>
            <p class="hint">{lang.t(T::TkSubmittedBy(&s.submitted_by, &lang.time(s.submitted_at)))}</p>
            <p class="pre-line">{if s.text.is_empty() { lang.t(T::TkNoText).to_string() } else { s.text.clone() }}</p>
            {link_list(lang, s.links.clone())}
            <dl class="detail-grid">
                <dt>{lang.t(T::TkDecision)}</dt>
                <dd>{decision}</dd>
                {s.score.map(|p| view! {
                    <dt>{lang.t(T::TkColScore)}</dt>
                    <dd>{show_points(p)}</dd>
                })}
                {(!s.comment.is_empty()).then(|| view! {
                    <dt>{lang.t(T::TkComment)}</dt>
                    <dd class="pre-line">{s.comment.clone()}</dd>
                })}
                {reviewer.map(|r| view! {
                    <dt>{lang.t(T::TkReview)}</dt>
                    <dd>{r}</dd>
                })}
            </dl>
        </article>
    }
}

/// The branch's answer: the written account and the linked records, saved as a draft or
/// submitted.
#[component]
fn AnswerForm(a: AssignmentView, answer: ServerAction<AnswerAssignment>) -> impl IntoView {
    let lang = use_lang();
    let links = RwSignal::new(a.links.clone());
    let joined = move || {
        links.with(|ls| {
            ls.iter()
                .map(|l| format!("{}:{}", l.kind.as_str(), l.id))
                .collect::<Vec<_>>()
                .join("\n")
        })
    };
    let can_save = a.actions.contains(&AssignmentAction::SaveDraft);
    let can_submit = a.actions.contains(&AssignmentAction::Submit);
    let text_error = action_error(answer.value().into(), "text");
    let links_error = action_error(answer.value().into(), "links");
    let added = chosen_links(lang, links, "answer-links", T::TkLinksNone);
    view! {
        <section class="card" aria-labelledby="as-answer-heading">
            <h2 id="as-answer-heading">{lang.t(T::TkAnswer)}</h2>
            <p class="hint" data-testid="answer-requirement">
                {lang.t(T::Labelled(lang.t(T::TkEvidence), &requirement(lang, a.need_text, a.min_links, a.min_photos, a.min_files)))}
            </p>
            <ActionForm action=answer attr:class="form-stack" attr:data-testid="answer-form">
                <input type="hidden" name="input[id]" value=a.id.clone()/>
                <input type="hidden" name="input[links]" value=joined/>
                <div class="field">
                    <label for="as-text">{lang.t(T::TkAnswerText)}</label>
                    <textarea
                        id="as-text"
                        name="input[text]"
                        rows="8"
                        maxlength="5000"
                        aria-describedby="as-text-error"
                        aria-invalid=move || text_error.get().is_some().to_string()
                    >
                        {a.text.clone()}
                    </textarea>
                    <p id="as-text-error" class="field-error" role="alert">{move || text_error.get()}</p>
                </div>
                <fieldset class="form-stack">
                    <legend>{lang.t(T::TkLinks)}</legend>
                    <p class="hint" aria-live="polite">{move || lang.t(T::TkLinkCount(links.with(Vec::len)))}</p>
                    {added}
                    <p class="field-error" role="alert">{move || links_error.get()}</p>
                    <FileUpload org=a.org_id.clone() on_done=Callback::new(move |f: FileView| {
                        links.update(|ls| {
                            if ls.len() < LINKS_MAX && !ls.iter().any(|l| l.kind == f.kind && l.id == f.id) {
                                ls.push(EvidenceLink { kind: f.kind, id: f.id, label: f.name, org: f.org });
                            }
                        })
                    })/>
                    // A member answers with their own uploads; the records of the branch are
                    // the committee's to link.
                    {a.member_name.is_none().then(|| view! { <LinkPicker links this=a.id.clone()/> })}
                </fieldset>
                <p class="field-error" role="alert">{move || general_error(answer.value().get(), &["text", "links"], lang)}</p>
                <div class="toolbar">
                    {can_save.then(|| view! {
                        <button type="submit" name="input[action]" value="save" class="btn btn-ghost"
                            data-testid="save-answer" disabled=move || answer.pending().get()>
                            {lang.t(T::AsSaveDraft)}
                        </button>
                    })}
                    {can_submit.then(|| view! {
                        <button type="submit" name="input[action]" value="submit" class="btn btn-primary"
                            data-testid="submit-answer" disabled=move || answer.pending().get()>
                            {lang.t(T::AsSubmit)}
                        </button>
                    })}
                </div>
            </ActionForm>
        </section>
    }
}

/// The words a picker searches by, and its 查找 button.
struct WordsField {
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    testid: &'static str,
    button: &'static str,
}

/// A search field whose Enter (or 查找) runs `find` with the words typed into `words`.
/// A picker's last answer: the kind searched and the (key, label) pairs found.
type Found = Result<(LinkKind, Vec<Picked>), AppError>;

/// A picker's search, run in the background when asked (never while the page renders):
/// `busy` while it runs, then its answer in `found`; a newer search wins over an older one
/// still under way.
fn searcher(
    found: RwSignal<Option<Found>>,
    busy: RwSignal<bool>,
) -> impl Fn(LinkKind, String, String) + Copy + Send + Sync + 'static {
    let last = StoredValue::new(0u32);
    move |kind, words, this| {
        let n = last.get_value().wrapping_add(1);
        last.set_value(n);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = find_records(kind, words, this).await;
            if last.get_value() == n {
                found.set(Some(answer.map(|list| (kind, list))));
                busy.set(false);
            }
        });
    }
}

/// `pick_records`, with the code that calls it and reads its answer in a file of its own
/// (`#[lazy]`): fetched on a page's first search, not with the page (docs/wasm-size.md).
#[lazy]
async fn find_records(
    kind: LinkKind,
    words: String,
    this: String,
) -> Result<Vec<Picked>, AppError> {
    pick_records(kind, words, this).await
}

fn words_and_find(
    f: WordsField,
    words: RwSignal<String>,
    find: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field grow">
            <label for=f.id>{f.label}</label>
            <input
                id=f.id
                type="search"
                maxlength="32"
                data-testid=f.testid
                placeholder=f.placeholder
                on:input=move |ev| words.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        find();
                    }
                }
            />
        </div>
        <button type="button" class="btn btn-ghost" data-testid=f.button on:click=move |_| find()>
            {lang.t(T::TkFind)}
        </button>
    }
}

/// The member picker (`components::member_picker`), fetched once the task form has
/// hydrated: members a task goes to, each answering it themselves; the form carries their
/// keys in `input[members]`.
#[lazy]
fn member_picker(picked: RwSignal<Vec<(String, String)>>) -> AnyView {
    use crate::components::member_picker::MemberPicker;
    view! {
        <MemberPicker picked name="task" legend=T::TkMembers hint=T::TkMembersHint
            max=MEMBERS_MAX/>
    }
    .into_any()
}

/// Adds evidence links without typing keys: a kind, some words, then a click on a record.
#[component]
fn LinkPicker(links: RwSignal<Vec<EvidenceLink>>, this: String) -> impl IntoView {
    let lang = use_lang();
    let kind = RwSignal::new(LinkKind::Member);
    let words = RwSignal::new(String::new());
    let (found, busy) = (RwSignal::new(None::<Found>), RwSignal::new(false));
    let search = searcher(found, busy);
    let this = StoredValue::new(this);
    let find = move || {
        search(
            kind.get_untracked(),
            words.get_untracked(),
            this.get_value(),
        )
    };
    let results = move |k: LinkKind, list: Vec<(String, String)>| {
        if list.is_empty() {
            return view! { <p class="hint" role="status">{lang.t(T::TkPickerEmpty)}</p> }
                .into_any();
        }
        view! {
            <ul class="link-list" data-testid="link-candidates">
                {list.into_iter().map(|(id, label)| {
                    let (id2, label2) = (id.clone(), label.clone());
                    let taken = move || links.with(|ls| ls.iter().any(|l| l.kind == k && l.id == id));
                    view! {
                        <li>
                            <button
                                type="button"
                                class="btn btn-ghost btn-small"
                                aria-label=lang.t(T::TkAddLink(&label))
                                disabled=taken
                                on:click=move |_| links.update(|ls| {
                                    if ls.len() < LINKS_MAX && !ls.iter().any(|l| l.kind == k && l.id == id2) {
                                        ls.push(EvidenceLink {
                                            kind: k,
                                            id: id2.clone(),
                                            label: label2.clone(),
                                            org: String::new(),
                                        });
                                    }
                                })
                            >
                                {label.clone()}
                            </button>
                            " "<span class="badge badge-muted">{lang.t(k.label())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <fieldset class="form-stack" data-testid="link-picker">
            <legend>{lang.t(T::TkAddLinks)}</legend>
            <p class="hint">{lang.t(T::TkPickerHint)}</p>
            <div class="filter-bar">
                <div class="field">
                    <label for="lp-kind">{lang.t(T::TkLinkKind)}</label>
                    <select
                        id="lp-kind"
                        data-testid="link-kind"
                        on:change=move |ev| {
                            kind.set(LinkKind::parse(&event_target_value(&ev)).unwrap_or(LinkKind::Member));
                            find();
                        }
                    >
                        {LinkKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str()>{lang.t(k.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                {words_and_find(WordsField {
                    id: "lp-words",
                    label: lang.t(T::TkLinkWords),
                    placeholder: lang.t(T::TkLinkWordsHint),
                    testid: "link-words",
                    button: "find-links",
                }, words, find)}
            </div>
            {move || busy.get().then(|| view! { <LoadingState/> })}
            {move || found.get().map(|answer| match answer {
                Ok((k, list)) => results(k, list),
                Err(e) => view! { <p class="field-error" role="alert">{e.message(lang)}</p> }.into_any(),
            })}
        </fieldset>
    }
}

/// The office's review of the latest submission: points, a comment, accept or return. A
/// second reviewer of the same version is told so by the server (409) and may reload.
#[component]
fn ReviewForm(
    a: AssignmentView,
    review: ServerAction<ReviewAssignment>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let max = show_points(a.max);
    let score_error = action_error(review.value().into(), "score");
    let comment_error = action_error(review.value().into(), "comment");
    let conflict = move || matches!(review.value().get(), Some(Err(AppError::Conflict { .. })));
    let can_accept = a.actions.contains(&AssignmentAction::Accept);
    let can_return = a.actions.contains(&AssignmentAction::Return);
    view! {
        <section class="card" aria-labelledby="as-review-heading">
            <h2 id="as-review-heading">{lang.t(T::TkReview)}</h2>
            <ActionForm action=review attr:class="form-stack" attr:data-testid="review-form">
                <input type="hidden" name="input[id]" value=a.id.clone()/>
                <input type="hidden" name="input[version]" value=a.version.to_string()/>
                <div class="field">
                    <label for="rv-score">{lang.t(T::TkScoreLabel(&max))}</label>
                    <input
                        id="rv-score"
                        type="number"
                        name="input[score]"
                        step="0.01"
                        min="0"
                        max=max.clone()
                        inputmode="decimal"
                        required=true
                        data-testid="review-score"
                        aria-describedby="rv-score-error"
                        aria-invalid=move || score_error.get().is_some().to_string()
                    />
                    <p id="rv-score-error" class="field-error" role="alert">{move || score_error.get()}</p>
                </div>
                <div class="field">
                    <label for="rv-comment">{lang.t(T::TkComment)}</label>
                    <textarea
                        id="rv-comment"
                        name="input[comment]"
                        rows="4"
                        maxlength="1000"
                        data-testid="review-comment"
                        aria-describedby="rv-comment-error"
                        aria-invalid=move || comment_error.get().is_some().to_string()
                    ></textarea>
                    <p id="rv-comment-error" class="field-error" role="alert">{move || comment_error.get()}</p>
                </div>
                <p class="field-error" role="alert" data-testid="review-error">
                    {move || general_error(review.value().get(), &["score", "comment"], lang)}
                </p>
                {move || conflict().then(|| view! {
                    <p>
                        <button type="button" class="btn btn-ghost" data-testid="review-reload"
                            on:click=move |_| {
                                review.value().set(None);
                                reload.update(|n| *n += 1);
                            }>
                            {lang.t(T::TkReload)}
                        </button>
                    </p>
                })}
                <div class="toolbar">
                    {can_accept.then(|| view! {
                        <button type="submit" name="input[decision]" value="accept" class="btn btn-primary"
                            data-testid="accept-review" disabled=move || review.pending().get()>
                            {lang.t(T::AsAccept)}
                        </button>
                    })}
                    {can_return.then(|| view! {
                        <button type="submit" name="input[decision]" value="return" class="btn btn-danger"
                            data-testid="return-review" disabled=move || review.pending().get()>
                            {lang.t(T::AsReturn)}
                        </button>
                    })}
                </div>
            </ActionForm>
        </section>
    }
}
