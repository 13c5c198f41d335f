//! `/members`: the roster (branch roles and the office) and `/members/:id`: one member's
//! record and history. ID and phone numbers are masked; showing one in full is an explicit,
//! audited action. A member opening `/members` is taken to their own record.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::access::Role;
use crate::api::account::get_session;
use crate::api::member::UpdateMember;
use crate::api::member::{
    ChangeMemberStatus, RevealMemberField, UpdateMemberPhone, get_member, list_members,
};
use crate::api::org::AssignSeat;
use crate::components::feedback::{
    LoadingState, Pager, error_panel, field_error, general_error, query_string,
};
use crate::error::AppError;
use crate::i18n::{T, use_lang};
use crate::models::member::{
    MemberProfile, MemberQuery, SensitiveField, flag_action_text, flag_label, status_label,
};
use crate::pages::member_edit::EditMember;

const FILTERS: [&str; 6] = ["q", "org", "status", "flag", "department", "sort"];

/// The roster for branch roles and the office; a member, who has no roster, gets a link
/// to their own record instead.
#[component]
pub fn MembersPage() -> impl IntoView {
    view! { <Roster/> }
}

#[component]
fn Roster() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map();
    let get = move |k: &str| params.read().get(k).unwrap_or_default();
    let initial = move |k: &str| params.read_untracked().get(k).unwrap_or_default();
    let query = Memo::new(move |_| MemberQuery {
        q: get("q"),
        org: get("org"),
        status: get("status"),
        flag: get("flag"),
        department: get("department"),
        sort: get("sort"),
        page: get("page").parse().unwrap_or(1),
    });
    let filter_string = move || query_string(&FILTERS, get);
    let members = Resource::new(move || query.get(), list_members);
    let session = Resource::new(|| (), |_| get_session());
    let option = move |value: &'static str, label: T, current: String| {
        view! { <option value=value selected=current == value>{lang.t(label)}</option> }
    };
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
            <form method="get" action="/members" class="filter-bar" role="search">
                <input type="hidden" name="org" value=move || get("org")/>
                <div class="field grow">
                    <label for="members-q">{lang.t(T::MemberSearch)}</label>
                    <input
                        id="members-q"
                        type="search"
                        name="q"
                        maxlength="32"
                        placeholder=lang.t(T::MemberSearchHint)
                        prop:value=move || get("q")
                    />
                </div>
                <div class="field">
                    <label for="members-status">{lang.t(T::MemberStatus)}</label>
                    <select id="members-status" name="status">
                        {option("", T::AllText, initial("status"))}
                        {option("full", T::FieldFullMembers, initial("status"))}
                        {option("probationary", T::FieldProbationary, initial("status"))}
                    </select>
                </div>
                <div class="field">
                    <label for="members-flag">{lang.t(T::MemberFlags)}</label>
                    <select id="members-flag" name="flag">
                        {option("", T::AllText, initial("flag"))}
                        {option("floating", T::FlagFloating, initial("flag"))}
                        {option("lost_contact", T::FlagLostContact, initial("flag"))}
                        {option("hardship", T::FlagHardship, initial("flag"))}
                    </select>
                </div>
                <div class="field">
                    <label for="members-sort">{lang.t(T::SortBy)}</label>
                    <select id="members-sort" name="sort">
                        {option("", T::SortName, initial("sort"))}
                        {option("admission", T::SortAdmission, initial("sort"))}
                        {option("org", T::SortOrg, initial("sort"))}
                    </select>
                </div>
                <button type="submit" class="btn btn-primary">{lang.t(T::Search)}</button>
            </form>
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
                                return view! {
                                    <p class="empty-state" role="status">{lang.t(T::MembersEmpty)}</p>
                                }.into_any();
                            }
                            let filters = filter_string();
                            let export = format!("/export/members.xlsx?{filters}");
                            view! {
                                <div class="toolbar">
                                    <p class="hint" role="status" data-testid="member-counts">{counts}</p>
                                    <a class="btn btn-ghost" href=export rel="external" download="">
                                        {lang.t(T::MemberExport)}
                                    </a>
                                </div>
                                <div class="table-wrap">
                                    <table class="data-table" data-testid="member-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{lang.t(T::AccountDisplayName)}</th>
                                                <th scope="col">{lang.t(T::MemberDepartment)}</th>
                                                <th scope="col">{lang.t(T::MemberBranch)}</th>
                                                <th scope="col">{lang.t(T::MemberPosition)}</th>
                                                <th scope="col">{lang.t(T::MemberStatus)}</th>
                                                <th scope="col">{lang.t(T::MemberPhone)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.members.into_iter().map(|m| view! {
                                                <tr>
                                                    <td><a href=format!("/members/{}", m.id)>{m.name}</a></td>
                                                    <td>{m.department}</td>
                                                    <td>{m.org_name}</td>
                                                    <td>{lang.t(m.position.label())}</td>
                                                    <td>
                                                        {lang.t(status_label(&m.status))}
                                                        {m.flags.iter().map(|f| view! {
                                                            <span class="badge badge-warn">{lang.t(flag_label(f))}</span>
                                                        }).collect_view()}
                                                    </td>
                                                    <td>{m.phone_masked}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager
                                    page=p.page
                                    total=p.total
                                    page_size=p.page_size
                                    href=move |n| format!("/members?{filters}&page={n}")
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
    let edit = ServerAction::<UpdateMember>::new();
    let profile = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                status.version().get(),
                seat.version().get(),
                edit.version().get(),
            )
        },
        |(id, ..)| get_member(id),
    );
    let session = Resource::new(|| (), |_| get_session());
    let tree = Resource::new(|| (), |_| crate::api::org::get_org_tree());
    view! {
        <Suspense fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    let roles = session.await.ok().flatten().map(|s| s.roles).unwrap_or_default();
                    let can_change = roles.contains(&Role::BranchCommittee)
                        || roles.contains(&Role::CommitteeOffice);
                    let forest = if can_change { tree.await.unwrap_or_default() } else { Vec::new() };
                    profile.await.map(|p| view! { <Profile profile=p update status seat edit can_change forest/> })
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
    edit: ServerAction<UpdateMember>,
    can_change: bool,
    forest: Vec<crate::models::org::OrgNode>,
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
            .map(|f| lang.t(flag_label(f)))
            .collect::<Vec<_>>()
            .join("、")
    };
    let status_profile = profile.clone();
    let phone_masked = profile.phone_masked.clone();
    let id_masked = profile.id_number_masked.clone();
    view! {
        <h1 data-testid="member-name">{profile.name.clone()}</h1>
        <p class="hint">
            {format!(
                "{} · {} · {}",
                profile.org_name,
                lang.t(profile.position.label()),
                lang.t(status_label(&profile.status))
            )}
            {(profile.standing != "active").then(|| view! {
                " · "<span class="badge badge-danger" data-testid="member-standing">
                    {lang.t(if profile.standing == "suspended" { T::StandingSuspended } else { T::StandingTransferred })}
                </span>
            })}
        </p>
        <div class="profile-layout">
            <section class="card" aria-labelledby="member-record-heading">
                <h2 id="member-record-heading">{lang.t(T::MemberRecord)}</h2>
                <dl class="detail-grid">
                    <dt>{lang.t(T::MemberGender)}</dt>
                    <dd>{lang.t(if profile.gender == "female" { T::GenderFemale } else { T::GenderMale })}</dd>
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
                    <div class="field">
                        <label for="member-new-phone">{lang.t(T::MemberNewPhone)}</label>
                        <input id="member-new-phone" type="tel" name="input[phone]" inputmode="numeric"
                            maxlength="11" required=true autocomplete="off"
                            aria-describedby="member-new-phone-error"/>
                        <p id="member-new-phone-error" class="field-error" role="alert">
                            {move || field_error(update.value().get(), "phone")}
                        </p>
                    </div>
                    <div class="field">
                        <label for="member-phone-reason">{lang.t(T::ChangeReason)}</label>
                        <input id="member-phone-reason" type="text" name="input[reason]" maxlength="200"/>
                    </div>
                    <p class="field-error" role="alert">{move || general_error(update.value().get(), &["phone"], lang)}</p>
                    {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                    <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>
                        {lang.t(T::SaveText)}
                    </button>
                </ActionForm>
            </section>
        </div>
        {can_change.then(|| view! { <StatusForm profile=status_profile.clone() status/> })}
        {can_change.then(|| view! { <SeatForm profile=status_profile.clone() seat/> })}
        {can_change.then(|| view! { <EditMember profile=status_profile.clone() update=edit/> })}
        {(can_change && status_profile.standing == "active").then(|| view! {
            <crate::pages::transfer::StartTransferForm
                member=status_profile.id.clone()
                forest=forest.clone()
                own_org=status_profile.org_id.clone()
            />
        })}
        {(!profile.pipeline.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="member-pipeline-heading">
                <h2 id="member-pipeline-heading">{lang.t(T::PipelineSteps)}</h2>
                <ol class="steps" data-testid="member-pipeline">
                    {profile.pipeline.iter().map(|s| view! {
                        <li class="step done">
                            <span class="step-name">
                                {crate::models::pipeline::step_of(s.no).map(|x| x.name(lang)).unwrap_or_default()}
                            </span>
                            <span class="step-meta">{lang.date(s.date)}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        {(!profile.transfers.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="member-transfers-heading">
                <h2 id="member-transfers-heading">{lang.t(T::TrTitle)}</h2>
                <ul class="history" data-testid="member-transfers">
                    {profile.transfers.iter().map(|t| {
                        let from = if t.kind == "inbound" { t.outside.clone() } else { t.from_name.clone() };
                        let to = if t.kind == "outbound" { t.outside.clone() } else { t.to_name.clone() };
                        view! {
                            <li>
                                {t.letter_no.clone()}" · "{from}" → "{to}" · "
                                {crate::models::transfer::status_text(&t.status, lang)}
                                " · "{lang.day(t.issued_at)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" aria-labelledby="member-history-heading">
            <h2 id="member-history-heading">{lang.t(T::MemberHistory)}</h2>
            {if profile.history.is_empty() {
                view! { <p class="empty-state">{lang.t(T::MemberHistoryEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        {profile.history.into_iter().map(|e| view! {
                            <li>
                                <time>{lang.time(e.at)}</time>
                                " · "{e.what.text(lang)}
                                {(!e.reason.is_empty()).then(|| format!("（{}）", e.reason))}
                                " · "{e.actor}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// 转正 and flags: explicit actions with a date and a reason, refused with the rule named.
#[component]
fn StatusForm(profile: MemberProfile, status: ServerAction<ChangeMemberStatus>) -> impl IntoView {
    let lang = use_lang();
    let mut choices: Vec<(String, String)> = Vec::new();
    let active = profile.standing == "active";
    if profile.standing == "suspended" {
        choices.push(("restore".into(), lang.t(T::StatusRestore).into()));
    }
    if profile.status == "probationary" && active {
        choices.push(("to_full".into(), lang.t(T::StatusToFull).into()));
    }
    for flag in crate::models::member::FLAGS.into_iter().filter(|_| active) {
        let (action, on) = if profile.flags.iter().any(|f| f == flag) {
            ("flag_off", false)
        } else {
            ("flag_on", true)
        };
        choices.push((format!("{action}:{flag}"), flag_action_text(on, flag, lang)));
    }
    if active {
        choices.push(("suspend".into(), lang.t(T::StatusSuspend).into()));
    }
    let fields = ["action", "date", "reason"];
    let saved = move || matches!(status.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="member-status-heading">
            <h2 id="member-status-heading">{lang.t(T::StatusTitle)}</h2>
            <ActionForm action=status attr:class="form-stack">
                <input type="hidden" name="input[id]" value=profile.id.clone()/>
                <div class="form-row">
                    <div class="field">
                        <label for="status-action">{lang.t(T::StatusAction)}</label>
                        <select id="status-action" name="input[action]" aria-describedby="status-action-error">
                            {choices.into_iter().map(|(value, label)| view! {
                                <option value=value>{label}</option>
                            }).collect_view()}
                        </select>
                        <p id="status-action-error" class="field-error" role="alert">
                            {move || field_error(status.value().get(), "action")}
                        </p>
                    </div>
                    <div class="field">
                        <label for="status-date">{lang.t(T::StatusDate)}</label>
                        <input id="status-date" type="date" name="input[date]" required=true
                            aria-describedby="status-date-error"/>
                        <p id="status-date-error" class="field-error" role="alert">
                            {move || field_error(status.value().get(), "date")}
                        </p>
                    </div>
                </div>
                <div class="field">
                    <label for="status-reason">{lang.t(T::StatusReason)}</label>
                    <input id="status-reason" type="text" name="input[reason]" maxlength="200"
                        required=true aria-describedby="status-reason-error"/>
                    <p id="status-reason-error" class="field-error" role="alert">
                        {move || field_error(status.value().get(), "reason")}
                    </p>
                </div>
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
                    <div class="field">
                        <label for="seat-position">{lang.t(T::MemberPosition)}</label>
                        <select id="seat-position" name="input[position]" aria-describedby="seat-position-error">
                            {Position::ALL.into_iter().map(|p| view! {
                                <option value=p.as_str() selected=p == current>{lang.t(p.label())}</option>
                            }).collect_view()}
                        </select>
                        <p id="seat-position-error" class="field-error" role="alert">
                            {move || field_error(seat.value().get(), "position")}
                        </p>
                    </div>
                    <label class="check">
                        <input type="checkbox" name="input[dual_leader]" value="true" checked=profile.dual_leader/>
                        {lang.t(T::DualLeader)}
                    </label>
                </div>
                <div class="field">
                    <label for="seat-reason">{lang.t(T::Reason)}</label>
                    <input id="seat-reason" type="text" name="input[reason]" maxlength="200"/>
                </div>
                <p class="field-error" role="alert">{move || general_error(seat.value().get(), &["position"], lang)}</p>
                {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || seat.pending().get()>
                    {lang.t(T::Save)}
                </button>
            </ActionForm>
        </section>
    }
}
