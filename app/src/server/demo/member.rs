//! Members: branch sizes from weights, Party groups for large branches, committees where
//! the branch is large enough, and dates that obey every rule of the member record.

use chrono::{Days, Months, NaiveDate};
use surrealdb::types::RecordId;

use super::Rng;
use super::org::{Branch, org_id};
use crate::models::member::{Flag, Gender, MemberStatus, Standing};
use crate::models::org::{BranchCategory, Position, needs_committee};
use crate::server::repo::member::MemberInsert;
use crate::server::repo::org::OrgInsert;

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

/// The members of every branch (about `member_target` in all), adding each large branch's
/// Party groups to `orgs`. With `full_branches`, only that many first branches get their
/// weighted size and every other branch five members.
pub(super) fn people(
    rng: &mut Rng,
    orgs: &mut Vec<OrgInsert>,
    branches: &[Branch],
    member_target: usize,
    full_branches: Option<usize>,
    as_of: NaiveDate,
) -> Vec<MemberInsert> {
    // Branch sizes: weighted shares of the member target, at least 5 each.
    let weights: Vec<u64> = branches
        .iter()
        .map(|b| match b.category {
            BranchCategory::Retiree => 300,
            BranchCategory::Student => 220,
            _ => 60 + rng.range(0, 120) as u64,
        })
        .collect();
    let total_weight: u64 = weights.iter().sum();
    let sizes: Vec<usize> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| match full_branches {
            Some(full) if i >= full => 5,
            _ => ((member_target as u64 * w / total_weight) as usize).max(5),
        })
        .collect();

    let mut members = Vec::new();
    let mut member_no = 0usize;
    let mut next_org = orgs.len();
    for (branch, size) in branches.iter().zip(sizes) {
        let (branch_id, departments, category) =
            (&branch.id, &branch.departments, &branch.category);
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
            orgs.push(super::org::group(id.clone(), branch, g));
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
                flags.push(Flag::Floating);
            }
            if *category == BranchCategory::Retiree && rng.chance(6) {
                flags.push(Flag::Hardship);
            }
            let party_group = if groups.is_empty() {
                None
            } else {
                Some(groups[i % groups.len()].clone())
            };
            members.push(MemberInsert {
                id: RecordId::new("member", format!("m{member_no:06}")),
                name_initials: crate::server::repo::member::name_initials(&name),
                name,
                gender: if male { Gender::Male } else { Gender::Female },
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
                position,
                status: if probationary {
                    MemberStatus::Probationary
                } else {
                    MemberStatus::Full
                },
                application_date: Some(application),
                admission_date: admission,
                full_date,
                standing: Standing::Active,
                flags,
                dual_leader: false,
            });
        }
    }
    members
}
