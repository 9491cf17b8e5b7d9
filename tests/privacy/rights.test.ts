import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, newWorkspace } from "../support/harness";
import { createDb } from "../../worker/db/client";
import { processingAllowed } from "../../worker/core/restrictions";
import { DAY } from "../../worker/lib/time";
import { attach, consent, fileRequest, pageView } from "./support";

const requestsOf = async (token: string) => (await call("GET", "/api/privacy/requests", { token })).json.requests as { kind: string; regime: string; status: string; actions: string[]; dueAt: number; receivedAt: number }[];

describe("data-subject rights (P19): happy path", () => {
  it("P19 rectification: profile data is editable and the export shows the correction; other data is corrected through a request with a document", async () => {
    const a = await newTenant();
    expectStatus(await call("PATCH", "/api/me", { token: a.token, body: { name: "Ada Lovelace" } }), 200);
    expectStatus(await call("PATCH", `/api/orgs/${a.orgId}`, { token: a.token, body: { name: "Analytical Engines" } }), 200);
    const exported = await call("GET", "/api/privacy/export", { token: a.token });
    expect(exported.json.tables.users[0].name).toBe("Ada Lovelace");

    const request = await fileRequest(a, { details: "My birth date is recorded as 1990-04-12 but it is 1990-04-21." });
    expect(request).toMatchObject({ status: "received", regime: "gdpr" });
    expect(request.dueAt - request.receivedAt).toBe(30 * DAY);
    await attach(a, request.id, "birth-certificate.txt", "Born 21 April 1990");
    const detail = await call("GET", `/api/privacy/requests/${request.id}`, { token: a.token });
    expectStatus(detail, 200);
    expect(detail.json.request.attachment).toEqual({ name: "birth-certificate.txt" });
    expect(detail.json.events.map((e: { action: string }) => e.action)).toEqual(["received", "note"]);
    expect((await env.FILES.get(`privacy/${a.userId}/requests/${request.id}/birth-certificate.txt`))?.size).toBe(18);
  });

  it("P19 restriction and objection: AI processing, automations and analytics stop for the user while the data is kept", async () => {
    const a = await newTenant();
    await consent(a, true);
    expect(await pageView(a)).toBe(true);
    const db = createDb(env.DB);

    const restrict = await call("PUT", "/api/privacy/processing", { token: a.token, body: { restricted: true } });
    expectStatus(restrict, 200);
    expect(restrict.json.processing).toMatchObject({ restricted: true, objected: false });
    for (const purpose of ["ai", "automation", "analytics"] as const) expect(await processingAllowed(db, { userId: a.userId }, purpose)).toBe(false);
    expect(await pageView(a)).toBe(false);
    const kept = await call("GET", "/api/privacy/export", { token: a.token });
    expect(kept.json.tables.analytics_events).toHaveLength(1);

    await call("PUT", "/api/privacy/processing", { token: a.token, body: { restricted: false, objected: true } });
    expect(await processingAllowed(db, { userId: a.userId }, "ai")).toBe(false);
    expect(await pageView(a)).toBe(false);
    await call("PUT", "/api/privacy/processing", { token: a.token, body: { objected: false } });
    expect(await pageView(a)).toBe(true);

    const kinds = (await requestsOf(a.token)).filter((r) => r.kind !== "access").map((r) => `${r.kind}:${r.actions[0]}`);
    expect(kinds).toEqual(expect.arrayContaining([
      expect.stringMatching(/^restriction:Processing restricted/),
      expect.stringMatching(/^restriction:Restriction lifted/),
      expect.stringMatching(/^objection:Objection recorded/),
      expect.stringMatching(/^objection:Objection withdrawn/),
    ]));
  });

  it("P19 restriction of an organization's data by its admins stops processing for the organization", async () => {
    const a = await newTenant();
    const db = createDb(env.DB);
    const res = await call("PUT", `/api/privacy/orgs/${a.orgId}/processing`, { token: a.token, body: { restricted: true } });
    expectStatus(res, 200);
    expect(await processingAllowed(db, { orgId: a.orgId }, "automation")).toBe(false);
    expect(await processingAllowed(db, { userId: a.userId }, "automation")).toBe(true);
    const b = await newTenant();
    expectStatus(await call("PUT", `/api/privacy/orgs/${a.orgId}/processing`, { token: b.token, body: { restricted: false } }), 404);
  });

  it("P19 consent withdrawal: withdrawing analytics consent stops recording at once and is on record", async () => {
    const a = await newTenant();
    await consent(a, true, true);
    expect(await pageView(a)).toBe(true);
    const withdrawn = await consent(a, false, true);
    expect(withdrawn).toMatchObject({ analytics: false, functional: true });
    expect(await pageView(a)).toBe(false);
    const log = (await requestsOf(a.token)).find((r) => r.kind === "consent-withdrawal");
    expect(log).toMatchObject({ status: "completed", actions: ["Consent withdrawn: analytics cookies"] });
    const history = await call("GET", "/api/privacy/consents", { token: a.token });
    expect(history.json.history).toHaveLength(2);
  });
});

describe("CCPA rights (P20)", () => {
  it("P20: opting out of sale is recorded (nothing is sold) and the opted-out user keeps every feature", async () => {
    const a = await newTenant();
    await consent(a, true);
    const res = await call("PUT", "/api/privacy/processing", { token: a.token, body: { saleOptOut: true } });
    expectStatus(res, 200);
    expect(res.json.processing).toMatchObject({ saleOptOut: true, restricted: false, objected: false });
    const optOut = (await requestsOf(a.token)).find((r) => r.kind === "opt-out-sale");
    expect(optOut).toMatchObject({ regime: "ccpa", status: "completed" });

    // No feature is gated on it.
    expect(await pageView(a)).toBe(true);
    expect((await newWorkspace(a, "Still works")).name).toBe("Still works");
    expectStatus(await call("GET", "/api/privacy/export", { token: a.token }), 200);
    expect(await processingAllowed(createDb(env.DB), { userId: a.userId }, "ai")).toBe(true);
  });

  it("P20: know and delete requests run on the CCPA clock (45 days); the categories collected are listed", async () => {
    const a = await newTenant();
    const know = await fileRequest(a, { kind: "know", regime: "ccpa", details: "Which categories of my personal information do you hold?" });
    expect(know.dueAt - know.receivedAt).toBe(45 * DAY);
    const inventory = await call("GET", "/api/privacy/inventory", { token: a.token });
    expectStatus(inventory, 200);
    expect(inventory.json.inventory.find((i: { name: string }) => i.name === "activity_log")).toMatchObject({ exported: true, retention: "kept 12 months, then erased" });
    const del = await call("DELETE", "/api/me", { token: a.token, body: { password: a.password, regime: "ccpa" } });
    expectStatus(del, 202);
    const row = await env.DB.prepare(`SELECT kind, regime, due_at - received_at AS window FROM dsr_requests WHERE user_id = ? AND kind = 'delete'`).bind(a.userId).first();
    expect(row).toEqual({ kind: "delete", regime: "ccpa", window: 45 * DAY });
  });
});

describe("data-subject rights: errors and security", () => {
  it("validates requests and attachments", async () => {
    const a = await newTenant();
    expectStatus(await call("POST", "/api/privacy/requests", { token: a.token, body: { kind: "rectification", details: "short" } }), 400);
    expectStatus(await call("PUT", "/api/privacy/processing", { token: a.token, body: {} }), 400);
    const r = await fileRequest(a);
    const bad = await call("PUT", `/api/privacy/requests/${r.id}/attachment`, { token: a.token, body: { name: "x.exe", contentType: "application/x-msdownload", dataBase64: "TVo=" } });
    expectStatus(bad, 400);
  });

  it("another user's request answers 404", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const r = await fileRequest(a);
    expectStatus(await call("GET", `/api/privacy/requests/${r.id}`, { token: b.token }), 404);
    expectStatus(await call("POST", `/api/privacy/requests/${r.id}/cancel`, { token: b.token }), 404);
    expectStatus(await call("POST", `/api/privacy/requests/${r.id}/cancel`, { token: a.token }), 200);
  });
});
