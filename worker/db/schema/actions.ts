// The approval path (issue 9): every action QWEB takes outside itself on a user's behalf, and the
// per-workspace autopilot switch with its guardrail limits per action kind.
import { sqliteTable, text, integer, index, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";
import { users } from "./accounts";
import { workspaces } from "./tenancy";

/** The kinds of worker/core/actions.ts (db may not import core; features/actions checks they agree). */
export const actionKindValues = ["publish_post", "send_campaign", "pause_campaign", "resume_campaign", "change_budget", "send_reply"] as const;
type ActionJson = string | number | boolean | null | ActionJson[] | { [k: string]: ActionJson };

export const actionStates = ["proposed", "approved", "rejected", "scheduled", "running", "done", "failed", "cancelled"] as const;
export type ActionState = (typeof actionStates)[number];

export const actions = sqliteTable(
  "actions",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text({ enum: actionKindValues }).notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    summary: text().notNull(),
    before: text({ mode: "json" }).$type<ActionJson>().notNull(),
    after: text({ mode: "json" }).$type<ActionJson>().notNull(),
    state: text({ enum: actionStates }).notNull(),
    /** When the proposer wants it to happen (null: as soon as approved). */
    scheduledFor: integer(),
    /** When the runner should next pick it up (approved/scheduled, or a retry after a retryable failure). */
    dueAt: integer(),
    /** A running attempt that has not answered by then is taken over (same attemptId: the executor is idempotent). */
    leaseUntil: integer(),
    attemptId: text().notNull(),
    attempts: integer().notNull().default(0),
    proposedBy: text().references(() => users.id, { onDelete: "set null" }),
    agentRunId: text(),
    approvedBy: text().references(() => users.id, { onDelete: "set null" }),
    approvedAt: integer(),
    /** How it was approved: a person's role (editor, portal_editor…) or "autopilot". */
    approvedAs: text(),
    /** Why autopilot did not run it (outside a guardrail, restriction), shown to approvers. */
    waitReason: text(),
    providerResult: text({ mode: "json" }).$type<ActionJson>(),
    error: text(),
    /** The done action this one undoes. */
    revertOf: text(),
    /** The token of the last transition: the audit entry of that transition is written only when it matches. */
    transitionId: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    finishedAt: integer(),
  },
  (t) => [
    index("actions_ws_state_idx").on(t.workspaceId, t.state, t.createdAt),
    index("actions_org_state_idx").on(t.orgId, t.state),
    index("actions_due_idx").on(t.workspaceId, t.dueAt),
    index("actions_subject_idx").on(t.workspaceId, t.subjectType, t.subjectId),
  ],
);
declareData(actions, {
  owners: {
    organization: "org_id",
    workspace: "workspace_id",
    user: { column: "proposed_by", erase: { clear: ["proposed_by", "approved_by"] } },
  },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Actions QWEB takes on a workspace's behalf (publish, send, pause, budget) with who proposed and approved them",
});

/** Autopilot and guardrails per workspace and action kind (absent row: autopilot off). */
export const actionSettings = sqliteTable(
  "action_settings",
  {
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    kind: text({ enum: actionKindValues }).notNull(),
    autopilot: integer({ mode: "boolean" }).notNull().default(false),
    limits: text({ mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    updatedBy: text().references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind] })],
);
declareData(actionSettings, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "updated_by", erase: { clear: ["updated_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Whether actions of a kind may run without a person (autopilot) and within which limits",
});

declareStore({
  store: "durable-object",
  name: "ActionRunner",
  binding: "ACTION_RUNNER",
  owners: { workspace: "{id}" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "A workspace's action alarm: when its next approved or scheduled action is due (no personal data)",
});
