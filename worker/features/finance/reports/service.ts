import { and, eq, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { expenses, invoices, rates, timeEntries, workspaces } from "../../../db/schema";
import { ApiError } from "../../../lib/errors";
import { fromMinor } from "../../../lib/money";
import { getSettings, requireFinanceAdmin, type FinanceCtx } from "../context";
import { addDays } from "../invoices/dates";
import { rateResolver } from "../projects/cascade";
import { amountDue, todayIn } from "../invoices/view";
import type { REPORTS } from "./schemas";

/** A report: named columns, rows, and which column a chart plots against which label. */
export type Report = { title: string; currency: string; columns: string[]; rows: (string | number | null)[][]; chart: { label: number; value: number; series?: number } };
type Range = { from: string; to: string };
const ISSUED = ["sent", "viewed", "partially_paid", "paid"] as const;
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

async function clientNames(ctx: FinanceCtx) {
  const rows = await ctx.db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.orgId, ctx.org.orgId));
  return new Map(rows.map((r) => [r.id, r.name]));
}
const money = (minor: number, currency: string) => Number(fromMinor(minor, currency));

async function revenue(ctx: FinanceCtx, r: Range, currency: string): Promise<Report> {
  const names = await clientNames(ctx);
  const rows = await ctx.db
    .select({ workspaceId: invoices.workspaceId, month: sql<string>`substr(${invoices.issueDate}, 1, 7)`, currency: invoices.currency, kind: invoices.kind, total: sql<number>`sum(${invoices.totalMinor})` })
    .from(invoices)
    .where(and(eq(invoices.orgId, ctx.org.orgId), inArray(invoices.status, [...ISSUED]), gte(invoices.issueDate, r.from), lte(invoices.issueDate, r.to)))
    .groupBy(invoices.workspaceId, sql`substr(${invoices.issueDate}, 1, 7)`, invoices.currency, invoices.kind);
  const acc = new Map<string, { month: string; client: string; currency: string; invoiced: number; credited: number }>();
  for (const x of rows) {
    const key = `${x.month}|${x.workspaceId}|${x.currency}`;
    const a = acc.get(key) ?? { month: x.month, client: names.get(x.workspaceId) ?? "Deleted client", currency: x.currency, invoiced: 0, credited: 0 };
    if (x.kind === "credit_note") a.credited += x.total;
    else a.invoiced += x.total;
    acc.set(key, a);
  }
  const out = [...acc.values()].sort((a, b) => a.month.localeCompare(b.month) || a.client.localeCompare(b.client));
  return {
    title: "Revenue by client and month",
    currency,
    columns: ["Month", "Client", "Currency", "Invoiced", "Credited", "Revenue"],
    rows: out.map((a) => [a.month, a.client, a.currency, money(a.invoiced, a.currency), money(a.credited, a.currency), money(a.invoiced - a.credited, a.currency)]),
    chart: { label: 0, value: 5, series: 1 },
  };
}

async function aging(ctx: FinanceCtx, currency: string): Promise<Report> {
  const names = await clientNames(ctx);
  const today = todayIn(ctx.now);
  const open = await ctx.db.select().from(invoices).where(and(eq(invoices.orgId, ctx.org.orgId), eq(invoices.kind, "invoice"), inArray(invoices.status, ["sent", "viewed", "partially_paid"])));
  const buckets = ["Not yet due", "1–30 days", "31–60 days", "61–90 days", "Over 90 days"];
  const byClient = new Map<string, { client: string; currency: string; b: number[] }>();
  for (const inv of open) {
    const late = Math.floor((ms(today) - ms(inv.dueDate)) / 86_400_000);
    const i = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
    const key = `${inv.workspaceId}|${inv.currency}`;
    const row = byClient.get(key) ?? { client: names.get(inv.workspaceId) ?? "Deleted client", currency: inv.currency, b: [0, 0, 0, 0, 0] };
    row.b[i]! += amountDue(inv);
    byClient.set(key, row);
  }
  return {
    title: `Accounts receivable aging on ${today}`,
    currency,
    columns: ["Client", "Currency", ...buckets, "Total due"],
    rows: [...byClient.values()].map((r) => [r.client, r.currency, ...r.b.map((v) => money(v, r.currency)), money(r.b.reduce((s, v) => s + v, 0), r.currency)]),
    chart: { label: 0, value: 7 },
  };
}

/** Time summed per person, project and client in SQL (no scan of entries in the Worker). */
async function timeTotals(ctx: FinanceCtx, r: Range | null, unbilledOnly: boolean) {
  return ctx.db
    .select({ workspaceId: timeEntries.workspaceId, projectId: timeEntries.projectId, userId: timeEntries.userId, billable: timeEntries.billable, ms: sql<number>`sum(${timeEntries.endedAt} - ${timeEntries.startedAt})`, billed: sql<number>`sum(coalesce(${timeEntries.rateMinor}, 0) * (${timeEntries.endedAt} - ${timeEntries.startedAt}))` })
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.orgId, ctx.org.orgId),
        isNotNull(timeEntries.endedAt),
        unbilledOnly ? and(isNull(timeEntries.invoiceId), eq(timeEntries.billable, true)) : undefined,
        r ? gte(timeEntries.startedAt, ms(r.from)) : undefined,
        r ? lte(timeEntries.startedAt, ms(addDays(r.to, 1))) : undefined,
      ),
    )
    .groupBy(timeEntries.workspaceId, timeEntries.projectId, timeEntries.userId, timeEntries.billable);
}

async function unbilled(ctx: FinanceCtx, currency: string): Promise<Report> {
  const names = await clientNames(ctx);
  const resolve = rateResolver(await ctx.db.select().from(rates).where(eq(rates.orgId, ctx.org.orgId)));
  const per = new Map<string, { hours: number; value: number; expenses: number }>();
  const at = (w: string) => per.get(w) ?? { hours: 0, value: 0, expenses: 0 };
  for (const t of await timeTotals(ctx, null, true)) {
    const row = at(t.workspaceId);
    row.hours += t.ms / 3_600_000;
    row.value += Math.round((t.ms / 3_600_000) * resolve(t).hourlyMinor);
    per.set(t.workspaceId, row);
  }
  const spend = await ctx.db
    .select({ workspaceId: expenses.workspaceId, total: sql<number>`sum(${expenses.amountMinor} * (10000 + ${expenses.markupBp}) / 10000)` })
    .from(expenses)
    .where(and(eq(expenses.orgId, ctx.org.orgId), isNull(expenses.invoiceId), eq(expenses.billable, true), eq(expenses.currency, currency)))
    .groupBy(expenses.workspaceId);
  for (const x of spend) per.set(x.workspaceId, { ...at(x.workspaceId), expenses: x.total });
  return {
    title: "Unbilled work",
    currency,
    columns: ["Client", "Unbilled hours", `Time value (${currency})`, `Billable expenses (${currency})`, `Total (${currency})`],
    rows: [...per.entries()].map(([w, r]) => [names.get(w) ?? "Deleted client", Math.round(r.hours * 100) / 100, money(r.value, currency), money(r.expenses, currency), money(r.value + r.expenses, currency)]),
    chart: { label: 0, value: 4 },
  };
}

async function expenseReport(ctx: FinanceCtx, r: Range, currency: string): Promise<Report> {
  const rows = await ctx.db
    .select({ category: expenses.category, currency: expenses.currency, total: sql<number>`sum(${expenses.amountMinor})`, n: sql<number>`count(*)` })
    .from(expenses)
    .where(and(eq(expenses.orgId, ctx.org.orgId), gte(expenses.date, r.from), lte(expenses.date, r.to)))
    .groupBy(expenses.category, expenses.currency)
    .orderBy(expenses.category);
  return { title: "Expenses by category", currency, columns: ["Category", "Currency", "Expenses", "Amount"], rows: rows.map((x) => [x.category, x.currency, x.n, money(x.total, x.currency)]), chart: { label: 0, value: 3 } };
}

/** Per client: invoiced − cost of the time at cost rates − expenses, in the organization's currency. */
async function profitability(ctx: FinanceCtx, r: Range, currency: string): Promise<Report> {
  const names = await clientNames(ctx);
  const resolve = rateResolver(await ctx.db.select().from(rates).where(eq(rates.orgId, ctx.org.orgId)));
  const per = new Map<string, { invoiced: number; cost: number; spent: number; hours: number }>();
  const at = (w: string) => per.get(w) ?? { invoiced: 0, cost: 0, spent: 0, hours: 0 };
  const billed = await ctx.db
    .select({ workspaceId: invoices.workspaceId, kind: invoices.kind, total: sql<number>`sum(${invoices.totalMinor} - ${invoices.taxMinor})` })
    .from(invoices)
    .where(and(eq(invoices.orgId, ctx.org.orgId), eq(invoices.currency, currency), inArray(invoices.status, [...ISSUED]), gte(invoices.issueDate, r.from), lte(invoices.issueDate, r.to)))
    .groupBy(invoices.workspaceId, invoices.kind);
  for (const b of billed) {
    const row = at(b.workspaceId);
    row.invoiced += b.kind === "credit_note" ? -b.total : b.total;
    per.set(b.workspaceId, row);
  }
  for (const t of await timeTotals(ctx, r, false)) {
    const row = at(t.workspaceId);
    row.hours += t.ms / 3_600_000;
    row.cost += Math.round((t.ms / 3_600_000) * resolve(t).costMinor);
    per.set(t.workspaceId, row);
  }
  const spend = await ctx.db
    .select({ workspaceId: expenses.workspaceId, total: sql<number>`sum(${expenses.amountMinor})` })
    .from(expenses)
    .where(and(eq(expenses.orgId, ctx.org.orgId), eq(expenses.currency, currency), gte(expenses.date, r.from), lte(expenses.date, r.to)))
    .groupBy(expenses.workspaceId);
  for (const x of spend) per.set(x.workspaceId, { ...at(x.workspaceId), spent: x.total });
  return {
    title: `Profitability per client (${currency}, invoiced net of tax)`,
    currency,
    columns: ["Client", "Hours", "Invoiced", "Cost of time", "Expenses", "Profit", "Margin %"],
    rows: [...per.entries()].map(([w, x]) => {
      const profit = x.invoiced - x.cost - x.spent;
      return [names.get(w) ?? "Deleted client", Math.round(x.hours * 100) / 100, money(x.invoiced, currency), money(x.cost, currency), money(x.spent, currency), money(profit, currency), x.invoiced > 0 ? Math.round((profit / x.invoiced) * 1000) / 10 : null];
    }),
    chart: { label: 0, value: 5 },
  };
}

export async function runReport({ ctx, input }: { ctx: FinanceCtx; input: { report: (typeof REPORTS)[number]; from?: string; to?: string } }): Promise<Report> {
  requireFinanceAdmin(ctx);
  const today = todayIn(ctx.now);
  const range = { from: input.from ?? `${today.slice(0, 4)}-01-01`, to: input.to ?? today };
  if (range.to < range.from) throw new ApiError("VALIDATION_FAILED", "The period ends before it starts", { details: [{ path: "to", message: "On or after `from`" }] });
  const { currency } = await getSettings(ctx);
  switch (input.report) {
    case "revenue":
      return revenue(ctx, range, currency);
    case "ar-aging":
      return aging(ctx, currency);
    case "unbilled":
      return unbilled(ctx, currency);
    case "expenses":
      return expenseReport(ctx, range, currency);
    case "profitability":
      return profitability(ctx, range, currency);
  }
}
