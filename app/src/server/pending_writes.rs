//! Writes answered before they are made: a meeting-room tablet's sign-in (issue 14,
//! docs/organisational-life.md "2026-12-05, later: the goal met").
//!
//! Everything that can refuse a sign-in (the tablet's room, the meeting's day, the
//! attendee, the PIN) is decided from what the server holds in memory; what is left, the
//! attendance write, cannot be refused, only fail. So the tablet is answered at once and
//! the write follows on a thread of the blocking pool (a database write is about a
//! millisecond of CPU when the caches are cold, which on a worker held up the requests
//! behind it), tried again a few times if the database does not take it. The tablet keeps
//! each sign-in until its meeting's live stream or its day (both read from the database)
//! shows the attendee present, and sends it again otherwise; the record's key makes a
//! repeat count once. Nothing is lost when a server stops between the answer and the
//! write: a graceful stop waits for what is pending ([`PendingWrites::settled`]), and
//! after a crash the tablet sends it again.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// How many writes are under way on this server, and a way to wait until none is.
pub struct PendingWrites {
    count: watch::Sender<usize>,
}

impl Default for PendingWrites {
    fn default() -> Self {
        PendingWrites {
            count: watch::Sender::new(0),
        }
    }
}

/// Counts one write while it is under way, however it ends (a panic, or the runtime
/// stopping under it, included: then logged).
struct Counted {
    count: watch::Sender<usize>,
    finished: bool,
}

impl Drop for Counted {
    fn drop(&mut self) {
        if !self.finished {
            tracing::warn!(
                "a pending write ended before it finished; its tablet will send it again"
            );
        }
        self.count.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// How long one try of a write may take before it counts as failed (a remote database
/// that stalls).
pub const TRY_LIMIT: Duration = Duration::from_secs(5);

/// The pauses before each new try of a write the database refused: about 8 s in all,
/// enough for a transaction conflict or a short stall of a remote database.
pub const RETRY_AFTER: [Duration; 4] = [
    Duration::from_millis(20),
    Duration::from_millis(200),
    Duration::from_secs(1),
    Duration::from_secs(6),
];

impl PendingWrites {
    /// Runs `write` on a thread of the blocking pool, counted until it ends.
    pub fn spawn<F>(&self, write: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.count.send_modify(|n| *n += 1);
        let counted = Counted {
            count: self.count.clone(),
            finished: false,
        };
        // On a thread of the blocking pool, not on a worker: the write (about a
        // millisecond of CPU, taken in one go) never holds up the requests this server's
        // workers are answering meanwhile.
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            // The whole guard moves here (not only the field set below).
            let mut counted = counted;
            runtime.block_on(write);
            counted.finished = true;
        });
    }

    /// How many writes are under way.
    pub fn pending(&self) -> usize {
        *self.count.borrow()
    }

    /// Waits until no write is under way (at most `limit`); whether none is.
    pub async fn settled(&self, limit: Duration) -> bool {
        let mut rx = self.count.subscribe();
        tokio::time::timeout(limit, rx.wait_for(|n| *n == 0))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// Runs `attempt` until it succeeds, pausing as `pauses` says between tries
/// ([`RETRY_AFTER`]); the last error when every try failed.
pub async fn with_retries<T, E, F, Fut>(pauses: &[Duration], mut attempt: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut pauses = pauses.iter();
    loop {
        match attempt().await {
            Ok(v) => return Ok(v),
            Err(e) => match pauses.next() {
                Some(pause) => tokio::time::sleep(*pause).await,
                None => return Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_write_is_counted_until_it_ends_and_settled_waits_for_it() {
        let writes = PendingWrites::default();
        assert!(writes.settled(Duration::from_millis(1)).await);
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        writes.spawn(async move {
            let _ = wait.await;
        });
        assert_eq!(writes.pending(), 1);
        assert!(
            !writes.settled(Duration::from_millis(50)).await,
            "still under way"
        );
        go.send(()).unwrap();
        assert!(writes.settled(Duration::from_secs(1)).await);
        assert_eq!(writes.pending(), 0);
    }

    #[tokio::test]
    async fn a_write_that_panics_is_no_longer_counted() {
        let writes = PendingWrites::default();
        writes.spawn(async { panic!("the write panicked") });
        assert!(writes.settled(Duration::from_secs(1)).await);
    }

    #[tokio::test]
    async fn a_refused_write_is_tried_again_and_given_up_after_the_last_pause() {
        let tries = Arc::new(AtomicUsize::new(0));
        let counted = tries.clone();
        let pauses = [
            Duration::from_millis(1),
            Duration::from_millis(5),
            Duration::from_millis(20),
        ];
        let third = with_retries(&pauses, || {
            let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
            async move { if n < 3 { Err(n) } else { Ok(n) } }
        })
        .await;
        assert_eq!(third, Ok(3), "taken on the third try");

        let started = std::time::Instant::now();
        let tries_before = tries.load(Ordering::SeqCst);
        let never: Result<(), usize> = with_retries(&pauses, || {
            let n = tries.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Err(n) }
        })
        .await;
        assert_eq!(
            tries.load(Ordering::SeqCst) - tries_before,
            pauses.len() + 1,
            "each pause, then the last try"
        );
        assert_eq!(
            never,
            Err(tries_before + pauses.len() + 1),
            "the last error"
        );
        assert!(started.elapsed() >= pauses.iter().sum::<Duration>());
    }
}
