import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Screenshots of every page at a phone, a tablet and a desktop size, for people to look
// at (not a test: nothing is asserted). Run with `./scripts/screenshots`; the pictures go
// to `target/screenshots/<size>/<page>.png`.
export default defineConfig({
  ...base,
  testDir: "./shots",
  testMatch: /.*\.shot\.ts/,
  timeout: 120_000,
});
