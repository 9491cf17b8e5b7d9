import { Hono } from "hono";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { AppEnv } from "../../../core/context";
import { invoices } from "../../../db/schema";
import { notFound } from "../../../lib/errors";
import { doc, validate } from "../../../lib/validate";
import { requireWorkspace } from "../../../core/tenancy";
import { invoiceView } from "../invoices/view";
import { portalInvoiceListView } from "../invoices/schemas";
import { portalSignoffRoutes } from "../signoffs/routes";

const tags = ["finance: client portal"];
const VISIBLE = ["sent", "viewed", "partially_paid", "paid"] as const;
const param = z.object({ workspaceId: z.string().min(1).max(64), invoiceId: z.string().min(1).max(64) });

/** `/api/workspaces/:workspaceId/finance`: a client's own invoices in the portal (issued ones only, never drafts). */
export const portalFinanceRoutes = new Hono<AppEnv>()
  .get("/invoices", doc({ summary: "The client's issued invoices and credit notes", tags, response: portalInvoiceListView }), requireWorkspace("viewer"), async (c) => {
    const t = c.var.tenant;
    const rows = await c.var.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.orgId, t.orgId), eq(invoices.workspaceId, t.workspaceId), inArray(invoices.status, [...VISIBLE])))
      .orderBy(desc(invoices.seq))
      .limit(200);
    const now = c.var.ctx.now;
    return c.json({ invoices: rows.map((r) => { const v = invoiceView(r, now); return { id: v.id, number: v.number, kind: v.kind, status: v.status, currency: v.currency, issueDate: v.issueDate, dueDate: v.dueDate, totalMinor: v.totalMinor, amountDueMinor: v.amountDueMinor }; }) });
  })
  .get("/invoices/:invoiceId/pdf", doc({ summary: "The PDF of one of the client's issued invoices", tags, media: "application/pdf" }), requireWorkspace("viewer"), validate("param", param), async (c) => {
    const t = c.var.tenant;
    const [inv] = await c.var.db
      .select({ pdfKey: invoices.pdfKey, number: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.id, c.req.valid("param").invoiceId), eq(invoices.orgId, t.orgId), eq(invoices.workspaceId, t.workspaceId), inArray(invoices.status, [...VISIBLE])))
      .limit(1);
    const obj = inv?.pdfKey ? await c.env.FILES.get(inv.pdfKey) : null;
    if (!inv || !obj) throw notFound("Invoice");
    return c.body(obj.body, 200, { "content-type": "application/pdf", "content-disposition": `inline; filename="${inv.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf"` });
  })
  .route("/", portalSignoffRoutes);
