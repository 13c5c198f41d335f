use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope, Role};

/// The roles that work with the Party's organisation (not the administrative roles).
pub const PARTY_ROLES: &[Role] = &[Role::Member, Role::BranchCommittee, Role::CommitteeOffice];
use crate::error::AppError;
use crate::models::org::{OrgDetail, OrgDetailQuery, OrgNode, PublicSummary};

/// Party roles only: the structure, counts and seat holders are internal; the system
/// administrator and the auditors do not browse them. Scope: the committee office sees the
/// whole tree, branch roles their organisations and below, members their own branch.
pub const GET_ORG_TREE: AccessRule = AccessRule {
    endpoint: "/api/get_org_tree",
    audience: Audience::Roles(PARTY_ROLES),
    scope: DataScope::OrgSubtree,
};

/// The organisation tree with member counts.
#[server(endpoint = "get_org_tree")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_tree() -> Result<Vec<OrgNode>, AppError> {
    use crate::models::org::OrgScope;
    use crate::server::{app_state, authorize, fail, internal, repo};
    let caller = authorize(&GET_ORG_TREE).await?;
    let state = app_state().map_err(fail)?;
    let forest = repo::org::tree(&state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(OrgScope::of(&caller).restrict(forest))
}

/// As `GET_ORG_TREE`.
pub const GET_ORG_DETAIL: AccessRule = AccessRule {
    endpoint: "/api/get_org_detail",
    audience: Audience::Roles(PARTY_ROLES),
    scope: DataScope::OrgSubtree,
};

/// One organisation's details: parent, departments, counts, committee, sub-organisations.
#[server(endpoint = "get_org_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_detail(query: OrgDetailQuery) -> Result<OrgDetail, AppError> {
    use crate::models::org::{OrgScope, is_valid_key};
    use crate::server::{app_state, authorize, deny_record, fail, internal, repo};
    let caller = authorize(&GET_ORG_DETAIL).await?;
    if !is_valid_key(&query.id) {
        return Err(fail(AppError::NotFound));
    }
    let state = app_state().map_err(fail)?;
    let scope = OrgScope::of(&caller);
    if scope != OrgScope::All {
        let forest = repo::org::structure(&state.db)
            .await
            .map_err(|e| fail(internal(e)))?;
        if !scope.covers(&forest, &query.id) {
            // Unknown ids and ids outside the scope get the same answer.
            return Err(deny_record(&caller, GET_ORG_DETAIL.endpoint, "org", &query.id).await);
        }
    }
    repo::org::detail(&state.db, &query.id)
        .await
        .map_err(|e| fail(internal(e)))?
        .ok_or_else(|| fail(AppError::NotFound))
}

/// Visitors included: aggregates only, no personal data.
pub const GET_PUBLIC_SUMMARY: AccessRule = AccessRule {
    endpoint: "/api/get_public_summary",
    audience: Audience::Anyone,
    scope: DataScope::Aggregate,
};

/// Aggregate figures for the public site: committee name, branch and member totals.
#[server(endpoint = "get_public_summary")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_public_summary() -> Result<PublicSummary, AppError> {
    use crate::models::org::summarise;
    use crate::server::{app_state, authorize, fail, internal, repo};
    authorize(&GET_PUBLIC_SUMMARY).await?;
    let state = app_state().map_err(fail)?;
    let forest = repo::org::tree(&state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(summarise(&forest))
}
