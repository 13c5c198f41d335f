//! `/login`: sign in. A plain form: the page ships no WASM (see `routes::needs_wasm`), the
//! browser posts to the `login` server function, which answers with a redirect to the
//! workbench, or back to this page with the error in the address (Leptos' form-redirect)
//! and the typed name in a short-lived cookie, so nothing typed but the password is lost.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::account::Login;
use crate::components::layout::LangSwitch;
use crate::i18n::{T, use_lang};

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let login = ServerAction::<Login>::new();
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(e.message(lang)),
        _ => None,
    };
    let pending = login.pending();
    let typed = typed_username();
    view! {
        <Title text=lang.t(T::LoginTitle)/>
        <Meta name="description" content=lang.t(T::LoginDescription)/>
        <main id="main" class="login-page">
            <div class="card login-card">
                <div class="login-brand">
                    <span class="brand-mark" aria-hidden="true">"支"</span>
                    <span class="brand-name">{lang.t(T::AppName)}</span>
                    <LangSwitch/>
                </div>
                <h1>{lang.t(T::LoginTitle)}</h1>
                <p class="hint">{lang.t(T::LoginIntro)}</p>
                <ActionForm action=login attr:class="form-stack" attr:aria-describedby="login-error">
                    <div class="field">
                        <label for="login-username">{lang.t(T::LoginUsername)}</label>
                        <input
                            id="login-username"
                            type="text"
                            name="input[username]"
                            autocomplete="username"
                            value=typed
                            autofocus=true
                            required=true
                            maxlength="64"
                        />
                    </div>
                    <div class="field">
                        <label for="login-password">{lang.t(T::LoginPassword)}</label>
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

/// The name a refused sign-in typed (`auth::TYPED_USERNAME_COOKIE`), on the server.
fn typed_username() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use crate::server::auth::{TYPED_USERNAME_COOKIE, is_plain_username};
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
                crate::cookie::cookie_value(header, TYPED_USERNAME_COOKIE).map(str::to_string)
            })
            .filter(|name| is_plain_username(name))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
