//! Answers of reads held in memory until the data they came from changes.
//!
//! A [`ReadCache`] keeps what a load returned, tagged with the [`Version`] current *before*
//! the load began. A change during the load moves the version on, so what that load
//! returned is never served again. While changes are not followed (`Version::current` is
//! `None`) nothing is kept and every use loads.
//!
//! Only the answer of a read is held; whether the caller may see it is decided on every
//! use (see `scope::record::allow_member`), so a cache shared by all callers never widens
//! anyone's access.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use crate::server::live::Version;

/// Answers by key, at most `capacity` of them.
pub struct ReadCache<K, V> {
    held: Mutex<HashMap<K, (u64, Arc<V>)>>,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V> ReadCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ReadCache {
            held: Mutex::default(),
            capacity,
        }
    }

    /// The answer for `key` at the current `version`, loading it when none is held.
    pub async fn get<E, F>(&self, version: &Version, key: K, load: F) -> Result<Arc<V>, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        let Some(at) = version.current() else {
            return load.await.map(Arc::new);
        };
        if let Some(v) = self.lookup(&key, at) {
            return Ok(v);
        }
        let value = Arc::new(load.await?);
        if let Ok(mut held) = self.held.lock() {
            if held.len() >= self.capacity {
                // Stale answers go first; if all are current, start afresh.
                held.retain(|_, (v, _)| *v == at);
                if held.len() >= self.capacity {
                    held.clear();
                }
            }
            held.insert(key, (at, value.clone()));
        }
        Ok(value)
    }

    fn lookup(&self, key: &K, at: u64) -> Option<Arc<V>> {
        let held = self.held.lock().ok()?;
        held.get(key)
            .filter(|(v, _)| *v == at)
            .map(|(_, value)| value.clone())
    }

    /// How many answers are held (current or not).
    pub fn len(&self) -> usize {
        self.held.lock().map_or(0, |h| h.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn load(calls: &AtomicUsize, v: u32) -> Result<u32, ()> {
        calls.fetch_add(1, Ordering::SeqCst);
        Ok(v)
    }

    #[tokio::test]
    async fn answers_are_held_until_the_version_moves_and_never_while_not_following() {
        let version = Version::default();
        let cache = ReadCache::<&str, u32>::new(2);
        let calls = AtomicUsize::new(0);

        // Not following changes: every use loads, nothing is kept.
        cache.get(&version, "a", load(&calls, 1)).await.unwrap();
        cache.get(&version, "a", load(&calls, 1)).await.unwrap();
        assert_eq!((calls.load(Ordering::SeqCst), cache.len()), (2, 0));

        version.set_live(true);
        assert_eq!(*cache.get(&version, "a", load(&calls, 1)).await.unwrap(), 1);
        assert_eq!(*cache.get(&version, "a", load(&calls, 9)).await.unwrap(), 1);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            3,
            "the second use is served from memory"
        );

        version.bump();
        assert_eq!(*cache.get(&version, "a", load(&calls, 2)).await.unwrap(), 2);
        assert_eq!(calls.load(Ordering::SeqCst), 4, "a change means a new load");

        // Full: the stale go first, then everything.
        cache.get(&version, "b", load(&calls, 3)).await.unwrap();
        cache.get(&version, "c", load(&calls, 4)).await.unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(*cache.get(&version, "c", load(&calls, 0)).await.unwrap(), 4);
    }

    #[tokio::test]
    async fn a_change_during_a_load_is_not_hidden() {
        let version = Version::default();
        version.set_live(true);
        let cache = ReadCache::<&str, u32>::new(8);
        let calls = AtomicUsize::new(0);
        // The load sees old data, and the data changes before it returns.
        let stale = async {
            version.bump();
            load(&calls, 1).await
        };
        assert_eq!(*cache.get(&version, "a", stale).await.unwrap(), 1);
        assert_eq!(*cache.get(&version, "a", load(&calls, 2)).await.unwrap(), 2);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_load_keeps_nothing() {
        let version = Version::default();
        version.set_live(true);
        let cache = ReadCache::<&str, u32>::new(8);
        let err: Result<Arc<u32>, &str> = cache.get(&version, "a", async { Err("down") }).await;
        assert!(err.is_err());
        assert!(cache.is_empty());
    }
}
