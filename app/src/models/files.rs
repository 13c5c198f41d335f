//! Files: evidence and attachments now, course videos and news images later, in one store
//! (`server::files`). A file is a record of the platform like a member or a transfer: an
//! answer links it (`LinkKind::File`, or `LinkKind::Photo` for an image) instead of
//! uploading it again, so the same photo serves several tasks (一次留痕、多处使用).
//!
//! The wire contract of the plain routes (`server::http::files`):
//! - `POST /files?org=<organisation key>`: the body is the file's bytes, the header
//!   `x-file-name` its name, percent-encoded UTF-8. Answers a [`FileView`] as JSON, or an
//!   `AppError` (`Validation` on the field `file`) with 400 or 413.
//! - `GET /files/<key>`: the stored bytes (images re-encoded, without their metadata).
//! - `GET /files/<key>/thumb`: an image's thumbnail (JPEG, at most [`THUMB_SIDE`] pixels).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};
use crate::models::closed_loop::LinkKind;

/// The largest photo accepted.
pub const PHOTO_MAX_BYTES: usize = 10 * 1024 * 1024;
/// The largest document (PDF, Word, Excel, PowerPoint) accepted.
pub const DOCUMENT_MAX_BYTES: usize = 20 * 1024 * 1024;
/// The largest video (MP4 or WebM) accepted: a course's recorded lecture of about an hour
/// at a modest bitrate. Longer recordings are cut into parts, as a course has chapters.
pub const VIDEO_MAX_BYTES: usize = 200 * 1024 * 1024;
/// The largest upload of any kind (the route's body limit follows from it).
pub const UPLOAD_MAX_BYTES: usize = VIDEO_MAX_BYTES;
/// A file name's length limit, in characters.
pub const NAME_MAX: usize = 120;
/// Images larger than this (in pixels, or on either side) are refused before they are
/// decoded: a small file may claim a huge image (a decompression bomb).
pub const MAX_PIXELS: u64 = 50_000_000;
pub const MAX_SIDE: u32 = 12_000;
/// The most memory an image's decoded pixels may take (50 megapixels of 8-bit RGBA); a
/// 16-bit image of as many pixels is refused too.
pub const MAX_DECODED_BYTES: u64 = MAX_PIXELS * 4;
/// A thumbnail's longer side, in pixels.
pub const THUMB_SIDE: u32 = 320;
/// Files per page of `list_files`.
pub const FILES_PAGE_SIZE: u32 = 20;

word_enum! {
    /// What a file is, decided by its content (never by its name).
    FileType {
        Jpeg => "jpeg" / FlJpeg,
        Png => "png" / FlPng,
        Pdf => "pdf" / FlPdf,
        Docx => "docx" / FlDocx,
        Xlsx => "xlsx" / FlXlsx,
        Pptx => "pptx" / FlPptx,
        Mp4 => "mp4" / FlMp4,
        Webm => "webm" / FlWebm,
    }
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Pdf => "application/pdf",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::Mp4 => "video/mp4",
            FileType::Webm => "video/webm",
        }
    }

    pub fn is_video(self) -> bool {
        matches!(self, FileType::Mp4 | FileType::Webm)
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png)
    }

    /// The evidence link kind a file of this type is shown as.
    pub fn link_kind(self) -> LinkKind {
        if self.is_image() {
            LinkKind::Photo
        } else {
            LinkKind::File
        }
    }

    /// The extension a download of this type is named with (whatever name it was
    /// uploaded under: a PDF named `.bat` is downloaded as `.pdf`).
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Pdf => "pdf",
            FileType::Docx => "docx",
            FileType::Xlsx => "xlsx",
            FileType::Pptx => "pptx",
            FileType::Mp4 => "mp4",
            FileType::Webm => "webm",
        }
    }

    /// The largest file of this type accepted.
    pub fn max_bytes(self) -> usize {
        if self.is_image() {
            PHOTO_MAX_BYTES
        } else if self.is_video() {
            VIDEO_MAX_BYTES
        } else {
            DOCUMENT_MAX_BYTES
        }
    }
}

/// What the file input accepts (the server decides by content all the same).
pub const ACCEPT: &str = "image/jpeg,image/png,application/pdf,.docx,.xlsx,.pptx";
/// What a course's video input accepts.
pub const ACCEPT_VIDEO: &str = "video/mp4,video/webm";
/// What a course's document input accepts.
pub const ACCEPT_PDF: &str = "application/pdf";
/// What a course's cover and an article's image inputs accept.
pub const ACCEPT_IMAGE: &str = "image/jpeg,image/png";

/// A stored file as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: String,
    pub name: String,
    pub file_type: FileType,
    /// `file` or `photo`: how an answer links it.
    pub kind: LinkKind,
    pub size: u64,
    /// The organisation it belongs to (who may see it).
    pub org: String,
    pub uploaded_by: String,
    #[cfg_attr(
        feature = "hydrate",
        serde(deserialize_with = "crate::models::wire_date::instant")
    )]
    pub at: DateTime<Utc>,
}

/// Query of `list_files`: a branch's files, newest first, by words of their name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileQuery {
    /// An organisation key; empty: every organisation in the caller's scope.
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub q: String,
    /// `file`, `photo`, or empty for both.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub page: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePage {
    pub rows: Vec<FileView>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// Why an upload was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge(usize),
    UnknownType,
    BadName,
    ImageTooLarge,
    ImageBroken,
}

impl FileProblem {
    pub fn message(self, lang: Lang) -> String {
        match self {
            FileProblem::Empty => lang.t(T::FlEmpty).into(),
            FileProblem::TooLarge(max) => lang.t(T::FlTooLarge(max / (1024 * 1024))).into(),
            FileProblem::UnknownType => lang.t(T::FlUnknownType).into(),
            FileProblem::BadName => lang.t(T::FlBadName).into(),
            FileProblem::ImageTooLarge => lang
                .t(T::FlImageTooLarge(MAX_SIDE, MAX_PIXELS / 1_000_000))
                .into(),
            FileProblem::ImageBroken => lang.t(T::FlImageBroken).into(),
        }
    }

    /// Whether the answer is 413 (too large) rather than 400.
    pub fn too_large(self) -> bool {
        matches!(self, FileProblem::TooLarge(_))
    }
}

/// A file name as sent, checked: a name, not a path (no `/`, `\`, control characters,
/// nor `.`/`..`), at most [`NAME_MAX`] characters.
pub fn check_name(name: &str) -> Result<String, FileProblem> {
    let name = name.trim();
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.chars().count() > NAME_MAX
        || name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control() || is_bidi_control(c));
    if bad {
        Err(FileProblem::BadName)
    } else {
        Ok(name.to_string())
    }
}

/// Characters that reorder the text around them (a name `报告\u{202e}fdp.exe` would read
/// as `报告exe.pdf`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The name a download is given: the uploaded name with the extension of what the file
/// is (added, or put in place of another one).
pub fn download_name(name: &str, file_type: FileType) -> String {
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    format!("{stem}.{}", file_type.extension())
}

/// A size in words: `850 KB`, `3.2 MB`.
pub fn show_size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_names_not_paths() {
        assert_eq!(check_name(" 支部活动.jpg "), Ok("支部活动.jpg".into()));
        for bad in [
            "",
            "..",
            "../../etc/passwd.jpg",
            "a\\b.png",
            "C:\\x.pdf",
            "a\u{0}b.pdf",
            "line\nbreak.pdf",
            "报告\u{202e}fdp.exe",
        ] {
            assert_eq!(check_name(bad), Err(FileProblem::BadName), "{bad:?}");
        }
        assert!(check_name(&"长".repeat(NAME_MAX)).is_ok());
        assert!(check_name(&"长".repeat(NAME_MAX + 1)).is_err());
    }

    #[test]
    fn images_are_photos_and_have_their_own_limit() {
        assert_eq!(FileType::Png.link_kind(), LinkKind::Photo);
        assert_eq!(FileType::Pdf.link_kind(), LinkKind::File);
        assert!(FileType::Jpeg.max_bytes() < FileType::Docx.max_bytes());
        assert!(FileType::Docx.max_bytes() < FileType::Webm.max_bytes());
        assert_eq!(FileType::Mp4.link_kind(), LinkKind::File);
        assert_eq!(download_name("第一讲.mov", FileType::Mp4), "第一讲.mp4");
        assert_eq!(show_size(1), "1 KB");
        assert_eq!(download_name("报告.bat", FileType::Pdf), "报告.pdf");
        assert_eq!(download_name("会议记录", FileType::Docx), "会议记录.docx");
        assert_eq!(download_name("x.tar.jar", FileType::Xlsx), "x.tar.xlsx");
        assert_eq!(show_size(3 * 1024 * 1024 + 200 * 1024), "3.2 MB");
    }
}
