import type { Context } from "hono";
import { setCookie, deleteCookie } from "hono/cookie";
import type { AppEnv, Config } from "../../env";
import type { Database } from "../../db/client";
import { refreshTokens, sessions } from "../../db/schema";
import { newId, newToken } from "../../lib/ids";
import { sha256Hex } from "../../lib/hash";
import { signAccessToken } from "../../lib/jwt";
import { DAY } from "../../lib/time";

export const REFRESH_COOKIE = "qweb_refresh";
export const SESSION_TTL_MS = 30 * DAY;

/** Opens a session (a refresh-token family) and returns its first refresh token and access token. */
export async function openSession(
  db: Database,
  config: Config,
  userId: string,
  meta: { ip?: string; userAgent?: string },
  now = Date.now(),
) {
  const sessionId = newId();
  const refreshToken = newToken();
  await db.batch([
    db.insert(sessions).values({
      id: sessionId,
      userId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + SESSION_TTL_MS,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    }),
    db.insert(refreshTokens).values({
      id: newId(),
      sessionId,
      userId,
      tokenHash: await sha256Hex(refreshToken),
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
    }),
  ]);
  const accessToken = await signAccessToken(config, { sub: userId, sid: sessionId }, now);
  return { sessionId, refreshToken, accessToken };
}

/** HttpOnly, Secure, SameSite=Strict, scoped to the auth routes. */
export function setRefreshCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/api/auth",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearRefreshCookie(c: Context<AppEnv>) {
  deleteCookie(c, REFRESH_COOKIE, { path: "/api/auth", secure: true, httpOnly: true, sameSite: "Strict" });
}
