//! Lists of records: a data table with keyed rows, optional sorting and a pager.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use leptos::prelude::*;

use crate::components::feedback::EmptyState;
use crate::i18n::{T, use_lang};

/// One column of a [`DataTable`]: its header and, when the list can be sorted by it, the
/// value of the page's `sort` query parameter that sorts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub label: T,
    pub sort: Option<&'static str>,
}

impl Column {
    /// A column that does not sort.
    pub const fn new(label: T) -> Self {
        Self { label, sort: None }
    }

    /// A column that sorts the list by `key` (the server sorts; ascending).
    pub const fn sortable(label: T, key: &'static str) -> Self {
        Self {
            label,
            sort: Some(key),
        }
    }
}

/// What a [`DataTable`] shows under its rows: the [`Pager`] of a paged list.
#[derive(Clone)]
pub struct Paging {
    pub page: u32,
    pub total: u64,
    pub page_size: u32,
    /// The link of a page number (keeping the filters).
    pub href: Arc<dyn Fn(u32) -> String + Send + Sync>,
}

/// A table of records: a header row from `columns`, one row per record rendered by `row`
/// under its `row_key` (through [`keyed`]), the `empty` message instead of the table when
/// there are no records, and a pager when `paging` is given. A column with a sort key is a
/// button that calls `on_sort`; the column sorted by (`sorted`) carries `aria-sort`.
///
/// ```ignore
/// <DataTable
///     columns=[Column::sortable(T::MemberName, ""), Column::new(T::MemberPhone)]
///     rows=page.members
///     row_key=|m: &MemberLine| m.id.clone()
///     row=move |m: MemberLine| view! { <tr><td>{m.name}</td><td>{m.phone_masked}</td></tr> }
///     empty=T::MembersEmpty
///     testid="member-table"
///     sorted=filters.sort.clone().unwrap_or_default()
///     on_sort=Callback::new(move |key| navigate(&filters.sorted_by(key).href(1), Default::default()))
///     paging=Paging { page, total, page_size, href: Arc::new(move |n| filters.href(n)) }
/// />
/// ```
#[component]
pub fn DataTable<R, K, KF, RF, V>(
    #[prop(into)] columns: Vec<Column>,
    rows: Vec<R>,
    row_key: KF,
    row: RF,
    /// The message shown instead of an empty table.
    #[prop(optional)]
    empty: Option<T>,
    /// `data-testid` of the table.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The sort key in force.
    #[prop(optional, into)]
    sorted: Option<String>,
    /// Sorting by a column's key.
    #[prop(optional)]
    on_sort: Option<Callback<&'static str>>,
    #[prop(optional)] paging: Option<Paging>,
) -> impl IntoView
where
    R: 'static,
    K: Hash + 'static,
    KF: Fn(&R) -> K + 'static,
    RF: Fn(R) -> V + 'static,
    V: IntoView + 'static,
{
    if rows.is_empty() {
        return empty
            .map(|message| view! { <EmptyState message/> })
            .into_any();
    }
    table_frame(
        columns,
        keyed(rows, row_key, row),
        testid,
        sorted,
        on_sort,
        paging,
    )
}

/// The part of a [`DataTable`] that does not depend on its row type (built once, not per
/// row type).
fn table_frame(
    columns: Vec<Column>,
    body: AnyView,
    testid: Option<&'static str>,
    sorted: Option<String>,
    on_sort: Option<Callback<&'static str>>,
    paging: Option<Paging>,
) -> AnyView {
    let lang = use_lang();
    let header = columns
        .into_iter()
        .map(|c| {
            let sorted = sorted.as_deref() == c.sort && c.sort.is_some();
            let label = lang.t(c.label);
            let content = match (c.sort, on_sort) {
                (Some(key), Some(on_sort)) => view! {
                    <button type="button" class="sort" on:click=move |_| on_sort.run(key)>
                        {label}
                    </button>
                }
                .into_any(),
                _ => label.into_any(),
            };
            view! {
                <th scope="col" aria-sort=sorted.then_some("ascending")>{content}</th>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid=testid>
                <thead>
                    <tr>{header}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {paging.map(|p| {
            let href = p.href.clone();
            view! { <Pager page=p.page total=p.total page_size=p.page_size href=move |n| href(n)/> }
        })}
    }
    .into_any()
}

/// A list of records, each item's view under the hash of its key.
///
/// Every list in the app goes through here, so how lists render is decided in one place.
/// They render in order, without `<For>`: a keyed `<For>` (even a single instance over
/// erased views) adds about 9 KB gzipped to the WASM and put the bundle over its 700 KB
/// budget. The lists are rebuilt whole when their data reloads, so nothing is lost today.
/// To key them when the budget allows, replace the body of `keyed_rows` with
/// `<For each=… key=|(k, _)| *k children=|(_, v)| v/>` over the rows taken once.
///
/// ```ignore
/// <ul>{keyed(detail.children, |c| c.id.clone(), |c| view! { <li>{c.name}</li> })}</ul>
/// ```
pub fn keyed<T, K, V>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
    view: impl Fn(T) -> V,
) -> AnyView
where
    K: Hash,
    V: IntoView + 'static,
{
    let rows = items
        .into_iter()
        .map(|item| {
            let mut hasher = DefaultHasher::new();
            key(&item).hash(&mut hasher);
            (hasher.finish(), view(item).into_any())
        })
        .collect();
    keyed_rows(rows)
}

fn keyed_rows(rows: Vec<(u64, AnyView)>) -> AnyView {
    rows.into_iter()
        .map(|(_, view)| view)
        .collect_view()
        .into_any()
}

/// Previous/next links with "page x of y"; `href` builds the link for a page number.
/// [`DataTable`] shows it for a paged list; use it alone for lists that are not tables.
///
/// ```ignore
/// <Pager page=2 total=130 page_size=50 href=|n| format!("/audit?page={n}")/>
/// ```
#[component]
pub fn Pager(
    page: u32,
    total: u64,
    page_size: u32,
    href: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let pages = u32::try_from(total.div_ceil(u64::from(page_size.max(1))))
        .unwrap_or(u32::MAX)
        .max(1);
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label=lang.t(T::PageLabel)>
            {prev.map(|h| view! { <a class="btn btn-ghost" href=h rel="prev">{lang.t(T::PagePrev)}</a> })}
            <span class="pager-status">{lang.t(T::PageStatus(page, pages, total))}</span>
            {next.map(|h| view! { <a class="btn btn-ghost" href=h rel="next">{lang.t(T::PageNext)}</a> })}
        </nav>
    }
}
