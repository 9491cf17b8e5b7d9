import { sqliteTable, text, integer, index, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";
import { workspaces } from "./tenancy";

/** Who may approve, as one list: team editors and admins, and the client's portal editors and admins. */
export const approverRoles = ["editor", "admin", "portal_editor", "portal_admin"] as const;
export type ApproverRole = (typeof approverRoles)[number];

/** Per workspace and subject kind ("content"; the publishing issue adds its action kinds). */
export const approvalPolicies = sqliteTable(
  "approval_policies",
  {
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    subjectKind: text().notNull(),
    approvers: text({ mode: "json" }).$type<ApproverRole[]>().notNull(),
    updatedBy: text().references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.subjectKind] })],
);
declareData(approvalPolicies, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "updated_by", erase: { clear: ["updated_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Who may approve content (and later actions) in a workspace",
});

/** The audit trail of the approval path: requested, approved, rejected, commented, with who and when. */
export const approvalEvents = sqliteTable(
  "approval_events",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    subjectKind: text().notNull(),
    subjectId: text().notNull(),
    action: text({ enum: ["requested", "approved", "rejected", "status", "edited"] }).notNull(),
    /** The status after the event. */
    toStatus: text().notNull(),
    actorId: text().references(() => users.id, { onDelete: "set null" }),
    /** The role the actor acted with (e.g. portal_editor), as the policy saw it. */
    actorRole: text(),
    note: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index("approval_events_subject_idx").on(t.subjectKind, t.subjectId, t.createdAt)],
);
declareData(approvalEvents, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "actor_id", erase: { clear: ["actor_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Audit trail of approvals: who requested, approved or rejected what, and when",
});
