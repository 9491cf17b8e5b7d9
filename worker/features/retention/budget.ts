/**
 * What one invocation may spend. D1 allows 1,000 queries per Worker invocation (Paid) and a cron
 * that runs more often than hourly gets 30 s of CPU: a run stops when either budget is spent and
 * the next run resumes where it stopped (every rule re-selects what is still due).
 */
export const STATEMENTS_PER_RUN = 800;
export const RUN_WALL_MS = 60_000;

// Deletes are bounded batches. D1 is single-threaded per database: aim for short statements so
// requests are never stuck behind a purge; grow the batch while statements stay fast.
const MIN_BATCH = 250;
const MAX_BATCH = 8000;
const FIRST_BATCH = 1000;
const FAST_MS = 40;
const SLOW_MS = 150;

export class Budget {
  statements = 0;
  maxBatchMs = 0;
  private readonly batches = new Map<string, number>();
  private readonly until: number;

  constructor(
    readonly maxStatements = STATEMENTS_PER_RUN,
    wallMs = RUN_WALL_MS,
  ) {
    this.until = Date.now() + wallMs;
  }

  get exhausted(): boolean {
    return this.statements >= this.maxStatements || Date.now() >= this.until;
  }

  batchFor(key: string): number {
    return this.batches.get(key) ?? FIRST_BATCH;
  }

  /** Runs one statement against the budget; adapts the table's batch size to how long it took. */
  async run<T>(key: string, statement: () => Promise<T>, rowsTouched?: (r: T) => number): Promise<T> {
    this.statements++;
    const started = Date.now();
    const result = await statement();
    const ms = Date.now() - started;
    this.maxBatchMs = Math.max(this.maxBatchMs, ms);
    if (rowsTouched) {
      const batch = this.batchFor(key);
      const full = rowsTouched(result) >= batch;
      if (full && ms < FAST_MS) this.batches.set(key, Math.min(MAX_BATCH, batch * 2));
      else if (ms > SLOW_MS) this.batches.set(key, Math.max(MIN_BATCH, Math.floor(batch / 2)));
    }
    return result;
  }
}
