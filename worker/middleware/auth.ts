import type { MiddlewareHandler } from "hono";
import { and, eq, isNull, gt } from "drizzle-orm";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { verifyAccessToken } from "../lib/jwt";
import { sessions, users } from "../db/schema";

const unauthorized = () => new ApiError("UNAUTHORIZED", "Authentication required");

/**
 * P11: a valid, unexpired HS256 JWT whose session is still live. Checking the session row makes
 * logout, logout-all and password changes revoke access tokens at once, not after 15 minutes.
 */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
  if (!token) throw unauthorized();
  const claims = await verifyAccessToken(c.var.config, token);
  if (!claims) throw unauthorized();
  const [row] = await c.var.db
    .select({ userId: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.sid),
        eq(sessions.userId, claims.sub),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, Date.now()),
        // P13: an account scheduled for erasure is blocked at once.
        isNull(users.deletedAt),
      ),
    )
    .limit(1);
  if (!row) throw unauthorized();
  c.set("auth", { userId: row.userId, sessionId: claims.sid, email: row.email, name: row.name });
  await next();
};
