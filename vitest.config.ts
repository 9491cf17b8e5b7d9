import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { loopbackCert } from "./sandbox/loopback-cert";

const root = import.meta.dirname;

// workerd trusts the sandbox's loopback certificate (sandbox/loopback-cert.ts, made on first use for
// its STARTTLS SMTP server, tests/inbox/smtp-starttls.test.ts): miniflare reads NODE_EXTRA_CA_CERTS
// once, when it is loaded, so it is set here before the plugin (and miniflare with it) is imported.
// A CA file set already is kept.
const sandboxCa = loopbackCert(root).certPath;
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
if (!extraCa) process.env.NODE_EXTRA_CA_CERTS = sandboxCa;
else if (!readFileSync(extraCa, "utf8").includes(readFileSync(sandboxCa, "utf8").trim())) {
  const both = path.join(os.tmpdir(), `qweb-test-ca-${process.pid}.pem`);
  writeFileSync(both, `${readFileSync(extraCa, "utf8")}\n${readFileSync(sandboxCa, "utf8")}`);
  process.env.NODE_EXTRA_CA_CERTS = both;
}
const { cloudflareTest, readD1Migrations } = await import("@cloudflare/vitest-plugin");

// Test files that inject sandbox faults (or read its request log): a fault matches requests by a
// substring, and some substrings ("act_", "/drafts/send") would also match another file's requests,
// so these files run one at a time: after the rest under `vitest run`, and under `npm test` in a
// second vitest process beside the rest, with its own sandbox (scripts/test.mjs). Every other file
// runs three at a time (the suite is bound by module loading and workerd start-up, not CPU: three overlap well on two cores;
// QWEB_TEST_WORKERS overrides it, scripts/test.mjs sets two beside the one-at-a-time process).
const sandboxExclusive = [
  "tests/ai/faults.test.ts",
  "tests/billing/stripe-errors.test.ts",
  "tests/campaigns/{klaviyo,mailchimp}.test.ts",
  "tests/connectors/{ga4,google-ads,klaviyo,mailchimp,meta-engine,meta,redirects,shopify-faults,woocommerce-faults}.test.ts",
  "tests/email/delivery.test.ts",
  "tests/inbox/{icloud,imap,outlook,reply,sync,sync-pages}.test.ts",
  "tests/integrations/{engine,providers,scheduling}.test.ts",
  "tests/publishing/{carousel,gate,publish,stuck-approval}.test.ts",
];

export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          APP_ENV: "test",
          APP_URL: "http://localhost:8787",
          JWT_SECRET: "test-jwt-secret-that-is-long-enough-0123456789",
          VAULT_KEYS: JSON.stringify({
            current: "k2",
            keys: {
              k1: "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
              k2: "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWY=",
            },
          }),
          SANDBOX_URL: inject<string>("sandboxUrl"),
          // A second sandbox with a state file that tests restart for real (sandbox/supervisor.ts).
          SANDBOX_SUPERVISOR_URL: inject<string>("sandboxSupervisorUrl"),
          // The sandbox's timeout fault holds a request for 35 s: give up on it quickly in tests.
          PROVIDER_TIMEOUT_MS: "2000",
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
          // workerd's process.env holds only bindings: pass the fuzzer's seed controls through
          // (tests/api/fuzz.test.ts: FUZZ_SEED, else a fixed seed when CI is set).
          ...Object.fromEntries(["CI", "FUZZ_SEED"].filter((k) => process.env[k]).map((k) => [k, process.env[k]!])),
        },
      },
    })),
  ],
  test: {
    projects: [
      { extends: true, test: { name: "parallel", include: ["tests/**/*.test.ts"], exclude: ["tests/e2e/**", ...sandboxExclusive], maxWorkers: Number(process.env.QWEB_TEST_WORKERS ?? 3), sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: "sandbox-faults", include: sandboxExclusive, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
    // One workerd runtime per pool worker serves its files in turn: starting a runtime and loading
    // the Worker's modules into it took longer than most files' tests. tests/setup.ts empties D1
    // before each file, so a file still starts from the migrated schema with no rows.
    isolate: false,
    globalSetup: ["./tests/global-setup.ts"],
    setupFiles: ["./tests/setup.ts"],
    testTimeout: 30_000,
    // Vitest's on-disk module cache makes a reused workerd runner ask for every cached module's
    // code in one "warm modules" message (38 MB with the SDKs this Worker bundles); workerd closes
    // a WebSocket on a message that large ("Message is too large") and every test file after the
    // first dies with "Worker exited unexpectedly". Without the cache, modules are fetched one by one.
    fsModuleCache: false,
  },
});
