//! A confirmation step before a consequential action.

use leptos::prelude::*;

use crate::i18n::{T, use_lang};

/// A button that opens a modal confirmation (`role="alertdialog"`, `aria-modal`, named by
/// its message). Opening moves focus to "取消"; Esc, "取消" or a click beside the dialog
/// cancel and give focus back to the button. `children` is what confirming does: usually an
/// `ActionForm` with its hidden inputs and a submit button.
///
/// ```ignore
/// <ConfirmDialog trigger=lang.t(T::AccountReset) message=lang.t(T::ConfirmReset)>
///     <ActionForm action=reset>
///         <input type="hidden" name="username" value=username/>
///         <button type="submit" class="btn btn-primary">{lang.t(T::Confirm)}</button>
///     </ActionForm>
/// </ConfirmDialog>
/// ```
#[component]
pub fn ConfirmDialog(
    /// The label of the button that opens the dialog.
    #[prop(into)]
    trigger: String,
    /// The classes of that button.
    #[prop(default = "btn btn-ghost")]
    trigger_class: &'static str,
    /// The question the dialog asks (its accessible name).
    #[prop(into)]
    message: String,
    /// The confirming part: a form with its submit button.
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(b) = opener.get_untracked() {
            let _ = b.focus();
        }
    };
    // Focus moves into the dialog once it is shown.
    Effect::new(move |_| {
        if open.get() {
            request_animation_frame(move || {
                if let Some(b) = cancel_button.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    });
    let message = StoredValue::new(message);
    view! {
        <button
            type="button"
            class=trigger_class
            aria-haspopup="dialog"
            node_ref=opener
            on:click=move |_| open.set(true)
        >
            {trigger}
        </button>
        // Rendered once and hidden while closed, so the form inside is built once.
        <div class="dialog-layer" hidden=move || !open.get()>
            <div class="dialog-backdrop" on:click=move |_| close()></div>
            <div
                class="dialog"
                role="alertdialog"
                aria-modal="true"
                aria-label=message.get_value()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        close();
                    }
                }
            >
                <p class="dialog-message">{message.get_value()}</p>
                <div class="dialog-actions">
                    {children()}
                    <button type="button" class="btn btn-ghost" node_ref=cancel_button on:click=move |_| close()>
                        {lang.t(T::Cancel)}
                    </button>
                </div>
            </div>
        </div>
    }
}
