import { expect, Page, test } from "@playwright/test";
import { PASSWORD, signIn } from "./support";

// A phone (390 × 844): the management area folds its navigation behind a menu button,
// tables scroll inside their frame, and the organisation details open where the tap lands.
// A tablet (1024 × 768): the same menu, pages at full width.

/** Nothing on the page scrolls sideways. */
async function fitsTheWidth(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

/** Every visible button keeps its label on one line and within its box. */
async function buttonsKeepOneLine(page: Page) {
  const broken = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("button, .btn"))
      .filter((el) => el.offsetParent !== null && el.textContent!.trim() !== "")
      .filter((el) => {
        // The lines the label's text occupies (icons and other boxes do not count). Boxes
        // that overlap vertically share a line: a smaller badge (the bell's count) sits a
        // pixel higher than the label beside it and is not a second line.
        const rects: DOMRect[] = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent!.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          rects.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0));
        }
        rects.sort((a, b) => a.top - b.top);
        let lines = 0;
        let bottom = -Infinity;
        for (const r of rects) {
          if (r.top >= bottom - 1) {
            lines += 1;
            bottom = r.bottom;
          } else {
            bottom = Math.max(bottom, r.bottom);
          }
        }
        return lines > 1 || el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => el.textContent!.trim()),
  );
  expect(broken, "button labels that wrap or overflow").toEqual([]);
}

test.describe("phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("on a phone: sign in, the menu, the roster, a member and the organisation tree", async ({ page }) => {
    await page.goto("/login");
    await fitsTheWidth(page);
    await buttonsKeepOneLine(page);
    await page.getByLabel("账号").fill("office");
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/workbench$/);
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

    // The navigation waits behind the menu button; it opens, leads on, and closes again.
    const nav = page.getByRole("navigation", { name: "主导航" });
    await expect(nav).toBeHidden();
    await fitsTheWidth(page);
    await buttonsKeepOneLine(page);
    // A tap on the menu button opens it; so does the keyboard (Space on the menu checkbox).
    await page.getByText("菜单", { exact: true }).click();
    await expect(nav).toBeVisible();
    await expect(page.getByLabel("显示或隐藏菜单")).toBeChecked();
    await page.getByLabel("显示或隐藏菜单").focus();
    await page.keyboard.press("Space");
    await expect(nav).toBeHidden();
    await page.keyboard.press("Space");
    await expect(nav).toBeVisible();
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
    await buttonsKeepOneLine(page);
    const box = await page.getByRole("link", { name: "党员管理" }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.getByRole("link", { name: "党员管理" }).click();
    await expect(page).toHaveURL(/\/members/);
    await expect(nav).toBeHidden();

    // The roster: the table scrolls inside its frame, the page does not.
    const roster = page.getByTestId("member-table");
    await expect(roster.locator("tbody tr").first()).toBeVisible();
    await fitsTheWidth(page);
    await buttonsKeepOneLine(page);
    const firstName = roster.locator("tbody tr td:first-child a").first();
    const rowHeight = (await roster.locator("tbody tr").first().boundingBox())!.height;
    expect(rowHeight, "a roster row stays one line").toBeLessThan(60);

    // A member's page.
    await firstName.click();
    await expect(page).toHaveURL(/\/members\/m/);
    await expect(page.getByRole("heading", { name: "基本信息" })).toBeVisible();
    await fitsTheWidth(page);
    await buttonsKeepOneLine(page);

    // The tree: tapping a branch far down the list shows its details on screen.
    await page.goto("/org");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await fitsTheWidth(page);
    const branch = page.getByRole("link", { name: /研究生党支部/ });
    await branch.scrollIntoViewIfNeeded();
    await branch.click();
    await expect(page).toHaveURL(/\/org\?id=/);
    const name = page.getByTestId("org-detail-name");
    await expect(name).toHaveText("研究生党支部");
    await expect(name).toBeInViewport();
    await fitsTheWidth(page);
    await buttonsKeepOneLine(page);
  });
});

test.describe("tablet", () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test("on a tablet: the roster, a member and the organisation tree fit the screen", async ({ page, baseURL }) => {
    await signIn(page.request, baseURL!, "office");
    for (const path of ["/members", "/org", "/transfers", "/development"]) {
      await page.goto(path);
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
      await expect(page.getByText("菜单", { exact: true })).toBeVisible();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
    }
    await page.goto("/members");
    await page.getByTestId("member-table").locator("tbody tr td:first-child a").first().click();
    await expect(page.getByRole("heading", { name: "基本信息" })).toBeVisible();
    await fitsTheWidth(page);
    await buttonsKeepOneLine(page);
  });
});

// The closed loop's pages (issue 13), as the office and as a branch secretary, on a phone
// and on a tablet: nothing scrolls sideways and button labels stay on one line.
for (const [name, width, height] of [["phone", 390, 844], ["tablet", 1024, 768]] as const) {
  test.describe(`closed loop on a ${name}`, () => {
    test.use({ viewport: { width, height } });

    test(`the closed loop's pages fit a ${name}`, async ({ page, baseURL }) => {
      test.setTimeout(120_000);
      const check = async (path: string) => {
        await page.goto(path);
        await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
        await fitsTheWidth(page);
        await buttonsKeepOneLine(page);
      };
      await signIn(page.request, baseURL!, "office");
      for (const path of [
        "/workbench",
        "/tasks",
        "/tasks/new",
        "/tasks/k0012",
        "/tasks/queue",
        "/tasks/rectifications",
        "/tasks/ranking",
        "/tasks/branches/o0003",
        "/tasks/periods",
      ]) {
        await check(path);
      }
      await page.goto("/tasks/queue");
      await page.getByTestId("queue-table").locator("tbody tr a").first().click();
      await expect(page.getByTestId("assignment-title")).toBeVisible();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
      // The screens that edit: a draft task (the demo keeps one) and a member's record.
      await check("/tasks?status=draft");
      await page.getByTestId("task-table").locator("tbody tr a").first().click();
      await page.getByTestId("edit-task").click();
      await expect(page.getByTestId("task-form")).toBeVisible();
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
      await check("/members");
      await page.getByTestId("member-table").locator("tbody tr a").first().click();
      await page.getByTestId("edit-member").click();
      await expect(page.getByTestId("save-member")).toBeVisible();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
      await page.context().clearCookies();
      await signIn(page.request, baseURL!, "secretary");
      for (const path of ["/workbench", "/tasks", "/tasks/rectifications", "/tasks/branches/o0003"]) {
        await check(path);
      }
      // An answer form, with its file upload and record picker.
      await check("/tasks/queue?status=pending");
      await page.getByTestId("queue-table").locator("tbody tr a").first().click();
      await expect(page.getByTestId("upload-input")).toBeVisible();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
    });
  });
}

// Organisational life's pages at both sizes: the list, the form, one meeting, the grid
// (its table scrolls inside its frame) and the 台账.
for (const [label, width, height] of [["phone", 390, 844], ["tablet", 1024, 768]] as const) {
  test.describe(label, () => {
    test.use({ viewport: { width, height } });

    test(`on a ${label}: the meetings pages fit the width`, async ({ page, baseURL }) => {
      await signIn(page.request, baseURL!, "secretary");
      await page.goto("/meetings");
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
      await expect(page.getByTestId("meeting-table")).toBeVisible();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
      const first = page.getByTestId("meeting-table").getByRole("link").first();
      await first.click();
      await expect(page.getByTestId("tally")).toBeVisible();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
      for (const path of ["/meetings/new", "/meetings/grid", "/meetings/ledger?org=o0003"]) {
        await page.goto(path);
        await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
        await expect(page.locator("main h1").first()).toBeVisible();
        await fitsTheWidth(page);
        await buttonsKeepOneLine(page);
      }
    });

    test(`on a ${label}: the office's meeting rules fit the width`, async ({ page, baseURL }) => {
      await signIn(page.request, baseURL!, "office");
      await page.goto("/meetings/grid");
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
      // Fetched after hydration, under the grid.
      const form = page.getByTestId("rules-form");
      await expect(form).toBeVisible();
      await form.scrollIntoViewIfNeeded();
      await fitsTheWidth(page);
      await buttonsKeepOneLine(page);
      // Each setting is a control a thumb can hit.
      const select = form.getByTestId("rule-frequency").first();
      expect((await select.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(40);
      const box = await page.getByTestId("rules-save").boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
    });
  });
}

// Learning's pages at both sizes, as the office sees them (every editor's control shown):
// the course list, a course, one item (with its 本节测验 and 布置必学), required learning
// and one requirement's completion, the question bank and an exam.
for (const [label, width, height] of [["phone", 390, 844], ["tablet", 1024, 768]] as const) {
  test.describe(label, () => {
    test.use({ viewport: { width, height } });

    test(`on a ${label}: the learning pages fit the width`, async ({ page, baseURL }) => {
      await signIn(page.request, baseURL!, "office");
      await page.goto("/learning/courses/csdemo1");
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
      const item = await page.locator('main a[href^="/learning/items/"]').first().getAttribute("href");
      expect(item).toBeTruthy();
      for (const path of [
        "/learning",
        "/learning/courses/csdemo1",
        item!,
        "/learning/required",
        "/learning/required/rqdemo1",
        "/learning/bank",
        "/learning/exams/exdemo2",
      ]) {
        await page.goto(path);
        await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
        await expect(page.locator("main h1").first()).toBeVisible();
        await fitsTheWidth(page);
        await buttonsKeepOneLine(page);
      }
    });
  });
}
