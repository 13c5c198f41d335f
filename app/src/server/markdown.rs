//! Articles (issue 15): Markdown rendered to HTML when it is saved, then sanitised.
//!
//! `pulldown-cmark` renders CommonMark with tables and strikethrough; HTML written inside
//! the Markdown passes through the renderer, so the result is cleaned by `ammonia` with an
//! allow-list before it is stored: headings, paragraphs, lists, tables, emphasis, code,
//! quotes, links and images stay; anything that runs (`<script>`, `<style>`, event
//! handlers, `javascript:` links, frames, forms, inputs) does not. Links keep
//! `rel="noopener noreferrer"`.
//!
//! Images are the file store's only (`/files/<key>`, uploaded in the editor): pages load
//! no asset from outside the app, so any other source is dropped (an image written in
//! Markdown keeps its description as text). Saving checks that each image is one of the
//! course's publisher ([`images`] names them) and keeps the list with the article, so a
//! published course's readers may fetch them (`scope::record::file`).
//!
//! The stored HTML is what every reader gets, so reading an article costs no rendering,
//! and the preview in the editor is the same function (`preview_markdown`).

use std::sync::OnceLock;

use ammonia::Builder;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// The article's HTML: `markdown` rendered and sanitised.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() + markdown.len() / 2);
    // An image of elsewhere becomes its description: the events inside the image are its
    // text, so only the image's own start and end are left out.
    let mut foreign = 0_usize;
    let events = Parser::new_ext(markdown, options).filter(|event| match event {
        Event::Start(Tag::Image { dest_url, .. })
            if foreign > 0 || file_key(dest_url).is_none() =>
        {
            foreign += 1;
            false
        }
        Event::End(TagEnd::Image) if foreign > 0 => {
            foreign -= 1;
            false
        }
        _ => true,
    });
    html::push_html(&mut raw, events);
    sanitizer().clean(&raw).to_string()
}

/// The file key an image source names, when it is one of the store's: `/files/<key>`, the
/// key of letters, digits, `_` or `-` (no dot, slash or escape: nothing that could name
/// another path).
fn file_key(src: &str) -> Option<&str> {
    let key = src.strip_prefix("/files/")?;
    let fits = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    fits.then_some(key)
}

/// The file keys of the images in sanitised `html` (each once, in order): what an article
/// shows, which its readers may then fetch.
pub fn images(html: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    // Text's `<` is written `&lt;`, so each `<img` is a tag; the sanitiser writes each
    // attribute as `name="value"`.
    for tag in html.split("<img ").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let src = tag
            .split(" src=\"")
            .nth(1)
            .or_else(|| tag.strip_prefix("src=\""))
            .and_then(|rest| rest.split('"').next());
        if let Some(key) = src.and_then(file_key)
            && !keys.iter().any(|k| k == key)
        {
            keys.push(key.to_string());
        }
    }
    keys
}

/// The text of sanitised `html` without its tags, entities decoded, blanks collapsed (what
/// a reader sees: for summaries and, later, the search index).
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut entity = String::new();
    let mut in_entity = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => {
                in_entity = true;
                entity.clear();
            }
            ';' if in_entity => {
                in_entity = false;
                out.push_str(decode(&entity));
            }
            _ if in_entity && entity.len() < 8 => entity.push(c),
            _ if in_entity => {
                in_entity = false;
                out.push('&');
                out.push_str(&entity);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character an entity written by the renderer or the sanitiser stands for.
fn decode(entity: &str) -> &str {
    match entity {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "#39" | "apos" => "'",
        "nbsp" => " ",
        _ => "",
    }
}

/// The allow-list, built once.
fn sanitizer() -> &'static Builder<'static> {
    static SANITIZER: OnceLock<Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = Builder::default();
        builder
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"))
            .rm_tags(["area", "map"])
            .rm_tag_attributes("img", ["width", "height", "align"])
            .set_tag_attribute_value("img", "loading", "lazy")
            // An image's source is the store's or nothing (an `<img>` written as HTML with
            // another source is left without one, and shows nothing).
            .attribute_filter(|element, attribute, value| {
                if element == "img" && attribute == "src" && file_key(value).is_none() {
                    None
                } else {
                    Some(value.into())
                }
            });
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_headings_lists_tables_and_links() {
        let html = render(
            "# 学习贯彻\n\n**重点**：三会一课。\n\n- 一\n- 二\n\n| 项 | 次数 |\n|---|---|\n| 党课 | 4 |\n\n[链接](https://example.org/a)",
        );
        assert!(html.contains("<h1>学习贯彻</h1>"), "{html}");
        assert!(html.contains("<strong>重点</strong>"), "{html}");
        assert!(html.contains("<li>一</li>"), "{html}");
        assert!(html.contains("<td>党课</td>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org/a" rel="noopener noreferrer">链接</a>"#),
            "{html}"
        );
    }

    #[test]
    fn nothing_that_runs_survives() {
        let hostile = [
            "<script>alert(1)</script>正文",
            "<img src=x onerror=alert(1)>",
            "[点我](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">点我</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<style>body{display:none}</style>",
            "<div onclick=\"alert(1)\">x</div>",
            "<form action=\"https://evil.example\"><input name=p></form>",
            "<svg><script>alert(1)</script></svg>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        ];
        for markdown in hostile {
            let html = render(markdown).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "javascript:",
                "<iframe",
                "<style",
                "<form",
                "<input",
                "<svg",
                "data:",
                "<object",
                "<embed",
                "<meta",
            ] {
                assert!(!html.contains(bad), "{markdown:?} kept {bad}: {html}");
            }
        }
        // The text around it stays.
        assert!(render("<script>alert(1)</script>正文").contains("正文"));
    }

    #[test]
    fn only_the_stores_images_stay_and_are_named() {
        let html = render(
            "前文 ![合影](/files/f1abc) ![外链](https://cdn.example/x.png) 后文 \
             ![上级](/files/%2e%2e/x) ![协议](//cdn.example/y.png) \
             <img src=\"/files/f2def\" width=\"9999\" onerror=\"alert(1)\"> \
             <img src=\"https://cdn.example/z.png\" alt=\"外\"> ![再](/files/f1abc)",
        );
        assert!(
            html.contains(r#"<img src="/files/f1abc" alt="合影" loading="lazy">"#),
            "{html}"
        );
        assert!(html.contains(r#"src="/files/f2def""#), "{html}");
        for gone in ["cdn.example", "%2e", "onerror", "width", "/x\""] {
            assert!(!html.contains(gone), "{gone}: {html}");
        }
        // A foreign image written in Markdown leaves its description.
        assert!(html.contains("外链") && html.contains("上级") && html.contains("协议"));
        assert!(html.contains("前文") && html.contains("后文"), "{html}");
        assert_eq!(
            images(&html),
            vec!["f1abc".to_string(), "f2def".to_string()]
        );
        // Text that looks like an image is text.
        let text = render("`<img src=\"/files/f3\">` 与 src=\"/files/f4\"");
        assert!(images(&text).is_empty(), "{text}");
        assert_eq!(file_key("/files/a_b-C9"), Some("a_b-C9"));
        for bad in [
            "/files/",
            "/files/a/b",
            "/files/a.b",
            "/files/a%2f",
            "files/a",
            "/x/files/a",
        ] {
            assert_eq!(file_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        let html = render("# 标题\n\n甲 & 乙 <b>粗</b>\n\n`a < b`");
        assert_eq!(plain_text(&html), "标题 甲 & 乙 粗 a < b");
    }
}
