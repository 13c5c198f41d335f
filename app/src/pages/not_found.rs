use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{T, use_lang};

/// Unknown routes: a real 404 status on the server, a helpful page for people.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::routes::set_page_status(http::StatusCode::NOT_FOUND);
    let lang = use_lang();
    view! {
        <Title text=lang.t(T::NotFoundTitle)/>
        <main id="main" class="error-page">
            <p class="error-code" aria-hidden="true">"404"</p>
            <h1>{lang.t(T::NotFoundTitle)}</h1>
            <p>{lang.t(T::NotFoundBody)}</p>
            <a class="btn btn-primary" href="/" rel="external">{lang.t(T::BackHome)}</a>
        </main>
    }
}
