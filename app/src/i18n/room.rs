//! Meeting rooms and their tablets (issue 14): the committee office's `/rooms` page, the
//! meeting-room tablet (`/tablet`: pairing, the day's meetings, sign-in by PIN, sign-ins
//! kept on the tablet while the network is down) and the member's own PIN
//! (`/account/pin`).

texts! {
    RmRooms => "会议室与平板", "Meeting rooms and tablets";
    RmIntro => "登记会议室，并把会议室门口的平板与会议室配对。配对后的平板只显示本会议室当天的会议，供参会党员输入签到 PIN 签到。", "Register the meeting rooms and pair each room's tablet with its room. A paired tablet shows only its room's meetings of the day, where attendees sign in with their PIN.";
    RmListHeading => "已登记的会议室", "Registered rooms";
    RmCaption => "会议室及已配对的平板", "Meeting rooms and their paired tablets";
    RmName => "会议室名称", "Room name";
    RmLocation => "位置", "Location";
    RmTablets => "已配对平板", "Paired tablets";
    RmEmpty => "尚未登记会议室。请先在下方登记会议室，再配对平板。", "No meeting room is registered yet. Register one below, then pair its tablet.";
    RmNoTablets => "暂无平板", "No tablet";
    RmUnnamedTablet => "未命名平板", "Unnamed tablet";
    RmPairedAt(at: &str, by: &str) => "{at} 由 {by} 配对", "Paired {at} by {by}";
    RmPairedOn(at: &str) => "{at} 配对", "Paired {at}";
    RmLastSeen(at: &str) => "最近在线 {at}", "Last seen {at}";
    RmNeverSeen => "尚未上线", "Not seen yet";
    RmRevoke => "撤销", "Revoke";
    RmConfirmRevoke(tablet: &str, room: &str) => "撤销“{room}”的平板“{tablet}”？撤销后该平板须重新配对才能使用。", "Revoke the tablet “{tablet}” of {room}? It must be paired again before it can be used.";
    RmRevoked => "已撤销该平板。", "The tablet is revoked.";
    RmNewRoom => "登记会议室", "Register a room";
    RmNameHint => "例如：党员活动室", "For example: Party members' room";
    RmLocationHint => "例如：行政楼三楼", "For example: administration building, 3rd floor";
    RmRegister => "登记", "Register";
    RmRegistered => "会议室已登记。", "The room is registered.";
    RmPairHeading => "配对平板", "Pair a tablet";
    RmPairIntro(minutes: i64) => "在会议室平板上打开“会议室平板”页面，平板会显示 6 位配对码（{minutes} 分钟内有效）。选择会议室，输入该配对码即可完成配对。", "Open the meeting-room tablet page on the tablet: it shows a 6-digit pairing code, valid for {minutes} minutes. Choose the room and enter that code.";
    RmPairRoom => "会议室", "Room";
    RmChooseRoom => "请选择会议室", "Choose a room";
    RmNoRoomToPair => "请先登记会议室，再配对平板。", "Register a room first, then pair its tablet.";
    RmCode => "配对码", "Pairing code";
    RmLabel => "平板名称（选填）", "Tablet name (optional)";
    RmLabelHint => "例如：三楼会议室门口", "For example: by the 3rd-floor room's door";
    RmPair => "配对", "Pair";
    RmPaired => "配对成功，平板将在几秒内自动进入本会议室的签到页面。", "Paired. Within a few seconds the tablet shows the room's sign-in page.";
}

// The tablet.
texts! {
    RmTabletPairTitle => "配对本平板", "Pair this tablet";
    RmPairCodeSpoken(digits: &str) => "配对码 {digits}", "Pairing code {digits}";
    RmPairAsk => "请联系党委组织部在“会议室与平板”页面输入此配对码", "Ask the Party committee's organisation department to enter this code on the “Meeting rooms and tablets” page";
    RmPairUntil(until: &str) => "配对码 {until} 前有效，过期后自动更换。", "The code is valid until {until}; a new one appears when it expires.";
    RmPairWaiting => "配对完成后，本页面将自动显示本会议室今天的会议。", "Once paired, this screen shows the room's meetings of the day by itself.";
    RmConnecting => "正在连接服务器…", "Connecting to the server…";
    RmOffline => "网络连接中断，正在自动重试。签到会先保存在本机。", "The network is down; retrying. Sign-ins are kept on this tablet meanwhile.";
    RmToday(day: &str) => "今天 {day}", "Today, {day}";
    RmNoMeetingsToday => "今天本会议室没有安排会议", "No meeting is scheduled in this room today";
    RmMeetingsToday => "今天的会议", "Today's meetings";
    RmTimeUnset => "时间待定", "Time not set";
    RmCountSigned => "已签到", "Signed in";
    RmCountExpected => "应到", "expected";
    RmTapName => "请点击您的姓名，输入签到 PIN 完成签到", "Tap your name and enter your PIN to sign in";
    RmPresentMark => "已签到", "Signed in";
    RmQueuedMark => "待上传", "Waiting to upload";
    RmQrLabel => "本次会议签到二维码", "QR code to sign in to this meeting";
    RmQrCaption => "也可用手机扫码，登录后签到", "Or scan this with your phone, sign in and tap Sign in";
    RmUsePhone => "未设置 PIN：请用手机扫码签到", "No PIN: sign in on your phone";
    RmPinTitle(name: &str) => "{name}，请输入签到 PIN", "{name}, enter your PIN";
    RmPinTyped(n: usize) => "已输入 {n} 位", "{n} digits entered";
    RmKeyClear => "清除", "Clear";
    RmKeyBack => "删除一位", "Delete one digit";
    RmSignedIn(name: &str) => "{name} 签到成功", "{name} signed in";
    RmQueuedFlash(name: &str) => "{name} 的签到已保存在本机，网络恢复后自动上传", "{name}'s sign-in is kept on this tablet and uploads once the network is back";
    RmQueueCount(n: usize) => "{n} 条签到待上传", "{n} sign-ins waiting to upload";
    RmRefused(name: &str, reason: &str) => "{name} 的签到未被接受：{reason}", "{name}'s sign-in was not accepted: {reason}";
}

// The member's own PIN.
texts! {
    RmPinPage => "签到 PIN", "Sign-in PIN";
    RmPinExplain => "签到 PIN 在会议室平板上签到时输入，4–6 位数字，不要使用 1234、0000 这类容易猜到的数字。", "You type your sign-in PIN at a meeting-room tablet to sign in: 4 to 6 digits. Avoid easy guesses such as 1234 or 0000.";
    RmPinIsSet => "您已设置签到 PIN。再次设置将替换原来的 PIN。", "You have a sign-in PIN. Setting a new one replaces it.";
    RmPinNotSet => "您尚未设置签到 PIN，暂时无法在会议室平板上签到（仍可用手机扫描平板上的二维码签到）。", "You have no sign-in PIN yet, so you cannot sign in at a meeting-room tablet (you can still sign in by phone).";
    RmPinNew => "新 PIN", "New PIN";
    RmPinAgain => "再次输入 PIN", "Enter the PIN again";
    RmPinMismatch => "两次输入的 PIN 不一致。", "The two PINs differ.";
    RmPinShape => "PIN 须为 4–6 位数字。", "The PIN must be 4 to 6 digits.";
    RmPinSave => "保存 PIN", "Save the PIN";
    RmPinSaved => "签到 PIN 已保存。", "Your PIN is saved.";
}
