//! `/audit`: the security auditor's view of the audit trail: filter by day range, account,
//! action and entity; page through; verify the hash chain; export the matches to Excel.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::params::Params;

use crate::api::audit::{VerifyAuditChain, search_audit};
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::Field;
use crate::components::table::{Column, DataTable, Paging, keyed};
use crate::i18n::{T, use_lang};
use crate::models::audit::{AuditEntry, AuditQuery, action, action_text, outcome_text};

const COLUMNS: [Column; 8] = [
    Column::new(T::AuditSeq),
    Column::new(T::AuditAt),
    Column::new(T::AuditActor),
    Column::new(T::AuditAddress),
    Column::new(T::AuditAction),
    Column::new(T::AuditEntity),
    Column::new(T::AuditOutcome),
    Column::new(T::AuditSummary),
];

/// The trail's filters, as the URL holds them.
#[derive(Params, PartialEq, Clone, Default)]
struct AuditFilters {
    from: Lenient<NaiveDate>,
    to: Lenient<NaiveDate>,
    actor: Option<String>,
    action: Option<String>,
    entity: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for AuditFilters {
    const PATH: &'static str = "/audit";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        vec![
            ("from", day(self.from.get())),
            ("to", day(self.to.get())),
            ("actor", self.actor.clone().unwrap_or_default()),
            ("action", self.action.clone().unwrap_or_default()),
            ("entity", self.entity.clone().unwrap_or_default()),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<AuditFilters>();
    let query = move || {
        let f = filters.get();
        AuditQuery {
            from: f.from.get(),
            to: f.to.get(),
            actor: f.actor.clone().unwrap_or_default(),
            action: f.action.clone().unwrap_or_default(),
            entity: f.entity.clone().unwrap_or_default(),
            page: f.page(),
        }
    };
    // Fields start from the URL; afterwards they hold what was typed.
    let initial = filters.get_untracked();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let verify = ServerAction::<VerifyAuditChain>::new();
    let entries = Resource::new(query, search_audit);
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
    let current_action = text(&initial.action);
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
                href=move || format!("/export/audit.xlsx?{}", filters.read().query_string())
                rel="external"
                download=""
            >
                {lang.t(T::AuditExport)}
            </a>
        </div>
        {report}
        <p class="field-error" role="alert">{move || general_error(verify.value().get(), &[], lang)}</p>
        <section class="card">
            <FilterBar filters>
                <Field id="audit-from" name="from" label=lang.t(T::AuditFrom) kind="date"
                    value=day(initial.from.get())/>
                <Field id="audit-to" name="to" label=lang.t(T::AuditTo) kind="date"
                    value=day(initial.to.get())/>
                <Field id="audit-actor" name="actor" label=lang.t(T::AuditActor) kind="search" maxlength=64
                    value=text(&initial.actor)/>
                <Field id="audit-action" name="action" label=lang.t(T::AuditAction)>
                    <option value="" selected=current_action.is_empty()>{lang.t(T::AuditAllActions)}</option>
                    {keyed(
                        action::ALL.iter().copied(),
                        |a| *a,
                        move |a| view! {
                            <option value=a selected=current_action == a>{action_text(a, lang)}</option>
                        },
                    )}
                </Field>
                <Field id="audit-entity" name="entity" label=lang.t(T::AuditEntity) kind="search" maxlength=64
                    value=text(&initial.entity)/>
            </FilterBar>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        entries.await.map(|p| {
                            let f = filters.get_untracked();
                            view! {
                                <DataTable
                                    columns=COLUMNS
                                    rows=p.entries
                                    row_key=|e: &AuditEntry| e.seq
                                    row=move |e: AuditEntry| view! {
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
                                    }
                                    empty=T::AuditEmpty
                                    testid="audit-table"
                                    paging=Paging {
                                        page: p.page,
                                        total: p.total,
                                        page_size: p.page_size,
                                        href: Arc::new(move |n| f.href(n)),
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
