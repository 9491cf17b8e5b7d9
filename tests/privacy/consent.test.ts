import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant } from "../support/harness";
import { consent, pageView } from "./support";

const eventsOf = async (userId: string) =>
  (await env.DB.prepare(`SELECT kind, name FROM analytics_events WHERE user_id = ?`).bind(userId).all()).results;

describe("cookies and consent (P22, P06)", () => {
  it("P22: the banner offers essential (always on), functional and analytics, under the policy version in force", async () => {
    const res = await call("GET", "/api/consent");
    expectStatus(res, 200);
    expect(res.json.categories.map((c: { id: string; required: boolean }) => [c.id, c.required])).toEqual([["essential", true], ["functional", false], ["analytics", false]]);
    expect(res.json.policyVersion).toBe((await call("GET", "/api/policy")).json.version);
  });

  it("P06/P22: without analytics consent no page view or feature event is stored; with it, they are", async () => {
    const a = await newTenant();
    expect(await pageView(a, "/dashboard")).toBe(false);
    await consent(a, false, true);
    expect(await pageView(a, "/dashboard")).toBe(false);
    const feature = await call("POST", "/api/analytics/events", { token: a.token, body: { kind: "feature", name: "reports.export" } });
    expect(feature.json.recorded).toBe(false);
    expect(await eventsOf(a.userId)).toEqual([]);

    const given = await consent(a, true, true);
    expect(given.policyVersion).toBe((await call("GET", "/api/policy")).json.version);
    expect(await pageView(a, "/dashboard")).toBe(true);
    expect((await call("POST", "/api/analytics/events", { token: a.token, body: { kind: "feature", name: "reports.export", orgId: a.orgId } })).json.recorded).toBe(true);
    expect(await eventsOf(a.userId)).toEqual([{ kind: "page_view", name: "/dashboard" }, { kind: "feature", name: "reports.export" }]);
  });

  it("P22: the consent is stored per user with the policy version, changeable at any time", async () => {
    const a = await newTenant();
    const none = await call("GET", "/api/privacy/consents", { token: a.token });
    expect(none.json.consent).toMatchObject({ functional: false, analytics: false, decidedAt: null });
    await consent(a, true, true);
    await consent(a, false, false);
    const res = await call("GET", "/api/privacy/consents", { token: a.token });
    expect(res.json.consent).toMatchObject({ functional: false, analytics: false });
    expect(res.json.history.map((h: { analytics: boolean }) => h.analytics)).toEqual([false, true]);
  });

  it("analytics events carry no free text, and cannot be attributed to someone else's organization", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await consent(a, true);
    expectStatus(await call("POST", "/api/analytics/events", { token: a.token, body: { kind: "page_view", name: "/search?q=my secret" } }), 400);
    expectStatus(await call("POST", "/api/analytics/events", { token: a.token, body: { kind: "page_view", name: "/x", orgId: b.orgId } }), 404);
  });

  it("P22: API responses carry a CSP that allows no third-party origin", async () => {
    const res = await call("GET", "/api/consent");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:\/\//);
  });
});
