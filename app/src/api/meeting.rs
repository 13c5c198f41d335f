//! Organisational life (issue 14): meetings of branches and Party groups, and where a
//! branch stands against the compliance rules.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::meeting::{
    AttendanceInput, ComplianceGrid, LeaveDecisionInput, LeaveRequestInput, Ledger, MeetingDetail,
    MeetingFilesInput, MeetingInput, MeetingPeopleInput, MeetingQuery, MeetingRules,
    MeetingRulesInput, MeetingsPage, MinutesInput, SignInInput,
};

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

/// Branch committees and the office for meetings of organisations in reach; any Party
/// member for a meeting they are expected at (its facts, the count and their own line:
/// the page their phone opens to sign in).
pub const GET_MEETING: AccessRule = AccessRule {
    endpoint: "/api/get_meeting",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// One meeting: who runs it, who is expected and how each stands, the minutes.
#[server(endpoint = "get_meeting", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_meeting(id: String) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_MEETING).await?;
    service::meeting::get(&ctx, &id).await
}

/// As `SCHEDULE_MEETING`: the recorder (or any of the committee) marks attendance.
pub const MARK_ATTENDANCE: AccessRule = AccessRule {
    endpoint: "/api/mark_attendance",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Marks one planned attendee present, on leave (with the reason) or absent.
#[server(endpoint = "mark_attendance", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn mark_attendance(input: AttendanceInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&MARK_ATTENDANCE).await?;
    service::meeting::mark(&ctx, input).await
}

/// Any Party member (a committee member attends meetings too), on their own attendance
/// only: a meeting they are not expected at is refused like a record outside the scope.
pub const SIGN_IN_MEETING: AccessRule = AccessRule {
    endpoint: "/api/sign_in_meeting",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// Signs the caller in to a meeting on its day (by phone). Sending the same sign-in again
/// changes nothing.
#[server(endpoint = "sign_in_meeting", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn sign_in_meeting(input: SignInInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SIGN_IN_MEETING).await?;
    service::meeting::sign_in(&ctx, input).await
}

/// Any Party member, for their own attendance only, as `SIGN_IN_MEETING`: a meeting they
/// are not expected at is refused like a record outside the scope.
pub const REQUEST_LEAVE: AccessRule = AccessRule {
    endpoint: "/api/request_leave",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// The caller asks for leave (请假) from a meeting they are expected at, with a reason,
/// until the end of its day; asking again while it waits replaces the reason.
#[server(endpoint = "request_leave", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn request_leave(input: LeaveRequestInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&REQUEST_LEAVE).await?;
    service::meeting::request_leave(&ctx, input).await
}

/// As `MARK_ATTENDANCE`: the branch committee decides its meetings' requests.
pub const DECIDE_LEAVE: AccessRule = AccessRule {
    endpoint: "/api/decide_leave",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Approves (the attendance becomes 请假 with the request's reason) or refuses a waiting
/// request for leave.
#[server(endpoint = "decide_leave", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn decide_leave(input: LeaveDecisionInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&DECIDE_LEAVE).await?;
    service::meeting::decide_leave(&ctx, input).await
}

/// As `SCHEDULE_MEETING`.
pub const SAVE_MINUTES: AccessRule = AccessRule {
    endpoint: "/api/save_minutes",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Saves the minutes as a draft, or submits them for the secretary's approval.
#[server(endpoint = "save_minutes", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_minutes(input: MinutesInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_MINUTES).await?;
    service::meeting::save_minutes(&ctx, input).await
}

/// As `SCHEDULE_MEETING`: the committee changes who runs and attends its meetings.
pub const SET_MEETING_PEOPLE: AccessRule = AccessRule {
    endpoint: "/api/set_meeting_people",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Replaces a meeting's host, recorder and planned attendees (until its minutes are
/// approved).
#[server(endpoint = "set_meeting_people", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_meeting_people(input: MeetingPeopleInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SET_MEETING_PEOPLE).await?;
    service::meeting::set_people(&ctx, input).await
}

/// As `SAVE_MINUTES`: the minutes' photos and attachments go with the minutes.
pub const SET_MEETING_FILES: AccessRule = AccessRule {
    endpoint: "/api/set_meeting_files",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Replaces the minutes' photos and attachments (files already in the file store).
#[server(endpoint = "set_meeting_files", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_meeting_files(input: MeetingFilesInput) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SET_MEETING_FILES).await?;
    service::meeting::set_files(&ctx, input).await
}

/// As `SCHEDULE_MEETING`.
pub const APPROVE_MINUTES: AccessRule = AccessRule {
    endpoint: "/api/approve_minutes",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Approves submitted minutes; from then on they no longer change.
#[server(endpoint = "approve_minutes", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn approve_minutes(id: String) -> Result<MeetingDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&APPROVE_MINUTES).await?;
    service::meeting::approve_minutes(&ctx, &id).await
}

/// As `LIST_MEETINGS`: the office sees every branch, a branch committee its own and those
/// below.
pub const MEETING_GRID: AccessRule = AccessRule {
    endpoint: "/api/meeting_grid",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// The branch × month compliance grid of a year for the organisations in reach.
#[server(endpoint = "meeting_grid", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn meeting_grid(query: MeetingQuery) -> Result<ComplianceGrid, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&MEETING_GRID).await?;
    service::meeting::grid(&ctx, query).await
}

/// As `LIST_MEETINGS`, for one organisation in reach.
pub const MEETING_LEDGER: AccessRule = AccessRule {
    endpoint: "/api/meeting_ledger",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// A branch's 台账 for a year: every meeting with its attendance by name and its minutes.
#[server(endpoint = "meeting_ledger", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn meeting_ledger(query: MeetingQuery) -> Result<Ledger, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&MEETING_LEDGER).await?;
    service::meeting::ledger(&ctx, query).await
}

/// Branch committees and the office: the rules are the hospital's, not a branch's, and
/// hold no personal data.
pub const GET_MEETING_RULES: AccessRule = AccessRule {
    endpoint: "/api/get_meeting_rules",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::Aggregate,
};

/// The compliance settings in force (the office's, or the platform's defaults).
#[server(endpoint = "get_meeting_rules", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_meeting_rules() -> Result<MeetingRules, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_MEETING_RULES).await?;
    service::meeting::rules_in_force(&ctx).await
}

/// The committee office alone.
pub const SAVE_MEETING_RULES: AccessRule = AccessRule {
    endpoint: "/api/save_meeting_rules",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::Aggregate,
};

/// Replaces the compliance settings: how often each kind of meeting is due, and how many
/// days before a period ends a missing meeting turns yellow.
#[server(endpoint = "save_meeting_rules", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn save_meeting_rules(input: MeetingRulesInput) -> Result<MeetingRules, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&SAVE_MEETING_RULES).await?;
    service::meeting::save_rules(&ctx, input).await
}

/// As `MEETING_LEDGER`: the same 台账 as an Excel workbook. A plain route
/// (`server::http::meeting`), `GET /export/ledger.xlsx?org=&year=`.
pub const EXPORT_LEDGER: AccessRule = AccessRule {
    endpoint: "/export/ledger.xlsx",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// As `GET_MEETING`: people who may see the meeting follow its attendance live (an
/// attendee outside the committee gets the counts without names). A plain route
/// (`server::http::meeting`), a stream of server-sent events.
pub const MEETING_LIVE: AccessRule = AccessRule {
    endpoint: "/live/meetings/{key}",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// As `GET_MEETING`: the projector view of a meeting (a page without WASM).
pub const MEETING_SCREEN: AccessRule = AccessRule {
    endpoint: "/screen/meetings/{key}",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};
