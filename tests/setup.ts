import { applyD1Migrations, env } from "cloudflare:test";

// Every test file starts from the migrated schema with no rows. One workerd runtime serves many
// files in turn (vitest.config.ts: `isolate: false`; starting a runtime and loading the Worker's
// modules cost more than most files' tests), so the rows the previous file left are deleted here:
// a file's whole-database snapshots, counts and cron runs see only what it wrote itself.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const { results } = await env.DB.prepare(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
).all<{ name: string }>();
// Foreign keys are checked when the batch's transaction commits, when every table is empty.
await env.DB.batch([
  env.DB.prepare("PRAGMA defer_foreign_keys = on"),
  ...results.map(({ name }) => env.DB.prepare(`DELETE FROM "${name}"`)),
]);
