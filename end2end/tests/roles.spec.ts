import { expect, test } from "@playwright/test";
import { PASSWORD } from "./support";

const PARTY_NAV = ["工作台", "组织架构", "党员管理", "发展党员", "任务考评", "组织生活", "学习教育", "数据分析"];
const ROLES: [string, string[]][] = [
  ["office", PARTY_NAV],
  ["secretary", PARTY_NAV],
  ["general", PARTY_NAV],
  // Members run no pipeline and have no meeting list yet (a meeting's link opens its
  // sign-in page); tasks go to members too.
  ["member", PARTY_NAV.filter((n) => n !== "发展党员" && n !== "组织生活")],
  ["sysadmin", ["工作台", "账号管理"]],
  ["secadmin", ["工作台", "账号管理"]],
  ["auditor", ["工作台", "安全审计"]],
];

for (const [username, expected] of ROLES) {
  test(`${username} signs in, sees only the navigation of the role, signs out`, async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("账号").fill(username);
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/workbench$/);

    const nav = page.getByRole("navigation", { name: "主导航" }).getByRole("list").first();
    await expect(nav.getByRole("link")).toHaveText(expected);

    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
}
