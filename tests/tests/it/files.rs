//! The file store (issue 13 §Files): uploads decided by content and checked against the
//! limits of their type, images re-encoded without metadata and with a thumbnail, the same
//! bytes stored once, downloads only for the organisation's readers (also by a guessed
//! key), hostile files refused with a clear message and nothing kept, one file linked as
//! evidence of two tasks, and the same behaviour on an S3-compatible store shared by two
//! app servers.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use app::api::files::ListFiles;
use app::error::AppError;
use app::models::closed_loop::{
    AnswerInput, AssignmentView, FindingInput, LinkKind, RectificationPage, RectificationQuery,
    RectifyInput,
};
use app::models::files::{FilePage, FileQuery, FileType, FileView, THUMB_SIDE};
use app::server::files::sample_png;

use crate::support::{TestApp, spawn_app, spawn_app_with, test_config};

/// The demo secretary's branch.
const BRANCH: &str = "o0003";

async fn json<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The message of a refused upload, after checking its status and field.
async fn refusal(res: reqwest::Response, status: u16) -> String {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    match serde_json::from_str::<AppError>(&body) {
        Ok(AppError::Validation { field, message }) if field == "file" => message,
        other => panic!("not a refusal of the file: {other:?} {body}"),
    }
}

/// Files under a folder, recursively, in order.
fn stored(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(stored(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn files_dir(app: &TestApp) -> PathBuf {
    app.files.dir.clone().expect("tests keep files in a folder")
}

async fn file_rows(app: &TestApp) -> i64 {
    let n: Option<i64> = app
        .state
        .db
        .query("RETURN array::len(SELECT VALUE id FROM file)")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    n.unwrap_or(0)
}

/// A branch outside the secretary's reach.
async fn other_branch(app: &TestApp) -> String {
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE record::id(id) FROM org
             WHERE kind = 'branch' AND id != org:o0003 AND parent != org:o0003 LIMIT 1",
        )
        .await
        .unwrap();
    res.take::<Vec<String>>(0).unwrap().remove(0)
}

/// A JPEG with an EXIF block that says where it was taken.
fn jpeg_with_location() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&img)
        .unwrap();
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPS 31.2304N 121.4737E taken at home");
    let len = u16::try_from(exif.len() + 2).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A small PNG that claims to be `w`×`h` pixels: decoded, it would take gigabytes.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        c.extend_from_slice(&body);
        c.extend_from_slice(&crc32(&body).to_be_bytes());
        c
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    // zlib: a stored block of 1,000 zero bytes.
    let mut idat = vec![0x78, 0x01, 0x01, 0xE8, 0x03, 0x17, 0xFC];
    idat.extend(std::iter::repeat_n(0u8, 1000));
    out.extend(chunk(b"IDAT", &idat));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[tokio::test]
async fn uploads_are_stored_once_by_content_and_served_to_their_organisation_only() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let office = app.session_cookie("office").await;
    let member = app.session_cookie("member").await;
    let dir = files_dir(&app);
    let blobs = |d: &Path| stored(&d.join("blobs")).len();
    // The demo's photos are there already.
    let (blobs_before, thumbs_before) = (blobs(&dir), stored(&dir.join("thumbs")).len());
    assert!(blobs_before > 0, "the demo hospital has evidence photos");
    let list = |query: FileQuery| {
        let (app, secretary) = (&app, secretary.clone());
        async move { json::<FilePage>(app.call_fn(&secretary, ListFiles { query }).await).await }
    };
    let mine_before = list(FileQuery::default()).await;

    // A photo, then the same photo under another name: two files, one stored blob.
    let png = sample_png(640, 480, 7);
    let first: FileView = json(
        app.upload(&secretary, BRANCH, "支部活动.png", png.clone())
            .await,
    )
    .await;
    let again: FileView = json(app.upload(&secretary, BRANCH, "再传一次.png", png).await).await;
    assert_eq!(
        (first.file_type, first.kind),
        (FileType::Png, LinkKind::Photo)
    );
    assert_eq!(first.name, "支部活动.png");
    assert_eq!(first.org, BRANCH);
    assert_ne!(first.id, again.id);
    assert_eq!(
        blobs(&dir),
        blobs_before + 1,
        "the same photo is stored once"
    );
    assert_eq!(stored(&dir.join("thumbs")).len(), thumbs_before + 1);

    // The branch reads it back; the thumbnail is at most 320 px.
    let res = app
        .get_as(&secretary, &format!("/files/{}", first.id))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["cache-control"], "private, no-cache");
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (640, 480));
    // Asked again with what the browser kept: 304, after the same scope check.
    let again_res = app
        .client
        .get(app.url(&format!("/files/{}", first.id)))
        .header("cookie", &secretary)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again_res.status(), 304);
    let other_reader = app
        .client
        .get(app.url(&format!("/files/{}", first.id)))
        .header("cookie", &member)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        other_reader.status(),
        403,
        "what a browser kept is checked again"
    );
    let res = app
        .get_as(&secretary, &format!("/files/{}/thumb", first.id))
        .await;
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(thumb.width(), THUMB_SIDE);

    // Where a photo was taken does not survive the upload.
    let located = jpeg_with_location();
    assert!(located.windows(3).any(|w| w == b"GPS"));
    let photo: FileView = json(app.upload(&secretary, BRANCH, "现场.jpg", located).await).await;
    assert_eq!(photo.file_type, FileType::Jpeg);
    let served = app
        .get_as(&secretary, &format!("/files/{}", photo.id))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(served.starts_with(&[0xFF, 0xD8]));
    assert!(
        !served.windows(3).any(|w| w == b"GPS"),
        "the location is gone"
    );
    assert!(
        !served.windows(4).any(|w| w == b"Exif"),
        "no EXIF block is kept"
    );

    // A document keeps its bytes and is downloaded under its name.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let doc: FileView = json(
        app.upload(&secretary, BRANCH, "会议记录.pdf", pdf.clone())
            .await,
    )
    .await;
    assert_eq!((doc.file_type, doc.kind), (FileType::Pdf, LinkKind::File));
    let res = app.get_as(&secretary, &format!("/files/{}", doc.id)).await;
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename*=UTF-8''")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());
    assert_eq!(
        app.get_as(&secretary, &format!("/files/{}/thumb", doc.id))
            .await
            .status(),
        404,
        "a document has no thumbnail"
    );
    // A PDF uploaded under a program's name is downloaded as what it is.
    let renamed: FileView = json(
        app.upload(&secretary, BRANCH, "报告.bat", pdf.clone())
            .await,
    )
    .await;
    let res = app
        .get_as(&secretary, &format!("/files/{}", renamed.id))
        .await;
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"
    );

    // Another branch's file: the secretary cannot upload there, list it, or read it,
    // also by its key; a member reads no files; a visitor must sign in.
    let other = other_branch(&app).await;
    assert_eq!(
        app.upload(&secretary, &other, "x.png", sample_png(8, 8, 1))
            .await
            .status(),
        403
    );
    let theirs: FileView = json(
        app.upload(&office, &other, "他支部.png", sample_png(32, 32, 2))
            .await,
    )
    .await;
    for path in [
        format!("/files/{}", theirs.id),
        format!("/files/{}/thumb", theirs.id),
    ] {
        assert_eq!(app.get_as(&secretary, &path).await.status(), 403, "{path}");
    }
    assert_eq!(
        app.get_as(&secretary, "/files/fguessed00000000")
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_as(&office, "/files/fguessed00000000")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_as(&office, &format!("/files/{}", theirs.id))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_as(&member, &format!("/files/{}", first.id))
            .await
            .status(),
        403
    );
    assert_eq!(app.get(&format!("/files/{}", first.id)).await.status(), 401);
    let denied = app.audit("permission_denied").await;
    assert!(
        denied
            .iter()
            .any(|e| e.entity == "file" && e.entity_id == theirs.id),
        "the attempt on another branch's file is on the audit trail"
    );
    let mine = list(FileQuery::default()).await;
    assert_eq!(mine.total, mine_before.total + 5);
    assert!(mine.rows.iter().all(|f| f.org == BRANCH));
    let photos = list(FileQuery {
        kind: "photo".into(),
        q: "现场".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        photos
            .rows
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>(),
        [photo.id.as_str()]
    );
    let uploads = app.audit("create").await;
    assert!(
        uploads
            .iter()
            .any(|e| e.entity == "file" && e.entity_id == first.id)
    );
}

#[tokio::test]
async fn hostile_uploads_get_a_clear_error_and_leave_nothing() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let dir = files_dir(&app);
    let rows = file_rows(&app).await;
    let before = stored(&dir);

    // A program named like a photo.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".repeat(64);
    let msg = refusal(app.upload(&secretary, BRANCH, "合照.jpg", exe).await, 400).await;
    assert!(msg.contains("不支持的文件类型"), "{msg}");
    // A page with a script, named like a PDF.
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let msg = refusal(app.upload(&secretary, BRANCH, "报告.pdf", html).await, 400).await;
    assert!(msg.contains("按文件内容判断"), "{msg}");
    // A photo over its limit (10 MB), and any file over the upload limit (20 MB).
    let mut big = sample_png(16, 16, 1);
    big.resize(11 * 1024 * 1024, 0);
    let msg = refusal(app.upload(&secretary, BRANCH, "大图.png", big).await, 413).await;
    assert!(msg.contains("10 MB"), "{msg}");
    let mut huge = b"%PDF-1.4\n".to_vec();
    huge.resize(21 * 1024 * 1024, b' ');
    let msg = refusal(
        app.upload(&secretary, BRANCH, "大文件.pdf", huge).await,
        413,
    )
    .await;
    assert!(msg.contains("20 MB"), "{msg}");
    // Decompression bombs: a few kilobytes that claim 10 billion, or 100 million, pixels.
    for (w, h) in [(100_000, 100_000), (10_000, 10_000)] {
        let msg = refusal(
            app.upload(&secretary, BRANCH, "炸弹.png", png_claiming(w, h))
                .await,
            400,
        )
        .await;
        assert!(msg.contains("图片尺寸过大"), "{w}×{h}: {msg}");
    }
    // A damaged photo.
    let png = sample_png(64, 64, 3);
    let msg = refusal(
        app.upload(
            &secretary,
            BRANCH,
            "损坏.png",
            png[..png.len() / 2].to_vec(),
        )
        .await,
        400,
    )
    .await;
    assert!(msg.contains("已损坏"), "{msg}");
    // Names with path characters, and no name or no bytes at all.
    for name in ["../../etc/passwd.png", "..\\..\\boot.ini", "a/b.png", ""] {
        let msg = refusal(app.upload(&secretary, BRANCH, name, png.clone()).await, 400).await;
        assert!(msg.contains("文件名无效"), "{name:?}: {msg}");
    }
    let msg = refusal(
        app.upload(&secretary, BRANCH, "空.pdf", Vec::new()).await,
        400,
    )
    .await;
    assert!(msg.contains("不能为空"), "{msg}");

    // Nothing was kept, and every refusal is on the audit trail.
    assert_eq!(file_rows(&app).await, rows);
    assert_eq!(stored(&dir), before, "no byte was kept");
    assert!(!Path::new("/etc/passwd.png").exists());
    let refused = app
        .audit("create")
        .await
        .into_iter()
        .filter(|e| e.entity == "file" && e.outcome == "failure")
        .count();
    assert!(refused >= 12, "{refused} refusals recorded");
}

/// Two assignments of the secretary's branch that can still be answered.
async fn two_open_assignments(app: &TestApp) -> (String, String) {
    let mut res = app
        .state
        .db
        .query(
            "SELECT VALUE record::id(id) FROM assignment
             WHERE org = org:o0003 AND status IN ['pending', 'draft', 'returned']
               AND task.status = 'published' AND task.period.status = 'open'
             ORDER BY id LIMIT 2",
        )
        .await
        .unwrap();
    let mut keys: Vec<String> = res.take(0).unwrap();
    assert_eq!(keys.len(), 2, "the demo branch has open work: {keys:?}");
    (keys.remove(0), keys.remove(0))
}

#[tokio::test]
async fn one_photo_is_evidence_of_two_tasks_and_a_rectification_without_a_second_upload() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let (a, b) = two_open_assignments(&app).await;
    let rows = file_rows(&app).await;
    let photo: FileView = json(
        app.upload(&secretary, BRANCH, "主题党日.png", sample_png(200, 150, 4))
            .await,
    )
    .await;
    for (key, typed) in [(&a, "photo"), (&b, "file")] {
        // Typed as a file or a photo, it is linked as what its content is.
        let input = AnswerInput {
            id: key.clone(),
            action: "save".into(),
            text: "见照片。".into(),
            links: format!("{typed}:{}\nphoto:{}", photo.id, photo.id),
        };
        let res = app
            .call_fn(&secretary, app::api::assessment::AnswerAssignment { input })
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let view: AssignmentView = json(
            app.call_fn(
                &secretary,
                app::api::assessment::GetAssignment { id: key.clone() },
            )
            .await,
        )
        .await;
        assert_eq!(view.links.len(), 1, "{:?}", view.links);
        assert_eq!(view.links[0].kind, LinkKind::Photo);
        assert_eq!(view.links[0].id, photo.id);
        assert_eq!(view.links[0].label, "主题党日.png");
    }
    // A third use: the answer to a rectification item found at an inspection.
    let office = app.session_cookie("office").await;
    let finding = FindingInput {
        org: BRANCH.into(),
        problem: "宣传栏内容未及时更新".into(),
        ..Default::default()
    };
    let item: String = json(
        app.call_fn(
            &office,
            app::api::assessment::RaiseFinding { input: finding },
        )
        .await,
    )
    .await;
    let input = RectifyInput {
        id: item.clone(),
        action: "answer".into(),
        text: "已更新宣传栏，见照片。".into(),
        links: format!("photo:{}", photo.id),
    };
    let res = app
        .call_fn(&secretary, app::api::assessment::Rectify { input })
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let page: RectificationPage = json(
        app.call_fn(
            &office,
            app::api::assessment::ListRectifications {
                query: RectificationQuery {
                    status: "answered".into(),
                    org: BRANCH.into(),
                    page: 0,
                },
            },
        )
        .await,
    )
    .await;
    let answered = page
        .items
        .iter()
        .find(|r| r.id == item)
        .expect("the item is listed");
    assert_eq!(
        answered
            .links
            .iter()
            .map(|l| (l.kind, l.id.as_str()))
            .collect::<Vec<_>>(),
        [(LinkKind::Photo, photo.id.as_str())]
    );
    assert_eq!(
        file_rows(&app).await,
        rows + 1,
        "uploaded once, used three times"
    );

    // Another branch's file cannot be linked, even by its key.
    let office = app.session_cookie("office").await;
    let other = other_branch(&app).await;
    let theirs: FileView = json(
        app.upload(&office, &other, "他支部.png", sample_png(20, 20, 5))
            .await,
    )
    .await;
    let input = AnswerInput {
        id: a.clone(),
        action: "save".into(),
        text: String::new(),
        links: format!("photo:{}", theirs.id),
    };
    let res = app
        .call_fn(&secretary, app::api::assessment::AnswerAssignment { input })
        .await;
    assert_eq!(res.status(), 400);
}

/// An S3-compatible server (s3s-fs from crates.io) on a free port, serving `root`.
struct S3Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn s3_server(root: &Path) -> S3Server {
    let bin = std::env::var("S3S_FS_BIN").unwrap_or_else(|_| {
        format!(
            "{}/.cache/zhibu/tools/s3s/bin/s3s-fs",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    assert!(
        Path::new(&bin).exists(),
        "s3s-fs is not installed at {bin}: ./scripts/test installs it (cargo install s3s-fs@0.14.1 --features binary)"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(bin)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", "zhibu", "--secret-key", "zhibu-secret"])
        .arg(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("s3s-fs starts");
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return S3Server { child, port };
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("s3s-fs does not listen on {port}");
}

#[tokio::test]
async fn two_app_servers_share_files_through_an_s3_store() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("zhibu-files")).unwrap();
    let s3 = s3_server(root.path()).await;
    let mut config = test_config();
    config.files.store = "s3".into();
    config.files.dir = None;
    config.files.s3_bucket = "zhibu-files".into();
    config.files.s3_endpoint = format!("http://127.0.0.1:{}", s3.port);
    config.files.s3_access_key_id = "zhibu".into();
    config.files.s3_secret_access_key = "zhibu-secret".into();
    let app = spawn_app_with(config).await;
    let beside = app.spawn_beside().await;
    let secretary = app.session_cookie("secretary").await;

    let in_bucket = || {
        stored(&root.path().join("zhibu-files"))
            .iter()
            .filter(|p| p.to_string_lossy().contains("blobs"))
            .count()
    };
    let before = in_bucket();
    assert!(before > 0, "the demo's photos went to the bucket");
    let png = sample_png(300, 200, 6);
    let file: FileView = json(
        app.upload(&secretary, BRANCH, "共享.png", png.clone())
            .await,
    )
    .await;
    let again: FileView = json(app.upload(&secretary, BRANCH, "共享2.png", png).await).await;
    assert_ne!(file.id, again.id);
    assert_eq!(in_bucket(), before + 1, "stored once in the bucket");

    // The second server reads what the first one stored.
    let there = beside.session_cookie("secretary").await;
    let res = beside.get_as(&there, &format!("/files/{}", file.id)).await;
    assert_eq!(res.status(), 200);
    let img =
        image::load_from_memory_with_format(&res.bytes().await.unwrap(), image::ImageFormat::Png)
            .unwrap();
    assert_eq!((img.width(), img.height()), (300, 200));
    let thumb = beside
        .get_as(&there, &format!("/files/{}/thumb", file.id))
        .await;
    assert_eq!(thumb.status(), 200);
    let _ = Cursor::new(Vec::<u8>::new());
    drop(s3);
}
