import path from "path";
import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a secretary schedules a meeting, a member signs in by phone, the minutes are approved", async ({ browser, baseURL }) => {
  // The branch's year: where each rule stands, and the meetings held.
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/meetings?org=o0003");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(secretary.getByTestId("compliance")).toContainText("支部委员会");
  await expect(secretary.getByTestId("meeting-table").getByRole("row").nth(1)).toBeVisible();

  // Schedule a themed day today: the organisation is preselected, the day defaults to today.
  await secretary.getByRole("link", { name: "安排会议" }).click();
  await expect(secretary.getByTestId("meeting-form")).toBeVisible();
  await secretary.getByLabel("会议类型").selectOption({ label: "主题党日" });
  const topic = `端到端主题党日 ${Date.now()}`;
  await secretary.getByLabel("会议主题").fill(topic);
  await secretary.getByLabel("开始时间").fill("14:30");
  await secretary.getByTestId("meeting-save").click();
  await expect(secretary.getByTestId("meeting-topic")).toHaveText(topic);
  await expect(secretary.getByTestId("tally")).toContainText("出席 0");
  const url = secretary.url();

  // A member opens the same page on a phone and signs in: the line turns present.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone.request, baseURL!, "member");
  await phone.goto(url);
  await expect(phone.locator("body")).toHaveAttribute("data-hydrated", "true");
  await phone.getByRole("button", { name: "签到" }).click();
  await expect(phone.getByTestId("attendance-table")).toContainText("出席");
  await expect(phone.getByTestId("tally")).toContainText("出席 1");
  await expect(phone.getByTestId("sign-in")).toHaveCount(0);

  // The recorder marks someone on leave, with the reason.
  await secretary.reload();
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(secretary.getByTestId("tally")).toContainText("出席 1");
  const unmarked = secretary.getByTestId("attendance-table").getByRole("row").filter({ hasText: "未登记" }).first();
  await unmarked.getByRole("button", { name: "请假", exact: true }).click();
  await secretary.getByRole("alertdialog").getByLabel("原因").fill("手术");
  await secretary.getByRole("alertdialog").getByRole("button", { name: "登记请假" }).click();
  await expect(secretary.getByTestId("tally")).toContainText("请假 1");

  // A photo of the meeting, uploaded on the same page and saved with the minutes.
  const files = secretary.getByTestId("minutes-files");
  await files.getByLabel("上传文件或照片").setInputFiles(path.join(__dirname, "..", "fixtures", "photo.png"));
  await expect(files.getByTestId("uploads")).toContainText("已上传 photo.png");
  await expect(files.getByText("附件有更改尚未保存")).toBeVisible();
  await files.getByTestId("minutes-files-save").click();
  await expect(secretary.getByTestId("minutes-files").getByRole("status").filter({ hasText: "附件已保存" })).toBeVisible();
  await expect(secretary.getByTestId("minutes-files").getByRole("img", { name: /photo\.png/ })).toBeVisible();

  // Minutes: submitted, then approved; approved minutes are shown, not edited.
  await secretary.getByTestId("minutes-text").fill("一、重温入党誓词。\n二、交流发言。");
  await secretary.getByTestId("minutes-submit").click();
  await expect(secretary.getByTestId("minutes-state")).toHaveText("待审核");
  await secretary.getByTestId("approve-minutes").click();
  await expect(secretary.getByTestId("minutes-state")).toHaveText("已审核");
  await expect(secretary.locator("textarea[data-testid=minutes-text]")).toHaveCount(0);
  await expect(secretary.getByTestId("minutes-text")).toContainText("重温入党誓词");
  await expect(secretary.getByText("审核人：secretary")).toBeVisible();
  // Approved minutes keep their photo, no longer editable.
  await expect(secretary.getByTestId("minutes-files").getByRole("img", { name: /photo\.png/ })).toBeVisible();
  await expect(secretary.getByTestId("minutes-files-save")).toHaveCount(0);
});

test("the committee reads the compliance grid and a secretary prints the branch's 台账", async ({ browser, baseURL }) => {
  const office = await browser.newPage();
  await signIn(office.request, baseURL!, "office");
  await office.goto("/meetings/grid");
  await expect(office.locator("body")).toHaveAttribute("data-hydrated", "true");
  const grid = office.getByTestId("compliance-grid");
  // Every branch has a row of twelve months; a month's words do not rely on colour.
  await expect(grid.getByRole("row").filter({ hasText: "肿瘤内科第一党支部" })).toHaveCount(1);
  await expect(grid.getByRole("row").nth(1).getByRole("cell")).toHaveCount(12);
  await expect(grid.getByText(/已完成|已逾期|即将到期/).first()).toBeAttached();
  await office.screenshot({ path: "test-results/meetings-grid.png", fullPage: false });
  // Under the grid, the office sets the rules: a bad value is refused and kept as typed;
  // a good one is saved and read back (then the default is restored for the other tests).
  const rules = office.getByTestId("meeting-rules");
  await expect(rules).toContainText("平台默认规则");
  await expect(rules.getByTestId("rule-frequency")).toHaveCount(6);
  const warn = rules.getByLabel("到期前提醒天数");
  await expect(warn).toHaveValue("7");
  await warn.fill("40");
  await rules.getByTestId("rules-save").click();
  await expect(rules.getByRole("alert").filter({ hasText: "1 至 31" }).first()).toBeVisible();
  await expect(warn).toHaveValue("40");
  await warn.fill("10");
  await rules.getByTestId("rules-save").click();
  await expect(rules.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await expect(rules).toContainText("由 office 设置");
  await office.reload();
  await expect(office.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(office.getByTestId("meeting-rules").getByLabel("到期前提醒天数")).toHaveValue("10");
  await office.getByTestId("meeting-rules").getByLabel("到期前提醒天数").fill("7");
  await office.getByTestId("meeting-rules").getByTestId("rules-save").click();
  await expect(office.getByTestId("meeting-rules").getByRole("status").filter({ hasText: "已保存" })).toBeVisible();

  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/meetings");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  // The secretary reaches one branch: its standing shows without choosing it.
  await expect(secretary.getByTestId("compliance")).toContainText("主题党日");
  await secretary.goto("/meetings/ledger?org=o0003");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  const ledger = secretary.getByTestId("ledger");
  await expect(ledger).toContainText("肿瘤内科第一党支部");
  await expect(ledger).toContainText("年度组织生活台账");
  const entries = ledger.getByTestId("ledger-entry");
  expect(await entries.count()).toBeGreaterThan(5);
  await expect(entries.first()).toContainText("出席");
  // The same ledger as Excel, one click away; the export button is not printed.
  const exportLink = secretary.getByTestId("ledger-export");
  await expect(exportLink).toHaveText("导出 Excel");
  const [download] = await Promise.all([secretary.waitForEvent("download"), exportLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^ledger-\d{8}-\d{6}\.xlsx$/);
  // Printed: the shell is hidden, each meeting starts a page.
  await secretary.emulateMedia({ media: "print" });
  await expect(secretary.getByRole("navigation", { name: "主导航" })).toBeHidden();
  await expect(entries.nth(1)).toHaveCSS("break-before", "page");
  await expect(exportLink).toBeHidden();
  await secretary.screenshot({ path: "test-results/meetings-ledger-print.png", fullPage: false });
});

test("a member asks for leave from the next 党课 and the secretary approves it from the 待办", async ({ browser, baseURL }) => {
  // The member: 工作台 → the meeting (in the 待办 as a meeting to attend) → 请假.
  const member = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(member.request, baseURL!, "member");
  await member.goto("/workbench");
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  const lesson = member.getByTestId("inbox-table").getByRole("row").filter({ hasText: "党课" }).first();
  await lesson.getByRole("link").click();
  await member.waitForURL(/\/meetings\/mt/);
  await expect(member.getByTestId("meeting-topic")).toBeVisible();
  const path = new URL(member.url()).pathname;
  const box = member.getByTestId("leave-request");
  await box.getByLabel("原因").fill("门诊值班");
  await member.getByTestId("request-leave").click();
  await expect(member.getByTestId("leave-state")).toContainText("待审批");
  await expect(member.getByTestId("leave-state")).toContainText("门诊值班");
  // Asking again while it waits replaces the reason.
  await box.getByLabel("原因").fill("外院会诊");
  await member.getByTestId("request-leave").click();
  await expect(member.getByTestId("leave-state")).toContainText("外院会诊");

  // The secretary: 工作台 (待审批请假) → the meeting → 批准请假: two screens.
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/workbench");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  const item = secretary.getByTestId("inbox-table").getByRole("row").filter({ hasText: "待审批请假" }).filter({ has: secretary.locator(`a[href="${path}"]`) });
  await expect(item.first()).toBeVisible();
  await item.first().locator(`a[href="${path}"]`).click();
  await secretary.waitForURL((url) => url.pathname === path);
  await expect(secretary.getByTestId("meeting-topic")).toBeVisible();
  const row = secretary.getByTestId("attendance-table").getByRole("row").filter({ hasText: "外院会诊" });
  await expect(row).toContainText("待审批");
  // The waiting requests, each with its two answers, below the table.
  const asked = secretary.getByTestId("leave-approvals").getByRole("listitem").filter({ hasText: "外院会诊" });
  await asked.getByTestId("approve-leave").click();
  await expect(secretary.getByTestId("leave-approvals").getByRole("listitem").filter({ hasText: "外院会诊" })).toHaveCount(0);
  await expect(row).toContainText("请假");
  await expect(row).not.toContainText("待审批");
  await expect(secretary.getByTestId("tally")).toContainText(/请假 [1-9]/);

  // The member sees the decision; the request can no longer change.
  await member.reload();
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(member.getByTestId("leave-state")).toContainText("已批准");
  await expect(member.getByTestId("request-leave")).toHaveCount(0);

  // The secretary names another recorder on the same page (folded away until asked for).
  const editor = secretary.getByTestId("people-editor");
  await editor.locator("summary").click();
  const recorder = editor.getByLabel("记录人");
  const names = (await recorder.locator("option").allTextContents()).filter((n) => n !== "无");
  const pick = names[names.length - 1];
  await recorder.selectOption({ label: pick });
  await expect(editor.getByRole("checkbox").first()).toBeVisible();
  await editor.getByTestId("people-save").click();
  await expect(secretary.locator("dl.detail-grid")).toContainText(`记录人${pick}`);
});
