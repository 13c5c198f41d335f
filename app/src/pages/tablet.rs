//! `/tablet`: the meeting-room tablet home. Large targets; the meeting flow arrives with
//! the organisational-life capability.

use leptos::prelude::*;

use crate::i18n::{T, use_lang};

#[component]
pub fn TabletHome() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="tablet-grid">
            {[T::TabletSignIn, T::TabletAgenda, T::TabletAttendance, T::TabletMinutes]
                .into_iter()
                .map(|t| view! {
                    <button type="button" class="tablet-tile" disabled=true aria-describedby="tablet-note">
                        <span class="tablet-tile-title">{lang.t(t)}</span>
                    </button>
                })
                .collect_view()}
        </div>
        <p id="tablet-note" class="hint" role="status">{lang.t(T::NotYetAvailable)}</p>
        <a class="btn btn-ghost tablet-exit" href="/workbench">{lang.t(T::TabletExit)}</a>
    }
}
