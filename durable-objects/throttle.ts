import { DurableObject } from "cloudflare:workers";
import { declareStore } from "../worker/db/registry";
import type { GateGrant, ThrottleTake, ThrottleVerdict } from "../worker/core/throttle";


declareStore({
  store: "durable-object",
  name: "Throttle",
  owners: {},
  retention: { rule: "expires", column: "expires_at" },
  purpose: "Timestamps of recent failed logins and rate-limited requests per key (account + IP, IP); for a provider app's gate, until when the provider asked it to wait; no payload",
});

type Waiter = { dueAt: number; seq: number; want: number; leaseMs: number; since: number; done: (g: GateGrant) => void; timer: ReturnType<typeof setTimeout> };

/**
 * One object per throttle key (for example `login:acct:<ip>:<email>` or `login:ip:<ip>`). It keeps
 * the timestamps of recent events in its SQLite storage, so the count is exact and serialized
 * across every isolate that handles a login. Callers pass `now`, so tests can drive time.
 */
export class Throttle extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.createTables();
      this.pausedUntil = (await this.ctx.storage.get<number>("pausedUntil")) ?? 0;
    });
  }

  private createTables() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, expires_at INTEGER NOT NULL)");
  }

  // ── Concurrency gate (a provider app's key, e.g. `gate:meta:<app id>`) ──────────────────────
  // Every workspace's Publisher asks here before it calls the provider, so the whole fleet keeps
  // at most `capacity` calls in flight for the app instead of each workspace going at once and
  // tripping the provider's limit. Waiters are served by the due time of their earliest work
  // (then arrival): what is most overdue goes first. When the provider says to wait (a throttle
  // error, usage near 100 %), `pause` holds every grant until then. Slots are leases: a holder
  // that died without releasing frees its slots when the lease ends. In memory (the object is
  // the one instance for the key); only the pause is stored.
  private held = new Map<number, { n: number; until: number }>();
  private waiters: Waiter[] = [];
  private seq = 0;
  private capacity = 1;
  private pausedUntil = 0;
  private wake: ReturnType<typeof setTimeout> | null = null;

  private inUse(now: number) {
    let n = 0;
    for (const [t, h] of this.held) {
      if (h.until <= now) this.held.delete(t);
      else n += h.n;
    }
    return n;
  }

  private pump() {
    const now = Date.now();
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    if (this.pausedUntil > now) {
      if (this.waiters.length) this.wake = setTimeout(() => this.pump(), this.pausedUntil - now);
      return;
    }
    let free = this.capacity - this.inUse(now);
    while (free > 0 && this.waiters.length) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      const n = Math.min(w.want, free);
      free -= n;
      const ticket = ++this.seq;
      this.held.set(ticket, { n, until: now + w.leaseMs });
      w.done({ ticket, granted: n, retryAt: null, waitedMs: now - w.since });
    }
    // A lease that ends frees its slots for whoever waits.
    if (this.waiters.length && this.held.size) {
      const next = Math.min(...[...this.held.values()].map((h) => h.until));
      this.wake = setTimeout(() => this.pump(), Math.max(1, next - now));
    }
  }

  /**
   * Up to `want` of the key's `capacity` slots, as soon as they are free and it is this caller's
   * turn (earliest `dueAt` first); after `waitMs` without a grant, none (with when to ask again).
   */
  async acquire(a: { want: number; capacity: number; dueAt: number; leaseMs: number; waitMs: number }): Promise<GateGrant> {
    this.capacity = Math.max(1, a.capacity);
    // Paused past the caller's patience: say so at once (it reschedules its work for then).
    if (this.pausedUntil > Date.now() + a.waitMs) return { ticket: null, granted: 0, retryAt: this.pausedUntil, waitedMs: 0 };
    return new Promise<GateGrant>((done) => {
      const since = Date.now();
      const w: Waiter = {
        dueAt: a.dueAt, seq: ++this.seq, want: Math.max(1, a.want), leaseMs: a.leaseMs, since, done,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          done({ ticket: null, granted: 0, retryAt: Math.max(Date.now(), this.pausedUntil), waitedMs: Date.now() - since });
        }, Math.max(0, a.waitMs)),
      };
      const at = this.waiters.findIndex((x) => x.dueAt > w.dueAt || (x.dueAt === w.dueAt && x.seq > w.seq));
      this.waiters.splice(at < 0 ? this.waiters.length : at, 0, w);
      this.pump();
    });
  }

  /** Gives a grant's slots back (the next waiter in line gets them). */
  async release(ticket: number): Promise<void> {
    this.held.delete(ticket);
    this.pump();
  }

  /** The provider asked the app to wait until `until` (ms): no grant before then, for any workspace. */
  async pause(until: number): Promise<void> {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    await this.ctx.storage.put("pausedUntil", until);
    this.pump();
  }

  async gate(): Promise<{ capacity: number; inUse: number; waiting: number; pausedUntil: number | null }> {
    const now = Date.now();
    return { capacity: this.capacity, inUse: this.inUse(now), waiting: this.waiters.length, pausedUntil: this.pausedUntil > now ? this.pausedUntil : null };
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
    this.pausedUntil = 0;
    await this.ctx.storage.delete("pausedUntil");
    this.held.clear();
    this.pump();
  }

  /** Nothing is kept past its window: expired events go, and an empty object clears its storage. */
  override async alarm() {
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM events WHERE expires_at <= ?", now);
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM events")
      .one().at;
    if (next === null) {
      // deleteAll drops the table too, and this instance stays in memory without running its
      // constructor again: make the (empty) table again, or the next login here fails.
      await this.ctx.storage.deleteAll();
      this.createTables();
    } else await this.ctx.storage.setAlarm(next);
  }
}
