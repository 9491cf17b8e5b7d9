import { describe, expect, it } from "vitest";
import { call, expectStatus, newTenant } from "../support/harness";

const form = () => {
  const f = new FormData();
  f.set("name", "Form Co");
  return f;
};

describe("JSON routes refuse other media types with 415", () => {
  it.each([
    ["text/plain", () => JSON.stringify({ name: "Plain Co" }), { "content-type": "text/plain" }],
    ["form-urlencoded", () => new URLSearchParams({ name: "Url Co" }), {}],
    ["multipart", form, {}],
    ["no content type", () => JSON.stringify({ name: "Bare Co" }), { "content-type": "" }],
  ] as const)("%s → 415 in the error shape and nothing created", async (_label, body, headers) => {
    const t = await newTenant();
    const res = await call("POST", "/api/workspaces", { token: t.token, rawBody: body(), headers: { ...headers } });
    expectStatus(res, 415);
    expect(res.json).toEqual({ error: { code: "UNSUPPORTED_MEDIA_TYPE", message: expect.stringContaining("JSON"), requestId: expect.any(String) } });
    const list = await call("GET", "/api/workspaces", { token: t.token });
    expect(list.json.workspaces).toEqual([]);
  });

  it("a form body to a route whose fields are all optional is not read as {}", async () => {
    const res = await call("POST", "/api/auth/logout", { rawBody: new URLSearchParams({ a: "b" }) });
    expectStatus(res, 415);
  });

  it("JSON with a charset or a +json type passes; a bodiless POST passes; webhooks keep their raw bodies", async () => {
    const t = await newTenant();
    expectStatus(await call("POST", "/api/workspaces", { token: t.token, rawBody: JSON.stringify({ name: "Charset Co" }), headers: { "content-type": "application/json; charset=utf-8" } }), 201);
    expectStatus(await call("POST", "/api/workspaces", { token: t.token, rawBody: JSON.stringify({ name: "Merge Co" }), headers: { "content-type": "application/merge-patch+json" } }), 201);
    expectStatus(await call("POST", "/api/auth/logout", { token: t.token }), 204);
    const hook = await call("POST", "/api/webhooks/shopify", { rawBody: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(hook.status).not.toBe(415);
  });
});
