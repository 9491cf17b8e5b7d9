import { DurableObject } from "cloudflare:workers";
import { backoffMs, ProviderError } from "../worker/connectors/http";
import { ctxFromEnv } from "../worker/core/context";
import { MailboxNeedsReconnect, recordSyncError, sendReply, syncStep, type ReplyInput, type ReplyOutcome, type SyncCursor } from "../worker/features/inbox";

/** One step's budget per alarm: what remains continues in the next alarm. */
export const STEPS_PER_ALARM = 20;
export const ALARM_BUDGET_MS = 15_000;
export const POLL_INTERVAL_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 15 * 60_000;

export type MailboxState = "idle" | "syncing" | "waiting" | "error" | "stopped";
export type MailboxStatus = { mailboxId: string | null; state: MailboxState; cursor: SyncCursor | null; attempts: number; nextAt: number | null; lastError: string | null };

/**
 * One object per connected mailbox (named by the mailbox id). Its SQLite storage holds the sync
 * cursor (Gmail historyId, or the page of an initial sync) and the schedule; its alarm polls.
 * Syncs and sends run one at a time through `exclusive`, so a reply never races a sync.
 */
export class Mailbox extends DurableObject<Env> {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.createTables());
  }

  /** Also after `erase`: deleteAll drops the table while this instance lives on. */
  private createTables() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
  }

  private read<T>(k: string): T | null {
    const row = this.ctx.storage.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = ?", k).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }
  private write(k: string, v: unknown) {
    this.ctx.storage.sql.exec("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v", k, JSON.stringify(v));
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Starts (or restarts after a reconnect) the mailbox's syncs: the first one now. */
  async start(mailboxId: string, intervalMs = POLL_INTERVAL_MS): Promise<void> {
    this.write("mailbox", mailboxId);
    this.write("interval", intervalMs);
    this.write("state", "syncing");
    this.write("attempts", 0);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** Sync now (a user's request): the alarm moves to now. */
  async syncNow(): Promise<{ state: MailboxState }> {
    if (!this.read<string>("mailbox")) return { state: "stopped" };
    this.write("state", "syncing");
    await this.ctx.storage.setAlarm(Date.now());
    return { state: "syncing" };
  }

  async status(): Promise<MailboxStatus> {
    return {
      mailboxId: this.read<string>("mailbox"),
      state: this.read<MailboxState>("state") ?? "stopped",
      cursor: this.read<SyncCursor>("cursor"),
      attempts: this.read<number>("attempts") ?? 0,
      nextAt: await this.ctx.storage.getAlarm(),
      lastError: this.read<string>("lastError"),
    };
  }

  /** Saves the reply to the provider's drafts and sends it, between syncs. */
  async send(input: ReplyInput): Promise<ReplyOutcome> {
    return this.exclusive(() => sendReply({ ctx: ctxFromEnv(this.env), input }));
  }

  /** Disconnect: no more polling, the cursor is forgotten at once. */
  async stop(): Promise<void> {
    await this.exclusive(async () => {
      await this.ctx.storage.deleteAlarm();
      this.ctx.storage.sql.exec("DELETE FROM kv");
    });
  }

  /** Retention (the mailbox subject's purge): everything of this object goes. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.createTables();
  }

  override async alarm(): Promise<void> {
    await this.exclusive(() => this.run());
  }

  private async run(): Promise<void> {
    const mailboxId = this.read<string>("mailbox");
    if (!mailboxId) return;
    const started = Date.now();
    for (let i = 0; i < STEPS_PER_ALARM && Date.now() - started < ALARM_BUDGET_MS; i++) {
      const cursor = this.read<SyncCursor>("cursor");
      const ctx = ctxFromEnv(this.env);
      let r;
      try {
        r = await syncStep({ ctx, input: { mailboxId, cursor } });
      } catch (err) {
        await this.failed(mailboxId, cursor, err);
        return;
      }
      this.write("cursor", r.cursor);
      this.write("attempts", 0);
      this.write("lastError", null);
      if (r.stop) {
        this.write("state", "stopped");
        await this.ctx.storage.deleteAlarm();
        return;
      }
      if (r.done) {
        this.write("state", "idle");
        await this.ctx.storage.setAlarm(Date.now() + (this.read<number>("interval") ?? POLL_INTERVAL_MS));
        return;
      }
    }
    // Out of this alarm's budget: continue right away in the next one.
    await this.ctx.storage.setAlarm(Date.now());
  }

  private async failed(mailboxId: string, cursor: SyncCursor | null, err: unknown) {
    const ctx = ctxFromEnv(this.env);
    if (err instanceof MailboxNeedsReconnect) {
      this.write("state", "stopped");
      this.write("lastError", err.message);
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const attempts = (this.read<number>("attempts") ?? 0) + 1;
    this.write("attempts", attempts);
    const rateLimited = err instanceof ProviderError && err.kind === "rate-limited";
    const wait = rateLimited ? Math.max(1000, err.opts.retryAfterMs ?? 1000) : Math.min(MAX_BACKOFF_MS, 1000 + backoffMs(attempts, 2000, MAX_BACKOFF_MS));
    const until = Date.now() + wait;
    const message = err instanceof ProviderError ? err.message : "The sync failed unexpectedly; it will retry";
    if (!(err instanceof ProviderError)) console.error(JSON.stringify({ level: "error", event: "mailbox-sync-failed", mailboxId, error: err instanceof Error ? err.message : String(err) }));
    this.write("state", rateLimited ? "waiting" : "error");
    this.write("lastError", message);
    await recordSyncError({ ctx, input: { mailboxId, message: rateLimited ? `The mail provider asked to wait (rate limit); resuming at ${new Date(until).toISOString()}` : message, cursor, waitingUntil: rateLimited ? until : null } });
    await this.ctx.storage.setAlarm(until);
  }
}
