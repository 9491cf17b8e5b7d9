import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { rateResolver } from "../../worker/features/finance/projects/cascade";
import { call, expectStatus, inviteAndAccept } from "../support/harness";
import { newAgency, ok } from "./support";

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

function upload(path: string, token: string, bytes: Uint8Array, declaredType = "image/png") {
  const form = new FormData();
  form.set("file", new File([bytes], "receipt.png", { type: declaredType }));
  return call("POST", path, { token, rawBody: form });
}

describe("finance: expenses", () => {
  it("records an expense and stores its receipt in R2 with the type sniffed from the bytes", async () => {
    const a = await newAgency();
    const x = await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-04", amountMinor: 12_345, currency: "usd", category: "software", vendor: "Canva", markupBp: 1000 });
    expect(x).toMatchObject({ currency: "USD", hasReceipt: false, billable: true, markupBp: 1000 });
    const res = await upload(a.fin(`/expenses/${x.id}/receipt`), a.token, PNG, "application/pdf");
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ hasReceipt: true, receiptType: "image/png", receiptBytes: PNG.byteLength });
    const back = await call("GET", a.fin(`/expenses/${x.id}/receipt`), { token: a.token });
    expect(back.headers.get("content-type")).toBe("image/png");
  });

  it("refuses a receipt that is not an image or PDF, an empty one, and a non-multipart body", async () => {
    const a = await newAgency();
    const x = await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-04", amountMinor: 100, currency: "EUR", category: "travel", vendor: "DB" });
    expectStatus(await upload(a.fin(`/expenses/${x.id}/receipt`), a.token, new TextEncoder().encode("<html><script>alert(1)</script>"), "image/png"), 415);
    expectStatus(await upload(a.fin(`/expenses/${x.id}/receipt`), a.token, new Uint8Array()), 400);
    expectStatus(await call("POST", a.fin(`/expenses/${x.id}/receipt`), { token: a.token, body: { file: "x" } }), 415);
    const big = new Uint8Array(950 * 1024);
    big.set(PNG);
    expect([413]).toContain((await upload(a.fin(`/expenses/${x.id}/receipt`), a.token, big)).status);
  });

  it("another organization's expense is not found", async () => {
    const a = await newAgency();
    const b = await newAgency("B");
    const x = await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-04", amountMinor: 100, currency: "EUR", category: "travel", vendor: "DB" });
    expectStatus(await call("GET", `/api/orgs/${b.orgId}/finance/expenses/${x.id}/receipt`, { token: b.token }), 404);
    expectStatus(await call("GET", a.fin(`/expenses`), { token: b.token }), 404);
  });
});

describe("finance: rate cascade", () => {
  it("person beats project beats client beats organization (property)", () => {
    const rate = fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined });
    fc.assert(
      fc.property(rate, rate, rate, rate, fc.boolean(), (org, ws, project, person, onProject) => {
        const all = [
          ...(org !== undefined ? [{ scope: "org" as const, targetId: "o", hourlyMinor: org, costMinor: null }] : []),
          ...(ws !== undefined ? [{ scope: "workspace" as const, targetId: "w", hourlyMinor: ws, costMinor: null }] : []),
          ...(project !== undefined ? [{ scope: "project" as const, targetId: "p", hourlyMinor: project, costMinor: null }] : []),
          ...(person !== undefined ? [{ scope: "person" as const, targetId: "u", hourlyMinor: person, costMinor: 10 }] : []),
          // Rates of other clients, projects and people never apply.
          { scope: "workspace" as const, targetId: "w2", hourlyMinor: 999_999, costMinor: null },
          { scope: "person" as const, targetId: "u2", hourlyMinor: 999_999, costMinor: null },
        ];
        const got = rateResolver(all)({ userId: "u", workspaceId: "w", projectId: onProject ? "p" : null });
        const expected = person ?? (onProject ? project : undefined) ?? ws ?? org ?? 0;
        expect(got.hourlyMinor).toBe(expected);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("rates are set per level through the API; targets of another organization are not found; members cannot set them", async () => {
    const a = await newAgency();
    const b = await newAgency("B");
    await ok("PUT", a.fin("/rates"), a.token, { scope: "org", hourlyMinor: 10_000 }, 200);
    await ok("PUT", a.fin("/rates"), a.token, { scope: "org", hourlyMinor: 12_000 }, 200);
    await ok("PUT", a.fin("/rates"), a.token, { scope: "workspace", targetId: a.workspaceId, hourlyMinor: 15_000 }, 200);
    const list = await ok("GET", a.fin("/rates"), a.token);
    expect(list.rates.map((r: any) => [r.scope, r.hourlyMinor]).sort()).toEqual([["org", 12_000], ["workspace", 15_000]]);
    expectStatus(await call("PUT", a.fin("/rates"), { token: a.token, body: { scope: "workspace", targetId: b.workspaceId, hourlyMinor: 1 } }), 404);
    expectStatus(await call("PUT", a.fin("/rates"), { token: a.token, body: { scope: "person", targetId: b.userId, hourlyMinor: 1 } }), 404);
    const member = await inviteAndAccept(a, { orgId: a.orgId }, "member");
    expectStatus(await call("PUT", a.fin("/rates"), { token: member.token, body: { scope: "org", hourlyMinor: 1 } }), 403);
  });
});

describe("finance: expense edits", () => {
  it("an empty patch answers the expense unchanged (never a 5xx)", async () => {
    const a = await newAgency("Patch");
    const x = await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-04", amountMinor: 100, currency: "EUR", category: "travel", vendor: "DB" });
    const res = await call("PATCH", a.fin(`/expenses/${x.id}`), { token: a.token, body: {} });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ id: x.id, vendor: "DB", amountMinor: 100 });
  });
});
