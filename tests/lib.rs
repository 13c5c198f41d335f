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
