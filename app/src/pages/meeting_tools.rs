//! The meeting page's tools fetched once the page has hydrated (`#[lazy]`, not part of its
//! first load): an attendee's request for leave, the committee's answers to requests, the
//! minutes' photos and attachments, and a meeting's people changed after scheduling. Each
//! is a form that needs the page's script anyway; what the server renders in their place
//! is the record as it stands (the request's state, the list of files).

use leptos::prelude::*;

use crate::api::meeting::{
    ApproveMinutes, DecideLeave, RequestLeave, SaveMinutes, SetMeetingFiles, SetMeetingPeople,
};
use crate::components::feedback::general_error;
use crate::components::form::{Field, action_error};
use crate::components::upload::{FileUpload, chosen_links, link_list};
use crate::i18n::{Lang, T, use_lang};
use crate::models::closed_loop::EvidenceLink;
use crate::models::files::FileView;
use crate::models::meeting::{
    LeaveRequest, MINUTES_MAX, MeetingFilesInput, MeetingPeopleInput, MinutesState, Named,
};

// ---------------------------------------------------------------------------------------
// 请假: the attendee's request

/// What the attendee's leave box needs.
#[derive(Clone)]
pub struct LeaveBoxArgs {
    pub meeting: String,
    pub can_request: bool,
    pub mine: Option<LeaveRequest>,
    pub request: ServerAction<RequestLeave>,
}

/// The attendee's request for leave: its state once made, and the form while it may still
/// be made (or its reason replaced).
#[lazy]
pub fn leave_box(args: LeaveBoxArgs) -> AnyView {
    view! { <LeaveBox args/> }.into_any()
}

/// The request's state as the server renders it (and the page shows until the form loads).
pub fn leave_state(lang: Lang, mine: Option<&LeaveRequest>) -> AnyView {
    match mine {
        Some(r) => view! {
            <p data-testid="leave-state">
                {lang.t(T::MtpLeaveMine(lang.t(r.state.label()), &r.reason))}
            </p>
        }
        .into_any(),
        None => ().into_any(),
    }
}

#[component]
fn LeaveBox(args: LeaveBoxArgs) -> impl IntoView {
    let lang = use_lang();
    let LeaveBoxArgs {
        meeting,
        can_request,
        mine,
        request,
    } = args;
    let form = can_request.then(|| {
        view! {
            <p class="hint">{lang.t(T::MtpLeaveHint)}</p>
            <ActionForm action=request attr:class="form-stack">
                <input type="hidden" name="input[meeting]" value=meeting/>
                <Field id="mtp-leave-reason" name="input[reason]" label=lang.t(T::Reason)
                    required=true maxlength=200 error=action_error(request.value().into(), "reason")/>
                <p class="field-error" role="alert">
                    {move || general_error(request.value().get(), &["reason"], lang)}
                </p>
                <p>
                    <button type="submit" class="btn btn-ghost" data-testid="request-leave"
                        disabled=move || request.pending().get()>
                        {lang.t(T::MtpLeaveSubmit)}
                    </button>
                </p>
            </ActionForm>
        }
    });
    view! {
        {leave_state(lang, mine.as_ref())}
        {form}
    }
}

// ---------------------------------------------------------------------------------------
// 请假: the committee's answers

/// What the committee's list of waiting requests needs: the meeting and, per request, the
/// member's key, name and reason.
#[derive(Clone)]
pub struct ApprovalsArgs {
    pub meeting: String,
    pub waiting: Vec<(String, String, String)>,
    pub decide: ServerAction<DecideLeave>,
}

/// The waiting requests for leave, each with 批准请假 and 不批准.
#[lazy]
pub fn leave_approvals(args: ApprovalsArgs) -> AnyView {
    let lang = use_lang();
    let ApprovalsArgs {
        meeting,
        waiting,
        decide,
    } = args;
    let items = waiting
        .into_iter()
        .map(|(member, name, reason)| {
            let approve = leave_answer(lang, decide, meeting.clone(), member.clone(), &name, true);
            let refuse = leave_answer(lang, decide, meeting.clone(), member, &name, false);
            view! {
                <li class="leave-request">
                    <span>{lang.t(T::MtInboxLeave(&name, &reason))}</span>
                    <span class="row-actions">{approve}{refuse}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="link-list" data-testid="leave-approvals">{items}</ul>
        <p class="field-error" role="alert">{move || general_error(decide.value().get(), &[], lang)}</p>
    }
    .into_any()
}

/// The committee's answer to a waiting request for leave: "张三：批准请假" or "张三：不批准".
fn leave_answer(
    lang: Lang,
    decide: ServerAction<DecideLeave>,
    meeting: String,
    member: String,
    name: &str,
    approve: bool,
) -> impl IntoView + use<> {
    let (said, class, testid) = if approve {
        (
            lang.t(T::MtpApproveLeave),
            "btn btn-primary btn-small",
            "approve-leave",
        )
    } else {
        (
            lang.t(T::MtpRefuseLeave),
            "btn btn-ghost btn-small",
            "refuse-leave",
        )
    };
    let named = lang.t(T::Labelled(name, said));
    view! {
        <ActionForm action=decide attr:class="inline-form">
            <input type="hidden" name="input[meeting]" value=meeting/>
            <input type="hidden" name="input[member]" value=member/>
            <input type="hidden" name="input[approve]" value=approve.to_string()/>
            <button type="submit" class=class aria-label=named data-testid=testid
                disabled=move || decide.pending().get()>
                {said}
            </button>
        </ActionForm>
    }
}

// ---------------------------------------------------------------------------------------
// The minutes' photos and attachments

/// What the files editor needs.
#[derive(Clone)]
pub struct FilesArgs {
    pub meeting: String,
    pub org: String,
    pub files: Vec<EvidenceLink>,
    pub attach: ServerAction<SetMeetingFiles>,
    pub draft: RwSignal<Option<Vec<EvidenceLink>>>,
}

/// The files as the server renders them (and the page shows until the editor loads).
pub fn files_list(lang: Lang, files: Vec<EvidenceLink>) -> AnyView {
    if files.is_empty() {
        view! { <p class="hint">{lang.t(T::MtpFilesNone)}</p> }.into_any()
    } else {
        link_list(lang, files)
    }
}

/// The editor of the minutes' photos and attachments.
#[lazy]
pub fn files_editor(args: FilesArgs) -> AnyView {
    let FilesArgs {
        meeting,
        org,
        files,
        attach,
        draft,
    } = args;
    view! { <MinutesFiles meeting org files attach draft/> }.into_any()
}

/// The minutes' photos and attachments: uploaded into the branch's files, listed, taken
/// off again, and saved with one click (a change not yet saved survives the page's
/// reloads after other actions).
#[component]
fn MinutesFiles(
    meeting: String,
    org: String,
    files: Vec<EvidenceLink>,
    attach: ServerAction<SetMeetingFiles>,
    draft: RwSignal<Option<Vec<EvidenceLink>>>,
) -> impl IntoView {
    let lang = use_lang();
    let stored = files.clone();
    let links = RwSignal::new(draft.get_untracked().unwrap_or(files));
    // What differs from the stored list is a draft the page keeps.
    Effect::new(move |_| {
        let now = links.get();
        draft.set((now != stored).then_some(now));
    });
    let add = Callback::new(move |f: FileView| {
        links.update(|ls| {
            if !ls.iter().any(|l| l.id == f.id) {
                ls.push(EvidenceLink {
                    kind: f.kind,
                    id: f.id.clone(),
                    label: f.name.clone(),
                    org: f.org.clone(),
                });
            }
        });
    });
    let send = move |_| {
        let keys: Vec<String> =
            links.with_untracked(|ls| ls.iter().map(|l| l.id.clone()).collect());
        let input = MeetingFilesInput {
            meeting: meeting.clone(),
            files: keys.join(","),
        };
        attach.dispatch(SetMeetingFiles { input });
    };
    let list = chosen_links(lang, links, "minutes-files-list", T::MtpFilesNone);
    let unsaved = move || {
        draft
            .with(Option::is_some)
            .then(|| view! { <p class="hint">{lang.t(T::MtpFilesUnsaved)}</p> })
    };
    let saved =
        move || matches!(attach.value().get(), Some(Ok(_))).then(|| lang.t(T::MtpFilesSaved));
    view! {
            <p class="hint">{lang.t(T::MtpFilesHint)}</p>
            {list}
            <FileUpload org field="mtp-files" on_done=add/>
            <p class="field-error" role="alert">{move || general_error(attach.value().get(), &[], lang)}</p>
            {unsaved}
            <p class="saved" role="status">{saved}</p>
            <div>
                <button type="button" class="btn btn-primary" data-testid="minutes-files-save"
                    disabled=move || attach.pending().get() on:click=send>
                    {lang.t(T::MtpFilesSave)}
                </button>
            </div>
    }
}

// ---------------------------------------------------------------------------------------
// A meeting's people

/// What the people editor needs.
#[derive(Clone)]
pub struct PeopleArgs {
    pub meeting: String,
    pub host: String,
    pub recorder: String,
    pub attendees: Vec<String>,
    pub choices: Vec<Named>,
    pub people: ServerAction<SetMeetingPeople>,
}

/// The editor of the host, the recorder and the attendees.
#[lazy]
pub fn people_editor(args: PeopleArgs) -> AnyView {
    let PeopleArgs {
        meeting,
        host,
        recorder,
        attendees,
        choices,
        people,
    } = args;
    view! { <PeopleEditor meeting host recorder attendees choices people/> }.into_any()
}

/// The host, the recorder and the planned attendees changed after scheduling: two choices
/// and a list to tick, from the organisation's active members, saved at once. Folded
/// away until asked for.
#[component]
fn PeopleEditor(
    meeting: String,
    host: String,
    recorder: String,
    attendees: Vec<String>,
    choices: Vec<Named>,
    people: ServerAction<SetMeetingPeople>,
) -> impl IntoView {
    let lang = use_lang();
    let host = RwSignal::new(host);
    let recorder = RwSignal::new(recorder);
    let ticked = RwSignal::new(attendees);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = MeetingPeopleInput {
            meeting: meeting.clone(),
            host: host.get_untracked(),
            recorder: recorder.get_untracked(),
            attendees: ticked.get_untracked(),
        };
        people.dispatch(SetMeetingPeople { input });
    };
    let options = |chosen: RwSignal<String>| {
        let none = lang.t(T::NoneText);
        let mut list = vec![
            view! { <option value="" selected=move || chosen.get().is_empty()>{none}</option> }
                .into_any(),
        ];
        for c in &choices {
            let id = c.id.clone();
            let value = c.id.clone();
            list.push(
                view! {
                    <option value=value selected=move || chosen.with(|h| *h == id)>{c.name.clone()}</option>
                }
                .into_any(),
            );
        }
        list
    };
    let host_options = options(host);
    let recorder_options = options(recorder);
    let boxes = choices
        .iter()
        .map(|c| {
            let (label_for, input_id) = (format!("mtp-att-{}", c.id), format!("mtp-att-{}", c.id));
            let (on, change) = (c.id.clone(), c.id.clone());
            view! {
                <label class="check" for=label_for>
                    <input type="checkbox" id=input_id
                        prop:checked=move || ticked.with(|t| t.contains(&on))
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            ticked.update(|t| {
                                t.retain(|k| *k != change);
                                if checked {
                                    t.push(change.clone());
                                }
                            });
                        }/>
                    " "{c.name.clone()}
                </label>
            }
        })
        .collect_view();
    let count = move || lang.t(T::MtpPeopleCount(ticked.with(Vec::len)));
    let saved = move || matches!(people.value().get(), Some(Ok(_))).then(|| lang.t(T::Saved));
    view! {
        <details class="people-editor" data-testid="people-editor">
            <summary>{lang.t(T::MtpPeople)}</summary>
            <form class="form-stack" on:submit=send>
                <div class="field">
                    <label for="mtp-host">{lang.t(T::MtpHost)}</label>
                    <select id="mtp-host" on:change=move |ev| host.set(event_target_value(&ev))>
                        {host_options}
                    </select>
                </div>
                <div class="field">
                    <label for="mtp-recorder">{lang.t(T::MtpRecorder)}</label>
                    <select id="mtp-recorder" on:change=move |ev| recorder.set(event_target_value(&ev))>
                        {recorder_options}
                    </select>
                </div>
                <fieldset class="check-list">
                    <legend>{lang.t(T::MtpPeopleAttendees)}</legend>
                    {boxes}
                </fieldset>
                <p class="hint" role="status">{count}</p>
                <p class="field-error" role="alert">{move || general_error(people.value().get(), &[], lang)}</p>
                <p class="saved" role="status">{saved}</p>
                <div>
                    <button type="submit" class="btn btn-primary" data-testid="people-save"
                        disabled=move || people.pending().get()>
                        {lang.t(T::MtpPeopleSave)}
                    </button>
                </div>
            </form>
        </details>
    }
}

// ---------------------------------------------------------------------------------------
// The minutes: written, saved as a draft or submitted, approved

/// What the minutes' editor needs.
#[derive(Clone)]
pub struct MinutesArgs {
    pub meeting: String,
    pub text: String,
    pub state: MinutesState,
    pub save: ServerAction<SaveMinutes>,
    pub approve: ServerAction<ApproveMinutes>,
    /// The text as typed but not yet saved (kept while the page refreshes).
    pub draft: RwSignal<Option<String>>,
}

/// Minutes not yet approved: the editor, and for submitted minutes the approval.
#[lazy]
pub fn minutes_editor(args: MinutesArgs) -> AnyView {
    let lang = use_lang();
    let MinutesArgs {
        meeting,
        text,
        state,
        save,
        approve,
        draft,
    } = args;
    let error = action_error(save.value().into(), "minutes");
    let shown = draft.get_untracked().unwrap_or(text);
    let approve_form = (state == MinutesState::Submitted).then(|| {
        let id = meeting.clone();
        view! {
            <ActionForm action=approve attr:class="form-stack">
                <input type="hidden" name="id" value=id/>
                <p class="field-error" role="alert">{move || general_error(approve.value().get(), &[], lang)}</p>
                <p>
                    <button type="submit" class="btn btn-primary" data-testid="approve-minutes"
                        disabled=move || approve.pending().get()>
                        {lang.t(T::MtpApprove)}
                    </button>
                </p>
            </ActionForm>
        }
    });
    view! {
        <ActionForm action=save attr:class="form-stack">
            <input type="hidden" name="input[meeting]" value=meeting/>
            <div class="field">
                <label for="mtp-minutes" class="visually-hidden">{lang.t(T::MtpMinutes)}</label>
                <textarea
                    id="mtp-minutes"
                    name="input[minutes]"
                    rows="10"
                    maxlength=MINUTES_MAX.to_string()
                    data-testid="minutes-text"
                    aria-describedby="mtp-minutes-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                >
                    {shown}
                </textarea>
                <p id="mtp-minutes-error" class="field-error" role="alert">{move || error.get()}</p>
            </div>
            <p class="field-error" role="alert">{move || general_error(save.value().get(), &["minutes"], lang)}</p>
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                <p class="saved" role="status">{lang.t(T::Saved)}</p>
            })}
            <div class="toolbar">
                <button type="submit" name="input[submit]" value="false" class="btn btn-ghost"
                    data-testid="minutes-draft" disabled=move || save.pending().get()>
                    {lang.t(T::MtpSaveDraft)}
                </button>
                <button type="submit" name="input[submit]" value="true" class="btn btn-primary"
                    data-testid="minutes-submit" disabled=move || save.pending().get()>
                    {lang.t(T::MtpSubmitMinutes)}
                </button>
            </div>
        </ActionForm>
        {approve_form}
    }
    .into_any()
}
