//! Registering a member (`/members/new`) and correcting a record (on the profile): one set
//! of fields, the server's rules, and the first problem shown at the field it concerns.
//! What was typed stays in the form when the server refuses it.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::member::{CreateMember, UpdateMember};
use crate::api::org::get_org_tree;
use crate::components::feedback::{LoadingState, error_panel, field_error, general_error};
use crate::error::AppError;
use crate::i18n::{T, use_lang};
use crate::models::member::MemberProfile;
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

/// One labelled input with its error line.
#[component]
fn Field(
    name: &'static str,
    label: T,
    answer: Answer,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = false)] required: bool,
    #[prop(optional)] hint: Option<T>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("mf-{name}");
    let error_id = format!("mf-{name}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{lang.t(label)}</label>
            <input id=id type=kind name=format!("input[{name}]") value=value required=required
                maxlength="50" aria-describedby=error_id.clone()
                placeholder=hint.map(|h| lang.t(h))/>
            <p id=error_id class="field-error" role="alert">{move || field_error(answer.get(), name)}</p>
        </div>
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
    });
    let date = |d: chrono::NaiveDate| {
        if d == chrono::NaiveDate::MIN {
            String::new()
        } else {
            d.to_string()
        }
    };
    let secret_hint = editing.then_some(T::MfKeepHint);
    view! {
        <div class="form-row">
            <Field name="name" label=T::MemberName answer value=p.name.clone() required=true/>
            <div class="field">
                <label for="mf-gender">{lang.t(T::MemberGender)}</label>
                <select id="mf-gender" name="input[gender]" aria-describedby="mf-gender-error">
                    <option value="male" selected=p.gender == "male">{lang.t(T::GenderMale)}</option>
                    <option value="female" selected=p.gender == "female">{lang.t(T::GenderFemale)}</option>
                </select>
                <p id="mf-gender-error" class="field-error" role="alert">{move || field_error(answer.get(), "gender")}</p>
            </div>
            <Field name="birth_date" label=T::MemberBirthDate answer kind="date" value=date(p.birth_date) required=true/>
            <Field name="ethnicity" label=T::MemberEthnicity answer value=p.ethnicity.clone()/>
        </div>
        <div class="form-row">
            <Field name="id_number" label=T::MemberIdNumber answer required=!editing hint=secret_hint.unwrap_or(T::MfIdHint)/>
            <Field name="phone" label=T::MemberPhone answer kind="tel" required=!editing hint=secret_hint.unwrap_or(T::MfPhoneHint)/>
        </div>
        <div class="form-row">
            <Field name="education" label=T::MemberEducation answer value=p.education.clone()/>
            <Field name="department" label=T::MemberDepartment answer value=p.department.clone()/>
            <Field name="title" label=T::MemberTitle answer value=p.title.clone()/>
        </div>
        <div class="form-row">
            {(!editing).then(|| view! {
                <div class="field">
                    <label for="mf-status">{lang.t(T::MemberStatus)}</label>
                    <select id="mf-status" name="input[status]" aria-describedby="mf-status-error">
                        <option value="full">{lang.t(T::FieldFullMembers)}</option>
                        <option value="probationary">{lang.t(T::FieldProbationary)}</option>
                    </select>
                    <p id="mf-status-error" class="field-error" role="alert">{move || field_error(answer.get(), "status")}</p>
                </div>
            })}
            {editing.then(|| view! { <input type="hidden" name="input[status]" value=p.status.as_str()/> })}
            <Field name="application_date" label=T::MemberApplication answer kind="date"
                value=p.application_date.map(|d| d.to_string()).unwrap_or_default()/>
            <Field name="admission_date" label=T::MemberAdmission answer kind="date" value=date(p.admission_date) required=true/>
            <Field name="full_date" label=T::MemberFull answer kind="date" value=p.full_date.map(|d| d.to_string()).unwrap_or_default()/>
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
                                    <div class="field">
                                        <label for="mf-org">{lang.t(T::MemberBranch)}</label>
                                        <select id="mf-org" name="input[org]" aria-describedby="mf-org-error">
                                            {branches.into_iter().map(|(id, name)| view! {
                                                <option value=id>{name}</option>
                                            }).collect_view()}
                                        </select>
                                        <p id="mf-org-error" class="field-error" role="alert">
                                            {move || field_error(answer.get(), "org")}
                                        </p>
                                    </div>
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

/// Correcting a record, folded away on the profile.
#[component]
pub fn EditMember(profile: MemberProfile, update: ServerAction<UpdateMember>) -> impl IntoView {
    let lang = use_lang();
    let answer: Answer = Signal::derive(move || update.value().get());
    let saved = move || matches!(update.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="member-edit-heading">
            <details>
                <summary><h2 id="member-edit-heading">{lang.t(T::MemberEdit)}</h2></summary>
                <ActionForm action=update attr:class="form-stack">
                    <input type="hidden" name="id" value=profile.id.clone()/>
                    <MemberFields answer profile=Some(profile)/>
                    {move || saved().then(|| view! { <p class="saved" role="status">{lang.t(T::Saved)}</p> })}
                    <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>
                        {lang.t(T::Save)}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}
