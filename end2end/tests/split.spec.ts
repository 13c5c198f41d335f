import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// Management pages are lazy routes: their code is a WASM chunk fetched on demand. A first
// load fetches it before hydration (the other specs cover that); these cover navigation
// inside the app, where the chunk arrives after the click.
test("navigating to another module fetches its chunk and renders it without reloading", async ({
  page,
  baseURL,
}) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/workbench");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const chunks: string[] = [];
  page.on("requestfinished", (req) => {
    if (/\/pkg\/split_[^/]*\.wasm$/.test(req.url())) chunks.push(req.url());
  });
  const failed: string[] = [];
  page.on("requestfailed", (req) => failed.push(req.url()));
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  // A full page load would drop this marker.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "组织架构" }).click();
  await expect(page).toHaveURL(/\/org$/);
  await expect(page.getByRole("heading", { level: 1, name: "组织架构" })).toBeVisible();
  expect(chunks.some((url) => /split_+org_view_/.test(url))).toBe(true);

  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作台" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "工作台" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});
