//! The indicator-tree editor of `/tasks/periods` (issue 13): the committee office types a
//! period's 一级 indicators (name, weight, dimension) and their 二级 indicators (name,
//! maximum points, scoring guidance) in the browser, starting from a copy of an earlier
//! period or from nothing. The weights' sum is shown as it is typed; the server checks the
//! whole tree (`models::assessment::check_tree`) and names the first problem.
//!
//! The editor sends the tree as JSON in `input[tree]`. Before the page is interactive that
//! field is empty, so the plain form still works: the server then copies the tree of the
//! period chosen in `input[copy_from]`.

use leptos::prelude::*;

use crate::i18n::{T, use_lang};
use crate::models::assessment::{
    Dimension, GUIDANCE_MAX, IndicatorDraft, ItemDraft, MAX_ITEM_POINTS, NAME_MAX,
};
use crate::models::closed_loop::IndicatorView;

/// A 二级 indicator being typed; the texts are kept as typed.
#[derive(Clone, Copy)]
struct ItemRow {
    key: usize,
    name: RwSignal<String>,
    max: RwSignal<String>,
    guidance: RwSignal<String>,
}

/// A 一级 indicator being typed.
#[derive(Clone, Copy)]
struct IndicatorRow {
    key: usize,
    name: RwSignal<String>,
    weight: RwSignal<String>,
    dimension: RwSignal<Dimension>,
    items: RwSignal<Vec<ItemRow>>,
}

/// The tree being edited; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct TreeDraft {
    rows: RwSignal<Vec<IndicatorRow>>,
    next: StoredValue<usize>,
    /// Set once the page is interactive: until then `input[tree]` stays empty.
    live: RwSignal<bool>,
}

impl TreeDraft {
    pub fn new() -> Self {
        TreeDraft {
            rows: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
            live: RwSignal::new(false),
        }
    }

    fn key(&self) -> usize {
        self.next.update_value(|n| *n += 1);
        self.next.get_value()
    }

    fn item(&self, name: String, max: String, guidance: String) -> ItemRow {
        ItemRow {
            key: self.key(),
            name: RwSignal::new(name),
            max: RwSignal::new(max),
            guidance: RwSignal::new(guidance),
        }
    }

    fn indicator(&self, name: String, weight: String, dimension: Dimension) -> IndicatorRow {
        IndicatorRow {
            key: self.key(),
            name: RwSignal::new(name),
            weight: RwSignal::new(weight),
            dimension: RwSignal::new(dimension),
            items: RwSignal::new(vec![self.item(String::new(), String::new(), String::new())]),
        }
    }

    /// Replaces what is typed with a period's tree (or with nothing).
    pub fn load(&self, tree: &[IndicatorView]) {
        let rows = tree
            .iter()
            .map(|ind| {
                let row = self.indicator(ind.name.clone(), ind.weight.to_string(), ind.dimension);
                row.items.set(
                    ind.items
                        .iter()
                        .map(|item| {
                            self.item(
                                item.name.clone(),
                                crate::models::assessment::show_points(item.max),
                                item.guidance.clone(),
                            )
                        })
                        .collect(),
                );
                row
            })
            .collect();
        self.rows.set(rows);
    }

    /// One empty 一级 indicator with one empty 二级 indicator: a tree typed from scratch.
    pub fn blank(&self) {
        let row = self.indicator(String::new(), "100".into(), Dimension::Effectiveness);
        self.rows.set(vec![row]);
    }

    /// The tree as the server reads it; a number that is not one is sent as 0, which the
    /// server refuses with the indicator's name.
    fn drafts(&self) -> Vec<IndicatorDraft> {
        self.rows.with(|rows| {
            rows.iter()
                .map(|r| IndicatorDraft {
                    name: r.name.get(),
                    weight: number(&r.weight.get()),
                    dimension: r.dimension.get(),
                    items: r.items.with(|items| {
                        items
                            .iter()
                            .map(|i| ItemDraft {
                                name: i.name.get(),
                                max_points: number(&i.max.get()),
                                guidance: i.guidance.get(),
                            })
                            .collect()
                    }),
                })
                .collect()
        })
    }

    /// What `input[tree]` carries.
    fn json(&self) -> String {
        if !self.live.get() {
            return String::new();
        }
        serde_json::to_string(&self.drafts()).unwrap_or_default()
    }

    fn weight_sum(&self) -> u32 {
        self.rows
            .with(|rows| rows.iter().map(|r| number(&r.weight.get())).sum())
    }
}

impl Default for TreeDraft {
    fn default() -> Self {
        TreeDraft::new()
    }
}

/// A whole number of points or percent as typed ("20", "20.0", "２０" is not one).
fn number(text: &str) -> u32 {
    let t = text.trim();
    let t = t
        .strip_suffix(".0")
        .or_else(|| t.strip_suffix(".00"))
        .unwrap_or(t);
    t.parse().unwrap_or(0)
}

/// The editor; `prefix` keeps the ids of two editors on one page apart.
#[component]
pub fn TreeEditor(tree: TreeDraft, prefix: &'static str) -> impl IntoView {
    let lang = use_lang();
    Effect::new(move |_| tree.live.set(true));
    let sum = move || tree.weight_sum();
    let add_indicator = move |_| {
        let row = tree.indicator(String::new(), String::new(), Dimension::Effectiveness);
        tree.rows.update(|rows| rows.push(row));
    };
    let indicator = move |(n, row): (usize, IndicatorRow)| {
        let id = format!("{prefix}-{}", row.key);
        let label = move || {
            let name = row.name.get();
            if name.trim().is_empty() {
                lang.t(T::ScIndicatorN(n + 1))
            } else {
                name
            }
        };
        let remove = move |_| tree.rows.update(|rows| rows.retain(|r| r.key != row.key));
        let add_item = move |_| {
            let item = tree.item(String::new(), String::new(), String::new());
            row.items.update(|items| items.push(item));
        };
        let item = {
            let id = id.clone();
            move |(m, item): (usize, ItemRow)| {
                let iid = format!("{id}-{}", item.key);
                let item_label = move || {
                    let name = item.name.get();
                    if name.trim().is_empty() {
                        lang.t(T::ScItemN(m + 1))
                    } else {
                        name
                    }
                };
                let remove = move |_| {
                    row.items
                        .update(|items| items.retain(|i| i.key != item.key))
                };
                view! {
                    <li class="tree-item" data-testid="tree-item">
                        <div class="form-row">
                            <div class="field grow">
                                <label for=format!("{iid}-name")>{lang.t(T::ScIndicator2)}</label>
                                <input id=format!("{iid}-name") type="text" maxlength=NAME_MAX.to_string()
                                    data-testid="item-name"
                                    prop:value=move || item.name.get()
                                    on:input=move |ev| item.name.set(event_target_value(&ev))/>
                            </div>
                            <div class="field">
                                <label for=format!("{iid}-max")>{lang.t(T::ScMax)}</label>
                                <input id=format!("{iid}-max") type="number" min="1" max=MAX_ITEM_POINTS.to_string()
                                    inputmode="numeric" data-testid="item-max"
                                    prop:value=move || item.max.get()
                                    on:input=move |ev| item.max.set(event_target_value(&ev))/>
                            </div>
                        </div>
                        <div class="field">
                            <label for=format!("{iid}-guidance")>{lang.t(T::ScGuidance)}</label>
                            <textarea id=format!("{iid}-guidance") rows="2" maxlength=GUIDANCE_MAX.to_string()
                                data-testid="item-guidance"
                                prop:value=move || item.guidance.get()
                                on:input=move |ev| item.guidance.set(event_target_value(&ev))></textarea>
                        </div>
                        <button type="button" class="btn btn-ghost btn-small"
                            aria-label=move || lang.t(T::ScRemoveItem(&item_label()))
                            on:click=remove>{lang.t(T::ScRemove)}</button>
                    </li>
                }
            }
        };
        view! {
            <fieldset class="tree-indicator" data-testid="tree-indicator">
                <legend>{label}</legend>
                <div class="form-row">
                    <div class="field grow">
                        <label for=format!("{id}-name")>{lang.t(T::ScIndicator1)}</label>
                        <input id=format!("{id}-name") type="text" maxlength=NAME_MAX.to_string()
                            data-testid="indicator-name"
                            prop:value=move || row.name.get()
                            on:input=move |ev| row.name.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for=format!("{id}-weight")>{lang.t(T::ScWeight)}</label>
                        <input id=format!("{id}-weight") type="number" min="1" max="100" inputmode="numeric"
                            data-testid="indicator-weight"
                            prop:value=move || row.weight.get()
                            on:input=move |ev| row.weight.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for=format!("{id}-dimension")>{lang.t(T::ScDimension)}</label>
                        <select id=format!("{id}-dimension") data-testid="indicator-dimension"
                            on:change=move |ev| {
                                if let Some(d) = Dimension::parse(&event_target_value(&ev)) {
                                    row.dimension.set(d);
                                }
                            }>
                            {Dimension::ALL.iter().map(|d| view! {
                                <option value=d.as_str() selected=move || row.dimension.get() == *d>
                                    {lang.t(d.label())}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <ol class="tree-items">
                    <For
                        each=move || row.items.get().into_iter().enumerate()
                        key=|(m, item)| (*m, item.key)
                        children=item
                    />
                </ol>
                <div class="toolbar">
                    <button type="button" class="btn btn-ghost btn-small" data-testid="add-item"
                        on:click=add_item>{lang.t(T::ScAddItem)}</button>
                    <button type="button" class="btn btn-ghost btn-small"
                        aria-label=move || lang.t(T::ScRemoveIndicator(&label()))
                        on:click=remove>{lang.t(T::ScRemove)}</button>
                </div>
            </fieldset>
        }
    };
    view! {
        <input type="hidden" name="input[tree]" prop:value=move || tree.json()/>
        <Show
            when=move || tree.live.get()
            fallback=move || view! { <p class="hint">{lang.t(T::ScCopyHint)}</p> }
        >
            <div class="tree-editor" data-testid="tree-editor">
                <For
                    each=move || tree.rows.get().into_iter().enumerate()
                    key=|(n, row)| (*n, row.key)
                    children=indicator
                />
                <p class="toolbar">
                    <button type="button" class="btn btn-ghost" data-testid="add-indicator"
                        on:click=add_indicator>{lang.t(T::ScAddIndicator)}</button>
                    <span
                        role="status"
                        data-testid="weight-sum"
                        class=move || if sum() == 100 { "badge badge-ok" } else { "badge badge-warn" }
                    >
                        {move || lang.t(T::ScWeightSum(sum()))}
                    </span>
                </p>
            </div>
        </Show>
    }
}
