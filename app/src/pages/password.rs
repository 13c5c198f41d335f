//! `/account/password`: change one's own password. Accounts created or reset by an
//! administrator, and passwords past the maximum age, land here and can do nothing else
//! until they have chosen a new password.

use leptos::prelude::*;

use crate::api::account::ChangePassword;
use crate::components::feedback::general_error;
use crate::components::form::{Field, action_error};
use crate::components::layout::use_session;
use crate::i18n::{T, use_lang};

const FIELDS: [&str; 3] = ["current", "new_password", "confirm"];

#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangePassword>::new();
    let session = use_session();
    let other_error = move || general_error(action.value().get(), &FIELDS, lang);
    let pending = action.pending();
    let field = move |field: &'static str, label: T, autocomplete: &'static str| {
        view! {
            <Field
                id=format!("pw-{field}")
                name=format!("input[{field}]")
                label=lang.t(label)
                kind="password"
                autocomplete
                required=true
                maxlength=256
                error=action_error(action.value().into(), field)
            />
        }
    };
    view! {
        <h1>{lang.t(T::PasswordTitle)}</h1>
        <section class="card form-card">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let info = session.await.ok().flatten();
                    let forced = info.as_ref().is_some_and(|s| s.must_change_password);
                    // A member's account: the tablet sign-in PIN is set next door.
                    let member = info.as_ref().is_some_and(|s| s.member.is_some());
                    view! {
                        {forced.then(|| view! {
                            <div class="alert alert-warning" role="status">{lang.t(T::PasswordForced)}</div>
                        })}
                        {(member && !forced).then(|| view! {
                            <p class="hint"><a href="/account/pin" data-testid="pin-link">{lang.t(T::RmPinPage)}</a></p>
                        })}
                    }
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
