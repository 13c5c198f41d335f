//! `/tasks`: tasks (list, new, one task with its assignments), the review queue and one
//! assignment (answering and reviewing). The closed loop's first half.

use leptos::prelude::*;

use crate::components::layout::Placeholder;
use crate::i18n::T;

#[component]
pub fn TasksPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn NewTaskPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}

#[component]
pub fn AssignmentPage() -> impl IntoView {
    view! { <Placeholder title=T::NavTasks/> }
}
