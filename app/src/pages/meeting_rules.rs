//! The compliance settings under the grid (`/meetings/grid`), fetched once the page has
//! hydrated: how often each kind of
//! meeting is due, how many per period, and how many days before a period ends a missing
//! meeting turns yellow. The committee office edits them; a branch committee reads them
//! (what the grid and its 待办 hold it to).

use leptos::prelude::*;

use crate::api::meeting::{SaveMeetingRules, get_meeting_rules};
use crate::components::feedback::{LoadingState, error_panel, general_error};
use crate::components::form::action_error;
use crate::i18n::{Lang, T, use_lang};
use crate::models::meeting::{
    Frequency, MeetingRules, MeetingRulesInput, RULE_TIMES_MAX, RuleSetting, WARN_DAYS_RANGE,
};

/// The settings card, fetched once the page has hydrated: not part of the grid's first
/// load (the grid is what the page is for).
#[component]
pub fn RulesCard() -> impl IntoView {
    crate::components::later::after_hydration(|| ().into_any(), rules_card)
}

#[lazy]
fn rules_card() -> AnyView {
    view! { <RulesCardInner/> }.into_any()
}

/// The settings card: read once, then as the last save answered.
#[component]
fn RulesCardInner() -> impl IntoView {
    let lang = use_lang();
    let rules = Resource::new(|| (), |_| get_meeting_rules());
    let session = crate::components::layout::use_session();
    view! {
        <section class="card" aria-labelledby="mr-heading" data-testid="meeting-rules">
            <h2 id="mr-heading">{lang.t(T::MrTitle)}</h2>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        let first = rules.await?;
                        let office = matches!(session.await, Ok(Some(s))
                            if s.roles.contains(&crate::access::Role::CommitteeOffice));
                        Ok::<_, crate::error::AppError>(if office {
                            view! { <RulesForm first/> }.into_any()
                        } else {
                            rules_list(lang, first)
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// "党支部 · 主题党日": whose rule and which meeting.
fn slot_label(lang: Lang, r: &RuleSetting) -> String {
    format!(
        "{} · {}",
        lang.t(r.org_kind.label()),
        lang.t(r.meeting.label())
    )
}

/// "每月 1 次", or "不作要求".
fn rule_text(lang: Lang, r: &RuleSetting) -> String {
    match r.frequency {
        Some(f) => lang.t(T::MrEvery(lang.t(f.label()), r.times)),
        None => lang.t(T::MrOff).to_string(),
    }
}

/// Who last changed the settings, or that they are the platform's defaults.
fn provenance(lang: Lang, updated_by: &str) -> String {
    if updated_by.is_empty() {
        lang.t(T::MrDefaults).to_string()
    } else {
        lang.t(T::MrUpdatedBy(updated_by))
    }
}

/// The settings as a branch committee reads them.
fn rules_list(lang: Lang, rules: MeetingRules) -> AnyView {
    let items = rules
        .rules
        .iter()
        .map(|r| {
            view! {
                <li><strong>{slot_label(lang, r)}</strong>"："{rule_text(lang, r)}</li>
            }
        })
        .collect_view();
    view! {
        <ul class="rule-list">{items}</ul>
        <p>{lang.t(T::MrWarnText(rules.warn_days))}</p>
        <p class="hint">{provenance(lang, &rules.updated_by)}</p>
    }
    .into_any()
}

/// The office's form: a frequency and a count per slot, the warning days. What was chosen
/// stays when the server refuses; a save answers with the settings in force.
#[component]
fn RulesForm(first: MeetingRules) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveMeetingRules>::new();
    let chosen = RwSignal::new(first.rules.clone());
    let warn = RwSignal::new(first.warn_days.to_string());
    let updated_by = RwSignal::new(first.updated_by.clone());
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            chosen.set(saved.rules);
            warn.set(saved.warn_days.to_string());
            updated_by.set(saved.updated_by);
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = MeetingRulesInput {
            rules: chosen.get_untracked(),
            warn_days: warn.get_untracked(),
        };
        save.dispatch(SaveMeetingRules { input });
    };
    let rows = first
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| rule_row(lang, chosen, i, r))
        .collect_view();
    let warn_error = action_error(save.value().into(), "warn_days");
    let saved = move || matches!(save.value().get(), Some(Ok(_))).then(|| lang.t(T::MrSaved));
    let (min, max) = (
        WARN_DAYS_RANGE.start().to_string(),
        WARN_DAYS_RANGE.end().to_string(),
    );
    view! {
        <p class="hint">{lang.t(T::MrIntro)}</p>
        // The server checks the values (and says why); the browser does not stop them first.
        <form class="form-stack" novalidate=true on:submit=send data-testid="rules-form">
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">{lang.t(T::MrTitle)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::MtpKind)}</th>
                            <th scope="col">{lang.t(T::MrFrequency)}</th>
                            <th scope="col">{lang.t(T::MrTimes)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="field">
                <label for="mr-warn">{lang.t(T::MrWarnDays)}</label>
                <input id="mr-warn" type="number" inputmode="numeric" min=min max=max required=true
                    aria-describedby="mr-warn-error"
                    aria-invalid=move || warn_error.get().is_some().to_string()
                    prop:value=move || warn.get()
                    on:input=move |ev| warn.set(event_target_value(&ev))/>
                <p id="mr-warn-error" class="field-error" role="alert">{move || warn_error.get()}</p>
            </div>
            <p class="field-error" role="alert">{move || general_error(save.value().get(), &["warn_days"], lang)}</p>
            <p class="saved" role="status">{saved}</p>
            <p class="hint">{move || provenance(lang, &updated_by.get())}</p>
            <div>
                <button type="submit" class="btn btn-primary" data-testid="rules-save"
                    disabled=move || save.pending().get()>
                    {lang.t(T::MrSave)}
                </button>
            </div>
        </form>
    }
}

/// One slot: its frequency (or none) and how many meetings per period.
fn rule_row(
    lang: Lang,
    chosen: RwSignal<Vec<RuleSetting>>,
    i: usize,
    r: &RuleSetting,
) -> impl IntoView {
    let label = slot_label(lang, r);
    let (freq_id, times_id) = (format!("mr-freq-{i}"), format!("mr-times-{i}"));
    let current = move || chosen.with(|c| c.get(i).cloned());
    let frequency_options = [None, Some(Frequency::Monthly), Some(Frequency::Quarterly), Some(Frequency::Yearly)]
        .into_iter()
        .map(|f| {
            let word = f.map_or("", Frequency::as_str);
            let text = f.map_or(lang.t(T::MrOff), |f| lang.t(f.label()));
            view! {
                <option value=word selected=move || current().is_some_and(|c| c.frequency == f)>{text}</option>
            }
        })
        .collect_view();
    let times_options = (1..=RULE_TIMES_MAX)
        .map(|n| {
            view! {
                <option value=n.to_string() selected=move || current().is_some_and(|c| c.times == n)>
                    {lang.t(T::MrTimesN(n))}
                </option>
            }
        })
        .collect_view();
    let off = move || current().is_some_and(|c| c.frequency.is_none());
    view! {
        <tr>
            <th scope="row">{label.clone()}</th>
            <td>
                <label for=freq_id.clone() class="visually-hidden">{lang.t(T::Labelled(&label, lang.t(T::MrFrequency)))}</label>
                <select id=freq_id data-testid="rule-frequency"
                    on:change=move |ev| {
                        let f = Frequency::parse(&event_target_value(&ev));
                        chosen.update(|c| if let Some(r) = c.get_mut(i) { r.frequency = f; });
                    }>
                    {frequency_options}
                </select>
            </td>
            <td>
                <label for=times_id.clone() class="visually-hidden">{lang.t(T::Labelled(&label, lang.t(T::MrTimes)))}</label>
                <select id=times_id disabled=off
                    on:change=move |ev| {
                        let n = event_target_value(&ev).parse().unwrap_or(1);
                        chosen.update(|c| if let Some(r) = c.get_mut(i) { r.times = n; });
                    }>
                    {times_options}
                </select>
            </td>
        </tr>
    }
}
