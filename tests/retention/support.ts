import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";
import { DAY } from "../../worker/lib/time";

export { DAILY as DAILY_CRON, FREQUENT as FREQUENT_CRON } from "../../worker/lib/schedule";
import { DAILY as DAILY_CRON } from "../../worker/lib/schedule";

/** Drives the Worker's real scheduled() handler with an explicit trigger time. */
export async function runCron(cron: string, scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime }), env);
  await waitOnExecutionContext(ctx);
}

export const daily = (time: number) => runCron(DAILY_CRON, time);

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Every registered table's rows that still mention `value` in any column. */
export async function tablesMentioning(value: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'`,
  ).all<{ name: string }>();
  const hits: string[] = [];
  for (const { name } of results) {
    const cols = (await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>()).results.map((c) => c.name);
    const where = cols.map((c) => `CAST("${c}" AS TEXT) LIKE ?`).join(" OR ");
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}" WHERE ${where}`).bind(...cols.map(() => `%${value}%`)).first<{ n: number }>();
    if (n && n.n > 0) hits.push(`${name} (${n.n})`);
  }
  return hits;
}

export { DAY };
