//! Orchestration behind the `org` server functions (`crate::api::org`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::NaiveDate;

use crate::error::AppError;
use crate::i18n::{Lang, T};
use crate::models::audit::{Outcome, action};
use crate::models::org::{
    BranchCategory, OrgChange, OrgCreate, OrgDetail, OrgDetailQuery, OrgHistory, OrgKind, OrgNode,
    OrgProblem, Position, PublicSummary, SeatAssign, check_move, check_name, check_placement,
    is_valid_key, parse_departments, seat_allowed, summarise, term_end,
};
use crate::server::audit::Event;
use crate::server::repo::org::{NewOrg, OrgInfo, OrgUpdate, Seat};
use crate::server::{
    Ctx, clip, db_error, fail, invalid, key_string, new_key, repo, scope, tallies,
};

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

/// The organisation tree with member counts, as far as the caller's scope reaches.
pub async fn tree(ctx: &Ctx) -> Result<Vec<OrgNode>, AppError> {
    let forest = tallies::org_tree(&ctx.state).await.map_err(db_error)?;
    Ok(ctx.scope.restrict(forest))
}

/// The tree in the caller's scope as `/org` first shows it.
pub async fn outline(ctx: &Ctx) -> Result<Vec<OrgNode>, AppError> {
    Ok(crate::models::org::outline(tree(ctx).await?))
}

/// The children of one organisation in the caller's scope, folded as in the outline.
pub async fn children(ctx: &Ctx, query: OrgDetailQuery) -> Result<Vec<OrgNode>, AppError> {
    if !is_valid_key(&query.id) {
        return Err(fail(AppError::NotFound));
    }
    if !ctx.scope.org(&query.id) {
        return Err(ctx.deny("org", &query.id).await);
    }
    crate::models::org::children_of(tree(ctx).await?, &query.id)
        .ok_or_else(|| fail(AppError::NotFound))
}

/// One organisation within the caller's scope; unknown ids and ids outside the scope get
/// the same answer.
pub async fn detail(ctx: &Ctx, query: OrgDetailQuery) -> Result<OrgDetail, AppError> {
    if !is_valid_key(&query.id) {
        return Err(fail(AppError::NotFound));
    }
    if !ctx.scope.org(&query.id) {
        return Err(ctx.deny("org", &query.id).await);
    }
    let state = &ctx.state;
    let structure = state.structure.get(&state.db).await.map_err(db_error)?;
    let counts = state.tallies.get(&state.db).await.map_err(db_error)?;
    repo::org::detail(
        &state.db,
        &query.id,
        ctx.today(),
        structure.forest(),
        &counts,
    )
    .await
    .map_err(db_error)?
    .ok_or_else(|| fail(AppError::NotFound))
}

/// Aggregate figures for the public site.
pub async fn public_summary(ctx: &Ctx) -> Result<PublicSummary, AppError> {
    let forest = tallies::org_tree(&ctx.state).await.map_err(db_error)?;
    Ok(summarise(&forest))
}

/// An organisation (not dissolved) by key; a malformed key is an unknown one.
async fn info(ctx: &Ctx, key: &str) -> Result<Option<OrgInfo>, AppError> {
    if !is_valid_key(key) {
        return Ok(None);
    }
    repo::org::info(&ctx.state.db, key).await.map_err(db_error)
}

/// Names of the organisations directly under `parent`, except `except`.
async fn sibling_names(
    ctx: &Ctx,
    parent: &surrealdb::types::RecordId,
    except: Option<&surrealdb::types::RecordId>,
) -> Result<Vec<String>, AppError> {
    repo::org::sibling_names(&ctx.state.db, parent, except)
        .await
        .map_err(db_error)
}

/// Creates an organisation under a parent that may contain its kind; returns its key.
pub async fn create(ctx: &Ctx, input: OrgCreate) -> Result<String, AppError> {
    let lang = ctx.lang;
    let Some(kind) = OrgKind::parse(input.kind.trim()) else {
        return Err(invalid("kind", lang.t(T::OrgKindUnknown).into()));
    };
    let Some(parent) = info(ctx, input.parent.trim()).await? else {
        return Err(problem(lang, &OrgProblem::ParentMissing));
    };
    let parent_kind = parent.kind;
    check_placement(parent_kind, kind).map_err(|p| problem(lang, &p))?;
    let siblings = sibling_names(ctx, &parent.id, None).await?;
    let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
    check_name(&input.name, &names).map_err(|p| problem(lang, &p))?;
    let category = match kind {
        OrgKind::Branch => match BranchCategory::parse(input.category.trim()) {
            Some(c) => Some(c),
            None => return Err(problem(lang, &OrgProblem::CategoryMissing)),
        },
        _ => None,
    };
    let name = input.name.trim().to_string();
    let key = new_key("o");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("org", key.clone())
        .summary(format!("{} under {}", kind.as_str(), parent.name));
    let what = OrgHistory::Created {
        name: name.clone(),
        parent: parent.name.clone(),
    };
    let org = NewOrg {
        key: key.clone(),
        name,
        kind,
        parent: parent.id,
        category,
        departments: parse_departments(&input.departments),
    };
    ctx.commit(&event, &repo::org::create(org, what, ctx.stamp()))
        .await?;
    Ok(key)
}

/// Renames, moves or dissolves an organisation under the structure rules.
pub async fn change(ctx: &Ctx, input: OrgChange) -> Result<(), AppError> {
    let lang = ctx.lang;
    let state = &ctx.state;
    let problem = |p: OrgProblem| problem(lang, &p);
    let Some(org) = info(ctx, input.id.trim()).await? else {
        return Err(fail(AppError::NotFound));
    };
    let kind = org.kind;
    let reason = clip(&input.reason, 200);
    let value = input.value.trim().to_string();
    let (update, what) = match input.action.trim() {
        "rename" => {
            let siblings = match &org.parent {
                Some(parent) => sibling_names(ctx, parent, Some(&org.id)).await?,
                None => Vec::new(),
            };
            let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
            check_name(&value, &names).map_err(problem)?;
            let what = OrgHistory::Renamed {
                from: org.name.clone(),
                to: value.clone(),
            };
            (OrgUpdate::Rename(value), what)
        }
        "move" => {
            let structure = state.structure.get(&state.db).await.map_err(db_error)?;
            check_move(structure.forest(), &key_string(&org.id), &value).map_err(problem)?;
            let Some(parent) = repo::org::info(&state.db, &value).await.map_err(db_error)? else {
                return Err(problem(OrgProblem::ParentMissing));
            };
            let siblings = sibling_names(ctx, &parent.id, Some(&org.id)).await?;
            let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
            check_name(&org.name, &names).map_err(problem)?;
            if kind == OrgKind::Group {
                let n = repo::org::active_members(&state.db, &org.id)
                    .await
                    .map_err(db_error)?;
                if n > 0 {
                    return Err(problem(OrgProblem::HasMembers(n)));
                }
            }
            if reason.is_empty() {
                return Err(problem(OrgProblem::ReasonMissing));
            }
            let from = match &org.parent {
                Some(p) => repo::org::info(&state.db, &key_string(p))
                    .await
                    .map_err(db_error)?
                    .map(|i| i.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let what = OrgHistory::Moved {
                from,
                to: parent.name,
            };
            (OrgUpdate::Move(value), what)
        }
        "dissolve" => {
            if kind == OrgKind::Committee {
                return Err(problem(OrgProblem::Root));
            }
            let children = sibling_names(ctx, &org.id, None).await?;
            if !children.is_empty() {
                return Err(problem(OrgProblem::HasChildren(children.len() as u32)));
            }
            let n = repo::org::active_members(&state.db, &org.id)
                .await
                .map_err(db_error)?;
            if n > 0 {
                return Err(problem(OrgProblem::HasMembers(n)));
            }
            if reason.is_empty() {
                return Err(problem(OrgProblem::ReasonMissing));
            }
            let what = OrgHistory::Dissolved {
                name: org.name.clone(),
            };
            (OrgUpdate::Dissolve, what)
        }
        _ => return Err(invalid("action", lang.t(T::OrgActionUnknown).into())),
    };
    commit_change(ctx, &org, update, what, reason).await
}

/// A branch's departments or the start of its committee's term (the term ends three
/// years later).
pub async fn update_branch(ctx: &Ctx, input: OrgChange) -> Result<(), AppError> {
    let lang = ctx.lang;
    let org = scope::record::org(ctx, input.id.trim()).await?;
    let kind = org.kind;
    if !matches!(kind, OrgKind::Branch | OrgKind::GeneralBranch) {
        return Err(invalid("id", lang.t(T::OrgNotBranch).into()));
    }
    let reason = clip(&input.reason, 200);
    let (update, what) = match input.action.trim() {
        "departments" => {
            let list = parse_departments(&input.value);
            let what = OrgHistory::Departments { list: list.clone() };
            (OrgUpdate::Departments(list), what)
        }
        "term" => {
            let Ok(start) = input.value.trim().parse::<NaiveDate>() else {
                return Err(invalid("value", lang.t(T::OrgTermDateInvalid).into()));
            };
            if start > ctx.today() {
                return Err(invalid("value", lang.t(T::OrgTermFuture).into()));
            }
            let end = term_end(start);
            (OrgUpdate::Term(start, end), OrgHistory::Term { start, end })
        }
        _ => return Err(invalid("action", lang.t(T::OrgActionUnknown).into())),
    };
    commit_change(ctx, &org, update, what, reason).await
}

/// Writes the update, the organisation's history line and the audit entry in one
/// transaction.
async fn commit_change(
    ctx: &Ctx,
    org: &OrgInfo,
    update: OrgUpdate,
    what: OrgHistory,
    reason: String,
) -> Result<(), AppError> {
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("org", key_string(&org.id))
        .summary(what.summary());
    let change = repo::org::change(org.id.clone(), update, what, reason, ctx.stamp());
    ctx.commit(&event, &change).await
}

/// Gives a member a position in their branch, or makes them an ordinary member again.
pub async fn assign_seat(ctx: &Ctx, input: SeatAssign) -> Result<(), AppError> {
    let lang = ctx.lang;
    let Some(position) = Position::parse(input.position.trim()) else {
        return Err(invalid("position", lang.t(T::SeatUnknown).into()));
    };
    let row = scope::record::member(ctx, input.member.trim()).await?;
    let count = repo::org::active_members(&ctx.state.db, &row.org)
        .await
        .map_err(db_error)?;
    if position != Position::Member
        && position != Position::GroupLeader
        && !seat_allowed(position, count)
    {
        return Err(invalid("position", lang.t(T::SeatNeedsCommittee(count))));
    }
    if position == Position::GroupLeader && row.party_group.is_none() {
        return Err(invalid("position", lang.t(T::SeatNoGroup).into()));
    }
    let old = row.position;
    let dual = position == Position::Secretary && input.dual_leader;
    if old == position && dual == row.dual_leader {
        return Err(invalid("position", lang.t(T::SeatUnchanged).into()));
    }
    let reason = clip(&input.reason, 200);
    let detail = format!("position: {} → {}", old.as_str(), position.as_str());
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("member", key_string(&row.id))
        .summary(detail.clone());
    let seat = Seat {
        seat: OrgHistory::Seat {
            member: row.name.clone(),
            from: old.as_str().into(),
            to: position.as_str().into(),
        },
        branch: row.org,
        member: row.id,
        position,
        dual_leader: dual,
        what: crate::models::member::History::Position {
            from: old.as_str().into(),
            to: position.as_str().into(),
        },
    };
    ctx.commit(&event, &repo::org::assign_seat(seat, reason, ctx.stamp()))
        .await
}
