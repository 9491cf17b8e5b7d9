import { eq, sql } from "drizzle-orm";
import { financeSettings } from "../../../db/schema";
import type { FinanceCtx } from "../context";
import { getSettings } from "../context";

const TOKEN = /\{(YYYY|YY|MM|seq(?::(\d))?)\}/g;
export const PATTERN_HINT = "Use {seq} or {seq:N} (zero-padded to N digits, 1–9), and optionally {YYYY}, {YY}, {MM}";

export function validPattern(p: string) {
  const seqs = [...p.matchAll(/\{seq(?::(\d))?\}/g)];
  const stripped = p.replace(TOKEN, "");
  return seqs.length === 1 && !/[{}]/.test(stripped) && (seqs[0]![1] === undefined || Number(seqs[0]![1]) >= 1);
}

/** `INV-{YYYY}-{seq:4}` with seq 7 on 2026-03-02 → `INV-2026-0007`. */
export function formatNumber(pattern: string, seq: number, issueDate: string) {
  return pattern.replace(TOKEN, (_, token: string, pad?: string) => {
    if (token === "YYYY") return issueDate.slice(0, 4);
    if (token === "YY") return issueDate.slice(2, 4);
    if (token === "MM") return issueDate.slice(5, 7);
    return String(seq).padStart(pad ? Number(pad) : 0, "0");
  });
}

/**
 * Takes the next number of the organization's sequence: one UPDATE … RETURNING, atomic in D1,
 * so concurrent invoices never get the same sequence value. A value is never handed out twice
 * (a failed insert leaves a gap rather than a reuse).
 */
export async function takeNumber(ctx: FinanceCtx, issueDate: string) {
  await getSettings(ctx);
  const [row] = await ctx.db
    .update(financeSettings)
    .set({ nextSeq: sql`${financeSettings.nextSeq} + 1` })
    .where(eq(financeSettings.orgId, ctx.org.orgId))
    .returning({ seq: sql<number>`${financeSettings.nextSeq} - 1`, pattern: financeSettings.invoicePattern });
  return { seq: row!.seq, number: formatNumber(row!.pattern, row!.seq, issueDate) };
}
