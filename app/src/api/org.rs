use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};
use crate::api::wire::Json;
use crate::error::AppError;
use crate::models::org::{
    OrgChange, OrgCreate, OrgDetail, OrgDetailQuery, OrgNode, PublicSummary, SeatAssign,
};

/// Party roles only: the structure, counts and seat holders are internal; the system
/// administrator and the auditors do not browse them. Scope: the committee office sees the
/// whole tree, branch roles their organisations and below, members their own branch.
pub const GET_ORG_TREE: AccessRule = AccessRule {
    endpoint: "/api/get_org_tree",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgStructure,
};

/// The organisation tree with member counts.
#[server(endpoint = "get_org_tree", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_tree() -> Result<Vec<OrgNode>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ORG_TREE).await?;
    service::org::tree(&ctx).await
}

/// As `GET_ORG_TREE`.
pub const GET_ORG_OUTLINE: AccessRule = AccessRule {
    endpoint: "/api/get_org_outline",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgStructure,
};

/// The tree as `/org` first shows it: branches and large general branches folded, their
/// children left out (`models::org::outline`).
#[server(endpoint = "get_org_outline", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_outline() -> Result<Vec<OrgNode>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ORG_OUTLINE).await?;
    service::org::outline(&ctx).await
}

/// As `GET_ORG_TREE`; an organisation outside the scope is refused and recorded.
pub const GET_ORG_CHILDREN: AccessRule = AccessRule {
    endpoint: "/api/get_org_children",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgStructure,
};

/// The children of one folded organisation, when the tree opens it.
#[server(endpoint = "get_org_children", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_children(query: OrgDetailQuery) -> Result<Vec<OrgNode>, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ORG_CHILDREN).await?;
    service::org::children(&ctx, query).await
}

/// As `GET_ORG_TREE`.
pub const GET_ORG_DETAIL: AccessRule = AccessRule {
    endpoint: "/api/get_org_detail",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgStructure,
};

/// One organisation's details: parent, departments, counts, committee, sub-organisations.
#[server(endpoint = "get_org_detail", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_detail(query: OrgDetailQuery) -> Result<OrgDetail, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_ORG_DETAIL).await?;
    service::org::detail(&ctx, query).await
}

/// Visitors included: aggregates only, no personal data.
pub const GET_PUBLIC_SUMMARY: AccessRule = AccessRule {
    endpoint: "/api/get_public_summary",
    audience: Audience::Anyone,
    scope: DataScope::Aggregate,
};

/// Aggregate figures for the public site: committee name, branch and member totals.
#[server(endpoint = "get_public_summary", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_public_summary() -> Result<PublicSummary, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&GET_PUBLIC_SUMMARY).await?;
    service::org::public_summary(&ctx).await
}

/// The committee office only: the structure of the whole organisation is its business.
pub const CREATE_ORG: AccessRule = AccessRule {
    endpoint: "/api/create_org",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgStructure,
};

/// Creates an organisation under a parent that may contain its kind (a 党小组 in a branch,
/// a branch under the committee or a 党总支, ...). Returns the new organisation's key.
#[server(endpoint = "create_org", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn create_org(input: OrgCreate) -> Result<String, AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CREATE_ORG).await?;
    service::org::create(&ctx, input).await
}

/// The committee office only, as `CREATE_ORG`.
pub const CHANGE_ORG: AccessRule = AccessRule {
    endpoint: "/api/change_org",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgStructure,
};

/// Renames (`rename`, value = new name), moves (`move`, value = new parent, reason
/// required) or dissolves (`dissolve`, reason required) an organisation. A dissolved
/// organisation keeps its record and history; its members and sub-organisations must be
/// moved first. A Party group with members cannot change branch.
#[server(endpoint = "change_org", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_org(input: OrgChange) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&CHANGE_ORG).await?;
    service::org::change(&ctx, input).await
}

/// The office, and branch committees for their own organisations and those below.
pub const UPDATE_BRANCH: AccessRule = AccessRule {
    endpoint: "/api/update_branch",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// The departments a branch is built on (`departments`, value = names separated by 、 or
/// commas) or the start of its committee's term (`term`, value = date; the term ends
/// three years later).
#[server(endpoint = "update_branch", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn update_branch(input: OrgChange) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&UPDATE_BRANCH).await?;
    service::org::update_branch(&ctx, input).await
}

/// As `UPDATE_BRANCH`, for the branch the member belongs to.
pub const ASSIGN_SEAT: AccessRule = AccessRule {
    endpoint: "/api/assign_seat",
    audience: Audience::Roles(crate::access::roles::BRANCH_WORK),
    scope: DataScope::OrgSubtree,
};

/// Gives a member a position in their branch (书记, 副书记, 委员, 党小组组长) or makes
/// them an ordinary member again. A branch of fewer than seven members has only a 书记 and
/// 副书记; a new 书记 replaces the previous one, whose step down is recorded too.
#[server(endpoint = "assign_seat", output = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn assign_seat(input: SeatAssign) -> Result<(), AppError> {
    use crate::server::{begin, service};
    let ctx = begin(&ASSIGN_SEAT).await?;
    service::org::assign_seat(&ctx, input).await
}
