//! `assessment` pages: rectification, the ranking, a branch's assessment, the periods.

texts! {
    ScPlaceholder => "考核", "Assessment";
}
