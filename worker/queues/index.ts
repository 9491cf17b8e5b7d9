import { createDb } from "../db/client";
import { readConfig } from "../env";
import { backoffMs } from "../connectors/http";
import { sandboxUrlOf } from "../connectors/runtime";
import { deliverEmail, PermanentDeliveryError, RESEND_API, TransientDeliveryError } from "../features/email";
import type { AiJobMessage, QueueMessage } from "../core/messages";
import { QUEUES } from "../lib/queues";
import { handleAiJobs } from "./ai-jobs";

// Drizzle's message carries the bound parameters (an email's text holds reset links); D1's own error, its cause, does not.
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : String(err));

const MAX_DELAY_SECONDS = 12 * 3600; // Queues' own limit for delaySeconds.

/** Full-jitter exponential backoff, but never sooner than the provider's Retry-After. */
export function retryDelaySeconds(attempt: number, retryAfter?: number): number {
  const jittered = backoffMs(attempt, 5_000, 3_600_000);
  return Math.min(MAX_DELAY_SECONDS, Math.ceil(Math.max(jittered, retryAfter ?? 0) / 1000));
}

type Consumer = (batch: MessageBatch<QueueMessage>, env: Env) => Promise<void>;

async function deliverOutbound(batch: MessageBatch<QueueMessage>, env: Env) {
  const db = createDb(env.DB);
  const config = readConfig(env);
  const sandbox = sandboxUrlOf(env);
  const transport = { baseUrl: sandbox ? `${sandbox}/resend/${new URL(RESEND_API).host}` : RESEND_API, files: env.FILES };
  for (const msg of batch.messages) {
    try {
      await deliverEmail(db, config, msg.body, transport);
      msg.ack();
    } catch (err) {
      if (err instanceof PermanentDeliveryError) {
        // Failed for good, with the provider's reason: a retry would only be refused again.
        console.error(JSON.stringify({ level: "error", event: "email-failed", queue: batch.queue, id: msg.id, attempt: msg.attempts, reason: err.message }));
        msg.ack();
        continue;
      }
      const delaySeconds = retryDelaySeconds(msg.attempts, err instanceof TransientDeliveryError ? err.retryAfterMs : undefined);
      console.error(JSON.stringify({ level: "warn", event: "queue-retry", queue: batch.queue, id: msg.id, attempt: msg.attempts, delaySeconds, error: errorText(err) }));
      msg.retry({ delaySeconds });
    }
  }
}

async function deadLetter(batch: MessageBatch<QueueMessage>) {
  for (const msg of batch.messages) {
    console.error(JSON.stringify({ level: "error", event: "dead-letter", queue: batch.queue, id: msg.id }));
    msg.ack();
  }
}

/** Which consumer runs a batch, by the queue names the bindings are configured with (wrangler.toml vars). */
const consumersOf = (env: Env): Record<string, Consumer> => {
  const config = readConfig(env);
  const ai = (batch: MessageBatch<QueueMessage>, env: Env) => handleAiJobs(batch as unknown as MessageBatch<AiJobMessage>, env);
  return { [config.OUTBOUND_EMAIL_QUEUE]: deliverOutbound, [config.OUTBOUND_EMAIL_DLQ]: deadLetter, [QUEUES.AI_JOBS]: ai, [QUEUES.AI_JOBS_DLQ]: ai };
};

/** The queue() dispatcher: one consumer per configured queue, each message acked or retried on its own. */
export async function handleQueue(batch: MessageBatch<QueueMessage>, env: Env, _ctx: ExecutionContext) {
  const consumer = consumersOf(env)[batch.queue];
  if (consumer) return consumer(batch, env);
  // A queue this Worker was not configured for: keep the messages (retry) rather than lose mail.
  console.error(JSON.stringify({ level: "error", event: "unknown-queue", queue: batch.queue }));
  batch.retryAll({ delaySeconds: MAX_DELAY_SECONDS });
}
