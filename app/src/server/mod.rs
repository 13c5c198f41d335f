//! Everything that touches the database. Compiled only with the `ssr` feature.

pub mod audit;
pub mod auth;
pub mod demo;
pub mod export;
pub mod files;
pub mod held;
pub mod history;
pub mod http;
pub mod import;
pub mod live;
pub mod live_meetings;
pub mod markdown;
pub mod pending_writes;
pub mod question_import;
pub mod reads;
pub mod repo;
pub mod roster;
pub mod scope;
pub mod service;
pub mod sessions;
pub mod tallies;
pub mod words;

use std::fmt::Display;
use std::sync::Arc;

use leptos::prelude::*;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::types::{RecordId, RecordIdKey};

use crate::access::{self, AccessRule, Caller, Denied};
use crate::error::AppError;
use crate::models::account::AuthPolicy;
use crate::models::audit::{Outcome, action};
use audit::{Actor, AuditLog, Change, Event};
use auth::{AddressLimiter, Clock, Passwords};

pub type Db = Surreal<Any>;

/// Shared state handed to every request through Leptos context and the middleware. One
/// pointer: axum clones each layer's state for every request, and cloning the fields
/// themselves (the database handle opens a SurrealDB session per clone) cost a public page
/// served from memory a third of its time (perf, docs/performance.md).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct AppStateInner {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub passwords: Passwords,
    /// The key the sign-in PINs are hashed with, the same on every app server.
    pub pin_key: auth::PinKey,
    pub policy: AuthPolicy,
    /// Mark cookies `Secure` (the platform is served over TLS).
    pub secure_cookies: bool,
    pub audit: AuditLog,
    /// Failed sign-ins per client address.
    pub addresses: AddressLimiter,
    /// The organisation structure in memory, for scope checks.
    pub structure: scope::StructureCache,
    /// Sessions in memory for a few seconds, while changes are followed (`live`).
    pub sessions: sessions::SessionCache,
    /// Meeting-room tablets in memory for a few seconds, while changes are followed.
    pub devices: sessions::DeviceCache,
    /// Members' sign-in PINs in memory for a few seconds, while changes are followed.
    pub pins: sessions::PinCache,
    /// The version of what the public pages show, while changes are followed (`live`).
    pub public: live::Version,
    /// Member counts per organisation, while changes are followed (`live`).
    pub tallies: tallies::TallyCache,
    /// The version of the Party records (members, their history, the pipeline,
    /// transfers, organisations), while changes are followed (`live`).
    pub records: live::Version,
    /// Roster pages, per query and page, at a version of `records`.
    pub rosters: reads::ReadCache<service::member::RosterKey, crate::models::member::MemberPage>,
    /// The version of the closed loop's assignments (publishing, answers, reviews), while
    /// changes are followed (`live`).
    pub assignments: live::Version,
    /// The review queue's counts per filter and day, at a version of `assignments`.
    pub queue_counts: reads::ReadCache<
        (repo::assessment::Queue, chrono::NaiveDate),
        Vec<repo::assessment::CountRow>,
    >,
    /// Member records with history, pipeline and transfers, at a version of `records`.
    pub profiles:
        reads::ReadCache<(String, chrono::NaiveDate), Option<crate::models::member::MemberProfile>>,
    /// The version of the meetings (scheduled, minutes), while changes are followed
    /// (`live`).
    pub meetings: live::Version,
    /// What the compliance rules count (organisation, kind, day) per filter and days, at a
    /// version of `meetings`: the grid reads 6,000 meetings at SF1 otherwise.
    pub meetings_held: reads::ReadCache<
        (Option<Vec<String>>, chrono::NaiveDate, chrono::NaiveDate),
        Vec<repo::meeting::HeldRow>,
    >,
    /// Where uploaded files are kept (a folder, or an S3-compatible store shared by every
    /// app server).
    pub files: files::FileStore,
    /// Where, when and for whom each meeting is, as a tablet's sign-in checks it, at a
    /// version of `meetings`.
    pub sign_in_meetings: reads::ReadCache<String, Option<repo::room::SignInMeeting>>,
    /// The screens following meetings' attendance live, and their snapshots.
    pub live_meetings: live_meetings::LiveMeetings,
    /// Tablets' sign-ins answered and still being written (`pending_writes`).
    pub sign_in_writes: pending_writes::PendingWrites,
    /// The task section of member records (the member's own assignments, or the branch's
    /// assignments citing the record) per organisation (empty: own), member and version of
    /// `records` (names), at a version of `assignments`.
    pub member_tasks:
        reads::ReadCache<(String, String, Option<u64>), Vec<repo::assessment::SummaryRow>>,
    /// The version of the notifications (the bell), while changes are followed (`live`).
    pub notices: live::Version,
    /// Each account's unread count, which every management page shows, at a version of
    /// `notices`.
    pub unread: reads::ReadCache<String, i64>,
}

impl AppState {
    /// With the default sign-in policy, cookies not marked `Secure`, files kept in memory
    /// and this process's PIN key: for commands that never touch files or PINs.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self::with_settings(
            db,
            clock,
            AuthPolicy::default(),
            false,
            files::FileStore::in_memory(),
            auth::PinKey::for_process(),
        )
    }

    pub fn with_settings(
        db: Db,
        clock: Arc<dyn Clock>,
        policy: AuthPolicy,
        secure_cookies: bool,
        files: files::FileStore,
        pin_key: auth::PinKey,
    ) -> Self {
        AppState(Arc::new(AppStateInner {
            db,
            clock,
            passwords: Passwords::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            pin_key,
            policy,
            secure_cookies,
            audit: AuditLog::default(),
            addresses: AddressLimiter::default(),
            structure: scope::StructureCache::default(),
            sessions: sessions::SessionCache::default(),
            devices: sessions::DeviceCache::default(),
            pins: sessions::PinCache::default(),
            public: live::Version::default(),
            tallies: tallies::TallyCache::default(),
            records: live::Version::default(),
            rosters: reads::ReadCache::new(2_000),
            assignments: live::Version::default(),
            queue_counts: reads::ReadCache::new(2_000),
            profiles: reads::ReadCache::new(20_000),
            meetings: live::Version::default(),
            meetings_held: reads::ReadCache::new(200),
            sign_in_meetings: reads::ReadCache::new(500),
            live_meetings: live_meetings::LiveMeetings::default(),
            sign_in_writes: pending_writes::PendingWrites::default(),
            member_tasks: reads::ReadCache::new(20_000),
            notices: live::Version::default(),
            unread: reads::ReadCache::new(20_000),
            files,
        }))
    }
}

/// The caller of the current request, as resolved from its session cookie.
pub fn current_caller() -> Caller {
    use_context::<::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned())
        .unwrap_or_else(Caller::visitor)
}

/// The state in context, or an internal error if the server was wired wrongly.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))
}

/// Checks the caller against a server function's rule; a refusal is logged, recorded in
/// the audit trail and sets the response status.
pub async fn authorize(rule: &AccessRule) -> Result<Caller, AppError> {
    let caller = current_caller();
    match access::check(rule, &caller) {
        Ok(()) => Ok(caller),
        Err(denied) => {
            tracing::warn!(endpoint = rule.endpoint, ?denied, "permission denied");
            if let Ok(state) = app_state() {
                let event = Event::new(action::DENIED, Outcome::Denied)
                    .on("endpoint", rule.endpoint)
                    .summary(format!("{denied:?}"));
                record(&state, &caller, &event).await;
            }
            Err(fail(match denied {
                Denied::Unauthenticated => AppError::Unauthenticated,
                Denied::Forbidden => AppError::Forbidden,
                Denied::PasswordChangeRequired => AppError::PasswordChangeRequired,
            }))
        }
    }
}

/// What a server function works with once its rule admitted the caller: the caller, the
/// shared state, the reader's language, the caller's scope under the rule, and the rule
/// (for the audit trail).
pub struct Ctx {
    pub caller: Caller,
    pub state: AppState,
    pub lang: crate::i18n::Lang,
    pub scope: scope::Scope,
    pub rule: &'static AccessRule,
}

/// The opening of every server function: checks the caller against `rule` (a refusal is
/// logged, recorded and sets the status) and resolves its scope under the rule's declared
/// `DataScope`.
pub async fn begin(rule: &'static AccessRule) -> Result<Ctx, AppError> {
    let caller = authorize(rule).await?;
    let state = app_state().map_err(fail)?;
    let scope = scope::Scope::of(rule, &caller, &state.db, &state.structure)
        .await
        .map_err(|e| fail(internal(e)))?;
    Ok(Ctx {
        caller,
        state,
        lang: crate::i18n::detect_lang(),
        scope,
        rule,
    })
}

impl Ctx {
    /// The organisation structure as this server holds it (`StructureCache`).
    pub async fn structure(&self) -> Result<std::sync::Arc<scope::OrgStructure>, AppError> {
        self.state
            .structure
            .get(&self.state.db)
            .await
            .map_err(db_error)
    }

    /// Refuses one record outside the scope (an attempted IDOR): logged, recorded, 403.
    pub async fn deny(&self, entity: &str, id: &str) -> AppError {
        deny_in(&self.state, &self.caller, self.rule.endpoint, entity, id).await
    }

    /// The caller and the time, for the history lines of a change.
    pub fn stamp(&self) -> repo::Stamp {
        repo::Stamp::new(&self.caller, &self.state)
    }

    /// [`commit`] by the caller: the change and its audit entry in one transaction.
    pub async fn commit(&self, event: &Event, change: &Change) -> Result<(), AppError> {
        commit(&self.state, &self.caller, event, change).await
    }

    /// [`record`] by the caller: an audit entry without a change.
    pub async fn record(&self, event: &Event) {
        record(&self.state, &self.caller, event).await;
    }

    /// Today's date in China (UTC+8) by the application clock.
    pub fn today(&self) -> chrono::NaiveDate {
        china_today(&self.state)
    }
}

/// A database error as the client sees it: logged, opaque, status 500.
pub fn db_error(e: impl Display) -> AppError {
    fail(internal(e))
}

pub use crate::models::clip;

/// The caller's scope under `rule` (see `scope`), outside a `Ctx`.
pub async fn scope_of(
    state: &AppState,
    caller: &Caller,
    rule: &AccessRule,
) -> Result<scope::Scope, AppError> {
    scope::Scope::of(rule, caller, &state.db, &state.structure)
        .await
        .map_err(|e| fail(internal(e)))
}

/// Refuses access to one record outside the caller's data scope (an attempted IDOR): logs,
/// records and answers 403 without data.
pub async fn deny_record(caller: &Caller, endpoint: &str, entity: &str, id: &str) -> AppError {
    match app_state() {
        Ok(state) => deny_in(&state, caller, endpoint, entity, id).await,
        Err(_) => fail(AppError::Forbidden),
    }
}

/// As [`deny_record`] with the state at hand (plain routes have no server-function
/// context to find it in).
pub async fn deny_in(
    state: &AppState,
    caller: &Caller,
    endpoint: &str,
    entity: &str,
    id: &str,
) -> AppError {
    // The key as the caller sent it: cut short, so a guessed key cannot fill the trail.
    let id: String = id.chars().take(64).collect();
    let id = id.as_str();
    tracing::warn!(
        endpoint,
        entity,
        id,
        "record outside the caller's data scope"
    );
    let event = Event::new(action::DENIED, Outcome::Denied)
        .on(entity, id)
        .summary(format!("out of scope via {endpoint}"));
    record(state, caller, &event).await;
    fail(AppError::Forbidden)
}

/// Appends an event by `caller` to the audit trail. A failure to write is logged as an
/// error (the event itself has already happened).
pub async fn record(state: &AppState, caller: &Caller, event: &Event) {
    record_as(state, &Actor::of(caller), event).await;
}

/// As [`record`], for an actor that is not (yet) the caller, e.g. a failed sign-in.
pub async fn record_as(state: &AppState, actor: &Actor, event: &Event) {
    if let Err(e) = state
        .audit
        .append(&state.db, state.clock.now(), actor, event, None)
        .await
    {
        tracing::error!(error = %e, action = event.action, "audit entry could not be written");
    }
}

/// Removes audit entries older than the retention period and records that it did.
pub async fn prune_audit(state: &AppState) -> Result<u64, surrealdb::Error> {
    let cutoff = state.clock.now() - state.policy.audit_retention;
    let removed = audit::prune(&state.db, &state.audit, cutoff).await?;
    if removed > 0 {
        let actor = Actor {
            name: "system".into(),
            ..Actor::default()
        };
        let event = Event::new(action::PRUNE, Outcome::Success)
            .on("audit", "")
            .summary(format!("removed {removed} entries older than {cutoff}"));
        record_as(state, &actor, &event).await;
    }
    Ok(removed)
}

/// Writes a business change and its audit entry in one transaction: either both are
/// stored or neither. A change to an organisation makes this server reload the structure
/// it holds for scope checks; changes to what sessions or public pages show end the copies
/// this server holds.
pub async fn commit(
    state: &AppState,
    caller: &Caller,
    event: &Event,
    change: &Change,
) -> Result<(), AppError> {
    let result = state
        .audit
        .append(
            &state.db,
            state.clock.now(),
            &Actor::of(caller),
            event,
            Some(change),
        )
        .await
        .map(|_| ())
        .map_err(|e| match guard_of(&e) {
            // The caller decides what a refusal means (and may try again), so no status
            // is set for it here.
            Some(guard) => AppError::Conflict { message: guard },
            None => fail(internal(e)),
        });
    // What this server holds in memory is forgotten before the answer is sent; the
    // other servers forget it when the change notification reaches them (`live`).
    match event.entity.as_str() {
        // Roles, a disabled account, a password reset: rare, so every session is read again.
        "account" => state.sessions.clear(),
        // Searching, verifying or exporting the trail changes nothing held; the closed
        // loop's records are read from the database each time.
        "audit" | "rectification" => {}
        // A period's indicators (their names show beside tasks).
        "period" => state.assignments.bump(),
        // Scheduling, minutes: what the compliance grid counts is counted again; a sign-in
        // reaches the screens following the meeting at once.
        "meeting" => {
            state.meetings.bump();
            state.live_meetings.changed(state, &event.entity_id);
        }
        // A tablet paired (recorded on its room) or revoked: every tablet is read again.
        "device" | "room" => state.devices.clear(),
        // Learning content is read from the database each time: nothing held.
        "course" | "chapter" | "item" => {}
        // A PIN set: read again.
        "member_pin" => state.pins.forget(&event.entity_id),
        // Publishing, answering, reviewing: the queue's counts are counted again.
        "task" | "assignment" => state.assignments.bump(),
        // Everything else may touch the Party records (an import writes members under
        // its job's name): writes are rare next to reads, so all of it is read anew.
        entity => {
            if entity == "org" {
                state.structure.invalidate();
            }
            state.records.bump();
            state.public.bump();
            state.tallies.version().bump();
            state.assignments.bump();
        }
    }
    result
}

/// How a change's SQL refuses itself on a condition checked inside its transaction:
/// `THROW "zhibu-guard:<name>"`. [`commit`] answers such a refusal with
/// `AppError::Conflict { message: <name> }`, without setting the response status: the
/// service puts it into words and sets the status (`fail`), or tries again. Nothing of the
/// change or its audit entry is stored.
pub const GUARD: &str = "zhibu-guard:";

/// The name of the guard that refused a change, if that is why it failed.
pub fn guard_of(e: &surrealdb::Error) -> Option<String> {
    let text = e.to_string();
    let start = text.find(GUARD)? + GUARD.len();
    let name: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    Some(name)
}

/// Today's date in China (UTC+8) by the application clock.
pub fn china_today(state: &AppState) -> chrono::NaiveDate {
    state
        .clock
        .now()
        .with_timezone(&crate::models::audit::china_offset())
        .date_naive()
}

/// A fresh record key: `prefix` and 16 random hex digits.
pub fn new_key(prefix: &str) -> String {
    let mut bytes = [0u8; 8];
    // The operating system's generator does not fail on supported platforms; a zero key
    // would then collide and the insert fail, never overwrite.
    let _ = getrandom::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

/// The session token the current request carries, if any.
pub fn request_token() -> Option<String> {
    use_context::<::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(::http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(auth::token_from_cookies)
    })
}

/// Adds a `Set-Cookie` header to the current response.
pub fn set_cookie(value: String) {
    if let (Some(opts), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        ::http::HeaderValue::from_str(&value),
    ) {
        opts.append_header(::http::header::SET_COOKIE, value);
    }
}

/// Logs the detail and returns the opaque error the client may see.
pub fn internal(detail: impl Display) -> AppError {
    tracing::error!(error = %detail, "internal error");
    AppError::Internal
}

/// Sets the response status to match the error, then hands the error back.
pub fn fail(err: AppError) -> AppError {
    crate::routes::set_page_status(err.status());
    err
}

/// A validation error naming the input field, with its status set.
pub fn invalid(field: &str, message: String) -> AppError {
    fail(AppError::Validation {
        field: field.into(),
        message,
    })
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a text, as lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(text.as_bytes()))
}

/// The key of a record id as the string the browser sees.
pub fn key_string(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}
