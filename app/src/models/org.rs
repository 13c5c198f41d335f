//! Organisations: 党委 → 党总支 → 党支部 → 党小组.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
#[cfg(feature = "ssr")]
use surrealdb::types::{SurrealValue, Value};

word_enum! {
    /// 党委, 党总支, 党支部, 党小组.
    OrgKind {
        Committee => "committee" / KindCommittee,
        GeneralBranch => "general_branch" / KindGeneralBranch,
        Branch => "branch" / KindBranch,
        Group => "group" / KindGroup,
    }
}

impl OrgKind {
    /// Which kinds may sit directly under this one.
    pub fn may_contain(self, child: OrgKind) -> bool {
        matches!(
            (self, child),
            (OrgKind::Committee, OrgKind::GeneralBranch | OrgKind::Branch)
                | (OrgKind::GeneralBranch, OrgKind::Branch)
                | (OrgKind::Branch, OrgKind::Group)
        )
    }
}

word_enum! {
    /// What a branch is built on (支部建在科室上).
    BranchCategory {
        Clinical => "clinical" / CatClinical,
        Medtech => "medtech" / CatMedtech,
        Admin => "admin" / CatAdmin,
        Retiree => "retiree" / CatRetiree,
        Student => "student" / CatStudent,
    }
}

word_enum! {
    /// A member's position in their branch, in the order seats are listed.
    #[derive(PartialOrd, Ord)]
    Position {
        Secretary => "secretary" / PosSecretary,
        DeputySecretary => "deputy_secretary" / PosDeputySecretary,
        Organization => "organization" / PosOrganization,
        Propaganda => "propaganda" / PosPropaganda,
        Discipline => "discipline" / PosDiscipline,
        GroupLeader => "group_leader" / PosGroupLeader,
        Member => "member" / PosMember,
    }
}

impl Position {
    /// Seats on a 支部委员会.
    pub fn is_committee_seat(self) -> bool {
        !matches!(self, Position::GroupLeader | Position::Member)
    }
}

/// Members needed before a branch elects a committee (支部委员会).
pub const COMMITTEE_THRESHOLD: u32 = 7;

/// Whether a branch of this size must have a committee rather than only a secretary.
pub fn needs_committee(member_count: u32) -> bool {
    member_count >= COMMITTEE_THRESHOLD
}

/// Seats a branch with fewer than `COMMITTEE_THRESHOLD` members may fill: only a 书记 and
/// perhaps a 副书记 (no 支部委员会).
pub fn seat_allowed(position: Position, member_count: u32) -> bool {
    match position {
        Position::Secretary | Position::DeputySecretary => true,
        p if p.is_committee_seat() => needs_committee(member_count),
        _ => false,
    }
}

/// A branch committee serves a term (届) of three years.
pub const TERM_YEARS: i32 = 3;
/// How long before the end of a term the 换届 warning appears.
pub const TERM_WARNING_DAYS: i64 = 90;

/// The end of a term that starts on `start` (29 February ends on 28 February).
pub fn term_end(start: NaiveDate) -> NaiveDate {
    start
        .with_year(start.year() + TERM_YEARS)
        .or_else(|| {
            start
                .with_day(28)
                .and_then(|d| d.with_year(start.year() + TERM_YEARS))
        })
        .unwrap_or(start)
}

/// Where a committee stands in its term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermStatus {
    /// No term recorded.
    Unset,
    /// More than `TERM_WARNING_DAYS` left.
    Current,
    /// 换届 due within `days` days.
    DueSoon { days: i64 },
    /// The term ended `days` days ago.
    Overdue { days: i64 },
}

pub fn term_status(end: Option<NaiveDate>, today: NaiveDate) -> TermStatus {
    let Some(end) = end else {
        return TermStatus::Unset;
    };
    let left = (end - today).num_days();
    if left < 0 {
        TermStatus::Overdue { days: -left }
    } else if left <= TERM_WARNING_DAYS {
        TermStatus::DueSoon { days: left }
    } else {
        TermStatus::Current
    }
}

/// Why a change to the organisation structure is refused; each names the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgProblem {
    /// A name is 1–100 characters.
    NameInvalid,
    /// Two organisations under one parent may not share a name.
    NameTaken,
    /// The parent does not exist or is dissolved.
    ParentMissing,
    /// This kind may not sit under that kind (a 党小组 sits in a branch, and so on).
    KindNotAllowed { parent: OrgKind, child: OrgKind },
    /// An organisation cannot move under itself or its own descendants.
    IntoOwnSubtree,
    /// The Party committee at the root is neither created, moved nor dissolved here.
    Root,
    /// A branch names its category (clinical, retiree, ...).
    CategoryMissing,
    /// Members must be moved before the organisation is dissolved (or a group moved).
    HasMembers(u32),
    /// Sub-organisations must be moved or dissolved first.
    HasChildren(u32),
    /// A reason is required.
    ReasonMissing,
}

/// Checks the name of a new or renamed organisation against its future siblings.
pub fn check_name(name: &str, siblings: &[&str]) -> Result<(), OrgProblem> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(OrgProblem::NameInvalid);
    }
    if siblings.iter().any(|s| s.trim() == name) {
        return Err(OrgProblem::NameTaken);
    }
    Ok(())
}

/// Checks that `kind` may sit under a parent of `parent_kind`.
pub fn check_placement(parent_kind: OrgKind, kind: OrgKind) -> Result<(), OrgProblem> {
    if kind == OrgKind::Committee {
        return Err(OrgProblem::Root);
    }
    if parent_kind.may_contain(kind) {
        Ok(())
    } else {
        Err(OrgProblem::KindNotAllowed {
            parent: parent_kind,
            child: kind,
        })
    }
}

/// Checks moving `id` under `new_parent` in the current forest.
pub fn check_move(forest: &[OrgNode], id: &str, new_parent: &str) -> Result<(), OrgProblem> {
    let all: Vec<&OrgNode> = forest.iter().flat_map(|n| n.walk()).collect();
    let node = all
        .iter()
        .find(|n| n.id == id)
        .ok_or(OrgProblem::ParentMissing)?;
    if node.kind == OrgKind::Committee {
        return Err(OrgProblem::Root);
    }
    if node.walk().iter().any(|n| n.id == new_parent) {
        return Err(OrgProblem::IntoOwnSubtree);
    }
    let parent = all
        .iter()
        .find(|n| n.id == new_parent)
        .ok_or(OrgProblem::ParentMissing)?;
    check_placement(parent.kind, node.kind)
}

/// Department names typed as one line, separated by commas, 、 or semicolons: trimmed,
/// de-duplicated, at most 20 of at most 50 characters each.
pub fn parse_departments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', '，', '、', ';', '；', '\n']) {
        let part: String = part.trim().chars().take(50).collect();
        if !part.is_empty() && !out.contains(&part) && out.len() < 20 {
            out.push(part);
        }
    }
    out
}

/// Input of `create_org`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgCreate {
    pub parent: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub departments: String,
}

/// Input of `change_org`: rename, move, dissolve, departments or term.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgChange {
    pub id: String,
    /// `rename`, `move`, `dissolve`, `departments` or `term`.
    pub action: String,
    /// The new name, the new parent's id, the departments line or the term start date.
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub reason: String,
}

/// Input of `assign_seat`: give `member` the `position` (or `member` to step down) in
/// their branch; `dual_leader` marks a secretary as 双带头人.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SeatAssign {
    pub member: String,
    pub position: String,
    #[serde(default)]
    pub dual_leader: bool,
    #[serde(default)]
    pub reason: String,
}

/// What happened to an organisation: a kind with its parameters, stored as such in
/// `org_event.what` (`{ kind: 'renamed', from: '…', to: '…' }`) and put into words in the
/// reader's language only when shown. Names are the names at the time, which is what a
/// history line should keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(SurrealValue),
    surreal(tag = "kind", rename_all = "snake_case")
)]
pub enum OrgHistory {
    /// Founded under `parent`.
    Created {
        name: String,
        parent: String,
    },
    Renamed {
        from: String,
        to: String,
    },
    /// Moved from one parent organisation to another.
    Moved {
        from: String,
        to: String,
    },
    Dissolved {
        name: String,
    },
    /// The departments the branch is built on (所依托科室), as set.
    Departments {
        list: Vec<String>,
    },
    /// A committee term recorded (换届): its start and end.
    Term {
        start: NaiveDate,
        end: NaiveDate,
    },
    /// A member's seat in the branch changed (`Position` words).
    Seat {
        member: String,
        from: String,
        to: String,
    },
    /// A line whose words could not be mapped to a kind (kept as written).
    Note {
        text: String,
    },
}

impl OrgHistory {
    /// The stored kind (`created`, `renamed`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            OrgHistory::Created { .. } => "created",
            OrgHistory::Renamed { .. } => "renamed",
            OrgHistory::Moved { .. } => "moved",
            OrgHistory::Dissolved { .. } => "dissolved",
            OrgHistory::Departments { .. } => "departments",
            OrgHistory::Term { .. } => "term",
            OrgHistory::Seat { .. } => "seat",
            OrgHistory::Note { .. } => "note",
        }
    }

    /// What kind of change it was, in words: 成立, 更名, ….
    pub fn label(&self) -> T {
        match self {
            OrgHistory::Created { .. } => T::EvCreated,
            OrgHistory::Renamed { .. } => T::EvRenamed,
            OrgHistory::Moved { .. } => T::EvMoved,
            OrgHistory::Dissolved { .. } => T::EvDissolved,
            OrgHistory::Departments { .. } => T::EvDepartments,
            OrgHistory::Term { .. } => T::EvTerm,
            OrgHistory::Seat { .. } => T::EvSeat,
            OrgHistory::Note { .. } => T::EvNote,
        }
    }

    /// Its parameters in the reader's language.
    pub fn text(&self, lang: Lang) -> String {
        let arrow = |a: &str, b: &str| format!("{a} → {b}");
        match self {
            OrgHistory::Created { name, parent } => lang.t(T::EvUnder(name, parent)),
            OrgHistory::Renamed { from, to } | OrgHistory::Moved { from, to } => arrow(from, to),
            OrgHistory::Dissolved { name } => name.clone(),
            OrgHistory::Departments { list } => {
                lang.list(&list.iter().map(String::as_str).collect::<Vec<_>>())
            }
            OrgHistory::Term { start, end } => {
                format!("{} – {}", lang.date(*start), lang.date(*end))
            }
            OrgHistory::Seat { member, from, to } => {
                let label = |p: &str| {
                    Position::parse(p.trim())
                        .map(|p| lang.t(p.label()).to_string())
                        .unwrap_or_else(|| p.trim().to_string())
                };
                format!("{member}：{}", arrow(&label(from), &label(to)))
            }
            OrgHistory::Note { text } => text.clone(),
        }
    }

    /// The line for the audit trail's summary (a stable English form).
    pub fn summary(&self) -> String {
        format!("{}: {}", self.kind(), self.text(Lang::En))
    }
}

/// One entry of an organisation's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgEvent {
    pub what: OrgHistory,
    pub reason: String,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One organisation as stored, flattened (the input to `build_tree`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgFlat {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent: Option<String>,
    pub sort: i64,
}

/// A node of the organisation tree as the browser receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgNode {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    /// Members whose own organisation is this one (a branch, or a group's branch).
    pub direct_members: u32,
    /// Members in this organisation and everything below it.
    pub total_members: u32,
    pub children: Vec<OrgNode>,
    /// How many children were left out of this answer (an [`outline`] leaves out the
    /// children of folded nodes; the page fetches them when the node is opened).
    #[serde(default)]
    pub unloaded: u32,
}

/// A general branch with more sub-organisations than this starts folded in the tree.
pub const OPEN_LIMIT: usize = 24;
/// The committee with more sub-organisations than this starts folded (a hospital of
/// several campuses, each branch directly under the committee).
pub const COMMITTEE_OPEN_LIMIT: usize = 60;

/// Whether the tree shows `node`'s children when the page opens: the committee's while
/// there are at most [`COMMITTEE_OPEN_LIMIT`], a general branch's while there are at most
/// [`OPEN_LIMIT`], a branch's (its Party groups) only when asked.
pub fn opens_by_default(node: &OrgNode) -> bool {
    match node.kind {
        OrgKind::Committee => node.children.len() <= COMMITTEE_OPEN_LIMIT,
        OrgKind::GeneralBranch => node.children.len() <= OPEN_LIMIT,
        OrgKind::Branch | OrgKind::Group => false,
    }
}

/// The part of `forest` the tree shows when the page opens: the children of every node
/// that does not open by default are left out (counted in `unloaded`). What a page costs
/// then follows what is on the screen, not the size of the hospital.
pub fn outline(forest: Vec<OrgNode>) -> Vec<OrgNode> {
    forest.into_iter().map(fold).collect()
}

fn fold(mut node: OrgNode) -> OrgNode {
    if opens_by_default(&node) {
        node.children = node.children.into_iter().map(fold).collect();
    } else {
        node.unloaded = node.children.len() as u32;
        node.children = Vec::new();
    }
    node
}

/// The children of organisation `id` within `forest`, each folded as in [`outline`]; `None`
/// if `id` is not in `forest`.
pub fn children_of(forest: Vec<OrgNode>, id: &str) -> Option<Vec<OrgNode>> {
    fn find(nodes: Vec<OrgNode>, id: &str) -> Option<OrgNode> {
        for node in nodes {
            if node.id == id {
                return Some(node);
            }
            if let Some(found) = find(node.children, id) {
                return Some(found);
            }
        }
        None
    }
    find(forest, id).map(|node| node.children.into_iter().map(fold).collect())
}

impl OrgNode {
    /// Every node in this subtree, depth first.
    pub fn walk(&self) -> Vec<&OrgNode> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }
}

/// The subtrees of `forest` rooted at `roots`, in tree order, each once (a root inside
/// another root's subtree is not repeated). Who reaches which roots is decided in
/// `server::scope`.
pub fn subtrees(forest: Vec<OrgNode>, roots: &[String]) -> Vec<OrgNode> {
    fn visit(node: OrgNode, roots: &[String], out: &mut Vec<OrgNode>) {
        if roots.contains(&node.id) {
            out.push(node);
        } else {
            for child in node.children {
                visit(child, roots, out);
            }
        }
    }
    let mut out = Vec::new();
    for node in forest {
        visit(node, roots, &mut out);
    }
    out
}

/// Builds the forest from flat rows and per-organisation member counts.
///
/// Members are counted at their branch; a group's count is shown but not added again to
/// its branch (group members are already the branch's members). Orphans whose parent is
/// missing become roots so that nothing silently disappears.
/// The forest again with member counts: `counts` holds each organisation's own members;
/// a node's total adds those of everything below it except groups (a group's members are
/// its branch's own).
pub fn with_counts(forest: &[OrgNode], counts: &HashMap<String, u32>) -> Vec<OrgNode> {
    let mut forest = forest.to_vec();
    add_counts(&mut forest, counts);
    forest
}

fn add_counts(nodes: &mut [OrgNode], counts: &HashMap<String, u32>) {
    for node in nodes {
        add_counts(&mut node.children, counts);
        node.direct_members = counts.get(&node.id).copied().unwrap_or(0);
        let below: u32 = node
            .children
            .iter()
            .filter(|c| c.kind != OrgKind::Group)
            .map(|c| c.total_members)
            .sum();
        node.total_members = node.direct_members + below;
    }
}

pub fn build_tree(rows: Vec<OrgFlat>, counts: &HashMap<String, u32>) -> Vec<OrgNode> {
    let known: std::collections::HashSet<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut by_parent: HashMap<Option<String>, Vec<OrgFlat>> = HashMap::new();
    for row in rows {
        let parent = row.parent.clone().filter(|p| known.contains(p));
        by_parent.entry(parent).or_default().push(row);
    }
    for siblings in by_parent.values_mut() {
        siblings.sort_by(|a, b| a.sort.cmp(&b.sort).then_with(|| a.name.cmp(&b.name)));
    }
    fn grow(
        parent: Option<String>,
        by_parent: &mut HashMap<Option<String>, Vec<OrgFlat>>,
    ) -> Vec<OrgNode> {
        let Some(rows) = by_parent.remove(&parent) else {
            return Vec::new();
        };
        rows.into_iter()
            .map(|row| OrgNode {
                children: grow(Some(row.id.clone()), by_parent),
                id: row.id,
                name: row.name,
                kind: row.kind,
                direct_members: 0,
                total_members: 0,
                unloaded: 0,
            })
            .collect()
    }
    let mut forest = grow(None, &mut by_parent);
    add_counts(&mut forest, counts);
    forest
}

/// A seat on a branch committee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitteeSeat {
    pub position: Position,
    pub member_id: String,
    pub member_name: String,
    /// 双带头人: the secretary also leads the department professionally.
    pub dual_leader: bool,
}

/// Everything the detail panel shows about one organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgDetail {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub category: Option<BranchCategory>,
    pub parent: Option<OrgRef>,
    pub departments: Vec<String>,
    pub member_count: u32,
    pub full_members: u32,
    pub probationary_members: u32,
    pub children: Vec<OrgRef>,
    pub committee: Vec<CommitteeSeat>,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub term_start: Option<NaiveDate>,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::opt_date", default)
    )]
    pub term_end: Option<NaiveDate>,
    pub term: TermStatus,
    pub history: Vec<OrgEvent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
}

/// Input of `get_org_detail`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgDetailQuery {
    pub id: String,
}

/// What the public site may show about the organisation: aggregates only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicSummary {
    pub committee_name: Option<String>,
    pub branches: u32,
    pub members: u32,
}

pub fn summarise(forest: &[OrgNode]) -> PublicSummary {
    PublicSummary {
        committee_name: forest
            .iter()
            .find(|n| n.kind == OrgKind::Committee)
            .map(|n| n.name.clone()),
        branches: forest
            .iter()
            .flat_map(|n| n.walk())
            .filter(|n| n.kind == OrgKind::Branch)
            .count() as u32,
        members: forest.iter().map(|n| n.total_members).sum(),
    }
}

/// Record keys are short ASCII identifiers; anything else is refused before it reaches a query.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_outline_folds_branches_and_large_general_branches_and_counts_what_it_left_out() {
        use super::*;
        let node = |id: &str, kind: OrgKind, children: Vec<OrgNode>| OrgNode {
            id: id.into(),
            name: id.into(),
            kind,
            direct_members: 0,
            total_members: 0,
            unloaded: 0,
            children,
        };
        let groups = || {
            vec![
                node("g1", OrgKind::Group, vec![]),
                node("g2", OrgKind::Group, vec![]),
            ]
        };
        let small = node(
            "small",
            OrgKind::GeneralBranch,
            vec![node("b1", OrgKind::Branch, groups())],
        );
        let large = node(
            "large",
            OrgKind::GeneralBranch,
            (0..=OPEN_LIMIT)
                .map(|i| node(&format!("lb{i}"), OrgKind::Branch, groups()))
                .collect(),
        );
        let forest = vec![node(
            "c",
            OrgKind::Committee,
            vec![small, large, node("b2", OrgKind::Branch, groups())],
        )];

        let shown = outline(forest.clone());
        let c = &shown[0];
        assert_eq!(c.children.len(), 3, "the committee is open");
        let (small, large, b2) = (&c.children[0], &c.children[1], &c.children[2]);
        assert_eq!(small.children[0].id, "b1", "a small general branch is open");
        assert_eq!(
            (small.children[0].children.len(), small.children[0].unloaded),
            (0, 2)
        );
        assert_eq!(
            (large.children.len() as u32, large.unloaded),
            (0, OPEN_LIMIT as u32 + 1)
        );
        assert_eq!((b2.children.len(), b2.unloaded), (0, 2));

        // Opening the large general branch: its branches, each folded.
        let kids = children_of(forest.clone(), "large").unwrap();
        assert_eq!(kids.len(), OPEN_LIMIT + 1);
        assert!(
            kids.iter()
                .all(|b| b.children.is_empty() && b.unloaded == 2)
        );
        // Opening a branch: its groups.
        assert_eq!(children_of(forest.clone(), "lb3").unwrap().len(), 2);
        assert_eq!(children_of(forest, "nowhere"), None);

        // A committee with very many sub-organisations starts folded too.
        let wide = vec![node(
            "c",
            OrgKind::Committee,
            (0..=COMMITTEE_OPEN_LIMIT)
                .map(|i| node(&format!("b{i}"), OrgKind::Branch, groups()))
                .collect(),
        )];
        let shown = outline(wide);
        assert_eq!(
            (shown[0].children.len(), shown[0].unloaded as usize),
            (0, COMMITTEE_OPEN_LIMIT + 1)
        );
    }

    #[test]
    fn subtrees_are_cut_at_their_roots_each_once() {
        use super::*;
        let node = |id: &str, children: Vec<OrgNode>| OrgNode {
            id: id.into(),
            name: id.into(),
            kind: OrgKind::Branch,
            direct_members: 0,
            total_members: 0,
            unloaded: 0,
            children,
        };
        let forest = vec![node(
            "c",
            vec![
                node(
                    "g1",
                    vec![node("b1", vec![node("p1", vec![])]), node("b2", vec![])],
                ),
                node("b3", vec![]),
            ],
        )];
        let seen = subtrees(forest.clone(), &["g1".into(), "b1".into()]);
        assert_eq!(seen.len(), 1, "b1 lies inside g1 and is shown once");
        assert_eq!(seen[0].id, "g1");
        assert_eq!(seen[0].walk().len(), 4);
        assert!(subtrees(forest.clone(), &[]).is_empty());
        assert_eq!(subtrees(forest, &["b3".into(), "p1".into()]).len(), 2);
    }

    use super::*;

    fn flat(id: &str, kind: OrgKind, parent: Option<&str>, sort: i64) -> OrgFlat {
        OrgFlat {
            id: id.into(),
            name: id.into(),
            kind,
            parent: parent.map(Into::into),
            sort,
        }
    }

    #[test]
    fn tree_sums_members_up_but_does_not_double_count_groups() {
        let rows = vec![
            flat("g1", OrgKind::Group, Some("b1"), 1),
            flat("root", OrgKind::Committee, None, 0),
            flat("gb", OrgKind::GeneralBranch, Some("root"), 1),
            flat("b1", OrgKind::Branch, Some("gb"), 1),
            flat("b2", OrgKind::Branch, Some("root"), 2),
        ];
        let counts = HashMap::from([
            ("b1".to_string(), 10),
            ("b2".to_string(), 5),
            ("g1".to_string(), 4),
        ]);
        let tree = build_tree(rows, &counts);
        assert_eq!(tree.len(), 1);
        let root = &tree[0];
        assert_eq!(root.total_members, 15);
        assert_eq!(root.children[0].id, "gb");
        assert_eq!(root.children[0].total_members, 10);
        let b1 = &root.children[0].children[0];
        assert_eq!((b1.direct_members, b1.total_members), (10, 10));
        assert_eq!(b1.children[0].total_members, 4);
        assert_eq!(root.walk().len(), 5);

        // Counts added to the structure held in memory come out the same.
        let structure = build_tree(
            vec![
                flat("g1", OrgKind::Group, Some("b1"), 1),
                flat("root", OrgKind::Committee, None, 0),
                flat("gb", OrgKind::GeneralBranch, Some("root"), 1),
                flat("b1", OrgKind::Branch, Some("gb"), 1),
                flat("b2", OrgKind::Branch, Some("root"), 2),
            ],
            &HashMap::new(),
        );
        assert_eq!(structure[0].total_members, 0);
        assert_eq!(with_counts(&structure, &counts), tree);
    }

    #[test]
    fn summary_counts_branches_and_members_only() {
        let rows = vec![
            flat("root", OrgKind::Committee, None, 0),
            flat("b1", OrgKind::Branch, Some("root"), 1),
            flat("g1", OrgKind::Group, Some("b1"), 1),
        ];
        let counts = HashMap::from([("b1".to_string(), 9), ("g1".to_string(), 4)]);
        let s = summarise(&build_tree(rows, &counts));
        assert_eq!(s.committee_name.as_deref(), Some("root"));
        assert_eq!((s.branches, s.members), (1, 9));
    }

    #[test]
    fn siblings_are_ordered_by_sort_then_name() {
        let rows = vec![
            flat("root", OrgKind::Committee, None, 0),
            flat("z", OrgKind::Branch, Some("root"), 1),
            flat("a", OrgKind::Branch, Some("root"), 2),
            flat("m", OrgKind::Branch, Some("root"), 1),
        ];
        let tree = build_tree(rows, &HashMap::new());
        let names: Vec<_> = tree[0].children.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(names, ["m", "z", "a"]);
    }

    #[test]
    fn orphans_surface_as_roots_instead_of_vanishing() {
        let rows = vec![flat("lost", OrgKind::Branch, Some("gone"), 0)];
        let tree = build_tree(rows, &HashMap::new());
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].id, "lost");
    }

    #[test]
    fn structure_rules_follow_the_hierarchy() {
        assert!(OrgKind::Committee.may_contain(OrgKind::GeneralBranch));
        assert!(OrgKind::Committee.may_contain(OrgKind::Branch));
        assert!(OrgKind::GeneralBranch.may_contain(OrgKind::Branch));
        assert!(OrgKind::Branch.may_contain(OrgKind::Group));
        assert!(!OrgKind::Group.may_contain(OrgKind::Group));
        assert!(!OrgKind::Committee.may_contain(OrgKind::Group));
        assert!(!OrgKind::GeneralBranch.may_contain(OrgKind::GeneralBranch));
    }

    #[test]
    fn committee_needed_from_seven_members() {
        assert!(!needs_committee(6));
        assert!(needs_committee(7));
    }

    #[test]
    fn small_branches_have_only_a_secretary_and_deputy() {
        use super::*;
        assert!(seat_allowed(Position::Secretary, 3));
        assert!(seat_allowed(Position::DeputySecretary, 6));
        assert!(!seat_allowed(Position::Organization, 6));
        assert!(seat_allowed(Position::Organization, 7));
        assert!(seat_allowed(Position::Discipline, 50));
        assert!(!seat_allowed(Position::Member, 50));
    }

    #[test]
    fn terms_last_three_years_and_warn_ninety_days_ahead() {
        use super::*;
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(term_end(d("2023-06-01")), d("2026-06-01"));
        assert_eq!(term_end(d("2024-02-29")), d("2027-02-28"));
        let end = Some(d("2026-06-01"));
        assert_eq!(term_status(None, d("2026-01-01")), TermStatus::Unset);
        assert_eq!(term_status(end, d("2026-03-02")), TermStatus::Current);
        assert_eq!(
            term_status(end, d("2026-03-03")),
            TermStatus::DueSoon { days: 90 }
        );
        assert_eq!(
            term_status(end, d("2026-06-01")),
            TermStatus::DueSoon { days: 0 }
        );
        assert_eq!(
            term_status(end, d("2026-06-11")),
            TermStatus::Overdue { days: 10 }
        );
    }

    #[test]
    fn structure_changes_name_the_rule_they_break() {
        use super::*;
        let forest = build_tree(
            vec![
                flat("c", OrgKind::Committee, None, 0),
                flat("g", OrgKind::GeneralBranch, Some("c"), 0),
                flat("b", OrgKind::Branch, Some("g"), 0),
                flat("b2", OrgKind::Branch, Some("c"), 1),
                flat("p", OrgKind::Group, Some("b"), 0),
            ],
            &HashMap::new(),
        );
        assert_eq!(check_move(&forest, "b", "c"), Ok(()));
        assert_eq!(check_move(&forest, "p", "b2"), Ok(()));
        assert_eq!(
            check_move(&forest, "g", "b"),
            Err(OrgProblem::IntoOwnSubtree)
        );
        assert_eq!(
            check_move(&forest, "g", "g"),
            Err(OrgProblem::IntoOwnSubtree)
        );
        assert_eq!(check_move(&forest, "c", "g"), Err(OrgProblem::Root));
        assert_eq!(
            check_move(&forest, "b", "nowhere"),
            Err(OrgProblem::ParentMissing)
        );
        assert_eq!(
            check_move(&forest, "p", "c"),
            Err(OrgProblem::KindNotAllowed {
                parent: OrgKind::Committee,
                child: OrgKind::Group
            })
        );
        assert_eq!(
            check_placement(OrgKind::Group, OrgKind::Group),
            Err(OrgProblem::KindNotAllowed {
                parent: OrgKind::Group,
                child: OrgKind::Group
            })
        );
        assert_eq!(
            check_placement(OrgKind::Committee, OrgKind::Committee),
            Err(OrgProblem::Root)
        );
        assert_eq!(check_name("  ", &[]), Err(OrgProblem::NameInvalid));
        assert_eq!(
            check_name(&"长".repeat(101), &[]),
            Err(OrgProblem::NameInvalid)
        );
        assert_eq!(
            check_name("内科支部 ", &["内科支部"]),
            Err(OrgProblem::NameTaken)
        );
        assert_eq!(check_name("外科支部", &["内科支部"]), Ok(()));
    }

    #[test]
    fn departments_are_split_trimmed_and_deduplicated() {
        use super::*;
        assert_eq!(
            parse_departments(" 肿瘤内科一病区、肿瘤内科二病区，肿瘤内科一病区;; "),
            vec!["肿瘤内科一病区".to_string(), "肿瘤内科二病区".to_string()]
        );
        assert!(parse_departments("").is_empty());
    }

    #[test]
    fn record_keys_are_restricted() {
        assert!(is_valid_key("b_01-x"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("org:1"));
        assert!(!is_valid_key("a b"));
        assert!(!is_valid_key(&"x".repeat(65)));
    }

    #[test]
    fn enum_strings_round_trip() {
        for &p in Position::ALL {
            assert_eq!(Position::parse(p.as_str()), Some(p));
        }
        for k in [
            OrgKind::Committee,
            OrgKind::GeneralBranch,
            OrgKind::Branch,
            OrgKind::Group,
        ] {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            BranchCategory::parse("retiree"),
            Some(BranchCategory::Retiree)
        );
        assert_eq!(OrgKind::parse("nope"), None);
    }
}
