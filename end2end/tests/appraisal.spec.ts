import { expect, Page, test } from "@playwright/test";
import { signIn } from "./support";

/** Grades every other member on the ballot (everyone 合格 in one click), casts it. */
async function castBallot(page: Page) {
  const ballot = page.getByTestId("ballot");
  await expect(ballot).toBeVisible();
  // Sending with grades missing names who is left.
  await page.getByTestId("ballot-submit").click();
  await expect(page.getByTestId("ballot-missing")).not.toBeEmpty();
  await page.getByTestId("ballot-all-qualified").click();
  await page.getByRole("button", { name: "提交投票" }).click();
  await page.getByTestId("ballot-confirm").click();
  await expect(page.getByTestId("ballot-cast")).toBeVisible();
}

test("the branch runs its 民主评议: a self-assessment, two anonymous ballots, totals, grades decided", async ({ browser, baseURL }) => {
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/meetings/appraisals");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  // Open this year's appraisal of the secretary's branch (next year's if this one is open
  // already from an earlier run of the suite on the same server).
  const form = secretary.getByTestId("appraisal-open-form");
  await expect(form).toBeVisible();
  const year = form.getByLabel("年度");
  const thisYear = Number(await year.inputValue());
  let opened = false;
  for (const y of [thisYear, thisYear + 1]) {
    await year.fill(String(y));
    await secretary.getByTestId("appraisal-open").click();
    try {
      await expect(secretary.getByTestId("appraisal-heading")).toBeVisible({ timeout: 5_000 });
      opened = true;
      break;
    } catch {
      // That year is taken: try the next.
    }
  }
  expect(opened).toBe(true);
  const url = secretary.url();
  await expect(secretary.getByTestId("appraisal-anonymity")).toContainText("不保存任何选票");

  // A member writes their 党性分析 on a phone.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone.request, baseURL!, "member");
  await phone.goto(url);
  await expect(phone.locator("body")).toHaveAttribute("data-hydrated", "true");
  await phone.getByTestId("self-text").fill("本年度认真学习党的创新理论，立足岗位为患者服务，在理论联系实际上还需加强。");
  await phone.getByTestId("self-submit").click();
  await expect(phone.getByTestId("self-state")).toHaveText("已提交");

  // The secretary opens the vote; both vote (the secretary is on the list too).
  await secretary.reload();
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await secretary.getByRole("button", { name: "开始投票" }).click();
  await secretary.getByTestId("appraisal-advance").click();
  await castBallot(secretary);
  await phone.reload();
  await expect(phone.locator("body")).toHaveAttribute("data-hydrated", "true");
  await castBallot(phone);

  // Closed: the totals (numbers only), then the grades decided by the branch.
  await secretary.reload();
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await secretary.getByRole("button", { name: "结束投票并统计" }).click();
  await secretary.getByTestId("appraisal-advance").click();
  const totals = secretary.getByTestId("totals-table");
  await expect(totals).toBeVisible();
  await expect(totals).not.toContainText("secretary");
  await expect(secretary.getByTestId("excellent-counter")).toBeVisible();
  await secretary.getByRole("button", { name: "确定等次" }).first().click();
  await secretary.getByTestId("decide-confirm").click();
  await expect(secretary.getByTestId("results-table")).toBeVisible();
  await expect(secretary.getByTestId("results-table")).toContainText("合格");

  // The member sees their own grade.
  await phone.reload();
  await expect(phone.getByTestId("appraisal-note")).toContainText("合格");
});
