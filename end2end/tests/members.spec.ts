import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// 侯淑珍 is a member of the secretary's branch in the demo hospital (fixed seed).
const NAME = "侯淑珍";

test("a branch secretary finds a member by pinyin initials and updates the phone number", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "secretary");
  await page.goto("/members");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("member-counts")).toContainText("正式党员");

  await page.getByRole("searchbox", { name: "搜索" }).fill("hsz");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page).toHaveURL(/q=hsz/);
  const table = page.getByTestId("member-table");
  await expect(table.getByRole("link")).toHaveText([NAME]);
  await table.getByRole("link", { name: NAME }).click();
  await expect(page).toHaveURL(/\/members\/m\d+$/);

  await expect(page.getByTestId("member-name")).toHaveText(NAME);
  const phone = page.getByTestId("member-phone");
  await expect(phone).toContainText("****");

  await page.getByRole("textbox", { name: "新手机号码" }).fill("1381234");
  await page.getByRole("region", { name: "更新手机号码" }).getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("请输入 11 位大陆手机号码")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "新手机号码" })).toHaveValue("1381234");

  await page.getByRole("textbox", { name: "新手机号码" }).fill("13812345678");
  await page.getByLabel("变更原因（选填）").fill("本人换号");
  await page.getByRole("region", { name: "更新手机号码" }).getByRole("button", { name: "保存" }).click();
  await expect(phone).toHaveText("138****5678");
  await expect(page.getByRole("listitem").filter({ hasText: "本人换号" })).toBeVisible();

  // Showing the full number is an explicit (audited) action.
  await page.getByRole("button", { name: "显示完整" }).first().click();
  await expect(phone).toHaveText("13812345678");
});

test("a member has no roster but reaches their own record from it", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "member");
  await page.goto("/members");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("link", { name: "查看我的党员档案" }).click();
  await expect(page).toHaveURL(/\/members\/m\d+$/);
  await expect(page.getByTestId("member-name")).toBeVisible();
  await expect(page.getByTestId("member-id_number")).toContainText("********");
  // Correcting a record is the branch committee's: no link to it, and the address alone
  // shows why instead of a form whose save the server would refuse.
  await expect(page.getByTestId("edit-member")).toHaveCount(0);
  await page.goto(`${page.url()}/edit`);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("status").filter({ hasText: "您没有权限执行此操作。" })).toBeVisible();
  await expect(page.getByTestId("save-member")).toHaveCount(0);
});

test("a branch secretary corrects a record on its own screen and is brought back to it", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "secretary");
  await page.goto("/members?q=hsz");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("member-table").getByRole("link", { name: NAME }).click();
  await expect(page.getByTestId("member-name")).toHaveText(NAME);
  const record = page.url();

  await page.getByTestId("edit-member").click();
  await expect(page).toHaveURL(/\/members\/m\d+\/edit$/);
  await expect(page.getByTestId("editing-member")).toContainText(NAME);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  // A refusal names the field and keeps what was typed.
  await page.getByLabel("身份证号").fill("12345");
  await page.getByLabel("职称").fill("主任医师");
  await page.getByTestId("save-member").click();
  await expect(page.getByLabel("身份证号")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#mf-id_number-error")).not.toBeEmpty();
  await expect(page.getByLabel("职称")).toHaveValue("主任医师");
  await expect(page.getByLabel("身份证号")).toHaveValue("12345");

  await page.getByLabel("身份证号").fill("");
  await page.getByTestId("save-member").click();
  await expect(page).toHaveURL(record);
  await expect(page.locator("dd").filter({ hasText: "主任医师" })).toBeVisible();
});
