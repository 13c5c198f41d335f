//! In-app notifications (the bell): reminders and escalations written by the reminder job
//! (`server::service::reminders`).

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::notification::Notifications;

/// Any signed-in account: its own notifications only.
pub const GET_NOTIFICATIONS: AccessRule = AccessRule {
    endpoint: "/api/get_notifications",
    audience: Audience::SignedIn,
    scope: DataScope::Own,
};

/// The caller's latest notifications and how many are unread.
#[server(endpoint = "get_notifications", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_notifications() -> Result<Notifications, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_NOTIFICATIONS).await?;
    service::reminders::list(&ctx).await
}

/// As `GET_NOTIFICATIONS`.
pub const MARK_NOTIFICATIONS_READ: AccessRule = AccessRule {
    endpoint: "/api/mark_notifications_read",
    audience: Audience::SignedIn,
    scope: DataScope::Own,
};

/// Marks all of the caller's notifications read.
#[server(endpoint = "mark_notifications_read", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&MARK_NOTIFICATIONS_READ).await?;
    service::reminders::mark_read(&ctx).await
}
