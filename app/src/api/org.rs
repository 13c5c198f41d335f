use leptos::prelude::*;

use crate::error::AppError;
use crate::models::org::{OrgDetail, OrgDetailQuery, OrgNode, PublicSummary};

/// The organisation tree with member counts.
///
/// Access: any caller (no accounts exist yet; the access issue narrows this to signed-in
/// roles and scopes it to the caller's organisations).
#[server(endpoint = "get_org_tree")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_tree() -> Result<Vec<OrgNode>, AppError> {
    use crate::server::{app_state, fail, internal, repo};
    let state = app_state().map_err(fail)?;
    repo::org::tree(&state.db)
        .await
        .map_err(|e| fail(internal(e)))
}

/// One organisation's details: parent, departments, counts, committee, sub-organisations.
///
/// Access: as `get_org_tree`.
#[server(endpoint = "get_org_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_detail(query: OrgDetailQuery) -> Result<OrgDetail, AppError> {
    use crate::models::org::is_valid_key;
    use crate::server::{app_state, fail, internal, repo};
    if !is_valid_key(&query.id) {
        return Err(fail(AppError::NotFound));
    }
    let state = app_state().map_err(fail)?;
    repo::org::detail(&state.db, &query.id)
        .await
        .map_err(|e| fail(internal(e)))?
        .ok_or_else(|| fail(AppError::NotFound))
}

/// Aggregate figures for the public site: committee name, branch and member totals.
///
/// Access: anyone, including visitors; carries no personal data.
#[server(endpoint = "get_public_summary")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_public_summary() -> Result<PublicSummary, AppError> {
    use crate::models::org::summarise;
    use crate::server::{app_state, fail, internal, repo};
    let state = app_state().map_err(fail)?;
    let forest = repo::org::tree(&state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(summarise(&forest))
}
