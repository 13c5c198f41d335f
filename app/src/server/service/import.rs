//! Orchestration behind the `import` server functions (`crate::api::import`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::{DateTime, Utc};
use surrealdb::types::{Bytes, RecordId};

use crate::access::Caller;
use crate::error::AppError;
use crate::i18n::{Lang, T};
use crate::models::audit::{Outcome, action};
use crate::models::member::Standing;
use crate::models::org::{Position, is_valid_key};
use crate::server::audit::Actor;
use crate::server::audit::Event;
use crate::server::import::{self, Checked};
use crate::server::repo::import::{JobRow, NewEvent, NewJob};
use crate::server::repo::member::MemberInsert;
use crate::server::{
    AppState, Ctx, china_today, commit, db_error, deny_record, fail, internal, invalid, key_string,
    new_key, repo,
};

use crate::models::import::{ImportReport, ImportStatus};

/// The report of an upload the caller made, with the progress of a running write.
pub async fn get(ctx: &Ctx, id: &str) -> Result<ImportReport, AppError> {
    let job = own_job(&ctx.state, &ctx.caller, id, ctx.rule.endpoint).await?;
    report_now(&ctx.state, job, ctx.lang).await
}

/// Confirms an upload the caller made (see [`start`]).
pub async fn confirm(ctx: &Ctx, id: &str) -> Result<ImportReport, AppError> {
    let job = own_job(&ctx.state, &ctx.caller, id, ctx.rule.endpoint).await?;
    start(&ctx.state, &ctx.caller, id, job, ctx.lang).await
}

/// A write that has reported nothing for this long died with its server: its
/// transaction was never committed, so nothing was written, and it may be confirmed
/// again.
const STALLED_AFTER: chrono::Duration = chrono::Duration::seconds(120);

/// The report as the page shows it, with the progress of a running write; a write
/// that stalled reads as failed.
pub fn report(
    job: JobRow,
    written: Option<(i64, DateTime<Utc>)>,
    now: DateTime<Utc>,
    lang: Lang,
) -> ImportReport {
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    let last_sign = written.map(|(_, at)| at).or(job.started_at);
    let stalled = job.status == ImportStatus::Importing
        && last_sign.is_none_or(|at| now - at > STALLED_AFTER);
    let (status, message) = if stalled {
        (ImportStatus::Failed, lang.t(T::ImpInterrupted).to_string())
    } else {
        (job.status, job.message)
    };
    ImportReport {
        id: key_string(&job.id),
        file_name: job.file_name,
        sheet: job.sheet,
        status,
        message,
        rows: n(job.rows),
        ready: n(job.ready),
        problem_count: n(job.problem_count),
        problems: serde_json::from_str(&job.problems).unwrap_or_default(),
        imported: n(job.imported),
        written: written.map_or(0, |(w, _)| n(w)),
    }
}

/// `report`, reading the progress of a running write.
pub async fn report_now(
    state: &AppState,
    job: JobRow,
    lang: Lang,
) -> Result<ImportReport, AppError> {
    let written = if job.status == ImportStatus::Importing {
        repo::import::progress(&state.db, &key_string(&job.id))
            .await
            .map_err(db_error)?
    } else {
        None
    };
    Ok(report(job, written, state.clock.now(), lang))
}

/// The job, if the caller uploaded it; anyone else gets 403 (recorded), and an unknown
/// key 404.
pub async fn own_job(
    state: &AppState,
    caller: &Caller,
    id: &str,
    endpoint: &str,
) -> Result<JobRow, AppError> {
    let job = if is_valid_key(id) {
        repo::import::find(&state.db, id).await.map_err(db_error)?
    } else {
        None
    };
    match job {
        Some(job) if crate::server::scope::owned_by(caller, &job.account) => Ok(job),
        Some(_) => Err(deny_record(caller, endpoint, "import_job", id).await),
        None => Err(fail(AppError::NotFound)),
    }
}

/// Reads and checks a file for the caller: their scope decides the branches allowed.
pub async fn check(
    state: &AppState,
    caller: &Caller,
    bytes: &[u8],
    lang: Lang,
) -> Result<Result<Checked, import::FileProblem>, AppError> {
    // Branches in the caller's scope under the import's rule.
    let structure = state
        .structure
        .get(&state.db)
        .await
        .map_err(|e| fail(internal(e)))?;
    let scope = crate::server::scope_of(state, caller, &crate::api::import::IMPORT_MEMBERS).await?;
    let visible = scope.restrict(structure.forest().to_vec());
    let on_roster: std::collections::HashSet<String> = repo::member::id_numbers(&state.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .collect();
    let today = china_today(state);
    // The file is read off the async workers (it is CPU work), and a malformed file
    // that trips a panic inside the spreadsheet reader is refused like any other
    // unreadable file instead of failing the request.
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || {
        let known = |numbers: &[String]| -> Vec<String> {
            numbers
                .iter()
                .filter(|n| on_roster.contains(*n))
                .cloned()
                .collect()
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            import::check(&bytes, &visible, &known, today, lang)
        }))
        .unwrap_or_else(|_| {
            tracing::warn!("the spreadsheet reader panicked on an upload; refused");
            Err(import::FileProblem::NotXlsx)
        })
    })
    .await
    .map_err(|e| fail(internal(e)))
}

/// Stores an upload and its report; returns the job's key.
pub async fn store(
    state: &AppState,
    caller: &Caller,
    file_name: &str,
    bytes: Vec<u8>,
    lang: Lang,
) -> Result<String, AppError> {
    let checked = check(state, caller, &bytes, lang).await?;
    let key = new_key("i");
    let (status, message, sheet, rows, ready, count, problems, file) = match checked {
        Ok(c) => (
            ImportStatus::Checked,
            String::new(),
            c.sheet,
            c.rows,
            c.ready.len(),
            c.problem_count,
            serde_json::to_string(&c.problems).unwrap_or_else(|_| "[]".into()),
            (c.problem_count == 0).then(|| Bytes::from(bytes)),
        ),
        Err(p) => (
            ImportStatus::Rejected,
            p.message(lang),
            String::new(),
            0,
            0,
            0,
            "[]".to_string(),
            None,
        ),
    };
    let outcome = if status == ImportStatus::Rejected {
        Outcome::Failure
    } else {
        Outcome::Success
    };
    let event = Event::new(action::CREATE, outcome)
        .on("import_job", key.clone())
        .summary(format!("upload {status}: {rows} rows, {count} problems"));
    let change = repo::import::create(NewJob {
        key: key.clone(),
        account: caller.account.clone().unwrap_or_default(),
        file_name: file_name.chars().take(100).collect(),
        sheet,
        file,
        rows: rows as i64,
        ready: ready as i64,
        problem_count: count as i64,
        problems,
        status,
        message,
        now: state.clock.now(),
    });
    commit(state, caller, &event, &change).await?;
    Ok(key)
}

/// Confirms an import: checks the file again, claims the job for this confirmation
/// (recorded in the audit trail), and starts the background write.
pub async fn start(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut job: JobRow,
    lang: Lang,
) -> Result<ImportReport, AppError> {
    let (seen_status, seen_run, file) = (job.status, job.run.clone(), job.file.take());
    let current = report_now(state, job, lang).await?;
    let (true, Some(bytes)) = (current.can_confirm(), file) else {
        return Err(invalid("file", lang.t(T::ImpNotReady).into()));
    };
    let checked = match check(state, caller, &bytes, lang).await? {
        Ok(c) if c.problem_count == 0 => c,
        _ => return Err(invalid("file", lang.t(T::ImpChanged).into())),
    };
    let members = new_members(&checked);
    // Claim: only one confirmation writes. The update applies only to the job as it was
    // read (status and run), so of two confirmations at once the second changes
    // nothing, and finds another `run` when it reads the job back.
    let run = new_key("r");
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("import_job", id.to_string())
        .summary(format!("import confirmed: {} rows", members.len()));
    let change = repo::import::claim(id, run.clone(), seen_status, seen_run, state.clock.now());
    commit(state, caller, &event, &change).await?;
    let job = own_job(
        state,
        caller,
        id,
        crate::api::import::COMMIT_IMPORT.endpoint,
    )
    .await?;
    if job.run.as_deref() != Some(run.as_str()) {
        return Err(invalid("file", lang.t(T::ImpNotReady).into()));
    }
    let report = report(job, Some((0, state.clock.now())), state.clock.now(), lang);
    let (state, caller, id) = (state.clone(), caller.clone(), id.to_string());
    tokio::spawn(async move { write(&state, &caller, &id, &run, members, lang).await });
    Ok(report)
}

fn new_members(checked: &Checked) -> Vec<MemberInsert> {
    checked
        .ready
        .iter()
        .map(|r| {
            let v = &r.valid;
            MemberInsert {
                id: RecordId::new("member", new_key("m").as_str()),
                name: v.name.clone(),
                name_initials: repo::member::name_initials(&v.name),
                gender: v.gender.into(),
                birth_date: v.birth_date,
                ethnicity: v.ethnicity.clone(),
                education: v.education.clone(),
                department: v.department.clone(),
                title: v.title.clone(),
                phone: v.phone.clone(),
                id_number: v.id_number.clone(),
                org: RecordId::new("org", r.org.as_str()),
                party_group: None,
                position: Position::Member,
                status: v.status.into(),
                application_date: v.application_date,
                admission_date: v.admission_date,
                full_date: v.full_date,
                standing: Standing::Active,
                flags: Vec::new(),
                dual_leader: false,
            }
        })
        .collect()
}

/// Rows per INSERT statement: one statement with thousands of rows grew with the
/// square of its size.
const CHUNK: usize = 500;

/// Attempts at the transaction: it fails with a conflict when someone changes a
/// member of the same branches while it runs, and is then tried again.
const ATTEMPTS: usize = 3;

/// Why a write attempt ended without committing.
enum WriteError {
    /// Another transaction touched the same records first; worth trying again.
    Conflict,
    /// An ID number reached the roster after the check.
    Duplicate,
    Other(String),
}

impl WriteError {
    fn of(e: surrealdb::Error) -> Self {
        let text = e.to_string();
        if text.contains("conflict") || text.contains("retried") {
            WriteError::Conflict
        } else if text.contains("member_id_number") {
            WriteError::Duplicate
        } else {
            WriteError::Other(text)
        }
    }
}

/// The background write: every row and its history line in one transaction (sent in
/// chunks, with progress recorded outside it after each), and the job marked imported
/// in the same transaction. The outcome is recorded in the audit trail afterwards: the
/// trail is one chain, and holding its head for the whole write would make every
/// other audited action wait for the import.
async fn write(
    state: &AppState,
    caller: &Caller,
    id: &str,
    run: &str,
    members: Vec<MemberInsert>,
    lang: Lang,
) {
    let n = members.len();
    let mut outcome = Err(WriteError::Conflict);
    for attempt in 1..=ATTEMPTS {
        outcome = write_once(state, caller, id, run, &members).await;
        match &outcome {
            Err(WriteError::Conflict) if attempt < ATTEMPTS => {
                tracing::info!(job = id, attempt, "import conflicted; trying again");
            }
            _ => break,
        }
    }
    let (event, change) = match outcome {
        Ok(()) => (
            Event::new(action::CREATE, Outcome::Success)
                .on("import_job", id.to_string())
                .summary(format!("imported {n} members")),
            None,
        ),
        Err(e) => {
            let message = match e {
                WriteError::Conflict => lang.t(T::ImpConflict),
                WriteError::Duplicate => lang.t(T::ImpChanged),
                WriteError::Other(detail) => {
                    tracing::error!(job = id, %detail, "import failed");
                    lang.t(T::ImpFailed)
                }
            };
            (
                Event::new(action::CREATE, Outcome::Failure)
                    .on("import_job", id.to_string())
                    .summary(format!("import of {n} rows failed; nothing written")),
                Some(repo::import::failed(id, run, message.to_string())),
            )
        }
    };
    let appended = state
        .audit
        .append(
            &state.db,
            state.clock.now(),
            &Actor::of(caller),
            &event,
            change.as_ref(),
        )
        .await;
    if let Err(e) = appended {
        tracing::error!(job = id, error = %e, "import outcome not recorded");
    }
}

async fn write_once(
    state: &AppState,
    caller: &Caller,
    id: &str,
    run: &str,
    members: &[MemberInsert],
) -> Result<(), WriteError> {
    let actor = caller.account.clone().unwrap_or_default();
    let now = state.clock.now();
    let tx = repo::import::begin(&state.db)
        .await
        .map_err(WriteError::of)?;
    let mut written = 0usize;
    for chunk in members.chunks(CHUNK) {
        let events: Vec<NewEvent> = chunk
            .iter()
            .map(|m| NewEvent {
                member: m.id.clone(),
                kind: "created".into(),
                what: crate::models::member::History::Imported,
                actor: actor.clone(),
                at: now,
            })
            .collect();
        if let Err(e) = repo::import::insert(&tx, chunk.to_vec(), events).await {
            let _ = tx.cancel().await;
            return Err(WriteError::of(e));
        }
        written += chunk.len();
        repo::import::set_progress(&state.db, id, written as i64, state.clock.now()).await;
    }
    if let Err(e) = repo::import::mark_imported(&tx, id, run, members.len() as i64).await {
        let _ = tx.cancel().await;
        return Err(WriteError::of(e));
    }
    tx.commit().await.map(|_| ()).map_err(WriteError::of)
}
