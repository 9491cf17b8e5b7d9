import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { brandVoices } from "../../db/schema";
import { forbidden, notFound } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { atLeast, getOrgAccess, requireOrg, requireWorkspace } from "../../core/tenancy";
import { DEFAULT_VOICE } from "./context";
import { cancelJob, createJob, jobAccess, jobView, listJobs } from "./jobs";
import { getPatterns } from "./patterns";
import { addSchedule, listSchedules, removeSchedule } from "./schedules";
import {
  brandVoiceBody, brandVoiceView, createJobBody, jobDetailView, jobListView, jobParam, jobStartedView, keyBody, keyParam, listJobsQuery, okView, orgParam, patternsView,
  scheduleBody, scheduleCreatedView, scheduleListView, scheduleParam, settingsBody, settingsSavedView, settingsView, usageQuery, usageView, workspaceParam,
} from "./schemas";
import { deleteKey, getSettings, keyStatus, monthSpend, saveSettings, setKey } from "./settings";
import { aggregateUsage } from "./usage";
import { PRICES } from "../../connectors/ai/prices";

const tags = ["ai"];

/** /api/workspaces/:workspaceId/ai/… */
export const aiWorkspaceRoutes = new Hono<AppEnv>()
  .post("/jobs", doc({ summary: "Start an AI job (social_post, ad_copy, email_campaign, image, strategy, insight): 202 with its id", tags, status: 202, response: jobStartedView, activity: { action: "ai.job.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", createJobBody), async (c) => {
    const body = c.req.valid("json");
    const job = await createJob(c.env, c.var.db, c.var.tenant, { kind: body.kind, input: body.input, agent: body.agent ?? null }, Date.now());
    return c.json({ jobId: job.id, status: job.status }, 202);
  })
  .get("/jobs", doc({ summary: "A workspace's AI jobs and agent runs, newest first", tags, response: jobListView }), requireWorkspace("viewer"), validate("param", workspaceParam), validate("query", listJobsQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await listJobs(c.var.db, c.var.tenant, { agents: q.agents === "true", before: q.before, limit: q.limit });
    return c.json({ jobs: rows.map(jobView) });
  })
  .get("/brand-voice", doc({ summary: "The workspace's brand voice (a default until one is saved)", tags, response: brandVoiceView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) => {
    const t = c.var.tenant;
    const [row] = await c.var.db.select().from(brandVoices).where(and(eq(brandVoices.workspaceId, t.workspaceId), eq(brandVoices.orgId, t.orgId))).limit(1);
    return c.json({ voice: row?.voice ?? DEFAULT_VOICE, saved: !!row, updatedAt: row?.updatedAt ?? null });
  })
  .put("/brand-voice", doc({ summary: "Save the workspace's brand voice", tags, response: brandVoiceView, activity: { action: "ai.brand-voice.update", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", brandVoiceBody), async (c) => {
    const t = c.var.tenant;
    const voice = c.req.valid("json");
    const now = Date.now();
    await c.var.db.insert(brandVoices).values({ workspaceId: t.workspaceId, orgId: t.orgId, voice, updatedBy: t.userId, updatedAt: now }).onConflictDoUpdate({ target: brandVoices.workspaceId, set: { voice, updatedBy: t.userId, updatedAt: now } });
    return c.json({ voice, saved: true, updatedAt: now });
  })
  .get("/patterns", doc({ summary: "Content intelligence: best posting times, formats and trend (regenerated after 30 days)", tags, response: patternsView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) => {
    const row = await getPatterns(c.var.db, c.var.tenant, Date.now());
    return c.json({ patterns: row.data, computedAt: row.computedAt, expiresAt: row.expiresAt });
  })
  .get("/schedules", doc({ summary: "Agents scheduled to run weekly or monthly", tags, response: scheduleListView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) =>
    c.json({ schedules: await listSchedules(c.var.db, c.var.tenant) }),
  )
  .post("/schedules", doc({ summary: "Schedule an agent (weekly or monthly; it runs as you)", tags, status: 201, response: scheduleCreatedView, activity: { action: "ai.schedule.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", scheduleBody), async (c) =>
    c.json({ schedule: await addSchedule(c.var.db, c.var.tenant, c.req.valid("json"), Date.now()) }, 201),
  )
  .delete("/schedules/:scheduleId", doc({ summary: "Stop a scheduled agent", tags, status: 204, response: null, activity: { action: "ai.schedule.delete", target: targetParam("agent-schedule", "scheduleId") } }), requireWorkspace("editor"), validate("param", scheduleParam), async (c) => {
    const gone = await removeSchedule(c.var.db, c.var.tenant, c.req.valid("param").scheduleId);
    if (gone.length === 0) throw notFound("Schedule");
    return c.body(null, 204);
  });

/** /api/ai/jobs/:jobId… */
export const aiJobRoutes = new Hono<AppEnv>()
  .get("/:aiJobId", doc({ summary: "An AI job: status, progress, steps, output ids or a readable error", tags, response: jobDetailView }), validate("param", jobParam), async (c) => {
    const { job } = await jobAccess(c.var.db, c.var.auth.userId, c.req.valid("param").aiJobId);
    return c.json({ job: jobView(job) });
  })
  .post("/:aiJobId/cancel", doc({ summary: "Cancel a job that has not finished", tags, response: okView, activity: { action: "ai.job.cancel", target: targetParam("ai-job", "aiJobId") } }), validate("param", jobParam), async (c) => {
    const { job, tenant } = await jobAccess(c.var.db, c.var.auth.userId, c.req.valid("param").aiJobId);
    if (!atLeast(tenant.role, "editor")) throw forbidden();
    await cancelJob(c.var.db, job, Date.now());
    return c.json({ ok: true as const });
  });

/** /api/orgs/:orgId/ai/… — settings and keys are the organization admins' business. */
export const aiOrgRoutes = new Hono<AppEnv>()
  .get("/settings", doc({ summary: "AI providers, models, fallback, budget and which keys are set (never the keys)", tags, response: settingsView }), requireOrg("admin"), validate("param", orgParam), async (c) => {
    const orgId = c.var.org.orgId;
    const [settings, keys, spent] = await Promise.all([getSettings(c.env, c.var.db, orgId), keyStatus(c.env, c.var.db, orgId), monthSpend(c.var.db, orgId, Date.now())]);
    const { warnedMonth: _w, ...shown } = settings;
    const models = Object.fromEntries(Object.entries(PRICES).map(([p, m]) => [p, Object.keys(m)]));
    return c.json({ settings: shown, keys, spentThisMonthMicros: spent, models });
  })
  .put("/settings", doc({ summary: "Save AI providers, models, fallback order and the monthly budget", tags, response: settingsSavedView, activity: { action: "ai.settings.update", target: targetParam("organization", "orgId") } }), requireOrg("admin"), validate("param", orgParam), validate("json", settingsBody), async (c) => {
    const body = c.req.valid("json");
    await saveSettings(c.var.db, c.var.org.orgId, c.var.auth.userId, { ...body, currency: "USD" }, Date.now());
    return c.json({ settings: { ...body, currency: "USD" } });
  })
  .put("/keys/:provider", doc({ summary: "Store a provider API key encrypted (write-only: it is never answered back)", tags, status: 204, response: null, activity: { action: "ai.key.set", target: targetParam("provider", "provider") } }), requireOrg("admin"), validate("param", keyParam), validate("json", keyBody), async (c) => {
    await setKey(c.env, c.var.db, c.var.org.orgId, c.req.valid("param").provider, c.req.valid("json").apiKey, Date.now());
    return c.body(null, 204);
  })
  .delete("/keys/:provider", doc({ summary: "Remove a stored provider key", tags, status: 204, response: null, activity: { action: "ai.key.remove", target: targetParam("provider", "provider") } }), requireOrg("admin"), validate("param", keyParam), async (c) => {
    await deleteKey(c.var.db, c.var.org.orgId, c.req.valid("param").provider);
    return c.body(null, 204);
  });

const monthStartOf = (m: string) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1);

/** /api/ai/usage */
export const aiUsageRoutes = new Hono<AppEnv>().get("/", doc({ summary: "AI usage (tokens, images, cost, duration) by month, agent, provider or model", tags, response: usageView }), validate("query", usageQuery), async (c) => {
  const q = c.req.valid("query");
  const org = await getOrgAccess(c.var.db, c.var.auth.userId, q.orgId);
  if (org.role === "member") throw forbidden("Only organization admins see AI usage and cost");
  const now = new Date();
  const to = q.to ? Date.UTC(Number(q.to.slice(0, 4)), Number(q.to.slice(5, 7)), 1) : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const from = q.from ? monthStartOf(q.from) : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1);
  const rows = await aggregateUsage(c.var.db, { orgId: q.orgId, workspaceId: q.workspaceId, from, to, by: q.by });
  return c.json({ by: q.by, currency: "USD", from, to, rows });
});
