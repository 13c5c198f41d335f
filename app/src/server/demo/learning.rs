//! Learning (issue 15, first step): the demo hospital's courses. The committee publishes
//! three for everyone (one required); the demo secretary's branch publishes one for its
//! members and keeps one as a draft. Each has chapters of short articles written in
//! Markdown, rendered and sanitised as saving them would.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use surrealdb::types::RecordId;

use super::Dataset;
use crate::models::learning::{Category, CourseState, ItemKind};
use crate::models::org::OrgKind;
use crate::server::markdown;
use crate::server::repo::learning::{
    ChapterInsert, CourseInsert, DemoMedia, ItemInsert, course_words, item_words,
};

/// A published course of the committee that every demo member reads.
pub const DEMO_COURSE: &str = "csdemo1";
/// The demo secretary's branch's draft (only its committee and the office see it).
pub const DEMO_DRAFT: &str = "csdemo5";
/// The files of the required course's video and PDF.
pub const DEMO_VIDEO: &str = "fdemovideo1";
pub const DEMO_DOCUMENT: &str = "fdemodoc1";
/// The photo in the required course's first article.
pub const DEMO_IMAGE: &str = "fdemoimage1";

/// One demo course: key, whose (`true`: the committee, `false`: the secretary's branch),
/// published, required, category, title, summary, tags, chapters of (title, articles of
/// (title, Markdown)).
type Course = (
    &'static str,
    bool,
    bool,
    bool,
    Category,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static [(&'static str, &'static str)])],
);

const COURSES: &[Course] = &[
    (
        DEMO_COURSE,
        true,
        true,
        true,
        Category::Theory,
        "学习贯彻党的二十大精神",
        "围绕党的二十大报告的主题、主要内容和对卫生健康工作的要求，分三章学习。",
        &["二十大", "理论学习", "健康中国"],
        &[
            (
                "第一章　大会主题",
                &[
                    (
                        "大会主题与重大意义",
                        "## 大会主题\n\n高举中国特色社会主义伟大旗帜，全面贯彻新时代中国特色社会主义思想，弘扬伟大建党精神，自信自强、守正创新，踔厉奋发、勇毅前行，为全面建设社会主义现代化国家、全面推进中华民族伟大复兴而团结奋斗。\n\n## 学习要点\n\n- 把握大会主题的**政治意义**\n- 联系本职工作谈体会\n- 在支部**三会一课**中交流",
                    ),
                    (
                        "过去五年的工作和新时代十年的伟大变革",
                        "回顾新时代十年，我国卫生健康事业取得历史性成就：\n\n| 方面 | 变化 |\n|---|---|\n| 人均预期寿命 | 稳步提高 |\n| 基本医疗保障 | 覆盖全民 |\n\n> 人民至上、生命至上。",
                    ),
                ],
            ),
            (
                "第二章　推进健康中国建设",
                &[(
                    "把保障人民健康放在优先发展的战略位置",
                    "报告指出，要**推进健康中国建设**，深化医药卫生体制改革，促进医保、医疗、医药协同发展和治理。\n\n作为公立医院的党员，要在以下方面发挥作用：\n\n1. 提升医疗服务质量\n2. 改善患者就医体验\n3. 加强公共卫生服务",
                )],
            ),
        ],
    ),
    (
        "csdemo2",
        true,
        true,
        false,
        Category::Rules,
        "《中国共产党章程》逐章学习",
        "逐章学习党章，熟悉党员的义务和权利、党的组织制度和党的纪律。",
        &["党章", "两学一做"],
        &[(
            "第一章　党员",
            &[
                (
                    "党员的义务",
                    "党章规定党员必须履行八项义务，包括认真学习、贯彻执行党的基本路线和各项方针政策、坚持党和人民的利益高于一切等。\n\n**思考：** 结合临床工作，怎样做到全心全意为人民服务？",
                ),
                (
                    "党员的权利",
                    "党员享有八项权利，例如参加党的有关会议、在党的会议上参加关于党的政策问题的讨论等。\n\n权利和义务是统一的。",
                ),
            ],
        )],
    ),
    (
        "csdemo3",
        true,
        true,
        false,
        Category::Ethics,
        "医德医风专题教育",
        "以案说德、以案明纪，把医德医风建设融入日常诊疗。",
        &["医德医风", "廉洁行医"],
        &[(
            "第一章　廉洁从业九项准则",
            &[(
                "九项准则要点",
                "医疗机构工作人员廉洁从业九项准则要求：\n\n- 合法按劳取酬，不接受商业提成\n- 严守诚信原则，不参与欺诈骗保\n- 依据规范行医，不实施过度诊疗\n\n请在支部主题党日中结合科室实际开展讨论。",
            )],
        )],
    ),
    (
        "csdemo4",
        false,
        true,
        false,
        Category::Other,
        "支部书记讲党课：党建引领科室发展",
        "本支部书记的专题党课讲稿，供支部党员学习。",
        &["党课", "党建引领"],
        &[(
            "讲稿",
            &[(
                "党建和业务深度融合",
                "## 一、为什么要融合\n\n支部建在科室上，党建工作与医疗业务同谋划、同部署、同落实。\n\n## 二、怎么融合\n\n1. 党员示范岗\n2. 党员先锋队下基层义诊\n3. 把组织生活会开成解决问题的会",
            )],
        )],
    ),
    (
        DEMO_DRAFT,
        false,
        false,
        false,
        Category::History,
        "党史学习（草稿）",
        "支部正在准备的党史学习材料，尚未发布。",
        &["党史"],
        &[],
    ),
];

/// The demo's courses, chapters and articles, changed `days` before `as_of` at 09:00
/// China time (the earlier in the list, the more recent).
pub(super) fn add(data: &mut Dataset, as_of: NaiveDate) {
    let committee = data
        .orgs
        .iter()
        .find(|o| o.kind == OrgKind::Committee)
        .map(|o| o.id.clone());
    let branch = data.branches().first().cloned();
    let (Some(committee), Some(branch)) = (committee, branch) else {
        return;
    };
    for (n, (key, hospital, published, required, category, title, summary, tags, chapters)) in
        COURSES.iter().enumerate()
    {
        let at = moment(as_of, n as u64 + 1);
        let (org, by) = if *hospital {
            (committee.clone(), "office")
        } else {
            (branch.clone(), "secretary")
        };
        let course = RecordId::new("course", *key);
        let tag_list: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        // The committee's courses have covers; the branch's two have none (a course
        // without one is listed as before).
        let cover = hospital.then(|| {
            let file = format!("f{key}cover");
            data.learning.media.push(DemoMedia {
                key: file.clone(),
                org: org.clone(),
                name: format!("{title}封面.png"),
                bytes: crate::server::files::sample_png(
                    400,
                    300,
                    (n as u8).wrapping_mul(37).wrapping_add(11),
                ),
                at,
            });
            RecordId::new("file", file)
        });
        data.learning.courses.push(CourseInsert {
            cover,
            search: course_words(title, summary, &tag_list),
            id: course.clone(),
            org: org.clone(),
            title: title.to_string(),
            summary: summary.to_string(),
            category: *category,
            tags: tag_list,
            state: if *published {
                CourseState::Published
            } else {
                CourseState::Draft
            },
            required: *required,
            created_by: by.into(),
            created_at: at,
            updated_by: by.into(),
            updated_at: at,
            published_at: published.then_some(at),
        });
        for (c, (chapter_title, articles)) in chapters.iter().enumerate() {
            let chapter = RecordId::new("chapter", format!("{key}c{c}"));
            data.learning.chapters.push(ChapterInsert {
                id: chapter.clone(),
                course: course.clone(),
                position: c as i64,
                title: chapter_title.to_string(),
            });
            for (i, (item_title, body)) in articles.iter().enumerate() {
                // The required course's first article shows a photo of the branch's study
                // session, uploaded as the editor uploads one.
                let (body, images) = if *key == DEMO_COURSE && c == 0 && i == 0 {
                    data.learning.media.push(DemoMedia {
                        key: DEMO_IMAGE.into(),
                        org: org.clone(),
                        name: "支部集中学习.png".into(),
                        bytes: crate::server::files::sample_png(640, 360, 7),
                        at,
                    });
                    let shown = format!("{body}\n\n![支部集中学习](/files/{DEMO_IMAGE})");
                    (shown, vec![RecordId::new("file", DEMO_IMAGE)])
                } else {
                    (body.to_string(), Vec::new())
                };
                let html = markdown::render(&body);
                let text = markdown::plain_text(&html);
                data.learning.items.push(ItemInsert {
                    images,
                    search: item_words(item_title, &text),
                    id: RecordId::new("item", format!("{key}c{c}i{i}")),
                    course: course.clone(),
                    chapter: chapter.clone(),
                    position: i as i64,
                    kind: ItemKind::Article,
                    file: None,
                    title: item_title.to_string(),
                    body,
                    text,
                    html,
                    updated_by: by.into(),
                    updated_at: at,
                });
            }
        }
        if *key == DEMO_COURSE {
            add_media(data, &course, &committee, chapters.len(), at);
        }
    }
    add_quiz(data, &committee);
    add_requirements(data, &committee, &branch, as_of);
    add_progress(data, &branch, as_of);
}

/// Progress in every state on the required course, by three members of the secretary's
/// branch (not the demo member, whose journey starts from nothing): one finished every
/// item two days ago (and earned its points), one all but the last, one stopped halfway
/// through the first article. The rest have not started.
fn add_progress(data: &mut Dataset, branch: &RecordId, as_of: NaiveDate) {
    use crate::models::member::Standing;
    use crate::models::org::Position;
    use crate::models::points::PointRule;
    use crate::server::repo::learning::ProgressInsert;
    use crate::server::repo::points::PointInsert;
    let course = RecordId::new("course", DEMO_COURSE);
    let items: Vec<(RecordId, ItemKind, String)> = data
        .learning
        .items
        .iter()
        .filter(|i| i.course == course)
        .map(|i| (i.id.clone(), i.kind, i.title.clone()))
        .collect();
    let readers: Vec<RecordId> = data
        .members
        .iter()
        .filter(|m| {
            m.org == *branch && m.position == Position::Member && m.standing == Standing::Active
        })
        .skip(1)
        .take(3)
        .map(|m| m.id.clone())
        .collect();
    let day = as_of - Days::new(2);
    let at = moment(as_of, 2);
    for (n, member) in readers.iter().enumerate() {
        let finished = match n {
            0 => items.len(),
            1 => items.len().saturating_sub(1),
            _ => 0,
        };
        for (i, (item, kind, title)) in items.iter().enumerate() {
            let done = i < finished;
            if !done && !(n == 2 && i == 0) {
                continue;
            }
            let video = *kind == ItemKind::Video;
            data.learning.progress.push(ProgressInsert {
                id: RecordId::new(
                    "progress",
                    crate::server::repo::learning::progress_key(
                        &crate::server::key_string(item),
                        &crate::server::key_string(member),
                    ),
                ),
                item: item.clone(),
                course: course.clone(),
                member: member.clone(),
                position: if done { 1000 } else { 500 },
                furthest: if done { 1000 } else { 500 },
                opened_at: at,
                updated_at: at,
                completed_at: done.then_some(at),
                seen: (video && done).then(|| (0..100).collect()),
            });
            if done {
                data.learning.points.push(PointInsert::new(
                    member.clone(),
                    PointRule::ItemDone,
                    format!("item:{}", crate::server::key_string(item)),
                    title.clone(),
                    1,
                    day,
                    at,
                ));
            }
        }
    }
}

/// The demo's required learning: the required course for the whole hospital, due in ten
/// days; the required course's quiz for the secretary's branch, three days overdue.
pub const DEMO_REQUIREMENT: &str = "rqdemo1";
pub const DEMO_OVERDUE_REQUIREMENT: &str = "rqdemo2";

fn add_requirements(data: &mut Dataset, committee: &RecordId, branch: &RecordId, as_of: NaiveDate) {
    use crate::server::repo::required::RequirementInsert;
    let at = moment(as_of, 1);
    data.learning.requirements = vec![
        RequirementInsert {
            id: RecordId::new("requirement", DEMO_REQUIREMENT),
            org: committee.clone(),
            title: "学习贯彻党的二十大精神（必学）".into(),
            course: Some(RecordId::new("course", DEMO_COURSE)),
            exam: None,
            targets: vec![committee.clone()],
            due: as_of + Days::new(10),
            updated_by: "office".into(),
            updated_at: at,
        },
        RequirementInsert {
            id: RecordId::new("requirement", DEMO_OVERDUE_REQUIREMENT),
            org: committee.clone(),
            title: "党章知识小测（必考）".into(),
            course: None,
            exam: Some(RecordId::new("exam", DEMO_EXAM)),
            targets: vec![branch.clone()],
            due: as_of - Days::new(3),
            updated_by: "office".into(),
            updated_at: at,
        },
    ];
}

/// The committee's demo exams: the required course's quiz and a timed exam.
pub const DEMO_EXAM: &str = "exdemo1";
pub const DEMO_TIMED_EXAM: &str = "exdemo2";

/// The committee's question bank: (tag, kind, difficulty, stem, options, key, explanation).
type DemoQuestion = (
    &'static str,
    &'static str,
    u8,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
);

const QUESTIONS: &[DemoQuestion] = &[
    (
        "党章",
        "single",
        1,
        "中国共产党党员必须是年满多少岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子？",
        &["十六岁", "十八岁", "二十岁", "二十二岁"],
        "B",
        "党章第一条：年满十八岁。",
    ),
    (
        "党章",
        "single",
        1,
        "预备党员的预备期为多长时间？",
        &["半年", "一年", "两年", "三年"],
        "B",
        "党章第七条：预备党员的预备期为一年。",
    ),
    (
        "党章",
        "judge",
        2,
        "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。",
        &[],
        "对",
        "党章第九条。",
    ),
    (
        "党章",
        "multiple",
        2,
        "党的纪律处分有哪几种？",
        &[
            "警告",
            "严重警告",
            "撤销党内职务",
            "留党察看",
            "开除党籍",
            "降级",
        ],
        "ABCDE",
        "党章第四十条：警告、严重警告、撤销党内职务、留党察看、开除党籍。降级是政务处分。",
    ),
    (
        "党章",
        "fill",
        2,
        "党的最高领导机关，是党的全国代表大会和它所产生的____。",
        &[],
        "中央委员会|中共中央委员会",
        "党章第十条。",
    ),
    (
        "党章",
        "judge",
        1,
        "党员对党的决议和政策如有不同意见，在坚决执行的前提下，可以声明保留，并且可以把自己的意见向党的上级组织直至中央提出。",
        &[],
        "对",
        "党章第四条，党员的权利。",
    ),
    (
        "组织生活",
        "fill",
        1,
        "“三会一课”中的“一课”指的是按时上____。",
        &[],
        "党课",
        "三会一课：支部党员大会、支部委员会、党小组会，按时上党课。",
    ),
    (
        "组织生活",
        "single",
        1,
        "党支部党员大会一般多久召开一次？",
        &["每月", "每季度", "每半年", "每年"],
        "B",
        "《中国共产党支部工作条例（试行）》：党员大会一般每季度召开 1 次。",
    ),
    (
        "组织生活",
        "single",
        1,
        "党小组会一般多久召开一次？",
        &["每月", "每季度", "每半年", "每年"],
        "A",
        "党小组会一般每月召开 1 次。",
    ),
    (
        "组织生活",
        "multiple",
        2,
        "“三会一课”中的“三会”包括哪些？",
        &["支部党员大会", "支部委员会会议", "党小组会", "职工代表大会"],
        "ABC",
        "职工代表大会不属于党的组织生活。",
    ),
    (
        "组织生活",
        "judge",
        1,
        "党支部每月相对固定 1 天开展主题党日。",
        &[],
        "对",
        "《中国共产党支部工作条例（试行）》第十九条。",
    ),
    (
        "组织生活",
        "single",
        2,
        "组织生活会一般多久召开一次？",
        &["每月", "每季度", "每半年", "每年"],
        "D",
        "组织生活会一般每年召开 1 次。",
    ),
];

/// The committee's bank (all of `QUESTIONS`) and two exams: the required course's quiz
/// (five 党章 questions, no time limit, three attempts) and a timed exam of both tags.
fn add_quiz(data: &mut Dataset, committee: &RecordId) {
    use crate::models::quiz::{Draw, ExamInput, QuestionInput, check_question};
    let org = crate::server::key_string(committee);
    for (n, (tag, kind, difficulty, stem, options, key, explanation)) in
        QUESTIONS.iter().enumerate()
    {
        let input = QuestionInput {
            org: org.clone(),
            kind: kind.to_string(),
            stem: stem.to_string(),
            options: options.iter().map(|o| o.to_string()).collect(),
            key: key.to_string(),
            explanation: explanation.to_string(),
            tags: tag.to_string(),
            difficulty: *difficulty,
            ..Default::default()
        };
        let valid = check_question(&input).expect("a demo question is valid");
        data.learning.questions.push((format!("qndemo{n}"), valid));
    }
    let draw = |tag: &str, count| Draw {
        tag: tag.into(),
        difficulty: 0,
        count,
    };
    data.learning.exams.push((
        DEMO_EXAM.into(),
        ExamInput {
            org: org.clone(),
            course: DEMO_COURSE.into(),
            title: "党章知识小测".into(),
            limit_minutes: 0,
            pass_percent: 60,
            attempts: 3,
            draws: vec![draw("党章", 5)],
            ..Default::default()
        },
    ));
    data.learning.exams.push((
        DEMO_TIMED_EXAM.into(),
        ExamInput {
            org,
            title: "年度党内法规知识测试".into(),
            limit_minutes: 10,
            pass_percent: 80,
            attempts: 2,
            draws: vec![draw("党章", 3), draw("组织生活", 3)],
            ..Default::default()
        },
    ));
}

/// The video and the PDF of the demo's required course, in a chapter of their own after
/// its articles: a short generated video (`files::SAMPLE_VIDEO`) and a one-page PDF.
fn add_media(
    data: &mut Dataset,
    course: &RecordId,
    org: &RecordId,
    place: usize,
    at: DateTime<Utc>,
) {
    let chapter = RecordId::new("chapter", format!("{DEMO_COURSE}c{place}"));
    data.learning.chapters.push(ChapterInsert {
        id: chapter.clone(),
        course: course.clone(),
        position: place as i64,
        title: "第四章　视频与原文".into(),
    });
    let media: [(ItemKind, &str, &str, &str, Vec<u8>); 2] = [
        (
            ItemKind::Video,
            DEMO_VIDEO,
            "专题党课视频（示例）",
            "观看要点：\n\n- 结合科室工作谈体会\n- 在支部**三会一课**中交流",
            crate::server::files::SAMPLE_VIDEO.to_vec(),
        ),
        (
            ItemKind::Document,
            DEMO_DOCUMENT,
            "学习材料：报告要点（PDF）",
            "原文材料，可在线阅读或下载。",
            crate::server::files::sample_pdf(&[
                "Zhibu demo: study material",
                "Key points of the report, for the branch's study session.",
            ]),
        ),
    ];
    for (i, (kind, file, title, notes, bytes)) in media.into_iter().enumerate() {
        let html = markdown::render(notes);
        let text = markdown::plain_text(&html);
        let file_id = RecordId::new("file", file);
        data.learning.items.push(ItemInsert {
            search: item_words(title, &text),
            id: RecordId::new("item", format!("{DEMO_COURSE}c{place}i{i}")),
            course: course.clone(),
            chapter: chapter.clone(),
            position: i as i64,
            kind,
            file: Some(file_id),
            images: Vec::new(),
            title: title.to_string(),
            body: notes.to_string(),
            text,
            html,
            updated_by: "office".into(),
            updated_at: at,
        });
        let extension = if kind == ItemKind::Video {
            "webm"
        } else {
            "pdf"
        };
        data.learning.media.push(DemoMedia {
            key: file.to_string(),
            org: org.clone(),
            name: format!("{title}.{extension}"),
            bytes,
            at,
        });
    }
}

/// 09:00 China time `days` before `as_of`.
fn moment(as_of: NaiveDate, days: u64) -> DateTime<Utc> {
    let day = as_of.checked_sub_days(Days::new(days)).unwrap_or(as_of);
    let nine = NaiveTime::from_hms_opt(1, 0, 0).unwrap_or_default();
    day.and_time(nine).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::demo::{DEFAULT_SEED, Scale, generate};

    #[test]
    fn the_required_course_has_readers_in_every_state_with_their_points() {
        let d = generate(
            DEFAULT_SEED,
            Scale::Small,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        let l = &d.learning;
        let items = l
            .items
            .iter()
            .filter(|i| i.course == RecordId::new("course", DEMO_COURSE))
            .count();
        let mut finished: Vec<usize> = Vec::new();
        let mut readers: Vec<&RecordId> = l.progress.iter().map(|p| &p.member).collect();
        readers.dedup();
        for r in &readers {
            let done = l
                .progress
                .iter()
                .filter(|p| p.member == **r && p.completed_at.is_some())
                .count();
            finished.push(done);
        }
        // All, all but one, none (halfway through the first article).
        assert_eq!(finished, vec![items, items - 1, 0]);
        assert!(
            l.progress
                .iter()
                .any(|p| p.completed_at.is_none() && p.position == 500)
        );
        // Each finished item earned its point once.
        assert_eq!(l.points.len(), items + items - 1);
        let mut keys: Vec<&RecordId> = l.points.iter().map(|p| &p.id).collect();
        keys.sort_by_key(|k| crate::server::key_string(k));
        keys.dedup();
        assert_eq!(keys.len(), l.points.len());
    }

    #[test]
    fn the_demo_has_courses_in_every_state_with_safe_articles() {
        let d = generate(
            DEFAULT_SEED,
            Scale::Small,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        let l = &d.learning;
        assert_eq!(l.courses.len(), COURSES.len());
        assert!(l.courses.iter().any(|c| c.state == CourseState::Draft));
        assert!(l.courses.iter().any(|c| c.required));
        assert!(l.items.len() >= 6);
        for item in &l.items {
            assert!(!item.html.contains("<script"), "{}", item.title);
            assert!(!item.text.is_empty());
            assert!(
                l.chapters
                    .iter()
                    .any(|c| c.id == item.chapter && c.course == item.course)
            );
        }
    }
}
