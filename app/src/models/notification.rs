//! In-app notifications (the bell): reminders before a deadline, overdue work, and
//! rectification items escalated to the committee office. Written by the reminder job
//! (`server::service::reminders`), read by their account only.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Days before a deadline that a reminder is sent.
pub const DUE_SOON_DAYS: u64 = 3;
/// How many notifications the list shows.
pub const NOTIFICATIONS_SHOWN: u32 = 20;

word_enum! {
    /// Why a notification was sent.
    NotificationKind {
        DueSoon => "due_soon" / NtDueSoon,
        Overdue => "overdue" / NtOverdue,
        Escalated => "escalated" / NtEscalated,
        /// A meeting the account's member is expected at, today or tomorrow.
        Meeting => "meeting" / NtMeeting,
    }
}

/// One notification as its account sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: String,
    pub kind: NotificationKind,
    pub title: String,
    pub org_name: String,
    pub href: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::date")
    )]
    pub deadline: NaiveDate,
    pub read: bool,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::instant")
    )]
    pub at: DateTime<Utc>,
}

/// The caller's latest notifications and how many are unread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<NotificationView>,
    pub unread: u32,
}
