import { and, desc, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../../core/context";
import { exportJobs } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { DAY } from "../../../lib/time";
import type { Manifest } from "./collect";
import { README, fileEntries, type Prepared } from "./build";
import { exportPrefix } from "./keys";
import { toStream, utf8, type ZipEntry } from "./zip";

/** Archives stay downloadable this long; the retention run then removes their parts (export-archives). */
export const ARCHIVE_DAYS = 7;

type JobRow = typeof exportJobs.$inferSelect;

export const jobView = (j: JobRow) => ({
  id: j.id,
  status: j.status,
  rowsTotal: j.rowsTotal,
  rowsDone: j.rowsDone,
  tablesTotal: j.tablesTotal,
  tablesDone: j.tablesDone,
  percent: j.status === "ready" ? 100 : j.rowsTotal ? Math.min(99, Math.floor((j.rowsDone / j.rowsTotal) * 100)) : 0,
  files: j.files,
  bytes: j.bytes,
  error: j.error,
  createdAt: j.createdAt,
  completedAt: j.completedAt,
  expiresAt: j.expiresAt,
  download: j.status === "ready" ? `/api/privacy/exports/${j.id}/download` : null,
});

/** Starts a background export (or returns the one already running). */
export async function startExport({ ctx: { env, db, now }, input: { userId, prepared: p } }: { ctx: Ctx; input: { userId: string; prepared: Prepared } }) {
  const [running] = await db
    .select()
    .from(exportJobs)
    .where(and(eq(exportJobs.userId, userId), inArray(exportJobs.status, ["queued", "running"])))
    .limit(1);
  if (running && running.createdAt > now - DAY) return running;
  const job: JobRow = {
    id: newId(),
    userId,
    status: "queued",
    // The export includes its own job record.
    rowsTotal: p.rowsTotal + 1,
    rowsDone: 0,
    tablesTotal: p.tables.length,
    tablesDone: 0,
    files: p.manifest.files.length,
    bytes: 0,
    error: null,
    createdAt: now,
    completedAt: null,
    expiresAt: now + ARCHIVE_DAYS * DAY,
  };
  await db.insert(exportJobs).values(job);
  await env.PRIVACY_EXPORT.getByName(`export:${userId}`).start(job.id, userId);
  return job;
}

export async function listJobs({ ctx: { db }, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  return db.select().from(exportJobs).where(eq(exportJobs.userId, userId)).orderBy(desc(exportJobs.createdAt)).limit(20);
}

/** One of the user's exports, or NOT_FOUND. */
export async function getJob({ ctx: { db }, input: { userId, jobId } }: { ctx: Ctx; input: { userId: string; jobId: string } }) {
  const [job] = await db.select().from(exportJobs).where(and(eq(exportJobs.id, jobId), eq(exportJobs.userId, userId))).limit(1);
  if (!job) throw notFound("Export");
  return job;
}

async function readManifest(env: Env, job: JobRow): Promise<Manifest> {
  const obj = await env.FILES.get(`${exportPrefix(job.userId, job.id)}manifest.json`);
  if (!obj) throw new ApiError("GONE", "This export has expired. Start a new one.");
  return obj.json<Manifest>();
}

/** The parts of one table in order, as the body of one JSON array. */
async function* tableFromParts(env: Env, job: JobRow, table: string): AsyncIterable<Uint8Array> {
  const prefix = `${exportPrefix(job.userId, job.id)}tables/${table}/`;
  yield utf8("[");
  let first = true;
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix, cursor });
    for (const o of page.objects.sort((a, b) => a.key.localeCompare(b.key))) {
      const part = await env.FILES.get(o.key);
      if (!part) continue;
      if (!first) yield utf8(",");
      first = false;
      const reader = part.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        yield value;
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  yield utf8("]");
}

/** ZIP entries of a finished background export, streamed from its R2 parts. */
export async function jobEntries(env: Env, job: JobRow): Promise<{ manifest: Manifest; entries: AsyncIterable<ZipEntry> }> {
  const manifest = await readManifest(env, job);
  async function* entries(): AsyncIterable<ZipEntry> {
    yield { path: "README.txt", chunks: [utf8(README)] };
    yield { path: "manifest.json", chunks: [utf8(JSON.stringify(manifest, null, 2))] };
    for (const t of manifest.tables) if (t.included) yield { path: `tables/${t.table}.json`, chunks: tableFromParts(env, job, t.table) };
    yield* fileEntries(env, manifest.files);
  }
  return { manifest, entries: entries() };
}

/** A finished background export as one JSON document, streamed from its parts. */
export async function jobJson(env: Env, job: JobRow): Promise<ReadableStream<Uint8Array>> {
  const manifest = await readManifest(env, job);
  async function* body() {
    yield utf8(`{"manifest":${JSON.stringify(manifest)},"tables":{`);
    let first = true;
    for (const t of manifest.tables) {
      if (!t.included) continue;
      yield utf8(`${first ? "" : ","}${JSON.stringify(t.table)}:`);
      first = false;
      yield* tableFromParts(env, job, t.table);
    }
    yield utf8(`},"files":${JSON.stringify(manifest.files)}}`);
  }
  return toStream(body());
}
