//! `/admin/accounts`: account administration for the system and security administrators.
//! The list is searchable and paged; creating and resetting show a one-time password once;
//! disabling, enabling and resetting ask first (`ConfirmDialog`). The server decides what
//! each administrator may do (三员分立); this page only offers it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::params::Params;

use crate::access::Role;
use crate::api::admin::{
    CreateAccount, ResetAccountPassword, SetAccountDisabled, SetAccountRoles, list_accounts,
    list_org_choices,
};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error};
use crate::components::table::{Column, DataTable, Paging, keyed};
use crate::i18n::{T, use_lang};
use crate::models::account::{AccountQuery, AccountSummary, IssuedPassword, OrgChoice};

const COLUMNS: [Column; 5] = [
    Column::new(T::AccountUsername),
    Column::new(T::AccountDisplayName),
    Column::new(T::AccountRoles),
    Column::new(T::AccountStatus),
    Column::new(T::AccountActions),
];

/// The list's search, as the URL holds it.
#[derive(Params, PartialEq, Clone, Default)]
struct AccountFilters {
    q: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for AccountFilters {
    const PATH: &'static str = "/admin/accounts";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("q", self.q.clone().unwrap_or_default())]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1).max(1)
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<AccountFilters>();
    let q = Signal::derive(move || filters.read().q.clone().unwrap_or_default());
    let page = Signal::derive(move || filters.read().page());
    let create = ServerAction::<CreateAccount>::new();
    let set_roles = ServerAction::<SetAccountRoles>::new();
    let set_disabled = ServerAction::<SetAccountDisabled>::new();
    let reset = ServerAction::<ResetAccountPassword>::new();
    let accounts = Resource::new(
        move || {
            (
                q.get(),
                page.get(),
                create.version().get(),
                set_roles.version().get(),
                set_disabled.version().get(),
                reset.version().get(),
            )
        },
        |(q, page, ..)| list_accounts(AccountQuery { q, page }),
    );
    let orgs = Resource::new(|| (), |_| list_org_choices());
    // The newest one-time password, from creating or resetting.
    let issued = move || -> Option<IssuedPassword> {
        let created = create.value().get().and_then(Result::ok);
        let was_reset = reset.value().get().and_then(Result::ok);
        match (create.version().get(), reset.version().get()) {
            _ if created.is_none() => was_reset,
            _ if was_reset.is_none() => created,
            (c, r) if c >= r => created,
            _ => was_reset,
        }
    };
    let row_error = move || {
        general_error(set_roles.value().get(), &[], lang)
            .or_else(|| general_error(set_disabled.value().get(), &[], lang))
            .or_else(|| general_error(reset.value().get(), &[], lang))
    };
    view! {
        <h1>{lang.t(T::AccountsTitle)}</h1>
        <p class="hint">{lang.t(T::AccountsIntro)}</p>
        {move || issued().map(|i| view! {
            <div class="alert alert-success" role="status" data-testid="issued-password">
                <p>{lang.t(T::IssuedPasswordNote)}</p>
                <p class="issued"><span>{i.username}</span>" · "<code>{i.password}</code></p>
            </div>
        })}
        <p class="field-error" role="alert">{row_error}</p>
        <section class="card" aria-labelledby="accounts-list-heading">
            <h2 id="accounts-list-heading" class="visually-hidden">{lang.t(T::AccountsTitle)}</h2>
            <FilterBar filters>
                <Field id="accounts-q" name="q" label=lang.t(T::AccountsSearch) hide_label=true class="grow"
                    kind="search" maxlength=64 placeholder=lang.t(T::AccountsSearch) value=q/>
            </FilterBar>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        let choices = orgs.await.unwrap_or_default();
                        accounts.await.map(|p| {
                            let f = filters.get_untracked();
                            view! {
                                <DataTable
                                    columns=COLUMNS
                                    rows=p.accounts
                                    row_key=|a: &AccountSummary| a.username.clone()
                                    row=move |a: AccountSummary| view! {
                                        <AccountRow
                                            account=a
                                            choices=choices.clone()
                                            set_roles
                                            set_disabled
                                            reset
                                        />
                                    }
                                    empty=T::AccountsEmpty
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
        <section class="card" aria-labelledby="account-create-heading">
            <h2 id="account-create-heading">{lang.t(T::AccountCreate)}</h2>
            <ActionForm action=create attr:class="form-stack">
                <div class="form-row">
                    <Field id="new-username" name="input[username]" label=lang.t(T::AccountUsername)
                        required=true maxlength=64 autocomplete="off"
                        error=action_error(create.value().into(), "username")/>
                    <Field id="new-display-name" name="input[display_name]" label=lang.t(T::AccountDisplayName)
                        required=true maxlength=50 autocomplete="off"
                        error=action_error(create.value().into(), "display_name")/>
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let choices = orgs.await.unwrap_or_default();
                        view! { <RoleFields prefix="new" current=vec![] current_orgs=vec![] choices/> }
                    })}
                </Suspense>
                <p class="field-error" role="alert">
                    {move || general_error(create.value().get(), &["username", "display_name"], lang)}
                </p>
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                    {lang.t(T::AccountCreateSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

/// Checkboxes for roles and, for the branch role, organisations.
#[component]
fn RoleFields(
    #[prop(into)] prefix: String,
    current: Vec<Role>,
    current_orgs: Vec<String>,
    choices: Vec<OrgChoice>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="checks">
            <legend>{lang.t(T::AccountRoles)}</legend>
            {Role::ALL.iter().enumerate().map(|(i, role)| {
                let id = format!("{}-role-{}", prefix, role.as_str());
                let for_id = id.clone();
                view! {
                    <label for=for_id class="check">
                        <input
                            id=id
                            type="checkbox"
                            name=format!("input[roles][{i}]")
                            value=role.as_str()
                            checked=current.contains(role)
                        />
                        {lang.t(role.label())}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <fieldset class="checks checks-scroll">
            <legend>{lang.t(T::AccountOrgs)}</legend>
            {keyed(
                choices.clone().into_iter().enumerate(),
                |(_, c)| c.id.clone(),
                move |(i, c)| {
                    let id = format!("{}-org-{}", prefix, c.id);
                    let for_id = id.clone();
                    let checked = current_orgs.contains(&c.id);
                    view! {
                        <label for=for_id class="check">
                            <input id=id type="checkbox" name=format!("input[orgs][{i}]") value=c.id checked=checked/>
                            {c.name}
                        </label>
                    }
                },
            )}
        </fieldset>
    }
}

#[component]
fn AccountRow(
    account: AccountSummary,
    choices: Vec<OrgChoice>,
    set_roles: ServerAction<SetAccountRoles>,
    set_disabled: ServerAction<SetAccountDisabled>,
    reset: ServerAction<ResetAccountPassword>,
) -> impl IntoView {
    let lang = use_lang();
    let roles = account
        .roles
        .iter()
        .map(|r| lang.t(r.label()))
        .collect::<Vec<_>>()
        .join("、");
    let orgs = account
        .orgs
        .iter()
        .map(|(_, n)| n.clone())
        .collect::<Vec<_>>()
        .join("、");
    let mut status = Vec::new();
    if account.disabled {
        status.push(("badge badge-muted", T::StatusDisabled));
    } else {
        status.push(("badge badge-ok", T::StatusActive));
    }
    if account.locked {
        status.push(("badge badge-warn", T::StatusLocked));
    }
    if account.must_change_password {
        status.push(("badge badge-warn", T::StatusMustChange));
    }
    if account.demo {
        status.push(("badge badge-muted", T::StatusDemo));
    }
    let (u_roles, u_disable, u_reset) = (
        account.username.clone(),
        account.username.clone(),
        account.username.clone(),
    );
    let prefix = format!("acct-{}", account.username);
    let (disable_label, confirm_disable) = if account.disabled {
        (T::AccountEnable, T::ConfirmEnable)
    } else {
        (T::AccountDisable, T::ConfirmDisable)
    };
    view! {
        <tr data-account=account.username.clone()>
            <td>{account.username.clone()}</td>
            <td>{account.display_name.clone()}</td>
            <td>
                {roles}
                {(!orgs.is_empty()).then(|| view! { <div class="hint">{orgs}</div> })}
            </td>
            <td>
                {status.into_iter().map(|(class, label)| view! {
                    <span class=class>{lang.t(label)}</span>
                }).collect_view()}
            </td>
            <td class="row-actions">
                <details class="row-action">
                    <summary class="btn btn-ghost">{lang.t(T::AccountEditRoles)}</summary>
                    <ActionForm action=set_roles attr:class="form-stack">
                        <input type="hidden" name="input[username]" value=u_roles/>
                        <RoleFields
                            prefix=prefix
                            current=account.roles.clone()
                            current_orgs=account.orgs.iter().map(|(k, _)| k.clone()).collect()
                            choices
                        />
                        <button type="submit" class="btn btn-primary">{lang.t(T::AccountSaveRoles)}</button>
                    </ActionForm>
                </details>
                <ConfirmDialog trigger=lang.t(disable_label) message=lang.t(confirm_disable)>
                    <ActionForm action=set_disabled attr:class="inline-form">
                        <input type="hidden" name="username" value=u_disable.clone()/>
                        <input type="hidden" name="disabled" value=(!account.disabled).to_string()/>
                        <button type="submit" class="btn btn-primary">{lang.t(T::Confirm)}</button>
                    </ActionForm>
                </ConfirmDialog>
                <ConfirmDialog trigger=lang.t(T::AccountReset) message=lang.t(T::ConfirmReset)>
                    <ActionForm action=reset attr:class="inline-form">
                        <input type="hidden" name="username" value=u_reset.clone()/>
                        <button type="submit" class="btn btn-primary">{lang.t(T::Confirm)}</button>
                    </ActionForm>
                </ConfirmDialog>
            </td>
        </tr>
    }
}
