import { Browser, expect, Locator, Page, test } from "@playwright/test";
import path from "node:path";
import { signIn } from "./support";

// The closed loop in one journey: the committee office publishes a task to one branch
// (任务发布), the branch answers it with a linked member record and a photo it uploads
// there and then (执行), the office scores
// and returns it (评价), the branch reworks it while the return sits in the rectification
// ledger (整改), and the office accepts the rework, which closes the item and rewrites the
// branch's score.
//
// Screens are counted for the branch secretary: every page the browser showed, whether
// loaded from the address bar or reached by a click inside the app (the main frame's
// navigations, the same address twice in a row counted once). The journey as written
// needs (asserted below and recorded in the test's annotations):
//   - answering (step 2): 2 screens — 工作台 (the 待办 inbox) → the assignment, where the
//     answer, the record picker and 提交 all are;
//   - rectifying (step 4): 2 screens to rework — 工作台 (退回重办 in the inbox) → the
//     assignment; seeing the item in the ledger takes 2 more (任务考评 → 整改), as nothing
//     on the workbench or the assignment links to it: 4 in all.

const ORG = "o0003"; // the secretary's branch
const PERIOD = "p2026"; // the current period of the demo data
const BRANCH_PAGE = `/tasks/branches/${ORG}?period=${PERIOD}`;
const FIXTURES = path.join(__dirname, "..", "fixtures");
// The photo the secretary uploads (64 × 48 PNG, written by fixtures/make_photo.py) and the
// name of its thumbnail.
const PHOTO = "photo.png";
const THUMB = /照片：photo\.png/;

/** Today in China Standard Time plus `days`, as an `<input type=date>` wants it. */
function chinaDay(days: number): string {
  const t = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
  return t.toISOString().slice(0, 10);
}

/** The addresses a page showed, in order (the same one twice in a row counted once). */
function screens(page: Page): string[] {
  const seen: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame() || frame.url().startsWith("about:")) return;
    const u = new URL(frame.url());
    const at = u.pathname + u.search;
    if (seen[seen.length - 1] !== at) seen.push(at);
  });
  return seen;
}

async function signedIn(browser: Browser, baseURL: string, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page.request, baseURL, username);
  return page;
}

async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** A thumbnail shown and actually loaded (the image route answered with a decodable image). */
async function loadedImage(img: Locator) {
  await expect(img).toBeVisible();
  await img.scrollIntoViewIfNeeded();
  await expect
    .poll(() => img.evaluate((i: HTMLImageElement) => (i.complete ? i.naturalWidth : 0)))
    .toBeGreaterThan(0);
}

/** The branch's total score as its page shows it. */
async function branchScore(page: Page): Promise<string> {
  await page.goto(BRANCH_PAGE);
  await hydrated(page);
  await expect(page.getByTestId("branch-stars")).toBeVisible();
  return (await page.getByTestId("branch-score").textContent())!.trim();
}

test("the closed loop: publish, answer, return, rectify, accept, and the score moves", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const title = `闭环测试：报送整改落实情况 ${Date.now()}`;
  const office = await signedIn(browser, baseURL!, "office");
  const secretary = await signedIn(browser, baseURL!, "secretary");
  const visited = screens(secretary);

  // Before anything: the branch's score, its name, and a 二级 indicator nobody has scored
  // yet (so that scoring it must move the total), worth at least 9 points.
  const scoreBefore = await branchScore(office);
  const branchName = (await office.getByTestId("branch-name").textContent())!.trim();
  const items = await office
    .getByTestId("branch-indicators")
    .locator("tbody tr")
    .evaluateAll((rows) =>
      rows.map((r) => {
        const td = r.querySelectorAll("td");
        return {
          name: td[0]?.textContent?.trim() ?? "",
          awarded: td[1]?.textContent?.trim() ?? "",
          max: Number(td[2]?.textContent?.trim() ?? "0"),
        };
      }),
    );
  const indicator = items.find((i) => i.awarded === "未评分" && i.max >= 9);
  expect(indicator, `an unscored indicator among ${JSON.stringify(items)}`).toBeTruthy();

  // A surname among the branch's members, for the record picker.
  await office.goto(`/members?org=${ORG}`);
  await hydrated(office);
  const memberName = (await office.getByTestId("member-table").getByRole("link").first().textContent())!.trim();
  const surname = memberName.slice(0, 1);

  let taskId = "";
  await test.step("1. the office creates the task for the secretary's branch and publishes it", async () => {
    await office.goto("/tasks/new");
    await hydrated(office);
    const form = office.getByTestId("task-form");
    await form.getByTestId("task-indicator").selectOption({ label: indicator!.name });
    await expect(form.getByText(`满分 ${indicator!.max} 分`)).toBeVisible();
    await form.getByLabel("任务标题", { exact: true }).fill(title);
    await form.getByLabel("任务要求").fill("请报送本支部上一考核期整改事项的落实情况，并关联相关党员档案。");
    await form.getByTestId("task-all-branches").uncheck();
    const branches = form.getByTestId("task-branches");
    const mine = branches.getByRole("checkbox", { name: branchName, exact: true });
    await expect(mine).toHaveAttribute("value", ORG);
    await mine.check();
    await form.getByLabel("截止日期").fill(chinaDay(10));
    await form.getByLabel("至少关联记录数（0–20，含照片和文件）").fill("1");
    await form.getByLabel("其中至少照片数").fill("1");
    // A notice sent with the task (here a photo), uploaded on the same form.
    const attachments = form.getByTestId("task-attachments");
    await attachments.getByLabel("上传文件或照片").setInputFiles(path.join(FIXTURES, PHOTO));
    await expect(attachments.getByTestId("uploads")).toContainText(`已上传 ${PHOTO}`);
    await loadedImage(attachments.getByTestId("task-attached").getByRole("img", { name: THUMB }));
    await form.getByTestId("save-task").click();

    await expect(office.getByTestId("task-title")).toHaveText(title);
    await expect(office.getByTestId("task-status")).toHaveText("草稿");
    taskId = new URL(office.url()).pathname.split("/").pop()!;
    expect(taskId).not.toBe("new");
    await loadedImage(office.getByTestId("task-attachment-list").getByRole("img", { name: THUMB }));

    // A draft is changed on its own screen, the attachment still there.
    await office.getByTestId("edit-task").click();
    await expect(office).toHaveURL(new RegExp(`/tasks/${taskId}/edit$`));
    await hydrated(office);
    const again = office.getByTestId("task-form");
    await loadedImage(again.getByTestId("task-attached").getByRole("img", { name: THUMB }));
    await again.getByLabel("任务标题", { exact: true }).fill(title);
    await again.getByTestId("save-task").click();
    await expect(office).toHaveURL(new RegExp(`/tasks/${taskId}$`));
    await expect(office.getByTestId("task-title")).toHaveText(title);

    await office.getByRole("button", { name: "发布", exact: true }).click();
    await expect(office.getByRole("alertdialog")).toBeVisible();
    await office.getByTestId("publish-task").click();
    await expect(office.getByTestId("task-status")).toHaveText("已发布");
    await expect(office.getByTestId("task-counts")).toContainText("0/1");
    const rows = office.getByTestId("task-assignments").getByRole("row");
    await expect(rows.filter({ hasText: branchName })).toContainText("待办理");
  });

  let assignmentPath = "";
  await test.step("2. the secretary answers it from the inbox, linking a member record and uploading a photo", async () => {
    const from = visited.length;
    await secretary.goto("/workbench");
    await hydrated(secretary);
    const row = secretary.getByTestId("inbox-table").getByRole("row").filter({ hasText: title });
    await expect(row).toContainText("待完成任务");
    await row.getByRole("link", { name: title }).click();
    await expect(secretary.getByTestId("assignment-title")).toHaveText(title);
    assignmentPath = new URL(secretary.url()).pathname;
    expect(assignmentPath).toMatch(/^\/tasks\/assignments\//);
    await expect(secretary.getByTestId("assignment-status")).toHaveText("待办理");
    await expect(secretary.getByTestId("answer-requirement")).toContainText("须关联至少 1 条记录");
    await expect(secretary.getByTestId("answer-requirement")).toContainText("至少 1 张照片");
    // The office's attachment reaches the branch with the task.
    await loadedImage(secretary.getByTestId("assignment-attachments").getByRole("img", { name: THUMB }));

    const form = secretary.getByTestId("answer-form");
    await form.getByLabel("完成情况", { exact: true }).fill("上一考核期 3 项整改事项已全部按期销号，台账已归档。");
    await form.getByTestId("link-kind").selectOption({ label: "党员档案" });
    await form.getByTestId("link-words").fill(surname);
    await form.getByTestId("find-links").click();
    const candidates = form.getByTestId("link-candidates");
    const pick = candidates.getByRole("button", { name: new RegExp(surname) }).first();
    await expect(pick).toBeVisible();
    const label = (await pick.textContent())!.trim();
    await pick.click();
    await expect(form.getByTestId("answer-links")).toContainText(label);
    await expect(form.getByText("已关联 1 条")).toBeVisible();

    // A photo of the work, uploaded on the same screen: stored once, then linked like any
    // record, shown as its thumbnail.
    await form.getByLabel("上传文件或照片").setInputFiles(path.join(FIXTURES, PHOTO));
    await expect(form.getByTestId("uploads")).toContainText(`已上传 ${PHOTO}`);
    await expect(form.getByText("已关联 2 条")).toBeVisible();
    await loadedImage(form.getByTestId("answer-links").getByRole("img", { name: THUMB }));
    await form.getByTestId("submit-answer").click();

    await expect(secretary.getByTestId("assignment-status")).toHaveText("待评价");
    await expect(secretary.getByTestId("submission-1")).toContainText(label.split(" · ")[0]);
    await loadedImage(secretary.getByTestId("submission-1").getByRole("img", { name: THUMB }));
    await expect(secretary.getByTestId("answer-form")).toHaveCount(0);

    // Screens: 工作台 → the assignment.
    const used = visited.slice(from);
    test.info().annotations.push({ type: "secretary screens: answering", description: `${used.length}: ${used.join(" → ")}` });
    expect(used, "screens to answer").toHaveLength(2);
  });

  await test.step("3. the office scores 3 and returns it with a comment", async () => {
    await office.goto(`/tasks/queue?task=${taskId}`);
    await hydrated(office);
    const row = office.getByTestId("queue-table").getByRole("row").filter({ hasText: branchName });
    await expect(row).toContainText("待评价");
    await row.getByRole("link", { name: title }).click();
    await expect(office.getByTestId("assignment-title")).toHaveText(title);
    expect(new URL(office.url()).pathname).toBe(assignmentPath);
    // The reviewer sees the branch's photo beside the answer.
    // (The version under review is shown beside the scoring guidance and again in the history.)
    await loadedImage(office.getByTestId("submission-1").first().getByRole("img", { name: THUMB }));
    const review = office.getByTestId("review-form");
    await review.getByTestId("review-score").fill("3");
    await review.getByTestId("review-comment").fill("未附整改台账，请补充销号材料。");
    await review.getByTestId("return-review").click();
    await expect(office.getByTestId("assignment-status")).toHaveText("已退回");
    await expect(office.getByTestId("assignment-score")).toContainText("3");
    await expect(office.getByTestId("submission-1")).toContainText("未附整改台账");
  });

  await test.step("4. the secretary reworks the returned answer; the ledger item awaits re-check", async () => {
    const from = visited.length;
    await secretary.goto("/workbench");
    await hydrated(secretary);
    const row = secretary.getByTestId("inbox-table").getByRole("row").filter({ hasText: title });
    await expect(row).toContainText("退回重办");
    await row.getByRole("link", { name: title }).click();
    await expect(secretary.getByTestId("assignment-title")).toHaveText(title);
    await expect(secretary.getByTestId("assignment-status")).toHaveText("已退回");
    await expect(secretary.getByTestId("submission-1")).toContainText("未附整改台账");

    const form = secretary.getByTestId("answer-form");
    // The rework starts from what was sent, the linked record and the photo included.
    await expect(form.getByText("已关联 2 条")).toBeVisible();
    await form.getByLabel("完成情况", { exact: true }).fill("已补充整改台账：3 项整改事项均已销号，销号材料见附件。");
    await form.getByTestId("submit-answer").click();
    await expect(secretary.getByTestId("assignment-status")).toHaveText("待评价");
    await expect(secretary.getByTestId("submission-2")).toContainText("已补充整改台账");
    const rework = visited.slice(from);

    // The return's rectification item, in the ledger: 待复核 now that the work is resent.
    await secretary.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "任务考评" }).click();
    await expect(secretary).toHaveURL(/\/tasks$/);
    await secretary.getByRole("link", { name: "整改", exact: true }).click();
    const item = secretary.getByTestId("rectification-item").filter({ hasText: title });
    await expect(item).toContainText("评价退回");
    await expect(item).toContainText("未附整改台账");
    await expect(item.getByTestId("rectification-status")).toHaveText("待复核");
    // A return is answered by reworking the assignment, not in the ledger.
    await expect(item.getByTestId("rectify-answer")).toHaveCount(0);

    const used = visited.slice(from);
    test.info().annotations.push({
      type: "secretary screens: rectifying",
      description: `${rework.length} to rework (${rework.join(" → ")}); ${used.length} with the ledger (${used.join(" → ")})`,
    });
    expect(rework, "screens to rework").toHaveLength(2);
    expect(used, "screens to rework and see the ledger").toHaveLength(4);
  });

  await test.step("5. the office accepts the rework with 9 points; the item is closed", async () => {
    await office.goto(`/tasks/rectifications?org=${ORG}`);
    await hydrated(office);
    let item = office.getByTestId("rectification-item").filter({ hasText: title });
    await expect(item.getByTestId("rectification-status")).toHaveText("待复核");
    await item.getByRole("link", { name: "查看来源任务" }).click();
    await expect(office.getByTestId("assignment-title")).toHaveText(title);
    expect(new URL(office.url()).pathname).toBe(assignmentPath);
    await expect(office.getByTestId("assignment-status")).toHaveText("待评价");

    const review = office.getByTestId("review-form");
    await review.getByTestId("review-score").fill("9");
    await review.getByTestId("review-comment").fill("材料齐全，同意销号。");
    await review.getByTestId("accept-review").click();
    await expect(office.getByTestId("assignment-status")).toHaveText("已通过");
    await expect(office.getByTestId("assignment-score")).toContainText("9");
    await expect(office.getByTestId("review-form")).toHaveCount(0);

    await office.goto(`/tasks/rectifications?org=${ORG}`);
    await hydrated(office);
    item = office.getByTestId("rectification-item").filter({ hasText: title });
    await expect(item.getByTestId("rectification-status")).toHaveText("已销号");
  });

  await test.step("6. the branch's page shows the new score", async () => {
    const scoreAfter = await branchScore(office);
    test.info().annotations.push({ type: "branch score", description: `${scoreBefore} → ${scoreAfter}` });
    expect(scoreAfter).not.toBe(scoreBefore);
    expect(Number(scoreAfter)).toBeGreaterThan(Number(scoreBefore));
    const row = office.getByTestId("branch-indicators").locator("tr").filter({ hasText: indicator!.name });
    await expect(row).toContainText("9");
    await expect(office.getByTestId("branch-assignments").getByRole("row").filter({ hasText: title })).toContainText("已通过");
    await expect(office.getByTestId("branch-rectifications").getByRole("row").filter({ hasText: title })).toContainText("已销号");
  });

  // Also as console output, so the line reporter shows the counts.
  for (const a of test.info().annotations) console.log(`${a.type}: ${a.description}`);
});

test("a task to a member: the office picks the member, the member answers it from their own 待办", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const title = `党员个人任务 ${Date.now()}`;
  const office = await signedIn(browser, baseURL!, "office");
  const member = await signedIn(browser, baseURL!, "member");
  const visited = screens(member);
  // The member's name, from the header of their task list (a page of its own, so that
  // the 工作台 below counts as a screen).
  await member.goto("/tasks");
  await hydrated(member);
  const name = (await member.locator(".current-user").textContent())!.trim().replace("（演示）", "");
  expect(name.length).toBeGreaterThan(0);

  await test.step("the office writes the task to that member alone and publishes it", async () => {
    await office.goto("/tasks/new");
    await hydrated(office);
    const form = office.getByTestId("task-form");
    await form.getByTestId("task-indicator").selectOption({ index: 1 });
    await form.getByLabel("任务标题", { exact: true }).fill(title);
    await form.getByTestId("task-all-branches").uncheck();
    const picker = form.getByTestId("task-member-picker");
    await picker.getByTestId("task-member-words").fill(name);
    await picker.getByTestId("task-find-members").click();
    await picker
      .getByTestId("task-member-candidates")
      .getByRole("button", { name: `添加“${name} · 肿瘤内科第一党支部”` })
      .click();
    await expect(picker.getByTestId("task-members-picked")).toContainText(name);
    await form.getByLabel("截止日期").fill(chinaDay(7));
    await form.getByTestId("save-task").click();
    await expect(office.getByTestId("task-title")).toHaveText(title);
    await expect(office.getByTestId("task-members")).toHaveText(name);
    await office.getByRole("button", { name: "发布", exact: true }).click();
    await office.getByTestId("publish-task").click();
    await expect(office.getByTestId("task-status")).toHaveText("已发布");
    await expect(office.getByTestId("task-assignments")).toContainText(`${name} · 肿瘤内科第一党支部`);
  });

  await test.step("the member answers it: 工作台 → the assignment", async () => {
    const from = visited.length;
    await member.goto("/workbench");
    await hydrated(member);
    const row = member.getByTestId("inbox-table").getByRole("row").filter({ hasText: title });
    await row.getByRole("link", { name: title }).click();
    await expect(member.getByTestId("assignment-title")).toHaveText(title);
    await expect(member.getByTestId("assignment-status")).toHaveText("待办理");
    const form = member.getByTestId("answer-form");
    await form.getByLabel("完成情况", { exact: true }).fill("已按要求完成，心得见正文。");
    await form.getByTestId("submit-answer").click();
    await expect(member.getByTestId("assignment-status")).toHaveText("待评价");
    const used = visited.slice(from);
    test.info().annotations.push({ type: "member screens: answering", description: `${used.length}: ${used.join(" → ")}` });
    expect(used, "screens for a member to answer").toHaveLength(2);
  });
});
