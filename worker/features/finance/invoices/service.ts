import { and, desc, eq, notInArray } from "drizzle-orm";
import { expenses, financeSettings, invoiceLines, invoices, timeEntries, type BillTo } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { addDays } from "./dates";
import { chunk, getSettings, getWorkspaceInOrg, requireFinanceAdmin, type FinanceCtx } from "../context";
import { LINES_PER_INSERT, priceLines, specFromBody, type LineSpec } from "./lines";
import { takeNumber } from "./numbering";
import type { LineBody } from "./schemas";
import { invoiceView, todayIn } from "./view";

type Invoice = typeof invoices.$inferSelect;

export async function getInvoiceRow(ctx: FinanceCtx, invoiceId: string) {
  const [row] = await ctx.db.select().from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, ctx.org.orgId))).limit(1);
  if (!row) throw notFound("Invoice");
  return row;
}

export async function linesOf(ctx: FinanceCtx, invoiceId: string) {
  return ctx.db.select().from(invoiceLines).where(and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.orgId, ctx.org.orgId)));
}

export async function getInvoice({ ctx, input }: { ctx: FinanceCtx; input: { invoiceId: string } }) {
  const row = await getInvoiceRow(ctx, input.invoiceId);
  return invoiceView(row, ctx.now, await linesOf(ctx, row.id));
}

export async function listInvoices({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId?: string; status?: string; kind?: "invoice" | "credit_note" } }) {
  requireFinanceAdmin(ctx);
  const rows = await ctx.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.orgId, ctx.org.orgId), input.workspaceId ? eq(invoices.workspaceId, input.workspaceId) : undefined, input.kind ? eq(invoices.kind, input.kind) : undefined))
    .orderBy(desc(invoices.seq))
    .limit(500);
  return rows.map((r) => invoiceView(r, ctx.now)).filter((v) => !input.status || v.status === input.status);
}

export type NewInvoice = {
  workspaceId: string;
  kind?: Invoice["kind"];
  creditOf?: string | null;
  currency?: string;
  issueDate?: string;
  dueDate?: string;
  billTo?: BillTo;
  notes?: string;
  terms?: string;
  status?: Invoice["status"];
};

/**
 * Inserts an invoice with the next number of the organization's sequence. A number another
 * pattern already produced (the unique index refuses it) takes the next one: never a duplicate.
 */
export async function insertInvoice(ctx: FinanceCtx, input: NewInvoice, specs: LineSpec[]) {
  const ws = await getWorkspaceInOrg(ctx, input.workspaceId);
  const settings = await getSettings(ctx);
  const issueDate = input.issueDate ?? todayIn(ctx.now);
  const dueDate = input.dueDate ?? addDays(issueDate, settings.paymentTermsDays);
  if (dueDate < issueDate) throw new ApiError("VALIDATION_FAILED", "The due date is before the issue date", { details: [{ path: "dueDate", message: "On or after the issue date" }] });
  const id = newId();
  const { rows, totals } = priceLines(ctx.org.orgId, id, specs);
  for (let attempt = 0; ; attempt++) {
    const { seq, number } = await takeNumber(ctx, issueDate);
    const row: Invoice = {
      id,
      orgId: ctx.org.orgId,
      workspaceId: input.workspaceId,
      kind: input.kind ?? "invoice",
      creditOf: input.creditOf ?? null,
      number,
      seq,
      status: input.status ?? "draft",
      currency: input.currency ?? settings.currency,
      issueDate,
      dueDate,
      billTo: input.billTo ?? { name: ws.name },
      notes: input.notes ?? "",
      terms: input.terms ?? `Payment due within ${settings.paymentTermsDays} days.`,
      ...totals,
      paidMinor: 0,
      creditedMinor: 0,
      publicTokenHash: null,
      publicExpiresAt: null,
      pdfKey: null,
      sentAt: null,
      viewedAt: null,
      voidedAt: null,
      reminderBeforeAt: null,
      reminderOverdueAt: null,
      createdBy: ctx.org.userId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    try {
      const inserts = chunk(rows, LINES_PER_INSERT).map((c) => ctx.db.insert(invoiceLines).values(c));
      await ctx.db.batch([ctx.db.insert(invoices).values(row), ...inserts]);
      return row;
    } catch (err) {
      if (attempt < 100 && /UNIQUE.*invoices\.(org_id|number)/i.test(String((err as Error)?.cause ?? err))) continue;
      throw err;
    }
  }
}

export async function createInvoice({ ctx, input }: { ctx: FinanceCtx; input: Omit<NewInvoice, "kind" | "creditOf" | "status"> & { lines?: LineBody[] } }) {
  requireFinanceAdmin(ctx);
  const row = await insertInvoice(ctx, input, (input.lines ?? []).map(specFromBody));
  return getInvoice({ ctx, input: { invoiceId: row.id } });
}

/** Edits a draft; `lines` replaces every line (lines keep their id and source when listed with it). */
export async function updateDraft({ ctx, input }: { ctx: FinanceCtx; input: Omit<NewInvoice, "workspaceId" | "kind" | "creditOf" | "status"> & { invoiceId: string; lines?: LineBody[] } }) {
  requireFinanceAdmin(ctx);
  const inv = await getInvoiceRow(ctx, input.invoiceId);
  if (inv.status !== "draft") throw new ApiError("CONFLICT", "Only a draft can be edited; void it or issue a credit note");
  const issueDate = input.issueDate ?? inv.issueDate;
  const dueDate = input.dueDate ?? inv.dueDate;
  if (dueDate < issueDate) throw new ApiError("VALIDATION_FAILED", "The due date is before the issue date", { details: [{ path: "dueDate", message: "On or after the issue date" }] });
  const head = { currency: input.currency, issueDate, dueDate, billTo: input.billTo, notes: input.notes, terms: input.terms, updatedAt: ctx.now };
  const where = and(eq(invoices.id, inv.id), eq(invoices.orgId, ctx.org.orgId), eq(invoices.status, "draft"));
  if (!input.lines) {
    await ctx.db.update(invoices).set(head).where(where);
    return getInvoice({ ctx, input: { invoiceId: inv.id } });
  }
  const existing = new Map((await linesOf(ctx, inv.id)).map((l) => [l.id, l]));
  const specs = input.lines.map((l, i) => {
    const s = specFromBody(l, i);
    const old = l.id ? existing.get(l.id) : undefined;
    if (l.id && !old) throw new ApiError("VALIDATION_FAILED", "A line id is not a line of this invoice", { details: [{ path: `lines.${i}.id`, message: "Unknown line" }] });
    return { ...s, source: old?.source ?? "manual" };
  });
  const { rows, totals } = priceLines(ctx.org.orgId, inv.id, specs);
  const lineOfInvoice = ctx.db.select({ id: invoiceLines.id }).from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id));
  const release = { invoiceId: null, invoiceLineId: null } as const;
  await ctx.db.batch([
    ctx.db.delete(invoiceLines).where(and(eq(invoiceLines.invoiceId, inv.id), eq(invoiceLines.orgId, ctx.org.orgId))),
    ...chunk(rows, LINES_PER_INSERT).map((c) => ctx.db.insert(invoiceLines).values(c)),
    // Entries whose line was removed are unbilled again.
    ctx.db.update(timeEntries).set({ ...release, rateMinor: null }).where(and(eq(timeEntries.invoiceId, inv.id), notInArray(timeEntries.invoiceLineId, lineOfInvoice))),
    ctx.db.update(expenses).set(release).where(and(eq(expenses.invoiceId, inv.id), notInArray(expenses.invoiceLineId, lineOfInvoice))),
    ctx.db.update(invoices).set({ ...head, ...totals }).where(where),
  ]);
  return getInvoice({ ctx, input: { invoiceId: inv.id } });
}

type SettingsRow = typeof financeSettings.$inferSelect;
/** Settings as answered: the logo's R2 key stays inside. */
export const settingsView = ({ logoKey, logoType, logoWidth, logoHeight, logoBytes, ...s }: SettingsRow) => ({
  ...s,
  logo: logoKey && logoType ? { type: logoType, width: logoWidth ?? 0, height: logoHeight ?? 0, bytes: logoBytes ?? 0 } : null,
});

export async function getFinanceSettings({ ctx }: { ctx: FinanceCtx }) {
  return settingsView(await getSettings(ctx));
}

export async function updateFinanceSettings({ ctx, input }: { ctx: FinanceCtx; input: Partial<Pick<typeof financeSettings.$inferSelect, "currency" | "invoicePattern" | "paymentTermsDays" | "agencyName" | "agencyDetails">> }) {
  requireFinanceAdmin(ctx);
  await getSettings(ctx);
  await ctx.db.update(financeSettings).set({ ...input, updatedAt: ctx.now }).where(eq(financeSettings.orgId, ctx.org.orgId));
  return settingsView(await getSettings(ctx));
}

