//! `/transfers`: transfers from and to the caller's branches with what can be done next;
//! `/transfers/<id>`: the letter (stub, letter, receipt) ready to print; the form that
//! starts a transfer sits on the member's profile.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::transfer::{ResolveTransfer, StartTransfer, get_transfer, list_transfers};
use crate::components::feedback::{LoadingState, error_panel, field_error, general_error};
use crate::i18n::{Lang, T, use_lang};
use crate::models::member::status_label;
use crate::models::org::OrgNode;
use crate::models::transfer::{TransferView, status_text};

fn target(t: &TransferView) -> String {
    if t.kind == "outbound" {
        t.outside.clone()
    } else {
        t.to_name.clone()
    }
}

fn source(t: &TransferView) -> String {
    if t.kind == "inbound" {
        t.outside.clone()
    } else {
        t.from_name.clone()
    }
}

fn action_label(action: &str, lang: Lang) -> &'static str {
    lang.t(match action {
        "accept" => T::TrAccept,
        "reject" => T::TrReject,
        "receipt" => T::TrReceipt,
        _ => T::TrCancel,
    })
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
                        list.await.map(|rows| {
                            if rows.is_empty() {
                                return view! { <p class="empty-state">{lang.t(T::TrEmpty)}</p> }.into_any();
                            }
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table" data-testid="transfer-table">
                                        <thead><tr>
                                            <th scope="col">{lang.t(T::TrLetterNo)}</th>
                                            <th scope="col">{lang.t(T::MemberName)}</th>
                                            <th scope="col">{lang.t(T::TrFrom)}</th>
                                            <th scope="col">{lang.t(T::TrTo)}</th>
                                            <th scope="col">{lang.t(T::MemberStatus)}</th>
                                            <th scope="col">{lang.t(T::TrNext)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|t| {
                                                let id = t.id.clone();
                                                view! {
                                                    <tr>
                                                        <td><a href=format!("/transfers/{}", t.id)>{t.letter_no.clone()}</a></td>
                                                        <td><a href=format!("/members/{}", t.member_id)>{t.member_name.clone()}</a></td>
                                                        <td>{source(&t)}</td>
                                                        <td>{target(&t)}</td>
                                                        <td>
                                                            {status_text(&t.status, lang)}
                                                            {t.expired.then(|| view! { " "<span class="badge badge-danger">{lang.t(T::TrExpired)}</span> })}
                                                        </td>
                                                        <td>
                                                            {t.actions.iter().map(|a| {
                                                                let a = a.clone();
                                                                let id = id.clone();
                                                                let danger = a == "reject" || a == "cancel";
                                                                view! {
                                                                    <ActionForm action=resolve attr:class="inline-form">
                                                                        <input type="hidden" name="input[id]" value=id.clone()/>
                                                                        <input type="hidden" name="input[action]" value=a.clone()/>
                                                                        {danger.then(|| view! {
                                                                            <label class="visually-hidden" for=format!("tr-note-{id}-{a}")>{lang.t(T::Reason)}</label>
                                                                            <input id=format!("tr-note-{id}-{a}") type="text" name="input[note]" maxlength="200"
                                                                                required=true placeholder=lang.t(T::Reason)/>
                                                                        })}
                                                                        <button type="submit" class=if danger { "btn btn-danger btn-small" } else { "btn btn-primary btn-small" }
                                                                            disabled=move || resolve.pending().get()>
                                                                            {action_label(&a, lang)}
                                                                        </button>
                                                                    </ActionForm>
                                                                }
                                                            }).collect_view()}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
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
                            lang.t(if t.member_gender == "female" { T::GenderFemale } else { T::GenderMale }),
                            lang.t(status_label(&t.member_status)),
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
                                <p>{status_text(&t.status, lang)}</p>
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

/// The form on a member's profile that starts a transfer.
#[component]
pub fn StartTransferForm(member: String, forest: Vec<OrgNode>, own_org: String) -> impl IntoView {
    let lang = use_lang();
    let start = ServerAction::<StartTransfer>::new();
    let branches: Vec<(String, String)> = forest
        .iter()
        .flat_map(|n| n.walk())
        .filter(|n| n.kind == crate::models::org::OrgKind::Branch && n.id != own_org)
        .map(|n| (n.id.clone(), n.name.clone()))
        .collect();
    let fields = ["kind", "to_org", "outside", "dues_paid_to", "valid_days"];
    view! {
        <section class="card" aria-labelledby="tr-start-heading">
            <details>
                <summary><h2 id="tr-start-heading">{lang.t(T::TrStart)}</h2></summary>
                <ActionForm action=start attr:class="form-stack">
                    <input type="hidden" name="input[member]" value=member/>
                    <div class="form-row">
                        <div class="field">
                            <label for="tr-kind">{lang.t(T::TrKind)}</label>
                            <select id="tr-kind" name="input[kind]">
                                <option value="internal">{lang.t(T::TrInternal)}</option>
                                <option value="outbound">{lang.t(T::TrOutbound)}</option>
                            </select>
                        </div>
                        <div class="field">
                            <label for="tr-to">{lang.t(T::TrToBranch)}</label>
                            <select id="tr-to" name="input[to_org]" aria-describedby="tr-to-error">
                                {branches.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                            </select>
                            <p id="tr-to-error" class="field-error" role="alert">{move || field_error(start.value().get(), "to_org")}</p>
                        </div>
                    </div>
                    <div class="field">
                        <label for="tr-outside">{lang.t(T::TrOutside)}</label>
                        <input id="tr-outside" type="text" name="input[outside]" maxlength="100" aria-describedby="tr-outside-error"/>
                        <p id="tr-outside-error" class="field-error" role="alert">{move || field_error(start.value().get(), "outside")}</p>
                    </div>
                    <div class="form-row">
                        <div class="field">
                            <label for="tr-dues">{lang.t(T::TrDues)}</label>
                            <input id="tr-dues" type="month" name="input[dues_paid_to]" required=true aria-describedby="tr-dues-error"/>
                            <p id="tr-dues-error" class="field-error" role="alert">{move || field_error(start.value().get(), "dues_paid_to")}</p>
                        </div>
                        <div class="field">
                            <label for="tr-valid">{lang.t(T::TrValidDays)}</label>
                            <input id="tr-valid" type="number" name="input[valid_days]" min="1" max="90" value="30"/>
                        </div>
                    </div>
                    <div class="field">
                        <label for="tr-reason">{lang.t(T::Reason)}</label>
                        <input id="tr-reason" type="text" name="input[reason]" maxlength="200"/>
                    </div>
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
