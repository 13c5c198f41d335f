import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The real server binary, on its own port, with a fresh in-memory SurrealDB and the demo
// hospital. The browser is Debian's Chromium: Playwright never downloads one.
const port = Number(process.env.E2E_PORT ?? 3300);
const baseURL = `http://127.0.0.1:${port}`;
const server = process.env.E2E_SERVER_BIN ?? "../target/debug/server";
// Uploads go to a fresh folder of their own (a real file store, emptied by the next run).
const filesDir = mkdtempSync(join(tmpdir(), "zhibu-e2e-files-"));
// The server's clock starts at noon in China on today's China date and runs from there, so
// a run that crosses midnight in China (16:00 UTC) keeps the day its demo was made for.
const chinaToday = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const clockStart = `${chinaToday}T04:00:00Z`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry, reported as "flaky" in the list, never silently. The heaviest page (a
  // member's record: ~230 chunk files in a debug build) did not hydrate within 10 s in 2 of
  // about 35 full runs on the 2-core CI machine, and no other test has failed that way; the
  // cause (a slow load under load, or a failed chunk fetch, docs/wasm-size.md pitfall 6) is
  // not yet known. A test that fails twice still fails the run.
  retries: 1,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: server,
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ZHIBU_LISTEN: `127.0.0.1:${port}`,
      ZHIBU_DATABASE__URL: "mem://",
      ZHIBU_DEMO_DATA: "true",
      ZHIBU_DEMO_CLOCK_START: clockStart,
      ZHIBU_FILES__DIR: filesDir,
      ZHIBU_LOG_LEVEL: "warn",
      ZHIBU_SITE_ROOT: process.env.E2E_SITE_ROOT ?? "../target/site",
    },
  },
});
