//! SurrealQL for the audit trail. The chain itself (sequence, hashes, the retry when
//! another server took a place, the walk that verifies it) is `server::audit`'s.

use chrono::{DateTime, Utc};
use surrealdb::types::{SurrealValue, Value};

use crate::models::audit::{AuditQuery, day_bounds};
use crate::server::Db;
use crate::server::audit::{Change, Row};

/// The head of the chain: the last entry, and the anchor left by pruning.
#[derive(Debug, SurrealValue)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    pub anchor_seq: i64,
    pub anchor_hash: String,
}

pub async fn head(db: &Db) -> surrealdb::Result<Option<Head>> {
    let mut res = db
        .query("SELECT seq, hash, anchor_seq, anchor_hash FROM ONLY audit_head:chain")
        .await?
        .check()?;
    res.take(0)
}

/// Writes the entry (its key is its sequence number, so a second writer of the same place
/// fails) and moves the head, with the change, if any, in the same transaction.
pub async fn append(db: &Db, row: Row, change: Option<&Change>) -> surrealdb::Result<()> {
    let sql = format!(
        "BEGIN TRANSACTION;
         {}
         CREATE type::record('audit', $audit_seq) CONTENT $audit_row;
         UPSERT audit_head:chain SET seq = $audit_seq, hash = $audit_hash;
         COMMIT TRANSACTION;",
        change.map_or(String::new(), |c| format!(
            "{};",
            c.sql.trim_end_matches(';')
        ))
    );
    let mut query = db
        .query(sql)
        .bind(("audit_seq", row.seq))
        .bind(("audit_hash", row.hash.clone()))
        .bind(("audit_row", row));
    if let Some(change) = change {
        for (name, value) in &change.vars {
            query = query.bind((name.clone(), value.clone()));
        }
    }
    let mut response = query.await?;
    // A failed transaction fails every statement; the one that says why is a guard's
    // `THROW` (`server::GUARD`) when there is one, else the first.
    let mut errors: Vec<(usize, surrealdb::Error)> = response.take_errors().into_iter().collect();
    errors.sort_by_key(|(i, _)| *i);
    match errors
        .iter()
        .position(|(_, e)| crate::server::guard_of(e).is_some())
    {
        Some(i) => Err(errors.swap_remove(i).1),
        None if errors.is_empty() => Ok(()),
        None => Err(errors.swap_remove(0).1),
    }
}

/// The entries after `after` up to `until`, in order.
pub async fn batch(db: &Db, after: i64, until: i64) -> surrealdb::Result<Vec<Row>> {
    let mut res = db
        .query("SELECT * OMIT id FROM audit WHERE seq > $after AND seq <= $until ORDER BY seq")
        .bind(("after", after))
        .bind(("until", until))
        .await?
        .check()?;
    res.take(0)
}

/// The first sequence number after `after`, if any.
pub async fn next_seq(db: &Db, after: i64) -> surrealdb::Result<Option<i64>> {
    let mut res = db
        .query("SELECT VALUE seq FROM audit WHERE seq > $after ORDER BY seq LIMIT 1")
        .bind(("after", after))
        .await?
        .check()?;
    let next: Vec<i64> = res.take(0)?;
    Ok(next.first().copied())
}

/// The `WHERE` clause of a search and its bound values.
fn filters(query: &AuditQuery) -> (String, Vec<(String, Value)>) {
    let mut conds = Vec::new();
    let mut vars: Vec<(String, Value)> = Vec::new();
    let (from, to) = day_bounds(query.from, query.to);
    if let Some(from) = from {
        conds.push("at >= $from");
        vars.push(("from".into(), from.into_value()));
    }
    if let Some(to) = to {
        conds.push("at < $to");
        vars.push(("to".into(), to.into_value()));
    }
    for (field, value) in [
        ("actor", &query.actor),
        ("action", &query.action),
        ("entity", &query.entity),
    ] {
        let value = value.trim();
        if !value.is_empty() {
            conds.push(match field {
                "actor" => "actor = $actor",
                "action" => "action = $action",
                _ => "entity = $entity",
            });
            vars.push((field.into(), value.to_string().into_value()));
        }
    }
    let clause = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (clause, vars)
}

/// One page of entries matching the query, newest first, and how many match.
pub async fn search(
    db: &Db,
    query: &AuditQuery,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<Row>, i64)> {
    let (clause, vars) = filters(query);
    let sql = format!(
        "SELECT * OMIT id FROM audit {clause} ORDER BY seq DESC LIMIT $limit START $start;
         SELECT count() AS n FROM audit {clause} GROUP ALL;"
    );
    let mut q = db.query(sql).bind(("limit", limit)).bind(("start", start));
    for (name, value) in vars {
        q = q.bind((name, value));
    }
    let mut res = q.await?.check()?;
    let rows: Vec<Row> = res.take(0)?;
    let total: Option<i64> = res.take((1, "n"))?;
    Ok((rows, total.unwrap_or(0)))
}

/// Every entry matching the query, oldest first, up to `limit`.
pub async fn matching(db: &Db, query: &AuditQuery, limit: i64) -> surrealdb::Result<Vec<Row>> {
    let (clause, vars) = filters(query);
    let mut q = db
        .query(format!(
            "SELECT * OMIT id FROM audit {clause} ORDER BY seq LIMIT $limit"
        ))
        .bind(("limit", limit));
    for (name, value) in vars {
        q = q.bind((name, value));
    }
    q.await?.check()?.take(0)
}

/// The last entry older than `cutoff`: its sequence number and hash.
pub async fn last_before(
    db: &Db,
    cutoff: DateTime<Utc>,
) -> surrealdb::Result<Option<(i64, String)>> {
    #[derive(SurrealValue)]
    struct Last {
        seq: i64,
        hash: String,
    }
    let mut res = db
        .query("SELECT seq, hash FROM audit WHERE at < $cutoff ORDER BY seq DESC LIMIT 1;")
        .bind(("cutoff", cutoff))
        .await?
        .check()?;
    let last: Vec<Last> = res.take(0)?;
    Ok(last.into_iter().next().map(|l| (l.seq, l.hash)))
}

/// How many entries there are up to `seq`.
pub async fn count_through(db: &Db, seq: i64) -> surrealdb::Result<i64> {
    let mut res = db
        .query("SELECT count() AS n FROM audit WHERE seq <= $seq GROUP ALL")
        .bind(("seq", seq))
        .await?
        .check()?;
    let n: Option<i64> = res.take((0, "n"))?;
    Ok(n.unwrap_or(0))
}

/// Removes the entries up to `seq` and anchors the chain at that entry (`hash`), in one
/// transaction.
pub async fn remove_through(db: &Db, seq: i64, hash: String) -> surrealdb::Result<()> {
    db.query(
        "BEGIN TRANSACTION;
         DELETE audit WHERE seq <= $seq;
         UPDATE audit_head:chain SET anchor_seq = $seq, anchor_hash = $hash;
         COMMIT TRANSACTION;",
    )
    .bind(("seq", seq))
    .bind(("hash", hash))
    .await?
    .check()?;
    Ok(())
}
