//! Orchestration behind the reflection server functions (`crate::api::reflection`, issue
//! 15): a member writes their own; their branch reads what its committee shares; a
//! committee (and the office) reads every reflection in reach and selects.

use chrono::Datelike;
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action, china_offset};
use crate::models::org::is_valid_key;
use crate::models::reflection::{
    ReflectionInput, ReflectionView, ReflectionsPage, ShareInput, check_reflection,
};
use crate::server::audit::Event;
use crate::server::repo::reflection::ReflectionDb;
use crate::server::scope::Reach;
use crate::server::service::learning::member;
use crate::server::{Ctx, db_error, fail, invalid, key_string, repo};

fn view(r: ReflectionDb) -> ReflectionView {
    ReflectionView {
        id: key_string(&r.id),
        name: r.name.unwrap_or_default(),
        org_name: r.org_name.unwrap_or_default(),
        year: i32::try_from(r.year).unwrap_or(0),
        title: r.title,
        body: r.body,
        shared: r.shared,
        updated: r
            .updated_at
            .with_timezone(&china_offset())
            .format("%Y-%m-%d")
            .to_string(),
    }
}

/// The organisations in the caller's reach (`None`: all; empty: none).
fn in_reach(ctx: &Ctx) -> Result<Option<Vec<RecordId>>, AppError> {
    match &ctx.scope.reach {
        Reach::All => Ok(None),
        Reach::Subtrees(_) => Ok(Some(
            ctx.scope
                .orgs("")
                .map_err(|()| fail(AppError::Forbidden))?
                .unwrap_or_default(),
        )),
        _ => Ok(Some(Vec::new())),
    }
}

/// The caller's own reflection of `year` (0: this year), what their organisation shares,
/// and for a committee every reflection in reach.
pub async fn list(ctx: &Ctx, year: i32) -> Result<ReflectionsPage, AppError> {
    let db = &ctx.state.db;
    let year = if year == 0 { ctx.today().year() } else { year };
    let mut out = ReflectionsPage {
        year,
        ..ReflectionsPage::default()
    };
    if let Some(me) = member(ctx) {
        out.can_write = true;
        out.mine = repo::reflection::find(db, &repo::reflection::key(year, &me))
            .await
            .map_err(db_error)?
            .map(view);
    }
    if let Some(org) = ctx.caller.member_org.as_deref() {
        out.shared =
            repo::reflection::of_orgs(db, Some(vec![RecordId::new("org", org)]), year, true)
                .await
                .map_err(db_error)?
                .into_iter()
                .map(view)
                .collect();
    }
    let orgs = in_reach(ctx)?;
    if orgs.as_ref().is_none_or(|o| !o.is_empty()) {
        out.can_select = true;
        out.in_reach = repo::reflection::of_orgs(db, orgs, year, false)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(view)
            .collect();
    }
    Ok(out)
}

/// Writes the caller's reflection of this year (a second save changes it).
pub async fn save(ctx: &Ctx, input: ReflectionInput) -> Result<ReflectionView, AppError> {
    let valid = check_reflection(&input)
        .map_err(|p| invalid(p.field(), ctx.lang.t(p.text()).to_string()))?;
    let (Some(me), Some(org)) = (member(ctx), ctx.caller.member_org.clone()) else {
        return Err(invalid("title", ctx.lang.t(T::RfErrNoMember).to_string()));
    };
    let year = ctx.today().year();
    let key = repo::reflection::key(year, &me);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("reflection", key.clone())
        .summary(valid.0.clone());
    let change = repo::reflection::save(
        key.clone(),
        me,
        RecordId::new("org", org.as_str()),
        year,
        valid,
        ctx.state.clock.now(),
    );
    ctx.commit(&event, &change).await?;
    repo::reflection::find(&ctx.state.db, &key)
        .await
        .map_err(db_error)?
        .map(view)
        .ok_or_else(|| fail(AppError::NotFound))
}

/// Shares a reflection of an organisation in reach with its members, or takes it back.
pub async fn share(ctx: &Ctx, input: ShareInput) -> Result<ReflectionView, AppError> {
    let id = input.id.trim();
    if id.is_empty() {
        return Err(invalid("id", ctx.lang.t(T::RfErrWhich).to_string()));
    }
    let found = if is_valid_key(id) {
        repo::reflection::find(&ctx.state.db, id)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let r = match found {
        Some(r) if ctx.scope.org(&key_string(&r.org)) => r,
        None if ctx.scope.is_all() => return Err(fail(AppError::NotFound)),
        _ => return Err(ctx.deny("reflection", id).await),
    };
    let key = key_string(&r.id);
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("reflection", key.clone())
        .summary(if input.shared { "shared" } else { "not shared" }.to_string());
    let by = ctx.caller.account.clone().unwrap_or_default();
    let change = repo::reflection::share(key, input.shared, by, ctx.state.clock.now());
    ctx.commit(&event, &change).await?;
    Ok(ReflectionView {
        shared: input.shared,
        ..view(r)
    })
}
