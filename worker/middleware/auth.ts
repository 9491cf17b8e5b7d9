import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { and, eq, isNull, gt, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { AppEnv, BatchQuery } from "../core/context";
import type { Database } from "../db/client";
import { ApiError } from "../lib/errors";
import { verifyAccessToken, type AccessClaims } from "../lib/jwt";
import { sessions, users } from "../db/schema";

const unauthorized = () => new ApiError("UNAUTHORIZED", "Authentication required");

/**
 * P11: the session named by the token is live (not revoked, not expired) and its user is not
 * scheduled for erasure. Checking the row makes logout, logout-all and password changes revoke
 * access tokens at once, not after 15 minutes. No LIMIT: both joins are on primary keys, so at
 * most one row, and a bound `LIMIT ?` makes SQLite re-plan the statement on every execution
 * (it plans with the bound value): that was most of the statement's cost (bench/api.bench.mjs).
 */
const sessionFields = { userId: users.id, email: users.email, name: users.name, birthDate: users.birthDate, createdAt: users.createdAt };
type Bound = AccessClaims | { sid: Placeholder; sub: Placeholder };
const sessionCheckWith = <F extends Record<string, SQL | typeof users.id>>(db: Database, claims: Bound, now: number | Placeholder, fields: F) =>
  db
    .select({ ...sessionFields, ...fields })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.sid),
        eq(sessions.userId, claims.sub),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        // P13: an account scheduled for erasure is blocked at once.
        isNull(users.deletedAt),
      ),
    );

/**
 * The session check (alone, or carrying a route's scalar subquery) as a statement built once per
 * database and shape, with placeholders for the claims, the time and the route's parameters. It
 * still runs against D1 on every request (P11); only Drizzle's SQL building, the largest CPU cost
 * of an authenticated read beyond the one-read floor (bench/api.bench.mjs), is saved.
 */
const checks = new WeakMap<Database, Map<string, ReturnType<typeof prepareCheck>>>();
const prepareCheck = (db: Database, value?: SQL) =>
  sessionCheckWith(db, { sid: sql.placeholder("sid"), sub: sql.placeholder("sub") }, sql.placeholder("now"), value ? { value } : {}).prepare();
function preparedCheck(db: Database, key: string, value?: () => SQL) {
  let byShape = checks.get(db);
  if (!byShape) checks.set(db, (byShape = new Map()));
  let check = byShape.get(key);
  if (!check) byShape.set(key, (check = prepareCheck(db, value?.())));
  return check;
}

/** A scalar subquery for `withSessionValue`: `value()` uses `sql.placeholder(name)` for each of `params`; `key` names its shape. */
export type SessionValue<T> = { key: string; value: () => SQL<T>; params: Record<string, unknown> };

/**
 * Marks a GET route whose handler reads through `c.var.withSessionValue(subquery)`: one
 * statement, the session check's own row carrying the handler's scalar subquery (no row: 401),
 * so the read costs one round trip instead of two. Fails closed: if the handler never calls it,
 * the check runs before the response leaves, and an invalid session turns it into a 401.
 */
export const sessionInBatch: MiddlewareHandler<AppEnv> = async (_c, next) => next();

export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
  if (!token) throw unauthorized();
  const claims = await verifyAccessToken(c.var.config, token);
  if (!claims) throw unauthorized();
  const now = Date.now();
  const bound = { sid: claims.sid, sub: claims.sub, now };
  const check = () => preparedCheck(c.var.db, "session").all(bound);
  const setAuth = (row: Awaited<ReturnType<typeof check>>[number]) => {
    c.set("auth", { userId: row.userId, sessionId: claims.sid, email: row.email, name: row.name });
    c.set("sessionUser", { id: row.userId, email: row.email, name: row.name, birthDate: row.birthDate, createdAt: row.createdAt });
  };

  const deferred = c.req.method === "GET" && matchedRoutes(c).some((r) => r.handler === sessionInBatch);
  if (!deferred) {
    const [row] = await check();
    if (!row) throw unauthorized();
    setAuth(row);
    c.set("withSessionBatch", async (queries) => (queries.length ? ((await c.var.db.batch(queries as [BatchQuery, ...BatchQuery[]])) as unknown as unknown[][]) : []));
    return next();
  }

  let verified = false;
  // Only the ids are known before the statement runs; withSessionValue fills in the rest.
  c.set("auth", { userId: claims.sub, sessionId: claims.sid, email: "", name: "" });
  c.set("withSessionValue", (async ({ key, value, params }: SessionValue<unknown>) => {
    const [row] = await preparedCheck(c.var.db, key, value).all({ ...params, ...bound });
    if (!row) throw unauthorized();
    verified = true;
    setAuth(row);
    return row.value;
  }) as AppEnv["Variables"]["withSessionValue"]);
  // The session check as the first statement of the route's own batch (built per request: a batch
  // cannot bind a prepared statement's placeholders).
  c.set("withSessionBatch", async (queries) => {
    const [rows, ...results] = (await c.var.db.batch([sessionCheckWith(c.var.db, claims, now, {}), ...queries])) as unknown[][];
    const row = rows?.[0] as Awaited<ReturnType<typeof check>>[number] | undefined;
    if (!row) throw unauthorized();
    verified = true;
    setAuth(row);
    return results;
  });
  await next();
  if (!verified && !(await check())[0]) throw unauthorized();
};
