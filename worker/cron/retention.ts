import { ctxFromEnv } from "../core/context";
import { DAILY, FREQUENT } from "../lib/schedule";
import { hasBacklog, runRetention } from "../features/retention";
import { closeErasureRequests } from "../features/privacy";

/** The daily run of every registry rule (P13–P18), with `now` from the trigger. */
export const dailyRetention = (env: Env, now: number) => runRetention({ ctx: ctxFromEnv(env, { now }), input: { cron: DAILY, hook: closeErasureRequests } });

/** A daily run that stopped on its budget is continued by the frequent trigger until done. */
export async function retentionBacklog(env: Env, now: number) {
  const ctx = ctxFromEnv(env, { now });
  if (await hasBacklog({ ctx })) return runRetention({ ctx, input: { cron: FREQUENT, hook: closeErasureRequests } });
  return null;
}
