//! Loading and error states shared by every page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{T, use_lang};

#[component]
pub fn LoadingState() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="loading" role="status" aria-live="polite">{lang.t(T::Loading)}</p>
    }
}

/// The fallback of an `ErrorBoundary`: a readable message, never internal detail.
pub fn error_panel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let lang = use_lang();
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, e)| match e.downcast_ref::<AppError>() {
                Some(app) => app.message(lang),
                None => lang.t(T::ErrInternal).to_string(),
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="alert alert-error" role="alert">
            <strong>{lang.t(T::ErrorTitle)}</strong>
            <ul>{move || messages().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
        </div>
    }
}
