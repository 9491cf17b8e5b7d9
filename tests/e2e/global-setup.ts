import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startStack } from "../../scripts/local-stack.mjs";

/** Starts QWEB exactly as `npm start` does, on its own ports and a throwaway local database. */
export default async function setup(project: TestProject) {
  // Failure screenshots describe the last run only.
  const shots = path.join(import.meta.dirname, "screenshots");
  for (const f of existsSync(shots) ? readdirSync(shots) : []) if (f.startsWith("FAILED-")) rmSync(path.join(shots, f), { force: true });
  // While iterating: E2E_BASE_URL=http://127.0.0.1:8787 reuses a running `npm start` (after `npm run build`).
  const reuse = process.env.E2E_BASE_URL;
  if (reuse) {
    const res = await fetch(`${reuse}/api/dev/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    if (!res.ok) throw new Error(`demo seed at ${reuse} failed: ${res.status}`);
    project.provide("baseUrl", reuse);
    project.provide("sandboxUrl", process.env.E2E_SANDBOX_URL ?? "");
    project.provide("demo", await res.json());
    return;
  }
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "qweb-e2e-"));
  const port = Number(process.env.E2E_PORT ?? 8797);
  // APP_URL is the browser's origin: refresh/logout check Origin against it, and OAuth returns to it.
  const stack = await startStack({ port, sandboxPort: port + 1, persistTo, quiet: true, vars: { APP_URL: `http://127.0.0.1:${port}` } });
  project.provide("baseUrl", stack.url);
  project.provide("sandboxUrl", stack.sandboxUrl);
  project.provide("demo", stack.seeded);
  return async () => {
    await stack.close();
    // The app's and sandbox's last log lines (errors only: the stack runs quiet), for a failed run.
    const log = stack.logs();
    const reports = path.join(import.meta.dirname, "..", "..", "dist", "test-reports");
    mkdirSync(reports, { recursive: true });
    writeFileSync(path.join(reports, "e2e-stack.log"), log);
    const errors = log.split("\n").filter((l) => /"level":"error"|Error/.test(l));
    if (errors.length) process.stderr.write(`\nthe app logged ${errors.length} error line(s); the last ones:\n${errors.slice(-15).join("\n")}\n`);
    rmSync(persistTo, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    sandboxUrl: string;
    demo: { password: string; orgId: string; workspaceIds: string[] };
  }
}
