import type { SQL } from "drizzle-orm";
import { createDb, type Database } from "../db/client";
import type { OrgRole } from "../db/schema";
import { readConfig, type Config } from "../env";
import type { ActivityDecl } from "../lib/validate";

/**
 * Effective role on a workspace. Organization owners and admins manage everything in their
 * organization ("org-admin"); organization members work on content ("editor"); portal users
 * have the role they were invited with.
 */
export type WorkspaceRole = "viewer" | "editor" | "admin" | "org-admin";
const rank: Record<WorkspaceRole, number> = { viewer: 1, editor: 2, admin: 3, "org-admin": 4 };
export const atLeast = (role: WorkspaceRole, min: WorkspaceRole) => rank[role] >= rank[min];

export type TenantContext = {
  userId: string;
  orgId: string;
  workspaceId: string;
  role: WorkspaceRole;
  orgRole: OrgRole | null;
};

export type OrgContext = { userId: string; orgId: string; role: OrgRole };

/**
 * What every service verb gets as `ctx`: built once per request by the request-context
 * middleware (`c.var.ctx`), or by `ctxFromEnv` in queue consumers, cron jobs and Durable Objects.
 */
export type Ctx = { db: Database; config: Config; env: Env; now: number; requestId: string };
export type TenantCtx = Ctx & { tenant: TenantContext };
export type OrgCtx = Ctx & { org: OrgContext };

/** A service verb: `verb({ ctx, input })`. */
export type Verb<C extends Ctx, I, O> = (args: { ctx: C; input: I }) => Promise<O>;

export function ctxFromEnv(env: Env, opts: { now?: number; requestId?: string } = {}): Ctx {
  return { db: createDb(env.DB), config: readConfig(env), env, now: opts.now ?? Date.now(), requestId: opts.requestId ?? crypto.randomUUID() };
}

/** A query a D1 batch can carry (select builders). */
export type BatchQuery = Parameters<Database["batch"]>[0][number];

/**
 * Reads a workspace route's statements in the same D1 batch as the session check and the
 * workspace access check. `build` gets the workspace's time zone as last seen in this isolate (a
 * hint, "UTC" at first); the access check reads the real one, and when the hint was wrong the
 * statements are built again for it and read once more. Throws NOT_FOUND without access and
 * FORBIDDEN below the route's role, whatever the statements returned.
 */
export type WorkspaceBatch = (build: (w: { workspaceId: string; timeZone: string }) => BatchQuery[]) => Promise<{ tenant: TenantContext; timeZone: string; results: unknown[][] }>;

export type AuthInfo = { userId: string; sessionId: string; email: string; name: string };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The request's service context; `tenantCtx`/`orgCtx` add the tenant once a guard checked it. */
    ctx: Ctx;
    tenantCtx: TenantCtx;
    orgCtx: OrgCtx;
    config: Config;
    db: Database;
    auth: AuthInfo;
    /** The signed-in user's public profile, read by the session check itself. */
    sessionUser: { id: string; email: string; name: string; birthDate: string; createdAt: number };
    /**
     * Set on routes marked `sessionInBatch`: ONE statement, the session check's row carrying `value()` (a scalar
     * subquery with `sql.placeholder`s for `params`), built once per isolate and `key`.
     */
    withSessionValue: <T>(statement: { key: string; value: () => SQL<T>; params: Record<string, unknown> }) => Promise<T>;
    /**
     * The route's statements as ONE D1 batch: on `sessionInBatch` routes the session check is its
     * first statement (no row: 401), elsewhere (the session already checked) the batch alone.
     */
    withSessionBatch: (queries: BatchQuery[]) => Promise<unknown[][]>;
    /** Set by `requireWorkspaceInBatch`: the route's statements in the batch of the session and access checks. */
    workspaceBatch: WorkspaceBatch;
    clientIp: string;
    tenant: TenantContext;
    org: OrgContext;
    /** The user a public auth route acted for (signup, login, refresh, reset), for the activity log. */
    actorId: string;
    /** The action the route declared with doc({ activity }), read by the activity log. */
    activity: ActivityDecl;
  };
};
