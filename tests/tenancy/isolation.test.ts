import { beforeAll, describe, expect, it } from "vitest";
import { app, isPublicPath } from "../../worker/app";
import { apiRoutes, pathParams } from "../../worker/features/openapi/service";
import { call, env, expectStatus, newTenant, newWorkspace, type Tenant } from "../support/harness";
import { fixtureContext, missingFixtureMessage } from "../support/tenant-fixtures";

/**
 * Tenant isolation, proven over EVERY registered API route: a user of organization B (an owner,
 * the most powerful role there) addresses organization A's real rows and gets 404, never A's data,
 * and A's rows are untouched afterwards. New routes are covered automatically; a route whose path
 * parameter has no fixture fails below with instructions.
 */
const routes = apiRoutes(app.routes).filter((r) => !isPublicPath(r.path) && !r.path.startsWith("/api/dev"));
const label = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
// Rows that may legitimately record B's attempt (usage log), not A's data.
const LOG_TABLES = new Set(["activity_log"]);

let a: Tenant;
let b: Tenant;
let fixtures: ReturnType<typeof fixtureContext>;
const ids = new Map<string, string>();
let secrets: string[] = [];
let before: Map<string, Set<string>>;

async function snapshot() {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const out = new Map<string, Set<string>>();
  for (const { name } of results) {
    if (LOG_TABLES.has(name)) continue;
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    out.set(name, new Set(rows.results.map((r) => JSON.stringify(r))));
  }
  return out;
}

const fill = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, (_, p: string) => ids.get(p)!);

beforeAll(async () => {
  a = await newTenant({ name: "Victim" });
  b = await newTenant({ name: "Intruder" });
  await newWorkspace(b, "Intruder workspace");
  fixtures = fixtureContext(a);
  const params = [...new Set(routes.flatMap((r) => pathParams(r.path)))].filter((p) => fixtures.known(p));
  for (const p of params) ids.set(p, await fixtures.id(p));
  // B types A's ids itself (and its own usage log may echo them back): the leak check looks for
  // A's content instead, which fixtures mark with "Victim".
  secrets = [a.email.toLowerCase(), "victim"];
  before = await snapshot();
}, 60_000);

describe("tenant isolation: security", () => {
  it("sees the API's routes and has a fixture for every path parameter", () => {
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.flatMap((r) => pathParams(r.path).filter((p) => !fixtures.known(p)).map((p) => missingFixtureMessage(p, label(r))));
    expect(missing, missing.join("\n")).toEqual([]);
  });

  for (const route of routes) {
    const params = pathParams(route.path);
    it(`${label(route)}: a user of another organization gets ${params.length ? "404" : "only their own data"}`, async () => {
      for (const p of params) if (!fixtures.known(p)) throw new Error(missingFixtureMessage(p, label(route)));
      const path = fill(route.path);
      const body = route.method === "GET" ? undefined : {};
      const res = await call(route.method, path, { token: b.token, body });
      const why = `${route.method} ${path} as organization B answered ${res.status}: ${res.text.slice(0, 300)}`;
      expect(res.status, why).toBeLessThan(500);
      if (params.length) {
        // Collection routes (ending in a fixed segment) may refuse with 403; the convention is 404.
        const collection = !/\/:[^/]+$/.test(route.path);
        expect(collection ? [403, 404] : [404], `${why}\n(put requireWorkspace/requireOrg before validate(...) and scope the query by tenant)`).toContain(res.status);
      }
      for (const s of secrets) expect(res.text.toLowerCase(), `${why}\nleaks organization A's "${s}"`).not.toContain(s);
    });
  }

  it("cannot create a workspace in another organization by naming it", async () => {
    const res = await call("POST", "/api/workspaces", { token: b.token, body: { orgId: a.orgId, name: "Planted" } });
    expectStatus(res, 404);
  });

  it("leaves organization A's data unchanged", async () => {
    const after = await snapshot();
    const touched: string[] = [];
    for (const [table, rows] of after) {
      const old = before.get(table) ?? new Set<string>();
      const added = [...rows].filter((r) => !old.has(r));
      const removed = [...old].filter((r) => !rows.has(r));
      for (const r of [...added.map((x) => `+ ${x}`), ...removed.map((x) => `- ${x}`)]) {
        if ([...ids.values(), ...secrets].some((s) => r.toLowerCase().includes(s.toLowerCase()))) touched.push(`${table}: ${r}`);
      }
    }
    for (const table of before.keys()) if (!after.has(table)) touched.push(`${table}: dropped`);
    expect(touched, touched.join("\n")).toEqual([]);
    const ws = await call("GET", `/api/workspaces/${ids.get("workspaceId")}`, { token: a.token });
    expectStatus(ws, 200);
    expect(ws.json.name).toBe("Victim workspace");
  });
});
