import { expect, test } from "@playwright/test";
import { signIn } from "./support";

const COMMITTEE = "明川医科大学附属肿瘤医院党委";
const BRANCH = "离退休党支部";
const GROUP = "离退休第一党小组";

test.describe("organisation tree", () => {
  test.beforeEach(async ({ page, baseURL }) => {
    await signIn(page.request, baseURL!, "office");
  });

  test("is rendered on the server and readable without JavaScript", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await signIn(context.request, baseURL!, "office");
    const page = await context.newPage();
    await page.goto("/org");
    const tree = page.getByRole("list", { name: "组织树" });
    await expect(tree.getByRole("link", { name: new RegExp(COMMITTEE) })).toBeVisible();
    await expect(tree.getByRole("link", { name: new RegExp(BRANCH) })).toBeVisible();

    // Selecting a node is a plain link: the server renders its details.
    await tree.getByRole("link", { name: new RegExp(BRANCH) }).click();
    await expect(page.getByTestId("org-detail-name")).toHaveText(BRANCH);
    await context.close();
  });

  test("hydrates: nodes expand and collapse on click", async ({ page }) => {
    await page.goto("/org");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

    const group = page.getByRole("link", { name: new RegExp(GROUP) });
    await expect(group).toBeHidden();

    const expand = page.getByRole("button", { name: `展开 ${BRANCH}` });
    await expect(expand).toHaveAttribute("aria-expanded", "false");
    await expand.click();
    await expect(group).toBeVisible();

    const collapse = page.getByRole("button", { name: `收起 ${BRANCH}` });
    await expect(collapse).toHaveAttribute("aria-expanded", "true");
    await collapse.click();
    await expect(group).toBeHidden();
  });

  test("selecting a node shows its details without reloading the page", async ({ page }) => {
    await page.goto("/org");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await page.evaluate(() => ((window as unknown as { __stay: number }).__stay = 1));

    await page.getByRole("link", { name: new RegExp(BRANCH) }).click();
    await expect(page).toHaveURL(/\/org\?id=o\d+/);
    await expect(page.getByTestId("org-detail-name")).toHaveText(BRANCH);
    await expect(page.getByRole("heading", { name: "支部委员会", exact: true })).toBeVisible();

    const stayed = await page.evaluate(() => (window as unknown as { __stay?: number }).__stay);
    expect(stayed).toBe(1);
  });

  test("is operable with the keyboard", async ({ page }) => {
    await page.goto("/org");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    const expand = page.getByRole("button", { name: `展开 ${BRANCH}` });
    await expand.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("link", { name: new RegExp(GROUP) })).toBeVisible();
  });

  test("a branch secretary sees the own branch and nothing above or beside it", async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    await signIn(context.request, baseURL!, "secretary");
    const page = await context.newPage();
    await page.goto("/org");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    const tree = page.getByRole("list", { name: "组织树" });
    await expect(tree.getByRole("link", { name: /肿瘤内科第一党支部/ })).toBeVisible();
    await expect(tree.getByRole("link", { name: new RegExp(COMMITTEE) })).toHaveCount(0);
    await expect(tree.getByRole("link", { name: new RegExp(BRANCH) })).toHaveCount(0);
    await context.close();
  });
});
