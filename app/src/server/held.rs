//! Rows held in memory for a few seconds while this server follows the database's changes
//! ([`super::live`]): who a session or a tablet's credential belongs to, read once instead
//! of on every request.
//!
//! An entry is trusted only while change notifications arrive: every server forgets the
//! entries a change concerns as its notification arrives (the writing server at once,
//! before it answers), and while the subscription is down nothing is held and every
//! request reads the database. What reaches a row only through other tables is at most
//! the time to live old.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Rows of type `R` by key, each trusted for `ttl` without a notification.
pub struct Held<R> {
    inner: Arc<Inner<R>>,
}

impl<R> Clone for Held<R> {
    fn clone(&self) -> Self {
        Held {
            inner: self.inner.clone(),
        }
    }
}

struct Inner<R> {
    rows: Mutex<HashMap<String, Entry<R>>>,
    /// Bumped by every forgetting: a row read before it is not stored after it.
    epoch: AtomicU64,
    /// Whether change notifications arrive (only then is anything held).
    live: AtomicBool,
    ttl: Duration,
    capacity: usize,
}

struct Entry<R> {
    row: R,
    at: Instant,
}

impl<R: Clone> Held<R> {
    /// Holds at most `capacity` rows (the stale ones go first), each for `ttl`.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Held {
            inner: Arc::new(Inner {
                rows: Mutex::new(HashMap::new()),
                epoch: AtomicU64::new(0),
                live: AtomicBool::new(false),
                ttl,
                capacity,
            }),
        }
    }

    /// The row under `key`, when notifications arrive and it is fresh.
    pub fn get(&self, key: &str) -> Option<R> {
        if !self.inner.live.load(Ordering::Acquire) {
            return None;
        }
        let rows = self.inner.rows.lock().ok()?;
        rows.get(key)
            .filter(|e| e.at.elapsed() < self.inner.ttl)
            .map(|e| e.row.clone())
    }

    /// The row under `key` from memory while that is safe, else what `load` reads (then
    /// kept).
    pub async fn get_or_load<E>(
        &self,
        key: &str,
        load: impl Future<Output = Result<Option<R>, E>>,
    ) -> Result<Option<R>, E> {
        if let Some(row) = self.get(key) {
            return Ok(Some(row));
        }
        self.load(key, load).await
    }

    /// What `load` reads for `key`, kept unless something was forgotten meanwhile.
    pub async fn load<E>(
        &self,
        key: &str,
        load: impl Future<Output = Result<Option<R>, E>>,
    ) -> Result<Option<R>, E> {
        let epoch = self.epoch();
        let row = load.await?;
        if let Some(row) = &row {
            self.keep(key, row.clone(), epoch);
        }
        Ok(row)
    }

    /// The epoch to pass to [`Held::keep`], taken before the row is read.
    pub fn epoch(&self) -> u64 {
        self.inner.epoch.load(Ordering::Acquire)
    }

    /// Keeps `row`, read after `epoch` was taken, unless something was forgotten since
    /// or notifications do not arrive.
    pub fn keep(&self, key: &str, row: R, epoch: u64) {
        if !self.inner.live.load(Ordering::Acquire) {
            return;
        }
        let Ok(mut rows) = self.inner.rows.lock() else {
            return;
        };
        // Checked under the lock that forgetting takes too: a forget either happened
        // before (the epoch moved, nothing is kept) or comes after and removes this.
        if self.inner.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if rows.len() >= self.inner.capacity {
            let ttl = self.inner.ttl;
            rows.retain(|_, e| e.at.elapsed() < ttl);
            if rows.len() >= self.inner.capacity {
                rows.clear();
            }
        }
        rows.insert(
            key.to_string(),
            Entry {
                row,
                at: Instant::now(),
            },
        );
    }

    /// Forgets the rows `pred` names.
    pub fn forget_where(&self, pred: impl Fn(&str, &R) -> bool) {
        if let Ok(mut rows) = self.inner.rows.lock() {
            self.inner.epoch.fetch_add(1, Ordering::AcqRel);
            rows.retain(|k, e| !pred(k, &e.row));
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.forget_where(|_, _| true);
    }

    /// Changes the row under `key` in place (what this server itself just wrote).
    pub fn update(&self, key: &str, change: impl FnOnce(&mut R)) {
        if let Ok(mut rows) = self.inner.rows.lock()
            && let Some(e) = rows.get_mut(key)
        {
            change(&mut e.row);
        }
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

    /// How many rows are held (tests).
    pub fn len(&self) -> usize {
        self.inner.rows.lock().map(|r| r.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_held_only_while_live_fresh_and_not_forgotten_since_the_read() {
        let held = Held::<u32>::new(Duration::from_millis(200), 2);
        held.keep("a", 1, held.epoch());
        assert_eq!(held.get("a"), None, "not live: nothing held");
        held.set_live(true);
        held.keep("a", 1, held.epoch());
        assert_eq!(held.get("a"), Some(1));
        // A row read before a forgetting is not kept after it.
        let before = held.epoch();
        held.forget_where(|k, _| k == "zzz");
        held.keep("b", 2, before);
        assert_eq!(held.get("b"), None);
        held.update("a", |r| *r = 5);
        assert_eq!(held.get("a"), Some(5));
        // Full: the stale go, or everything.
        held.keep("b", 2, held.epoch());
        held.keep("c", 3, held.epoch());
        assert_eq!(held.len(), 1);
        assert_eq!(held.get("c"), Some(3));
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(held.get("c"), None, "older than the time to live");
        held.keep("d", 4, held.epoch());
        held.set_live(false);
        assert!(held.is_empty() && held.get("d").is_none());
    }
}
