//! `/admin/accounts`: account administration for the system and security administrators.
//! The list is searchable and paged; creating, disabling and resetting show a one-time
//! password once; destructive actions ask for confirmation first. The server decides
//! what each administrator may do (三员分立); this page only offers it.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::access::Role;
use crate::api::admin::{
    CreateAccount, ResetAccountPassword, SetAccountDisabled, SetAccountRoles, list_accounts,
    list_org_choices,
};
use crate::components::feedback::{
    LoadingState, Pager, encode_query, error_panel, field_error, general_error,
};
use crate::i18n::{T, use_lang};
use crate::models::account::{AccountQuery, AccountSummary, IssuedPassword, OrgChoice};

fn page_href(q: &str, page: u32) -> String {
    format!("/admin/accounts?q={}&page={page}", encode_query(q))
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = Signal::derive(move || query.read().get("q").unwrap_or_default());
    let page = Signal::derive(move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
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
            <form method="get" action="/admin/accounts" class="search-bar" role="search">
                <label for="accounts-q" class="visually-hidden">{lang.t(T::AccountsSearch)}</label>
                <input
                    id="accounts-q"
                    type="search"
                    name="q"
                    maxlength="64"
                    placeholder=lang.t(T::AccountsSearch)
                    prop:value=move || q.get()
                />
                <button type="submit" class="btn btn-ghost">{lang.t(T::Search)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        let choices = orgs.await.unwrap_or_default();
                        accounts.await.map(|p| {
                            let q = q.get_untracked();
                            if p.accounts.is_empty() {
                                return view! {
                                    <p class="empty-state" role="status">{lang.t(T::AccountsEmpty)}</p>
                                }.into_any();
                            }
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{lang.t(T::AccountUsername)}</th>
                                                <th scope="col">{lang.t(T::AccountDisplayName)}</th>
                                                <th scope="col">{lang.t(T::AccountRoles)}</th>
                                                <th scope="col">{lang.t(T::AccountStatus)}</th>
                                                <th scope="col">{lang.t(T::AccountActions)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.accounts.into_iter().map(|a| view! {
                                                <AccountRow
                                                    account=a
                                                    choices=choices.clone()
                                                    set_roles
                                                    set_disabled
                                                    reset
                                                />
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager
                                    page=p.page
                                    total=p.total
                                    page_size=p.page_size
                                    href=move |n| page_href(&q, n)
                                />
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        <section class="card" aria-labelledby="account-create-heading">
            <h2 id="account-create-heading">{lang.t(T::AccountCreate)}</h2>
            <ActionForm action=create attr:class="form-stack">
                <div class="form-row">
                    <div class="field">
                        <label for="new-username">{lang.t(T::AccountUsername)}</label>
                        <input id="new-username" name="input[username]" required=true maxlength="64"
                            autocomplete="off" aria-describedby="new-username-error"/>
                        <p id="new-username-error" class="field-error" role="alert">
                            {move || field_error(create.value().get(), "username")}
                        </p>
                    </div>
                    <div class="field">
                        <label for="new-display-name">{lang.t(T::AccountDisplayName)}</label>
                        <input id="new-display-name" name="input[display_name]" required=true
                            maxlength="50" autocomplete="off" aria-describedby="new-display-name-error"/>
                        <p id="new-display-name-error" class="field-error" role="alert">
                            {move || field_error(create.value().get(), "display_name")}
                        </p>
                    </div>
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
            {choices.into_iter().enumerate().map(|(i, c)| {
                let id = format!("{}-org-{}", prefix, c.id);
                let for_id = id.clone();
                let checked = current_orgs.contains(&c.id);
                view! {
                    <label for=for_id class="check">
                        <input id=id type="checkbox" name=format!("input[orgs][{i}]") value=c.id checked=checked/>
                        {c.name}
                    </label>
                }
            }).collect_view()}
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
    let disable_label = if account.disabled {
        T::AccountEnable
    } else {
        T::AccountDisable
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
                <details class="row-action">
                    <summary class="btn btn-ghost">{lang.t(disable_label)}</summary>
                    <ActionForm action=set_disabled attr:class="confirm">
                        <input type="hidden" name="username" value=u_disable/>
                        <input type="hidden" name="disabled" value=(!account.disabled).to_string()/>
                        {(!account.disabled).then(|| view! { <p>{lang.t(T::ConfirmDisable)}</p> })}
                        <button type="submit" class="btn btn-primary">{lang.t(T::Confirm)}</button>
                    </ActionForm>
                </details>
                <details class="row-action">
                    <summary class="btn btn-ghost">{lang.t(T::AccountReset)}</summary>
                    <ActionForm action=reset attr:class="confirm">
                        <input type="hidden" name="username" value=u_reset/>
                        <p>{lang.t(T::ConfirmReset)}</p>
                        <button type="submit" class="btn btn-primary">{lang.t(T::Confirm)}</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}
