//! Integration tests live in `tests/it/`: one binary that drives the real server over HTTP.
//! This library holds what the tests, the benchmarks and the fixture generator share.

/// The roster template's header row, as the import reads it.
pub const IMPORT_HEADERS: [&str; 14] = [
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "学历",
    "科室",
    "职称",
    "手机号码",
    "身份证号",
    "所在支部",
    "党员类别",
    "申请入党日期",
    "入党日期",
    "转正日期",
];

/// A valid ID number (Xi'an, born on `birth`, yyyymmdd), numbered `n`, for a man or a
/// woman (the 17th digit's parity).
pub fn import_id(n: usize, birth: &str, male: bool) -> String {
    let seq = 100 + n * 2 + usize::from(male);
    let first17 = format!("610104{birth}{seq:03}");
    let check = app::models::member::id_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A valid roster row for the demo secretary's branch (肿瘤内科第一党支部), numbered `n`.
pub fn import_row(n: usize, name: &str) -> Vec<String> {
    [
        name,
        "女",
        "1992-03-15",
        "汉族",
        "大学本科",
        "肿瘤内科一病区",
        "护师",
        &format!("139{:08}", 10_000_000 + n),
        &import_id(n, "19920315", false),
        "肿瘤内科第一党支部",
        "正式党员",
        "2012-04-01",
        "2013-06-01",
        "2014-06-01",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
