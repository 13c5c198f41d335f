import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// Each page reads each resource once: the server renders it with its data, and hydration
// takes that data from the page instead of asking the server again.

const PAGES: [string, string[]][] = [
  ["office", ["/workbench", "/org", "/org?id=o0002", "/members", "/members?status=probationary", "/development", "/transfers"]],
  ["secretary", ["/members", "/org"]],
  ["sysadmin", ["/admin/accounts"]],
  ["auditor", ["/audit"]],
];

for (const [username, paths] of PAGES) {
  test(`as ${username}, hydrating asks the server nothing: ${paths.join(" ")}`, async ({ page, baseURL }) => {
    await signIn(page.request, baseURL!, username);
    const calls: string[] = [];
    page.on("request", (req) => {
      if (new URL(req.url()).pathname.startsWith("/api/")) calls.push(req.url());
    });
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
      await page.waitForLoadState("networkidle");
      expect(calls, path).toEqual([]);
    }
  });
}

test("a member's page as office: hydrating asks the server nothing", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/members");
  const href = await page.getByTestId("member-table").getByRole("link").first().getAttribute("href");
  const calls: string[] = [];
  page.on("request", (req) => {
    if (new URL(req.url()).pathname.startsWith("/api/")) calls.push(req.url());
  });
  await page.goto(href!);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("member-name")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(calls).toEqual([]);
});

test("the same watch sees a call the page does make: a search asks the server once", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/members");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const calls: string[] = [];
  page.on("request", (req) => {
    if (new URL(req.url()).pathname.startsWith("/api/")) calls.push(new URL(req.url()).pathname);
  });
  await page.getByRole("searchbox", { name: "搜索" }).fill("hsz");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  await expect(page).toHaveURL(/q=hsz/);
  await page.waitForLoadState("networkidle");
  expect(calls).toEqual(["/api/list_members"]);
});
