// Request and response schemas of the routing rules, teams, SLA, classification and AI draft routes.
import { z } from "zod";
import { inboxCategories, priorities } from "../../db/schema";

const id = z.string().min(1).max(64);
export const ruleParam = z.object({ orgId: id, inboxRuleId: id });
export const teamParam = z.object({ orgId: id, teamId: id });

const condition = z.strictObject({ field: z.enum(["from", "to", "subject", "body", "category"]), op: z.enum(["contains", "equals", "domain"]), value: z.string().trim().min(1).max(200) });
const action = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("workspace"), workspaceId: id }),
  z.strictObject({ type: z.literal("person"), userId: id }),
  z.strictObject({ type: z.literal("team"), teamId: id }),
  z.strictObject({ type: z.literal("none") }),
]);
export const ruleBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  conditions: z.array(condition).min(1).max(10),
  action: action.default({ type: "none" }),
  setCategory: z.enum(inboxCategories).nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
}).refine((r) => r.action.type !== "none" || !!r.setCategory, { message: "A rule must assign or set a category", path: ["action"] });
export type RuleBody = z.infer<typeof ruleBody>;

export const teamBody = z.strictObject({ name: z.string().trim().min(1).max(80), maxOpenPerPerson: z.number().int().min(1).max(1000).default(20), memberIds: z.array(id).max(100).default([]) });
export type TeamBody = z.infer<typeof teamBody>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour");
const timeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "Unknown time zone");
export const slaBody = z.strictObject({
  firstResponseMinutes: z.number().int().min(5).max(60 * 24 * 30),
  resolutionMinutes: z.number().int().min(5).max(60 * 24 * 90),
  atRiskPercent: z.number().int().min(10).max(95).default(75),
  timeZone,
  hours: z.strictObject({ days: z.array(z.number().int().min(0).max(6)).min(1).max(7), start: hhmm, end: hhmm }).refine((h) => h.start < h.end, { message: "Business hours must end after they start", path: ["end"] }),
});
export type SlaBody = z.infer<typeof slaBody>;

export const aiDraftBody = z.strictObject({ draftId: id.optional(), instructions: z.string().trim().max(1000).optional() });

// ---- responses
const ruleCondition = z.object({ field: z.string(), op: z.string(), value: z.string() });
export const ruleView = z.object({
  id: z.string(), name: z.string(), position: z.number(), enabled: z.boolean(), conditions: z.array(ruleCondition),
  action: z.object({ type: z.enum(["workspace", "person", "team", "none"]), workspaceId: z.string().optional(), userId: z.string().optional(), teamId: z.string().optional() }),
  setCategory: z.enum(inboxCategories).nullable(), updatedAt: z.number(),
});
export const ruleListView = z.object({ rules: z.array(ruleView) });
export const teamView = z.object({ id: z.string(), name: z.string(), maxOpenPerPerson: z.number(), members: z.array(z.object({ userId: z.string(), name: z.string().nullable(), email: z.string(), lastAssignedAt: z.number().nullable() })) });
export const teamListView = z.object({ teams: z.array(teamView) });
export const slaViewSchema = z.object({
  workspaceId: z.string(), configured: z.boolean(), firstResponseMinutes: z.number(), resolutionMinutes: z.number(), atRiskPercent: z.number(), timeZone: z.string(),
  hours: z.object({ days: z.array(z.number()), start: z.string(), end: z.string() }),
});
export const classificationView = z.object({
  category: z.enum(inboxCategories).nullable(), priority: z.enum(priorities), summary: z.string().nullable(), reason: z.string().nullable(), model: z.string().nullable(),
  routed: z.string().nullable(),
});
export const aiDraftView = z.object({ id: z.string(), body: z.string(), providerDraftId: z.string().nullable(), updatedAt: z.number(), model: z.string() });
export const ruleRunView = z.object({ id: z.string(), ruleId: z.string().nullable(), reason: z.string(), outcome: z.string(), createdAt: z.number() });
export const replyProposedView = z.object({ sent: z.literal(false), draftId: z.string(), action: z.object({ id: z.string(), state: z.string(), waitReason: z.string().nullable() }) });
