//! Orchestration behind the `meeting` server functions (`crate::api::meeting`): the first
//! part of organisational life (issue 14), meetings scheduled or recorded and where a
//! branch stands against the compliance rules.

use chrono::{Datelike, NaiveDate};

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action};
use crate::models::meeting::{
    DEFAULT_RULES, DEFAULT_WARN_DAYS, MeetingInput, MeetingQuery, MeetingSummary, MeetingsPage,
    check_meeting, is_late_record, standings,
};
use crate::server::audit::Event;
use crate::server::{Ctx, db_error, invalid, key_string, new_key, repo, scope};

/// Schedules a meeting of an organisation in the caller's reach (or records one already
/// held: a day before today is a 补录, marked late). Returns its key.
pub async fn schedule(ctx: &Ctx, input: MeetingInput) -> Result<String, AppError> {
    let org = input.org.trim();
    if org.is_empty() {
        return Err(invalid("org", ctx.lang.t(T::MtErrOrg).to_string()));
    }
    let info = scope::record::org(ctx, org).await?;
    let valid = check_meeting(&input, info.kind)
        .map_err(|p| invalid(p.field(), ctx.lang.t(p.text()).to_string()))?;
    let late = is_late_record(valid.day, ctx.today());
    let key = new_key("mt");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("meeting", key.clone())
        .summary(format!("{} {} for {org}", valid.kind.as_str(), valid.day));
    let change = repo::meeting::schedule(key.clone(), info.id, valid, late, ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// The year's meetings of the organisations in reach (narrowed to `org`'s subtree), and,
/// for one named organisation, where each of its rules stands today.
pub async fn list(ctx: &Ctx, query: MeetingQuery) -> Result<MeetingsPage, AppError> {
    let org = query.org.trim();
    let Ok(orgs) = ctx.scope.orgs(org) else {
        return Err(ctx.deny("org", org).await);
    };
    let today = ctx.today();
    let year = if query.year == 0 {
        today.year()
    } else {
        query.year
    };
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(invalid("year", ctx.lang.t(T::MtErrDay).to_string()));
    };
    let rows = repo::meeting::in_days(&ctx.state.db, orgs, from, to)
        .await
        .map_err(db_error)?;
    let meetings: Vec<MeetingSummary> = rows
        .into_iter()
        .map(|r| MeetingSummary {
            id: key_string(&r.id),
            org: key_string(&r.org),
            org_name: r.org_name,
            kind: r.kind,
            day: r.day,
            time: r.time,
            topic: r.topic,
            room: r.room,
            late: r.late,
        })
        .collect();
    let standings = if org.is_empty() || year != today.year() {
        Vec::new()
    } else {
        // In reach (checked above): its kind comes from the cached structure.
        let structure = ctx
            .state
            .structure
            .get(&ctx.state.db)
            .await
            .map_err(db_error)?;
        let Some(kind) = structure
            .subtrees(&[org.to_string()])
            .first()
            .map(|n| n.kind)
        else {
            return Err(ctx.deny("org", org).await);
        };
        let held: Vec<_> = meetings
            .iter()
            .filter(|m| m.org == org)
            .map(|m| (m.kind, m.day))
            .collect();
        standings(kind, DEFAULT_RULES, &held, today, DEFAULT_WARN_DAYS)
    };
    Ok(MeetingsPage {
        year,
        meetings,
        standings,
    })
}
