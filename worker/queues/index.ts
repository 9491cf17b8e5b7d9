import { createDb } from "../db/client";
import { readConfig } from "../env";
import { deliverEmail } from "../features/email";
import type { QueueMessage } from "../core/messages";

// Drizzle's message carries the bound parameters (an email's text holds reset links); D1's own error, its cause, does not.
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : String(err));

const backoffSeconds = (attempt: number) => Math.min(3600, 2 ** attempt * 5 + Math.floor(Math.random() * 5));

/** The queue() dispatcher: one handler per queue, each message acked or retried on its own. */
export async function handleQueue(batch: MessageBatch<QueueMessage>, env: Env, _ctx: ExecutionContext) {
  const db = createDb(env.DB);
  const config = readConfig(env);
  for (const msg of batch.messages) {
    try {
      if (batch.queue.endsWith("-dlq")) {
        console.error(JSON.stringify({ level: "error", event: "dead-letter", queue: batch.queue, id: msg.id }));
        msg.ack();
        continue;
      }
      switch (msg.body.kind) {
        case "email":
          await deliverEmail(db, config, msg.body);
          break;
      }
      msg.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "warn", event: "queue-retry", queue: batch.queue, id: msg.id, attempt: msg.attempts, error: errorText(err) }));
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    }
  }
}
