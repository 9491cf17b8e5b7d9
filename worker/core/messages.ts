/** Every queue message kind, in one place. Messages carry ids and small payloads only. */
export type OutboundEmail = {
  kind: "email";
  /** Idempotency key: a redelivered message never sends twice. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  userId?: string | null;
  /** Files stored in R2 (FILES), read and attached when the email is delivered: a queue message stays far below its 128 KB limit. */
  attachments?: EmailAttachment[];
};
export type EmailAttachment = { filename: string; contentType: string; r2Key: string; sizeBytes: number };

/** One AI job to run (worker/queues/ai-jobs.ts); the job row holds everything else. */
export type AiJobMessage = { kind: "ai-job"; jobId: string };

// ai-jobs messages reach handleQueue too; its batches are told apart by queue name before any
// email handling, so QueueMessage (the outbound-email contract tests build on) stays as it was.
export type QueueMessage = OutboundEmail;
