# Sourced by the scripts: puts the project's tools on PATH and names the build folders.
TOOLS_DIR="${ZB_TOOLS_DIR:-$HOME/.cache/zhibu/tools}"
export PATH="${TOOLS_DIR}/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$(pwd)/target}"
