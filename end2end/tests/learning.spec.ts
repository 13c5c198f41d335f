import { expect, test } from "@playwright/test";
import path from "node:path";
import { signIn } from "./support";

const PHOTO = path.join(__dirname, "..", "fixtures", "photo.png");

test("a secretary writes and publishes a course; a member finds it by a Chinese keyword, reads it, comes back where they left off and finishes it", async ({ browser, baseURL }) => {
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/learning");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  // A title of this run (the suite may run twice against one server).
  const title = `科室党建学习${Date.now() % 100000}`;
  await secretary.getByText("新建课程").click();
  const form = secretary.getByTestId("course-form");
  await form.getByLabel("标题", { exact: true }).fill(title);
  await form.getByLabel("分类", { exact: true }).selectOption("theory");
  await form.getByLabel("标签", { exact: true }).fill("党建、科室");
  await form.getByRole("button", { name: "创建草稿" }).click();
  await expect(secretary.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(secretary.getByTestId("course-meta")).toContainText("草稿");

  // A chapter, then an article written in Markdown with the preview beside it.
  await secretary.getByLabel("新章节标题").fill("第一章　学习要点");
  await secretary.getByRole("button", { name: "添加章节" }).click();
  await expect(secretary.getByTestId("course-outline")).toContainText("第一章　学习要点");
  await secretary.getByTestId("article-new").click();
  await expect(secretary.getByRole("heading", { level: 1 })).toHaveText("添加文章");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await secretary.getByLabel("标题", { exact: true }).fill("党建引领业务");
  // Long enough to scroll: the member's place in it is kept.
  const paragraphs = Array.from({ length: 60 }, (_, i) => `第${i + 1}段：学习党章，遵守纪律。`);
  await secretary
    .getByLabel("正文（Markdown）")
    .fill(`## 三会一课\n\n**按时参加**组织生活。<script>alert(1)</script>\n\n${paragraphs.join("\n\n")}`);
  const preview = secretary.getByTestId("article-preview");
  await expect(preview.locator("h2")).toHaveText("三会一课");
  await expect(preview.locator("strong")).toHaveText("按时参加");
  // A photo uploaded in the editor goes into the text at the cursor (here after the
  // heading's paragraph) and shows in the preview; one from the internet does not.
  const markdown = secretary.getByLabel("正文（Markdown）");
  await markdown.evaluate((el: HTMLTextAreaElement) => {
    const at = el.value.indexOf("<script>");
    el.focus();
    el.setSelectionRange(at, at);
  });
  await secretary.getByTestId("article-image").getByTestId("upload-input").setInputFiles(PHOTO);
  await expect(markdown).toHaveValue(/!\[photo\]\(\/files\/f[0-9a-f]+\)\n\n<script>/);
  await expect(preview.getByRole("img", { name: "photo" })).toBeVisible();
  await secretary.getByRole("button", { name: "保存" }).click();
  const body = secretary.getByTestId("article-body");
  await expect(body.locator("h2")).toHaveText("三会一课");
  await expect(body.locator("script")).toHaveCount(0);
  await expect(body.getByRole("img", { name: "photo" })).toBeVisible();

  // A cover, from the course's own form; then published from the course's page.
  await secretary.getByRole("link", { name: title }).click();
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await secretary.getByText("修改课程信息").click();
  const coverField = secretary.getByTestId("course-cover-field");
  await expect(coverField).toContainText("未设置封面");
  await coverField.getByTestId("upload-input").setInputFiles(PHOTO);
  await expect(coverField.locator("img.course-cover")).toBeVisible();
  await coverField.locator("xpath=ancestor::form").getByRole("button", { name: "保存" }).click();
  await expect(secretary.getByTestId("course-cover")).toBeVisible();
  await secretary.getByTestId("course-publish").click();
  await expect(secretary.getByTestId("course-meta")).toContainText("已发布");

  // The chapter is renamed in place, from its own closed form.
  const rename = secretary.getByTestId("chapter-rename");
  await rename.locator("summary").click();
  await rename.getByLabel("章节标题", { exact: true }).fill("第一章　学习要点（修订）");
  await rename.getByRole("button", { name: "重命名章节" }).click();
  await expect(secretary.getByTestId("course-outline").locator("h3")).toHaveText("第一章　学习要点（修订）");

  // A member of the branch finds it by its Chinese title and reads it; no editing for them.
  const memberContext = await browser.newContext();
  let member = await memberContext.newPage();
  await signIn(member.request, baseURL!, "member");
  await member.goto("/learning");
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(member.getByText("新建课程")).toHaveCount(0);
  await member.getByLabel("搜索课程").fill(title);
  await member.getByRole("button", { name: "搜索" }).click();
  await expect(member.getByTestId("course-list")).toContainText(title);
  // A phrase of the article's text, without blanks, finds the article too, its words marked.
  await member.getByLabel("搜索课程").fill("按时参加");
  await member.getByRole("button", { name: "搜索" }).click();
  const hits = member.getByTestId("search-hits").first();
  await expect(hits).toContainText("党建引领业务");
  await expect(hits.locator("mark").first()).toHaveText("按时");
  await member.getByLabel("搜索课程").fill(title);
  await member.getByRole("button", { name: "搜索" }).click();
  await expect(member.getByTestId("course-list")).toContainText(title);
  // The cover shows in the list, and the photo in the article: the member may fetch both.
  const found = member.getByTestId("course-list").locator("li", { hasText: title });
  const listed = found.getByTestId("course-cover");
  await expect.poll(() => listed.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await member.getByRole("link", { name: title }).click();
  await member.getByRole("link", { name: "党建引领业务" }).click();
  await expect(member.getByTestId("article-body")).toContainText("按时参加");
  await expect(member.getByTestId("article-edit")).toHaveCount(0);
  const photo = member.getByTestId("article-body").getByRole("img", { name: "photo" });
  await photo.scrollIntoViewIfNeeded();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await member.evaluate(() => window.scrollTo(0, 0));

  // Halfway down, then away: the place is sent on leaving; coming back opens it there.
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(member.getByTestId("reading-state")).toContainText("读到文末即记为学完");
  await member.evaluate(() =>
    window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) / 2),
  );
  const crumbs = member.getByRole("navigation", { name: "位置" });
  await crumbs.getByRole("link", { name: title }).click();
  await expect(member.getByTestId("course-progress")).toHaveText("已学 0/1");
  await expect(member.getByTestId("item-done")).toHaveCount(0);
  await member.getByRole("link", { name: "党建引领业务" }).click();
  await expect(member.getByTestId("article-body")).toContainText("按时参加");
  await expect.poll(() => member.evaluate(() => window.scrollY)).toBeGreaterThan(200);

  // Further down, then the tab is closed: the place goes as a beacon while the page goes
  // away, and a new tab opens it there.
  const ratio = () =>
    member.evaluate(() => window.scrollY / (document.documentElement.scrollHeight - window.innerHeight));
  await member.evaluate(() =>
    window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * 0.8),
  );
  const article = member.url();
  const closed = member;
  member = await memberContext.newPage();
  await closed.close({ runBeforeUnload: true });
  await expect
    .poll(async () => {
      await member.goto(article);
      await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
      await expect.poll(() => member.evaluate(() => window.scrollY)).toBeGreaterThan(200);
      return ratio();
    })
    .toBeGreaterThan(0.7);
  const crumbsAgain = member.getByRole("navigation", { name: "位置" });

  // To the end: finished at once, and the course says so.
  await member.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(member.getByTestId("reading-state")).toContainText("已学完");
  await crumbsAgain.getByRole("link", { name: title }).click();
  await expect(member.getByTestId("item-done")).toHaveCount(1);
  await expect(member.getByTestId("course-progress")).toHaveText("已学 1/1");
  // The list shows it too.
  await member.goto("/learning");
  const card = member.getByTestId("course-list").locator("li", { hasText: title });
  await expect(card.getByTestId("course-done")).toHaveText("已学 1/1");
  // Finishing it earned points, with the reason (newest first); nobody is ranked.
  await member.getByTestId("points-link").click();
  await expect(member.getByRole("heading", { level: 1 })).toHaveText("我的积分");
  const earned = member.getByTestId("points-row").first();
  await expect(earned).toContainText("党建引领业务");
  await expect(earned).toContainText("学完一项学习内容");
  await expect(earned).toContainText("+1");
  await expect(member.getByTestId("points-total")).toContainText("累计");
});

test("a secretary adds a video by uploading it; a member watches part, comes back at the same place, and finishes it by playing it", async ({ browser, baseURL }) => {
  const secretary = await browser.newPage();
  await signIn(secretary.request, baseURL!, "secretary");
  await secretary.goto("/learning");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  const title = `视频党课${Date.now() % 100000}`;
  await secretary.getByText("新建课程").click();
  const form = secretary.getByTestId("course-form");
  await form.getByLabel("标题", { exact: true }).fill(title);
  await form.getByRole("button", { name: "创建草稿" }).click();
  await expect(secretary.getByRole("heading", { level: 1 })).toHaveText(title);
  await secretary.getByLabel("新章节标题").fill("第一章　视频");
  await secretary.getByRole("button", { name: "添加章节" }).click();
  await expect(secretary.getByTestId("course-outline")).toContainText("第一章　视频");
  const course = secretary.url();

  // The video: uploaded into the store, then saved as the chapter's item.
  await secretary.getByTestId("video-new").click();
  await expect(secretary.getByRole("heading", { level: 1 })).toHaveText("添加视频");
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  const media = secretary.getByTestId("media-form");
  await media.getByLabel("标题", { exact: true }).fill("专题党课第一讲");
  // Saved without its file: refused by field, what was typed kept.
  await media.getByRole("button", { name: "保存" }).click();
  await expect(media).toContainText("请上传文件");
  await expect(media.getByLabel("标题", { exact: true })).toHaveValue("专题党课第一讲");
  await media.getByTestId("upload-input").setInputFiles("../app/src/server/demo/clip.webm");
  await expect(media.getByTestId("media-chosen")).toHaveText("clip.webm");
  await media.getByRole("button", { name: "保存" }).click();
  await expect(secretary.getByTestId("item-video")).toBeVisible();
  await secretary.goto(course);
  await expect(secretary.locator("body")).toHaveAttribute("data-hydrated", "true");
  await secretary.getByTestId("course-publish").click();
  await expect(secretary.getByTestId("course-meta")).toContainText("已发布");

  // A member plays the first part at four times the speed, then pauses.
  const member = await browser.newPage();
  await signIn(member.request, baseURL!, "member");
  await member.goto(course);
  await member.getByRole("link", { name: "专题党课第一讲" }).click();
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  const state = member.getByTestId("reading-state");
  await expect(state).toContainText("已观看 0%");
  const video = member.getByTestId("item-video");
  await video.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    v.playbackRate = 4;
    await v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(4);
  await video.evaluate((v: HTMLVideoElement) => v.pause());
  const percent = async () => Number((await state.textContent())?.match(/已观看 (\d+)%/)?.[1] ?? 0);
  await expect.poll(percent).toBeGreaterThan(30);
  const left = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  expect(await percent()).toBeLessThan(90);

  // Away and back: the video goes on where it was paused.
  await member.getByRole("navigation", { name: "位置" }).getByRole("link", { name: title }).click();
  await expect(member.getByTestId("item-done")).toHaveCount(0);
  await member.getByRole("link", { name: "专题党课第一讲" }).click();
  await expect(member.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect
    .poll(() => member.getByTestId("item-video").evaluate((v: HTMLVideoElement) => v.currentTime))
    .toBeGreaterThan(left - 1);

  // Played to the end: finished, and the course says so.
  await member.getByTestId("item-video").evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    v.playbackRate = 4;
    await v.play();
  });
  await expect(member.getByTestId("reading-state")).toContainText("已学完", { timeout: 15_000 });
  await member.getByRole("navigation", { name: "位置" }).getByRole("link", { name: title }).click();
  await expect(member.getByTestId("item-done")).toHaveCount(1);

  // The member's learning record says so, with the day, never a time.
  await member.goto("/learning");
  await member.getByTestId("my-record").click();
  await expect(member.getByRole("heading", { level: 1 })).toContainText("学习档案");
  const entry = member.getByTestId("record-course").filter({ hasText: title });
  await expect(entry.getByTestId("record-done")).toHaveText("已学 1/1");
  await expect(entry).toContainText("专题党课第一讲");
  await expect(entry).toContainText("学完");
  await expect(member.getByTestId("learning-record")).not.toContainText("分钟");
});
