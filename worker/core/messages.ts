/** Every queue message kind, in one place. Messages carry ids and small payloads only. */
export type OutboundEmail = {
  kind: "email";
  /** Idempotency key: a redelivered message never sends twice. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  userId?: string | null;
};

export type QueueMessage = OutboundEmail;
