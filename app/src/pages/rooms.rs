//! `/rooms`: the committee office's meeting rooms and their tablets (issue 14). A room is
//! registered by name; a tablet is paired with a room by the six-digit code it shows, and
//! revoked here (its next request is a visitor's). Every action answers with all the rooms,
//! which replace the list without reading it again.

use leptos::prelude::*;

use crate::api::room::{PairTablet, RevokeTablet, SaveRoom, list_rooms};
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{EmptyState, LoadingState, error_panel, general_error};
use crate::components::form::{Field, action_error};
use crate::components::table::keyed;
use crate::i18n::{Lang, T, use_lang};
use crate::models::room::{PAIRING_MINUTES, RoomRow, TabletRow};

/// The fields of the room form and of the pairing form, whose errors show under them.
const ROOM_FIELDS: [&str; 2] = ["name", "location"];
const PAIR_FIELDS: [&str; 3] = ["room", "code", "label"];

/// The page's three actions.
#[derive(Clone, Copy)]
struct RoomActions {
    save: ServerAction<SaveRoom>,
    pair: ServerAction<PairTablet>,
    revoke: ServerAction<RevokeTablet>,
}

/// The rooms as first read, then as the last successful action answered.
#[component]
pub fn RoomsPage() -> impl IntoView {
    let lang = use_lang();
    let actions = RoomActions {
        save: ServerAction::new(),
        pair: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    let RoomActions { save, pair, revoke } = actions;
    let list = Resource::new(|| (), |_| list_rooms());
    // The rooms the last successful action answered with (all of them).
    let answered = RwSignal::new(None::<Vec<RoomRow>>);
    Effect::new(move |_| {
        if let Some(Ok(rooms)) = save.value().get() {
            answered.set(Some(rooms));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(rooms)) = pair.value().get() {
            answered.set(Some(rooms));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(rooms)) = revoke.value().get() {
            answered.set(Some(rooms));
        }
    });
    view! {
        <div class="page-head">
            <h1>{lang.t(T::RmRooms)}</h1>
        </div>
        <p class="hint">{lang.t(T::RmIntro)}</p>
        <Transition fallback=|| view! { <LoadingState/> }>
            <ErrorBoundary fallback=error_panel>
                {move || Suspend::new(async move {
                    list.await.map(|first| view! { <RoomsBody first answered actions/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The list of rooms, the room form and the pairing form.
#[component]
fn RoomsBody(
    first: Vec<RoomRow>,
    answered: RwSignal<Option<Vec<RoomRow>>>,
    actions: RoomActions,
) -> impl IntoView {
    let rooms = Memo::new(move |_| answered.get().unwrap_or_else(|| first.clone()));
    view! {
        <RoomList rooms revoke=actions.revoke/>
        <div class="rooms-forms">
            <RoomForm save=actions.save/>
            <PairForm rooms pair=actions.pair/>
        </div>
    }
}

/// The registered rooms with their tablets, or a note that there is none yet.
#[component]
fn RoomList(rooms: Memo<Vec<RoomRow>>, revoke: ServerAction<RevokeTablet>) -> impl IntoView {
    let lang = use_lang();
    let revoked = move || matches!(revoke.value().get(), Some(Ok(_))).then(|| lang.t(T::RmRevoked));
    let table = move || {
        let rooms = rooms.get();
        if rooms.is_empty() {
            return view! { <EmptyState message=T::RmEmpty/> }.into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="data-table rooms-table" data-testid="room-table">
                    <caption>{lang.t(T::RmCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{lang.t(T::RmName)}</th>
                            <th scope="col">{lang.t(T::RmLocation)}</th>
                            <th scope="col">{lang.t(T::RmTablets)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {keyed(rooms, |r: &RoomRow| r.id.clone(), move |r: RoomRow| room_row(lang, r, revoke))}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="rm-list-heading">
            <h2 id="rm-list-heading">{lang.t(T::RmListHeading)}</h2>
            <p class="saved" role="status">{revoked}</p>
            <p class="field-error" role="alert">{move || general_error(revoke.value().get(), &[], lang)}</p>
            {table}
        </section>
    }
}

/// One room: its name, where it is and its tablets.
fn room_row(lang: Lang, r: RoomRow, revoke: ServerAction<RevokeTablet>) -> impl IntoView {
    let location = if r.location.is_empty() {
        lang.t(T::NoneText).to_string()
    } else {
        r.location
    };
    let tablets = if r.tablets.is_empty() {
        view! { <span class="hint">{lang.t(T::RmNoTablets)}</span> }.into_any()
    } else {
        let room = r.name.clone();
        view! {
            <ul class="room-tablets">
                {keyed(
                    r.tablets,
                    |t: &TabletRow| t.id.clone(),
                    move |t: TabletRow| tablet_line(lang, room.clone(), t, revoke),
                )}
            </ul>
        }
        .into_any()
    };
    view! {
        <tr>
            <th scope="row">{r.name}</th>
            <td>{location}</td>
            <td>{tablets}</td>
        </tr>
    }
}

/// One paired tablet: its name, when and by whom it was paired, when it was last seen, and
/// the button that revokes it after asking.
fn tablet_line(
    lang: Lang,
    room: String,
    t: TabletRow,
    revoke: ServerAction<RevokeTablet>,
) -> impl IntoView {
    let label = if t.label.is_empty() {
        lang.t(T::RmUnnamedTablet).to_string()
    } else {
        t.label
    };
    let paired = if t.paired_by.is_empty() {
        lang.t(T::RmPairedOn(&t.paired_at))
    } else {
        lang.t(T::RmPairedAt(&t.paired_at, &t.paired_by))
    };
    let seen = if t.last_seen.is_empty() {
        lang.t(T::RmNeverSeen).to_string()
    } else {
        lang.t(T::RmLastSeen(&t.last_seen))
    };
    let message = lang.t(T::RmConfirmRevoke(&label, &room));
    view! {
        <li class="room-tablet">
            <span class="room-tablet-label">{label}</span>
            <span class="room-tablet-meta">{paired}" · "{seen}</span>
            <ConfirmDialog trigger=lang.t(T::RmRevoke) trigger_class="btn btn-ghost btn-small" message>
                <ActionForm action=revoke attr:class="inline-form">
                    <input type="hidden" name="id" value=t.id/>
                    <button type="submit" class="btn btn-danger" data-testid="tablet-revoke"
                        disabled=move || revoke.pending().get()>
                        {lang.t(T::RmRevoke)}
                    </button>
                </ActionForm>
                <p class="field-error" role="alert">{move || general_error(revoke.value().get(), &[], lang)}</p>
            </ConfirmDialog>
        </li>
    }
}

/// Registers a room: its name (required) and where it is. What was typed stays when the
/// server refuses; the form empties after a success.
#[component]
fn RoomForm(save: ServerAction<SaveRoom>) -> impl IntoView {
    let lang = use_lang();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_)))
            && let Some(f) = form.get_untracked()
        {
            f.reset();
        }
    });
    let error = move |field: &'static str| action_error(save.value().into(), field);
    let saved = move || matches!(save.value().get(), Some(Ok(_))).then(|| lang.t(T::RmRegistered));
    view! {
        <section class="card" aria-labelledby="rm-new-heading">
            <h2 id="rm-new-heading">{lang.t(T::RmNewRoom)}</h2>
            <ActionForm action=save node_ref=form attr:class="form-stack" attr:data-testid="room-form">
                <Field id="rm-name" name="input[name]" label=lang.t(T::RmName) required=true
                    maxlength=50 placeholder=lang.t(T::RmNameHint) error=error("name")/>
                <Field id="rm-location" name="input[location]" label=lang.t(T::RmLocation)
                    maxlength=100 placeholder=lang.t(T::RmLocationHint) error=error("location")/>
                <p class="field-error" role="alert">{move || general_error(save.value().get(), &ROOM_FIELDS, lang)}</p>
                <p class="saved" role="status">{saved}</p>
                <div>
                    <button type="submit" class="btn btn-primary" data-testid="room-save"
                        disabled=move || save.pending().get()>
                        {lang.t(T::RmRegister)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// Pairs the tablet showing a code with a room. The code is six digits (spaces and dashes
/// are ignored by the server); the tablet's name says where it stands.
#[component]
fn PairForm(rooms: Memo<Vec<RoomRow>>, pair: ServerAction<PairTablet>) -> impl IntoView {
    let lang = use_lang();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(pair.value().get(), Some(Ok(_)))
            && let Some(f) = form.get_untracked()
        {
            f.reset();
        }
    });
    let error = move |field: &'static str| action_error(pair.value().into(), field);
    let room_error = error("room");
    let paired = move || matches!(pair.value().get(), Some(Ok(_))).then(|| lang.t(T::RmPaired));
    let options = move || {
        rooms
            .get()
            .into_iter()
            .map(|r| view! { <option value=r.id>{r.name}</option> })
            .collect_view()
    };
    let no_room = move || {
        rooms
            .with(|r| r.is_empty())
            .then(|| lang.t(T::RmNoRoomToPair))
    };
    view! {
        <section class="card" aria-labelledby="rm-pair-heading">
            <h2 id="rm-pair-heading">{lang.t(T::RmPairHeading)}</h2>
            <p class="hint">{lang.t(T::RmPairIntro(PAIRING_MINUTES))}</p>
            <p class="hint" role="status">{no_room}</p>
            <ActionForm action=pair node_ref=form attr:class="form-stack" attr:data-testid="pair-form">
                <div class="field">
                    <label for="rm-pair-room">{lang.t(T::RmPairRoom)}</label>
                    <select
                        id="rm-pair-room"
                        name="input[room]"
                        required=true
                        aria-describedby="rm-pair-room-error"
                        aria-invalid=move || room_error.get().is_some().to_string()
                    >
                        <option value="">{lang.t(T::RmChooseRoom)}</option>
                        {options}
                    </select>
                    <p id="rm-pair-room-error" class="field-error" role="alert">{move || room_error.get()}</p>
                </div>
                <Field id="rm-pair-code" name="input[code]" label=lang.t(T::RmCode) required=true
                    maxlength=7 inputmode="numeric" autocomplete="off" placeholder="482913"
                    error=error("code")/>
                <Field id="rm-pair-label" name="input[label]" label=lang.t(T::RmLabel)
                    maxlength=50 placeholder=lang.t(T::RmLabelHint) error=error("label")/>
                <p class="field-error" role="alert">{move || general_error(pair.value().get(), &PAIR_FIELDS, lang)}</p>
                <p class="saved" role="status">{paired}</p>
                <div>
                    <button type="submit" class="btn btn-primary" data-testid="tablet-pair"
                        disabled=move || pair.pending().get()>
                        {lang.t(T::RmPair)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
