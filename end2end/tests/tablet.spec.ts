import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// The demo's sign-in PIN of every member of the secretary's branch (README).
const PIN = "2468";

test("a tablet is paired, three members sign in, the projector follows, an offline sign-in lands once", async ({ browser, baseURL }) => {
  // A new tablet at 1024×768 in the meeting room: no login, it shows a pairing code.
  const tabletContext = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const tablet = await tabletContext.newPage();
  await tablet.goto("/tablet");
  await expect(tablet.locator("body")).toHaveAttribute("data-hydrated", "true");
  const codeText = await tablet.getByTestId("tablet-code").innerText({ timeout: 10_000 });
  const code = codeText.replace(/\D/g, "");
  expect(code).toHaveLength(6);

  // The committee office types the code and picks the room.
  const office = await browser.newPage();
  await signIn(office.request, baseURL!, "office");
  await office.goto("/meetings");
  await expect(office.locator("body")).toHaveAttribute("data-hydrated", "true");
  await office.getByTestId("meeting-rooms").click();
  const pairForm = office.getByTestId("pair-form");
  await expect(pairForm).toBeVisible();
  await pairForm.getByRole("combobox").first().selectOption({ label: "门诊楼 5 楼会议室" });
  await pairForm.getByLabel("配对码").fill(code);
  await office.getByTestId("tablet-pair").click();
  await expect(office.getByTestId("room-table")).toContainText("门诊楼 5 楼会议室");

  // The tablet turns to the room's meeting of the day by itself.
  const meeting = tablet.getByTestId("tablet-meeting");
  await expect(meeting).toBeVisible({ timeout: 10_000 });
  const meetingId = await meeting.getAttribute("data-meeting");
  expect(meetingId).toBeTruthy();
  const count = tablet.getByTestId("tablet-count").locator(".tablet-count-value");
  const before = Number(await count.innerText());

  // The projector view in a second browser (the secretary's laptop on the projector).
  const projector = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await signIn(projector.request, baseURL!, "secretary");
  await projector.goto(`/screen/meetings/${meetingId}`);
  await expect(projector.locator("#count")).toContainText(`已签到 ${before} /`);

  // Large touch targets: the names and the keypad.
  const firstName = tablet.getByTestId("tablet-name").first();
  expect((await firstName.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(64);

  // Three members sign in: tap the name, the PIN on the keypad, confirm.
  const signInNext = async () => {
    const name = tablet.getByTestId("tablet-name").and(tablet.locator(":enabled")).first();
    const who = (await name.locator(".tablet-name-text").innerText()).trim();
    await name.click();
    const dialog = tablet.getByTestId("pin-dialog");
    await expect(dialog).toBeVisible();
    const key = dialog.getByRole("button", { name: "5", exact: true });
    expect((await key.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(72);
    for (const digit of PIN) {
      await dialog.getByRole("button", { name: digit, exact: true }).click();
    }
    await dialog.getByTestId("pin-confirm").click();
    await expect(dialog).toBeHidden();
    return who;
  };
  const signed: string[] = [];
  for (let i = 1; i <= 3; i++) {
    signed.push(await signInNext());
    await expect(count).toHaveText(String(before + i));
    // The other screen follows within a second.
    await expect(projector.locator("#count")).toContainText(`已签到 ${before + i} /`, { timeout: 1_500 });
  }
  for (const who of signed) {
    await expect(projector.locator("#names")).toContainText(who);
  }
  await tablet.screenshot({ path: "test-results/tablet-signed-in.png" });

  // The network drops: the sign-in waits on the tablet, and is delivered once it returns.
  await tabletContext.setOffline(true);
  const offlineWho = await signInNext();
  await expect(tablet.getByTestId("tablet-queue")).toContainText("1 条签到待上传");
  await expect(projector.locator("#count")).toContainText(`已签到 ${before + 3} /`);
  await tabletContext.setOffline(false);
  await expect(tablet.getByTestId("tablet-queue")).not.toContainText("待上传", { timeout: 15_000 });
  await expect(projector.locator("#count")).toContainText(`已签到 ${before + 4} /`, { timeout: 5_000 });
  await expect(projector.locator("#names")).toContainText(offlineWho);
  // Exactly once: a reload of the tablet (nothing waits to be sent) shows the same count.
  await tablet.reload();
  await expect(tablet.getByTestId("tablet-count").locator(".tablet-count-value")).toHaveText(String(before + 4), { timeout: 10_000 });
  await tabletContext.close();
});
