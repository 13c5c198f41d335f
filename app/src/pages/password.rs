//! `/account/password`: change one's own password. Accounts created or reset by an
//! administrator, and passwords past the maximum age, land here and can do nothing else
//! until they have chosen a new password.

use leptos::prelude::*;

use crate::api::account::{ChangePassword, get_session};
use crate::components::feedback::{field_error, general_error};
use crate::i18n::{T, use_lang};

const FIELDS: [&str; 3] = ["current", "new_password", "confirm"];

#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangePassword>::new();
    let session = Resource::new(|| (), |_| get_session());
    let error_for = move |field: &'static str| move || field_error(action.value().get(), field);
    let other_error = move || general_error(action.value().get(), &FIELDS, lang);
    let pending = action.pending();
    let field = move |field: &'static str, label: T, autocomplete: &'static str| {
        let id = format!("pw-{field}");
        let error_id = format!("pw-{field}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{lang.t(label)}</label>
                <input
                    id=id
                    type="password"
                    name=format!("input[{field}]")
                    autocomplete=autocomplete
                    required=true
                    maxlength="256"
                    aria-describedby=error_id.clone()
                    aria-invalid=move || error_for(field)().is_some().to_string()
                />
                <p id=error_id class="field-error" role="alert">{error_for(field)}</p>
            </div>
        }
    };
    view! {
        <h1>{lang.t(T::PasswordTitle)}</h1>
        <section class="card form-card">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let forced = session.await.ok().flatten().is_some_and(|s| s.must_change_password);
                    forced.then(|| view! {
                        <div class="alert alert-warning" role="status">{lang.t(T::PasswordForced)}</div>
                    })
                })}
            </Suspense>
            <p class="hint" id="password-rules">{lang.t(T::PasswordRules)}</p>
            <ActionForm action=action attr:class="form-stack" attr:aria-describedby="password-rules">
                {field("current", T::PasswordCurrent, "current-password")}
                {field("new_password", T::PasswordNew, "new-password")}
                {field("confirm", T::PasswordConfirm, "new-password")}
                <p class="field-error" role="alert">{other_error}</p>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {lang.t(T::PasswordSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}
