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

// A first load: the page's HTML preloads the chunks its route needs (each once, built by
// the server once per route: app::assets), and the page fetches nothing else before it
// hydrates.
test("a first load preloads exactly the chunks its route fetches, each once", async ({
  page,
  baseURL,
}) => {
  await signIn(page.request, baseURL!, "office");
  const html = await (await page.request.get("/org")).text();
  const preloaded = [...html.matchAll(/<link rel="preload" href="([^"]+\.wasm)"/g)].map((m) => m[1]);
  expect(preloaded.some((href) => /split_+org_view_/.test(href))).toBe(true);
  expect(new Set(preloaded).size).toBe(preloaded.length);
  expect(html).toContain('rel="modulepreload" href="/pkg/__wasm_split.');

  const fetched: string[] = [];
  page.on("requestfinished", (req) => {
    const path = new URL(req.url()).pathname;
    if (path.endsWith(".wasm")) fetched.push(path);
  });
  await page.goto("/org");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(fetched.length).toBeGreaterThan(1);
  expect(fetched.filter((path) => !preloaded.includes(path))).toEqual([]);
});
