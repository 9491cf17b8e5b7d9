import { describe, expect, it } from "vitest";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";
import { DAILY } from "../../worker/lib/schedule";
import { call, env, expectStatus } from "../support/harness";
import { newAgency, ok } from "./support";

const at = (day: string) => Date.parse(`${day}T08:00:00Z`);
async function daily(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ cron: DAILY, scheduledTime }), env);
  await waitOnExecutionContext(ctx);
}
/** The reminders in the dev mailbox (the daily cron's retention also clears old dev mail, so count only these). */
const mails = async (to: string) =>
  (await env.DB.prepare(`SELECT subject, text FROM dev_mailbox WHERE "to" = ? AND (subject LIKE 'Reminder:%' OR subject LIKE 'Overdue:%') ORDER BY created_at`).bind(to).all<{ subject: string; text: string }>()).results;
async function waitForCount(to: string, n: number) {
  for (let i = 0; i < 50; i++) {
    const m = await mails(to);
    if (m.length >= n) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  return mails(to);
}

describe("finance: invoice due-date reminders from the daily cron", () => {
  it("one reminder before the due date and one when overdue, each once; paid and draft invoices get none", async () => {
    const a = await newAgency("Remind");
    const to = `ap-${a.orgId.slice(0, 8)}@client.test`;
    const inv = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, issueDate: "2030-03-01", dueDate: "2030-03-15", billTo: { name: "Client Co", email: to }, lines: [{ description: "Retainer", quantity: 1, unitPriceMinor: 50_000 }] });
    await ok("POST", a.fin(`/invoices/${inv.id}/send`), a.token, {}, 200);
    const paid = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, issueDate: "2030-03-01", dueDate: "2030-03-15", billTo: { name: "Client Co", email: to }, lines: [{ description: "Paid one", quantity: 1, unitPriceMinor: 1_000 }] });
    await ok("POST", a.fin(`/invoices/${paid.id}/send`), a.token, {}, 200);
    await ok("POST", a.fin(`/invoices/${paid.id}/payments`), a.token, { amountMinor: 1_000, date: "2030-03-02", method: "card" });
    await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, issueDate: "2030-03-01", dueDate: "2030-03-15", billTo: { name: "Client Co", email: to }, lines: [{ description: "Draft", quantity: 1, unitPriceMinor: 1_000 }] });

    await daily(at("2030-03-05")); // ten days before: nothing yet
    await daily(at("2030-03-13")); // two days before
    await daily(at("2030-03-14")); // again the next day: not twice
    const before = await waitForCount(to, 1);
    expect(before).toHaveLength(1);
    expect(before[0]!.subject).toBe(`Reminder: invoice ${inv.number} from Your agency is due on 2030-03-15`);
    expect(before[0]!.text).toContain("500.00 USD due");
    const link = /\/i\/([A-Za-z0-9_-]{20,})/.exec(before[0]!.text)![1]!;
    const view = await call("GET", `/api/invoice-links/${link}`);
    expectStatus(view, 200);
    expect(view.json.number).toBe(inv.number);

    await daily(at("2030-03-16"));
    await daily(at("2030-03-20"));
    // (The cron's retention clears dev mail older than its window, so the earlier reminder may be gone by now.)
    const after = (await waitForCount(to, 1)).filter((x) => x.subject.startsWith("Overdue:"));
    expect(after).toHaveLength(1);
    expect(after[0]!.subject).toBe(`Overdue: invoice ${inv.number} from Your agency was due on 2030-03-15`);
    expect(after.every((x) => !x.text.includes("Paid one") && !x.subject.includes(paid.number))).toBe(true);
    // (The cron's retention ended the 2026 session by 2030; the invoice's record is read directly.)
    const row = await env.DB.prepare("SELECT reminder_before_at AS b, reminder_overdue_at AS o FROM invoices WHERE id = ?").bind(inv.id).first<{ b: number; o: number }>();
    expect(row).toEqual({ b: at("2030-03-13"), o: at("2030-03-16") });
    const untouched = await env.DB.prepare("SELECT COUNT(*) AS n FROM invoices WHERE org_id = ? AND id != ? AND (reminder_before_at IS NOT NULL OR reminder_overdue_at IS NOT NULL)").bind(a.orgId, inv.id).first<{ n: number }>();
    expect(untouched?.n).toBe(0);
  });
});
