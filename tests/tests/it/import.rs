//! Roster import: the template, a report before anything is written, all or nothing,
//! duplicates reported and never doubled, and files that are malformed, oversized or
//! hostile refused with a clear message and no change.

use std::io::Write;

use app::models::import::ImportReport;

use crate::support::{TestApp, spawn_app};

use tests::IMPORT_HEADERS as HEADERS;

use tests::import_row as row;

pub fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in (0u16..).zip(HEADERS) {
        sheet.write_string(0, c, h).unwrap();
    }
    for (r, cells) in (1u32..).zip(rows) {
        for (c, v) in (0u16..).zip(cells) {
            sheet.write_string(r, c, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

async fn upload(app: &TestApp, cookie: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("花名册.xlsx");
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/import/members"))
        .header("origin", app.origin())
        .header("cookie", cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

/// Uploads and follows the redirect to the report.
async fn report(app: &TestApp, cookie: &str, bytes: Vec<u8>) -> ImportReport {
    let res = upload(app, cookie, bytes).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let job = location.split("job=").nth(1).expect("job in the redirect");
    get_report(app, cookie, job).await
}

async fn get_report(app: &TestApp, cookie: &str, id: &str) -> ImportReport {
    app.call_as(cookie, "get_import", &[("id", id)])
        .await
        .json()
        .await
        .unwrap()
}

/// Follows a confirmed import until its background write has ended.
async fn finished(app: &TestApp, cookie: &str, id: &str) -> ImportReport {
    for _ in 0..300 {
        let r: ImportReport = get_report(app, cookie, id).await;
        if r.status != "importing" {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("import {id} still running after 30 s");
}

async fn members(app: &TestApp) -> i64 {
    let mut res = app
        .state
        .db
        .query("SELECT count() AS n FROM member GROUP ALL")
        .await
        .unwrap();
    let n: Option<i64> = res.take((0, "n")).unwrap();
    n.unwrap_or(0)
}

#[tokio::test]
async fn a_clean_file_is_reported_then_imported_in_one_go() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    // The template carries the headers the import reads.
    let res = app.get_as(&secretary, "/export/member-template.xlsx").await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, HEADERS);
    let member = app.session_cookie("member").await;
    assert_eq!(
        app.get_as(&member, "/export/member-template.xlsx")
            .await
            .status(),
        403
    );

    let before = members(&app).await;
    let r = report(
        &app,
        &secretary,
        workbook(&[row(1, "甲一"), row(2, "乙二"), row(3, "丙三")]),
    )
    .await;
    assert_eq!(
        (r.status.as_str(), r.rows, r.ready, r.problem_count),
        ("checked", 3, 3, 0)
    );
    assert_eq!(members(&app).await, before, "the report writes nothing");
    let res = app
        .call_as(&secretary, "commit_import", &[("id", &r.id)])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let started: ImportReport = res.json().await.unwrap();
    assert_eq!((started.status.as_str(), started.ready), ("importing", 3));
    // A second confirmation while the first runs (or after it) writes nothing more.
    assert_eq!(
        app.call_as(&secretary, "commit_import", &[("id", &r.id)])
            .await
            .status(),
        400
    );
    let done = finished(&app, &secretary, &r.id).await;
    assert_eq!((done.status.as_str(), done.imported), ("imported", 3));
    assert_eq!(members(&app).await, before + 3);
    // The trail has the upload, the confirmation and (appended right after the commit)
    // the outcome.
    let mut trail: Vec<String> = Vec::new();
    for _ in 0..50 {
        let mut res = app
            .state
            .db
            .query("SELECT VALUE summary FROM audit WHERE entity_id = $id ORDER BY seq")
            .bind(("id", r.id.clone()))
            .await
            .unwrap();
        trail = res.take(0).unwrap();
        if trail.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        trail[1..],
        ["import confirmed: 3 rows", "imported 3 members"],
        "{trail:?}"
    );
    // Once only; and another account cannot read or confirm this import.
    assert_eq!(
        app.call_as(&secretary, "commit_import", &[("id", &r.id)])
            .await
            .status(),
        400
    );
    let office = app.session_cookie("office").await;
    assert_eq!(
        app.call_as(&office, "get_import", &[("id", &r.id)])
            .await
            .status(),
        403
    );
    // The same file again: every row is a duplicate of the roster, nothing doubles.
    let again = report(
        &app,
        &secretary,
        workbook(&[row(1, "甲一"), row(2, "乙二"), row(3, "丙三")]),
    )
    .await;
    assert_eq!(again.problem_count, 3);
    assert!(
        again
            .problems
            .iter()
            .all(|p| p.message.contains("已有党员"))
    );
    assert_eq!(members(&app).await, before + 3);
    app.stop().await;
}

#[tokio::test]
async fn a_file_with_bad_rows_is_reported_by_row_and_column_and_nothing_is_written() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let before = members(&app).await;
    let mut bad_phone = row(2, "乙二");
    bad_phone[7] = "12345".into();
    let mut elsewhere = row(4, "丁四");
    elsewhere[9] = "不存在的支部".into();
    let rows = vec![row(1, "甲一"), bad_phone, row(1, "甲一重复"), elsewhere];
    let r = report(&app, &secretary, workbook(&rows)).await;
    assert_eq!(r.status, "checked");
    assert_eq!(r.rows, 4);
    assert_eq!(r.ready, 1);
    let find = |row: u32, column: &str| {
        r.problems
            .iter()
            .find(|p| p.row == row && p.column == column)
            .unwrap_or_else(|| panic!("row {row} {column}: {:?}", r.problems))
    };
    assert!(find(3, "手机号码").message.contains("手机号"));
    assert!(find(4, "身份证号").message.contains("第 2 行"));
    assert!(find(5, "所在支部").message.contains("管理范围"));
    assert_eq!(
        app.call_as(&secretary, "commit_import", &[("id", &r.id)])
            .await
            .status(),
        400
    );
    assert_eq!(members(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn malformed_oversized_and_hostile_files_are_refused_without_change() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let before = members(&app).await;
    // Not a spreadsheet at all.
    let r = report(&app, &secretary, "name,phone\n张三,138".as_bytes().to_vec()).await;
    assert_eq!(r.status, "rejected");
    assert!(r.message.contains(".xlsx"), "{}", r.message);
    // A spreadsheet without the needed columns.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "随便").unwrap();
    let r = report(&app, &secretary, book.save_to_buffer().unwrap()).await;
    assert_eq!(r.status, "rejected");
    assert!(r.message.contains("缺少"), "{}", r.message);
    // A zip that unpacks to over 200 MB (a "zip bomb") is refused before it is parsed.
    let mut bomb = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bomb));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..210 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(bomb.len() < 10 * 1024 * 1024, "the bomb itself is small");
    let r = report(&app, &secretary, bomb).await;
    assert_eq!(r.status, "rejected");
    assert!(r.message.contains("解压后过大"), "{}", r.message);
    // Over 10 MB: refused at the door.
    let res = upload(&app, &secretary, vec![7u8; 11 * 1024 * 1024]).await;
    assert!(
        matches!(res.status().as_u16(), 400 | 413),
        "{}",
        res.status()
    );
    // No file at all.
    let res = reqwest::Client::new()
        .post(app.url("/import/members"))
        .header("origin", app.origin())
        .header("cookie", &secretary)
        .multipart(reqwest::multipart::Form::new().text("other", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // Members may not import; visitors must sign in.
    let member = app.session_cookie("member").await;
    assert_eq!(
        upload(&app, &member, workbook(&[row(1, "甲一")]))
            .await
            .status(),
        403
    );
    assert_eq!(
        upload(&app, "", workbook(&[row(1, "甲一")])).await.status(),
        401
    );
    assert_eq!(members(&app).await, before);
    app.stop().await;
}

/// The browser journey uploads committed files: check they say what the journey expects.
#[tokio::test]
async fn the_browser_journeys_roster_files_are_as_described() {
    let app = spawn_app().await;
    let office = app.session_cookie("office").await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures");
    let bad = report(
        &app,
        &office,
        std::fs::read(dir.join("roster-bad.xlsx")).unwrap(),
    )
    .await;
    assert_eq!(
        (bad.rows, bad.ready, bad.problem_count),
        (3, 2, 1),
        "{:?}",
        bad.problems
    );
    assert_eq!(
        (bad.problems[0].row, bad.problems[0].column.as_str()),
        (3, "手机号码")
    );
    let fixed = report(
        &app,
        &office,
        std::fs::read(dir.join("roster-fixed.xlsx")).unwrap(),
    )
    .await;
    assert_eq!(
        (fixed.rows, fixed.ready, fixed.problem_count),
        (3, 3, 0),
        "{:?}",
        fixed.problems
    );
    app.stop().await;
}

#[tokio::test]
async fn the_page_script_gets_the_job_as_json_and_follows_the_write() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let part = reqwest::multipart::Part::bytes(workbook(&[row(7, "庚七")])).file_name("a.xlsx");
    let res = reqwest::Client::new()
        .post(app.url("/import/members"))
        .header("origin", app.origin())
        .header("cookie", &secretary)
        .header("accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let job = body["job"].as_str().expect("job key").to_string();
    let r: ImportReport = get_report(&app, &secretary, &job).await;
    assert_eq!((r.status.as_str(), r.ready, r.written), ("checked", 1, 0));
    assert!(r.can_confirm());
    app.call_as(&secretary, "commit_import", &[("id", &job)])
        .await
        .error_for_status()
        .unwrap();
    let done = finished(&app, &secretary, &job).await;
    assert_eq!((done.status.as_str(), done.imported), ("imported", 1));
    assert!(!done.can_confirm());
    app.stop().await;
}

#[tokio::test]
async fn an_import_whose_server_stopped_mid_write_reads_as_failed_and_can_be_confirmed_again() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let before = members(&app).await;
    let r = report(
        &app,
        &secretary,
        workbook(&[row(8, "辛八"), row(9, "壬九")]),
    )
    .await;
    // As a server that died while writing leaves it: claimed, its transaction never
    // committed, its last progress long ago.
    app.state
        .db
        .query(
            "UPDATE type::record('import_job', $id)
                 SET status = 'importing', run = 'rgone', started_at = time::now() - 1h;
             UPSERT type::record('import_progress', $id)
                 SET written = 500, at = time::now() - 1h;",
        )
        .bind(("id", r.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let stalled: ImportReport = get_report(&app, &secretary, &r.id).await;
    assert_eq!(stalled.status, "failed");
    assert!(stalled.message.contains("中断"), "{}", stalled.message);
    assert!(stalled.can_confirm());
    assert_eq!(members(&app).await, before);
    app.call_as(&secretary, "commit_import", &[("id", &r.id)])
        .await
        .error_for_status()
        .unwrap();
    let done = finished(&app, &secretary, &r.id).await;
    assert_eq!((done.status.as_str(), done.imported), ("imported", 2));
    assert_eq!(members(&app).await, before + 2);
    app.stop().await;
}

#[tokio::test]
async fn an_import_that_keeps_conflicting_with_roster_edits_fails_cleanly_and_writes_nothing() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let rows: Vec<Vec<String>> = (20..320).map(|n| row(n, &format!("测试{n}"))).collect();
    let r = report(&app, &secretary, workbook(&rows)).await;
    assert_eq!((r.ready, r.problem_count), (300, 0));
    let before = members(&app).await;
    // Someone keeps editing members of the same branch while the import runs: every
    // attempt at the transaction finds the branch's counts changed under it.
    let db = app.state.db.clone();
    let editing = tokio::spawn(async move {
        loop {
            db.query(
                "UPDATE (SELECT VALUE id FROM member WHERE org = org:o0003 LIMIT 1)
                     SET status = IF status = 'full' THEN 'probationary' ELSE 'full' END",
            )
            .await
            .ok();
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    });
    app.call_as(&secretary, "commit_import", &[("id", &r.id)])
        .await
        .error_for_status()
        .unwrap();
    let done = finished(&app, &secretary, &r.id).await;
    editing.abort();
    assert_eq!(done.status, "failed", "{done:?}");
    assert!(done.message.contains("名册有其他修改"), "{}", done.message);
    assert!(done.can_confirm(), "the same file may be confirmed again");
    assert_eq!(
        members(&app).await,
        before,
        "nothing of the import was written"
    );
    // Once the editing stops, confirming again imports the file.
    app.call_as(&secretary, "commit_import", &[("id", &r.id)])
        .await
        .error_for_status()
        .unwrap();
    let done = finished(&app, &secretary, &r.id).await;
    assert_eq!((done.status.as_str(), done.imported), ("imported", 300));
    assert_eq!(members(&app).await, before + 300);
    app.stop().await;
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Files as a hospital clerk makes them (generated by `make-import-fixtures`, committed).
#[tokio::test]
async fn real_world_spreadsheets_are_read_as_the_clerk_meant_or_refused_with_the_value_read() {
    let app = spawn_app().await;
    let secretary = app.session_cookie("secretary").await;
    let before = members(&app).await;

    // An ID number typed into a number cell lost its last digits: refused, the value read
    // shown; a phone typed as a number kept all 11 digits and is fine.
    let r = report(&app, &secretary, fixture("id-as-number.xlsx")).await;
    assert_eq!((r.rows, r.ready, r.problem_count), (2, 1, 1), "{r:?}");
    let p = &r.problems[0];
    assert_eq!((p.row, p.column.as_str()), (2, "身份证号"));
    assert_eq!(p.value, "320102198410245000");
    assert!(
        p.message.contains("数字格式") && p.message.contains("文本"),
        "{}",
        p.message
    );

    // Full-width digits, a full-width Ｘ and spaces are made plain.
    let r = report(&app, &secretary, fixture("full-width.xlsx")).await;
    assert_eq!((r.rows, r.ready, r.problem_count), (2, 2, 0), "{r:?}");

    // The hidden first sheet is never read; the report names the sheet it read.
    let r = report(&app, &secretary, fixture("hidden-sheet.xlsx")).await;
    assert_eq!(
        (r.rows, r.ready, r.sheet.as_str()),
        (2, 2, "2026年名册"),
        "{r:?}"
    );

    // A merged title row above the header is skipped; rows keep Excel's numbers.
    let r = report(&app, &secretary, fixture("title-row.xlsx")).await;
    assert_eq!((r.rows, r.ready, r.problem_count), (2, 2, 0), "{r:?}");

    // A formula is refused, with the computed value it would have stored.
    let r = report(&app, &secretary, fixture("formula.xlsx")).await;
    assert_eq!((r.ready, r.problem_count), (0, 1), "{r:?}");
    assert!(r.problems[0].message.contains("公式"), "{:?}", r.problems);
    assert_eq!(r.problems[0].value, "13900000001");

    // The template as downloaded: its example row cannot be imported by mistake.
    let template = app
        .get_as(&secretary, "/export/member-template.xlsx")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let r = report(&app, &secretary, template).await;
    assert_eq!((r.rows, r.ready, r.problem_count), (1, 0, 1), "{r:?}");
    assert!(r.problems[0].message.contains("示例行"), "{:?}", r.problems);

    assert_eq!(members(&app).await, before, "nothing is written by a check");
    app.stop().await;
}
