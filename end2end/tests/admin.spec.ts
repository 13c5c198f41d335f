import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the system administrator creates an account; its owner must replace the one-time password first", async ({
  page,
  browser,
  baseURL,
}) => {
  const username = `e2e.${Date.now()}`;
  await signIn(page.request, baseURL!, "sysadmin");
  await page.goto("/admin/accounts");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1, name: "账号管理" })).toBeVisible();

  const create = page.locator("section", { has: page.getByRole("heading", { name: "新建账号" }) });
  await create.getByLabel("账号").fill("x");
  await create.getByLabel("姓名").fill("测试用户");
  await create.getByRole("button", { name: "创建账号" }).click();
  await expect(create.getByRole("alert").first()).toContainText("2–64");
  await expect(create.getByLabel("姓名")).toHaveValue("测试用户");

  await create.getByLabel("账号").fill(username);
  await create.getByRole("checkbox", { name: "党员" }).check();
  await create.getByRole("button", { name: "创建账号" }).click();
  const issued = page.getByTestId("issued-password");
  await expect(issued).toContainText(username);
  const password = (await issued.locator("code").textContent())!.trim();
  expect(password.length).toBe(12);

  // The owner signs in with it and can do nothing before choosing a new password.
  const context = await browser.newContext();
  const owner = await context.newPage();
  await owner.goto("/login");
  await owner.getByLabel("账号").fill(username);
  await owner.getByLabel("密码").fill(password);
  await owner.getByRole("button", { name: "登录" }).click();
  await expect(owner).toHaveURL(/\/account\/password$/);
  await expect(owner.getByRole("status").filter({ hasText: "请先设置新密码" })).toBeVisible();
  await owner.goto("/org");
  await expect(owner).toHaveURL(/\/account\/password$/);

  await expect(owner.locator("body")).toHaveAttribute("data-hydrated", "true");
  await owner.getByLabel("当前密码").fill(password);
  await owner.getByLabel("新密码", { exact: true }).fill("short");
  await owner.getByLabel("确认新密码").fill("short");
  await owner.getByRole("button", { name: "保存新密码" }).click();
  await expect(owner.getByText("新密码至少需要 8 个字符")).toBeVisible();

  await owner.getByLabel("新密码", { exact: true }).fill("Xin-mima-2026");
  await owner.getByLabel("确认新密码").fill("Xin-mima-2026");
  await owner.getByRole("button", { name: "保存新密码" }).click();
  await expect(owner).toHaveURL(/\/workbench$/);
  await context.close();

  // Disabling asks first, then shows the new status.
  await page.goto(`/admin/accounts?q=${username}`);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const row = page.locator(`tr[data-account="${username}"]`);
  await row.getByText("停用", { exact: true }).click();
  await expect(row.getByText("确认停用该账号")).toBeVisible();
  await row.getByRole("button", { name: "确认" }).click();
  await expect(row.getByText("已停用")).toBeVisible();
});

test("the security auditor verifies the chain, filters the trail and gets the export link", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "auditor");
  await page.goto("/audit?action=login");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const table = page.getByTestId("audit-table");
  await expect(table).toBeVisible();
  const actions = await table.locator("tbody tr td:nth-child(5)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["登录"]));
  await expect(page.getByRole("link", { name: "导出 Excel" })).toHaveAttribute("href", /action=login/);

  await page.getByRole("button", { name: "校验完整性" }).click();
  await expect(page.getByTestId("chain-report")).toContainText("审计链完整");
});
