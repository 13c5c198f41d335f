//! The question bank's import from Excel (`/learning/bank`, issue 15): the template, the
//! upload into the organisation's files, a check with its report (row, column, problem),
//! and the import of every question at once once nothing is wrong. The form is fetched
//! once the page has hydrated (`#[lazy]`, not part of the bank's first load); the server
//! renders the hint and the template's link.

use leptos::prelude::*;

use crate::api::quiz::import_questions;
use crate::components::feedback::general_error;
use crate::components::later::after_hydration;
use crate::components::upload::FileUpload;
use crate::i18n::{Lang, T, use_lang};
use crate::models::files::FileView;
use crate::models::learning::Publisher;
use crate::models::quiz::{QuestionImport, QuestionImportInput};

/// What the file input offers: Excel workbooks.
const XLSX: &str = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The import's card: the hint and the template (rendered by the server), and the form.
/// `imported` is bumped after an import, so the bank's list reloads; `done` holds how many
/// questions the last import wrote, kept by the page while the list (and this card) is
/// drawn again.
#[component]
pub fn QuestionImportCard(
    publishers: Vec<Publisher>,
    imported: RwSignal<u32>,
    done: RwSignal<Option<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let args = ImportArgs {
        publishers,
        imported,
        done,
    };
    view! {
        <details class="card course-new" data-testid="question-import" open=move || done.get().is_some()>
            <summary>{lang.t(T::QiTitle)}</summary>
            {move || done.get().map(|n| view! {
                <p class="saved" role="status" data-testid="question-import-done">
                    {lang.t(T::QiImported(n))}
                </p>
            })}
            <p class="hint">{lang.t(T::QiHint)}</p>
            <p>
                <a class="btn btn-ghost" href="/export/question-template.xlsx" rel="external"
                    download="" data-testid="question-template">
                    {lang.t(T::QiTemplate)}
                </a>
            </p>
            {after_hydration(|| ().into_any(), move || question_importer(args.clone()))}
        </details>
    }
}

#[derive(Clone)]
pub struct ImportArgs {
    publishers: Vec<Publisher>,
    imported: RwSignal<u32>,
    done: RwSignal<Option<u32>>,
}

#[lazy]
fn question_importer(args: ImportArgs) -> AnyView {
    let ImportArgs {
        publishers,
        imported,
        done,
    } = args;
    view! { <Importer publishers imported done/> }.into_any()
}

#[component]
fn Importer(
    publishers: Vec<Publisher>,
    imported: RwSignal<u32>,
    done: RwSignal<Option<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let org = RwSignal::new(publishers.first().map(|p| p.id.clone()).unwrap_or_default());
    // The uploaded file (key, name); another organisation's upload is dropped.
    let file = RwSignal::new(None::<(String, String)>);
    let run = Action::new_local(move |commit: &bool| {
        let input = QuestionImportInput {
            org: org.get_untracked(),
            file: file.get_untracked().map(|f| f.0).unwrap_or_default(),
            commit: *commit,
        };
        import_questions(input)
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = run.value().get()
            && r.imported > 0
        {
            done.set(Some(r.imported));
            imported.update(|n| *n += 1);
        }
    });
    let choose_org = publishers.len() > 1;
    let orgs = publishers
        .into_iter()
        .map(|p| view! { <option value=p.id>{p.name}</option> })
        .collect_view();
    view! {
        <div class="form-stack" data-testid="question-import-form">
            {choose_org.then(|| view! {
                <div class="field">
                    <label for="qi-org">{lang.t(T::LnOrg)}</label>
                    <select id="qi-org" on:change=move |ev| {
                        org.set(event_target_value(&ev));
                        file.set(None);
                    }>
                        {orgs}
                    </select>
                </div>
            })}
            <p class="hint">{lang.t(T::QiFile)}</p>
            {move || {
                let o = org.get();
                view! {
                    <FileUpload org=o field="qi-file" accept=XLSX
                        on_done=Callback::new(move |f: FileView| file.set(Some((f.id, f.name))))/>
                }
            }}
            {move || file.get().map(|(_, name)| view! {
                <p data-testid="question-import-file">{lang.t(T::QiChosen(&name))}</p>
            })}
            <div class="row-actions">
                <button type="button" class="btn" data-testid="question-import-check"
                    disabled=move || run.pending().get()
                    on:click=move |_| {
                        done.set(None);
                        run.dispatch_local(false);
                    }>
                    {lang.t(T::QiCheck)}
                </button>
            </div>
            <p class="field-error" role="alert">{move || general_error(run.value().get(), &[], lang)}</p>
            {move || run.value().get().and_then(Result::ok).map(|r| report(lang, r, run))}
        </div>
    }
}

/// The check's report: the counts, the problems by row, and the import when none.
fn report(
    lang: Lang,
    r: QuestionImport,
    run: Action<bool, Result<QuestionImport, crate::error::AppError>>,
) -> AnyView {
    // Imported: the card says so (`done`), above the form.
    if r.imported > 0 {
        return ().into_any();
    }
    let problems = (r.problem_count > 0).then(|| {
        view! {
            <p class="field-error" role="alert">{lang.t(T::QiProblems(r.problem_count))}</p>
            <div class="table-wrap">
                <table class="data-table" data-testid="question-import-problems">
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::QiRow)}</th>
                            <th scope="col">{lang.t(T::QiColumn)}</th>
                            <th scope="col">{lang.t(T::QiProblem)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.problems.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.row}</td>
                                <td>{p.column}</td>
                                <td>{p.message}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    let ready = r.ready;
    let can_import = r.problem_count == 0 && ready > 0;
    view! {
        <p role="status" data-testid="question-import-summary">{lang.t(T::QiSummary(r.rows, ready))}</p>
        {problems}
        {can_import.then(|| view! {
            <div class="row-actions">
                <button type="button" class="btn btn-primary" data-testid="question-import-commit"
                    disabled=move || run.pending().get()
                    on:click=move |_| { run.dispatch_local(true); }>
                    {lang.t(T::QiImport(ready))}
                </button>
            </div>
        })}
    }
    .into_any()
}
