import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import staticHeaders from "../../web/public/_headers?raw";
import { CONTENT_SECURITY_POLICY } from "../../worker/middleware/security-headers";
import { call, newTenant, PASSWORD, uniqueEmail } from "../support/harness";

const raw = (url: string, init?: RequestInit) => exports.default.fetch(new Request(url, { redirect: "manual", ...init }));

/** Parses a CSP into directive → sources. */
const csp = (value: string) =>
  new Map(value.split(";").map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...sources]) => [name!, sources]));
// Same-origin keywords and inline data: nothing that names another origin (a host, a scheme like https:, or *).
const FIRST_PARTY = new Set(["'self'", "'none'", "'unsafe-inline'", "data:", "blob:"]);

function expectP10Headers(h: Headers, where: string) {
  expect(h.get("strict-transport-security"), where).toMatch(/^max-age=(\d+); includeSubDomains; preload$/);
  expect(Number(/max-age=(\d+)/.exec(h.get("strict-transport-security")!)![1])).toBeGreaterThanOrEqual(31_536_000);
  expect(h.get("x-content-type-options"), where).toBe("nosniff");
  expect(h.get("referrer-policy"), where).toBe("strict-origin-when-cross-origin");
  expect(h.get("x-frame-options"), where).toBe("DENY");
  const policy = csp(h.get("content-security-policy") ?? "");
  expect(policy.get("frame-ancestors"), where).toEqual(["'none'"]);
  expect(policy.get("default-src"), where).toEqual(["'self'"]);
  expect(policy.get("object-src"), where).toEqual(["'none'"]);
  for (const [name, sources] of policy) {
    for (const s of sources) expect(FIRST_PARTY.has(s), `${where}: ${name} allows ${s}`).toBe(true);
  }
}

describe("security headers: happy path", () => {
  it("P10: API responses carry HSTS, a CSP allowing no third-party origin, nosniff, Referrer-Policy and frame-ancestors 'none'", async () => {
    const t = await newTenant();
    const responses = {
      "public GET": await call("GET", "/api/health"),
      "authenticated GET": await call("GET", "/api/workspaces", { token: t.token }),
      "401": await call("GET", "/api/workspaces"),
      "404": await call("GET", "/api/no-such-route"),
      "400": await call("POST", "/api/workspaces", { token: t.token, body: { name: "" } }),
    };
    for (const [where, res] of Object.entries(responses)) expectP10Headers(res.headers, where);
    expect(responses["authenticated GET"].headers.get("cache-control")).toBe("no-store");
  });

  it("P10: the static web app is served with the same headers", () => {
    const lines = staticHeaders.split("\n").map((l) => l.trim());
    expect(lines[0]).toBe("/*");
    const h = new Headers(lines.slice(1).filter(Boolean).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()] as [string, string]));
    expect(h.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expectP10Headers(h, "web/public/_headers");
  });

  it("P10: the refresh cookie is Secure, HttpOnly and SameSite=Strict", async () => {
    const res = await call("POST", "/api/auth/login", { body: { email: (await newTenant()).email, password: PASSWORD }, ip: "203.0.113.50" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("qweb_refresh="))!;
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
  });
});

describe("security headers: security", () => {
  it("P10: a plain-http request to a non-local host redirects (308) to https", async () => {
    const get = await raw("http://app.example.com/api/health?probe=1");
    expect(get.status).toBe(308);
    expect(get.headers.get("location")).toBe("https://app.example.com/api/health?probe=1");
    // 308 (not 301/302) keeps the method and body, so a POST is not silently turned into a GET.
    const post = await raw("http://app.example.com/api/auth/login", { method: "POST", body: JSON.stringify({ email: uniqueEmail(), password: "x" }) });
    expect(post.status).toBe(308);
    expect(post.headers.get("location")).toBe("https://app.example.com/api/auth/login");
    // Behind a TLS-terminating proxy that says the client used http.
    const proxied = await raw("https://app.example.com/api/health", { headers: { "x-forwarded-proto": "http" } });
    expect(proxied.status).toBe(308);
  });

  it("P10: https and local development hosts are not redirected", async () => {
    expect((await raw("https://app.example.com/api/health")).status).toBe(200);
    for (const host of ["localhost:8787", "127.0.0.1:8787", "[::1]:8787"]) {
      const res = await raw(`http://${host}/api/health`);
      expect(res.status, host).toBe(200);
      expectP10Headers(res.headers, host);
    }
  });
});
