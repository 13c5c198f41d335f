import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the secretary imports questions from the Excel template: checked, then all at once", async ({ page, baseURL }) => {
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
});
