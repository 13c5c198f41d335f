//! One labelled form control with its error line: what every form retyped.

use leptos::prelude::*;

use crate::components::feedback::field_error;
use crate::error::AppError;

/// A [`Field`]'s `error` from an action's answer: the message when the last answer refused
/// `field`. One instance per answer type (not per field), which keeps the WASM small.
///
/// ```ignore
/// <Field … error=action_error(create.value().into(), "username")/>
/// ```
pub fn action_error<T: Clone + Send + Sync + 'static>(
    answer: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || field_error(answer.get(), field))
}

/// A labelled `<input>` (or, with children, a `<select>` of those options) followed by its
/// error line. The control gets `id`, `name`, `aria-describedby="{id}-error"` and
/// `aria-invalid` while `error` holds a message; the line is `role="alert"` so a refusal
/// is read out. Without `error` there is no error line.
///
/// ```ignore
/// <Field id="pw-current" name="input[current]" label=lang.t(T::PasswordCurrent)
///     kind="password" required=true autocomplete="current-password"
///     error=action_error(action.value().into(), "current")/>
/// <Field id="mf-gender" name="input[gender]" label=lang.t(T::MemberGender) error=…>
///     <option value="male">{lang.t(T::GenderMale)}</option>
/// </Field>
/// ```
#[component]
pub fn Field(
    /// The control's id; the error line is `{id}-error`.
    #[prop(into)]
    id: String,
    /// The form name of the control.
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// The message for this field from the last answer, if any.
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
    /// The input type (ignored for a select).
    #[prop(default = "text")]
    kind: &'static str,
    /// The initial value (a static attribute: what is typed stays when the server refuses).
    #[prop(optional, into)]
    value: MaybeProp<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] placeholder: MaybeProp<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(optional)] max: Option<&'static str>,
    /// The label is for screen readers only (the placeholder says the same on screen).
    #[prop(optional)]
    hide_label: bool,
    /// An extra class on the wrapper (`grow` in a filter bar).
    #[prop(optional)]
    class: Option<&'static str>,
    /// Options: makes the control a `<select>`.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let error_id = error.map(|_| format!("{id}-error"));
    let invalid = move || error.map(|e| e.get().is_some().to_string());
    let wrapper = match class {
        Some(c) => format!("field {c}"),
        None => "field".to_string(),
    };
    let control = match children {
        Some(options) => view! {
            <select id=id.clone() name=name aria-describedby=error_id.clone() aria-invalid=invalid>
                {options()}
            </select>
        }
        .into_any(),
        None => view! {
            <input
                id=id.clone()
                type=kind
                name=name
                value=value.get_untracked()
                required=required
                maxlength=maxlength
                placeholder=placeholder.get_untracked()
                autocomplete=autocomplete
                inputmode=inputmode
                min=min
                max=max
                aria-describedby=error_id.clone()
                aria-invalid=invalid
            />
        }
        .into_any(),
    };
    view! {
        <div class=wrapper>
            <label for=id class=hide_label.then_some("visually-hidden")>{label}</label>
            {control}
            {error.map(|e| view! {
                <p id=error_id class="field-error" role="alert">{move || e.get()}</p>
            })}
        </div>
    }
}

/// Today in China Standard Time, by the clock of the side that renders (a form's default
/// day: a new task's start, a new meeting's day).
pub fn today() -> Option<chrono::NaiveDate> {
    #[cfg(feature = "ssr")]
    {
        Some(crate::i18n::Lang::Zh.china_day(chrono::Utc::now()))
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        chrono::DateTime::from_timestamp_millis(date_now() as i64)
            .map(|t| crate::i18n::Lang::Zh.china_day(t))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// Counts the successful answers of an action: a resource keyed on it is read again after
/// a success only, so a refused form keeps what was typed.
pub fn successes<O: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<O, AppError>>>,
    version: Signal<usize>,
) -> Memo<usize> {
    Memo::new(move |prev: Option<&usize>| {
        if value.with(|v| matches!(v, Some(Ok(_)))) {
            version.get_untracked()
        } else {
            prev.copied().unwrap_or(0)
        }
    })
}
