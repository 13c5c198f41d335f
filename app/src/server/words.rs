//! Chinese words for full-text search (issue 15, step 3).
//!
//! SurrealDB's analyzers split text on blanks and punctuation; they do not find the words
//! of a Chinese sentence. So the server segments: when a course or an item is saved, its
//! title and text are cut into words by jieba (with the Party-work vocabulary below added),
//! and the words, joined by blanks, are stored in a shadow field `search` that the
//! full-text index reads with the `blank` tokenizer (schema `0039_learning_search`). A
//! query is cut the same way. Fragments shown under a result are cut from the original
//! text here, with the query's words marked (never HTML: the page draws each piece as
//! text).

use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::models::learning::Piece;

/// Words of Party work that the general dictionary would split (三会一课 is not
/// 三/会/一/课): each is kept whole, and search mode still offers its shorter words.
pub const PARTY_WORDS: &[&str] = &[
    "三会一课",
    "主题党日",
    "组织生活会",
    "民主生活会",
    "两学一做",
    "民主评议",
    "支部委员会",
    "支委会",
    "党员大会",
    "党小组会",
    "党小组",
    "党支部",
    "党总支",
    "党委",
    "党课",
    "党章",
    "党规",
    "党纪",
    "党建",
    "党费",
    "入党积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
    "入党申请书",
    "入党誓词",
    "谈心谈话",
    "批评与自我批评",
    "主题教育",
    "党史学习教育",
    "党纪学习教育",
    "不忘初心",
    "牢记使命",
    "四个意识",
    "四个自信",
    "两个维护",
    "两个确立",
    "中央八项规定",
    "八项规定",
    "一岗双责",
    "全面从严治党",
    "党风廉政建设",
    "清廉医院",
    "医德医风",
    "公立医院",
    "党委领导下的院长负责制",
    "习近平新时代中国特色社会主义思想",
    "中国特色社会主义",
    "二十大",
    "二十届三中全会",
];

/// The segmenter with the Party words added, built once per process (the dictionary is
/// compiled into the program; nothing is read from disk or the network).
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in PARTY_WORDS {
        // A high frequency keeps the word whole where the dictionary would cut it.
        jieba.add_word(word, Some(100_000), None);
    }
    jieba
});

/// Whether a word is worth indexing: it holds a letter or a digit (not only punctuation
/// or blanks).
fn is_word(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

/// The words of `parts` as the index keeps them: search mode (a long word also gives its
/// shorter words), lower case, punctuation and blanks dropped, joined by single blanks.
/// The dictionary alone decides (no HMM guesses at unknown words, which could group a
/// name one way in a sentence and another in a query): what it does not know is kept
/// character by character, on both sides alike.
/// A title is passed twice by its callers, so that a match in it weighs more.
pub fn index_words(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        for token in JIEBA.cut_for_search(part, false) {
            if is_word(token.word) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.extend(token.word.chars().flat_map(char::to_lowercase));
            }
        }
    }
    out
}

/// The words of a query: whole words (not search mode: a query for 组织生活会 asks for
/// that, not for 组织 and 生活 too), lower case, each once, at most 12.
pub fn query_words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for token in JIEBA.cut(q, false) {
        if is_word(token.word) {
            let w: String = token.word.chars().flat_map(char::to_lowercase).collect();
            if !words.contains(&w) {
                words.push(w);
            }
        }
        if words.len() == 12 {
            break;
        }
    }
    words
}

/// Characters shown before the first match in a fragment, and in all.
const BEFORE: usize = 24;
const FRAGMENT: usize = 90;

/// A fragment of `text` around the first place one of `words` appears, cut into pieces
/// with each appearance marked; `None` when no word appears. Matching ignores case. The
/// fragment starts with "…" when it does not start the text, and ends with one when it
/// does not end it.
pub fn fragment(text: &str, words: &[String]) -> Option<Vec<Piece>> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let needles: Vec<Vec<char>> = words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().collect())
        .collect();
    // The longest word that starts at `i`, if any.
    let match_at = |i: usize| -> Option<usize> {
        needles
            .iter()
            .filter(|n| lower.get(i..i + n.len()) == Some(n.as_slice()))
            .map(Vec::len)
            .max()
    };
    let first = (0..chars.len()).find(|&i| match_at(i).is_some())?;
    let start = first.saturating_sub(BEFORE);
    let end = (start + FRAGMENT).min(chars.len());
    let mut pieces: Vec<Piece> = Vec::new();
    let mut plain = String::new();
    if start > 0 {
        plain.push('…');
    }
    let mut i = start;
    while i < end {
        if let Some(len) = match_at(i) {
            let stop = (i + len).min(end);
            if !plain.is_empty() {
                pieces.push(Piece {
                    text: std::mem::take(&mut plain),
                    hit: false,
                });
            }
            pieces.push(Piece {
                text: chars[i..stop].iter().collect(),
                hit: true,
            });
            i = stop;
        } else {
            // Runs of blanks (line breaks of the plain text) read as one space.
            if chars[i].is_whitespace() {
                if !plain.ends_with(' ') {
                    plain.push(' ');
                }
            } else {
                plain.push(chars[i]);
            }
            i += 1;
        }
    }
    if end < chars.len() {
        plain.push('…');
    }
    if !plain.is_empty() {
        pieces.push(Piece {
            text: plain,
            hit: false,
        });
    }
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn party_words_stay_whole_and_give_their_parts() {
        let w = words_of(&index_words(&["按时召开三会一课和组织生活会"]));
        for expected in ["三会一课", "组织生活会", "组织", "生活"] {
            assert!(w.iter().any(|x| x == expected), "{expected} in {w:?}");
        }
        assert!(w.iter().all(|x| !x.is_empty()));
    }

    #[test]
    fn punctuation_and_blanks_are_dropped_and_latin_is_lower_case() {
        let s = index_words(&["学习《党章》， PDF 资料！\n\n第二段"]);
        assert!(!s.contains('《') && !s.contains('，') && !s.contains('！'));
        assert!(!s.contains("  ") && !s.starts_with(' ') && !s.ends_with(' '));
        assert!(words_of(&s).iter().any(|w| w == "pdf"), "{s}");
        assert!(words_of(&s).iter().any(|w| w == "党章"), "{s}");
    }

    #[test]
    fn a_query_is_cut_into_whole_words_once_each() {
        assert_eq!(query_words("组织生活会"), vec!["组织生活会"]);
        let w = query_words("两学一做  学习教育，两学一做");
        assert_eq!(w.iter().filter(|x| *x == "两学一做").count(), 1);
        assert!(w.iter().all(|x| x != "，" && !x.trim().is_empty()));
        assert!(query_words("  ，。 ").is_empty());
        assert!(query_words(&"党建".repeat(40)).len() <= 12);
    }

    #[test]
    fn a_fragment_marks_each_word_around_the_first_match() {
        let text = format!(
            "{}召开组织生活会，开展民主评议。{}",
            "甲".repeat(40),
            "乙".repeat(200)
        );
        let words = vec!["组织生活会".to_string(), "民主评议".to_string()];
        let f = fragment(&text, &words).unwrap();
        let hits: Vec<&str> = f
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, vec!["组织生活会", "民主评议"]);
        assert!(f[0].text.starts_with('…'), "cut at the front: {:?}", f[0]);
        assert!(f.last().unwrap().text.ends_with('…'));
        let shown: usize = f.iter().map(|p| p.text.chars().count()).sum();
        assert!(shown <= FRAGMENT + 2, "{shown}");
        assert!(fragment("没有相关内容", &words).is_none());
        // Case is ignored; the text keeps its own.
        let f = fragment("Read the PDF first", &["pdf".to_string()]).unwrap();
        assert_eq!(f.iter().find(|p| p.hit).unwrap().text, "PDF");
        assert_eq!(f[0].text, "Read the ");
    }
}
