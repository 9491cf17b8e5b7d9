import { z } from "zod";
import { agentIds, aiProviders, contentKinds, jobStatuses } from "../../db/schema";

export const workspaceParam = z.object({ workspaceId: z.string().min(1).max(64) });
export const jobParam = z.object({ aiJobId: z.string().min(1).max(64) });
export const orgParam = z.object({ orgId: z.string().min(1).max(64) });
export const keyParam = z.object({ orgId: z.string().min(1).max(64), provider: z.enum(["anthropic", "openai", "gemini"]) });

export const createJobBody = z.strictObject({ kind: z.enum(contentKinds), input: z.record(z.string(), z.unknown()).default({}), agent: z.enum(agentIds).optional() });
export const listJobsQuery = z.object({ agents: z.enum(["true", "false"]).optional(), before: z.coerce.number().int().positive().optional(), beforeId: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(100).default(30) });

/** Anthropic makes no images. */
const imageProviders = ["local", "openai", "gemini"] as const;
const model = z.string().trim().min(1).max(80).regex(/^[A-Za-z0-9._:-]+$/, "Model ids are letters, digits, dots, dashes and colons");
export const settingsBody = z.strictObject({
  textProvider: z.enum(aiProviders),
  textModel: model,
  imageProvider: z.enum(imageProviders),
  imageModel: model,
  fallback: z.array(z.enum(aiProviders)).max(4).refine((a) => new Set(a).size === a.length, "Each provider once"),
  /** Monthly budget in USD micro-units (1 USD = 1,000,000); null for no cap. */
  budgetMicros: z.number().int().min(0).max(1_000_000 * 1_000_000).nullable(),
});
export const keyBody = z.strictObject({ apiKey: z.string().trim().min(8).max(400) });

const words = z.array(z.string().trim().min(1).max(40)).max(30);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour is #rrggbb");
export const brandVoiceBody = z.strictObject({
  tone: z.string().trim().min(1).max(300),
  wordsToUse: words,
  wordsToAvoid: words,
  audience: z.string().trim().max(500),
  goals: z.string().trim().max(500),
  examples: z.array(z.string().trim().min(1).max(2200)).max(10),
  colors: z.tuple([color, color]),
  timeZone: z.string().max(64).refine((tz) => { try { new Intl.DateTimeFormat("en", { timeZone: tz }); return true; } catch { return false; } }, "Unknown time zone").optional(),
});

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A month is YYYY-MM");
export const usageQuery = z.object({
  orgId: z.string().min(1).max(64),
  workspaceId: z.string().min(1).max(64).optional(),
  from: month.optional(),
  to: month.optional(),
  by: z.enum(["month", "agent", "provider", "model"]).default("month"),
});

export const scheduleBody = z.strictObject({ agent: z.enum(agentIds), cadence: z.enum(["weekly", "monthly"]), brief: z.string().trim().min(3).max(2000), firstRunAt: z.number().int().min(0).max(8_640_000_000_000_000).optional() });
export const scheduleParam = z.object({ workspaceId: z.string().min(1).max(64), scheduleId: z.string().min(1).max(64) });

// ── Responses (doc({ response })): the contract the web types are generated from ──

const jobStep = z.object({ name: z.string(), status: z.enum(["done", "failed"]), at: z.number(), detail: z.string().optional() });
export const jobViewSchema = z.object({
  id: z.string(), workspaceId: z.string(), kind: z.enum(contentKinds), agent: z.enum(agentIds).nullable(), trigger: z.enum(["user", "schedule"]),
  input: z.record(z.string(), z.unknown()), status: z.enum(jobStatuses), progress: z.number(), stage: z.string().nullable(), steps: z.array(jobStep),
  attempts: z.number(), error: z.string().nullable(), contentIds: z.array(z.string()), requestedBy: z.string().nullable(),
  createdAt: z.number(), startedAt: z.number().nullable(), finishedAt: z.number().nullable(),
});
export const jobStartedView = z.object({ jobId: z.string(), status: z.enum(jobStatuses) });
export const jobListView = z.object({ jobs: z.array(jobViewSchema) });
export const jobDetailView = z.object({ job: jobViewSchema });
export const okView = z.object({ ok: z.literal(true) });

export const brandVoiceShape = z.object({
  tone: z.string(), wordsToUse: z.array(z.string()), wordsToAvoid: z.array(z.string()), audience: z.string(), goals: z.string(),
  examples: z.array(z.string()), colors: z.tuple([z.string(), z.string()]), timeZone: z.string().optional(),
});
export const brandVoiceView = z.object({ voice: brandVoiceShape, saved: z.boolean(), updatedAt: z.number().nullable() });

export const patternsView = z.object({
  patterns: z.object({
    timeZone: z.string(),
    source: z.string(),
    bestTimes: z.array(z.object({ weekday: z.string(), hour: z.number(), score: z.number(), basis: z.string() })),
    formats: z.array(z.object({ format: z.string(), openRate: z.number(), campaigns: z.number() })),
    /** Absent in pattern sets computed before social history counted (they expire within 30 days). */
    postFormats: z.array(z.object({ format: z.string(), engagementRate: z.number(), posts: z.number() })).optional(),
    trend: z.object({ weeks: z.array(z.object({ week: z.string(), orders: z.number(), revenueMinor: z.number() })), direction: z.enum(["up", "down", "flat"]), changePct: z.number() }),
  }),
  computedAt: z.number(),
  expiresAt: z.number(),
});

const scheduleView = z.object({ id: z.string(), orgId: z.string(), workspaceId: z.string(), agent: z.enum(agentIds), cadence: z.enum(["weekly", "monthly"]), brief: z.string(), nextRunAt: z.number(), createdBy: z.string().nullable(), createdAt: z.number() });
export const scheduleListView = z.object({ schedules: z.array(scheduleView) });
export const scheduleCreatedView = z.object({ schedule: scheduleView });

const settingsShape = z.object({
  textProvider: z.enum(aiProviders), textModel: z.string(), imageProvider: z.enum(imageProviders), imageModel: z.string(),
  fallback: z.array(z.enum(aiProviders)), budgetMicros: z.number().nullable(), currency: z.string(),
});
const keyStatusView = z.object({ provider: z.enum(aiProviders), source: z.enum(["builtin", "organization", "deployment", "none"]), updatedAt: z.number().nullable() });
export const settingsView = z.object({ settings: settingsShape, keys: z.array(keyStatusView), spentThisMonthMicros: z.number(), models: z.record(z.enum(aiProviders), z.array(z.string())) });
export const settingsSavedView = z.object({ settings: settingsShape });

export const usageView = z.object({
  by: z.enum(["month", "agent", "provider", "model"]), currency: z.string(), from: z.number(), to: z.number(),
  rows: z.array(z.object({ key: z.string(), calls: z.number(), inputTokens: z.number(), outputTokens: z.number(), images: z.number(), costMicros: z.number(), durationMs: z.number(), failures: z.number() })),
});
