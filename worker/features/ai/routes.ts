import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, targetParam, validate } from "../../lib/validate";
import { requireOrg, requireWorkspace } from "../../core/tenancy";
import { cancelJob, createJob, getJob, listJobs } from "./jobs";
import { getPatterns } from "./patterns";
import { addSchedule, listSchedules, removeSchedule } from "./schedules";
import {
  brandVoiceBody, brandVoiceView, createJobBody, jobDetailView, jobListView, jobParam, jobStartedView, keyBody, keyParam, listJobsQuery, okView, orgParam, patternsView,
  scheduleBody, scheduleCreatedView, scheduleListView, scheduleParam, settingsBody, settingsSavedView, settingsView, usageQuery, usageView, workspaceParam,
} from "./schemas";
import { aiSettingsOf, removeAiKey, saveAiSettings, storeAiKey } from "./settings";
import { usageReport } from "./usage";
import { getBrandVoice, saveBrandVoice } from "./voice";

const tags = ["ai"];

/** /api/workspaces/:workspaceId/ai/… */
export const aiWorkspaceRoutes = new Hono<AppEnv>()
  .post("/jobs", doc({ summary: "Start an AI job (social_post, ad_copy, email_campaign, image, strategy, insight): 202 with its id", tags, status: 202, response: jobStartedView, activity: { action: "ai.job.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", createJobBody), async (c) => {
    const body = c.req.valid("json");
    const job = await createJob({ ctx: c.var.tenantCtx, input: { kind: body.kind, input: body.input, agent: body.agent ?? null } });
    return c.json({ jobId: job.id, status: job.status }, 202);
  })
  .get("/jobs", doc({ summary: "A workspace's AI jobs and agent runs, newest first", tags, response: jobListView }), requireWorkspace("viewer"), validate("param", workspaceParam), validate("query", listJobsQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await listJobs({ ctx: c.var.tenantCtx, input: { agents: q.agents === "true", before: q.before, beforeId: q.beforeId, limit: q.limit } }));
  })
  .get("/brand-voice", doc({ summary: "The workspace's brand voice (a default until one is saved)", tags, response: brandVoiceView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) =>
    c.json(await getBrandVoice({ ctx: c.var.tenantCtx })),
  )
  .put("/brand-voice", doc({ summary: "Save the workspace's brand voice", tags, response: brandVoiceView, activity: { action: "ai.brand-voice.update", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", brandVoiceBody), async (c) =>
    c.json(await saveBrandVoice({ ctx: c.var.tenantCtx, input: c.req.valid("json") })),
  )
  .get("/patterns", doc({ summary: "Content intelligence: best posting times, formats and trend (regenerated after 30 days)", tags, response: patternsView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) =>
    c.json(await getPatterns({ ctx: c.var.tenantCtx })),
  )
  .get("/schedules", doc({ summary: "Agents scheduled to run weekly or monthly", tags, response: scheduleListView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) =>
    c.json(await listSchedules({ ctx: c.var.tenantCtx })),
  )
  .post("/schedules", doc({ summary: "Schedule an agent (weekly or monthly; it runs as you)", tags, status: 201, response: scheduleCreatedView, activity: { action: "ai.schedule.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", scheduleBody), async (c) =>
    c.json(await addSchedule({ ctx: c.var.tenantCtx, input: c.req.valid("json") }), 201),
  )
  .delete("/schedules/:scheduleId", doc({ summary: "Stop a scheduled agent", tags, status: 204, response: null, activity: { action: "ai.schedule.delete", target: targetParam("agent-schedule", "scheduleId") } }), requireWorkspace("editor"), validate("param", scheduleParam), async (c) => {
    await removeSchedule({ ctx: c.var.tenantCtx, input: { scheduleId: c.req.valid("param").scheduleId } });
    return c.body(null, 204);
  });

/** /api/ai/jobs/:jobId… */
export const aiJobRoutes = new Hono<AppEnv>()
  .get("/:aiJobId", doc({ summary: "An AI job: status, progress, steps, output ids or a readable error", tags, response: jobDetailView }), validate("param", jobParam), async (c) =>
    c.json(await getJob({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, jobId: c.req.valid("param").aiJobId } })),
  )
  .post("/:aiJobId/cancel", doc({ summary: "Cancel a job that has not finished", tags, response: okView, activity: { action: "ai.job.cancel", target: targetParam("ai-job", "aiJobId") } }), validate("param", jobParam), async (c) =>
    c.json(await cancelJob({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, jobId: c.req.valid("param").aiJobId } })),
  );

/** /api/orgs/:orgId/ai/… — settings and keys are the organization admins' business. */
export const aiOrgRoutes = new Hono<AppEnv>()
  .get("/settings", doc({ summary: "AI providers, models, fallback, budget and which keys are set (never the keys)", tags, response: settingsView }), requireOrg("admin"), validate("param", orgParam), async (c) =>
    c.json(await aiSettingsOf({ ctx: c.var.orgCtx })),
  )
  .put("/settings", doc({ summary: "Save AI providers, models, fallback order and the monthly budget", tags, response: settingsSavedView, activity: { action: "ai.settings.update", target: targetParam("organization", "orgId") } }), requireOrg("admin"), validate("param", orgParam), validate("json", settingsBody), async (c) =>
    c.json(await saveAiSettings({ ctx: c.var.orgCtx, input: c.req.valid("json") })),
  )
  .put("/keys/:provider", doc({ summary: "Store a provider API key encrypted (write-only: it is never answered back)", tags, status: 204, response: null, activity: { action: "ai.key.set", target: targetParam("provider", "provider") } }), requireOrg("admin"), validate("param", keyParam), validate("json", keyBody), async (c) => {
    await storeAiKey({ ctx: c.var.orgCtx, input: { provider: c.req.valid("param").provider, apiKey: c.req.valid("json").apiKey } });
    return c.body(null, 204);
  })
  .delete("/keys/:provider", doc({ summary: "Remove a stored provider key", tags, status: 204, response: null, activity: { action: "ai.key.remove", target: targetParam("provider", "provider") } }), requireOrg("admin"), validate("param", keyParam), async (c) => {
    await removeAiKey({ ctx: c.var.orgCtx, input: { provider: c.req.valid("param").provider } });
    return c.body(null, 204);
  });

/** /api/ai/usage */
export const aiUsageRoutes = new Hono<AppEnv>().get("/", doc({ summary: "AI usage (tokens, images, cost, duration) by month, agent, provider or model", tags, response: usageView }), validate("query", usageQuery), async (c) =>
  c.json(await usageReport({ ctx: c.var.ctx, input: { ...c.req.valid("query"), userId: c.var.auth.userId } })),
);
