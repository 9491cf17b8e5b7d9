import { dailyRetention, retentionBacklog } from "./retention";
import { dsrDeadlines, incidentDeadlines, policyAnnouncements } from "./privacy";
import { evaluateAlerts } from "../features/alerts";
import { dueReports } from "../features/reports";
import { agentSchedules } from "./ai";
import { slaCron, snoozeCron } from "../features/inbox";
import { invoiceReminders } from "../features/finance";
import { taskReminders } from "../features/tasks";

/**
 * The scheduled() dispatcher. Every job takes `now` from the trigger's scheduled time so tests
 * can drive time explicitly.
 */
export type CronJob = (env: Env, now: number) => Promise<unknown>;

export { DAILY, FREQUENT } from "../lib/schedule";
import { DAILY, FREQUENT } from "../lib/schedule";

/** Each cron expression's jobs, in order. Features add theirs here. */
const jobs: Record<string, CronJob[]> = {
  [DAILY]: [dailyRetention, invoiceReminders],
  [FREQUENT]: [retentionBacklog, dsrDeadlines, incidentDeadlines, policyAnnouncements, evaluateAlerts, dueReports, agentSchedules, snoozeCron, slaCron, taskReminders],
};

export async function handleScheduled(controller: ScheduledController, env: Env) {
  const now = controller.scheduledTime;
  for (const job of jobs[controller.cron] ?? []) {
    try {
      await job(env, now);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", event: "cron-job-failed", cron: controller.cron, error: String(err) }));
    }
  }
}
