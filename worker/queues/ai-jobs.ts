import { createDb } from "../db/client";
import { deadLetter, runJob } from "../features/ai";
import type { AiJobMessage } from "../core/messages";

export const AI_JOBS_QUEUE = "ai-jobs";
export const AI_JOBS_DLQ = "ai-jobs-dlq";

const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : String(err));

/**
 * The ai-jobs consumer: one job per message. Transient provider faults retry with full-jitter
 * backoff honouring Retry-After; after max_retries the message reaches ai-jobs-dlq, whose
 * consumer marks the job failed with the last reason.
 */
export async function handleAiJobs(batch: MessageBatch<AiJobMessage>, env: Env) {
  const db = createDb(env.DB);
  for (const msg of batch.messages) {
    try {
      if (batch.queue === AI_JOBS_DLQ) await deadLetter(db, msg.body.jobId, Date.now());
      else {
        const out = await runJob(env, db, msg.body.jobId, msg.attempts, () => Date.now());
        if (out.retryAfterSeconds !== undefined) {
          msg.retry({ delaySeconds: out.retryAfterSeconds });
          continue;
        }
      }
      msg.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "warn", event: "ai-job-retry", id: msg.id, attempt: msg.attempts, error: errorText(err) }));
      msg.retry({ delaySeconds: Math.min(300, 2 ** msg.attempts * 5) });
    }
  }
}
