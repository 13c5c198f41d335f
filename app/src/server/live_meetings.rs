//! Live attendance: every screen showing a meeting (the tablet, the projector view, the
//! secretary's page) follows one stream of full snapshots (server-sent events).
//!
//! One hub per app server, not one database subscription per screen: the server's change
//! follower (`live`) hears every `attendance` write, whichever server made it, and calls
//! [`LiveMeetings::changed`] with the meeting; this server's own writes call it at once
//! (`server::commit`). A change of a meeting that somebody here watches is read once,
//! 100 ms later (a burst of sign-ins is read once), and the snapshot goes to every
//! watcher through a `watch` channel, serialised once for all of them ([`Published`]): a
//! slow screen skips to the newest snapshot instead of queueing, and nothing grows with
//! time. A meeting nobody watches costs nothing.
//! While changes are not followed (a database over plain HTTP), each stream reads the
//! snapshot every few seconds instead ([`POLL`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::models::room::LiveSnapshot;
use crate::server::AppState;

/// How long a change waits before it is read (sign-ins in a burst are read once).
pub const SETTLE: Duration = Duration::from_millis(100);
/// How often a stream reads the snapshot itself while changes are not followed.
pub const POLL: Duration = Duration::from_secs(3);

/// A snapshot as every screen receives it, serialised once when it is read (200 screens
/// of a meeting cost one serialisation per change, not 200).
#[derive(Debug)]
pub struct Published {
    /// The whole snapshot as JSON (for those who may see names).
    full: String,
    /// The same without names or member keys (the counts a viewer outside the meeting's
    /// management may see).
    counts: String,
}

impl Published {
    pub fn new(snapshot: &LiveSnapshot) -> Self {
        let full = serde_json::to_string(snapshot).unwrap_or_default();
        let mut counts = snapshot.clone();
        counts.present_names.clear();
        counts.present_members.clear();
        let counts = serde_json::to_string(&counts).unwrap_or_default();
        Published { full, counts }
    }

    /// The JSON a screen receives.
    pub fn json(&self, counts_only: bool) -> &str {
        if counts_only {
            &self.counts
        } else {
            &self.full
        }
    }
}

pub type Latest = Option<Arc<Published>>;

#[derive(Clone, Default)]
pub struct LiveMeetings {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    watched: Mutex<HashMap<String, Entry>>,
    /// Set once when the server begins to stop: every stream ends, so a graceful shutdown
    /// does not wait for screens that never hang up.
    stopping: Mutex<Option<watch::Sender<bool>>>,
}

struct Entry {
    tx: watch::Sender<Latest>,
    /// A read is scheduled.
    pending: bool,
}

impl LiveMeetings {
    /// A receiver of the meeting's snapshots (the first arrives with the next change).
    pub fn subscribe(&self, key: &str) -> watch::Receiver<Latest> {
        let mut watched = self.lock();
        watched.retain(|_, e| e.tx.receiver_count() > 0);
        watched
            .entry(key.to_string())
            .or_insert_with(|| Entry {
                tx: watch::channel(None).0,
                pending: false,
            })
            .tx
            .subscribe()
    }

    /// How many meetings have a watcher here (for the benchmark's report).
    pub fn watched(&self) -> usize {
        self.lock()
            .values()
            .filter(|e| e.tx.receiver_count() > 0)
            .count()
    }

    /// The attendance of meeting `key` changed: if anyone here watches it, read it once
    /// shortly and send the snapshot to all of them.
    pub fn changed(&self, state: &AppState, key: &str) {
        let tx = {
            let mut watched = self.lock();
            let Some(entry) = watched.get_mut(key) else {
                return;
            };
            if entry.tx.receiver_count() == 0 {
                watched.remove(key);
                return;
            }
            if entry.pending {
                return;
            }
            entry.pending = true;
            entry.tx.clone()
        };
        let (hub, state, key) = (self.clone(), state.clone(), key.to_string());
        tokio::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            if let Some(entry) = hub.lock().get_mut(&key) {
                // A change from here on schedules another read.
                entry.pending = false;
            }
            match crate::server::service::room::live_snapshot(&state, &key).await {
                Ok(Some(snapshot)) => {
                    tx.send_replace(Some(Arc::new(Published::new(&snapshot))));
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(?e, meeting = %key, "live snapshot failed"),
            }
        });
    }

    /// Every watched meeting is read again (after changes are followed anew: what changed
    /// in the gap reaches the screens).
    pub fn changed_all(&self, state: &AppState) {
        let keys: Vec<String> = self.lock().keys().cloned().collect();
        for key in keys {
            self.changed(state, &key);
        }
    }

    /// A receiver that turns `true` when the server begins to stop.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.with_stopping(|tx| tx.subscribe())
    }

    /// Ends every stream (the server stops).
    pub fn stop(&self) {
        self.with_stopping(|tx| {
            tx.send_replace(true);
        });
    }

    fn with_stopping<R>(&self, f: impl FnOnce(&watch::Sender<bool>) -> R) -> R {
        let mut stopping = self
            .inner
            .stopping
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        f(stopping.get_or_insert_with(|| watch::channel(false).0))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.inner.watched.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The meeting an `attendance` record belongs to: its key is `<meeting>_<member>`.
pub fn meeting_of_attendance(key: &str) -> Option<&str> {
    key.split_once('_').map(|(meeting, _)| meeting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attendance_key_names_its_meeting() {
        assert_eq!(meeting_of_attendance("mt001002_m0042"), Some("mt001002"));
        assert_eq!(meeting_of_attendance("nothing"), None);
    }

    #[tokio::test]
    async fn watchers_are_forgotten_when_they_hang_up() {
        let hub = LiveMeetings::default();
        let a = hub.subscribe("g1");
        let b = hub.subscribe("g1");
        let c = hub.subscribe("g2");
        assert_eq!(hub.watched(), 2);
        drop(a);
        drop(c);
        assert_eq!(hub.watched(), 1);
        drop(b);
        assert_eq!(hub.watched(), 0);
        // The next subscription clears the empty entries away.
        let _d = hub.subscribe("g3");
        assert_eq!(hub.lock().len(), 1);
    }

    #[tokio::test]
    async fn stopping_reaches_every_receiver() {
        let hub = LiveMeetings::default();
        let mut before = hub.stopping();
        hub.stop();
        let after = hub.stopping();
        assert!(before.wait_for(|s| *s).await.is_ok());
        assert!(*after.borrow());
    }
}
