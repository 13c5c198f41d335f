//! `/login`: sign in. Works without JavaScript (a plain form post) and with it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::Login;
use crate::components::layout::LangSwitch;
use crate::i18n::i18n::{t, use_i18n};
use crate::i18n::{T, use_lang};

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(e.message(lang)),
        _ => None,
    };
    let pending = login.pending();
    view! {
        <Title text=lang.t(T::LoginTitle)/>
        <main id="main" class="login-page">
            <div class="card login-card">
                <div class="login-brand">
                    <span class="brand-mark" aria-hidden="true">"支"</span>
                    <span class="brand-name">{lang.t(T::AppName)}</span>
                    <LangSwitch/>
                </div>
                <h1>{t!(i18n, login_title)}</h1>
                <p class="hint">{t!(i18n, login_intro)}</p>
                <p class="hint">{t!(i18n, login_attempts, n = || 5, minutes = || 15)}</p>
                <ActionForm action=login attr:class="form-stack" attr:aria-describedby="login-error">
                    <div class="field">
                        <label for="login-username">{t!(i18n, login_username)}</label>
                        <input
                            id="login-username"
                            type="text"
                            name="input[username]"
                            autocomplete="username"
                            required=true
                            maxlength="64"
                        />
                    </div>
                    <div class="field">
                        <label for="login-password">{t!(i18n, login_password)}</label>
                        <input
                            id="login-password"
                            type="password"
                            name="input[password]"
                            autocomplete="current-password"
                            required=true
                            maxlength="256"
                        />
                    </div>
                    <p id="login-error" class="field-error" role="alert" aria-live="assertive">
                        {error}
                    </p>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                        {lang.t(T::LoginSubmit)}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}
