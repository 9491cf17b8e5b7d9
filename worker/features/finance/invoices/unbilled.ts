import { and, eq, gte, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import { expenses, invoiceLines, invoices, projects, rates, timeEntries, users, type TaxRate } from "../../../db/schema";
import { ApiError } from "../../../lib/errors";
import { chunk, filterOnly, filterOnlyNull, getSettings, getWorkspaceInOrg, requireFinanceAdmin, type FinanceCtx } from "../context";
import { rateResolver } from "../projects/cascade";
import { addDays, localDay } from "./dates";
import { LINES_PER_INSERT, priceLines, type LineSpec } from "./lines";
import { insertInvoice } from "./service";
import { getInvoice } from "./service";

export type GroupBy = "project" | "person" | "entry";
export type UnbilledInput = { workspaceId: string; from: string; to: string; groupBy: GroupBy; currency?: string };
type Entry = typeof timeEntries.$inferSelect;
type Expense = typeof expenses.$inferSelect;
/** A proposed line and the entries and expenses it bills. */
export type ProposedLine = LineSpec & { entryIds: string[]; expenseIds: string[]; rateMinor: number | null };

const ID_CHUNK = 90;
const DAY = 86_400_000;

/** Billable, finished, unbilled time whose local day (in the entry's own zone) is in the period. */
async function unbilledEntries(ctx: FinanceCtx, input: UnbilledInput, invoiceId: string | null = null) {
  // ±14 h covers every zone's offset; the exact test is on the entry's local day below.
  const lo = Date.parse(`${input.from}T00:00:00Z`) - DAY;
  const hi = Date.parse(`${input.to}T00:00:00Z`) + 2 * DAY;
  const rows = await ctx.db
    .select()
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.orgId, ctx.org.orgId),
        eq(timeEntries.workspaceId, input.workspaceId),
        invoiceId ? eq(timeEntries.invoiceId, invoiceId) : isNull(timeEntries.invoiceId),
        eq(timeEntries.billable, true),
        isNotNull(timeEntries.endedAt),
        gte(timeEntries.startedAt, lo),
        lte(timeEntries.startedAt, hi),
      ),
    );
  return rows.filter((e) => {
    const day = localDay(e.startedAt, e.timeZone);
    return day >= input.from && day <= input.to;
  });
}

async function unbilledExpenses(ctx: FinanceCtx, input: UnbilledInput, currency: string, invoiceId: string | null = null) {
  const rows = await ctx.db
    .select()
    .from(expenses)
    .where(
      and(
        eq(expenses.orgId, ctx.org.orgId),
        eq(expenses.workspaceId, input.workspaceId),
        invoiceId ? eq(expenses.invoiceId, invoiceId) : isNull(expenses.invoiceId),
        eq(expenses.billable, true),
        gte(expenses.date, input.from),
        lte(expenses.date, input.to),
      ),
    );
  return { billable: rows.filter((e) => e.currency === currency), otherCurrency: rows.filter((e) => e.currency !== currency) };
}

const hoursMilli = (ms: number) => Math.round(ms / 3600);

/** Groups time into lines (one unit price each) and adds one line per expense with its markup. */
async function propose(ctx: FinanceCtx, input: UnbilledInput, entries: Entry[], spent: Expense[], taxRates: TaxRate[]): Promise<ProposedLine[]> {
  const orgId = ctx.org.orgId;
  const resolve = rateResolver(await ctx.db.select().from(rates).where(eq(rates.orgId, orgId)));
  const projectNames = new Map((await ctx.db.select({ id: projects.id, name: projects.name }).from(projects).where(and(eq(projects.orgId, orgId), eq(projects.workspaceId, input.workspaceId)))).map((p) => [p.id, p.name]));
  const userIds = [...new Set(entries.map((e) => e.userId).filter((u): u is string => u !== null))];
  const names = new Map<string, string>();
  for (const ids of chunk(userIds, ID_CHUNK)) for (const u of await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))) names.set(u.id, u.name);

  const groups = new Map<string, { label: string; rate: number; ms: number; ids: string[]; first: number }>();
  for (const e of entries.sort((a, b) => a.startedAt - b.startedAt)) {
    const rate = resolve(e).hourlyMinor;
    const label =
      input.groupBy === "project"
        ? (e.projectId && projectNames.get(e.projectId)) || "General"
        : input.groupBy === "person"
          ? (e.userId && names.get(e.userId)) || "Former team member"
          : `${localDay(e.startedAt, e.timeZone)} ${e.notes || "Time"}`.slice(0, 480);
    const key = input.groupBy === "entry" ? e.id : `${label}|${rate}`;
    const g = groups.get(key) ?? { label, rate, ms: 0, ids: [], first: e.startedAt };
    g.ms += e.endedAt! - e.startedAt;
    g.ids.push(e.id);
    groups.set(key, g);
  }
  const lines: ProposedLine[] = [...groups.values()].map((g) => ({
    description: input.groupBy === "entry" ? g.label : `${g.label}: time ${input.from} to ${input.to}`,
    quantityMilli: hoursMilli(g.ms),
    unitPriceMinor: g.rate,
    discountBp: 0,
    taxRates,
    source: "time",
    entryIds: g.ids,
    expenseIds: [],
    rateMinor: g.rate,
  }));
  for (const x of spent.sort((a, b) => a.date.localeCompare(b.date))) {
    lines.push({
      description: `${x.vendor} (${x.category}, ${x.date})${x.markupBp ? ` incl. ${x.markupBp / 100} % markup` : ""}`,
      quantityMilli: 1000,
      unitPriceMinor: Math.round((x.amountMinor * (10_000 + x.markupBp)) / 10_000),
      discountBp: 0,
      taxRates,
      source: "expense",
      entryIds: [],
      expenseIds: [x.id],
      rateMinor: null,
    });
  }
  return lines;
}

function checkPeriod(input: UnbilledInput) {
  if (input.to < input.from) throw new ApiError("VALIDATION_FAILED", "The period ends before it starts", { details: [{ path: "to", message: "On or after `from`" }] });
  if (addDays(input.from, 400) < input.to) throw new ApiError("VALIDATION_FAILED", "A period can span at most 400 days");
}

/** What a draft for this client and period would contain (nothing is written). */
export async function previewUnbilled({ ctx, input }: { ctx: FinanceCtx; input: UnbilledInput }) {
  requireFinanceAdmin(ctx);
  checkPeriod(input);
  await getWorkspaceInOrg(ctx, input.workspaceId);
  const currency = input.currency ?? (await getSettings(ctx)).currency;
  const entries = await unbilledEntries(ctx, input);
  const spent = await unbilledExpenses(ctx, input, currency);
  const lines = await propose(ctx, input, entries, spent.billable, []);
  const { rows, totals } = priceLines(ctx.org.orgId, "preview", lines);
  return {
    currency,
    lines: rows.map((r, i) => ({ description: r.description, quantity: r.quantityMilli / 1000, unitPriceMinor: r.unitPriceMinor, totalMinor: r.totalMinor, source: r.source, entries: lines[i]!.entryIds.length, expenses: lines[i]!.expenseIds.length })),
    totals,
    entryCount: entries.length,
    expenseCount: spent.billable.length,
    skippedExpenses: spent.otherCurrency.map((x) => ({ id: x.id, vendor: x.vendor, currency: x.currency, amountMinor: x.amountMinor })),
  };
}

/**
 * Unbilled work → a draft invoice, in steps that keep "billed exactly once" true under
 * concurrency: (1) a numbered, empty draft; (2) claim the candidates with UPDATE … WHERE
 * invoice_id IS NULL (atomic per statement, so two invoices can never claim one entry);
 * (3) build the lines from what this draft actually claimed and, in one batch, insert them,
 * link every entry and expense to its line with the rate it was billed at, and set the totals.
 */
export async function invoiceUnbilled({ ctx, input }: { ctx: FinanceCtx; input: UnbilledInput & { taxRates?: TaxRate[]; issueDate?: string; dueDate?: string } }) {
  requireFinanceAdmin(ctx);
  checkPeriod(input);
  const currency = input.currency ?? (await getSettings(ctx)).currency;
  const candidates = await unbilledEntries(ctx, input);
  const spent = (await unbilledExpenses(ctx, input, currency)).billable;
  if (!candidates.length && !spent.length) throw new ApiError("UNPROCESSABLE", "Nothing unbilled for this client in that period");
  const inv = await insertInvoice(ctx, { workspaceId: input.workspaceId, currency, issueDate: input.issueDate, dueDate: input.dueDate, notes: `Work from ${input.from} to ${input.to}.` }, []);
  const orgId = ctx.org.orgId;
  const claims = [
    ...chunk(candidates.map((e) => e.id), ID_CHUNK).map((ids) => ctx.db.update(timeEntries).set({ invoiceId: inv.id }).where(and(filterOnly(timeEntries.orgId, orgId), inArray(timeEntries.id, ids), filterOnlyNull(timeEntries.invoiceId)))),
    ...chunk(spent.map((x) => x.id), ID_CHUNK).map((ids) => ctx.db.update(expenses).set({ invoiceId: inv.id }).where(and(filterOnly(expenses.orgId, orgId), inArray(expenses.id, ids), filterOnlyNull(expenses.invoiceId)))),
  ];
  for (const c of chunk(claims, 50)) await ctx.db.batch(c as [(typeof c)[number], ...(typeof c)[number][]]);
  const mine = await unbilledEntries(ctx, input, inv.id);
  const mySpend = (await unbilledExpenses(ctx, input, currency, inv.id)).billable;
  const lines = await propose(ctx, input, mine, mySpend, input.taxRates ?? []);
  const { rows, totals } = priceLines(orgId, inv.id, lines);
  const writes = [
    ...chunk(rows, LINES_PER_INSERT).map((c) => ctx.db.insert(invoiceLines).values(c)),
    ...rows.flatMap((r, i) => [
      ...chunk(lines[i]!.entryIds, ID_CHUNK).map((ids) => ctx.db.update(timeEntries).set({ invoiceLineId: r.id, rateMinor: lines[i]!.rateMinor }).where(and(filterOnly(timeEntries.invoiceId, inv.id), inArray(timeEntries.id, ids)))),
      ...chunk(lines[i]!.expenseIds, ID_CHUNK).map((ids) => ctx.db.update(expenses).set({ invoiceLineId: r.id }).where(and(filterOnly(expenses.invoiceId, inv.id), inArray(expenses.id, ids)))),
    ]),
    ctx.db.update(invoices).set({ ...totals, updatedAt: ctx.now }).where(and(eq(invoices.id, inv.id), eq(invoices.orgId, orgId))),
  ];
  await ctx.db.batch(writes as [(typeof writes)[number], ...(typeof writes)[number][]]);
  return getInvoice({ ctx, input: { invoiceId: inv.id } });
}
