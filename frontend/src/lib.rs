//! The browser entry: hydrates the server-rendered page.

/// Hydrates `<body>` once the WASM chunks of the page's lazy routes are loaded (what
/// `leptos::mount::hydrate_lazy` does), then marks the body `data-hydrated`: end-to-end
/// tests wait for that marker instead of sleeping. An effect in `App` would mark it too
/// early: effects run while the chunks are still being fetched, before the page inside
/// the layout has its event handlers.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("the page has a <body>");
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
