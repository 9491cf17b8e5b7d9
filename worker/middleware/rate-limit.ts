import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import type { ThrottleVerdict } from "../../durable-objects/throttle";

const stub = (env: Env, key: string) => env.THROTTLE.getByName(key);

/** Checks a throttle key; throws 429 with Retry-After when `limit` events fell inside the window. */
export async function assertAllowed(env: Env, key: string, limit: number, windowMs: number, now = Date.now()): Promise<ThrottleVerdict> {
  const verdict = await stub(env, key).check(limit, windowMs, now);
  if (!verdict.allowed) {
    throw new ApiError("RATE_LIMITED", "Too many attempts. Try again later.", {
      headers: { "Retry-After": String(verdict.retryAfterSeconds) },
      details: { retryAfterSeconds: verdict.retryAfterSeconds },
    });
  }
  return verdict;
}

/** Records one event (a failure, or any request for plain rate limits); returns the count in the window. */
export const recordEvent = (env: Env, key: string, windowMs: number, now = Date.now()) => stub(env, key).fail(windowMs, now);

export const resetKey = (env: Env, key: string) => stub(env, key).reset();

/**
 * Plain rate limit for a route: at most `limit` requests per `windowMs` per key (default: client IP).
 * Used for signup, password reset and invitation acceptance.
 */
export function rateLimit(
  name: string,
  limit: number,
  windowMs: number,
  keyOf: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string = (c) => c.var.clientIp,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = `${name}:${keyOf(c)}`;
    await assertAllowed(c.env, key, limit, windowMs);
    await recordEvent(c.env, key, windowMs);
    await next();
  };
}
