import { and, eq, gte, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import { createDb } from "../../../db/client";
import { financeSettings, invoices } from "../../../db/schema";
import { sendEmail } from "../../../core/email/outbound";
import { readConfig } from "../../../env";
import { sha256Hex } from "../../../lib/hash";
import { newToken } from "../../../lib/ids";
import { fromMinor } from "../../../lib/money";
import { addDays } from "./dates";
import { LINK_DAYS } from "./lifecycle";
import { amountDue, todayIn } from "./view";

/** The "due soon" reminder goes out this many days before the due date. */
export const REMIND_DAYS_BEFORE = 3;
const BATCH = 50;
const OPEN = ["sent", "viewed", "partially_paid"] as const;

type Kind = "before" | "overdue";

/**
 * Cron: a reminder before the due date and one when overdue, each at most once per invoice. Each
 * invoice is claimed with UPDATE … WHERE reminder_x IS NULL before its email is queued, so two
 * overlapping runs never send twice. The email carries a fresh view link (it replaces the old one).
 */
export async function invoiceReminders(env: Env, now: number) {
  const db = createDb(env.DB);
  const today = todayIn(now);
  const base = readConfig(env).APP_URL.replace(/\/$/, "");
  let sent = 0;
  for (const kind of ["before", "overdue"] as Kind[]) {
    const col = kind === "before" ? invoices.reminderBeforeAt : invoices.reminderOverdueAt;
    const window = kind === "before" ? and(gte(invoices.dueDate, today), lte(invoices.dueDate, addDays(today, REMIND_DAYS_BEFORE))) : lt(invoices.dueDate, today);
    const due = await db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.kind, "invoice"), inArray(invoices.status, [...OPEN]), isNull(col), window, sql`json_extract(${invoices.billTo}, '$.email') IS NOT NULL`))
      .limit(BATCH);
    for (const { id } of due) {
      const token = newToken();
      const [inv] = await db
        .update(invoices)
        .set({ [kind === "before" ? "reminderBeforeAt" : "reminderOverdueAt"]: now, publicTokenHash: await sha256Hex(token), publicExpiresAt: now + LINK_DAYS * 86_400_000 })
        .where(and(eq(invoices.id, id), isNull(col), inArray(invoices.status, [...OPEN])))
        .returning();
      if (!inv || !inv.billTo.email || amountDue(inv) === 0) continue;
      const [s] = await db.select({ agencyName: financeSettings.agencyName }).from(financeSettings).where(eq(financeSettings.orgId, inv.orgId)).limit(1);
      const from = s?.agencyName ?? "Your agency";
      const owed = `${fromMinor(amountDue(inv), inv.currency)} ${inv.currency}`;
      await sendEmail(env, {
        to: inv.billTo.email,
        subject: kind === "before" ? `Reminder: invoice ${inv.number} from ${from} is due on ${inv.dueDate}` : `Overdue: invoice ${inv.number} from ${from} was due on ${inv.dueDate}`,
        text: [
          `Hello ${inv.billTo.name},`,
          "",
          kind === "before"
            ? `A friendly reminder that invoice ${inv.number} from ${from} (${owed} due) is due on ${inv.dueDate}.`
            : `Invoice ${inv.number} from ${from} was due on ${inv.dueDate} and ${owed} is still open. If you have already paid, thank you, and please ignore this email.`,
          "",
          "View it online (this link replaces earlier ones):",
          `${base}/i/${token}`,
        ].join("\n"),
      });
      sent++;
    }
  }
  return { sent };
}
