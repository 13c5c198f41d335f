//! Roster import from `.xlsx`: the upload (`POST /import/members`, a plain form post that
//! works without JavaScript) stores the file and its report; the page shows the report
//! (row, column, problem) before anything is written; confirming reads and checks the file
//! again and writes every row in one transaction, or none.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::{AccessRule, Audience, DataScope, Role};
use crate::error::AppError;

/// One problem in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// What an upload found, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: String,
    pub file_name: String,
    /// `checked` (report ready), `rejected` (the file itself was refused) or `imported`.
    pub status: String,
    /// Why the file was refused.
    pub message: String,
    pub rows: u32,
    pub ready: u32,
    pub problem_count: u32,
    pub problems: Vec<ImportProblem>,
    pub imported: u32,
}

/// Branch committees into their own branches, and the office. The upload route and both
/// functions here share this rule.
pub const IMPORT_MEMBERS: AccessRule = AccessRule {
    endpoint: "/import/members",
    audience: Audience::Roles(&[Role::BranchCommittee, Role::CommitteeOffice]),
    scope: DataScope::OrgSubtree,
};

/// As `IMPORT_MEMBERS`; a report belongs to the account that uploaded it.
pub const GET_IMPORT: AccessRule = AccessRule {
    endpoint: "/api/get_import",
    audience: Audience::Roles(&[Role::BranchCommittee, Role::CommitteeOffice]),
    scope: DataScope::Own,
};

#[server(endpoint = "get_import")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_import(id: String) -> Result<ImportReport, AppError> {
    use crate::server::{app_state, authorize, fail};
    let caller = authorize(&GET_IMPORT).await?;
    let state = app_state().map_err(fail)?;
    let job = server_side::own_job(&state, &caller, &id, GET_IMPORT.endpoint).await?;
    Ok(server_side::report(job))
}

/// As `GET_IMPORT`.
pub const COMMIT_IMPORT: AccessRule = AccessRule {
    endpoint: "/api/commit_import",
    audience: Audience::Roles(&[Role::BranchCommittee, Role::CommitteeOffice]),
    scope: DataScope::Own,
};

/// Writes a checked import: the file is read and checked again (the roster may have
/// changed), and if anything is wrong now nothing is written.
#[server(endpoint = "commit_import")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn commit_import(id: String) -> Result<u32, AppError> {
    use crate::i18n::{T, detect_lang};
    use crate::server::{app_state, authorize, fail};
    let caller = authorize(&COMMIT_IMPORT).await?;
    let lang = detect_lang();
    let state = app_state().map_err(fail)?;
    let job = server_side::own_job(&state, &caller, &id, COMMIT_IMPORT.endpoint).await?;
    if job.status != "checked" || job.problem_count > 0 {
        return Err(fail(AppError::Validation {
            field: "file".into(),
            message: lang.t(T::ImpNotReady).into(),
        }));
    }
    server_side::write(&state, &caller, &id, &job, lang).await
}

#[cfg(feature = "ssr")]
pub mod server_side {
    use surrealdb::types::{Bytes, RecordId, SurrealValue};

    use crate::access::Caller;
    use crate::error::AppError;
    use crate::i18n::{Lang, T};
    use crate::models::audit::{Outcome, action};
    use crate::models::org::{OrgScope, is_valid_key};
    use crate::server::audit::{Change, Event};
    use crate::server::import::{self, Checked};
    use crate::server::{
        AppState, china_today, commit, deny_record, fail, internal, key_string, new_key, repo,
    };

    use super::{ImportProblem, ImportReport};

    #[derive(Debug, SurrealValue)]
    pub struct JobRow {
        pub id: RecordId,
        pub account: String,
        pub file_name: String,
        pub file: Option<Bytes>,
        pub rows: i64,
        pub ready: i64,
        pub problem_count: i64,
        pub problems: String,
        pub status: String,
        pub message: String,
        pub imported: i64,
    }

    pub fn report(job: JobRow) -> ImportReport {
        let n = |v: i64| u32::try_from(v).unwrap_or(0);
        ImportReport {
            id: key_string(&job.id),
            file_name: job.file_name,
            status: job.status,
            message: job.message,
            rows: n(job.rows),
            ready: n(job.ready),
            problem_count: n(job.problem_count),
            problems: serde_json::from_str(&job.problems).unwrap_or_default(),
            imported: n(job.imported),
        }
    }

    /// The job, if the caller uploaded it; anyone else gets 403 (recorded), and an unknown
    /// key 404.
    pub async fn own_job(
        state: &AppState,
        caller: &Caller,
        id: &str,
        endpoint: &str,
    ) -> Result<JobRow, AppError> {
        let job: Option<JobRow> = if is_valid_key(id) {
            let mut res = state
                .db
                .query("SELECT * FROM ONLY type::record('import_job', $id)")
                .bind(("id", id.to_string()))
                .await
                .and_then(|r| r.check())
                .map_err(|e| fail(internal(e)))?;
            res.take(0).map_err(|e| fail(internal(e)))?
        } else {
            None
        };
        match job {
            Some(job) if Some(&job.account) == caller.account.as_ref() => Ok(job),
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
        let forest = repo::org::structure(&state.db)
            .await
            .map_err(|e| fail(internal(e)))?;
        let visible = match OrgScope::of(caller) {
            OrgScope::All => forest,
            _ => OrgScope::Roots(caller.orgs.clone()).restrict(forest),
        };
        let mut res = state
            .db
            .query("SELECT VALUE id_number FROM member")
            .await
            .and_then(|r| r.check())
            .map_err(|e| fail(internal(e)))?;
        let on_roster: std::collections::HashSet<String> = res
            .take::<Vec<String>>(0)
            .map_err(|e| fail(internal(e)))?
            .into_iter()
            .collect();
        let known = |numbers: &[String]| -> Vec<String> {
            numbers
                .iter()
                .filter(|n| on_roster.contains(*n))
                .cloned()
                .collect()
        };
        Ok(import::check(
            bytes,
            &visible,
            &known,
            china_today(state),
            lang,
        ))
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
        let (status, message, rows, ready, count, problems, file) = match checked {
            Ok(c) => {
                let listed: Vec<ImportProblem> = c
                    .problems
                    .iter()
                    .map(|p| ImportProblem {
                        row: p.row,
                        column: p.column.clone(),
                        message: p.message.clone(),
                    })
                    .collect();
                (
                    "checked",
                    String::new(),
                    c.rows,
                    c.ready.len(),
                    c.problem_count,
                    serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into()),
                    (c.problem_count == 0).then(|| Bytes::from(bytes)),
                )
            }
            Err(p) => ("rejected", p.message(lang), 0, 0, 0, "[]".to_string(), None),
        };
        let event = Event::new(action::CREATE, Outcome::Success)
            .on("import_job", key.clone())
            .summary(format!("upload {status}: {rows} rows, {count} problems"));
        let change = Change::new(
            "CREATE type::record('import_job', $key) CONTENT {
                 account: $account, file_name: $file_name, file: $file, rows: $rows,
                 ready: $ready, problem_count: $count, problems: $problems, status: $status,
                 message: $message, created_at: $now
             };",
        )
        .bind("key", key.clone())
        .bind("account", caller.account.clone().unwrap_or_default())
        .bind("file_name", file_name.chars().take(100).collect::<String>())
        .bind("file", file)
        .bind("rows", rows as i64)
        .bind("ready", ready as i64)
        .bind("count", count as i64)
        .bind("problems", problems)
        .bind("status", status.to_string())
        .bind("message", message)
        .bind("now", state.clock.now());
        commit(state, caller, &event, &change).await?;
        Ok(key)
    }

    /// A member record ready to insert.
    #[derive(Clone, SurrealValue)]
    struct NewMember {
        id: RecordId,
        name: String,
        name_initials: String,
        gender: String,
        birth_date: chrono::NaiveDate,
        ethnicity: String,
        education: String,
        department: String,
        title: String,
        phone: String,
        id_number: String,
        org: RecordId,
        position: String,
        status: String,
        application_date: Option<chrono::NaiveDate>,
        admission_date: chrono::NaiveDate,
        full_date: Option<chrono::NaiveDate>,
        standing: String,
        flags: Vec<String>,
        dual_leader: bool,
    }

    #[derive(Clone, SurrealValue)]
    struct NewEvent {
        member: RecordId,
        kind: String,
        detail: String,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    }

    /// Rows per INSERT statement: one statement with thousands of rows grew with the
    /// square of its size; chunks keep the transaction linear.
    const CHUNK: usize = 500;

    pub async fn write(
        state: &AppState,
        caller: &Caller,
        id: &str,
        job: &JobRow,
        lang: Lang,
    ) -> Result<u32, AppError> {
        let Some(bytes) = job.file.as_ref() else {
            return Err(fail(AppError::Validation {
                field: "file".into(),
                message: lang.t(T::ImpNotReady).into(),
            }));
        };
        let checked = match check(state, caller, bytes, lang).await? {
            Ok(c) if c.problem_count == 0 => c,
            _ => {
                return Err(fail(AppError::Validation {
                    field: "file".into(),
                    message: lang.t(T::ImpChanged).into(),
                }));
            }
        };
        let actor = caller.account.clone().unwrap_or_default();
        let now = state.clock.now();
        let members: Vec<NewMember> = checked
            .ready
            .iter()
            .map(|r| {
                let v = &r.valid;
                NewMember {
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
                    position: "member".into(),
                    status: v.status.into(),
                    application_date: v.application_date,
                    admission_date: v.admission_date,
                    full_date: v.full_date,
                    standing: "active".into(),
                    flags: Vec::new(),
                    dual_leader: false,
                }
            })
            .collect();
        let n = members.len();
        let mut sql = String::new();
        let mut change_vars: Vec<(String, Vec<NewMember>, Vec<NewEvent>)> = Vec::new();
        for (i, chunk) in members.chunks(CHUNK).enumerate() {
            sql.push_str(&format!(
                "INSERT INTO member $m{i} RETURN NONE; INSERT INTO member_event $e{i} RETURN NONE;\n"
            ));
            let events = chunk
                .iter()
                .map(|m| NewEvent {
                    member: m.id.clone(),
                    kind: "created".into(),
                    detail: "imported".into(),
                    actor: actor.clone(),
                    at: now,
                })
                .collect();
            change_vars.push((i.to_string(), chunk.to_vec(), events));
        }
        sql.push_str("UPDATE $job SET status = 'imported', imported = $n, file = NONE;");
        let mut change = Change::new(sql)
            .bind("job", RecordId::new("import_job", id))
            .bind("n", n as i64);
        for (i, m, e) in change_vars {
            change = change.bind(&format!("m{i}"), m).bind(&format!("e{i}"), e);
        }
        let event = Event::new(action::CREATE, Outcome::Success)
            .on("import_job", id.to_string())
            .summary(format!("imported {n} members"));
        commit(state, caller, &event, &change).await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}
