//! Organisational life (issue 14): meetings of branches and Party groups, and where a
//! branch stands against the compliance rules.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::meeting::{MeetingInput, MeetingQuery, MeetingsPage};

/// Branch committees for their organisations and those below; the committee office for
/// any. Members see meetings through their inbox once attendance lands.
pub const SCHEDULE_MEETING: AccessRule = AccessRule {
    endpoint: "/api/schedule_meeting",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Schedules a meeting, or records one already held (marked 补录). Returns its key.
#[server(endpoint = "schedule_meeting", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn schedule_meeting(input: MeetingInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SCHEDULE_MEETING).await?;
    service::meeting::schedule(&ctx, input).await
}

/// As `SCHEDULE_MEETING`.
pub const LIST_MEETINGS: AccessRule = AccessRule {
    endpoint: "/api/list_meetings",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// A year's meetings in the caller's reach and, for one organisation, its compliance.
#[server(endpoint = "list_meetings", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_meetings(query: MeetingQuery) -> Result<MeetingsPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_MEETINGS).await?;
    service::meeting::list(&ctx, query).await
}
