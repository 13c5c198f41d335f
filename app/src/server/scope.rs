//! The one authority on data scope (数据范围): may this caller see or change this record?
//!
//! Every server function declares an [`AccessRule`]; its [`DataScope`] selects what the
//! caller reaches here, and nothing else in the code decides it:
//!
//! | declared scope | committee office | branch committee | member | others |
//! |---|---|---|---|---|
//! | `OrgStructure` | everything | its organisations and below | own branch and below | account administrators: everything (names, to assign branch roles); others nothing |
//! | `OrgSubtree` | everything | its organisations and below, + own records | own records | nothing |
//! | `Learning` | everything | changes its organisations' courses and below; reads what its organisations and those above publish | reads what its branch and those above publish | nothing |
//! | `Own` | own records | own records | own records | own records |
//! | `Aggregate`, `AuditTrail`, `Accounts` | no organisation data (the rule's audience decides) | | | |
//!
//! "Own records" are the caller's member record and what their account made (an import
//! job, later answers, learning progress, sign-ins). A meeting-room tablet will be one more
//! caller kind: its reach is [`Reach::Room`], one room's meetings, and it owns nothing.
//!
//! The organisation structure is kept in memory ([`StructureCache`]): a scope check costs
//! a walk up the tree (its depth), not a database read. A write to the `org` table bumps
//! `org_version:current` in the same transaction (schema `0018_org_version`); the cache
//! reloads at once after a write through this server and, for writes by another app
//! server on the same database, as the change notification arrives (`live`), or, while
//! changes are not followed, when it sees a newer version (read at most once a second).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use surrealdb::types::RecordId;

use crate::access::{AccessRule, Caller, DataScope, Role};
use crate::models::org::OrgNode;
use crate::server::{Db, repo};

/// The organisation forest and, for each organisation, its parent.
#[derive(Debug, Default)]
pub struct OrgStructure {
    forest: Vec<OrgNode>,
    parent: HashMap<String, Option<String>>,
    version: i64,
}

impl OrgStructure {
    pub fn new(forest: Vec<OrgNode>, version: i64) -> Self {
        let mut parent = HashMap::new();
        fn index(node: &OrgNode, up: Option<&str>, parent: &mut HashMap<String, Option<String>>) {
            parent.insert(node.id.clone(), up.map(str::to_string));
            for child in &node.children {
                index(child, Some(&node.id), parent);
            }
        }
        for root in &forest {
            index(root, None, &mut parent);
        }
        OrgStructure {
            forest,
            parent,
            version,
        }
    }

    /// The whole forest (without member counts).
    pub fn forest(&self) -> &[OrgNode] {
        &self.forest
    }

    /// How many organisations there are.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Whether `id` is one of `roots` or lies below one of them.
    pub fn within(&self, roots: &[String], id: &str) -> bool {
        let mut at = Some(id);
        let mut steps = 0;
        while let Some(node) = at {
            if roots.iter().any(|r| r == node) {
                return true;
            }
            // A cycle cannot be stored (moves are checked), but never loop on one.
            steps += 1;
            if steps > self.parent.len() {
                return false;
            }
            at = self.parent.get(node).and_then(|p| p.as_deref());
        }
        false
    }

    /// `from` and every organisation above them, each once (unknown keys left out).
    pub fn upward(&self, from: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for start in from {
            let mut at = self
                .parent
                .contains_key(start.as_str())
                .then_some(start.as_str());
            while let Some(node) = at {
                if out.iter().any(|o| o == node) || out.len() > self.parent.len() {
                    break;
                }
                out.push(node.to_string());
                at = self.parent.get(node).and_then(|p| p.as_deref());
            }
        }
        out
    }

    /// The subtrees rooted at `roots`, in tree order, each once.
    pub fn subtrees(&self, roots: &[String]) -> Vec<OrgNode> {
        crate::models::org::subtrees(self.forest.clone(), roots)
    }
}

/// How long a loaded structure is trusted before the version is read again (writes by
/// this server invalidate it at once).
const RECHECK: Duration = Duration::from_secs(1);

/// The organisation structure held in memory, shared by every request of this server.
#[derive(Clone, Default)]
pub struct StructureCache {
    current: Arc<RwLock<Option<Arc<OrgStructure>>>>,
    checked: Arc<Mutex<Option<Instant>>>,
    /// Bumped by every invalidation: a structure read before it is not kept after it.
    epoch: Arc<AtomicU64>,
    /// Whether this server follows the changes of `org` (`live`): then what is held is
    /// current until a notification says otherwise, and the version is not read.
    live: Arc<AtomicBool>,
}

impl StructureCache {
    /// The structure as the database has it now: while changes are followed, as of the
    /// last notification; otherwise at most `RECHECK` behind another server's write.
    pub async fn get(&self, db: &Db) -> surrealdb::Result<Arc<OrgStructure>> {
        let epoch = self.epoch.load(Ordering::Acquire);
        let held = self.current.read().ok().and_then(|c| c.clone());
        let fresh = self.live.load(Ordering::Acquire)
            || self
                .checked
                .lock()
                .ok()
                .and_then(|c| *c)
                .is_some_and(|at| at.elapsed() < RECHECK);
        if let (Some(held), true) = (&held, fresh) {
            return Ok(held.clone());
        }
        let now = repo::org::version(db).await?;
        if let Some(held) = held.filter(|h| h.version == now) {
            self.mark_checked();
            return Ok(held);
        }
        let loaded = Arc::new(OrgStructure::new(repo::org::structure(db).await?, now));
        if let Ok(mut current) = self.current.write() {
            // Kept only when nothing was invalidated while it was read.
            if self.epoch.load(Ordering::Acquire) == epoch {
                *current = Some(loaded.clone());
            }
        }
        self.mark_checked();
        Ok(loaded)
    }

    /// Whether `org` changes are followed; either way, what is held is forgotten.
    pub fn set_live(&self, live: bool) {
        self.invalidate();
        self.live.store(live, Ordering::Release);
    }

    fn mark_checked(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = Some(Instant::now());
        }
    }

    /// Forgets the structure: called after every organisation write through this server,
    /// and on every change notification of `org`.
    pub fn invalidate(&self) {
        if let Ok(mut current) = self.current.write() {
            self.epoch.fetch_add(1, Ordering::AcqRel);
            *current = None;
        }
    }
}

/// What a caller reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    /// No organisation's data.
    Nothing,
    /// Every organisation.
    All,
    /// These organisations and everything below them.
    Subtrees(Vec<String>),
    /// One meeting room's meetings (a paired tablet).
    Room(String),
}

/// A caller's scope under one rule: what it reaches, and what is its own.
#[derive(Clone, Debug)]
pub struct Scope {
    pub reach: Reach,
    /// The caller's own member record.
    pub own_member: Option<String>,
    /// The caller's account (owner of what it made).
    pub own_account: Option<String>,
    structure: Option<Arc<OrgStructure>>,
}

/// The reach a caller has under a declared scope (pure: the table in the module's
/// documentation).
pub fn reach(scope: DataScope, caller: &Caller) -> Reach {
    let office = caller.roles.contains(&Role::CommitteeOffice);
    let branch = caller.roles.contains(&Role::BranchCommittee);
    let member = caller.roles.contains(&Role::Member);
    let account_admin = caller
        .roles
        .iter()
        .any(|r| crate::access::roles::ACCOUNT_ADMINS.contains(r));
    let mut roots = Vec::new();
    match scope {
        DataScope::OrgStructure if office || account_admin => return Reach::All,
        DataScope::OrgStructure => {
            if branch {
                roots.extend(caller.orgs.iter().cloned());
            }
            if member {
                roots.extend(caller.member_org.iter().cloned());
            }
        }
        DataScope::OrgSubtree | DataScope::Learning if office => return Reach::All,
        DataScope::OrgSubtree | DataScope::Learning if branch => {
            roots.extend(caller.orgs.iter().cloned())
        }
        DataScope::Room => {
            return match (&caller.device, &caller.room) {
                (Some(_), Some(room)) => Reach::Room(room.clone()),
                _ => Reach::Nothing,
            };
        }
        _ => return Reach::Nothing,
    }
    roots.sort();
    roots.dedup();
    if roots.is_empty() {
        Reach::Nothing
    } else {
        Reach::Subtrees(roots)
    }
}

impl Scope {
    /// The caller's scope under `rule`; the structure is read (from memory) when the reach
    /// is organisations.
    pub async fn of(
        rule: &AccessRule,
        caller: &Caller,
        db: &Db,
        cache: &StructureCache,
    ) -> surrealdb::Result<Scope> {
        let reach = reach(rule.scope, caller);
        // Learning is read upward from the caller's own organisations, whatever it reaches.
        let structure = match reach {
            Reach::All | Reach::Subtrees(_) => Some(cache.get(db).await?),
            _ if rule.scope == DataScope::Learning => Some(cache.get(db).await?),
            _ => None,
        };
        Ok(Scope {
            reach,
            own_member: caller.member.clone(),
            own_account: caller.account.clone(),
            structure,
        })
    }

    /// A scope over a structure already at hand (tests, and code that holds one).
    pub fn with_structure(reach: Reach, caller: &Caller, structure: Arc<OrgStructure>) -> Scope {
        Scope {
            reach,
            own_member: caller.member.clone(),
            own_account: caller.account.clone(),
            structure: Some(structure),
        }
    }

    pub fn is_all(&self) -> bool {
        self.reach == Reach::All
    }

    /// Whether the organisation `id` is within reach.
    pub fn org(&self, id: &str) -> bool {
        match (&self.reach, &self.structure) {
            (Reach::All, _) => true,
            (Reach::Subtrees(roots), Some(s)) => s.within(roots, id),
            _ => false,
        }
    }

    /// Whether the member record `id`, of organisation `org`, may be seen: the caller's
    /// own record, or one in an organisation within reach.
    pub fn member(&self, id: &str, org: &str) -> bool {
        self.own_member.as_deref() == Some(id) || self.org(org)
    }

    /// The organisations whose published learning the caller reads: `own` (the caller's
    /// branch and the organisations it serves) and every one above them. Only under
    /// `DataScope::Learning` (elsewhere nothing).
    pub fn upward(&self, own: &[String]) -> Vec<String> {
        self.structure
            .as_ref()
            .map(|s| s.upward(own))
            .unwrap_or_default()
    }

    /// Whether a record made by `account` is the caller's own.
    pub fn own(&self, account: &str) -> bool {
        self.own_account.as_deref() == Some(account)
    }
}

/// The organisations whose learning `caller` reads (with every one above them): their
/// branch and the organisations they serve.
pub fn home_orgs(caller: &Caller) -> Vec<String> {
    let mut own = caller.orgs.clone();
    own.extend(caller.member_org.iter().cloned());
    own
}

/// Whether a record made by `account` is `caller`'s own (a visitor owns nothing). The
/// rule for `DataScope::Own`, for code that holds a caller but no `Scope`.
pub fn owned_by(caller: &Caller, account: &str) -> bool {
    caller.account.as_deref() == Some(account)
}

impl Scope {
    /// The part of `forest` within reach, in tree order (`forest` may carry counts).
    pub fn restrict(&self, forest: Vec<OrgNode>) -> Vec<OrgNode> {
        match &self.reach {
            Reach::All => forest,
            Reach::Subtrees(roots) => crate::models::org::subtrees(forest, roots),
            _ => Vec::new(),
        }
    }

    /// The organisations within reach, narrowed to the subtree of `filter` when one is
    /// given. `Ok(None)` means every organisation (so the caller can use the whole-table
    /// indexes); `Err(())` a filter outside the reach.
    pub fn orgs(&self, filter: &str) -> Result<Option<Vec<RecordId>>, ()> {
        let ids = |nodes: Vec<OrgNode>| -> Vec<RecordId> {
            nodes
                .iter()
                .flat_map(|root| root.walk())
                .map(|n| RecordId::new("org", n.id.as_str()))
                .collect()
        };
        match (&self.reach, &self.structure) {
            (Reach::All, _) if filter.is_empty() => Ok(None),
            (Reach::All, Some(s)) => {
                let chosen = ids(s.subtrees(&[filter.to_string()]));
                match chosen.len() {
                    0 => Err(()),
                    // The root committee is the whole hospital.
                    n if n == s.len() => Ok(None),
                    _ => Ok(Some(chosen)),
                }
            }
            (Reach::Subtrees(roots), Some(s)) => {
                if filter.is_empty() {
                    Ok(Some(ids(s.subtrees(roots))))
                } else if self.org(filter) {
                    Ok(Some(ids(s.subtrees(&[filter.to_string()]))))
                } else {
                    Err(())
                }
            }
            (Reach::All, None) => Err(()),
            _ if filter.is_empty() => Ok(Some(Vec::new())),
            _ => Err(()),
        }
    }
}

/// The records each module checks, read and decided here: the record if the caller's
/// scope under the server function's rule (`ctx.scope`) covers it, 403 (recorded) if not. An unknown or malformed key gets
/// the same answer as a record outside the scope, except for a caller who reaches
/// everything (404).
pub mod record {
    use super::Scope;
    use crate::error::AppError;
    use crate::models::member::MemberProfile;
    use crate::models::org::is_valid_key;
    use crate::server::repo::file::FileRow;
    use crate::server::repo::member::MemberRow;
    use crate::server::repo::org::OrgInfo;
    use crate::server::repo::pipeline::CandidateRow;
    use crate::server::repo::transfer::TransferRow;
    use crate::server::{AppState, Ctx, fail, internal, key_string, repo};

    /// The record with key `id`, read by `find` when the key is well formed (a malformed
    /// key is an unknown record).
    async fn read<T, F, Fut>(ctx: &Ctx, id: &str, find: F) -> Result<Option<T>, AppError>
    where
        F: FnOnce(AppState, String) -> Fut,
        Fut: std::future::Future<Output = surrealdb::Result<Option<T>>>,
    {
        if !is_valid_key(id) {
            return Ok(None);
        }
        find(ctx.state.clone(), id.to_string())
            .await
            .map_err(|e| fail(internal(e)))
    }

    async fn decide<T>(
        ctx: &Ctx,
        entity: &str,
        id: &str,
        found: Option<T>,
        allowed: impl FnOnce(&Scope, &T) -> bool,
    ) -> Result<T, AppError> {
        match found {
            Some(row) if allowed(&ctx.scope, &row) => Ok(row),
            None if ctx.scope.is_all() => Err(fail(AppError::NotFound)),
            _ => Err(ctx.deny(entity, id).await),
        }
    }

    /// A member record: the caller's own, or one in an organisation within reach.
    pub async fn member(ctx: &Ctx, id: &str) -> Result<MemberRow, AppError> {
        let found = read(ctx, id, |state, id| async move {
            repo::member::find(&state.db, &id).await
        })
        .await?;
        decide(ctx, "member", id, found, |scope, row| {
            scope.member(id, &key_string(&row.org))
        })
        .await
    }

    /// A member record held in memory (`found`, read by key `id`): the caller's own, or
    /// one in an organisation within reach. As [`member`] without the read.
    pub async fn allow_member<'a>(
        ctx: &Ctx,
        id: &str,
        found: Option<&'a MemberProfile>,
    ) -> Result<&'a MemberProfile, AppError> {
        decide(ctx, "member", id, found, |scope, p| {
            scope.member(id, &p.org_id)
        })
        .await
    }

    /// An organisation within reach.
    pub async fn org(ctx: &Ctx, id: &str) -> Result<OrgInfo, AppError> {
        let found = read(ctx, id, |state, id| async move {
            repo::org::info(&state.db, &id).await
        })
        .await?;
        decide(ctx, "org", id, found, |scope, _| scope.org(id)).await
    }

    /// A stored file, by the organisation it belongs to (files are evidence of that
    /// organisation's work: a guessed key of another branch's file is refused like any
    /// record outside the scope).
    pub async fn file(ctx: &Ctx, id: &str) -> Result<FileRow, AppError> {
        let found = read(ctx, id, |state, id| async move {
            repo::file::find(&state.db, &id).await
        })
        .await?;
        // A file attached to a task is also for the task's targets, once the task is no
        // longer a draft; a file shown in a published course is for that course's
        // readers; and a file is always its uploader's.
        let shared = match &found {
            Some(row)
                if !ctx.scope.org(&key_string(&row.org)) && !ctx.scope.own(&row.uploaded_by) =>
            {
                read(ctx, id, |state, id| async move {
                    repo::file::shared_with(&state.db, &id).await.map(Some)
                })
                .await?
                .unwrap_or_default()
            }
            _ => repo::file::Shared::default(),
        };
        // Courses are read by the members of their publisher and of every organisation
        // below it (as `DataScope::Learning` reads them).
        let learns = if shared.courses.is_empty() {
            false
        } else {
            let own = super::home_orgs(&ctx.caller);
            let structure = ctx.structure().await?;
            let above = structure.upward(&own);
            shared
                .courses
                .iter()
                .any(|o| above.contains(&key_string(o)))
        };
        let me = ctx.caller.member.as_deref();
        decide(ctx, "file", id, found, |scope, row| {
            scope.org(&key_string(&row.org))
                || scope.own(&row.uploaded_by)
                || learns
                || shared.orgs.iter().any(|o| scope.org(&key_string(o)))
                || shared
                    .members
                    .iter()
                    .any(|m| Some(key_string(m).as_str()) == me)
        })
        .await
    }

    /// A person in the development pipeline, by the branch they belong to.
    pub async fn candidate(ctx: &Ctx, id: &str) -> Result<CandidateRow, AppError> {
        let found = read(ctx, id, |state, id| async move {
            repo::pipeline::find(&state.db, &id).await
        })
        .await?;
        decide(ctx, "candidate", id, found, |scope, row| {
            scope.org(&key_string(&row.org))
        })
        .await
    }

    /// A transfer, with whether the caller reaches its sending and its receiving side;
    /// one of them must be within reach.
    pub async fn transfer(ctx: &Ctx, id: &str) -> Result<(TransferRow, bool, bool), AppError> {
        let found = read(ctx, id, |state, id| async move {
            repo::transfer::find(&state.db, &id).await
        })
        .await?;
        let scope = &ctx.scope;
        let side = |o: &Option<surrealdb::types::RecordId>| {
            scope.is_all() || o.as_ref().is_some_and(|o| scope.org(&key_string(o)))
        };
        let found = found.map(|row| {
            let (sender, receiver) = (side(&row.from_org), side(&row.to_org));
            (row, sender, receiver)
        });
        decide(ctx, "transfer", id, found, |_, (_, s, r)| *s || *r).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::org::OrgKind;

    fn node(id: &str, children: Vec<OrgNode>) -> OrgNode {
        OrgNode {
            id: id.into(),
            name: id.into(),
            kind: OrgKind::Branch,
            direct_members: 0,
            total_members: 0,
            unloaded: 0,
            children,
        }
    }

    /// c ─┬─ g1 ─┬─ b1 ── p1
    ///    │      └─ b2
    ///    └─ b3
    fn structure() -> Arc<OrgStructure> {
        Arc::new(OrgStructure::new(
            vec![node(
                "c",
                vec![
                    node(
                        "g1",
                        vec![node("b1", vec![node("p1", vec![])]), node("b2", vec![])],
                    ),
                    node("b3", vec![]),
                ],
            )],
            1,
        ))
    }

    fn caller(roles: &[Role], orgs: &[&str], member: Option<(&str, &str)>) -> Caller {
        Caller {
            account: Some("a".into()),
            roles: roles.to_vec(),
            orgs: orgs.iter().map(|s| s.to_string()).collect(),
            member: member.map(|(m, _)| m.to_string()),
            member_org: member.map(|(_, o)| o.to_string()),
            ..Caller::default()
        }
    }

    fn scope(declared: DataScope, c: &Caller) -> Scope {
        Scope::with_structure(reach(declared, c), c, structure())
    }

    #[test]
    fn learning_is_changed_below_and_read_from_above() {
        let secretary = caller(
            &[Role::BranchCommittee, Role::Member],
            &["g1"],
            Some(("m1", "b1")),
        );
        let member = caller(&[Role::Member], &[], Some(("m2", "p1")));
        assert_eq!(
            reach(DataScope::Learning, &secretary),
            Reach::Subtrees(vec!["g1".into()])
        );
        assert_eq!(reach(DataScope::Learning, &member), Reach::Nothing);
        let read = scope(DataScope::Learning, &member);
        assert_eq!(read.upward(&["p1".into()]), vec!["p1", "b1", "g1", "c"]);
        // Each once, unknown keys left out.
        assert_eq!(
            read.upward(&["b2".into(), "g1".into(), "nowhere".into()]),
            vec!["b2", "g1", "c"]
        );
        assert!(!read.org("p1"), "a member changes nothing");
    }

    #[test]
    fn the_declared_scope_selects_the_reach() {
        let office = caller(&[Role::CommitteeOffice], &[], None);
        let secretary = caller(
            &[Role::BranchCommittee, Role::Member],
            &["g1"],
            Some(("m1", "b1")),
        );
        let member = caller(&[Role::Member], &[], Some(("m2", "b3")));
        let admin = caller(&[Role::SystemAdmin], &[], None);
        assert_eq!(reach(DataScope::OrgSubtree, &office), Reach::All);
        assert_eq!(
            reach(DataScope::OrgSubtree, &secretary),
            Reach::Subtrees(vec!["g1".into()])
        );
        assert_eq!(reach(DataScope::OrgSubtree, &member), Reach::Nothing);
        assert_eq!(
            reach(DataScope::OrgStructure, &member),
            Reach::Subtrees(vec!["b3".into()])
        );
        assert_eq!(
            reach(DataScope::OrgStructure, &secretary),
            Reach::Subtrees(vec!["b1".into(), "g1".into()])
        );
        assert_eq!(reach(DataScope::OrgStructure, &admin), Reach::All);
        assert_eq!(reach(DataScope::OrgSubtree, &admin), Reach::Nothing);
        let auditor = caller(&[Role::SecurityAuditor], &[], None);
        assert_eq!(reach(DataScope::OrgStructure, &auditor), Reach::Nothing);
        assert_eq!(reach(DataScope::Own, &office), Reach::Nothing);
        assert_eq!(reach(DataScope::Accounts, &office), Reach::Nothing);
    }

    #[test]
    fn subtrees_cover_what_lies_below_and_nothing_beside() {
        let secretary = caller(&[Role::BranchCommittee], &["g1"], None);
        let s = scope(DataScope::OrgSubtree, &secretary);
        assert!(s.org("g1") && s.org("b1") && s.org("p1") && s.org("b2"));
        assert!(!s.org("c") && !s.org("b3") && !s.org("unknown"));
    }

    #[test]
    fn members_see_their_own_record_and_nothing_else_under_a_subtree_rule() {
        let member = caller(&[Role::Member], &[], Some(("m2", "b3")));
        let s = scope(DataScope::OrgSubtree, &member);
        assert!(s.member("m2", "b3"));
        assert!(!s.member("m3", "b3"), "a member's branch gives no roster");
        let s = scope(DataScope::OrgStructure, &member);
        assert!(s.org("b3") && !s.org("b1"));
    }

    #[test]
    fn roster_organisations_follow_the_reach_and_the_filter() {
        let office = caller(&[Role::CommitteeOffice], &[], None);
        let s = scope(DataScope::OrgSubtree, &office);
        assert_eq!(s.orgs(""), Ok(None));
        assert_eq!(s.orgs("c"), Ok(None), "the root committee is everything");
        assert_eq!(s.orgs("b1").map(|o| o.map(|v| v.len())), Ok(Some(2)));
        assert_eq!(s.orgs("nowhere"), Err(()));
        let secretary = caller(&[Role::BranchCommittee], &["g1"], None);
        let s = scope(DataScope::OrgSubtree, &secretary);
        assert_eq!(s.orgs("").map(|o| o.map(|v| v.len())), Ok(Some(4)));
        assert_eq!(s.orgs("b2").map(|o| o.map(|v| v.len())), Ok(Some(1)));
        assert_eq!(s.orgs("b3"), Err(()));
        let member = caller(&[Role::Member], &[], Some(("m2", "b3")));
        let s = scope(DataScope::OrgSubtree, &member);
        assert_eq!(s.orgs(""), Ok(Some(vec![])));
        assert_eq!(s.orgs("b3"), Err(()));
    }

    #[test]
    fn a_room_reaches_no_organisation() {
        let tablet = Scope {
            reach: Reach::Room("r1".into()),
            own_member: None,
            own_account: None,
            structure: Some(structure()),
        };
        assert!(!tablet.org("c") && !tablet.member("m1", "b1"));
    }

    #[test]
    fn a_tablet_reaches_its_room_only_under_the_room_scope() {
        let mut tablet = Caller {
            device: Some("d1".into()),
            room: Some("r1".into()),
            ..Caller::default()
        };
        assert_eq!(reach(DataScope::Room, &tablet), Reach::Room("r1".into()));
        for other in [
            DataScope::OrgSubtree,
            DataScope::OrgStructure,
            DataScope::Own,
        ] {
            assert_eq!(reach(other, &tablet), Reach::Nothing);
        }
        // Waiting for pairing: no room yet.
        tablet.room = None;
        assert_eq!(reach(DataScope::Room, &tablet), Reach::Nothing);
        // A person never has a room's reach.
        let office = caller(&[Role::CommitteeOffice], &[], None);
        assert_eq!(reach(DataScope::Room, &office), Reach::Nothing);
    }
}
