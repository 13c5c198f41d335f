//! The points ledger and its rules (issue 15, schema `0044_points`).

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::points::{PointRule, PointSettings, RuleSetting};
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

#[derive(Debug, Clone, SurrealValue)]
struct RuleDb {
    rule: String,
    amount: i64,
    cap: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct SettingsDb {
    rules: Vec<RuleDb>,
    branch_totals: bool,
}

/// The office's rules, if it saved any.
pub async fn settings(db: &Db) -> surrealdb::Result<Option<PointSettings>> {
    let found: Option<SettingsDb> = db
        .query("SELECT rules, branch_totals FROM ONLY point_settings:current")
        .await?
        .check()?
        .take(0)?;
    Ok(found.map(|s| PointSettings {
        rules: s
            .rules
            .into_iter()
            .filter_map(|r| {
                Some(RuleSetting {
                    rule: PointRule::parse(&r.rule)?,
                    amount: u16::try_from(r.amount).unwrap_or(0),
                    cap: u16::try_from(r.cap).unwrap_or(0),
                })
            })
            .collect(),
        branch_totals: s.branch_totals,
    }))
}

/// Replaces the rules.
pub fn save_settings(settings: PointSettings, by: Stamp) -> Change {
    let rules: Vec<RuleDb> = settings
        .rules
        .iter()
        .map(|r| RuleDb {
            rule: r.rule.as_str().to_string(),
            amount: i64::from(r.amount),
            cap: i64::from(r.cap),
        })
        .collect();
    Change::new(
        "UPSERT point_settings:current CONTENT {
             rules: $p_rules, branch_totals: $p_branch, updated_by: $p_actor, updated_at: $p_now
         };",
    )
    .bind("p_rules", rules)
    .bind("p_branch", settings.branch_totals)
    .bind("p_actor", by.actor)
    .bind("p_now", by.now)
}

/// One award to write.
pub struct Award {
    pub key: String,
    pub member: RecordId,
    pub rule: PointRule,
    pub amount: u16,
    pub cap: u16,
    pub source: String,
    pub label: String,
    pub day: NaiveDate,
    pub now: DateTime<Utc>,
}

/// Writes an award in one transaction: what is left of the rule's daily cap for the
/// member's day, nothing when that is none, and nothing when this key was written before
/// (the same thing earns once).
pub async fn award(db: &Db, a: Award) -> surrealdb::Result<()> {
    let res = db
        .query(
            "BEGIN;
             LET $used = math::sum(SELECT VALUE amount FROM point
                 WHERE member = $member AND day = $day AND rule = $rule);
             LET $give = math::min([$amount, $cap - $used]);
             IF $give > 0 AND record::exists(type::record('point', $key)) = false {
                 CREATE type::record('point', $key) CONTENT {
                     member: $member, rule: $rule, amount: $give, source: $source,
                     label: $label, day: $day, at: $now };
             };
             COMMIT;",
        )
        .bind(("key", a.key))
        .bind(("member", a.member))
        .bind(("rule", a.rule.as_str().to_string()))
        .bind(("amount", i64::from(a.amount)))
        .bind(("cap", i64::from(a.cap)))
        .bind(("source", a.source))
        .bind(("label", a.label))
        .bind(("day", a.day))
        .bind(("now", a.now))
        .await?
        .check();
    match res {
        Ok(_) => Ok(()),
        // Written at the same moment by another request: once is enough.
        Err(e) if e.to_string().contains("already exists") => Ok(()),
        Err(e) => Err(e),
    }
}

/// A ledger entry as read.
#[derive(Debug, Clone, SurrealValue)]
pub struct PointDb {
    pub rule: PointRule,
    pub amount: i64,
    pub label: String,
    pub day: NaiveDate,
}

/// One page of `member`'s ledger (newest first), how many entries there are, their total
/// and the total since `year_start`.
pub async fn of_member(
    db: &Db,
    member: RecordId,
    year_start: NaiveDate,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<PointDb>, i64, i64, i64)> {
    #[derive(SurrealValue)]
    struct Sums {
        n: i64,
        total: i64,
        year: i64,
    }
    let mut res = db
        .query(
            "SELECT rule, amount, label, day, at FROM point WHERE member = $member
                 ORDER BY at DESC LIMIT $limit START $start;
             SELECT count() AS n, math::sum(amount) AS total,
                 math::sum(IF day >= $year { amount } ELSE { 0 }) AS year
                 FROM point WHERE member = $member GROUP ALL;",
        )
        .bind(("member", member))
        .bind(("year", year_start))
        .bind(("start", start))
        .bind(("limit", limit))
        .await?
        .check()?;
    let rows: Vec<PointDb> = res.take(0)?;
    let sums: Option<Sums> = res.take(1)?;
    let (n, total, year) = sums.map_or((0, 0, 0), |s| (s.n, s.total, s.year));
    Ok((rows, n, total, year))
}

/// Each of `members`' totals (those with none left out).
pub async fn totals(db: &Db, members: Vec<RecordId>) -> surrealdb::Result<Vec<(RecordId, i64)>> {
    #[derive(SurrealValue)]
    struct Row {
        member: RecordId,
        total: i64,
    }
    let rows: Vec<Row> = db
        .query(
            "SELECT member, math::sum(amount) AS total FROM point
                 WHERE member IN $members GROUP BY member",
        )
        .bind(("members", members))
        .await?
        .check()?
        .take(0)?;
    Ok(rows.into_iter().map(|r| (r.member, r.total)).collect())
}

/// A ledger entry as the demo inserts it, keyed as an award would be.
#[derive(Debug, Clone, SurrealValue)]
pub struct PointInsert {
    pub id: RecordId,
    pub member: RecordId,
    pub rule: String,
    pub amount: i64,
    pub source: String,
    pub label: String,
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
}

impl PointInsert {
    pub fn new(
        member: RecordId,
        rule: PointRule,
        source: String,
        label: String,
        amount: i64,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> Self {
        PointInsert {
            id: RecordId::new("point", award_key(rule, &source, &member)),
            member,
            rule: rule.as_str().to_string(),
            amount,
            source,
            label,
            day,
            at,
        }
    }
}

/// The key of `rule`'s award to `member` for `source`: the same thing earns once.
pub fn award_key(rule: PointRule, source: &str, member: &RecordId) -> String {
    let key = crate::server::sha256_hex(&format!(
        "{}\u{1f}{source}\u{1f}{}",
        rule.as_str(),
        crate::server::key_string(member)
    ));
    key[..32].to_string()
}

/// Many entries at once (the demo).
pub fn insert_many(rows: Vec<PointInsert>) -> Change {
    Change::new("INSERT INTO point $p_rows;").bind("p_rows", rows)
}
