//! `/meetings`: the year's meetings of the organisations in the caller's reach, filtered by
//! organisation and year, with where a chosen organisation stands against the rules;
//! `/meetings/new`: scheduling a meeting (or recording one already held: a 补录);
//! `/meetings/<id>`: one meeting with its facts, its attendance (marked by the committee,
//! signed in by the attendee) and its minutes.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::Params;

use crate::api::meeting::{
    ApproveMinutes, DecideLeave, MarkAttendance, RequestLeave, SaveMinutes, ScheduleMeeting,
    SetMeetingFiles, SetMeetingPeople, SignInMeeting, get_meeting, list_meetings,
};
use crate::api::org::get_org_tree;
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{
    EmptyState, LoadingState, encode_query, error_panel, general_error,
};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error, successes, today};
use crate::components::later::after_hydration;
use crate::components::table::{Column, DataTable};
use crate::error::AppError;
use crate::i18n::{Lang, T, use_lang};
use crate::models::closed_loop::EvidenceLink;
use crate::models::meeting::{
    Attendance, AttendeeRow, Frequency, LeaveState, MeetingDetail, MeetingKind, MeetingQuery,
    MeetingSummary, MeetingsPage as MeetingsAnswer, MinutesState, Named, RuleStanding, Standing,
};
use crate::models::org::{OrgKind, OrgNode};
use crate::pages::meeting_tools as tools;

// ---------------------------------------------------------------------------------------
// Shared helpers

/// An organisation to choose: its key, its name indented by its depth, its kind.
pub(crate) type OrgChoice = (String, String, OrgKind);

/// The organisations in the caller's reach (`get_org_tree`), in tree order. The resource
/// that calls this carries only the choices into the page, not the tree with its counts.
pub(crate) async fn org_choices() -> Result<Vec<OrgChoice>, AppError> {
    fn visit(node: &OrgNode, depth: usize, out: &mut Vec<OrgChoice>) {
        let indent = "\u{3000}".repeat(depth);
        out.push((node.id.clone(), format!("{indent}{}", node.name), node.kind));
        for child in &node.children {
            visit(child, depth + 1, out);
        }
    }
    let forest = get_org_tree().await?;
    let mut out = Vec::new();
    for node in &forest {
        visit(node, 0, &mut out);
    }
    Ok(out)
}

/// A meeting's day, with its time when one was given.
pub(crate) fn when(lang: Lang, m: &MeetingSummary) -> String {
    if m.time.is_empty() {
        lang.date(m.day)
    } else {
        format!("{} {}", lang.date(m.day), m.time)
    }
}

// ---------------------------------------------------------------------------------------
// /meetings

const MEETING_COLUMNS: [Column; 5] = [
    Column::new(T::MtpDate),
    Column::new(T::MtpKind),
    Column::new(T::MtpTopic),
    Column::new(T::MtpOrg),
    Column::new(T::MtpRoom),
];

/// The meeting list's filters, as the URL holds them: an organisation (empty: all in
/// reach) and a year (absent: this year).
#[derive(Params, PartialEq, Clone, Default)]
struct MeetingFilters {
    org: Option<String>,
    year: Lenient<i32>,
}

impl ListQuery for MeetingFilters {
    const PATH: &'static str = "/meetings";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("org", self.org.clone().unwrap_or_default()),
            (
                "year",
                self.year.get().map(|y| y.to_string()).unwrap_or_default(),
            ),
        ]
    }
}

impl MeetingFilters {
    fn query(&self) -> MeetingQuery {
        MeetingQuery {
            org: self.org.clone().unwrap_or_default(),
            year: self.year.get().unwrap_or(0),
        }
    }
}

/// The colour of a rule's standing: green done, yellow due soon, red overdue, neutral
/// while open or not started (the words say the same, never the colour alone).
pub(crate) fn standing_class(s: Standing) -> &'static str {
    match s {
        Standing::Done => "badge badge-ok",
        Standing::DueSoon => "badge badge-warn",
        Standing::Overdue => "badge badge-danger",
        Standing::Open | Standing::Future => "badge badge-muted",
    }
}

/// How many meetings of a rule were held in its current period: "本季度 1/1".
fn held_text(lang: Lang, s: &RuleStanding) -> String {
    match s.frequency {
        Frequency::Monthly => lang.t(T::MtpThisMonth(s.held, s.times)),
        Frequency::Quarterly => lang.t(T::MtpThisQuarter(s.held, s.times)),
        Frequency::Yearly => lang.t(T::MtpThisYear(s.held, s.times)),
    }
}

/// One rule of the compliance strip.
fn standing_card(lang: Lang, s: RuleStanding) -> impl IntoView {
    view! {
        <div class="card stat" role="listitem">
            <span class="stat-label">
                {lang.t(s.meeting.label())}" · "{lang.t(s.frequency.label())}
            </span>
            <span>
                {held_text(lang, &s)}" "
                <span class=standing_class(s.standing)>{lang.t(s.standing.label())}</span>
            </span>
        </div>
    }
}

/// One meeting of the list.
fn meeting_row(lang: Lang, m: MeetingSummary) -> impl IntoView {
    let day = when(lang, &m);
    view! {
        <tr>
            <td>{day}</td>
            <td>{lang.t(m.kind.label())}</td>
            <td>
                <a href=format!("/meetings/{}", m.id)>{m.topic}</a>
                {m.late.then(|| view! {
                    " "<span class="badge badge-warn">{lang.t(T::MtpLate)}</span>
                })}
            </td>
            <td>{m.org_name}</td>
            <td>{m.room}</td>
        </tr>
    }
}

/// The year's meetings in the caller's reach, filtered by organisation and year; for one
/// organisation, where each of its rules stands in the current period.
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<MeetingFilters>();
    let orgs = Resource::new(|| (), |_| org_choices());
    let list = Resource::new(move || filters.get().query(), list_meetings);
    // The new meeting starts in the organisation being looked at.
    let new_href = move || match filters.read().org.as_deref() {
        Some(org) if !org.is_empty() => format!("/meetings/new?org={}", encode_query(org)),
        _ => "/meetings/new".to_string(),
    };
    // The grid keeps the year looked at; the ledger is one organisation's.
    let grid_href = move || match filters.read().year.get() {
        Some(year) => format!("/meetings/grid?year={year}"),
        None => "/meetings/grid".to_string(),
    };
    let ledger_link = move || {
        let f = filters.read();
        let org = f.org.as_deref().filter(|o| !o.is_empty())?;
        let year = f.year.get().map(|y| y.to_string()).unwrap_or_default();
        let href = format!("/meetings/ledger?org={}&year={year}", encode_query(org));
        Some(view! {
            <a class="btn btn-ghost" href=href data-testid="meeting-ledger">{lang.t(T::MtrLedger)}</a>
        })
    };
    // The committee office registers rooms and pairs their tablets.
    let session = crate::components::layout::use_session();
    let rooms_link = move || {
        Suspend::new(async move {
            let office = matches!(session.await, Ok(Some(s))
                if s.roles.contains(&crate::access::Role::CommitteeOffice));
            office.then(|| {
                view! {
                    <a class="btn btn-ghost" href="/meetings/rooms" data-testid="meeting-rooms">
                        {lang.t(T::RmRooms)}
                    </a>
                }
            })
        })
    };
    view! {
        <div class="page-head">
            <h1>{lang.t(T::NavMeetings)}</h1>
            <div class="toolbar">
                <Suspense fallback=|| ()>{rooms_link}</Suspense>
                <a class="btn btn-ghost" href="/meetings/appraisals" data-testid="meeting-appraisals">
                    {lang.t(T::ApvTitle)}
                </a>
                <a class="btn btn-ghost" href=grid_href data-testid="meeting-grid">{lang.t(T::MtrGrid)}</a>
                {ledger_link}
                <a class="btn btn-primary" href=new_href data-testid="meeting-new">{lang.t(T::MtpNew)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let choices = orgs.await?;
                    let page = list.await?;
                    Ok::<_, AppError>(view! { <MeetingList filters choices page/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The filters, the compliance strip of the organisation chosen and the meetings.
#[component]
fn MeetingList(
    filters: Signal<MeetingFilters>,
    choices: Vec<OrgChoice>,
    page: MeetingsAnswer,
) -> impl IntoView {
    let lang = use_lang();
    let org = filters.get_untracked().org.unwrap_or_default();
    let MeetingsAnswer {
        year,
        meetings,
        standings,
    } = page;
    let this_year = today().map(|d| d.year()).unwrap_or(year);
    let mut years = vec![this_year, this_year - 1, this_year - 2];
    if !years.contains(&year) {
        years.push(year);
    }
    let option = |value: String, label: String, selected: bool| {
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <section class="card">
            <FilterBar filters primary=true>
                <Field id="mtp-filter-org" name="org" label=lang.t(T::MtpOrg)>
                    {option(String::new(), lang.t(T::AllText).to_string(), org.is_empty())}
                    {choices
                        .into_iter()
                        .map(|(id, name, _)| {
                            let selected = id == org;
                            option(id, name, selected)
                        })
                        .collect_view()}
                </Field>
                <Field id="mtp-filter-year" name="year" label=lang.t(T::MtpYear)>
                    {years
                        .into_iter()
                        .map(|y| option(y.to_string(), lang.t(T::MtpYearOption(y)), y == year))
                        .collect_view()}
                </Field>
            </FilterBar>
        </section>
        {(!standings.is_empty()).then(|| view! {
            <section aria-labelledby="mtp-compliance-heading">
                <h2 id="mtp-compliance-heading">{lang.t(T::MtpCompliance)}</h2>
                <div class="stat-cards" role="list" data-testid="compliance">
                    {standings.into_iter().map(|s| standing_card(lang, s)).collect_view()}
                </div>
            </section>
        })}
        <section class="card">
            <DataTable
                columns=MEETING_COLUMNS
                rows=meetings
                row_key=|m: &MeetingSummary| m.id.clone()
                row=move |m: MeetingSummary| meeting_row(lang, m)
                empty=T::MtpEmpty
                testid="meeting-table"
            />
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// /meetings/new

/// Schedules a meeting (a day before today records one already held, marked 补录), then
/// goes to its page. `?org=` preselects the organisation.
#[component]
pub fn NewMeetingPage() -> impl IntoView {
    let lang = use_lang();
    let schedule = ServerAction::<ScheduleMeeting>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = schedule.value().get() {
            navigate(&format!("/meetings/{key}"), Default::default());
        }
    });
    let query = use_query_map();
    let wanted = query.read_untracked().get("org").unwrap_or_default();
    let orgs = Resource::new(|| (), |_| org_choices());
    // Registered rooms (a tablet there signs attendees in); none is fine: the place is typed.
    let rooms = Resource::new(
        || (),
        |_| async {
            crate::api::room::list_rooms().await.map(|rooms| {
                rooms
                    .into_iter()
                    .map(|r| (r.id, r.name))
                    .collect::<Vec<_>>()
            })
        },
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::MtpNew)}</h1>
            <a class="btn btn-ghost" href="/meetings">{lang.t(T::MtpBack)}</a>
        </div>
        <section class="card">
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || {
                        let wanted = wanted.clone();
                        Suspend::new(async move {
                            let choices = orgs.await?;
                            let rooms = rooms.await.unwrap_or_default();
                            Ok::<_, AppError>(view! { <MeetingForm schedule choices rooms wanted/> })
                        })
                    }}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// The form of a new meeting. Host and recorder are not asked: the server takes the
/// secretary and the organisation committee member. What was typed stays when the server
/// refuses (the form is not rebuilt).
#[component]
fn MeetingForm(
    schedule: ServerAction<ScheduleMeeting>,
    choices: Vec<OrgChoice>,
    /// Registered rooms: key and name.
    rooms: Vec<(String, String)>,
    wanted: String,
) -> impl IntoView {
    let lang = use_lang();
    // The committee itself holds no branch meetings.
    let choices: Vec<OrgChoice> = choices
        .into_iter()
        .filter(|(_, _, kind)| *kind != OrgKind::Committee)
        .collect();
    if choices.is_empty() {
        return view! { <EmptyState message=T::MtpNoOrgs/> }.into_any();
    }
    let error = move |field: &'static str| action_error(schedule.value().into(), field);
    let fields = ["org", "kind", "day", "time", "topic", "place"];
    let day = today().map(|d| lang.date(d)).unwrap_or_default();
    view! {
        <ActionForm action=schedule attr:class="form-stack" attr:data-testid="meeting-form">
            <div class="form-row">
                <Field id="mtp-org" name="input[org]" label=lang.t(T::MtpOrg) error=error("org")>
                    {choices
                        .into_iter()
                        .map(|(id, name, _)| {
                            let selected = id == wanted;
                            view! { <option value=id selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </Field>
                <Field id="mtp-kind" name="input[kind]" label=lang.t(T::MtpKind) error=error("kind")>
                    {MeetingKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{lang.t(k.label())}</option> })
                        .collect_view()}
                </Field>
            </div>
            <div class="form-row">
                <Field id="mtp-day" name="input[day]" label=lang.t(T::MtpDate) kind="date"
                    required=true value=day error=error("day")/>
                <Field id="mtp-time" name="input[time]" label=lang.t(T::MtpTime) kind="time"
                    error=error("time")/>
            </div>
            <Field id="mtp-topic" name="input[topic]" label=lang.t(T::MtpTopic) required=true
                maxlength=100 error=error("topic")/>
            <div class="form-row">
                <Field id="mtp-place" name="input[place]" label=lang.t(T::MtpPlace) error=error("place")>
                    <option value="">{lang.t(T::MtpPlaceOther)}</option>
                    {rooms
                        .into_iter()
                        .map(|(id, name)| view! { <option value=id>{name}</option> })
                        .collect_view()}
                </Field>
                <Field id="mtp-room" name="input[room]" label=lang.t(T::MtpRoomTyped) maxlength=50/>
            </div>
            <div class="form-row">
                <Field id="mtp-lecturer" name="input[lecturer]" label=lang.t(T::MtpLecturerField)
                    maxlength=50/>
            </div>
            <div class="field">
                <label for="mtp-agenda">{lang.t(T::MtpAgenda)}</label>
                <textarea id="mtp-agenda" name="input[agenda]" rows="5" maxlength="2000"></textarea>
            </div>
            <p class="hint">{lang.t(T::MtpRolesHint)}</p>
            <p class="field-error" role="alert">{move || general_error(schedule.value().get(), &fields, lang)}</p>
            <button type="submit" class="btn btn-primary" data-testid="meeting-save"
                disabled=move || schedule.pending().get()>
                {lang.t(T::MtpNew)}
            </button>
        </ActionForm>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// /meetings/:id

/// The page's actions, and the minutes as typed but not yet saved (kept when the page
/// reloads after marking attendance, so a recorder writing during the meeting loses
/// nothing).
#[derive(Clone, Copy)]
struct MeetingActions {
    mark: ServerAction<MarkAttendance>,
    sign_in: ServerAction<SignInMeeting>,
    save: ServerAction<SaveMinutes>,
    approve: ServerAction<ApproveMinutes>,
    /// 请假: the attendee asks, the committee decides.
    request: ServerAction<RequestLeave>,
    decide: ServerAction<DecideLeave>,
    /// The minutes' photos and attachments, and the list as changed but not yet saved.
    attach: ServerAction<SetMeetingFiles>,
    files_draft: RwSignal<Option<Vec<EvidenceLink>>>,
    /// The host, the recorder and the attendees changed after scheduling.
    people: ServerAction<SetMeetingPeople>,
    draft: RwSignal<Option<String>>,
}

/// The sign-in id this page sends: the same for every tap on one meeting, so a repeated
/// sign-in counts once; 8–64 letters, digits or `-` (`models::meeting::client_id_ok`).
fn client_id(meeting: &str) -> String {
    let mut id: String = format!("web-{meeting}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    while id.len() < 8 {
        id.push('0');
    }
    id
}

/// One meeting, read again after each successful action.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let actions = MeetingActions {
        mark: ServerAction::new(),
        sign_in: ServerAction::new(),
        save: ServerAction::new(),
        approve: ServerAction::new(),
        request: ServerAction::new(),
        decide: ServerAction::new(),
        attach: ServerAction::new(),
        files_draft: RwSignal::new(None),
        people: ServerAction::new(),
        draft: RwSignal::new(None),
    };
    let MeetingActions {
        mark,
        sign_in,
        save,
        approve,
        request,
        decide,
        attach,
        files_draft,
        people,
        draft,
    } = actions;
    let changed = (
        successes(mark.value().into(), mark.version().into()),
        successes(sign_in.value().into(), sign_in.version().into()),
        successes(save.value().into(), save.version().into()),
        successes(approve.value().into(), approve.version().into()),
        successes(request.value().into(), request.version().into()),
        successes(decide.value().into(), decide.version().into()),
        successes(attach.value().into(), attach.version().into()),
        successes(people.value().into(), people.version().into()),
    );
    // Saved files are the server's again.
    Effect::new(move |_| {
        if matches!(attach.value().get(), Some(Ok(_))) {
            files_draft.set(None);
        }
    });
    // Saved minutes are the server's again.
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            draft.set(None);
        }
    });
    let detail = Resource::new(
        move || {
            (
                id.get(),
                changed.0.get(),
                changed.1.get(),
                changed.2.get(),
                changed.3.get(),
                changed.4.get(),
                changed.5.get(),
                changed.6.get(),
                changed.7.get(),
            )
        },
        |(id, ..)| get_meeting(id),
    );
    view! {
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    detail.await.map(|d| view! { <Meeting detail=d actions/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A term and its value in the meeting's facts.
fn fact(label: &'static str, value: String) -> impl IntoView {
    view! {
        <dt>{label}</dt>
        <dd>{value}</dd>
    }
}

/// The meeting: its facts, the sign-in for an attendee on the day, the attendance and, for
/// the committee, the minutes.
#[component]
fn Meeting(detail: MeetingDetail, actions: MeetingActions) -> impl IntoView {
    let lang = use_lang();
    let MeetingDetail {
        meeting: m,
        agenda,
        host,
        recorder,
        lecturer,
        created_by,
        created_on,
        attendees,
        tally: t,
        minutes,
        minutes_state,
        approved_by,
        can_manage,
        can_sign_in,
        can_request_leave,
        files,
        choices,
    } = detail;
    // The tools fetched once the page has hydrated (`meeting_tools`): the people editor,
    // the committee's answers to requests for leave, the attendee's own request.
    let people_editor = (can_manage && !choices.is_empty()).then(|| {
        let key = |n: &Option<Named>| n.as_ref().map(|n| n.id.clone()).unwrap_or_default();
        let args = tools::PeopleArgs {
            meeting: m.id.clone(),
            host: key(&host),
            recorder: key(&recorder),
            attendees: attendees.iter().map(|a| a.member.clone()).collect(),
            choices,
            people: actions.people,
        };
        after_hydration(|| ().into_any(), move || tools::people_editor(args.clone()))
    });
    let waiting: Vec<(String, String, String)> = attendees
        .iter()
        .filter_map(|a| {
            a.request
                .as_ref()
                .filter(|r| r.state == LeaveState::Pending)
                .map(|r| (a.member.clone(), a.name.clone(), r.reason.clone()))
        })
        .collect();
    let approvals = (can_manage && !waiting.is_empty()).then(|| {
        let args = tools::ApprovalsArgs {
            meeting: m.id.clone(),
            waiting,
            decide: actions.decide,
        };
        view! {
            <section class="card" aria-labelledby="mtp-approvals-heading">
                <h2 id="mtp-approvals-heading">{lang.t(T::AsInboxLeave)}</h2>
                {after_hydration(|| ().into_any(), move || tools::leave_approvals(args.clone()))}
            </section>
        }
    });
    let (mark, sign_in) = (actions.mark, actions.sign_in);
    // An attendee outside the committee sees their own line only: their request's state.
    let mine = (!can_manage)
        .then(|| attendees.first().and_then(|a| a.request.clone()))
        .flatten();
    let leave_section = (can_request_leave || mine.is_some()).then(|| {
        let args = tools::LeaveBoxArgs {
            meeting: m.id.clone(),
            can_request: can_request_leave,
            mine,
            request: actions.request,
        };
        let shown = args.mine.clone();
        view! {
            <section class="card" aria-labelledby="mtp-leave-heading" data-testid="leave-request">
                <h2 id="mtp-leave-heading">{lang.t(T::MtLeave)}</h2>
                {after_hydration(
                    move || tools::leave_state(lang, shown.as_ref()),
                    move || tools::leave_box(args.clone()),
                )}
            </section>
        }
    });
    let none = lang.t(T::NoneText);
    let name = |n: Option<Named>| n.map_or_else(|| none.to_string(), |n| n.name);
    let room = if m.room.is_empty() {
        none.to_string()
    } else {
        m.room.clone()
    };
    let total = t.present + t.leave + t.absent + t.unmarked;
    let mut columns = vec![
        Column::new(T::MemberName),
        Column::new(T::MtpStatus),
        Column::new(T::MtpVia),
        Column::new(T::Reason),
    ];
    if can_manage {
        columns.push(Column::new(T::MtpMark));
    }
    let sign_in_form = can_sign_in.then(|| {
        let meeting = m.id.clone();
        let client = client_id(&m.id);
        view! {
            <section class="card">
                <ActionForm action=sign_in>
                    <input type="hidden" name="input[meeting]" value=meeting/>
                    <input type="hidden" name="input[client_id]" value=client/>
                    <button type="submit" class="btn btn-primary btn-block" data-testid="sign-in"
                        disabled=move || sign_in.pending().get()>
                        {lang.t(T::MtpSignIn)}
                    </button>
                </ActionForm>
            </section>
        }
    });
    let row_meeting = m.id.clone();
    // Approved minutes keep their files as they are; until then the editor loads.
    let files_section = if minutes_state == MinutesState::Approved {
        tools::files_list(lang, files).into_any()
    } else {
        let shown = files.clone();
        let args = tools::FilesArgs {
            meeting: m.id.clone(),
            org: m.org.clone(),
            files,
            attach: actions.attach,
            draft: actions.files_draft,
        };
        after_hydration(
            move || tools::files_list(lang, shown.clone()),
            move || tools::files_editor(args.clone()),
        )
        .into_any()
    };
    let minutes_section = can_manage.then(|| {
        view! {
            <Minutes
                meeting=m.id.clone()
                text=minutes
                state=minutes_state
                approved_by
                actions
            />
            <section class="card" aria-labelledby="mtp-files-heading" data-testid="minutes-files">
                <h2 id="mtp-files-heading">{lang.t(T::MtpFiles)}</h2>
                {files_section}
            </section>
        }
    });
    view! {
        <div class="page-head">
            <h1 data-testid="meeting-topic">{m.topic.clone()}</h1>
            {can_manage.then(|| view! {
                <div class="toolbar">
                    // The projector view: big type, the count and names live, no WASM.
                    <a class="btn btn-ghost" href=format!("/screen/meetings/{}", m.id)
                        target="_blank" rel="noopener" data-testid="meeting-screen">
                        {lang.t(T::MtpScreen)}
                    </a>
                    <a class="btn btn-ghost" href="/meetings">{lang.t(T::MtpBack)}</a>
                </div>
            })}
        </div>
        <section class="card">
            <dl class="detail-grid">
                {fact(lang.t(T::MtpKind), lang.t(m.kind.label()).to_string())}
                {fact(lang.t(T::MtpOrg), m.org_name.clone())}
                {fact(lang.t(T::MtpWhen), when(lang, &m))}
                {fact(lang.t(T::MtpRoom), room)}
                {fact(lang.t(T::MtpHost), name(host))}
                {fact(lang.t(T::MtpRecorder), name(recorder))}
                {(!lecturer.is_empty()).then(|| fact(lang.t(T::MtpLecturer), lecturer))}
            </dl>
            {m.late.then(|| view! {
                <p data-testid="meeting-late">
                    <span class="badge badge-warn">{lang.t(T::MtpLate)}</span>" "
                    {lang.t(T::MtpLateBy(&created_by, created_on))}
                </p>
            })}
            {(!agenda.is_empty()).then(|| view! {
                <h2>{lang.t(T::MtpAgenda)}</h2>
                <p class="pre-line">{agenda}</p>
            })}
        </section>
        {sign_in_form}
        {leave_section}
        <p class="field-error" role="alert">{move || general_error(sign_in.value().get(), &[], lang)}</p>
        {move || matches!(sign_in.value().get(), Some(Ok(_))).then(|| view! {
            <p class="saved" role="status">{lang.t(T::MtpSignedIn)}</p>
        })}
        <section class="card" aria-labelledby="mtp-attendance-heading">
            <h2 id="mtp-attendance-heading">{lang.t(T::MtpAttendance)}</h2>
            <p data-testid="tally">{lang.t(T::MtpTally(total, t.present, t.leave, t.absent, t.unmarked))}</p>
            <p class="field-error" role="alert">{move || general_error(mark.value().get(), &["reason"], lang)}</p>
            <DataTable
                columns
                rows=attendees
                row_key=|a: &AttendeeRow| a.member.clone()
                row=move |a: AttendeeRow| view! {
                    <AttendeeLine attendee=a meeting=row_meeting.clone() manage=can_manage mark/>
                }
                empty=T::MtpNoAttendees
                testid="attendance-table"
            />
            {people_editor}
        </section>
        {approvals}
        {minutes_section}
    }
}

/// One planned attendee and how they stand; for the committee, 出席 and 缺席 in one click
/// and 请假 after asking the reason.
#[component]
fn AttendeeLine(
    attendee: AttendeeRow,
    meeting: String,
    manage: bool,
    mark: ServerAction<MarkAttendance>,
) -> impl IntoView {
    let lang = use_lang();
    let a = attendee;
    // A request for leave shows beside the reason until the attendance says 请假 (the
    // committee answers it in the section below the table).
    let request_note = a
        .request
        .as_ref()
        .filter(|r| a.status != Some(Attendance::Leave) || r.state != LeaveState::Approved)
        .map(|r| {
            view! {
                <span class="hint" data-testid="leave-note">
                    {lang.t(T::MtpLeaveRow(lang.t(r.state.label()), &r.reason))}
                </span>
            }
        });
    let (class, label) = match a.status {
        Some(Attendance::Present) => ("badge badge-ok", T::MtPresent),
        Some(Attendance::Leave) => ("badge badge-warn", T::MtLeave),
        Some(Attendance::Absent) => ("badge badge-danger", T::MtAbsent),
        None => ("badge badge-muted", T::MtpUnmarked),
    };
    let actions = manage.then(|| {
        let hidden = |status: Attendance| {
            view! {
                <input type="hidden" name="input[meeting]" value=meeting.clone()/>
                <input type="hidden" name="input[member]" value=a.member.clone()/>
                <input type="hidden" name="input[status]" value=status.as_str()/>
            }
        };
        let quick = |status: Attendance| {
            let inputs = hidden(status);
            let said = lang.t(status.label());
            // "张三：出席": the button says whom it marks.
            let named = lang.t(T::Labelled(&a.name, said));
            view! {
                <ActionForm action=mark attr:class="inline-form">
                    {inputs}
                    <button type="submit" class="btn btn-ghost btn-small" aria-label=named
                        disabled=move || mark.pending().get()>
                        {said}
                    </button>
                </ActionForm>
            }
        };
        let leave_inputs = hidden(Attendance::Leave);
        let field = format!("mtp-reason-{}", a.member);
        view! {
            <td class="row-actions">
                {quick(Attendance::Present)}
                {quick(Attendance::Absent)}
                <ConfirmDialog
                    trigger=lang.t(T::MtLeave)
                    trigger_class="btn btn-ghost btn-small"
                    message=lang.t(T::MtpConfirmLeave(&a.name))
                >
                    <ActionForm action=mark attr:class="form-stack">
                        {leave_inputs}
                        <Field id=field name="input[reason]" label=lang.t(T::Reason) required=true
                            maxlength=200 error=action_error(mark.value().into(), "reason")/>
                        <button type="submit" class="btn btn-primary" disabled=move || mark.pending().get()>
                            {lang.t(T::MtpMarkLeave)}
                        </button>
                    </ActionForm>
                </ConfirmDialog>
            </td>
        }
    });
    view! {
        <tr>
            <td>{a.name.clone()}</td>
            <td><span class=class>{lang.t(label)}</span></td>
            <td>{a.via.map(|v| lang.t(v.label()))}</td>
            <td>{a.reason.clone()}{request_note}</td>
            {actions}
        </tr>
    }
}

/// The minutes for the committee: written and saved as a draft or submitted; submitted
/// minutes may be approved; approved minutes are read only.
#[component]
fn Minutes(
    meeting: String,
    text: String,
    state: MinutesState,
    approved_by: String,
    actions: MeetingActions,
) -> impl IntoView {
    let lang = use_lang();
    let (save, approve, draft) = (actions.save, actions.approve, actions.draft);
    let badge = match state {
        MinutesState::Approved => "badge badge-ok",
        MinutesState::Submitted => "badge badge-warn",
        MinutesState::Draft | MinutesState::Empty => "badge badge-muted",
    };
    let body = if state == MinutesState::Approved {
        view! {
            <p class="pre-line" data-testid="minutes-text">{text}</p>
            <p>{lang.t(T::MtpApprovedBy(&approved_by))}</p>
        }
        .into_any()
    } else {
        // The editor (and the approval) is fetched once the page has hydrated; until then,
        // and from the server, the text as it stands.
        let shown = text.clone();
        let args = tools::MinutesArgs {
            meeting,
            text,
            state,
            save,
            approve,
            draft,
        };
        after_hydration(
            move || {
                view! { <p class="pre-line" data-testid="minutes-pending">{shown.clone()}</p> }
                    .into_any()
            },
            move || tools::minutes_editor(args.clone()),
        )
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="mtp-minutes-heading">
            <h2 id="mtp-minutes-heading">{lang.t(T::MtpMinutes)}</h2>
            <p><span class=badge data-testid="minutes-state">{lang.t(state.label())}</span></p>
            {body}
        </section>
    }
}
