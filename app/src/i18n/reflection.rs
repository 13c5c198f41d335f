//! The yearly learning-reflection exchange (学习心得交流, issue 15).

texts! {
    RfTitle => "学习心得交流", "Learning reflections";
    RfHint => "每位党员每年撰写一篇学习心得；支部选出部分在本支部交流。不评分、不排名。", "Each member writes one reflection a year; the branch selects some to share with the branch. Nothing is scored or ranked.";
    RfMine(y: i32) => "我的 {y} 年学习心得", "My reflection for {y}";
    RfName => "标题", "Title";
    RfBody => "正文", "Text";
    RfBodyHint => "20–5000 字，可分段。", "20 to 5,000 characters; paragraphs are kept.";
    RfSave => "保存心得", "Save";
    RfSaved => "已保存。", "Saved.";
    RfIsShared => "已被支部选为交流", "Shared with the branch";
    RfNoMember => "本账号没有关联党员档案，不撰写学习心得。", "This account has no member record and writes no reflection.";
    RfShared => "支部交流", "Shared in the branch";
    RfSharedEmpty => "支部还没有选出交流的心得。", "The branch has not shared any reflection yet.";
    RfInReach(y: i32) => "{y} 年党员学习心得", "Members' reflections, {y}";
    RfInReachEmpty => "今年还没有党员提交学习心得。", "No member has written a reflection this year.";
    RfShare => "选为交流", "Share";
    RfUnshare => "取消交流", "Stop sharing";
    RfBy(n: &str, o: &str) => "{n} · {o}", "{n} · {o}";
    RfErrTitle => "请填写标题（不超过 60 字）。", "Enter a title (at most 60 characters).";
    RfErrBody => "正文需 20–5000 字。", "The text needs 20 to 5,000 characters.";
    RfErrNoMember => "本账号没有关联党员档案。", "This account has no member record.";
    RfErrWhich => "请指明学习心得。", "Say which reflection.";
    RfLink => "学习心得", "Reflections";
}
