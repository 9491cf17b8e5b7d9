import { describe, expect, it } from "vitest";
import { call, expectStatus } from "../support/harness";
import { toCsv } from "../../worker/features/finance/reports/csv";
import { HOUR, MONDAY, logTime, newAgency, ok } from "./support";

describe("finance: reports", () => {
  it("revenue, AR aging, unbilled work, expenses and profitability agree with the books, in JSON and CSV", async () => {
    const a = await newAgency("Reports");
    await ok("PUT", a.fin("/rates"), a.token, { scope: "org", hourlyMinor: 10_000 }, 200);
    await ok("PUT", a.fin("/rates"), a.token, { scope: "person", targetId: a.userId, hourlyMinor: 10_000, costMinor: 4_000 }, 200);
    await logTime(a, MONDAY, 3);
    await logTime(a, MONDAY + 24 * HOUR, 2);
    await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-03", amountMinor: 5_000, currency: "USD", category: "software", vendor: "Figma" });
    const base = `from=2026-03-01&to=2026-03-31`;
    const before = await ok("GET", a.fin(`/reports/unbilled`), a.token);
    expect(before.rows).toEqual([["Reports Client", 5, 500, 50, 550]]);

    const inv = await ok("POST", a.fin("/invoices/from-unbilled"), a.token, { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31", issueDate: "2026-03-31", dueDate: "2026-04-10" });
    await ok("POST", a.fin(`/invoices/${inv.id}/send`), a.token, { to: "ap@client.test" }, 200);
    await ok("POST", a.fin(`/invoices/${inv.id}/payments`), a.token, { amountMinor: 20_000, date: "2026-04-01", method: "cash" });

    const revenue = await ok("GET", a.fin(`/reports/revenue?${base}`), a.token);
    expect(revenue.rows).toEqual([["2026-03", "Reports Client", "USD", 550, 0, 550]]);
    const profit = await ok("GET", a.fin(`/reports/profitability?${base}`), a.token);
    // 550 invoiced − 5 h × 40 cost − 50 expenses = 300.
    expect(profit.rows).toEqual([["Reports Client", 5, 550, 200, 50, 300, 54.5]]);
    const spend = await ok("GET", a.fin(`/reports/expenses?${base}`), a.token);
    expect(spend.rows).toEqual([["software", "USD", 1, 50]]);
    expect((await ok("GET", a.fin(`/reports/unbilled`), a.token)).rows).toEqual([]);
    const aging = await ok("GET", a.fin(`/reports/ar-aging`), a.token);
    expect(aging.rows).toHaveLength(1);
    expect(aging.rows[0][7]).toBe(350);

    const csv = await call("GET", a.fin(`/reports/revenue?${base}&format=csv`), { token: a.token });
    expectStatus(csv, 200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text).toBe("Month,Client,Currency,Invoiced,Credited,Revenue\r\n2026-03,Reports Client,USD,550,0,550\r\n");
  });

  it("CSV cells never run as spreadsheet formulas; another organization cannot read reports; bad names and periods are 400", async () => {
    expect(toCsv(["a", "b"], [["=HYPERLINK(\"x\")", "a,b"]])).toBe('a,b\r\n"\'=HYPERLINK(""x"")","a,b"\r\n');
    const a = await newAgency("Secret");
    const b = await newAgency("Peek");
    expectStatus(await call("GET", `/api/orgs/${a.orgId}/finance/reports/revenue`, { token: b.token }), 404);
    expectStatus(await call("GET", a.fin(`/reports/nope`), { token: a.token }), 400);
    expectStatus(await call("GET", a.fin(`/reports/revenue?from=2026-05-01&to=2026-04-01`), { token: a.token }), 400);
  });
});
