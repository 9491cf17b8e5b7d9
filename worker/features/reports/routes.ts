import { Hono, type Context } from "hono";
import type { AppEnv, TenantCtx } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { presetRange, workspaceTimeZone } from "../dashboards";
import { generateBody, reportParam, reportsView, reportView, shareBody, shareParam, shareView, templateBody, templateView, tokenParam } from "./schemas";
import { createShare, generateReport, getReportInWorkspace, getTemplate, listReports, openShare, reportPdf, revokeShare, saveTemplate, type Ctx } from "./service";

const tags = ["reports"];
/** The request context the workspace guard built (db, env, config, now, tenant). */
const ctxOf = (c: Context<AppEnv>): Ctx & TenantCtx => c.var.tenantCtx;
const pdfHeaders = (name: string) => ({ "content-type": "application/pdf", "content-disposition": `inline; filename="${name.replace(/[^\w .-]/g, "")}.pdf"`, "cache-control": "private, no-store" });

/** /api/workspaces/:workspaceId/reports — listed for everyone on the workspace (the portal too); editors generate and share. */
export const reportRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "Generated reports, newest first", tags, response: reportsView }), requireWorkspace("viewer"), async (c) => c.json({ reports: await listReports({ ctx: ctxOf(c) }) }))
  .get("/template", doc({ summary: "The workspace's report template", tags, response: templateView }), requireWorkspace("viewer"), async (c) => c.json(await getTemplate({ ctx: ctxOf(c) })))
  .put("/template", doc({ summary: "Set sections, branding, schedule and recipients (editors)", tags, response: templateView, activity: { action: "reports.template.save", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("json", templateBody), async (c) =>
    c.json(await saveTemplate({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .post("/", doc({ summary: "Generate a report now (editors)", tags, status: 201, response: reportView, activity: { action: "reports.report.generate", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("json", generateBody), async (c) => {
    const b = c.req.valid("json");
    if ((b.from && !b.to) || (!b.from && b.to)) throw new ApiError("VALIDATION_FAILED", "Give both from and to, or a preset");
    const range = b.from && b.to ? { from: b.from, to: b.to } : presetRange(b.preset ?? "28d", await workspaceTimeZone(c.var.db, c.var.tenant), c.var.ctx.now);
    return c.json(await generateReport({ ctx: ctxOf(c), input: { range, trigger: "manual" } }), 201);
  })
  .get("/:reportId/pdf", doc({ summary: "The report's PDF", tags, media: "application/pdf" }), validate("param", reportParam), requireWorkspace("viewer"), async (c) => {
    const r = await getReportInWorkspace(c.var.db, c.var.tenant, c.req.valid("param").reportId);
    return c.body((await reportPdf(c.env, r.r2Key)).body, 200, pdfHeaders(r.title));
  })
  .post("/:reportId/shares", doc({ summary: "A read-only link that expires (editors)", tags, status: 201, response: shareView, activity: { action: "reports.share.create", target: targetParam("report", "reportId") } }), validate("param", reportParam), requireWorkspace("editor"), validate("json", shareBody), async (c) =>
    c.json(await createShare({ ctx: ctxOf(c), input: { reportId: c.req.valid("param").reportId, days: c.req.valid("json").days } }), 201),
  )
  .delete("/:reportId/shares/:shareId", doc({ summary: "Revoke a share link (editors)", tags, status: 204, response: null, activity: { action: "reports.share.revoke", target: targetParam("report-share", "shareId") } }), validate("param", shareParam), requireWorkspace("editor"), async (c) => {
    const p = c.req.valid("param");
    await revokeShare({ ctx: ctxOf(c), input: { reportId: p.reportId, shareId: p.shareId } });
    return c.body(null, 204);
  });

/** /api/report-shares/:token — public: the PDF while the link is valid. */
export const reportShareRoutes = new Hono<AppEnv>().get("/:token", doc({ summary: "A shared report's PDF (no sign-in; the link expires)", tags, public: true, media: "application/pdf" }), validate("param", tokenParam), async (c) => {
  const { file, title } = await openShare(c.env, c.var.db, c.req.valid("param").token, c.var.ctx.now);
  return c.body(file.body, 200, pdfHeaders(title));
});
