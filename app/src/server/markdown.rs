//! Articles (issue 15): Markdown rendered to HTML when it is saved, then sanitised.
//!
//! `pulldown-cmark` renders CommonMark with tables and strikethrough; HTML written inside
//! the Markdown passes through the renderer, so the result is cleaned by `ammonia` with an
//! allow-list before it is stored: headings, paragraphs, lists, tables, emphasis, code,
//! quotes, links and images stay; anything that runs (`<script>`, `<style>`, event
//! handlers, `javascript:` links, frames, forms, inputs) does not. Links keep
//! `rel="noopener noreferrer"`. Images are removed for now: pages load no asset from
//! outside the app, and a file in the store is refused to members of other organisations
//! (a refusal recorded against every reader); they come back with the editor's image
//! upload, once a file linked from a published article is readable by its readers.
//!
//! The stored HTML is what every reader gets, so reading an article costs no rendering,
//! and the preview in the editor is the same function (`preview_markdown`).

use std::sync::OnceLock;

use ammonia::Builder;
use pulldown_cmark::{Options, Parser, html};

/// The article's HTML: `markdown` rendered and sanitised.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    sanitizer().clean(&raw).to_string()
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
            .rm_tags(["img", "area", "map"]);
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
    fn images_are_removed_for_now_and_their_text_stays() {
        let html = render(
            "前文 ![合影](/files/f1abc) ![外链](https://cdn.example/x.png) 后文 <img src=\"/files/%2e%2e/x\">",
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(
            !html.contains("cdn.example") && !html.contains("/files/"),
            "{html}"
        );
        assert!(html.contains("前文") && html.contains("后文"), "{html}");
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        let html = render("# 标题\n\n甲 & 乙 <b>粗</b>\n\n`a < b`");
        assert_eq!(plain_text(&html), "标题 甲 & 乙 粗 a < b");
    }
}
