//! `tasks` pages: the task list, a task, the review queue and one assignment.

texts! {
    TkPlaceholder => "任务", "Tasks";
}
