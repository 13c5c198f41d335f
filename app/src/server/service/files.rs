//! Files: the upload (checked, prepared on a blocking thread, stored once per content,
//! audited), the authorised download, and a branch's list of earlier files to link again.

use axum::body::Bytes;
use surrealdb::types::RecordId;

use crate::access::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::audit::{Outcome, action};
use crate::models::files::{
    FILES_PAGE_SIZE, FilePage, FileProblem, FileQuery, FileType, FileView, check_name,
};
use crate::server::audit::Event;
use crate::server::repo::file::{self as repo, FileInsert, FileRow};
use crate::server::scope::record;
use crate::server::{Ctx, db_error, fail, internal, invalid, key_string, new_key};

fn view(row: FileRow) -> FileView {
    FileView {
        id: key_string(&row.id),
        name: row.name,
        kind: row.file_type.link_kind(),
        file_type: row.file_type,
        size: u64::try_from(row.size).unwrap_or(0),
        org: key_string(&row.org),
        uploaded_by: row.uploaded_by,
        at: row.at,
    }
}

/// Why an upload was not stored: the error to answer, and whether the file was too large
/// (413 rather than 400).
#[derive(Debug)]
pub struct Refusal {
    pub error: AppError,
    pub too_large: bool,
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Refusal {
        Refusal {
            error,
            too_large: false,
        }
    }
}

/// A refused upload: recorded (in English) on the audit trail and answered with the
/// reason in the reader's language, on the field `file`.
pub async fn refused(ctx: &Ctx, org: &str, name: &str, problem: FileProblem) -> Refusal {
    let name: String = name.chars().take(64).collect();
    let event = Event::new(action::CREATE, Outcome::Failure)
        .on("file", "")
        .summary(format!(
            "upload {name:?} for org {org} refused: {}",
            problem.message(Lang::En)
        ));
    ctx.record(&event).await;
    Refusal {
        error: invalid("file", problem.message(ctx.lang)),
        too_large: problem.too_large(),
    }
}

/// Stores an upload as evidence of organisation `org` (within the caller's scope), or of
/// the caller's own organisation when `org` is empty (the hospital committee for the
/// office: a task's attachments). Nothing is kept of a file that fails a check.
pub async fn upload(ctx: &Ctx, org: &str, name: &str, bytes: Bytes) -> Result<FileView, Refusal> {
    let org_info = if member_only(ctx) {
        // A member uploads evidence of the tasks given to them, into their own branch:
        // readable by its committee and by the member (their own upload).
        match ctx.caller.member_org.clone() {
            Some(own) if org.trim().is_empty() || org.trim() == own => {
                crate::server::repo::org::info(&ctx.state.db, &own)
                    .await
                    .map_err(|e| fail(internal(e)))?
                    .ok_or_else(|| fail(AppError::NotFound))?
            }
            _ => return Err(ctx.deny("org", org.trim()).await.into()),
        }
    } else {
        let org = match org.trim() {
            "" => home(ctx).await?,
            org => org.to_string(),
        };
        record::org(ctx, &org).await?
    };
    let org = key_string(&org_info.id);
    let org = org.as_str();
    let name = match check_name(name) {
        Ok(name) => name,
        Err(p) => return Err(refused(ctx, org, name, p).await),
    };
    // At most two uploads are checked at once: decoding a photo takes up to
    // `MAX_DECODED_BYTES` twice over (turned upright), and CPU.
    static CHECKING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let Ok(_turn) = CHECKING.acquire().await else {
        return Err(fail(internal("the upload checks were closed")).into());
    };
    let prepared =
        match tokio::task::spawn_blocking(move || crate::server::files::prepare(bytes)).await {
            Ok(Ok(prepared)) => prepared,
            Ok(Err(p)) => return Err(refused(ctx, org, &name, p).await),
            Err(e) => return Err(fail(internal(e)).into()),
        };
    ctx.state
        .files
        .put(&prepared)
        .await
        .map_err(|e| fail(internal(e)))?;
    let key = new_key("f");
    let stamp = ctx.stamp();
    let size = i64::try_from(prepared.bytes.len()).unwrap_or(i64::MAX);
    let row = FileInsert {
        id: RecordId::new("file", key.as_str()),
        sha256: prepared.sha256.clone(),
        name: name.clone(),
        file_type: prepared.file_type,
        size,
        width: prepared.width.map(i64::from),
        height: prepared.height.map(i64::from),
        org: org_info.id.clone(),
        uploaded_by: stamp.actor.clone(),
        at: stamp.now,
    };
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("file", &key)
        .summary(format!(
            "{} {name:?} ({size} bytes, sha256 {}) for org {}",
            prepared.file_type.as_str(),
            &prepared.sha256[..12],
            key_string(&org_info.id)
        ));
    ctx.commit(&event, &repo::create(row.clone())).await?;
    Ok(view(FileRow {
        id: row.id,
        sha256: row.sha256,
        name: row.name,
        file_type: row.file_type,
        size: row.size,
        org: row.org,
        uploaded_by: row.uploaded_by,
        at: row.at,
    }))
}

/// A member who sits on no committee: what they upload and list is their own, and the
/// closed loop shows them their own assignments only.
pub fn member_only(ctx: &Ctx) -> bool {
    !ctx.caller
        .roles
        .iter()
        .any(|r| matches!(r, Role::BranchCommittee | Role::CommitteeOffice))
}

/// The organisation the caller works for: the first they serve on, or the top of the
/// tree for a caller who reaches every organisation.
async fn home(ctx: &Ctx) -> Result<String, AppError> {
    if let Some(org) = ctx.caller.orgs.first() {
        return Ok(org.clone());
    }
    if ctx.scope.is_all() {
        let structure = ctx.structure().await?;
        if let Some(root) = structure.forest().first() {
            return Ok(root.id.clone());
        }
    }
    Err(fail(AppError::Forbidden))
}

/// A file the caller may see (with a thumbnail, when `thumb` asks for one).
pub async fn find(ctx: &Ctx, key: &str, thumb: bool) -> Result<FileRow, AppError> {
    let row = record::file(ctx, key).await?;
    if thumb && !row.file_type.is_image() {
        return Err(fail(AppError::NotFound));
    }
    Ok(row)
}

/// What a `Range` header names, once the file's size is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// No usable range (none, several, or malformed): the whole file.
    Whole,
    Bytes(std::ops::Range<u64>),
    /// Beyond the end: `416`.
    Unsatisfiable,
}

/// Resolves a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against a file of
/// `size` bytes. Several ranges at once, other units and malformed values get the whole
/// file (RFC 9110 lets a server ignore them); a start past the end is unsatisfiable.
pub fn part(header: &str, size: u64) -> Part {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Part::Whole;
    };
    if spec.contains(',') {
        return Part::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Part::Whole;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (first.trim(), last.trim()) {
        ("", suffix) => match number(suffix) {
            Some(0) => Part::Unsatisfiable,
            Some(n) if size > 0 => Part::Bytes(size.saturating_sub(n)..size),
            Some(_) => Part::Unsatisfiable,
            None => Part::Whole,
        },
        (start, "") => match number(start) {
            Some(a) if a < size => Part::Bytes(a..size),
            Some(_) => Part::Unsatisfiable,
            None => Part::Whole,
        },
        (start, end) => match (number(start), number(end)) {
            (Some(a), Some(b)) if a <= b && a < size => {
                Part::Bytes(a..b.saturating_add(1).min(size))
            }
            (Some(a), Some(b)) if a <= b => Part::Unsatisfiable,
            _ => Part::Whole,
        },
    }
}

/// The bytes of a file [`find`] answered, streamed from the store: its thumbnail, the
/// part a `Range` header names, or all of it. `Err(Err(size))` is a range past the end.
pub async fn open(
    ctx: &Ctx,
    row: &FileRow,
    thumb: bool,
    range: Option<&str>,
) -> Result<crate::server::files::Opened, Result<AppError, u64>> {
    let key = key_string(&row.id);
    let missing = |e: object_store::Error| match e {
        object_store::Error::NotFound { .. } => {
            tracing::error!(file = key, "a file's bytes are missing from the store");
            Ok(fail(AppError::NotFound))
        }
        e => Ok(fail(internal(e))),
    };
    let store = &ctx.state.files;
    let bytes = match range {
        Some(header) if !thumb => {
            let size = store.size(&row.sha256).await.map_err(missing)?;
            match part(header, size) {
                Part::Whole => None,
                Part::Bytes(range) => Some(range),
                Part::Unsatisfiable => return Err(Err(size)),
            }
        }
        _ => None,
    };
    store.open(&row.sha256, thumb, bytes).await.map_err(missing)
}

/// A page of the files of the organisations in the caller's scope (a member's: their own
/// uploads).
pub async fn list(ctx: &Ctx, query: FileQuery) -> Result<FilePage, AppError> {
    let org = query.org.trim();
    let (orgs, by) = if member_only(ctx) {
        (None, Some(ctx.caller.account.clone().unwrap_or_default()))
    } else {
        match ctx.scope.orgs(org) {
            Ok(orgs) => (orgs, None),
            Err(()) => return Err(ctx.deny("org", org).await),
        }
    };
    let types = match query.kind.trim() {
        "photo" => Some(vec![FileType::Jpeg, FileType::Png]),
        "file" => Some(
            FileType::ALL
                .iter()
                .copied()
                .filter(|t| !t.is_image())
                .collect(),
        ),
        _ => None,
    };
    let words: String = query.q.trim().chars().take(32).collect();
    let size = i64::from(FILES_PAGE_SIZE);
    let (rows, total) = repo::list(
        &ctx.state.db,
        orgs,
        by,
        types,
        &words,
        i64::from(query.page) * size,
        size,
    )
    .await
    .map_err(db_error)?;
    Ok(FilePage {
        rows: rows.into_iter().map(view).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page: query.page,
        page_size: FILES_PAGE_SIZE,
    })
}

#[cfg(test)]
mod tests {
    use super::{Part, part};

    #[test]
    fn a_range_names_bytes_within_the_file_or_the_whole_file() {
        assert_eq!(part("bytes=0-99", 1000), Part::Bytes(0..100));
        assert_eq!(part("bytes=900-", 1000), Part::Bytes(900..1000));
        assert_eq!(part("bytes=-100", 1000), Part::Bytes(900..1000));
        assert_eq!(part("bytes=-5000", 1000), Part::Bytes(0..1000));
        assert_eq!(
            part("bytes=990-2000", 1000),
            Part::Bytes(990..1000),
            "clipped"
        );
        assert_eq!(part("bytes=1000-", 1000), Part::Unsatisfiable);
        assert_eq!(part("bytes=1000-1001", 1000), Part::Unsatisfiable);
        assert_eq!(part("bytes=-0", 1000), Part::Unsatisfiable);
        assert_eq!(
            part(&format!("bytes=0-{}", u64::MAX), 1000),
            Part::Bytes(0..1000),
            "no overflow"
        );
        for whole in [
            "bytes=0-1,5-9",
            "items=0-9",
            "bytes=9-1",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes",
        ] {
            assert_eq!(part(whole, 1000), Part::Whole, "{whole}");
        }
    }
}
