//! `/members/import`: template, upload, the check report, and the confirmation that writes.
//! The upload is a plain form post, so it works without script; with script it goes
//! through `XMLHttpRequest` instead, to show how much of the file has been sent. Nothing
//! is written before the report has been seen and confirmed; the write then runs in the
//! background and the page follows it with a progress bar.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::import::{CommitImport, get_import};
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::components::table::{Column, DataTable};
use crate::i18n::{T, use_lang};
use crate::models::import::{ImportProblem, ImportReport, ImportStatus};

const PROBLEM_COLUMNS: [Column; 4] = [
    Column::new(T::ImpRow),
    Column::new(T::ImpColumn),
    Column::new(T::ImpMessage),
    Column::new(T::ImpValue),
];

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map();
    let job = Memo::new(move |_| params.read().get("job").filter(|j| !j.is_empty()));
    let confirm = ServerAction::<CommitImport>::new();
    // Bumped once a second while a confirmed import is being written.
    let tick = RwSignal::new(0u32);
    let report = Resource::new(
        move || (job.get(), confirm.version().get(), tick.get()),
        |(job, _, _)| async move {
            match job {
                Some(id) => get_import(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    Effect::new(move |_| {
        let running = report
            .get()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|r| r.status == ImportStatus::Importing);
        if running {
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_secs(1),
            );
        }
    });
    let upload = RwSignal::new(Upload::Idle);
    let navigate = leptos_router::hooks::use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if upload_with_progress(&ev, upload, navigate.clone(), lang) {
            ev.prevent_default();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &navigate);
    };
    view! {
        <h1>{lang.t(T::ImpTitle)}</h1>
        <section class="card">
            <p><a class="btn btn-ghost" href="/export/member-template.xlsx" rel="external" download="">{lang.t(T::ImpTemplate)}</a></p>
            <form method="post" action="/import/members" enctype="multipart/form-data" class="form-stack" on:submit=on_submit>
                <div class="field">
                    <label for="imp-file">{lang.t(T::ImpChoose)}</label>
                    <input id="imp-file" type="file" name="file" required=true
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                </div>
                {move || match upload.get() {
                    Upload::Idle => None,
                    Upload::Sending(p) => Some(view! {
                        <p class="loading" role="status" data-testid="upload-progress">
                            <progress max="100" value=p aria-label=lang.t(T::ImpUpload)></progress>" "
                            {lang.t(T::ImpUploading(p))}
                        </p>
                    }.into_any()),
                    Upload::Checking => Some(view! {
                        <p class="loading" role="status" data-testid="upload-progress">
                            <progress aria-label=lang.t(T::ImpChecking)></progress>" "{lang.t(T::ImpChecking)}
                        </p>
                    }.into_any()),
                    Upload::Failed(message) => Some(view! {
                        <p class="field-error" role="alert">{message}</p>
                    }.into_any()),
                }}
                <button type="submit" class="btn btn-primary"
                    disabled=move || matches!(upload.get(), Upload::Sending(_) | Upload::Checking)>
                    {lang.t(T::ImpUpload)}
                </button>
            </form>
        </section>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    report.await.map(|r| r.map(|r| view! { <Report report=r confirm/> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Report(report: ImportReport, confirm: ServerAction<CommitImport>) -> impl IntoView {
    let lang = use_lang();
    let id = report.id.clone();
    view! {
        <section class="card" aria-labelledby="imp-report-heading" data-testid="import-report">
            <h2 id="imp-report-heading">{lang.t(T::ImpReport)}" · "{report.file_name.clone()}</h2>
            {if report.status == ImportStatus::Rejected {
                view! { <p class="alert alert-error" role="alert">{report.message.clone()}</p> }.into_any()
            } else if report.status == ImportStatus::Importing {
                let (w, n) = (report.written, report.ready);
                view! {
                    <p class="loading" role="status" data-testid="import-progress">
                        <progress max=n value=w aria-label=lang.t(T::ImpWorking)></progress>" "
                        {lang.t(T::ImpWritten(w, n))}
                    </p>
                }.into_any()
            } else if report.status == ImportStatus::Imported {
                view! {
                    <p class="saved" role="status" data-testid="import-done">
                        {lang.t(T::ImpDone(report.imported))}" "
                        <a href="/members">{lang.t(T::NavMembers)}</a>
                    </p>
                }.into_any()
            } else {
                view! {
                    <p data-testid="import-counts">
                        {lang.t(T::ImpCounts(report.rows, report.ready, report.problem_count))}
                    </p>
                    {(!report.sheet.is_empty()).then(|| view! {
                        <p class="hint" data-testid="import-sheet">{lang.t(T::ImpSheetRead(&report.sheet))}</p>
                    })}
                    {(report.status == ImportStatus::Failed).then(|| view! {
                        <p class="alert alert-error" role="alert" data-testid="import-failed">{report.message.clone()}</p>
                    })}
                    {if report.problem_count > 0 {
                        view! {
                            <p class="hint">{lang.t(T::ImpFixHint)}</p>
                            <DataTable
                                columns=PROBLEM_COLUMNS
                                rows=report.problems.clone()
                                row_key=|p: &ImportProblem| (p.row, p.column.clone())
                                row=|p: ImportProblem| view! {
                                    <tr><td>{p.row}</td><td>{p.column}</td><td>{p.message}</td><td class="mono">{p.value}</td></tr>
                                }
                                testid="import-problems"
                            />
                        }.into_any()
                    } else if report.can_confirm() {
                        view! {
                            <ActionForm action=confirm attr:class="form-stack">
                                <input type="hidden" name="id" value=id.clone()/>
                                <p class="field-error" role="alert">{move || general_error(confirm.value().get(), &[], lang)}</p>
                                {move || confirm.pending().get().then(|| view! {
                                    <p class="loading" role="status"><progress aria-label=lang.t(T::ImpWorking)></progress>" "{lang.t(T::ImpWorking)}</p>
                                })}
                                <button type="submit" class="btn btn-primary" disabled=move || confirm.pending().get()>
                                    {lang.t(T::ImpConfirm)}
                                </button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        ().into_any()
                    }}
                }.into_any()
            }}
        </section>
    }
}

/// Where the upload stands (with script only: the server renders `Idle`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Upload {
    Idle,
    /// Percent of the file sent.
    Sending(u32),
    /// Sent; the server is reading and checking it.
    Checking,
    Failed(String),
}

/// Sends the form through `XMLHttpRequest`, reporting upload progress, and opens the report
/// when the server answers. Returns false (leave the browser's own post alone) when the
/// request cannot be set up.
#[cfg(feature = "hydrate")]
fn upload_with_progress(
    ev: &leptos::ev::SubmitEvent,
    upload: RwSignal<Upload>,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
    lang: crate::i18n::Lang,
) -> bool {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return false;
    };
    let (Ok(data), Ok(xhr)) = (
        web_sys::FormData::new_with_form(&form),
        web_sys::XmlHttpRequest::new(),
    ) else {
        return false;
    };
    if xhr.open("POST", "/import/members").is_err()
        || xhr
            .set_request_header("accept", "application/json")
            .is_err()
    {
        return false;
    }
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let sent = (e.loaded() / e.total() * 100.0).floor() as u32;
                upload.set(if sent >= 100 {
                    Upload::Checking
                } else {
                    Upload::Sending(sent)
                });
            }
        });
    if let Ok(target) = xhr.upload() {
        target.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let request = xhr.clone();
    // Fires once, after success or failure; it owns the progress handler and frees it.
    let done = Closure::once_into_js(move || {
        drop(progress);
        let status = request.status().unwrap_or(0);
        let body = request.response_text().ok().flatten().unwrap_or_default();
        let job = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("job").and_then(|j| j.as_str()).map(String::from));
        match (status, job) {
            (200, Some(job)) => {
                upload.set(Upload::Idle);
                navigate(&format!("/members/import?job={job}"), Default::default());
            }
            (413, _) => upload.set(Upload::Failed(lang.t(crate::i18n::T::ImpTooBig).into())),
            _ => upload.set(Upload::Failed(
                serde_json::from_str::<crate::error::AppError>(&body)
                    .unwrap_or(crate::error::AppError::Internal)
                    .message(lang),
            )),
        }
    });
    xhr.set_onloadend(Some(done.unchecked_ref()));
    upload.set(Upload::Sending(0));
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        upload.set(Upload::Idle);
        return false;
    }
    true
}
