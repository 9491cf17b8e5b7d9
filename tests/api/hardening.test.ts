import { describe, expect, it } from "vitest";
import { call, expectStatus, newTenant, newWorkspace, type Json } from "../support/harness";

const expectCommonError = (res: { status: number; json: Json; text: string }, status: number, code?: string) => {
  expectStatus(res, status);
  expect(res.json.error, res.text).toEqual(expect.objectContaining({ message: expect.any(String), requestId: expect.any(String) }));
  if (code) expect(res.json.error.code).toBe(code);
  expect(Object.keys(res.json)).toEqual(["error"]);
};

describe("api hardening: errors", () => {
  it("malformed JSON answers 400 in the common error shape", async () => {
    const t = await newTenant();
    for (const rawBody of ["{", '{"name": "x",}', "nul", '{"name": "unterminated']) {
      const res = await call("POST", "/api/workspaces", { token: t.token, rawBody, headers: { "content-type": "application/json" } });
      expectCommonError(res, 400);
      expect(res.json.error.message).toBe("Malformed JSON in request body");
    }
    const pub = await call("POST", "/api/invitations/accept", { rawBody: "{{", headers: { "content-type": "application/json" }, ip: "203.0.113.1" });
    expectCommonError(pub, 400);
  });

  it("wrong types and non-object bodies answer 400 VALIDATION_FAILED with details", async () => {
    const t = await newTenant();
    for (const body of [{ name: 42 }, { name: ["x"] }, { name: null }, { name: { $gt: "" } }, [], "name", 7, null]) {
      const res = await call("POST", "/api/workspaces", { token: t.token, body });
      expectCommonError(res, 400, "VALIDATION_FAILED");
      expect(Array.isArray(res.json.error.details), res.text).toBe(true);
    }
    expectCommonError(await call("PATCH", `/api/orgs/${t.orgId}`, { token: t.token, body: { kind: 1 } }), 400, "VALIDATION_FAILED");
  });

  it("a validation error's message is a sentence naming the field, not zod's wording", async () => {
    const t = await newTenant();
    const cases: [Json, RegExp][] = [
      [{ name: "" }, /^Name is required\.$/],
      [{}, /^Name is required\.$/],
      [{ name: 42 }, /^Name must be a string\.$/],
      [{ name: "x", colour: "red" }, /^Unknown field: colour\.$/],
    ];
    for (const [body, message] of cases) {
      const res = await call("POST", "/api/workspaces", { token: t.token, body });
      expectCommonError(res, 400, "VALIDATION_FAILED");
      expect(res.json.error.message, JSON.stringify(body)).toMatch(message);
    }
  });

  it("unknown fields on strict bodies answer 400 (no mass assignment)", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t);
    const attempts: [string, string, Json][] = [
      ["POST", "/api/workspaces", { name: "x", orgId: t.orgId, id: "chosen-id" }],
      ["PATCH", `/api/workspaces/${ws.id}`, { name: "x", orgId: "another-org" }],
      ["PATCH", `/api/orgs/${t.orgId}`, { name: "x", role: "owner" }],
      ["POST", `/api/orgs/${t.orgId}/invitations`, { email: "a@example.test", role: "member", expiresAt: 0 }],
      ["POST", `/api/workspaces/${ws.id}/invitations`, { email: "a@example.test", role: "viewer", workspaceId: "x" }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, { token: t.token, body });
      expectCommonError(res, 400, "VALIDATION_FAILED");
      expect(res.json.error.details[0].code, `${method} ${path}`).toBe("unrecognized_keys");
    }
    expect((await call("GET", `/api/workspaces/${ws.id}`, { token: t.token })).json.orgId).toBe(t.orgId);
  });

  it("a body over 1 MB answers 413, with or without a Content-Length", async () => {
    const t = await newTenant();
    const big = JSON.stringify({ name: "x", description: "y".repeat(1024 * 1024 + 10) });
    expectCommonError(await call("POST", "/api/workspaces", { token: t.token, rawBody: big, headers: { "content-type": "application/json" } }), 413, "PAYLOAD_TOO_LARGE");
    const chunk = new TextEncoder().encode("z".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent === 0) ctrl.enqueue(new TextEncoder().encode('{"name":"'));
        if (sent++ < 20) ctrl.enqueue(chunk);
        else ctrl.close();
      },
    });
    const streamed = await call("POST", "/api/workspaces", { token: t.token, rawBody: stream, headers: { "content-type": "application/json" } });
    expectCommonError(streamed, 413, "PAYLOAD_TOO_LARGE");
    expectCommonError(await call("POST", "/api/invitations/preview", { rawBody: big, headers: { "content-type": "application/json" }, ip: "203.0.113.2" }), 413);
    expect((await call("GET", "/api/workspaces", { token: t.token })).json.workspaces).toEqual([]);
  });
});

describe("api hardening: security", () => {
  const odd: [string, string][] = [
    ["lone high surrogate", "bad \uD800 name"],
    ["lone low surrogate", "\uDC00"],
    ["NUL", "nul\u0000byte"],
    ["RTL override", "invoice\u202Egnp.exe"],
    ["zero-width and combining", "Z\u200B\u0301a\u0308lgo"],
    ["emoji with joiners", "Team 👩‍👩‍👧‍👦 🦄🇺🇦"],
    ["astral CJK", "𠜎𠜱𠝹"],
    ["control characters", "\u0001\u001f\u007f\u0085"],
    ["120 emoji", "😀".repeat(120)],
  ];

  it("odd unicode in names is stored intact or refused with 4xx, never 5xx", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t);
    for (const [what, name] of odd) {
      const res = await call("PATCH", `/api/workspaces/${ws.id}`, { token: t.token, body: { name } });
      // JSON.stringify escapes lone surrogates: the test runner's channel refuses them raw.
      expect(res.status, `${what}: ${JSON.stringify(res.text)}`).toBeLessThan(500);
      if (res.status === 200) {
        const stored = (await call("GET", `/api/workspaces/${ws.id}`, { token: t.token })).json.name;
        expect(JSON.stringify(stored), what).toBe(JSON.stringify(name.trim()));
      } else {
        expect(res.status, what).toBeGreaterThanOrEqual(400);
      }
      // D1 would replace a lone surrogate with U+FFFD: such text is refused rather than altered.
      if (what.startsWith("lone")) expectCommonError(res, 400, "VALIDATION_FAILED");
    }
    for (const [what, name] of odd) {
      const res = await call("PATCH", `/api/orgs/${t.orgId}`, { token: t.token, body: { name } });
      expect(res.status, `org ${what}: ${JSON.stringify(res.text)}`).toBeLessThan(500);
    }
  });

  it("very long strings answer 400, never 5xx, in bodies, paths and queries", async () => {
    const t = await newTenant();
    const long = "L".repeat(200_000);
    expectCommonError(await call("POST", "/api/workspaces", { token: t.token, body: { name: long } }), 400);
    expectCommonError(await call("POST", `/api/orgs/${t.orgId}/invitations`, { token: t.token, body: { email: `${long}@example.test`, role: "member" } }), 400);
    expectCommonError(await call("POST", "/api/invitations/accept", { body: { token: long, password: long }, ip: "203.0.113.3" }), 400);
    for (const path of [`/api/workspaces/${"w".repeat(8000)}`, `/api/orgs/${"o".repeat(8000)}/members`, `/api/workspaces?x=${"q".repeat(8000)}`]) {
      const res = await call("GET", path, { token: t.token });
      expect(res.status, path.slice(0, 40)).toBeLessThan(500);
    }
  });

  it("odd bytes in path parameters answer 4xx, never 5xx", async () => {
    const t = await newTenant();
    for (const id of ["%00", "%E0%A4%A", "%F0%9F%A6%84", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1--", "%D8%00", "%u202E", "x%0D%0ASet-Cookie:%20a=b"]) {
      for (const path of [`/api/workspaces/${id}`, `/api/orgs/${id}`, `/api/workspaces/${id}/portal-users/${id}`]) {
        const res = await call("GET", path, { token: t.token });
        expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        expect(res.headers.get("set-cookie")).toBeNull();
      }
    }
  });
});
