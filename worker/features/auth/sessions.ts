import type { Context } from "hono";
import { setCookie, deleteCookie, getCookie } from "hono/cookie";
import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { AppEnv, Ctx } from "../../core/context";
import { refreshTokens, sessions } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { newId, newToken } from "../../lib/ids";
import { deviceLabel } from "../../lib/device";
import { sha256Hex } from "../../lib/hash";
import { signAccessToken, verifyAccessToken } from "../../lib/jwt";
import { DAY } from "../../lib/time";

export const REFRESH_COOKIE = "qweb_refresh";
/**
 * A readable twin of the refresh cookie holding no secret ("1"): it tells the web app that a
 * refresh is worth trying, so a signed-out page load sends no request bound to fail. Set and
 * cleared with the refresh cookie, with the same lifetime; essential (session management), so
 * no consent is needed.
 */
export const SESSION_HINT_COOKIE = "qweb_session";
export const SESSION_TTL_MS = 30 * DAY;

type Meta = { ip?: string; userAgent?: string };

const refreshRow = async (sessionId: string, userId: string, token: string, now: number, expiresAt: number) => ({
  id: newId(),
  sessionId,
  userId,
  tokenHash: await sha256Hex(token),
  createdAt: now,
  expiresAt,
});

/** Opens a session (a refresh-token family) and returns its first refresh token and access token. */
export async function openSession({ ctx: { db, config, now }, input: { userId, meta } }: { ctx: Ctx; input: { userId: string; meta: Meta } }) {
  const sessionId = newId();
  const refreshToken = newToken();
  const expiresAt = now + SESSION_TTL_MS;
  await db.batch([
    db.insert(sessions).values({
      id: sessionId,
      userId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    }),
    db.insert(refreshTokens).values(await refreshRow(sessionId, userId, refreshToken, now, expiresAt)),
  ]);
  const accessToken = await signAccessToken(config, { sub: userId, sid: sessionId }, now);
  return { sessionId, refreshToken, accessToken };
}

const invalidRefresh = () => new ApiError("UNAUTHORIZED", "Your session has ended. Sign in again.");

/**
 * P11: rotates a refresh token. The presented token is marked used and a new one joins the same
 * session (family). Presenting a token that was already rotated means it leaked: the whole
 * family is revoked, so the thief's and the owner's newest tokens both stop working.
 * The session's absolute lifetime is kept: rotation never extends it.
 */
export async function rotateRefreshToken({ ctx, input: { token } }: { ctx: Ctx; input: { token: string } }) {
  const { db, config, now } = ctx;
  const [row] = await db
    .select({ id: refreshTokens.id, usedAt: refreshTokens.usedAt, tokenExpiresAt: refreshTokens.expiresAt, session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row || row.session.revokedAt !== null) throw invalidRefresh();
  if (row.tokenExpiresAt <= now || row.session.expiresAt <= now) throw invalidRefresh();
  // Conditional on usedAt IS NULL so two concurrent uses of one token cannot both rotate.
  const claimed = await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt)))
    .returning({ id: refreshTokens.id });
  if (row.usedAt !== null || claimed.length === 0) {
    await revokeSession({ ctx, input: { sessionId: row.session.id, reason: "refresh-token-reuse" } });
    throw invalidRefresh();
  }
  const { id: sessionId, userId, expiresAt } = row.session;
  const refreshToken = newToken();
  await db.batch([
    db.insert(refreshTokens).values(await refreshRow(sessionId, userId, refreshToken, now, expiresAt)),
    db.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, sessionId)),
  ]);
  const accessToken = await signAccessToken(config, { sub: userId, sid: sessionId }, now);
  return { userId, sessionId, refreshToken, accessToken };
}

/** The session a refresh token belongs to (used or not), for logout. */
export async function sessionOfRefreshToken({ ctx: { db }, input: { token } }: { ctx: Ctx; input: { token: string } }) {
  const [row] = await db
    .select({ sessionId: refreshTokens.sessionId, userId: refreshTokens.userId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  return row ?? null;
}

/** Returned unexecuted (awaitable), so a caller can put it in its own D1 batch. */
export const revokeSession = ({ ctx: { db, now }, input: { sessionId, reason } }: { ctx: Ctx; input: { sessionId: string; reason: string } }) =>
  db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));

/** Revokes every live session of a user, except `keep` when given. Unexecuted (awaitable), for callers' batches. */
export const revokeUserSessions = ({ ctx: { db, now }, input: { userId, reason, keep } }: { ctx: Ctx; input: { userId: string; reason: string; keep?: string } }) =>
  db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined));

export async function listLiveSessions({ ctx: { db, now }, input: { userId, currentSessionId } }: { ctx: Ctx; input: { userId: string; currentSessionId: string } }) {
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastUsedAt))
    .limit(100);
  return rows.map((s) => ({ ...s, device: deviceLabel(s.userAgent), current: s.id === currentSessionId }));
}

/**
 * Signs this device out: the session of the refresh cookie and the one the bearer token names
 * (either may be missing or stale). Returns the user it acted for, when either told.
 */
export async function signOut({ ctx, input: { refreshToken, bearer } }: { ctx: Ctx; input: { refreshToken?: string; bearer?: string } }) {
  const fromCookie = refreshToken ? await sessionOfRefreshToken({ ctx, input: { token: refreshToken } }) : null;
  const fromBearer = bearer ? await verifyAccessToken(ctx.config, bearer) : null;
  for (const sessionId of new Set([fromCookie?.sessionId, fromBearer?.sid])) {
    if (sessionId) await revokeSession({ ctx, input: { sessionId, reason: "logout" } });
  }
  return { actorId: fromBearer?.sub ?? fromCookie?.userId ?? null };
}

export const readRefreshCookie = (c: Context<AppEnv>) => getCookie(c, REFRESH_COOKIE) || undefined;

/** HttpOnly, Secure, SameSite=Strict, scoped to the auth routes. */
export function setRefreshCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/api/auth",
    maxAge: SESSION_TTL_MS / 1000,
  });
  setCookie(c, SESSION_HINT_COOKIE, "1", { secure: true, sameSite: "Strict", path: "/", maxAge: SESSION_TTL_MS / 1000 });
}

export function clearRefreshCookie(c: Context<AppEnv>) {
  deleteCookie(c, REFRESH_COOKIE, { path: "/api/auth", secure: true, httpOnly: true, sameSite: "Strict" });
  deleteCookie(c, SESSION_HINT_COOKIE, { path: "/", secure: true, sameSite: "Strict" });
}
