//! `import`: the spreadsheet import (`/members/import`): file refusals, the check report, progress.

texts! {
    ImpTooBig => "文件超过 10 MB，请拆分后再导入。", "The file is larger than 10 MB: split it and import the parts.";
    ImpNotXlsx => "无法读取：请上传 Excel（.xlsx）文件。", "Cannot read the file: upload an Excel (.xlsx) file.";
    ImpUnpacked => "文件解压后过大，已拒绝（可能是异常文件）。", "The file unpacks to too much and was refused (it may be malformed).";
    ImpExcessive => "文件结构异常（工作表、文字或格式的数量远超名册所需），已拒绝。", "The file's structure is abnormal (far more sheets, texts or formats than any roster has) and was refused.";
    ImpNoSheet => "文件中没有工作表。", "The file has no worksheet.";
    ImpTooManyRows => "单次最多导入 50,000 行。", "At most 50,000 rows per import.";
    ImpMissingColumn(c: &str) => "缺少“{c}”列，请使用导入模板。", "The column “{c}” is missing: use the template.";
    ImpEmpty => "文件中没有数据行。", "The file has no data rows.";
    ImpNoFile => "请选择要导入的文件。", "Choose a file to import.";
    ImpOrgUnknown => "支部不存在或不在您的管理范围内。", "The branch does not exist or is outside your scope.";
    ImpOrgAmbiguous => "有多个同名支部，请填写支部编号。", "Several branches have this name: use the branch key.";
    ImpDuplicateRow(n: u32) => "与第 {n} 行的身份证号重复。", "Same ID number as row {n}.";
    ImpSheet => "党员信息", "Members";
    ImpNotReady => "该导入有问题或已完成，不能导入。", "This import has problems or is already done.";
    ImpChanged => "花名册已发生变化，请重新上传核对。", "The roster has changed since the check: upload the file again.";
    ImpTitle => "导入党员", "Import members";
    ImpTemplate => "下载导入模板", "Download the template";
    ImpChoose => "选择 Excel 文件（.xlsx，不超过 10 MB）", "Choose an Excel file (.xlsx, at most 10 MB)";
    ImpUpload => "上传并核对", "Upload and check";
    ImpReport => "核对结果", "Check report";
    ImpCounts(rows: u32, ready: u32, problems: u32) => "数据行 {rows} · 可导入 {ready} · 问题 {problems}", "{rows} rows · {ready} ready · {problems} problems";
    ImpRow => "行号", "Row";
    ImpColumn => "列", "Column";
    ImpMessage => "问题说明", "Problem";
    ImpFixHint => "请修改文件后重新上传；有问题时不会写入任何数据。", "Fix the file and upload it again; nothing is written while there are problems.";
    ImpConfirm => "确认导入", "Import now";
    ImpDone(n: u32) => "已导入 {n} 名党员。", "{n} members imported.";
    ImpWorking => "正在导入，请稍候……", "Importing, please wait…";
    ImpWritten(w: u32, n: u32) => "正在导入：已写入 {w} / {n} 行（完成前不会生效）", "Importing: {w} of {n} rows written (nothing takes effect until all are)";
    ImpInterrupted => "导入中断（服务器重启），未写入任何数据，可再次确认导入。", "The import was interrupted (the server restarted); nothing was written and it can be confirmed again.";
    ImpConflict => "导入期间名册有其他修改，未写入任何数据，请再次确认导入。", "The roster changed while importing; nothing was written. Confirm the import again.";
    ImpFailed => "导入失败，未写入任何数据，请稍后重试或联系管理员。", "The import failed and nothing was written. Try again later or contact the administrator.";
    ImpUploading(p: u32) => "正在上传：{p}%", "Uploading: {p}%";
    ImpChecking => "上传完成，正在核对……", "Uploaded; checking…";
    ImpIdNumeric => "该单元格是数字格式，身份证号已被 Excel 截断；请将该列设为文本后重新填写。", "This cell is a number, so Excel has cut the ID number to 15 digits: format the column as text and type the number again.";
    ImpPhoneNumeric => "该单元格是数字格式，手机号已被 Excel 改变；请将该列设为文本后重新填写。", "This cell is a number and Excel has changed the phone number: format the column as text and type it again.";
    ImpFormula => "该单元格是公式，请复制后“粘贴为数值”再导入（读取到的计算结果见右侧）。", "This cell holds a formula: copy it and paste it as a value, then import again (the computed value read is shown beside).";
    ImpExampleRow => "这是模板中的示例行，请删除后再导入。", "This is the template's example row: delete it before importing.";
    ImpValue => "读取到的值", "Value read";
    ImpSheetRead(s: &str) => "读取的工作表：{s}", "Worksheet read: {s}";
}
