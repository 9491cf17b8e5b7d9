import { DurableObject } from "cloudflare:workers";
import { declareStore } from "../worker/db/registry";
import type { ThrottleTake, ThrottleVerdict } from "../worker/core/throttle";


declareStore({
  store: "durable-object",
  name: "Throttle",
  owners: {},
  retention: { rule: "expires", column: "expires_at" },
  purpose: "Timestamps of recent failed logins and rate-limited requests per key (account + IP, IP); no payload",
});

/**
 * One object per throttle key (for example `login:acct:<ip>:<email>` or `login:ip:<ip>`). It keeps
 * the timestamps of recent events in its SQLite storage, so the count is exact and serialized
 * across every isolate that handles a login. Callers pass `now`, so tests can drive time.
 */
export class Throttle extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, expires_at INTEGER NOT NULL)",
      );
    });
  }

  private prune(windowMs: number, now: number) {
    this.ctx.storage.sql.exec("DELETE FROM events WHERE at <= ?", now - windowMs);
  }

  private count(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events").one().n;
  }

  private verdict(limit: number, windowMs: number, now: number): ThrottleVerdict {
    const n = this.count();
    if (n < limit) return { allowed: true, failures: n, retryAfterSeconds: 0 };
    // The window slides: allowed again once enough old events age out.
    const blocking = this.ctx.storage.sql
      .exec<{ at: number }>("SELECT at FROM events ORDER BY at DESC LIMIT 1 OFFSET ?", limit - 1)
      .one();
    const retryAfterMs = Math.max(0, blocking.at + windowMs - now);
    return { allowed: false, failures: n, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }

  private async record(windowMs: number, now: number): Promise<number> {
    const { id } = this.ctx.storage.sql
      .exec<{ id: number }>("INSERT INTO events (at, expires_at) VALUES (?, ?) RETURNING id", now, now + windowMs)
      .one();
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > now + windowMs) await this.ctx.storage.setAlarm(now + windowMs);
    return id;
  }

  /** Whether another event is allowed now: fewer than `limit` inside the window. */
  async check(limit: number, windowMs: number, now = Date.now()): Promise<ThrottleVerdict> {
    this.prune(windowMs, now);
    return this.verdict(limit, windowMs, now);
  }

  /**
   * Check and record in one step, so concurrent callers can never exceed `limit` (a separate
   * check-then-record lets parallel password guesses all pass the check).
   */
  async take(limit: number, windowMs: number, now = Date.now()): Promise<ThrottleTake> {
    this.prune(windowMs, now);
    const verdict = this.verdict(limit, windowMs, now);
    if (!verdict.allowed) return { ...verdict, eventId: null };
    const eventId = await this.record(windowMs, now);
    return { ...verdict, failures: verdict.failures + 1, eventId };
  }

  /** Removes one event recorded by `take` (the attempt turned out not to count, e.g. a correct password). */
  async forgive(eventId: number): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM events WHERE id = ?", eventId);
  }

  /** Records an event; returns the number of events now inside the window. */
  async fail(windowMs: number, now = Date.now()): Promise<number> {
    this.prune(windowMs, now);
    await this.record(windowMs, now);
    return this.count();
  }

  async reset(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM events");
  }

  /** Nothing is kept past its window: expired events go, and an empty object clears its storage. */
  override async alarm() {
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM events WHERE expires_at <= ?", now);
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM events")
      .one().at;
    if (next === null) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(next);
  }
}
