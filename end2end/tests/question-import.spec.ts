import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the secretary imports questions from the Excel template, then changes one and deletes one", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "secretary");
  // The template the page offers, filled as it comes (four example questions).
  const template = await page.request.get("/export/question-template.xlsx");
  expect(template.status()).toBe(200);
  const bytes = await template.body();

  await page.goto("/learning/bank");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const before = await page.getByTestId("bank-question").count();
  const card = page.getByTestId("question-import");
  await card.locator("summary").click();
  await expect(card.getByTestId("question-template")).toHaveAttribute("href", "/export/question-template.xlsx");
  await card.getByTestId("upload-input").setInputFiles({
    name: "题目.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: bytes,
  });
  await expect(card.getByTestId("question-import-file")).toContainText("题目.xlsx");
  await card.getByTestId("question-import-check").click();
  await expect(card.getByTestId("question-import-summary")).toHaveText("共 4 行，4 行可以导入。");
  await card.getByTestId("question-import-commit").click();
  await expect(card.getByTestId("question-import-done")).toHaveText("已导入 4 道题。");
  // The bank's list shows them without reloading.
  await expect(page.getByTestId("bank-question")).toHaveCount(Math.min(before + 4, 50));
  await expect(page.getByTestId("bank-list")).toContainText("党的根本宗旨是全心全意为人民____。");

  // A question changed in place: its answer, then the list shows it.
  const fill = page.getByTestId("bank-question").filter({ hasText: "党的根本宗旨" });
  await fill.getByTestId("question-edit").click();
  const form = fill.getByTestId("question-form");
  await expect(form.getByLabel("题干")).toHaveValue("党的根本宗旨是全心全意为人民____。");
  await form.getByLabel("答案", { exact: true }).fill("服务|为人民服务");
  await form.getByRole("button", { name: "保存题目" }).click();
  await expect(page.getByTestId("bank-question").filter({ hasText: "党的根本宗旨" })).toContainText("服务|为人民服务");

  // A question deleted, after confirming.
  const judge = page.getByTestId("bank-question").filter({ hasText: "预备党员的预备期为一年" });
  await expect(judge).toHaveCount(1);
  await judge.getByTestId("question-delete").getByRole("button", { name: "删除" }).click();
  await expect(judge.getByRole("alertdialog")).toBeVisible();
  await judge.getByTestId("question-delete-confirm").click();
  await expect(page.getByTestId("bank-question").filter({ hasText: "预备党员的预备期为一年" })).toHaveCount(0);
});
