//! Deterministic demo data: a fictional university-affiliated hospital.
//!
//! The same seed, scale and reference date always produce the same hospital, so demo
//! screenshots, tests and benchmarks agree. `Scale::Demo` is the hospital the platform
//! starts with (about 30 branches, 800 members); `Scale::Factor(n)` grows it to about
//! `n × 100` branches and `n × 5,000` members for benchmarks.
//!
//! The generator uses its own SplitMix64 so its output never changes with a dependency
//! upgrade (a general-purpose RNG crate makes no such promise across versions).

use chrono::{Datelike, Days, Months, NaiveDate};
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::org::{BranchCategory, OrgKind, Position, needs_committee};
use crate::server::Db;

pub const DEFAULT_SEED: u64 = 20_240_701;
pub const HOSPITAL_COMMITTEE: &str = "明川医科大学附属肿瘤医院党委";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// About 31 branches and 800 members.
    Demo,
    /// About `n × 100` branches and `n × 5,000` members.
    Factor(u32),
}

impl Scale {
    fn targets(self) -> (usize, usize) {
        match self {
            Scale::Demo => (BASE_BRANCHES.len(), 800),
            Scale::Factor(n) => {
                let n = n.max(1) as usize;
                (100 * n, 5_000 * n)
            }
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

/// (branch name, department(s), category, parent general branch: 0 = none, 1 = 内科, 2 = 外科)
const BASE_BRANCHES: &[(&str, &str, BranchCategory, u8)] = &[
    (
        "肿瘤内科第一党支部",
        "肿瘤内科一病区",
        BranchCategory::Clinical,
        1,
    ),
    (
        "肿瘤内科第二党支部",
        "肿瘤内科二病区",
        BranchCategory::Clinical,
        1,
    ),
    ("血液内科党支部", "血液内科", BranchCategory::Clinical, 1),
    ("消化内科党支部", "消化内科", BranchCategory::Clinical, 1),
    (
        "呼吸内科党支部",
        "呼吸与危重症医学科",
        BranchCategory::Clinical,
        1,
    ),
    (
        "心血管内科党支部",
        "心血管内科",
        BranchCategory::Clinical,
        1,
    ),
    (
        "内分泌与神经内科党支部",
        "内分泌科、神经内科",
        BranchCategory::Clinical,
        1,
    ),
    (
        "中西医结合科党支部",
        "中西医结合科",
        BranchCategory::Clinical,
        1,
    ),
    (
        "姑息医学与营养科党支部",
        "姑息医学科、临床营养科",
        BranchCategory::Clinical,
        1,
    ),
    ("胸外科党支部", "胸外科", BranchCategory::Clinical, 2),
    ("乳腺外科党支部", "乳腺外科", BranchCategory::Clinical, 2),
    ("胃肠外科党支部", "胃肠外科", BranchCategory::Clinical, 2),
    (
        "肝胆胰外科党支部",
        "肝胆胰外科",
        BranchCategory::Clinical,
        2,
    ),
    ("头颈外科党支部", "头颈外科", BranchCategory::Clinical, 2),
    ("泌尿外科党支部", "泌尿外科", BranchCategory::Clinical, 2),
    ("妇科肿瘤党支部", "妇科肿瘤科", BranchCategory::Clinical, 2),
    (
        "骨与软组织肿瘤科党支部",
        "骨与软组织肿瘤科",
        BranchCategory::Clinical,
        2,
    ),
    ("麻醉科党支部", "麻醉科", BranchCategory::Clinical, 2),
    ("手术室党支部", "手术室", BranchCategory::Clinical, 2),
    ("放射治疗科党支部", "放射治疗科", BranchCategory::Medtech, 0),
    ("医学影像科党支部", "医学影像科", BranchCategory::Medtech, 0),
    ("病理科党支部", "病理科", BranchCategory::Medtech, 0),
    ("检验科党支部", "检验科", BranchCategory::Medtech, 0),
    ("药学部党支部", "药学部", BranchCategory::Medtech, 0),
    ("核医学科党支部", "核医学科", BranchCategory::Medtech, 0),
    (
        "机关第一党支部",
        "院长办公室、党委办公室",
        BranchCategory::Admin,
        0,
    ),
    ("机关第二党支部", "医务部、护理部", BranchCategory::Admin, 0),
    ("后勤保障党支部", "后勤保障部", BranchCategory::Admin, 0),
    (
        "信息与财务党支部",
        "信息中心、财务部",
        BranchCategory::Admin,
        0,
    ),
    ("离退休党支部", "离退休工作处", BranchCategory::Retiree, 0),
    (
        "研究生党支部",
        "研究生管理办公室",
        BranchCategory::Student,
        0,
    ),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "欧阳", "司马", "诸葛",
];
const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "波", "宁", "凯", "浩", "建国", "志强", "海涛", "永刚", "晓东", "文博", "子豪", "宇航", "俊杰",
    "振华", "立新", "国栋", "家乐", "天宇", "思远", "博文", "成林", "云峰", "德明",
];
const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "颖", "琳", "洁",
    "晶", "欣", "悦", "瑶", "秀英", "桂兰", "海燕", "晓红", "丽娟", "雨涵", "思琪", "欣怡", "佳怡",
    "梦瑶", "婉清", "雅琴", "淑珍", "春梅", "凤英", "文静", "子涵",
];
const ETHNICITIES: &[&str] = &[
    "回族",
    "满族",
    "壮族",
    "土家族",
    "蒙古族",
    "苗族",
    "彝族",
    "白族",
];
const CLINICAL_TITLES: &[&str] = &[
    "主任医师",
    "副主任医师",
    "主治医师",
    "住院医师",
    "主任护师",
    "副主任护师",
    "主管护师",
    "护师",
];
const MEDTECH_TITLES: &[&str] = &[
    "主任技师",
    "副主任技师",
    "主管技师",
    "技师",
    "主任药师",
    "副主任药师",
    "主管药师",
    "药师",
];
const ADMIN_TITLES: &[&str] = &[
    "研究员",
    "副研究员",
    "助理研究员",
    "高级工程师",
    "工程师",
    "高级会计师",
    "会计师",
    "经济师",
];
const STUDENT_TITLES: &[&str] = &["硕士研究生", "博士研究生"];
const EDUCATIONS: &[&str] = &["博士研究生", "硕士研究生", "大学本科", "大专"];

/// One organisation to insert.
#[derive(Clone, Debug, SurrealValue)]
pub struct OrgSeed {
    pub id: RecordId,
    pub name: String,
    pub kind: String,
    pub parent: Option<RecordId>,
    pub category: Option<String>,
    pub departments: Vec<String>,
    pub sort: i64,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
}

/// One member to insert.
#[derive(Clone, Debug, SurrealValue)]
pub struct MemberSeed {
    pub id: RecordId,
    pub name: String,
    /// Pinyin initials for the roster search (张三 → zs).
    pub name_initials: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub org: RecordId,
    pub party_group: Option<RecordId>,
    pub position: String,
    pub status: String,
    pub application_date: NaiveDate,
    pub admission_date: NaiveDate,
    pub full_date: Option<NaiveDate>,
    pub standing: String,
    pub flags: Vec<String>,
}

/// One person in the development pipeline.
#[derive(Clone, Debug, SurrealValue)]
pub struct CandidateSeed {
    pub id: RecordId,
    pub name: String,
    pub name_initials: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub org: RecordId,
    pub step: i64,
    pub step_dates: Vec<NaiveDate>,
    pub status: String,
    pub member: Option<RecordId>,
}

/// One recorded pipeline step.
#[derive(Clone, Debug, SurrealValue)]
pub struct StepSeed {
    pub candidate: RecordId,
    pub no: i64,
    pub date: NaiveDate,
    pub responsible: Vec<String>,
    pub approver: String,
    pub materials: String,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One transfer of the membership relation.
#[derive(Clone, Debug, SurrealValue)]
pub struct TransferSeed {
    pub id: RecordId,
    pub member: RecordId,
    pub member_name: String,
    pub kind: String,
    pub from_org: Option<RecordId>,
    pub to_org: Option<RecordId>,
    pub outside: String,
    pub letter_no: String,
    pub valid_until: NaiveDate,
    pub dues_paid_to: String,
    pub status: String,
    pub reason: String,
    pub issued_by: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Debug)]
pub struct Dataset {
    pub orgs: Vec<OrgSeed>,
    pub members: Vec<MemberSeed>,
    pub candidates: Vec<CandidateSeed>,
    pub steps: Vec<StepSeed>,
    pub transfers: Vec<TransferSeed>,
}

/// Two open transfers touching the demo secretary's branch (the first branch): one from
/// the second branch waiting for its acceptance, and a letter out of the hospital waiting
/// for its receipt.
fn add_transfers(data: &mut Dataset, as_of: NaiveDate) {
    let branches: Vec<RecordId> = data
        .orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Branch.as_str())
        .map(|o| o.id.clone())
        .collect();
    if branches.len() < 2 {
        return;
    }
    let plain = |org: &RecordId| {
        data.members
            .iter()
            .rev()
            .filter(|m| {
                !data
                    .candidates
                    .iter()
                    .any(|c| c.member.as_ref() == Some(&m.id))
            })
            .find(|m| &m.org == org && m.position == "member")
            .map(|m| (m.id.clone(), m.name.clone()))
    };
    let (Some(incoming), Some(outgoing)) = (plain(&branches[1]), plain(&branches[0])) else {
        return;
    };
    let at = (as_of - chrono::Days::new(3))
        .and_hms_opt(10, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default();
    let dues = (as_of - chrono::Months::new(1)).format("%Y-%m").to_string();
    let year = as_of.format("%Y");
    data.transfers = vec![
        TransferSeed {
            id: RecordId::new("transfer", "t0001"),
            member: incoming.0,
            member_name: incoming.1,
            kind: "internal".into(),
            from_org: Some(branches[1].clone()),
            to_org: Some(branches[0].clone()),
            outside: String::new(),
            letter_no: format!("明肿党转〔{year}〕第 1 号"),
            valid_until: as_of + chrono::Days::new(27),
            dues_paid_to: dues.clone(),
            status: "pending".into(),
            reason: "科室调整".into(),
            issued_by: "office".into(),
            issued_at: at,
        },
        TransferSeed {
            id: RecordId::new("transfer", "t0002"),
            member: outgoing.0,
            member_name: outgoing.1,
            kind: "outbound".into(),
            from_org: Some(branches[0].clone()),
            to_org: None,
            outside: "明川市第一人民医院党委".into(),
            letter_no: format!("明肿党转〔{year}〕第 2 号"),
            valid_until: as_of + chrono::Days::new(27),
            dues_paid_to: dues,
            status: "issued".into(),
            reason: "调离本院".into(),
            issued_by: "secretary".into(),
            issued_at: at,
        },
    ];
}

/// Days after the application on which each of the 25 steps was done: a timeline that
/// keeps every time rule (a year as activist before step 7, a year of probation before
/// step 23).
const STEP_DAYS: [u64; 25] = [
    0, 20, 90, 95, 100, 200, 460, 465, 470, 500, 530, 600, 610, 620, 640, 650, 680, 690, 700, 705,
    900, 1000, 1010, 1030, 1040,
];

/// The pipeline people: (name, steps done, days since the last step). The first six are
/// in the demo secretary's branch; together they cover every stage, one talk is overdue
/// and one person has finished.
const PIPELINE: [(&str, usize, u64); 12] = [
    ("陈思远", 1, 45),
    ("赵雨桐", 4, 30),
    ("孙嘉怡", 9, 20),
    ("周子涵", 14, 10),
    ("吴浩然", 19, 40),
    ("郑欣怡", 22, 3),
    ("王梓萱", 2, 25),
    ("冯俊杰", 6, 60),
    ("何静怡", 11, 30),
    ("高宇航", 16, 20),
    ("罗佳琪", 24, 30),
    ("梁博文", 25, 100),
];

/// Adds the pipeline people (and, from admission on, their member records) to `data`.
fn add_pipeline(data: &mut Dataset, as_of: NaiveDate) {
    use crate::models::pipeline::{
        ADMISSION_MEETING_STEP, ADMITTED_STEP, FULL_STEP, full_membership_date,
    };
    let branches: Vec<RecordId> = data
        .orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Branch.as_str())
        .map(|o| o.id.clone())
        .collect();
    if branches.len() < 3 {
        return;
    }
    let at = as_of
        .and_hms_opt(9, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default();
    for (i, (name, done, since)) in PIPELINE.iter().enumerate() {
        let org = if i < 6 {
            branches[0].clone()
        } else {
            branches[1 + i % 2].clone()
        };
        let applied = as_of - chrono::Days::new(STEP_DAYS[done - 1] + since);
        let dates: Vec<NaiveDate> = STEP_DAYS[..*done]
            .iter()
            .map(|d| applied + chrono::Days::new(*d))
            .collect();
        let male = i % 3 == 0;
        let birth =
            NaiveDate::from_ymd_opt(1994 + (i as i32 % 6), 1 + (i as u32 % 12), 5 + i as u32)
                .unwrap_or(as_of);
        let first17 = format!(
            "330106{}{:03}",
            birth.format("%Y%m%d"),
            100 + i * 2 + usize::from(male)
        );
        let id_number = format!(
            "{first17}{}",
            crate::models::member::id_check_char(&first17).unwrap_or('0')
        );
        let candidate = RecordId::new("candidate", format!("c{:04}", i + 1));
        let member = (*done >= usize::from(ADMITTED_STEP))
            .then(|| RecordId::new("member", format!("p{:04}", i + 1)));
        let seed = CandidateSeed {
            id: candidate.clone(),
            name_initials: crate::server::repo::member::name_initials(name),
            name: (*name).into(),
            gender: if male { "male" } else { "female" }.into(),
            birth_date: birth,
            ethnicity: "汉族".into(),
            education: "大学本科".into(),
            department: data
                .orgs
                .iter()
                .find(|o| o.id == org)
                .and_then(|o| o.departments.first().cloned())
                .unwrap_or_default(),
            title: if i % 2 == 0 { "护师" } else { "住院医师" }.into(),
            phone: format!("1370000{:04}", 1000 + i),
            id_number,
            org: org.clone(),
            step: *done as i64,
            step_dates: dates.clone(),
            status: if *done == 25 { "completed" } else { "active" }.into(),
            member: member.clone(),
        };
        if let Some(member) = member {
            let admitted = dates[usize::from(ADMISSION_MEETING_STEP) - 1];
            let full = *done >= usize::from(FULL_STEP);
            data.members.push(MemberSeed {
                id: member,
                name: seed.name.clone(),
                name_initials: seed.name_initials.clone(),
                gender: seed.gender.clone(),
                birth_date: birth,
                ethnicity: seed.ethnicity.clone(),
                education: seed.education.clone(),
                department: seed.department.clone(),
                title: seed.title.clone(),
                phone: seed.phone.clone(),
                id_number: seed.id_number.clone(),
                org,
                party_group: None,
                position: "member".into(),
                status: if full { "full" } else { "probationary" }.into(),
                application_date: dates[0],
                admission_date: admitted,
                full_date: full.then(|| full_membership_date(admitted)),
                standing: "active".into(),
                flags: Vec::new(),
            });
        }
        for (k, date) in dates.iter().enumerate() {
            let step = crate::models::pipeline::step_of(k as u8 + 1);
            let needs = step.map(|s| s.needs);
            data.steps.push(StepSeed {
                candidate: candidate.clone(),
                no: k as i64 + 1,
                date: *date,
                responsible: if needs == Some(crate::models::pipeline::Needs::TwoPeople) {
                    vec!["王建国".into(), "李秀英".into()]
                } else {
                    Vec::new()
                },
                approver: if needs == Some(crate::models::pipeline::Needs::Approver) {
                    "院党委".into()
                } else {
                    String::new()
                },
                materials: String::new(),
                actor: "demo".into(),
                at,
            });
        }
        data.candidates.push(seed);
    }
}

fn org_id(n: usize) -> RecordId {
    RecordId::new("org", format!("o{n:04}"))
}

fn ordinal(n: usize) -> &'static str {
    const ORD: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    ORD.get(n).copied().unwrap_or("十")
}

/// Generates the hospital for `scale`, with dates relative to `as_of`.
pub fn generate(seed: u64, scale: Scale, as_of: NaiveDate) -> Dataset {
    let mut rng = Rng(seed);
    let (branch_target, member_target) = scale.targets();
    let mut orgs = Vec::new();
    let mut next_org = 0usize;

    let root = org_id(next_org);
    next_org += 1;
    orgs.push(OrgSeed {
        id: root.clone(),
        name: HOSPITAL_COMMITTEE.into(),
        kind: OrgKind::Committee.as_str().into(),
        parent: None,
        category: None,
        departments: Vec::new(),
        sort: 0,
        term_start: Some(NaiveDate::from_ymd_opt(as_of.year() - 2, 6, 28).unwrap_or(as_of)),
        term_end: Some(NaiveDate::from_ymd_opt(as_of.year() + 3, 6, 27).unwrap_or(as_of)),
    });
    let mut general = Vec::new();
    for (i, name) in ["内科党总支", "外科党总支"].into_iter().enumerate() {
        let id = org_id(next_org);
        next_org += 1;
        orgs.push(OrgSeed {
            id: id.clone(),
            name: name.into(),
            kind: OrgKind::GeneralBranch.as_str().into(),
            parent: Some(root.clone()),
            category: Some(BranchCategory::Clinical.as_str().into()),
            departments: Vec::new(),
            sort: i as i64 + 1,
            term_start: None,
            term_end: None,
        });
        general.push(id);
    }

    // Branches: the base list once, then further clinical and medtech branches for larger scales.
    let mut branches: Vec<(RecordId, String, Vec<String>, BranchCategory)> = Vec::new();
    let extendable: Vec<_> = BASE_BRANCHES
        .iter()
        .filter(|b| matches!(b.2, BranchCategory::Clinical | BranchCategory::Medtech))
        .collect();
    for i in 0..branch_target {
        let (name, depts, category, parent) = if i < BASE_BRANCHES.len() {
            let b = BASE_BRANCHES[i];
            (b.0.to_string(), b.1.to_string(), b.2, b.3)
        } else {
            let b = extendable[(i - BASE_BRANCHES.len()) % extendable.len()];
            let round = (i - BASE_BRANCHES.len()) / extendable.len();
            let stem = b.0.trim_end_matches("党支部");
            let campus = ordinal(round + 1);
            (
                format!("{stem}（第{campus}院区）党支部"),
                format!("{}（第{campus}院区）", b.1),
                b.2,
                b.3,
            )
        };
        let id = org_id(next_org);
        next_org += 1;
        let parent_id = match parent {
            1 => general[0].clone(),
            2 => general[1].clone(),
            _ => root.clone(),
        };
        let departments: Vec<String> = depts.split('、').map(str::to_string).collect();
        let term_start = as_of
            .checked_sub_days(Days::new(rng.range(30, 3 * 365 + 60) as u64))
            .unwrap_or(as_of);
        orgs.push(OrgSeed {
            id: id.clone(),
            name: name.clone(),
            kind: OrgKind::Branch.as_str().into(),
            parent: Some(parent_id),
            category: Some(category.as_str().into()),
            departments: departments.clone(),
            sort: i as i64 + 10,
            term_start: Some(term_start),
            term_end: term_start.checked_add_months(Months::new(36)),
        });
        branches.push((id, name, departments, category));
    }

    // Branch sizes: weighted shares of the member target, at least 5 each.
    let weights: Vec<u64> = branches
        .iter()
        .map(|b| match b.3 {
            BranchCategory::Retiree => 300,
            BranchCategory::Student => 220,
            _ => 60 + rng.range(0, 120) as u64,
        })
        .collect();
    let total_weight: u64 = weights.iter().sum();
    let sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((member_target as u64 * w / total_weight) as usize).max(5))
        .collect();

    let mut members = Vec::new();
    let mut member_no = 0usize;
    for ((branch_id, branch_name, departments, category), size) in branches.iter().zip(sizes) {
        // Large branches are split into Party groups (党小组).
        let group_count = match size {
            0..=24 => 0,
            25..=44 => 2,
            _ => 3,
        };
        let mut groups = Vec::new();
        for g in 0..group_count {
            let id = org_id(next_org);
            next_org += 1;
            orgs.push(OrgSeed {
                id: id.clone(),
                name: format!(
                    "{}第{}党小组",
                    branch_name.trim_end_matches("党支部"),
                    ordinal(g)
                ),
                kind: OrgKind::Group.as_str().into(),
                parent: Some(branch_id.clone()),
                category: None,
                departments: Vec::new(),
                sort: g as i64,
                term_start: None,
                term_end: None,
            });
            groups.push(id);
        }
        let mut seats: Vec<Position> = if needs_committee(size as u32) {
            vec![
                Position::Secretary,
                Position::DeputySecretary,
                Position::Organization,
                Position::Propaganda,
                Position::Discipline,
            ]
        } else {
            vec![Position::Secretary]
        };
        seats.reverse();
        let mut leaders_needed: Vec<usize> = (0..groups.len()).rev().collect();

        for i in 0..size {
            member_no += 1;
            let male = rng.chance(if *category == BranchCategory::Admin {
                45
            } else {
                42
            });
            let name = format!(
                "{}{}",
                rng.pick(SURNAMES),
                if male {
                    rng.pick(GIVEN_MALE)
                } else {
                    rng.pick(GIVEN_FEMALE)
                }
            );
            let age: i64 = match category {
                BranchCategory::Retiree => rng.range(62, 88),
                BranchCategory::Student => rng.range(22, 31),
                _ => rng.range(25, 59),
            };
            let birth = as_of
                .checked_sub_days(Days::new((age * 365 + rng.range(0, 364)) as u64))
                .unwrap_or(as_of);
            // Admission at 19..(age), probationary when within the last year.
            let probationary = *category != BranchCategory::Retiree && i >= 3 && rng.chance(7);
            let admission = if probationary {
                as_of
                    .checked_sub_days(Days::new(rng.range(20, 340) as u64))
                    .unwrap_or(as_of)
            } else {
                let latest_age = (age - 2).max(20);
                let admit_age = rng.range(19, latest_age);
                let d = birth
                    .checked_add_days(Days::new((admit_age * 365 + rng.range(0, 300)) as u64))
                    .unwrap_or(birth);
                d.min(as_of.checked_sub_days(Days::new(400)).unwrap_or(as_of))
            };
            let application = admission
                .checked_sub_days(Days::new(rng.range(420, 1200) as u64))
                .unwrap_or(admission)
                .max(
                    birth
                        .checked_add_months(Months::new(12 * 18))
                        .unwrap_or(birth),
                );
            let full_date = if probationary {
                None
            } else {
                admission.checked_add_months(Months::new(12))
            };
            let position = if !probationary {
                seats.pop().or_else(|| {
                    (!groups.is_empty() && i % 7 == 6)
                        .then(|| leaders_needed.pop())
                        .flatten()
                        .map(|_| Position::GroupLeader)
                })
            } else {
                None
            }
            .unwrap_or(Position::Member);
            let title = match category {
                BranchCategory::Clinical => *rng.pick(CLINICAL_TITLES),
                BranchCategory::Medtech => *rng.pick(MEDTECH_TITLES),
                BranchCategory::Admin => *rng.pick(ADMIN_TITLES),
                BranchCategory::Retiree => *rng.pick(CLINICAL_TITLES),
                BranchCategory::Student => *rng.pick(STUDENT_TITLES),
            };
            let education = match category {
                BranchCategory::Student => "大学本科",
                BranchCategory::Clinical if title.contains("医师") => *rng.pick(&EDUCATIONS[..2]),
                _ => *rng.pick(EDUCATIONS),
            };
            let first17 = format!(
                "5301{:02}{}{:03}",
                (member_no / 500) % 90 + 10,
                birth.format("%Y%m%d"),
                // The 17th digit is odd for men and even for women (GB 11643).
                (member_no % 500) * 2 + usize::from(male)
            );
            let id_number = format!(
                "{first17}{}",
                crate::models::member::id_check_char(&first17).unwrap_or('0')
            );
            let phone = format!(
                "1{}{:09}",
                rng.pick(&["38", "39", "58", "59", "86", "87", "35", "36"]),
                rng.next() % 1_000_000_000
            )[..11]
                .to_string();
            let mut flags = Vec::new();
            if rng.chance(2) {
                flags.push("floating".to_string());
            }
            if *category == BranchCategory::Retiree && rng.chance(6) {
                flags.push("hardship".to_string());
            }
            let party_group = if groups.is_empty() {
                None
            } else {
                Some(groups[i % groups.len()].clone())
            };
            members.push(MemberSeed {
                id: RecordId::new("member", format!("m{member_no:06}")),
                name_initials: crate::server::repo::member::name_initials(&name),
                name,
                gender: if male { "male" } else { "female" }.into(),
                birth_date: birth,
                ethnicity: if rng.chance(8) {
                    (*rng.pick(ETHNICITIES)).into()
                } else {
                    "汉族".into()
                },
                education: education.into(),
                department: departments[i % departments.len()].clone(),
                title: title.into(),
                phone,
                id_number,
                org: branch_id.clone(),
                party_group,
                position: position.as_str().into(),
                status: if probationary { "probationary" } else { "full" }.into(),
                application_date: application,
                admission_date: admission,
                full_date,
                standing: "active".into(),
                flags,
            });
        }
    }
    let mut data = Dataset {
        orgs,
        members,
        candidates: Vec::new(),
        steps: Vec::new(),
        transfers: Vec::new(),
    };
    add_pipeline(&mut data, as_of);
    add_transfers(&mut data, as_of);
    data
}

/// Loads the dataset in one transaction, so a failure leaves the database untouched.
#[tracing::instrument(skip_all, fields(orgs = data.orgs.len(), members = data.members.len()))]
pub async fn load(db: &Db, data: &Dataset) -> surrealdb::Result<()> {
    db.query("INSERT INTO org $orgs")
        .bind(("orgs", data.orgs.clone()))
        .await?
        .check()?;
    // Members go in chunks of 100, each in its own statement: one statement with 10,000
    // rows took 11.5 minutes in a debug build (the cost grew with the square of its size);
    // chunks keep it linear (100 rather than 500: the demo hospital loads in 4.0 s
    // instead of 4.6 s on the tests' in-memory engine, which every test pays).
    for chunk in data.members.chunks(100) {
        db.query("INSERT INTO member $members")
            .bind(("members", chunk.to_vec()))
            .await?
            .check()?;
    }
    db.query(
        "INSERT INTO candidate $candidates; INSERT INTO pipeline_step $steps;
         INSERT INTO transfer $transfers;
         UPSERT type::record('transfer_counter', $year) SET n = array::len($transfers);",
    )
    .bind(("candidates", data.candidates.clone()))
    .bind(("steps", data.steps.clone()))
    .bind(("transfers", data.transfers.clone()))
    .bind((
        "year",
        data.transfers
            .first()
            .map(|t| i64::from(chrono::Datelike::year(&t.issued_at)))
            .unwrap_or(0),
    ))
    .await?
    .check()?;
    Ok(())
}

/// The password of every demo account (demo mode only; listed in the README).
pub const DEMO_PASSWORD: &str = "Zhibu@2026";

/// One demo account per role. The branch secretary serves on the first branch and is linked
/// to its secretary's member record; the member account to an ordinary member of it.
pub async fn accounts(
    data: &Dataset,
    passwords: &crate::server::auth::Passwords,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<crate::server::repo::account::NewAccount>, String> {
    use crate::access::Role;
    use crate::server::repo::account::NewAccount;
    let branch = data
        .orgs
        .iter()
        .find(|o| o.kind == OrgKind::Branch.as_str())
        .ok_or("no branch in the demo data")?;
    let in_branch = |position: Position| {
        data.members
            .iter()
            .find(|m| m.org == branch.id && m.position == position.as_str())
            .map(|m| (m.id.clone(), m.name.clone()))
    };
    let secretary = in_branch(Position::Secretary);
    let member = in_branch(Position::Member);
    let hash = passwords.hash(DEMO_PASSWORD.to_string()).await?;
    let specs: [(&str, String, Role, Vec<RecordId>, Option<RecordId>); 6] = [
        (
            "office",
            "党委组织部（演示）".into(),
            Role::CommitteeOffice,
            vec![],
            None,
        ),
        (
            "secretary",
            secretary.as_ref().map_or("支部书记（演示）".into(), |s| {
                format!("{}（演示）", s.1)
            }),
            Role::BranchCommittee,
            vec![branch.id.clone()],
            secretary.map(|s| s.0),
        ),
        (
            "member",
            member
                .as_ref()
                .map_or("党员（演示）".into(), |m| format!("{}（演示）", m.1)),
            Role::Member,
            vec![],
            member.map(|m| m.0),
        ),
        (
            "sysadmin",
            "系统管理员（演示）".into(),
            Role::SystemAdmin,
            vec![],
            None,
        ),
        (
            "secadmin",
            "安全管理员（演示）".into(),
            Role::SecurityAdmin,
            vec![],
            None,
        ),
        (
            "auditor",
            "安全审计员（演示）".into(),
            Role::SecurityAuditor,
            vec![],
            None,
        ),
    ];
    Ok(specs
        .into_iter()
        .map(|(username, display_name, role, orgs, member)| NewAccount {
            username: username.into(),
            display_name,
            password_hash: hash.clone(),
            roles: vec![role.as_str().into()],
            orgs,
            member,
            must_change_password: false,
            demo: true,
            password_changed_at: now,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for cat in ["retiree", "student", "admin", "medtech", "clinical"] {
            assert!(
                d.orgs.iter().any(|o| o.category.as_deref() == Some(cat)),
                "{cat}"
            );
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
            assert!(m.application_date >= adult, "{} applied before 18", m.name);
            assert!(m.application_date < m.admission_date, "{}", m.name);
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
