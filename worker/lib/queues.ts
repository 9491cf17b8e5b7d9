/**
 * Every queue name, declared once: wrangler.toml's [[queues.producers]], [[queues.consumers]] and
 * dead_letter_queue entries must be exactly these (tests/lib/queues.test.ts checks), and the queue()
 * dispatcher, its consumers and the tests use these names. The email queue's names are also vars
 * (OUTBOUND_EMAIL_QUEUE / OUTBOUND_EMAIL_DLQ), so a deployment that renames its queues keeps its
 * dead-letter queue recognised by configuration, not by a name suffix; their defaults are these.
 */
export const QUEUES = {
  OUTBOUND_EMAIL: "outbound-email",
  OUTBOUND_EMAIL_DLQ: "outbound-email-dlq",
  AI_JOBS: "ai-jobs",
  AI_JOBS_DLQ: "ai-jobs-dlq",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
