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

use std::time::Duration;

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use crate::server::held::Held;
use crate::server::repo::account::SessionRow;
use crate::server::repo::room::DeviceAuth;
use crate::server::{Db, repo};

/// How long an entry is trusted without a notification.
pub const TTL: Duration = Duration::from_secs(10);
/// More sessions than this are not held (the oldest entries go first).
const CAPACITY: usize = 20_000;
/// More tablets than this are not held.
const DEVICE_CAPACITY: usize = 2_000;

#[derive(Clone)]
pub struct SessionCache {
    held: Held<SessionRow>,
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache {
            held: Held::new(TTL, CAPACITY),
        }
    }
}

/// Where a session row came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Memory,
    Database,
}

/// Whether it is live, clearing it, its size: as [`Held`].
impl std::ops::Deref for SessionCache {
    type Target = Held<SessionRow>;

    fn deref(&self) -> &Held<SessionRow> {
        &self.held
    }
}

impl SessionCache {
    /// The session stored under `key`, from memory while that is safe, else from the
    /// database (and then kept).
    pub async fn get(&self, db: &Db, key: &str) -> surrealdb::Result<Option<(SessionRow, Source)>> {
        if let Some(row) = self.held.get(key) {
            return Ok(Some((row, Source::Memory)));
        }
        Ok(self.load(db, key).await?.map(|row| (row, Source::Database)))
    }

    /// Reads the session from the database, and keeps it when nothing was forgotten
    /// meanwhile and notifications arrive.
    pub async fn load(&self, db: &Db, key: &str) -> surrealdb::Result<Option<SessionRow>> {
        self.held.load(key, repo::account::session(db, key)).await
    }

    /// Forgets one session (ended, or its activity written).
    pub fn forget(&self, key: &str) {
        self.held.forget_where(|k, _| k == key);
    }

    /// Forgets every session of an account (changed, disabled, deleted).
    pub fn forget_account(&self, account: &RecordId) {
        self.held.forget_where(|_, row| &row.account == account);
    }

    /// Records in memory that the session's activity was written at `now`.
    pub fn touched(&self, key: &str, now: DateTime<Utc>) {
        self.held.update(key, |row| row.last_seen = now);
    }
}

/// Meeting-room tablets by the hash of their token, held like sessions: a revoked tablet
/// (its record deleted) is forgotten on every server as the notification arrives, so it is
/// refused at once without a database read on each of its requests.
#[derive(Clone)]
pub struct DeviceCache {
    held: Held<DeviceAuth>,
}

impl Default for DeviceCache {
    fn default() -> Self {
        DeviceCache {
            held: Held::new(TTL, DEVICE_CAPACITY),
        }
    }
}

/// Whether it is live, clearing it, its size: as [`Held`].
impl std::ops::Deref for DeviceCache {
    type Target = Held<DeviceAuth>;

    fn deref(&self) -> &Held<DeviceAuth> {
        &self.held
    }
}

impl DeviceCache {
    /// The device whose token hashes to `key`, from memory while that is safe, else from
    /// the database (and then kept).
    pub async fn get(&self, db: &Db, key: &str) -> surrealdb::Result<Option<DeviceAuth>> {
        self.held
            .get_or_load(key, repo::room::device(db, key))
            .await
    }

    /// Forgets the device `id` (paired, revoked, its activity written).
    pub fn forget(&self, id: &RecordId) {
        self.held.forget_where(|_, row| &row.id == id);
    }
}

/// Members' sign-in PINs (their keyed hash and lock state) by member key, held like
/// sessions: any change of a PIN (set, a wrong try counted, locked, unlocked) is a change
/// notification that forgets it on every server, and this server forgets it itself before
/// answering. Only a right PIN is decided from memory; everything else reads the database.
#[derive(Clone)]
pub struct PinCache {
    held: Held<repo::room::PinRow>,
}

/// How long a PIN is trusted without a notification: everything that changes a PIN is a
/// change of its own record (there is nothing derived to go stale), so longer than a
/// session; a tablet reads its day, and so its attendees' PINs, every minute.
const PIN_TTL: Duration = Duration::from_secs(300);

impl Default for PinCache {
    fn default() -> Self {
        PinCache {
            held: Held::new(PIN_TTL, CAPACITY),
        }
    }
}

/// Whether it is live, clearing it, its size: as [`Held`].
impl std::ops::Deref for PinCache {
    type Target = Held<repo::room::PinRow>;

    fn deref(&self) -> &Held<repo::room::PinRow> {
        &self.held
    }
}

impl PinCache {
    /// Member `key`'s PIN, from memory while that is safe, else from the database (and
    /// then kept).
    pub async fn get(&self, db: &Db, key: &str) -> surrealdb::Result<Option<repo::room::PinRow>> {
        self.held.get_or_load(key, repo::room::pin(db, key)).await
    }

    /// Reads the PINs of `members` and holds them; returns the keys of those who have one.
    pub async fn warm(
        &self,
        db: &Db,
        members: Vec<RecordId>,
    ) -> surrealdb::Result<std::collections::HashSet<String>> {
        let epoch = self.held.epoch();
        let rows = repo::room::pins_of(db, members).await?;
        let mut keys = std::collections::HashSet::with_capacity(rows.len());
        for (key, row) in rows {
            self.held.keep(&key, row, epoch);
            keys.insert(key);
        }
        Ok(keys)
    }

    /// Forgets member `key`'s PIN.
    pub fn forget(&self, key: &str) {
        self.held.forget_where(|k, _| k == key);
    }
}
