//! The record pickers of the closed loop's forms (evidence links on an answer, members on
//! a task): records of one kind found by a few words, each as its key and a short label.
//!
//! The picker used to call each module's listing from the browser and keep two fields of
//! every row; that put five listings' wire types and their decoders into the answer
//! page's WASM. Here the server asks the same listings, each under its own access rule
//! (`begin(&LIST_…)`: a caller the listing refuses is refused here in the same way, and
//! sees only the rows of its own scope), and sends the pairs.

use crate::api::{assessment::LIST_ASSIGNMENTS, files::LIST_FILES, member::LIST_MEMBERS};
use crate::api::{meeting::LIST_MEETINGS, pipeline::LIST_PIPELINE, transfer::LIST_TRANSFERS};
use crate::error::AppError;
use crate::models::assessment::AssignmentStatus;
use crate::models::closed_loop::{LinkKind, PICKER_MAX, Picked, QueueQuery};
use crate::models::files::{FileQuery, show_size};
use crate::models::meeting::MeetingQuery;
use crate::models::member::MemberQuery;
use crate::models::pipeline::PipelineQuery;
use crate::server::{begin, clip, service};

/// Records of `kind` whose label contains `words` (members: by name, pinyin initials or ID
/// digits, as the roster searches), at most [`PICKER_MAX`]; `this` (an assignment's key) is
/// left out of the submissions, so an answer does not cite itself.
pub async fn records(kind: LinkKind, words: &str, this: &str) -> Result<Vec<Picked>, AppError> {
    let words = clip(words, 32);
    let hit = |label: &str| words.is_empty() || label.contains(words.as_str());
    let found: Vec<Picked> = match kind {
        LinkKind::Member => {
            let ctx = begin(&LIST_MEMBERS).await?;
            let query = MemberQuery {
                q: words.clone(),
                ..Default::default()
            };
            service::member::roster(&ctx, query)
                .await?
                .members
                .into_iter()
                .map(|m| (m.id, format!("{} · {}", m.name, m.org_name)))
                .collect()
        }
        LinkKind::Transfer => {
            let ctx = begin(&LIST_TRANSFERS).await?;
            service::transfer::list(&ctx)
                .await?
                .into_iter()
                .map(|t| (t.id, format!("{} {}", t.letter_no, t.member_name)))
                .filter(|(_, l)| hit(l))
                .collect()
        }
        LinkKind::Candidate => {
            let ctx = begin(&LIST_PIPELINE).await?;
            service::pipeline::list(&ctx, PipelineQuery::default())
                .await?
                .people
                .into_iter()
                .map(|c| (c.id, format!("{} · {}", c.name, c.org_name)))
                .filter(|(_, l)| hit(l))
                .collect()
        }
        LinkKind::Submission => {
            let ctx = begin(&LIST_ASSIGNMENTS).await?;
            let query = QueueQuery {
                status: AssignmentStatus::Accepted.as_str().to_string(),
                ..Default::default()
            };
            service::assessment::list_assignments(&ctx, query)
                .await?
                .rows
                .into_iter()
                .filter(|r| r.id != this)
                .map(|r| (r.id, format!("{} · {}", r.title, r.org_name)))
                .filter(|(_, l)| hit(l))
                .collect()
        }
        LinkKind::File | LinkKind::Photo => {
            let ctx = begin(&LIST_FILES).await?;
            let query = FileQuery {
                q: words.clone(),
                kind: kind.as_str().into(),
                ..Default::default()
            };
            service::files::list(&ctx, query)
                .await?
                .rows
                .into_iter()
                .map(|f| (f.id, format!("{} · {}", f.name, show_size(f.size))))
                .collect()
        }
        // This year's meetings in reach, newest first, found by topic, kind or date.
        LinkKind::Meeting => {
            let ctx = begin(&LIST_MEETINGS).await?;
            let lang = ctx.lang;
            service::meeting::list(&ctx, MeetingQuery::default())
                .await?
                .meetings
                .into_iter()
                .map(|m| {
                    let label = format!(
                        "{} {} {} · {}",
                        m.day,
                        lang.t(m.kind.label()),
                        m.topic,
                        m.org_name
                    );
                    (m.id, label)
                })
                .filter(|(_, l)| hit(l))
                .collect()
        }
        // Required learning the caller set or watches (the first page), by name.
        LinkKind::Requirement => {
            let ctx = begin(&crate::api::required::LIST_REQUIRED).await?;
            service::required::list(&ctx, 1)
                .await?
                .set
                .into_iter()
                .map(|r| {
                    let label = format!("{} · {} · {}", r.title, r.due, r.org_name);
                    (r.id, label)
                })
                .filter(|(_, l)| hit(l))
                .collect()
        }
    };
    Ok(found.into_iter().take(PICKER_MAX).collect())
}
