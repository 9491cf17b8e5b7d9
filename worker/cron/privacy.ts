import { ctxFromEnv } from "../core/context";
import { dsrDeadlineAlerts } from "../features/privacy";
import { incidentDeadlineAlerts } from "../features/incidents";
import { continueAnnouncements } from "../features/policy";

/** P21: near-due and overdue data-subject requests alert operators and organization owners. */
export const dsrDeadlines = (env: Env, now: number) => dsrDeadlineAlerts({ ctx: ctxFromEnv(env, { now }) });

/** P24: an incident still unnotified 12 hours before its 72-hour deadline alerts the operators. */
export const incidentDeadlines = (env: Env, now: number) => incidentDeadlineAlerts({ ctx: ctxFromEnv(env, { now }) });

/** P25: material policy announcements reach every user, a batch per run. */
export const policyAnnouncements = (env: Env, now: number) => continueAnnouncements({ ctx: ctxFromEnv(env, { now }) });
