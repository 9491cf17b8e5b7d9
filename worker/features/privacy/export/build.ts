import { storeRegistry } from "../../../db/registry";
import { notFound } from "../../../lib/errors";
import { bucketOf } from "../../retention";
import { buildManifest, countRows, exportPlan, listUserFiles, pageRows, schemaVersion, type ExportFile, type ExportTable, type Manifest } from "./collect";
import { r2Chunks, utf8, type ZipEntry } from "./zip";

/** Above these, an export runs as a background job with progress instead of in the request. */
export const SYNC_MAX_ROWS = 5_000;
export const SYNC_MAX_FILE_BYTES = 5 * 1024 * 1024;
export const PAGE_ROWS = 1_000;

export const README = `This archive holds every piece of personal data QWEB keeps about you.

manifest.json      what is in the archive: every table QWEB has, how many of its rows are about
                   you, which columns were left out (password and token hashes), the schema version
tables/<t>.json    the rows of each table about you, as stored (JSON arrays)
files/             the files you gave us (e.g. documents attached to a privacy request)

Questions: privacy@qwebmaster.com
`;

export type Prepared = {
  user: Record<string, unknown>;
  tables: ExportTable[];
  manifest: Manifest;
  rowsTotal: number;
  fileBytes: number;
};

export async function loadUser(d1: D1Database, userId: string) {
  const user = await d1.prepare(`SELECT * FROM "users" WHERE "id" = ?`).bind(userId).first<Record<string, unknown>>();
  if (!user) throw notFound("User");
  return user;
}

/** Counts what an export of this user holds and writes its manifest. */
export async function prepareExport(env: Env, userId: string, now: number): Promise<Prepared> {
  const user = await loadUser(env.DB, userId);
  const plan = exportPlan(userId);
  const [counts, files, version] = await Promise.all([countRows(env.DB, plan.included), listUserFiles(env, user), schemaVersion(env.DB)]);
  const manifest = buildManifest(user, plan.inventory, counts, files, version, now);
  const rowsTotal = [...counts.values()].reduce((a, b) => a + b, 0);
  const fileBytes = files.reduce((a, f) => a + f.size, 0);
  return { user, tables: plan.included, manifest, rowsTotal, fileBytes };
}

export const isSmall = (p: Prepared) => p.rowsTotal <= SYNC_MAX_ROWS && p.fileBytes <= SYNC_MAX_FILE_BYTES;

async function* tableRows(d1: D1Database, t: ExportTable) {
  let after = 0;
  for (;;) {
    const page = await pageRows(d1, t, after, PAGE_ROWS);
    yield page.rows;
    if (page.done) return;
    after = page.last;
  }
}

/** A table as one JSON array, streamed a page at a time. */
async function* tableJson(d1: D1Database, t: ExportTable): AsyncIterable<Uint8Array> {
  yield utf8("[");
  let first = true;
  for await (const rows of tableRows(d1, t)) {
    if (!rows.length) continue;
    yield utf8((first ? "" : ",") + rows.map((r) => JSON.stringify(r)).join(","));
    first = false;
  }
  yield utf8("]");
}

function fileBucket(env: Env) {
  const store = storeRegistry.find((s) => s.store === "r2" && s.export && s.owners.user);
  return store ? bucketOf(env, store) : env.FILES;
}

function* once(bytes: Uint8Array) {
  yield bytes;
}

export function fileEntries(env: Env, files: ExportFile[]): ZipEntry[] {
  return files.map((f) => ({ path: f.path, chunks: r2Chunks(fileBucket(env), f.key) }));
}

/** ZIP entries of an export read straight from D1 and R2 (accounts of ordinary size). */
export function* liveEntries(env: Env, p: Prepared): Iterable<ZipEntry> {
  yield { path: "README.txt", chunks: once(utf8(README)) };
  yield { path: "manifest.json", chunks: once(utf8(JSON.stringify(p.manifest, null, 2))) };
  for (const t of p.tables) yield { path: `tables/${t.table}.json`, chunks: tableJson(env.DB, t) };
  yield* fileEntries(env, p.manifest.files);
}

const toBase64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** The whole export as one JSON document (accounts of ordinary size). */
export async function exportJson(env: Env, p: Prepared) {
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const t of p.tables) {
    tables[t.table] = [];
    for await (const rows of tableRows(env.DB, t)) tables[t.table]!.push(...rows);
  }
  const files = [];
  for (const f of p.manifest.files) {
    const obj = await fileBucket(env).get(f.key);
    if (!obj) continue;
    files.push({ ...f, contentBase64: toBase64(new Uint8Array(await obj.arrayBuffer())) });
  }
  return { manifest: p.manifest, tables, files };
}
