import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the language switch changes the page to English and back, and persists", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/org");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "组织架构" })).toBeVisible();

  await page.getByRole("button", { name: "English" }).click();
  await expect(page).toHaveURL(/\/org$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: "Organisation tree" })).toBeVisible();

  // The choice persists across navigation.
  await page.goto("/workbench");
  await expect(page.getByRole("heading", { level: 1, name: "Workbench" })).toBeVisible();

  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "工作台" })).toBeVisible();
});

test("the public site ships no WebAssembly", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (req) => {
    if (/\.(wasm|js)(\?|$)/.test(req.url())) scripts.push(req.url());
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("党委");
  await page.waitForLoadState("networkidle");
  expect(scripts).toEqual([]);
});

test("the public home and the sign-in page describe themselves to search engines", async ({ page }) => {
  for (const [path, words] of [["/", "智慧党建"], ["/login", "登录"]]) {
    await page.goto(path);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", new RegExp(words));
  }
});

// The release WASM is split by page (`cargo leptos build --split`, lazy routes): a first load
// fetches the main module plus the chunks of that page, listed in
// `__wasm_split_manifest.json`. `./scripts/wasm-budget` (run by .ci/run) holds the largest
// release first load to the README's budget. These journeys run the debug build; this test
// catches a page that loads another page's code, an uncompressed file, or a debug first load
// that doubles (a heavy dependency pulled into the client).
test("a management page loads the compressed main module and its own chunks, of bounded size", async ({
  page,
  baseURL,
}) => {
  await signIn(page.request, baseURL!, "office");
  const files: { url: string; status: number; encoding: string; bytes: number }[] = [];
  page.on("requestfinished", async (req) => {
    if (!/\.wasm(\?|$)/.test(req.url())) return;
    const res = await req.response();
    const sizes = await req.sizes();
    files.push({
      url: req.url(),
      status: res?.status() ?? 0,
      encoding: res?.headers()["content-encoding"] ?? "",
      bytes: sizes.responseBodySize,
    });
  });
  await page.goto("/members");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.waitForLoadState("networkidle");
  const main = files.filter((f) => /\/pkg\/zhibu\.[\w-]+\.wasm$/.test(f.url));
  expect(main).toHaveLength(1);
  expect(files.some((f) => /\/pkg\/split_+members_view_/.test(f.url))).toBe(true);
  expect(files.filter((f) => /\/pkg\/split_/.test(f.url) && !/members_view_/.test(f.url))).toEqual([]);
  for (const f of files) {
    expect(f.status, f.url).toBe(200);
    expect(f.encoding, f.url).toMatch(/br|gzip|zstd/);
  }
  expect(main[0].bytes).toBeGreaterThan(100_000);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  expect(total).toBeLessThan(3_500_000);
});

test("the management area hydrates and shows the role's navigation", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  await page.goto("/workbench");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await expect(page.getByRole("link", { name: "组织架构" })).toBeVisible();
});

test("unknown pages show a 404 page", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
});

test("a tablet not yet paired shows its pairing code, readable across a room", async ({ page }) => {
  await page.goto("/tablet");
  const code = page.getByTestId("tablet-code");
  await expect(code).toBeVisible();
  expect((await code.innerText()).replace(/\D/g, "")).toHaveLength(6);
  const size = await code.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(48);
});

test("hashed static assets are cached for a year", async ({ page, request }) => {
  await page.goto("/login");
  const href = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
  expect(href).toMatch(/^\/pkg\/zhibu\.[\w-]+\.css$/);
  const res = await request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("immutable");
});

test("pages hydrate under the Content-Security-Policy without violations", async ({ page, baseURL }) => {
  await signIn(page.request, baseURL!, "office");
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  for (const path of ["/org", "/workbench", "/tablet", "/"]) {
    await page.goto(path);
    if (path !== "/") {
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    }
  }
  expect(violations).toEqual([]);
});

test("visitors are sent to sign in from the management area", async ({ page }) => {
  await page.goto("/org");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
});
