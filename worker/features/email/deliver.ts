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

/** `files`: the R2 bucket the attachments are read from. */
export type Transport = { fetch?: typeof fetch; baseUrl?: string; files?: R2Bucket };

const base64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** Resend's attachment objects ({ filename, content: base64, content_type }); a file gone from R2 (purged) is left out. */
async function attachmentsOf(email: OutboundEmail, files: R2Bucket | undefined) {
  if (!email.attachments?.length) return undefined;
  if (!files) throw new Error("No file bucket to read the attachments from");
  const out = [];
  for (const a of email.attachments) {
    const obj = await files.get(a.r2Key);
    if (obj) out.push({ filename: a.filename, content: base64(new Uint8Array(await obj.arrayBuffer())), content_type: a.contentType });
  }
  return out.length ? out : undefined;
}

/** Resend's answer → its error name and message, never the recipient or the text we sent. */
async function reasonOf(res: Response) {
  const body = (await res.json().catch(() => null)) as { name?: unknown; message?: unknown } | null;
  const detail = typeof body?.message === "string" ? `: ${String(body.name ?? "error")}: ${body.message.slice(0, 200)}` : "";
  return `Resend answered ${res.status}${detail}`;
}

async function sendThroughResend(config: Config, email: OutboundEmail, transport: Transport) {
  const attachments = await attachmentsOf(email, transport.files);
  let res: Response;
  try {
    res = await (transport.fetch ?? fetch)(`${transport.baseUrl ?? RESEND_API}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${config.RESEND_API_KEY}`, "content-type": "application/json", "idempotency-key": email.messageId },
      body: JSON.stringify({ from: config.EMAIL_FROM, to: [email.to], subject: email.subject, text: email.text, ...(attachments ? { attachments } : {}) }),
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
    attachments: (email.attachments ?? []).map(({ filename, contentType, sizeBytes, r2Key }) => ({ filename, contentType, sizeBytes, r2Key })),
    createdAt: Date.now(),
  });
}
