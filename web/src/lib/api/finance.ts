import { apiRaw } from "../api";
import { client, type BodyOf, type ResponseOf } from "./client";

const F = "/api/orgs/{orgId}/finance";
export type TimeEntry = ResponseOf<"/api/orgs/{orgId}/finance/time", "post">;
export type Expense = ResponseOf<"/api/orgs/{orgId}/finance/expenses", "post">;
export type Project = ResponseOf<"/api/orgs/{orgId}/finance/projects", "post">;
export type Invoice = ResponseOf<"/api/orgs/{orgId}/finance/invoices/{invoiceId}", "get">;
export type InvoiceStatus = Invoice["status"];
export type Line = NonNullable<Invoice["lines"]>[number];
export type LineInput = NonNullable<BodyOf<"/api/orgs/{orgId}/finance/invoices/{invoiceId}", "patch">["lines"]>[number];
export type Payment = ResponseOf<"/api/orgs/{orgId}/finance/payments", "get">["payments"][number];
export type Settings = ResponseOf<"/api/orgs/{orgId}/finance/settings", "get">;
export type Preview = ResponseOf<"/api/orgs/{orgId}/finance/unbilled", "get">;
export type Report = ResponseOf<"/api/orgs/{orgId}/finance/reports/{report}", "get">;
export type ReportId = "revenue" | "ar-aging" | "unbilled" | "expenses" | "profitability";
export type StripeStatus = ResponseOf<"/api/orgs/{orgId}/finance/stripe", "get">;
export type PortalInvoice = ResponseOf<"/api/workspaces/{workspaceId}/finance/invoices", "get">["invoices"][number];
export type PublicInvoice = ResponseOf<"/api/invoice-links/{token}", "get">;
export type Budget = ResponseOf<"/api/orgs/{orgId}/finance/budgets", "get">["budgets"][number];
export type BudgetInput = BodyOf<"/api/orgs/{orgId}/finance/budgets", "put">;
export type Signoff = ResponseOf<"/api/orgs/{orgId}/finance/signoffs", "get">["signoffs"][number];
export type SignoffDetail = ResponseOf<"/api/orgs/{orgId}/finance/signoffs/{signoffId}", "get">;
export type SignoffRequest = BodyOf<"/api/orgs/{orgId}/finance/signoffs", "post">;

/** Finance calls of one organization (its id first). */
export const financeOf = (orgId: string) => {
  const params = { orgId };
  return {
    timer: () => client.get(`${F}/timer`, { params }),
    startTimer: (body: BodyOf<"/api/orgs/{orgId}/finance/timer/start", "post">) => client.post(`${F}/timer/start`, { params, body }),
    stopTimer: () => client.post(`${F}/timer/stop`, { params }),
    projects: () => client.get(`${F}/projects`, { params }).then((r) => r.projects),
    createProject: (workspaceId: string, name: string) => client.post(`${F}/projects`, { params, body: { workspaceId, name } }),
    entries: (from: number, to: number) => client.get(`${F}/time`, { params, query: { from, to } }).then((r) => r.entries),
    createEntry: (body: BodyOf<"/api/orgs/{orgId}/finance/time", "post">) => client.post(`${F}/time`, { params, body }),
    deleteEntry: (entryId: string) => client.delete(`${F}/time/{entryId}`, { params: { ...params, entryId } }),
    expenses: () => client.get(`${F}/expenses`, { params }).then((r) => r.expenses),
    createExpense: (body: BodyOf<"/api/orgs/{orgId}/finance/expenses", "post">) => client.post(`${F}/expenses`, { params, body }),
    deleteExpense: (expenseId: string) => client.delete(`${F}/expenses/{expenseId}`, { params: { ...params, expenseId } }),
    uploadReceipt: (expenseId: string, file: File) => {
      const form = new FormData();
      form.set("file", file);
      return apiRaw(`/api/orgs/${orgId}/finance/expenses/${expenseId}/receipt`, { method: "POST", body: form });
    },
    settings: () => client.get(`${F}/settings`, { params }),
    saveSettings: (body: BodyOf<"/api/orgs/{orgId}/finance/settings", "patch">) => client.patch(`${F}/settings`, { params, body }),
    invoices: () => client.get(`${F}/invoices`, { params }).then((r) => r.invoices),
    invoice: (invoiceId: string) => client.get(`${F}/invoices/{invoiceId}`, { params: { ...params, invoiceId } }),
    createInvoice: (body: BodyOf<"/api/orgs/{orgId}/finance/invoices", "post">) => client.post(`${F}/invoices`, { params, body }),
    updateInvoice: (invoiceId: string, body: BodyOf<"/api/orgs/{orgId}/finance/invoices/{invoiceId}", "patch">) => client.patch(`${F}/invoices/{invoiceId}`, { params: { ...params, invoiceId }, body }),
    preview: (query: { workspaceId: string; from: string; to: string; groupBy: "project" | "person" | "entry" }) => client.get(`${F}/unbilled`, { params, query }),
    fromUnbilled: (body: BodyOf<"/api/orgs/{orgId}/finance/invoices/from-unbilled", "post">) => client.post(`${F}/invoices/from-unbilled`, { params, body }),
    send: (invoiceId: string, to?: string) => client.post(`${F}/invoices/{invoiceId}/send`, { params: { ...params, invoiceId }, body: to ? { to } : {} }),
    void: (invoiceId: string) => client.post(`${F}/invoices/{invoiceId}/void`, { params: { ...params, invoiceId } }),
    pay: (invoiceId: string, body: BodyOf<"/api/orgs/{orgId}/finance/invoices/{invoiceId}/payments", "post">) => client.post(`${F}/invoices/{invoiceId}/payments`, { params: { ...params, invoiceId }, body }),
    pdfUrl: async (invoiceId: string) => URL.createObjectURL(await (await apiRaw(`/api/orgs/${orgId}/finance/invoices/${invoiceId}/pdf`)).blob()),
    payments: () => client.get(`${F}/payments`, { params }).then((r) => r.payments),
    report: (report: ReportId, query: { from?: string; to?: string }) => client.get(`${F}/reports/{report}`, { params: { ...params, report }, query }),
    reportCsv: (report: ReportId, query: { from?: string; to?: string }) => apiRaw(`/api/orgs/${orgId}/finance/reports/${report}?${new URLSearchParams({ ...query, format: "csv" } as Record<string, string>)}`),
    budgets: () => client.get(`${F}/budgets`, { params }).then((r) => r.budgets),
    putBudget: (body: BudgetInput) => client.put(`${F}/budgets`, { params, body }),
    deleteBudget: (budgetId: string) => client.delete(`${F}/budgets/{budgetId}`, { params: { ...params, budgetId } }),
    signoffs: () => client.get(`${F}/signoffs`, { params, query: {} }).then((r) => r.signoffs),
    signoff: (signoffId: string) => client.get(`${F}/signoffs/{signoffId}`, { params: { ...params, signoffId } }),
    requestSignoff: (body: SignoffRequest) => client.post(`${F}/signoffs`, { params, body }),
    reopenSignoff: (signoffId: string) => client.post(`${F}/signoffs/{signoffId}/reopen`, { params: { ...params, signoffId } }),
    uploadLogo: async (file: File) => {
      const form = new FormData();
      form.set("file", file);
      return (await apiRaw(`/api/orgs/${orgId}/finance/settings/logo`, { method: "POST", body: form })).json() as Promise<Settings>;
    },
    removeLogo: () => client.delete(`${F}/settings/logo`, { params }),
    logoUrl: async () => URL.createObjectURL(await (await apiRaw(`/api/orgs/${orgId}/finance/settings/logo`)).blob()),
    stripe: () => client.get(`${F}/stripe`, { params }),
    connectStripe: (secretKey: string) => client.put(`${F}/stripe`, { params, body: { secretKey } }),
  };
};

export const portalInvoices = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/finance/invoices", { params: { workspaceId } }).then((r) => r.invoices);
export const portalInvoicePdf = (workspaceId: string, invoiceId: string) => apiRaw(`/api/workspaces/${workspaceId}/finance/invoices/${invoiceId}/pdf`);
export const publicInvoice = (token: string) => client.get("/api/invoice-links/{token}", { params: { token }, auth: false });
export const payPublicInvoice = (token: string) => client.post("/api/invoice-links/{token}/pay", { params: { token }, auth: false });
export const portalSignoffs = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/finance/signoffs", { params: { workspaceId } }).then((r) => r.signoffs);
export const portalSignoff = (workspaceId: string, signoffId: string) => client.get("/api/workspaces/{workspaceId}/finance/signoffs/{signoffId}", { params: { workspaceId, signoffId } });
export const decideSignoff = (workspaceId: string, signoffId: string, body: BodyOf<"/api/workspaces/{workspaceId}/finance/signoffs/{signoffId}/decision", "post">) =>
  client.post("/api/workspaces/{workspaceId}/finance/signoffs/{signoffId}/decision", { params: { workspaceId, signoffId }, body });
