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

  // Minutes: submitted, then approved; approved minutes are shown, not edited.
  await secretary.getByTestId("minutes-text").fill("一、重温入党誓词。\n二、交流发言。");
  await secretary.getByTestId("minutes-submit").click();
  await expect(secretary.getByTestId("minutes-state")).toHaveText("待审核");
  await secretary.getByTestId("approve-minutes").click();
  await expect(secretary.getByTestId("minutes-state")).toHaveText("已审核");
  await expect(secretary.locator("textarea[data-testid=minutes-text]")).toHaveCount(0);
  await expect(secretary.getByTestId("minutes-text")).toContainText("重温入党誓词");
  await expect(secretary.getByText("审核人：secretary")).toBeVisible();
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
  // Printed: the shell is hidden, each meeting starts a page.
  await secretary.emulateMedia({ media: "print" });
  await expect(secretary.getByRole("navigation", { name: "主导航" })).toBeHidden();
  await expect(entries.nth(1)).toHaveCSS("break-before", "page");
  await secretary.screenshot({ path: "test-results/meetings-ledger-print.png", fullPage: false });
});
