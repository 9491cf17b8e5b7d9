import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { devMailbox } from "../../db/schema";
import { newId } from "../../lib/ids";
import { retryAfterMs } from "../../connectors/http";
import type { Config } from "../../env";
import type { OutboundEmail } from "../../core/messages";

export const RESEND_API = "https://api.resend.com";
const TIMEOUT_MS = 10_000;

/** Worth trying again later: 429, 5xx, network errors and timeouts. */
export class TransientDeliveryError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = "TransientDeliveryError";
  }
}

/** The provider refused this message (a 4xx but 429): retrying sends the same refusal. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

export type Transport = { fetch?: typeof fetch; baseUrl?: string };

/** Resend's answer → its error name and message, never the recipient or the text we sent. */
async function reasonOf(res: Response) {
  const body = (await res.json().catch(() => null)) as { name?: unknown; message?: unknown } | null;
  const detail = typeof body?.message === "string" ? `: ${String(body.name ?? "error")}: ${body.message.slice(0, 200)}` : "";
  return `Resend answered ${res.status}${detail}`;
}

async function sendThroughResend(config: Config, email: OutboundEmail, transport: Transport) {
  let res: Response;
  try {
    res = await (transport.fetch ?? fetch)(`${transport.baseUrl ?? RESEND_API}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${config.RESEND_API_KEY}`, "content-type": "application/json", "idempotency-key": email.messageId },
      body: JSON.stringify({ from: config.EMAIL_FROM, to: [email.to], subject: email.subject, text: email.text }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new TransientDeliveryError(`Resend ${timedOut ? "timed out" : "network error"}`);
  }
  if (res.ok) return;
  const reason = await reasonOf(res);
  if (res.status === 429 || res.status >= 500) throw new TransientDeliveryError(reason, retryAfterMs(res.headers.get("retry-after")) ?? undefined);
  throw new PermanentDeliveryError(reason);
}

/**
 * Delivers one email: through Resend's HTTP API when RESEND_API_KEY is set, otherwise into the
 * local dev mailbox (never in production). Idempotent on messageId.
 */
export async function deliverEmail(db: Database, config: Config, email: OutboundEmail, transport: Transport = {}) {
  if (config.RESEND_API_KEY) return sendThroughResend(config, email, transport);
  if (config.APP_ENV === "production") throw new Error("No email provider configured");
  const seen = await db.select({ id: devMailbox.id }).from(devMailbox).where(eq(devMailbox.messageId, email.messageId)).limit(1);
  if (seen.length) return;
  await db.insert(devMailbox).values({
    id: newId(),
    messageId: email.messageId,
    userId: email.userId ?? null,
    to: email.to,
    subject: email.subject,
    text: email.text,
    createdAt: Date.now(),
  });
}
