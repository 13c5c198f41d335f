//! Live attendance over server-sent events, and the projector view.
//!
//! - `GET /live/meetings/<key>`: the meeting's snapshots for people who may see it (the
//!   secretary's page, the projector view; an attendee outside the committee gets the
//!   counts without names).
//! - `GET /tablet/live/<key>`: the same for the paired tablet of the meeting's room, on the
//!   meeting's day; the stream ends soon after the tablet is revoked.
//! - `GET /screen/meetings/<key>`: the projector / lobby view: big type, no WASM, a few
//!   lines of script (with the response's nonce) that follow the stream.
//! - `GET /export/ledger.xlsx?org=&year=`: a branch's 台账 as an Excel workbook.
//!
//! Every stream starts with a full snapshot read after subscribing (nothing is missed
//! between the two), sends a new one on every change, a keep-alive comment every 15 s,
//! asks the browser to reconnect after 1 s (`retry`), and ends when the server stops.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures::Stream;
use tokio::sync::watch;

use super::{Params, answer, context, denied_error, failed, lang_of, refuse, text, xlsx};
use crate::access::{Caller, check};
use crate::api::meeting::{EXPORT_LEDGER, MEETING_LIVE, MEETING_SCREEN};
use crate::api::room::TABLET_LIVE;
use crate::i18n::{Lang, T};
use crate::models::audit::{Outcome, action};
use crate::models::meeting::MeetingQuery;
use crate::models::room::LiveSnapshot;
use crate::server::live_meetings::{Latest, POLL, Published};
use crate::server::{AppState, china_today, export, record, service};

/// A tablet's stream checks that the tablet is still paired every `auth.tablet_check_seconds`
/// (from memory while changes are followed: `DeviceCache`); the first check of each stream
/// comes up to a third of that later still, so a room's screens opened together do not
/// all check at once.
const DEVICE_CHECK_SPREAD: u32 = 3;

/// A tablet stream's credential: the key of its token in `DeviceCache` and its room.
#[derive(Clone)]
struct Tablet {
    key: String,
    room: String,
}

pub fn routes<S: Clone + Send + Sync + 'static>(state: &AppState) -> Router<S> {
    let (people, tablet, screen) = (state.clone(), state.clone(), state.clone());
    let ledger_state = state.clone();
    Router::new()
        .route(
            EXPORT_LEDGER.endpoint,
            get(move |caller, query, headers| ledger(ledger_state.clone(), caller, query, headers)),
        )
        .route(
            "/live/meetings/{key}",
            get(move |caller, key, headers| live(people.clone(), caller, key, headers)),
        )
        .route(
            "/tablet/live/{key}",
            get(move |caller, key| tablet_live(tablet.clone(), caller, key)),
        )
        .route(
            "/screen/meetings/{key}",
            get(move |caller, key, headers| projector(screen.clone(), caller, key, headers)),
        )
}

/// `GET /export/ledger.xlsx?org=&year=`: the same 台账 the printable page shows, from
/// the same service function (an organisation outside the caller's reach is refused and
/// recorded there; no organisation is 400).
pub async fn ledger(
    state: AppState,
    Extension(caller): Extension<Caller>,
    axum::extract::Query(params): Params,
    headers: HeaderMap,
) -> Response {
    let rule = &EXPORT_LEDGER;
    if let Err(denied) = check(rule, &caller) {
        return refuse(&state, &caller, rule, denied_error(denied)).await;
    }
    let org = text(&params, "org");
    let year = text(&params, "year").parse::<i32>().unwrap_or(0);
    let ctx = match context(&state, caller, rule, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    let query = MeetingQuery {
        org: org.clone(),
        year,
    };
    let ledger = match service::meeting::ledger(&ctx, query).await {
        Ok(ledger) => ledger,
        Err(e) => return answer(e),
    };
    let bytes = match export::ledger_workbook(&ledger, ctx.lang) {
        Ok(bytes) => bytes,
        Err(e) => return failed("ledger workbook", e),
    };
    let event = crate::server::audit::Event::new(action::EXPORT, Outcome::Success)
        .on("org", &org)
        .summary(format!(
            "meeting ledger of {:?}, {}: {} meetings",
            ledger.org_name,
            ledger.year,
            ledger.entries.len()
        ));
    record(&state, &ctx.caller, &event).await;
    xlsx(&state, "ledger", bytes)
}

/// `GET /live/meetings/<key>`.
pub async fn live(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&MEETING_LIVE, &caller) {
        return refuse(&state, &caller, &MEETING_LIVE, denied_error(denied)).await;
    }
    let ctx = match context(&state, caller, &MEETING_LIVE, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    // The same answer as the meeting's page: 403 (recorded) outside the caller's reach.
    let detail = match service::meeting::get(&ctx, &key).await {
        Ok(detail) => detail,
        Err(e) => return answer(e),
    };
    stream(state, detail.meeting.id, !detail.can_manage, None).await
}

/// `GET /tablet/live/<key>`.
pub async fn tablet_live(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
) -> Response {
    if let Err(denied) = check(&TABLET_LIVE, &caller) {
        return refuse(&state, &caller, &TABLET_LIVE, denied_error(denied)).await;
    }
    let (Some(credential), Some(room)) = (caller.device_credential.clone(), caller.room.clone())
    else {
        return refuse(
            &state,
            &caller,
            &TABLET_LIVE,
            crate::error::AppError::Forbidden,
        )
        .await;
    };
    let found = service::room::room_meeting(&state, &room, key.trim(), china_today(&state)).await;
    match found {
        Ok(Some(m)) => {
            let tablet = Tablet {
                key: credential,
                room,
            };
            stream(state, crate::server::key_string(&m.id), false, Some(tablet)).await
        }
        Ok(None) => {
            refuse(
                &state,
                &caller,
                &TABLET_LIVE,
                crate::error::AppError::Forbidden,
            )
            .await
        }
        Err(e) => answer(e),
    }
}

/// What one stream holds between events.
struct Follow {
    state: AppState,
    key: String,
    rx: watch::Receiver<Latest>,
    stopping: watch::Receiver<bool>,
    first: Option<Published>,
    counts_only: bool,
    tablet: Option<Tablet>,
    poll: tokio::time::Interval,
    check: tokio::time::Interval,
}

/// The stream of snapshots of meeting `key`.
async fn stream(
    state: AppState,
    key: String,
    counts_only: bool,
    tablet: Option<Tablet>,
) -> Response {
    // Subscribe first, then read: a change between the two is sent, not lost.
    let rx = state.live_meetings.subscribe(&key);
    let first = match service::room::live_snapshot(&state, &key).await {
        Ok(Some(first)) => first,
        Ok(None) => return answer(crate::error::AppError::NotFound),
        Err(e) => return answer(e),
    };
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Configuration refuses 0 or less, so the conversion does not fail.
    let every = state
        .policy
        .tablet_check
        .to_std()
        .unwrap_or(Duration::from_secs(1));
    let mut check = tokio::time::interval_at(
        tokio::time::Instant::now() + every + spread(every / DEVICE_CHECK_SPREAD),
        every,
    );
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let follow = Follow {
        stopping: state.live_meetings.stopping(),
        state,
        key,
        rx,
        first: Some(Published::new(&first)),
        counts_only,
        tablet,
        poll,
        check,
    };
    let mut sse = Sse::new(events(follow))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // A proxy in front must pass events on at once.
    sse.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    sse
}

fn event(snapshot: &Published, counts_only: bool) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event("snapshot")
        .retry(Duration::from_secs(1))
        .data(snapshot.json(counts_only)))
}

fn events(follow: Follow) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    futures::stream::unfold(follow, |mut f| async move {
        if let Some(first) = f.first.take() {
            let ev = event(&first, f.counts_only);
            return Some((ev, f));
        }
        let stopped = *f.stopping.borrow();
        if stopped {
            return None;
        }
        loop {
            tokio::select! {
                changed = f.rx.changed() => {
                    changed.ok()?;
                    let latest = f.rx.borrow_and_update().clone();
                    if let Some(snapshot) = latest {
                        let ev = event(&snapshot, f.counts_only);
                        return Some((ev, f));
                    }
                }
                // The server stops (or the hub is gone): the stream ends.
                _ = f.stopping.changed() => return None,
                _ = f.poll.tick() => {
                    // Changes are not followed (a database over plain HTTP): read it here.
                    if f.state.meetings.current().is_none() {
                        if let Ok(Some(snapshot)) =
                            service::room::live_snapshot(&f.state, &f.key).await
                        {
                            let ev = event(&Published::new(&snapshot), f.counts_only);
                            return Some((ev, f));
                        }
                    }
                }
                _ = f.check.tick(), if f.tablet.is_some() => {
                    let Some(tablet) = f.tablet.clone() else { continue };
                    match f.state.devices.get(&f.state.db, &tablet.key).await {
                        Ok(Some(device))
                            if device.room.as_ref().map(crate::server::key_string).as_deref()
                                == Some(tablet.room.as_str()) => {}
                        // Revoked, or paired with another room: the stream ends, and the
                        // reconnect is decided anew.
                        Ok(_) => return None,
                        Err(e) => tracing::warn!(error = %e, "tablet check failed"),
                    }
                }
            }
        }
    })
}

/// Somewhere between nothing and `most`, different for each call (from the clock's
/// nanoseconds: spreading work out needs no better randomness).
fn spread(most: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let most_ms = u64::try_from(most.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(u64::from(nanos) % most_ms)
}

/// `GET /screen/meetings/<key>`: the projector view.
pub async fn projector(
    state: AppState,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(denied) = check(&MEETING_SCREEN, &caller) {
        return refuse(&state, &caller, &MEETING_SCREEN, denied_error(denied)).await;
    }
    let lang = lang_of(&headers);
    let ctx = match context(&state, caller, &MEETING_SCREEN, &headers).await {
        Ok(ctx) => ctx,
        Err(e) => return answer(e),
    };
    let detail = match service::meeting::get(&ctx, &key).await {
        Ok(detail) => detail,
        Err(e) => return answer(e),
    };
    let snapshot = match service::room::live_snapshot(&state, &detail.meeting.id).await {
        Ok(Some(s)) => s,
        Ok(None) => return answer(crate::error::AppError::NotFound),
        Err(e) => return answer(e),
    };
    let nonce = match crate::server::auth::new_token() {
        Ok(t) => t[..32].to_string(),
        Err(e) => return super::failed("nonce", e),
    };
    let page = screen_page(lang, &nonce, &detail, &snapshot, !detail.can_manage);
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; \
         connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'"
    );
    let mut res = Html(page).into_response();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Text for HTML: `&`, `<`, `>`, `"` and `'` escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The projector page: readable across a room (the count fills the screen), high
/// contrast, and a few lines of script that follow the stream and reconnect by
/// themselves (`EventSource`).
pub fn screen_page(
    lang: Lang,
    nonce: &str,
    detail: &crate::models::meeting::MeetingDetail,
    snap: &LiveSnapshot,
    counts_only: bool,
) -> String {
    let m = &detail.meeting;
    let names: String = if counts_only {
        String::new()
    } else {
        snap.present_names
            .iter()
            .map(|n| format!("<li>{}</li>", escape(n)))
            .collect()
    };
    let when = format!("{} {}", m.day.format("%Y-%m-%d"), m.time);
    let title = format!("{} · {}", escape(&m.topic), escape(&m.org_name));
    format!(
        r#"<!DOCTYPE html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style nonce="{nonce}">
body{{margin:0;background:#2a1416;color:#fff;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}}
main{{min-height:100vh;box-sizing:border-box;padding:4vh 5vw;display:flex;flex-direction:column;gap:3vh}}
h1{{font-size:clamp(2rem,5vw,4.5rem);margin:0;line-height:1.2}}
.facts{{font-size:clamp(1.2rem,2.4vw,2.2rem);color:#f3dfe0;margin:0}}
.count{{font-size:clamp(3rem,11vw,10rem);font-weight:700;margin:0;line-height:1.1}}
.leave{{font-size:clamp(1.2rem,2.4vw,2.2rem);color:#f3dfe0;margin:0}}
h2{{font-size:clamp(1.2rem,2.4vw,2.2rem);margin:0;color:#f3dfe0}}
ul{{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1.2vw;font-size:clamp(1.4rem,3vw,2.8rem)}}
li{{background:#fff;color:#2a1416;border-radius:.4em;padding:.2em .6em}}
.state{{font-size:1.2rem;color:#f3dfe0;margin:0}}
</style>
</head>
<body>
<main id="main">
<h1>{topic}</h1>
<p class="facts">{org} · {when} · {room}</p>
<p class="count" id="count" aria-live="polite">{count}</p>
<p class="leave" id="leave">{leave}</p>
<h2>{names_title}</h2>
<ul id="names">{names}</ul>
<p class="state" id="state" role="status">{live}</p>
</main>
<script nonce="{nonce}">
(function(){{
var countText={count_zh_en};
var leaveText={leave_zh_en};
var offline={offline};
var live={live_js};
var src=new EventSource("/live/meetings/{key}");
src.addEventListener("snapshot",function(e){{
var s=JSON.parse(e.data);
document.getElementById("count").textContent=countText.replace("{{p}}",s.present).replace("{{e}}",s.expected);
document.getElementById("leave").textContent=leaveText.replace("{{n}}",s.leave);
var ul=document.getElementById("names");
while(ul.firstChild)ul.removeChild(ul.firstChild);
s.present_names.forEach(function(n){{var li=document.createElement("li");li.textContent=n;ul.appendChild(li);}});
document.getElementById("state").textContent=live;
}});
src.onerror=function(){{document.getElementById("state").textContent=offline;}};
}})();
</script>
</body>
</html>"#,
        code = lang.code(),
        title = title,
        nonce = nonce,
        topic = escape(&m.topic),
        org = escape(&m.org_name),
        when = escape(&when),
        room = escape(&m.room),
        count = escape(&lang.t(T::TbScreenCount(snap.present, snap.expected))),
        leave = escape(&lang.t(T::TbScreenLeave(snap.leave))),
        names_title = lang.t(T::TbScreenNames),
        names = names,
        live = lang.t(T::TbScreenLive),
        count_zh_en = js_string(lang.t(T::TbScreenCountJs)),
        leave_zh_en = js_string(lang.t(T::TbScreenLeaveJs)),
        offline = js_string(lang.t(T::TbScreenOffline)),
        live_js = js_string(lang.t(T::TbScreenLive)),
        key = escape(&m.id),
    )
}

/// A JavaScript string literal of `text` (JSON is one), safe inside a `<script>`.
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c")
}
