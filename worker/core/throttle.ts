import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { ApiError } from "../lib/errors";

export type ThrottleVerdict = { allowed: boolean; failures: number; retryAfterSeconds: number };
/** A verdict for `take`: when allowed, `eventId` names the event just recorded (see `forgive`). */
export type ThrottleTake = ThrottleVerdict & { eventId: number | null };
/** A concurrency gate's answer: `granted` slots under `ticket` (give them back with release), or none and when to ask again. */
export type GateGrant = { ticket: number | null; granted: number; retryAt: number | null; waitedMs: number };

const stub = (env: Env, key: string) => env.THROTTLE.getByName(key);

export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError("RATE_LIMITED", "Too many attempts. Try again later.", {
    headers: { "Retry-After": String(retryAfterSeconds) },
    details: { retryAfterSeconds },
  });

/** Checks a throttle key; throws 429 with Retry-After when `limit` events fell inside the window. */
export async function assertAllowed(env: Env, key: string, limit: number, windowMs: number, now = Date.now()): Promise<ThrottleVerdict> {
  const verdict = await stub(env, key).check(limit, windowMs, now);
  if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
  return verdict;
}

/** `consume` without the throw: the caller decides what a refusal means. */
export const take = (env: Env, key: string, limit: number, windowMs: number, now = Date.now()): Promise<ThrottleTake> =>
  stub(env, key).take(limit, windowMs, now);

/**
 * Atomically checks and records one event; throws 429 with Retry-After when `limit` events already
 * fell inside the window. The returned `eventId` can be given back with `forgive`.
 */
export async function consume(env: Env, key: string, limit: number, windowMs: number, now = Date.now()): Promise<ThrottleTake> {
  const taken = await take(env, key, limit, windowMs, now);
  if (!taken.allowed) throw rateLimited(taken.retryAfterSeconds);
  return taken;
}

export const forgive = (env: Env, key: string, eventId: number | null) =>
  eventId === null ? Promise.resolve() : stub(env, key).forgive(eventId);

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
  keyOf: (c: Context<AppEnv>) => string = (c) => c.var.clientIp,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await consume(c.env, `${name}:${keyOf(c)}`, limit, windowMs);
    await next();
  };
}
