//! `/meetings/appraisals`: the 民主评议党员 of the branches in reach, and for the committee
//! the form that opens one; `/meetings/appraisals/<id>`: one appraisal. A member on its
//! list writes their 党性分析 and, while the vote is open, grades every other member on an
//! anonymous ballot; the committee opens and closes the vote, reads the totals (never who
//! voted what: no ballot is stored, `models::appraisal`) and decides each member's grade.

use std::collections::HashMap;

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::access::Role;
use crate::api::appraisal::{
    AdvanceAppraisal, CastBallot, DecideAppraisal, OpenAppraisal, SubmitSelfAssessment,
    get_appraisal, list_appraisals,
};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::form::{Field, action_error, successes, today};
use crate::components::layout::use_session;
use crate::components::table::keyed;
use crate::i18n::{Lang, T, use_lang};
use crate::models::appraisal::{
    AppraisalMember, AppraisalRow, AppraisalState, AppraisalView, BallotInput, DecisionInput,
    EXCELLENT_PERCENT, Grade, Mark, SELF_MAX, SELF_MIN,
};
use crate::models::org::OrgKind;
use crate::pages::meetings::{OrgChoice, org_choices};

// ---------------------------------------------------------------------------------------
// Shared pieces

/// The colour of a step (the words say the same).
fn state_class(s: AppraisalState) -> &'static str {
    match s {
        AppraisalState::Collecting => "badge badge-muted",
        AppraisalState::Voting | AppraisalState::Closed => "badge badge-warn",
        AppraisalState::Decided => "badge badge-ok",
    }
}

/// The colour of a grade (the words say the same).
fn grade_class(g: Grade) -> &'static str {
    match g {
        Grade::Excellent | Grade::Qualified => "badge badge-ok",
        Grade::Basic => "badge badge-warn",
        Grade::Unqualified => "badge badge-danger",
    }
}

/// A grade as a badge, or "无" when there is none.
fn grade_badge(lang: Lang, g: Option<Grade>) -> AnyView {
    match g {
        Some(g) => view! { <span class=grade_class(g)>{lang.t(g.label())}</span> }.into_any(),
        None => lang.t(T::NoneText).into_any(),
    }
}

/// The grade a member starts at in the decision: the one with the most votes; on a tie,
/// 合格 when it is among the tied, else the first of them in `Grade::ALL` order (no votes
/// at all: 合格).
fn suggested(counts: &[u32]) -> Grade {
    let best = counts.iter().copied().max().unwrap_or(0);
    let tied: Vec<Grade> = Grade::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n == best)
        .map(|(g, _)| *g)
        .collect();
    match tied.first() {
        Some(first) if !tied.contains(&Grade::Qualified) => *first,
        _ => Grade::Qualified,
    }
}

/// A term and its value in the appraisal's facts.
fn fact(label: &'static str, value: impl IntoView + 'static) -> impl IntoView {
    view! {
        <dt>{label}</dt>
        <dd>{value}</dd>
    }
}

/// How the ballot stays secret, on every appraisal page.
fn anonymity(lang: Lang) -> impl IntoView {
    view! {
        <section class="card apv-anon" aria-labelledby="apv-anon-heading" data-testid="appraisal-anonymity">
            <h2 id="apv-anon-heading">{lang.t(T::ApvAnonHeading)}</h2>
            <p>{lang.t(T::ApvAnonText)}</p>
        </section>
    }
}

/// A member's 党性分析, folded.
fn self_details(lang: Lang, name: &str, text: String) -> AnyView {
    let summary = lang.t(T::ApvReadSelf(name));
    view! {
        <details class="apv-self">
            <summary>{summary}</summary>
            <p class="pre-line">{text}</p>
        </details>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// /meetings/appraisals

/// The fields of the open form, whose errors show under them.
const OPEN_FIELDS: [&str; 3] = ["org", "year", "excellent_percent"];

/// The appraisals in reach; for the committee, the form that opens one.
#[component]
pub fn AppraisalsPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| list_appraisals());
    let session = use_session();
    let open_form = move || {
        Suspend::new(async move {
            let committee = matches!(session.await, Ok(Some(s))
                if s.roles.iter().any(|r| matches!(r, Role::BranchCommittee | Role::CommitteeOffice)));
            committee.then(|| view! { <OpenForm/> })
        })
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::ApvTitle)}</h1>
            <div class="toolbar">
                <a class="btn btn-ghost" href="/meetings">{lang.t(T::MtpBack)}</a>
            </div>
        </div>
        <p class="hint">{lang.t(T::ApvIntro)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    list.await.map(|rows| view! { <AppraisalList rows/> })
                })}
            </ErrorBoundary>
        </Transition>
        <Suspense fallback=|| ()>{open_form}</Suspense>
    }
}

/// The appraisals as a table, or a note that there is none.
#[component]
fn AppraisalList(rows: Vec<AppraisalRow>) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! {
            <section class="card">
                <EmptyState message=T::ApvEmpty/>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card">
            <div class="table-wrap">
                <table class="data-table apv-table" data-testid="appraisal-table">
                    <caption>{lang.t(T::ApvListCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::ApvColBranch)}</th>
                            <th scope="col">{lang.t(T::ApvColYear)}</th>
                            <th scope="col">{lang.t(T::ApvColState)}</th>
                            <th scope="col">{lang.t(T::ApvColVoted)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {keyed(rows, |r: &AppraisalRow| r.id.clone(), move |r: AppraisalRow| appraisal_row(lang, r))}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// One appraisal of the list: its branch (the link to it), year, step and votes.
fn appraisal_row(lang: Lang, r: AppraisalRow) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">
                <a href=format!("/meetings/appraisals/{}", r.id)>{r.org_name}</a>
            </th>
            <td>{lang.t(T::ApvYearText(r.year))}</td>
            <td><span class=state_class(r.state)>{lang.t(r.state.label())}</span></td>
            <td>{lang.t(T::ApvVotedOf(r.voted, r.voters))}</td>
        </tr>
    }
}

/// Opens a branch's appraisal of a year, then goes to its page.
#[component]
fn OpenForm() -> impl IntoView {
    let lang = use_lang();
    let open = ServerAction::<OpenAppraisal>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = open.value().get() {
            navigate(&format!("/meetings/appraisals/{key}"), Default::default());
        }
    });
    let orgs = Resource::new(|| (), |_| org_choices());
    view! {
        <section class="card" aria-labelledby="apv-open-heading">
            <h2 id="apv-open-heading">{lang.t(T::ApvOpenHeading)}</h2>
            <p class="hint">{lang.t(T::ApvOpenHint)}</p>
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        orgs.await.map(|choices| view! { <OpenFields open choices/> })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// The open form's fields: a branch, the year (this year by default) and, optionally, the
/// share of 优秀. What was typed stays when the server refuses (the form is not rebuilt).
#[component]
fn OpenFields(open: ServerAction<OpenAppraisal>, choices: Vec<OrgChoice>) -> impl IntoView {
    let lang = use_lang();
    // Appraisals are held in branches only.
    let branches: Vec<OrgChoice> = choices
        .into_iter()
        .filter(|(_, _, kind)| *kind == OrgKind::Branch)
        .collect();
    if branches.is_empty() {
        return view! { <EmptyState message=T::ApvNoBranches/> }.into_any();
    }
    let error = move |field: &'static str| action_error(open.value().into(), field);
    let percent_error = error("excellent_percent");
    let year = today().map(|d| d.year().to_string()).unwrap_or_default();
    // An empty number does not read as a number: the share is sent only when typed (absent,
    // the server takes the default).
    let percent = RwSignal::new(String::new());
    let percent_name =
        move || (!percent.with(|p| p.trim().is_empty())).then_some("input[excellent_percent]");
    view! {
        <ActionForm action=open attr:class="form-stack" attr:data-testid="appraisal-open-form">
            <div class="form-row">
                <Field id="apv-org" name="input[org]" label=lang.t(T::ApvColBranch) error=error("org")>
                    {branches
                        .into_iter()
                        .map(|(id, name, _)| {
                            let name = name.trim_start_matches('\u{3000}').to_string();
                            view! { <option value=id>{name}</option> }
                        })
                        .collect_view()}
                </Field>
                <Field id="apv-year" name="input[year]" label=lang.t(T::ApvColYear) kind="number"
                    required=true min="2000" inputmode="numeric" value=year error=error("year")/>
                <div class="field">
                    <label for="apv-percent">{lang.t(T::ApvPercent)}</label>
                    <input
                        id="apv-percent"
                        type="number"
                        name=percent_name
                        min="1"
                        max="50"
                        inputmode="numeric"
                        placeholder=EXCELLENT_PERCENT.to_string()
                        aria-describedby="apv-percent-hint apv-percent-error"
                        aria-invalid=move || percent_error.get().is_some().to_string()
                        on:input=move |ev| percent.set(event_target_value(&ev))
                    />
                    <p id="apv-percent-hint" class="hint">{lang.t(T::ApvPercentHint(EXCELLENT_PERCENT))}</p>
                    <p id="apv-percent-error" class="field-error" role="alert">{move || percent_error.get()}</p>
                </div>
            </div>
            <p class="field-error" role="alert">{move || general_error(open.value().get(), &OPEN_FIELDS, lang)}</p>
            <div>
                <button type="submit" class="btn btn-primary" data-testid="appraisal-open"
                    disabled=move || open.pending().get()>
                    {lang.t(T::ApvOpen)}
                </button>
            </div>
        </ActionForm>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// /meetings/appraisals/:id

/// The page's actions, and what the member has entered but not yet sent (kept when the
/// page reloads after another action).
#[derive(Clone, Copy)]
struct AppraisalActions {
    submit: ServerAction<SubmitSelfAssessment>,
    cast: ServerAction<CastBallot>,
    advance: ServerAction<AdvanceAppraisal>,
    decide: ServerAction<DecideAppraisal>,
    /// The 党性分析 as typed.
    draft: RwSignal<Option<String>>,
    /// The ballot's grades so far, by member key. Only in this page's memory: never sent
    /// until cast, never stored.
    ballot: RwSignal<HashMap<String, Grade>>,
}

/// One appraisal, read again after each successful action.
#[component]
pub fn AppraisalPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let actions = AppraisalActions {
        submit: ServerAction::new(),
        cast: ServerAction::new(),
        advance: ServerAction::new(),
        decide: ServerAction::new(),
        draft: RwSignal::new(None),
        ballot: RwSignal::new(HashMap::new()),
    };
    let AppraisalActions {
        submit,
        cast,
        advance,
        decide,
        draft,
        ballot,
    } = actions;
    let changed = (
        successes(submit.value().into(), submit.version().into()),
        successes(cast.value().into(), cast.version().into()),
        successes(advance.value().into(), advance.version().into()),
        successes(decide.value().into(), decide.version().into()),
    );
    // A submitted 党性分析 is the server's again; a cast ballot is forgotten.
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(_))) {
            draft.set(None);
        }
    });
    Effect::new(move |_| {
        if matches!(cast.value().get(), Some(Ok(_))) {
            ballot.set(HashMap::new());
        }
    });
    // Another appraisal: nothing typed for this one carries over.
    Effect::new(move |previous: Option<String>| {
        let current = id.get();
        if previous.is_some_and(|p| p != current) {
            draft.set(None);
            ballot.set(HashMap::new());
        }
        current
    });
    let detail = Resource::new(
        move || {
            (
                id.get(),
                changed.0.get(),
                changed.1.get(),
                changed.2.get(),
                changed.3.get(),
            )
        },
        |(id, ..)| get_appraisal(id),
    );
    let session = use_session();
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let me = session.await.ok().flatten().and_then(|s| s.member);
                    detail.await.map(|detail| view! { <Appraisal detail me actions/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The appraisal: its facts, the secrecy of the ballot, then by role and step the
/// member's 党性分析 and ballot and the committee's steps, totals and decision.
#[component]
fn Appraisal(
    detail: AppraisalView,
    /// The signed-in account's member key.
    me: Option<String>,
    actions: AppraisalActions,
) -> impl IntoView {
    let lang = use_lang();
    let AppraisalView {
        id,
        org: _,
        org_name,
        year,
        state,
        excellent_percent,
        excellent_max,
        members,
        voted,
        voters,
        on_list,
        has_voted,
        can_manage,
    } = detail;
    // The caller on the list: the session's member; failing that (a member is sent only
    // their own 党性分析) the one whose text came.
    let me = me
        .filter(|m| members.iter().any(|x| &x.member == m))
        .or_else(|| {
            (!can_manage)
                .then(|| {
                    members
                        .iter()
                        .find(|x| x.self_assessed || !x.self_text.is_empty())
                        .map(|x| x.member.clone())
                })
                .flatten()
        });
    let mine: Option<AppraisalMember> = me
        .as_ref()
        .and_then(|k| members.iter().find(|x| &x.member == k))
        .cloned();
    let open_steps = matches!(state, AppraisalState::Collecting | AppraisalState::Voting);
    let submitted = members.iter().filter(|m| m.self_assessed).count();
    let listed = members.len();

    let self_section = (on_list && open_steps).then(|| {
        let (text, done) = mine
            .as_ref()
            .map(|m| (m.self_text.clone(), m.self_assessed))
            .unwrap_or_default();
        view! { <SelfAssessment appraisal=id.clone() text submitted=done actions/> }
    });
    let ballot_section = (on_list && state == AppraisalState::Voting).then(|| {
        if has_voted {
            view! {
                <section class="card">
                    <p class="alert alert-success" role="status" data-testid="ballot-cast">
                        {lang.t(T::ApvVoted)}
                    </p>
                </section>
            }
            .into_any()
        } else {
            let others: Vec<(String, String)> = members
                .iter()
                .filter(|m| Some(&m.member) != me.as_ref())
                .map(|m| (m.member.clone(), m.name.clone()))
                .collect();
            view! { <Ballot appraisal=id.clone() others actions/> }.into_any()
        }
    });
    let member_note = if on_list {
        match state {
            AppraisalState::Collecting => Some(lang.t(T::ApvVoteLater).to_string()),
            AppraisalState::Closed if !can_manage => Some(lang.t(T::ApvAwaitDecision).to_string()),
            AppraisalState::Decided => mine
                .as_ref()
                .and_then(|m| m.decided)
                .map(|g| lang.t(T::ApvMyGrade(lang.t(g.label())))),
            _ => None,
        }
    } else {
        None
    };
    let member_note = member_note.map(|text| {
        view! {
            <section class="card">
                <p class="apv-note" role="status" data-testid="appraisal-note">{text}</p>
            </section>
        }
    });
    let manage_section = can_manage.then(|| {
        let body = match state {
            AppraisalState::Collecting | AppraisalState::Voting => view! {
                <Advance appraisal=id.clone() state voted voters advance=actions.advance/>
                {self_list(lang, members.clone())}
            }
            .into_any(),
            AppraisalState::Closed => view! {
                <Decision
                    appraisal=id.clone()
                    members=members.clone()
                    excellent_max
                    decide=actions.decide
                />
            }
            .into_any(),
            AppraisalState::Decided => results_table(lang, members.clone()).into_any(),
        };
        view! {
            <section class="card" aria-labelledby="apv-manage-heading" data-testid="appraisal-manage">
                <h2 id="apv-manage-heading">{lang.t(T::ApvManageHeading)}</h2>
                {body}
            </section>
        }
    });
    view! {
        <div class="page-head">
            <h1 data-testid="appraisal-heading">{lang.t(T::ApvHeading(&org_name, year))}</h1>
            <div class="toolbar">
                <a class="btn btn-ghost" href="/meetings/appraisals">{lang.t(T::ApvBack)}</a>
            </div>
        </div>
        <section class="card" aria-labelledby="apv-facts-heading">
            <h2 id="apv-facts-heading" class="visually-hidden">{lang.t(T::ApvFacts)}</h2>
            <dl class="detail-grid" data-testid="appraisal-facts">
                {fact(lang.t(T::ApvColBranch), org_name.clone())}
                {fact(lang.t(T::ApvColYear), lang.t(T::ApvYearText(year)))}
                {fact(
                    lang.t(T::ApvColState),
                    view! { <span class=state_class(state)>{lang.t(state.label())}</span> },
                )}
                {fact(lang.t(T::ApvColVoted), lang.t(T::ApvVotedOf(voted, voters)))}
                {can_manage.then(|| fact(lang.t(T::ApvColSelf), lang.t(T::ApvSelfCount(submitted, listed))))}
                {fact(lang.t(T::ApvColShare), lang.t(T::ApvShare(excellent_percent, excellent_max)))}
            </dl>
        </section>
        {anonymity(lang)}
        {member_note}
        {self_section}
        {ballot_section}
        {manage_section}
    }
}

/// The member's own 党性分析: a text of `SELF_MIN` to `SELF_MAX` characters with a live
/// count, replaceable until the vote closes.
#[component]
fn SelfAssessment(
    appraisal: String,
    /// The text the server holds ("" before the first submission).
    text: String,
    submitted: bool,
    actions: AppraisalActions,
) -> impl IntoView {
    let lang = use_lang();
    let (submit, draft) = (actions.submit, actions.draft);
    let shown = draft.get_untracked().unwrap_or(text);
    let typed = RwSignal::new(shown.clone());
    // Counted as the server counts: characters, without the surrounding blanks.
    let count = move || typed.with(|t| t.trim().chars().count());
    let count_text = move || {
        let n = count();
        if n < SELF_MIN {
            lang.t(T::ApvCharsShort(n, SELF_MAX, SELF_MIN - n))
        } else {
            lang.t(T::ApvChars(n, SELF_MAX))
        }
    };
    let error = action_error(submit.value().into(), "text");
    let (badge, status) = if submitted {
        ("badge badge-ok", T::ApvSelfSubmitted)
    } else {
        ("badge badge-muted", T::ApvSelfMissing)
    };
    let saved =
        move || matches!(submit.value().get(), Some(Ok(_))).then(|| lang.t(T::ApvSelfSaved));
    view! {
        <section class="card" aria-labelledby="apv-self-heading">
            <h2 id="apv-self-heading">{lang.t(T::ApvSelfHeading)}</h2>
            <p><span class=badge data-testid="self-state">{lang.t(status)}</span></p>
            <p id="apv-self-hint" class="hint">{lang.t(T::ApvSelfHint(SELF_MIN, SELF_MAX))}</p>
            <ActionForm action=submit attr:class="form-stack" attr:data-testid="self-form">
                <input type="hidden" name="input[appraisal]" value=appraisal/>
                <div class="field">
                    <label for="apv-self-text">{lang.t(T::ApvSelfLabel)}</label>
                    <textarea
                        id="apv-self-text"
                        name="input[text]"
                        rows="10"
                        required=true
                        maxlength=SELF_MAX.to_string()
                        data-testid="self-text"
                        aria-describedby="apv-self-hint apv-self-count apv-self-text-error"
                        aria-invalid=move || error.get().is_some().to_string()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            typed.set(value.clone());
                            draft.set(Some(value));
                        }
                    >
                        {shown}
                    </textarea>
                    <p id="apv-self-count" class="hint apv-count" data-testid="self-count">{count_text}</p>
                    <p id="apv-self-text-error" class="field-error" role="alert">{move || error.get()}</p>
                </div>
                <p class="field-error" role="alert">{move || general_error(submit.value().get(), &["text"], lang)}</p>
                <p class="saved" role="status">{saved}</p>
                <div>
                    <button type="submit" class="btn btn-primary" data-testid="self-submit"
                        disabled=move || submit.pending().get()>
                        {lang.t(T::ApvSubmitSelf)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The ballot: one group of four grades per other member, none chosen at first. It is
/// sent only when every member has a grade, after a confirmation, as one `BallotInput`.
#[component]
fn Ballot(
    appraisal: String,
    /// Every other member on the list: key and name, in list order.
    others: Vec<(String, String)>,
    actions: AppraisalActions,
) -> impl IntoView {
    let lang = use_lang();
    let (cast, ballot) = (actions.cast, actions.ballot);
    let total = others.len();
    let request = StoredValue::new((appraisal, others.clone()));
    // Set once "提交投票" was pressed with grades missing: the missing rows are marked.
    let tried = RwSignal::new(false);
    // The names of those not graded yet, in list order.
    let missing = Memo::new(move |_| {
        request.with_value(|(_, others)| {
            ballot.with(|b| {
                others
                    .iter()
                    .filter(|(k, _)| !b.contains_key(k))
                    .map(|(_, n)| n.clone())
                    .collect::<Vec<String>>()
            })
        })
    });
    let excellent = move || {
        request.with_value(|(_, others)| {
            ballot.with(|b| {
                others
                    .iter()
                    .filter(|(k, _)| b.get(k) == Some(&Grade::Excellent))
                    .count()
            })
        })
    };
    let tally = move || {
        let done = total - missing.with(Vec::len);
        format!(
            "{} · {}",
            lang.t(T::ApvGraded(done, total)),
            lang.t(T::ApvExcellentChosen(excellent()))
        )
    };
    let missing_text = move || {
        (tried.get() && !missing.with(Vec::is_empty)).then(|| {
            missing.with(|m| {
                let names: Vec<&str> = m.iter().map(String::as_str).collect();
                lang.t(T::ApvMissing(&lang.list(&names)))
            })
        })
    };
    let all_qualified = move |_: leptos::ev::MouseEvent| {
        request.with_value(|(_, others)| {
            ballot.update(|b| {
                for (k, _) in others {
                    b.insert(k.clone(), Grade::Qualified);
                }
            });
        });
    };
    let send = move |_: leptos::ev::MouseEvent| {
        if !missing.with_untracked(Vec::is_empty) {
            tried.set(true);
            return;
        }
        let input = request.with_value(|(appraisal, others)| BallotInput {
            appraisal: appraisal.clone(),
            marks: ballot.with_untracked(|b| {
                others
                    .iter()
                    .filter_map(|(k, _)| {
                        b.get(k).map(|g| Mark {
                            member: k.clone(),
                            grade: *g,
                        })
                    })
                    .collect()
            }),
        });
        cast.dispatch(CastBallot { input });
    };
    // Complete: the button asks for confirmation; incomplete: it shows what is missing.
    let submit = move || {
        if missing.with(Vec::is_empty) {
            view! {
                <ConfirmDialog
                    trigger=lang.t(T::ApvCastBallot)
                    trigger_class="btn btn-primary apv-send"
                    message=lang.t(T::ApvConfirmBallot)
                >
                    <button type="button" class="btn btn-primary" data-testid="ballot-confirm"
                        disabled=move || cast.pending().get() on:click=send>
                        {lang.t(T::ApvConfirmCast)}
                    </button>
                    <p class="field-error" role="alert">{move || general_error(cast.value().get(), &[], lang)}</p>
                </ConfirmDialog>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="btn btn-primary apv-send" data-testid="ballot-submit"
                    aria-describedby="apv-ballot-missing" on:click=move |_| tried.set(true)>
                    {lang.t(T::ApvCastBallot)}
                </button>
            }
            .into_any()
        }
    };
    let rows = keyed(
        others.into_iter().enumerate(),
        |row: &(usize, (String, String))| row.1.0.clone(),
        move |(i, (key, name))| ballot_row(lang, ballot, tried, i, key, name),
    );
    view! {
        <section class="card" aria-labelledby="apv-ballot-heading" data-testid="ballot">
            <h2 id="apv-ballot-heading">{lang.t(T::ApvBallotHeading)}</h2>
            <p class="hint">{lang.t(T::ApvBallotHint)}</p>
            <div class="toolbar">
                <button type="button" class="btn btn-ghost" data-testid="ballot-all-qualified"
                    on:click=all_qualified>
                    {lang.t(T::ApvAllQualified)}
                </button>
            </div>
            <div class="apv-ballot">{rows}</div>
            <div class="apv-send-bar">
                <p class="apv-tally" aria-live="polite" data-testid="ballot-tally">{tally}</p>
                <p id="apv-ballot-missing" class="field-error" role="alert" data-testid="ballot-missing">
                    {missing_text}
                </p>
                <p class="field-error" role="alert">{move || general_error(cast.value().get(), &[], lang)}</p>
                {submit}
            </div>
        </section>
    }
}

/// One member on the ballot: their name as the legend of four radio buttons.
fn ballot_row(
    lang: Lang,
    ballot: RwSignal<HashMap<String, Grade>>,
    tried: RwSignal<bool>,
    i: usize,
    key: String,
    name: String,
) -> impl IntoView {
    let group = format!("apv-grade-{i}");
    let chosen = {
        let key = key.clone();
        Memo::new(move |_| ballot.with(|b| b.contains_key(&key)))
    };
    let unmarked = move || tried.get() && !chosen.get();
    let row_class = move || {
        if unmarked() {
            "apv-row is-missing"
        } else {
            "apv-row"
        }
    };
    let options = Grade::ALL
        .iter()
        .map(|g| {
            let g = *g;
            let (read, write) = (key.clone(), key.clone());
            view! {
                <label class="apv-choice">
                    <input
                        type="radio"
                        name=group.clone()
                        value=g.as_str()
                        prop:checked=move || ballot.with(|b| b.get(&read) == Some(&g))
                        on:change=move |_| ballot.update(|b| {
                            b.insert(write.clone(), g);
                        })
                    />
                    <span>{lang.t(g.label())}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class=row_class data-testid="ballot-row">
            <legend>
                {name}
                {move || unmarked().then(|| view! {
                    " "<span class="field-error">{lang.t(T::ApvNotChosen)}</span>
                })}
            </legend>
            <div class="apv-choices">{options}</div>
        </fieldset>
    }
}

/// The committee's step forward, behind a confirmation: collecting → the vote opens; the
/// vote → it closes and is counted.
#[component]
fn Advance(
    appraisal: String,
    state: AppraisalState,
    voted: u32,
    voters: u32,
    advance: ServerAction<AdvanceAppraisal>,
) -> impl IntoView {
    let lang = use_lang();
    let (label, message, hint) = match state {
        AppraisalState::Collecting => (
            T::ApvStartVoting,
            lang.t(T::ApvConfirmStart).to_string(),
            T::ApvStartHint,
        ),
        AppraisalState::Voting => (
            T::ApvCloseVoting,
            lang.t(T::ApvConfirmClose(voted, voters)),
            T::ApvCloseHint,
        ),
        AppraisalState::Closed | AppraisalState::Decided => return ().into_any(),
    };
    view! {
        <p class="hint">{lang.t(hint)}</p>
        <div class="toolbar">
            <ConfirmDialog trigger=lang.t(label) trigger_class="btn btn-primary" message>
                <ActionForm action=advance attr:class="inline-form">
                    <input type="hidden" name="id" value=appraisal/>
                    <button type="submit" class="btn btn-primary" data-testid="appraisal-advance"
                        disabled=move || advance.pending().get()>
                        {lang.t(label)}
                    </button>
                </ActionForm>
                <p class="field-error" role="alert">{move || general_error(advance.value().get(), &[], lang)}</p>
            </ConfirmDialog>
        </div>
        <p class="field-error" role="alert">{move || general_error(advance.value().get(), &[], lang)}</p>
    }
    .into_any()
}

/// Who has submitted a 党性分析, each text folded (the committee, before the vote closes).
fn self_list(lang: Lang, members: Vec<AppraisalMember>) -> impl IntoView {
    let submitted = members.iter().filter(|m| m.self_assessed).count();
    let listed = members.len();
    view! {
        <h3>{lang.t(T::ApvSelvesHeading)}</h3>
        <p>{lang.t(T::ApvSelfCount(submitted, listed))}</p>
        <ul class="apv-selves" data-testid="self-list">
            {keyed(
                members,
                |m: &AppraisalMember| m.member.clone(),
                move |m: AppraisalMember| self_line(lang, m),
            )}
        </ul>
    }
}

/// One member of the list of 党性分析.
fn self_line(lang: Lang, m: AppraisalMember) -> impl IntoView {
    let (class, label) = if m.self_assessed {
        ("badge badge-ok", T::ApvSelfSubmitted)
    } else {
        ("badge badge-muted", T::ApvSelfMissing)
    };
    let text = (!m.self_text.is_empty()).then(|| self_details(lang, &m.name, m.self_text.clone()));
    view! {
        <li>
            <span class="apv-name">{m.name.clone()}</span>" "
            <span class=class>{lang.t(label)}</span>
            {text}
        </li>
    }
}

/// The totals of the closed vote and the branch's decision: a grade per member, starting
/// at the one with the most votes, with 优秀 for at most `excellent_max`; sent after a
/// confirmation.
#[component]
fn Decision(
    appraisal: String,
    members: Vec<AppraisalMember>,
    excellent_max: u32,
    decide: ServerAction<DecideAppraisal>,
) -> impl IntoView {
    let lang = use_lang();
    let max = excellent_max as usize;
    let keys: Vec<String> = members.iter().map(|m| m.member.clone()).collect();
    let grades = RwSignal::new(
        members
            .iter()
            .map(|m| suggested(&m.counts))
            .collect::<Vec<Grade>>(),
    );
    let excellent =
        Memo::new(move |_| grades.with(|g| g.iter().filter(|g| **g == Grade::Excellent).count()));
    let unqualified =
        Memo::new(move |_| grades.with(|g| g.iter().filter(|g| **g == Grade::Unqualified).count()));
    let over = move || excellent.get() > max;
    let request = StoredValue::new((appraisal, keys));
    let send = move |_: leptos::ev::MouseEvent| {
        if excellent.get_untracked() > max {
            return;
        }
        let input = request.with_value(|(appraisal, keys)| DecisionInput {
            appraisal: appraisal.clone(),
            marks: grades.with_untracked(|g| {
                keys.iter()
                    .zip(g)
                    .map(|(k, g)| Mark {
                        member: k.clone(),
                        grade: *g,
                    })
                    .collect()
            }),
        });
        decide.dispatch(DecideAppraisal { input });
    };
    let rows = keyed(
        members.into_iter().enumerate(),
        |row: &(usize, AppraisalMember)| row.1.member.clone(),
        move |(i, m)| decision_row(lang, grades, i, m),
    );
    let counter = move || lang.t(T::ApvExcellentCounter(excellent.get(), excellent_max));
    let counter_class = move || {
        if over() {
            "apv-counter field-error"
        } else {
            "apv-counter"
        }
    };
    let over_text = move || over().then(|| lang.t(T::ApsErrTooManyExcellent(max)));
    // Within the share: the button asks for confirmation, naming how many are 不合格.
    let confirm = Memo::new(move |_| (excellent.get() <= max, unqualified.get()));
    let submit = move || {
        let (within, unq) = confirm.get();
        if within {
            view! {
                <ConfirmDialog
                    trigger=lang.t(T::ApvDecide)
                    trigger_class="btn btn-primary"
                    message=lang.t(T::ApvConfirmDecide(unq))
                >
                    <button type="button" class="btn btn-primary" data-testid="decide-confirm"
                        disabled=move || decide.pending().get() on:click=send>
                        {lang.t(T::ApvDecide)}
                    </button>
                    <p class="field-error" role="alert">{move || general_error(decide.value().get(), &[], lang)}</p>
                </ConfirmDialog>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="btn btn-primary" disabled=true
                    aria-describedby="apv-excellent-over" data-testid="decide-blocked">
                    {lang.t(T::ApvDecide)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <h3>{lang.t(T::ApvTotalsHeading)}</h3>
        <p class="hint">{lang.t(T::ApvDecideHint)}</p>
        <div class="table-wrap">
            <table class="data-table apv-table" data-testid="totals-table">
                <caption>{lang.t(T::ApvTotalsCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{lang.t(T::ApvColMember)}</th>
                        {Grade::ALL
                            .iter()
                            .map(|g| view! { <th scope="col" class="num">{lang.t(g.label())}</th> })
                            .collect_view()}
                        <th scope="col">{lang.t(T::ApvColSelf)}</th>
                        <th scope="col">{lang.t(T::ApvColDecision)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p id="apv-excellent-count" class=counter_class role="status" data-testid="excellent-counter">
            {counter}
        </p>
        <p id="apv-excellent-over" class="field-error" role="alert">{over_text}</p>
        <p class="field-error" role="alert">{move || general_error(decide.value().get(), &[], lang)}</p>
        <div class="toolbar">{submit}</div>
    }
}

/// One member's totals, 党性分析 and the select of their grade.
fn decision_row(
    lang: Lang,
    grades: RwSignal<Vec<Grade>>,
    i: usize,
    m: AppraisalMember,
) -> impl IntoView {
    let initial = grades.with_untracked(|g| g.get(i).copied().unwrap_or(Grade::Qualified));
    let select_id = format!("apv-decide-{i}");
    let counts = (0..Grade::ALL.len())
        .map(|j| {
            let n = m.counts.get(j).copied().unwrap_or(0);
            view! { <td class="num">{lang.count(i64::from(n))}</td> }
        })
        .collect_view();
    let text = (!m.self_text.is_empty()).then(|| self_details(lang, &m.name, m.self_text.clone()));
    let label = lang.t(T::ApvGradeOf(&m.name));
    view! {
        <tr>
            <th scope="row">{m.name.clone()}</th>
            {counts}
            <td class="apv-self-cell">{text}</td>
            <td>
                <label for=select_id.clone() class="visually-hidden">{label}</label>
                <select
                    id=select_id
                    class="apv-grade-select"
                    data-testid="decide-grade"
                    on:change=move |ev| {
                        if let Some(g) = Grade::parse(&event_target_value(&ev)) {
                            grades.update(|v| {
                                if let Some(slot) = v.get_mut(i) {
                                    *slot = g;
                                }
                            });
                        }
                    }
                >
                    {Grade::ALL
                        .iter()
                        .map(|g| {
                            let selected = *g == initial;
                            view! { <option value=g.as_str() selected=selected>{lang.t(g.label())}</option> }
                        })
                        .collect_view()}
                </select>
            </td>
        </tr>
    }
}

/// The decided grades (the committee, once decided).
fn results_table(lang: Lang, members: Vec<AppraisalMember>) -> impl IntoView {
    view! {
        <h3>{lang.t(T::ApvResultsHeading)}</h3>
        <div class="table-wrap">
            <table class="data-table apv-table" data-testid="results-table">
                <caption>{lang.t(T::ApvResultsCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{lang.t(T::ApvColMember)}</th>
                        <th scope="col">{lang.t(T::ApvColGrade)}</th>
                    </tr>
                </thead>
                <tbody>
                    {keyed(
                        members,
                        |m: &AppraisalMember| m.member.clone(),
                        move |m: AppraisalMember| view! {
                            <tr>
                                <th scope="row">{m.name}</th>
                                <td>{grade_badge(lang, m.decided)}</td>
                            </tr>
                        },
                    )}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_starts_at_the_grade_with_most_votes_ties_going_to_qualified() {
        assert_eq!(suggested(&[5, 2, 0, 0]), Grade::Excellent);
        assert_eq!(suggested(&[0, 1, 4, 0]), Grade::Basic);
        assert_eq!(suggested(&[3, 3, 0, 0]), Grade::Qualified);
        assert_eq!(suggested(&[0, 0, 2, 2]), Grade::Basic);
        assert_eq!(suggested(&[0, 0, 0, 0]), Grade::Qualified);
        assert_eq!(suggested(&[]), Grade::Qualified);
    }
}
