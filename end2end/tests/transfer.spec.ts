import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a transfer between two branches completes when the receiving branch accepts", async ({ browser, baseURL }) => {
  // The committee office sends a member of another branch to the secretary's branch.
  const office = await browser.newPage();
  await signIn(office.request, baseURL!, "office");
  await office.goto("/members?org=o0005");
  await expect(office.locator("body")).toHaveAttribute("data-hydrated", "true");
  const first = office.getByTestId("member-table").getByRole("link").first();
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(office.getByTestId("member-name")).toHaveText(name);
  await office.locator("summary", { hasText: "组织关系转接" }).click();
  await office.getByLabel("接收党支部（院内转接）").selectOption({ label: "肿瘤内科第一党支部" });
  await office.getByLabel("党费交至").fill("2026-10");
  await office.getByRole("textbox", { name: "原因", exact: true }).last().fill("科室调整");
  await office.getByRole("button", { name: "发起转接" }).click();
  await expect(office.getByText("已发起转接")).toBeVisible();

  // The secretary of the receiving branch accepts it.
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/transfers");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  const row = secretary.getByTestId("transfer-table").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("待接收");
  await row.getByRole("button", { name: "接收" }).click();
  await expect(row).toContainText("已接收");

  await row.getByRole("link", { name }).click();
  await expect(secretary.getByTestId("member-name")).toHaveText(name);
  await expect(secretary.getByText("肿瘤内科第一党支部").first()).toBeVisible();
});
