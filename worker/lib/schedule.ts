import { Cron } from "croner";

/**
 * Every cron expression, declared once: wrangler.toml's [triggers] crons must equal CRONS (a test
 * checks), and the scheduled() dispatcher, the jobs and the tests use these names.
 */
export const DAILY = "0 3 * * *";
export const FREQUENT = "*/15 * * * *";
export const CRONS = [DAILY, FREQUENT] as const;

/** When an expression next fires after `after` (ms, UTC), parsed by croner rather than by hand. */
export const nextRunAfter = (cron: string, after: number): number => new Cron(cron, { timezone: "UTC", paused: true }).nextRun(new Date(after))!.getTime();

/** The daily run's hour (UTC), read from the expression itself. */
export const DAILY_RUN_HOUR = new Date(nextRunAfter(DAILY, 0)).getUTCHours();
