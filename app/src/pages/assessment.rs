//! `/tasks/rectifications`, `/tasks/ranking`, `/tasks/branches/:org` and
//! `/tasks/periods`: rectification (整改), the committee's ranking, a branch's assessment
//! and the periods with their indicator trees. The closed loop's second half.

use leptos::prelude::*;

use crate::components::layout::Placeholder;
use crate::i18n::T;

#[component]
pub fn RectificationsPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn RankingPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn BranchAssessmentPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn PeriodsPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn PeriodPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}
