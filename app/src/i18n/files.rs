//! Files: uploads, their types and what refuses them.

texts! {
    FlJpeg => "JPEG 图片", "JPEG image";
    FlPng => "PNG 图片", "PNG image";
    FlPdf => "PDF 文档", "PDF document";
    FlDocx => "Word 文档", "Word document";
    FlXlsx => "Excel 表格", "Excel workbook";
    FlPptx => "PowerPoint 演示文稿", "PowerPoint presentation";
    FlMp4 => "MP4 视频", "MP4 video";
    FlWebm => "WebM 视频", "WebM video";
    FlEmpty => "请选择要上传的文件，文件不能为空。", "Choose a file to upload; it must not be empty.";
    FlTooLarge(mb: usize) => "文件过大：此类文件最大 {mb} MB。", "The file is too large: at most {mb} MB for this kind of file.";
    FlUnknownType => "不支持的文件类型：请上传 JPEG 或 PNG 图片、PDF、Word、Excel、PowerPoint 文件或 MP4、WebM 视频（按文件内容判断，与扩展名无关）。", "This kind of file is not accepted: upload a JPEG or PNG image, a PDF, Word, Excel or PowerPoint file, or an MP4 or WebM video (decided by the content, not the name).";
    FlBadName => "文件名无效：不能为空、不能包含路径字符（/ \\）或控制字符，最长 120 个字。", "The file name is not valid: it must not be empty, contain path characters (/ \\) or control characters, or exceed 120 characters.";
    FlImageTooLarge(side: u32, mp: u64) => "图片尺寸过大：每边最多 {side} 像素，总计最多 {mp} 百万像素。", "The image is too large: at most {side} pixels a side and {mp} megapixels.";
    FlImageBroken => "图片已损坏或无法读取，请重新导出后上传。", "The image is damaged or cannot be read; export it again and upload it.";
    FlUpload => "上传文件或照片", "Upload files or photos";
    FlUploadHint => "支持 JPEG、PNG 照片（最大 10 MB）及 PDF、Word、Excel、PowerPoint 文件（最大 20 MB）。照片上传后会去除位置等信息。", "JPEG and PNG photos (up to 10 MB) and PDF, Word, Excel and PowerPoint files (up to 20 MB). Photos are stored without their location and other metadata.";
    FlUploadImage => "上传图片", "Upload an image";
    FlUploadImageHint => "JPEG 或 PNG 图片（最大 10 MB），上传后会去除位置等信息。", "A JPEG or PNG image (up to 10 MB), stored without its location and other metadata.";
    FlUploadMediaHint => "视频支持 MP4、WebM（最大 200 MB），文档支持 PDF（最大 20 MB）。", "Videos as MP4 or WebM (up to 200 MB), documents as PDF (up to 20 MB).";
    FlUploading(name: &str, percent: u32) => "正在上传 {name}：{percent}%", "Uploading {name}: {percent}%";
    FlChecking(name: &str) => "正在检查 {name}…", "Checking {name}…";
    FlUploaded(name: &str) => "已上传 {name}", "Uploaded {name}";
    FlFailed(name: &str, why: &str) => "{name} 未上传：{why}", "{name} was not uploaded: {why}";
    FlThumb(name: &str) => "照片：{name}", "Photo: {name}";
    FlOpen(name: &str) => "打开 {name}", "Open {name}";
}
