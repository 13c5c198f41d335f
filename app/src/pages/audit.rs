//! `/audit`: the security auditor's view of the audit trail: filter by day range, account,
//! action and entity; page through; verify the hash chain; export the matches to Excel.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::audit::{VerifyAuditChain, search_audit};
use crate::components::feedback::{LoadingState, Pager, error_panel, general_error, query_string};
use crate::i18n::{T, use_lang};
use crate::models::audit::{AuditQuery, action, action_text, outcome_text};

const FILTERS: [&str; 5] = ["from", "to", "actor", "action", "entity"];

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map();
    let get = move |k: &str| params.read().get(k).unwrap_or_default();
    let query = Memo::new(move |_| AuditQuery {
        from: get("from").parse().ok(),
        to: get("to").parse().ok(),
        actor: get("actor"),
        action: get("action"),
        entity: get("entity"),
        page: get("page").parse().unwrap_or(1),
    });
    // The filters as a query string (without the page), for paging and the export link.
    let filter_string = move || query_string(&FILTERS, get);
    let verify = ServerAction::<VerifyAuditChain>::new();
    let entries = Resource::new(move || query.get(), search_audit);
    let report = move || {
        verify
            .value()
            .get()
            .and_then(Result::ok)
            .map(|r| match r.first_broken {
                None => view! {
                    <div class="alert alert-success" role="status" data-testid="chain-report">
                        {lang.t(T::AuditIntact(r.checked))}
                    </div>
                }
                .into_any(),
                Some(seq) => view! {
                    <div class="alert alert-error" role="alert" data-testid="chain-report">
                        {lang.t(T::AuditBroken(seq))}
                    </div>
                }
                .into_any(),
            })
    };
    view! {
        <h1>{lang.t(T::AuditTitle)}</h1>
        <p class="hint">{lang.t(T::AuditIntro)}</p>
        <div class="toolbar">
            <ActionForm action=verify attr:class="inline-form">
                <button type="submit" class="btn btn-primary" disabled=move || verify.pending().get()>
                    {lang.t(T::AuditVerify)}
                </button>
            </ActionForm>
            <a
                class="btn btn-ghost"
                href=move || format!("/export/audit.xlsx?{}", filter_string())
                rel="external"
                download=""
            >
                {lang.t(T::AuditExport)}
            </a>
        </div>
        {report}
        <p class="field-error" role="alert">{move || general_error(verify.value().get(), &[], lang)}</p>
        <section class="card">
            <form method="get" action="/audit" class="filter-bar" role="search">
                <div class="field">
                    <label for="audit-from">{lang.t(T::AuditFrom)}</label>
                    <input id="audit-from" type="date" name="from" prop:value=move || get("from")/>
                </div>
                <div class="field">
                    <label for="audit-to">{lang.t(T::AuditTo)}</label>
                    <input id="audit-to" type="date" name="to" prop:value=move || get("to")/>
                </div>
                <div class="field">
                    <label for="audit-actor">{lang.t(T::AuditActor)}</label>
                    <input id="audit-actor" type="search" name="actor" maxlength="64" prop:value=move || get("actor")/>
                </div>
                <div class="field">
                    <label for="audit-action">{lang.t(T::AuditAction)}</label>
                    <select id="audit-action" name="action" prop:value=move || get("action")>
                        <option value="">{lang.t(T::AuditAllActions)}</option>
                        {action::ALL.iter().map(|a| view! { <option value=*a>{action_text(a, lang)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-entity">{lang.t(T::AuditEntity)}</label>
                    <input id="audit-entity" type="search" name="entity" maxlength="64" prop:value=move || get("entity")/>
                </div>
                <button type="submit" class="btn btn-ghost">{lang.t(T::Search)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        entries.await.map(|p| {
                            if p.entries.is_empty() {
                                return view! {
                                    <p class="empty-state" role="status">{lang.t(T::AuditEmpty)}</p>
                                }.into_any();
                            }
                            let filters = filter_string();
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table" data-testid="audit-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{lang.t(T::AuditSeq)}</th>
                                                <th scope="col">{lang.t(T::AuditAt)}</th>
                                                <th scope="col">{lang.t(T::AuditActor)}</th>
                                                <th scope="col">{lang.t(T::AuditAddress)}</th>
                                                <th scope="col">{lang.t(T::AuditAction)}</th>
                                                <th scope="col">{lang.t(T::AuditEntity)}</th>
                                                <th scope="col">{lang.t(T::AuditOutcome)}</th>
                                                <th scope="col">{lang.t(T::AuditSummary)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.entries.into_iter().map(|e| view! {
                                                <tr>
                                                    <td>{e.seq}</td>
                                                    <td>{lang.time_exact(e.at)}</td>
                                                    <td>{e.actor}</td>
                                                    <td>{e.address}</td>
                                                    <td>{action_text(&e.action, lang)}</td>
                                                    <td>{format!("{} {}", e.entity, e.entity_id)}</td>
                                                    <td>{outcome_text(&e.outcome, lang)}</td>
                                                    <td>{e.summary}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager
                                    page=p.page
                                    total=p.total
                                    page_size=p.page_size
                                    href=move |n| format!("/audit?{filters}&page={n}")
                                />
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
