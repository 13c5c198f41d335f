//! `transfer`: membership transfers (`/transfers`) and the introduction letter.

texts! {
    TrKindUnknown => "请选择转接类型（院内或转出本院）。", "Choose the kind of transfer (within or out of the hospital).";
    TrTargetInvalid => "请选择接收党员的其他党支部。", "Choose another branch to receive the member.";
    TrOutsideMissing => "请填写对方党组织名称。", "Enter the name of the other Party organisation.";
    TrDuesInvalid => "党费交至须为年月（如 2026-10），且不晚于下个月。", "Dues paid to must be a month (e.g. 2026-10), not after next month.";
    TrValidityInvalid => "有效期为 1–90 天。", "Validity is 1–90 days.";
    TrBusy => "该党员不在籍或已有未办结的转接。", "This member is not in good standing or already has an open transfer.";
    TrActionInvalid => "该转接当前不能办理此项。", "This action does not apply to the transfer now.";
    TrPending => "待接收", "Awaiting acceptance";
    TrAccepted => "已接收", "Accepted";
    TrRejected => "已退回", "Rejected";
    TrIssued => "已开具介绍信", "Letter issued";
    TrReceived => "回执已收到", "Receipt returned";
    TrCancelled => "已撤销", "Cancelled";
    TrCompleted => "已办结", "Completed";
    TrTitle => "组织关系转接", "Transfers";
    TrEmpty => "暂无转接记录。", "No transfers yet.";
    TrLetterNo => "介绍信编号", "Letter no.";
    TrFrom => "转出组织", "From";
    TrTo => "接收组织", "To";
    TrNext => "办理", "Actions";
    TrAccept => "接收", "Accept";
    TrReject => "退回", "Reject";
    TrReceipt => "确认回执", "Confirm receipt";
    TrCancel => "撤销", "Cancel";
    TrExpired => "已超过有效期", "Expired";
    TrLetter => "组织关系介绍信", "Introduction letter";
    TrLetterTitle => "中国共产党党员组织关系介绍信", "Letter of introduction of a Party member";
    TrStub => "存根", "Stub";
    TrReceiptTitle => "回执", "Receipt";
    TrLetterBody(to: &str, who: &str, dues: &str, until: &str) => "{to}：\n{who} 同志的党员组织关系由我处转去，请接洽。党费交至 {dues}，有效期至 {until}。", "To {to}:\n{who}: the Party membership relation of this comrade is transferred to you; please receive it. Dues are paid to {dues}; this letter is valid until {until}.";
    TrDues => "党费交至", "Dues paid to";
    TrReceiptBody(to: &str, who: &str) => "{to}：\n{who} 同志的组织关系已转达我处，特此回执。", "To {to}:\n{who}: the membership relation has reached us; this is the receipt.";
    TrPrint => "打印", "Print";
    TrStart => "组织关系转接", "Transfer membership";
    TrKind => "转接类型", "Kind";
    TrInternal => "院内转接（转至本院其他党支部）", "Within the hospital (another branch)";
    TrOutbound => "转出本院（开具介绍信）", "Out of the hospital (letter)";
    TrToBranch => "接收党支部（院内转接）", "Receiving branch (within the hospital)";
    TrOutside => "接收党组织名称（转出本院）", "Receiving Party organisation (out of the hospital)";
    TrValidDays => "有效期（天）", "Valid for (days)";
    TrStarted => "已发起转接。", "Transfer started.";
    TrSeal => "（盖章）", "(Seal)";
    TrDateBlank => "年　　月　　日", "Date:";
    TrSubmit => "发起转接", "Start the transfer";
}
