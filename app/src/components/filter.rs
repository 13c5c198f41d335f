//! Filters of a list page, kept in typed URL query parameters: the URL is the state, so a
//! filtered list can be bookmarked, shared, reloaded and paged, with or without WASM.
//! A page's filters are a `#[derive(Params, PartialEq, Clone, Default)]` struct.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::{IntoParam, Params, ParamsError};

use crate::components::feedback::encode_query;
use crate::i18n::{T, use_lang};

/// A page's filters as a `#[derive(Params, PartialEq, Clone, Default)]` struct of
/// `Option` fields named like the query parameters.
///
/// ```ignore
/// #[derive(Params, PartialEq, Clone, Default)]
/// struct AccountFilters { q: Option<String>, page: Option<u32> }
/// impl ListQuery for AccountFilters {
///     const PATH: &'static str = "/admin/accounts";
///     fn pairs(&self) -> Vec<(&'static str, String)> { vec![("q", self.q.clone().unwrap_or_default())] }
///     fn page(&self) -> u32 { self.page.unwrap_or(1) }
/// }
/// let filters = use_filters::<AccountFilters>();
/// ```
pub trait ListQuery: Params + PartialEq + Clone + Default + Send + Sync + 'static {
    /// The list's path.
    const PATH: &'static str;

    /// The filters (not the page) as query pairs, in a stable order.
    fn pairs(&self) -> Vec<(&'static str, String)>;

    /// The page asked for (1 when absent).
    fn page(&self) -> u32 {
        1
    }

    /// `k1=v1&k2=v2…`, values percent-encoded: the filters without the page.
    fn query_string(&self) -> String {
        self.pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_query(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The link to page `page` of the list with these filters.
    fn href(&self, page: u32) -> String {
        format!("{}?{}&page={page}", Self::PATH, self.query_string())
    }
}

/// A typed query value that reads as absent when it is empty or does not parse: a GET form
/// sends `from=` for an empty date field, which must not void the other filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Lenient<T>(pub Option<T>);

impl<T: std::str::FromStr> IntoParam for Lenient<T> {
    fn into_param(value: Option<&str>, _name: &str) -> Result<Self, ParamsError> {
        Ok(Self(
            value.filter(|v| !v.is_empty()).and_then(|v| v.parse().ok()),
        ))
    }
}

impl<T: Clone> Lenient<T> {
    /// The value, if one was given and parsed.
    pub fn get(&self) -> Option<T> {
        self.0.clone()
    }
}

/// The page's filters from the URL: `Q::from_map` over the router's query map (what
/// `use_query` does, without a memo per filter type: the list's `Resource` memoises its
/// source anyway). Every filter is an `Option` or [`Lenient`], so parsing cannot fail; a
/// malformed query would read as no filters. Changing the URL (a link, the [`FilterBar`],
/// the pager) changes them.
pub fn use_filters<Q: ListQuery>() -> Signal<Q> {
    let query = use_query_map();
    Signal::derive(move || query.with(|map| Q::from_map(map).unwrap_or_default()))
}

/// The search form above a list: a GET form to `Q::PATH` whose fields are named like the
/// query parameters of the page's [`ListQuery`]. Submitting navigates in the app to the
/// list with those parameters (page 1); without WASM the browser does the same GET.
/// Nothing but the URL holds filter state.
///
/// ```ignore
/// let filters = use_filters::<AuditFilters>();
/// <FilterBar filters>
///     <Field id="audit-actor" name="actor" label=lang.t(T::AuditActor) kind="search"
///         value=Signal::derive(move || filters.read().actor.clone().unwrap_or_default())/>
/// </FilterBar>
/// ```
#[component]
pub fn FilterBar<Q: ListQuery>(
    /// The page's filters (from [`use_filters`]): names the parameters the form sends.
    filters: Signal<Q>,
    /// The submit button is the page's primary action (otherwise a quiet one).
    #[prop(optional)]
    primary: bool,
    /// The fields (and hidden inputs for filters kept from elsewhere, like `org`).
    children: Children,
) -> impl IntoView {
    let _ = filters;
    let keys = Q::default().pairs().into_iter().map(|(k, _)| k).collect();
    filter_form(Q::PATH, keys, primary, children)
}

/// The part of a [`FilterBar`] that does not depend on the page's filter type.
fn filter_form(
    path: &'static str,
    keys: Vec<&'static str>,
    primary: bool,
    children: Children,
) -> AnyView {
    let lang = use_lang();
    let navigate = use_navigate();
    let button = if primary {
        "btn btn-primary"
    } else {
        "btn btn-ghost"
    };
    // The router's own `<Form>` would do this too, but brings a fetch client into the WASM;
    // a GET form needs only its fields' values.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let form = event_target::<web_sys::HtmlFormElement>(&ev);
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        ev.prevent_default();
        let query = keys
            .iter()
            .map(|k| {
                let v = data.get(k).as_string().unwrap_or_default();
                format!("{k}={}", encode_query(&v))
            })
            .collect::<Vec<_>>()
            .join("&");
        navigate(&format!("{path}?{query}"), Default::default());
    };
    view! {
        <form method="get" action=path class="filter-bar" role="search" on:submit=on_submit>
            {children()}
            <button type="submit" class=button>{lang.t(T::Search)}</button>
        </form>
    }
    .into_any()
}
