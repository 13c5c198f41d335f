//! Orchestration behind the quiz server functions (`crate::api::quiz`, issue 15).
//!
//! Who may do what follows the courses (`service::learning`): a bank and its exams belong
//! to an organisation and are changed by whoever may change that organisation's courses;
//! an exam is taken by the members who read that organisation's published courses (a
//! course's quiz also only while its course is readable to them). An attempt is its
//! member's alone. Keys leave the server only to the bank's editors and in an attempt's
//! review after it was submitted.

use chrono::Duration;
use surrealdb::types::RecordId;

use crate::error::AppError;
use crate::i18n::T;
use crate::models::audit::{Outcome, action, china_offset};
use crate::models::learning::CourseState;
use crate::models::org::is_valid_key;
use crate::models::page_start;
use crate::models::quiz::{
    Answer, Asked, AttemptResult, AttemptRow, AttemptView, Draw, ExamInput, ExamResultRow,
    ExamView, GRACE_SECONDS, QUESTION_PAGE, QuestionImport, QuestionImportInput, QuestionInput,
    QuestionPage, QuestionQuery, QuestionRow, QuizProblem, Reviewed, SubmitInput, check_exam,
    check_question, is_correct, key_text, score,
};
use crate::server::audit::Event;
use crate::server::repo::quiz::{AttemptDb, ExamDb, QuestionDb};
use crate::server::service::learning::{
    can_edit, china_minute, member, publishers, readable, readable_course, readable_item,
};
use crate::server::{Ctx, db_error, fail, invalid, key_string, new_key, question_import, repo};

fn problem(ctx: &Ctx, p: QuizProblem) -> AppError {
    invalid(p.field(), ctx.lang.t(p.text()).to_string())
}

/// The organisation `org` if the caller may keep a bank or set exams there.
pub(crate) async fn publisher_org(ctx: &Ctx, org: &str) -> Result<RecordId, AppError> {
    if org.is_empty() || !is_valid_key(org) {
        return Err(invalid("org", ctx.lang.t(T::LnErrOrg).to_string()));
    }
    if !publishers(ctx).await?.iter().any(|p| p.id == org) {
        if !ctx.scope.org(org) {
            return Err(ctx.deny("org", org).await);
        }
        return Err(invalid("org", ctx.lang.t(T::LnErrOrg).to_string()));
    }
    Ok(RecordId::new("org", org))
}

/// One page of the bank of the organisations the caller may publish for (or of one).
pub async fn list_questions(ctx: &Ctx, query: QuestionQuery) -> Result<QuestionPage, AppError> {
    let page = query.page.max(1);
    let publishers = publishers(ctx).await?;
    let orgs: Vec<RecordId> = if query.org.trim().is_empty() {
        publishers
            .iter()
            .map(|p| RecordId::new("org", p.id.as_str()))
            .collect()
    } else {
        vec![publisher_org(ctx, query.org.trim()).await?]
    };
    let (rows, total) = repo::quiz::questions_of_bank(
        &ctx.state.db,
        orgs,
        query.tag.trim().to_string(),
        crate::models::clip(query.q.trim(), 50),
        page_start(page, QUESTION_PAGE),
        i64::from(QUESTION_PAGE),
    )
    .await
    .map_err(db_error)?;
    Ok(QuestionPage {
        rows: rows
            .into_iter()
            .map(|q| {
                let key = q.answer_key.key();
                QuestionRow {
                    id: key_string(&q.id),
                    org: key_string(&q.org),
                    key: key_text(q.kind, &key),
                    kind: q.kind,
                    stem: q.stem,
                    options: q.options,
                    explanation: q.explanation,
                    tags: q.tags,
                    difficulty: u8::try_from(q.difficulty).unwrap_or(1),
                }
            })
            .collect(),
        total: u32::try_from(total).unwrap_or(u32::MAX),
        page,
        publishers,
    })
}

/// Adds a question to a bank or changes one. Returns its key.
pub async fn save_question(ctx: &Ctx, input: QuestionInput) -> Result<String, AppError> {
    let mut valid = check_question(&input).map_err(|p| problem(ctx, p))?;
    let (key, new) = if valid.id.is_empty() {
        publisher_org(ctx, &valid.org).await?;
        (new_key("qn"), true)
    } else {
        let found = if is_valid_key(&valid.id) {
            repo::quiz::question(&ctx.state.db, &valid.id)
                .await
                .map_err(db_error)?
        } else {
            None
        };
        match found {
            Some(q) if can_edit(ctx, &q.org) => {
                valid.org = key_string(&q.org);
                (key_string(&q.id), false)
            }
            None if ctx.scope.is_all() => return Err(fail(AppError::NotFound)),
            _ => return Err(ctx.deny("question", &valid.id).await),
        }
    };
    let event = Event::new(
        if new { action::CREATE } else { action::UPDATE },
        Outcome::Success,
    )
    .on("question", key.clone())
    .summary(crate::models::clip(&valid.stem, 40));
    let change = repo::quiz::save_question(key.clone(), new, valid, ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// Removes a question from its bank, unless an attempt drew it (its review shows it).
pub async fn delete_question(ctx: &Ctx, id: &str) -> Result<(), AppError> {
    let id = id.trim();
    if !is_valid_key(id) {
        return Err(invalid("id", ctx.lang.t(T::QzErrWhichQuestion).to_string()));
    }
    let found = repo::quiz::question(&ctx.state.db, id)
        .await
        .map_err(db_error)?;
    let q = match found {
        Some(q) if can_edit(ctx, &q.org) => q,
        None if ctx.scope.is_all() => return Err(fail(AppError::NotFound)),
        _ => return Err(ctx.deny("question", id).await),
    };
    if repo::quiz::question_used(&ctx.state.db, q.id.clone())
        .await
        .map_err(db_error)?
    {
        return Err(invalid("id", ctx.lang.t(T::QzErrUsed).to_string()));
    }
    let key = key_string(&q.id);
    let event = Event::new(action::DELETE, Outcome::Success)
        .on("question", key.clone())
        .summary(crate::models::clip(&q.stem, 40));
    ctx.commit(&event, &repo::quiz::delete_question(key)).await
}

/// Checks an uploaded `.xlsx` of questions for `org`'s bank and, when asked and every row
/// passes, writes them all in one transaction (with one audit entry); with any problem,
/// nothing. The file must be one of `org`'s own files.
pub async fn import_questions(
    ctx: &Ctx,
    input: QuestionImportInput,
) -> Result<QuestionImport, AppError> {
    let org = publisher_org(ctx, input.org.trim()).await?;
    let no_file = || invalid("file", ctx.lang.t(T::QiErrFile).to_string());
    let key = input.file.trim();
    if key.is_empty() || !is_valid_key(key) {
        return Err(no_file());
    }
    let file = crate::server::scope::record::file(ctx, key).await?;
    if file.org != org || file.file_type != crate::models::files::FileType::Xlsx {
        return Err(no_file());
    }
    let bytes = ctx
        .state
        .files
        .get(&file.sha256, false)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "an uploaded question file is missing from the store");
            fail(AppError::Internal)
        })?;
    let (org_key, lang) = (key_string(&org), ctx.lang);
    // CPU work, off the async workers; a reader panic on a crafted file is a refusal.
    let parsed = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            question_import::parse(&bytes, &org_key, lang)
        }))
        .unwrap_or(Err(question_import::Refused::File(
            crate::server::import::FileProblem::NotXlsx,
        )))
    })
    .await
    .map_err(|_| fail(AppError::Internal))?
    .map_err(|r| invalid("file", r.message(ctx.lang)))?;
    let mut report = QuestionImport {
        rows: parsed.rows,
        ready: u32::try_from(parsed.ready.len()).unwrap_or(u32::MAX),
        problem_count: parsed.problem_count,
        problems: parsed.problems,
        imported: 0,
    };
    if !input.commit || report.problem_count > 0 || parsed.ready.is_empty() {
        return Ok(report);
    }
    let event = Event::new(action::CREATE, Outcome::Success)
        .on("question", "")
        .summary(format!(
            "imported {} questions from {}",
            report.ready,
            crate::models::clip(&file.name, 60)
        ));
    let rows = parsed
        .ready
        .into_iter()
        .map(|q| (new_key("qn"), q))
        .collect();
    let change = repo::quiz::insert_questions(rows, ctx.stamp());
    ctx.commit(&event, &change).await?;
    report.imported = report.ready;
    Ok(report)
}

/// Sets up an exam (or a course's quiz) or changes one. Returns its key.
pub async fn save_exam(ctx: &Ctx, input: ExamInput) -> Result<String, AppError> {
    let mut valid = check_exam(&input).map_err(|p| problem(ctx, p))?;
    // An item's quiz is its item's course's: taken from the item, or refused when another.
    let item_course = if valid.item.is_empty() {
        None
    } else {
        let course = item_course(ctx, &valid.item).await?;
        let key = key_string(&course.id);
        if valid.course.is_empty() {
            valid.course = key;
        } else if valid.course != key {
            return Err(problem(ctx, QuizProblem::Item));
        }
        Some(course)
    };
    // A course's quiz is its course's organisation's (whatever organisation was chosen).
    let course_org = match item_course {
        Some(course) => Some(course.org),
        None if valid.course.is_empty() => None,
        None => {
            let (course, edit) = readable_course(ctx, &valid.course).await?;
            if !edit {
                return Err(ctx.deny("course", &valid.course).await);
            }
            Some(course.org)
        }
    };
    let (key, new, org) = if valid.id.is_empty() {
        let org = match course_org.clone() {
            Some(org) => org,
            None => publisher_org(ctx, &valid.org).await?,
        };
        valid.org = key_string(&org);
        (new_key("ex"), true, org)
    } else {
        let exam = editable_exam(ctx, &valid.id).await?;
        if course_org.as_ref().is_some_and(|o| *o != exam.org) {
            return Err(invalid("course", ctx.lang.t(T::QzErrCourse).to_string()));
        }
        valid.org = key_string(&exam.org);
        (key_string(&exam.id), false, exam.org)
    };
    for draw in &valid.draws {
        let have = repo::quiz::bank_count(&ctx.state.db, org.clone(), draw)
            .await
            .map_err(db_error)?;
        if have < i64::from(draw.count) {
            let have = u32::try_from(have).unwrap_or(0);
            return Err(invalid(
                "draws",
                ctx.lang
                    .t(T::QzErrBankShort(have, u32::from(draw.count)))
                    .to_string(),
            ));
        }
    }
    let event = Event::new(
        if new { action::CREATE } else { action::UPDATE },
        Outcome::Success,
    )
    .on("exam", key.clone())
    .summary(valid.title.clone());
    let change = repo::quiz::save_exam(key.clone(), new, valid, ctx.stamp());
    ctx.commit(&event, &change).await?;
    Ok(key)
}

/// The course of the item `id` if the caller may change it (an item out of reach, or of a
/// course they only read, is refused as that item; an unknown one named as the field).
async fn item_course(
    ctx: &Ctx,
    id: &str,
) -> Result<crate::server::repo::learning::CourseDb, AppError> {
    match readable_item(ctx, id).await {
        Ok((_, course, true)) => Ok(course),
        Ok(_) => Err(ctx.deny("item", id).await),
        Err(AppError::NotFound) => Err(problem(ctx, QuizProblem::Item)),
        Err(e) => Err(e),
    }
}

/// The exam `id` if the caller may take it (and whether they may change it).
async fn readable_exam(ctx: &Ctx, id: &str) -> Result<(ExamDb, bool), AppError> {
    if id.is_empty() {
        return Err(invalid("exam", ctx.lang.t(T::QzErrWhich).to_string()));
    }
    let found = if is_valid_key(id) {
        repo::quiz::exam(&ctx.state.db, id)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    let Some(exam) = found else {
        return Err(if ctx.scope.is_all() {
            fail(AppError::NotFound)
        } else {
            ctx.deny("exam", id).await
        });
    };
    if can_edit(ctx, &exam.org) {
        return Ok((exam, true));
    }
    let org_readable = readable(ctx).contains(&key_string(&exam.org));
    let course_readable =
        exam.course.is_none() || exam.course_state == Some(CourseState::Published);
    if org_readable && course_readable {
        Ok((exam, false))
    } else {
        Err(ctx.deny("exam", id).await)
    }
}

async fn editable_exam(ctx: &Ctx, id: &str) -> Result<ExamDb, AppError> {
    match readable_exam(ctx, id).await? {
        (e, true) => Ok(e),
        (_, false) => Err(ctx.deny("exam", id).await),
    }
}

fn total_questions(exam: &ExamDb) -> u16 {
    exam.draws
        .iter()
        .map(|d| u16::try_from(d.count).unwrap_or(0))
        .sum()
}

/// Whether an attempt is still open at the server's now: not submitted, and (with a time
/// limit) not past its deadline and the grace.
fn is_open(a: &AttemptDb, now: chrono::DateTime<chrono::Utc>) -> bool {
    a.submitted_at.is_none()
        && a.deadline
            .is_none_or(|d| now <= d + Duration::seconds(GRACE_SECONDS))
}

/// An exam as the caller sees it before starting, with their attempts.
pub async fn get_exam(ctx: &Ctx, id: &str) -> Result<ExamView, AppError> {
    let (exam, editable) = readable_exam(ctx, id.trim()).await?;
    let now = ctx.stamp().now;
    let mine = match member(ctx) {
        Some(m) => repo::quiz::attempts(&ctx.state.db, exam.id.clone(), m)
            .await
            .map_err(db_error)?,
        None => Vec::new(),
    };
    let open = mine
        .iter()
        .find(|a| is_open(a, now))
        .map(|a| key_string(&a.id));
    let used = mine.len();
    let allowed = usize::try_from(exam.attempts).unwrap_or(0);
    let edit = editable.then(|| ExamInput {
        id: key_string(&exam.id),
        org: key_string(&exam.org),
        course: exam.course.as_ref().map(key_string).unwrap_or_default(),
        item: exam.item.as_ref().map(key_string).unwrap_or_default(),
        title: exam.title.clone(),
        limit_minutes: u16::try_from(exam.limit_minutes).unwrap_or(0),
        pass_percent: u8::try_from(exam.pass_percent).unwrap_or(100),
        attempts: u8::try_from(exam.attempts).unwrap_or(0),
        draws: exam
            .draws
            .iter()
            .map(|d| Draw {
                tag: d.tag.clone(),
                difficulty: u8::try_from(d.difficulty).unwrap_or(0),
                count: u16::try_from(d.count).unwrap_or(0),
            })
            .collect(),
    });
    let results = if editable {
        results(ctx, exam.id.clone()).await?
    } else {
        Vec::new()
    };
    Ok(ExamView {
        id: key_string(&exam.id),
        questions: total_questions(&exam),
        title: exam.title,
        org_name: exam.org_name.unwrap_or_default(),
        course: exam
            .course
            .map(|c| (key_string(&c), exam.course_title.unwrap_or_default())),
        item: exam
            .item
            .map(|i| (key_string(&i), exam.item_title.unwrap_or_default())),
        limit_minutes: u16::try_from(exam.limit_minutes).unwrap_or(0),
        pass_percent: u8::try_from(exam.pass_percent).unwrap_or(100),
        attempts: u8::try_from(exam.attempts).unwrap_or(0),
        can_start: member(ctx).is_some() && (open.is_some() || allowed == 0 || used < allowed),
        open,
        mine: mine
            .iter()
            .map(|a| AttemptRow {
                id: key_string(&a.id),
                n: u8::try_from(a.n).unwrap_or(0),
                started: china_minute(a.started_at),
                percent: a.percent.map(|p| u8::try_from(p).unwrap_or(0)),
                passed: a.passed,
            })
            .collect(),
        edit,
        results,
        editable,
    })
}

/// Each member in the caller's reach who started the exam: attempts, best score, passed
/// (and when), those not passed first, then by organisation and name.
async fn results(ctx: &Ctx, exam: RecordId) -> Result<Vec<ExamResultRow>, AppError> {
    let rows = repo::quiz::results(&ctx.state.db, exam)
        .await
        .map_err(db_error)?;
    let mut out: Vec<(
        RecordId,
        ExamResultRow,
        Option<chrono::DateTime<chrono::Utc>>,
    )> = Vec::new();
    for r in rows {
        if !r
            .org
            .as_ref()
            .is_some_and(|o| ctx.scope.org(&key_string(o)))
        {
            continue;
        }
        let at = match out.iter().position(|(m, ..)| *m == r.member) {
            Some(at) => at,
            None => {
                out.push((
                    r.member.clone(),
                    ExamResultRow {
                        member: key_string(&r.member),
                        name: r.name.clone().unwrap_or_default(),
                        org_name: r.org_name.clone().unwrap_or_default(),
                        ..ExamResultRow::default()
                    },
                    None,
                ));
                out.len() - 1
            }
        };
        let (_, row, day) = &mut out[at];
        row.attempts = row.attempts.saturating_add(1);
        if let Some(p) = r.percent {
            let p = u8::try_from(p).unwrap_or(0);
            row.best = Some(row.best.map_or(p, |b| b.max(p)));
        }
        // The first pass is the day it was done; until then the last submission.
        if !row.passed && r.submitted_at.is_some() {
            *day = r.submitted_at;
        }
        row.passed |= r.passed;
    }
    let mut rows: Vec<ExamResultRow> = out
        .into_iter()
        .map(|(_, mut row, day)| {
            row.day = day
                .map(|d| d.with_timezone(&china_offset()).date_naive().to_string())
                .unwrap_or_default();
            row
        })
        .collect();
    rows.sort_by(|a, b| (a.passed, &a.org_name, &a.name).cmp(&(b.passed, &b.org_name, &b.name)));
    Ok(rows)
}

/// Starts an attempt at the exam `id` (or resumes the caller's open one): the questions
/// are drawn and the deadline set here, on the server.
pub async fn start_attempt(ctx: &Ctx, id: &str) -> Result<AttemptView, AppError> {
    let (exam, _) = readable_exam(ctx, id.trim()).await?;
    let Some(me) = member(ctx) else {
        return Err(invalid("exam", ctx.lang.t(T::QzErrNoMember).to_string()));
    };
    let now = ctx.stamp().now;
    let mine = repo::quiz::attempts(&ctx.state.db, exam.id.clone(), me.clone())
        .await
        .map_err(db_error)?;
    if let Some(open) = mine.iter().find(|a| is_open(a, now)) {
        return attempt_view(ctx, &exam, open.clone()).await;
    }
    let n = mine.iter().map(|a| a.n).max().unwrap_or(0) + 1;
    if exam.attempts > 0 && n > exam.attempts {
        return Err(invalid("exam", ctx.lang.t(T::QzErrNoAttempts).to_string()));
    }
    let mut questions: Vec<RecordId> = Vec::new();
    for d in &exam.draws {
        let draw = Draw {
            tag: d.tag.clone(),
            difficulty: u8::try_from(d.difficulty).unwrap_or(0),
            count: u16::try_from(d.count).unwrap_or(0),
        };
        let drawn = repo::quiz::draw(&ctx.state.db, exam.org.clone(), &draw, questions.clone())
            .await
            .map_err(db_error)?;
        questions.extend(drawn);
    }
    let deadline = (exam.limit_minutes > 0).then(|| now + Duration::minutes(exam.limit_minutes));
    let key = format!("{}_{}_{n}", key_string(&exam.id), key_string(&me));
    repo::quiz::start(
        &ctx.state.db,
        &key,
        exam.id.clone(),
        me,
        n,
        questions,
        now,
        deadline,
    )
    .await
    .map_err(db_error)?;
    // Written now, or by a start of the same attempt a moment before: either way, it.
    let attempt = repo::quiz::attempt(&ctx.state.db, &key)
        .await
        .map_err(db_error)?
        .ok_or_else(|| fail(AppError::NotFound))?;
    attempt_view(ctx, &exam, attempt).await
}

/// The caller's attempt `id`: open, its questions without keys; submitted, its review.
async fn own_attempt(ctx: &Ctx, id: &str) -> Result<AttemptDb, AppError> {
    if id.is_empty() {
        return Err(invalid("attempt", ctx.lang.t(T::QzErrWhich).to_string()));
    }
    let found = if is_valid_key(id) {
        repo::quiz::attempt(&ctx.state.db, id)
            .await
            .map_err(db_error)?
    } else {
        None
    };
    match found {
        Some(a) if Some(&a.member) == member(ctx).as_ref() => Ok(a),
        _ => Err(ctx.deny("attempt", id).await),
    }
}

/// The caller's attempt `id`.
pub async fn get_attempt(ctx: &Ctx, id: &str) -> Result<AttemptView, AppError> {
    let attempt = own_attempt(ctx, id.trim()).await?;
    let (exam, _) = readable_exam(ctx, &key_string(&attempt.exam)).await?;
    attempt_view(ctx, &exam, attempt).await
}

async fn attempt_view(
    ctx: &Ctx,
    exam: &ExamDb,
    attempt: AttemptDb,
) -> Result<AttemptView, AppError> {
    let now = ctx.stamp().now;
    let mut view = AttemptView {
        id: key_string(&attempt.id),
        exam: key_string(&exam.id),
        title: exam.title.clone(),
        n: u8::try_from(attempt.n).unwrap_or(0),
        seconds_left: None,
        asked: Vec::new(),
        result: None,
    };
    if attempt.submitted_at.is_none() {
        view.seconds_left = attempt.deadline.map(|d| (d - now).num_seconds().max(0));
        view.asked = repo::quiz::asked(&ctx.state.db, attempt.questions)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(|q| Asked {
                kind: q.kind,
                stem: q.stem,
                options: q.options,
            })
            .collect();
        return Ok(view);
    }
    let keyed = repo::quiz::keys(&ctx.state.db, attempt.questions.clone())
        .await
        .map_err(db_error)?;
    let given: Vec<Answer> = attempt.answers.iter().map(|a| a.answer()).collect();
    let percent = attempt.percent.map(|p| u8::try_from(p).unwrap_or(0));
    view.result = Some(result(
        keyed,
        &given,
        &attempt.marks,
        percent.unwrap_or(0),
        attempt.passed,
    ));
    Ok(view)
}

/// The review of a submitted attempt: each question with what was given, its key and its
/// explanation.
fn result(
    keyed: Vec<QuestionDb>,
    given: &[Answer],
    marks: &[bool],
    percent: u8,
    passed: bool,
) -> AttemptResult {
    let review: Vec<Reviewed> = keyed
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let key = q.answer_key.key();
            Reviewed {
                given: given.get(i).cloned().unwrap_or_default(),
                correct: marks.get(i).copied().unwrap_or(false),
                key: Answer {
                    choices: key.choices.clone(),
                    text: key.accepted.first().cloned().unwrap_or_default(),
                },
                kind: q.kind,
                stem: q.stem,
                options: q.options,
                explanation: q.explanation,
            }
        })
        .collect();
    AttemptResult {
        correct: u32::try_from(review.iter().filter(|r| r.correct).count()).unwrap_or(0),
        total: u32::try_from(review.len()).unwrap_or(0),
        percent,
        passed,
        review,
    }
}

/// Grades the caller's open attempt on the server and returns its review. Refused after
/// the deadline (and the grace), and for an attempt submitted before.
pub async fn submit_attempt(ctx: &Ctx, input: SubmitInput) -> Result<AttemptView, AppError> {
    let attempt = own_attempt(ctx, input.attempt.trim()).await?;
    let (exam, _) = readable_exam(ctx, &key_string(&attempt.exam)).await?;
    let now = ctx.stamp().now;
    if attempt.submitted_at.is_some() {
        return Err(invalid(
            "attempt",
            ctx.lang.t(T::QzErrSubmitted).to_string(),
        ));
    }
    if !is_open(&attempt, now) {
        return Err(invalid("attempt", ctx.lang.t(T::QzErrTimeUp).to_string()));
    }
    if input.answers.len() != attempt.questions.len() {
        return Err(invalid("answers", ctx.lang.t(T::QzErrAnswers).to_string()));
    }
    let keyed = repo::quiz::keys(&ctx.state.db, attempt.questions.clone())
        .await
        .map_err(db_error)?;
    let answers: Vec<Answer> = input
        .answers
        .into_iter()
        .map(|a| Answer {
            choices: a.choices.into_iter().take(26).collect(),
            text: crate::models::clip(&a.text, crate::models::quiz::FILL_MAX),
        })
        .collect();
    let marks: Vec<bool> = keyed
        .iter()
        .zip(&answers)
        .map(|(q, a)| is_correct(q.kind, &q.answer_key.key(), a))
        .collect();
    let right = u32::try_from(marks.iter().filter(|m| **m).count()).unwrap_or(0);
    let total = u32::try_from(attempt.questions.len()).unwrap_or(0);
    let (percent, passed) = score(right, total, u8::try_from(exam.pass_percent).unwrap_or(100));
    let key = key_string(&attempt.id);
    let done = repo::quiz::submit(
        &ctx.state.db,
        &key,
        &answers,
        marks.clone(),
        percent,
        passed,
        now,
    )
    .await
    .map_err(db_error)?;
    if !done {
        return Err(invalid(
            "attempt",
            ctx.lang.t(T::QzErrSubmitted).to_string(),
        ));
    }
    if passed {
        // Points, once per quiz however often it is passed.
        crate::server::service::points::award(
            &ctx.state,
            attempt.member.clone(),
            crate::models::points::PointRule::QuizPassed,
            format!("exam:{}", key_string(&exam.id)),
            exam.title.clone(),
        )
        .await;
    }
    // The review is built from what was just graded: nothing is read again.
    Ok(AttemptView {
        id: key,
        exam: key_string(&exam.id),
        title: exam.title,
        n: u8::try_from(attempt.n).unwrap_or(0),
        seconds_left: None,
        asked: Vec::new(),
        result: Some(result(keyed, &answers, &marks, percent, passed)),
    })
}
