import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";

export const organizations = sqliteTable(
  "organizations",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    kind: text({ enum: ["agency", "business"] }).notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    // Privacy (worker/features/privacy): deletion by the owner with a grace period, processing flags.
    deletedAt: integer(),
    /** Erased by the daily retention run once this has passed (at most 30 days after deletedAt). */
    purgeAfter: integer(),
    deletedBy: text(),
    restrictedAt: integer(),
    objectedAt: integer(),
  },
  (t) => [index("organizations_purge_idx").on(t.purgeAfter)],
);
declareData(organizations, {
  owners: { organization: "id", user: { column: "deleted_by", erase: { clear: ["deleted_by"] } } },
  retention: { rule: "expires", column: "purge_after" },
  export: { ofOwnedOrganization: "id" },
  purpose: "The customer organization (agency or business)",
});

export const orgRoles = ["owner", "admin", "member"] as const;
export type OrgRole = (typeof orgRoles)[number];

export const memberships = sqliteTable(
  "memberships",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: orgRoles }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("memberships_org_user_uq").on(t.orgId, t.userId),
    index("memberships_user_idx").on(t.userId),
  ],
);
declareData(memberships, {
  owners: { user: "user_id", organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Organization membership and role",
});

export const workspaces = sqliteTable(
  "workspaces",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    /** IANA time zone where the workspace's days begin (dashboards, reports, alerts). */
    timeZone: text().notNull().default("UTC"),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("workspaces_org_idx").on(t.orgId, t.createdAt)],
);
declareData(workspaces, {
  owners: { organization: "org_id", workspace: "id" },
  retention: { rule: "owner-lifetime" },
  export: { ofOwnedOrganization: "org_id" },
  purpose: "An agency's client or a business's brand",
});

export const portalRoles = ["viewer", "editor", "admin"] as const;
export type PortalRole = (typeof portalRoles)[number];

export const portalAccess = sqliteTable(
  "portal_access",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: portalRoles }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("portal_access_ws_user_uq").on(t.workspaceId, t.userId),
    index("portal_access_user_idx").on(t.userId),
  ],
);
declareData(portalAccess, {
  owners: { user: "user_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "A portal user's role on a client workspace",
});

export const invitations = sqliteTable(
  "invitations",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    /** Null for an organization-level (member) invitation. */
    workspaceId: text().references(() => workspaces.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: text().notNull(),
    tokenHash: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    acceptedAt: integer(),
    revokedAt: integer(),
  },
  (t) => [
    uniqueIndex("invitations_hash_uq").on(t.tokenHash),
    index("invitations_org_idx").on(t.orgId, t.createdAt),
    index("invitations_email_idx").on(t.email),
  ],
);
declareData(invitations, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "invited_by", erase: { clear: ["invited_by"] } } },
  retention: { rule: "expires", column: "expires_at" },
  export: { omit: ["token_hash"], omitOnceSet: { column: "accepted_at", omit: ["email"] } },
  purpose: "Pending invitations of members and portal users (invitee email)",
});
