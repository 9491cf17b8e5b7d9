import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, organizations, reports, reportShares, reportTemplates, users, workspaces, type ReportBranding, type ReportSection } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { sha256Hex } from "../../lib/hash";
import { newId } from "../../lib/ids";
import { notify } from "../../core/notifications";
import { readConfig } from "../../env";
import type { TenantContext } from "../../core/context";
import type { Range } from "../dashboards";
import { buildModel } from "./model";
import { renderPdf } from "./pdf";

export type Ctx = { env: Env; db: Database; tenant: TenantContext; now: number };
type TemplateInput = { title: string; sections: ReportSection[]; branding: ReportBranding; schedule: "none" | "weekly" | "monthly"; recipients: string[] };
const DAY = 86_400_000;

async function defaults(db: Database, t: TenantContext) {
  const [w] = await db.select({ name: workspaces.name, org: organizations.name, tz: workspaces.timeZone }).from(workspaces)
    .innerJoin(organizations, eq(organizations.id, workspaces.orgId)).where(and(eq(workspaces.id, t.workspaceId), eq(workspaces.orgId, t.orgId))).limit(1);
  if (!w) throw notFound("Workspace");
  return w;
}

export async function getTemplate({ ctx }: { ctx: Pick<Ctx, "db" | "tenant"> }) {
  const w = await defaults(ctx.db, ctx.tenant);
  const [row] = await ctx.db.select().from(reportTemplates).where(and(eq(reportTemplates.workspaceId, ctx.tenant.workspaceId), eq(reportTemplates.orgId, ctx.tenant.orgId))).limit(1);
  const template = row ?? {
    title: "Monthly performance report", schedule: "none" as const, recipients: [], nextRunAt: null,
    branding: { agencyName: w.org, clientName: w.name, primaryColor: "#4f46e5", accentColor: "#0ea5e9" },
    sections: [{ kind: "kpis", metrics: ["revenue_net", "orders", "aov", "sessions", "conversion_rate", "email_opens"] }, { kind: "chart", metric: "revenue_net" }, { kind: "top", dimension: "product" }, { kind: "top", dimension: "campaign" }] as ReportSection[],
  };
  return { ...template, timeZone: w.tz };
}

/** The next run: Monday 06:00 UTC of next week, or the 1st of next month (then the report covers the period just ended). */
export function nextRun(schedule: TemplateInput["schedule"], now: number): number | null {
  if (schedule === "none") return null;
  const d = new Date(now);
  if (schedule === "weekly") {
    const days = ((8 - d.getUTCDay()) % 7) || 7;
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, 6);
  }
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 6);
}

async function checkRecipients(db: Database, t: TenantContext, ids: string[]) {
  if (!ids.length) return;
  const found = await db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, t.orgId), inArray(memberships.userId, ids)));
  if (found.length !== new Set(ids).size) throw new ApiError("VALIDATION_FAILED", "Every recipient must be a member of the organization");
}

export async function saveTemplate({ ctx, input }: { ctx: Ctx; input: TemplateInput }) {
  await checkRecipients(ctx.db, ctx.tenant, input.recipients);
  const row = { workspaceId: ctx.tenant.workspaceId, orgId: ctx.tenant.orgId, ...input, nextRunAt: nextRun(input.schedule, ctx.now), updatedBy: ctx.tenant.userId, updatedAt: ctx.now };
  await ctx.db.insert(reportTemplates).values(row).onConflictDoUpdate({ target: reportTemplates.workspaceId, set: row });
  return getTemplate({ ctx });
}

const reportView = (r: typeof reports.$inferSelect) => ({ id: r.id, title: r.title, rangeFrom: r.rangeFrom, rangeTo: r.rangeTo, trigger: r.trigger, sizeBytes: r.sizeBytes, createdAt: r.createdAt, model: r.model });

const mb = (bytes: number) => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} KB`);

/** Builds the model, draws the PDF, stores it in R2 and emails it to the recipients (attached when small enough) with a link. */
export async function generateReport({ ctx, input }: { ctx: Ctx; input: { range: Range; trigger: "manual" | "schedule" } }) {
  const t = await getTemplate({ ctx });
  const model = await buildModel(ctx.db, ctx.tenant, t, input.range);
  const pdf = await renderPdf(model);
  const id = newId();
  const r2Key = `reports/${ctx.tenant.workspaceId}/${id}.pdf`;
  await ctx.env.FILES.put(r2Key, pdf, { httpMetadata: { contentType: "application/pdf" } });
  const row = { id, orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, title: t.title, rangeFrom: model.range.from, rangeTo: model.range.to, trigger: input.trigger, r2Key, sizeBytes: pdf.byteLength, model, createdBy: input.trigger === "manual" ? ctx.tenant.userId : null, createdAt: ctx.now };
  const inserted = await ctx.db.insert(reports).values(row).onConflictDoNothing().returning({ id: reports.id });
  if (!inserted.length) {
    await ctx.env.FILES.delete(r2Key);
    throw new ApiError("CONFLICT", "This scheduled report was already generated");
  }
  if (t.recipients.length) {
    const share = await createShare({ ctx, input: { reportId: id, days: 30 } });
    const to = await ctx.db.select({ userId: users.id, email: users.email }).from(users).where(and(inArray(users.id, t.recipients), isNull(users.deletedAt)));
    const limit = readConfig(ctx.env).REPORT_ATTACHMENT_MAX_BYTES;
    const attach = pdf.byteLength <= limit;
    const filename = `${`${t.branding.clientName} ${t.title} ${model.range.from} to ${model.range.to}`.replace(/[^\w .-]+/g, "").replace(/\s+/g, " ").trim().slice(0, 120) || "report"}.pdf`;
    const body = attach
      ? `Your report is ready: the PDF is attached. Also online (link valid 30 days): ${share.url}`
      : `Your report is ready. The PDF (${mb(pdf.byteLength)}) is larger than the ${mb(limit)} that can be attached to an email, so it is only online (link valid 30 days): ${share.url}`;
    await notify({ ctx, input: { recipients: to, notice: {
      kind: "system", title: `${t.branding.clientName}: ${t.title} (${model.range.from} to ${model.range.to})`, body, link: "/reports",
      ...(attach ? { attachments: [{ filename, contentType: "application/pdf", r2Key, sizeBytes: pdf.byteLength }] } : {}),
    } } });
  }
  return reportView(row);
}

const inWs = (t: TenantContext) => and(eq(reports.workspaceId, t.workspaceId), eq(reports.orgId, t.orgId));
export const listReports = async ({ ctx }: { ctx: Pick<Ctx, "db" | "tenant"> }) =>
  (await ctx.db.select().from(reports).where(inWs(ctx.tenant)).orderBy(desc(reports.createdAt)).limit(100)).map(reportView);

export async function getReportInWorkspace(db: Database, t: TenantContext, id: string) {
  const [r] = await db.select().from(reports).where(and(eq(reports.id, id), inWs(t))).limit(1);
  if (!r) throw notFound("Report");
  return r;
}

export async function reportPdf(env: Env, key: string) {
  const obj = await env.FILES.get(key);
  if (!obj) throw notFound("Report file");
  return obj;
}

/** A read-only link: a random token whose hash alone is stored; it expires and can be revoked. */
export async function createShare({ ctx, input }: { ctx: Ctx; input: { reportId: string; days: number } }) {
  const r = await getReportInWorkspace(ctx.db, ctx.tenant, input.reportId);
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const row = { id: newId(), reportId: r.id, orgId: r.orgId, workspaceId: r.workspaceId, tokenHash: await sha256Hex(token), expiresAt: ctx.now + input.days * DAY, revokedAt: null, createdBy: ctx.tenant.userId, createdAt: ctx.now };
  await ctx.db.insert(reportShares).values(row);
  const base = (ctx.env as { APP_URL?: string }).APP_URL ?? "";
  return { id: row.id, expiresAt: row.expiresAt, url: `${base}/api/report-shares/${token}` };
}

export async function revokeShare({ ctx, input }: { ctx: Ctx; input: { reportId: string; shareId: string } }) {
  const r = await getReportInWorkspace(ctx.db, ctx.tenant, input.reportId);
  const done = await ctx.db.update(reportShares).set({ revokedAt: ctx.now }).where(and(eq(reportShares.id, input.shareId), eq(reportShares.reportId, r.id))).returning({ id: reportShares.id });
  if (!done.length) throw notFound("Share link");
}

/** The public side of a share link: the PDF while the link is valid, 404 otherwise. */
export async function openShare(env: Env, db: Database, token: string, now: number) {
  const [s] = await db.select({ key: reports.r2Key, title: reports.title }).from(reportShares).innerJoin(reports, eq(reports.id, reportShares.reportId))
    .where(and(eq(reportShares.tokenHash, await sha256Hex(token)), isNull(reportShares.revokedAt), gt(reportShares.expiresAt, now))).limit(1);
  if (!s) throw notFound("Report");
  return { file: await reportPdf(env, s.key), title: s.title };
}
