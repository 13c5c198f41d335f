import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/** `days` from today as the date input takes it. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("a secretary sees the branch's completion, sets required learning for the branch in one screen and withdraws it", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "secretary");
  await page.goto("/learning");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("required-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("必学任务");

  // The committee's quiz required of the branch, overdue: who has not passed it.
  const set = page.getByTestId("required-set");
  await expect(set).toContainText("党章知识小测（必考）");
  await set.getByRole("link", { name: "党章知识小测（必考）" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("党章知识小测（必考）");
  // (The quiz journey, quiz.spec.ts, may have passed it for one member already.)
  await expect(page.getByTestId("required-total")).toContainText(/已完成 [01]\/\d+/);
  await expect(page.getByTestId("required-member").first()).toContainText("已逾期");
  // The committee set it: the branch sees it, and changes nothing of it.
  await expect(page.getByTestId("required-edit")).toHaveCount(0);

  // A new requirement: what, for whom (the branch, chosen already) and by when.
  await page.goto("/learning/required");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const form = page.getByTestId("required-form");
  await form.getByLabel("学习内容").selectOption({ index: 1 });
  await form.getByLabel("名称（留空则用课程或测验名称）").fill("支部冬季必学");
  // A deadline in the past is refused, and what was typed stays.
  await form.getByLabel("截止日期").fill(dayFromNow(-2));
  await form.getByRole("button", { name: "布置" }).click();
  await expect(form.getByText("截止日期不能早于今天。")).toBeVisible();
  await expect(form.getByLabel("名称（留空则用课程或测验名称）")).toHaveValue("支部冬季必学");
  await form.getByLabel("截止日期").fill(dayFromNow(7));
  await form.getByRole("button", { name: "布置" }).click();
  await expect(form.getByRole("status")).toContainText("已布置。");
  await expect(set).toContainText("支部冬季必学");

  // Its completion, then withdrawn after confirming.
  await set.getByRole("link", { name: "支部冬季必学" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("支部冬季必学");
  await expect(page.getByTestId("required-total")).toContainText("已完成");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "撤销必学" }).click();
  await page.getByTestId("required-withdraw").click();
  await expect(page).toHaveURL(/\/learning\/required$/);
  await expect(page.getByTestId("required-set")).not.toContainText("支部冬季必学");
});

test("a secretary sets required learning for one member, found by name, and withdraws it", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "secretary");
  // A member of the branch, by the roster's first name.
  await page.goto("/members");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const name = (await page.getByTestId("member-table").getByRole("link").first().textContent())!.trim();

  await page.goto("/learning/required");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const form = page.getByTestId("required-form");
  await form.getByLabel("学习内容").selectOption({ index: 1 });
  await form.getByLabel("名称（留空则用课程或测验名称）").fill("预备党员专项必学");
  // Members alone: the branch, chosen by default, is unchecked.
  for (const box of await form.locator("input[type=checkbox]:checked").all()) {
    await box.uncheck();
  }
  const picker = form.getByTestId("required-member-picker");
  await picker.getByLabel("党员姓名或拼音首字母").fill(name);
  await picker.getByLabel("党员姓名或拼音首字母").press("Enter");
  const pick = picker.getByTestId("required-member-candidates").getByRole("button").first();
  await expect(pick).toContainText(name);
  const label = (await pick.textContent())!.trim();
  await pick.click();
  await expect(picker.getByTestId("required-members-picked")).toContainText(label);
  await form.getByLabel("截止日期").fill(dayFromNow(7));
  await form.getByRole("button", { name: "布置" }).click();
  await expect(form.getByRole("status")).toContainText("已布置。");

  // Its page names the member, and counts one.
  const set = page.getByTestId("required-set");
  await set.getByRole("link", { name: "预备党员专项必学" }).click();
  await expect(page.getByTestId("required-named")).toContainText(name);
  await expect(page.getByTestId("required-total")).toContainText(/已完成 [01]\/1/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "撤销必学" }).click();
  await page.getByTestId("required-withdraw").click();
  await expect(page).toHaveURL(/\/learning\/required$/);
});

test("a member sees what is required of them and goes to it", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "member");
  await page.goto("/learning/required");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const mine = page.getByTestId("required-mine-row");
  await expect(mine).toHaveCount(2);
  // Not done first: the hospital's course, due in ten days, is not done; the branch's
  // quiz is overdue, or done late when the quiz journey (quiz.spec.ts) passed it.
  const course = mine.filter({ hasText: "学习贯彻党的二十大精神（必学）" });
  await expect(course).toContainText("未完成");
  const quiz = mine.filter({ hasText: "党章知识小测（必考）" });
  await expect(quiz).toContainText("逾期");
  await quiz.getByRole("link", { name: "党章知识小测（必考）" }).click();
  await expect(page).toHaveURL(/\/learning\/exams\/exdemo1$/);
});
