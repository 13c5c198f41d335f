import { APIRequestContext, expect } from "@playwright/test";

export const PASSWORD = "Zhibu@2026";

/** Signs in through the real endpoint; the cookie lands in the browser context. */
export async function signIn(request: APIRequestContext, baseURL: string, username: string) {
  const res = await request.post("/api/login", {
    form: { "input[username]": username, "input[password]": PASSWORD },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status(), `sign in as ${username}`).toBeLessThan(400);
}
