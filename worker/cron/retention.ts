import { DAILY, FREQUENT } from "../lib/schedule";
import { hasBacklog, runRetention, Budget } from "../features/retention";
import { closeErasureRequests } from "../features/privacy";

/** The daily run of every registry rule (P13–P18), with `now` from the trigger. */
export const dailyRetention = (env: Env, now: number) => runRetention(env, now, DAILY, new Budget(), closeErasureRequests);

/** A daily run that stopped on its budget is continued by the frequent trigger until done. */
export async function retentionBacklog(env: Env, now: number) {
  if (await hasBacklog(env)) return runRetention(env, now, FREQUENT, new Budget(), closeErasureRequests);
  return null;
}
