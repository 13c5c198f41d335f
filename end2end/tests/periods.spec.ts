import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// The committee office types a new assessment period's indicator tree in the browser:
// it starts from a copy of the current period, sees the weights' sum as it types, is told
// which rule a broken tree breaks (nothing typed is lost), adds a 二级 indicator, creates
// the period, and edits it again on the period's page while no task counts toward it.
// The period lies in 2019, before the demo's periods, so the newest period that other
// tests rely on stays the newest.

test("the office builds and edits a period's indicator tree in the browser", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/tasks/periods");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByText("新建考核期").click();
  const form = page.getByTestId("period-form");
  const editor = form.getByTestId("tree-editor");
  // The current period's tree is loaded: its first-level weights add up to 100.
  await expect(editor.getByTestId("tree-indicator").first()).toBeVisible();
  const indicators = await editor.getByTestId("tree-indicator").count();
  expect(indicators).toBeGreaterThan(1);
  const sum = editor.getByTestId("weight-sum");
  await expect(sum).toHaveText("一级指标权重合计 100 / 100");

  await form.getByLabel("名称", { exact: true }).fill("2019 年度支部考核（浏览器）");
  await form.getByLabel("开始日期").fill("2019-01-01");
  await form.getByLabel("结束日期").fill("2019-12-31");
  const first = editor.getByTestId("tree-indicator").first();
  const weight = first.getByTestId("indicator-weight");
  const original = await weight.inputValue();
  await weight.fill(String(Number(original) + 5));
  await expect(sum).toHaveText("一级指标权重合计 105 / 100");
  await first.getByTestId("add-item").click();
  const added = first.getByTestId("tree-item").last();
  await added.getByTestId("item-name").fill("医德医风建设");
  await added.getByTestId("item-max").fill("8");
  await added.getByTestId("item-guidance").fill("无投诉计满分");

  // Refused by the server with the rule; what was typed stays.
  await form.getByTestId("period-create").click();
  await expect(form.getByTestId("tree-error")).toHaveText("一级指标权重合计为 105，应为 100。");
  await expect(added.getByTestId("item-name")).toHaveValue("医德医风建设");
  await expect(form.getByLabel("名称", { exact: true })).toHaveValue("2019 年度支部考核（浏览器）");

  await weight.fill(original);
  await expect(sum).toHaveText("一级指标权重合计 100 / 100");
  await form.getByTestId("period-create").click();
  await expect(page).toHaveURL(/\/tasks\/periods\/p[0-9a-z]+$/);
  await expect(page.getByTestId("period-name")).toHaveText("2019 年度支部考核（浏览器）");
  const table = page.getByTestId("period-tree");
  await expect(table.getByRole("cell", { name: "医德医风建设" })).toBeVisible();
  await expect(table.getByRole("cell", { name: "无投诉计满分" })).toBeVisible();

  // No task counts toward it yet: the office can still change it, here by removing the
  // added item and renaming the period.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByText("修改考核期").click();
  const edit = page.getByTestId("period-edit");
  await edit.getByLabel("名称", { exact: true }).fill("2019 年度支部考核");
  await edit.getByRole("button", { name: "删除二级指标“医德医风建设”" }).click();
  await edit.getByTestId("period-save").click();
  await expect(page.getByTestId("period-name")).toHaveText("2019 年度支部考核");
  await expect(table.getByRole("cell", { name: "医德医风建设" })).toHaveCount(0);
});

test("a period with tasks offers no edit", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/tasks/periods/p2026");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("period-tree")).toBeVisible();
  await expect(page.getByTestId("period-edit")).toHaveCount(0);
  await expect(page.getByText("修改考核期")).toHaveCount(0);
});
