//! The organisation tree: the hospital committee, two general branches and the branches
//! (the base list once, then further campuses for larger scales). Party groups are added
//! by `member`, because a branch's groups depend on its size.

use chrono::{Datelike, Days, Months, NaiveDate};
use surrealdb::types::RecordId;

use super::{HOSPITAL_COMMITTEE, Rng};
use crate::models::org::{BranchCategory, OrgKind};
use crate::server::repo::org::OrgInsert;

pub(super) const BASE_BRANCHES: &[(&str, &str, BranchCategory, u8)] = &[
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

/// A branch as the member generator needs it.
pub(super) struct Branch {
    pub id: RecordId,
    pub name: String,
    pub departments: Vec<String>,
    pub category: BranchCategory,
}

/// The `n`th organisation's id; ids follow insertion order.
pub(super) fn org_id(n: usize) -> RecordId {
    RecordId::new("org", format!("o{n:04}"))
}

pub(super) fn ordinal(n: usize) -> &'static str {
    const ORD: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    ORD.get(n).copied().unwrap_or("十")
}

/// The committee, the general branches and `branch_target` branches.
pub(super) fn tree(
    rng: &mut Rng,
    branch_target: usize,
    as_of: NaiveDate,
) -> (Vec<OrgInsert>, Vec<Branch>) {
    let mut orgs = Vec::new();
    let mut next_org = 0usize;
    let root = org_id(next_org);
    next_org += 1;
    orgs.push(OrgInsert {
        id: root.clone(),
        name: HOSPITAL_COMMITTEE.into(),
        kind: OrgKind::Committee,
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
        orgs.push(OrgInsert {
            id: id.clone(),
            name: name.into(),
            kind: OrgKind::GeneralBranch,
            parent: Some(root.clone()),
            category: Some(BranchCategory::Clinical),
            departments: Vec::new(),
            sort: i as i64 + 1,
            term_start: None,
            term_end: None,
        });
        general.push(id);
    }

    // Branches: the base list once, then further clinical and medtech branches for larger scales.
    let mut branches: Vec<Branch> = Vec::new();
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
        orgs.push(OrgInsert {
            id: id.clone(),
            name: name.clone(),
            kind: OrgKind::Branch,
            parent: Some(parent_id),
            category: Some(category),
            departments: departments.clone(),
            sort: i as i64 + 10,
            term_start: Some(term_start),
            term_end: term_start.checked_add_months(Months::new(36)),
        });
        branches.push(Branch {
            id,
            name,
            departments,
            category,
        });
    }
    (orgs, branches)
}

/// The `g`th Party group (党小组) of a branch.
pub(super) fn group(id: RecordId, branch: &Branch, g: usize) -> OrgInsert {
    OrgInsert {
        id,
        name: format!(
            "{}第{}党小组",
            branch.name.trim_end_matches("党支部"),
            ordinal(g)
        ),
        kind: OrgKind::Group,
        parent: Some(branch.id.clone()),
        category: None,
        departments: Vec::new(),
        sort: g as i64,
        term_start: None,
        term_end: None,
    }
}
