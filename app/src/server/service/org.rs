//! Orchestration behind the `org` server functions (`crate::api::org`): reads and
//! writes through the repositories, decisions that need the database.

use crate::access::Caller;
use crate::error::AppError;
use crate::i18n::{Lang, T};
use crate::models::audit::{Outcome, action};
use crate::models::org::OrgProblem;
use crate::server::audit::{Change, Event};
use crate::server::repo::org::OrgInfo;
use crate::server::{app_state, commit, fail, invalid, key_string};

/// The refusal for a broken structure rule, naming the rule.
pub fn problem(lang: Lang, p: &OrgProblem) -> AppError {
    let (field, message) = match p {
        OrgProblem::NameInvalid => ("name", lang.t(T::OrgNameInvalid).to_string()),
        OrgProblem::NameTaken => ("name", lang.t(T::OrgNameTaken).to_string()),
        OrgProblem::ParentMissing => ("parent", lang.t(T::OrgParentMissing).to_string()),
        OrgProblem::KindNotAllowed { parent, child } => (
            "kind",
            lang.t(T::OrgKindNotAllowed(
                lang.t(child.label()),
                lang.t(parent.label()),
            )),
        ),
        OrgProblem::IntoOwnSubtree => ("parent", lang.t(T::OrgIntoOwnSubtree).to_string()),
        OrgProblem::Root => ("id", lang.t(T::OrgRootFixed).to_string()),
        OrgProblem::CategoryMissing => ("category", lang.t(T::OrgCategoryMissing).to_string()),
        OrgProblem::HasMembers(n) => ("id", lang.t(T::OrgHasMembers(*n))),
        OrgProblem::HasChildren(n) => ("id", lang.t(T::OrgHasChildren(*n))),
        OrgProblem::ReasonMissing => ("reason", lang.t(T::StatusReasonMissing).to_string()),
    };
    invalid(field, message)
}

/// Runs `sql` (which may use `$org` and `$now`, plus what `bind` adds) and writes the
/// organisation's history line and the audit entry, all in one transaction.
pub async fn commit_org_change(
    caller: &Caller,
    org: &OrgInfo,
    sql: &str,
    kind: &str,
    detail: String,
    reason: String,
    bind: impl FnOnce(Change) -> Change,
) -> Result<(), AppError> {
    let state = app_state().map_err(fail)?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("org", key_string(&org.id))
        .summary(format!("{kind}: {detail}"));
    let change = Change::new(format!(
        "{sql}
         CREATE org_event SET org = $org, kind = $kind, detail = $detail, reason = $reason,
             actor = $actor, at = $now;"
    ))
    .bind("org", org.id.clone())
    .bind("kind", kind.to_string())
    .bind("detail", detail)
    .bind("reason", reason)
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now());
    commit(&state, caller, &event, &bind(change)).await
}
