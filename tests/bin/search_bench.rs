//! Benchmark: the course search over 100,000 articles (issue 15: p50 < 50 ms).
//!
//! Loads the generated hospital (SF1) on the in-memory engine, then 1,000 published
//! courses of the hospital's committee with 100 articles each, written from the
//! sentences of the labelled search set (`tests/fixtures/search/labelled.json`), indexed
//! as saving them would (`item_words`, `course_words`). A demo member (whose branch lies
//! below the committee, so every course is theirs to read) then asks `list_courses` over
//! HTTP for each labelled query and a few common words, 20 times each. Run it with
//!
//! ```sh
//! cargo run --release -p tests --bin search-bench [articles]
//! ```
//!
//! Settings (environment): `SEARCH_BENCH_CORPUS=topical` writes each article mostly from
//! its course's own topic (five sentences of six), as real courses keep to a subject;
//! unset (mixed), every sentence comes from anywhere, so nearly every word is in most
//! courses (the worst case). `SEARCH_BENCH_PER_COURSE` sets the articles a course (100).
//! `SEARCH_PROBE=1` first times the parts of a search one by one.

use std::time::{Duration, Instant};

use app::api::learning::ListCourses;
use app::models::learning::{Category, CoursePage, CourseQuery, CourseState, ItemKind};
use app::server::repo::learning::{
    ChapterInsert, CourseInsert, DemoContent, ItemInsert, course_words, item_words,
};
use surrealdb::types::RecordId;
use tests::bench::{Browser, percentile};

/// Articles a course (one chapter: the most a chapter holds); `SEARCH_BENCH_PER_COURSE`
/// changes it (fewer articles a course: more courses for the same articles).
fn per_course() -> usize {
    std::env::var("SEARCH_BENCH_PER_COURSE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}
/// Courses written in one transaction.
const BATCH: usize = 20;
const ROUNDS: usize = 20;

#[derive(serde::Deserialize)]
struct Labelled {
    courses: Vec<LabelledCourse>,
    queries: Vec<(String, Vec<String>)>,
}

#[derive(serde::Deserialize)]
struct LabelledCourse {
    title: String,
    articles: Vec<(String, String)>,
}

/// A small deterministic generator (the same articles every run).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn content(
    set: &Labelled,
    first: usize,
    courses: usize,
    org: &RecordId,
    rng: &mut Rng,
) -> DemoContent {
    let sentences: Vec<&str> = set
        .courses
        .iter()
        .flat_map(|c| c.articles.iter())
        .flat_map(|(_, body)| body.split_inclusive('。'))
        .collect();
    let topical = std::env::var("SEARCH_BENCH_CORPUS").is_ok_and(|c| c == "topical");
    let titles: Vec<&str> = set
        .courses
        .iter()
        .flat_map(|c| c.articles.iter().map(|(t, _)| t.as_str()))
        .collect();
    let now = chrono::Utc::now();
    let mut out = DemoContent::default();
    for n in first..first + courses {
        let topic = &set.courses[n % set.courses.len()];
        let course = RecordId::new("course", format!("sb{n}"));
        let title = format!("{}（第{}期）", topic.title, n + 1);
        let summary = format!("{}专题学习材料。", topic.title);
        out.courses.push(CourseInsert {
            cover: None,
            search: course_words(&title, &summary, &[]),
            id: course.clone(),
            org: org.clone(),
            title,
            summary,
            category: Category::Theory,
            tags: Vec::new(),
            state: CourseState::Published,
            required: false,
            created_by: "bench".into(),
            created_at: now,
            updated_by: "bench".into(),
            updated_at: now,
            published_at: Some(now),
        });
        let chapter = RecordId::new("chapter", format!("sb{n}c0"));
        out.chapters.push(ChapterInsert {
            id: chapter.clone(),
            course: course.clone(),
            position: 0,
            title: "第一章".into(),
        });
        // Topical: five of an article's six sentences are its course's topic's, one from
        // anywhere (as real courses keep to their subject); mixed: all six from anywhere.
        let own: Vec<&str> = topic
            .articles
            .iter()
            .flat_map(|(_, body)| body.split_inclusive('。'))
            .collect();
        for i in 0..per_course() {
            let title = if topical {
                &topic.articles[rng.below(topic.articles.len())].0
            } else {
                titles[rng.below(titles.len())]
            };
            let title = format!("{title}（{}）", i + 1);
            let text: String = (0..6)
                .map(|s| {
                    if topical && s < 5 {
                        own[rng.below(own.len())]
                    } else {
                        sentences[rng.below(sentences.len())]
                    }
                })
                .collect();
            out.items.push(ItemInsert {
                images: Vec::new(),
                search: item_words(&title, &text),
                id: RecordId::new("item", format!("sb{n}i{i}")),
                course: course.clone(),
                chapter: chapter.clone(),
                position: i as i64,
                kind: ItemKind::Article,
                file: None,
                title,
                body: text.clone(),
                html: format!("<p>{text}</p>"),
                text,
                updated_by: "bench".into(),
                updated_at: now,
            });
        }
    }
    out
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let articles: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let courses = articles.div_ceil(per_course());
    let set: Labelled =
        serde_json::from_str(include_str!("../fixtures/search/labelled.json")).expect("the set");
    let started = Instant::now();
    let (app, data) = tests::bench::hospital(1).await;
    let state = app.state().clone();
    let committee = data
        .orgs
        .iter()
        .find(|o| o.kind == app::models::org::OrgKind::Committee.as_str())
        .map(|o| o.id.clone())
        .expect("the committee");
    println!("loaded SF1 in {:.1?}", started.elapsed());

    let started = Instant::now();
    let mut rng = Rng(2026);
    for first in (0..courses).step_by(BATCH) {
        let batch = content(
            &set,
            first,
            BATCH.min(courses - first),
            &committee,
            &mut rng,
        );
        app::server::repo::learning::insert_many(&state.db, &batch)
            .await
            .expect("articles stored");
    }
    let took = started.elapsed();
    println!(
        "wrote and indexed {courses} courses, {} articles in {took:.1?} ({:.0} articles/s)",
        courses * per_course(),
        (courses * per_course()) as f64 / took.as_secs_f64()
    );

    if std::env::var("SEARCH_PROBE").is_ok() {
        probe(&state.db).await;
    }
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let member = Browser::sign_in(&base, "member").await;
    let mut queries: Vec<(String, &str)> = set
        .queries
        .iter()
        .map(|(q, _)| (q.clone(), "labelled"))
        .collect();
    // Words in many articles: the most work a query can ask for.
    for q in ["党员", "支部", "学习", "党员 支部"] {
        queries.push((q.to_string(), "common"));
    }
    // One warm-up round, not reported.
    for (q, _) in &queries {
        let _: (Duration, CoursePage) = member.call(ask(q)).await;
    }
    let mut all = Vec::new();
    println!("| query | kind | courses found | p50 | p95 | max |");
    println!("|---|---|---|---|---|---|");
    for (q, kind) in &queries {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..ROUNDS {
            let (took, page): (Duration, CoursePage) = member.call(ask(q)).await;
            times.push(took);
            total = page.total;
        }
        times.sort();
        println!(
            "| {q} | {kind} | {total} | {:.1?} | {:.1?} | {:.1?} |",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times[times.len() - 1]
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "all {} searches over {} articles: p50 {:.1?}, p95 {:.1?}, p99 {:.1?}, max {:.1?}",
        all.len(),
        courses * per_course(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        all[all.len() - 1]
    );
}

fn ask(q: &str) -> ListCourses {
    ListCourses {
        query: CourseQuery {
            q: q.into(),
            category: String::new(),
            page: 1,
        },
    }
}

/// Times the parts of a search one by one (`SEARCH_PROBE=1`): where the time of a query
/// goes, printed as a table.
async fn probe(db: &app::server::Db) {
    let parts: [(&str, &str); 8] = [
        (
            "count matched",
            "SELECT count() FROM course_text WHERE deep @1@ $w GROUP ALL",
        ),
        (
            "in reach, unscored",
            "SELECT course FROM course_text WHERE deep @1@ $w
             AND state = 'published' LIMIT 500",
        ),
        (
            "match only",
            "SELECT VALUE course FROM course_text WHERE deep @1@ $w",
        ),
        (
            "scored in reach",
            "SELECT course, search::score(1) AS score FROM course_text WHERE deep @1@ $w
             AND state = 'published' ORDER BY score DESC LIMIT 500",
        ),
        (
            "scored",
            "SELECT course, search::score(1) AS score FROM course_text WHERE deep @1@ $w",
        ),
        (
            "scored, ordered",
            "SELECT course, search::score(1) AS score FROM course_text WHERE deep @1@ $w
             ORDER BY score DESC LIMIT 5000",
        ),
        (
            "courses read",
            "SELECT VALUE id FROM course WHERE state = 'published'",
        ),
        (
            "containing",
            "SELECT VALUE id FROM course WHERE string::contains(title, $w)
             OR string::contains(summary, $w) ORDER BY updated_at DESC LIMIT 500",
        ),
    ];
    let parts: Vec<(String, String)> = parts
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    println!("| probe | words | rows | p50 |");
    println!("|---|---|---|---|");
    for w in ["三会一课", "党员", "支部"] {
        for (name, sql) in &parts {
            let mut times = Vec::new();
            let mut rows = 0;
            for _ in 0..10 {
                let started = Instant::now();
                let mut res = db
                    .query(sql.as_str())
                    .bind(("w", w.to_string()))
                    .await
                    .expect("probe")
                    .check()
                    .expect("probe");
                let v: surrealdb::types::Value = res.take(0).expect("rows");
                times.push(started.elapsed());
                rows = match v {
                    surrealdb::types::Value::Array(a) => a.len(),
                    _ => 1,
                };
            }
            times.sort();
            println!(
                "| {name} | {w} | {rows} | {:.1?} |",
                percentile(&times, 0.5)
            );
        }
    }
}
