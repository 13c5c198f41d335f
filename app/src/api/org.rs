use leptos::prelude::*;

use crate::access::{AccessRule, Audience, DataScope};

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
#[server(endpoint = "get_org_tree")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_tree() -> Result<Vec<OrgNode>, AppError> {
    use crate::server::{begin, fail, internal, repo};
    let ctx = begin(&GET_ORG_TREE).await?;
    let forest = repo::org::tree(&ctx.state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(ctx.scope.restrict(forest))
}

/// As `GET_ORG_TREE`.
pub const GET_ORG_DETAIL: AccessRule = AccessRule {
    endpoint: "/api/get_org_detail",
    audience: Audience::Roles(crate::access::roles::PARTY),
    scope: DataScope::OrgStructure,
};

/// One organisation's details: parent, departments, counts, committee, sub-organisations.
#[server(endpoint = "get_org_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_org_detail(query: OrgDetailQuery) -> Result<OrgDetail, AppError> {
    use crate::models::org::is_valid_key;
    use crate::server::{begin, fail, internal, repo};
    let ctx = begin(&GET_ORG_DETAIL).await?;
    if !is_valid_key(&query.id) {
        return Err(fail(AppError::NotFound));
    }
    if !ctx.scope.org(&query.id) {
        // Unknown ids and ids outside the scope get the same answer.
        return Err(ctx.deny("org", &query.id).await);
    }
    let today = crate::server::china_today(&ctx.state);
    repo::org::detail(&ctx.state.db, &query.id, today)
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
    use crate::server::{begin, fail, internal, repo};
    let ctx = begin(&GET_PUBLIC_SUMMARY).await?;
    let state = &ctx.state;
    let forest = repo::org::tree(&state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(summarise(&forest))
}

/// The committee office only: the structure of the whole organisation is its business.
pub const CREATE_ORG: AccessRule = AccessRule {
    endpoint: "/api/create_org",
    audience: Audience::Roles(crate::access::roles::OFFICE),
    scope: DataScope::OrgStructure,
};

/// Creates an organisation under a parent that may contain its kind (a 党小组 in a branch,
/// a branch under the committee or a 党总支, ...). Returns the new organisation's key.
#[server(endpoint = "create_org")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn create_org(input: OrgCreate) -> Result<String, AppError> {
    use crate::i18n::T;
    use crate::models::audit::{Outcome, action};
    use crate::models::org::{
        BranchCategory, OrgKind, check_name, check_placement, is_valid_key, parse_departments,
    };
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, commit, fail, internal, new_key, repo};
    let ctx = begin(&CREATE_ORG).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let Some(kind) = OrgKind::parse(input.kind.trim()) else {
        return Err(crate::server::invalid(
            "kind",
            lang.t(T::OrgKindUnknown).into(),
        ));
    };
    let parent = if is_valid_key(input.parent.trim()) {
        repo::org::info(&state.db, input.parent.trim())
            .await
            .map_err(|e| fail(internal(e)))?
    } else {
        None
    };
    let Some(parent) = parent else {
        return Err(crate::server::service::org::problem(
            lang,
            &OrgProblem::ParentMissing,
        ));
    };
    let parent_kind = OrgKind::parse(&parent.kind).unwrap_or(OrgKind::Group);
    check_placement(parent_kind, kind)
        .map_err(|p| crate::server::service::org::problem(lang, &p))?;
    let siblings = repo::org::sibling_names(&state.db, &parent.id, None)
        .await
        .map_err(|e| fail(internal(e)))?;
    let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
    check_name(&input.name, &names).map_err(|p| crate::server::service::org::problem(lang, &p))?;
    let category = match kind {
        OrgKind::Branch => match BranchCategory::parse(input.category.trim()) {
            Some(c) => Some(c.as_str().to_string()),
            None => {
                return Err(crate::server::service::org::problem(
                    lang,
                    &OrgProblem::CategoryMissing,
                ));
            }
        },
        _ => None,
    };
    let name = input.name.trim().to_string();
    let key = new_key("o");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("org", key.clone())
        .summary(format!("{} under {}", kind.as_str(), parent.name));
    let change = Change::new(
        "CREATE type::record('org', $key) CONTENT {
             name: $name, kind: $kind, parent: $parent, category: $category,
             departments: $departments, sort: 1000
         };
         CREATE org_event SET org = type::record('org', $key), kind = 'created',
             detail = $detail, actor = $actor, at = $now;",
    )
    .bind("key", key.clone())
    .bind("name", name.clone())
    .bind("kind", kind.as_str().to_string())
    .bind("parent", parent.id.clone())
    .bind("category", category)
    .bind("departments", parse_departments(&input.departments))
    .bind("detail", format!("{name} @ {}", parent.name))
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await?;
    Ok(key)
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
#[server(endpoint = "change_org")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_org(input: OrgChange) -> Result<(), AppError> {
    use crate::i18n::T;

    use crate::models::org::{OrgKind, check_move, check_name, is_valid_key};

    use crate::server::{begin, fail, internal, repo};
    let ctx = begin(&CHANGE_ORG).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let problem = |p: OrgProblem| crate::server::service::org::problem(lang, &p);
    let org = if is_valid_key(input.id.trim()) {
        repo::org::info(&state.db, input.id.trim())
            .await
            .map_err(|e| fail(internal(e)))?
    } else {
        None
    };
    let Some(org) = org else {
        return Err(fail(AppError::NotFound));
    };
    let kind = OrgKind::parse(&org.kind).unwrap_or(OrgKind::Group);
    let reason: String = input.reason.trim().chars().take(200).collect();

    let value = input.value.trim().to_string();
    let (sql, kind_text, detail) = match input.action.trim() {
        "rename" => {
            let siblings = match &org.parent {
                Some(parent) => repo::org::sibling_names(&state.db, parent, Some(&org.id))
                    .await
                    .map_err(|e| fail(internal(e)))?,
                None => Vec::new(),
            };
            let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
            check_name(&value, &names).map_err(problem)?;
            (
                "UPDATE $org SET name = $value;",
                "renamed",
                format!("{} → {value}", org.name),
            )
        }
        "move" => {
            let structure = state
                .structure
                .get(&state.db)
                .await
                .map_err(|e| fail(internal(e)))?;
            check_move(
                structure.forest(),
                &crate::server::key_string(&org.id),
                &value,
            )
            .map_err(problem)?;
            let Some(parent) = repo::org::info(&state.db, &value)
                .await
                .map_err(|e| fail(internal(e)))?
            else {
                return Err(problem(OrgProblem::ParentMissing));
            };
            let siblings = repo::org::sibling_names(&state.db, &parent.id, Some(&org.id))
                .await
                .map_err(|e| fail(internal(e)))?;
            let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
            check_name(&org.name, &names).map_err(problem)?;
            if kind == OrgKind::Group {
                let n = repo::org::active_members(&state.db, &org.id)
                    .await
                    .map_err(|e| fail(internal(e)))?;
                if n > 0 {
                    return Err(problem(OrgProblem::HasMembers(n)));
                }
            }
            if reason.is_empty() {
                return Err(problem(OrgProblem::ReasonMissing));
            }
            let from = match &org.parent {
                Some(p) => repo::org::info(&state.db, &crate::server::key_string(p))
                    .await
                    .map_err(|e| fail(internal(e)))?
                    .map(|i| i.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            (
                "UPDATE $org SET parent = type::record('org', $value);",
                "moved",
                format!("{from} → {}", parent.name),
            )
        }
        "dissolve" => {
            if kind == OrgKind::Committee {
                return Err(problem(OrgProblem::Root));
            }
            let children = repo::org::sibling_names(&state.db, &org.id, None)
                .await
                .map_err(|e| fail(internal(e)))?;
            if !children.is_empty() {
                return Err(problem(OrgProblem::HasChildren(children.len() as u32)));
            }
            let n = repo::org::active_members(&state.db, &org.id)
                .await
                .map_err(|e| fail(internal(e)))?;
            if n > 0 {
                return Err(problem(OrgProblem::HasMembers(n)));
            }
            if reason.is_empty() {
                return Err(problem(OrgProblem::ReasonMissing));
            }
            (
                "UPDATE $org SET dissolved_at = $now;",
                "dissolved",
                org.name.clone(),
            )
        }
        _ => {
            return Err(crate::server::invalid(
                "action",
                lang.t(T::OrgActionUnknown).into(),
            ));
        }
    };
    crate::server::service::org::commit_org_change(
        caller,
        &org,
        sql,
        kind_text,
        detail,
        reason,
        |c| c.bind("value", value),
    )
    .await
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
#[server(endpoint = "update_branch")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn update_branch(input: OrgChange) -> Result<(), AppError> {
    use chrono::NaiveDate;

    use crate::i18n::T;

    use crate::models::org::{OrgKind, parse_departments, term_end};

    use crate::server::{begin, china_today};
    let ctx = begin(&UPDATE_BRANCH).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let org = crate::server::scope::record::org(&ctx, input.id.trim()).await?;
    let kind = OrgKind::parse(&org.kind).unwrap_or(OrgKind::Group);
    if !matches!(kind, OrgKind::Branch | OrgKind::GeneralBranch) {
        return Err(crate::server::invalid("id", lang.t(T::OrgNotBranch).into()));
    }
    let reason: String = input.reason.trim().chars().take(200).collect();
    let (sql, kind_text, detail, start, end) = match input.action.trim() {
        "departments" => {
            let list = parse_departments(&input.value);
            (
                "UPDATE $org SET departments = $departments;",
                "departments",
                list.join("、"),
                None,
                None,
            )
        }
        "term" => {
            let Ok(start) = input.value.trim().parse::<NaiveDate>() else {
                return Err(crate::server::invalid(
                    "value",
                    lang.t(T::OrgTermDateInvalid).into(),
                ));
            };
            if start > china_today(state) {
                return Err(crate::server::invalid(
                    "value",
                    lang.t(T::OrgTermFuture).into(),
                ));
            }
            let end = term_end(start);
            (
                "UPDATE $org SET term_start = $start, term_end = $end;",
                "term",
                format!("{start} – {end}"),
                Some(start),
                Some(end),
            )
        }
        _ => {
            return Err(crate::server::invalid(
                "action",
                lang.t(T::OrgActionUnknown).into(),
            ));
        }
    };
    crate::server::service::org::commit_org_change(
        caller,
        &org,
        sql,
        kind_text,
        detail,
        reason,
        |c| {
            c.bind("departments", parse_departments(&input.value))
                .bind("start", start)
                .bind("end", end)
        },
    )
    .await
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
#[server(endpoint = "assign_seat")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn assign_seat(input: SeatAssign) -> Result<(), AppError> {
    use crate::i18n::T;
    use crate::models::audit::{Outcome, action};
    use crate::models::org::{Position, seat_allowed};
    use crate::server::audit::{Change, Event};
    use crate::server::{begin, commit, fail, internal, key_string, repo};
    let ctx = begin(&ASSIGN_SEAT).await?;
    let caller = &ctx.caller;
    let state = &ctx.state;
    let lang = ctx.lang;
    let Some(position) = Position::parse(input.position.trim()) else {
        return Err(crate::server::invalid(
            "position",
            lang.t(T::SeatUnknown).into(),
        ));
    };
    let row = crate::server::scope::record::member(&ctx, input.member.trim()).await?;
    let count = repo::org::active_members(&state.db, &row.org)
        .await
        .map_err(|e| fail(internal(e)))?;
    if position != Position::Member
        && position != Position::GroupLeader
        && !seat_allowed(position, count)
    {
        return Err(crate::server::invalid(
            "position",
            lang.t(T::SeatNeedsCommittee(count)),
        ));
    }
    if position == Position::GroupLeader && row.party_group.is_none() {
        return Err(crate::server::invalid(
            "position",
            lang.t(T::SeatNoGroup).into(),
        ));
    }
    let old = Position::parse(&row.position).unwrap_or(Position::Member);
    let dual = position == Position::Secretary && input.dual_leader;
    if old == position && dual == row.dual_leader {
        return Err(crate::server::invalid(
            "position",
            lang.t(T::SeatUnchanged).into(),
        ));
    }
    let reason: String = input.reason.trim().chars().take(200).collect();
    let detail = format!("position: {} → {}", old.as_str(), position.as_str());
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", key_string(&row.id))
        .summary(detail.clone());
    // A branch has one secretary: the previous one steps down in the same transaction.
    let change = Change::new(
        "IF $position = 'secretary' {
             FOR $prev IN (SELECT id, position FROM member WHERE org = $branch)[WHERE position = 'secretary' AND id != $member] {
                 UPDATE $prev.id SET position = 'member', dual_leader = false;
                 CREATE member_event SET member = $prev.id, kind = 'position',
                     detail = 'position: secretary → member', reason = $reason, actor = $actor, at = $now;
             };
         };
         UPDATE $member SET position = $position, dual_leader = $dual;
         CREATE member_event SET member = $member, kind = 'position', detail = $detail,
             reason = $reason, actor = $actor, at = $now;
         CREATE org_event SET org = $branch, kind = 'seat', detail = $seat, reason = $reason,
             actor = $actor, at = $now;",
    )
    .bind("position", position.as_str().to_string())
    .bind("branch", row.org.clone())
    .bind("member", row.id.clone())
    .bind("dual", dual)
    .bind("detail", detail)
    .bind("seat", format!("{}: {} → {}", row.name, old.as_str(), position.as_str()))
    .bind("reason", reason)
    .bind("actor", caller.account.clone().unwrap_or_default())
    .bind("now", state.clock.now());
    commit(state, caller, &event, &change).await
}

#[cfg(feature = "ssr")]
use crate::models::org::OrgProblem;
