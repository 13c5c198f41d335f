import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a member takes the required course's quiz: questions without keys, a warning for unanswered ones, then the score and the review", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "member");
  await page.goto("/learning/courses/csdemo1");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("course-exams").getByRole("link", { name: "党章知识小测" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("党章知识小测");
  await expect(page.getByTestId("exam-meta")).toContainText("共 5 题");
  await expect(page.getByTestId("exam-meta")).toContainText("60 分及格");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("exam-start").click();

  // Five questions of the bank's 党章 tag, none answered yet.
  await expect(page).toHaveURL(/\/learning\/attempts\//);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const questions = page.getByTestId("exam-question");
  await expect(questions).toHaveCount(5);
  await expect(page.getByTestId("exam-timer")).toHaveCount(0);

  // Submitting with questions open asks first.
  await page.getByTestId("exam-submit").click();
  await expect(page.getByTestId("exam-unanswered")).toContainText("还有 5 题未作答");

  // Every question answered: the first option of a choice, a word in a blank.
  for (let i = 0; i < 5; i++) {
    const q = questions.nth(i);
    const text = q.locator("input[type=text]");
    if ((await text.count()) > 0) {
      await text.fill("中央委员会");
    } else {
      await q.locator("label.exam-option").first().click();
    }
  }
  await page.getByTestId("exam-submit").click();

  // The score and each question's review, with the keys now shown.
  const result = page.getByTestId("exam-result");
  await expect(result).toBeVisible();
  await expect(result).toContainText("分");
  await expect(page.getByTestId("exam-reviewed")).toHaveCount(5);
  await expect(page.getByTestId("exam-form")).toBeHidden();

  // The exam's page lists the attempt with its score.
  await page.getByRole("link", { name: "测验", exact: true }).click();
  await expect(page.getByTestId("exam-attempts")).toContainText("分");
});

test("the office sees who took an exam and changes it in place", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/learning/exams/exdemo2");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("exam-meta")).toContainText("80 分及格");
  // The editor's view of the members' results: a table, or the empty state.
  const results = page.getByRole("region", { name: "党员作答情况" });
  await expect(results).toBeVisible();

  // 修改测验: the form is filled in as saved (its draws too); the page reads the change.
  await page.getByTestId("exam-edit").locator("summary").click();
  const form = page.getByTestId("exam-form-edit");
  await expect(form.getByLabel("测验名称")).toHaveValue("年度党内法规知识测试");
  await expect(form.getByLabel("限时")).toHaveValue("10");
  await form.getByLabel("及格分").fill("85");
  await form.getByRole("button", { name: "保存修改" }).click();
  await expect(page.getByTestId("exam-meta")).toContainText("85 分及格");
});
