import { z } from "zod";
import { actionKinds } from "../../core/actions";
import { actionKindValues, actionStates, approverRoles } from "../../db/schema";

// The schema's copy of the kinds must be the contract's (db may not import core).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsAgree: Same<(typeof actionKinds)[number], (typeof actionKindValues)[number]> = true;
void kindsAgree;

const id = z.string().min(1).max(64);
export const workspaceParam = z.object({ workspaceId: id });
export const orgParam = z.object({ orgId: id });
export const actionParam = z.object({ workspaceId: id, actionId: id });
export const kindParam = z.object({ workspaceId: id, kind: z.enum(actionKinds) });

export const listQuery = z.object({
  state: z.enum(actionStates).optional(),
  kind: z.enum(actionKinds).optional(),
  /** "me": only actions the caller may approve that wait for a person. */
  waiting: z.enum(["me"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListQuery = z.infer<typeof listQuery>;

export const noteBody = z.strictObject({ note: z.string().trim().max(1000).optional() });

const limitName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, "A limit's name is letters and digits");
export const settingsBody = z.strictObject({
  autopilot: z.boolean(),
  limits: z.record(limitName, z.number().finite().min(0).max(1_000_000_000)).refine((l) => Object.keys(l).length <= 10, "At most 10 limits").default({}),
  approvers: z.array(z.enum(approverRoles)).min(1).max(4).refine((a) => new Set(a).size === a.length, "Each role once").optional(),
});
export type SettingsBody = z.infer<typeof settingsBody>;

// ---- response bodies

const json: z.ZodType<unknown> = z.unknown();
export const actionView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  kind: z.enum(actionKinds),
  subjectType: z.string(),
  subjectId: z.string(),
  summary: z.string(),
  before: json,
  after: json,
  state: z.enum(actionStates),
  scheduledFor: z.number().nullable(),
  dueAt: z.number().nullable(),
  attempts: z.number(),
  proposedBy: z.string().nullable(),
  proposedByName: z.string().nullable(),
  agentRunId: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.number().nullable(),
  approvedAs: z.string().nullable(),
  waitReason: z.string().nullable(),
  providerResult: json,
  error: z.string().nullable(),
  revertOf: z.string().nullable(),
  /** Whether this done action can be undone (its executor can revert it, and no undo is pending or done). */
  revertible: z.boolean(),
  /** Who may approve it under the workspace's policy. */
  approvers: z.array(z.enum(approverRoles)),
  /** Whether the caller may approve or reject it now. */
  canApprove: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ActionView = z.infer<typeof actionView>;

export const trailEntry = z.object({
  id: z.string(),
  action: z.string(),
  toStatus: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.number(),
});
export const actionDetailView = actionView.extend({ trail: z.array(trailEntry) });
export const actionListView = z.object({ actions: z.array(actionView) });
export const orgActionListView = z.object({ actions: z.array(actionView.extend({ workspaceName: z.string() })) });

export const kindSettingsView = z.object({
  kind: z.enum(actionKinds),
  autopilot: z.boolean(),
  limits: z.record(z.string(), z.number()),
  approvers: z.array(z.enum(approverRoles)),
  /** Whether QWEB can run actions of this kind here (an executor is registered). */
  available: z.boolean(),
  /** Whether the kind's executor checks guardrails (without one, autopilot never runs it alone). */
  guarded: z.boolean(),
});
export const settingsListView = z.object({ settings: z.array(kindSettingsView) });
