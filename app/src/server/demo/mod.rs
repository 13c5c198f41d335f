//! Deterministic demo data: a fictional university-affiliated hospital.
//!
//! The same seed, scale and reference date always produce the same hospital, so demo
//! screenshots, tests and benchmarks agree. One file per module (`org`, `member`,
//! `pipeline`, `transfer`, `assessment`, `account`); a new module adds its own file, generating from
//! the dataset built so far, and inserts through its repo's own insert type.
//!
//! The generator uses its own SplitMix64 so its output never changes with a dependency
//! upgrade (a general-purpose RNG crate makes no such promise across versions).

use chrono::NaiveDate;

use crate::server::Db;
use crate::server::repo::member::MemberInsert;
use crate::server::repo::org::OrgInsert;
use crate::server::repo::pipeline::{CandidateInsert, StepInsert};
use crate::server::repo::transfer::TransferInsert;

mod account;
mod assessment;
pub mod learning;
mod meeting;
mod member;
mod org;
mod pipeline;
mod transfer;

pub use account::accounts;

pub const DEFAULT_SEED: u64 = 20_240_701;
pub const HOSPITAL_COMMITTEE: &str = "明川医科大学附属肿瘤医院党委";

/// How large a hospital to generate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// The hospital the platform starts with: 31 branches, about 800 members.
    Demo,
    /// The demo's organisation tree, accounts, pipeline and transfers, with the first three
    /// branches (the ones the demo accounts, the pipeline and the transfers use) exactly as
    /// in `Demo` and five members in every other branch: about 230 members. What most
    /// integration tests start from, because it loads in a quarter of the time.
    Small,
    /// About `n × 100` branches and `n × 5,000` members (SF1, SF10) for benchmarks and
    /// the dashboards.
    Factor(u32),
}

impl Scale {
    /// (branches, members aimed at, branches that get their weighted size).
    fn targets(self) -> (usize, usize, Option<usize>) {
        match self {
            Scale::Demo => (org::BASE_BRANCHES.len(), 800, None),
            Scale::Small => (org::BASE_BRANCHES.len(), 800, Some(3)),
            Scale::Factor(n) => {
                let n = n.max(1) as usize;
                (100 * n, 5_000 * n, None)
            }
        }
    }

    /// `demo`, `small`, `sf1`, `sf10`, … (the `demo_scale` setting).
    pub fn parse(text: &str) -> Option<Scale> {
        match text.trim().to_ascii_lowercase().as_str() {
            "demo" | "" => Some(Scale::Demo),
            "small" => Some(Scale::Small),
            other => other
                .strip_prefix("sf")
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| (1..=100).contains(n))
                .map(Scale::Factor),
        }
    }
}

/// SplitMix64: tiny, fast and stable forever.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1).max(1) as u64)) as i64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A generated hospital, in the repos' insert types.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub orgs: Vec<OrgInsert>,
    pub members: Vec<MemberInsert>,
    pub candidates: Vec<CandidateInsert>,
    pub steps: Vec<StepInsert>,
    pub transfers: Vec<TransferInsert>,
    /// The closed loop: periods, indicators, tasks and everything after them.
    pub assessment: crate::server::repo::assessment::LoopInsert,
    /// Evidence photos the answers link (generated images).
    pub photos: Vec<assessment::DemoPhoto>,
    /// Organisational life: meetings and their attendance.
    pub meetings: Vec<crate::server::repo::meeting::MeetingInsert>,
    pub attendance: Vec<crate::server::repo::meeting::AttendanceInsert>,
    /// Requests for leave: approved behind some past leaves, one waiting (the secretary's).
    pub leave: Vec<crate::server::repo::meeting::LeaveInsert>,
    /// Members with the demo's sign-in PIN (`meeting::DEMO_PIN`).
    pub pins: Vec<surrealdb::types::RecordId>,
    /// Learning: courses, chapters and articles.
    pub learning: crate::server::repo::learning::DemoContent,
}

impl Dataset {
    /// The branches' ids, in order (the first is the demo secretary's).
    pub fn branches(&self) -> Vec<surrealdb::types::RecordId> {
        self.orgs
            .iter()
            .filter(|o| o.kind == crate::models::org::OrgKind::Branch.as_str())
            .map(|o| o.id.clone())
            .collect()
    }
}

/// Generates the hospital for `scale`, with dates relative to `as_of`.
pub fn generate(seed: u64, scale: Scale, as_of: NaiveDate) -> Dataset {
    let mut rng = Rng(seed);
    let (branch_target, member_target, full_branches) = scale.targets();
    let (mut orgs, branches) = org::tree(&mut rng, branch_target, as_of);
    let members = member::people(
        &mut rng,
        &mut orgs,
        &branches,
        member_target,
        full_branches,
        as_of,
    );
    let mut data = Dataset {
        orgs,
        members,
        candidates: Vec::new(),
        steps: Vec::new(),
        transfers: Vec::new(),
        assessment: Default::default(),
        photos: Vec::new(),
        meetings: Vec::new(),
        attendance: Vec::new(),
        leave: Vec::new(),
        pins: Vec::new(),
        learning: Default::default(),
    };
    pipeline::add(&mut data, as_of);
    transfer::add(&mut data, as_of);
    assessment::add(&mut data, &mut rng, as_of);
    meeting::add(&mut data, &mut rng, as_of, scale);
    learning::add(&mut data, as_of);
    data
}

/// Loads the dataset through the repos, module by module (organisations first, then the
/// records that point at them). Loaded into an empty database only, at start; the demo's
/// PINs are hashed with `pin_key`, the server's.
#[tracing::instrument(skip_all, fields(orgs = data.orgs.len(), members = data.members.len()))]
pub async fn load(
    db: &Db,
    data: &Dataset,
    pin_key: &crate::server::auth::PinKey,
) -> surrealdb::Result<()> {
    use crate::server::repo;
    repo::org::insert_many(db, &data.orgs).await?;
    repo::member::insert_many(db, &data.members).await?;
    repo::pipeline::insert_many(db, &data.candidates, &data.steps).await?;
    repo::transfer::insert_many(db, &data.transfers).await?;
    repo::assessment::insert_many(db, &data.assessment).await?;
    repo::room::insert_demo(db, meeting::ROOMS, &data.pins, meeting::DEMO_PIN, pin_key).await?;
    repo::meeting::insert_many(db, &data.meetings, &data.attendance, &data.leave).await?;
    repo::learning::insert_many(db, &data.learning).await?;
    let by = repo::Stamp {
        actor: "office".into(),
        now: chrono::Utc::now(),
    };
    let change = repo::quiz::insert_questions(data.learning.questions.clone(), by.clone())
        .then(repo::quiz::insert_exams(data.learning.exams.clone(), by))
        .then(repo::required::insert_many(
            data.learning.requirements.clone(),
        ))
        .then(repo::points::insert_many(data.learning.points.clone()));
    repo::transaction(db, &change).await?;
    Ok(())
}

/// Makes the demo's evidence photos and course files (videos, documents, covers and an
/// article's photo), stores them in the file store, and records them.
pub async fn load_files(
    db: &Db,
    store: &crate::server::files::FileStore,
    data: &Dataset,
) -> Result<(), String> {
    use crate::server::files::{prepare, sample_png};
    use crate::server::repo::file::{FileInsert, insert_many};
    let mut rows = Vec::new();
    for photo in &data.photos {
        let prepared =
            prepare(sample_png(320, 240, photo.seed).into()).map_err(|p| format!("{p:?}"))?;
        store.put(&prepared).await.map_err(|e| e.to_string())?;
        rows.push(FileInsert {
            id: surrealdb::types::RecordId::new("file", photo.key.as_str()),
            sha256: prepared.sha256.clone(),
            name: photo.name.clone(),
            file_type: prepared.file_type,
            size: i64::try_from(prepared.bytes.len()).unwrap_or(0),
            width: prepared.width.map(i64::from),
            height: prepared.height.map(i64::from),
            org: photo.org.clone(),
            uploaded_by: "secretary".into(),
            at: photo.at,
        });
    }
    // The learning courses' videos and documents, stored as uploads are.
    for media in &data.learning.media {
        let prepared = prepare(media.bytes.clone().into()).map_err(|p| format!("{p:?}"))?;
        store.put(&prepared).await.map_err(|e| e.to_string())?;
        rows.push(FileInsert {
            id: surrealdb::types::RecordId::new("file", media.key.as_str()),
            sha256: prepared.sha256.clone(),
            name: media.name.clone(),
            file_type: prepared.file_type,
            size: i64::try_from(prepared.bytes.len()).unwrap_or(0),
            width: prepared.width.map(i64::from),
            height: prepared.height.map(i64::from),
            org: media.org.clone(),
            uploaded_by: "office".into(),
            at: media.at,
        });
    }
    insert_many(db, rows).await.map_err(|e| e.to_string())
}

/// The password of every demo account (demo mode only; listed in the README).
pub const DEMO_PASSWORD: &str = "Zhibu@2026";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::org::{OrgKind, Position, needs_committee};
    use chrono::Months;

    fn years_before(date: NaiveDate, years: u32) -> NaiveDate {
        date.checked_sub_months(Months::new(12 * years))
            .unwrap_or(date)
    }

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    }

    #[test]
    fn same_seed_same_hospital() {
        let a = generate(DEFAULT_SEED, Scale::Demo, as_of());
        let b = generate(DEFAULT_SEED, Scale::Demo, as_of());
        assert_eq!(a.members.len(), b.members.len());
        assert_eq!(a.members[100].name, b.members[100].name);
        assert_eq!(a.members[100].id_number, b.members[100].id_number);
        let c = generate(DEFAULT_SEED + 1, Scale::Demo, as_of());
        assert_ne!(
            a.members.iter().map(|m| &m.name).collect::<Vec<_>>(),
            c.members.iter().map(|m| &m.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn demo_hospital_has_the_expected_shape() {
        let d = generate(DEFAULT_SEED, Scale::Demo, as_of());
        let count = |kind: OrgKind| d.orgs.iter().filter(|o| o.kind == kind.as_str()).count();
        assert_eq!(count(OrgKind::Committee), 1);
        assert_eq!(count(OrgKind::GeneralBranch), 2);
        assert_eq!(count(OrgKind::Branch), 31);
        assert!(
            count(OrgKind::Group) >= 5,
            "some branches have Party groups"
        );
        assert!(
            (750..=900).contains(&d.members.len()),
            "{} members",
            d.members.len()
        );
        for &cat in crate::models::org::BranchCategory::ALL {
            assert!(d.orgs.iter().any(|o| o.category == Some(cat)), "{cat}");
        }
    }

    #[test]
    fn member_dates_obey_the_rules() {
        let d = generate(DEFAULT_SEED, Scale::Demo, as_of());
        let mut probationary = 0;
        for m in &d.members {
            let adult = m
                .birth_date
                .checked_add_months(Months::new(12 * 18))
                .unwrap();
            let applied = m
                .application_date
                .expect("the demo records every application");
            assert!(applied >= adult, "{} applied before 18", m.name);
            assert!(applied < m.admission_date, "{}", m.name);
            assert!(m.admission_date <= as_of());
            match (m.status.as_str(), m.full_date) {
                ("probationary", None) => {
                    probationary += 1;
                    assert!(m.admission_date > years_before(as_of(), 1));
                }
                ("full", Some(full)) => {
                    assert_eq!(
                        full,
                        m.admission_date
                            .checked_add_months(Months::new(12))
                            .unwrap()
                    );
                    assert!(full <= as_of());
                }
                other => panic!("{}: inconsistent status {other:?}", m.name),
            }
            let chars: Vec<char> = m.id_number.chars().collect();
            assert_eq!(chars.len(), 18);
            let first17: String = chars[..17].iter().collect();
            assert_eq!(
                crate::models::member::id_check_char(&first17),
                Some(chars[17])
            );
            assert_eq!(m.phone.len(), 11);
            assert!(m.name.chars().count() >= 2 && m.name.chars().all(|c| !c.is_ascii()));
        }
        assert!(
            probationary > 10,
            "the demo shows probationary members ({probationary})"
        );
    }

    #[test]
    fn every_branch_has_a_secretary_and_large_ones_a_committee() {
        let d = generate(DEFAULT_SEED, Scale::Demo, as_of());
        for b in d.orgs.iter().filter(|o| o.kind == "branch") {
            let members: Vec<_> = d.members.iter().filter(|m| m.org == b.id).collect();
            let has = |p: Position| members.iter().any(|m| m.position == p.as_str());
            assert!(members.len() >= 5, "{} has {}", b.name, members.len());
            assert!(has(Position::Secretary), "{} has no secretary", b.name);
            if needs_committee(members.len() as u32) {
                assert!(has(Position::Discipline), "{} lacks a committee", b.name);
            }
        }
    }

    #[test]
    fn scale_factor_one_is_about_five_thousand_members() {
        let d = generate(DEFAULT_SEED, Scale::Factor(1), as_of());
        let branches = d.orgs.iter().filter(|o| o.kind == "branch").count();
        assert_eq!(branches, 100);
        assert!(
            (4_800..=5_600).contains(&d.members.len()),
            "{}",
            d.members.len()
        );
        let ids: std::collections::HashSet<_> = d.members.iter().map(|m| &m.id_number).collect();
        assert_eq!(ids.len(), d.members.len(), "identity numbers are unique");
    }

    #[test]
    fn the_small_hospital_keeps_the_demo_branches_that_tests_use() {
        let demo = generate(DEFAULT_SEED, Scale::Demo, as_of());
        let small = generate(DEFAULT_SEED, Scale::Small, as_of());
        let names = |d: &Dataset| d.orgs.iter().map(|o| o.name.clone()).collect::<Vec<_>>();
        let branches = |d: &Dataset| {
            d.orgs
                .iter()
                .filter(|o| o.kind == "branch")
                .map(|o| o.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            branches(&demo),
            branches(&small),
            "the same organisation tree"
        );
        for b in &branches(&demo)[..3] {
            let of = |d: &Dataset| {
                d.members
                    .iter()
                    .filter(|m| &m.org == b)
                    .map(|m| (m.id.clone(), m.name.clone(), m.position.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(of(&demo), of(&small), "the members of {b:?}");
        }
        assert!(names(&small).len() <= names(&demo).len());
        assert!(
            (150..=300).contains(&small.members.len()),
            "{} members",
            small.members.len()
        );
        assert_eq!(demo.candidates.len(), small.candidates.len());
        assert_eq!(
            demo.transfers.iter().map(|t| &t.member).collect::<Vec<_>>(),
            small
                .transfers
                .iter()
                .map(|t| &t.member)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_demo_year_of_meetings_shows_every_state() {
        use crate::models::meeting::{Attendance, MeetingKind, MinutesState};
        let d = generate(DEFAULT_SEED, Scale::Demo, as_of());
        for o in d
            .orgs
            .iter()
            .filter(|o| o.kind == "branch" || o.kind == "group")
        {
            assert!(
                d.meetings.iter().filter(|m| m.org == o.id).count() >= 6,
                "{} holds meetings (a few months are missed on purpose)",
                o.name
            );
        }
        let first = &d.branches()[0];
        assert!(
            d.meetings
                .iter()
                .any(|m| &m.org == first && m.day == as_of()),
            "the secretary's branch meets today"
        );
        assert!(d.meetings.iter().any(|m| m.day > as_of()), "some are ahead");
        assert!(d.meetings.iter().any(|m| m.late), "some are 补录");
        assert!(d.meetings.iter().any(|m| m.kind == MeetingKind::Group));
        for state in MinutesState::ALL {
            assert!(
                d.meetings.iter().any(|m| m.minutes_state == *state),
                "{state}"
            );
        }
        for status in Attendance::ALL {
            assert!(d.attendance.iter().any(|a| a.status == *status), "{status}");
        }
        // Requests for leave: approved ones behind leaves of the past, and one waiting
        // for the secretary at a meeting ahead; each on a meeting the member is expected at.
        use crate::models::meeting::LeaveState;
        assert!(d.leave.iter().any(|l| l.state == LeaveState::Approved));
        let waiting: Vec<_> = d
            .leave
            .iter()
            .filter(|l| l.state == LeaveState::Pending)
            .collect();
        assert_eq!(waiting.len(), 1);
        for l in &d.leave {
            let m = d.meetings.iter().find(|m| m.id == l.meeting).unwrap();
            assert!(m.attendees.contains(&l.member));
            assert_eq!(l.state == LeaveState::Pending, m.day > as_of());
        }
        // Whoever hosts is there.
        for m in d.meetings.iter().filter(|m| m.day < as_of()) {
            if let Some(host) = &m.host {
                assert!(
                    d.attendance
                        .iter()
                        .filter(|a| &a.meeting == &m.id && &a.member == host)
                        .all(|a| a.status == Attendance::Present)
                );
            }
        }
        let small = generate(DEFAULT_SEED, Scale::Small, as_of());
        assert!(small.meetings.len() < 60, "{}", small.meetings.len());
        let sf = generate(DEFAULT_SEED, Scale::Factor(1), as_of());
        assert!(sf.attendance.is_empty() && sf.meetings.len() > 3_000);
    }

    #[test]
    fn scales_parse_from_settings() {
        assert_eq!(Scale::parse("demo"), Some(Scale::Demo));
        assert_eq!(Scale::parse(" Small "), Some(Scale::Small));
        assert_eq!(Scale::parse("sf1"), Some(Scale::Factor(1)));
        assert_eq!(Scale::parse("SF10"), Some(Scale::Factor(10)));
        assert_eq!(Scale::parse("sf0"), None);
        assert_eq!(Scale::parse("huge"), None);
    }

    #[test]
    fn check_digit_matches_known_example() {
        // The worked example of GB 11643-1999.
        assert_eq!(
            crate::models::member::id_check_char("11010519491231002"),
            Some('X')
        );
        assert_eq!(
            crate::models::member::id_check_char("1101051949123100"),
            None
        );
    }
}
