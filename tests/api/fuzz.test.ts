import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { apiRoutes, openApiPath, pathParams } from "../../worker/features/openapi/service";
import { call, newTenant } from "../support/harness";
import { fixtureContext } from "../support/tenant-fixtures";

/**
 * A bounded fuzz loop over every registered route: random and garbage bodies, queries and path
 * parameters, sent by a signed-in user (each route gets a fresh organization so that one route's
 * deletions do not blunt the next). No input may ever produce a 5xx.
 */
const CASES_PER_ROUTE = 8;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

function prng(s: number) {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, "", " ", "\u0000", "\uD800", "\u202E",
  "🦄👩‍👩‍👧", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "a".repeat(5000),
  "2026-02-30", "1999-12-31", "owner", "admin", "viewer", "editor", "member", "agency", "x@example.test", {}, [], [[[[[]]]]],
  { $gt: "" }, { __proto__: { admin: true } }, { constructor: { prototype: { polluted: true } } },
];

function generator(random: () => number) {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  // Any code point but lone surrogates (NASTY has those; encodeURIComponent cannot encode them).
  const codePoint = () => {
    const cp = Math.floor(random() * 0x2ffff);
    return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
  };
  const junk = (): string => Array.from({ length: 1 + Math.floor(random() * 40) }, () => String.fromCodePoint(codePoint())).join("");
  const plausible = (schema: Record<string, any> | undefined): unknown => {
    if (!schema || random() < 0.3) return random() < 0.5 ? pick(NASTY) : junk();
    if (schema.enum) return pick(schema.enum);
    const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
    if (type === "string") return schema.format === "date" ? pick(["1990-01-01", "2020-02-29", "0000-00-00"]) : pick(["Acme", junk(), "x@example.test"]);
    if (type === "number" || type === "integer") return pick([0, 1, 50, -5, 1e9]);
    if (type === "boolean") return random() < 0.5;
    if (type === "object") return objectFor(schema);
    return pick(NASTY);
  };
  const objectFor = (schema: Record<string, any> | undefined) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<Record<string, any>>(schema?.properties ?? {})) if (random() < 0.8) out[k] = plausible(v);
    if (random() < 0.25) out[junk().slice(0, 8)] = pick(NASTY);
    return out;
  };
  const body = (schema: Record<string, any> | undefined): { body?: unknown; rawBody?: string } => {
    const r = random();
    if (r < 0.55) return { body: objectFor(schema) };
    if (r < 0.7) return { body: pick(NASTY) };
    if (r < 0.85) return { rawBody: pick(["{", "[1,", '{"a":}', "\u0000", junk(), "null", '"\\ud800"', `{"x":${"[".repeat(3000)}`]) };
    return {};
  };
  const segment = () => encodeURIComponent(pick([junk(), "x".repeat(3000), "0", "-1", "null", "%", "..", "undefined"] as string[]));
  return { pick, junk, body, segment, random };
}

// The request schemas as documented (the routes' own validators, through /api/openapi.json).
let documented: Promise<Record<string, any>> | undefined;
async function schemasOf(route: { method: string; path: string }) {
  documented ??= call("GET", "/api/openapi.json").then((r) => r.json);
  const op = (await documented).paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
  const query = (op?.parameters ?? []).filter((p: Record<string, any>) => p.in === "query");
  return {
    body: op?.requestBody?.content?.["application/json"]?.schema as Record<string, any> | undefined,
    query: query.length ? { properties: Object.fromEntries(query.map((p: Record<string, any>) => [p.name, p.schema])) } : undefined,
  };
}

describe("fuzz: security", () => {
  const routes = apiRoutes(app.routes);
  it("sees the API's routes", () => expect(routes.length).toBeGreaterThan(15));

  for (const route of routes) {
    it(`${route.method} ${route.path}: random input never answers 5xx (seed ${seed})`, async () => {
      const g = generator(prng(seed ^ [...route.path].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, route.method.length)));
      const user = await newTenant({ name: "Fuzz" });
      const fixtures = fixtureContext(user);
      const { body: bodySchema, query: querySchema } = await schemasOf(route);
      for (let i = 0; i < CASES_PER_ROUTE; i++) {
        let path = route.path;
        for (const p of pathParams(route.path)) {
          const real = fixtures.known(p) && g.random() < 0.6 ? encodeURIComponent(await fixtures.id(p)) : g.segment();
          path = path.replace(new RegExp(`:${p}(\\{[^}]*\\})?\\??`), real);
        }
        const query = new URLSearchParams();
        for (const k of Object.keys(querySchema?.properties ?? {})) if (g.random() < 0.7) query.set(k, String(g.pick(["1", "0", "-1", "99999999", "abc", g.junk(), ""])));
        if (g.random() < 0.2) query.set(g.junk().slice(0, 6), g.junk());
        const url = query.size ? `${path}?${query}` : path;
        const input = route.method === "GET" ? {} : g.body(bodySchema);
        const headers = input.rawBody !== undefined || g.random() < 0.1 ? { "content-type": g.pick(["application/json", "text/plain", "application/json; charset=utf-16"]) } : undefined;
        const res = await call(route.method, url, { token: user.token, ip: `100.64.${i}.${Math.floor(g.random() * 250)}`, headers, ...input });
        const sent = JSON.stringify(input.body ?? input.rawBody ?? null).slice(0, 300);
        expect(res.status, `${route.method} ${url.slice(0, 200)} body ${sent} (FUZZ_SEED=${seed}) → ${JSON.stringify(res.text.slice(0, 300))}`).toBeLessThan(500);
      }
    });
  }
});
