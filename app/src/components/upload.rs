//! Uploading files into the file store (`POST /files?org=`), one request per file with its
//! progress, each file's outcome in a polite status list. Shown only once the page runs its
//! script: without it there is nothing to send the bytes with, and the form around it
//! still works with links to records already stored.

use leptos::prelude::*;

use crate::i18n::{Lang, T, use_lang};
use crate::models::closed_loop::{EvidenceLink, LinkKind};
use crate::models::files::{ACCEPT, ACCEPT_IMAGE, FileView};

/// Where one chosen file is (set by the browser build only).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum State {
    /// Percent of the file sent.
    Sending(u32),
    /// Sent; the server is reading and checking it.
    Checking,
    Done,
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
struct Row {
    n: usize,
    name: String,
    state: State,
}

/// A file input (several files at once) uploading into the organisation `org`; `on_done`
/// receives each stored file.
///
/// The control needs the page's script, so the server renders nothing here. Its code (the
/// list, the requests with their progress, reading the stored file) is a file of its own
/// (`#[lazy]`), fetched once the page has hydrated: it is not part of a page's first load
/// (docs/wasm-size.md, "Loaded after the page").
#[component]
pub fn FileUpload(
    org: String,
    on_done: Callback<FileView>,
    /// The input's id, when a page has more than one upload (default `fu-file`).
    #[prop(optional, into)]
    field: Option<String>,
    /// What the file input offers (default: photos and documents, [`ACCEPT`]).
    #[prop(optional)]
    accept: Option<&'static str>,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    move || {
        ready.get().then(|| {
            let (org, field) = (org.clone(), field.clone());
            Suspend::new(leptos::__reexports::send_wrapper::SendWrapper::new(
                upload_control(org, on_done, field, accept),
            ))
        })
    }
}

#[lazy]
fn upload_control(
    org: String,
    on_done: Callback<FileView>,
    field: Option<String>,
    accept: Option<&'static str>,
) -> AnyView {
    view! { <UploadControl org on_done field accept/> }.into_any()
}

#[component]
fn UploadControl(
    org: String,
    on_done: Callback<FileView>,
    field: Option<String>,
    accept: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let field = field.unwrap_or_else(|| "fu-file".to_string());
    let hint = format!("{field}-hint");
    let rows = RwSignal::new(Vec::<Row>::new());
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        send_chosen(&ev, &org, rows, on_done, lang);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &org, on_done);
    };
    let list = move || {
        rows.get()
            .into_iter()
            .map(|r| {
                let (bar, text) = match &r.state {
                    State::Sending(p) => (
                        Some(Some(*p)),
                        lang.t(T::FlUploading(&r.name, *p)).to_string(),
                    ),
                    State::Checking => (Some(None), lang.t(T::FlChecking(&r.name)).to_string()),
                    State::Done => (None, lang.t(T::FlUploaded(&r.name)).to_string()),
                    State::Failed(why) => (None, lang.t(T::FlFailed(&r.name, why)).to_string()),
                };
                let class = match r.state {
                    State::Failed(_) => "field-error",
                    State::Done => "",
                    _ => "loading",
                };
                view! {
                    <li class=class>
                        {bar.map(|p| view! { <progress max="100" value=p aria-hidden="true"></progress>" " })}
                        {text}
                    </li>
                }
            })
            .collect_view()
    };
    let image_only = accept == Some(ACCEPT_IMAGE);
    view! {
                <div class="field">
                    <label for=field.clone()>
                        {lang.t(if image_only { T::FlUploadImage } else { T::FlUpload })}
                    </label>
                    <input
                        id=field.clone()
                        type="file"
                        multiple=true
                        accept=accept.unwrap_or(ACCEPT)
                        aria-describedby=hint.clone()
                        data-testid="upload-input"
                        on:change=on_change.clone()
                    />
                    <p id=hint.clone() class="hint">
                        {lang.t(match accept {
                            Some(ACCEPT_IMAGE) => T::FlUploadImageHint,
                            Some(_) => T::FlUploadMediaHint,
                            None => T::FlUploadHint,
                        })}
                    </p>
                    <div role="status" aria-live="polite" data-testid="uploads">
                        <ul class="link-list">{list}</ul>
                    </div>
                </div>
    }
}

/// An evidence link: its label linked to the record, and its kind. A photo shows as its
/// thumbnail, a file as a download; a reader outside the record's organisation (who gets
/// no label) sees the kind only.
pub fn link_view(lang: Lang, link: &EvidenceLink) -> impl IntoView {
    let kind = lang.t(link.kind.label());
    let stored = matches!(link.kind, LinkKind::File | LinkKind::Photo);
    let label = if link.label.is_empty() {
        kind.to_string()
    } else {
        link.label.clone()
    };
    let href = link.kind.href(&link.id);
    let main = if link.id.is_empty() {
        Some(label.into_any())
    } else if stored && link.label.is_empty() {
        None
    } else if link.kind == LinkKind::Photo {
        Some(
            view! {
                <a href=href rel="external" title=lang.t(T::FlOpen(&label))>
                    <img
                        class="thumb"
                        src=format!("/files/{}/thumb", link.id)
                        alt=lang.t(T::FlThumb(&label))
                        loading="lazy"
                        width="160"
                        height="120"
                    />
                </a>
            }
            .into_any(),
        )
    } else {
        Some(
            view! {
                <a href=href rel=stored.then_some("external") download=stored.then_some("")>
                    {label}
                </a>
            }
            .into_any(),
        )
    };
    view! { {main}" "<span class="badge badge-muted">{kind}</span> }
}

pub fn link_list(lang: Lang, links: Vec<EvidenceLink>) -> AnyView {
    if links.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="link-list">
            {links.iter().map(|l| view! { <li>{link_view(lang, l)}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The records and files chosen so far for an answer or a task, each with a button that
/// takes it off again; `empty` when there is none.
pub fn chosen_links(
    lang: Lang,
    links: RwSignal<Vec<EvidenceLink>>,
    testid: &'static str,
    empty: T,
) -> impl Fn() -> AnyView + Copy + Send + Sync + 'static {
    move || {
        let list = links.get();
        if list.is_empty() {
            return view! { <p class="hint">{lang.t(empty)}</p> }.into_any();
        }
        view! {
            <ul class="link-list" data-testid=testid>
                {list.into_iter().map(|l| {
                    let (kind, id) = (l.kind, l.id.clone());
                    let label = if l.label.is_empty() { lang.t(l.kind.label()).to_string() } else { l.label.clone() };
                    view! {
                        <li>
                            {link_view(lang, &l)}" "
                            <button
                                type="button"
                                class="btn btn-ghost btn-small"
                                aria-label=lang.t(T::TkRemoveLink(&label))
                                on:click=move |_| links.update(|ls| ls.retain(|x| !(x.kind == kind && x.id == id)))
                            >
                                {lang.t(T::TkRemove)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// Starts one upload per chosen file, then clears the input (so the same file may be
/// chosen again).
#[cfg(feature = "hydrate")]
fn send_chosen(
    ev: &leptos::ev::Event,
    org: &str,
    rows: RwSignal<Vec<Row>>,
    on_done: Callback<FileView>,
    lang: crate::i18n::Lang,
) {
    use wasm_bindgen::JsCast;
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let files: Vec<web_sys::File> = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    input.set_value("");
    let url = format!(
        "/files?org={}",
        String::from(web_sys::js_sys::encode_uri_component(org))
    );
    for file in files {
        let n = rows.with_untracked(|rs| rs.last().map_or(0, |r| r.n + 1));
        let name = file.name();
        rows.update(|rs| {
            rs.push(Row {
                n,
                name: name.clone(),
                state: State::Sending(0),
            })
        });
        let set = move |state: State| {
            let _ = rows.try_update(|rs| {
                if let Some(r) = rs.iter_mut().find(|r| r.n == n) {
                    r.state = state;
                }
            });
        };
        if send(&file, &url, &name, set, on_done, lang).is_err() {
            set(State::Failed(
                crate::error::AppError::Internal.message(lang),
            ));
        }
    }
}

/// Sends one file's bytes through `XMLHttpRequest`, reporting its progress to `set`.
#[cfg(feature = "hydrate")]
fn send(
    file: &web_sys::File,
    url: &str,
    name: &str,
    set: impl Fn(State) + Copy + 'static,
    on_done: Callback<FileView>,
    lang: crate::i18n::Lang,
) -> Result<(), wasm_bindgen::JsValue> {
    use crate::error::AppError;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let xhr = web_sys::XmlHttpRequest::new()?;
    xhr.open("POST", url)?;
    xhr.set_request_header("accept", "application/json")?;
    xhr.set_request_header(
        "x-file-name",
        &String::from(web_sys::js_sys::encode_uri_component(name)),
    )?;
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let sent = (e.loaded() / e.total() * 100.0).floor() as u32;
                set(if sent >= 100 {
                    State::Checking
                } else {
                    State::Sending(sent)
                });
            }
        });
    xhr.upload()?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let request = xhr.clone();
    // Fires once, after success or failure; it owns the progress handler and frees it.
    let done = Closure::once_into_js(move || {
        drop(progress);
        let status = request.status().unwrap_or(0);
        let body = request.response_text().ok().flatten().unwrap_or_default();
        let stored = (status == 200)
            .then(|| serde_json::from_str::<FileView>(&body).ok())
            .flatten();
        match (stored, serde_json::from_str::<AppError>(&body)) {
            (Some(view), _) => {
                set(State::Done);
                // The page may have been left meanwhile: then nobody waits for it.
                let _ = on_done.try_run(view);
            }
            (None, Ok(e)) => set(State::Failed(e.message(lang))),
            (None, Err(_)) if status == 413 => set(State::Failed(
                lang.t(T::FlTooLarge(crate::models::files::UPLOAD_MAX_BYTES >> 20))
                    .to_string(),
            )),
            (None, Err(_)) => set(State::Failed(AppError::Internal.message(lang))),
        }
    });
    xhr.set_onloadend(Some(done.unchecked_ref()));
    xhr.send_with_opt_blob(Some(file))
}
