import { createDb } from "../db/client";
import { runDueSchedules } from "../features/ai";

/** Scheduled agent runs that are due start as jobs on the ai-jobs queue. */
export const agentSchedules = (env: Env, now: number) => runDueSchedules(env, createDb(env.DB), now);
