import { DurableObject } from "cloudflare:workers";
import { declareStore } from "../worker/db/registry";
import { backoffMs, ProviderError } from "../worker/connectors/http";
import type { Cursor, StreamPage } from "../worker/connectors/types";
import type { SyncReason } from "../worker/db/schema";
import { reasonPriority } from "../worker/features/integrations";
import {
  finishRun, markNeedsReconnect, NeedsReconnect, openContext, refreshTokens, saveProgress, startRun, tokenDue, writePage,
  type Progress, type SyncContext,
} from "../worker/features/integrations";

declareStore({
  store: "durable-object",
  name: "WorkspaceSync",
  binding: "WORKSPACE_SYNC",
  owners: { workspace: "{id}" },
  retention: { rule: "owner-lifetime" },
  purpose: "Sync queue, schedules and resumable cursors of a workspace's integrations (no synced data)",
});

/** Budgets of one alarm invocation (subrequests, CPU): the rest continues in the next alarm. */
export const PAGES_PER_ALARM = 40;
export const ALARM_BUDGET_MS = 15_000;
/** Transient failures of one page before the run stops with an error (the cursor is kept). */
export const MAX_TRANSIENT_ATTEMPTS = 5;
/** Rate-limit waits of one page before the run gives up until its next schedule. */
export const MAX_RATE_LIMIT_WAITS = 30;
export const DEFAULT_INTERVAL_MS = 60 * 60_000;
const ERROR_PAUSE_MS = 30_000;

type Run = {
  integration_id: string;
  run_id: string;
  reason: SyncReason;
  stream_index: number;
  attempts: number;
  waits: number;
  refreshed: number;
  not_before: number;
  started_at: number;
  pages: number;
  rows_fetched: number;
  rows_written: number;
  retries: number;
};
const RUN_COLUMNS = [
  "integration_id", "run_id", "reason", "stream_index", "attempts", "waits", "refreshed", "not_before", "started_at", "pages", "rows_fetched",
  "rows_written", "retries",
] as const;
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
const unwrap = <T>(s: Settled<T>): T => {
  if (s.ok) return s.value;
  throw s.error;
};
type CursorRow = { cursor: string | null; watermark: number | null; pending: number | null };

export type EnqueueResult = { state: "queued" | "coalesced" | "running" };
export type SyncStatus = {
  /** The first open run (the one working, or else the one due soonest); null when none is open. */
  running: { integrationId: string; runId: string } | null;
  /** Every open run; `waitingUntil` is set while one waits out a provider's rate limit or a backoff. */
  runs: { integrationId: string; runId: string; waitingUntil: number | null }[];
  queued: { integrationId: string; reason: string }[];
};

/**
 * One object per workspace (named by its id). It schedules every sync of the workspace: syncs of
 * one integration never overlap, and one sync works at a time; the others wait in a queue in the
 * object's SQLite (manual first, duplicates coalesced). A run waiting on a provider (a rate
 * limit's Retry-After, a backoff, a bulk export being prepared) keeps its cursor and its due time
 * and yields: the next queued integration starts meanwhile, and the alarm wakes at the earliest
 * due time. Hourly schedules per integration live here too; each stream's cursor and watermark
 * are persisted after every written page, so an interrupted sync resumes exactly where it stopped.
 */
export class WorkspaceSync extends DurableObject<Env> {
  private busy = false;
  /** The page being fetched ahead while the current one is written (dropped at the end of an alarm). */
  private ahead: { key: string; page: Promise<Settled<StreamPage>> } | null = null;
  private pausedUntil = 0;
  private contexts = new Map<string, SyncContext>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.createTables());
  }

  /** The object's tables (also after `erase`, whose deleteAll drops them while this instance lives on). */
  private createTables() {
    const sql = this.ctx.storage.sql;
    sql.exec(
      "CREATE TABLE IF NOT EXISTS queue (integration_id TEXT PRIMARY KEY, reason TEXT NOT NULL, priority INTEGER NOT NULL, enqueued_at INTEGER NOT NULL, full INTEGER NOT NULL DEFAULT 0)",
    );
    sql.exec("CREATE TABLE IF NOT EXISTS schedule (integration_id TEXT PRIMARY KEY, interval_ms INTEGER NOT NULL, next_at INTEGER NOT NULL)");
    sql.exec(
      "CREATE TABLE IF NOT EXISTS cursors (integration_id TEXT NOT NULL, stream TEXT NOT NULL, cursor TEXT, watermark INTEGER, pending INTEGER, PRIMARY KEY (integration_id, stream))",
    );
    const cols = `integration_id TEXT PRIMARY KEY, run_id TEXT NOT NULL,
        reason TEXT NOT NULL, stream_index INTEGER NOT NULL, attempts INTEGER NOT NULL, waits INTEGER NOT NULL, refreshed INTEGER NOT NULL,
        not_before INTEGER NOT NULL, started_at INTEGER NOT NULL, pages INTEGER NOT NULL, rows_fetched INTEGER NOT NULL,
        rows_written INTEGER NOT NULL, retries INTEGER NOT NULL`;
    sql.exec(`CREATE TABLE IF NOT EXISTS runs (${cols})`);
    // Objects from before per-integration runs kept their one run in `current`.
    if (sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'current'").toArray().length) {
      sql.exec(`INSERT OR IGNORE INTO runs SELECT ${RUN_COLUMNS.join(", ")} FROM current`);
      sql.exec("DROP TABLE current");
    }
  }

  // ---------------------------------------------------------------- RPC

  /**
   * Queues a sync; a duplicate of a queued or running one is coalesced, a manual one jumps ahead.
   * `full` re-reads everything from scratch (cursors and watermarks are dropped when it starts).
   */
  async enqueue(integrationId: string, reason: SyncReason, intervalMs = DEFAULT_INTERVAL_MS, opts: { full?: boolean; now?: number } = {}): Promise<EnqueueResult> {
    const now = opts.now ?? Date.now();
    const full = opts.full ? 1 : 0;
    const sql = this.ctx.storage.sql;
    sql.exec(
      "INSERT INTO schedule (integration_id, interval_ms, next_at) VALUES (?, ?, ?) ON CONFLICT (integration_id) DO UPDATE SET interval_ms = excluded.interval_ms",
      integrationId, intervalMs, now + intervalMs,
    );
    if (this.runOf(integrationId)) return { state: "running" };
    const existing = sql.exec<{ priority: number }>("SELECT priority FROM queue WHERE integration_id = ?", integrationId).toArray()[0];
    const priority = reasonPriority[reason];
    if (existing) {
      if (priority > existing.priority) sql.exec("UPDATE queue SET priority = ?, reason = ? WHERE integration_id = ?", priority, reason, integrationId);
      if (full) sql.exec("UPDATE queue SET full = 1 WHERE integration_id = ?", integrationId);
      return { state: "coalesced" };
    }
    sql.exec("INSERT INTO queue (integration_id, reason, priority, enqueued_at, full) VALUES (?, ?, ?, ?, ?)", integrationId, reason, priority, now, full);
    await this.reschedule(now);
    return { state: "queued" };
  }

  /** Stops and forgets an integration (disconnect): its queue entry, schedule, cursors and any running sync. */
  async forget(integrationId: string): Promise<void> {
    const cur = this.runOf(integrationId);
    this.dropIntegration(integrationId);
    if (cur) {
      await this.env.DB.prepare("UPDATE sync_runs SET status = 'cancelled', detail = NULL, error = 'Disconnected', finished_at = ?1, duration_ms = ?1 - started_at WHERE id = ?2 AND status = 'running'")
        .bind(Date.now(), cur.run_id)
        .run();
    }
    this.contexts.delete(integrationId);
    await this.reschedule(Date.now());
  }

  async status(): Promise<SyncStatus> {
    const now = Date.now();
    const open = this.ctx.storage.sql.exec<Run>("SELECT * FROM runs ORDER BY not_before, started_at").toArray();
    const queued = this.ctx.storage.sql
      .exec<{ integration_id: string; reason: string }>("SELECT integration_id, reason FROM queue ORDER BY priority DESC, enqueued_at ASC")
      .toArray();
    return {
      running: open[0] ? { integrationId: open[0].integration_id, runId: open[0].run_id } : null,
      runs: open.map((r) => ({ integrationId: r.integration_id, runId: r.run_id, waitingUntil: r.not_before > now ? r.not_before : null })),
      queued: queued.map((q) => ({ integrationId: q.integration_id, reason: q.reason })),
    };
  }

  /** The stored cursors of an integration (tests and diagnostics). */
  async cursors(integrationId: string) {
    return this.ctx.storage.sql
      .exec<{ stream: string; cursor: string | null; watermark: number | null }>("SELECT stream, cursor, watermark FROM cursors WHERE integration_id = ?", integrationId)
      .toArray()
      .map((r) => ({ stream: r.stream, cursor: r.cursor ? (JSON.parse(r.cursor) as Cursor) : null, watermark: r.watermark }));
  }

  /** Privacy: the workspace is gone; nothing of it stays here. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.createTables();
    this.contexts.clear();
  }

  // ---------------------------------------------------------------- alarm: the work loop

  override async alarm(): Promise<void> {
    // One invocation at a time, even if a test or the runtime fires the alarm while one runs.
    if (this.busy) return;
    this.busy = true;
    const started = Date.now();
    try {
      this.promoteDue(started);
      let pages = 0;
      while (pages < PAGES_PER_ALARM && Date.now() - started < ALARM_BUDGET_MS) {
        // A due run goes first; only when every open run waits does the next queued one start.
        const cur = this.dueRun(Date.now()) ?? (await this.startNext(Date.now()));
        if (!cur) break;
        if ((await this.step(cur)) === "page") pages++;
      }
    } catch (err) {
      // Our own trouble outside a page (D1 unavailable…): try again later, not in a hot loop.
      this.pausedUntil = Date.now() + ERROR_PAUSE_MS;
      console.error(JSON.stringify({ level: "error", event: "sync-alarm-failed", error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
    } finally {
      this.busy = false;
      this.contexts.clear();
      this.ahead = null;
      await this.reschedule(Date.now());
    }
  }

  private dropIntegration(integrationId: string) {
    for (const table of ["queue", "schedule", "cursors"]) this.ctx.storage.sql.exec(`DELETE FROM ${table} WHERE integration_id = ?`, integrationId);
  }

  private runOf(integrationId: string): Run | null {
    return this.ctx.storage.sql.exec<Run>("SELECT * FROM runs WHERE integration_id = ?", integrationId).toArray()[0] ?? null;
  }

  /** The open run due soonest, when it is due (ties: the oldest run). */
  private dueRun(now: number): Run | null {
    return this.ctx.storage.sql.exec<Run>("SELECT * FROM runs WHERE not_before <= ? ORDER BY not_before, started_at LIMIT 1", now).toArray()[0] ?? null;
  }

  private setRun(c: Run) {
    this.ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO runs (${RUN_COLUMNS.join(", ")}) VALUES (${RUN_COLUMNS.map(() => "?").join(", ")})`,
      ...RUN_COLUMNS.map((k) => c[k]),
    );
  }

  private isCurrent(cur: Run) {
    return this.runOf(cur.integration_id)?.run_id === cur.run_id;
  }

  private promoteDue(now: number) {
    const sql = this.ctx.storage.sql;
    const due = sql.exec<{ integration_id: string; interval_ms: number }>("SELECT integration_id, interval_ms FROM schedule WHERE next_at <= ?", now).toArray();
    for (const d of due) {
      sql.exec("UPDATE schedule SET next_at = ? WHERE integration_id = ?", now + d.interval_ms, d.integration_id);
      if (this.runOf(d.integration_id)) continue;
      sql.exec(
        "INSERT INTO queue (integration_id, reason, priority, enqueued_at) VALUES (?, 'scheduled', ?, ?) ON CONFLICT (integration_id) DO NOTHING",
        d.integration_id, reasonPriority.scheduled, now,
      );
    }
  }

  private async startNext(now: number): Promise<Run | null> {
    const sql = this.ctx.storage.sql;
    for (;;) {
      const next = sql
        .exec<{ integration_id: string; reason: SyncReason; full: number }>(
          "SELECT integration_id, reason, full FROM queue WHERE integration_id NOT IN (SELECT integration_id FROM runs) ORDER BY priority DESC, enqueued_at ASC LIMIT 1",
        )
        .toArray()[0];
      if (!next) return null;
      const ctx = await openContext(this.env, next.integration_id);
      if (!ctx) {
        // Disconnected meanwhile: nothing of it stays scheduled.
        this.dropIntegration(next.integration_id);
        continue;
      }
      if (ctx.integration.status === "needs_reconnect") {
        sql.exec("DELETE FROM queue WHERE integration_id = ?", next.integration_id);
        continue;
      }
      const runId = await startRun(ctx, next.reason, now);
      // The queue entry leaves only as the run becomes current, so a status read in between
      // never sees the workspace idle. A disconnect during the awaits removed it: cancel.
      const stillQueued = sql.exec("DELETE FROM queue WHERE integration_id = ? RETURNING 1", next.integration_id).toArray().length > 0;
      if (!stillQueued) {
        await finishRun(ctx, runId, now, { status: "cancelled", error: "Disconnected" }, this.progressOf({ stream_index: 0, pages: 0, rows_fetched: 0, rows_written: 0, retries: 0 }, null));
        continue;
      }
      if (next.full) sql.exec("DELETE FROM cursors WHERE integration_id = ?", next.integration_id);
      this.contexts.set(ctx.integration.id, ctx);
      const cur: Run = {
        integration_id: next.integration_id, run_id: runId, reason: next.reason, stream_index: 0, attempts: 0, waits: 0, refreshed: 0,
        not_before: 0, started_at: now, pages: 0, rows_fetched: 0, rows_written: 0, retries: 0,
      };
      this.setRun(cur);
      return cur;
    }
  }

  private async context(cur: Run): Promise<SyncContext | null> {
    const hit = this.contexts.get(cur.integration_id);
    if (hit) return hit;
    const ctx = await openContext(this.env, cur.integration_id);
    if (ctx) this.contexts.set(cur.integration_id, ctx);
    return ctx;
  }

  private progressOf(cur: Pick<Run, "stream_index" | "pages" | "rows_fetched" | "rows_written" | "retries">, stream: string | null): Progress {
    return {
      stream, streamsDone: cur.stream_index, pages: cur.pages, rowsFetched: cur.rows_fetched, rowsWritten: cur.rows_written,
      retries: cur.retries, detail: null,
    };
  }

  private cursorOf(integrationId: string, stream: string): CursorRow {
    return (
      this.ctx.storage.sql
        .exec<CursorRow>("SELECT cursor, watermark, pending FROM cursors WHERE integration_id = ? AND stream = ?", integrationId, stream)
        .toArray()[0] ?? { cursor: null, watermark: null, pending: null }
    );
  }

  private saveCursor(integrationId: string, stream: string, c: CursorRow) {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO cursors (integration_id, stream, cursor, watermark, pending) VALUES (?, ?, ?, ?, ?)",
      integrationId, stream, c.cursor, c.watermark, c.pending,
    );
  }

  /** One page of the current run: "page" when one was written, "next" for bookkeeping, "wait" to stop this invocation. */
  private async step(cur: Run): Promise<"page" | "next" | "wait"> {
    const ctx = await this.context(cur);
    if (!ctx) {
      this.ctx.storage.sql.exec("DELETE FROM runs WHERE integration_id = ?", cur.integration_id);
      return "next";
    }
    const stream = ctx.connector.streams[cur.stream_index];
    const progress = this.progressOf(cur, stream?.name ?? null);
    if (!stream) return this.end(cur, ctx, progress, { status: "succeeded" });
    const pos = this.cursorOf(cur.integration_id, stream.name);
    try {
      if (ctx.unreadable) throw new NeedsReconnect(ctx.unreadable);
      if (ctx.connector.auth.kind === "oauth2" && tokenDue(ctx, Date.now())) await refreshTokens(ctx);
      const key = `${cur.run_id}|${cur.stream_index}|${pos.cursor}`;
      const ahead = this.ahead?.key === key ? this.ahead.page : null;
      this.ahead = null;
      const fetchPage = (cursor: Cursor | null) => stream.page(ctx.rt, { secrets: ctx.secrets, account: ctx.account, cursor, since: pos.watermark });
      const page = ahead ? await ahead.then(unwrap) : await fetchPage(pos.cursor ? (JSON.parse(pos.cursor) as Cursor) : null);
      // Disconnected (or restarted) while the request was in flight: drop the page.
      if (!this.isCurrent(cur)) return "next";
      // The provider is preparing the data (a bulk export): keep the cursor, come back later, and
      // let the workspace's other syncs work meanwhile.
      if (page.waitMs !== undefined && page.next) {
        this.saveCursor(cur.integration_id, stream.name, { cursor: JSON.stringify(page.next), watermark: pos.watermark, pending: pos.pending });
        Object.assign(cur, { attempts: 0, waits: 0, refreshed: 0, not_before: Date.now() + page.waitMs });
        this.setRun(cur);
        await saveProgress(ctx, cur.run_id, { ...progress, retries: cur.retries, detail: page.detail ?? "Waiting for the provider" });
        return "wait";
      }
      // The next page is fetched while this one is written (its result is used only if the
      // cursor it was asked with is the one stored after this write).
      if (page.next) {
        const next = JSON.stringify(page.next);
        this.ahead = { key: `${cur.run_id}|${cur.stream_index}|${next}`, page: settle(fetchPage(page.next)) };
      }
      await writePage(ctx, cur.run_id, page, progress);
      const reached = page.watermark ?? null;
      const pending = reached === null ? pos.pending : Math.max(reached, pos.pending ?? reached);
      if (page.next) {
        this.saveCursor(cur.integration_id, stream.name, { cursor: JSON.stringify(page.next), watermark: pos.watermark, pending });
      } else {
        this.saveCursor(cur.integration_id, stream.name, { cursor: null, watermark: pending ?? pos.watermark, pending: null });
        cur.stream_index++;
      }
      // not_before = now: when two runs are due, they take turns page by page.
      Object.assign(cur, { attempts: 0, waits: 0, refreshed: 0, not_before: Date.now(), pages: progress.pages, rows_fetched: progress.rowsFetched, rows_written: progress.rowsWritten });
      this.setRun(cur);
      if (cur.stream_index >= ctx.connector.streams.length) {
        await this.end(cur, ctx, { ...progress, streamsDone: cur.stream_index }, { status: "succeeded" });
      }
      return "page";
    } catch (err) {
      return this.failed(cur, ctx, progress, err);
    }
  }

  private async failed(cur: Run, ctx: SyncContext, progress: Progress, err: unknown): Promise<"next" | "wait"> {
    const now = Date.now();
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof NeedsReconnect) {
      await markNeedsReconnect(ctx, message);
      return this.end(cur, ctx, progress, { status: "failed", error: message });
    }
    if (err instanceof ProviderError && err.kind === "unauthorized") {
      if (!cur.refreshed && ctx.connector.auth.kind === "oauth2" && ctx.connector.auth.flow.refresh) {
        cur.refreshed = 1;
        this.setRun(cur);
        try {
          await refreshTokens(ctx);
          return "next";
        } catch (refreshErr) {
          return this.failed(cur, ctx, progress, refreshErr);
        }
      }
      const reason = `${ctx.connector.name} rejected the stored credentials; reconnect the account.`;
      await markNeedsReconnect(ctx, reason);
      return this.end(cur, ctx, progress, { status: "failed", error: reason });
    }
    if (err instanceof ProviderError && err.kind === "permanent") {
      return this.end(cur, ctx, progress, { status: "failed", error: message, integrationStatus: "error" });
    }
    // Rate limits wait exactly as long as the provider asks (full jitter when it does not say);
    // transient faults (5xx, timeouts, malformed bodies, our own hiccups) back off and retry.
    const rateLimited = err instanceof ProviderError && err.kind === "rate-limited";
    const hinted = err instanceof ProviderError ? err.opts.retryAfterMs : undefined;
    if (rateLimited) cur.waits++;
    else cur.attempts++;
    cur.retries++;
    if (cur.attempts >= MAX_TRANSIENT_ATTEMPTS || cur.waits > MAX_RATE_LIMIT_WAITS) {
      const error = `${message} (gave up after ${cur.retries} retries; the next sync resumes from here)`;
      return this.end(cur, ctx, progress, { status: "failed", error, integrationStatus: "error" });
    }
    const delay = rateLimited ? (hinted ?? backoffMs(cur.waits)) : Math.max(hinted ?? 0, backoffMs(cur.attempts));
    cur.not_before = now + delay;
    this.setRun(cur);
    await saveProgress(ctx, cur.run_id, {
      ...progress,
      retries: cur.retries,
      detail: `${rateLimited ? "Rate limited" : "Retrying after an error"}; resuming in ${Math.max(1, Math.round(delay / 1000))} s`,
    });
    return "wait";
  }

  private async end(
    cur: Run,
    ctx: SyncContext,
    progress: Progress,
    outcome: { status: "succeeded" | "failed"; error?: string; integrationStatus?: "error" },
  ): Promise<"next"> {
    await finishRun(ctx, cur.run_id, cur.started_at, outcome, { ...progress, retries: cur.retries });
    this.ctx.storage.sql.exec("DELETE FROM runs WHERE integration_id = ?", cur.integration_id);
    this.ctx.storage.sql.exec("UPDATE schedule SET next_at = interval_ms + ? WHERE integration_id = ?", Date.now(), cur.integration_id);
    this.contexts.delete(cur.integration_id);
    return "next";
  }

  private async reschedule(now: number) {
    // The earliest of: a queued sync that can start, the soonest due run, the next schedule.
    const sql = this.ctx.storage.sql;
    const startable = sql.exec("SELECT 1 FROM queue WHERE integration_id NOT IN (SELECT integration_id FROM runs) LIMIT 1").toArray().length > 0;
    const candidates = [
      startable ? now : null,
      sql.exec<{ at: number | null }>("SELECT min(not_before) AS at FROM runs").one().at,
      sql.exec<{ at: number | null }>("SELECT min(next_at) AS at FROM schedule").one().at,
    ].filter((x): x is number => x !== null);
    const at = candidates.length ? Math.max(now, Math.min(...candidates)) : null;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(at, this.pausedUntil));
  }
}
