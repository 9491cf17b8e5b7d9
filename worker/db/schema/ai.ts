import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export const aiProviders = ["local", "anthropic", "openai", "gemini"] as const;
export type AiProviderId = (typeof aiProviders)[number];
export const contentKinds = ["social_post", "ad_copy", "email_campaign", "image", "strategy", "insight"] as const;
export type ContentKind = (typeof contentKinds)[number];
export const agentIds = ["content_strategist", "copywriter", "performance_analyst"] as const;
export type AgentId = (typeof agentIds)[number];

/** Per organization: which provider and model write text and images, the fallback order and the monthly budget. */
export const aiSettings = sqliteTable("ai_settings", {
  orgId: text().primaryKey().references(() => organizations.id, { onDelete: "cascade" }),
  textProvider: text({ enum: aiProviders }).notNull(),
  textModel: text().notNull(),
  imageProvider: text({ enum: aiProviders }).notNull(),
  imageModel: text().notNull(),
  fallback: text({ mode: "json" }).$type<AiProviderId[]>().notNull(),
  /** Monthly budget in micro-units of `currency`; null = no cap. */
  budgetMicros: integer(),
  currency: text().notNull().default("USD"),
  /** The month (YYYY-MM) whose 80 % warning was already sent. */
  warnedMonth: text(),
  updatedBy: text().references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer().notNull(),
});
declareData(aiSettings, {
  owners: { organization: "org_id", user: { column: "updated_by", erase: { clear: ["updated_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "The organization's AI providers, models, fallback order and monthly budget",
});

/** Bring-your-own provider keys, only as vault envelopes (AAD org|ai-key|provider). Write-only. */
export const aiKeys = sqliteTable(
  "ai_keys",
  {
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    provider: text({ enum: aiProviders }).notNull(),
    ciphertext: text().notNull(),
    keyId: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.provider] })],
);
declareData(aiKeys, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Encrypted API keys of the AI providers the organization brought",
});

export type BrandVoice = {
  tone: string;
  wordsToUse: string[];
  wordsToAvoid: string[];
  audience: string;
  goals: string;
  examples: string[];
  /** Two hex colours for generated images. */
  colors: [string, string];
  /** IANA time zone for posting-time patterns (default UTC). */
  timeZone?: string;
};

export const brandVoices = sqliteTable("brand_voices", {
  workspaceId: text().primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  orgId: text().notNull(),
  voice: text({ mode: "json" }).$type<BrandVoice>().notNull(),
  updatedBy: text().references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer().notNull(),
});
declareData(brandVoices, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "updated_by", erase: { clear: ["updated_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "A workspace's brand voice: tone, words to use and avoid, audience, goals, liked examples",
});

export const jobStatuses = ["queued", "running", "retrying", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];
export type JobStep = { name: string; status: "done" | "failed"; at: number; detail?: string };

/** One AI job (a content request or an agent run): its input, progress, steps and outcome. */
export const aiJobs = sqliteTable(
  "ai_jobs",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    requestedBy: text().references(() => users.id, { onDelete: "set null" }),
    kind: text({ enum: contentKinds }).notNull(),
    agent: text({ enum: agentIds }),
    trigger: text({ enum: ["user", "schedule"] }).notNull().default("user"),
    input: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text({ enum: jobStatuses }).notNull(),
    progress: integer().notNull().default(0),
    stage: text(),
    steps: text({ mode: "json" }).$type<JobStep[]>().notNull(),
    attempts: integer().notNull().default(0),
    error: text(),
    contentIds: text({ mode: "json" }).$type<string[]>().notNull(),
    createdAt: integer().notNull(),
    startedAt: integer(),
    finishedAt: integer(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("ai_jobs_ws_idx").on(t.workspaceId, t.createdAt), index("ai_jobs_org_idx").on(t.orgId, t.createdAt)],
);
declareData(aiJobs, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "requested_by", erase: { clear: ["requested_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "AI requests and agent runs: the brief, progress, steps and outcome",
});

export const usageOutcomes = ["ok", "error", "malformed", "refused"] as const;

/**
 * P16: one row per provider call (or refused prompt), kept 12 months. The org index carries the
 * cost, so that the month's spend (summed before each AI call and each synced mail page) is read
 * from the index alone.
 */
export const aiUsage = sqliteTable(
  "ai_usage",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text(),
    jobId: text(),
    agent: text(),
    provider: text({ enum: aiProviders }).notNull(),
    model: text().notNull(),
    inputTokens: integer().notNull(),
    outputTokens: integer().notNull(),
    images: integer().notNull(),
    costMicros: integer().notNull(),
    currency: text().notNull(),
    durationMs: integer().notNull(),
    outcome: text({ enum: usageOutcomes }).notNull(),
    /** job:attempt:call: a redelivered message never doubles a row. */
    idempotencyKey: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("ai_usage_idem_uq").on(t.idempotencyKey), index("ai_usage_org_idx").on(t.orgId, t.createdAt, t.costMicros), index("ai_usage_created_idx").on(t.createdAt)],
);
declareData(aiUsage, {
  owners: { organization: "org_id" },
  retention: { rule: "rolling", months: 12, column: "created_at" },
  export: {},
  purpose: "AI usage: tokens, images, cost, duration and outcome of every provider call",
});

export const contentStatuses = ["draft", "in_review", "approved", "rejected", "archived"] as const;
export type ContentStatus = (typeof contentStatuses)[number];

/** P05/P15: generated content with the prompt and context that made it; kept until deleted. */
export const generatedContent = sqliteTable(
  "generated_content",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    jobId: text().notNull(),
    variant: integer().notNull(),
    kind: text({ enum: contentKinds }).notNull(),
    title: text().notNull(),
    body: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    provider: text({ enum: aiProviders }).notNull(),
    model: text().notNull(),
    prompt: text().notNull(),
    context: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text({ enum: contentStatuses }).notNull(),
    version: integer().notNull().default(1),
    imageKey: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("generated_content_job_uq").on(t.jobId, t.variant), index("generated_content_ws_idx").on(t.workspaceId, t.createdAt)],
);
declareData(generatedContent, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "AI-generated content with the provider, model, prompt and context used (kept until deleted)",
});

export const contentVersions = sqliteTable(
  "content_versions",
  {
    id: text().primaryKey(),
    contentId: text().notNull().references(() => generatedContent.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    version: integer().notNull(),
    title: text().notNull(),
    body: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    editedBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("content_versions_uq").on(t.contentId, t.version)],
);
declareData(contentVersions, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "edited_by", erase: { clear: ["edited_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Earlier versions of edited content",
});

export const contentComments = sqliteTable(
  "content_comments",
  {
    id: text().primaryKey(),
    contentId: text().notNull().references(() => generatedContent.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    userId: text().references(() => users.id, { onDelete: "set null" }),
    authorName: text(),
    body: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("content_comments_idx").on(t.contentId, t.createdAt)],
);
declareData(contentComments, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "user_id", erase: { clear: ["user_id", "author_name"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Comments on generated content",
});

/** P17: content-intelligence patterns, computed from synced figures; never served after expires_at. */
export const contentPatterns = sqliteTable(
  "content_patterns",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    data: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    computedAt: integer().notNull(),
    expiresAt: integer().notNull(),
  },
  (t) => [index("content_patterns_ws_idx").on(t.workspaceId, t.computedAt), index("content_patterns_expires_idx").on(t.expiresAt)],
);
declareData(contentPatterns, {
  owners: { organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "expires", column: "expires_at" },
  export: {},
  purpose: "Content-intelligence patterns (best times, formats, trends), regenerated every 30 days",
});

declareStore({
  store: "r2",
  name: "ai-images",
  binding: "FILES",
  owners: { organization: "ai/{id}/" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Images generated by AI for a workspace",
});

/** An agent that runs by itself: weekly or monthly, as the person who scheduled it. */
export const agentSchedules = sqliteTable(
  "agent_schedules",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    agent: text({ enum: agentIds }).notNull(),
    cadence: text({ enum: ["weekly", "monthly"] }).notNull(),
    brief: text().notNull(),
    nextRunAt: integer().notNull(),
    createdBy: text().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer().notNull(),
  },
  (t) => [index("agent_schedules_due_idx").on(t.nextRunAt), index("agent_schedules_ws_idx").on(t.workspaceId)],
);
declareData(agentSchedules, {
  owners: { organization: "org_id", workspace: "workspace_id", user: "created_by" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Agents scheduled to run weekly or monthly, and when they run next",
});
