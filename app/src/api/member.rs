//! Member records. Lists and profiles carry ID and phone numbers masked; the full value
//! comes only from `reveal_member_field`, for callers whose scope covers the member, and
//! every such view is recorded in the audit trail.

use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::member::{
    MemberPage, MemberProfile, MemberQuery, PhoneUpdate, SensitiveField, StatusChange,
};
use crate::models::member_form::MemberInput;

/// Party roles. Scope: the office all members; branch roles the members of their
/// organisations and below; a member only their own record.
pub const GET_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/get_member",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// One member's record, sensitive fields masked.
#[server(endpoint = "get_member", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_member(id: String) -> Result<MemberProfile, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_MEMBER).await?;
    service::member::profile(&ctx, &id).await
}

/// Branch roles and the office (members have no roster). Scope: the office all members;
/// branch roles the members of their organisations and below.
pub const LIST_MEMBERS: AccessRule = AccessRule {
    endpoint: "/api/list_members",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// The roster: search by name, pinyin initials or ID tail; filter by organisation, status,
/// flag and department; sort; 20 a page; counts by status of the whole filtered set.
#[server(endpoint = "list_members", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_members(query: MemberQuery) -> Result<MemberPage, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&LIST_MEMBERS).await?;
    service::member::roster(&ctx, query).await
}

/// As `LIST_MEMBERS`: the roster under the current filters as Excel. A plain GET route
/// (`server/src/export.rs`); masked for everyone, full values only for the committee office
/// on request, and every export is audited.
pub const EXPORT_MEMBERS: AccessRule = AccessRule {
    endpoint: "/export/members.xlsx",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// The most rows one roster export holds.
pub const MEMBER_EXPORT_LIMIT: i64 = 100_000;

/// Party roles within scope; a member may update their own number.
pub const UPDATE_MEMBER_PHONE: AccessRule = AccessRule {
    endpoint: "/api/update_member_phone",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgSubtree,
};

/// Sets a member's mobile number (validated), records the change in the member's history
/// and the audit trail (never the number itself).
#[server(endpoint = "update_member_phone", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_member_phone(input: PhoneUpdate) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&UPDATE_MEMBER_PHONE).await?;
    service::member::set_phone(&ctx, input).await
}

/// Those who work with the member's record: the office, the branch committee over the
/// member, and the member themself. Every call is audited.
pub const REVEAL_MEMBER_FIELD: AccessRule = AccessRule {
    endpoint: "/api/reveal_member_field",
    audience: Audience::Roles(&[Role::Member, Role::BranchCommittee, Role::CommitteeOffice]),
    scope: DataScope::OrgSubtree,
};

/// The full ID or phone number of one member. The audit entry names the member and the
/// field, never the value.
#[server(endpoint = "reveal_member_field", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn reveal_member_field(id: String, field: SensitiveField) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&REVEAL_MEMBER_FIELD).await?;
    service::member::reveal(&ctx, id, field).await
}

/// Branch roles within their scope and the office: status changes are the branch's
/// decision (members cannot change their own status).
pub const CHANGE_MEMBER_STATUS: AccessRule = AccessRule {
    endpoint: "/api/change_member_status",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// 转正 or setting/clearing a flag, with a reason and the date it took effect; refused
/// with the rule named when it would break one. Kept as history and audited.
#[server(endpoint = "change_member_status", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_member_status(input: StatusChange) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CHANGE_MEMBER_STATUS).await?;
    service::member::change_status(&ctx, input).await
}

/// Branch roles for their own branches, and the office.
pub const CREATE_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/create_member",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Registers a member in a branch after every rule of `validate_member`; an ID number
/// already registered is refused. Returns the new record's key.
#[server(endpoint = "create_member", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_member(input: MemberInput) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CREATE_MEMBER).await?;
    service::member::register(&ctx, &input, None).await
}

/// As `CREATE_MEMBER`, for members in scope. Members update only their phone number.
pub const UPDATE_MEMBER: AccessRule = AccessRule {
    endpoint: "/api/update_member",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Corrects a member's record under the same rules as `create_member`. Status, branch and
/// 党籍 are not edited here: they change through status actions and transfers. The
/// history names the fields changed, never their values.
#[server(endpoint = "update_member", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_member(id: String, input: MemberInput) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&UPDATE_MEMBER).await?;
    service::member::update(&ctx, &id, input).await
}
