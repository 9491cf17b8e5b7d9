import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { invoiceParam, paymentBody, paymentListView, paymentRecordedView } from "../invoices/schemas";
import { listPayments, recordPayment } from "./service";

const tags = ["finance: payments"];

export const paymentRoutes = new Hono<AppEnv>()
  .post("/invoices/:invoiceId/payments", doc({ summary: "Record a payment received (partial payments allowed)", tags, status: 201, response: paymentRecordedView, activity: { action: "finance.payment.record", target: targetParam("invoice", "invoiceId") } }), validate("param", invoiceParam), validate("json", paymentBody), async (c) =>
    c.json(await recordPayment({ ctx: ctxOf(c), input: { ...c.req.valid("json"), invoiceId: c.req.valid("param").invoiceId } }), 201),
  )
  .get("/payments", doc({ summary: "Payments received", tags, response: paymentListView }), async (c) => c.json({ payments: await listPayments({ ctx: ctxOf(c), input: {} }) }));
