# Sourced by the scripts: puts the project's tools on PATH and names the build folders.
TOOLS_DIR="${ZB_TOOLS_DIR:-$HOME/.cache/zhibu/tools}"
export PATH="${TOOLS_DIR}/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$(pwd)/target}"

# Release front-end builds (`release-build`, `wasm-budget`) also link the browser WASM with
# `--no-merge-data-segments`: every static is a segment of its own, so the split by page
# moves each page's statics into that page's file in every build. Without it, some builds
# leave them all in the main module: the splitter's "Overlong segment" fallback, +46 KB on
# every page (docs/wasm-size.md, pitfall 4). Only for release: a debug build with it
# hydrates too slowly for the browser tests. The variable is read by cargo (target
# rustflags) and by cargo-leptos, which adds its own flags to it; it replaces
# `[build] rustflags` for the wasm target, so the erasure is repeated.
release_front() {
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -C link-arg=--no-merge-data-segments"
}
