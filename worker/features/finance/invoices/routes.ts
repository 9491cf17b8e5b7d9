import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { creditInvoice, invoicePdf, sendInvoice, voidInvoice } from "./lifecycle";
import { createInvoiceBody, creditNoteBody, creditNoteView, financeSettingsView, fromUnbilledBody, invoiceListView, invoiceParam, invoiceView, listInvoicesQuery, sendInvoiceBody, settingsBody, unbilledPreviewView, unbilledQuery, updateInvoiceBody } from "./schemas";
import { createInvoice, getFinanceSettings, getInvoice, listInvoices, updateDraft, updateFinanceSettings } from "./service";
import { invoiceUnbilled, previewUnbilled } from "./unbilled";

const tags = ["finance: invoices"];
const pdfHeaders = (number: string) => ({ "content-type": "application/pdf", "content-disposition": `inline; filename="${number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf"` });

export const invoiceRoutes = new Hono<AppEnv>()
  .get("/settings", doc({ summary: "Finance settings: currency, numbering pattern, terms, agency details", tags, response: financeSettingsView }), async (c) => c.json(await getFinanceSettings({ ctx: ctxOf(c) })))
  .patch("/settings", doc({ summary: "Change the finance settings (owners and admins)", tags, response: financeSettingsView, activity: { action: "finance.settings.update" } }), validate("json", settingsBody), async (c) =>
    c.json(await updateFinanceSettings({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .get("/unbilled", doc({ summary: "Preview the draft that a client's unbilled time and expenses would make", tags, response: unbilledPreviewView }), validate("query", unbilledQuery), async (c) =>
    c.json(await previewUnbilled({ ctx: ctxOf(c), input: c.req.valid("query") })),
  )
  .post("/invoices/from-unbilled", doc({ summary: "Turn a client's unbilled time and expenses in a period into a draft invoice", tags, status: 201, response: invoiceView, activity: { action: "finance.invoice.from-unbilled" } }), validate("json", fromUnbilledBody), async (c) =>
    c.json(await invoiceUnbilled({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .get("/invoices", doc({ summary: "Invoices and credit notes", tags, response: invoiceListView }), validate("query", listInvoicesQuery), async (c) =>
    c.json({ invoices: await listInvoices({ ctx: ctxOf(c), input: c.req.valid("query") }) }),
  )
  .post("/invoices", doc({ summary: "Create a draft invoice", tags, status: 201, response: invoiceView, activity: { action: "finance.invoice.create" } }), validate("json", createInvoiceBody), async (c) =>
    c.json(await createInvoice({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .get("/invoices/:invoiceId", doc({ summary: "An invoice with its lines", tags, response: invoiceView }), validate("param", invoiceParam), async (c) =>
    c.json(await getInvoice({ ctx: ctxOf(c), input: c.req.valid("param") })),
  )
  .patch("/invoices/:invoiceId", doc({ summary: "Edit a draft (lines replace all lines)", tags, response: invoiceView, activity: { action: "finance.invoice.update", target: targetParam("invoice", "invoiceId") } }), validate("param", invoiceParam), validate("json", updateInvoiceBody), async (c) =>
    c.json(await updateDraft({ ctx: ctxOf(c), input: { ...c.req.valid("json"), invoiceId: c.req.valid("param").invoiceId } })),
  )
  .get("/invoices/:invoiceId/pdf", doc({ summary: "The invoice PDF (drafts: a fresh preview)", tags, media: "application/pdf" }), validate("param", invoiceParam), async (c) => {
    const pdf = await invoicePdf({ ctx: ctxOf(c), input: c.req.valid("param") });
    return c.body(pdf.bytes as Uint8Array<ArrayBuffer>, 200, pdfHeaders(pdf.number));
  })
  .post("/invoices/:invoiceId/send", doc({ summary: "Send by email with a public, expiring view link", tags, response: invoiceView, activity: { action: "finance.invoice.send", target: targetParam("invoice", "invoiceId") } }), validate("param", invoiceParam), validate("json", sendInvoiceBody), async (c) =>
    c.json(await sendInvoice({ ctx: ctxOf(c), input: { ...c.req.valid("json"), invoiceId: c.req.valid("param").invoiceId } })),
  )
  .post("/invoices/:invoiceId/void", doc({ summary: "Void an unpaid invoice (its time and expenses become unbilled)", tags, response: invoiceView, activity: { action: "finance.invoice.void", target: targetParam("invoice", "invoiceId") } }), validate("param", invoiceParam), async (c) =>
    c.json(await voidInvoice({ ctx: ctxOf(c), input: c.req.valid("param") })),
  )
  .post("/invoices/:invoiceId/credit-note", doc({ summary: "Issue a credit note against a sent invoice", tags, status: 201, response: creditNoteView, activity: { action: "finance.invoice.credit-note", target: targetParam("invoice", "invoiceId") } }), validate("param", invoiceParam), validate("json", creditNoteBody), async (c) =>
    c.json(await creditInvoice({ ctx: ctxOf(c), input: { ...c.req.valid("json"), invoiceId: c.req.valid("param").invoiceId } }), 201),
  );
