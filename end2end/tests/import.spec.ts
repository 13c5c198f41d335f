import { expect, test } from "@playwright/test";
import path from "node:path";
import { signIn } from "./support";

const FIXTURES = path.join(__dirname, "..", "fixtures");

test("the committee imports a roster with one bad row, sees the report, fixes it and imports", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/members/import");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("link", { name: "下载导入模板" })).toHaveAttribute("href", "/export/member-template.xlsx");
  // With script the upload goes through XMLHttpRequest (to show its progress), so the page
  // is never reloaded: this mark survives only if that path was taken.
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  const samePage = () => page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true);

  await page.getByLabel("选择 Excel 文件").setInputFiles(path.join(FIXTURES, "roster-bad.xlsx"));
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page).toHaveURL(/\/members\/import\?job=/);
  const problems = page.getByTestId("import-problems");
  await expect(problems.getByRole("row")).toHaveCount(2);
  await expect(problems.getByRole("row").nth(1)).toContainText("3");
  await expect(problems.getByRole("row").nth(1)).toContainText("手机号码");
  // Beside the problem, the value as it was read from the file.
  await expect(problems.getByRole("columnheader", { name: "读取到的值" })).toBeVisible();
  await expect(problems.getByRole("row").nth(1).getByRole("cell").last()).toHaveText("1370012");
  await expect(page.getByTestId("import-sheet")).toContainText("读取的工作表");
  await expect(page.getByRole("button", { name: "确认导入" })).toHaveCount(0);
  expect(await samePage()).toBe(true);

  await page.getByLabel("选择 Excel 文件").setInputFiles(path.join(FIXTURES, "roster-fixed.xlsx"));
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page.getByTestId("import-counts")).toContainText("问题 0");
  await page.getByRole("button", { name: "确认导入" }).click();
  await expect(page.getByTestId("import-done")).toContainText("已导入 3 名党员");
  expect(await samePage()).toBe(true);

  await page.goto("/members?q=卢晓");
  await expect(page.getByTestId("member-table")).toContainText("卢晓东");
});
