import { DurableObject } from "cloudflare:workers";

export type ThrottleVerdict = { allowed: boolean; failures: number; retryAfterSeconds: number };

/**
 * One object per throttle key (for example `login:<email>:<ip>` or `ip:<ip>`). It keeps the
 * timestamps of recent failures in its SQLite storage, so the count is exact and serialized
 * across every isolate that handles a login.
 */
export class Throttle extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS failures (at INTEGER NOT NULL)");
    });
  }

  private prune(windowMs: number, now: number) {
    this.ctx.storage.sql.exec("DELETE FROM failures WHERE at <= ?", now - windowMs);
  }

  /** Whether another attempt is allowed now: fewer than `limit` failures inside the window. */
  async check(limit: number, windowMs: number, now = Date.now()): Promise<ThrottleVerdict> {
    this.prune(windowMs, now);
    const rows = this.ctx.storage.sql.exec<{ n: number; oldest: number | null }>(
      "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM failures",
    ).one();
    if (rows.n < limit) return { allowed: true, failures: rows.n, retryAfterSeconds: 0 };
    // The window slides: the attempt is allowed again once enough old failures age out.
    const blocking = this.ctx.storage.sql
      .exec<{ at: number }>("SELECT at FROM failures ORDER BY at DESC LIMIT 1 OFFSET ?", limit - 1)
      .one();
    const retryAfterMs = Math.max(0, blocking.at + windowMs - now);
    return { allowed: false, failures: rows.n, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }

  /** Records a failure; returns the number of failures now inside the window. */
  async fail(windowMs: number, now = Date.now()): Promise<number> {
    this.prune(windowMs, now);
    this.ctx.storage.sql.exec("INSERT INTO failures (at) VALUES (?)", now);
    await this.ctx.storage.setAlarm(now + windowMs);
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM failures").one().n;
  }

  async reset(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM failures");
  }

  /** Nothing is kept past its window: the alarm clears the object's storage. */
  override async alarm() {
    const left = this.ctx.storage.sql.exec<{ n: number }>(
      "SELECT COUNT(*) AS n FROM failures WHERE at > ?",
      Date.now() - 24 * 3600 * 1000,
    ).one().n;
    if (left === 0) await this.ctx.storage.deleteAll();
  }
}
