import { createDb } from "../db/client";
import { deadLetter, runJobs } from "../features/ai";
import type { AiJobMessage } from "../core/messages";
import { QUEUES } from "../lib/queues";
import { ctxFromEnv } from "../core/context";


const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : String(err));

// Jobs are independent: a few at a time overlap their provider calls.
const CONCURRENCY = 6;

function retry(msg: Message<AiJobMessage>, err: unknown) {
  console.error(JSON.stringify({ level: "warn", event: "ai-job-retry", id: msg.id, attempt: msg.attempts, error: errorText(err) }));
  msg.retry({ delaySeconds: Math.min(300, 2 ** msg.attempts * 5) });
}

/**
 * The ai-jobs consumer: a batch of jobs shares its reads (runJobs), each job writes its own
 * outcome, and each message is acked or retried on its own. Transient provider faults retry with
 * full-jitter backoff honouring Retry-After; after max_retries the message reaches ai-jobs-dlq,
 * whose consumer marks the job failed with the last reason.
 */
export async function handleAiJobs(batch: MessageBatch<AiJobMessage>, env: Env) {
  const ctx = { ...ctxFromEnv(env), db: createDb(env.DB) };
  if (batch.queue === QUEUES.AI_JOBS_DLQ) {
    for (const msg of batch.messages) {
      try {
        await deadLetter({ ctx, input: { jobId: msg.body.jobId } });
        msg.ack();
      } catch (err) {
        retry(msg, err);
      }
    }
    return;
  }
  let outcomes;
  try {
    const deliveries = batch.messages.map((m) => ({ jobId: m.body.jobId, attempt: m.attempts }));
    outcomes = await runJobs({ ctx, input: { deliveries, clock: () => Date.now(), concurrency: CONCURRENCY } });
  } catch (err) {
    // The batch's shared reads failed: every message comes back.
    for (const msg of batch.messages) retry(msg, err);
    return;
  }
  outcomes.forEach((r, i) => {
    const msg = batch.messages[i]!;
    if (r.status === "rejected") return retry(msg, r.reason);
    if (r.value.retryAfterSeconds !== undefined) return msg.retry({ delaySeconds: r.value.retryAfterSeconds });
    msg.ack();
  });
}
