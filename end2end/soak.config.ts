import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Long runs that are not part of the test suite (`./scripts/tablet-soak`): the tablet left
// alone for an hour or more. The time limit is set by the run itself.
export default defineConfig({
  ...base,
  testDir: "./soak",
  testMatch: /.*\.soak\.ts/,
  retries: 0,
});
