//! Hostile spreadsheets against the real server, with the process's memory measured.
//!
//! A binary of its own with one test, so that nothing else runs in the process while a
//! file is checked: before each upload the freed heap is handed back to the system and
//! the peak resident size is reset (`/proc/self/clear_refs`); after it, the peak must not
//! have grown by more than `CHECK_MEMORY_BOUND_BYTES`. Each file must be answered with a
//! report or a refusal (never a crash: the server still answers `/healthz`), and each
//! upload, refused or not, is on the audit trail.

#[path = "it/support.rs"]
#[allow(dead_code)]
mod support;

use std::path::Path;

use app::models::import::ImportReport;
use app::server::import::CHECK_MEMORY_BOUND_BYTES;
use support::{TestApp, spawn_app};

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Returns the resident size now, after handing freed memory back and resetting the peak.
fn reset_peak() -> u64 {
    // SAFETY: malloc_trim only releases free heap pages back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    std::fs::write("/proc/self/clear_refs", "5").expect("the peak resident size can be reset");
    status_kib("VmRSS:") * 1024
}

async fn upload(app: &TestApp, cookie: &str, name: &str, bytes: Vec<u8>) -> ImportReport {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let res = app
        .client
        .post(app.url("/import/members"))
        .header("origin", app.origin())
        .header("cookie", cookie)
        .header("accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{name}: {}", res.text().await.unwrap());
    let job: serde_json::Value = res.json().await.unwrap();
    let id = job["job"].as_str().unwrap().to_string();
    app.call_as(cookie, "get_import", &[("id", &id)])
        .await
        .json()
        .await
        .unwrap()
}

/// What each file must come to: refused with a message containing the text, or checked.
enum Expect {
    Refused(&'static str),
    Checked { rows: u32, ready: u32 },
}

#[tokio::test]
async fn hostile_files_are_answered_within_the_memory_bound_and_recorded() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import");
    let cases = [
        // The header only: the far cell is outside the template's columns.
        ("dos-far-cell-xfd.xlsx", Expect::Refused("没有数据行")),
        // One good row; the far cell is a row of its own, reported, not a grid.
        ("dos-far-cell-n.xlsx", Expect::Checked { rows: 2, ready: 1 }),
        (
            "dos-huge-dimension.xlsx",
            Expect::Checked { rows: 1, ready: 1 },
        ),
        ("dos-deep-nesting.xlsx", Expect::Refused("")),
        ("dos-many-sheets.xlsx", Expect::Refused("结构异常")),
        ("dos-many-shared-strings.xlsx", Expect::Refused("结构异常")),
        // Just under every limit: read in full, the worst case the bound is for.
        (
            "dos-largest-admitted.xlsx",
            Expect::Checked { rows: 1, ready: 1 },
        ),
        ("dos-declared-strings.xlsx", Expect::Refused("结构异常")),
        ("dos-many-styles.xlsx", Expect::Refused("结构异常")),
        ("dos-lying-zip-sizes.xlsx", Expect::Refused("")),
        (
            "dos-shared-formula-index.xlsx",
            Expect::Checked { rows: 2, ready: 1 },
        ),
    ];
    let mut worst = (0u64, "");
    for (name, expect) in cases {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let before = reset_peak();
        let report = upload(&app, &secretary, name, bytes).await;
        let grown = (status_kib("VmHWM:") * 1024).saturating_sub(before);
        println!("{name}: peak grew {} KiB", grown / 1024);
        assert!(
            grown <= CHECK_MEMORY_BOUND_BYTES,
            "{name}: checking grew the process by {} MiB (bound {} MiB)",
            grown >> 20,
            CHECK_MEMORY_BOUND_BYTES >> 20
        );
        if grown > worst.0 {
            worst = (grown, name);
        }
        match expect {
            Expect::Refused(text) => {
                assert_eq!(report.status, "rejected", "{name}: {report:?}");
                assert!(report.message.contains(text), "{name}: {}", report.message);
            }
            Expect::Checked { rows, ready } => {
                assert_eq!(report.status, "checked", "{name}: {report:?}");
                assert_eq!(
                    (report.rows, report.ready),
                    (rows, ready),
                    "{name}: {report:?}"
                );
            }
        }
        assert_eq!(app.get("/healthz").await.status(), 200, "{name}");
    }
    println!(
        "worst: {name} grew the peak by {} MiB",
        worst.0 >> 20,
        name = worst.1
    );
    // Every upload is on the trail, the refused ones as failures.
    let uploads = app.audit("create").await;
    let refused = uploads
        .iter()
        .filter(|e| e.summary.starts_with("upload rejected"))
        .count();
    let checked = uploads
        .iter()
        .filter(|e| e.summary.starts_with("upload checked"))
        .count();
    assert_eq!((refused, checked), (7, 4), "{uploads:?}");
    app.stop().await;
}
