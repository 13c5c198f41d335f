//! The rectification page's forms, fetched once the page has hydrated (`#[lazy]`, not part
//! of its first load, docs/wasm-size.md): a branch's answer, the office's close and reopen,
//! and the office's finding raised outside a task. The server renders each item as it
//! stands; the forms need the page's script anyway.

use leptos::prelude::*;

use crate::api::assessment::{RaiseFinding, Rectify};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::general_error;
use crate::components::form::{Field, action_error};
use crate::components::org_tree::whole_tree_when;
use crate::components::table::keyed;
use crate::components::upload::{FileUpload, link_list};
use crate::i18n::{T, use_lang};
use crate::models::assessment::RectificationAction;
use crate::models::closed_loop::{ANSWER_MAX, COMMENT_MAX, EvidenceLink, LINKS_MAX};
use crate::models::files::FileView;
use crate::models::org::OrgKind;

/// What an item's forms need.
#[derive(Clone)]
pub struct RectActionsArgs {
    pub id: String,
    /// The owner branch, into which the answer's evidence is uploaded.
    pub org: String,
    pub actions: Vec<RectificationAction>,
    pub refresh: RwSignal<u32>,
    pub notice: RwSignal<Option<T>>,
}

/// The forms for what the caller may do with one item. A refusal shows beside the item it
/// is about; a success reloads the list.
#[lazy]
pub fn rect_actions(args: RectActionsArgs) -> AnyView {
    let lang = use_lang();
    let RectActionsArgs {
        id,
        org,
        actions,
        refresh,
        notice,
    } = args;
    let act = ServerAction::<Rectify>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            notice.set(Some(T::ScDone));
            refresh.update(|n| *n += 1);
        }
    });
    // The answer's evidence: photos and files uploaded into the owner branch.
    let links = RwSignal::new(Vec::<EvidenceLink>::new());
    let hidden = |a: RectificationAction| {
        view! {
            <input type="hidden" name="input[id]" value=id.clone()/>
            <input type="hidden" name="input[action]" value=a.as_str()/>
        }
    };
    let pending = move || act.pending().get();
    let actions = actions
        .iter()
        .map(|a| {
            let a = *a;
            let field = format!("rect-{}-{}", a.as_str(), id);
            let inputs = hidden(a);
            let org = org.clone();
            match a {
                RectificationAction::Answer => view! {
                    <ActionForm action=act attr:class="form-stack">
                        {inputs}
                        <TextArea id=field.clone() name="input[text]" label=lang.t(T::ScAnswer) required=true
                            maxlength=ANSWER_MAX/>
                        <input type="hidden" name="input[links]" value=move || links.with(|ls| {
                            ls.iter().map(|l| format!("{}:{}", l.kind.as_str(), l.id)).collect::<Vec<_>>().join("\n")
                        })/>
                        {move || link_list(lang, links.get())}
                        <FileUpload org=org.clone() field=format!("{field}-files") on_done=Callback::new(move |f: FileView| {
                            links.update(|ls| {
                                if ls.len() < LINKS_MAX && !ls.iter().any(|l| l.id == f.id) {
                                    ls.push(EvidenceLink { kind: f.kind, id: f.id, label: f.name, org: f.org });
                                }
                            })
                        })/>
                        <p>
                            <button type="submit" class="btn btn-primary" data-testid="rectify-answer"
                                disabled=pending>{lang.t(a.label())}</button>
                        </p>
                    </ActionForm>
                }
                .into_any(),
                RectificationAction::Close => view! {
                    <ActionForm action=act attr:class="form-stack">
                        {inputs}
                        <TextArea id=field name="input[text]" label=lang.t(T::ScCloseNote)
                            maxlength=COMMENT_MAX/>
                        <p>
                            <button type="submit" class="btn btn-primary" data-testid="rectify-close"
                                disabled=pending>{lang.t(a.label())}</button>
                        </p>
                    </ActionForm>
                }
                .into_any(),
                RectificationAction::Reopen => view! {
                    <span class="inline-form" data-testid="rectify-reopen">
                        <ConfirmDialog
                            trigger=lang.t(a.label())
                            trigger_class="btn btn-danger"
                            message=lang.t(T::ScReopenConfirm)
                        >
                            <ActionForm action=act attr:class="form-stack">
                                {inputs}
                                <Field id=field name="input[text]" label=lang.t(T::Reason) required=true
                                    maxlength=200/>
                                <button type="submit" class="btn btn-danger" data-testid="rectify-reopen-confirm"
                                    disabled=pending>{lang.t(a.label())}</button>
                            </ActionForm>
                        </ConfirmDialog>
                    </span>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        <div class="rect-actions">{actions}</div>
        <p class="field-error" role="alert">{move || general_error(act.value().get(), &[], lang)}</p>
    }
    .into_any()
}

/// The office's form for a problem found outside a task. The branches it offers are read
/// when it is first opened.
#[lazy]
pub fn finding_form(refresh: RwSignal<u32>) -> AnyView {
    let lang = use_lang();
    let raise = ServerAction::<RaiseFinding>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = raise.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let opened = RwSignal::new(false);
    let tree = Resource::new(move || opened.get(), whole_tree_when);
    let branches = move || -> Vec<(String, String)> {
        let forest = tree.get().and_then(Result::ok).unwrap_or_default();
        forest
            .iter()
            .flat_map(|n| n.walk())
            .filter(|n| n.kind == OrgKind::Branch)
            .map(|n| (n.id.clone(), n.name.clone()))
            .collect()
    };
    let fields = ["org", "problem", "deadline"];
    let error = move |field: &'static str| action_error(raise.value().into(), field);
    view! {
        <section class="card" aria-labelledby="rf-heading">
            <details on:toggle=move |_| opened.set(true)>
                <summary><h2 id="rf-heading">{lang.t(T::ScRaise)}</h2></summary>
                <p class="hint">{lang.t(T::ScRaiseHint)}</p>
                <ActionForm action=raise attr:class="form-stack" attr:data-testid="finding-form">
                    <div class="form-row">
                        <Field id="rf-org" name="input[org]" label=lang.t(T::ScBranch) error=error("org")>
                            {move || keyed(
                                branches(),
                                |(id, _)| id.clone(),
                                |(id, name)| view! { <option value=id>{name}</option> },
                            )}
                        </Field>
                        <Field id="rf-deadline" name="input[deadline]" label=lang.t(T::ScDeadline) kind="date"
                            error=error("deadline")/>
                    </div>
                    <TextArea id="rf-problem" name="input[problem]" label=lang.t(T::ScProblem) required=true
                        maxlength=500 error=error("problem")/>
                    <TextArea id="rf-required" name="input[required]" label=lang.t(T::ScRequired) maxlength=500/>
                    <Field id="rf-owner" name="input[owner]" label=lang.t(T::ScOwner) maxlength=50/>
                    <p class="field-error" role="alert">{move || general_error(raise.value().get(), &fields, lang)}</p>
                    {move || raise.value().get().and_then(Result::ok).map(|_| view! {
                        <p class="saved" role="status">{lang.t(T::ScRaised)}</p>
                    })}
                    <p>
                        <button type="submit" class="btn btn-primary" data-testid="finding-submit"
                            disabled=move || raise.pending().get()>{lang.t(T::ScRaiseSubmit)}</button>
                    </p>
                </ActionForm>
            </details>
        </section>
    }
    .into_any()
}

/// A labelled `<textarea>` with its error line (what `Field` is for inputs).
#[component]
fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional)] required: bool,
    maxlength: usize,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error_id = error.map(|_| format!("{id}-error"));
    let invalid = move || error.map(|e| e.get().is_some().to_string());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea id=id.clone() name=name rows="3" required=required
                maxlength=maxlength.to_string() aria-describedby=error_id.clone()
                aria-invalid=invalid></textarea>
            {error.map(|e| view! {
                <p id=error_id class="field-error" role="alert">{move || e.get()}</p>
            })}
        </div>
    }
}
