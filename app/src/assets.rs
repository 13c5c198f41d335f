//! What a page needs to hydrate, read from the site once instead of on every request.
//!
//! Leptos' `<HydrationScripts>` reads `hash.txt` on every request, and the page renderer
//! (`leptos_integration_utils`) then adds one `<link rel=preload>` per WASM chunk of the
//! page's lazy route, each built as a `leptos_meta` component with its own reactive
//! owner: about 100 per management page in a release build, a large share of rendering
//! `/org` (docs/performance.md). Here the file names and the split manifest are read once
//! per process; each lazy route's preloads are one string built once, drawn by the route
//! itself ([`chunk_preloads`]) in a hidden element that hydration leaves as it is. Without
//! the manifest in the context, the renderer adds none of its own.

use leptos::prelude::*;

/// The hydration scripts of an interactive page: the main module and its WASM preloaded,
/// and the script that loads them and hydrates. Drawn in the `<head>` by the shell (on the
/// server only: the browser hydrates the body).
#[component]
pub fn Hydration(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let site = server::site(&options);
        let nonce = leptos::nonce::use_nonce();
        view! {
            <link rel="modulepreload" href=site.js.clone() crossorigin=""/>
            <link
                rel="preload"
                href=site.wasm.clone()
                r#as="fetch"
                r#type="application/wasm"
                crossorigin=""
            />
            <script type="module" nonce=nonce>
                {site.start.clone()}
            </script>
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
    }
}

/// The `<link rel=preload>` of every WASM chunk the lazy route `route` (its type's name,
/// e.g. `OrgView`) needs before it hydrates, in a hidden element: built by the server once
/// per route; in the browser the element stays as the server sent it (hydration does not
/// touch an `inner_html` it did not render) and is empty after a navigation.
pub fn chunk_preloads(route: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let links = server::preloads(route);
    #[cfg(not(feature = "ssr"))]
    let links: std::sync::Arc<str> = {
        let _ = route;
        std::sync::Arc::from("")
    };
    view! { <div hidden inner_html=links></div> }
}

#[cfg(feature = "ssr")]
mod server {
    use std::collections::HashMap;
    use std::sync::{Arc, OnceLock};

    use leptos::prelude::LeptosOptions;

    /// The site's files, as cargo-leptos named them.
    pub struct Site {
        /// The main module's JS glue, its WASM and the script that starts them.
        pub js: String,
        pub wasm: String,
        pub start: String,
        /// Per lazy route (`__org_view_view`, the manifest's key without its hash): the
        /// preload links of its chunks and of the split loader.
        routes: HashMap<String, Arc<str>>,
    }

    static SITE: OnceLock<Site> = OnceLock::new();

    /// The site, read on the first call (one site per process, as Leptos assumes).
    pub fn site(options: &LeptosOptions) -> &'static Site {
        SITE.get_or_init(|| read(options))
    }

    /// The preload links of a lazy route's chunks; empty before the first page or in a
    /// build that is not split.
    pub fn preloads(route: &str) -> Arc<str> {
        SITE.get()
            .and_then(|site| site.routes.get(&manifest_key(route)))
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// `OrgView` → `__org_view_view` (how `#[lazy_route]` names a route's view).
    pub fn manifest_key(route: &str) -> String {
        let mut key = String::from("__");
        for (i, c) in route.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    key.push('_');
                }
                key.push(c.to_ascii_lowercase());
            } else {
                key.push(c);
            }
        }
        key.push_str("_view");
        key
    }

    /// `hash.txt` (beside the executable) as cargo-leptos writes it: `file: hash` lines.
    fn hashes(options: &LeptosOptions) -> HashMap<String, String> {
        if !options.hash_files {
            return HashMap::new();
        }
        let path = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        let text = path
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        parse_hashes(&text)
    }

    pub fn parse_hashes(text: &str) -> HashMap<String, String> {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(file, hash)| (file.trim().to_string(), hash.trim().to_string()))
            .collect()
    }

    fn read(options: &LeptosOptions) -> Site {
        let hashes = hashes(options);
        let hashed = |name: &str, file: &str| match hashes.get(file) {
            Some(hash) => format!("{name}.{hash}"),
            None => name.to_string(),
        };
        let output = options.output_name.as_ref();
        let js_name = hashed(output, "js");
        // Unhashed, cargo-leptos keeps wasm-bindgen's `_bg` name unless it named the output.
        let wasm_name = if options.hash_files || option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            hashed(output, "wasm")
        } else {
            format!("{output}_bg")
        };
        let pkg = format!("/{}", options.site_pkg_dir);
        let js = format!("{pkg}/{js_name}.js");
        let wasm = format!("{pkg}/{wasm_name}.wasm");
        let split = match hashes.get("split") {
            Some(hash) => format!("__wasm_split.{hash}.js"),
            None => "__wasm_split.______________________.js".to_string(),
        };
        let manifest = match hashes.get("manifest") {
            Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
            None => "__wasm_split_manifest.json".to_string(),
        };
        let manifest = std::path::Path::new(options.site_root.as_ref())
            .join(options.site_pkg_dir.as_ref())
            .join(manifest);
        let routes = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|text| serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok())
            .map(|manifest| route_links(&manifest, &pkg, &split))
            .unwrap_or_default();
        let start = start_script(&js, &wasm);
        Site {
            js,
            wasm,
            start,
            routes,
        }
    }

    /// The script that loads the main module and hydrates the page.
    pub fn start_script(js: &str, wasm: &str) -> String {
        format!(
            "import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>m.hydrate()));"
        )
    }

    /// One string of preload links per lazy route of the manifest (keys without their
    /// trailing `_<hash>`; `#[lazy]` functions, fetched after hydration, are left out).
    pub fn route_links(
        manifest: &HashMap<String, Vec<String>>,
        pkg: &str,
        split: &str,
    ) -> HashMap<String, Arc<str>> {
        manifest
            .iter()
            .filter(|(key, _)| key.starts_with("__"))
            .map(|(key, modules)| {
                let route = key
                    .rsplit_once('_')
                    .filter(|(_, hash)| hash.chars().all(|c| c.is_ascii_digit()))
                    .map_or(key.as_str(), |(route, _)| route);
                let mut links = format!(r#"<link rel="modulepreload" href="{pkg}/{split}" crossorigin>"#);
                let mut seen = std::collections::HashSet::new();
                for module in modules.iter().filter(|m| seen.insert(m.as_str())) {
                    links.push_str(&format!(
                        r#"<link rel="preload" href="{pkg}/{}.wasm" as="fetch" type="application/wasm" crossorigin>"#,
                        escape(module)
                    ));
                }
                (route.to_string(), Arc::from(links))
            })
            .collect()
    }

    /// Module names are the build's own file names; escaped anyway, as they go into HTML.
    fn escape(name: &str) -> String {
        name.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_route_type_names_its_manifest_key() {
            assert_eq!(manifest_key("OrgView"), "__org_view_view");
            assert_eq!(
                manifest_key("MeetingLedgerView"),
                "__meeting_ledger_view_view"
            );
        }

        #[test]
        fn each_lazy_route_gets_one_block_of_its_chunks_once_each() {
            let manifest: HashMap<String, Vec<String>> = serde_json::from_str(
                r#"{"__org_view_view_1004943536710423602": ["chunk_1.aa", "split___org_view_view_1.bb", "chunk_1.aa"],
                    "member_picker_5258838340437998175": ["chunk_9.cc"]}"#,
            )
            .unwrap();
            let routes = route_links(&manifest, "/pkg", "__wasm_split.xyz.js");
            assert_eq!(
                routes.len(),
                1,
                "#[lazy] functions are fetched later, not preloaded"
            );
            let links = &routes["__org_view_view"];
            assert!(links.starts_with(
                r#"<link rel="modulepreload" href="/pkg/__wasm_split.xyz.js" crossorigin>"#
            ));
            assert_eq!(links.matches(r#"href="/pkg/chunk_1.aa.wasm""#).count(), 1);
            assert_eq!(links.matches(r#"rel="preload""#).count(), 2);
        }

        #[test]
        fn hash_txt_lines_name_each_file() {
            let h = parse_hashes("js: abc\nwasm: def\nsplit: ghi\nmanifest: jkl\n");
            assert_eq!(h["js"], "abc");
            assert_eq!(h["manifest"], "jkl");
            assert_eq!(
                start_script("/pkg/zhibu.abc.js", "/pkg/zhibu.def.wasm"),
                r#"import("/pkg/zhibu.abc.js").then(m=>m.default({module_or_path:"/pkg/zhibu.def.wasm"}).then(()=>m.hydrate()));"#
            );
        }
    }
}
