//! Organisational life: a year of meetings for every branch (at the small scale, which
//! every integration test loads, the last three months of the first branch only; at the
//! benchmark scales, the meetings without their attendance), in every state the pages
//! show: held with attendance and approved
//! minutes, minutes waiting for approval or still a draft, a few 补录, a few months
//! missed, today's meeting of the demo secretary's branch open for sign-in, and the next
//! ones scheduled.

use chrono::{Datelike, Days, NaiveDate};
use surrealdb::types::RecordId;

use super::{Dataset, Rng, Scale};
use crate::models::meeting::{
    Attendance, LeaveState, MeetingKind, MinutesState, SignInVia, default_roles,
};
use crate::server::repo::meeting::{AttendanceInsert, LeaveInsert, MeetingInsert, attendance_key};

/// The demo's registered meeting rooms: key, name, where.
pub const ROOMS: &[(&str, &str, &str)] = &[
    ("rm001", "门诊楼 5 楼会议室", "门诊楼 5 楼东侧"),
    ("rm002", "行政楼 302 会议室", "行政楼 3 楼"),
    ("rm003", "住院部 12 楼示教室", "住院部 12 楼护士站对面"),
];

/// The sign-in PIN every active member of the demo secretary's branch has (shown in the
/// README with the demo accounts).
pub const DEMO_PIN: &str = "2468";
const THEMES: &[&str] = &[
    "学习贯彻党的二十大精神",
    "医德医风专题教育",
    "弘扬伟大抗疫精神",
    "廉洁行医警示教育",
    "学习新修订的《中国共产党纪律处分条例》",
    "党建引领公立医院高质量发展",
    "志愿服务进社区义诊",
    "重温入党誓词",
];
const LEAVE_REASONS: &[&str] = &["值班", "手术", "外出进修", "病假", "门诊"];

/// Adds the meetings of the last twelve months and the next few weeks to `data`; at the
/// small scale, of the last three months and the first branch only; at the benchmark
/// scales, without attendance (a hundred thousand rows nobody reads there).
pub(super) fn add(data: &mut Dataset, rng: &mut Rng, as_of: NaiveDate, scale: Scale) {
    let all = data.branches();
    let (take, months) = match scale {
        Scale::Small => (1, 3),
        Scale::Demo | Scale::Factor(_) => (all.len(), 12),
    };
    let with_attendance = !matches!(scale, Scale::Factor(_));
    let first_month = as_of
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(months - 1)))
        .unwrap_or(as_of);
    // The branches taken, then the Party groups under them (a group meets monthly).
    let mut units: Vec<(RecordId, bool)> =
        all.iter().take(take).map(|b| (b.clone(), false)).collect();
    let groups: Vec<RecordId> = data
        .orgs
        .iter()
        .filter(|o| {
            o.kind == crate::models::org::OrgKind::Group.as_str()
                && o.parent
                    .as_ref()
                    .is_some_and(|p| units.iter().any(|(b, _)| b == p))
        })
        .map(|o| o.id.clone())
        .collect();
    units.extend(groups.into_iter().map(|g| (g, true)));
    for (b, (org, is_group)) in units.iter().enumerate() {
        let is_group = *is_group;
        let seats: Vec<(RecordId, String, crate::models::org::Position)> = data
            .members
            .iter()
            .filter(|m| {
                m.standing == "active"
                    && if is_group {
                        m.party_group.as_ref() == Some(org)
                    } else {
                        &m.org == org
                    }
            })
            .map(|m| (m.id.clone(), m.name.clone(), m.position))
            .collect();
        let positions: Vec<(String, _)> = seats
            .iter()
            .map(|(id, _, p)| (crate::server::key_string(id), *p))
            .collect();
        let (host, recorder) = default_roles(&positions);
        if b == 0 {
            data.pins.extend(seats.iter().map(|(id, _, _)| id.clone()));
        }
        let host = host.map(|k| RecordId::new("member", k));
        let recorder = recorder.map(|k| RecordId::new("member", k));
        let mut plan: Vec<(MeetingKind, NaiveDate)> = Vec::new();
        for i in 0..=months {
            let Some(month) = first_month.checked_add_months(chrono::Months::new(i)) else {
                continue;
            };
            let day = |d: u32| month.with_day(d).unwrap_or(month);
            if is_group {
                plan.push((MeetingKind::Group, day(rng.range(10, 20) as u32)));
                continue;
            }
            plan.push((MeetingKind::Committee, day(rng.range(3, 9) as u32)));
            plan.push((MeetingKind::ThemeDay, day(rng.range(12, 26) as u32)));
            if month.month() % 3 == 2 {
                plan.push((MeetingKind::GeneralMeeting, day(rng.range(10, 20) as u32)));
            }
            if month.month() % 3 == 0 {
                plan.push((MeetingKind::Lesson, day(rng.range(5, 25) as u32)));
            }
            if month.month() == 1 {
                plan.push((MeetingKind::LifeMeeting, day(rng.range(15, 28) as u32)));
            }
        }
        // The demo secretary's branch meets today (sign-in open) and in three days.
        if b == 0 {
            plan.push((MeetingKind::ThemeDay, as_of));
            plan.push((MeetingKind::Lesson, as_of + Days::new(3)));
        }
        for (n, (kind, day)) in plan.into_iter().enumerate() {
            let future = day > as_of;
            // A branch or two let a month pass (the grid shows it red): not the
            // secretary's, so the demo's own page stays mostly green.
            if !future && day < as_of && b > 0 && rng.chance(6) {
                continue;
            }
            // Meetings later than the next month are not scheduled yet.
            if day > as_of + Days::new(40) {
                continue;
            }
            let key = format!("mt{:03}{:03}", b, n);
            let id = RecordId::new("meeting", key.as_str());
            let late = !future && day < as_of && rng.chance(5);
            let created = if late {
                day + Days::new(rng.range(2, 9) as u64)
            } else {
                day.checked_sub_days(Days::new(7)).unwrap_or(day)
            }
            .min(as_of);
            let age = (as_of - day).num_days();
            let minutes_state = match age {
                _ if day >= as_of => MinutesState::Empty,
                0..=7 => MinutesState::Draft,
                8..=60 if rng.chance(4) => MinutesState::Draft,
                8..=14 => MinutesState::Submitted,
                _ if rng.chance(4) => MinutesState::Submitted,
                _ => MinutesState::Approved,
            };
            let topic = match kind {
                MeetingKind::Committee => {
                    format!("{}月支委会：研究党员发展与评议工作", day.month())
                }
                MeetingKind::GeneralMeeting => format!("{}季度党员大会", (day.month() - 1) / 3 + 1),
                MeetingKind::LifeMeeting => format!("{}年度组织生活会", day.year() - 1),
                _ => rng.pick(THEMES).to_string(),
            };
            let attendees: Vec<RecordId> = seats
                .iter()
                .filter(|(_, _, p)| kind != MeetingKind::Committee || p.is_committee_seat())
                .map(|(id, _, _)| id.clone())
                .collect();
            let minutes = if minutes_state == MinutesState::Empty {
                String::new()
            } else {
                format!(
                    "会议由主持人宣布开始。\n一、{topic}。\n二、与会党员结合岗位实际交流发言。\n三、部署下一阶段工作。"
                )
            };
            if with_attendance && !future && day < as_of {
                for member in &attendees {
                    // Who hosts and records is there.
                    let runs = Some(member) == host.as_ref() || Some(member) == recorder.as_ref();
                    let roll = if runs { 99 } else { rng.below(100) };
                    let (status, via, reason) = match roll {
                        0..=3 => (Attendance::Absent, SignInVia::Recorder, String::new()),
                        4..=11 => (
                            Attendance::Leave,
                            SignInVia::Recorder,
                            rng.pick(LEAVE_REASONS).to_string(),
                        ),
                        12..=40 => (Attendance::Present, SignInVia::Phone, String::new()),
                        41..=55 => (Attendance::Present, SignInVia::Recorder, String::new()),
                        _ => (Attendance::Present, SignInVia::Tablet, String::new()),
                    };
                    // Half of the secretary's branch's leaves were asked for on the
                    // platform and approved.
                    if b == 0 && status == Attendance::Leave && n % 2 == 0 {
                        data.leave.push(LeaveInsert {
                            id: RecordId::new(
                                "leave_request",
                                attendance_key(&key, &crate::server::key_string(member)),
                            ),
                            meeting: id.clone(),
                            member: member.clone(),
                            reason: reason.clone(),
                            state: LeaveState::Approved,
                            requested_at: at_noon(day - Days::new(2)),
                            decided_by: "secretary".into(),
                            decided_at: Some(at_noon(day - Days::new(1))),
                        });
                    }
                    data.attendance.push(AttendanceInsert {
                        id: RecordId::new(
                            "attendance",
                            attendance_key(&key, &crate::server::key_string(member)),
                        ),
                        meeting: id.clone(),
                        member: member.clone(),
                        status,
                        via,
                        reason,
                        client_id: String::new(),
                        by: "secretary".into(),
                        at: at_noon(day),
                    });
                }
            }
            // The secretary's next 党课: one member (not the demo member, the first plain
            // one) has asked for leave, waiting in the secretary's 待办.
            if with_attendance && b == 0 && !is_group && day == as_of + Days::new(3) {
                let plain: Vec<&RecordId> = seats
                    .iter()
                    .filter(|(id, _, p)| {
                        *p == crate::models::org::Position::Member && attendees.contains(id)
                    })
                    .map(|(id, _, _)| id)
                    .collect();
                if let Some(member) = plain.get(1) {
                    data.leave.push(LeaveInsert {
                        id: RecordId::new(
                            "leave_request",
                            attendance_key(&key, &crate::server::key_string(member)),
                        ),
                        meeting: id.clone(),
                        member: (*member).clone(),
                        reason: "外出进修".into(),
                        state: LeaveState::Pending,
                        requested_at: at_noon(as_of),
                        decided_by: String::new(),
                        decided_at: None,
                    });
                }
            }
            // The first room is the secretary's branch's alone: its tablet shows today's
            // meeting, whatever day of the month the demo is loaded on (on the 3rd another
            // branch's 12:30 committee meeting there came first, and the tablet showed it).
            let (room_key, room_name, _) = *rng.pick(&ROOMS[1..]);
            // The secretary's branch meets in the first room.
            let (room_key, room_name) = if b == 0 && !is_group {
                (ROOMS[0].0, ROOMS[0].1)
            } else {
                (room_key, room_name)
            };
            data.meetings.push(MeetingInsert {
                id,
                org: org.clone(),
                kind,
                day,
                time: if kind == MeetingKind::Committee {
                    "12:30".into()
                } else {
                    "14:30".into()
                },
                topic,
                room: room_name.to_string(),
                place: Some(RecordId::new("room", room_key)),
                agenda: "一、学习传达上级精神\n二、讨论\n三、部署工作".into(),
                late,
                lecturer: if kind == MeetingKind::Lesson {
                    seats
                        .iter()
                        .find(|(id, _, _)| Some(id) == host.as_ref())
                        .map(|(_, name, _)| name.clone())
                        .unwrap_or_default()
                } else {
                    String::new()
                },
                host: host.clone(),
                recorder: recorder.clone(),
                attendees,
                minutes,
                minutes_state,
                approved_by: (minutes_state == MinutesState::Approved).then(|| "secretary".into()),
                created_by: "secretary".into(),
                created_at: at_noon(created),
            });
        }
    }
}

fn at_noon(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    // 12:00 in China is 04:00 UTC.
    day.and_hms_opt(4, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}
