//! Integration tests live in `tests/it/`: one binary that drives the real server over HTTP.
