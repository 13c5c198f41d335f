//! The audit trail (安全审计): append-only, hash-chained entries.
//!
//! Every entry's hash is the SHA-256 of its fields and the previous entry's hash. Appends
//! are serialised in this process by a lock and across processes by the record key (the
//! sequence number): a second server that read the same head fails to create the same key
//! and retries. A business change and its entry are written in one transaction, so a change
//! is never without its entry.

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use surrealdb::types::{SurrealValue, Value};

use crate::access::Caller;
use crate::models::audit::{
    AUDIT_PAGE_SIZE, AuditEntry, AuditPage, AuditQuery, ChainReport, Outcome,
};
use crate::server::repo::audit as repo;
use crate::server::{Db, sha256_hex};

/// The `prev_hash` of the very first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as the caller describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub action: &'static str,
    pub entity: String,
    pub entity_id: String,
    pub outcome: Outcome,
    /// A short summary of the change, never secrets or full ID numbers.
    pub summary: String,
}

impl Event {
    pub fn new(action: &'static str, outcome: Outcome) -> Event {
        Event {
            action,
            entity: String::new(),
            entity_id: String::new(),
            outcome,
            summary: String::new(),
        }
    }

    pub fn on(mut self, entity: &str, id: impl Into<String>) -> Event {
        self.entity = entity.to_string();
        self.entity_id = id.into();
        self
    }

    pub fn summary(mut self, summary: impl Into<String>) -> Event {
        self.summary = summary.into();
        self
    }
}

/// Who did it, from where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    /// The account name, the name tried at a failed sign-in, or `-` for a visitor.
    pub name: String,
    pub roles: Vec<String>,
    pub address: String,
}

impl Actor {
    pub fn of(caller: &Caller) -> Actor {
        Actor {
            name: caller
                .account
                .clone()
                .or_else(|| caller.device.as_ref().map(|d| format!("tablet:{d}")))
                .unwrap_or_else(|| "-".into()),
            roles: caller
                .roles
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            address: caller.address.clone(),
        }
    }
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq, SurrealValue)]
pub struct Row {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub roles: Vec<String>,
    pub address: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub outcome: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Row {
    /// The hash this entry must carry: every field but the hash itself, unambiguously
    /// separated, then the previous hash.
    pub fn expected_hash(&self) -> String {
        let at = self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let fields = [
            self.seq.to_string(),
            at,
            self.actor.clone(),
            self.roles.join(","),
            self.address.clone(),
            self.action.clone(),
            self.entity.clone(),
            self.entity_id.clone(),
            self.outcome.clone(),
            self.summary.clone(),
            self.prev_hash.clone(),
        ];
        sha256_hex(&fields.join("\u{1f}"))
    }

    fn into_entry(self) -> AuditEntry {
        AuditEntry {
            seq: self.seq,
            at: self.at,
            actor: self.actor,
            roles: self.roles,
            address: self.address,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            outcome: self.outcome,
            summary: self.summary,
        }
    }
}

/// Serialises appends within this process (other processes are kept apart by the key).
#[derive(Clone, Default)]
pub struct AuditLog {
    lock: Arc<tokio::sync::Mutex<()>>,
}

/// A business change written in the same transaction as its audit entry.
pub struct Change {
    pub sql: String,
    pub vars: Vec<(String, Value)>,
}

impl Change {
    pub fn new(sql: impl Into<String>) -> Change {
        Change {
            sql: sql.into(),
            vars: Vec::new(),
        }
    }

    pub fn bind(mut self, name: &str, value: impl SurrealValue) -> Change {
        self.vars.push((name.to_string(), value.into_value()));
        self
    }

    /// This change followed by `next`, in the same transaction (names must not clash).
    pub fn then(mut self, next: Change) -> Change {
        self.sql.push('\n');
        self.sql.push_str(&next.sql);
        self.vars.extend(next.vars);
        self
    }
}

impl AuditLog {
    /// Appends an entry (with the change, if any, in the same transaction) and returns its
    /// sequence number.
    pub async fn append(
        &self,
        db: &Db,
        now: DateTime<Utc>,
        actor: &Actor,
        event: &Event,
        change: Option<&Change>,
    ) -> surrealdb::Result<i64> {
        let _guard = self.lock.lock().await;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (seq, prev_hash) = match repo::head(db).await? {
                Some(h) => (h.seq + 1, h.hash),
                None => (1, GENESIS.to_string()),
            };
            let mut row = Row {
                seq,
                at: now.trunc_subsecs(6),
                actor: truncate(&actor.name, 64),
                roles: actor.roles.clone(),
                address: actor.address.clone(),
                action: event.action.to_string(),
                entity: event.entity.clone(),
                entity_id: event.entity_id.clone(),
                outcome: event.outcome.as_str().to_string(),
                summary: truncate(&event.summary, 500),
                prev_hash,
                hash: String::new(),
            };
            row.hash = row.expected_hash();
            match repo::append(db, row, change).await {
                Ok(()) => return Ok(seq),
                // A condition checked inside the transaction refused the change: reading
                // the head again would not change its answer.
                Err(e) if crate::server::guard_of(&e).is_some() => return Err(e),
                // Another server took this place in the chain: read the head again.
                Err(e) if attempt < 3 => {
                    tracing::debug!(error = %e, attempt, "audit append retried");
                }
                Err(e) => return Err(e),
            }
        }
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// Walks the whole chain and reports the first entry whose hash or link is wrong.
pub async fn verify(db: &Db) -> surrealdb::Result<ChainReport> {
    const BATCH: i64 = 1000;
    let head = repo::head(db).await?;
    let (anchor_seq, anchor_hash, last) = match &head {
        Some(h) if h.anchor_seq > 0 => (h.anchor_seq, h.anchor_hash.clone(), h.seq),
        Some(h) => (0, GENESIS.to_string(), h.seq),
        None => (0, GENESIS.to_string(), 0),
    };
    let mut report = ChainReport {
        checked: 0,
        first_broken: None,
        first_seq: None,
        last_seq: None,
    };
    let mut expected_seq = anchor_seq + 1;
    let mut prev = anchor_hash;
    let mut after = anchor_seq;
    loop {
        let rows = repo::batch(db, after, after + BATCH).await?;
        if rows.is_empty() {
            // A gap wider than a batch, or entries beyond the recorded head.
            match repo::next_seq(db, after).await? {
                Some(n) => {
                    report.first_broken.get_or_insert(expected_seq.min(n));
                    after = n - 1;
                    continue;
                }
                None => break,
            }
        }
        for row in rows {
            report.checked += 1;
            report.first_seq.get_or_insert(row.seq);
            report.last_seq = Some(row.seq);
            if report.first_broken.is_none()
                && (row.seq != expected_seq
                    || row.prev_hash != prev
                    || row.hash != row.expected_hash())
            {
                // A missing entry shows as a gap: the first missing number is the break.
                report.first_broken = Some(expected_seq.min(row.seq));
            }
            expected_seq = row.seq + 1;
            prev = row.hash.clone();
            after = row.seq;
        }
    }
    if report.first_broken.is_none() && head.is_some() && report.last_seq != Some(last) {
        // Entries at the end were removed.
        report.first_broken = Some(report.last_seq.map_or(anchor_seq + 1, |s| s + 1));
    }
    Ok(report)
}

/// One page of entries matching the query, newest first.
pub async fn search(db: &Db, query: &AuditQuery) -> surrealdb::Result<AuditPage> {
    let page = query.page.max(1);
    let (rows, total) = repo::search(
        db,
        query,
        crate::models::page_start(page, AUDIT_PAGE_SIZE),
        i64::from(AUDIT_PAGE_SIZE),
    )
    .await?;
    Ok(AuditPage {
        entries: rows.into_iter().map(Row::into_entry).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size: AUDIT_PAGE_SIZE,
    })
}

/// Every entry matching the query (oldest first), up to `limit`, for export.
pub async fn matching(
    db: &Db,
    query: &AuditQuery,
    limit: i64,
) -> surrealdb::Result<Vec<AuditEntry>> {
    let rows = repo::matching(db, query, limit).await?;
    Ok(rows.into_iter().map(Row::into_entry).collect())
}

/// Removes entries older than `cutoff` (the schema refuses anything younger than 184 days)
/// and moves the chain's anchor to the last removed entry. Returns how many were removed.
pub async fn prune(db: &Db, log: &AuditLog, cutoff: DateTime<Utc>) -> surrealdb::Result<u64> {
    let _guard = log.lock.lock().await;
    let Some((seq, hash)) = repo::last_before(db, cutoff).await? else {
        return Ok(0);
    };
    let n = repo::count_through(db, seq).await?;
    repo::remove_through(db, seq, hash).await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
