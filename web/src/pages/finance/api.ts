import { financeOf } from "../../lib/api/finance";
import { session } from "../../lib/session";

export type { Budget, BudgetInput, Signoff, SignoffDetail, Expense, Invoice, InvoiceStatus, Line, LineInput, Payment, Preview, Project, Report, ReportId, Settings, StripeStatus, TimeEntry } from "../../lib/api/finance";

/** The finance calls of the current organization. */
export const financeApi = new Proxy({} as ReturnType<typeof financeOf>, {
  get: (_, name: keyof ReturnType<typeof financeOf>) => financeOf(session.org()?.id ?? "")[name],
});

export const statusTone: Record<string, "neutral" | "brand" | "success" | "warning" | "danger" | "info"> = {
  draft: "neutral", sent: "info", viewed: "brand", partially_paid: "warning", paid: "success", overdue: "danger", void: "neutral",
};
export const statusLabel = (s: string) => s.replace("_", " ");
