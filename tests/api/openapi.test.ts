import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { isDeclaredAction } from "../../worker/features/activity/labels";
import { apiRoutes, openApiPath } from "../../worker/features/openapi/service";
import { call, expectStatus } from "../support/harness";
import { openApi31Validator } from "./openapi-validator";

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: Record<string, any> };
const fetchDoc = async () => {
  const res = await call("GET", "/api/openapi.json");
  expectStatus(res, 200);
  return { res, doc: res.json as Doc };
};

describe("openapi: happy path", () => {
  it("serves a valid OpenAPI 3.1 document without a session", async () => {
    const { res, doc } = await fetchDoc();
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(doc.openapi).toBe("3.1.0");
    const result = await openApi31Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every registered API route (except local-only /api/dev) with a summary and tags", async () => {
    const { doc } = await fetchDoc();
    const routes = apiRoutes(app.routes).filter((r) => !r.path.startsWith("/api/dev/"));
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) {
      const op = doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path} is missing from /api/openapi.json`).toBeDefined();
      expect(op.summary, `${r.method} ${r.path} has no doc({ summary })`).not.toBe(`${r.method} ${r.path}`);
      expect(op.tags.length).toBeGreaterThan(0);
    }
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/api/dev"))).toBe(false);
    expect(Object.keys(doc.paths).some((p) => p.includes(":"))).toBe(false);
  });

  it("describes bodies, path parameters and security from the routes' own schemas", async () => {
    const { doc } = await fetchDoc();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message", "requestId"]);

    const invite = doc.paths["/api/orgs/{orgId}/invitations"]!.post;
    expect(invite.parameters).toEqual([{ name: "orgId", in: "path", required: true, schema: { type: "string" } }]);
    const body = invite.requestBody.content["application/json"].schema;
    expect(body.properties.role).toEqual({ type: "string", enum: ["admin", "member"] });
    expect(body.required).toEqual(["email", "role"]);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(invite.responses)).toEqual(expect.arrayContaining(["201", "4XX"]));
    expect(invite.security).toBeUndefined();

    const accept = doc.paths["/api/invitations/accept"]!.post;
    expect(accept.security).toEqual([]);
    expect(accept.requestBody.content["application/json"].schema.required).toEqual(["token", "password"]);
    expect(doc.paths["/api/workspaces/{workspaceId}/portal-users/{userId}"]!.delete.responses["204"]).toBeDefined();
    expect(doc.paths["/api/auth/login"]!.post.security).toEqual([]);
    expect(doc.paths["/api/auth/sessions"]!.get.security, "bearer-only route under a public prefix").toBeUndefined();
  });
});

describe("openapi: every route's contract", () => {
  const operations = (doc: Doc) =>
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, method, op })));

  it("documents a response schema for every success (or says there is no body)", async () => {
    const { doc } = await fetchDoc();
    // Every offending route at once, so one run lists all the work.
    const missing: string[] = [];
    for (const { name, op } of operations(doc)) {
      const success = Object.entries<Record<string, any>>(op.responses).filter(([status]) => /^[23]\d\d$/.test(status));
      if (success.length === 0) missing.push(`${name} documents no success status`);
      for (const [status, response] of success) {
        const bodiless = status === "204" || status.startsWith("3") || response.description === "No content";
        if (!bodiless && !response.content) missing.push(`${name} ${status}: declare doc({ response }) (or response: null)`);
      }
      if (op.responses["4XX"]?.$ref !== "#/components/responses/Error") missing.push(`${name} documents no error shape`);
    }
    expect(missing).toEqual([]);
  });

  it("every state-changing route declares its activity action, and every action has a label", async () => {
    const { doc } = await fetchDoc();
    const missing: string[] = [];
    for (const { name, method, op } of operations(doc)) {
      if (method === "get") continue;
      const action = op["x-activity"];
      if (typeof action !== "string" || !/^[a-z-]+(\.[a-z-]+)+$/.test(action)) missing.push(`${name}: declare doc({ activity: { action } })`);
      else if (!isDeclaredAction(action)) missing.push(`${name}: add a label for ${action} in activity/labels.ts`);
    }
    expect(missing).toEqual([]);
  });
});

describe("openapi: errors", () => {
  it("the validator really rejects a broken document", async () => {
    const { doc } = await fetchDoc();
    const broken = structuredClone(doc) as any;
    broken.paths["/api/health"].get.responses = "nope";
    expect((await openApi31Validator().validate(broken)).valid).toBe(false);
  });
});
