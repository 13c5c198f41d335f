//! Benchmark: grading an exam of 100 questions (issue 15).
//!
//! Loads the generated hospital of `N × 100` branches (default N = 1) into the in-memory
//! database; the committee office puts 120 questions of the four kinds into the
//! committee's bank and sets an exam drawing 100 of them with no limit on attempts; the
//! demo member then, `RUNS` times over HTTP as the page does, starts an attempt (the draw
//! and the questions without keys) and submits it (the keys read, each answer graded and
//! the attempt written, on the server), half of the answers right. Also the grading
//! alone, in process (`models::quiz::is_correct` over 100 questions).
//!
//! ```sh
//! cargo run --release -p tests --bin grade-bench
//! ```

use std::time::{Duration, Instant};

use app::api::quiz::{SaveExam, SaveQuestion, StartAttempt, SubmitAttempt};
use app::models::quiz::{
    Answer, AttemptView, Draw, ExamInput, Key, QuestionInput, QuestionKind, SubmitInput, is_correct,
};
use tests::bench::{Browser, percentile};

const RUNS: usize = 30;
const QUESTIONS: usize = 120;
const ASKED: u16 = 100;

fn question(org: &str, n: usize) -> QuestionInput {
    let (kind, options, key): (&str, Vec<String>, &str) = match n % 4 {
        0 => (
            "single",
            vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()],
            "A",
        ),
        1 => (
            "multiple",
            vec!["甲".into(), "乙".into(), "丙".into()],
            "AC",
        ),
        2 => ("judge", Vec::new(), "对"),
        _ => ("fill", Vec::new(), "三会一课|三会一课制度"),
    };
    QuestionInput {
        org: org.into(),
        kind: kind.into(),
        stem: format!("基准题 {n}：党章规定了什么？"),
        options,
        key: key.into(),
        explanation: "见党章。".into(),
        tags: "基准".into(),
        difficulty: 2,
        ..QuestionInput::default()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn line(name: &str, times: &[Duration]) {
    println!(
        "| {name} | {:.1} ms | {:.1} ms | {:.1} ms |",
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.95)),
        ms(percentile(times, 0.99))
    );
}

#[tokio::main]
async fn main() {
    let factor: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let started = Instant::now();
    let (app, data) = tests::bench::hospital(factor).await;
    println!(
        "loaded SF{factor}: {} members in {:.1?}",
        data.members.len(),
        started.elapsed()
    );
    let committee = data
        .orgs
        .iter()
        .find(|o| o.parent.is_none())
        .map(|o| app::server::key_string(&o.id))
        .expect("a committee");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let office = Browser::sign_in(&base, "office").await;
    let member = Browser::sign_in(&base, "member").await;

    for n in 0..QUESTIONS {
        let _: (_, String) = office
            .call(SaveQuestion {
                input: question(&committee, n),
            })
            .await;
    }
    let (_, exam): (_, String) = office
        .call(SaveExam {
            input: ExamInput {
                org: committee.clone(),
                title: "百题基准测试".into(),
                pass_percent: 60,
                attempts: 0,
                draws: vec![Draw {
                    tag: "基准".into(),
                    difficulty: 0,
                    count: ASKED,
                }],
                ..ExamInput::default()
            },
        })
        .await;

    let mut starts = Vec::with_capacity(RUNS);
    let mut submits = Vec::with_capacity(RUNS);
    let mut percents = Vec::with_capacity(RUNS);
    for _ in 0..=RUNS {
        let (took, attempt): (_, AttemptView) =
            member.call(StartAttempt { exam: exam.clone() }).await;
        assert_eq!(attempt.asked.len(), usize::from(ASKED));
        // Half right: the first option of every choice (right for a single choice and a
        // true/false question, wrong for a multiple one), the key's text in a blank every
        // other time.
        let answers: Vec<Answer> = attempt
            .asked
            .iter()
            .enumerate()
            .map(|(i, q)| match q.kind {
                QuestionKind::Fill => Answer {
                    choices: Vec::new(),
                    text: if i % 2 == 0 {
                        "三会一课".into()
                    } else {
                        "不知道".into()
                    },
                },
                _ => Answer {
                    choices: vec![0],
                    text: String::new(),
                },
            })
            .collect();
        let (took_submit, graded): (_, AttemptView) = member
            .call(SubmitAttempt {
                input: SubmitInput {
                    attempt: attempt.id,
                    answers,
                },
            })
            .await;
        let result = graded.result.expect("graded");
        assert_eq!(result.review.len(), usize::from(ASKED));
        starts.push(took);
        submits.push(took_submit);
        percents.push(result.percent);
    }
    // The first round warmed the caches up: left out.
    starts.remove(0);
    submits.remove(0);
    percents.remove(0);
    starts.sort();
    submits.sort();

    // The grading alone: 100 questions of the four kinds, in process.
    let keys: Vec<(QuestionKind, Key)> = (0..usize::from(ASKED))
        .map(|n| match n % 4 {
            0 => (
                QuestionKind::Single,
                Key {
                    choices: vec![0],
                    accepted: Vec::new(),
                },
            ),
            1 => (
                QuestionKind::Multiple,
                Key {
                    choices: vec![0, 2],
                    accepted: Vec::new(),
                },
            ),
            2 => (
                QuestionKind::Judge,
                Key {
                    choices: vec![0],
                    accepted: Vec::new(),
                },
            ),
            _ => (
                QuestionKind::Fill,
                Key {
                    choices: Vec::new(),
                    accepted: vec!["三会一课".into(), "三会一课制度".into()],
                },
            ),
        })
        .collect();
    let given = Answer {
        choices: vec![0],
        text: "三会一课制度。".into(),
    };
    let mut grading = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let t = Instant::now();
        let right = keys
            .iter()
            .filter(|(kind, key)| is_correct(*kind, key, std::hint::black_box(&given)))
            .count();
        std::hint::black_box(right);
        grading.push(t.elapsed());
    }
    grading.sort();

    println!(
        "\nexam: {ASKED} questions drawn from a bank of {QUESTIONS}; {RUNS} attempts (after one warm-up)"
    );
    println!(
        "scores: {:?}",
        percents.iter().min().zip(percents.iter().max())
    );
    println!("\n| step | p50 | p95 | p99 |");
    println!("|---|---|---|---|");
    line(
        "`start_attempt` (draw 100, send them without keys)",
        &starts,
    );
    line(
        "`submit_attempt` (read 100 keys, grade, write, review)",
        &submits,
    );
    println!(
        "| grading alone, 100 answers (`is_correct`, in process) | {:.3} ms | {:.3} ms | {:.3} ms |",
        ms(percentile(&grading, 0.5)),
        ms(percentile(&grading, 0.95)),
        ms(percentile(&grading, 0.99))
    );
}
