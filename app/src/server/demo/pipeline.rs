//! The development pipeline: twelve people covering every stage, the first six in the
//! demo secretary's branch; those admitted also get their member records.

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use super::Dataset;
use crate::models::member::{Gender, MemberStatus, Standing};
use crate::models::org::Position;
use crate::models::pipeline::CandidateStatus;
use crate::server::repo::member::MemberInsert;
use crate::server::repo::pipeline::{CandidateInsert, StepInsert};

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
pub(super) fn add(data: &mut Dataset, as_of: NaiveDate) {
    use crate::models::pipeline::{
        ADMISSION_MEETING_STEP, ADMITTED_STEP, FULL_STEP, full_membership_date,
    };
    let branches = data.branches();
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
        let seed = CandidateInsert {
            id: candidate.clone(),
            name_initials: crate::server::repo::member::name_initials(name),
            name: (*name).into(),
            gender: if male { Gender::Male } else { Gender::Female },
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
            status: if *done == 25 {
                CandidateStatus::Completed
            } else {
                CandidateStatus::Active
            },
            member: member.clone(),
        };
        if let Some(member) = member {
            let admitted = dates[usize::from(ADMISSION_MEETING_STEP) - 1];
            let full = *done >= usize::from(FULL_STEP);
            data.members.push(MemberInsert {
                id: member,
                name: seed.name.clone(),
                name_initials: seed.name_initials.clone(),
                gender: seed.gender,
                birth_date: birth,
                ethnicity: seed.ethnicity.clone(),
                education: seed.education.clone(),
                department: seed.department.clone(),
                title: seed.title.clone(),
                phone: seed.phone.clone(),
                id_number: seed.id_number.clone(),
                org,
                party_group: None,
                position: Position::Member,
                status: if full {
                    MemberStatus::Full
                } else {
                    MemberStatus::Probationary
                },
                application_date: Some(dates[0]),
                admission_date: admitted,
                full_date: full.then(|| full_membership_date(admitted)),
                standing: Standing::Active,
                flags: Vec::new(),
                dual_leader: false,
            });
        }
        for (k, date) in dates.iter().enumerate() {
            let step = crate::models::pipeline::step_of(k as u8 + 1);
            let needs = step.map(|s| s.needs);
            data.steps.push(StepInsert {
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
