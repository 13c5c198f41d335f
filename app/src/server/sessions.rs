//! Sessions held in memory for a few seconds, so that a page view does not cost a database
//! read to learn who is asking.
//!
//! Safe across app servers because an entry is trusted only while this server is
//! subscribed to the changes of the `session` and `account` tables ([`super::live`]): a
//! logout, a password change or reset, a disabled account and a change of roles delete or
//! update those records, and every server forgets the entries concerned as the
//! notification arrives (this server at once, before its own answer is sent). While the
//! subscription is down, nothing is held and every request reads the database.
//!
//! What reaches a session only through other tables (the organisation of the member an
//! account belongs to, moved by a transfer) is at most [`TTL`] old.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use crate::server::repo::account::SessionRow;
use crate::server::{Db, repo};

/// How long an entry is trusted without a notification.
pub const TTL: Duration = Duration::from_secs(10);
/// More sessions than this are not held (the oldest entries go first).
const CAPACITY: usize = 20_000;

#[derive(Clone, Default)]
pub struct SessionCache {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    held: Mutex<HashMap<String, Held>>,
    /// Bumped by every forgetting: a row read before it is not stored after it.
    epoch: AtomicU64,
    /// Whether change notifications arrive (only then is anything held).
    live: AtomicBool,
}

struct Held {
    row: SessionRow,
    at: Instant,
}

/// Where a session row came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Memory,
    Database,
}

impl SessionCache {
    /// The session stored under `key`, from memory while that is safe, else from the
    /// database (and then kept).
    pub async fn get(&self, db: &Db, key: &str) -> surrealdb::Result<Option<(SessionRow, Source)>> {
        if self.inner.live.load(Ordering::Acquire) {
            if let Some(row) = self.held(key) {
                return Ok(Some((row, Source::Memory)));
            }
        }
        Ok(self.load(db, key).await?.map(|row| (row, Source::Database)))
    }

    /// Reads the session from the database, and keeps it when nothing was forgotten
    /// meanwhile and notifications arrive.
    pub async fn load(&self, db: &Db, key: &str) -> surrealdb::Result<Option<SessionRow>> {
        let epoch = self.inner.epoch.load(Ordering::Acquire);
        let row = repo::account::session(db, key).await?;
        if let Some(row) = &row {
            self.keep(key, row.clone(), epoch);
        }
        Ok(row)
    }

    fn held(&self, key: &str) -> Option<SessionRow> {
        let held = self.inner.held.lock().ok()?;
        held.get(key)
            .filter(|h| h.at.elapsed() < TTL)
            .map(|h| h.row.clone())
    }

    fn keep(&self, key: &str, row: SessionRow, epoch: u64) {
        if !self.inner.live.load(Ordering::Acquire) {
            return;
        }
        let Ok(mut held) = self.inner.held.lock() else {
            return;
        };
        // Checked under the lock that forgetting takes too: a forget either happened
        // before (the epoch moved, nothing is kept) or comes after and removes this.
        if self.inner.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if held.len() >= CAPACITY {
            held.retain(|_, h| h.at.elapsed() < TTL);
            if held.len() >= CAPACITY {
                held.clear();
            }
        }
        held.insert(
            key.to_string(),
            Held {
                row,
                at: Instant::now(),
            },
        );
    }

    fn forget_where(&self, pred: impl Fn(&str, &SessionRow) -> bool) {
        if let Ok(mut held) = self.inner.held.lock() {
            self.inner.epoch.fetch_add(1, Ordering::AcqRel);
            held.retain(|k, h| !pred(k, &h.row));
        }
    }

    /// Forgets one session (ended, or its activity written).
    pub fn forget(&self, key: &str) {
        self.forget_where(|k, _| k == key);
    }

    /// Forgets every session of an account (changed, disabled, deleted).
    pub fn forget_account(&self, account: &RecordId) {
        self.forget_where(|_, row| &row.account == account);
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.forget_where(|_, _| true);
    }

    /// Whether change notifications arrive; when they stop, everything is forgotten and
    /// nothing is held until they arrive again.
    pub fn set_live(&self, live: bool) {
        if !live {
            self.inner.live.store(false, Ordering::Release);
            self.clear();
        } else {
            self.clear();
            self.inner.live.store(true, Ordering::Release);
        }
    }

    pub fn is_live(&self) -> bool {
        self.inner.live.load(Ordering::Acquire)
    }

    /// Records in memory that the session's activity was written at `now`.
    pub fn touched(&self, key: &str, now: DateTime<Utc>) {
        if let Ok(mut held) = self.inner.held.lock() {
            if let Some(h) = held.get_mut(key) {
                h.row.last_seen = now;
            }
        }
    }

    /// How many sessions are held (tests).
    pub fn len(&self) -> usize {
        self.inner.held.lock().map(|h| h.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
