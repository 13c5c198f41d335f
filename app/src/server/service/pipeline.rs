//! Orchestration behind the `pipeline` server functions (`crate::api::pipeline`): reads and
//! writes through the repositories, decisions that need the database.

use chrono::NaiveDate;

use crate::models::pipeline::{
    CandidateDetail, CandidateLine, Done, StepRecord, is_overdue, next_step, stage_after,
};
use crate::server::key_string;
use crate::server::repo::pipeline::{CandidateRow, StepRow};

pub fn done(row: &CandidateRow) -> Vec<Done> {
    row.step_dates
        .iter()
        .enumerate()
        .map(|(i, date)| Done {
            no: u8::try_from(i + 1).unwrap_or(u8::MAX),
            date: *date,
        })
        .collect()
}

pub fn line(row: &CandidateRow, today: NaiveDate) -> CandidateLine {
    let done = done(row);
    let step = u8::try_from(row.step).unwrap_or(0);
    let next = next_step(&done);
    CandidateLine {
        id: key_string(&row.id),
        name: row.name.clone(),
        org_id: key_string(&row.org),
        org_name: row.org_name.clone(),
        stage: stage_after(step),
        step,
        next,
        overdue: is_overdue(next, today),
        member: row.member.as_ref().map(key_string),
    }
}

pub fn detail(
    row: &CandidateRow,
    steps: Vec<StepRow>,
    today: NaiveDate,
    id_number_masked: String,
) -> CandidateDetail {
    CandidateDetail {
        line: line(row, today),
        gender: row.gender.clone(),
        birth_date: row.birth_date,
        department: row.department.clone(),
        id_number_masked,
        steps: steps.into_iter().map(step).collect(),
    }
}

/// A recorded step as the pages show it.
pub fn step(s: StepRow) -> StepRecord {
    StepRecord {
        no: u8::try_from(s.no).unwrap_or(0),
        date: s.date,
        responsible: s.responsible,
        approver: s.approver,
        materials: s.materials,
        actor: s.actor,
    }
}
