// `npm test`: type-check, config/type drift, unit + integration tests in workerd, browser tests
// in Chromium. Prints one closing line: "N passed, N failed".
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, readFileSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ensureChromium } from "./chromium.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);
const reports = path.join(root, "dist", "test-reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  console.log(`  ${r.status === 0 ? "ok" : "FAILED"}: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return r.status === 0;
}

/**
 * The unit and integration tests: vitest.config.ts's two projects as two vitest processes at once.
 * The files that inject sandbox faults run one at a time because a fault would also match another
 * file's requests to the same sandbox; each process starts its own sandbox (tests/global-setup.ts),
 * so the one-at-a-time files no longer wait for the parallel ones (one run took 221 s + 202 s in turn).
 * The parallel project then runs two files at a time instead of three: three workerd runtimes in
 * all, as before, on two cores (with four, provider calls under a 2 s test timeout began to time out).
 * The parallel project prints as it goes; the other's output is kept and printed when it ends.
 */
async function unitTests() {
  const name = "unit and integration tests (vitest in workerd)";
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const run = (project, report, out, env = {}) =>
    new Promise((resolve) => {
      const child = spawn(node, [vitest, "run", "--config", "vitest.config.ts", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/${report}`], {
        cwd: root, stdio: ["ignore", out ?? "inherit", out ?? "inherit"], env: { ...process.env, ...env },
      });
      child.on("close", (code) => resolve(code === 0));
    });
  // Both processes trust the sandbox's loopback certificate: made here once, so that they do not
  // each make one and the second replace the first's under it.
  const { loopbackCert } = await import("../sandbox/loopback-cert.ts");
  loopbackCert(root);
  const faultsLog = path.join(reports, "unit-sandbox-faults.log");
  const log = createWriteStream(faultsLog);
  await new Promise((r) => log.on("open", r));
  const [parallel, faults] = await Promise.all([run("parallel", "unit.json", undefined, { QWEB_TEST_WORKERS: "2" }), run("sandbox-faults", "unit-sandbox-faults.json", log)]);
  log.end();
  console.log(`\n── the one-at-a-time files (project sandbox-faults, ${path.relative(root, faultsLog)}):`);
  process.stdout.write(readFileSync(faultsLog, "utf8"));
  console.log(`  ${parallel && faults ? "ok" : "FAILED"}: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return parallel && faults;
}

const node = process.execPath;
const tsc = bin("typescript", "bin/tsc");
const vitest = bin("vitest", "vitest.mjs");
const wrangler = bin("wrangler", "bin/wrangler.js");
const only = process.argv[2];
const results = [];

if (!only || only === "static") {
  results.push(step("type-check: worker, durable objects, tests", node, [tsc, "--noEmit", "-p", "tsconfig.json"]));
  results.push(step("type-check: web", node, [tsc, "--noEmit", "-p", "web/tsconfig.json"]));
  results.push(step("type-check: sandbox, browser tests, bench, scripts", node, [tsc, "--noEmit", "-p", "tsconfig.node.json"]));
  results.push(
    step("wrangler types: no drift between wrangler.toml and Env", node, [
      wrangler, "types", "worker/worker-configuration.d.ts", "--include-runtime", "false", "--strict-vars", "false",
      "--env-file", ".dev.vars.example", "--check",
    ]),
  );
  const depcruise = bin("dependency-cruiser", "bin/dependency-cruiser.mjs");
  results.push(
    step("import rules (dependency-cruiser)", node, [depcruise, "worker", "durable-objects", "web/src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"]),
  );
  results.push(
    step("no cycles between folders (dependency-cruiser)", node, [depcruise, "worker", "durable-objects", "--config", ".dependency-cruiser-folders.cjs", "--output-type", "err"]),
  );
  results.push(step("api types: web/src/lib/api-types.gen.ts matches the API document", node, [path.join(root, "scripts", "api-types.mjs"), "--check"]));
}
if (!only || only === "unit") {
  // Bundles that `wrangler dev` (npm start, e2e, bench) leaves in .wrangler/tmp make the workerd
  // test pool crash with "Message is too large" once the Worker grew past ~1 MB: start without them.
  rmSync(path.join(root, ".wrangler", "tmp"), { recursive: true, force: true });
  results.push(await unitTests());
}
if (!only || only === "e2e") {
  const chromium = ensureChromium();
  results.push(
    step("browser tests (Playwright in Chromium)", node, [
      vitest, "run", "--config", "tests/e2e/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/e2e.json`,
    ], { CHROMIUM_PATH: chromium }),
  );
}

let passed = 0;
let failed = 0;
for (const f of ["unit.json", "unit-sandbox-faults.json", "e2e.json"]) {
  try {
    const r = JSON.parse(readFileSync(path.join(reports, f), "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  } catch {}
}
const stepFailures = results.filter((ok) => !ok).length;
if (failed === 0 && stepFailures) failed = stepFailures;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(results.every(Boolean) ? 0 : 1);
