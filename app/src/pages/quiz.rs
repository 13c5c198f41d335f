//! Quizzes and exams (issue 15).
//!
//! - `/learning/exams/<id>`: an exam before starting it: how many questions, the time
//!   limit, the pass mark, the attempts left and the caller's attempts; start or continue.
//! - `/learning/attempts/<id>`: an open attempt's questions (without their keys: the server
//!   sends none before the answers are in) with the time left by the server's clock,
//!   submitted by the member or when the time is up; a submitted one's score and review.
//! - `/learning/bank`: the question bank of the organisations the caller publishes for
//!   (with the keys), a new question, questions imported from Excel (`quiz_import`), and a
//!   new exam (a course's quiz from its page).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::params::Params;

use crate::api::quiz::{
    DeleteQuestion, SaveExam, SaveQuestion, StartAttempt, SubmitAttempt, get_attempt, get_exam,
    list_questions,
};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error, successes};
use crate::components::later::after_hydration;
use crate::components::table::{Column, DataTable, Pager};
use crate::i18n::{Lang, T, use_lang};
use crate::models::learning::Publisher;
use crate::models::quiz::{
    Answer, Asked, AttemptResult, AttemptView, Draw, ExamInput, ExamView, QUESTION_PAGE,
    QuestionKind, QuestionPage, QuestionQuery, QuestionRow, Reviewed, SubmitInput, letter,
};
use crate::pages::quiz_import::QuestionImportCard;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

#[component]
pub fn ExamPage() -> impl IntoView {
    let id = param("id");
    // Bumped when its editor saves a change: the page reads the exam again.
    let changed = RwSignal::new(0u32);
    let exam = Resource::new(move || (id(), changed.get()), |(id, _)| get_exam(id));
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move { exam.await.map(|e| view! { <ExamBody e changed/> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ExamBody(e: ExamView, changed: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let start = ServerAction::<StartAttempt>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(a)) = start.value().get() {
            navigate(&format!("/learning/attempts/{}", a.id), Default::default());
        }
    });
    let back = match (e.item.clone(), e.course.clone()) {
        (Some((id, title)), _) => view! {
            <a class="btn btn-ghost" href=format!("/learning/items/{id}") data-testid="exam-item">{title}</a>
        }
        .into_any(),
        (None, Some((id, title))) => view! {
            <a class="btn btn-ghost" href=format!("/learning/courses/{id}")>{title}</a>
        }
        .into_any(),
        (None, None) => {
            view! { <a class="btn btn-ghost" href="/learning">{lang.t(T::LnBack)}</a> }.into_any()
        }
    };
    let limit = if e.limit_minutes > 0 {
        lang.t(T::QzLimit(u32::from(e.limit_minutes))).to_string()
    } else {
        lang.t(T::QzNoLimit).to_string()
    };
    let attempts = if e.attempts > 0 {
        lang.t(T::QzAttempts(u32::from(e.attempts))).to_string()
    } else {
        lang.t(T::QzAttemptsAny).to_string()
    };
    let label = if e.open.is_some() {
        T::QzResume
    } else {
        T::QzStart
    };
    let exam = e.id.clone();
    let mine = if e.mine.is_empty() {
        view! { <EmptyState message=T::QzNone/> }.into_any()
    } else {
        view! {
            <ul class="link-list" data-testid="exam-attempts">
                {e.mine
                    .into_iter()
                    .map(|a| {
                        let outcome = match a.percent {
                            Some(p) => view! {
                                <span class=if a.passed { "badge badge-ok" } else { "badge badge-warn" }>
                                    {lang.t(T::QzScore(u32::from(p)))}" · "
                                    {lang.t(if a.passed { T::QzPassed } else { T::QzFailed })}
                                </span>
                            }
                            .into_any(),
                            None => view! {
                                <span class="badge badge-muted">{lang.t(T::QzOpenAttempt)}</span>
                            }
                            .into_any(),
                        };
                        view! {
                            <li>
                                <a href=format!("/learning/attempts/{}", a.id)>
                                    {lang.t(T::QzAttemptN(u32::from(a.n)))}
                                </a>" · "{a.started}" "{outcome}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <h1>{e.title}</h1>
            {back}
        </div>
        <p class="course-meta" data-testid="exam-meta">
            {e.org_name}" · "{lang.t(T::QzQuestions(u32::from(e.questions)))}" · "{limit}" · "
            {lang.t(T::QzPass(u32::from(e.pass_percent)))}" · "{attempts}
        </p>
        {e.can_start.then(|| view! {
            <ActionForm action=start>
                <input type="hidden" name="exam" value=exam/>
                <button type="submit" class="btn btn-primary btn-large" data-testid="exam-start"
                    disabled=move || start.pending().get()>
                    {lang.t(label)}
                </button>
            </ActionForm>
        })}
        <p class="field-error" role="alert">
            {move || general_error(start.value().get(), &[], lang)}
        </p>
        <section class="card" aria-labelledby="qz-mine-heading">
            <h2 id="qz-mine-heading">{lang.t(T::QzMine)}</h2>
            {mine}
        </section>
        {e.editable.then(|| view! { <ExamResults rows=e.results/> })}
        {e.edit.map(|exam| {
            let opened = RwSignal::new(false);
            let args = ExamFormArgs {
                publishers: Vec::new(),
                course: String::new(),
                item: String::new(),
                exam: Some(exam),
                changed: Some(changed),
            };
            view! {
                <details class="card course-new" data-testid="exam-edit"
                    on:toggle=move |_| if !opened.get_untracked() { opened.set(true) }>
                    <summary>{lang.t(T::QzEditExam)}</summary>
                    <p class="hint">{lang.t(T::QzEditExamHint)}</p>
                    {move || opened.get().then(|| {
                        let args = args.clone();
                        after_hydration(|| ().into_any(), move || exam_form(args.clone()))
                    })}
                </details>
            }
        })}
    }
}

/// Its editors' view of who started the exam and how they stand (no ranking: those not
/// passed first, then by organisation and name).
#[component]
fn ExamResults(rows: Vec<crate::models::quiz::ExamResultRow>) -> impl IntoView {
    let lang = use_lang();
    let started = u32::try_from(rows.len()).unwrap_or(0);
    let passed = u32::try_from(rows.iter().filter(|r| r.passed).count()).unwrap_or(0);
    let columns = [
        T::QzColMember,
        T::LnOrg,
        T::QzColAttempts,
        T::QzColBest,
        T::QzColOutcome,
        T::QzColDay,
    ]
    .map(Column::new);
    let row = move |r: crate::models::quiz::ExamResultRow| {
        let (class, label) = match (r.best, r.passed) {
            (_, true) => ("badge badge-ok", T::QzPassed),
            (Some(_), false) => ("badge badge-warn", T::QzFailed),
            (None, false) => ("badge badge-muted", T::QzNotSubmitted),
        };
        view! {
            <tr>
                <td><a href=format!("/learning/members/{}", r.member)>{r.name}</a></td>
                <td>{r.org_name}</td>
                <td>{r.attempts}</td>
                <td>{r.best.map(|b| b.to_string()).unwrap_or_else(|| "—".into())}</td>
                <td><span class=class>{lang.t(label)}</span></td>
                <td>{r.day}</td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="qz-results-heading">
            <h2 id="qz-results-heading">{lang.t(T::QzResults)}</h2>
            {(started > 0).then(|| view! { <p class="hint">{lang.t(T::QzResultsHint(started, passed))}</p> })}
            <DataTable columns rows row_key=|r: &crate::models::quiz::ExamResultRow| r.member.clone()
                row empty=T::QzResultsNone testid="exam-results"/>
        </section>
    }
}

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = param("id");
    let attempt = Resource::new(id, get_attempt);
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    attempt.await.map(|a| view! { <AttemptBody a/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn AttemptBody(a: AttemptView) -> impl IntoView {
    let lang = use_lang();
    let head = view! {
        <div class="page-head">
            <h1>{a.title.clone()}" · "{lang.t(T::QzAttemptN(u32::from(a.n)))}</h1>
            <a class="btn btn-ghost" href=format!("/learning/exams/{}", a.exam)>{lang.t(T::QzExam)}</a>
        </div>
    };
    match a.result {
        Some(result) => view! { {head} <ResultView result/> }.into_any(),
        None => view! { {head} <OpenAttempt a/> }.into_any(),
    }
}

/// The questions of an open attempt and the answers being given.
#[component]
fn OpenAttempt(a: AttemptView) -> impl IntoView {
    let lang = use_lang();
    let answers = RwSignal::new(vec![Answer::default(); a.asked.len()]);
    let submit = ServerAction::<SubmitAttempt>::new();
    let attempt = a.id.clone();
    let send = move || {
        let submitted = submit.value().with_untracked(|v| matches!(v, Some(Ok(_))));
        if submitted || submit.pending().get_untracked() {
            return;
        }
        submit.dispatch(SubmitAttempt {
            input: SubmitInput {
                attempt: attempt.clone(),
                answers: answers.get_untracked(),
            },
        });
    };
    let unanswered = move || {
        answers.with(|all| {
            all.iter()
                .filter(|x| x.choices.is_empty() && x.text.trim().is_empty())
                .count()
        })
    };
    let left = RwSignal::new(a.seconds_left);
    clock(left, send.clone());
    let timer = move || {
        left.get().map(|s| {
            view! {
                <p class="exam-timer" role="timer" aria-live="off" data-testid="exam-timer">
                    {lang.t(T::QzTimeLeft)}": "{format!("{:02}:{:02}", s / 60, s % 60)}
                    " · "{lang.t(T::QzAutoSubmit)}
                </p>
            }
        })
    };
    let questions = a
        .asked
        .into_iter()
        .enumerate()
        .map(|(i, q)| question(lang, i, q, answers))
        .collect_view();
    let confirm = RwSignal::new(false);
    let on_submit = {
        let send = send.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if unanswered() > 0 && !confirm.get_untracked() {
                confirm.set(true);
                return;
            }
            send();
        }
    };
    // Once submitted, the review the server answered replaces the questions (kept in the
    // page, hidden, so a refused submission loses nothing typed).
    let result = move || {
        submit
            .value()
            .get()
            .and_then(|r| r.ok())
            .and_then(|v| v.result)
    };
    let done = move || submit.value().with(|v| matches!(v, Some(Ok(_))));
    view! {
        {move || result().map(|result| view! { <ResultView result/> })}
        <div hidden=done>{timer}</div>
        <form class="exam-form" on:submit=on_submit data-testid="exam-form" hidden=done>
            <ol class="exam-questions">{questions}</ol>
            {move || confirm.get().then(|| view! {
                <p class="form-error" role="alert" data-testid="exam-unanswered">
                    {lang.t(T::QzUnanswered(u32::try_from(unanswered()).unwrap_or(0)))}" "
                    {lang.t(T::QzConfirmSubmit)}
                </p>
            })}
            <p class="field-error" role="alert">
                {move || general_error(submit.value().get(), &[], lang)}
            </p>
            <button type="submit" class="btn btn-primary btn-large" data-testid="exam-submit"
                disabled=move || submit.pending().get()>
                {lang.t(T::QzSubmit)}
            </button>
        </form>
    }
}

/// Counts the seconds left down once a second (in the browser) and submits at zero.
fn clock(left: RwSignal<Option<i64>>, send: impl Fn() + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        if left.get_untracked().is_none() {
            return;
        }
        let sent = std::cell::Cell::new(false);
        let handle = set_interval_with_handle(
            move || {
                let now = left.try_get_untracked().flatten().unwrap_or(0);
                let next = (now - 1).max(0);
                left.try_set(Some(next));
                if next == 0 && !sent.replace(true) {
                    send();
                }
            },
            std::time::Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (left, send);
    }
}

/// One question with its inputs: radios, check boxes or a text field.
fn question(lang: Lang, i: usize, q: Asked, answers: RwSignal<Vec<Answer>>) -> impl IntoView {
    let name = format!("q{i}");
    let heading = format!("qz-q{i}");
    let inputs = match q.kind {
        QuestionKind::Fill => view! {
            <input type="text" class="input" name=name.clone() maxlength="100"
                aria-labelledby=heading.clone()
                placeholder=lang.t(T::QzFillPlaceholder)
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    answers.update(|all| all[i].text = text);
                }/>
        }
        .into_any(),
        kind => {
            let multiple = kind == QuestionKind::Multiple;
            q.options
                .into_iter()
                .enumerate()
                .map(|(o, text)| {
                    let o = u8::try_from(o).unwrap_or(0);
                    let text = option_text(lang, kind, o, text);
                    let on_change = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        answers.update(|all| {
                            let chosen = &mut all[i].choices;
                            if !multiple {
                                chosen.clear();
                            }
                            chosen.retain(|c| *c != o);
                            if on {
                                chosen.push(o);
                                chosen.sort_unstable();
                            }
                        });
                    };
                    view! {
                        <label class="exam-option">
                            <input type=if multiple { "checkbox" } else { "radio" }
                                name=name.clone() value=o.to_string() on:change=on_change/>
                            <span>{text}</span>
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <li class="exam-question" data-testid="exam-question">
            <fieldset>
                <legend id=heading>
                    <span class="badge badge-muted">{lang.t(q.kind.label())}</span>" "{q.stem}
                </legend>
                {inputs}
            </fieldset>
        </li>
    }
}

/// A submitted attempt: the score and each question with the answer given and the key.
#[component]
fn ResultView(result: AttemptResult) -> impl IntoView {
    let lang = use_lang();
    let review = result
        .review
        .into_iter()
        .map(|r| reviewed(lang, r))
        .collect_view();
    view! {
        <section class="card exam-result" aria-labelledby="qz-result-heading" data-testid="exam-result">
            <h2 id="qz-result-heading">
                {lang.t(T::QzScore(u32::from(result.percent)))}" · "
                <span class=if result.passed { "badge badge-ok" } else { "badge badge-warn" }>
                    {lang.t(if result.passed { T::QzPassed } else { T::QzFailed })}
                </span>
            </h2>
            <p>{lang.t(T::QzCorrectOf(result.correct, result.total))}</p>
        </section>
        <section class="card" aria-labelledby="qz-review-heading">
            <h2 id="qz-review-heading">{lang.t(T::QzReview)}</h2>
            <ol class="exam-questions" data-testid="exam-review">{review}</ol>
        </section>
    }
}

/// An option as shown: a true/false question's two options in the reader's language (they
/// are stored as 正确 / 错误), any other as written, after its letter.
fn option_text(lang: Lang, kind: QuestionKind, o: u8, text: String) -> String {
    match (kind, o) {
        (QuestionKind::Judge, 0) => lang.t(T::QzTrue).to_string(),
        (QuestionKind::Judge, _) => lang.t(T::QzFalse).to_string(),
        _ => format!("{}. {text}", letter(o)),
    }
}

fn answer_text(lang: Lang, kind: QuestionKind, options: &[String], a: &Answer) -> String {
    match kind {
        QuestionKind::Fill if a.text.trim().is_empty() => lang.t(T::QzNoAnswer).to_string(),
        QuestionKind::Fill => a.text.clone(),
        _ if a.choices.is_empty() => lang.t(T::QzNoAnswer).to_string(),
        QuestionKind::Judge => a
            .choices
            .iter()
            .filter_map(|&c| {
                let text = options.get(usize::from(c))?.clone();
                Some(option_text(lang, kind, c, text))
            })
            .collect::<Vec<_>>()
            .join("、"),
        _ => a.choices.iter().map(|&c| letter(c)).collect(),
    }
}

fn reviewed(lang: Lang, r: Reviewed) -> impl IntoView {
    let given = answer_text(lang, r.kind, &r.options, &r.given);
    let key = answer_text(lang, r.kind, &r.options, &r.key);
    let options = (matches!(r.kind, QuestionKind::Single | QuestionKind::Multiple)).then(|| {
        view! {
            <ul class="link-list">
                {r.options
                    .iter()
                    .enumerate()
                    .map(|(o, text)| view! {
                        <li>{option_text(lang, r.kind, u8::try_from(o).unwrap_or(0), text.clone())}</li>
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <li class=if r.correct { "exam-question is-right" } else { "exam-question is-wrong" }
            data-testid="exam-reviewed">
            <p>
                <span class=if r.correct { "badge badge-ok" } else { "badge badge-warn" }>
                    {lang.t(if r.correct { T::QzRight } else { T::QzWrong })}
                </span>" "{r.stem}
            </p>
            {options}
            <p>{lang.t(T::QzYourAnswer)}": "{given}</p>
            {(!r.correct).then(|| view! { <p><strong>{lang.t(T::QzKeyIs)}": "{key}</strong></p> })}
            {(!r.explanation.is_empty()).then(|| view! {
                <p class="hint">{lang.t(T::QzExplanation)}": "{r.explanation}</p>
            })}
        </li>
    }
}

// ---------------------------------------------------------------------------------------
// /learning/bank: the question bank and new exams, for those who publish courses.

/// The bank's filters, as the URL holds them (`course`: a new exam is that course's quiz;
/// `item`: the item of that course it is on, chosen first).
#[derive(Params, PartialEq, Clone, Default)]
struct BankFilters {
    tag: Option<String>,
    q: Option<String>,
    course: Option<String>,
    item: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for BankFilters {
    const PATH: &'static str = "/learning/bank";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("tag", self.tag.clone().unwrap_or_default()),
            ("q", self.q.clone().unwrap_or_default()),
            ("course", self.course.clone().unwrap_or_default()),
            ("item", self.item.clone().unwrap_or_default()),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

/// The question form's fields, whose errors show under them.
const QUESTION_FIELDS: [&str; 8] = [
    "org",
    "kind",
    "stem",
    "options",
    "key",
    "explanation",
    "tags",
    "difficulty",
];
const EXAM_FIELDS: [&str; 8] = [
    "org",
    "course",
    "item",
    "title",
    "limit_minutes",
    "pass_percent",
    "attempts",
    "draws",
];

#[component]
pub fn BankPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<BankFilters>();
    let save = ServerAction::<SaveQuestion>::new();
    let saved = successes(save.value().into(), save.version().into());
    // Bumped after an import from Excel, a question changed or deleted.
    let changed = RwSignal::new(0u32);
    // How many questions the last import wrote (kept while the list is drawn again).
    let imported = RwSignal::new(None::<u32>);
    let list = Resource::new(
        move || {
            let f = filters.get();
            (
                QuestionQuery {
                    org: String::new(),
                    tag: f.tag.clone().unwrap_or_default(),
                    q: f.q.clone().unwrap_or_default(),
                    page: f.page(),
                },
                saved.get(),
                changed.get(),
            )
        },
        |(query, ..)| list_questions(query),
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::QzBank)}</h1>
            <a class="btn btn-ghost" href="/learning">{lang.t(T::LnBack)}</a>
        </div>
        <p class="hint">{lang.t(T::QzBankHint)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    list.await.map(|page| view! { <BankBody filters page save changed imported/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn BankBody(
    filters: Signal<BankFilters>,
    page: QuestionPage,
    save: ServerAction<SaveQuestion>,
    changed: RwSignal<u32>,
    imported: RwSignal<Option<u32>>,
) -> impl IntoView {
    let lang = use_lang();
    let current = filters.get_untracked();
    let course = current.course.clone().unwrap_or_default();
    let rows = if page.rows.is_empty() {
        view! { <EmptyState message=T::QzBankEmpty/> }.into_any()
    } else {
        let href = current.clone();
        view! {
            <ol class="exam-questions" data-testid="bank-list">
                {page.rows.into_iter().map(|q| view! { <BankRow q changed/> }).collect_view()}
            </ol>
            <Pager page=page.page total=u64::from(page.total) page_size=QUESTION_PAGE
                href=move |n| href.href(n)/>
        }
        .into_any()
    };
    let publishers = page.publishers;
    let for_course = !course.is_empty();
    let course_filter = course.clone();
    let item = current.item.clone().unwrap_or_default();
    let item_filter = item.clone();
    let args = ExamFormArgs {
        publishers: publishers.clone(),
        course,
        item,
        exam: None,
        changed: None,
    };
    view! {
        <section class="card">
            <FilterBar filters primary=true>
                <Field id="qz-q" name="q" label=lang.t(T::QzSearchStem) kind="search"
                    value=current.q.clone().unwrap_or_default() class="grow"/>
                <Field id="qz-tag" name="tag" label=lang.t(T::QzTags)
                    value=current.tag.clone().unwrap_or_default()/>
                <input type="hidden" name="course" value=course_filter/>
                <input type="hidden" name="item" value=item_filter/>
            </FilterBar>
        </section>
        <details class="card course-new" data-testid="exam-new" open=for_course>
            <summary>{lang.t(if for_course { T::QzAddCourseExam } else { T::QzNewExam })}</summary>
            {after_hydration(|| ().into_any(), move || exam_form(args.clone()))}
        </details>
        <details class="card course-new" data-testid="question-new">
            <summary>{lang.t(T::QzNewQuestion)}</summary>
            <QuestionForm save publishers=publishers.clone()/>
        </details>
        <QuestionImportCard publishers imported=changed done=imported/>
        <section class="card" aria-labelledby="qz-bank-heading">
            <h2 id="qz-bank-heading">{lang.t(T::QzBank)}</h2>
            {rows}
        </section>
    }
}

/// A question of the bank with its key, and its editor's changes: the form (drawn when
/// opened) and the deletion.
#[component]
fn BankRow(q: QuestionRow, changed: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let options = q
        .options
        .iter()
        .enumerate()
        .map(|(o, text)| option_text(lang, q.kind, u8::try_from(o).unwrap_or(0), text.clone()))
        .collect::<Vec<_>>()
        .join("　");
    let edit = ServerAction::<SaveQuestion>::new();
    let remove = ServerAction::<DeleteQuestion>::new();
    Effect::new(move |_| {
        if matches!(edit.value().get(), Some(Ok(_))) || matches!(remove.value().get(), Some(Ok(())))
        {
            changed.update(|n| *n += 1);
        }
    });
    let opened = RwSignal::new(false);
    let (id, question) = (q.id.clone(), q.clone());
    view! {
        <li class="exam-question" data-testid="bank-question">
            <p>
                <span class="badge badge-muted">{lang.t(q.kind.label())}</span>" "{q.stem}
            </p>
            {(!options.is_empty()).then(|| view! { <p class="hint">{options}</p> })}
            <p>
                {lang.t(T::QzKeyIs)}": "<strong>{q.key}</strong>" · "
                {lang.t(T::QzDifficulty)}" "{q.difficulty}" · "{q.tags.join("、")}
            </p>
            <div class="row-actions">
                <details class="bank-edit" on:toggle=move |_| opened.set(true)>
                    <summary class="btn btn-ghost btn-small" data-testid="question-edit">{lang.t(T::QzEdit)}</summary>
                    {move || opened.get().then(|| {
                        view! { <QuestionForm save=edit publishers=Vec::new() question=question.clone()/> }
                    })}
                </details>
                <span data-testid="question-delete">
                    <ConfirmDialog trigger=lang.t(T::QzDelete) trigger_class="btn btn-ghost btn-small"
                        message=lang.t(T::QzDeleteConfirm)>
                        <ActionForm action=remove>
                            <input type="hidden" name="id" value=id.clone()/>
                            <button type="submit" class="btn btn-danger" data-testid="question-delete-confirm"
                                disabled=move || remove.pending().get()>
                                {lang.t(T::QzDelete)}
                            </button>
                        </ActionForm>
                    </ConfirmDialog>
                </span>
            </div>
            <p class="field-error" role="alert">{move || general_error(remove.value().get(), &[], lang)}</p>
        </li>
    }
}

/// A new record's organisation (chosen among `publishers`), or the key and organisation
/// of the record being changed (`existing`), as a form's fields.
fn owner_fields(
    lang: Lang,
    error: Signal<Option<String>>,
    id: String,
    publishers: Vec<Publisher>,
    existing: Option<(String, String)>,
) -> AnyView {
    match existing {
        None => view! {
            <Field id name="input[org]" label=lang.t(T::LnOrg) error>
                {org_options(publishers)}
            </Field>
        }
        .into_any(),
        Some((key, org)) => view! {
            <input type="hidden" name="input[id]" value=key/>
            <input type="hidden" name="input[org]" value=org/>
        }
        .into_any(),
    }
}

fn org_options(publishers: Vec<Publisher>) -> impl IntoView {
    publishers
        .into_iter()
        .map(|p| view! { <option value=p.id>{p.name}</option> })
        .collect_view()
}

/// A new question, or `question` changed. What was typed stays when the server refuses;
/// after a success a new question's form is cleared for the next one.
#[component]
fn QuestionForm(
    save: ServerAction<SaveQuestion>,
    publishers: Vec<Publisher>,
    /// The question to change (none: a new one, into one of `publishers`' banks).
    #[prop(optional)]
    question: Option<QuestionRow>,
) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let form = NodeRef::<leptos::html::Form>::new();
    let new = question.is_none();
    Effect::new(move |_| {
        if new
            && matches!(save.value().get(), Some(Ok(_)))
            && let Some(f) = form.get_untracked()
        {
            f.reset();
        }
    });
    let q = question.unwrap_or_default();
    // Each form's own ids: the bank shows a new question's form and one per question.
    let prefix = if new {
        "qz".to_string()
    } else {
        format!("qz-{}", q.id)
    };
    let id = move |field: &str| format!("{prefix}-{field}");
    let options = (0..6u8)
        .map(|o| {
            let value = q.options.get(usize::from(o)).cloned().unwrap_or_default();
            view! {
                <Field id=id(&format!("option-{o}")) name=format!("input[options][{o}]")
                    label=format!("{} {}", lang.t(T::QzOption), letter(o)) maxlength=200 value=value/>
            }
        })
        .collect_view();
    let org = owner_fields(
        lang,
        error("org"),
        id("org"),
        publishers,
        (!new).then(|| (q.id.clone(), q.org.clone())),
    );
    let (kind, difficulty) = (q.kind, q.difficulty.max(1));
    view! {
        <ActionForm action=save node_ref=form attr:data-testid="question-form">
            {org}
            <Field id=id("kind") name="input[kind]" label=lang.t(T::QzKind) error=error("kind")>
                {QuestionKind::ALL
                    .iter()
                    .map(|k| view! {
                        <option value=k.as_str() selected=*k == kind>{lang.t(k.label())}</option>
                    })
                    .collect_view()}
            </Field>
            <Field id=id("stem") name="input[stem]" label=lang.t(T::QzStem) error=error("stem")
                maxlength=500 required=true value=q.stem.clone()/>
            <fieldset class="exam-options-edit">
                <legend>{lang.t(T::QzOptionsHint)}</legend>
                {options}
                <p class="field-error" role="alert">{move || error("options").get()}</p>
            </fieldset>
            <Field id=id("key") name="input[key]" label=lang.t(T::QzKey) error=error("key")
                placeholder=lang.t(T::QzKeyHint) required=true value=q.key.clone()/>
            <Field id=id("explanation") name="input[explanation]" label=lang.t(T::QzExplanation)
                error=error("explanation") maxlength=1000 value=q.explanation.clone()/>
            <Field id=id("tags") name="input[tags]" label=lang.t(T::QzTags) error=error("tags")
                placeholder=lang.t(T::LnTagsHint) value=q.tags.join("，")/>
            <Field id=id("difficulty") name="input[difficulty]" label=lang.t(T::QzDifficulty)
                error=error("difficulty")>
                <option value="1" selected=difficulty == 1>{lang.t(T::QzDiff1)}</option>
                <option value="2" selected=difficulty == 2>{lang.t(T::QzDiff2)}</option>
                <option value="3" selected=difficulty == 3>{lang.t(T::QzDiff3)}</option>
            </Field>
            <p class="field-error" role="alert">
                {move || general_error(save.value().get(), &QUESTION_FIELDS, lang)}
            </p>
            <p class="hint" role="status">
                {move || matches!(save.value().get(), Some(Ok(_)))
                    .then(|| lang.t(if new { T::QzSaved } else { T::QzUpdated }))}
            </p>
            <div class="row-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {lang.t(T::QzSaveQuestion)}
                </button>
            </div>
        </ActionForm>
    }
}

/// What the exam form needs: where a new exam may be set (`publishers`), its course and
/// item (empty: none), or the `exam` to change and the counter bumped once it is saved.
#[derive(Clone)]
pub struct ExamFormArgs {
    pub publishers: Vec<Publisher>,
    pub course: String,
    pub item: String,
    pub exam: Option<ExamInput>,
    pub changed: Option<RwSignal<u32>>,
}

/// The exam form, fetched once the page has hydrated (`#[lazy]`: not part of the bank's or
/// the exam page's first load; docs/wasm-size.md).
#[lazy]
pub fn exam_form(args: ExamFormArgs) -> AnyView {
    view! { <ExamForm args/> }.into_any()
}

/// A new exam (a course's quiz when `course` is given, an item's when `item` is chosen
/// too), which opens the exam's page once saved; or `exam` changed, after which `changed`
/// is bumped so its page reads it again.
#[component]
fn ExamForm(args: ExamFormArgs) -> impl IntoView {
    let ExamFormArgs {
        publishers,
        course,
        item,
        exam,
        changed,
    } = args;
    let lang = use_lang();
    let save = ServerAction::<SaveExam>::new();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let navigate = use_navigate();
    let new = exam.is_none();
    Effect::new(move |_| {
        if let Some(Ok(key)) = save.value().get() {
            match changed {
                Some(changed) => changed.update(|n| *n += 1),
                None => navigate(&format!("/learning/exams/{key}"), Default::default()),
            }
        }
    });
    let e = exam.unwrap_or_else(|| ExamInput {
        course,
        item,
        limit_minutes: 0,
        pass_percent: 60,
        attempts: 3,
        draws: vec![Draw {
            tag: String::new(),
            difficulty: 0,
            count: 5,
        }],
        ..ExamInput::default()
    });
    let prefix = if new {
        "qz-exam".to_string()
    } else {
        format!("qz-exam-{}", e.id)
    };
    let id = move |field: &str| format!("{prefix}-{field}");
    let draws = (0..3u8)
        .map(|d| {
            let draw = e.draws.get(usize::from(d)).cloned().unwrap_or_default();
            let level = draw.difficulty;
            view! {
                <div class="row-actions">
                    <Field id=id(&format!("draw-tag-{d}")) name=format!("input[draws][{d}][tag]")
                        label=lang.t(T::QzDrawTag) value=draw.tag/>
                    <Field id=id(&format!("draw-difficulty-{d}"))
                        name=format!("input[draws][{d}][difficulty]") label=lang.t(T::QzDrawDifficulty)>
                        <option value="0" selected=level == 0>{lang.t(T::QzDrawAny)}</option>
                        <option value="1" selected=level == 1>{lang.t(T::QzDiff1)}</option>
                        <option value="2" selected=level == 2>{lang.t(T::QzDiff2)}</option>
                        <option value="3" selected=level == 3>{lang.t(T::QzDiff3)}</option>
                    </Field>
                    <Field id=id(&format!("draw-count-{d}")) name=format!("input[draws][{d}][count]")
                        label=lang.t(T::QzDrawCount) kind="number" min="0" max="200"
                        value=draw.count.to_string()/>
                </div>
            }
        })
        .collect_view();
    let org = owner_fields(
        lang,
        error("org"),
        id("org"),
        publishers,
        (!new).then(|| (e.id.clone(), e.org.clone())),
    );
    let item = item_field(lang, id("item"), error("item"), &e.course, &e.item);
    view! {
        <ActionForm action=save attr:data-testid=if new { "exam-form-new" } else { "exam-form-edit" }>
            {org}
            <input type="hidden" name="input[course]" value=e.course.clone()/>
            {item}
            <Field id=id("title") name="input[title]" label=lang.t(T::QzExamTitle)
                error=error("title") maxlength=100 required=true value=e.title.clone()/>
            <Field id=id("limit") name="input[limit_minutes]" label=lang.t(T::QzLimitLabel)
                error=error("limit_minutes") kind="number" min="0" max="600"
                value=e.limit_minutes.to_string()/>
            <Field id=id("pass") name="input[pass_percent]" label=lang.t(T::QzPassLabel)
                error=error("pass_percent") kind="number" min="1" max="100"
                value=e.pass_percent.to_string()/>
            <Field id=id("attempts") name="input[attempts]" label=lang.t(T::QzAttemptsLabel)
                error=error("attempts") kind="number" min="0" max="20"
                value=e.attempts.to_string()/>
            <fieldset>
                <legend>{lang.t(T::QzDrawsHint)}</legend>
                {draws}
                <p class="field-error" role="alert">{move || error("draws").get()}</p>
            </fieldset>
            <p class="field-error" role="alert">
                {move || general_error(save.value().get(), &EXAM_FIELDS, lang)}
            </p>
            <p class="hint" role="status">
                {move || (!new && matches!(save.value().get(), Some(Ok(_)))).then(|| lang.t(T::QzUpdated))}
            </p>
            <div class="row-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {lang.t(if new { T::QzCreateExam } else { T::QzSaveExam })}
                </button>
            </div>
        </ActionForm>
    }
}

/// The item of a course's quiz: a choice of the course's items (read once the form shows),
/// none (the whole course) first; `chosen` is kept while they load. Nothing without a course.
fn item_field(
    lang: Lang,
    id: String,
    error: Signal<Option<String>>,
    course: &str,
    chosen: &str,
) -> Option<AnyView> {
    if course.is_empty() {
        return None;
    }
    let course = course.to_string();
    let outline = LocalResource::new(move || crate::api::learning::get_course(course.clone()));
    let (kept, chosen) = (chosen.to_string(), chosen.to_string());
    let field = move || {
        let (id, chosen) = (id.clone(), chosen.clone());
        Suspend::new(async move {
            let items: Vec<(String, String)> = match outline.await {
                Ok(c) => c
                    .chapters
                    .into_iter()
                    .flat_map(|ch| ch.items)
                    .map(|i| (i.id, i.title))
                    .collect(),
                Err(_) => {
                    return view! { <input type="hidden" name="input[item]" value=chosen/> }
                        .into_any();
                }
            };
            view! {
                <Field id name="input[item]" label=lang.t(T::QzItem) error>
                    <option value="">{lang.t(T::QzItemNone)}</option>
                    {items
                        .into_iter()
                        .map(|(key, title)| {
                            let selected = key == chosen;
                            view! { <option value=key selected=selected>{title}</option> }
                        })
                        .collect_view()}
                </Field>
            }
            .into_any()
        })
    };
    Some(
        view! {
            <Suspense fallback=move || view! { <input type="hidden" name="input[item]" value=kept.clone()/> }>
                {field}
            </Suspense>
        }
        .into_any(),
    )
}
