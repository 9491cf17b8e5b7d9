import { DurableObject } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { createDb } from "../worker/db/client";
import { exportJobs } from "../worker/db/schema";
import type { ErasableObject } from "../worker/features/retention";
import {
  buildManifest, exportPlan, exportPrefix, listUserFiles, loadUser, pageRows, partKey, PAGE_ROWS, schemaVersion,
  type LastExport, type Manifest,
} from "../worker/features/privacy";

type JobState = {
  jobId: string;
  userId: string;
  tableIndex: number;
  after: number;
  part: number;
  rowsDone: number;
  bytes: number;
  counts: Record<string, number>;
};

// One alarm invocation does at most this much, then hands over to the next alarm.
const STEP_PAGES = 50;
const STEP_MS = 10_000;

/**
 * One per user (`export:<userId>`): builds a large export in the background, a page of rows at a
 * time into R2 parts, reporting progress into `export_jobs`; the download then streams the parts
 * as one ZIP. Keeps the summary of the user's last export; `erase()` wipes it all.
 */
export class PrivacyExport extends DurableObject<Env> implements ErasableObject {
  private erased = false;

  async start(jobId: string, userId: string): Promise<void> {
    this.erased = false;
    const state: JobState = { jobId, userId, tableIndex: 0, after: 0, part: 0, rowsDone: 0, bytes: 0, counts: {} };
    await this.ctx.storage.put("job", state);
    await this.ctx.storage.setAlarm(Date.now());
  }

  async last(): Promise<LastExport | null> {
    return (await this.ctx.storage.get<LastExport>("last")) ?? null;
  }

  async erase(): Promise<void> {
    this.erased = true;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    const job = await this.ctx.storage.get<JobState>("job");
    if (!job) return;
    try {
      const done = await this.step(job);
      if (this.erased) return;
      if (done) await this.finish(job);
      else {
        await this.ctx.storage.put("job", job);
        await this.ctx.storage.setAlarm(Date.now());
      }
    } catch (err) {
      await this.jobs(job.jobId, { status: "failed", error: String(err).slice(0, 300) });
      await this.ctx.storage.delete("job");
    }
  }

  private jobs(jobId: string, set: SQLiteUpdateSetSource<typeof exportJobs>) {
    return createDb(this.env.DB).update(exportJobs).set(set).where(eq(exportJobs.id, jobId));
  }

  /** Exports pages until the step's budget is spent; true when every table is done. */
  private async step(job: JobState): Promise<boolean> {
    const tables = exportPlan(job.userId).included;
    const until = Date.now() + STEP_MS;
    for (let pages = 0; pages < STEP_PAGES && Date.now() < until; pages++) {
      const t = tables[job.tableIndex];
      if (!t) return true;
      const page = await pageRows(this.env.DB, t, job.after, PAGE_ROWS);
      if (this.erased) return false;
      if (page.rows.length) {
        const body = page.rows.map((r) => JSON.stringify(r)).join(",");
        await this.env.FILES.put(partKey(job.userId, job.jobId, t.table, job.part), body, { httpMetadata: { contentType: "application/json" } });
        job.part += 1;
        job.rowsDone += page.rows.length;
        job.counts[t.table] = (job.counts[t.table] ?? 0) + page.rows.length;
        job.bytes += body.length;
      }
      if (page.done) {
        job.tableIndex += 1;
        job.after = 0;
        job.part = 0;
      } else job.after = page.last;
      await this.jobs(job.jobId, { status: "running", rowsDone: job.rowsDone, tablesDone: job.tableIndex, bytes: job.bytes });
    }
    return job.tableIndex >= tables.length;
  }

  private async finish(job: JobState) {
    const now = Date.now();
    const user = await loadUser(this.env.DB, job.userId);
    const [files, version] = await Promise.all([listUserFiles(this.env, user), schemaVersion(this.env.DB)]);
    // The manifest counts exactly the rows written into the parts.
    const manifest = buildManifest(user, exportPlan(job.userId).inventory, new Map(Object.entries(job.counts)), files, version, now);
    await this.env.FILES.put(`${exportPrefix(job.userId, job.jobId)}manifest.json`, JSON.stringify(manifest satisfies Manifest), {
      httpMetadata: { contentType: "application/json" },
    });
    const fileBytes = manifest.files.reduce((a, f) => a + f.size, 0);
    await this.jobs(job.jobId, {
      status: "ready", rowsDone: job.rowsDone, tablesDone: exportJobs.tablesTotal, files: manifest.files.length, bytes: job.bytes + fileBytes, completedAt: now,
    });
    const last: LastExport = {
      jobId: job.jobId, completedAt: now, rows: job.rowsDone, tables: manifest.tables.filter((t) => t.count > 0).length,
      files: manifest.files.length, bytes: job.bytes + fileBytes,
    };
    await this.ctx.storage.put("last", last);
    await this.ctx.storage.delete("job");
  }
}
