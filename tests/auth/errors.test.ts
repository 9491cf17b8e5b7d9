import { describe, expect, it } from "vitest";
import { call } from "../support/harness";
import { nextIp, signupAccount } from "./helpers";

type Bad = { name: string; rawBody?: string; body?: unknown; headers?: Record<string, string> };
const BAD_INPUTS: Bad[] = [
  { name: "malformed JSON", rawBody: '{"email": "a@b.c", ', headers: { "content-type": "application/json" } },
  { name: "no body", rawBody: "", headers: { "content-type": "application/json" } },
  { name: "JSON null", rawBody: "null", headers: { "content-type": "application/json" } },
  { name: "JSON array", body: [1, 2] },
  { name: "wrong content type", rawBody: "email=a@b.c", headers: { "content-type": "application/x-www-form-urlencoded" } },
  { name: "wrong types", body: { email: 42, password: ["x"], token: {}, name: false, currentPassword: 1, newPassword: 2 } },
  { name: "huge strings", body: { email: `${"a".repeat(5000)}@b.c`, password: "p".repeat(5000), token: "t".repeat(5000), name: "n".repeat(5000) } },
];

const BODY_ROUTES: [method: string, path: string, needsToken: boolean][] = [
  ["POST", "/api/auth/signup", false],
  ["POST", "/api/auth/login", false],
  ["POST", "/api/auth/password", true],
  ["POST", "/api/auth/password-reset/request", false],
  ["POST", "/api/auth/password-reset/confirm", false],
  ["PATCH", "/api/me", true],
];

const expectClientError = (res: { status: number; json: any; text: string }, what: string) => {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.json.error?.code, what).toEqual(expect.any(String));
  expect(res.json.error?.message, what).toEqual(expect.any(String));
  expect(res.json.error?.requestId, what).toEqual(expect.any(String));
};

describe("auth routes: errors", () => {
  it("every body-taking auth route answers bad input with 4xx in the common shape, never 5xx", async () => {
    const a = await signupAccount();
    for (const [method, path, needsToken] of BODY_ROUTES) {
      for (const bad of BAD_INPUTS) {
        // The shared json validator reads a non-JSON body as {}, which is a valid (empty) PATCH /api/me.
        if (path === "/api/me" && bad.name === "wrong content type") continue;
        const res = await call(method, path, { ...bad, token: needsToken ? a.token : undefined, ip: nextIp() });
        expectClientError(res, `${method} ${path} with ${bad.name}`);
      }
    }
  });

  it("cookie and bearer routes answer 401 in the common shape without credentials or with garbage ones", async () => {
    const garbage: Record<string, string>[] = [{}, { cookie: "qweb_refresh=%%%" }, { cookie: `qweb_refresh=${"x".repeat(4000)}` }, { authorization: "Bearer" }, { authorization: "Basic abc" }];
    for (const headers of garbage) {
      expectClientError(await call("POST", "/api/auth/refresh", { headers }), `refresh ${JSON.stringify(headers).slice(0, 60)}`);
      expectClientError(await call("POST", "/api/auth/logout-all", { headers }), "logout-all");
      expectClientError(await call("GET", "/api/auth/sessions", { headers }), "sessions");
      expectClientError(await call("POST", "/api/auth/password", { headers, body: { currentPassword: "x", newPassword: "y".repeat(12) } }), "password");
      expectClientError(await call("GET", "/api/me/activity", { headers }), "me/activity");
    }
    expectClientError(await call("POST", "/api/auth/logout"), "logout without credentials");
  });

  it("login failures say nothing about whether the account exists", async () => {
    const a = await signupAccount();
    const known = await call("POST", "/api/auth/login", { body: { email: a.email, password: "wrong password here" }, ip: nextIp() });
    const unknown = await call("POST", "/api/auth/login", { body: { email: `nobody.${Date.now()}@example.test`, password: "wrong password here" }, ip: nextIp() });
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(known.json.error.message).toBe(unknown.json.error.message);
  });
});
