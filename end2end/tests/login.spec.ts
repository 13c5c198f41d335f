import { expect, test } from "@playwright/test";

const PASSWORD = "Zhibu@2026";

test("sign in, see who is signed in, sign out", async ({ page }) => {
  // The sign-in page is a plain form: it loads no WASM and no script at all.
  const scripts: string[] = [];
  page.on("request", (req) => {
    if (/\.(wasm|js)(\?|$)/.test(req.url())) scripts.push(req.url());
  });
  await page.goto("/login");

  await page.getByLabel("账号").fill("office");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toContainText("账号或密码错误");
  await expect(page.getByLabel("账号")).toHaveValue("office");
  expect(scripts).toEqual([]);

  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/workbench$/);
  await expect(page.getByText("党委组织部（演示）")).toBeVisible();

  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/workbench");
  await expect(page).toHaveURL(/\/login$/);
});

test("sign in works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("账号").fill("secretary");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/workbench$/);
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await context.close();
});
