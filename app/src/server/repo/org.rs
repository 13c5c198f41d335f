//! SurrealQL for organisations.

use std::collections::HashMap;

use surrealdb::types::{RecordId, SurrealValue};

use chrono::NaiveDate;

use crate::models::org::{
    BranchCategory, CommitteeSeat, OrgDetail, OrgEvent, OrgFlat, OrgHistory, OrgKind, OrgNode,
    OrgRef, Position, build_tree, term_status,
};
use crate::server::audit::Change;
use crate::server::repo::Stamp;
use crate::server::{Db, key_string};

#[derive(Debug, SurrealValue)]
struct OrgRow {
    id: RecordId,
    name: String,
    kind: OrgKind,
    parent: Option<RecordId>,
    sort: i64,
}

#[derive(Debug, SurrealValue)]
struct CountRow {
    org: RecordId,
    status: String,
    n: i64,
}

#[derive(Debug, SurrealValue)]
struct DetailRow {
    id: RecordId,
    name: String,
    kind: OrgKind,
    category: Option<BranchCategory>,
    departments: Vec<String>,
    parent: Option<RecordId>,
    parent_name: Option<String>,
    term_start: Option<NaiveDate>,
    term_end: Option<NaiveDate>,
}

#[derive(Debug, SurrealValue)]
struct OrgEventRow {
    what: OrgHistory,
    reason: String,
    actor: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, SurrealValue)]
struct ChildRow {
    id: RecordId,
    name: String,
}

#[derive(Debug, SurrealValue)]
struct SeatRow {
    id: RecordId,
    position: String,
    name: String,
    dual_leader: bool,
}

/// Member counts of one organisation, by status.
#[derive(Debug, Default, Clone, Copy)]
pub struct StatusCounts {
    pub full: u32,
    pub probationary: u32,
}

/// Active organisations and member counts, in two statements of one round trip.
/// The organisations that are not dissolved, as flat rows.
async fn flat(db: &Db) -> surrealdb::Result<Vec<OrgFlat>> {
    let mut res = db
        .query("SELECT id, name, kind, parent, sort FROM org WHERE dissolved_at = NONE")
        .await?
        .check()?;
    let orgs: Vec<OrgRow> = res.take(0)?;
    Ok(orgs
        .into_iter()
        .filter_map(|r| {
            Some(OrgFlat {
                id: key_string(&r.id),
                name: r.name,
                kind: r.kind,
                parent: r.parent.as_ref().map(key_string),
                sort: r.sort,
            })
        })
        .collect())
}

/// The version of the organisation structure: every write to `org` bumps it in the same
/// transaction (schema `0018_org_version`); 0 before the first. Read at most once a
/// second per server (`scope::StructureCache`).
pub async fn version(db: &Db) -> surrealdb::Result<i64> {
    #[derive(Debug, SurrealValue)]
    struct VersionRow {
        n: i64,
    }
    let mut res = db
        .query("SELECT n FROM ONLY org_version:current")
        .await?
        .check()?;
    let row: Option<VersionRow> = res.take(0)?;
    Ok(row.map_or(0, |r| r.n))
}

/// The organisation forest without member counts: enough to decide data scope, without
/// the member scans that the counts need.
#[tracing::instrument(skip(db))]
pub async fn structure(db: &Db) -> surrealdb::Result<Vec<OrgNode>> {
    Ok(build_tree(flat(db).await?, &HashMap::new()))
}

/// Member counts per organisation (key), from the tallies the database keeps on every
/// member write (schema 0011); held in memory by `tallies::TallyCache`.
#[tracing::instrument(skip(db))]
pub async fn tallies(db: &Db) -> surrealdb::Result<HashMap<String, StatusCounts>> {
    let mut res = db
        .query(
            "SELECT org, status, n FROM member_tally WHERE n > 0;
             SELECT party_group AS org, status, n FROM member_group_tally WHERE n > 0;",
        )
        .await?
        .check()?;
    let counts: Vec<CountRow> = res.take(0)?;
    let groups: Vec<CountRow> = res.take(1)?;
    let mut by_org: HashMap<String, StatusCounts> = HashMap::new();
    for row in counts.into_iter().chain(groups) {
        let entry = by_org.entry(key_string(&row.org)).or_default();
        let n = u32::try_from(row.n).unwrap_or(0);
        if row.status == "probationary" {
            entry.probationary += n;
        } else {
            entry.full += n;
        }
    }
    Ok(by_org)
}

/// Members per organisation, whatever their status.
pub fn totals(counts: &HashMap<String, StatusCounts>) -> HashMap<String, u32> {
    counts
        .iter()
        .map(|(k, c)| (k.clone(), c.full + c.probationary))
        .collect()
}

/// One organisation with what the detail panel shows, or `None` when it does not exist.
/// Its member counts add up `counts` over its subtree in `forest` (the structure and the
/// tallies held in memory), so the panel and the tree always agree.
#[tracing::instrument(skip(db, forest, counts))]
pub async fn detail(
    db: &Db,
    key: &str,
    today: NaiveDate,
    forest: &[OrgNode],
    counts: &HashMap<String, StatusCounts>,
) -> surrealdb::Result<Option<OrgDetail>> {
    let id = RecordId::new("org", key);
    let seats: Vec<&str> = Position::ALL
        .iter()
        .filter(|p| p.is_committee_seat())
        .map(|p| p.as_str())
        .collect();
    let mut res = db
        .query(
            "SELECT id, name, kind, category, departments, parent, parent.name AS parent_name,
                    term_start, term_end
                 FROM ONLY $id WHERE dissolved_at = NONE;
             SELECT id, name, sort FROM org WHERE parent = $id AND dissolved_at = NONE ORDER BY sort, name;
             SELECT id, position, name, dual_leader ?? false AS dual_leader
                 FROM (SELECT * FROM member WHERE org = $id)
                 WHERE standing = 'active' AND position IN $seats;
             SELECT what, reason, actor, at FROM org_event WHERE org = $id ORDER BY at;",
        )
        .bind(("id", id))
        .bind(("seats", seats))
        .await?
        .check()?;
    let row: Option<DetailRow> = res.take(0)?;
    let Some(row) = row else { return Ok(None) };
    let children: Vec<ChildRow> = res.take(1)?;
    let seat_rows: Vec<SeatRow> = res.take(2)?;
    let history: Vec<OrgEventRow> = res.take(3)?;

    let node_key = key_string(&row.id);
    let mut full = 0;
    let mut probationary = 0;
    if let Some(node) = forest
        .iter()
        .flat_map(|n| n.walk())
        .find(|n| n.id == node_key)
    {
        let kind_is_group = node.kind == OrgKind::Group;
        for n in node.walk() {
            // A group's members are its branch's members: count them only when the group
            // itself is the subject.
            if n.kind == OrgKind::Group && !kind_is_group {
                continue;
            }
            if let Some(c) = counts.get(&n.id) {
                full += c.full;
                probationary += c.probationary;
            }
        }
    }

    let mut committee: Vec<CommitteeSeat> = seat_rows
        .into_iter()
        .filter_map(|s| {
            Some(CommitteeSeat {
                position: Position::parse(&s.position)?,
                member_id: key_string(&s.id),
                member_name: s.name,
                dual_leader: s.dual_leader,
            })
        })
        .collect();
    committee.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| a.member_name.cmp(&b.member_name))
    });

    Ok(Some(OrgDetail {
        id: node_key,
        name: row.name,
        kind: row.kind,
        category: row.category,
        parent: row.parent.as_ref().map(|p| OrgRef {
            id: key_string(p),
            name: row.parent_name.clone().unwrap_or_default(),
        }),
        departments: row.departments,
        member_count: full + probationary,
        full_members: full,
        probationary_members: probationary,
        children: children
            .into_iter()
            .map(|c| OrgRef {
                id: key_string(&c.id),
                name: c.name,
            })
            .collect(),
        committee,
        term_start: row.term_start,
        term_end: row.term_end,
        term: term_status(row.term_end, today),
        history: history
            .into_iter()
            .map(|e| OrgEvent {
                what: e.what,
                reason: e.reason,
                actor: e.actor,
                at: e.at,
            })
            .collect(),
    }))
}

/// What the structure rules need to know about one organisation that is not dissolved.
#[derive(Debug, Clone, SurrealValue)]
pub struct OrgInfo {
    pub id: RecordId,
    pub name: String,
    pub kind: OrgKind,
    pub parent: Option<RecordId>,
}

#[tracing::instrument(skip(db))]
pub async fn info(db: &Db, key: &str) -> surrealdb::Result<Option<OrgInfo>> {
    let mut res = db
        .query("SELECT id, name, kind, parent FROM ONLY type::record('org', $key) WHERE dissolved_at = NONE")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// Names of the organisations (not dissolved) directly under `parent`, except `except`.
#[tracing::instrument(skip(db))]
pub async fn sibling_names(
    db: &Db,
    parent: &RecordId,
    except: Option<&RecordId>,
) -> surrealdb::Result<Vec<String>> {
    let mut res = db
        .query(
            "SELECT VALUE name FROM (SELECT * FROM org WHERE parent = $parent)
             WHERE dissolved_at = NONE AND id != $except",
        )
        .bind(("parent", parent.clone()))
        .bind(("except", except.cloned()))
        .await?
        .check()?;
    res.take(0)
}

/// Active members whose branch or Party group is this organisation.
#[tracing::instrument(skip(db))]
pub async fn active_members(db: &Db, id: &RecordId) -> surrealdb::Result<u32> {
    let mut res = db
        .query(
            "RETURN count((SELECT standing FROM member WHERE org = $id)[WHERE standing = 'active'])
                + count((SELECT standing FROM member WHERE party_group = $id)[WHERE standing = 'active'])",
        )
        .bind(("id", id.clone()))
        .await?
        .check()?;
    let n: Option<i64> = res.take(0)?;
    Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX))
}

/// Whether any organisation exists (demo data loads only into an empty database).
#[tracing::instrument(skip(db))]
pub async fn is_empty(db: &Db) -> surrealdb::Result<bool> {
    let mut res = db
        .query("SELECT VALUE id FROM org LIMIT 1")
        .await?
        .check()?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(ids.is_empty())
}

/// An organisation as inserted (the demo generator and, later, fixtures).
#[derive(Clone, Debug, SurrealValue)]
pub struct OrgInsert {
    pub id: RecordId,
    pub name: String,
    pub kind: OrgKind,
    pub parent: Option<RecordId>,
    pub category: Option<BranchCategory>,
    pub departments: Vec<String>,
    pub sort: i64,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
}

/// Inserts organisations as they are (ids, parents and terms given).
pub async fn insert_many(db: &Db, orgs: &[OrgInsert]) -> surrealdb::Result<()> {
    db.query("INSERT INTO org $orgs")
        .bind(("orgs", orgs.to_vec()))
        .await?
        .check()?;
    Ok(())
}

/// A new organisation.
pub struct NewOrg {
    pub key: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent: RecordId,
    pub category: Option<BranchCategory>,
    pub departments: Vec<String>,
}

/// Creates the organisation with its first history line.
pub fn create(org: NewOrg, what: OrgHistory, by: Stamp) -> Change {
    Change::new(
        "CREATE type::record('org', $key) CONTENT {
             name: $name, kind: $kind, parent: $parent, category: $category,
             departments: $departments, sort: 1000
         };
         CREATE org_event SET org = type::record('org', $key), what = $what,
             actor = $actor, at = $now;",
    )
    .bind("key", org.key)
    .bind("name", org.name)
    .bind("kind", org.kind.as_str().to_string())
    .bind("parent", org.parent)
    .bind("category", org.category)
    .bind("departments", org.departments)
    .bind("what", what)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// What a change does to one organisation.
pub enum OrgUpdate {
    Rename(String),
    /// To the parent with this key.
    Move(String),
    Dissolve,
    Departments(Vec<String>),
    /// The committee's term: start and end.
    Term(NaiveDate, NaiveDate),
}

/// The update and the organisation's history line (`what`, `reason`).
pub fn change(
    org: RecordId,
    update: OrgUpdate,
    what: OrgHistory,
    reason: String,
    by: Stamp,
) -> Change {
    let sql = match &update {
        OrgUpdate::Rename(_) => "UPDATE $org SET name = $value;",
        OrgUpdate::Move(_) => "UPDATE $org SET parent = type::record('org', $value);",
        OrgUpdate::Dissolve => "UPDATE $org SET dissolved_at = $now;",
        OrgUpdate::Departments(_) => "UPDATE $org SET departments = $departments;",
        OrgUpdate::Term(..) => "UPDATE $org SET term_start = $start, term_end = $end;",
    };
    let change = Change::new(format!(
        "{sql}
         CREATE org_event SET org = $org, what = $what, reason = $reason,
             actor = $actor, at = $now;"
    ))
    .bind("org", org)
    .bind("what", what)
    .bind("reason", reason)
    .bind("actor", by.actor)
    .bind("now", by.now);
    match update {
        OrgUpdate::Rename(value) | OrgUpdate::Move(value) => change.bind("value", value),
        OrgUpdate::Dissolve => change,
        OrgUpdate::Departments(list) => change.bind("departments", list),
        OrgUpdate::Term(start, end) => change.bind("start", start).bind("end", end),
    }
}

/// A seat given in a branch.
pub struct Seat {
    pub branch: RecordId,
    pub member: RecordId,
    pub position: Position,
    pub dual_leader: bool,
    /// The member's history line.
    pub what: crate::models::member::History,
    /// The branch's history line.
    pub seat: OrgHistory,
}

/// Gives the seat, with a history line for the member and for the branch. A branch has
/// one secretary: a previous one steps down (with their own history line) in the same
/// transaction.
pub fn assign_seat(seat: Seat, reason: String, by: Stamp) -> Change {
    Change::new(
        "IF $position = 'secretary' {
             FOR $prev IN (SELECT id, position FROM member WHERE org = $branch)[WHERE position = 'secretary' AND id != $member] {
                 UPDATE $prev.id SET position = 'member', dual_leader = false;
                 CREATE member_event SET member = $prev.id, kind = 'position',
                     what = { kind: 'position', from: 'secretary', to: 'member' }, reason = $reason, actor = $actor, at = $now;
             };
         };
         UPDATE $member SET position = $position, dual_leader = $dual;
         CREATE member_event SET member = $member, kind = 'position', what = $what,
             reason = $reason, actor = $actor, at = $now;
         CREATE org_event SET org = $branch, what = $seat, reason = $reason,
             actor = $actor, at = $now;",
    )
    .bind("position", seat.position.as_str().to_string())
    .bind("branch", seat.branch)
    .bind("member", seat.member)
    .bind("dual", seat.dual_leader)
    .bind("what", seat.what)
    .bind("seat", seat.seat)
    .bind("reason", reason)
    .bind("actor", by.actor)
    .bind("now", by.now)
}
