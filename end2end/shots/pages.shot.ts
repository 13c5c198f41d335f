import { test } from "@playwright/test";
import { signIn } from "../tests/support";

const out = process.env.SHOTS_DIR ?? "../target/screenshots";

const sizes = [
  { name: "phone", width: 390, height: 844 },
  { name: "tablet", width: 1024, height: 768 },
  { name: "desktop", width: 1440, height: 900 },
];

/** Every page, as the account that normally uses it. `:first` is the first link of a list. */
const pages: { name: string; path: string; as?: string; open?: string }[] = [
  { name: "home", path: "/" },
  { name: "login", path: "/login" },
  { name: "workbench", path: "/workbench", as: "office" },
  { name: "org", path: "/org", as: "office" },
  { name: "members", path: "/members", as: "office" },
  { name: "member", path: "/members", as: "office", open: "a[href^='/members/m']" },
  { name: "member-new", path: "/members/new", as: "secretary" },
  { name: "import", path: "/members/import", as: "secretary" },
  { name: "transfers", path: "/transfers", as: "office" },
  { name: "transfer-letter", path: "/transfers", as: "office", open: "a[href^='/transfers/']" },
  { name: "development", path: "/development", as: "office" },
  { name: "candidate", path: "/development", as: "office", open: "a[href^='/development/c']" },
  { name: "candidate-new", path: "/development/new", as: "secretary" },
  { name: "password", path: "/account/password", as: "member" },
  { name: "accounts", path: "/admin/accounts", as: "sysadmin" },
  { name: "audit", path: "/audit", as: "auditor" },
  { name: "tablet", path: "/tablet" },
];

for (const size of sizes) {
  for (const p of pages) {
    test(`${size.name} ${p.name}`, async ({ browser, baseURL }) => {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        locale: "zh-CN",
      });
      const page = await context.newPage();
      if (p.as) await signIn(page.request, baseURL!, p.as);
      await page.goto(p.path);
      if (p.open) {
        await page.locator(p.open).first().click();
        await page.waitForLoadState("networkidle");
      }
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${out}/${size.name}/${p.name}.png`, fullPage: true });
      await context.close();
    });
  }
}
