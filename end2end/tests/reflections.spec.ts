import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a member writes this year's reflection; the secretary shares it with the branch, where the member reads it", async ({ browser, baseURL }) => {
  // A title of this run (the suite may run twice against one server).
  const title = `学习党章的体会${Date.now() % 100000}`;
  const member = await browser.newPage();
  await signIn(member.request, baseURL!, "member");
  await member.goto("/learning");
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  await member.getByTestId("reflections-link").click();
  await expect(member.getByRole("heading", { level: 1 })).toHaveText("学习心得交流");
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  const form = member.getByTestId("reflection-form");
  await form.getByLabel("标题").fill(title);
  // Too short: refused, and what was typed stays.
  await form.getByLabel("正文").fill("太短了。");
  await form.getByRole("button", { name: "保存心得" }).click();
  await expect(form.getByText("正文需 20–5000 字。")).toBeVisible();
  await expect(form.getByLabel("标题")).toHaveValue(title);
  await form.getByLabel("正文").fill("通过学习党章，我更加明确了党员的义务。\n在临床一线，把患者放在心上，廉洁行医。");
  await form.getByRole("button", { name: "保存心得" }).click();
  await expect(form.getByRole("status")).toContainText("已保存。");

  // The secretary reads it among the branch's and shares it.
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/learning/reflections");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  const row = secretary.getByTestId("reflection-row").filter({ hasText: title });
  await expect(row).toHaveCount(1);
  // (A retry finds the member's reflection shared already: taken back first.)
  const unshare = row.getByRole("button", { name: "取消交流" });
  if ((await unshare.count()) > 0) {
    await unshare.click();
  }
  await row.getByRole("button", { name: "选为交流" }).click();
  await expect(row.getByRole("button", { name: "取消交流" })).toBeVisible();

  // The member reads it among what the branch shares, and sees theirs was chosen.
  await member.reload();
  await expect(member.getByTestId("reflection-is-shared")).toBeVisible();
  await expect(member.getByTestId("reflection-shared").filter({ hasText: title })).toContainText("廉洁行医");
});
