export { financeRoutes } from "./routes";
export { publicInvoiceRoutes } from "./invoices/public-routes";
export { seedDemoFinance } from "./demo";
export { agencyWebhookRoutes, publicPayRoutes } from "./online/routes";
export { portalFinanceRoutes } from "./portal/routes";
export { rotateFinanceSecretsBatch } from "./online/secrets";
export { invoiceReminders } from "./invoices/reminders";
