//! Loading, empty and error states shared by every page, and the helpers that read an
//! action's answer for a form.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{T, use_lang};

/// Shown while a page's data loads (the fallback of its `Suspense`/`Transition`).
///
/// ```ignore
/// <Transition fallback=|| view! { <LoadingState/> }>…</Transition>
/// ```
#[component]
pub fn LoadingState() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="loading" role="status" aria-live="polite">{lang.t(T::Loading)}</p>
    }
}

/// What a list or section shows when it has nothing: one polite status line.
///
/// ```ignore
/// <EmptyState message=T::AuditEmpty/>
/// ```
#[component]
pub fn EmptyState(message: T) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="empty-state" role="status">{lang.t(message)}</p> }
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

/// The message of a failed action for one field, if the failure was about that field.
pub fn field_error<T: Clone + Send + Sync + 'static>(
    value: Option<Result<T, AppError>>,
    field: &str,
) -> Option<String> {
    match value {
        Some(Err(AppError::Validation { field: f, message })) if f == field => Some(message),
        _ => None,
    }
}

/// The message of a failed action that is not about one of `fields`.
pub fn general_error<T: Clone + Send + Sync + 'static>(
    value: Option<Result<T, AppError>>,
    fields: &[&str],
    lang: crate::i18n::Lang,
) -> Option<String> {
    match value {
        Some(Err(AppError::Validation { field, .. })) if fields.contains(&field.as_str()) => None,
        Some(Err(e)) => Some(e.message(lang)),
        _ => None,
    }
}

/// Percent-encodes a query value (letters, digits and `-_.~` stay as they are).
pub fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `k1=v1&k2=v2…` for the given keys, values percent-encoded (for paging and export links
/// that keep the current filters).
pub fn query_string(keys: &[&str], get: impl Fn(&str) -> String) -> String {
    keys.iter()
        .map(|k| format!("{k}={}", encode_query(&get(k))))
        .collect::<Vec<_>>()
        .join("&")
}
