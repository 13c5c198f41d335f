//! `/transfers`: transfers from and to the caller's branches with what can be done next;
//! `/transfers/<id>`: the letter (stub, letter, receipt) ready to print; the form that
//! starts a transfer sits on the member's profile.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::transfer::{ResolveTransfer, StartTransfer, get_transfer, list_transfers};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::components::form::{Field, action_error};
use crate::components::org_tree::whole_tree_when;
use crate::components::table::{Column, DataTable, keyed};
use crate::i18n::{T, use_lang};
use crate::models::transfer::{TransferAction, TransferKind, TransferView};

const COLUMNS: [Column; 6] = [
    Column::new(T::TrLetterNo),
    Column::new(T::MemberName),
    Column::new(T::TrFrom),
    Column::new(T::TrTo),
    Column::new(T::MemberStatus),
    Column::new(T::TrNext),
];

fn target(t: &TransferView) -> String {
    if t.kind == TransferKind::Outbound {
        t.outside.clone()
    } else {
        t.to_name.clone()
    }
}

fn source(t: &TransferView) -> String {
    if t.kind == TransferKind::Inbound {
        t.outside.clone()
    } else {
        t.from_name.clone()
    }
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    let lang = use_lang();
    let resolve = ServerAction::<ResolveTransfer>::new();
    let list = Resource::new(move || resolve.version().get(), |_| list_transfers());
    view! {
        <h1>{lang.t(T::TrTitle)}</h1>
        <section class="card">
            <p class="field-error" role="alert">{move || general_error(resolve.value().get(), &[], lang)}</p>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        list.await.map(|rows| view! {
                            <DataTable
                                columns=COLUMNS
                                rows
                                row_key=|t: &TransferView| t.id.clone()
                                row=move |t: TransferView| view! { <TransferRow transfer=t resolve/> }
                                empty=T::TrEmpty
                                testid="transfer-table"
                            />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One transfer with what can be done next: accepting and confirming the receipt are one
/// click; rejecting and cancelling ask first, with the reason.
#[component]
fn TransferRow(transfer: TransferView, resolve: ServerAction<ResolveTransfer>) -> impl IntoView {
    let lang = use_lang();
    let t = transfer;
    let id = t.id.clone();
    let action = move |a: TransferAction| {
        let id = id.clone();
        let hidden = view! {
            <input type="hidden" name="input[id]" value=id.clone()/>
            <input type="hidden" name="input[action]" value=a.as_str()/>
        };
        let confirm = match a {
            TransferAction::Reject => Some(T::TrConfirmReject),
            TransferAction::Cancel => Some(T::TrConfirmCancel),
            TransferAction::Accept | TransferAction::Receipt => None,
        };
        match confirm {
            None => view! {
                <ActionForm action=resolve attr:class="inline-form">
                    {hidden}
                    <button type="submit" class="btn btn-primary btn-small" disabled=move || resolve.pending().get()>
                        {lang.t(a.label())}
                    </button>
                </ActionForm>
            }
            .into_any(),
            Some(message) => {
                let note = format!("tr-note-{id}-{}", a.as_str());
                view! {
                    <ConfirmDialog
                        trigger=lang.t(a.label())
                        trigger_class="btn btn-danger btn-small"
                        message=lang.t(message)
                    >
                        <ActionForm action=resolve attr:class="form-stack">
                            {hidden}
                            <Field id=note name="input[note]" label=lang.t(T::Reason) required=true maxlength=200/>
                            <button type="submit" class="btn btn-danger" disabled=move || resolve.pending().get()>
                                {lang.t(a.label())}
                            </button>
                        </ActionForm>
                    </ConfirmDialog>
                }
                .into_any()
            }
        }
    };
    view! {
        <tr>
            <td><a href=format!("/transfers/{}", t.id)>{t.letter_no.clone()}</a></td>
            <td><a href=format!("/members/{}", t.member_id)>{t.member_name.clone()}</a></td>
            <td>{source(&t)}</td>
            <td>{target(&t)}</td>
            <td>
                {lang.t(t.status.label())}
                {t.expired.then(|| view! { " "<span class="badge badge-danger">{lang.t(T::TrExpired)}</span> })}
            </td>
            <td class="row-actions">{t.actions.clone().into_iter().map(action).collect_view()}</td>
        </tr>
    }
}

/// The introduction letter (介绍信) with its stub (存根) and receipt (回执), for print.
#[component]
pub fn TransferLetterPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let transfer = Resource::new(move || id.get(), get_transfer);
    view! {
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    transfer.await.map(|t| {
                        let who = format!(
                            "{}（{}，{}）",
                            t.member_name,
                            lang.t(t.member_gender.label()),
                            lang.t(t.member_status.label()),
                        );
                        let issued = lang.formal_date(lang.china_day(t.issued_at));
                        let body = lang.t(T::TrLetterBody(
                            &target(&t),
                            &who,
                            &lang.month(&t.dues_paid_to),
                            &lang.formal_date(t.valid_until),
                        ));
                        view! {
                            <div class="page-head no-print">
                                <h1>{lang.t(T::TrLetter)}</h1>
                                <p>{lang.t(t.status.label())}</p>
                            </div>
                            <article class="letter" data-testid="transfer-letter">
                                <section class="letter-part">
                                    <h2>{lang.t(T::TrStub)}</h2>
                                    <p>{t.letter_no.clone()}</p>
                                    <p>{body.clone()}</p>
                                    <p>{lang.t(T::Labelled(lang.t(T::TrFrom), &source(&t)))}</p>
                                </section>
                                <hr class="cut"/>
                                <section class="letter-part">
                                    <h2>{lang.t(T::TrLetterTitle)}</h2>
                                    <p>{t.letter_no.clone()}</p>
                                    <p class="letter-body">{body}</p>
                                    <p class="letter-sign">{source(&t)}<br/>{issued}</p>
                                </section>
                                <hr class="cut"/>
                                <section class="letter-part">
                                    <h2>{lang.t(T::TrReceiptTitle)}</h2>
                                    <p>{t.letter_no.clone()}</p>
                                    <p class="letter-body">{lang.t(T::TrReceiptBody(&source(&t), &who))}</p>
                                    <p class="letter-sign">{lang.t(T::TrSeal)}<br/>{lang.t(T::TrDateBlank)}</p>
                                </section>
                            </article>
                            <p class="no-print"><button type="button" class="btn btn-primary" on:click=move |_| { let _ = window().print(); }>{lang.t(T::TrPrint)}</button></p>
                        }
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The form on a member's profile that starts a transfer. It starts folded; the branches
/// it offers are read when it is first opened, so a member's page does not carry the
/// whole organisation tree (at 100 branches that was half of the page).
#[component]
pub fn StartTransferForm(member: String, own_org: String) -> impl IntoView {
    let lang = use_lang();
    let start = ServerAction::<StartTransfer>::new();
    let opened = RwSignal::new(false);
    let tree = Resource::new(move || opened.get(), whole_tree_when);
    let branches = move || -> Vec<(String, String)> {
        let forest = tree.get().and_then(Result::ok).unwrap_or_default();
        forest
            .iter()
            .flat_map(|n| n.walk())
            .filter(|n| n.kind == crate::models::org::OrgKind::Branch && n.id != own_org)
            .map(|n| (n.id.clone(), n.name.clone()))
            .collect()
    };
    let fields = ["kind", "to_org", "outside", "dues_paid_to", "valid_days"];
    let error = move |field: &'static str| action_error(start.value().into(), field);
    view! {
        <section class="card" aria-labelledby="tr-start-heading">
            <details on:toggle=move |_| opened.set(true)>
                <summary><h2 id="tr-start-heading">{lang.t(T::TrStart)}</h2></summary>
                <ActionForm action=start attr:class="form-stack">
                    <input type="hidden" name="input[member]" value=member/>
                    <div class="form-row">
                        <Field id="tr-kind" name="input[kind]" label=lang.t(T::TrKind)>
                            <option value="internal">{lang.t(T::TrInternal)}</option>
                            <option value="outbound">{lang.t(T::TrOutbound)}</option>
                        </Field>
                        <Field id="tr-to" name="input[to_org]" label=lang.t(T::TrToBranch) error=error("to_org")>
                            {move || keyed(
                                branches(),
                                |(id, _)| id.clone(),
                                |(id, name)| view! { <option value=id>{name}</option> },
                            )}
                        </Field>
                    </div>
                    <Field id="tr-outside" name="input[outside]" label=lang.t(T::TrOutside) maxlength=100
                        error=error("outside")/>
                    <div class="form-row">
                        <Field id="tr-dues" name="input[dues_paid_to]" label=lang.t(T::TrDues) kind="month"
                            required=true error=error("dues_paid_to")/>
                        <Field id="tr-valid" name="input[valid_days]" label=lang.t(T::TrValidDays) kind="number"
                            min="1" max="90" value="30"/>
                    </div>
                    <Field id="tr-reason" name="input[reason]" label=lang.t(T::Reason) maxlength=200/>
                    <p class="field-error" role="alert">{move || general_error(start.value().get(), &fields, lang)}</p>
                    {move || start.value().get().and_then(Result::ok).map(|id| view! {
                        <p class="saved" role="status">
                            {lang.t(T::TrStarted)}" "
                            <a href=format!("/transfers/{id}")>{lang.t(T::TrLetter)}</a>
                        </p>
                    })}
                    <button type="submit" class="btn btn-primary" disabled=move || start.pending().get()>{lang.t(T::TrSubmit)}</button>
                </ActionForm>
            </details>
        </section>
    }
}
