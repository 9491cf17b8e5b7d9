import { createDb } from "../db/client";
import { deadLetter, runJob } from "../features/ai";
import type { AiJobMessage } from "../core/messages";
import { QUEUES } from "../lib/queues";
import { ctxFromEnv } from "../core/context";


const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : String(err));

/**
 * The ai-jobs consumer: one job per message. Transient provider faults retry with full-jitter
 * backoff honouring Retry-After; after max_retries the message reaches ai-jobs-dlq, whose
 * consumer marks the job failed with the last reason.
 */
export async function handleAiJobs(batch: MessageBatch<AiJobMessage>, env: Env) {
  const db = createDb(env.DB);
  // Jobs are independent: a few at a time overlap their provider calls and D1 round trips.
  const queue = [...batch.messages];
  const worker = async () => {
    for (let msg = queue.shift(); msg; msg = queue.shift()) await handleOne(db, env, batch.queue, msg);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
}

const CONCURRENCY = 6;

async function handleOne(db: ReturnType<typeof createDb>, env: Env, queueName: string, msg: Message<AiJobMessage>) {
  try {
    const ctx = { ...ctxFromEnv(env), db };
    if (queueName === QUEUES.AI_JOBS_DLQ) await deadLetter({ ctx, input: { jobId: msg.body.jobId } });
    else {
      const out = await runJob({ ctx, input: { jobId: msg.body.jobId, attempt: msg.attempts, clock: () => Date.now() } });
      if (out.retryAfterSeconds !== undefined) return msg.retry({ delaySeconds: out.retryAfterSeconds });
    }
    msg.ack();
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", event: "ai-job-retry", id: msg.id, attempt: msg.attempts, error: errorText(err) }));
    msg.retry({ delaySeconds: Math.min(300, 2 ** msg.attempts * 5) });
  }
}
