//! Meeting rooms, tablets and PINs: what the server answers (`service::room`) and the
//! projector view (`http::meeting`).

texts! {
    TbErrRoomName => "请填写会议室名称（50 字以内）。", "Enter the room's name (at most 50 characters).";
    TbErrRoomLocation => "位置说明不超过 100 字。", "The location is at most 100 characters.";
    TbErrRoomTaken => "已有同名会议室。", "A room of that name exists already.";
    TbErrRoom => "请选择会议室。", "Choose a room.";
    TbErrCode => "配对码是平板上显示的 6 位数字。", "The pairing code is the six digits the tablet shows.";
    TbErrCodeUnknown => "没有平板在等待这个配对码，或配对码已过期（10 分钟有效）。请核对平板上的数字。", "No tablet waits with that code, or it has expired (codes last 10 minutes). Check the digits on the tablet.";
    TbErrNoPin => "您还没有设置签到 PIN，请用手机扫描平板上的二维码签到，或由记录人登记。", "No sign-in PIN is set: sign in by phone, or ask the recorder.";
    TbErrPinLocked(minutes: i64) => "PIN 连续输错 5 次，已锁定，请 {minutes} 分钟后再试，或用手机扫码签到。", "Five wrong PINs in a row: locked. Try again in {minutes} minutes, or sign in by phone.";
    TbErrPinWrong(left: i64) => "PIN 不正确，还可以再试 {left} 次。", "Wrong PIN; {left} tries left.";
    TbErrNotMember => "只有党员账号可以设置签到 PIN。", "Only a member's account can set a sign-in PIN.";
    TbErrPinShape => "PIN 为 4–6 位数字。", "A PIN is 4 to 6 digits.";
    TbErrPinGuessable => "请不要使用 1234、0000 这类容易猜到的数字。", "Avoid easily guessed PINs such as 1234 or 0000.";
    TbScreenCount(present: u32, expected: u32) => "已签到 {present} / 应到 {expected}", "Signed in {present} of {expected}";
    TbScreenLeave(n: u32) => "请假 {n} 人", "{n} on leave";
    TbScreenCountJs => "已签到 {p} / 应到 {e}", "Signed in {p} of {e}";
    TbScreenLeaveJs => "请假 {n} 人", "{n} on leave";
    TbScreenNames => "已签到", "Signed in";
    TbScreenLive => "实时更新", "Live";
    TbScreenOffline => "连接中断，正在重连…", "Connection lost; reconnecting…";
}
