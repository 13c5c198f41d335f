//! Registering a member (`/members/new`) and correcting a record (`/members/:id/edit`): one set
//! of fields, the server's rules, and the first problem shown at the field it concerns.
//! What was typed stays in the form when the server refuses it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::access::Role;
use crate::api::member::{CreateMember, UpdateMember, get_member};
use crate::api::org::get_org_tree;
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::form::{Field, action_error};
use crate::components::layout::use_session;
use crate::components::table::keyed;
use crate::error::AppError;
use crate::i18n::{T, use_lang};
use crate::models::member::{Gender, MemberProfile, MemberStatus};
use crate::models::org::OrgKind;

/// The answer of the last submission, whatever the action returns on success.
type Answer = Signal<Option<Result<(), AppError>>>;

const FIELDS: [&str; 13] = [
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "department",
    "title",
    "phone",
    "id_number",
    "status",
    "application_date",
    "admission_date",
    "full_date",
];

/// One field of the record (`mf-<name>`, `input[<name>]`) on the shared [`Field`], its
/// error taken from the last answer.
#[component]
fn RecordField(
    name: &'static str,
    label: T,
    answer: Answer,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = false)] required: bool,
    #[prop(optional)] hint: Option<T>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Field
            id=format!("mf-{name}")
            name=format!("input[{name}]")
            label=lang.t(label)
            kind
            value
            required
            maxlength=50
            placeholder=hint.map(|h| lang.t(h).to_string())
            error=action_error(answer, name)
        />
    }
}

/// The record's fields. `profile` fills them in for a correction; ID and phone numbers are
/// never sent to the browser in full, so there they stay empty and mean "unchanged".
#[component]
fn MemberFields(answer: Answer, profile: Option<MemberProfile>) -> impl IntoView {
    let lang = use_lang();
    let editing = profile.is_some();
    let p = profile.unwrap_or_else(|| MemberProfile {
        id: String::new(),
        name: String::new(),
        gender: crate::models::member::Gender::Male,
        birth_date: chrono::NaiveDate::MIN,
        ethnicity: String::new(),
        education: String::new(),
        department: String::new(),
        title: String::new(),
        org_id: String::new(),
        org_name: String::new(),
        position: crate::models::org::Position::Member,
        status: crate::models::member::MemberStatus::Full,
        admission_date: chrono::NaiveDate::MIN,
        application_date: None,
        full_date: None,
        phone_masked: String::new(),
        id_number_masked: String::new(),
        flags: Vec::new(),
        dual_leader: false,
        standing: crate::models::member::Standing::Active,
        history: Vec::new(),
        pipeline: Vec::new(),
        transfers: Vec::new(),
        tasks: Vec::new(),
    });
    let date = |d: chrono::NaiveDate| {
        if d == chrono::NaiveDate::MIN {
            String::new()
        } else {
            d.to_string()
        }
    };
    let secret_hint = editing.then_some(T::MfKeepHint);
    let error = move |field: &'static str| action_error(answer, field);
    view! {
        <div class="form-row">
            <RecordField name="name" label=T::MemberName answer value=p.name.clone() required=true/>
            <Field id="mf-gender" name="input[gender]" label=lang.t(T::MemberGender) error=error("gender")>
                {Gender::ALL.iter().map(|&g| view! {
                    <option value=g.as_str() selected=p.gender == g>{lang.t(g.label())}</option>
                }).collect_view()}
            </Field>
            <RecordField name="birth_date" label=T::MemberBirthDate answer kind="date" value=date(p.birth_date) required=true/>
            <RecordField name="ethnicity" label=T::MemberEthnicity answer value=p.ethnicity.clone()/>
        </div>
        <div class="form-row">
            <RecordField name="id_number" label=T::MemberIdNumber answer required=!editing hint=secret_hint.unwrap_or(T::MfIdHint)/>
            <RecordField name="phone" label=T::MemberPhone answer kind="tel" required=!editing hint=secret_hint.unwrap_or(T::MfPhoneHint)/>
        </div>
        <div class="form-row">
            <RecordField name="education" label=T::MemberEducation answer value=p.education.clone()/>
            <RecordField name="department" label=T::MemberDepartment answer value=p.department.clone()/>
            <RecordField name="title" label=T::MemberTitle answer value=p.title.clone()/>
        </div>
        <div class="form-row">
            {(!editing).then(|| view! {
                <Field id="mf-status" name="input[status]" label=lang.t(T::MemberStatus) error=error("status")>
                    {MemberStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str()>{lang.t(s.label())}</option>
                    }).collect_view()}
                </Field>
            })}
            {editing.then(|| view! { <input type="hidden" name="input[status]" value=p.status.as_str()/> })}
            <RecordField name="application_date" label=T::MemberApplication answer kind="date"
                value=p.application_date.map(|d| d.to_string()).unwrap_or_default()/>
            <RecordField name="admission_date" label=T::MemberAdmission answer kind="date" value=date(p.admission_date) required=true/>
            <RecordField name="full_date" label=T::MemberFull answer kind="date" value=p.full_date.map(|d| d.to_string()).unwrap_or_default()/>
        </div>
        <p class="field-error" role="alert">{move || general_error(answer.get(), &FIELDS, lang)}</p>
    }
}

/// `/members/new`: the branch first, then the record.
#[component]
pub fn NewMemberPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateMember>::new();
    let answer: Answer = Signal::derive(move || create.value().get().map(|r| r.map(|_| ())));
    let tree = Resource::new(|| (), |_| get_org_tree());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(key)) = create.value().get() {
            navigate(&format!("/members/{key}"), Default::default());
        }
    });
    view! {
        <h1>{lang.t(T::MemberNew)}</h1>
        <section class="card">
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        tree.await.map(|forest| {
                            let branches: Vec<(String, String)> = forest
                                .iter()
                                .flat_map(|n| n.walk())
                                .filter(|n| n.kind == OrgKind::Branch)
                                .map(|n| (n.id.clone(), n.name.clone()))
                                .collect();
                            view! {
                                <ActionForm action=create attr:class="form-stack">
                                    <Field id="mf-org" name="input[org]" label=lang.t(T::MemberBranch)
                                        error=action_error(answer, "org")>
                                        {keyed(
                                            branches.clone(),
                                            |(id, _)| id.clone(),
                                            |(id, name)| view! { <option value=id>{name}</option> },
                                        )}
                                    </Field>
                                    <MemberFields answer profile=None/>
                                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                                        {lang.t(T::MemberNew)}
                                    </button>
                                </ActionForm>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// `/members/:id/edit`: correcting a record, on a screen of its own so that the profile,
/// which everyone with the member in scope reads, does not carry the form's code (the page
/// budget in the README). Saved, it goes back to the profile, which reads the record anew.
#[component]
pub fn EditMemberPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let update = ServerAction::<UpdateMember>::new();
    let answer: Answer = Signal::derive(move || update.value().get());
    let profile = Resource::new(move || id.get(), get_member);
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = update.value().get() {
            navigate(
                &format!("/members/{}", id.get_untracked()),
                Default::default(),
            );
        }
    });
    view! {
        <div class="page-head">
            <h1>{lang.t(T::MemberEdit)}</h1>
            <a class="btn btn-ghost" href=move || format!("/members/{}", id.get())>{lang.t(T::MemberBackToRecord)}</a>
        </div>
        <section class="card">
            <Suspense fallback=|| view! { <LoadingState/> }>
                <ErrorBoundary fallback=error_panel>
                    {move || Suspend::new(async move {
                        // Only those who may correct a record get the form (the server
                        // refuses anyone else's save): a member who opens the address sees why.
                        let roles = session.await.ok().flatten().map(|s| s.roles).unwrap_or_default();
                        if !(roles.contains(&Role::BranchCommittee) || roles.contains(&Role::CommitteeOffice)) {
                            return Ok(view! { <EmptyState message=T::ErrForbidden/> }.into_any());
                        }
                        profile.await.map(|p| view! {
                            <p class="hint" data-testid="editing-member">{format!("{} · {}", p.name, p.org_name)}</p>
                            <ActionForm action=update attr:class="form-stack">
                                <input type="hidden" name="id" value=p.id.clone()/>
                                <MemberFields answer profile=Some(p)/>
                                <button type="submit" class="btn btn-primary" data-testid="save-member"
                                    disabled=move || update.pending().get()>
                                    {lang.t(T::Save)}
                                </button>
                            </ActionForm>
                        }.into_any())
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}
