//! `/account/pin`: a member's own sign-in PIN for the meeting-room tablets (issue 14):
//! what it is for, whether one is set, and a form that sets it (typed twice; the two are
//! compared in the browser, the server checks the rest).

use leptos::prelude::*;

use crate::api::room::{SetPin, pin_status};
use crate::components::feedback::{LoadingState, error_panel, field_error, general_error};
use crate::components::form::successes;
use crate::i18n::{T, use_lang};
use crate::models::room::{PinInput, PinProblem, check_pin};

#[component]
pub fn PinPage() -> impl IntoView {
    let lang = use_lang();
    let set = ServerAction::<SetPin>::new();
    let done = successes(set.value().into(), set.version().into());
    let status = Resource::new(move || done.get(), |_| pin_status());
    // What the browser found wrong before sending: under the first field (its shape) or
    // under the second (the two differ).
    let shape = RwSignal::new(None::<String>);
    let mismatch = RwSignal::new(None::<String>);
    let pin_error = Signal::derive(move || {
        shape
            .get()
            .or_else(|| field_error(set.value().get(), "pin"))
    });
    let first = NodeRef::<leptos::html::Input>::new();
    let second = NodeRef::<leptos::html::Input>::new();
    // A saved PIN is not left in the form.
    Effect::new(move |_| {
        if matches!(set.value().get(), Some(Ok(_))) {
            for input in [first, second] {
                if let Some(i) = input.get_untracked() {
                    i.set_value("");
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(a), Some(b)) = (first.get_untracked(), second.get_untracked()) else {
            return;
        };
        let (pin, again) = (a.value(), b.value());
        let problem = match check_pin(&pin) {
            Ok(()) => None,
            Err(PinProblem::Shape) => Some(lang.t(T::RmPinShape).to_string()),
            Err(PinProblem::Guessable) => Some(lang.t(T::TbErrPinGuessable).to_string()),
        };
        let differ =
            (problem.is_none() && pin != again).then(|| lang.t(T::RmPinMismatch).to_string());
        let refused = problem.is_some() || differ.is_some();
        shape.set(problem);
        mismatch.set(differ);
        if refused {
            let focus = if shape.get_untracked().is_some() {
                a
            } else {
                b
            };
            let _ = focus.focus();
            return;
        }
        set.dispatch(SetPin {
            input: PinInput { pin },
        });
    };
    let saved = move || matches!(set.value().get(), Some(Ok(_))).then(|| lang.t(T::RmPinSaved));
    view! {
        <h1>{lang.t(T::RmPinPage)}</h1>
        <section class="card form-card pin-card">
            <p id="pin-rules">{lang.t(T::RmPinExplain)}</p>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        status.await.map(|has| {
                            let (class, text) = if has {
                                ("alert alert-success", T::RmPinIsSet)
                            } else {
                                ("alert alert-warning", T::RmPinNotSet)
                            };
                            view! { <p class=class data-testid="pin-status">{lang.t(text)}</p> }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <form
                action={<SetPin as leptos::server_fn::ServerFn>::PATH}
                method="post"
                class="form-stack"
                aria-describedby="pin-rules"
                data-testid="pin-form"
                on:submit=on_submit
            >
                <div class="field">
                    <label for="pin-new">{lang.t(T::RmPinNew)}</label>
                    <input
                        id="pin-new"
                        type="password"
                        name="input[pin]"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="6"
                        required=true
                        node_ref=first
                        aria-describedby="pin-new-error pin-rules"
                        aria-invalid=move || pin_error.get().is_some().to_string()
                    />
                    <p id="pin-new-error" class="field-error" role="alert">{move || pin_error.get()}</p>
                </div>
                <div class="field">
                    <label for="pin-again">{lang.t(T::RmPinAgain)}</label>
                    // No name: the repeat stays in the browser.
                    <input
                        id="pin-again"
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="6"
                        required=true
                        node_ref=second
                        aria-describedby="pin-again-error"
                        aria-invalid=move || mismatch.get().is_some().to_string()
                    />
                    <p id="pin-again-error" class="field-error" role="alert">{move || mismatch.get()}</p>
                </div>
                <p class="field-error" role="alert">{move || general_error(set.value().get(), &["pin"], lang)}</p>
                <p class="saved" role="status">{saved}</p>
                <div>
                    <button type="submit" class="btn btn-primary" data-testid="pin-save"
                        disabled=move || set.pending().get()>
                        {lang.t(T::RmPinSave)}
                    </button>
                </div>
            </form>
        </section>
    }
}
