import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { call, env, expectStatus, waitForEmail } from "../support/harness";
import { HOUR, MONDAY, logTime, newAgency, ok, type Agency } from "./support";

const line = (description: string, quantity: number, unitPriceMinor: number, extra: Record<string, unknown> = {}) => ({ description, quantity, unitPriceMinor, ...extra });

// One address per agency: every fresh agency's first invoice is INV-YYYY-0001, so a shared address would let a test read another's email.
const billingEmail = (a: Agency) => `billing-${a.orgId.toLowerCase()}@client.test`;
async function sentInvoice(a: Agency, total = 10_000) {
  const inv = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, billTo: { name: "Client Co", email: billingEmail(a) }, lines: [line("Retainer", 1, total)] });
  return ok("POST", a.fin(`/invoices/${inv.id}/send`), a.token, {}, 200);
}

describe("finance: invoice numbering", () => {
  it("numbers follow the organization's pattern and never repeat under concurrent creation", async () => {
    const a = await newAgency();
    await ok("PATCH", a.fin("/settings"), a.token, { invoicePattern: "Q-{YYYY}-{seq:3}" }, 200);
    const made = await Promise.all(Array.from({ length: 12 }, () => call("POST", a.fin("/invoices"), { token: a.token, body: { workspaceId: a.workspaceId, issueDate: "2026-03-01" } })));
    for (const r of made) expectStatus(r, 201);
    const numbers = made.map((r) => r.json.number as string);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.every((n) => /^Q-2026-\d{3}$/.test(n))).toBe(true);
    expect(numbers.map((n) => Number(n.slice(-3))).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // A pattern change that would produce a used number skips to the next free one.
    await ok("PATCH", a.fin("/settings"), a.token, { invoicePattern: "Q-2026-{seq:3}" }, 200);
    const { results } = await env.DB.prepare("UPDATE finance_settings SET next_seq = 5 WHERE org_id = ? RETURNING next_seq").bind(a.orgId).all();
    expect(results).toHaveLength(1);
    const next = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, issueDate: "2026-03-01" });
    expect(numbers).not.toContain(next.number);
  });

  it("refuses a pattern without a sequence", async () => {
    const a = await newAgency();
    expectStatus(await call("PATCH", a.fin("/settings"), { token: a.token, body: { invoicePattern: "INV-{YYYY}" } }), 400);
  });
});

describe("finance: unbilled work → invoice", () => {
  it("groups a client's unbilled time by project at the cascaded rates, adds expenses with markup, and links every entry", async () => {
    const a = await newAgency();
    const project = await ok("POST", a.fin("/projects"), a.token, { workspaceId: a.workspaceId, name: "Spring launch" });
    await ok("PUT", a.fin("/rates"), a.token, { scope: "org", hourlyMinor: 10_000 }, 200);
    await ok("PUT", a.fin("/rates"), a.token, { scope: "project", targetId: project.id, hourlyMinor: 15_000 }, 200);
    await logTime(a, MONDAY, 2, { projectId: project.id });
    await logTime(a, MONDAY + 24 * HOUR, 1.5, { projectId: project.id });
    await logTime(a, MONDAY + 48 * HOUR, 1);
    await logTime(a, MONDAY + 48 * HOUR, 3, { billable: false });
    await logTime(a, Date.UTC(2026, 3, 2, 9), 5); // April: outside the period
    await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-05", amountMinor: 10_000, currency: "USD", category: "stock media", vendor: "Shutterstock", markupBp: 1500 });
    await ok("POST", a.fin("/expenses"), a.token, { workspaceId: a.workspaceId, date: "2026-03-05", amountMinor: 500, currency: "EUR", category: "meals", vendor: "Café" });

    const preview = await ok("GET", a.fin(`/unbilled?workspaceId=${a.workspaceId}&from=2026-03-01&to=2026-03-31&groupBy=project`), a.token);
    expect(preview.entryCount).toBe(3);
    expect(preview.skippedExpenses).toHaveLength(1);
    const inv = await ok("POST", a.fin("/invoices/from-unbilled"), a.token, { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31", groupBy: "project", taxRates: [{ name: "VAT", bp: 2000 }] });
    const byDesc = Object.fromEntries(inv.lines.map((l: any) => [l.description.split(":")[0], l]));
    expect(byDesc["Spring launch"]).toMatchObject({ quantity: 3.5, unitPriceMinor: 15_000, grossMinor: 52_500, taxMinor: 10_500 });
    expect(byDesc["General"]).toMatchObject({ quantity: 1, unitPriceMinor: 10_000 });
    expect(inv.lines.find((l: any) => l.source === "expense")).toMatchObject({ unitPriceMinor: 11_500 });
    expect(inv.totalMinor).toBe(preview.totals.totalMinor * 1.2);
    expect(inv.status).toBe("draft");
    const { results } = await env.DB.prepare("SELECT invoice_line_id, rate_minor FROM time_entries WHERE invoice_id = ?").bind(inv.id).all<{ invoice_line_id: string; rate_minor: number }>();
    expect(results).toHaveLength(3);
    expect(results.every((r) => inv.lines.some((l: any) => l.id === r.invoice_line_id))).toBe(true);
    expect(results.map((r) => r.rate_minor).sort()).toEqual([10_000, 15_000, 15_000]);
    // Nothing is left to bill twice; a billed entry cannot be edited.
    expectStatus(await call("POST", a.fin("/invoices/from-unbilled"), { token: a.token, body: { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31" } }), 422);
    const [billed] = (await ok("GET", a.fin(`/time?from=${MONDAY - HOUR}&to=${MONDAY + HOUR}`), a.token)).entries;
    expectStatus(await call("PATCH", a.fin(`/time/${billed.id}`), { token: a.token, body: { notes: "x" } }), 409);
    // Voiding releases the work for the next invoice.
    await ok("POST", a.fin(`/invoices/${inv.id}/void`), a.token, undefined, 200);
    const again = await ok("POST", a.fin("/invoices/from-unbilled"), a.token, { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31" });
    expect(again.lines.filter((l: any) => l.source === "time").reduce((s: number, l: any) => s + l.quantity, 0)).toBe(4.5);
  });

  it("bills each entry exactly once when invoices for overlapping periods are created at the same time (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 13 })), { minLength: 2, maxLength: 4 }), async (days, periods) => {
        const a = await newAgency("Race");
        for (const d of days) await logTime(a, MONDAY + d * 24 * HOUR, 1);
        const day = (n: number) => `2026-03-${String(2 + n).padStart(2, "0")}`;
        const results = await Promise.all(periods.map(([len, start]) => call("POST", a.fin("/invoices/from-unbilled"), { token: a.token, body: { workspaceId: a.workspaceId, from: day(start), to: day(Math.min(13, start + len)) } })));
        for (const r of results) expect([201, 422], r.text).toContain(r.status);
        const { results: rows } = await env.DB.prepare("SELECT t.id, t.invoice_id, l.invoice_id AS line_invoice FROM time_entries t LEFT JOIN invoice_lines l ON l.id = t.invoice_line_id WHERE t.org_id = ?").bind(a.orgId).all<{ id: string; invoice_id: string | null; line_invoice: string | null }>();
        for (const r of rows) expect(r.line_invoice).toBe(r.invoice_id);
        const hours = results.filter((r) => r.status === 201).reduce((s, r) => s + r.json.lines.reduce((x: number, l: any) => x + l.quantity, 0), 0);
        expect(hours).toBe(rows.filter((r) => r.invoice_id !== null).length);
      }),
      { seed: 7, numRuns: 4 },
    );
  }, 120_000);
});

describe("finance: sending, viewing and payments", () => {
  it("sends with a PDF and a public link; opening the link marks it viewed; partial then full payment", async () => {
    const a = await newAgency();
    await ok("PATCH", a.fin("/settings"), a.token, { agencyName: "Northwind Digital", agencyDetails: "1 Harbour St\nLisbon" }, 200);
    const draft = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, currency: "EUR", billTo: { name: "Bistro Uno", email: "Owner@Bistro.test" }, lines: [line("Social media retainer", 1, 80_000, { taxRates: [{ name: "VAT", bp: 2300 }] }), line("Ad management", 2.5, 6_000)] });
    expect(draft.totalMinor).toBe(98_400 + 15_000);
    const preview = await call("GET", a.fin(`/invoices/${draft.id}/pdf`), { token: a.token });
    expect(preview.headers.get("content-type")).toBe("application/pdf");
    expect(preview.text.startsWith("%PDF-")).toBe(true);
    const sent = await ok("POST", a.fin(`/invoices/${draft.id}/send`), a.token, {}, 200);
    expect(sent.status).toBe("sent");
    const mail = await waitForEmail("owner@bistro.test", (m) => m.subject.includes(draft.number));
    const token = /\/i\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect(mail.text).toContain(`/api/invoice-links/${token}/pdf`);
    const view = await call("GET", `/api/invoice-links/${token}`);
    expectStatus(view, 200);
    expect(view.json).toMatchObject({ number: draft.number, status: "viewed", totalMinor: 113_400, from: { name: "Northwind Digital" } });
    expect(view.text).not.toContain(a.orgId);
    expect(view.text).not.toContain(a.workspaceId);
    const pdf = await call("GET", `/api/invoice-links/${token}/pdf`);
    expect(pdf.text.startsWith("%PDF-")).toBe(true);
    expect((await ok("GET", a.fin(`/invoices/${draft.id}`), a.token)).status).toBe("viewed");

    const part = await ok("POST", a.fin(`/invoices/${draft.id}/payments`), a.token, { amountMinor: 50_000, date: "2026-03-10", method: "bank transfer", reference: "SEPA 123" });
    expect(part.invoice).toMatchObject({ status: "partially_paid", amountDueMinor: 63_400 });
    expectStatus(await call("POST", a.fin(`/invoices/${draft.id}/payments`), { token: a.token, body: { amountMinor: 63_401, date: "2026-03-11", method: "cash" } }), 422);
    const rest = await ok("POST", a.fin(`/invoices/${draft.id}/payments`), a.token, { amountMinor: 63_400, date: "2026-03-11", method: "cash" });
    expect(rest.invoice).toMatchObject({ status: "paid", amountDueMinor: 0 });
    expect((await ok("GET", a.fin("/payments"), a.token)).payments).toHaveLength(2);
    expectStatus(await call("POST", a.fin(`/invoices/${draft.id}/void`), { token: a.token }), 409);
  });

  it("concurrent payments never overpay", async () => {
    const a = await newAgency();
    const inv = await sentInvoice(a, 10_000);
    const res = await Promise.all(Array.from({ length: 5 }, () => call("POST", a.fin(`/invoices/${inv.id}/payments`), { token: a.token, body: { amountMinor: 3_000, date: "2026-03-10", method: "card" } })));
    expect(res.filter((r) => r.status === 201)).toHaveLength(3);
    const after = await ok("GET", a.fin(`/invoices/${inv.id}`), a.token);
    expect(after.paidMinor).toBe(9_000);
  });

  it("a credit note gets its own number and reduces what is due; an expired or unknown link is not found", async () => {
    const a = await newAgency();
    const inv = await sentInvoice(a, 10_000);
    const cn = await ok("POST", a.fin(`/invoices/${inv.id}/credit-note`), a.token, { lines: [line("Goodwill credit", 1, 2_500)] });
    expect(cn.creditNote).toMatchObject({ kind: "credit_note", creditOf: inv.id, totalMinor: 2_500 });
    expect(cn.creditNote.number).not.toBe(inv.number);
    expect(cn.invoice.amountDueMinor).toBe(7_500);
    expectStatus(await call("POST", a.fin(`/invoices/${inv.id}/credit-note`), { token: a.token, body: { lines: [line("Too much", 1, 7_501)] } }), 422);
    expectStatus(await call("GET", `/api/invoice-links/${"x".repeat(43)}`), 404);
    await env.DB.prepare("UPDATE invoices SET public_expires_at = 1 WHERE id = ?").bind(inv.id).run();
    const mail = await waitForEmail(billingEmail(a), (m) => m.subject.includes(inv.number));
    const token = /\/i\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expectStatus(await call("GET", `/api/invoice-links/${token}`), 404);
  });

  it("only drafts are edited; line edits recompute the totals", async () => {
    const a = await newAgency();
    const draft = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, currency: "JPY", lines: [line("Shoot", 1, 50_000)] });
    const edited = await ok("PATCH", a.fin(`/invoices/${draft.id}`), a.token, { lines: [line("Shoot", 2, 50_000, { discountBp: 1000 }), line("Edit", 0.333, 10_000)] }, 200);
    expect(edited.totalMinor).toBe(90_000 + 3_330);
    expectStatus(await call("PATCH", a.fin(`/invoices/${draft.id}`), { token: a.token, body: { lines: [line("x", 1.0001, 1)] } }), 400);
    expectStatus(await call("PATCH", a.fin(`/invoices/${draft.id}`), { token: a.token, body: { lines: [line("x", 1_000_000, 1_000_000_000_000)] } }), 422);
    await ok("POST", a.fin(`/invoices/${draft.id}/send`), a.token, { to: "a@client.test" }, 200);
    expectStatus(await call("PATCH", a.fin(`/invoices/${draft.id}`), { token: a.token, body: { notes: "late" } }), 409);
  });
});
