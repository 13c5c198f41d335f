//! Orchestration behind the points server functions (`crate::api::points`, issue 15), and
//! the awards the learning and quiz services make.
//!
//! Points are feedback, not a quota: a member sees their own ledger; a branch committee
//! sees its members' totals (by name, never ordered by points) only when the committee
//! office turns that on; nobody sees a ranking.

use surrealdb::types::RecordId;

use crate::access::Role;
use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action};
use crate::models::org::is_valid_key;
use crate::models::page_start;
use crate::models::points::{
    MemberPoints, MembersPoints, POINTS_PAGE, PointRow, PointRule, PointSettings,
    PointSettingsInput, PointsView, RuleSetting, check_settings,
};
use crate::server::audit::Event;
use crate::server::service::learning::{member, publishers};
use crate::server::{AppState, Ctx, china_today, db_error, invalid, key_string, repo};

/// The office's rules, one per [`PointRule::ALL`] in that order: a rule the office never
/// set (added after it saved) at its default.
async fn settings(state: &AppState) -> Result<PointSettings, AppError> {
    let saved = repo::points::settings(&state.db)
        .await
        .map_err(db_error)?
        .unwrap_or_default();
    Ok(PointSettings {
        rules: PointRule::ALL
            .iter()
            .map(|&rule| {
                let (amount, cap) = saved.of(rule);
                RuleSetting { rule, amount, cap }
            })
            .collect(),
        branch_totals: saved.branch_totals,
    })
}

/// Awards `rule` to `member` for `source` (`item:<key>`, `exam:<key>`), once per thing and
/// within the rule's daily cap. A failure is logged and does not undo what earned it.
pub async fn award(
    state: &AppState,
    member: RecordId,
    rule: PointRule,
    source: String,
    label: String,
) {
    award_each(state, vec![member], rule, source, label).await;
}

/// Awards `rule` for one `source` to each of `members` (a meeting's attendees), reading
/// the rules once. A failure is logged per member and does not undo what earned it.
pub async fn award_each(
    state: &AppState,
    members: Vec<RecordId>,
    rule: PointRule,
    source: String,
    label: String,
) {
    let (amount, cap) = match settings(state).await {
        Ok(s) => s.of(rule),
        Err(e) => {
            tracing::error!(error = ?e, rule = rule.as_str(), "points not awarded");
            return;
        }
    };
    if amount == 0 || cap == 0 {
        return;
    }
    let day = china_today(state);
    for member in members {
        let award = repo::points::Award {
            key: repo::points::award_key(rule, &source, &member),
            member,
            rule,
            amount,
            cap,
            source: source.clone(),
            label: label.clone(),
            day,
            now: state.clock.now(),
        };
        if let Err(e) = repo::points::award(&state.db, award).await {
            tracing::error!(error = ?e, rule = rule.as_str(), "points not awarded");
        }
    }
}

/// The caller's points: total, this year's, one page of the ledger, the rules, and where
/// they may see members' totals.
pub async fn mine(ctx: &Ctx, page: u32) -> Result<PointsView, AppError> {
    let page = page.max(1);
    let settings = settings(&ctx.state).await?;
    let office = ctx.caller.roles.contains(&Role::CommitteeOffice);
    let mut out = PointsView {
        page,
        can_set: office,
        branches: if office || settings.branch_totals {
            publishers(ctx).await?
        } else {
            Vec::new()
        },
        settings: Some(settings),
        ..PointsView::default()
    };
    if let Some(me) = member(ctx) {
        let today = ctx.today();
        let year_start =
            chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
        let (rows, n, total, year) = repo::points::of_member(
            &ctx.state.db,
            me,
            year_start,
            page_start(page, POINTS_PAGE),
            i64::from(POINTS_PAGE),
        )
        .await
        .map_err(db_error)?;
        out.rows = rows
            .into_iter()
            .map(|r| PointRow {
                day: r.day.format("%Y-%m-%d").to_string(),
                rule: r.rule,
                label: r.label,
                amount: u16::try_from(r.amount).unwrap_or(0),
            })
            .collect();
        out.entries = u32::try_from(n).unwrap_or(0);
        out.total = u32::try_from(total).unwrap_or(0);
        out.year = u32::try_from(year).unwrap_or(0);
    }
    Ok(out)
}

/// An organisation's active members by name with their totals: for the office, and for
/// the committees in reach when the office turned that on.
pub async fn branch(ctx: &Ctx, org: &str) -> Result<MembersPoints, AppError> {
    let org = org.trim();
    if org.is_empty() || !is_valid_key(org) {
        return Err(invalid("org", ctx.lang.t(T::LnErrOrg).to_string()));
    }
    let office = ctx.caller.roles.contains(&Role::CommitteeOffice);
    if !ctx.scope.org(org) || !(office || settings(&ctx.state).await?.branch_totals) {
        return Err(ctx.deny("org", org).await);
    }
    let db = &ctx.state.db;
    let members = repo::required::members_of(db, vec![RecordId::new("org", org)])
        .await
        .map_err(db_error)?;
    let totals = repo::points::totals(db, members.iter().map(|m| m.id.clone()).collect())
        .await
        .map_err(db_error)?;
    let org_name = members
        .first()
        .map(|m| m.org_name.clone())
        .unwrap_or_default();
    Ok(MembersPoints {
        org_name,
        members: members
            .into_iter()
            .map(|m| MemberPoints {
                total: totals
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map_or(0, |(_, t)| u32::try_from(*t).unwrap_or(0)),
                id: key_string(&m.id),
                name: m.name,
            })
            .collect(),
    })
}

/// Replaces the rules (the office).
pub async fn save_settings(
    ctx: &Ctx,
    input: PointSettingsInput,
) -> Result<PointSettings, AppError> {
    let valid = check_settings(&input)
        .map_err(|field| invalid(field, ctx.lang.t(T::PtErrSettings).to_string()))?;
    let event = Event::new(action::UPDATE, Outcome::Success)
        .on("point_settings", "current".to_string())
        .summary(if valid.branch_totals {
            "branch totals shown".to_string()
        } else {
            "branch totals hidden".to_string()
        });
    let change = repo::points::save_settings(valid.clone(), ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(valid)
}
