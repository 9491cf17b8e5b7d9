import { describe, expect, it } from "vitest";
import { contractChecker } from "../api/contract-support";
import { expectStatus, waitForEmail } from "../support/harness";
import { HOUR, MONDAY, logTime, newAgency } from "./support";

/** Every finance and billing answer, success or error, matches what /api/openapi.json documents. */
describe("finance contract: responses match their documented schemas", () => {
  it("an agency's month: projects, rates, time, expenses, invoices, payments, reports, portal, public link, billing", async () => {
    const api = await contractChecker();
    const a = await newAgency("Contract");
    const auth = { token: a.token };
    const ok = async (method: string, path: string, body?: unknown, status = method === "POST" ? 201 : 200) => {
      const res = await api.call(method, path, { ...auth, body });
      expectStatus(res, status);
      return res.json;
    };
    const project = await ok("POST", a.fin("/projects"), { workspaceId: a.workspaceId, name: "Launch" });
    await ok("PATCH", a.fin(`/projects/${project.id}`), { name: "Spring launch" });
    await ok("GET", a.fin("/projects"));
    const rate = await ok("PUT", a.fin("/rates"), { scope: "org", hourlyMinor: 10_000 }, 200);
    await ok("PUT", a.fin("/rates"), { scope: "project", targetId: project.id, hourlyMinor: 12_000 }, 200);
    await ok("GET", a.fin("/rates"));

    await ok("GET", a.fin("/timer"));
    await ok("POST", a.fin("/timer/start"), { workspaceId: a.workspaceId, timeZone: "Europe/Berlin" });
    await ok("GET", a.fin("/timer"));
    await ok("POST", a.fin("/timer/stop"), undefined, 200);
    expectStatus(await api.call("POST", a.fin("/timer/stop"), auth), 409);
    const entry = await ok("POST", a.fin("/time"), { workspaceId: a.workspaceId, projectId: project.id, startedAt: MONDAY, endedAt: MONDAY + 2 * HOUR, timeZone: "UTC" });
    await ok("PATCH", a.fin(`/time/${entry.id}`), { notes: "Kick-off" });
    const spare = await ok("POST", a.fin("/time"), { workspaceId: a.workspaceId, startedAt: MONDAY + 3 * HOUR, endedAt: MONDAY + 4 * HOUR, timeZone: "UTC" });
    expectStatus(await api.call("DELETE", a.fin(`/time/${spare.id}`), auth), 204);
    await ok("GET", a.fin(`/time?from=${MONDAY - HOUR}&to=${MONDAY + 24 * HOUR}`));

    const expense = await ok("POST", a.fin("/expenses"), { workspaceId: a.workspaceId, date: "2026-03-03", amountMinor: 4_000, currency: "USD", category: "software", vendor: "Figma" });
    await ok("PATCH", a.fin(`/expenses/${expense.id}`), { notes: "Seats" });
    await ok("GET", a.fin("/expenses"));

    await ok("PATCH", a.fin("/settings"), { agencyName: "Contract Agency" });
    await ok("GET", a.fin("/settings"));
    await ok("GET", a.fin(`/unbilled?workspaceId=${a.workspaceId}&from=2026-03-01&to=2026-03-31`));
    const inv = await ok("POST", a.fin("/invoices/from-unbilled"), { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31" });
    await ok("PATCH", a.fin(`/invoices/${inv.id}`), { billTo: { name: "Client Co", email: "ap@client.test" } });
    await ok("GET", a.fin(`/invoices/${inv.id}`));
    await ok("GET", a.fin("/invoices"));
    const pdf = await api.call("GET", a.fin(`/invoices/${inv.id}/pdf`), auth);
    expectStatus(pdf, 200);
    const sent = await ok("POST", a.fin(`/invoices/${inv.id}/send`), {}, 200);
    expect(sent.status).toBe("sent");
    const mail = await waitForEmail("ap@client.test", (m) => m.subject.includes(sent.number));
    const token = /\/i\/([A-Za-z0-9_-]{20,})/.exec(mail.text)?.[1];
    expect(token, "the email carries the public link").toBeTruthy();
    expectStatus(await api.call("GET", `/api/invoice-links/${token}`), 200);
    expectStatus(await api.call("GET", `/api/invoice-links/${token}/pdf`), 200);
    expectStatus(await api.call("POST", `/api/invoice-links/${token}/pay`), 404);
    expectStatus(await api.call("GET", "/api/invoice-links/not-a-real-token-at-all-xxxxxxxx"), 404);

    await ok("POST", a.fin(`/invoices/${inv.id}/payments`), { amountMinor: 1_000, date: "2026-03-10", method: "bank transfer" });
    await ok("GET", a.fin("/payments"));
    await ok("POST", a.fin(`/invoices/${inv.id}/credit-note`), { notes: "Goodwill", lines: [{ description: "Discount", quantity: 1, unitPriceMinor: 500 }] });
    const draft = await ok("POST", a.fin("/invoices"), { workspaceId: a.workspaceId });
    await ok("POST", a.fin(`/invoices/${draft.id}/void`), undefined, 200);
    for (const report of ["revenue", "ar-aging", "unbilled", "expenses", "profitability"]) await ok("GET", a.fin(`/reports/${report}?from=2026-01-01&to=2026-12-31`));
    await ok("GET", a.fin("/stripe"));
    expectStatus(await api.call("DELETE", a.fin(`/rates/${rate.id}`), auth), 204);

    await ok("GET", `/api/workspaces/${a.workspaceId}/finance/invoices`);
    expectStatus(await api.call("GET", `/api/workspaces/${a.workspaceId}/finance/invoices/${inv.id}/pdf`, auth), 200);

    const budget = await ok("PUT", a.fin("/budgets"), { workspaceId: a.workspaceId, unit: "hours", monthlyLimit: 600 }, 200);
    await ok("GET", a.fin("/budgets"));
    expectStatus(await api.call("DELETE", a.fin(`/budgets/${budget.id}`), auth), 204);
    await logTime(a, MONDAY + 48 * HOUR, 1);
    const signoff = await ok("POST", a.fin("/signoffs"), { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31", message: "March" });
    await ok("GET", a.fin("/signoffs"));
    await ok("GET", a.fin(`/signoffs/${signoff.id}`));
    await ok("GET", `/api/workspaces/${a.workspaceId}/finance/signoffs`);
    await ok("GET", `/api/workspaces/${a.workspaceId}/finance/signoffs/${signoff.id}`);
    expectStatus(await api.call("POST", `/api/workspaces/${a.workspaceId}/finance/signoffs/${signoff.id}/decision`, { ...auth, body: { decision: "approve" } }), 403);
    await ok("POST", a.fin(`/signoffs/${signoff.id}/reopen`), undefined, 200);
    expectStatus(await api.call("DELETE", a.fin("/settings/logo"), auth), 404);

    await ok("GET", `/api/orgs/${a.orgId}/billing`);
    await ok("POST", `/api/orgs/${a.orgId}/billing/checkout`, { plan: "starter" }, 200);
    await ok("POST", `/api/orgs/${a.orgId}/billing/portal`, undefined, 200);
    expectStatus(await api.call("POST", "/api/webhooks/stripe", { rawBody: "{}", headers: { "content-type": "application/json" } }), 401);
  });
});
