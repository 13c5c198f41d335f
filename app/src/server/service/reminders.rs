//! The reminder job: finds assignments due within [`DUE_SOON_DAYS`] or overdue and
//! rectification items past their deadline, and notifies the branch committees that owe
//! them (and, for overdue rectification, the committee office: escalation).
//!
//! With several app servers on one database, only the holder of the `reminders` lease
//! runs it (a row in the database, taken in a transaction: two servers asking at once
//! cannot both win), and a notification's key follows from (account, item, kind), so a
//! reminder is stored once however often and wherever the job runs.

use std::sync::OnceLock;
use std::time::Duration;

use crate::error::AppError;
use crate::models::notification::{
    DUE_SOON_DAYS, NOTIFICATIONS_SHOWN, NotificationKind, NotificationView, Notifications,
};
use crate::server::repo::notification as repo;
use crate::server::{AppState, Ctx, china_today, db_error, key_string, sha256_hex};

/// The lease's name, how long one run holds it, and how often the job runs.
pub const LEASE: &str = "reminders";
const LEASE_FOR: Duration = Duration::from_secs(5 * 60);
pub const EVERY: Duration = Duration::from_secs(10 * 60);
/// How long after its deadline required learning not done is still reminded of (once as
/// overdue; the 待办 keeps showing it).
const REQUIRED_OVERDUE_DAYS: u64 = 30;

/// This process's name as a lease holder.
pub fn holder() -> &'static str {
    static HOLDER: OnceLock<String> = OnceLock::new();
    HOLDER.get_or_init(|| crate::server::new_key("srv"))
}

/// One run as `holder`: `None` when another server holds the lease, else how many new
/// notifications were stored.
pub async fn run_once(state: &AppState, holder: &str) -> surrealdb::Result<Option<usize>> {
    let db = &state.db;
    let now = state.clock.now();
    let until = now + chrono::Duration::from_std(LEASE_FOR).unwrap_or_default();
    if !repo::take_lease(db, LEASE, holder, now, until).await? {
        return Ok(None);
    }
    let today = china_today(state);
    let (assignments, rectifications) =
        repo::due(db, today, today + chrono::Days::new(DUE_SOON_DAYS)).await?;
    let recipients = repo::recipients(db).await?;
    let structure = state.structure.get(db).await?;
    let committee_of = |org: &str| -> Vec<&repo::Recipient> {
        recipients
            .iter()
            .filter(|r| r.roles.iter().any(|x| x == "branch_committee"))
            .filter(|r| {
                let roots: Vec<String> = r.orgs.iter().map(key_string).collect();
                structure.within(&roots, org)
            })
            .collect()
    };
    let office: Vec<&repo::Recipient> = recipients
        .iter()
        .filter(|r| r.roles.iter().any(|x| x == "committee_office"))
        .collect();
    let mut rows = Vec::new();
    // One notification of `item` for `to`: its key follows from (account, item, kind).
    let mut push = |to: &repo::Recipient,
                    kind: NotificationKind,
                    item: String,
                    (title, org_name, deadline): (&str, &str, chrono::NaiveDate),
                    href: String| {
        let key = sha256_hex(&format!(
            "{}\u{1f}{item}\u{1f}{}",
            to.username,
            kind.as_str()
        ));
        rows.push(repo::NotificationInsert {
            id: surrealdb::types::RecordId::new("notification", &key[..32]),
            account: to.username.clone(),
            kind,
            item,
            title: title.to_string(),
            org_name: org_name.to_string(),
            href,
            deadline,
            read: false,
            at: now,
        });
    };
    let of = |table: &str, due: &repo::DueRow| format!("{table}:{}", key_string(&due.id));
    fn about(due: &repo::DueRow) -> (&str, &str, chrono::NaiveDate) {
        (&due.title, &due.org_name, due.deadline)
    }
    for a in &assignments {
        let kind = if a.deadline < today {
            NotificationKind::Overdue
        } else {
            NotificationKind::DueSoon
        };
        let href = format!("/tasks/assignments/{}", key_string(&a.id));
        if let Some(member) = &a.member {
            // A task to members: the member answers it, and is told.
            for to in recipients
                .iter()
                .filter(|r| r.member.as_ref() == Some(member))
            {
                push(to, kind, of("assignment", a), about(a), href.clone());
            }
            continue;
        }
        for to in committee_of(&key_string(&a.org)) {
            // The general branch that issued the task reviews it; it owes nothing.
            let issued = a.issuer.as_ref().is_some_and(|i| {
                let roots: Vec<String> = to.orgs.iter().map(key_string).collect();
                structure.within(&roots, &key_string(i))
            });
            if !issued {
                push(to, kind, of("assignment", a), about(a), href.clone());
            }
        }
    }
    for r in &rectifications {
        let href = "/tasks/rectifications".to_string();
        for to in committee_of(&key_string(&r.org)) {
            push(
                to,
                NotificationKind::Overdue,
                of("rectification", r),
                about(r),
                href.clone(),
            );
        }
        for to in &office {
            push(
                to,
                NotificationKind::Escalated,
                of("rectification", r),
                about(r),
                href.clone(),
            );
        }
    }
    // Meetings today and tomorrow: each expected attendee not yet present or on leave,
    // through the account of their member record.
    let meetings = repo::meetings_due(db, today, today + chrono::Days::new(1)).await?;
    for m in &meetings {
        let item = format!("meeting:{}", key_string(&m.id));
        for member in m.attendees.iter().filter(|a| !m.marked.contains(a)) {
            for to in recipients
                .iter()
                .filter(|r| r.member.as_ref() == Some(member))
            {
                // The bell says 会议提醒 and the day; the topic names the meeting.
                push(
                    to,
                    NotificationKind::Meeting,
                    item.clone(),
                    (&m.topic, &m.org_name, m.day),
                    format!("/meetings/{}", key_string(&m.id)),
                );
            }
        }
    }
    // Required learning due soon or overdue (for up to [`REQUIRED_OVERDUE_DAYS`]): each
    // member not done, through the account of their member record.
    let owed = crate::server::service::required::owed(
        db,
        &structure,
        today - chrono::Days::new(REQUIRED_OVERDUE_DAYS),
        today + chrono::Days::new(DUE_SOON_DAYS),
    )
    .await?;
    for (r, members) in &owed {
        let kind = if r.due < today {
            NotificationKind::Overdue
        } else {
            NotificationKind::DueSoon
        };
        let item = format!("requirement:{}", key_string(&r.id));
        let org_name = r.org_name.clone().unwrap_or_default();
        for member in members {
            for to in recipients
                .iter()
                .filter(|x| x.member.as_ref() == Some(member))
            {
                push(
                    to,
                    kind,
                    item.clone(),
                    (&r.title, &org_name, r.due),
                    "/learning/required".to_string(),
                );
            }
        }
    }
    let new = repo::insert_new(db, rows).await?;
    // The bells' counts held here are counted again (other servers hear the inserts).
    state.notices.bump();
    Ok(Some(new))
}

/// How long after start the first run waits (the server answers requests first).
const FIRST_RUN_AFTER: Duration = Duration::from_secs(60);

/// Runs the job a minute after start, then every [`EVERY`], while the server runs.
pub async fn run_forever(state: AppState) {
    tokio::time::sleep(FIRST_RUN_AFTER).await;
    loop {
        match run_once(&state, holder()).await {
            Ok(Some(n)) if n > 0 => tracing::info!(new = n, "reminders sent"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "the reminder job failed"),
        }
        tokio::time::sleep(EVERY).await;
    }
}

/// The caller's latest notifications and unread count.
pub async fn list(ctx: &Ctx) -> Result<Notifications, AppError> {
    let Some(account) = ctx.caller.account.as_deref() else {
        return Ok(Notifications::default());
    };
    let (rows, unread) = repo::of_account(&ctx.state.db, account, i64::from(NOTIFICATIONS_SHOWN))
        .await
        .map_err(db_error)?;
    Ok(Notifications {
        items: rows
            .into_iter()
            .map(|r| NotificationView {
                id: key_string(&r.id),
                kind: r.kind,
                title: r.title,
                org_name: r.org_name,
                href: r.href,
                deadline: r.deadline,
                read: r.read,
                at: r.at,
            })
            .collect(),
        unread: u32::try_from(unread).unwrap_or(0),
    })
}

/// Marks all of the caller's notifications read.
pub async fn mark_read(ctx: &Ctx) -> Result<(), AppError> {
    match ctx.caller.account.as_deref() {
        Some(account) => {
            let done = repo::mark_read(&ctx.state.db, account)
                .await
                .map_err(db_error);
            ctx.state.notices.bump();
            done
        }
        None => Ok(()),
    }
}
