import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, validate } from "../../../lib/validate";
import { publicInvoiceView as publicInvoiceSchema, tokenParam } from "./schemas";
import { publicInvoicePdf, publicInvoiceView } from "./public";

const tags = ["finance: public invoice links"];

/** Public: the invoice behind an emailed link (the token is the only credential). */
export const publicInvoiceRoutes = new Hono<AppEnv>()
  .get("/:token", doc({ summary: "The invoice behind a public link (marks it viewed)", tags, public: true, response: publicInvoiceSchema }), validate("param", tokenParam), async (c) => {
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    return c.json(await publicInvoiceView(c.var.db, c.req.valid("param").token, c.var.ctx.now));
  })
  .get("/:token/pdf", doc({ summary: "The PDF behind a public link", tags, public: true, media: "application/pdf" }), validate("param", tokenParam), async (c) => {
    const pdf = await publicInvoicePdf(c.var.db, c.env.FILES, c.req.valid("param").token, c.var.ctx.now);
    return c.body(pdf.body, 200, { "content-type": "application/pdf", "content-disposition": `inline; filename="${pdf.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf"`, "cache-control": "no-store", "referrer-policy": "no-referrer" });
  });
