//! The closed loop: a closed past period and the current one, with one indicator tree,
//! tasks in every state, answers with linked records, reviews, returns, and open, overdue
//! and closed rectification items. Branch scores are computed by the same roll-up the
//! reviews use, so the consistency check finds nothing to repair.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use surrealdb::types::RecordId;

use super::{Dataset, Rng};
use crate::models::assessment::{
    AssignmentStatus, Dimension, Hundredths, PeriodStatus, RectificationStatus, StarThresholds,
    TaskStatus,
};
use crate::models::closed_loop::{
    IndicatorView, ItemView, RectificationSource, ReviewedPoints, branch_rollup,
};
use crate::server::key_string;
use crate::server::repo::assessment::{
    AssignmentInsert, BranchScoreInsert, IndicatorInsert, LinkRow, LoopInsert, PeriodInsert,
    RectificationInsert, SubmissionInsert, TaskInsert, score_id,
};

/// A 二级 indicator: name, points, guidance.
type Item = (&'static str, u32, &'static str);

/// 一级 indicators: name, weight, dimension, and their 二级 indicators.
const TREE: &[(&str, u32, Dimension, &[Item])] = &[
    (
        "组织建设",
        30,
        Dimension::Effectiveness,
        &[
            (
                "“三会一课”落实",
                10,
                "按计划召开支部党员大会、支委会、党小组会和讲党课，记录完整得满分；缺一次扣 2 分。",
            ),
            (
                "发展党员规范",
                10,
                "发展程序、时限、材料齐全规范；程序缺项每项扣 3 分。",
            ),
            (
                "支部按期换届",
                10,
                "任期届满按期换届得满分；逾期未换届不得分。",
            ),
        ],
    ),
    (
        "党建业务融合",
        30,
        Dimension::Synergy,
        &[
            (
                "党建引领学科建设",
                10,
                "以党建项目推动科室重点工作，有计划、有成效、有记录。",
            ),
            (
                "医疗质量与安全",
                10,
                "党员在质控、安全生产中发挥示范作用，有具体事例。",
            ),
            (
                "志愿服务与义诊",
                10,
                "全年组织志愿服务或义诊不少于 2 次，每次有记录和照片。",
            ),
        ],
    ),
    (
        "群众满意度",
        20,
        Dimension::Satisfaction,
        &[
            (
                "患者满意度",
                10,
                "以医院患者满意度调查结果为准：≥95% 满分，每低 1 个百分点扣 1 分。",
            ),
            (
                "职工满意度",
                10,
                "以科室职工满意度测评为准：≥90% 满分，每低 1 个百分点扣 1 分。",
            ),
        ],
    ),
    (
        "作风建设",
        20,
        Dimension::Effectiveness,
        &[
            ("廉洁从医", 10, "无违反“九项准则”情况；有查实问题不得分。"),
            (
                "整改落实",
                10,
                "上一考核期整改事项按期销号；每逾期一项扣 2 分。",
            ),
        ],
    ),
];

/// Tasks of the current period: title, 二级 indicator (index in tree order), days from
/// the reference date to the deadline, the state, minimum links.
const TASKS: &[(&str, usize, i64, TaskStatus, i64)] = &[
    (
        "报送第四季度“三会一课”落实情况",
        0,
        14,
        TaskStatus::Published,
        1,
    ),
    (
        "开展“党员先锋岗”医疗质量专项行动",
        4,
        7,
        TaskStatus::Published,
        0,
    ),
    (
        "组织一次志愿服务或义诊活动",
        5,
        -5,
        TaskStatus::Published,
        0,
    ),
    ("报送发展党员工作自查报告", 1, -20, TaskStatus::Published, 1),
    ("开展作风建设专题学习", 8, 20, TaskStatus::Withdrawn, 0),
    ("报送支部换届工作计划", 2, 30, TaskStatus::Draft, 0),
];

fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    date.and_hms_opt(hour, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn tree_of(period: &str, insert: &mut Vec<IndicatorInsert>) -> (Vec<IndicatorView>, Vec<RecordId>) {
    let period_id = RecordId::new("period", period);
    let mut views = Vec::new();
    let mut items = Vec::new();
    let mut ord = 0;
    for (i, (name, weight, dimension, children)) in TREE.iter().enumerate() {
        let parent = RecordId::new("indicator", format!("{period}i{i}"));
        ord += 1;
        insert.push(IndicatorInsert {
            id: parent.clone(),
            period: period_id.clone(),
            parent: None,
            name: (*name).into(),
            weight: i64::from(*weight),
            dimension: *dimension,
            max: 0,
            guidance: String::new(),
            ord,
        });
        let mut view = IndicatorView {
            id: key_string(&parent),
            name: (*name).into(),
            weight: *weight,
            dimension: *dimension,
            items: Vec::new(),
        };
        for (j, (item, points, guidance)) in children.iter().enumerate() {
            let id = RecordId::new("indicator", format!("{period}i{i}{j}"));
            ord += 1;
            insert.push(IndicatorInsert {
                id: id.clone(),
                period: period_id.clone(),
                parent: Some(parent.clone()),
                name: (*item).into(),
                weight: 0,
                dimension: *dimension,
                max: i64::from(*points) * 100,
                guidance: (*guidance).into(),
                ord,
            });
            view.items.push(ItemView {
                id: key_string(&id),
                name: (*item).into(),
                max: points * 100,
                guidance: (*guidance).into(),
            });
            items.push(id);
        }
        views.push(view);
    }
    (views, items)
}

/// Adds the closed loop to the dataset, relative to `as_of`.
/// How many branches' answers carry demo photos, and the photos' names.
const PHOTO_BRANCHES: usize = 3;
const PHOTO_NAMES: [&str; 2] = ["支部活动照片.png", "主题党日合影.png"];

/// A title in quotation marks, the quotation marks inside it made single (“年度‘三会一课’落实”).
fn quoted(title: &str) -> String {
    format!("“{}”", title.replace('“', "‘").replace('”', "’"))
}

fn photo_key(branch: usize, i: usize) -> String {
    format!("fdemo{branch}{i}")
}

/// A generated evidence photo of the demo hospital (its bytes are made and stored at
/// load time: [`super::load_files`]).
#[derive(Clone, Debug)]
pub struct DemoPhoto {
    pub key: String,
    pub org: RecordId,
    pub name: String,
    pub seed: u8,
    pub at: DateTime<Utc>,
}

pub(super) fn add(data: &mut Dataset, rng: &mut Rng, as_of: NaiveDate) {
    let branches = data.branches();
    if branches.is_empty() {
        return;
    }
    let year = as_of.year();
    let mut out = LoopInsert::default();
    let stars = StarThresholds::default();
    let now = at(as_of, 9);
    let member_of = |org: &RecordId| {
        data.members
            .iter()
            .find(|m| &m.org == org)
            .map(|m| (key_string(&m.id), m.name.clone()))
    };
    let mut task_no = 0;
    let mut assignment_no = 0;
    let mut rect_no = 0;
    for (past, period_key) in [
        (true, format!("p{}", year - 1)),
        (false, format!("p{year}")),
    ] {
        let period = RecordId::new("period", period_key.as_str());
        let py = if past { year - 1 } else { year };
        out.periods.push(PeriodInsert {
            id: period.clone(),
            name: format!("{py} 年度党支部考核"),
            starts: NaiveDate::from_ymd_opt(py, 1, 1).unwrap_or(as_of),
            ends: NaiveDate::from_ymd_opt(py, 12, 31).unwrap_or(as_of),
            status: if past {
                PeriodStatus::Closed
            } else {
                PeriodStatus::Open
            },
            stars: stars.0.iter().map(|h| i64::from(*h)).collect(),
            created_at: at(NaiveDate::from_ymd_opt(py, 1, 5).unwrap_or(as_of), 9),
        });
        let (tree, items) = tree_of(&period_key, &mut out.indicators);
        // The past period: one task per 二级 indicator, everything reviewed.
        let plan: Vec<(String, usize, i64, TaskStatus, i64)> = if past {
            TREE.iter()
                .flat_map(|(_, _, _, children)| children.iter())
                .enumerate()
                .map(|(i, (name, _, _))| {
                    (
                        format!("{} 年度{name}工作报送", year - 1),
                        i,
                        -1,
                        TaskStatus::Published,
                        0,
                    )
                })
                .collect()
        } else {
            TASKS
                .iter()
                .map(|(t, i, d, s, l)| ((*t).to_string(), *i, *d, *s, *l))
                .collect()
        };
        let mut reviewed: Vec<(RecordId, ReviewedPoints)> = Vec::new();
        for (title, item, days, status, min_links) in plan {
            task_no += 1;
            let task = RecordId::new("task", format!("k{task_no:04}"));
            let deadline = if past {
                NaiveDate::from_ymd_opt(year - 1, 2 + (item as u32 % 10), 20).unwrap_or(as_of)
            } else if days >= 0 {
                as_of + Days::new(days as u64)
            } else {
                as_of - Days::new(days.unsigned_abs())
            };
            let starts = deadline - Days::new(30);
            // Every other task goes to all branches; the rest to the first ten.
            let targets: Vec<RecordId> = if task_no % 2 == 0 {
                branches.clone()
            } else {
                branches.iter().take(10).cloned().collect()
            };
            let max = TREE
                .iter()
                .flat_map(|(_, _, _, c)| c.iter())
                .nth(item)
                .map_or(1000, |(_, p, _)| p * 100);
            out.tasks.push(TaskInsert {
                id: task.clone(),
                period: period.clone(),
                indicator: items[item].clone(),
                title: title.clone(),
                body: format!(
                    "请各支部按要求完成{}，如实填写完成情况，并关联相关记录。",
                    quoted(&title)
                ),
                targets: targets.clone(),
                members: Vec::new(),
                starts,
                deadline,
                need_text: true,
                min_links,
                min_photos: 0,
                min_files: 0,
                status,
                reason: if status == TaskStatus::Withdrawn {
                    "与医院统一部署的专题学习合并开展".into()
                } else {
                    String::new()
                },
                issuer: None,
                created_by: "office".into(),
                created_at: at(starts, 9),
                published_at: (status != TaskStatus::Draft).then(|| at(starts, 10)),
            });
            if status == TaskStatus::Draft {
                continue;
            }
            for (b, org) in targets.iter().enumerate() {
                assignment_no += 1;
                let id = RecordId::new("assignment", format!("a{assignment_no:06}"));
                // Where this branch stands: the first branch (the demo secretary's) shows
                // each state across the tasks; the others are drawn at random.
                let state = if status == TaskStatus::Withdrawn {
                    AssignmentStatus::Withdrawn
                } else if past {
                    AssignmentStatus::Accepted
                } else if b == 0 {
                    [
                        AssignmentStatus::Pending,
                        AssignmentStatus::Draft,
                        AssignmentStatus::Returned,
                        AssignmentStatus::Accepted,
                    ][task_no % 4]
                } else if days < 0 {
                    *rng.pick(&[
                        AssignmentStatus::Accepted,
                        AssignmentStatus::Accepted,
                        AssignmentStatus::Submitted,
                        AssignmentStatus::Returned,
                        AssignmentStatus::Pending,
                    ])
                } else {
                    *rng.pick(&[
                        AssignmentStatus::Pending,
                        AssignmentStatus::Draft,
                        AssignmentStatus::Submitted,
                        AssignmentStatus::Accepted,
                    ])
                };
                let link = member_of(org).map(|(key, name)| LinkRow {
                    kind: "member".into(),
                    id: key,
                    label: name,
                    org: key_string(org),
                });
                let mut links: Vec<LinkRow> = link.into_iter().collect();
                // The first branches' answers show their photos: two per branch, each
                // linked from several answers (one record, many uses).
                if !past && b < PHOTO_BRANCHES && state != AssignmentStatus::Pending {
                    let i = task_no % PHOTO_NAMES.len();
                    links.push(LinkRow {
                        kind: "photo".into(),
                        id: photo_key(b, i),
                        label: PHOTO_NAMES[i].into(),
                        org: key_string(org),
                    });
                }
                let text = format!("本支部已完成{}，具体情况见关联记录。", quoted(&title));
                let answered = matches!(
                    state,
                    AssignmentStatus::Submitted
                        | AssignmentStatus::Returned
                        | AssignmentStatus::Accepted
                );
                let score: Option<i64> = match state {
                    AssignmentStatus::Accepted => {
                        Some(rng.range(i64::from(max) * 7 / 10, i64::from(max)))
                    }
                    AssignmentStatus::Returned => Some(rng.range(0, i64::from(max) / 2)),
                    _ => None,
                };
                if let Some(s) = score {
                    reviewed.push((
                        org.clone(),
                        (key_string(&items[item]), key_string(&task), s as Hundredths),
                    ));
                }
                let submitted_at = at(deadline - Days::new(3), 15);
                if answered {
                    let decision = match state {
                        AssignmentStatus::Accepted => Some("accept".to_string()),
                        AssignmentStatus::Returned => Some("return".to_string()),
                        _ => None,
                    };
                    let comment = match state {
                        AssignmentStatus::Returned => {
                            "材料不完整：缺少会议记录，请补充后重新提交。".to_string()
                        }
                        AssignmentStatus::Accepted => "材料齐全，完成较好。".to_string(),
                        _ => String::new(),
                    };
                    out.submissions.push(SubmissionInsert {
                        assignment: id.clone(),
                        version: 1,
                        text: text.clone(),
                        links: links.clone(),
                        submitted_by: "secretary".into(),
                        submitted_at,
                        reviewer: decision.as_ref().map(|_| "office".to_string()),
                        reviewed_at: decision.as_ref().map(|_| at(deadline - Days::new(1), 10)),
                        decision,
                        score,
                        comment: comment.clone(),
                    });
                    if state == AssignmentStatus::Returned {
                        rect_no += 1;
                        out.rectifications.push(RectificationInsert {
                            id: RecordId::new("rectification", format!("r{rect_no:04}")),
                            period: period.clone(),
                            org: org.clone(),
                            source: RectificationSource::Return,
                            assignment: Some(id.clone()),
                            problem: format!("{title}：{comment}"),
                            required: comment.clone(),
                            owner: String::new(),
                            deadline: as_of + Days::new(7) - Days::new(rng.range(0, 14) as u64),
                            status: RectificationStatus::Open,
                            answer: String::new(),
                            note: String::new(),
                            created_by: "office".into(),
                            created_at: at(deadline - Days::new(1), 10),
                            updated_at: at(deadline - Days::new(1), 10),
                        });
                    }
                }
                out.assignments.push(AssignmentInsert {
                    id,
                    task: task.clone(),
                    period: period.clone(),
                    indicator: items[item].clone(),
                    org: org.clone(),
                    member: None,
                    status: state,
                    deadline,
                    version: i64::from(answered),
                    score,
                    text: if state == AssignmentStatus::Draft {
                        "（草稿）已召开支委会研究部署，待补充会议记录。".into()
                    } else if answered {
                        text
                    } else {
                        String::new()
                    },
                    links: if state == AssignmentStatus::Pending {
                        Vec::new()
                    } else {
                        links
                    },
                    updated_at: now,
                });
            }
        }
        // A task to members: six members of the first branch (the demo member among
        // them) each write their own learning reflections.
        if !past {
            task_no += 1;
            let task = RecordId::new("task", format!("k{task_no:04}"));
            let org = branches[0].clone();
            let mut members: Vec<RecordId> = data
                .members
                .iter()
                .filter(|m| m.org == org)
                .take(5)
                .map(|m| m.id.clone())
                .collect();
            // The demo member account's record (the branch's first ordinary member).
            if let Some(m) = data.members.iter().find(|m| {
                m.org == org && m.position == crate::models::org::Position::Member.as_str()
            }) && !members.contains(&m.id)
            {
                members.push(m.id.clone());
            }
            let deadline = as_of + Days::new(12);
            let title = "撰写个人学习心得（党员个人任务）".to_string();
            out.tasks.push(TaskInsert {
                id: task.clone(),
                period: period.clone(),
                indicator: items[0].clone(),
                title,
                body: "请每位党员结合本职工作撰写一篇学习心得（不少于 500 字），在本任务中提交。"
                    .into(),
                targets: Vec::new(),
                members: members.clone(),
                starts: deadline - Days::new(30),
                deadline,
                need_text: true,
                min_links: 0,
                min_photos: 0,
                min_files: 0,
                status: TaskStatus::Published,
                reason: String::new(),
                issuer: None,
                created_by: "office".into(),
                created_at: at(deadline - Days::new(30), 9),
                published_at: Some(at(deadline - Days::new(30), 10)),
            });
            for member in members {
                assignment_no += 1;
                out.assignments.push(AssignmentInsert {
                    id: RecordId::new("assignment", format!("a{assignment_no:06}")),
                    task: task.clone(),
                    period: period.clone(),
                    indicator: items[0].clone(),
                    org: org.clone(),
                    member: Some(member),
                    status: AssignmentStatus::Pending,
                    deadline,
                    version: 0,
                    score: None,
                    text: String::new(),
                    links: Vec::new(),
                    updated_at: now,
                });
            }
        }
        // A task the first general branch (内科党总支, the demo account `general`) issued to
        // its own branches: every other one has answered and waits for its review.
        if !past
            && let Some(general) = data
                .orgs
                .iter()
                .find(|o| o.kind == crate::models::org::OrgKind::GeneralBranch)
        {
            let ours: Vec<RecordId> = data
                .orgs
                .iter()
                .filter(|o| {
                    o.kind == crate::models::org::OrgKind::Branch
                        && o.parent.as_ref() == Some(&general.id)
                })
                .map(|o| o.id.clone())
                .collect();
            task_no += 1;
            let task = RecordId::new("task", format!("k{task_no:04}"));
            let deadline = as_of + Days::new(9);
            let title = format!("{}：科室党建与业务融合案例报送", general.name);
            out.tasks.push(TaskInsert {
                id: task.clone(),
                period: period.clone(),
                indicator: items[1].clone(),
                title: title.clone(),
                body: "请各支部报送一项党建引领业务工作的案例，附相关记录。".into(),
                targets: ours.clone(),
                members: Vec::new(),
                starts: deadline - Days::new(20),
                deadline,
                need_text: true,
                min_links: 0,
                min_photos: 0,
                min_files: 0,
                status: TaskStatus::Published,
                reason: String::new(),
                issuer: Some(general.id.clone()),
                created_by: "general".into(),
                created_at: at(deadline - Days::new(20), 9),
                published_at: Some(at(deadline - Days::new(20), 10)),
            });
            for (i, org) in ours.iter().enumerate() {
                assignment_no += 1;
                let id = RecordId::new("assignment", format!("a{assignment_no:06}"));
                let answered = i % 2 == 1;
                let text = format!("本支部报送{}案例一项，详见正文。", quoted(&title));
                if answered {
                    out.submissions.push(SubmissionInsert {
                        assignment: id.clone(),
                        version: 1,
                        text: text.clone(),
                        links: Vec::new(),
                        submitted_by: "secretary".into(),
                        submitted_at: at(deadline - Days::new(4), 16),
                        decision: None,
                        score: None,
                        comment: String::new(),
                        reviewer: None,
                        reviewed_at: None,
                    });
                }
                out.assignments.push(AssignmentInsert {
                    id,
                    task: task.clone(),
                    period: period.clone(),
                    indicator: items[1].clone(),
                    org: org.clone(),
                    member: None,
                    status: if answered {
                        AssignmentStatus::Submitted
                    } else {
                        AssignmentStatus::Pending
                    },
                    deadline,
                    version: i64::from(answered),
                    score: None,
                    text: if answered { text } else { String::new() },
                    links: Vec::new(),
                    updated_at: now,
                });
            }
        }
        // Findings from inspections: one overdue and one closed in the current period.
        if !past {
            for (i, (problem, days, state)) in [
                (
                    "支部党员活动室宣传栏内容未及时更新",
                    -3i64,
                    RectificationStatus::Open,
                ),
                (
                    "组织生活会会议记录缺少签到表",
                    -10,
                    RectificationStatus::Closed,
                ),
                (
                    "党费收缴台账个别月份未签字",
                    10,
                    RectificationStatus::Answered,
                ),
            ]
            .into_iter()
            .enumerate()
            {
                rect_no += 1;
                let deadline = if days >= 0 {
                    as_of + Days::new(days as u64)
                } else {
                    as_of - Days::new(days.unsigned_abs())
                };
                out.rectifications.push(RectificationInsert {
                    id: RecordId::new("rectification", format!("r{rect_no:04}")),
                    period: period.clone(),
                    org: branches[i % branches.len()].clone(),
                    source: RectificationSource::Finding,
                    assignment: None,
                    problem: problem.into(),
                    required: "限期整改并上传整改说明。".into(),
                    owner: String::new(),
                    deadline,
                    status: state,
                    answer: if state == RectificationStatus::Open {
                        String::new()
                    } else {
                        "已整改完毕，相关记录已补齐。".into()
                    },
                    note: if state == RectificationStatus::Closed {
                        "复核通过，予以销号。".into()
                    } else {
                        String::new()
                    },
                    created_by: "office".into(),
                    created_at: at(deadline - Days::new(14), 9),
                    updated_at: now,
                });
            }
        }
        // Branch scores by the reviews' own roll-up.
        for org in &branches {
            let mine: Vec<ReviewedPoints> = reviewed
                .iter()
                .filter(|(o, _)| o == org)
                .map(|(_, points)| points.clone())
                .collect();
            if mine.is_empty() {
                continue;
            }
            let r = branch_rollup(&tree, &mine);
            out.scores.push(BranchScoreInsert {
                id: score_id(&period, org),
                period: period.clone(),
                org: org.clone(),
                total: i64::from(r.total),
                effectiveness: i64::from(r.effectiveness),
                synergy: i64::from(r.synergy),
                satisfaction: i64::from(r.satisfaction),
                stars: i64::from(stars.stars(r.total)),
                rev: 1,
                updated_at: now,
            });
        }
    }
    data.assessment = out;
    for (b, org) in branches.iter().take(PHOTO_BRANCHES).enumerate() {
        for (i, name) in PHOTO_NAMES.iter().enumerate() {
            data.photos.push(DemoPhoto {
                key: photo_key(b, i),
                org: org.clone(),
                name: (*name).into(),
                seed: (b * PHOTO_NAMES.len() + i) as u8,
                at: now,
            });
        }
    }
}
