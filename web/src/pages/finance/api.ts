import { api, apiRaw } from "../../lib/api";
import { session } from "../../lib/session";

export type Project = { id: string; workspaceId: string; name: string; archivedAt: number | null };
export type TimeEntry = { id: string; workspaceId: string; projectId: string | null; userId: string | null; startedAt: number; endedAt: number | null; durationMs: number | null; timeZone: string; billable: boolean; notes: string; billed: boolean; invoiceId: string | null };
export type Expense = { id: string; workspaceId: string; date: string; amountMinor: number; currency: string; category: string; vendor: string; notes: string; billable: boolean; markupBp: number; hasReceipt: boolean; receiptType: string | null; billed: boolean };
export type Line = { id?: string; description: string; quantity: number; unitPriceMinor: number; discountBp: number; taxRates: { name: string; bp: number }[]; source?: string; totalMinor?: number };
export type Invoice = {
  id: string; workspaceId: string; kind: "invoice" | "credit_note"; number: string; status: string; currency: string; issueDate: string; dueDate: string;
  billTo: { name: string; email?: string; address?: string }; notes: string; terms: string; subtotalMinor: number; discountMinor: number; taxMinor: number; totalMinor: number;
  paidMinor: number; creditedMinor: number; amountDueMinor: number; lines?: Line[]; creditOf: string | null;
};
export type Payment = { id: string; invoiceId: string; invoiceNumber: string; date: string; amountMinor: number; currency: string; method: string; reference: string };
export type Settings = { currency: string; invoicePattern: string; paymentTermsDays: number; agencyName: string | null; agencyDetails: string | null };
export type Preview = { currency: string; lines: { description: string; quantity: number; unitPriceMinor: number; totalMinor: number; source: string }[]; totals: { totalMinor: number }; entryCount: number; expenseCount: number; skippedExpenses: { vendor: string; currency: string }[] };

export const fin = (path: string) => `/api/orgs/${session.org()?.id}/finance${path}`;

export const financeApi = {
  projects: () => api<{ projects: Project[] }>(fin("/projects")).then((r) => r.projects),
  createProject: (workspaceId: string, name: string) => api<Project>(fin("/projects"), { body: { workspaceId, name } }),
  entries: (from: number, to: number) => api<{ entries: TimeEntry[] }>(fin("/time"), { query: { from, to } }).then((r) => r.entries),
  createEntry: (body: Record<string, unknown>) => api<TimeEntry>(fin("/time"), { body }),
  deleteEntry: (id: string) => api(fin(`/time/${id}`), { method: "DELETE" }),
  expenses: () => api<{ expenses: Expense[] }>(fin("/expenses")).then((r) => r.expenses),
  createExpense: (body: Record<string, unknown>) => api<Expense>(fin("/expenses"), { body }),
  deleteExpense: (id: string) => api(fin(`/expenses/${id}`), { method: "DELETE" }),
  uploadReceipt: (id: string, file: File) => {
    const form = new FormData();
    form.set("file", file);
    return apiRaw(fin(`/expenses/${id}/receipt`), { method: "POST", body: form });
  },
  settings: () => api<Settings>(fin("/settings")),
  saveSettings: (body: Partial<Settings>) => api<Settings>(fin("/settings"), { method: "PATCH", body }),
  invoices: () => api<{ invoices: Invoice[] }>(fin("/invoices")).then((r) => r.invoices),
  invoice: (id: string) => api<Invoice>(fin(`/invoices/${id}`)),
  createInvoice: (body: Record<string, unknown>) => api<Invoice>(fin("/invoices"), { body }),
  updateInvoice: (id: string, body: Record<string, unknown>) => api<Invoice>(fin(`/invoices/${id}`), { method: "PATCH", body }),
  preview: (q: { workspaceId: string; from: string; to: string; groupBy: string }) => api<Preview>(fin("/unbilled"), { query: q }),
  fromUnbilled: (body: Record<string, unknown>) => api<Invoice>(fin("/invoices/from-unbilled"), { body }),
  send: (id: string, to?: string) => api<Invoice>(fin(`/invoices/${id}/send`), { body: to ? { to } : {} }),
  void: (id: string) => api<Invoice>(fin(`/invoices/${id}/void`), { method: "POST" }),
  pay: (id: string, body: Record<string, unknown>) => api<{ invoice: Invoice }>(fin(`/invoices/${id}/payments`), { body }),
  pdfUrl: async (id: string) => URL.createObjectURL(await (await apiRaw(fin(`/invoices/${id}/pdf`))).blob()),
  payments: () => api<{ payments: Payment[] }>(fin("/payments")).then((r) => r.payments),
};

export const statusTone: Record<string, "neutral" | "brand" | "success" | "warning" | "danger" | "info"> = {
  draft: "neutral", sent: "info", viewed: "brand", partially_paid: "warning", paid: "success", overdue: "danger", void: "neutral",
};
export const statusLabel = (s: string) => s.replace("_", " ");
