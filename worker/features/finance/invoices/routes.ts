import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { creditInvoice, invoicePdf, sendInvoice, voidInvoice } from "./lifecycle";
import { createInvoiceBody, creditNoteBody, creditNoteView, financeSettingsView, fromUnbilledBody, invoiceListView, invoiceParam, invoiceView, listInvoicesQuery, sendInvoiceBody, settingsBody, unbilledPreviewView, unbilledQuery, updateInvoiceBody } from "./schemas";
import { createInvoice, getFinanceSettings, getInvoice, listInvoices, settingsView, updateDraft, updateFinanceSettings } from "./service";
import { getLogo, MAX_LOGO_BYTES, removeLogo, uploadLogo } from "./logo";
import { ApiError } from "../../../lib/errors";
import { invoiceUnbilled, previewUnbilled } from "./unbilled";

const tags = ["finance: invoices"];
const pdfHeaders = (number: string) => ({ "content-type": "application/pdf", "content-disposition": `inline; filename="${number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf"` });

export const invoiceRoutes = new Hono<AppEnv>()
  .get("/settings", doc({ summary: "Finance settings: currency, numbering pattern, terms, agency details", tags, response: financeSettingsView }), async (c) => c.json(await getFinanceSettings({ ctx: ctxOf(c) })))
  .patch("/settings", doc({ summary: "Change the finance settings (owners and admins)", tags, response: financeSettingsView, activity: { action: "finance.settings.update" } }), validate("json", settingsBody), async (c) =>
    c.json(await updateFinanceSettings({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .post("/settings/logo", doc({ summary: "Upload or replace the invoice logo (multipart field `file`; PNG or JPEG, type sniffed, at most 1 MB)", tags, response: financeSettingsView, activity: { action: "finance.logo.upload" } }), async (c) => {
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the logo as multipart/form-data with a `file` field");
    // Refused before the body is read when the declared size is already far too big.
    if (Number(c.req.header("content-length") ?? 0) > MAX_LOGO_BYTES + 64 * 1024) throw new ApiError("PAYLOAD_TOO_LARGE", "A logo can be at most 1 MB");
    const form = await c.req.parseBody().catch(() => {
      throw new ApiError("BAD_REQUEST", "Malformed multipart body");
    });
    const file = form.file;
    if (!(file instanceof File)) throw new ApiError("VALIDATION_FAILED", "The `file` field is missing", { details: [{ path: "file", message: "Required" }] });
    const settings = await uploadLogo({ ctx: ctxOf(c), input: { bytes: new Uint8Array(await file.arrayBuffer()) } });
    return c.json(settingsView(settings));
  })
  .delete("/settings/logo", doc({ summary: "Remove the invoice logo", tags, response: financeSettingsView, activity: { action: "finance.logo.delete" } }), async (c) => c.json(settingsView(await removeLogo({ ctx: ctxOf(c) }))))
  .get("/settings/logo", doc({ summary: "The invoice logo image", tags, media: "image/png" }), async (c) => {
    const logo = await getLogo({ ctx: ctxOf(c) });
    return c.body(logo.bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": logo.type, "x-content-type-options": "nosniff", "cache-control": "private, no-cache" });
  })
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
