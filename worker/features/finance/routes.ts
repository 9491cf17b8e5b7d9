import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireOrg } from "../../core/tenancy";
import { expenseRoutes } from "./expenses/routes";
import { invoiceRoutes } from "./invoices/routes";
import { projectRoutes } from "./projects/routes";
import { timeRoutes } from "./time/routes";
import { onlinePaymentRoutes } from "./online/routes";
import { reportRoutes } from "./reports/routes";
import { paymentRoutes } from "./payments/routes";
import { budgetRoutes } from "./budgets/routes";
import { signoffRoutes } from "./signoffs/routes";

/** `/api/orgs/:orgId/finance/*`: every organization member; invoicing and rates need owner or admin (checked in the verbs). Read-only after a failed payment: billing's planGuard, for every route. */
export const financeRoutes = new Hono<AppEnv>()
  .use(requireOrg("member"))
  .route("/", timeRoutes)
  .route("/", projectRoutes)
  .route("/", expenseRoutes)
  .route("/", invoiceRoutes)
  .route("/", paymentRoutes)
  .route("/", onlinePaymentRoutes)
  .route("/", reportRoutes)
  .route("/", budgetRoutes)
  .route("/", signoffRoutes);
