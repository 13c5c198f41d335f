//! `/members/import`: template, upload, the check report, and the confirmation that writes.
//! The upload is a plain form post (no script needed); nothing is written before the
//! report has been seen and confirmed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::import::{CommitImport, ImportReport, get_import};
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::i18n::{T, use_lang};

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map();
    let job = Memo::new(move |_| params.read().get("job").filter(|j| !j.is_empty()));
    let confirm = ServerAction::<CommitImport>::new();
    let report = Resource::new(
        move || (job.get(), confirm.version().get()),
        |(job, _)| async move {
            match job {
                Some(id) => get_import(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <h1>{lang.t(T::ImpTitle)}</h1>
        <section class="card">
            <p><a class="btn btn-ghost" href="/export/member-template.xlsx" rel="external" download="">{lang.t(T::ImpTemplate)}</a></p>
            <form method="post" action="/import/members" enctype="multipart/form-data" class="form-stack">
                <div class="field">
                    <label for="imp-file">{lang.t(T::ImpChoose)}</label>
                    <input id="imp-file" type="file" name="file" required=true
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                </div>
                <button type="submit" class="btn btn-primary">{lang.t(T::ImpUpload)}</button>
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
            {if report.status == "rejected" {
                view! { <p class="alert alert-error" role="alert">{report.message.clone()}</p> }.into_any()
            } else if report.status == "imported" {
                view! {
                    <p class="saved" role="status" data-testid="import-done">
                        {lang.t(T::ImpDone).replace("{n}", &report.imported.to_string())}" "
                        <a href="/members">{lang.t(T::NavMembers)}</a>
                    </p>
                }.into_any()
            } else {
                view! {
                    <p data-testid="import-counts">
                        {format!(
                            "{} {} · {} {} · {} {}",
                            lang.t(T::ImpRows), report.rows,
                            lang.t(T::ImpReady), report.ready,
                            lang.t(T::ImpProblems), report.problem_count
                        )}
                    </p>
                    {if report.problem_count > 0 {
                        view! {
                            <p class="hint">{lang.t(T::ImpFixHint)}</p>
                            <div class="table-wrap">
                                <table class="data-table" data-testid="import-problems">
                                    <thead><tr>
                                        <th scope="col">{lang.t(T::ImpRow)}</th>
                                        <th scope="col">{lang.t(T::ImpColumn)}</th>
                                        <th scope="col">{lang.t(T::ImpMessage)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {report.problems.iter().map(|p| view! {
                                            <tr><td>{p.row}</td><td>{p.column.clone()}</td><td>{p.message.clone()}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    } else {
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
                    }}
                }.into_any()
            }}
        </section>
    }
}
