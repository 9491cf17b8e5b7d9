import { ctxFromEnv } from "../core/context";
import { runDueSchedules } from "../features/ai";

/** Scheduled agent runs that are due start as jobs on the ai-jobs queue. */
export const agentSchedules = (env: Env, now: number) => runDueSchedules({ ctx: ctxFromEnv(env, { now }) });
