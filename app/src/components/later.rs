//! Parts of a page whose code is fetched once the page has hydrated (`#[lazy]`): not part
//! of its first load (docs/wasm-size.md, "Code fetched when it is used").

use leptos::prelude::*;

/// Shows the view `load` fetches (a `#[lazy]` function's) once the page has hydrated, and
/// `before` until then (also what the server renders).
pub fn after_hydration<Fut>(
    before: impl Fn() -> AnyView + Send + Sync + 'static,
    load: impl Fn() -> Fut + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: std::future::Future<Output = AnyView> + 'static,
{
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    move || {
        if ready.get() {
            Suspend::new(leptos::__reexports::send_wrapper::SendWrapper::new(load())).into_any()
        } else {
            before()
        }
    }
}
