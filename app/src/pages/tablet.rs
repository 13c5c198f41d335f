//! `/tablet`: the meeting-room tablet (issue 14), a kiosk left on for days.
//!
//! A tablet that holds no device credential (or whose credential was revoked) asks for a
//! pairing code and shows it large until the committee office pairs it on `/rooms`; it
//! asks again every few seconds until it is paired. A paired tablet shows its room's
//! meetings of the day: the one under way (or next), its facts, how many have signed in,
//! and a name to tap for each expected attendee, who confirms with their PIN.
//!
//! When a sign-in cannot reach the server, it is kept in `localStorage` (it survives a
//! reload) and sent again every few seconds and when the browser is back online; the
//! `client_id` made for it counts it once however often it is sent. The server answers a
//! sign-in before it writes it (`server::pending_writes`), so an answered sign-in stays
//! kept, not shown as waiting, until the live stream or the day read (both from the
//! database) show the attendee present; after [`CONFIRM_MS`] without that it is sent
//! again. A live stream of the
//! meeting (`/tablet/live/<key>`, server-sent events) keeps the count and the names up to
//! date while others sign in by phone or are marked by the recorder; the day is read again
//! every minute (new meetings, a revoked tablet).
//!
//! Nothing grows while it runs: the meetings and the queue are replaced, not appended to;
//! one interval, two window listeners and one `EventSource` are held, and released when
//! the page goes. Everything that touches the browser is in [`browser`], built for
//! `hydrate` only; the server renders "connecting" and the browser takes over.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::room::{start_pairing, tablet_sign_in, tablet_today};
use crate::components::table::keyed;
use crate::error::AppError;
use crate::i18n::{Lang, T, use_lang};
use crate::models::meeting::Attendance;
use crate::models::room::{
    LiveSnapshot, TabletAttendee, TabletMeeting, TabletSignInInput, TabletSignedIn, TabletView,
};

/// Where the sign-ins waiting for the network are kept, as a JSON array.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const QUEUE_KEY: &str = "zhibu.tablet.queue";
/// At most this many waiting sign-ins are kept (the oldest give way).
const QUEUE_MAX: usize = 500;
/// How long "… 签到成功" stays on screen.
const FLASH: Duration = Duration::from_secs(3);
/// Seconds between reads of the day: while waiting for pairing or for the server, once
/// paired, after an error the server gave, and while the network is down.
const POLL_WAITING: u32 = 3;
const POLL_PAIRED: u32 = 60;
const POLL_FAILED: u32 = 30;
const POLL_OFFLINE: u32 = 10;
/// Seconds between attempts to send the waiting sign-ins.
const FLUSH_EVERY: u32 = 5;
/// An answered sign-in that the database has not shown present after this long is sent
/// again (the server may have stopped before writing it).
const CONFIRM_MS: u64 = 20_000;
/// A request that has not been answered after this long is taken as lost in the network.
const REQUEST_LIMIT: Duration = Duration::from_secs(15);
/// The last meeting of the day is taken to last this long (to choose the tab shown).
const MEETING_MINUTES: u32 = 180;
/// A meeting chosen by hand stays chosen this long before the tablet follows the clock.
const PICKED_MS: f64 = 30.0 * 60_000.0;
/// A new pairing code is asked for at most this often.
const PAIRING_RETRY_MS: f64 = 20_000.0;

/// What the tablet shows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Screen {
    /// Before the first answer (and what the server renders).
    Loading,
    /// Waiting for pairing: the code and until when (`HH:MM`).
    Pending { code: String, until: String },
    /// Paired: the room and the day; the meetings are in [`Tablet::meetings`].
    Paired { room: String, today: String },
    /// The server refused for a reason that waiting will not mend (a person's session
    /// instead of a device, say).
    Failed(String),
}

/// A sign-in waiting for the network, as kept in `localStorage`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Queued {
    meeting: String,
    member: String,
    pin: String,
    #[serde(default)]
    client_id: String,
    /// For the messages (not sent).
    #[serde(default)]
    name: String,
    /// When the server accepted it (ms): kept until the database shows the attendee
    /// present, not counted as waiting.
    #[serde(default)]
    answered: Option<u64>,
}

impl Queued {
    fn input(&self) -> TabletSignInInput {
        TabletSignInInput {
            meeting: self.meeting.clone(),
            member: self.member.clone(),
            pin: self.pin.clone(),
            client_id: self.client_id.clone(),
        }
    }
}

/// How many sign-ins wait to be sent (the answered ones wait only to be seen).
fn unsent(queue: &[Queued]) -> usize {
    queue.iter().filter(|x| x.answered.is_none()).count()
}

/// The next sign-in to send, oldest first.
fn next_unsent(queue: &[Queued]) -> Option<Queued> {
    queue.iter().find(|x| x.answered.is_none()).cloned()
}

/// Drops the sign-ins to `meeting` of attendees the database shows `present`: done.
/// Whether any went.
fn settle(queue: &mut Vec<Queued>, meeting: &str, present: &[String]) -> bool {
    let before = queue.len();
    queue.retain(|x| !(x.meeting == meeting && present.contains(&x.member)));
    queue.len() != before
}

/// Sign-ins answered more than [`CONFIRM_MS`] before `now` and still not seen are to be
/// sent again. Whether any are.
fn expire(queue: &mut [Queued], now: u64) -> bool {
    let mut any = false;
    for x in queue.iter_mut() {
        if x.answered
            .is_some_and(|at| now.saturating_sub(at) >= CONFIRM_MS)
        {
            x.answered = None;
            any = true;
        }
    }
    any
}

/// The attendee whose PIN the dialog asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Signing {
    meeting: String,
    member: String,
    name: String,
}

/// The big message after a sign-in; `seq` tells the timer that clears it whether a newer
/// one replaced it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Flash {
    text: String,
    ok: bool,
    seq: u64,
}

/// What the timers and requests keep between them (read without tracking).
#[derive(Default)]
struct Busy {
    /// A read of the day is under way.
    reading: bool,
    /// The queue is being sent.
    flushing: bool,
    /// When a pairing code was last asked for (ms).
    pairing_at: f64,
    /// When a meeting was last chosen by hand (ms).
    picked_at: f64,
    flashes: u64,
}

/// How one attendee's name shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameState {
    /// May sign in here.
    Open,
    Present,
    Leave,
    /// Signed in here while the network was down; waiting to be sent.
    Queued,
    /// Has no PIN: signs in by phone.
    NoPin,
}

impl NameState {
    /// `queued`: a sign-in of theirs waits to be sent; `answered`: one was accepted and
    /// is being written (shown present, whatever a snapshot read just before says).
    fn of(a: &TabletAttendee, queued: bool, answered: bool) -> NameState {
        match a.status {
            Some(Attendance::Present) => NameState::Present,
            _ if answered => NameState::Present,
            Some(Attendance::Leave) => NameState::Leave,
            _ if queued => NameState::Queued,
            _ if !a.has_pin => NameState::NoPin,
            _ => NameState::Open,
        }
    }

    fn class(self) -> &'static str {
        match self {
            NameState::Open => "tablet-name",
            NameState::Present => "tablet-name is-present",
            NameState::Leave => "tablet-name is-leave",
            NameState::Queued => "tablet-name is-queued",
            NameState::NoPin => "tablet-name is-nopin",
        }
    }

    fn note(self) -> Option<T> {
        match self {
            NameState::Open => None,
            NameState::Present => Some(T::RmPresentMark),
            NameState::Leave => Some(T::MtLeave),
            NameState::Queued => Some(T::RmQueuedMark),
            NameState::NoPin => Some(T::RmUsePhone),
        }
    }
}

/// The tablet's state: signals (all `Copy`), shared by the views, the timers and the
/// requests. Requests finish after the page may have gone, so what they do afterwards
/// goes through the `try_` methods (a no-op on a disposed signal).
#[derive(Clone, Copy)]
struct Tablet {
    lang: Lang,
    screen: RwSignal<Screen>,
    /// Why the server cannot be reached or refused (a banner), if it did.
    trouble: RwSignal<Option<String>>,
    meetings: RwSignal<Vec<TabletMeeting>>,
    /// The meeting shown (its key).
    selected: RwSignal<Option<String>>,
    queue: RwSignal<Vec<Queued>>,
    flash: RwSignal<Option<Flash>>,
    /// The PIN dialog, open for this attendee.
    signing: RwSignal<Option<Signing>>,
    pin: RwSignal<String>,
    pin_error: RwSignal<Option<String>>,
    sending: RwSignal<bool>,
    busy: StoredValue<Busy>,
    /// Who the database last showed present, per meeting of the day (the live stream,
    /// the day read): an answer arriving after that needs no keeping.
    seen: StoredValue<Vec<(String, Vec<String>)>>,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl Tablet {
    fn new(lang: Lang) -> Self {
        Tablet {
            lang,
            screen: RwSignal::new(Screen::Loading),
            trouble: RwSignal::new(None),
            meetings: RwSignal::new(Vec::new()),
            selected: RwSignal::new(None),
            queue: RwSignal::new(Vec::new()),
            flash: RwSignal::new(None),
            signing: RwSignal::new(None),
            pin: RwSignal::new(String::new()),
            pin_error: RwSignal::new(None),
            sending: RwSignal::new(false),
            busy: StoredValue::new(Busy::default()),
            seen: StoredValue::new(Vec::new()),
        }
    }

    /// Called every second by the interval: reads the day and sends the queue when due.
    fn tick(self, n: u32) {
        let Some(mut every) = self.screen.try_with_untracked(|s| match s {
            Screen::Paired { .. } => POLL_PAIRED,
            Screen::Failed(_) => POLL_FAILED,
            Screen::Loading | Screen::Pending { .. } => POLL_WAITING,
        }) else {
            return;
        };
        if self.trouble.try_with_untracked(Option::is_some) == Some(true) {
            every = every.min(POLL_OFFLINE);
        }
        if n % every == 0 {
            leptos::task::spawn_local(self.read());
        }
        if n % FLUSH_EVERY == 0 {
            let now = now_ms() as u64;
            let (expired, waiting) = self
                .queue
                .try_with_untracked(|q| {
                    (
                        q.iter().any(|x| {
                            x.answered
                                .is_some_and(|at| now.saturating_sub(at) >= CONFIRM_MS)
                        }),
                        unsent(q) > 0,
                    )
                })
                .unwrap_or_default();
            if expired {
                self.queue.try_update(|q| expire(q, now));
                self.persist();
            }
            if expired || waiting {
                leptos::task::spawn_local(self.flush());
            }
        }
    }

    /// Reads the tablet's day and shows it; without a credential (none yet, revoked, or the
    /// pairing code ran out) asks for a pairing code.
    async fn read(self) {
        let already = self
            .busy
            .try_update_value(|b| std::mem::replace(&mut b.reading, true));
        if already != Some(false) {
            return;
        }
        let answer = within(tablet_today(), REQUEST_LIMIT).await;
        self.busy.try_update_value(|b| b.reading = false);
        match answer {
            Some(Ok(view)) => {
                self.reached();
                self.show(view);
            }
            Some(Err(AppError::Unauthenticated)) => {
                self.reached();
                self.unpaired().await;
            }
            Some(Err(e)) => self.failed(&e),
            None => self.failed(&lost()),
        }
    }

    /// Back to pairing: forgets the room and asks for a code (not more often than
    /// [`PAIRING_RETRY_MS`]; a tablet still waiting gets its own code back).
    async fn unpaired(self) {
        self.close();
        self.leave_room();
        if self
            .screen
            .try_with_untracked(|s| matches!(s, Screen::Paired { .. }))
            == Some(true)
        {
            self.set_screen(Screen::Loading);
        }
        let now = now_ms();
        let recent = self.busy.try_update_value(|b| {
            let recent = now - b.pairing_at < PAIRING_RETRY_MS;
            if !recent {
                b.pairing_at = now;
            }
            recent
        });
        if recent != Some(false) {
            return;
        }
        match within(start_pairing(), REQUEST_LIMIT).await {
            Some(Ok(view)) => {
                self.reached();
                self.show(view);
            }
            Some(Err(e)) => self.failed(&e),
            None => self.failed(&lost()),
        }
    }

    /// Shows what the server answered. Values are set only when they changed, so an
    /// unchanged day rebuilds nothing and keeps the live stream open.
    fn show(self, view: TabletView) {
        match view {
            TabletView::Pending { code, until } => {
                self.leave_room();
                self.set_screen(Screen::Pending { code, until });
            }
            TabletView::Paired {
                room,
                today,
                meetings,
            } => {
                let now = now_ms();
                let current = self.selected.try_get_untracked().flatten();
                let picked = self
                    .busy
                    .try_with_value(|b| now - b.picked_at < PICKED_MS)
                    .unwrap_or(false);
                let kept = current
                    .clone()
                    .filter(|id| picked && meetings.iter().any(|m| &m.id == id));
                let chosen = kept.or_else(|| default_meeting(&meetings, china_minutes(now)));
                // Only the day's meetings are remembered (a kiosk runs for days).
                self.seen.try_update_value(|seen| {
                    seen.retain(|(id, _)| meetings.iter().any(|m| &m.id == id));
                });
                for m in &meetings {
                    let present: Vec<String> = m
                        .attendees
                        .iter()
                        .filter(|a| a.status == Some(Attendance::Present))
                        .map(|a| a.member.clone())
                        .collect();
                    self.seen(&m.id, &present);
                }
                if self.meetings.try_with_untracked(|old| *old != meetings) == Some(true) {
                    self.meetings.try_set(meetings);
                }
                if current != chosen {
                    self.selected.try_set(chosen);
                }
                self.set_screen(Screen::Paired { room, today });
            }
        }
    }

    fn set_screen(self, screen: Screen) {
        if self.screen.try_with_untracked(|old| *old != screen) == Some(true) {
            self.screen.try_set(screen);
        }
    }

    /// Forgets the room's meetings (which closes the live stream).
    fn leave_room(self) {
        if self.selected.try_with_untracked(Option::is_some) == Some(true) {
            self.selected.try_set(None);
        }
        if self.meetings.try_with_untracked(|m| !m.is_empty()) == Some(true) {
            self.meetings.try_set(Vec::new());
        }
    }

    /// The server answered: the banner about the network goes.
    fn reached(self) {
        if self.trouble.try_with_untracked(Option::is_some) == Some(true) {
            self.trouble.try_set(None);
        }
    }

    /// A request failed: a lost network shows as a banner over what is shown; a refusal
    /// replaces the "connecting" screen, or shows as the banner over a paired screen.
    fn failed(self, e: &AppError) {
        let offline = is_offline(e);
        let text = if offline {
            self.lang.t(T::RmOffline).to_string()
        } else {
            e.message(self.lang)
        };
        let waiting = self
            .screen
            .try_with_untracked(|s| matches!(s, Screen::Loading | Screen::Failed(_)))
            .unwrap_or(false);
        if waiting && !offline {
            self.set_screen(Screen::Failed(text));
        } else if self
            .trouble
            .try_with_untracked(|t| t.as_deref() != Some(text.as_str()))
            == Some(true)
        {
            self.trouble.try_set(Some(text));
        }
    }

    /// A meeting chosen by hand.
    fn choose(self, id: String) {
        let now = now_ms();
        self.busy.try_update_value(|b| b.picked_at = now);
        if self
            .selected
            .try_with_untracked(|s| s.as_deref() != Some(id.as_str()))
            == Some(true)
        {
            self.selected.try_set(Some(id));
        }
    }

    /// A sign-in the server answered: that attendee is present (the live stream brings
    /// everyone else's).
    fn signed_in(self, signed: &TabletSignedIn) {
        self.meetings.try_update(|ms| {
            let Some(m) = ms.iter_mut().find(|m| m.id == signed.meeting) else {
                return;
            };
            if let Some(a) = m.attendees.iter_mut().find(|a| a.member == signed.member)
                && a.status != Some(Attendance::Present)
            {
                a.status = Some(Attendance::Present);
                m.present += 1;
            }
        });
    }

    /// The database shows `present` at `meeting` (a live snapshot, the day read): their
    /// kept sign-ins are done.
    fn seen(self, meeting: &str, present: &[String]) {
        self.seen
            .try_update_value(|seen| match seen.iter_mut().find(|(m, _)| m == meeting) {
                Some((_, p)) => p.clone_from(&present.to_vec()),
                None => seen.push((meeting.to_string(), present.to_vec())),
            });
        let any = self
            .queue
            .try_with_untracked(|q| {
                q.iter()
                    .any(|x| x.meeting == meeting && present.contains(&x.member))
            })
            .unwrap_or(false);
        if any {
            self.queue.try_update(|q| settle(q, meeting, present));
            self.persist();
        }
    }

    /// An accepted sign-in: kept (as answered) until the database shows it, unless it
    /// already did while the request was under way.
    fn accepted(self, mut item: Queued) {
        let shown = self
            .seen
            .try_with_value(|seen| {
                seen.iter()
                    .any(|(m, p)| *m == item.meeting && p.contains(&item.member))
            })
            .unwrap_or(false);
        if shown {
            self.unqueue(&item.client_id);
            return;
        }
        item.answered = Some(now_ms() as u64);
        self.enqueue(item);
    }

    /// A live snapshot: the count, and who is present.
    fn live(self, snapshot: LiveSnapshot) {
        self.seen(&snapshot.meeting, &snapshot.present_members);
        self.meetings.try_update(|ms| {
            let Some(m) = ms.iter_mut().find(|m| m.id == snapshot.meeting) else {
                return;
            };
            m.present = snapshot.present;
            m.expected = snapshot.expected;
            for a in &mut m.attendees {
                if snapshot.present_members.contains(&a.member) {
                    a.status = Some(Attendance::Present);
                } else if a.status == Some(Attendance::Present) {
                    // Marked otherwise by the recorder since.
                    a.status = None;
                }
            }
        });
    }

    /// Shows `text` large for a few seconds.
    fn flash(self, text: String, ok: bool) {
        let Some(seq) = self.busy.try_update_value(|b| {
            b.flashes = b.flashes.wrapping_add(1);
            b.flashes
        }) else {
            return;
        };
        self.flash.try_set(Some(Flash { text, ok, seq }));
        let flash = self.flash;
        set_timeout(
            move || {
                let current =
                    flash.try_with_untracked(|f| f.as_ref().is_some_and(|f| f.seq == seq));
                if current == Some(true) {
                    flash.try_set(None);
                }
            },
            FLASH,
        );
    }

    /// Opens the PIN dialog for an attendee.
    fn open(self, who: Signing) {
        self.pin.set(String::new());
        self.pin_error.set(None);
        self.signing.set(Some(who));
    }

    fn close(self) {
        if self.signing.try_with_untracked(Option::is_some) == Some(true) {
            self.signing.try_set(None);
        }
        self.pin.try_set(String::new());
        self.pin_error.try_set(None);
    }

    /// Sends the sign-in typed in the dialog. Kept for later when the network is down;
    /// the server's refusal (a wrong PIN, a locked one) shows in the dialog.
    fn confirm(self) {
        let Some(who) = self.signing.get_untracked() else {
            return;
        };
        let pin = self.pin.get_untracked();
        if !(4..=6).contains(&pin.len()) || self.sending.get_untracked() {
            return;
        }
        let item = Queued {
            meeting: who.meeting.clone(),
            member: who.member.clone(),
            pin,
            client_id: new_client_id(),
            name: who.name.clone(),
            answered: None,
        };
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let answer = within(tablet_sign_in(item.input()), REQUEST_LIMIT).await;
            self.sending.try_set(false);
            // The dialog may have been closed (or the tablet revoked) meanwhile.
            let still = self
                .signing
                .try_with_untracked(|s| s.as_ref() == Some(&who))
                == Some(true);
            match answer {
                Some(Ok(signed)) => {
                    self.reached();
                    if still {
                        self.close();
                    }
                    self.signed_in(&signed);
                    self.accepted(item);
                    self.flash(self.lang.t(T::RmSignedIn(&who.name)), true);
                }
                Some(Err(AppError::Unauthenticated)) => {
                    self.reached();
                    self.unpaired().await;
                }
                Some(Err(e)) if !is_offline(&e) => {
                    self.reached();
                    if still {
                        self.pin.try_set(String::new());
                        self.pin_error.try_set(Some(e.message(self.lang)));
                    }
                }
                // Lost in the network (or no answer in time): kept and sent later.
                Some(Err(_)) | None => {
                    self.failed(&lost());
                    self.enqueue(item);
                    if still {
                        self.close();
                    }
                    self.flash(self.lang.t(T::RmQueuedFlash(&who.name)), true);
                }
            }
        });
    }

    /// Keeps a sign-in for later: one per attendee and meeting (a newer PIN replaces the
    /// older), at most [`QUEUE_MAX`].
    fn enqueue(self, item: Queued) {
        self.queue.try_update(|q| {
            q.retain(|x| !(x.meeting == item.meeting && x.member == item.member));
            if q.len() >= QUEUE_MAX {
                // The oldest answered one gives way first (it only waits to be seen).
                let oldest = q.iter().position(|x| x.answered.is_some()).unwrap_or(0);
                q.remove(oldest);
            }
            q.push(item);
        });
        self.persist();
    }

    fn unqueue(self, client_id: &str) {
        self.queue
            .try_update(|q| q.retain(|x| x.client_id != client_id));
        self.persist();
    }

    fn persist(self) {
        #[cfg(feature = "hydrate")]
        {
            self.queue.try_with_untracked(|q| browser::store_queue(q));
        }
    }

    /// Sends the waiting sign-ins in order. Each leaves the queue once the server refused
    /// it (shown briefly), or waits as answered once accepted; the first that cannot reach the
    /// server (or meets a server error) stops the round, and it stays for the next.
    async fn flush(self) {
        let already = self
            .busy
            .try_update_value(|b| std::mem::replace(&mut b.flushing, true));
        if already != Some(false) {
            return;
        }
        while let Some(item) = self.queue.try_with_untracked(|q| next_unsent(q)).flatten() {
            match within(tablet_sign_in(item.input()), REQUEST_LIMIT).await {
                Some(Ok(signed)) => {
                    self.reached();
                    self.signed_in(&signed);
                    self.accepted(item);
                }
                Some(Err(e)) if is_offline(&e) || e == AppError::Internal => {
                    self.failed(&e);
                    break;
                }
                None => {
                    self.failed(&lost());
                    break;
                }
                // Revoked: pairing again decides; the queue waits.
                Some(Err(AppError::Unauthenticated)) => {
                    self.reached();
                    leptos::task::spawn_local(self.read());
                    break;
                }
                Some(Err(e)) => {
                    self.reached();
                    self.unqueue(&item.client_id);
                    let name = if item.name.is_empty() {
                        item.member.as_str()
                    } else {
                        item.name.as_str()
                    };
                    let reason = e.message(self.lang);
                    self.flash(self.lang.t(T::RmRefused(name, &reason)), false);
                }
            }
        }
        self.busy.try_update_value(|b| b.flushing = false);
    }
}

/// Whether a request failed before any server answered it: the network is down, or what
/// came back was not the server's answer (a proxy's error page).
fn is_offline(e: &AppError) -> bool {
    let AppError::Request(message) = e else {
        return false;
    };
    [
        ServerFnErrorErr::Request(String::new()),
        ServerFnErrorErr::Deserialization(String::new()),
    ]
    .iter()
    .any(|kind| message.starts_with(&kind.to_string()))
}

/// The error of a request that got no answer in time.
fn lost() -> AppError {
    AppError::Request(ServerFnErrorErr::Request("timed out".to_string()).to_string())
}

/// Waits for `fut` at most `limit`: `None` when the time ran out first (the request is
/// then dropped, which aborts it).
async fn within<F: std::future::Future>(fut: F, limit: Duration) -> Option<F::Output> {
    use std::task::{Poll, Waker};
    let alarm = Rc::new(RefCell::new((false, None::<Waker>)));
    let ring = Rc::clone(&alarm);
    set_timeout(
        move || {
            let mut state = ring.borrow_mut();
            state.0 = true;
            if let Some(waker) = state.1.take() {
                waker.wake();
            }
        },
        limit,
    );
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(out) = std::future::Future::poll(fut.as_mut(), cx) {
            return Poll::Ready(Some(out));
        }
        let mut state = alarm.borrow_mut();
        if state.0 {
            return Poll::Ready(None);
        }
        state.1 = Some(cx.waker().clone());
        Poll::Pending
    })
    .await
}

/// Milliseconds since the epoch, by the browser's clock.
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// A fresh sign-in id: `tab-`, the time in hex, `-` and random letters and digits
/// (28 characters of `[A-Za-z0-9-]`).
fn new_client_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut id = format!("tab-{:x}-", web_sys::js_sys::Date::now() as u64);
        while id.len() < 28 {
            let i = (web_sys::js_sys::Math::random() * ALPHABET.len() as f64) as usize;
            id.push(ALPHABET[i.min(ALPHABET.len() - 1)] as char);
        }
        id.truncate(32);
        id
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// The minute of the day in China time (UTC+8) at `ms` since the epoch.
fn china_minutes(ms: f64) -> u32 {
    let minutes = (ms / 60_000.0).floor() as i64 + 8 * 60;
    minutes.rem_euclid(24 * 60) as u32
}

/// `HH:MM` as minutes of the day.
fn minutes_of(time: &str) -> Option<u32> {
    let (h, m) = time.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The meeting shown first: the first one not over at minute `now` (a meeting ends when
/// the next one starts, the last [`MEETING_MINUTES`] after its start; one without a time
/// is never over), else the first.
fn default_meeting(meetings: &[TabletMeeting], now: u32) -> Option<String> {
    let starts: Vec<Option<u32>> = meetings.iter().map(|m| minutes_of(&m.time)).collect();
    for (i, m) in meetings.iter().enumerate() {
        let ends = match starts.get(i + 1).copied().flatten() {
            Some(next) => Some(next),
            None => starts[i].map(|s| s + MEETING_MINUTES),
        };
        if ends.is_none_or(|end| now < end) {
            return Some(m.id.clone());
        }
    }
    meetings.first().map(|m| m.id.clone())
}

/// `482913` as shown: `482 913`.
fn spaced_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() == 6 {
        let (a, b) = chars.split_at(3);
        format!(
            "{} {}",
            a.iter().collect::<String>(),
            b.iter().collect::<String>()
        )
    } else {
        code.to_string()
    }
}

/// `482913` as read out: `4 8 2 9 1 3`.
fn spoken_code(code: &str) -> String {
    code.chars().map(String::from).collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Views

/// The tablet's page, inside `TabletLayout`.
#[component]
pub fn TabletHome() -> impl IntoView {
    let lang = use_lang();
    let tab = Tablet::new(lang);
    #[cfg(feature = "hydrate")]
    browser::start(tab);
    let waiting = move || {
        let n = tab.queue.with(|q| unsent(q));
        (n > 0).then(|| lang.t(T::RmQueueCount(n)))
    };
    let flash_class = move || match tab.flash.with(|f| f.as_ref().map(|f| f.ok)) {
        Some(false) => "tablet-flash is-refused",
        _ => "tablet-flash",
    };
    let flash_text = move || tab.flash.with(|f| f.as_ref().map(|f| f.text.clone()));
    let screen = move || match tab.screen.get() {
        Screen::Loading => view! {
            <p class="tablet-connecting" role="status">{lang.t(T::RmConnecting)}</p>
        }
        .into_any(),
        Screen::Pending { code, until } => pairing(lang, code, until).into_any(),
        Screen::Paired { room, today } => view! { <Paired tab room today/> }.into_any(),
        Screen::Failed(message) => view! {
            <div class="alert alert-error tablet-failed" role="alert">{message}</div>
            <a class="btn btn-ghost tablet-exit" href="/workbench">{lang.t(T::TabletExit)}</a>
        }
        .into_any(),
    };
    view! {
        <p class="tablet-banner is-trouble" role="alert" data-testid="tablet-trouble">
            {move || tab.trouble.get()}
        </p>
        <p class="tablet-banner" role="status" data-testid="tablet-queue">{waiting}</p>
        {screen}
        <div class=flash_class role="status" aria-live="polite" data-testid="tablet-flash">
            {flash_text}
        </div>
        <PinDialog tab/>
    }
}

/// The pairing code, huge, and what to do with it.
fn pairing(lang: Lang, code: String, until: String) -> impl IntoView {
    let spoken = lang.t(T::RmPairCodeSpoken(&spoken_code(&code)));
    let until = lang.t(T::RmPairUntil(&until));
    view! {
        <section class="tablet-pairing" aria-labelledby="tablet-pair-title">
            <h2 id="tablet-pair-title">{lang.t(T::RmTabletPairTitle)}</h2>
            <p class="tablet-code" role="img" aria-label=spoken data-testid="tablet-code">
                {spaced_code(&code)}
            </p>
            <p class="tablet-lead">{lang.t(T::RmPairAsk)}</p>
            <p class="hint">{until}</p>
            <p class="hint">{lang.t(T::RmPairWaiting)}</p>
            <a class="btn btn-ghost tablet-exit" href="/workbench">{lang.t(T::TabletExit)}</a>
        </section>
    }
}

/// A paired tablet: the room, the day, its meetings as tabs and the one chosen.
#[component]
fn Paired(tab: Tablet, room: String, today: String) -> impl IntoView {
    let lang = tab.lang;
    let any = Memo::new(move |_| tab.meetings.with(|m| !m.is_empty()));
    let tabs = Memo::new(move |_| {
        tab.meetings.with(|ms| {
            ms.iter()
                .map(|m| (m.id.clone(), m.time.clone(), m.topic.clone()))
                .collect::<Vec<_>>()
        })
    });
    let body = move || {
        if !any.get() {
            return view! {
                <p class="tablet-empty" role="status" data-testid="tablet-empty">
                    {lang.t(T::RmNoMeetingsToday)}
                </p>
            }
            .into_any();
        }
        view! {
            <div class="tablet-tabs" role="group" aria-label=lang.t(T::RmMeetingsToday)>
                {move || keyed(
                    tabs.get(),
                    |t: &(String, String, String)| t.0.clone(),
                    move |(id, time, topic)| meeting_tab(tab, id, time, topic),
                )}
            </div>
            {move || tab.selected.get().map(|id| view! { <MeetingPanel tab id/> })}
        }
        .into_any()
    };
    view! {
        <div class="tablet-room">
            <h2 class="tablet-room-name">{room}</h2>
            <p class="tablet-date">{lang.t(T::RmToday(&today))}</p>
        </div>
        {body}
    }
}

/// One meeting's tab: its time and topic; pressed while shown.
fn meeting_tab(tab: Tablet, id: String, time: String, topic: String) -> impl IntoView {
    let lang = tab.lang;
    let key = id.clone();
    let pressed = move || {
        tab.selected
            .with(|s| s.as_deref() == Some(key.as_str()))
            .to_string()
    };
    let time = if time.is_empty() {
        lang.t(T::RmTimeUnset).to_string()
    } else {
        time
    };
    view! {
        <button type="button" class="tablet-tab" aria-pressed=pressed
            on:click=move |_| tab.choose(id.clone())>
            <span class="tablet-tab-time">{time}</span>
            <span class="tablet-tab-topic">{topic}</span>
        </button>
    }
}

/// The meeting shown: its facts, the count, and a name to tap for each attendee. Built
/// once per meeting chosen; what changes (the count, who is present) updates in place, so
/// an open agenda stays open.
#[component]
fn MeetingPanel(tab: Tablet, id: String) -> impl IntoView {
    let lang = tab.lang;
    let key = id.clone();
    let meeting = Memo::new(move |_| {
        tab.meetings
            .with(|ms| ms.iter().find(|m| m.id == key).cloned())
    });
    let kind = move || meeting.with(|m| m.as_ref().map(|m| lang.t(m.kind.label())));
    let org = move || meeting.with(|m| m.as_ref().map(|m| m.org_name.clone()));
    let topic = move || meeting.with(|m| m.as_ref().map(|m| m.topic.clone()));
    let time = move || {
        meeting.with(|m| {
            m.as_ref().map(|m| {
                if m.time.is_empty() {
                    lang.t(T::RmTimeUnset).to_string()
                } else {
                    m.time.clone()
                }
            })
        })
    };
    let host = move || {
        meeting.with(|m| {
            m.as_ref().map(|m| {
                if m.host.is_empty() {
                    lang.t(T::NoneText).to_string()
                } else {
                    m.host.clone()
                }
            })
        })
    };
    let present = move || {
        meeting
            .with(|m| m.as_ref().map_or(0, |m| m.present))
            .to_string()
    };
    let expected = move || {
        meeting
            .with(|m| m.as_ref().map_or(0, |m| m.expected))
            .to_string()
    };
    let agenda = Memo::new(move |_| {
        meeting.with(|m| m.as_ref().map(|m| m.agenda.clone()).unwrap_or_default())
    });
    let agenda_view = move || {
        let text = agenda.get();
        (!text.is_empty()).then(|| {
            view! {
                <details class="tablet-agenda">
                    <summary>{lang.t(T::MtpAgenda)}</summary>
                    <p class="pre-line">{text}</p>
                </details>
            }
        })
    };
    // Who is expected: the grid is rebuilt only when this list changes.
    let roster = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.attendees
                        .iter()
                        .map(|a| (a.member.clone(), a.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let meeting_key = id.clone();
    // The QR code of the meeting's page (drawn by the server): a member without a PIN, or
    // who prefers it, signs in on their own phone.
    let qr =
        Memo::new(move |_| meeting.with(|m| m.as_ref().map(|m| m.qr.clone()).unwrap_or_default()));
    let qr_view = move || {
        let svg = qr.get();
        (!svg.is_empty()).then(|| {
            view! {
                <figure class="tablet-qr" data-testid="tablet-qr">
                    <div class="tablet-qr-code" role="img" aria-label=lang.t(T::RmQrLabel)
                        inner_html=svg></div>
                    <figcaption>{lang.t(T::RmQrCaption)}</figcaption>
                </figure>
            }
        })
    };
    let names = move || {
        let id = id.clone();
        keyed(
            roster.get(),
            |r: &(String, String)| r.0.clone(),
            move |(member, name)| name_button(tab, meeting, id.clone(), member, name),
        )
    };
    view! {
        <section class="tablet-meeting" aria-labelledby="tablet-topic" data-testid="tablet-meeting"
            data-meeting=meeting_key>
            <div class="tablet-meeting-info">
                <p class="tablet-kind">{kind}" · "{org}</p>
                <h3 id="tablet-topic" class="tablet-topic">{topic}</h3>
                <dl class="tablet-facts">
                    <dt>{lang.t(T::MtpWhen)}</dt>
                    <dd>{time}</dd>
                    <dt>{lang.t(T::MtpHost)}</dt>
                    <dd>{host}</dd>
                </dl>
                {agenda_view}
                <p class="tablet-count" aria-live="polite" aria-atomic="true" data-testid="tablet-count">
                    <span class="tablet-count-label">{lang.t(T::RmCountSigned)}</span>" "
                    <strong class="tablet-count-value">{present}</strong>
                    <span class="tablet-count-of">" / "{lang.t(T::RmCountExpected)}" "{expected}</span>
                </p>
                {qr_view}
            </div>
            <div class="tablet-signin">
                <h4 id="tablet-names-title" class="tablet-instruct">{lang.t(T::RmTapName)}</h4>
                <ul class="tablet-names" aria-labelledby="tablet-names-title">{names}</ul>
            </div>
        </section>
    }
}

/// One attendee's name: a big button while they may sign in here, otherwise how they
/// stand (✓ signed in, on leave, waiting to upload, or to sign in by phone).
fn name_button(
    tab: Tablet,
    meeting: Memo<Option<TabletMeeting>>,
    meeting_id: String,
    member: String,
    name: String,
) -> impl IntoView {
    let lang = tab.lang;
    let (mid, key) = (meeting_id.clone(), member.clone());
    let state = Memo::new(move |_| {
        let (queued, answered) = tab.queue.with(|q| {
            let mine = q.iter().find(|x| x.meeting == mid && x.member == key);
            (
                mine.is_some_and(|x| x.answered.is_none()),
                mine.is_some_and(|x| x.answered.is_some()),
            )
        });
        meeting
            .with(|m| {
                m.as_ref()
                    .and_then(|m| m.attendees.iter().find(|a| a.member == key))
                    .map(|a| NameState::of(a, queued, answered))
            })
            .unwrap_or(NameState::NoPin)
    });
    let mark = move || (state.get() == NameState::Present).then_some("✓");
    let note = move || state.get().note().map(|t| lang.t(t));
    let member_key = member.clone();
    let who = Signing {
        meeting: meeting_id,
        member,
        name: name.clone(),
    };
    view! {
        <li>
            <button
                type="button"
                class=move || state.get().class()
                disabled=move || state.get() != NameState::Open
                data-testid="tablet-name"
                data-member=member_key
                on:click=move |_| tab.open(who.clone())
            >
                <span class="tablet-name-mark" aria-hidden="true">{mark}</span>
                <span class="tablet-name-text">{name}</span>
                <span class="tablet-name-note">{note}</span>
            </button>
        </li>
    }
}

/// The PIN dialog: the name, 4–6 dots, a keypad of big keys, 确认 and 取消. A keyboard's
/// digits, Backspace, Enter and Esc work too.
#[component]
fn PinDialog(tab: Tablet) -> impl IntoView {
    let lang = tab.lang;
    let first_key = NodeRef::<leptos::html::Button>::new();
    // Focus moves to the first key once the dialog shows.
    Effect::new(move |_| {
        if tab.signing.with(Option::is_some) {
            request_animation_frame(move || {
                if let Some(b) = first_key.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    });
    let press = move |digit: char| {
        tab.pin_error.set(None);
        tab.pin.update(|p| {
            if p.len() < 6 {
                p.push(digit);
            }
        });
    };
    let back = move || {
        tab.pin.update(|p| {
            p.pop();
        })
    };
    let clear = move || tab.pin.set(String::new());
    let ready = move || {
        let n = tab.pin.with(|p| p.len());
        (4..=6).contains(&n) && !tab.sending.get()
    };
    // The same, read in an event handler (no tracking).
    let ready_now = move || {
        let n = tab.pin.with_untracked(|p| p.len());
        (4..=6).contains(&n) && !tab.sending.get_untracked()
    };
    let key = move |digit: char| {
        view! {
            <button type="button" class="pin-key" data-testid="pin-key" on:click=move |_| press(digit)>
                {digit.to_string()}
            </button>
        }
    };
    let title = move || {
        tab.signing
            .with(|s| s.as_ref().map(|s| lang.t(T::RmPinTitle(&s.name))))
    };
    let typed = move || lang.t(T::RmPinTyped(tab.pin.with(|p| p.len())));
    let dots = move || {
        let n = tab.pin.with(|p| p.len());
        (0..n.clamp(4, 6))
            .map(|i| {
                let class = if i < n {
                    "pin-dot is-filled"
                } else {
                    "pin-dot"
                };
                view! { <span class=class></span> }
            })
            .collect_view()
    };
    view! {
        <div class="dialog-layer tablet-dialog-layer" hidden=move || tab.signing.with(Option::is_none)>
            <div class="dialog-backdrop" on:click=move |_| tab.close()></div>
            <div
                class="dialog tablet-dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="tablet-pin-title"
                aria-describedby="tablet-pin-error"
                data-testid="pin-dialog"
                on:keydown=move |ev| {
                    let k = ev.key();
                    match k.as_str() {
                        "Escape" => {
                            ev.prevent_default();
                            tab.close();
                        }
                        "Backspace" => {
                            ev.prevent_default();
                            back();
                        }
                        "Enter" => {
                            // On a key of the pad Enter confirms rather than typing that key
                            // again; on 取消 it cancels.
                            if !ev.default_prevented() && ready_now() {
                                ev.prevent_default();
                                tab.confirm();
                            }
                        }
                        _ => {
                            if let [d @ b'0'..=b'9'] = k.as_bytes() {
                                ev.prevent_default();
                                press(*d as char);
                            }
                        }
                    }
                }
            >
                <h2 id="tablet-pin-title" class="tablet-pin-title">{title}</h2>
                <div class="pin-dots" role="img" aria-label=typed data-testid="pin-dots">{dots}</div>
                <p id="tablet-pin-error" class="field-error tablet-pin-error" role="alert">
                    {move || tab.pin_error.get()}
                </p>
                <div class="pin-pad">
                    <button type="button" class="pin-key" data-testid="pin-key" node_ref=first_key
                        on:click=move |_| press('1')>
                        "1"
                    </button>
                    {['2', '3', '4', '5', '6', '7', '8', '9'].into_iter().map(key).collect_view()}
                    <button type="button" class="pin-key pin-key-word" on:click=move |_| clear()>
                        {lang.t(T::RmKeyClear)}
                    </button>
                    {key('0')}
                    <button type="button" class="pin-key pin-key-word" aria-label=lang.t(T::RmKeyBack)
                        on:click=move |_| back()>
                        "⌫"
                    </button>
                </div>
                <div class="dialog-actions tablet-dialog-actions">
                    <button type="button" class="btn btn-ghost tablet-cancel"
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                // Its own click cancels; the dialog's Enter does not confirm.
                                ev.prevent_default();
                                tab.close();
                            }
                        }
                        on:click=move |_| tab.close()>
                        {lang.t(T::Cancel)}
                    </button>
                    <button type="button" class="btn btn-primary tablet-confirm" data-testid="pin-confirm"
                        disabled=move || !ready()
                        on:click=move |_| tab.confirm()>
                        {lang.t(T::Confirm)}
                    </button>
                </div>
            </div>
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// The browser's side

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use super::{QUEUE_KEY, QUEUE_MAX, Queued, Tablet, new_client_id};
    use crate::models::room::LiveSnapshot;

    /// `EventSource.CLOSED`: the stream was refused and will not reconnect by itself.
    const CLOSED: u16 = 2;
    /// Seconds between checks that the live stream has not given up.
    const LIVE_CHECK: u32 = 30;

    /// Starts the tablet once the page is shown: the queue kept from before, the first
    /// read, the live stream of the meeting shown, the one-second interval, and the
    /// `online`/`offline` listeners; all released when the page goes.
    pub(super) fn start(tab: Tablet) {
        // The live stream of the meeting shown (dropping it closes it).
        let live = StoredValue::new_local(None::<Live>);
        Effect::new(move |_| {
            let id = tab.selected.get();
            live.set_value(None);
            if let Some(id) = id {
                live.set_value(Live::open(&id, tab));
            }
        });
        // After hydration: what was waiting when the page was last closed, and the day.
        Effect::new(move |_| {
            let kept = load_queue();
            if !kept.is_empty() {
                tab.queue.set(kept);
                leptos::task::spawn_local(tab.flush());
            }
            leptos::task::spawn_local(tab.read());
        });
        let seconds = Cell::new(0u32);
        let interval = set_interval_with_handle(
            move || {
                let n = seconds.get().wrapping_add(1);
                seconds.set(n);
                tab.tick(n);
                if n % LIVE_CHECK == 0 {
                    let closed = live
                        .try_with_value(|l| {
                            l.as_ref().is_some_and(|l| l.source.ready_state() == CLOSED)
                        })
                        .unwrap_or(false);
                    if closed {
                        live.try_set_value(None);
                        if let Some(id) = tab.selected.try_get_untracked().flatten() {
                            live.try_set_value(Live::open(&id, tab));
                        }
                    }
                }
            },
            Duration::from_secs(1),
        )
        .ok();
        let online = window_event_listener(leptos::ev::online, move |_| {
            leptos::task::spawn_local(tab.read());
            leptos::task::spawn_local(tab.flush());
        });
        let offline = window_event_listener(leptos::ev::offline, move |_| {
            tab.failed(&super::lost());
        });
        on_cleanup(move || {
            if let Some(handle) = interval {
                handle.clear();
            }
            online.remove();
            offline.remove();
            // Closes the stream (dropping the stored value would too).
            live.try_set_value(None);
        });
    }

    /// The live snapshots of one meeting, while held.
    pub(super) struct Live {
        source: web_sys::EventSource,
        on_snapshot: Closure<dyn FnMut(web_sys::MessageEvent)>,
    }

    impl Live {
        fn open(meeting: &str, tab: Tablet) -> Option<Live> {
            let url = format!(
                "/tablet/live/{}",
                String::from(web_sys::js_sys::encode_uri_component(meeting))
            );
            let source = web_sys::EventSource::new(&url).ok()?;
            let on_snapshot = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |ev: web_sys::MessageEvent| {
                    let snapshot = ev
                        .data()
                        .as_string()
                        .and_then(|text| serde_json::from_str::<LiveSnapshot>(&text).ok());
                    if let Some(snapshot) = snapshot {
                        tab.live(snapshot);
                    }
                },
            );
            let live = Live {
                source,
                on_snapshot,
            };
            // On failure `live` is dropped, which closes the stream.
            live.source
                .add_event_listener_with_callback(
                    "snapshot",
                    live.on_snapshot.as_ref().unchecked_ref(),
                )
                .ok()?;
            Some(live)
        }
    }

    impl Drop for Live {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// The sign-ins kept from before (an unreadable value is dropped).
    pub(super) fn load_queue() -> Vec<Queued> {
        let Some(text) = storage().and_then(|s| s.get_item(QUEUE_KEY).ok().flatten()) else {
            return Vec::new();
        };
        let mut queue: Vec<Queued> = serde_json::from_str(&text).unwrap_or_default();
        queue.retain(|q| !q.meeting.is_empty() && !q.member.is_empty());
        for q in &mut queue {
            if q.client_id.is_empty() {
                q.client_id = new_client_id();
            }
        }
        // The newest are kept.
        let extra = queue.len().saturating_sub(QUEUE_MAX);
        queue.split_off(extra)
    }

    pub(super) fn store_queue(queue: &[Queued]) {
        let Some(storage) = storage() else {
            return;
        };
        if queue.is_empty() {
            let _ = storage.remove_item(QUEUE_KEY);
        } else if let Ok(text) = serde_json::to_string(queue) {
            let _ = storage.set_item(QUEUE_KEY, &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(id: &str, time: &str) -> TabletMeeting {
        TabletMeeting {
            id: id.into(),
            kind: crate::models::meeting::MeetingKind::ThemeDay,
            org_name: String::new(),
            time: time.into(),
            topic: String::new(),
            agenda: String::new(),
            host: String::new(),
            attendees: Vec::new(),
            present: 0,
            expected: 0,
            qr: String::new(),
        }
    }

    #[test]
    fn the_code_is_shown_in_two_threes_and_read_digit_by_digit() {
        assert_eq!(spaced_code("482913"), "482 913");
        assert_eq!(spoken_code("482913"), "4 8 2 9 1 3");
        assert_eq!(spaced_code("12345"), "12345");
    }

    #[test]
    fn the_meeting_shown_first_is_the_one_not_over() {
        let day = [meeting("a", "09:00"), meeting("b", "14:00")];
        let at = |h: u32| default_meeting(&day, h * 60);
        assert_eq!(at(8).as_deref(), Some("a"));
        assert_eq!(at(10).as_deref(), Some("a"));
        assert_eq!(at(14).as_deref(), Some("b"));
        assert_eq!(at(16).as_deref(), Some("b"));
        // All over: the first.
        assert_eq!(at(18).as_deref(), Some("a"));
        assert_eq!(default_meeting(&[], 600), None);
        assert_eq!(
            default_meeting(&[meeting("c", "")], 1400).as_deref(),
            Some("c")
        );
    }

    #[test]
    fn times_and_the_china_clock() {
        assert_eq!(minutes_of("09:30"), Some(570));
        assert_eq!(minutes_of("24:00"), None);
        assert_eq!(minutes_of(""), None);
        // 2026-01-01T00:00Z is 08:00 in Beijing.
        assert_eq!(china_minutes(1_767_225_600_000.0), 480);
    }

    #[test]
    fn only_a_request_that_never_reached_the_server_is_offline() {
        let network =
            AppError::Request(ServerFnErrorErr::Request("Failed to fetch".into()).to_string());
        assert!(is_offline(&network));
        assert!(is_offline(&lost()));
        let proxy = AppError::Request(
            ServerFnErrorErr::Deserialization("expected value".into()).to_string(),
        );
        assert!(is_offline(&proxy));
        let args = AppError::Request(ServerFnErrorErr::Args("missing".into()).to_string());
        assert!(!is_offline(&args));
        assert!(!is_offline(&AppError::Forbidden));
        assert!(!is_offline(&AppError::Validation {
            field: "pin".into(),
            message: "wrong".into(),
        }));
    }

    fn kept(meeting: &str, member: &str, answered: Option<u64>) -> Queued {
        Queued {
            meeting: meeting.into(),
            member: member.into(),
            pin: "2468".into(),
            client_id: format!("c-{meeting}-{member}"),
            name: String::new(),
            answered,
        }
    }

    #[test]
    fn an_answered_sign_in_is_kept_until_the_database_shows_it_and_sent_again_after_a_while() {
        let mut queue = vec![
            kept("mt1", "m1", Some(1_000)),
            kept("mt1", "m2", None),
            kept("mt2", "m1", Some(1_000)),
        ];
        // Only the one not answered waits to be sent (and is shown as waiting).
        assert_eq!(unsent(&queue), 1);
        assert_eq!(next_unsent(&queue).map(|x| x.member), Some("m2".into()));

        // Not yet long enough: nothing to send again.
        assert!(!expire(&mut queue, 1_000 + CONFIRM_MS - 1));
        assert_eq!(unsent(&queue), 1);

        // The database shows m1 present at mt1: that one is done; the other meeting's
        // is not.
        assert!(settle(&mut queue, "mt1", &["m1".into(), "m9".into()]));
        assert_eq!(queue.len(), 2);
        assert!(
            !settle(&mut queue, "mt1", &["m9".into()]),
            "nothing else went"
        );

        // Unseen for CONFIRM_MS: sent again, oldest first.
        assert!(expire(&mut queue, 1_000 + CONFIRM_MS));
        assert_eq!(unsent(&queue), 2);
        assert_eq!(next_unsent(&queue).map(|x| x.meeting), Some("mt1".into()));

        // A waiting one whose attendee is present (signed in by phone meanwhile) is done
        // too.
        assert!(settle(&mut queue, "mt1", &["m2".into()]));
        assert_eq!(queue, vec![kept("mt2", "m1", None)]);
    }

    #[test]
    fn an_answered_attendee_shows_present_whatever_an_earlier_snapshot_said() {
        let a = TabletAttendee {
            member: "m1".into(),
            name: "张三".into(),
            status: None,
            has_pin: true,
        };
        assert_eq!(NameState::of(&a, false, false), NameState::Open);
        assert_eq!(NameState::of(&a, true, false), NameState::Queued);
        assert_eq!(NameState::of(&a, false, true), NameState::Present);
    }

    #[test]
    fn a_queue_kept_before_sign_ins_were_answered_first_reads_as_waiting() {
        let stored =
            r#"[{"meeting":"mt1","member":"m1","pin":"2468","client_id":"c-1","name":"张三"}]"#;
        let queue: Vec<Queued> = serde_json::from_str(stored).unwrap();
        assert_eq!(queue[0].answered, None);
        assert_eq!(unsent(&queue), 1);
    }
}
