//! Orchestration behind the required-learning server functions (`crate::api::required`,
//! issue 15).
//!
//! Who may do what follows the courses (`service::learning`): a requirement is set,
//! changed and withdrawn by whoever publishes courses for its organisation, for
//! organisations at or below it and active members of those, and asks for a course, one
//! item of a course, or an exam those members can read. Its completion is seen by those who set it and by each
//! branch's committee, each for the members in their reach; a member sees their own
//! standing.
//! Completion is read from progress and attempts, never reported.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action, china_offset};
use crate::models::closed_loop::{InboxItem, InboxKind};
use crate::models::org::is_valid_key;
use crate::models::page_start;
use crate::models::required::{
    BranchDone, MemberDone, MyRequirement, REQUIRED_PAGE, RequiredChoice, RequiredKind,
    RequiredPage, RequiredProblem, RequirementInput, RequirementRow, RequirementView, Standing,
    check_requirement, standing,
};
use crate::server::audit::Event;
use crate::server::repo::required::{Owing, RequirementDb};
use crate::server::scope::{OrgStructure, Reach};
use crate::server::service::learning::{can_edit, member, publishers};
use crate::server::service::quiz::publisher_org;
use crate::server::{Ctx, Db, db_error, fail, invalid, key_string, new_key, repo};

fn problem(ctx: &Ctx, p: RequiredProblem) -> AppError {
    invalid(p.field(), ctx.lang.t(p.text()).to_string())
}

/// The organisations at or below `targets`, as records.
fn below(structure: &OrgStructure, targets: &[RecordId]) -> Vec<RecordId> {
    let roots: Vec<String> = targets.iter().map(key_string).collect();
    structure
        .subtrees(&roots)
        .iter()
        .flat_map(|root| root.walk())
        .map(|n| RecordId::new("org", n.id.as_str()))
        .collect()
}

/// The day (China time) each member who is done with `r` was done.
async fn done_days(db: &Db, r: &RequirementDb) -> Result<HashMap<RecordId, NaiveDate>, AppError> {
    let (kind, what) = r.what();
    let Some(what) = what else {
        return Ok(HashMap::new());
    };
    Ok(repo::required::done(db, kind, what.clone())
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|(m, at)| (m, at.with_timezone(&china_offset()).date_naive()))
        .collect())
}

/// The active members who owe `r`: those of the organisations it is for (and below them)
/// and those it names while they belong at or below its organisation, each once, counted
/// under their own organisation.
async fn owing(
    db: &Db,
    structure: &OrgStructure,
    r: &RequirementDb,
    reach: impl Fn(&str) -> bool,
) -> surrealdb::Result<Vec<Owing>> {
    let orgs: Vec<RecordId> = below(structure, &r.targets)
        .into_iter()
        .filter(|o| reach(&key_string(o)))
        .collect();
    let mut owing = if orgs.is_empty() {
        Vec::new()
    } else {
        repo::required::members_of(db, orgs).await?
    };
    let setter = [key_string(&r.org)];
    for m in repo::required::named(db, r.members.clone()).await? {
        let org = key_string(&m.org);
        if reach(&org) && structure.within(&setter, &org) && !owing.iter().any(|o| o.id == m.id) {
            owing.push(m);
        }
    }
    Ok(owing)
}

/// The members who owe `r` among the organisations `reach` allows, with where each stands
/// on `today`.
async fn standings(
    db: &Db,
    structure: &OrgStructure,
    r: &RequirementDb,
    reach: impl Fn(&str) -> bool,
    today: NaiveDate,
) -> Result<Vec<(Owing, Standing)>, AppError> {
    let owing = owing(db, structure, r, reach).await.map_err(db_error)?;
    if owing.is_empty() {
        return Ok(Vec::new());
    }
    let done = done_days(db, r).await?;
    Ok(owing
        .into_iter()
        .map(|m| {
            let s = standing(done.get(&m.id).copied(), r.due, today);
            (m, s)
        })
        .collect())
}

fn row(ctx: &Ctx, r: &RequirementDb, done: u32, total: u32) -> RequirementRow {
    let (kind, what) = r.what();
    RequirementRow {
        id: key_string(&r.id),
        title: r.title.clone(),
        org_name: r.org_name.clone().unwrap_or_default(),
        kind,
        what: what.map(key_string).unwrap_or_default(),
        what_title: r.what_title.clone().unwrap_or_default(),
        targets: r.target_names.iter().flatten().cloned().collect(),
        target_keys: r.targets.iter().map(key_string).collect(),
        members: r
            .member_names
            .iter()
            .zip(&r.member_org_names)
            .map(|(name, org)| {
                let name = name.clone().unwrap_or_default();
                match org {
                    Some(org) => format!("{name} · {org}"),
                    None => name,
                }
            })
            .collect(),
        member_keys: r.members.iter().map(key_string).collect(),
        due: r.due.format("%Y-%m-%d").to_string(),
        done,
        total,
        editable: can_edit(ctx, &r.org),
    }
}

/// The organisations a manager's list covers, as `(reach, watched)`: those in reach, and
/// those and every one above them (a requirement addressed to the whole hospital concerns
/// each branch). `None`: all.
fn watched_orgs(ctx: &Ctx, structure: &OrgStructure) -> Option<(Vec<RecordId>, Vec<RecordId>)> {
    let records = |orgs: &[String]| -> Vec<RecordId> {
        orgs.iter()
            .map(|o| RecordId::new("org", o.as_str()))
            .collect()
    };
    match &ctx.scope.reach {
        Reach::All => None,
        Reach::Subtrees(roots) => {
            let mut reach: Vec<String> = structure
                .subtrees(roots)
                .iter()
                .flat_map(|root| root.walk())
                .map(|n| n.id.clone())
                .collect();
            reach.sort();
            reach.dedup();
            let mut watched = reach.clone();
            watched.extend(structure.upward(roots));
            watched.sort();
            watched.dedup();
            Some((records(&reach), records(&watched)))
        }
        _ => Some((Vec::new(), Vec::new())),
    }
}

/// Whether a member of `org` (with `up`, it and the organisations above it) owes `r`,
/// found addressed to one of `up` or naming them: named, only while they belong at or
/// below the organisation that set it (as [`owing`] counts them).
fn owes(structure: &OrgStructure, r: &RequirementDb, up: &[RecordId], org: &str) -> bool {
    r.targets.iter().any(|t| up.contains(t)) || structure.within(&[key_string(&r.org)], org)
}

/// What the caller owes (as a member), and one page of what they set or watch (as a
/// committee or the office) with its completion in their reach.
pub async fn list(ctx: &Ctx, page: u32) -> Result<RequiredPage, AppError> {
    let db = &ctx.state.db;
    let today = ctx.today();
    let page = page.max(1);
    let structure = ctx.structure().await?;
    let mut out = RequiredPage {
        page,
        today: today.format("%Y-%m-%d").to_string(),
        ..RequiredPage::default()
    };
    if let (Some(me), Some(org)) = (member(ctx), ctx.caller.member_org.clone()) {
        let up: Vec<RecordId> = structure
            .upward(std::slice::from_ref(&org))
            .iter()
            .map(|o| RecordId::new("org", o.as_str()))
            .collect();
        for r in repo::required::addressed_to(db, up.clone(), me.clone())
            .await
            .map_err(db_error)?
        {
            if !owes(&structure, &r, &up, &org) {
                continue;
            }
            let (kind, what) = r.what();
            let done = repo::required::done_by(db, kind, what.cloned(), me.clone())
                .await
                .map_err(db_error)?
                .map(|at| at.with_timezone(&china_offset()).date_naive());
            out.mine.push(MyRequirement {
                id: key_string(&r.id),
                title: r.title.clone(),
                org_name: r.org_name.clone().unwrap_or_default(),
                kind,
                href: kind.href(&what.map(key_string).unwrap_or_default()),
                due: r.due.format("%Y-%m-%d").to_string(),
                standing: standing(done, r.due, today),
            });
        }
        // Not done first, then by deadline.
        out.mine
            .sort_by_key(|m| (m.standing.is_done(), m.due.clone()));
    }
    if matches!(ctx.scope.reach, Reach::Nothing) {
        return Ok(out);
    }
    let orgs = watched_orgs(ctx, &structure);
    let (rows, total) = repo::required::watched(
        db,
        orgs.clone(),
        page_start(page, REQUIRED_PAGE),
        i64::from(REQUIRED_PAGE),
    )
    .await
    .map_err(db_error)?;
    for r in &rows {
        let all = standings(db, &structure, r, |o| ctx.scope.org(o), today).await?;
        let done = all.iter().filter(|(_, s)| s.is_done()).count();
        out.set.push(row(
            ctx,
            r,
            u32::try_from(done).unwrap_or(0),
            u32::try_from(all.len()).unwrap_or(0),
        ));
    }
    out.total = u32::try_from(total).unwrap_or(0);
    out.publishers = publishers(ctx).await?;
    if !out.publishers.is_empty() {
        let (courses, exams) = repo::required::choices(db, orgs.map(|(_, watched)| watched))
            .await
            .map_err(db_error)?;
        let label = |kind: RequiredKind, c: &repo::required::ChoiceDb| RequiredChoice {
            value: format!("{}:{}", kind.as_str(), key_string(&c.id)),
            label: format!(
                "{}：{}（{}）",
                ctx.lang.t(kind.label()),
                c.title,
                c.org_name.clone().unwrap_or_default()
            ),
        };
        out.choices = courses
            .iter()
            .map(|c| label(RequiredKind::Course, c))
            .chain(exams.iter().map(|e| label(RequiredKind::Exam, e)))
            .collect();
    }
    Ok(out)
}

/// The requirement `id` if the caller may see its completion (and whether they may
/// change it): those who set it, and the committees of the organisations it is for and
/// of the members it names.
async fn watched(ctx: &Ctx, id: &str) -> Result<(RequirementDb, bool), AppError> {
    if id.is_empty() {
        return Err(invalid(
            "requirement",
            ctx.lang.t(T::RqErrWhich).to_string(),
        ));
    }
    let found = if is_valid_key(id) {
        repo::required::find(&ctx.state.db, id)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let Some(r) = found else {
        return Err(if ctx.scope.is_all() {
            fail(AppError::NotFound)
        } else {
            ctx.deny("requirement", id).await
        });
    };
    if can_edit(ctx, &r.org) {
        return Ok((r, true));
    }
    let structure = ctx.structure().await?;
    if below(&structure, &r.targets)
        .iter()
        .chain(r.member_orgs.iter().flatten())
        .any(|o| ctx.scope.org(&key_string(o)))
    {
        Ok((r, false))
    } else {
        Err(ctx.deny("requirement", id).await)
    }
}

/// A requirement with its completion among the members in the caller's reach, by
/// organisation and by member (not done first, then by name).
pub async fn get(ctx: &Ctx, id: &str) -> Result<RequirementView, AppError> {
    let (r, _) = watched(ctx, id.trim()).await?;
    let structure = ctx.structure().await?;
    let mut all = standings(
        &ctx.state.db,
        &structure,
        &r,
        |o| ctx.scope.org(o),
        ctx.today(),
    )
    .await?;
    let mut branches: Vec<BranchDone> = Vec::new();
    for (m, s) in &all {
        let org = key_string(&m.org);
        let at = match branches.iter().position(|b| b.org == org) {
            Some(at) => at,
            None => {
                branches.push(BranchDone {
                    org,
                    name: m.org_name.clone(),
                    done: 0,
                    total: 0,
                    overdue: 0,
                });
                branches.len() - 1
            }
        };
        branches[at].total += 1;
        if s.is_done() {
            branches[at].done += 1;
        }
        if s.overdue {
            branches[at].overdue += 1;
        }
    }
    all.sort_by(|(a, sa), (b, sb)| {
        (sa.is_done(), !sa.overdue, &a.name).cmp(&(sb.is_done(), !sb.overdue, &b.name))
    });
    let done = all.iter().filter(|(_, s)| s.is_done()).count();
    let row = row(
        ctx,
        &r,
        u32::try_from(done).unwrap_or(0),
        u32::try_from(all.len()).unwrap_or(0),
    );
    Ok(RequirementView {
        href: row.kind.href(&row.what),
        row,
        branches,
        members: all
            .into_iter()
            .map(|(m, s)| MemberDone {
                id: key_string(&m.id),
                name: m.name,
                org_name: m.org_name,
                standing: s,
            })
            .collect(),
    })
}

/// Sets a requirement or changes one (its title, organisations, members and deadline;
/// what it asks for stays). Returns its key.
pub async fn save(ctx: &Ctx, input: RequirementInput) -> Result<String, AppError> {
    let mut valid = check_requirement(&input, ctx.today()).map_err(|p| problem(ctx, p))?;
    // The members a changed requirement named already.
    let mut before: Vec<RecordId> = Vec::new();
    let (key, new, org) = if valid.id.is_empty() {
        let org = publisher_org(ctx, &valid.org).await?;
        (new_key("rq"), true, org)
    } else {
        let (r, editable) = watched(ctx, &valid.id).await?;
        if !editable {
            return Err(ctx.deny("requirement", &valid.id).await);
        }
        let (kind, what) = r.what();
        valid.kind = kind;
        valid.what = what.map(key_string).unwrap_or_default();
        if valid.title.is_empty() {
            valid.title = r.title.clone();
        }
        before = r.members.clone();
        (key_string(&r.id), false, r.org)
    };
    valid.org = key_string(&org);
    let structure = ctx.structure().await?;
    let root = [valid.org.clone()];
    if !valid.targets.iter().all(|t| structure.within(&root, t)) {
        return Err(invalid(
            "targets",
            ctx.lang.t(T::RqErrTargetOutside).to_string(),
        ));
    }
    // Members named individually: active, of the setting organisation or one below it
    // (refused as organisations outside are: the field named, nothing stored). One named
    // already who has since left or is no longer active is dropped, so that the rest can
    // still change.
    let named = repo::required::named(
        &ctx.state.db,
        valid
            .members
            .iter()
            .map(|m| RecordId::new("member", m.as_str()))
            .collect(),
    )
    .await
    .map_err(db_error)?;
    let mut members = Vec::with_capacity(valid.members.len());
    for key in std::mem::take(&mut valid.members) {
        let id = RecordId::new("member", key.as_str());
        if named
            .iter()
            .any(|m| m.id == id && structure.within(&root, &key_string(&m.org)))
        {
            members.push(key);
        } else if !before.contains(&id) {
            return Err(invalid(
                "members",
                ctx.lang.t(T::RqErrMemberOutside).to_string(),
            ));
        }
    }
    valid.members = members;
    if valid.targets.is_empty() && valid.members.is_empty() {
        return Err(problem(ctx, RequiredProblem::Targets));
    }
    // What is asked for must be readable by the members it is asked of: published, of the
    // setting organisation or one above it (an item: its course).
    let readable = structure.upward(&root);
    let found = repo::required::what(&ctx.state.db, valid.kind, &valid.what)
        .await
        .map_err(db_error)?;
    let Some((_, what_title)) = found.filter(|(o, _)| readable.contains(&key_string(o))) else {
        return Err(invalid("what", ctx.lang.t(T::RqErrNotReadable).to_string()));
    };
    if valid.title.is_empty() {
        valid.title = crate::models::clip(&what_title, crate::models::required::TITLE_MAX);
    }
    let event = Event::new(
        if new { action::CREATE } else { action::UPDATE },
        Outcome::Success,
    )
    .on("requirement", key.clone())
    .summary(valid.title.clone());
    let change = repo::required::save(key.clone(), new, valid, ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// Withdraws a requirement (the members' progress and attempts stay).
pub async fn delete(ctx: &Ctx, id: &str) -> Result<(), AppError> {
    let (r, editable) = watched(ctx, id.trim()).await?;
    if !editable {
        return Err(ctx.deny("requirement", id).await);
    }
    let key = key_string(&r.id);
    let event = Event::new(action::DELETE, Outcome::Success)
        .on("requirement", key.clone())
        .summary(r.title.clone());
    ctx.commit(&event, &repo::required::delete(key)).await
}

/// How many days ahead a requirement not done shows in the member's 待办.
const INBOX_DAYS: u64 = 14;

/// The caller's required learning in their 待办: each requirement not done whose deadline
/// is within [`INBOX_DAYS`] or passed. Returns the items and how many are overdue.
pub async fn inbox(ctx: &Ctx) -> Result<(Vec<InboxItem>, i64), AppError> {
    let (Some(me), Some(org)) = (member(ctx), ctx.caller.member_org.clone()) else {
        return Ok((Vec::new(), 0));
    };
    let db = &ctx.state.db;
    let today = ctx.today();
    let structure = ctx.structure().await?;
    let up: Vec<RecordId> = structure
        .upward(std::slice::from_ref(&org))
        .iter()
        .map(|o| RecordId::new("org", o.as_str()))
        .collect();
    let mut items = Vec::new();
    let mut overdue = 0;
    for r in repo::required::addressed_to(db, up.clone(), me.clone())
        .await
        .map_err(db_error)?
    {
        if !owes(&structure, &r, &up, &org) {
            continue;
        }
        if r.due > today + Days::new(INBOX_DAYS) {
            continue;
        }
        let (kind, what) = r.what();
        let done = repo::required::done_by(db, kind, what.cloned(), me.clone())
            .await
            .map_err(db_error)?;
        if done.is_some() {
            continue;
        }
        let late = r.due < today;
        overdue += i64::from(late);
        items.push(InboxItem {
            kind: InboxKind::Required,
            title: r.title.clone(),
            org_name: r.org_name.clone().unwrap_or_default(),
            deadline: r.due,
            overdue: late,
            href: kind.href(&what.map(key_string).unwrap_or_default()),
        });
    }
    Ok((items, overdue))
}

/// For the reminder job: each requirement due from `from` to `to` with the members (in
/// every organisation it is for, and those it names) not done.
pub async fn owed(
    db: &Db,
    structure: &OrgStructure,
    from: NaiveDate,
    to: NaiveDate,
) -> surrealdb::Result<Vec<(RequirementDb, Vec<RecordId>)>> {
    let mut out = Vec::new();
    for r in repo::required::due_between(db, from, to).await? {
        let owing = owing(db, structure, &r, |_| true).await?;
        let (kind, what) = r.what();
        let done: Vec<RecordId> = match what {
            Some(w) => repo::required::done(db, kind, w.clone())
                .await?
                .into_iter()
                .map(|(m, _)| m)
                .collect(),
            None => Vec::new(),
        };
        let left = owing
            .into_iter()
            .map(|m| m.id)
            .filter(|m| !done.contains(m))
            .collect();
        out.push((r, left));
    }
    Ok(out)
}
