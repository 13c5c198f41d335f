//! `/members`: the roster (branch roles and the office) and `/members/:id`: one member's
//! record and history. ID and phone numbers are masked; showing one in full is an explicit,
//! audited action. A member opening `/members` is taken to their own record.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::params::Params;

use crate::access::Role;
use crate::api::member::{
    ChangeMemberStatus, RevealMemberField, UpdateMemberPhone, get_member, list_members,
};
use crate::api::org::AssignSeat;
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::filter::{FilterBar, Lenient, ListQuery, use_filters};
use crate::components::form::{Field, action_error};
use crate::components::layout::use_session;
use crate::components::table::{Column, DataTable, Paging, keyed};
use crate::error::AppError;
use crate::i18n::{T, use_lang};
use crate::models::member::{
    Flag, MemberLine, MemberProfile, MemberQuery, MemberStatus, SensitiveField, Standing,
    flag_action_text,
};
use crate::models::transfer::TransferKind;

const COLUMNS: [Column; 6] = [
    Column::sortable(T::AccountDisplayName, ""),
    Column::new(T::MemberDepartment),
    Column::sortable(T::MemberBranch, "org"),
    Column::new(T::MemberPosition),
    Column::new(T::MemberStatus),
    Column::new(T::MemberPhone),
];

/// The roster's filters, as the URL holds them.
#[derive(Params, PartialEq, Clone, Default)]
struct RosterFilters {
    q: Option<String>,
    org: Option<String>,
    status: Option<String>,
    flag: Option<String>,
    department: Option<String>,
    sort: Option<String>,
    page: Lenient<u32>,
}

impl ListQuery for RosterFilters {
    const PATH: &'static str = "/members";

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("q", v(&self.q)),
            ("org", v(&self.org)),
            ("status", v(&self.status)),
            ("flag", v(&self.flag)),
            ("department", v(&self.department)),
            ("sort", v(&self.sort)),
        ]
    }

    fn page(&self) -> u32 {
        self.page.get().unwrap_or(1)
    }
}

/// The roster for branch roles and the office; a member, who has no roster, gets a link
/// to their own record instead.
#[component]
pub fn MembersPage() -> impl IntoView {
    view! { <Roster/> }
}

#[component]
fn Roster() -> impl IntoView {
    let lang = use_lang();
    let filters = use_filters::<RosterFilters>();
    // Fields start from the URL; afterwards they hold what was typed.
    let initial = filters.get_untracked();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = move || {
        let f = filters.get();
        let v = |o: Option<String>| o.unwrap_or_default();
        MemberQuery {
            page: f.page(),
            q: v(f.q),
            org: v(f.org),
            status: v(f.status),
            flag: v(f.flag),
            department: v(f.department),
            sort: v(f.sort),
        }
    };
    let members = Resource::new(query, list_members);
    let session = use_session();
    let navigate = use_navigate();
    let sort_by = Callback::new(move |key: &'static str| {
        let mut f = filters.get_untracked();
        f.sort = Some(key.to_string());
        navigate(&f.href(1), Default::default());
    });
    let option = move |value: &'static str, label: T, current: &str| {
        view! { <option value=value selected=current == value>{lang.t(label)}</option> }
    };
    let (status, flag, sort) = (
        text(&initial.status),
        text(&initial.flag),
        text(&initial.sort),
    );
    view! {
        <div class="page-head">
            <h1>{lang.t(T::NavMembers)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let roles = session.await.ok().flatten().map(|s| s.roles).unwrap_or_default();
                    (roles.contains(&Role::BranchCommittee) || roles.contains(&Role::CommitteeOffice))
                        .then(|| view! {
                            <span class="toolbar">
                                <a class="btn btn-ghost" href="/transfers">{lang.t(T::TrTitle)}</a>
                                <a class="btn btn-ghost" href="/members/import">{lang.t(T::ImpTitle)}</a>
                                <a class="btn btn-primary" href="/members/new" data-testid="member-new">
                                    {lang.t(T::MemberNew)}
                                </a>
                            </span>
                        })
                })}
            </Suspense>
        </div>
        <section class="card">
            <FilterBar filters primary=true>
                <input type="hidden" name="org" value=text(&initial.org)/>
                <Field id="members-q" name="q" label=lang.t(T::MemberSearch) kind="search" maxlength=32
                    placeholder=lang.t(T::MemberSearchHint) value=text(&initial.q) class="grow"/>
                <Field id="members-status" name="status" label=lang.t(T::MemberStatus)>
                    {option("", T::AllText, &status)}
                    {MemberStatus::ALL.iter().map(|s| option(s.as_str(), s.label(), &status)).collect_view()}
                </Field>
                <Field id="members-flag" name="flag" label=lang.t(T::MemberFlags)>
                    {option("", T::AllText, &flag)}
                    {Flag::ALL.iter().map(|f| option(f.as_str(), f.label(), &flag)).collect_view()}
                </Field>
                <Field id="members-sort" name="sort" label=lang.t(T::SortBy)>
                    {option("", T::SortName, &sort)}
                    {option("admission", T::SortAdmission, &sort)}
                    {option("org", T::SortOrg, &sort)}
                </Field>
            </FilterBar>
            <Transition fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        let own = session.await.ok().flatten().and_then(|s| s.member);
                        let result = members.await;
                        if let (Err(AppError::Forbidden), Some(own)) = (&result, own) {
                            return Ok(view! {
                                <p class="empty-state">
                                    <a class="btn btn-primary" href=format!("/members/{own}")>
                                        {lang.t(T::MyRecord)}
                                    </a>
                                </p>
                            }.into_any());
                        }
                        result.map(|p| {
                            let counts = lang.t(T::MemberCounts(p.total, p.full, p.probationary));
                            if p.members.is_empty() {
                                return view! { <EmptyState message=T::MembersEmpty/> }.into_any();
                            }
                            let f = filters.get_untracked();
                            let export = format!("/export/members.xlsx?{}", f.query_string());
                            view! {
                                <div class="toolbar">
                                    <p class="hint" role="status" data-testid="member-counts">{counts}</p>
                                    <a class="btn btn-ghost" href=export rel="external" download="">
                                        {lang.t(T::MemberExport)}
                                    </a>
                                </div>
                                <DataTable
                                    columns=COLUMNS
                                    rows=p.members
                                    row_key=|m: &MemberLine| m.id.clone()
                                    row=move |m: MemberLine| view! {
                                        <tr>
                                            <td><a href=format!("/members/{}", m.id)>{m.name}</a></td>
                                            <td>{m.department}</td>
                                            <td>{m.org_name}</td>
                                            <td>{lang.t(m.position.label())}</td>
                                            <td>
                                                {lang.t(m.status.label())}
                                                {m.flags.iter().map(|f| view! {
                                                    <span class="badge badge-warn">{lang.t(f.label())}</span>
                                                }).collect_view()}
                                            </td>
                                            <td>{m.phone_masked}</td>
                                        </tr>
                                    }
                                    testid="member-table"
                                    sorted=f.sort.clone().unwrap_or_default()
                                    on_sort=sort_by
                                    paging=Paging {
                                        page: p.page,
                                        total: p.total,
                                        page_size: p.page_size,
                                        href: Arc::new(move |n| f.href(n)),
                                    }
                                />
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
pub fn MemberProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let update = ServerAction::<UpdateMemberPhone>::new();
    let status = ServerAction::<ChangeMemberStatus>::new();
    let seat = ServerAction::<AssignSeat>::new();
    let profile = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                status.version().get(),
                seat.version().get(),
            )
        },
        |(id, ..)| get_member(id),
    );
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let roles = session.await.ok().flatten().map(|s| s.roles).unwrap_or_default();
                    let can_change = roles.contains(&Role::BranchCommittee)
                        || roles.contains(&Role::CommitteeOffice);
                    profile.await.map(|p| view! { <Profile profile=p update status seat can_change/> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Profile(
    profile: MemberProfile,
    update: ServerAction<UpdateMemberPhone>,
    status: ServerAction<ChangeMemberStatus>,
    seat: ServerAction<AssignSeat>,
    can_change: bool,
) -> impl IntoView {
    let lang = use_lang();
    let none = lang.t(T::NoneText);
    // One action per field, so each shows its own answer.
    let reveal_phone = ServerAction::<RevealMemberField>::new();
    let reveal_id = ServerAction::<RevealMemberField>::new();
    let id = profile.id.clone();
    let sensitive = move |field: SensitiveField, masked: String, label: T| {
        let id = id.clone();
        let reveal = match field {
            SensitiveField::Phone => reveal_phone,
            SensitiveField::IdNumber => reveal_id,
        };
        view! {
            <dt>{lang.t(label)}</dt>
            <dd>
                <span data-testid=format!("member-{}", field.as_str())>
                    {move || reveal.value().get().and_then(Result::ok).unwrap_or_else(|| masked.clone())}
                </span>
                " "
                <ActionForm action=reveal attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="field" value=field.as_str()/>
                    <button type="submit" class="btn btn-ghost btn-small" title=lang.t(T::RevealNote)>
                        {lang.t(T::Reveal)}
                    </button>
                </ActionForm>
                <span class="field-error" role="alert">{move || general_error(reveal.value().get(), &[], lang)}</span>
            </dd>
        }
    };
    let saved = move || matches!(update.value().get(), Some(Ok(())));
    let flags = if profile.flags.is_empty() {
        none.to_string()
    } else {
        profile
            .flags
            .iter()
            .map(|f| lang.t(f.label()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let status_profile = profile.clone();
    let (steps, transfers, history) = (
        profile.pipeline.clone(),
        profile.transfers.clone(),
        profile.history.clone(),
    );
    let phone_masked = profile.phone_masked.clone();
    let id_masked = profile.id_number_masked.clone();
    view! {
        <div class="page-head">
            <h1 data-testid="member-name">{profile.name.clone()}</h1>
            <div class="toolbar">
                <a class="btn btn-ghost" data-testid="member-learning"
                    href=format!("/learning/members/{}", profile.id)>
                    {lang.t(T::LnRecord)}
                </a>
                {can_change.then(|| view! {
                    <a class="btn btn-ghost" data-testid="edit-member" href=format!("/members/{}/edit", profile.id)>
                        {lang.t(T::MemberEdit)}
                    </a>
                })}
            </div>
        </div>
        <p class="hint">
            {format!(
                "{} · {} · {}",
                profile.org_name,
                lang.t(profile.position.label()),
                lang.t(profile.status.label())
            )}
            {(profile.standing != Standing::Active).then(|| view! {
                " · "<span class="badge badge-danger" data-testid="member-standing">
                    {lang.t(profile.standing.label())}
                </span>
            })}
        </p>
        <div class="profile-layout">
            <section class="card" aria-labelledby="member-record-heading">
                <h2 id="member-record-heading">{lang.t(T::MemberRecord)}</h2>
                <dl class="detail-grid">
                    <dt>{lang.t(T::MemberGender)}</dt>
                    <dd>{lang.t(profile.gender.label())}</dd>
                    <dt>{lang.t(T::MemberBirthDate)}</dt>
                    <dd>{lang.date(profile.birth_date)}</dd>
                    <dt>{lang.t(T::MemberEthnicity)}</dt>
                    <dd>{profile.ethnicity.clone()}</dd>
                    <dt>{lang.t(T::MemberEducation)}</dt>
                    <dd>{profile.education.clone()}</dd>
                    <dt>{lang.t(T::MemberDepartment)}</dt>
                    <dd>{profile.department.clone()}</dd>
                    <dt>{lang.t(T::MemberTitle)}</dt>
                    <dd>{profile.title.clone()}</dd>
                    <dt>{lang.t(T::MemberAdmission)}</dt>
                    <dd>{lang.date(profile.admission_date)}</dd>
                    <dt>{lang.t(T::MemberFull)}</dt>
                    <dd>{profile.full_date.map_or(none.to_string(), |d| lang.date(d))}</dd>
                    <dt>{lang.t(T::MemberFlags)}</dt>
                    <dd>{flags}</dd>
                    {sensitive(SensitiveField::Phone, phone_masked, T::MemberPhone)}
                    {sensitive(SensitiveField::IdNumber, id_masked, T::MemberIdNumber)}
                </dl>
            </section>
            <section class="card" aria-labelledby="member-phone-heading">
                <h2 id="member-phone-heading">{lang.t(T::MemberPhoneUpdate)}</h2>
                <ActionForm action=update attr:class="form-stack">
                    <input type="hidden" name="input[id]" value=profile.id.clone()/>
                    <Field id="member-new-phone" name="input[phone]" label=lang.t(T::MemberNewPhone) kind="tel"
                        inputmode="numeric" maxlength=11 required=true autocomplete="off"
                        error=action_error(update.value().into(), "phone")/>
                    <Field id="member-phone-reason" name="input[reason]" label=lang.t(T::ChangeReason) maxlength=200/>
                    <p class="field-error" role="alert">{move || general_error(update.value().get(), &["phone"], lang)}</p>
                    {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                    <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>
                        {lang.t(T::SaveText)}
                    </button>
                </ActionForm>
            </section>
        </div>
        {can_change.then(|| {
            let profile = status_profile.clone();
            crate::components::later::after_hydration(
                || ().into_any(),
                move || member_forms(profile.clone(), status, seat),
            )
        })}
        {(!profile.pipeline.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="member-pipeline-heading">
                <h2 id="member-pipeline-heading">{lang.t(T::PipelineSteps)}</h2>
                <ol class="steps" data-testid="member-pipeline">
                    {keyed(
                        steps.clone(),
                        |s| s.no,
                        move |s| view! {
                            <li class="step done">
                                <span class="step-name">
                                    {crate::models::pipeline::step_of(s.no).map(|x| x.name(lang)).unwrap_or_default()}
                                </span>
                                <span class="step-meta">{lang.date(s.date)}</span>
                            </li>
                        },
                    )}
                </ol>
            </section>
        })}
        {(!profile.transfers.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="member-transfers-heading">
                <h2 id="member-transfers-heading">{lang.t(T::TrTitle)}</h2>
                <ul class="history" data-testid="member-transfers">
                    {keyed(
                        transfers.clone(),
                        |t| t.id.clone(),
                        move |t| {
                            let from = if t.kind == TransferKind::Inbound { t.outside.clone() } else { t.from_name.clone() };
                            let to = if t.kind == TransferKind::Outbound { t.outside.clone() } else { t.to_name.clone() };
                            view! {
                                <li>
                                    {t.letter_no.clone()}" · "{from}" → "{to}" · "
                                    {lang.t(t.status.label())}
                                    " · "{lang.day(t.issued_at)}
                                </li>
                            }
                        },
                    )}
                </ul>
            </section>
        })}
        {(!profile.tasks.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="member-tasks-heading">
                <h2 id="member-tasks-heading">{lang.t(T::TkMemberTasks)}</h2>
                <p class="hint">{lang.t(T::TkMemberTasksHint)}</p>
                <ul class="history" data-testid="member-tasks">
                    {keyed(
                        profile.tasks.clone(),
                        |a| a.id.clone(),
                        move |a| view! {
                            <li>
                                <a href=format!("/tasks/assignments/{}", a.id)>{a.title.clone()}</a>
                                " · "{lang.t(a.status.label())}
                                " · "{lang.date(a.deadline)}
                            </li>
                        },
                    )}
                </ul>
            </section>
        })}
        <section class="card" aria-labelledby="member-history-heading">
            <h2 id="member-history-heading">{lang.t(T::MemberHistory)}</h2>
            {if profile.history.is_empty() {
                view! { <EmptyState message=T::MemberHistoryEmpty/> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        // Events carry no id of their own: a line's place in the history is its key.
                        {keyed(
                            history.clone().into_iter().enumerate(),
                            |(i, _)| *i,
                            move |(_, e)| view! {
                                <li>
                                    <time>{lang.time(e.at)}</time>
                                    " · "{e.what.text(lang)}
                                    {(!e.reason.is_empty()).then(|| format!("（{}）", e.reason))}
                                    " · "{e.actor}
                                </li>
                            },
                        )}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The committee's forms on a member's record: 转正 and flags, the seat, and starting a
/// transfer. Fetched once the page has hydrated (`#[lazy]`): reading the record, which is
/// what most visits are for, does not load them.
#[lazy]
fn member_forms(
    profile: MemberProfile,
    status: ServerAction<ChangeMemberStatus>,
    seat: ServerAction<AssignSeat>,
) -> AnyView {
    let transfer = (profile.standing == Standing::Active).then(|| {
        view! {
            <crate::pages::transfer::StartTransferForm
                member=profile.id.clone()
                own_org=profile.org_id.clone()
            />
        }
    });
    view! {
        <StatusForm profile=profile.clone() status/>
        <SeatForm profile=profile.clone() seat/>
        {transfer}
    }
    .into_any()
}

/// 转正 and flags: explicit actions with a date and a reason, refused with the rule named.
#[component]
fn StatusForm(profile: MemberProfile, status: ServerAction<ChangeMemberStatus>) -> impl IntoView {
    let lang = use_lang();
    let mut choices: Vec<(String, String)> = Vec::new();
    let active = profile.standing == Standing::Active;
    if profile.standing == Standing::Suspended {
        choices.push(("restore".into(), lang.t(T::StatusRestore).into()));
    }
    if profile.status == MemberStatus::Probationary && active {
        choices.push(("to_full".into(), lang.t(T::StatusToFull).into()));
    }
    for &flag in Flag::ALL.iter().filter(|_| active) {
        let (action, on) = if profile.flags.contains(&flag) {
            ("flag_off", false)
        } else {
            ("flag_on", true)
        };
        choices.push((
            format!("{action}:{}", flag.as_str()),
            flag_action_text(on, flag, lang),
        ));
    }
    if active {
        choices.push(("suspend".into(), lang.t(T::StatusSuspend).into()));
    }
    let fields = ["action", "date", "reason"];
    let error = move |field: &'static str| action_error(status.value().into(), field);
    let saved = move || matches!(status.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="member-status-heading">
            <h2 id="member-status-heading">{lang.t(T::StatusTitle)}</h2>
            <ActionForm action=status attr:class="form-stack">
                <input type="hidden" name="input[id]" value=profile.id.clone()/>
                <div class="form-row">
                    <Field id="status-action" name="input[action]" label=lang.t(T::StatusAction) error=error("action")>
                        {choices.into_iter().map(|(value, label)| view! {
                            <option value=value>{label}</option>
                        }).collect_view()}
                    </Field>
                    <Field id="status-date" name="input[date]" label=lang.t(T::StatusDate) kind="date"
                        required=true error=error("date")/>
                </div>
                <Field id="status-reason" name="input[reason]" label=lang.t(T::StatusReason) maxlength=200
                    required=true error=error("reason")/>
                <p class="field-error" role="alert">{move || general_error(status.value().get(), &fields, lang)}</p>
                {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || status.pending().get()>
                    {lang.t(T::StatusSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

/// 任命职务: a position in the member's branch, and 双带头人 for a secretary.
#[component]
fn SeatForm(profile: MemberProfile, seat: ServerAction<AssignSeat>) -> impl IntoView {
    use crate::models::org::Position;
    let lang = use_lang();
    let current = profile.position;
    let saved = move || matches!(seat.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="member-seat-heading">
            <h2 id="member-seat-heading">{lang.t(T::SeatAssign)}</h2>
            <ActionForm action=seat attr:class="form-stack">
                <input type="hidden" name="input[member]" value=profile.id.clone()/>
                <div class="form-row">
                    <Field id="seat-position" name="input[position]" label=lang.t(T::MemberPosition)
                        error=action_error(seat.value().into(), "position")>
                        {Position::ALL.iter().map(|&p| view! {
                            <option value=p.as_str() selected=p == current>{lang.t(p.label())}</option>
                        }).collect_view()}
                    </Field>
                    <label class="check">
                        <input type="checkbox" name="input[dual_leader]" value="true" checked=profile.dual_leader/>
                        {lang.t(T::DualLeader)}
                    </label>
                </div>
                <Field id="seat-reason" name="input[reason]" label=lang.t(T::Reason) maxlength=200/>
                <p class="field-error" role="alert">{move || general_error(seat.value().get(), &["position"], lang)}</p>
                {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || seat.pending().get()>
                    {lang.t(T::Save)}
                </button>
            </ActionForm>
        </section>
    }
}
