//! Changes made by any app server on the shared database, as they happen.
//!
//! Each server subscribes (`LIVE SELECT`) to the tables whose changes end what it holds in
//! memory ([`FOLLOWED`]): `session` and `account` for the session cache, `device` and
//! `member_pin` for the meeting-room tablets and their PINs ([`super::sessions`]); `org` and `member` for the public pages ([`Version`] in
//! `AppState::public`); the member tallies for the counts in the organisation tree
//! ([`super::tallies`]); the Party records for roster pages and member records
//! (`AppState::records`, [`super::reads`]); `notification` for the bell's counts
//! (`AppState::unread`); `assignment`, `task` and `indicator` for the review queue and the
//! task section of member records (`AppState::member_tasks`). SurrealDB delivers a notification to
//! every subscriber, whichever server wrote, so a logout on one server ends the session
//! on all of them. If the subscription fails or ends, the caches are switched off (every
//! request reads the database) until it is made again.
//!
//! Live queries need the embedded engines or a WebSocket connection (`ws://`, `wss://`);
//! over `http://` they are refused, and the caches stay off.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use surrealdb::Notification;
use surrealdb::types::{Action, RecordId, SurrealValue};

use crate::server::{AppState, key_string};

/// A version of some data held in memory, bumped on every change of the tables it comes
/// from (public pages: `org`, `member`; member counts: the tallies). What was made at one
/// version may be used while the version stays.
#[derive(Clone, Default)]
pub struct Version {
    version: Arc<AtomicU64>,
    live: Arc<AtomicBool>,
}

impl Version {
    /// The current version, or `None` while changes are not being followed (then
    /// nothing may be served from memory).
    pub fn current(&self) -> Option<u64> {
        self.live
            .load(Ordering::Acquire)
            .then(|| self.version.load(Ordering::Acquire))
    }

    pub fn bump(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn set_live(&self, live: bool) {
        self.bump();
        self.live.store(live, Ordering::Release);
    }
}

/// The subscriptions, one statement per table followed (a fixed text: nothing is put
/// into it); [`changed`] says what a change in each ends.
pub const FOLLOWED: &str = "LIVE SELECT id FROM session;
    LIVE SELECT id FROM account;
    LIVE SELECT id FROM org;
    LIVE SELECT id FROM member;
    LIVE SELECT id FROM member_tally;
    LIVE SELECT id FROM member_group_tally;
    LIVE SELECT id FROM member_event;
    LIVE SELECT id FROM candidate;
    LIVE SELECT id FROM pipeline_step;
    LIVE SELECT id FROM transfer;
    LIVE SELECT id FROM assignment;
    LIVE SELECT id FROM meeting;
    LIVE SELECT id FROM attendance;
    LIVE SELECT id FROM device;
    LIVE SELECT id FROM member_pin;
    LIVE SELECT id FROM notification;
    LIVE SELECT id FROM task;
    LIVE SELECT id FROM indicator;";

/// The table of each statement of [`FOLLOWED`], in order.
fn followed_tables() -> impl Iterator<Item = &'static str> {
    FOLLOWED
        .split(';')
        .filter_map(|statement| statement.trim().strip_prefix("LIVE SELECT id FROM "))
}

/// A change as each subscription reports it. Now and then SurrealDB reports one without
/// the record (`id` NONE); the table is then known from the subscription, and everything
/// held from it is forgotten.
#[derive(Debug, SurrealValue)]
struct Changed {
    id: Option<RecordId>,
}

/// Every version kept in memory, switched on or off together.
fn set_live(state: &AppState, live: bool) {
    state.sessions.set_live(live);
    state.devices.set_live(live);
    state.pins.set_live(live);
    state.structure.set_live(live);
    state.public.set_live(live);
    state.tallies.version().set_live(live);
    state.records.set_live(live);
    state.assignments.set_live(live);
    state.meetings.set_live(live);
    state.notices.set_live(live);
}

/// What a change of a record of `table` (`id`, when reported) ends on this server.
fn changed(state: &AppState, table: &str, id: Option<&RecordId>) {
    match (table, id) {
        ("session", Some(id)) => state.sessions.forget(&key_string(id)),
        ("account", Some(id)) => state.sessions.forget_account(id),
        ("session" | "account", None) => state.sessions.clear(),
        ("device", Some(id)) => state.devices.forget(id),
        ("device", None) => state.devices.clear(),
        ("member_pin", Some(id)) => state.pins.forget(&key_string(id)),
        ("member_pin", None) => state.pins.clear(),
        ("member_tally" | "member_group_tally", _) => state.tallies.version().bump(),
        ("org", _) => {
            // The structure first: a page rendered after the bumps reads it anew.
            state.structure.invalidate();
            state.records.bump();
            state.public.bump();
        }
        ("member", _) => {
            state.records.bump();
            state.public.bump();
        }
        // Tasks and indicators: their titles and names show beside assignments.
        ("assignment" | "task" | "indicator", _) => state.assignments.bump(),
        ("meeting", _) => state.meetings.bump(),
        ("notification", _) => state.notices.bump(),
        ("attendance", Some(id)) => {
            let key = key_string(id);
            if let Some(meeting) = super::live_meetings::meeting_of_attendance(&key) {
                state.live_meetings.changed(state, meeting);
            }
        }
        ("attendance", None) => state.live_meetings.changed_all(state),
        _ => state.records.bump(),
    }
}

/// Follows changes until the server stops: subscribes, and subscribes again a second
/// after a failure.
pub async fn follow(state: AppState) {
    loop {
        match follow_once(&state).await {
            Ok(()) => tracing::warn!("change notifications ended; caches off until resubscribed"),
            Err(e) => tracing::warn!(error = %e, "cannot follow changes; caches off"),
        }
        set_live(&state, false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn follow_once(state: &AppState) -> surrealdb::Result<()> {
    let mut res = state.db.query(FOLLOWED).await?;
    let mut streams = Vec::new();
    for (i, table) in followed_tables().enumerate() {
        let stream = res.stream::<Notification<Changed>>(i)?;
        streams.push(stream.map(move |note| (table, note)));
    }
    let mut all = futures::stream::select_all(streams);
    // Subscribed: from here on every change reaches us, so memory may be trusted.
    set_live(state, true);
    // What changed while nothing was followed reaches the live screens now.
    state.live_meetings.changed_all(state);
    tracing::debug!("following changes");
    while let Some((table, note)) = all.next().await {
        let note = note?;
        if !matches!(
            note.action,
            Action::Create | Action::Update | Action::Delete
        ) {
            // Killed, or the query failed: subscribe again.
            return Ok(());
        }
        changed(state, table, note.data.id.as_ref());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_followed_statement_names_its_table() {
        let tables: Vec<&str> = followed_tables().collect();
        assert_eq!(tables.len(), FOLLOWED.matches(';').count());
        assert!(tables.contains(&"notification") && tables.contains(&"session"));
        assert!(
            tables
                .iter()
                .all(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }
}
