//! The file store: one place for evidence, attachments and, later, course videos and news
//! images. Bytes live in an `object_store`: a folder under the data dir by default, an
//! S3-compatible store (MinIO in a hospital's data centre) by one setting, so that several
//! app servers share them. A file's bytes are addressed by their SHA-256, so the same
//! photo uploaded twice is stored once; the `file` table holds who uploaded what, under
//! which name, for which organisation (`repo::file`).
//!
//! [`prepare`] decides what an upload is by its content, never by its name, checks the
//! limits of that type, and re-encodes images (EXIF and other metadata, such as where a
//! photo was taken, are not kept) with a thumbnail. Nothing is stored before it passes.

use std::io::Cursor;
use std::sync::Arc;

use axum::body::Bytes;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};

use crate::models::files::{
    FileProblem, FileType, MAX_DECODED_BYTES, MAX_PIXELS, MAX_SIDE, THUMB_SIDE,
};

/// Where the bytes are kept.
#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// For the logs: `folder /var/lib/zhibu/files`, `s3 zhibu-files`.
    pub describe: String,
}

/// An S3-compatible store's settings.
pub struct S3Settings {
    pub bucket: String,
    /// `http://minio:9000`; empty for AWS itself.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl FileStore {
    /// A folder (created when missing).
    pub fn folder(dir: &std::path::Path) -> Result<FileStore, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(FileStore {
            store: Arc::new(store),
            describe: format!("folder {}", dir.display()),
        })
    }

    /// An S3-compatible store (path-style requests, so MinIO works as it is installed).
    pub fn s3(settings: &S3Settings) -> Result<FileStore, String> {
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_virtual_hosted_style_request(false);
        if !settings.endpoint.is_empty() {
            builder = builder
                .with_endpoint(&settings.endpoint)
                .with_allow_http(settings.endpoint.starts_with("http://"));
        }
        let store = builder.build().map_err(|e| e.to_string())?;
        Ok(FileStore {
            store: Arc::new(store),
            describe: format!("s3 {}", settings.bucket),
        })
    }

    /// In this process's memory: for commands that never touch files.
    pub fn in_memory() -> FileStore {
        FileStore {
            store: Arc::new(object_store::memory::InMemory::new()),
            describe: "memory".into(),
        }
    }

    fn blob(sha256: &str) -> Path {
        Path::from(format!("blobs/{}/{sha256}", &sha256[..2]))
    }

    fn thumb(sha256: &str) -> Path {
        Path::from(format!("thumbs/{}/{sha256}.jpg", &sha256[..2]))
    }

    /// Stores a prepared upload's bytes and thumbnail, unless the same bytes are stored.
    pub async fn put(&self, file: &Prepared) -> object_store::Result<()> {
        let path = Self::blob(&file.sha256);
        match self.store.head(&path).await {
            Ok(_) => return Ok(()),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        // The thumbnail first: a blob present means its thumbnail is too.
        if let Some(thumb) = &file.thumb {
            self.store
                .put(&Self::thumb(&file.sha256), PutPayload::from(thumb.clone()))
                .await?;
        }
        self.store
            .put(&path, PutPayload::from(file.bytes.clone()))
            .await?;
        Ok(())
    }

    fn path(sha256: &str, thumb: bool) -> object_store::Result<Path> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(object_store::Error::NotFound {
                path: sha256.into(),
                source: "not a SHA-256".into(),
            });
        }
        Ok(if thumb {
            Self::thumb(sha256)
        } else {
            Self::blob(sha256)
        })
    }

    /// A file's bytes, or its thumbnail, all at once.
    pub async fn get(&self, sha256: &str, thumb: bool) -> object_store::Result<Bytes> {
        let path = Self::path(sha256, thumb)?;
        self.store.get(&path).await?.bytes().await
    }

    /// The size of a file's bytes.
    pub async fn size(&self, sha256: &str) -> object_store::Result<u64> {
        Ok(self.store.head(&Self::path(sha256, false)?).await?.size)
    }

    /// A file's bytes (or its thumbnail), or the part `range` of them, as they are read
    /// from the store: a video of 200 MB is never held in memory whole. The bytes are
    /// for `range` (answered `206`) or the whole file.
    pub async fn open(
        &self,
        sha256: &str,
        thumb: bool,
        range: Option<std::ops::Range<u64>>,
    ) -> object_store::Result<Opened> {
        let path = Self::path(sha256, thumb)?;
        let partial = range.is_some();
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let found = self.store.get_opts(&path, options).await?;
        Ok(Opened {
            partial,
            size: found.meta.size,
            range: found.range.clone(),
            body: axum::body::Body::from_stream(found.into_stream()),
        })
    }
}

/// What [`FileStore::open`] found: the whole file's size, the bytes sent (`range`; a part
/// asked for, even if it is all of them, is `partial`: answered `206`), and the body that
/// streams them.
pub struct Opened {
    pub partial: bool,
    pub size: u64,
    pub range: std::ops::Range<u64>,
    pub body: axum::body::Body,
}

/// An upload that passed: what it is, the bytes to store (an image re-encoded), their
/// SHA-256 (hex), and an image's thumbnail and size.
#[derive(Debug)]
pub struct Prepared {
    pub file_type: FileType,
    pub bytes: Bytes,
    pub sha256: String,
    pub thumb: Option<Vec<u8>>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// What the bytes are, by their content.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        office(bytes)
    } else if is_mp4(bytes) {
        Some(FileType::Mp4)
    } else if is_webm(bytes) {
        Some(FileType::Webm)
    } else {
        None
    }
}

/// An MP4 (ISO base media file) of a brand browsers play: the first box is `ftyp` and
/// names it. QuickTime (`qt  `) and HEIF images (`heic`, `mif1`) are not videos here.
fn is_mp4(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 12] = [
        b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash",
        b"mmp4", b"MSNV",
    ];
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

/// A WebM: an EBML header whose document type is `webm` (other Matroska files are not
/// played by every browser).
fn is_webm(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) && head.windows(4).any(|w| w == b"webm")
}

/// An Office Open XML document, by the parts its archive's directory names (nothing is
/// decompressed).
fn office(bytes: &[u8]) -> Option<FileType> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if !has("[Content_Types].xml") {
        return None;
    }
    if has("word/document.xml") {
        Some(FileType::Docx)
    } else if has("xl/workbook.xml") {
        Some(FileType::Xlsx)
    } else if has("ppt/presentation.xml") {
        Some(FileType::Pptx)
    } else {
        None
    }
}

/// Checks an upload and makes it ready to store. CPU-bound (images are decoded and
/// encoded): call it on a blocking thread.
pub fn prepare(bytes: Bytes) -> Result<Prepared, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let file_type = sniff(&bytes).ok_or(FileProblem::UnknownType)?;
    if bytes.len() > file_type.max_bytes() {
        return Err(FileProblem::TooLarge(file_type.max_bytes()));
    }
    if file_type.is_image() {
        return reencode(file_type, &bytes);
    }
    Ok(Prepared {
        file_type,
        sha256: digest(&bytes),
        bytes,
        thumb: None,
        width: None,
        height: None,
    })
}

fn digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    crate::server::hex(&Sha256::digest(bytes))
}

fn image_problem(e: image::ImageError) -> FileProblem {
    match e {
        image::ImageError::Limits(_) => FileProblem::ImageTooLarge,
        _ => FileProblem::ImageBroken,
    }
}

/// Decodes within limits (the size the image claims is checked before any pixel is
/// decoded), turns it upright as its EXIF says, and encodes it again without metadata:
/// JPEG as JPEG (quality 85), PNG as PNG. The thumbnail is a JPEG.
fn reencode(file_type: FileType, bytes: &[u8]) -> Result<Prepared, FileProblem> {
    use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
    let format = match file_type {
        FileType::Png => ImageFormat::Png,
        _ => ImageFormat::Jpeg,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Room for the decoded pixels (up to 8 bytes each) and one converted copy.
    limits.max_alloc = Some(MAX_PIXELS * 8 * 2);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(image_problem)?;
    let (w, h) = decoder.dimensions();
    // The decoders allocate the pixels at once, whatever `max_alloc` says: what they
    // would take is checked here, before a pixel is decoded.
    if w > MAX_SIDE
        || h > MAX_SIDE
        || u64::from(w) * u64::from(h) > MAX_PIXELS
        || decoder.total_bytes() > MAX_DECODED_BYTES
    {
        return Err(FileProblem::ImageTooLarge);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(image_problem)?;
    img.apply_orientation(orientation);
    let mut out = Vec::new();
    match file_type {
        FileType::Png => img
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(image_problem)?,
        _ => jpeg(&img, 85, &mut out)?,
    }
    // Encoded again, a photo may not grow past its type's limit (a palette PNG stored as
    // true colour).
    if out.len() > file_type.max_bytes() {
        return Err(FileProblem::TooLarge(file_type.max_bytes()));
    }
    let mut thumb = Vec::new();
    if img.width() > THUMB_SIDE || img.height() > THUMB_SIDE {
        jpeg(&img.thumbnail(THUMB_SIDE, THUMB_SIDE), 80, &mut thumb)?;
    } else {
        jpeg(&img, 80, &mut thumb)?;
    }
    Ok(Prepared {
        file_type,
        sha256: digest(&out),
        width: Some(img.width()),
        height: Some(img.height()),
        bytes: Bytes::from(out),
        thumb: Some(thumb),
    })
}

/// Encodes as JPEG, transparent parts on white.
fn jpeg(img: &image::DynamicImage, quality: u8, out: &mut Vec<u8>) -> Result<(), FileProblem> {
    let rgb = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
            let p = rgba.get_pixel(x, y).0;
            let a = u16::from(p[3]);
            let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
            image::Rgb([over(p[0]), over(p[1]), over(p[2])])
        })
    } else {
        img.to_rgb8()
    };
    image::codecs::jpeg::JpegEncoder::new_with_quality(out, quality)
        .encode_image(&rgb)
        .map_err(image_problem)
}

/// A PNG of `w`×`h` in a few colours: the demo's evidence photos and the tests' uploads.
pub fn sample_png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let band = ((x * 4 / w.max(1)) + (y * 3 / h.max(1))) as u8;
        image::Rgb([
            200u8
                .wrapping_add(seed.wrapping_mul(37))
                .wrapping_sub(band * 20),
            40 + band * 25,
            30u8.wrapping_add(seed.wrapping_mul(11)),
        ])
    });
    let mut out = Vec::new();
    // Encoding an in-memory RGB image into a Vec does not fail.
    let _ = image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png);
    out
}

/// A one-page PDF (A4) with `lines` of Latin text in Helvetica: the demo's course
/// documents and the tests' uploads. Characters outside printable ASCII are left out.
pub fn sample_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 16 Tf 72 770 Td 22 TL\n");
    for line in lines {
        let clean: String = line
            .chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        text.push_str(&format!("({clean}) Tj T*\n"));
    }
    text.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A short WebM video (10 s, 192×108, no sound; `scripts/make-demo-video` made it from
/// ffmpeg's test pattern): the demo's course video and the tests' uploads.
pub const SAMPLE_VIDEO: &[u8] = include_bytes!("demo/clip.webm");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_the_type_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(&sample_png(8, 8, 1)), Some(FileType::Png));
        assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        // A zip that is not an Office document.
        let mut zip = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut zip));
            w.start_file("evil.exe", zip::write::SimpleFileOptions::default())
                .unwrap();
            w.finish().unwrap();
        }
        assert_eq!(sniff(&zip), None);
        assert_eq!(
            prepare(Bytes::from(zip)).unwrap_err(),
            FileProblem::UnknownType
        );
        assert_eq!(prepare(Bytes::new()).unwrap_err(), FileProblem::Empty);
        // Videos: an MP4 by its first box and brand, a WebM by its EBML document type.
        assert_eq!(
            sniff(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2"),
            Some(FileType::Mp4)
        );
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"), None);
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "), None);
        assert_eq!(
            sniff(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm"),
            Some(FileType::Webm)
        );
        assert_eq!(
            sniff(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x88matroska"),
            None
        );
    }

    #[test]
    fn a_video_over_its_limit_is_refused_in_its_own_words() {
        use crate::models::files::VIDEO_MAX_BYTES;
        let mut big = SAMPLE_VIDEO.to_vec();
        big.resize(VIDEO_MAX_BYTES + 1, 0);
        let problem = prepare(Bytes::from(big)).unwrap_err();
        assert_eq!(problem, FileProblem::TooLarge(VIDEO_MAX_BYTES));
        assert!(problem.message(crate::i18n::Lang::Zh).contains("200 MB"));
        assert!(prepare(Bytes::from_static(SAMPLE_VIDEO)).is_ok());
    }

    #[test]
    fn the_samples_are_what_they_claim() {
        let pdf = sample_pdf(&["Zhibu (demo)", "back\\slash"]);
        assert_eq!(sniff(&pdf), Some(FileType::Pdf));
        let text = String::from_utf8(pdf).unwrap();
        assert!(text.contains("(Zhibu \\(demo\\)) Tj"), "{text}");
        // The cross-reference table points at each object.
        let xref = text.find("xref").unwrap();
        assert!(text.ends_with(&format!("startxref\n{xref}\n%%EOF\n")));
        assert!(text[9..].starts_with("1 0 obj") && text.contains("0000000009 00000 n \n"));
        assert_eq!(sniff(SAMPLE_VIDEO), Some(FileType::Webm));
    }

    #[test]
    fn images_are_reencoded_the_same_way_each_time_with_a_thumbnail() {
        let png = Bytes::from(sample_png(640, 480, 3));
        let a = prepare(png.clone()).unwrap();
        let b = prepare(png.clone()).unwrap();
        assert_eq!(a.file_type, FileType::Png);
        assert_eq!(a.sha256, b.sha256, "the same photo has the same address");
        assert_eq!((a.width, a.height), (Some(640), Some(480)));
        let thumb = image::load_from_memory(a.thumb.as_ref().unwrap()).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (THUMB_SIDE, 240));
        let broken = png.slice(..png.len() / 2);
        assert_eq!(prepare(broken).unwrap_err(), FileProblem::ImageBroken);
    }
}
