import { describe, expect, it } from "vitest";
import { call, env, newTenant } from "../support/harness";

const CARD_FIELD = /^(card|cards|card_?number|cardnumber|number|pan|cvc|cvv|cvc2|exp|expiry|exp_?month|exp_?year|expiration|security_?code|payment_?method|iban|account_?number|routing_?number)$/i;
const PAN = "4242424242424242";
const CARD = { card: { number: PAN, exp_month: 12, exp_year: 2034, cvc: "123" }, cardNumber: PAN, cvc: "123", number: PAN };

// Every route's input schemas as the routes' own validators document them (/api/openapi.json).
type Operation = { parameters?: { name: string; in: string; schema?: unknown }[]; requestBody?: { content?: Record<string, { schema?: unknown }> } };
type Route = { method: string; path: string; op: Operation };
async function documentedRoutes(): Promise<Route[]> {
  const doc = (await call("GET", "/api/openapi.json")).json as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path: path.replace(/\{([^}]+)\}/g, ":$1"), op })),
  );
}
const jsonSchemaOf = (r: Route) => r.op.requestBody?.content?.["application/json"]?.schema;

function fieldNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== "object") return out;
  const s = schema as Record<string, unknown>;
  if (s.properties && typeof s.properties === "object") for (const [k, v] of Object.entries(s.properties)) (out.add(k), fieldNames(v, out));
  for (const key of ["items", "additionalProperties", "anyOf", "oneOf", "allOf", "$defs"]) {
    const v = s[key];
    if (Array.isArray(v)) v.forEach((x) => fieldNames(x, out));
    else if (v && typeof v === "object") key === "$defs" ? Object.values(v).forEach((x) => fieldNames(x, out)) : fieldNames(v, out);
  }
  return out;
}

describe("P07: card numbers never touch QWEB's servers", () => {
  it("P07: no route's input schema (body, query or path) has a field for card data", async () => {
    const routes = await documentedRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const offenders: string[] = [];
    for (const r of routes) {
      for (const p of r.op.parameters ?? []) if (CARD_FIELD.test(p.name)) offenders.push(`${r.method} ${r.path} ${p.in}.${p.name}`);
      for (const n of fieldNames(jsonSchemaOf(r))) if (CARD_FIELD.test(n)) offenders.push(`${r.method} ${r.path} json.${n}`);
    }
    expect(offenders).toEqual([]);
  });

  it("P07: every JSON route refuses or ignores card fields sent to it, and no card number is stored anywhere", async () => {
    const t = await newTenant({ name: "Card" });
    const ws = await call("POST", "/api/workspaces", { token: t.token, body: { orgId: t.orgId, name: "Card client" } });
    const fill = (path: string) => path.replace(/:orgId\b/g, t.orgId).replace(/:workspaceId\b/g, ws.json.id).replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "00000000-0000-4000-8000-000000000000");
    const tried: string[] = [];
    for (const r of await documentedRoutes()) {
      if (!["POST", "PUT", "PATCH"].includes(r.method) || !jsonSchemaOf(r)) continue;
      if (/logout|password|delete|erase|refresh/.test(r.path)) continue; // would end the test's session; their strict schemas are checked above
      const res = await call(r.method, fill(r.path), { token: t.token, body: CARD });
      tried.push(`${r.method} ${r.path} → ${res.status}`);
      expect(res.status, `${r.method} ${r.path}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
      if (res.status < 300) expect(res.text).not.toContain(PAN);
    }
    expect(tried.length).toBeGreaterThan(20);
    const { results: tables } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
    for (const { name } of tables) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      expect(JSON.stringify(rows.results), `table ${name}`).not.toContain(PAN);
    }
  });
});
