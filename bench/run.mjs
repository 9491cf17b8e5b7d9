// `npm run bench`: starts QWEB like `npm start` (quiet, its own ports, a throwaway database) and runs
// every bench/*.bench.mjs in order. Each module exports `default async function (ctx)` receiving
// { baseUrl, sandboxUrl, seeded } and prints its own figures; a module that throws fails the run.
// `npm run bench -- api` runs only the modules whose file name contains "api".
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root, startStack } from "../scripts/local-stack.mjs";

const filters = process.argv.slice(2);
const modules = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!modules.length) {
  console.error(`no bench/*.bench.mjs matches ${filters.join(", ")}`);
  process.exit(1);
}

const port = Number(process.env.BENCH_PORT ?? 8811);
const persistTo = mkdtempSync(path.join(os.tmpdir(), "qweb-bench-"));
const started = Date.now();
console.log(`starting QWEB on :${port} (sandbox :${port + 1}) for ${modules.length} benchmark(s)…`);
const stack = await startStack({
  port,
  sandboxPort: port + 1,
  persistTo,
  quiet: true,
  // The API benchmarks do not need a fresh web build; build only when there is none to serve.
  build: !existsSync(path.join(root, "dist", "web", "index.html")),
  // bench/inbox.bench.mjs syncs a whole large mailbox: the first-sync cap (300 messages of 90
  // days by default) is lifted for this stack only.
  vars: { INBOX_INITIAL_MAX: process.env.BENCH_INBOX_MESSAGES ?? "50000", INBOX_INITIAL_DAYS: "3650" },
});
console.log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

const ctx = { baseUrl: stack.url, sandboxUrl: stack.sandboxUrl, seeded: stack.seeded };
const failed = [];
try {
  for (const file of modules) {
    const t0 = Date.now();
    console.log(`━━ ${file} ${"━".repeat(Math.max(0, 70 - file.length))}`);
    try {
      const mod = await import(pathToFileURL(path.join(import.meta.dirname, file)).href);
      await mod.default(ctx);
      console.log(`── ${file}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failed.push(file);
      console.error(`── ${file}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${err instanceof Error ? err.message : err}\n`);
    }
  }
} finally {
  await stack.close();
  rmSync(persistTo, { recursive: true, force: true });
}
console.log(`bench: ${modules.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed.length ? 1 : 0);
