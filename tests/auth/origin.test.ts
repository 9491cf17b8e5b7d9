import { describe, expect, it } from "vitest";
import { call, expectStatus, type Json } from "../support/harness";
import { cookieHeader, signupAccount as signUp } from "./helpers";

const APP = "http://localhost:8787";
const post = (path: string, cookie: string, headers: Record<string, string>) => call("POST", path, { headers: { ...cookieHeader(cookie), ...headers } });
const expectForbidden = (res: { status: number; json: Json; text: string; headers: Headers }) => {
  expectStatus(res, 403);
  expect(res.json.error).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
  expect(res.headers.getSetCookie().join("\n")).not.toMatch(/qweb_refresh=/);
};

describe("refresh and logout check Origin against APP_URL (CSRF)", () => {
  it.each([
    ["another site", { origin: "https://evil.example" }],
    ["a lookalike port", { origin: "http://localhost:8788" }],
    ["an opaque origin", { origin: "null" }],
    ["no Origin but a cross-site fetch", { "sec-fetch-site": "cross-site" }],
  ])("refresh from %s is 403 and the session is untouched", async (_l, headers) => {
    const a = await signUp();
    expectForbidden(await post("/api/auth/refresh", a.cookie, headers));
    // The cookie still works from the app: nothing was rotated or revoked.
    expectStatus(await post("/api/auth/refresh", a.cookie, { origin: APP }), 200);
  });

  it("logout from another origin is 403 and does not sign the user out", async () => {
    const a = await signUp();
    expectForbidden(await post("/api/auth/logout", a.cookie, { origin: "https://evil.example" }));
    expectStatus(await call("GET", "/api/me", { token: a.token }), 200);
    expectStatus(await post("/api/auth/logout", a.cookie, { origin: APP }), 204);
    expectStatus(await call("GET", "/api/me", { token: a.token }), 401);
  });

  it("a non-browser client (no Origin, no Sec-Fetch-Site) may refresh", async () => {
    const a = await signUp();
    expectStatus(await post("/api/auth/refresh", a.cookie, {}), 200);
  });
});
