//! The one JSON encoding of every server function's answer (and of `AppError`).
//!
//! `server_fn`'s own `Json` decodes a response with `serde_json::from_slice`, while a
//! resource read during hydration decodes the page's serialised data with
//! `serde_json::from_str`. The browser then carries every wire type's deserializer twice,
//! once per reader type (`SliceRead` and `StrRead`): about a fifth of a page's WASM
//! (docs/wasm-size.md, "One JSON reader"). This encoding writes the same JSON as
//! `server_fn`'s and reads it through `from_str`, so each deserializer exists once.
//!
//! Every `#[server]` names it: `#[server(endpoint = "…", output = Json)]` with
//! `use crate::api::wire::Json;` (a test checks that none is missing).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::{DeserializeOwned, Error as _};

/// JSON in the body, read as text.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde_json::Error::custom)?;
        serde_json::from_str(text)
    }
}

/// Answers as JSON in the body of a `POST` (arguments stay URL-encoded forms).
pub type Json = Post<JsonText>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_it_writes_it_reads_back_and_bad_bytes_are_an_error() {
        let sent = vec![("m1".to_string(), "张三".to_string())];
        let bytes = <JsonText as Encodes<_>>::encode(&sent).unwrap();
        assert_eq!(&bytes[..], r#"[["m1","张三"]]"#.as_bytes());
        let back: Vec<(String, String)> = <JsonText as Decodes<_>>::decode(bytes).unwrap();
        assert_eq!(back, sent);
        let bad = <JsonText as Decodes<Vec<String>>>::decode(Bytes::from_static(b"[\"\xff\"]"));
        assert!(bad.is_err());
    }

    /// A server function left on `server_fn`'s own `Json` would bring the second reader
    /// back into the browser for every type it answers with.
    #[test]
    fn every_server_function_answers_through_this_encoding() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text
                .lines()
                .filter(|l| l.trim_start().starts_with("#[server(endpoint"))
            {
                seen += 1;
                assert!(
                    line.contains("output = Json)]"),
                    "{}: {line}",
                    path.display()
                );
            }
        }
        assert!(seen > 50, "only {seen} server functions found");
    }
}
