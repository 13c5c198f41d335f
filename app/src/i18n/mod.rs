//! zh-CN first, English second. Every user-facing string is a `T` key with both texts,
//! so a missing translation is a compile error rather than a blank on screen.
//!
//! The texts live beside the module they belong to (`org.rs`, `member.rs`, …; the shared
//! ones below), each file one `texts!` block. A key is read with `lang.t(T::Key)`; a key
//! with parameters is a function of typed arguments, `lang.t(T::ImpDone(n))`, whose
//! placeholders are checked when compiling (see `texts!`). Dates and numbers inside texts
//! and on pages are written by `Lang::date`, `Lang::count` and their siblings, one place
//! per language.
//!
//! The language is chosen per request from the `zhibu_lang` cookie on the server and
//! read back from `<html lang>` in the browser, so hydration always agrees with the HTML.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use leptos::prelude::*;

pub const LANG_COOKIE: &str = "zhibu_lang";

/// The discriminants index `T`'s pair of texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh = 0,
    En = 1,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a language code; anything unknown falls back to Chinese.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Finds the language in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        crate::cookie::cookie_value(header, LANG_COOKIE)
            .map(Lang::from_code)
            .unwrap_or_default()
    }

    /// The language a request's headers ask for (its `Cookie`), Chinese by default.
    pub fn from_headers(headers: &http::HeaderMap) -> Lang {
        headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_cookie_header)
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The text of a key in this language: `&'static str` for a plain key, `String` for a
    /// key with parameters.
    pub fn t<K: Text>(self, key: K) -> K::Out {
        key.read(self)
    }

    /// A number in running text or a table: Arabic numerals without grouping in both
    /// languages (counts here are small; identifiers and row numbers are never grouped).
    pub fn count(self, n: i64) -> String {
        n.to_string()
    }

    /// A calendar date in running text, tables and forms: ISO 8601 (2024-03-01) in both
    /// languages, the form the date inputs and the exports use.
    pub fn date(self, d: NaiveDate) -> String {
        d.to_string()
    }

    /// A date in a formal document (the introduction letter): 2024年03月01日 / 2024-03-01.
    pub fn formal_date(self, d: NaiveDate) -> String {
        match self {
            Lang::Zh => format!("{:04}年{:02}月{:02}日", d.year(), d.month(), d.day()),
            Lang::En => d.to_string(),
        }
    }

    /// A calendar month given as `YYYY-MM`: 2026年10月 / 2026-10.
    pub fn month(self, year_month: &str) -> String {
        match self {
            Lang::Zh => year_month.replacen('-', "年", 1) + "月",
            Lang::En => year_month.to_string(),
        }
    }

    /// Items in a sentence: 甲、乙、丙 / A, B, C.
    pub fn list(self, items: &[&str]) -> String {
        items.join(match self {
            Lang::Zh => "、",
            Lang::En => ", ",
        })
    }

    /// A moment in the hospital's time zone (China Standard Time), to the minute:
    /// 2026-11-02 09:30.
    pub fn time(self, at: DateTime<Utc>) -> String {
        let t = at.with_timezone(&crate::models::audit::china_offset());
        format!("{} {:02}:{:02}", t.date_naive(), t.hour(), t.minute())
    }

    /// A moment in China Standard Time, to the second (the audit trail).
    pub fn time_exact(self, at: DateTime<Utc>) -> String {
        // Written out by hand: chrono's `format` pulls its strftime machinery into the WASM.
        let t = at.with_timezone(&crate::models::audit::china_offset());
        format!(
            "{} {:02}:{:02}:{:02}",
            t.date_naive(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    /// The calendar day of a moment in China Standard Time: 2026-11-02.
    pub fn day(self, at: DateTime<Utc>) -> String {
        self.date(self.china_day(at))
    }

    /// The calendar day a moment falls on in China Standard Time.
    pub fn china_day(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&crate::models::audit::china_offset())
            .date_naive()
    }
}

/// The language of the current request (server) or page (browser).
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| Lang::from_headers(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .map(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

/// The language in context; provided once by `App`.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// A text in both languages: a pointer to its zh-CN and English strings. Keys are
/// associated constants defined by `texts!` in the module files (`T::OrgTitle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct T(&'static [&'static str; 2]);

/// What `Lang::t` reads: a plain key, or a key with its arguments.
pub trait Text {
    type Out;
    fn read(self, lang: Lang) -> Self::Out;
}

impl Text for T {
    type Out = &'static str;
    fn read(self, lang: Lang) -> &'static str {
        self.0[lang as usize]
    }
}

/// A key with parameters, `T::ImpDone(n)`, is a function of the language.
impl<F: FnOnce(Lang) -> String> Text for F {
    type Out = String;
    fn read(self, lang: Lang) -> String {
        self(lang)
    }
}

/// A value that may fill a placeholder, written as the language writes it.
pub trait Arg {
    fn show(&self, lang: Lang) -> String;
}

macro_rules! count_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn show(&self, lang: Lang) -> String {
                lang.count(*self as i64)
            }
        }
    )*};
}
count_arg!(u8, u16, u32, u64, usize, i32, i64);

impl Arg for NaiveDate {
    fn show(&self, lang: Lang) -> String {
        lang.date(*self)
    }
}

impl Arg for &str {
    fn show(&self, _: Lang) -> String {
        self.to_string()
    }
}

/// Declares texts, each in both languages (leaving one out does not compile):
///
/// ```text
/// texts! {
///     OrgTitle => "组织架构", "Organisation tree";
///     ImpWritten(w: usize, n: usize) => "已写入 {w} / {n} 行", "{w} of {n} rows written";
/// }
/// ```
///
/// A plain key becomes the constant `T::OrgTitle`. A key with parameters becomes the
/// function `T::ImpWritten(w, n)`, read with `lang.t(T::ImpWritten(w, n))`; its texts are
/// `format!` strings given the parameters by name, so a placeholder naming no parameter,
/// or a parameter missing from either language, is a compile error, and so is a call with
/// the wrong arguments. Numbers and dates are written by `Arg` (`Lang::count`,
/// `Lang::date`). A key defined twice (in any two files) and an empty text do not compile
/// either.
macro_rules! texts {
    ($(
        $key:ident $( ( $($p:ident : $ty:ty),+ $(,)? ) )? => $zh:literal, $en:literal;
    )*) => {
        #[allow(non_upper_case_globals, non_snake_case)]
        impl $crate::i18n::T {
            $( texts!(@key $key $( ($($p: $ty),+) )? => $zh, $en); )*
        }
        const _: () = { $( assert!(!$zh.is_empty() && !$en.is_empty(), "a text is empty"); )* };
    };
    (@key $key:ident => $zh:literal, $en:literal) => {
        pub const $key: $crate::i18n::T = $crate::i18n::T(&[$zh, $en]);
    };
    (@key $key:ident ($($p:ident : $ty:ty),+) => $zh:literal, $en:literal) => {
        pub fn $key($($p: $ty),+) -> impl FnOnce($crate::i18n::Lang) -> String {
            use $crate::i18n::{Arg, Lang};
            move |lang| match lang {
                Lang::Zh => format!($zh, $($p = Arg::show(&$p, Lang::Zh)),+),
                Lang::En => format!($en, $($p = Arg::show(&$p, Lang::En)),+),
            }
        }
    };
}

mod account;
mod admin;
mod appraisal;
mod appraisal_server;
mod assessment;
mod audit;
mod files;
mod import;
mod learning;
mod meeting;
mod meeting_pages;
mod meeting_reports;
mod member;
mod org;
mod pipeline;
mod points;
mod quiz;
mod reflection;
mod required;
mod room;
mod scores;
mod shell;
mod tablet;
mod tasks;
mod transfer;

// The texts every module shares: buttons, paging, errors.
texts! {
    Loading => "正在加载…", "Loading…";
    Expand => "展开", "Expand";
    Collapse => "收起", "Collapse";
    NoneText => "无", "None";
    ErrNotFound => "未找到该记录。", "That record was not found.";
    ErrInvalidCredentials => "账号或密码错误。连续失败 5 次后账号将被锁定 15 分钟。", "Wrong account name or password. After 5 failures in a row the account is locked for 15 minutes.";
    ErrUnauthenticated => "请先登录。", "Please sign in first.";
    ErrForbidden => "您没有权限执行此操作。", "You do not have permission to do this.";
    ErrPasswordChangeRequired => "请先修改密码后再继续。", "Please change your password before continuing.";
    ErrTooManyAttempts => "该网络地址登录失败次数过多，请稍后再试。", "Too many failed sign-ins from this network address. Please try again later.";
    ErrInternal => "服务器出现问题，请稍后重试。", "Something went wrong on the server. Please try again later.";
    ErrRequestDecode => "请求格式不正确：缺少参数或参数无法识别。", "The request is malformed: an argument is missing or not understood.";
    ErrRequest => "请求无法处理，请检查后重试。", "The request could not be processed. Please check and try again.";
    ErrorTitle => "出错了", "Something went wrong";
    // The member picker (`components::member_picker`: tasks, required learning).
    PickMemberWords => "党员姓名或拼音首字母", "Member's name or pinyin initials";
    PickFind => "查找", "Find";
    PickNoMembers => "没有找到党员。", "No members found.";
    PickAddMember(label: &str) => "添加“{label}”", "Add “{label}”";
    PickRemoveMember(label: &str) => "移除“{label}”", "Remove “{label}”";
    PickRemove => "移除", "Remove";
    Search => "搜索", "Search";
    Confirm => "确认", "Confirm";
    Cancel => "取消", "Cancel";
    Saved => "已保存。", "Saved.";
    PagePrev => "上一页", "Previous";
    PageNext => "下一页", "Next";
    PageStatus(page: u32, pages: u32, total: u64) => "{page} / {pages} · 共 {total}", "{page} / {pages} · {total} in all";
    Labelled(label: &str, value: &str) => "{label}：{value}", "{label}: {value}";
    PageLabel => "分页", "Pages";
    SaveText => "保存", "Save";
    AllText => "全部", "All";
    SortBy => "排序", "Sort by";
    Reason => "原因", "Reason";
    Save => "保存", "Save";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_in_each_language() {
        assert_eq!(Lang::Zh.t(T::Save), "保存");
        assert_eq!(Lang::En.t(T::Save), "Save");
        assert_eq!(
            Lang::Zh.t(T::ImpWritten(3, 10)),
            "正在导入：已写入 3 / 10 行（完成前不会生效）"
        );
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(Lang::En.t(T::PipelineDue(d)), "Due by 2026-03-01");
        assert_eq!(Lang::Zh.formal_date(d), "2026年03月01日");
        assert_eq!(Lang::Zh.month("2026-10"), "2026年10月");
    }

    #[test]
    fn cookie_header_selects_english_only_when_asked() {
        assert_eq!(
            Lang::from_cookie_header("a=1; zhibu_lang=en; b=2"),
            Lang::En
        );
        assert_eq!(Lang::from_cookie_header("zhibu_lang=zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header("other=en"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
