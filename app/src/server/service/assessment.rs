//! Orchestration behind the closed loop's server functions (`crate::api::assessment`):
//! 任务发布 → 执行 → 评价 → 整改 and the roll-up into branch scores.
//!
//! Every transition is checked twice: here by the state machines of
//! `models::assessment` (a refusal names the rule), and inside the write's transaction by a
//! guard on the state that was read (`server::GUARD`), so that two people acting on the
//! same record at once cannot both win.

use std::collections::HashMap;

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use crate::access::Role;
use crate::error::AppError;
use crate::i18n::T;
use crate::models::assessment::{
    AssignmentAction, AssignmentStatus, Hundredths, IndicatorDraft, ItemDraft, PeriodStatus,
    RectificationAction, RectificationStatus, Rollup, StarThresholds, TaskAction, TaskStatus,
    check_tree, overdue, parse_points, show_points,
};
use crate::models::audit::{Outcome, action};
use crate::models::closed_loop::*;
use crate::models::org::{OrgKind, OrgNode, is_valid_key};
use crate::models::points::PointRule;
use crate::server::audit::Event;
use crate::server::repo::assessment as repo;
use crate::server::repo::assessment::{LinkRow, TaskRow};
use crate::server::scope::OrgStructure;
use crate::server::{AppState, Ctx, clip, db_error, fail, invalid, key_string, new_key};

fn refuse(ctx: &Ctx, p: LoopProblem) -> AppError {
    invalid(p.field(), p.message(ctx.lang))
}

fn illegal(ctx: &Ctx, i: crate::models::assessment::Illegal) -> AppError {
    invalid("action", i.message(ctx.lang))
}

/// A guard's refusal put into words: someone else changed the record first.
fn conflict(ctx: &Ctx, e: AppError) -> AppError {
    match e {
        AppError::Conflict { message } if message == "reviewed" => fail(AppError::Conflict {
            message: LoopProblem::AlreadyReviewed.message(ctx.lang),
        }),
        AppError::Conflict { .. } => fail(AppError::Conflict {
            message: ctx.lang.t(T::AsChangedMeanwhile).to_string(),
        }),
        other => other,
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn id(table: &str, key: &str) -> RecordId {
    RecordId::new(table, key)
}

fn office(ctx: &Ctx) -> bool {
    ctx.caller.roles.contains(&Role::CommitteeOffice)
}

/// Whether the caller sits on the committee of `org` or of an organisation above it: the
/// side that answers for it.
fn answers_for(ctx: &Ctx, structure: &OrgStructure, org: &str) -> bool {
    ctx.caller.roles.contains(&Role::BranchCommittee) && structure.within(&ctx.caller.orgs, org)
}

/// The caller's own member record, as a record id (an account linked to a member).
fn me(ctx: &Ctx) -> Option<RecordId> {
    ctx.caller.member.as_deref().map(|m| id("member", m))
}

/// Whether the caller answers an assignment: the member it is to, or for a branch's
/// assignment the branch's committee (not the general branch that issued the task).
fn answers(ctx: &Ctx, structure: &OrgStructure, row: &repo::AssignmentRow) -> bool {
    match &row.member {
        Some(member) => me(ctx).as_ref() == Some(member),
        None => {
            answers_for(ctx, structure, &key_string(&row.org))
                && !issued_by_caller(ctx, structure, row.issuer.as_ref())
        }
    }
}

/// The general branches (党总支) whose committee the caller sits on: the organisations
/// the caller issues tasks for, to the branches below them.
fn issuing_orgs(ctx: &Ctx, structure: &OrgStructure) -> Vec<String> {
    if !ctx.caller.roles.contains(&Role::BranchCommittee) {
        return Vec::new();
    }
    let all = nodes(structure);
    ctx.caller
        .orgs
        .iter()
        .filter(|o| {
            all.get(*o)
                .is_some_and(|n| n.kind == OrgKind::GeneralBranch)
        })
        .cloned()
        .collect()
}

/// [`issuing_orgs`] as record ids, for queries.
async fn issuing_ids(ctx: &Ctx) -> Result<Vec<RecordId>, AppError> {
    Ok(issuing_orgs(ctx, &*ctx.structure().await?)
        .iter()
        .map(|o| id("org", o))
        .collect())
}

/// Whether the caller issues tasks: the office, or a general branch's committee.
pub async fn issues_tasks(ctx: &Ctx) -> Result<bool, AppError> {
    Ok(office(ctx) || !issuing_orgs(ctx, &*ctx.structure().await?).is_empty())
}

/// Whether the caller sits on the committee of the general branch that issued a task
/// (`issuer`; `None` is the office's).
fn issued_by_caller(ctx: &Ctx, structure: &OrgStructure, issuer: Option<&RecordId>) -> bool {
    issuer.is_some_and(|o| {
        ctx.caller.roles.contains(&Role::BranchCommittee)
            && structure.within(&ctx.caller.orgs, &key_string(o))
    })
}

/// Whether the caller manages a task (edits, publishes, withdraws, extends it and reviews
/// its answers): the office every task, a general branch's committee the tasks it issued.
fn manages(ctx: &Ctx, structure: &OrgStructure, issuer: Option<&RecordId>) -> bool {
    office(ctx) || issued_by_caller(ctx, structure, issuer)
}

/// Every organisation by key.
fn nodes(structure: &OrgStructure) -> HashMap<String, &OrgNode> {
    structure
        .forest()
        .iter()
        .flat_map(|root| root.walk())
        .map(|n| (n.id.clone(), n))
        .collect()
}

fn summary(row: repo::PeriodRow) -> PeriodSummary {
    let mut stars = StarThresholds::default();
    for (slot, value) in stars.0.iter_mut().zip(row.stars) {
        *slot = Hundredths::try_from(value).unwrap_or(0);
    }
    PeriodSummary {
        id: key_string(&row.id),
        name: row.name,
        starts: row.starts,
        ends: row.ends,
        status: row.status,
        stars,
    }
}

fn points(v: i64) -> Hundredths {
    Hundredths::try_from(v.max(0)).unwrap_or(0)
}

fn tree(rows: Vec<repo::IndicatorRow>) -> Vec<IndicatorView> {
    let mut out: Vec<IndicatorView> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        if row.parent.is_none() {
            index.insert(key_string(&row.id), out.len());
            out.push(IndicatorView {
                id: key_string(&row.id),
                name: row.name.clone(),
                weight: u32::try_from(row.weight).unwrap_or(0),
                dimension: row.dimension,
                items: Vec::new(),
            });
        }
    }
    for row in rows {
        if let Some(i) = row.parent.as_ref().and_then(|p| index.get(&key_string(p))) {
            out[*i].items.push(ItemView {
                id: key_string(&row.id),
                name: row.name,
                max: points(row.max),
                guidance: row.guidance,
            });
        }
    }
    out
}

async fn period_row(ctx: &Ctx, key: &str) -> Result<repo::PeriodRow, AppError> {
    let found = if is_valid_key(key.trim()) {
        repo::period(&ctx.state.db, key.trim())
            .await
            .map_err(db_error)?
    } else {
        None
    };
    found.ok_or_else(|| fail(AppError::NotFound))
}

async fn period_tree(state: &AppState, period: &RecordId) -> Result<Vec<IndicatorView>, AppError> {
    Ok(tree(
        repo::indicators(&state.db, period)
            .await
            .map_err(db_error)?,
    ))
}

/// Every assessment period, newest first.
pub async fn list_periods(ctx: &Ctx) -> Result<Vec<PeriodSummary>, AppError> {
    let rows = repo::periods(&ctx.state.db).await.map_err(db_error)?;
    Ok(rows.into_iter().map(summary).collect())
}

/// A period with its indicator tree.
pub async fn get_period(ctx: &Ctx, key: &str) -> Result<PeriodView, AppError> {
    let row = period_row(ctx, key).await?;
    let indicators = period_tree(&ctx.state, &row.id).await?;
    let fixed = row.status == PeriodStatus::Closed
        || repo::period_has_tasks(&ctx.state.db, &row.id)
            .await
            .map_err(db_error)?;
    Ok(PeriodView {
        period: summary(row),
        indicators,
        fixed,
    })
}

/// Creates a period with its indicator tree (typed, or copied from another period) and
/// its star thresholds; with `input.id`, replaces all of them in an open period no task
/// counts toward yet (checked again inside the transaction).
pub async fn save_period(ctx: &Ctx, input: PeriodInput) -> Result<String, AppError> {
    let existing = if input.id.trim().is_empty() {
        None
    } else {
        let row = period_row(ctx, input.id.trim()).await?;
        if row.status == PeriodStatus::Closed {
            return Err(refuse(ctx, LoopProblem::PeriodClosed));
        }
        if repo::period_has_tasks(&ctx.state.db, &row.id)
            .await
            .map_err(db_error)?
        {
            return Err(refuse(ctx, LoopProblem::TreeInUse));
        }
        Some(row)
    };
    let name = clip(&input.name, 60);
    if name.is_empty() {
        return Err(refuse(ctx, LoopProblem::NameMissing));
    }
    let (Some(starts), Some(ends)) = (date(&input.starts), date(&input.ends)) else {
        return Err(refuse(ctx, LoopProblem::DatesInvalid));
    };
    if ends < starts {
        return Err(refuse(ctx, LoopProblem::DatesInvalid));
    }
    let stars = if input.stars.trim().is_empty() {
        StarThresholds::default()
    } else {
        parse_stars(&input.stars)
            .ok_or_else(|| invalid("stars", ctx.lang.t(T::AsStarsOrder).to_string()))?
    };
    let drafts: Vec<IndicatorDraft> = if input.tree.trim().is_empty() {
        let source = period_row(ctx, &input.copy_from)
            .await
            .map_err(|_| refuse(ctx, LoopProblem::TreeInvalid))?;
        period_tree(&ctx.state, &source.id)
            .await?
            .into_iter()
            .map(|ind| IndicatorDraft {
                name: ind.name,
                weight: ind.weight,
                dimension: ind.dimension,
                items: ind
                    .items
                    .into_iter()
                    .map(|item| ItemDraft {
                        name: item.name,
                        max_points: item.max / 100,
                        guidance: item.guidance,
                    })
                    .collect(),
            })
            .collect()
    } else {
        serde_json::from_str(&input.tree).map_err(|_| refuse(ctx, LoopProblem::TreeInvalid))?
    };
    check_tree(&drafts).map_err(|p| invalid("tree", p.message(ctx.lang)))?;
    let key = existing
        .as_ref()
        .map_or_else(|| new_key("p"), |row| key_string(&row.id));
    let period = id("period", &key);
    let mut rows = Vec::new();
    let mut ord = 0;
    for ind in drafts {
        let parent = id("indicator", &new_key("i"));
        ord += 1;
        rows.push(repo::IndicatorInsert {
            id: parent.clone(),
            period: period.clone(),
            parent: None,
            name: ind.name.trim().to_string(),
            weight: i64::from(ind.weight),
            dimension: ind.dimension,
            max: 0,
            guidance: String::new(),
            ord,
        });
        for item in ind.items {
            ord += 1;
            rows.push(repo::IndicatorInsert {
                id: id("indicator", &new_key("i")),
                period: period.clone(),
                parent: Some(parent.clone()),
                name: item.name.trim().to_string(),
                weight: 0,
                dimension: ind.dimension,
                max: i64::from(item.max_points) * 100,
                guidance: item.guidance.trim().to_string(),
                ord,
            });
        }
    }
    let verb = if existing.is_some() {
        action::UPDATE
    } else {
        action::CREATE
    };
    let event = Event::new(verb, Outcome::Success)
        .on("period", key.clone())
        .summary(format!("period {name}, {} indicators", rows.len()));
    let period = repo::PeriodWrite {
        id: period,
        name,
        starts,
        ends,
        stars: stars.0.iter().map(|h| i64::from(*h)).collect(),
    };
    let change = if existing.is_some() {
        repo::replace_period(period, rows)
    } else {
        repo::create_period(period, rows, ctx.stamp())
    };
    ctx.commit(&event, &change).await.map_err(|e| match e {
        AppError::Conflict { message } if message == "tree_in_use" => {
            refuse(ctx, LoopProblem::TreeInUse)
        }
        e => conflict(ctx, e),
    })?;
    Ok(key)
}

/// Closes an open period: read-only from then on.
pub async fn close_period(ctx: &Ctx, key: &str) -> Result<(), AppError> {
    let row = period_row(ctx, key).await?;
    if row.status == PeriodStatus::Closed {
        return Err(refuse(ctx, LoopProblem::PeriodClosed));
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("period", key_string(&row.id))
        .summary(format!("closed {}", row.name));
    ctx.commit(&event, &repo::close_period(&row.id))
        .await
        .map_err(|e| conflict(ctx, e))
}

/// The organisations the caller's tasks and queues are limited to (`None`: all).
fn reach(ctx: &Ctx) -> Option<Vec<RecordId>> {
    ctx.scope.orgs("").unwrap_or(Some(Vec::new()))
}

/// A member who sits on no committee: their own assignments are all they see.
fn own_only(ctx: &Ctx) -> Option<RecordId> {
    super::files::member_only(ctx).then(|| me(ctx)).flatten()
}

/// What a task's counts cover: the caller's organisations, or a member's own assignments.
fn counted(ctx: &Ctx) -> (Option<Vec<RecordId>>, Option<RecordId>) {
    match own_only(ctx) {
        Some(m) => (None, Some(m)),
        None => (reach(ctx), None),
    }
}

fn counts_of(rows: &[repo::CountRow], task: Option<&RecordId>) -> TaskCounts {
    let mut c = TaskCounts::default();
    for r in rows.iter().filter(|r| task.is_none_or(|t| &r.task == t)) {
        let n = u32::try_from(r.n).unwrap_or(0);
        c.total += n;
        match r.status {
            s if s.awaits_target() => {
                c.open += n;
                if r.late {
                    c.overdue += n;
                }
            }
            AssignmentStatus::Submitted => c.submitted += n,
            AssignmentStatus::Accepted => c.accepted += n,
            _ => {}
        }
    }
    c
}

/// One page of tasks, nearest deadline first.
pub async fn list_tasks(ctx: &Ctx, query: TaskQuery) -> Result<TaskPage, AppError> {
    let orgs = reach(ctx);
    let period = (!query.period.trim().is_empty() && is_valid_key(query.period.trim()))
        .then(|| id("period", query.period.trim()));
    let status = TaskStatus::parse(query.status.trim());
    let page = query.page.max(1);
    let issuers = issuing_ids(ctx).await?;
    let (rows, total) = repo::tasks(
        &ctx.state.db,
        orgs.clone(),
        me(ctx),
        issuers,
        period,
        status,
        &clip(&query.q, 50),
        crate::models::page_start(page, QUEUE_PAGE_SIZE),
        i64::from(QUEUE_PAGE_SIZE),
    )
    .await
    .map_err(db_error)?;
    let ids: Vec<RecordId> = rows.iter().map(|r| r.id.clone()).collect();
    let (orgs, member) = counted(ctx);
    let counts = repo::task_counts(&ctx.state.db, ids, orgs, member, ctx.today())
        .await
        .map_err(db_error)?;
    Ok(TaskPage {
        tasks: rows
            .into_iter()
            .map(|r| TaskSummary {
                counts: counts_of(&counts, Some(&r.id)),
                id: key_string(&r.id),
                title: r.title,
                indicator: r.indicator_name,
                deadline: r.deadline,
                status: r.status,
            })
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: QUEUE_PAGE_SIZE,
    })
}

/// A task the caller may see: any for the office; a published or withdrawn one that went
/// to the caller's organisations for a branch committee, and every task a general
/// branch's committee issued.
async fn task_in_scope(ctx: &Ctx, key: &str) -> Result<TaskRow, AppError> {
    let key = key.trim();
    let found = if is_valid_key(key) {
        repo::task(&ctx.state.db, key).await.map_err(db_error)?
    } else {
        None
    };
    let structure = ctx.structure().await?;
    match found {
        Some(row)
            if ctx.scope.is_all()
                || issued_by_caller(ctx, &structure, row.issuer.as_ref())
                || (row.status != TaskStatus::Draft
                    && (row.targets.iter().any(|t| ctx.scope.org(&key_string(t)))
                        || me(ctx).is_some_and(|m| row.members.contains(&m)))) =>
        {
            Ok(row)
        }
        // A task to members is also their branches' committees' to read.
        Some(row) if row.status != TaskStatus::Draft && !row.members.is_empty() => {
            let members = repo::member_refs(&ctx.state.db, row.members.clone())
                .await
                .map_err(db_error)?;
            if members.iter().any(|m| ctx.scope.org(&key_string(&m.org))) {
                Ok(row)
            } else {
                Err(ctx.deny("task", key).await)
            }
        }
        None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
        _ => Err(ctx.deny("task", key).await),
    }
}

/// A task with its counts (within the caller's reach) and what the caller may do.
pub async fn get_task(ctx: &Ctx, key: &str) -> Result<TaskView, AppError> {
    let row = task_in_scope(ctx, key).await?;
    let structure = ctx.structure().await?;
    let names = nodes(&structure);
    let (orgs, member) = counted(ctx);
    let counts = repo::task_counts(
        &ctx.state.db,
        vec![row.id.clone()],
        orgs,
        member,
        ctx.today(),
    )
    .await
    .map_err(db_error)?;
    let members = repo::member_refs(&ctx.state.db, row.members.clone())
        .await
        .map_err(db_error)?;
    let actions = if manages(ctx, &structure, row.issuer.as_ref())
        && row.period_status == PeriodStatus::Open
    {
        TaskAction::ALL
            .iter()
            .copied()
            .filter(|a| row.status.next(*a).is_ok())
            .collect()
    } else {
        Vec::new()
    };
    Ok(TaskView {
        id: key_string(&row.id),
        period: key_string(&row.period),
        period_name: row.period_name,
        indicator: key_string(&row.indicator),
        indicator_name: row.indicator_name,
        max: points(row.max),
        guidance: row.guidance,
        title: row.title,
        body: row.body,
        targets: row
            .targets
            .iter()
            .map(|t| {
                let key = key_string(t);
                Target {
                    name: names.get(&key).map(|n| n.name.clone()).unwrap_or_default(),
                    id: key,
                }
            })
            .filter(|t| ctx.scope.org(&t.id))
            .collect(),
        members: members
            .into_iter()
            .filter(|m| ctx.scope.member(&key_string(&m.id), &key_string(&m.org)))
            .map(|m| Target {
                id: key_string(&m.id),
                name: m.name,
            })
            .collect(),
        starts: row.starts,
        deadline: row.deadline,
        need_text: row.need_text,
        min_links: u32::try_from(row.min_links).unwrap_or(0),
        min_photos: u32::try_from(row.min_photos).unwrap_or(0),
        min_files: u32::try_from(row.min_files).unwrap_or(0),
        status: row.status,
        reason: row.reason,
        attachments: attachment_views(row.attachments),
        counts: counts_of(&counts, None),
        actions,
    })
}

/// Creates a draft task or changes a draft.
pub async fn save_task(ctx: &Ctx, input: TaskInput) -> Result<String, AppError> {
    let existing = if input.id.trim().is_empty() {
        None
    } else {
        let row = task_in_scope(ctx, &input.id).await?;
        if !manages(ctx, &*ctx.structure().await?, row.issuer.as_ref()) {
            return Err(refuse(ctx, LoopProblem::NotIssuer));
        }
        row.status
            .next(TaskAction::Edit)
            .map_err(|i| illegal(ctx, i))?;
        Some(row)
    };
    let structure = ctx.structure().await?;
    // The office issues to every branch; a general branch to the branches below it.
    let issuer: Option<String> = match &existing {
        Some(row) => row.issuer.as_ref().map(key_string),
        None if office(ctx) => None,
        None => Some(
            issuing_orgs(ctx, &structure)
                .into_iter()
                .next()
                .ok_or_else(|| refuse(ctx, LoopProblem::NotIssuer))?,
        ),
    };
    let period = period_row(ctx, &input.period)
        .await
        .map_err(|_| refuse(ctx, LoopProblem::PeriodInvalid))?;
    if period.status == PeriodStatus::Closed {
        return Err(refuse(ctx, LoopProblem::PeriodClosed));
    }
    let items = period_tree(&ctx.state, &period.id).await?;
    let indicator = input.indicator.trim();
    if !items
        .iter()
        .flat_map(|i| i.items.iter())
        .any(|item| item.id == indicator)
    {
        return Err(refuse(ctx, LoopProblem::IndicatorInvalid));
    }
    let title = clip(&input.title, TITLE_MAX);
    if title.is_empty() {
        return Err(refuse(ctx, LoopProblem::TitleMissing));
    }
    let branches: Vec<&OrgNode> = nodes(&structure)
        .into_values()
        .filter(|n| n.kind == OrgKind::Branch)
        .filter(|n| {
            issuer
                .as_ref()
                .is_none_or(|o| structure.within(std::slice::from_ref(o), &n.id))
        })
        .collect();
    let mut targets: Vec<String> = if input.targets.trim().is_empty() {
        Vec::new()
    } else if input.targets.trim() == "all" {
        branches.iter().map(|n| n.id.clone()).collect()
    } else {
        let chosen: Vec<String> = input
            .targets
            .split([',', '，', ' ', '\n'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if chosen.iter().any(|t| !branches.iter().any(|b| &b.id == t)) {
            return Err(refuse(ctx, LoopProblem::TargetsMissing));
        }
        chosen
    };
    targets.sort();
    targets.dedup();
    // Members, each of a branch the issuer reaches.
    let mut keys: Vec<&str> = input
        .members
        .split([',', '，', ' ', '\n'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.len() > MEMBERS_MAX || !keys.iter().all(|k| is_valid_key(k)) {
        return Err(refuse(ctx, LoopProblem::MembersInvalid));
    }
    let members = repo::member_refs(
        &ctx.state.db,
        keys.iter().map(|k| id("member", k)).collect(),
    )
    .await
    .map_err(db_error)?;
    let reachable = |org: &RecordId| {
        issuer
            .as_ref()
            .is_none_or(|o| structure.within(std::slice::from_ref(o), &key_string(org)))
    };
    if members.len() != keys.len() || !members.iter().all(|m| reachable(&m.org)) {
        return Err(refuse(ctx, LoopProblem::MembersInvalid));
    }
    if targets.is_empty() && members.is_empty() {
        return Err(refuse(ctx, LoopProblem::TargetsMissing));
    }
    let (Some(starts), Some(deadline)) = (date(&input.starts), date(&input.deadline)) else {
        return Err(refuse(ctx, LoopProblem::DatesInvalid));
    };
    if deadline < starts {
        return Err(refuse(ctx, LoopProblem::DatesInvalid));
    }
    let count = |text: &str, problem: LoopProblem| match text.trim() {
        "" => Ok(0),
        n => match n.parse::<u32>() {
            Ok(n) if n as usize <= LINKS_MAX => Ok(n),
            _ => Err(refuse(ctx, problem)),
        },
    };
    let min_links = count(&input.min_links, LoopProblem::MinLinksInvalid)?;
    let min_photos = count(&input.min_photos, LoopProblem::MinPhotosInvalid)?;
    let min_files = count(&input.min_files, LoopProblem::MinFilesInvalid)?;
    // Photos and documents are links too: the links asked for cover them.
    let min_links = min_links.max(min_photos + min_files);
    if min_links as usize > LINKS_MAX {
        return Err(refuse(ctx, LoopProblem::MinLinksInvalid));
    }
    let need_text = matches!(input.need_text.trim(), "true" | "on" | "1");
    let attachments = attachments(ctx, &input.attachments).await?;
    let key = existing
        .as_ref()
        .map(|r| key_string(&r.id))
        .unwrap_or_else(|| new_key("k"));
    let event = Event::new(
        if existing.is_some() {
            action::UPDATE
        } else {
            action::CREATE
        },
        Outcome::Success,
    )
    .on("task", key.clone())
    .summary(format!("draft task {title} to {} branches", targets.len()));
    let write = repo::TaskWrite {
        id: id("task", &key),
        period: period.id,
        indicator: id("indicator", indicator),
        title,
        body: clip(&input.body, BODY_MAX),
        targets: targets.iter().map(|t| id("org", t)).collect(),
        members: members.iter().map(|m| m.id.clone()).collect(),
        starts,
        deadline,
        need_text,
        min_links: i64::from(min_links),
        min_photos: i64::from(min_photos),
        min_files: i64::from(min_files),
        attachments,
        issuer: issuer.map(|o| id("org", &o)),
    };
    ctx.commit(
        &event,
        &repo::save_task(write, existing.is_none(), ctx.stamp()),
    )
    .await
    .map_err(|e| conflict(ctx, e))?;
    Ok(key)
}

/// The files a task is saved with: each one the caller may read (uploaded there and then,
/// or earlier), kept once, at most `ATTACHMENTS_MAX`.
pub(crate) async fn attachments(ctx: &Ctx, typed: &str) -> Result<Vec<repo::LinkRow>, AppError> {
    let mut keys: Vec<&str> = Vec::new();
    for key in typed.split([',', '，', ' ', '\n']).map(str::trim) {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    if keys.len() > ATTACHMENTS_MAX {
        return Err(refuse(ctx, LoopProblem::AttachmentInvalid));
    }
    let mut rows = Vec::new();
    for key in keys {
        if !is_valid_key(key) {
            return Err(refuse(ctx, LoopProblem::AttachmentInvalid));
        }
        let file = crate::server::scope::record::file(ctx, key)
            .await
            .map_err(|_| refuse(ctx, LoopProblem::AttachmentInvalid))?;
        rows.push(repo::LinkRow {
            kind: file.file_type.link_kind().as_str().to_string(),
            id: key.to_string(),
            label: file.name,
            org: key_string(&file.org),
        });
    }
    Ok(rows)
}

/// A task's attachments as shown to everyone who sees the task (its targets may download
/// them: `scope::record::file`).
pub(crate) fn attachment_views(rows: Vec<repo::LinkRow>) -> Vec<EvidenceLink> {
    rows.into_iter()
        .filter_map(|l| {
            Some(EvidenceLink {
                kind: LinkKind::parse(&l.kind)?,
                id: l.id,
                label: l.label,
                org: l.org,
            })
        })
        .collect()
}

/// Publishes, withdraws or extends a task.
pub async fn change_task(ctx: &Ctx, input: TaskChange) -> Result<(), AppError> {
    let row = task_in_scope(ctx, &input.id).await?;
    if !manages(ctx, &*ctx.structure().await?, row.issuer.as_ref()) {
        return Err(refuse(ctx, LoopProblem::NotIssuer));
    }
    let Some(act) = TaskAction::parse(input.action.trim()).filter(|a| *a != TaskAction::Edit)
    else {
        return Err(refuse(ctx, LoopProblem::DecisionInvalid));
    };
    row.status.next(act).map_err(|i| illegal(ctx, i))?;
    if row.period_status == PeriodStatus::Closed {
        return Err(refuse(ctx, LoopProblem::PeriodClosed));
    }
    let key = key_string(&row.id);
    let stamp = ctx.stamp();
    let (change, summary) = match act {
        TaskAction::Publish => {
            if row.deadline < ctx.today() {
                return Err(refuse(ctx, LoopProblem::DatesInvalid));
            }
            // Each member's assignment is filed under the branch they belong to today, which
            // must still be within the issuer's reach (a member may have moved meanwhile).
            let members = repo::member_refs(&ctx.state.db, row.members.clone())
                .await
                .map_err(db_error)?;
            let structure = ctx.structure().await?;
            let reachable = |org: &RecordId| {
                row.issuer
                    .as_ref()
                    .is_none_or(|o| structure.within(&[key_string(o)], &key_string(org)))
            };
            if members.len() != row.members.len() || !members.iter().all(|m| reachable(&m.org)) {
                return Err(refuse(ctx, LoopProblem::MembersInvalid));
            }
            let pending = |org: &RecordId, member: Option<RecordId>| repo::AssignmentInsert {
                id: id("assignment", &new_key("a")),
                task: row.id.clone(),
                period: row.period.clone(),
                indicator: row.indicator.clone(),
                org: org.clone(),
                member,
                status: AssignmentStatus::Pending,
                deadline: row.deadline,
                version: 0,
                score: None,
                text: String::new(),
                links: Vec::new(),
                updated_at: stamp.now,
            };
            let rows: Vec<repo::AssignmentInsert> = row
                .targets
                .iter()
                .map(|org| pending(org, None))
                .chain(members.iter().map(|m| pending(&m.org, Some(m.id.clone()))))
                .collect();
            (
                repo::publish(&row, rows, stamp),
                format!(
                    "published {} to {} branches and {} members",
                    row.title,
                    row.targets.len(),
                    row.members.len()
                ),
            )
        }
        TaskAction::Withdraw => {
            let reason = clip(&input.reason, 200);
            if reason.is_empty() {
                return Err(refuse(ctx, LoopProblem::ReasonMissing));
            }
            (
                repo::withdraw(&row.id, reason.clone(), stamp),
                format!("withdrew {}: {reason}", row.title),
            )
        }
        TaskAction::Extend => {
            let Some(deadline) = date(&input.deadline) else {
                return Err(refuse(ctx, LoopProblem::DatesInvalid));
            };
            if deadline <= row.deadline {
                return Err(refuse(ctx, LoopProblem::DeadlineNotLater));
            }
            (
                repo::extend(&row.id, row.deadline, deadline, stamp),
                format!("extended {} to {deadline}", row.title),
            )
        }
        TaskAction::Edit => unreachable!("filtered above"),
    };
    // A withdrawal ends returned answers whose points counted: those branches are scored
    // again once it is written.
    let rescored = if act == TaskAction::Withdraw {
        repo::withdrawn_scores(&ctx.state.db, &row.id)
            .await
            .map_err(db_error)?
    } else {
        Vec::new()
    };
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("task", key)
        .summary(summary);
    ctx.commit(&event, &change)
        .await
        .map_err(|e| conflict(ctx, e))?;
    if !rescored.is_empty() {
        let period = period_row(ctx, &key_string(&row.period)).await?;
        let stars = summary_of(&period).stars;
        let tree = period_tree(&ctx.state, &row.period).await?;
        for org in rescored {
            rescore(&ctx.state, &row.period, &org, &tree, &stars).await?;
        }
    }
    Ok(())
}

fn summary_of(row: &repo::PeriodRow) -> PeriodSummary {
    summary(row.clone())
}

/// Recomputes one branch's score from its reviews and writes it, guarded by the `rev` read
/// first (tried again when a review wrote in between).
async fn rescore(
    state: &AppState,
    period: &RecordId,
    org: &RecordId,
    tree: &[IndicatorView],
    stars: &StarThresholds,
) -> Result<(), AppError> {
    for _ in 0..REVIEW_ATTEMPTS {
        let rev = repo::branch_score(&state.db, period, org)
            .await
            .map_err(db_error)?
            .map_or(0, |s| s.rev);
        let rollup = rollup_for(state, period, org, tree, None).await?;
        let change = repo::write_score(
            score_write(period, org, rev, rollup, stars),
            state.clock.now(),
        );
        if crate::server::repo::transaction(&state.db, &change)
            .await
            .is_ok()
        {
            return Ok(());
        }
    }
    Err(crate::server::internal(
        "a branch score could not be rewritten",
    ))
}

/// An assignment within the caller's reach (403, recorded, otherwise).
async fn assignment_in_scope(ctx: &Ctx, key: &str) -> Result<repo::AssignmentRow, AppError> {
    let key = key.trim();
    let found = if is_valid_key(key) {
        repo::assignment(&ctx.state.db, key)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    match found {
        Some(row)
            if ctx.scope.org(&key_string(&row.org))
                || (row.member.is_some() && row.member == me(ctx)) =>
        {
            Ok(row)
        }
        None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
        _ => Err(ctx.deny("assignment", key).await),
    }
}

fn link_view(ctx: &Ctx, l: LinkRow) -> Option<EvidenceLink> {
    let kind = LinkKind::parse(&l.kind)?;
    // A reader outside the record's organisation sees the kind, not the label.
    let label = if ctx.scope.org(&l.org) {
        l.label
    } else {
        String::new()
    };
    Some(EvidenceLink {
        kind,
        id: l.id,
        label,
        org: l.org,
    })
}

fn assignment_actions(
    ctx: &Ctx,
    structure: &OrgStructure,
    row: &repo::AssignmentRow,
) -> Vec<AssignmentAction> {
    if row.task_status != TaskStatus::Published || row.period_status != PeriodStatus::Open {
        return Vec::new();
    }
    // The issuer of a task reviews its answers and does not write them.
    let reviewer = manages(ctx, structure, row.issuer.as_ref())
        && !(row.member.is_some() && row.member == me(ctx));
    let target = answers(ctx, structure, row);
    AssignmentAction::ALL
        .iter()
        .copied()
        .filter(|a| row.status.next(*a).is_ok())
        .filter(|a| match a {
            AssignmentAction::SaveDraft | AssignmentAction::Submit => target,
            AssignmentAction::Return | AssignmentAction::Accept => reviewer,
        })
        .collect()
}

/// One assignment with its task, guidance, draft and every submitted version.
pub async fn get_assignment(ctx: &Ctx, key: &str) -> Result<AssignmentView, AppError> {
    let row = assignment_in_scope(ctx, key).await?;
    let structure = ctx.structure().await?;
    let history = repo::submissions(&ctx.state.db, &row.id)
        .await
        .map_err(db_error)?;
    let actions = assignment_actions(ctx, &structure, &row);
    Ok(AssignmentView {
        attachments: attachment_views(row.attachments),
        id: key_string(&row.id),
        task: key_string(&row.task),
        title: row.title,
        body: row.body,
        indicator_name: row.indicator_name,
        guidance: row.guidance,
        max: points(row.max),
        need_text: row.need_text,
        min_links: u32::try_from(row.min_links).unwrap_or(0),
        min_photos: u32::try_from(row.min_photos).unwrap_or(0),
        min_files: u32::try_from(row.min_files).unwrap_or(0),
        org_id: key_string(&row.org),
        org_name: row.org_name,
        member_name: row.member_name,
        status: row.status,
        overdue: row.status.awaits_target() && overdue(row.deadline, ctx.today()),
        deadline: row.deadline,
        version: u32::try_from(row.version).unwrap_or(0),
        score: row.score.map(points),
        text: row.text,
        links: row
            .links
            .into_iter()
            .filter_map(|l| link_view(ctx, l))
            .collect(),
        history: history
            .into_iter()
            .map(|s| SubmissionView {
                version: u32::try_from(s.version).unwrap_or(0),
                text: s.text,
                links: s
                    .links
                    .into_iter()
                    .filter_map(|l| link_view(ctx, l))
                    .collect(),
                submitted_by: s.submitted_by,
                submitted_at: s.submitted_at,
                decision: s.decision.as_deref().and_then(AssignmentAction::parse),
                score: s.score.map(points),
                comment: s.comment,
                reviewer: s.reviewer,
                reviewed_at: s.reviewed_at,
            })
            .collect(),
        actions,
    })
}

/// Reads a linked record and checks that it belongs to `org` (the answering branch) or an
/// organisation below it: the registry of record kinds answers may link. A later module
/// adds its kind to `LinkKind` and a branch here.
async fn resolve_link(
    ctx: &Ctx,
    structure: &OrgStructure,
    org: &str,
    this: &RecordId,
    kind: LinkKind,
    key: &str,
    // Answering a task given to a member, as that member: their own record and uploads only.
    as_member: bool,
) -> Result<Option<LinkRow>, AppError> {
    if !is_valid_key(key) {
        return Ok(None);
    }
    let db = &ctx.state.db;
    let roots = [org.to_string()];
    let inside = |o: &RecordId| structure.within(&roots, &key_string(o));
    // A file is linked as a photo or a file by its content, whichever the answer said.
    let mut kind = kind;
    let found: Option<(String, RecordId)> = match kind {
        // A member answering for themself links their own record and their own uploads.
        LinkKind::Member
        | LinkKind::Transfer
        | LinkKind::Candidate
        | LinkKind::Submission
        | LinkKind::Meeting
        | LinkKind::Requirement
            if as_member && !(kind == LinkKind::Member && me(ctx) == Some(id("member", key))) =>
        {
            None
        }
        LinkKind::Member => crate::server::repo::member::find(db, key)
            .await
            .map_err(db_error)?
            .map(|m| (m.name, m.org)),
        LinkKind::Transfer => crate::server::repo::transfer::find(db, key)
            .await
            .map_err(db_error)?
            .and_then(|t| {
                let label = format!("{} {}", t.letter_no, t.member_name);
                [t.from_org, t.to_org]
                    .into_iter()
                    .flatten()
                    .find(|o| inside(o))
                    .map(|o| (label, o))
            }),
        LinkKind::Candidate => crate::server::repo::pipeline::find(db, key)
            .await
            .map_err(db_error)?
            .map(|c| (c.name, c.org)),
        LinkKind::File | LinkKind::Photo => crate::server::repo::file::find(db, key)
            .await
            .map_err(db_error)?
            .filter(|f| !as_member || ctx.scope.own(&f.uploaded_by))
            .map(|f| {
                kind = f.file_type.link_kind();
                (f.name, f.org)
            }),
        LinkKind::Meeting => crate::server::repo::meeting::find(db, key)
            .await
            .map_err(db_error)?
            .map(|m| {
                let label = format!("{} {} {}", m.day, ctx.lang.t(m.kind.label()), m.topic);
                (label, m.org)
            }),
        // Required learning set in the answering branch, addressed to it (or to an
        // organisation above it) or naming members of it: its completion there is the
        // evidence (as the picker lists them, `repo::required::watched`).
        LinkKind::Requirement => crate::server::repo::required::find(db, key)
            .await
            .map_err(db_error)?
            .filter(|r| {
                inside(&r.org)
                    || r.targets
                        .iter()
                        .any(|t| inside(t) || structure.within(&[key_string(t)], org))
                    || r.member_orgs.iter().flatten().any(|o| inside(o))
            })
            .map(|r| {
                let label = format!("{} · {}", r.title, r.due.format("%Y-%m-%d"));
                (label, RecordId::new("org", org))
            }),
        LinkKind::Submission if key == key_string(this) => None,
        LinkKind::Submission => repo::submission_ref(db, key)
            .await
            .map_err(db_error)?
            .map(|s| (ctx.lang.t(T::AsSubmissionLabel(&s.title, s.version)), s.org)),
    };
    Ok(found.filter(|(_, o)| inside(o)).map(|(label, o)| LinkRow {
        kind: kind.as_str().to_string(),
        id: key.to_string(),
        label,
        org: key_string(&o),
    }))
}

/// Saves the answer as a draft or submits it as the next version.
pub async fn answer_assignment(ctx: &Ctx, input: AnswerInput) -> Result<(), AppError> {
    let row = assignment_in_scope(ctx, &input.id).await?;
    let structure = ctx.structure().await?;
    let org = key_string(&row.org);
    if !answers(ctx, &structure, &row) {
        return Err(refuse(ctx, LoopProblem::NotYours));
    }
    let act = match input.action.trim() {
        "save" => AssignmentAction::SaveDraft,
        "submit" => AssignmentAction::Submit,
        _ => return Err(refuse(ctx, LoopProblem::DecisionInvalid)),
    };
    if row.period_status == PeriodStatus::Closed {
        return Err(refuse(ctx, LoopProblem::PeriodClosed));
    }
    if row.task_status != TaskStatus::Published {
        return Err(illegal(
            ctx,
            crate::models::assessment::Illegal {
                from: row.task_status.label(),
                action: act.label(),
            },
        ));
    }
    row.status.next(act).map_err(|i| illegal(ctx, i))?;
    let text: String = input.text.trim().chars().take(ANSWER_MAX).collect();
    let typed = parse_links(&input.links).map_err(|_| refuse(ctx, LoopProblem::LinkInvalid))?;
    if typed.len() > LINKS_MAX {
        return Err(refuse(ctx, LoopProblem::LinkInvalid));
    }
    let mut links = Vec::new();
    for (kind, key) in typed {
        match resolve_link(
            ctx,
            &structure,
            &org,
            &row.id,
            kind,
            &key,
            row.member.is_some(),
        )
        .await?
        {
            // `file:` and `photo:` name the same record: it is kept once.
            Some(link) if links.contains(&link) => {}
            Some(link) => links.push(link),
            None => return Err(refuse(ctx, LoopProblem::LinkInvalid)),
        }
    }
    let submit = act == AssignmentAction::Submit;
    if submit && row.need_text && text.is_empty() {
        return Err(refuse(ctx, LoopProblem::TextMissing));
    }
    let min = u32::try_from(row.min_links).unwrap_or(0);
    if submit && (links.len() as u32) < min {
        return Err(refuse(ctx, LoopProblem::TooFewLinks(min)));
    }
    let of_kind = |k: LinkKind| links.iter().filter(|l| l.kind == k.as_str()).count() as u32;
    let min_photos = u32::try_from(row.min_photos).unwrap_or(0);
    if submit && of_kind(LinkKind::Photo) < min_photos {
        return Err(refuse(ctx, LoopProblem::TooFewPhotos(min_photos)));
    }
    let min_files = u32::try_from(row.min_files).unwrap_or(0);
    if submit && of_kind(LinkKind::File) < min_files {
        return Err(refuse(ctx, LoopProblem::TooFewFiles(min_files)));
    }
    let key = key_string(&row.id);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("assignment", key)
        .summary(format!(
            "{} {} for {} ({} links)",
            act.as_str(),
            row.title,
            row.org_name,
            links.len()
        ));
    let change = if submit {
        repo::submit_answer(&row.id, text, links, ctx.stamp())
    } else {
        repo::save_answer(&row.id, text, links, ctx.stamp())
    };
    ctx.commit(&event, &change)
        .await
        .map_err(|e| conflict(ctx, e))
}

/// A branch's period score from its reviewed assignments; with `replace`, this review's
/// points (assignment, its 二级 indicator, its task, points) in place of what the
/// assignment had.
async fn rollup_for(
    state: &AppState,
    period: &RecordId,
    org: &RecordId,
    tree: &[IndicatorView],
    replace: Option<(&RecordId, ReviewedPoints)>,
) -> Result<Rollup, AppError> {
    let mut reviewed: Vec<ReviewedPoints> = repo::scored(&state.db, period, org)
        .await
        .map_err(db_error)?
        .into_iter()
        .filter(|r| replace.as_ref().is_none_or(|(a, _)| &r.id != *a))
        .map(|r| {
            (
                key_string(&r.indicator),
                score_group(&key_string(&r.task), r.member.is_some()),
                points(r.score),
            )
        })
        .collect();
    if let Some((_, points)) = replace {
        reviewed.push(points);
    }
    Ok(branch_rollup(tree, &reviewed))
}

/// How many times a review is tried when another review of the same branch changed its
/// score in between.
const REVIEW_ATTEMPTS: usize = 5;

/// Scores the submitted version and accepts or returns it. The branch's period score is
/// recomputed from its reviews and written in the same transaction; a return, or points
/// below [`LOW_SCORE_PERCENT`] of the item's maximum, opens a rectification item.
pub async fn review_assignment(ctx: &Ctx, input: ReviewInput) -> Result<(), AppError> {
    let row = assignment_in_scope(ctx, &input.id).await?;
    if !manages(ctx, &*ctx.structure().await?, row.issuer.as_ref()) {
        return Err(refuse(ctx, LoopProblem::NotIssuer));
    }
    // Nobody reviews their own answer (a reviewer who is also one of the task's members).
    if row.member.is_some() && row.member == me(ctx) {
        return Err(refuse(ctx, LoopProblem::OwnWork));
    }
    let accept = match input.decision.trim() {
        "accept" => true,
        "return" => false,
        _ => return Err(refuse(ctx, LoopProblem::DecisionInvalid)),
    };
    let act = if accept {
        AssignmentAction::Accept
    } else {
        AssignmentAction::Return
    };
    if row.period_status == PeriodStatus::Closed {
        return Err(refuse(ctx, LoopProblem::PeriodClosed));
    }
    // Reviewed (or answered again) since the reviewer's page was drawn: the second
    // reviewer of one version is told so, whatever they decided.
    let reviewed = matches!(
        row.status,
        AssignmentStatus::Accepted | AssignmentStatus::Returned
    ) && row.version > 0;
    let stale = input.version.trim() != row.version.to_string();
    if reviewed || (stale && row.status == AssignmentStatus::Submitted) {
        return Err(fail(AppError::Conflict {
            message: LoopProblem::AlreadyReviewed.message(ctx.lang),
        }));
    }
    row.status.next(act).map_err(|i| illegal(ctx, i))?;
    let max = points(row.max);
    let score = parse_points(&input.score)
        .filter(|s| *s <= max)
        .ok_or_else(|| refuse(ctx, LoopProblem::ScoreInvalid(max)))?;
    let comment = clip(&input.comment, COMMENT_MAX);
    if !accept && comment.is_empty() {
        return Err(refuse(ctx, LoopProblem::CommentMissing));
    }
    let period = period_row(ctx, &key_string(&row.period)).await?;
    let stars = summary(period.clone()).stars;
    let tree = period_tree(&ctx.state, &period.id).await?;
    let low = u64::from(score) * 100 < u64::from(max) * u64::from(LOW_SCORE_PERCENT);
    let key = key_string(&row.id);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("assignment", key.clone())
        .summary(format!(
            "{} {} v{} of {}: {}",
            act.as_str(),
            row.title,
            row.version,
            row.org_name,
            show_points(score)
        ));
    for _ in 0..REVIEW_ATTEMPTS {
        // The row's `rev` first: a review that commits after this read (and before the
        // reviews are read) makes the guard refuse this write, so no review is lost.
        let rev = repo::branch_score(&ctx.state.db, &row.period, &row.org)
            .await
            .map_err(db_error)?
            .map_or(0, |s| s.rev);
        let rollup = rollup_for(
            &ctx.state,
            &row.period,
            &row.org,
            &tree,
            Some((
                &row.id,
                (
                    key_string(&row.indicator),
                    score_group(&key_string(&row.task), row.member.is_some()),
                    score,
                ),
            )),
        )
        .await?;
        let rect = (!accept || low).then(|| repo::NewRectification {
            key: new_key("r"),
            period: row.period.clone(),
            org: row.org.clone(),
            source: if accept {
                RectificationSource::LowScore
            } else {
                RectificationSource::Return
            },
            assignment: Some(row.id.clone()),
            problem: if comment.is_empty() {
                ctx.lang.t(T::AsLowScoreProblem(
                    &row.title,
                    &show_points(score),
                    &show_points(max),
                ))
            } else {
                format!("{}：{comment}", row.title)
            },
            required: comment.clone(),
            owner: String::new(),
            deadline: ctx.today() + chrono::Days::new(RECTIFY_DAYS),
        });
        let change = repo::review(
            repo::Review {
                assignment: row.id.clone(),
                version: row.version,
                accept,
                score: i64::from(score),
                comment: comment.clone(),
            },
            score_write(&row.period, &row.org, rev, rollup, &stars),
            rect,
            ctx.stamp(),
        );
        match ctx.commit(&event, &change).await {
            Err(AppError::Conflict { message }) if message == "stale" => continue,
            Ok(()) => {
                // A member's own task, accepted, earns its points (once per assignment).
                if let (true, Some(member)) = (accept, row.member.clone()) {
                    crate::server::service::points::award(
                        &ctx.state,
                        member,
                        PointRule::TaskAccepted,
                        format!("assignment:{key}"),
                        row.title.clone(),
                    )
                    .await;
                }
                return Ok(());
            }
            Err(e) => return Err(conflict(ctx, e)),
        }
    }
    Err(fail(AppError::Conflict {
        message: ctx.lang.t(T::AsChangedMeanwhile).to_string(),
    }))
}

fn score_write(
    period: &RecordId,
    org: &RecordId,
    rev: i64,
    r: Rollup,
    stars: &StarThresholds,
) -> repo::ScoreWrite {
    repo::ScoreWrite {
        period: period.clone(),
        org: org.clone(),
        rev,
        total: i64::from(r.total),
        effectiveness: i64::from(r.effectiveness),
        synergy: i64::from(r.synergy),
        satisfaction: i64::from(r.satisfaction),
        stars: i64::from(stars.stars(r.total)),
    }
}

fn rect_actions(
    ctx: &Ctx,
    structure: &OrgStructure,
    row: &repo::RectificationRow,
) -> Vec<RectificationAction> {
    let owner = answers_for(ctx, structure, &key_string(&row.org));
    RectificationAction::ALL
        .iter()
        .copied()
        .filter(|a| row.status.next(*a).is_ok())
        .filter(|a| match a {
            // An item a return opened is answered by reworking the assignment.
            RectificationAction::Answer => owner && row.source != RectificationSource::Return,
            RectificationAction::Close => office(ctx),
            // An item a return opened is reopened by returning the rework again.
            RectificationAction::Reopen => office(ctx) && row.source != RectificationSource::Return,
        })
        .collect()
}

fn rect_view(
    ctx: &Ctx,
    structure: &OrgStructure,
    row: repo::RectificationRow,
) -> RectificationView {
    RectificationView {
        actions: rect_actions(ctx, structure, &row),
        id: key_string(&row.id),
        org_id: key_string(&row.org),
        org_name: row.org_name,
        source: row.source,
        assignment: row.assignment.as_ref().map(key_string),
        problem: row.problem,
        required: row.required,
        owner: row.owner,
        overdue: row.status != RectificationStatus::Closed && overdue(row.deadline, ctx.today()),
        deadline: row.deadline,
        status: row.status,
        answer: row.answer,
        links: row
            .links
            .into_iter()
            .filter_map(|l| link_view(ctx, l))
            .collect(),
        note: row.note,
    }
}

/// A page of rectification items within the caller's reach.
pub async fn list_rectifications(
    ctx: &Ctx,
    query: RectificationQuery,
) -> Result<RectificationPage, AppError> {
    let orgs = match ctx.scope.orgs(query.org.trim()) {
        Ok(orgs) => orgs,
        Err(()) => return Err(ctx.deny("org", query.org.trim()).await),
    };
    let page = query.page.max(1);
    let overdue_only = query.status.trim() == "overdue";
    let (rows, total) = repo::rectifications(
        &ctx.state.db,
        orgs,
        None,
        RectificationStatus::parse(query.status.trim()),
        overdue_only,
        ctx.today(),
        crate::models::page_start(page, QUEUE_PAGE_SIZE),
        i64::from(QUEUE_PAGE_SIZE),
    )
    .await
    .map_err(db_error)?;
    let structure = ctx.structure().await?;
    Ok(RectificationPage {
        items: rows
            .into_iter()
            .map(|r| rect_view(ctx, &structure, r))
            .collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: QUEUE_PAGE_SIZE,
    })
}

/// Answers (the owner branch), closes or reopens (the office) a rectification item.
pub async fn rectify(ctx: &Ctx, input: RectifyInput) -> Result<(), AppError> {
    let key = input.id.trim();
    let found = if is_valid_key(key) {
        repo::rectification(&ctx.state.db, key)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let row = match found {
        Some(row) if ctx.scope.org(&key_string(&row.org)) => row,
        None if ctx.scope.is_all() => return Err(fail(AppError::NotFound)),
        _ => return Err(ctx.deny("rectification", key).await),
    };
    let Some(act) = RectificationAction::parse(input.action.trim()) else {
        return Err(refuse(ctx, LoopProblem::DecisionInvalid));
    };
    let to = row.status.next(act).map_err(|i| illegal(ctx, i))?;
    let structure = ctx.structure().await?;
    if !rect_actions(ctx, &structure, &row).contains(&act) {
        return Err(refuse(ctx, LoopProblem::NotYours));
    }
    let text = clip(&input.text, ANSWER_MAX);
    match act {
        RectificationAction::Answer if text.is_empty() => {
            return Err(refuse(ctx, LoopProblem::TextMissing));
        }
        RectificationAction::Reopen if text.is_empty() => {
            return Err(refuse(ctx, LoopProblem::ReasonMissing));
        }
        _ => {}
    }
    // The answer's evidence: records, photos and files of the owner branch, as an
    // assignment's answer links them.
    let mut links = Vec::new();
    if act == RectificationAction::Answer {
        let typed = parse_links(&input.links).map_err(|_| refuse(ctx, LoopProblem::LinkInvalid))?;
        let org = key_string(&row.org);
        for (kind, key) in typed {
            match resolve_link(ctx, &structure, &org, &row.id, kind, &key, false).await? {
                Some(link) if links.contains(&link) => {}
                Some(link) => links.push(link),
                None => return Err(refuse(ctx, LoopProblem::LinkInvalid)),
            }
        }
    }
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("rectification", key.to_string())
        .summary(format!(
            "{} for {} ({} links)",
            act.as_str(),
            row.org_name,
            links.len()
        ));
    let change = repo::rectify(
        &row.id,
        row.status,
        to,
        act == RectificationAction::Answer,
        text,
        links,
        ctx.stamp(),
    );
    ctx.commit(&event, &change)
        .await
        .map_err(|e| conflict(ctx, e))
}

/// Opens a rectification item for a problem found outside a task, in the newest open
/// period.
pub async fn raise_finding(ctx: &Ctx, input: FindingInput) -> Result<String, AppError> {
    let structure = ctx.structure().await?;
    let org = input.org.trim();
    if !nodes(&structure)
        .get(org)
        .is_some_and(|n| n.kind == OrgKind::Branch)
    {
        return Err(refuse(ctx, LoopProblem::OrgInvalid));
    }
    let problem = clip(&input.problem, 500);
    if problem.is_empty() {
        return Err(refuse(ctx, LoopProblem::ProblemMissing));
    }
    let today = ctx.today();
    let deadline = match input.deadline.trim() {
        "" => today + chrono::Days::new(RECTIFY_DAYS),
        text => match date(text) {
            Some(d) if d >= today => d,
            _ => return Err(refuse(ctx, LoopProblem::DatesInvalid)),
        },
    };
    let period = repo::periods(&ctx.state.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .find(|p| p.status == PeriodStatus::Open)
        .ok_or_else(|| refuse(ctx, LoopProblem::PeriodInvalid))?;
    let key = new_key("r");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("rectification", key.clone())
        .summary(format!("finding for {org}"));
    let change = repo::open_rectification(
        repo::NewRectification {
            key: key.clone(),
            period: period.id,
            org: id("org", org),
            source: RectificationSource::Finding,
            assignment: None,
            problem,
            required: clip(&input.required, 500),
            owner: clip(&input.owner, 50),
            deadline,
        },
        ctx.stamp(),
    );
    ctx.commit(&event, &change)
        .await
        .map_err(|e| conflict(ctx, e))?;
    Ok(key)
}

/// Every branch's score, stars and rank in a period (a branch not yet scored has 0).
pub async fn get_ranking(ctx: &Ctx, period: &str) -> Result<Ranking, AppError> {
    let row = period_row(ctx, period).await?;
    let scores = repo::branch_scores(&ctx.state.db, &row.id)
        .await
        .map_err(db_error)?;
    let by_org: HashMap<String, repo::BranchScoreRow> = scores
        .into_iter()
        .map(|s| (key_string(&s.org), s))
        .collect();
    let structure = ctx.structure().await?;
    let summary = summary(row);
    let mut rows: Vec<ScoreRow> = nodes(&structure)
        .into_values()
        .filter(|n| n.kind == OrgKind::Branch)
        .map(|n| {
            let scored = by_org.get(&n.id);
            let score = scored.map(rollup_of).unwrap_or_default();
            ScoreRow {
                org_id: n.id.clone(),
                org_name: n.name.clone(),
                // A branch not yet scored has no stars.
                stars: scored.map_or(0, |_| summary.stars.stars(score.total)),
                score,
                rank: 0,
            }
        })
        .collect();
    rank(&mut rows);
    Ok(Ranking {
        period: summary,
        rows,
    })
}

fn rollup_of(s: &repo::BranchScoreRow) -> Rollup {
    Rollup {
        total: points(s.total),
        effectiveness: points(s.effectiveness),
        synergy: points(s.synergy),
        satisfaction: points(s.satisfaction),
    }
}

/// A branch's score, stars, indicators, assignments and rectification items in a period.
pub async fn get_branch_assessment(
    ctx: &Ctx,
    period: &str,
    org: &str,
) -> Result<BranchAssessment, AppError> {
    let org = org.trim();
    let structure = ctx.structure().await?;
    let names = nodes(&structure);
    let node = match names.get(org) {
        Some(n) if ctx.scope.org(org) => *n,
        None if ctx.scope.is_all() => return Err(fail(AppError::NotFound)),
        _ => return Err(ctx.deny("org", org).await),
    };
    let row = period_row(ctx, period).await?;
    let org_id = id("org", org);
    let tree = period_tree(&ctx.state, &row.id).await?;
    let db = &ctx.state.db;
    let scored = repo::scored(db, &row.id, &org_id).await.map_err(db_error)?;
    let stored = repo::branch_score(db, &row.id, &org_id)
        .await
        .map_err(db_error)?;
    let assignments = repo::assignments_of(db, &row.id, &org_id)
        .await
        .map_err(db_error)?;
    let (rects, _) = repo::rectifications(
        db,
        Some(vec![org_id.clone()]),
        Some(row.id.clone()),
        None,
        false,
        ctx.today(),
        0,
        200,
    )
    .await
    .map_err(db_error)?;
    let score = stored.as_ref().map(rollup_of).unwrap_or_default();
    let summary = summary(row);
    let today = ctx.today();
    Ok(BranchAssessment {
        stars: stored
            .as_ref()
            .map_or(0, |_| summary.stars.stars(score.total)),
        score,
        period: summary,
        org_id: org.to_string(),
        org_name: node.name.clone(),
        indicators: tree
            .into_iter()
            .map(|ind| IndicatorScore {
                name: ind.name,
                weight: ind.weight,
                dimension: ind.dimension,
                items: ind
                    .items
                    .into_iter()
                    .map(|item| {
                        let tasks: Vec<(String, Hundredths)> = scored
                            .iter()
                            .filter(|s| key_string(&s.indicator) == item.id)
                            .map(|s| {
                                let group = score_group(&key_string(&s.task), s.member.is_some());
                                (group, points(s.score))
                            })
                            .collect();
                        let scores: Vec<(&str, Hundredths)> =
                            tasks.iter().map(|(t, p)| (t.as_str(), *p)).collect();
                        ItemScore {
                            awarded: item_award(&scores),
                            id: item.id,
                            name: item.name,
                            max: item.max,
                        }
                    })
                    .collect(),
            })
            .collect(),
        assignments: assignments
            .into_iter()
            .map(|a| summary_view(a, today))
            .collect(),
        rectifications: rects
            .into_iter()
            .map(|r| rect_view(ctx, &structure, r))
            .collect(),
    })
}

/// The member's own assignments (tasks to members), then the assignments of `org` whose
/// answer links the member record `member` (the record serves as evidence of them:
/// 一次留痕、多处使用), latest deadline first.
pub async fn citing_member(
    ctx: &Ctx,
    org: &str,
    member: &str,
) -> Result<Vec<AssignmentSummary>, AppError> {
    let db = &ctx.state.db;
    let load = async {
        let mut rows =
            repo::assignments_of_member(db, &id("member", member), Some(id("org", org))).await?;
        for row in repo::citing_member(db, &id("org", org), member).await? {
            if !rows.iter().any(|r| r.id == row.id) {
                rows.push(row);
            }
        }
        Ok(rows)
    };
    let rows = member_tasks(ctx, org, member, load).await?;
    let today = ctx.today();
    Ok(rows
        .iter()
        .cloned()
        .map(|r| summary_view(r, today))
        .collect())
}

/// A member record's task section from memory while no assignment, task, indicator,
/// member or organisation changed (every page of a record shows it).
async fn member_tasks(
    ctx: &Ctx,
    org: &str,
    member: &str,
    load: impl Future<Output = surrealdb::Result<Vec<repo::SummaryRow>>>,
) -> Result<std::sync::Arc<Vec<repo::SummaryRow>>, AppError> {
    let state = &ctx.state;
    let key = (org.to_string(), member.to_string(), state.records.current());
    state
        .member_tasks
        .get(&state.assignments, key, load)
        .await
        .map_err(db_error)
}

/// The member's own assignments (tasks to members), latest deadline first.
pub async fn own_tasks(ctx: &Ctx, member: &str) -> Result<Vec<AssignmentSummary>, AppError> {
    let record = id("member", member);
    let load = repo::assignments_of_member(&ctx.state.db, &record, None);
    let rows = member_tasks(ctx, "", member, load).await?;
    let today = ctx.today();
    Ok(rows
        .iter()
        .cloned()
        .map(|r| summary_view(r, today))
        .collect())
}

fn summary_view(a: repo::SummaryRow, today: NaiveDate) -> AssignmentSummary {
    AssignmentSummary {
        id: key_string(&a.id),
        task: key_string(&a.task),
        title: a.title,
        indicator_name: a.indicator_name,
        org_name: a.org_name,
        member_name: a.member_name,
        overdue: a.status.awaits_target() && overdue(a.deadline, today),
        status: a.status,
        deadline: a.deadline,
        score: a.score.map(points),
    }
}

/// The review queue: a page of assignments by filters, nearest deadline first.
pub async fn list_assignments(ctx: &Ctx, query: QueueQuery) -> Result<AssignmentPage, AppError> {
    let orgs = match ctx.scope.orgs(query.org.trim()) {
        Ok(orgs) => orgs,
        Err(()) => return Err(ctx.deny("org", query.org.trim()).await),
    };
    let key = |table: &str, k: &str| {
        let k = k.trim();
        (!k.is_empty() && is_valid_key(k)).then(|| id(table, k))
    };
    let page = query.page.max(1);
    let today = ctx.today();
    // A member who sits on no committee sees their own assignments only.
    let (orgs, member) = match own_only(ctx) {
        Some(m) => (None, Some(m)),
        None => (orgs, None),
    };
    let filters = repo::Queue {
        orgs,
        member,
        task: key("task", &query.task),
        indicator: key("indicator", &query.indicator),
        period: None,
        status: AssignmentStatus::parse(query.status.trim()),
    };
    let db = &ctx.state.db;
    let rows = repo::queue_page(
        db,
        &filters,
        crate::models::page_start(page, QUEUE_PAGE_SIZE),
        i64::from(QUEUE_PAGE_SIZE),
    )
    .await
    .map_err(db_error)?;
    // Counting reads every matching assignment (about 55 ms at 10,000): held in memory
    // until an assignment changes on any server (`AppState::assignments`).
    let counts = ctx
        .state
        .queue_counts
        .get(&ctx.state.assignments, (filters.clone(), today), async {
            repo::queue_counts(db, &filters, today)
                .await
                .map_err(db_error)
        })
        .await?;
    let total: i64 = counts
        .iter()
        .filter(|c| filters.status.is_none_or(|s| c.status == s))
        .map(|c| c.n)
        .sum();
    Ok(AssignmentPage {
        rows: rows.into_iter().map(|a| summary_view(a, today)).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: QUEUE_PAGE_SIZE,
        counts: counts_of(&counts, None),
    })
}

/// The caller's to-do inbox: for a branch committee what its organisations owe; for the
/// office what waits for review or re-check.
pub async fn get_inbox(ctx: &Ctx) -> Result<Inbox, AppError> {
    let today = ctx.today();
    let limit = INBOX_SHOWN as i64;
    let mut items = Vec::new();
    let mut total = 0;
    let mut late = 0;
    let item = |kind: InboxKind, r: repo::InboxRow, href: String| InboxItem {
        kind,
        title: r.title,
        org_name: r.org_name,
        overdue: overdue(r.deadline, today),
        deadline: r.deadline,
        href,
    };
    // An assignment owed: to answer, or to rework once returned.
    let owed = |row: repo::InboxRow| {
        let href = format!("/tasks/assignments/{}", key_string(&row.id));
        let kind = if row.status == "returned" {
            InboxKind::Rework
        } else {
            InboxKind::Answer
        };
        item(kind, row, href)
    };
    if office(ctx) {
        let (a, r, na, nr, l) = repo::waiting(&ctx.state.db, today, limit)
            .await
            .map_err(db_error)?;
        for row in a {
            let href = format!("/tasks/assignments/{}", key_string(&row.id));
            items.push(item(InboxKind::Review, row, href));
        }
        for row in r {
            items.push(item(
                InboxKind::Recheck,
                row,
                "/tasks/rectifications".into(),
            ));
        }
        total += na + nr;
        late += l;
    }
    let issued = issuing_ids(ctx).await?;
    if !issued.is_empty() {
        let (a, n) = repo::waiting_for(&ctx.state.db, issued.clone(), limit)
            .await
            .map_err(db_error)?;
        for row in a {
            let href = format!("/tasks/assignments/{}", key_string(&row.id));
            items.push(item(InboxKind::Review, row, href));
        }
        total += n;
    }
    if ctx.caller.roles.contains(&Role::BranchCommittee)
        && let Ok(Some(orgs)) = ctx.scope.orgs("")
        && !orgs.is_empty()
    {
        let (a, r, na, nr, l) = repo::owed(&ctx.state.db, orgs, issued, today, limit)
            .await
            .map_err(db_error)?;
        items.extend(a.into_iter().map(owed));
        for row in r {
            items.push(item(
                InboxKind::Rectify,
                row,
                "/tasks/rectifications".into(),
            ));
        }
        total += na + nr;
        late += l;
    }
    if let Some(member) = me(ctx) {
        let (a, n, l) = repo::owed_by_member(&ctx.state.db, member, today, limit)
            .await
            .map_err(db_error)?;
        items.extend(a.into_iter().map(owed));
        total += n;
        late += l;
    }
    // Organisational life: meetings to attend, minutes to approve, rules falling due.
    let (meetings, due) = crate::server::service::meeting::inbox(ctx).await?;
    total += i64::try_from(meetings.len()).unwrap_or(0);
    late += due;
    items.extend(meetings);
    // Required learning not done, its deadline near or passed.
    let (required, due) = crate::server::service::required::inbox(ctx).await?;
    total += i64::try_from(required.len()).unwrap_or(0);
    late += due;
    items.extend(required);
    items.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.deadline.cmp(&b.deadline)));
    items.truncate(INBOX_SHOWN);
    Ok(Inbox {
        items,
        total: u32::try_from(total).unwrap_or(0),
        overdue: u32::try_from(late).unwrap_or(0),
    })
}

/// A branch whose stored score differs from the one recomputed from its reviews.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub period: String,
    pub org: String,
    pub stored: Option<Rollup>,
    pub computed: Rollup,
}

/// The consistency check: recomputes every branch's score in every period from the raw
/// reviews and compares it with the one kept up to date on each review. With `repair`,
/// the stored score is replaced by the recomputed one.
pub async fn check_scores(state: &AppState, repair: bool) -> Result<Vec<Mismatch>, AppError> {
    let mut out = Vec::new();
    for period in repo::periods(&state.db).await.map_err(db_error)? {
        let tree = period_tree(state, &period.id).await?;
        let stars = summary(period.clone()).stars;
        let mut reviewed: HashMap<String, Vec<ReviewedPoints>> = HashMap::new();
        for r in repo::scored_all(&state.db, &period.id)
            .await
            .map_err(db_error)?
        {
            reviewed.entry(key_string(&r.org)).or_default().push((
                key_string(&r.indicator),
                score_group(&key_string(&r.task), r.member.is_some()),
                points(r.score),
            ));
        }
        let stored: HashMap<String, Rollup> = repo::branch_scores(&state.db, &period.id)
            .await
            .map_err(db_error)?
            .iter()
            .map(|s| (key_string(&s.org), rollup_of(s)))
            .collect();
        let mut orgs: Vec<&String> = reviewed.keys().chain(stored.keys()).collect();
        orgs.sort();
        orgs.dedup();
        for org in orgs {
            let computed = branch_rollup(&tree, reviewed.get(org).map_or(&[][..], |v| v));
            let have = stored.get(org).copied();
            if have != Some(computed) && (have.is_some() || computed != Rollup::default()) {
                if repair {
                    repo::set_score(
                        &state.db,
                        score_write(&period.id, &id("org", org), 0, computed, &stars),
                        state.clock.now(),
                    )
                    .await
                    .map_err(db_error)?;
                }
                out.push(Mismatch {
                    period: key_string(&period.id),
                    org: org.clone(),
                    stored: have,
                    computed,
                });
            }
        }
    }
    Ok(out)
}
