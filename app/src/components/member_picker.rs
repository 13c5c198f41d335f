//! Members found by name or pinyin initials among those the caller reaches (the roster's
//! search, `pick_records` for members) and kept as entries each with a button that
//! removes it: the task form's and the required-learning form's. The form carries the
//! keys (its own hidden inputs, from `picked`); a page fetches this once its form has
//! hydrated (`#[lazy]`, docs/wasm-size.md).

use leptos::prelude::*;

use crate::api::assessment::pick_records;
use crate::components::feedback::LoadingState;
use crate::error::AppError;
use crate::i18n::{T, use_lang};
use crate::models::closed_loop::{LinkKind, Picked};

/// `pick_records` for members, in a file of its own (`#[lazy]`): fetched on the first
/// search, not with the picker.
#[lazy]
async fn find_members(words: String) -> Result<Vec<Picked>, AppError> {
    pick_records(LinkKind::Member, words, String::new()).await
}

/// The picker. `name` names its element and test ids (`{name}-member-picker`,
/// `{name}-member-words`, `{name}-find-members`, `{name}-member-candidates`,
/// `{name}-members-picked`); `legend` and `hint` say what the members are picked for; at
/// most `max` are kept. Enter in the search field searches rather than submits the form;
/// a newer search wins over an older one still under way.
#[component]
pub fn MemberPicker(
    picked: RwSignal<Vec<Picked>>,
    name: &'static str,
    legend: T,
    hint: T,
    max: usize,
) -> impl IntoView {
    let lang = use_lang();
    let words = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<Picked>, AppError>>);
    let busy = RwSignal::new(false);
    let last = StoredValue::new(0u32);
    let find = move || {
        let q = words.get_untracked();
        if q.trim().is_empty() {
            found.set(Some(Ok(Vec::new())));
            return;
        }
        let n = last.get_value().wrapping_add(1);
        last.set_value(n);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = find_members(q).await;
            if last.get_value() == n {
                found.set(Some(answer));
                busy.set(false);
            }
        });
    };
    let words_id = format!("{name}-member-words");
    view! {
        <fieldset class="form-stack" data-testid=format!("{name}-member-picker")>
            <legend>{lang.t(legend)}</legend>
            <p class="hint">{lang.t(hint)}</p>
            <ul class="link-list" data-testid=format!("{name}-members-picked")>
                {move || picked.get().into_iter().map(|(key, label)| {
                    view! {
                        <li>
                            {label.clone()}" "
                            <button type="button" class="btn btn-ghost btn-small"
                                aria-label=lang.t(T::PickRemoveMember(&label))
                                on:click=move |_| picked.update(|p| p.retain(|(k, _)| k != &key))>
                                {lang.t(T::PickRemove)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="filter-bar">
                <div class="field grow">
                    <label for=words_id.clone()>{lang.t(T::PickMemberWords)}</label>
                    <input
                        id=words_id.clone()
                        type="search"
                        maxlength="32"
                        data-testid=words_id
                        on:input=move |ev| words.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                find();
                            }
                        }
                    />
                </div>
                <button type="button" class="btn btn-ghost" data-testid=format!("{name}-find-members")
                    on:click=move |_| find()>
                    {lang.t(T::PickFind)}
                </button>
            </div>
            {move || busy.get().then(|| view! { <LoadingState/> })}
            {move || found.get().map(|answer| match answer {
                Ok(list) if list.is_empty() => {
                    view! { <p class="hint" role="status">{lang.t(T::PickNoMembers)}</p> }.into_any()
                }
                Ok(list) => view! {
                    <ul class="link-list" data-testid=format!("{name}-member-candidates")>
                        {list.into_iter().map(|(key, label)| {
                            let pick = (key.clone(), label.clone());
                            let taken = move || picked.with(|p| p.iter().any(|(k, _)| k == &key));
                            view! {
                                <li>
                                    <button type="button" class="btn btn-ghost btn-small" disabled=taken
                                        aria-label=lang.t(T::PickAddMember(&label))
                                        on:click=move |_| picked.update(|p| {
                                            if p.len() < max && !p.iter().any(|(k, _)| k == &pick.0) {
                                                p.push(pick.clone());
                                            }
                                        })>
                                        {label.clone()}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e.message(lang)}</p> }.into_any(),
            })}
        </fieldset>
    }
}
