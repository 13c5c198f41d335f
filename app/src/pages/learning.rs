//! Learning (issue 15), first step.
//!
//! - `/learning`: the courses for the caller (required first), searched by title or
//!   summary and filtered by category; committees and the office also see their drafts and
//!   start a new course here.
//! - `/learning/courses/<id>`: one course, its chapters and items; its editors publish it,
//!   change it and add chapters and articles.
//! - `/learning/items/<id>`: one article to read, with the next and previous items. A
//!   member's place in it is kept (sent every 15 s while it changes, at once when the end
//!   is seen, on leaving the page, and as a beacon when the tab is hidden or closed), and
//!   it opens there again on any device.
//! - `/learning/chapters/<id>/new`, `/learning/items/<id>/edit`: the article editor, with
//!   a preview rendered by the server exactly as saving stores it.
//!
//! Nothing here shows time spent or ranks anyone.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::params::Params;

use crate::api::learning::{
    PreviewMarkdown, PublishCourse, SaveArticle, SaveChapter, SaveCourse, get_course, get_item,
    get_learning_record, list_courses,
};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error, successes};
use crate::components::table::Pager;
use crate::components::upload::FileUpload;
use crate::i18n::{Lang, T, use_lang};
use crate::models::files::{ACCEPT_IMAGE, ACCEPT_PDF, ACCEPT_VIDEO, FileView};
use crate::models::learning::{
    BODY_MAX, COURSE_PAGE, Category, ChapterView, CoursePage, CourseQuery, CourseRow, CourseView,
    ItemKind, ItemRow, ItemView, LearningRecord, Piece, Publisher, Reading, RecordCourse,
    SUMMARY_MAX, TITLE_MAX,
};

/// The longest title, as the inputs say it.
const TITLE_LEN: u32 = TITLE_MAX as u32;
/// The course form's fields, whose errors show under them.
const COURSE_FIELDS: [&str; 6] = ["org", "title", "summary", "category", "tags", "cover"];
/// The article form's fields.
const ARTICLE_FIELDS: [&str; 2] = ["title", "body"];
/// The video and document form's fields.
const MEDIA_FIELDS: [&str; 6] = ["title", "file", "body", "lecturer", "given_on", "meeting"];

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// /learning

/// The course list's filters, as the URL holds them.
#[derive(Params, PartialEq, Clone, Default)]
struct CourseFilters {
    q: Option<String>,
    category: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for CourseFilters {
    const PATH: &'static str = "/learning";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone().unwrap_or_default()),
            ("category", self.category.clone().unwrap_or_default()),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

impl CourseFilters {
    fn query(&self) -> CourseQuery {
        CourseQuery {
            q: self.q.clone().unwrap_or_default(),
            category: self.category.clone().unwrap_or_default(),
            page: self.page(),
        }
    }
}

/// The courses for the caller, and the new-course form for those who publish.
#[component]
pub fn LearningPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<CourseFilters>();
    let list = Resource::new(move || filters.get().query(), list_courses);
    // A member's own learning record, one click away.
    let session = crate::components::layout::use_session();
    let mine = move || {
        Suspend::new(async move {
            let member = session.await.ok().flatten().and_then(|s| s.member);
            member.map(|m| {
                view! {
                    <a class="btn btn-ghost" href=format!("/learning/members/{m}")
                        data-testid="my-record">
                        {lang.t(T::LnMyRecord)}
                    </a>
                }
            })
        })
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::NavLearning)}</h1>
            <div class="row-actions">
                <a class="btn btn-ghost" href="/learning/required" data-testid="required-link">
                    {lang.t(T::RqTitle)}
                </a>
                <a class="btn btn-ghost" href="/learning/points" data-testid="points-link">
                    {lang.t(T::PtLink)}
                </a>
                <a class="btn btn-ghost" href="/learning/reflections" data-testid="reflections-link">
                    {lang.t(T::RfLink)}
                </a>
                <Suspense>{mine}</Suspense>
            </div>
        </div>
        <p class="hint">{lang.t(T::LnIntro)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    list.await.map(|page| view! { <CourseList filters page/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The category choices of a select, `chosen` selected (an empty first option when `any`).
fn category_options(lang: Lang, chosen: String, any: bool) -> impl IntoView {
    let first = any.then(|| {
        view! { <option value="" selected=chosen.is_empty()>{lang.t(T::AllText)}</option> }
    });
    let rest = Category::ALL
        .iter()
        .map(|c| {
            let selected = chosen.as_str() == c.as_str();
            view! { <option value=c.as_str() selected=selected>{lang.t(c.label())}</option> }
        })
        .collect_view();
    view! { {first} {rest} }
}

#[component]
fn CourseList(filters: Signal<CourseFilters>, page: CoursePage) -> impl IntoView {
    let lang = use_lang();
    let current = filters.get_untracked();
    let q = current.q.clone().unwrap_or_default();
    let category = current.category.clone().unwrap_or_default();
    let CoursePage {
        rows,
        total,
        page,
        publishers,
    } = page;
    let list = if rows.is_empty() {
        view! { <EmptyState message=T::LnEmpty/> }.into_any()
    } else {
        view! {
            <ul class="course-list" data-testid="course-list">
                {rows.into_iter().map(|c| course_card(lang, c)).collect_view()}
            </ul>
            <Pager page total=u64::from(total) page_size=COURSE_PAGE
                href=move |n| current.href(n)/>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <FilterBar filters primary=true>
                <Field id="ln-q" name="q" label=lang.t(T::LnSearch) kind="search" value=q
                    class="grow"/>
                <Field id="ln-filter-category" name="category" label=lang.t(T::LnCategory)>
                    {category_options(lang, category, true)}
                </Field>
            </FilterBar>
        </section>
        {(!publishers.is_empty()).then(|| view! {
            <NewCourse publishers/>
            <p><a class="btn btn-ghost" href="/learning/bank" data-testid="bank-link">
                {lang.t(T::QzBankLink)}
            </a></p>
        })}
        <section class="card" aria-labelledby="ln-list-heading">
            <h2 id="ln-list-heading">{lang.t(T::LnCourses)}</h2>
            {list}
        </section>
    }
}

/// A course in the list: title, what it is about, whose it is, how many items; after a
/// search, where it matched (the summary's fragment in place of the summary, then the
/// items), the query's words marked.
fn course_card(lang: Lang, mut c: CourseRow) -> impl IntoView {
    let own = c
        .hits
        .iter()
        .position(|h| h.item.is_empty())
        .map(|i| c.hits.remove(i));
    let summary = match own {
        Some(hit) => Some(marked(hit.fragment).into_any()),
        None => (!c.summary.is_empty()).then(|| c.summary.into_any()),
    };
    let found = (!c.hits.is_empty()).then(|| {
        view! {
            <ul class="search-hits" data-testid="search-hits" aria-label=lang.t(T::LnFoundIn)>
                {c.hits.into_iter().map(|h| view! {
                    <li>
                        <a href=format!("/learning/items/{}", h.item)>{h.title}</a>" "
                        <span class="search-fragment">{marked(h.fragment)}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    // The cover, when there is one, beside the rest (decorative: the title says what it is).
    let cover = (!c.cover.is_empty()).then(|| {
        view! {
            <img class="course-cover" src=format!("/files/{}/thumb", c.cover) alt=""
                loading="lazy" data-testid="course-cover"/>
        }
    });
    let class = if cover.is_some() {
        "course-card with-cover"
    } else {
        "course-card"
    };
    view! {
        <li class=class>
            {cover}
            <div>
            <h3><a href=format!("/learning/courses/{}", c.id)>{c.title}</a></h3>
            <p class="course-meta">
                {c.required.then(|| view! {
                    <span class="badge badge-warn">{lang.t(T::LnRequired)}</span>" "
                })}
                {(!c.published).then(|| view! {
                    <span class="badge badge-muted">{lang.t(T::LnStateDraft)}</span>" "
                })}
                {lang.t(c.category.label())}" · "{c.org_name}" · "{lang.t(T::LnItemCount(c.items))}
                {c.done.map(|done| view! {
                    " · "<span class=done_class(done, c.items) data-testid="course-done">
                        {lang.t(T::LnDoneCount(done, c.items))}
                    </span>
                })}
            </p>
            {summary.map(|s| view! { <p class="course-summary">{s}</p> })}
            {found}
            {tags(c.tags)}
            </div>
        </li>
    }
}

/// A fragment with the query's words in `<mark>` (each piece drawn as text, never HTML).
fn marked(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| {
            if p.hit {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                p.text.into_any()
            }
        })
        .collect_view()
}

/// A finished course's count is green, others grey.
fn done_class(done: u32, items: u32) -> &'static str {
    if items > 0 && done >= items {
        "badge badge-ok"
    } else {
        "badge badge-muted"
    }
}

fn tags(tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <p class="chips">
                {tags.into_iter().map(|t| view! { <span class="chip chip-static">{t}</span> }).collect_view()}
            </p>
        }
    })
}

/// Starts a course (a draft), then goes to its page.
#[component]
fn NewCourse(publishers: Vec<Publisher>) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveCourse>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = save.value().get() {
            navigate(&format!("/learning/courses/{key}"), Default::default());
        }
    });
    view! {
        <details class="card course-new" data-testid="course-new">
            <summary>{lang.t(T::LnNew)}</summary>
            <CourseForm save publishers current=None/>
        </details>
    }
}

/// A course's facts: a new one (with its organisation) or a change of `current`. What was
/// typed stays when the server refuses (the form is not rebuilt).
#[component]
fn CourseForm(
    save: ServerAction<SaveCourse>,
    publishers: Vec<Publisher>,
    current: Option<CourseView>,
) -> impl IntoView {
    let lang = use_lang();
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let summary_error = error("summary");
    let editing = current.is_some();
    let c = current.unwrap_or_default();
    let org = (!editing).then(|| {
        view! {
            <Field id="ln-org" name="input[org]" label=lang.t(T::LnOrg) error=error("org")>
                {publishers
                    .into_iter()
                    .map(|p| view! { <option value=p.id>{p.name}</option> })
                    .collect_view()}
            </Field>
        }
    });
    let chosen = if editing {
        c.category.as_str().to_string()
    } else {
        String::new()
    };
    let form_id = if editing { "ln-edit" } else { "ln-new" };
    // The cover of a course that exists (its images are filed under its publisher); a new
    // course gets one once it is created.
    let cover = editing.then(|| {
        let cover = RwSignal::new(c.cover.clone());
        let cover_error = error("cover");
        let org = c.org.clone();
        view! {
            <fieldset class="field cover-field" data-testid="course-cover-field">
                <legend>{lang.t(T::LnCover)}</legend>
                <input type="hidden" name="input[cover]" value=move || cover.get()/>
                {move || {
                    let key = cover.get();
                    if key.is_empty() {
                        view! { <p class="hint">{lang.t(T::LnCoverNone)}</p> }.into_any()
                    } else {
                        view! {
                            <img class="course-cover" src=format!("/files/{key}/thumb")
                                alt=lang.t(T::LnCover)/>
                            <button type="button" class="btn btn-ghost btn-small"
                                on:click=move |_| cover.set(String::new())>
                                {lang.t(T::LnCoverRemove)}
                            </button>
                        }
                        .into_any()
                    }
                }}
                <p class="hint">{lang.t(T::LnCoverHint)}</p>
                <FileUpload org on_done=Callback::new(move |f: FileView| cover.set(f.id))
                    field="ln-cover-file" accept=ACCEPT_IMAGE/>
                <p class="field-error" role="alert">{move || cover_error.get()}</p>
            </fieldset>
        }
    });
    view! {
        <ActionForm action=save attr:class="form-stack" attr:data-testid="course-form">
            <input type="hidden" name="input[id]" value=c.id/>
            {org}
            <Field id=format!("{form_id}-title") name="input[title]" label=lang.t(T::LnTitle)
                required=true maxlength=TITLE_LEN value=c.title error=error("title")/>
            <Field id=format!("{form_id}-category") name="input[category]"
                label=lang.t(T::LnCategory) error=error("category")>
                {category_options(lang, chosen, false)}
            </Field>
            <div class="field">
                <label for=format!("{form_id}-summary")>{lang.t(T::LnSummary)}</label>
                <textarea id=format!("{form_id}-summary") name="input[summary]" rows="3"
                    maxlength=SUMMARY_MAX.to_string()
                    aria-describedby=format!("{form_id}-summary-error")
                    aria-invalid=move || summary_error.get().is_some().to_string()>
                    {c.summary}
                </textarea>
                <p id=format!("{form_id}-summary-error") class="field-error" role="alert">
                    {move || summary_error.get()}
                </p>
            </div>
            <Field id=format!("{form_id}-tags") name="input[tags]" label=lang.t(T::LnTags)
                placeholder=lang.t(T::LnTagsHint) value=c.tags.join("、") error=error("tags")/>
            {cover}
            <label class="check">
                <input type="checkbox" name="input[required]" value="true" checked=c.required/>
                {lang.t(T::LnRequiredHint)}
            </label>
            <p class="field-error" role="alert">
                {move || general_error(save.value().get(), &COURSE_FIELDS, lang)}
            </p>
            <div class="row-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {lang.t(if editing { T::Save } else { T::LnCreate })}
                </button>
            </div>
        </ActionForm>
    }
}

// ---------------------------------------------------------------------------------------
// /learning/courses/<id>

/// One course: its facts and outline; its editors' tools below.
#[component]
pub fn CoursePage() -> impl IntoView {
    let id = param("id");
    let publish = ServerAction::<PublishCourse>::new();
    let chapter = ServerAction::<SaveChapter>::new();
    let save = ServerAction::<SaveCourse>::new();
    // Read again after each successful change only: a refusal keeps what was typed.
    let published = successes(publish.value().into(), publish.version().into());
    let chaptered = successes(chapter.value().into(), chapter.version().into());
    let saved = successes(save.value().into(), save.version().into());
    // Bumped by a chapter's rename form when it succeeds (each chapter has its own form,
    // so a refusal shows under the chapter it concerns).
    let renamed = RwSignal::new(0_usize);
    let course = Resource::new(
        move || {
            (
                id(),
                published.get(),
                chaptered.get(),
                saved.get(),
                renamed.get(),
            )
        },
        |(id, ..)| get_course(id),
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    course.await.map(|c| view! { <CourseBody c publish chapter save renamed/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CourseBody(
    c: CourseView,
    publish: ServerAction<PublishCourse>,
    chapter: ServerAction<SaveChapter>,
    save: ServerAction<SaveCourse>,
    renamed: RwSignal<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let editor = c.can_edit.then(|| {
        view! { <CourseTools c=c.clone() publish chapter save/> }
    });
    // The caller's finished items of all (members, in a published course).
    let progress = c.tracked.then(|| {
        let items = c.chapters.iter().flat_map(|ch| &ch.items);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (
            count(items.clone().filter(|i| i.done).count()),
            count(items.count()),
        )
    });
    let outline = if c.chapters.is_empty() {
        view! { <EmptyState message=T::LnNoChapters/> }.into_any()
    } else {
        let (rename, course, org) = (c.can_edit.then_some(renamed), c.id.clone(), c.org.clone());
        view! {
            <ol class="course-outline" data-testid="course-outline">
                {c.chapters
                    .into_iter()
                    .map(|ch| chapter_block(lang, ch, &course, &org, rename))
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <h1>{c.title}</h1>
            <a class="btn btn-ghost" href="/learning">{lang.t(T::LnBack)}</a>
        </div>
        {(!c.cover.is_empty()).then(|| view! {
            <img class="course-cover-large" src=format!("/files/{}/thumb", c.cover) alt=""
                data-testid="course-cover"/>
        })}
        <p class="course-meta" data-testid="course-meta">
            {c.required.then(|| view! {
                <span class="badge badge-warn">{lang.t(T::LnRequired)}</span>" "
            })}
            <span class=if c.published { "badge badge-ok" } else { "badge badge-muted" }>
                {lang.t(if c.published { T::LnStatePublished } else { T::LnStateDraft })}
            </span>" "
            {lang.t(c.category.label())}" · "{c.org_name}
            {progress.map(|(done, total)| view! {
                " · "<span data-testid="course-progress">{lang.t(T::LnDoneCount(done, total))}</span>
            })}
        </p>
        {(!c.summary.is_empty()).then(|| view! { <p class="course-summary">{c.summary}</p> })}
        {tags(c.tags)}
        <section class="card" aria-labelledby="ln-outline-heading">
            <h2 id="ln-outline-heading">{lang.t(T::LnOutline)}</h2>
            {outline}
        </section>
        {c.can_edit.then(|| view! {
            <p class="row-actions">
                <a class="btn btn-ghost" href=format!("/learning/bank?course={}", c.id)
                    data-testid="course-exam-new">{lang.t(T::QzAddCourseExam)}</a>
                {c.published.then(|| view! {
                    <a class="btn btn-ghost" href=format!("/learning/required?what=course:{}", c.id)
                        data-testid="course-require">{lang.t(T::RqNew)}</a>
                })}
            </p>
        })}
        {(!c.exams.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="qz-course-heading">
                <h2 id="qz-course-heading">{lang.t(T::QzCourseExams)}</h2>
                <ul class="link-list" data-testid="course-exams">
                    {c.exams
                        .into_iter()
                        .map(|(id, title)| view! {
                            <li><a href=format!("/learning/exams/{id}")>{title}</a></li>
                        })
                        .collect_view()}
                </ul>
            </section>
        })}
        {editor}
    }
}

/// A chapter and its items; for editors (`rename` given), "add an article" and a closed
/// form that renames the chapter in place.
fn chapter_block(
    lang: Lang,
    ch: ChapterView,
    course: &str,
    org: &str,
    rename: Option<RwSignal<usize>>,
) -> impl IntoView + use<> {
    let items = if ch.items.is_empty() {
        view! { <p class="hint">{lang.t(T::LnNoItems)}</p> }.into_any()
    } else {
        view! {
            <ol class="link-list">
                {ch.items.into_iter().map(|i| item_line(lang, i)).collect_view()}
            </ol>
        }
        .into_any()
    };
    let add = rename.is_some().then(|| {
        // Uploads for the new item are filed under the course's publisher (`org`).
        let new = format!("/learning/chapters/{}/new?course={course}&org={org}", ch.id);
        view! {
            <p class="row-actions">
                <a class="btn btn-ghost btn-small" href=new.clone() data-testid="article-new">
                    {lang.t(T::LnAddArticle)}
                </a>
                <a class="btn btn-ghost btn-small" href=format!("{new}&kind=video")
                    data-testid="video-new">
                    {lang.t(T::LnAddVideo)}
                </a>
                <a class="btn btn-ghost btn-small" href=format!("{new}&kind=document")
                    data-testid="document-new">
                    {lang.t(T::LnAddDocument)}
                </a>
                <a class="btn btn-ghost btn-small" href=format!("{new}&kind=lesson")
                    data-testid="lesson-new">
                    {lang.t(T::LnAddLesson)}
                </a>
            </p>
        }
    });
    let rename = rename.map(|renamed| rename_form(lang, &ch.id, &ch.title, course, renamed));
    view! {
        <li class="course-chapter">
            <h3>{ch.title}</h3>
            {items}
            {add}
            {rename}
        </li>
    }
}

/// Renames chapter `id` of `course`; a success reads the course again (`renamed`), a
/// refusal shows under this form and keeps what was typed.
fn rename_form(
    lang: Lang,
    id: &str,
    title: &str,
    course: &str,
    renamed: RwSignal<usize>,
) -> impl IntoView + use<> {
    let action = ServerAction::<SaveChapter>::new();
    let done = successes(action.value().into(), action.version().into());
    Effect::new(move |_| {
        if done.get() > 0 {
            renamed.update(|n| *n += 1);
        }
    });
    let error = action_error(action.value().into(), "title");
    // The form's children are a closure that outlives these borrows.
    let (field, id, title, course) = (
        format!("ln-chapter-{id}"),
        id.to_string(),
        title.to_string(),
        course.to_string(),
    );
    view! {
        <details class="chapter-rename" data-testid="chapter-rename">
            <summary>{lang.t(T::LnRenameChapter)}</summary>
            <ActionForm action attr:class="form-row">
                <input type="hidden" name="input[course]" value=course/>
                <input type="hidden" name="input[id]" value=id/>
                <Field id=field name="input[title]" label=lang.t(T::LnChapterName)
                    required=true maxlength=TITLE_LEN value=title error class="grow"/>
                <button type="submit" class="btn btn-ghost" disabled=move || action.pending().get()>
                    {lang.t(T::LnRenameChapter)}
                </button>
            </ActionForm>
            <p class="field-error" role="alert">
                {move || general_error(action.value().get(), &["title"], lang)}
            </p>
        </details>
    }
}

fn item_line(lang: Lang, i: ItemRow) -> impl IntoView {
    view! {
        <li>
            <a href=format!("/learning/items/{}", i.id)>{i.title}</a>" "
            <span class="badge badge-muted">{lang.t(i.kind.label())}</span>
            {i.done.then(|| view! {
                " "<span class="badge badge-ok" data-testid="item-done">"✓ "{lang.t(T::LnFinished)}</span>
            })}
        </li>
    }
}

/// What the course's editors do here: publish or take back, add a chapter, change the facts.
#[component]
fn CourseTools(
    c: CourseView,
    publish: ServerAction<PublishCourse>,
    chapter: ServerAction<SaveChapter>,
    save: ServerAction<SaveCourse>,
) -> impl IntoView {
    let lang = use_lang();
    // Each form's children are a closure of their own: each takes its own copy of the key.
    let (unpublish_id, publish_id, chapter_course) = (c.id.clone(), c.id.clone(), c.id.clone());
    let publish_form = if c.published {
        let message = lang.t(T::LnConfirmUnpublish(&c.title));
        view! {
            <ConfirmDialog trigger=lang.t(T::LnUnpublish) message>
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="input[id]" value=unpublish_id/>
                    <input type="hidden" name="input[publish]" value="false"/>
                    <button type="submit" class="btn btn-danger" data-testid="course-unpublish"
                        disabled=move || publish.pending().get()>
                        {lang.t(T::LnUnpublish)}
                    </button>
                </ActionForm>
            </ConfirmDialog>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=publish attr:class="inline-form">
                <input type="hidden" name="input[id]" value=publish_id/>
                <input type="hidden" name="input[publish]" value="true"/>
                <button type="submit" class="btn btn-primary" data-testid="course-publish"
                    disabled=move || publish.pending().get()>
                    {lang.t(T::LnPublish)}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    let chapter_error = action_error(chapter.value().into(), "title");
    view! {
        <section class="card" aria-labelledby="ln-tools-heading">
            <h2 id="ln-tools-heading">{lang.t(T::LnTools)}</h2>
            <p class="hint">
                {lang.t(if c.published { T::LnPublishedHint } else { T::LnDraftHint })}" "
                {lang.t(T::LnUpdated(&c.updated, &c.updated_by))}
            </p>
            <div class="row-actions">{publish_form}</div>
            <p class="field-error" role="alert">
                {move || general_error(publish.value().get(), &[], lang)}
            </p>
            <ActionForm action=chapter attr:class="form-row" attr:data-testid="chapter-form">
                <input type="hidden" name="input[course]" value=chapter_course/>
                <Field id="ln-chapter-title" name="input[title]" label=lang.t(T::LnChapterTitle)
                    required=true maxlength=TITLE_LEN error=chapter_error class="grow"/>
                <button type="submit" class="btn btn-ghost" disabled=move || chapter.pending().get()>
                    {lang.t(T::LnAddChapter)}
                </button>
            </ActionForm>
            <p class="field-error" role="alert">
                {move || general_error(chapter.value().get(), &["title"], lang)}
            </p>
        </section>
        <details class="card">
            <summary>{lang.t(T::LnEditCourse)}</summary>
            <CourseForm save publishers=Vec::new() current=Some(c)/>
        </details>
    }
}

// ---------------------------------------------------------------------------------------
// /learning/items/<id>

/// One article to read.
#[component]
pub fn ItemPage() -> impl IntoView {
    let id = param("id");
    let item = Resource::new(id, get_item);
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    item.await.map(|i| view! { <ItemBody i/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ItemBody(i: ItemView) -> impl IntoView {
    let lang = use_lang();
    let edit = i.can_edit.then(|| {
        view! {
            <a class="btn btn-ghost" href=format!("/learning/items/{}/edit", i.id)
                data-testid="article-edit">
                {lang.t(T::LnEditArticle)}
            </a>
            // 设为必学: this one item, required of members by a day.
            {i.published.then(|| view! {
                <a class="btn btn-ghost"
                    href=format!("/learning/required?what=item:{}&course={}", i.id, i.course)
                    data-testid="item-require">{lang.t(T::RqNew)}</a>
            })}
        }
    });
    let article = NodeRef::<leptos::html::Article>::new();
    let video = NodeRef::<leptos::html::Video>::new();
    let finished = RwSignal::new(i.reading.is_some_and(|r| r.completed));
    let seen = RwSignal::new(i.reading.map_or(0, |r| r.seen));
    let is_video = i.kind == ItemKind::Video && !i.file.is_empty();
    let state = i.reading.map(|_| {
        view! {
            <p class="hint reading-state" data-testid="reading-state" aria-live="polite">
                {move || if finished.get() {
                    view! { <span class="badge badge-ok">"✓ "{lang.t(T::LnFinished)}</span>" "{lang.t(T::LnFinishedHint)} }.into_any()
                } else if is_video {
                    view! { {lang.t(T::LnWatched(seen.get()))}" · "{lang.t(T::LnWatchHint)} }.into_any()
                } else {
                    lang.t(T::LnReadToEnd).into_any()
                }}
            </p>
        }
    });
    if let Some(reading) = i.reading {
        if is_video {
            follow_video(i.id.clone(), reading, video, finished, seen);
        } else {
            follow_reading(i.id.clone(), reading, article, finished);
        }
    }
    let step = |key: String, text: T, rel: &'static str| {
        (!key.is_empty()).then(|| {
            view! { <a class="btn btn-ghost" href=format!("/learning/items/{key}") rel=rel>{lang.t(text)}</a> }
        })
    };
    let src = format!("/files/{}", i.file);
    let body = match i.kind {
        _ if i.file.is_empty() => view! {
            <article class="card article-body" data-testid="article-body" node_ref=article
                inner_html=i.html></article>
        }
        .into_any(),
        ItemKind::Video => view! {
            <video class="media-video" controls=true preload="metadata" src=src
                node_ref=video data-testid="item-video" aria-label=i.title.clone()></video>
            <article class="card article-body" data-testid="article-body" node_ref=article
                inner_html=i.html></article>
        }
        .into_any(),
        _ => view! {
            // A PDF in the browser's own viewer, framed from this site only; its end read
            // (the notes below it in view) finishes it, as an article's does.
            <article class="card" data-testid="article-body" node_ref=article>
                <iframe class="media-document" src=format!("{src}?inline=1")
                    title=i.file_name.clone() data-testid="item-document"></iframe>
                <p>
                    <a href=format!("{src}?inline=1") target="_blank" rel="noopener">
                        {lang.t(T::LnOpenDocument(&i.file_name))}
                    </a>
                </p>
                <div class="article-body" inner_html=i.html></div>
            </article>
        }
        .into_any(),
    };
    let lesson = (i.kind == ItemKind::Lesson).then(|| {
        let meeting = (!i.meeting.is_empty()).then(|| {
            view! {
                <p>
                    {lang.t(T::LnLessonIn)}
                    <a href=format!("/meetings/{}", i.meeting)>{i.meeting_label.clone()}</a>
                </p>
            }
        });
        view! {
            <div class="card lesson-meta" data-testid="lesson-meta">
                <p>
                    <span class="badge badge-muted">{lang.t(T::LnKindLesson)}</span>" "
                    {lang.t(T::LnLessonBy(&i.lecturer, &i.given_on))}
                </p>
                {meeting}
            </div>
        }
    });
    view! {
        <nav class="crumbs" aria-label=lang.t(T::LnCrumbs)>
            <a href="/learning">{lang.t(T::NavLearning)}</a>" › "
            <a href=format!("/learning/courses/{}", i.course)>{i.course_title}</a>" › "
            <span>{i.chapter_title}</span>
        </nav>
        <div class="page-head">
            <h1>{i.title}</h1>
            {edit}
        </div>
        {lesson}
        {state}
        {body}
        {item_exams(lang, &i.course, &i.id, i.exams, i.can_edit)}
        <nav class="pager" aria-label=lang.t(T::LnSteps)>
            {step(i.previous, T::LnPrevious, "prev")}
            {step(i.next, T::LnNext, "next")}
        </nav>
    }
}

/// 本节测验: the quizzes on an item, each with whether the reader passed it; for its
/// editors, a new quiz on it.
fn item_exams(
    lang: Lang,
    course: &str,
    item: &str,
    exams: Vec<crate::models::learning::ItemExam>,
    can_edit: bool,
) -> impl IntoView {
    let add = can_edit.then(|| {
        view! {
            <p class="row-actions">
                <a class="btn btn-ghost" href=format!("/learning/bank?course={course}&item={item}")
                    data-testid="item-exam-new">{lang.t(T::QzAddItemExam)}</a>
            </p>
        }
    });
    let list = (!exams.is_empty()).then(|| {
        view! {
            <ul class="link-list" data-testid="item-exams">
                {exams
                    .into_iter()
                    .map(|e| view! {
                        <li>
                            <a href=format!("/learning/exams/{}", e.id)>{e.title}</a>
                            {e.passed.then(|| view! {
                                " "<span class="badge badge-ok">{lang.t(T::QzPassed)}</span>
                            })}
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    });
    (list.is_some() || add.is_some()).then(|| {
        view! {
            <section class="card" aria-labelledby="qz-item-heading">
                <h2 id="qz-item-heading">{lang.t(T::QzItemExams)}</h2>
                {list}
                {add}
            </section>
        }
    })
}

/// Sends a report with `navigator.sendBeacon`, which the browser delivers even as the tab
/// closes (a `fetch` then is cancelled). The body is exactly what calling
/// `report_progress` sends: the server function's own `serde_qs` form, declared as
/// `application/x-www-form-urlencoded` (a type a beacon may carry without asking the
/// server first), to the function's own path. A beacon carries the page's origin and
/// cookie, so it passes the same checks as any call. True when the browser took it.
/// (Called through `Reflect`: `web-sys` is built without `Navigator` and
/// `BlobPropertyBag`, and adding a feature rebuilds leptos on both targets.)
#[cfg(feature = "hydrate")]
fn beacon(input: crate::models::learning::ProgressInput) -> bool {
    use crate::api::learning::ReportProgress;
    use leptos::server_fn::ServerFn;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Array, Function, Object, Reflect};
    let send = || -> Result<bool, JsValue> {
        let body = serde_qs::to_string(&ReportProgress { input })
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let options = Object::new();
        Reflect::set(
            &options,
            &JsValue::from_str("type"),
            &JsValue::from_str("application/x-www-form-urlencoded"),
        )?;
        let blob_type: Function = Reflect::get(&window, &JsValue::from_str("Blob"))?.dyn_into()?;
        let parts = Array::of1(&JsValue::from_str(&body));
        let blob = Reflect::construct(&blob_type, &Array::of2(&parts, &options))?;
        let navigator = Reflect::get(&window, &JsValue::from_str("navigator"))?;
        let send: Function =
            Reflect::get(&navigator, &JsValue::from_str("sendBeacon"))?.dyn_into()?;
        let taken = send.call2(&navigator, &JsValue::from_str(ReportProgress::PATH), &blob)?;
        Ok(taken.as_bool().unwrap_or(false))
    };
    send().unwrap_or(false)
}

/// Reports with `send` every 15 s (`send(false)`: a call; nothing is sent while nothing
/// changed), as a beacon when the page is hidden or closed (`send(true)`), and a last time
/// when the page is left within the app.
#[cfg(feature = "hydrate")]
fn keep_reporting(send: impl Fn(bool) + Clone + Send + Sync + 'static) {
    const EVERY: Duration = Duration::from_secs(15);
    let interval = set_interval_with_handle(
        {
            let send = send.clone();
            move || send(false)
        },
        EVERY,
    )
    .ok();
    let hidden = when_hidden({
        let send = send.clone();
        move || send(true)
    });
    on_cleanup(move || {
        if let Some(handle) = interval {
            handle.clear();
        }
        for listener in hidden {
            listener.remove();
        }
        send(false);
    });
}

/// Calls `send` when the page is hidden or put away: another tab, the phone's home
/// screen, the tab or window closed (`visibilitychange` to hidden, then `pagehide`, which
/// is the last a closing tab hears). Coming back into view sends nothing (the timer
/// goes on). Both listeners go when the returned handles are removed.
#[cfg(feature = "hydrate")]
fn when_hidden(
    send: impl Fn() + Clone + 'static,
) -> [leptos::leptos_dom::helpers::WindowListenerHandle; 2] {
    use leptos::leptos_dom::helpers::window_event_listener_untyped as listen;
    let hidden = send.clone();
    [
        listen("visibilitychange", move |_| {
            let now_hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.hidden());
            if now_hidden {
                hidden();
            }
        }),
        listen("pagehide", move |_| send()),
    ]
}

/// Keeps a member's watching of a video (in the browser only): it starts where they
/// left off, and sends where they are and the stretches actually played (the player's
/// `played` ranges, so seeking past a part does not count) every 15 s while playing, on
/// pausing, at the end and on leaving the page (as a beacon when the tab is hidden or
/// closed). Never a time spent: places only.
#[cfg(not(feature = "hydrate"))]
fn follow_video(
    _item: String,
    _reading: Reading,
    _video: NodeRef<leptos::html::Video>,
    _finished: RwSignal<bool>,
    _seen: RwSignal<u16>,
) {
}

#[cfg(feature = "hydrate")]
fn follow_video(
    item: String,
    reading: Reading,
    video: NodeRef<leptos::html::Video>,
    finished: RwSignal<bool>,
    seen: RwSignal<u16>,
) {
    use crate::api::learning::report_progress;
    use crate::models::learning::{PLAYED_MAX, POSITION_MAX, ProgressInput};
    use std::sync::{Arc, Mutex};

    /// Where the player is and what it played, in thousandths of the video.
    fn measure(video: &web_sys::HtmlVideoElement) -> Option<(u16, Vec<(u16, u16)>)> {
        let length = video.duration();
        if !length.is_finite() || length <= 0.0 {
            return None;
        }
        let at = |t: f64| ((t / length).clamp(0.0, 1.0) * f64::from(POSITION_MAX)).round() as u16;
        let ranges = video.played();
        let played = (0..ranges.length().min(PLAYED_MAX as u32))
            .filter_map(|n| Some((at(ranges.start(n).ok()?), at(ranges.end(n).ok()?))))
            .collect();
        Some((at(video.current_time()), played))
    }

    /// Where the player was and what it had played (thousandths).
    type Place = (u16, Vec<(u16, u16)>);
    /// What was sent last (nothing is sent again while nothing changed) and what the
    /// server answered for or a beacon carries: a call still on its way when the tab
    /// closes is cancelled by the browser, so the beacon compares with the latter.
    #[derive(Default)]
    struct Sent {
        last: Option<Place>,
        kept: Option<Place>,
    }
    let sent = Arc::new(Mutex::new(Sent::default()));
    // `away`: the page is being hidden or closed, and the report goes as a beacon.
    let send = {
        let sent = sent.clone();
        move |away: bool| {
            // The player's listeners outlive the page (a video removed while playing
            // fires `pause` after): then there is nothing to report.
            let Some(player) = video.try_get_untracked().flatten() else {
                return;
            };
            let Some(now) = measure(&player) else {
                return;
            };
            let Ok(mut s) = sent.lock() else {
                return;
            };
            let compared = if away { &s.kept } else { &s.last };
            if compared.as_ref() == Some(&now) {
                return;
            }
            s.last = Some(now.clone());
            let (position, played) = now.clone();
            let input = ProgressInput {
                item: item.clone(),
                position,
                furthest: position,
                end: false,
                played,
            };
            if away {
                // No answer is read: the page may be gone before it comes.
                if beacon(input) {
                    s.kept = Some(now);
                } else {
                    s.last = None;
                }
                return;
            }
            drop(s);
            let sent = sent.clone();
            leptos::task::spawn_local(async move {
                match report_progress(input).await {
                    Ok(r) => {
                        if let Ok(mut s) = sent.lock() {
                            s.kept = Some(now);
                        }
                        let _ = finished.try_set(r.completed);
                        let _ = seen.try_set(r.seen);
                    }
                    // Sent again at the next tick.
                    Err(_) => {
                        if let Ok(mut s) = sent.lock() {
                            s.last = None;
                        }
                    }
                }
            });
        }
    };
    // Back where they were once the player knows the video's length (not for a finished
    // video, which starts again from the top); a report at each pause and at the end.
    let start = (!reading.completed && reading.position > 0).then_some(reading.position);
    let started = std::sync::atomic::AtomicBool::new(false);
    Effect::new({
        let send = send.clone();
        move |_| {
            let Some(player) = video.get() else {
                return;
            };
            // Once per page: listeners are never added twice.
            if started.swap(true, std::sync::atomic::Ordering::AcqRel) {
                return;
            }
            let seek = {
                let player = player.clone();
                move || {
                    let length = player.duration();
                    if let Some(at) = start.filter(|_| length.is_finite() && length > 0.0) {
                        player.set_current_time(length * f64::from(at) / f64::from(POSITION_MAX));
                    }
                }
            };
            let listen = |event: &str, then: Box<dyn FnMut()>| {
                let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(then);
                let _ = player.add_event_listener_with_callback(
                    event,
                    wasm_bindgen::JsCast::unchecked_ref(closure.as_ref()),
                );
                // Lives as long as the element (a few bytes per page opened).
                closure.forget();
            };
            if player.ready_state() >= 1 {
                seek();
            } else {
                let mut once = Some(seek);
                listen(
                    "loadedmetadata",
                    Box::new(move || {
                        if let Some(seek) = once.take() {
                            seek();
                        }
                    }),
                );
            }
            // Not at each `seeked`: dragging the seek bar fires one per step, and where
            // the player stopped is sent at the next tick or on leaving anyway.
            for event in ["pause", "ended"] {
                let send = send.clone();
                listen(event, Box::new(move || send(false)));
            }
        }
    });
    keep_reporting(send);
}

/// Keeps the reader's place in the article (in the browser only): opens it where they
/// left off, and reports where they are every 15 s while it changes, at once when the
/// article's end comes into view, and on leaving the page (as a beacon when the tab is
/// hidden or closed). Only a place and whether the end was seen are sent, never a time.
#[cfg(not(feature = "hydrate"))]
fn follow_reading(
    _item: String,
    _reading: Reading,
    _article: NodeRef<leptos::html::Article>,
    _finished: RwSignal<bool>,
) {
}

#[cfg(feature = "hydrate")]
fn follow_reading(
    item: String,
    reading: Reading,
    article: NodeRef<leptos::html::Article>,
    finished: RwSignal<bool>,
) {
    use crate::api::learning::report_progress;
    use crate::models::learning::{POSITION_MAX, ProgressInput};

    #[derive(Clone, Copy, PartialEq)]
    struct Place {
        position: u16,
        /// The furthest place seen on this page (or kept from before).
        furthest: u16,
        end: bool,
    }

    /// Where the reader is: how far the page is scrolled (thousandths of what can be
    /// scrolled; nothing to scroll is the top) and whether the article's end is on the
    /// screen. Nothing while the article is not in the document.
    fn measure(article: NodeRef<leptos::html::Article>) -> Option<Place> {
        let shown = article.get_untracked().filter(|a| a.is_connected())?;
        let window = web_sys::window()?;
        let root = window.document()?.document_element()?;
        let height = window.inner_height().ok()?.as_f64()?;
        let scrollable = f64::from(root.scroll_height()) - height;
        let position = if scrollable <= 1.0 {
            0
        } else {
            let done = (window.scroll_y().ok()? / scrollable).clamp(0.0, 1.0);
            (done * f64::from(POSITION_MAX)).round() as u16
        };
        let end = shown.get_bounding_client_rect().bottom() <= height + 2.0;
        Some(Place {
            position,
            furthest: position,
            end,
        })
    }

    /// Runs `then` once the article is in the document and laid out (a frame after it is
    /// placed; at most `tries` frames).
    fn when_placed(
        article: NodeRef<leptos::html::Article>,
        tries: u32,
        then: impl FnOnce() + 'static,
    ) {
        request_animation_frame(move || {
            let placed = article.get_untracked().is_some_and(|a| a.is_connected());
            if placed || tries == 0 {
                then();
            } else {
                when_placed(article, tries - 1, then);
            }
        });
    }

    /// Scrolls to `at` thousandths of what can be scrolled.
    fn scroll_to(at: u16) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(root) = window.document().and_then(|d| d.document_element()) else {
            return;
        };
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        let scrollable = (f64::from(root.scroll_height()) - height).max(0.0);
        window.scroll_to_with_x_and_y(0.0, scrollable * f64::from(at) / f64::from(POSITION_MAX));
    }

    /// What was sent last and what the page shows now (shared by the scroll listener, the
    /// timer and the clean-up, which may run after the page's own values are gone).
    struct Tracker {
        item: String,
        sent: Place,
        seen: Place,
        /// What the server answered for or a beacon carries: a call still on its way
        /// when the tab closes is cancelled by the browser, so the beacon compares with
        /// this, not with what was sent.
        kept: Place,
    }
    let start = Place {
        position: reading.position,
        furthest: reading.furthest,
        end: reading.completed,
    };
    let tracker = std::sync::Arc::new(std::sync::Mutex::new(Tracker {
        item,
        sent: start,
        seen: start,
        kept: start,
    }));
    // A place no page measures: what was sent is unknown, so the next look sends.
    const UNSENT: Place = Place {
        position: u16::MAX,
        furthest: 0,
        end: false,
    };
    // `away`: the page is being hidden or closed, and the report goes as a beacon.
    let send = {
        let tracker = tracker.clone();
        move |away: bool| {
            let Ok(mut t) = tracker.lock() else {
                return;
            };
            let place = t.seen;
            let compared = if away { t.kept } else { t.sent };
            if place == compared {
                return;
            }
            t.sent = place;
            let input = ProgressInput {
                item: t.item.clone(),
                position: place.position,
                furthest: place.furthest,
                end: place.end,
                played: Vec::new(),
            };
            if away {
                // No answer is read: the page may be gone before it comes.
                if beacon(input) {
                    t.kept = place;
                } else {
                    t.sent = UNSENT;
                }
                return;
            }
            drop(t);
            let tracker = tracker.clone();
            leptos::task::spawn_local(async move {
                match report_progress(input).await {
                    Ok(r) => {
                        if let Ok(mut t) = tracker.lock() {
                            t.kept = place;
                        }
                        let _ = finished.try_set(r.completed);
                    }
                    // Not kept: sent again at the next tick (a place no page measures).
                    Err(_) => {
                        if let Ok(mut t) = tracker.lock() {
                            t.sent = UNSENT;
                        }
                    }
                }
            });
        }
    };
    // Looks where the reader is; true when the end has just come into view.
    let look = {
        let tracker = tracker.clone();
        move || {
            let (Some(place), Ok(mut t)) = (measure(article), tracker.lock()) else {
                return false;
            };
            let first = place.end && !t.seen.end;
            // The end, once seen, stays seen on this page; so does the furthest place.
            t.seen = Place {
                position: place.position,
                furthest: place.furthest.max(t.seen.furthest),
                end: place.end || t.seen.end,
            };
            first
        }
    };
    // Once the article is in the document: back where they were, then a first look (a
    // short article's end is on the screen at once).
    {
        let (look, send) = (look.clone(), send.clone());
        let started = std::sync::atomic::AtomicBool::new(false);
        Effect::new(move |_| {
            if article.get().is_none() || started.swap(true, std::sync::atomic::Ordering::AcqRel) {
                return;
            }
            let (look, send) = (look.clone(), send.clone());
            when_placed(article, 60, move || {
                let resume = reading.resume_at();
                if resume > 0 {
                    scroll_to(resume);
                }
                if look() {
                    send(false);
                }
            });
        });
    }
    let scrolled = {
        let send = send.clone();
        window_event_listener(leptos::ev::scroll, move |_| {
            if look() {
                send(false);
            }
        })
    };
    on_cleanup(move || scrolled.remove());
    keep_reporting(send);
}

// ---------------------------------------------------------------------------------------
// A member's learning record

/// `/learning/members/<id>`: member `<id>`'s learning record (学习档案), for them and for
/// the committees that keep their record.
#[component]
pub fn LearningRecordPage() -> impl IntoView {
    let id = param("id");
    let record = Resource::new(id, get_learning_record);
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    record.await.map(|r| view! { <RecordBody r/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn RecordBody(r: LearningRecord) -> impl IntoView {
    let lang = use_lang();
    let courses = if r.courses.is_empty() {
        view! { <EmptyState message=T::LnRecordEmpty/> }.into_any()
    } else {
        r.courses
            .into_iter()
            .map(|c| record_course(lang, c))
            .collect_view()
            .into_any()
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::LnRecord)}" · "{r.name}</h1>
            <a class="btn btn-ghost" href=format!("/members/{}", r.member)>{r.org_name}</a>
        </div>
        <p class="hint">{lang.t(T::LnRecordHint)}</p>
        <div data-testid="learning-record">{courses}</div>
    }
}

fn record_course(lang: Lang, c: RecordCourse) -> impl IntoView {
    let items = c
        .items
        .into_iter()
        .map(|i| {
            let state = if !i.finished.is_empty() {
                view! { <span class="badge badge-ok">"✓ "{lang.t(T::LnFinishedOn(&i.finished))}</span> }
                    .into_any()
            } else if i.kind == ItemKind::Video {
                view! { <span class="badge badge-muted">{lang.t(T::LnWatched(i.seen))}</span> }.into_any()
            } else {
                view! { <span class="badge badge-muted">{lang.t(T::LnNotFinished)}</span> }.into_any()
            };
            view! {
                <li>
                    <a href=format!("/learning/items/{}", i.id)>{i.title}</a>" "
                    <span class="hint">{lang.t(i.kind.label())}</span>" "{state}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="record-course">
            <h2>
                <a href=format!("/learning/courses/{}", c.id)>{c.title}</a>" "
                {c.required.then(|| view! { <span class="badge badge-warn">{lang.t(T::LnRequired)}</span> })}
            </h2>
            <p>
                <span class=done_class(c.done, c.total) data-testid="record-done">
                    {lang.t(T::LnDoneCount(c.done, c.total))}
                </span>
            </p>
            <ul class="link-list">{items}</ul>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// The article editor

/// A new item at the end of chapter `<id>`: an article, or with `?kind=video` or
/// `?kind=document` a video or a PDF (uploaded under the course's publisher, `?org=`).
#[component]
pub fn NewArticlePage() -> impl IntoView {
    let lang = use_lang();
    let chapter = param("id");
    // Cancel goes back to the course the editor came from (only a key makes a link).
    let query = leptos_router::hooks::use_query_map();
    let key = move |name: &str| {
        query
            .read()
            .get(name)
            .filter(|c| crate::models::org::is_valid_key(c))
    };
    let back = move || {
        key("course").map_or_else(
            || "/learning".to_string(),
            |c| format!("/learning/courses/{c}"),
        )
    };
    let kind = move || {
        query
            .read()
            .get("kind")
            .and_then(|k| ItemKind::parse(&k))
            .filter(|k| matches!(k, ItemKind::Video | ItemKind::Document | ItemKind::Lesson))
    };
    let heading = move || {
        lang.t(match kind() {
            Some(ItemKind::Video) => T::LnAddVideo,
            Some(ItemKind::Lesson) => T::LnAddLesson,
            Some(_) => T::LnAddDocument,
            None => T::LnNewArticle,
        })
    };
    view! {
        <div class="page-head">
            <h1>{heading}</h1>
        </div>
        {move || match kind() {
            Some(kind) => view! {
                <MediaForm chapter=chapter() id=String::new() kind org=key("org").unwrap_or_default()
                    title=String::new() body=String::new() file=String::new()
                    file_name=String::new() back=back() lesson=Lesson::default()/>
            }
            .into_any(),
            None => view! {
                <ArticleForm chapter=chapter() id=String::new() title=String::new()
                    body=String::new() back=back() org=key("org").unwrap_or_default()/>
            }
            .into_any(),
        }}
    }
}

/// The item `<id>`, changed (an article's text, a video's or a document's file and notes).
#[component]
pub fn EditArticlePage() -> impl IntoView {
    let lang = use_lang();
    let id = param("id");
    let item = Resource::new(id, get_item);
    view! {
        <div class="page-head">
            <h1>{lang.t(T::LnEditArticle)}</h1>
        </div>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    item.await.map(|i| {
                        let back = format!("/learning/items/{}", i.id);
                        if !i.can_edit {
                            // Readers get the article, never an empty editor.
                            return view! {
                                <p class="alert alert-error" role="alert">{lang.t(T::LnNotEditor)}</p>
                                <a class="btn btn-ghost" href=back>{lang.t(T::LnBackToArticle)}</a>
                            }
                            .into_any();
                        }
                        if i.kind != ItemKind::Article {
                            return view! {
                                <MediaForm chapter=i.chapter id=i.id kind=i.kind org=i.org
                                    title=i.title body=i.body file=i.file file_name=i.file_name
                                    back lesson=Lesson {
                                        lecturer: i.lecturer,
                                        given_on: i.given_on,
                                        meeting: i.meeting,
                                    }/>
                            }
                            .into_any();
                        }
                        view! {
                            <ArticleForm chapter=i.chapter id=i.id title=i.title body=i.body back
                                org=i.org/>
                        }
                        .into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The Markdown of an uploaded image: described by its file's name without the extension
/// (`fallback` when nothing is left), with the characters that would end the description
/// or the link, or mark up the text, left out.
fn image_markdown(name: &str, key: &str, fallback: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let described: String = stem
        .chars()
        .filter(|c| !"[]()\\<>!`*_".contains(*c) && !c.is_control())
        .collect();
    let described = described.trim();
    let described = if described.is_empty() {
        fallback
    } else {
        described
    };
    format!("![{described}](/files/{key})")
}

/// The byte offset in `text` of the UTF-16 offset `n` (a text field's cursor), at a
/// character's start; the end when `n` is past it.
fn utf16_to_byte(text: &str, n: usize) -> usize {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units >= n {
            return at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// A 党课 record's own fields as the form starts with them.
#[derive(Clone, Debug, Default)]
struct Lesson {
    lecturer: String,
    given_on: String,
    meeting: String,
}

/// A 党课 record's lecturer, day and meeting (a 党课 of the course's organisation this
/// year, chosen from a list: nothing to type that the platform knows).
fn lesson_fields(
    lang: Lang,
    save: ServerAction<SaveArticle>,
    org: String,
    lesson: Lesson,
) -> impl IntoView {
    use crate::models::meeting::{MeetingKind, MeetingQuery};
    let meetings = Resource::new(
        move || org.clone(),
        |org| crate::api::meeting::list_meetings(MeetingQuery { org, year: 0 }),
    );
    let current = lesson.meeting.clone();
    let given_on = if lesson.given_on.is_empty() {
        crate::components::form::today()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    } else {
        lesson.given_on
    };
    view! {
        <Field id="ln-lesson-lecturer" name="input[lecturer]" label=lang.t(T::LnLecturer)
            required=true maxlength=30 value=lesson.lecturer
            error=action_error(save.value().into(), "lecturer")/>
        <Field id="ln-lesson-day" name="input[given_on]" label=lang.t(T::LnGivenOn) kind="date"
            required=true value=given_on error=action_error(save.value().into(), "given_on")/>
        <Suspense fallback=|| ()>
            {move || {
                let current = current.clone();
                Suspend::new(async move {
                    let options = meetings
                        .await
                        .map(|p| p.meetings)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|m| m.kind == MeetingKind::Lesson)
                        .map(|m| {
                            let selected = m.id == current;
                            view! {
                                <option value=m.id selected=selected>
                                    {format!("{} {} · {}", m.day.format("%Y-%m-%d"), m.topic, m.org_name)}
                                </option>
                            }
                        })
                        .collect_view();
                    view! {
                        <Field id="ln-lesson-meeting" name="input[meeting]"
                            label=lang.t(T::LnLessonMeeting)
                            error=action_error(save.value().into(), "meeting")>
                            <option value="">{lang.t(T::LnLessonMeetingNone)}</option>
                            {options}
                        </Field>
                    }
                })
            }}
        </Suspense>
    }
}

/// A video, a document or a 党课 record: its title, its file (uploaded here, into the file
/// store under the course's publisher `org`; optional for a 党课), a 党课's lecturer, day
/// and meeting, and optional notes in Markdown. Saving goes to the item.
#[component]
fn MediaForm(
    chapter: String,
    id: String,
    kind: ItemKind,
    org: String,
    title: String,
    body: String,
    file: String,
    file_name: String,
    back: String,
    lesson: Lesson,
) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveArticle>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = save.value().get() {
            navigate(&format!("/learning/items/{key}"), Default::default());
        }
    });
    let chosen = RwSignal::new((file, file_name));
    let on_done = Callback::new(move |f: FileView| chosen.set((f.id, f.name)));
    let file_error = action_error(save.value().into(), "file");
    let (label, accept) = match kind {
        ItemKind::Video => (T::LnVideoFile, ACCEPT_VIDEO),
        ItemKind::Lesson => (T::LnLessonFile, ACCEPT_PDF),
        _ => (T::LnDocumentFile, ACCEPT_PDF),
    };
    let lesson = (kind == ItemKind::Lesson).then(|| lesson_fields(lang, save, org.clone(), lesson));
    view! {
        <ActionForm action=save attr:class="form-stack" attr:data-testid="media-form">
            <input type="hidden" name="input[chapter]" value=chapter/>
            <input type="hidden" name="input[id]" value=id/>
            <input type="hidden" name="input[kind]" value=kind.as_str()/>
            <input type="hidden" name="input[file]" value=move || chosen.get().0/>
            <Field id="ln-media-title" name="input[title]" label=lang.t(T::LnTitle)
                required=true maxlength=TITLE_LEN value=title
                error=action_error(save.value().into(), "title")/>
            {lesson}
            <div class="field">
                <p>
                    <strong>{lang.t(label)}</strong>"："
                    <span data-testid="media-chosen" aria-live="polite">
                        {move || {
                            let name = chosen.get().1;
                            if name.is_empty() { lang.t(T::LnNoFile).to_string() } else { name }
                        }}
                    </span>
                </p>
                <p class="field-error" role="alert">{move || file_error.get()}</p>
            </div>
            <FileUpload org on_done field="ln-media-upload" accept/>
            <div class="field">
                <label for="ln-media-notes">{lang.t(T::LnNotes)}</label>
                <textarea id="ln-media-notes" name="input[body]" rows="6"
                    maxlength=BODY_MAX.to_string() aria-describedby="ln-media-notes-hint">
                    {body}
                </textarea>
                <p id="ln-media-notes-hint" class="hint">{lang.t(T::LnNotesHint)}</p>
            </div>
            {form_end(lang, save, &MEDIA_FIELDS, back)}
        </ActionForm>
    }
}

/// The end of an item's form: a refusal not shown by a field, Save and Cancel.
fn form_end(
    lang: Lang,
    save: ServerAction<SaveArticle>,
    fields: &'static [&'static str],
    back: String,
) -> impl IntoView + use<> {
    view! {
        <p class="field-error" role="alert">
            {move || general_error(save.value().get(), fields, lang)}
        </p>
        <div class="row-actions">
            <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                {lang.t(T::Save)}
            </button>
            <a class="btn btn-ghost" href=back>{lang.t(T::Cancel)}</a>
        </div>
    }
}

/// Title and Markdown, with the server's rendering beside it (refreshed shortly after
/// typing stops), and images uploaded into the text (filed under the course's publisher
/// `org`). Saving goes to the article.
#[component]
fn ArticleForm(
    chapter: String,
    id: String,
    title: String,
    body: String,
    back: String,
    org: String,
) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveArticle>::new();
    let preview = ServerAction::<PreviewMarkdown>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = save.value().get() {
            navigate(&format!("/learning/items/{key}"), Default::default());
        }
    });
    let text = RwSignal::new(body.clone());
    // The preview follows the text: asked for once typing pauses, and at once for an
    // article that has a text already.
    let edits = StoredValue::new(0u32);
    // An empty text shows an empty preview (no request).
    let ask = move || match text.try_get_untracked() {
        Some(body) if !body.trim().is_empty() => {
            preview.dispatch(PreviewMarkdown { body });
        }
        Some(_) => preview.value().set(None),
        None => {}
    };
    Effect::new(move |_| ask());
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        let Some(n) = edits.try_update_value(|n| {
            *n = n.wrapping_add(1);
            *n
        }) else {
            return;
        };
        // The page may be gone when the timer fires (saved, cancelled): then nothing.
        set_timeout(
            move || {
                if edits.try_get_value() == Some(n) {
                    ask();
                }
            },
            Duration::from_millis(600),
        );
    };
    let shown = move || match preview.value().get() {
        Some(Ok(html)) => html,
        _ => String::new(),
    };
    let preview_error = move || general_error(preview.value().get(), &[], lang);
    let body_error = action_error(save.value().into(), "body");
    // An uploaded image goes into the text where the cursor is (at the end when the text
    // was never focused), on lines of its own, described by its file's name (the editor
    // may rewrite the description); the cursor then stands after it, so the next image
    // of several uploaded at once follows it.
    let area = NodeRef::<leptos::html::Textarea>::new();
    let placed = StoredValue::new(false);
    let insert = Callback::new(move |f: FileView| {
        let Some(el) = area.get_untracked() else {
            return;
        };
        let value = el.value();
        let image = image_markdown(&f.name, &f.id, lang.t(T::LnImage));
        let at = el
            .selection_end()
            .ok()
            .flatten()
            .filter(|_| placed.get_value())
            .map_or(value.len(), |n| utf16_to_byte(&value, n as usize));
        let (before, after) = value.split_at(at);
        let before = format!("{before}\n\n{image}\n\n");
        let text_now = format!("{before}{after}");
        el.set_value(&text_now);
        let caret = u32::try_from(before.encode_utf16().count()).unwrap_or(u32::MAX);
        let _ = el.set_selection_range(caret, caret);
        placed.set_value(true);
        text.set(text_now);
        ask();
    });
    view! {
        <ActionForm action=save attr:class="form-stack article-editor"
            attr:data-testid="article-form">
            <input type="hidden" name="input[chapter]" value=chapter/>
            <input type="hidden" name="input[id]" value=id/>
            <Field id="ln-article-title" name="input[title]" label=lang.t(T::LnTitle)
                required=true maxlength=TITLE_LEN value=title
                error=action_error(save.value().into(), "title")/>
            <div class="editor-panes">
                <div class="field">
                    <label for="ln-article-body">{lang.t(T::LnBody)}</label>
                    <textarea id="ln-article-body" name="input[body]" rows="18" required=true
                        node_ref=area maxlength=BODY_MAX.to_string()
                        on:focus=move |_| placed.set_value(true)
                        aria-describedby="ln-article-body-hint ln-article-body-error"
                        aria-invalid=move || body_error.get().is_some().to_string()
                        on:input=on_input>
                        {body}
                    </textarea>
                    <p id="ln-article-body-hint" class="hint">{lang.t(T::LnMarkdownHint)}</p>
                    <p id="ln-article-body-error" class="field-error" role="alert">
                        {move || body_error.get()}
                    </p>
                    <fieldset class="field" data-testid="article-image">
                        <legend>{lang.t(T::LnInsertImage)}</legend>
                        <p class="hint">{lang.t(T::LnInsertImageHint)}</p>
                        <FileUpload org on_done=insert field="ln-article-image" accept=ACCEPT_IMAGE/>
                    </fieldset>
                </div>
                <section class="article-preview" aria-labelledby="ln-preview-heading">
                    <h2 id="ln-preview-heading">{lang.t(T::LnPreview)}</h2>
                    <p class="field-error" role="alert">{preview_error}</p>
                    <div class="article-body" data-testid="article-preview" inner_html=shown></div>
                </section>
            </div>
            {form_end(lang, save, &ARTICLE_FIELDS, back)}
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::{image_markdown, utf16_to_byte};

    #[test]
    fn an_uploaded_image_is_described_by_its_name_and_never_breaks_the_markdown() {
        assert_eq!(
            image_markdown("支部合影.png", "f1", "图片"),
            "![支部合影](/files/f1)"
        );
        // Marks that would end the description or the link, or mark up text, go.
        assert_eq!(
            image_markdown("a]b(c)\\d*e_`f!.jpeg", "f2", "图片"),
            "![abcdef](/files/f2)"
        );
        // Nothing left: the fallback; no extension: the whole name.
        assert_eq!(image_markdown("[].png", "f3", "图片"), "![图片](/files/f3)");
        assert_eq!(image_markdown(".png", "f4", "Image"), "![Image](/files/f4)");
        assert_eq!(image_markdown("合影", "f5", "图片"), "![合影](/files/f5)");
    }

    #[test]
    fn a_cursor_counted_in_utf16_lands_on_a_characters_start() {
        let text = "党建a😀b";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 1), "党".len());
        assert_eq!(utf16_to_byte(text, 3), "党建a".len());
        // The emoji is two UTF-16 units: after it is 'b'.
        assert_eq!(utf16_to_byte(text, 5), "党建a😀".len());
        assert_eq!(utf16_to_byte(text, 6), text.len());
        assert_eq!(utf16_to_byte(text, 99), text.len());
    }
}
