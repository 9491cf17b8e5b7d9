import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { devMailbox } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { Config } from "../../env";
import type { OutboundEmail } from "../../core/messages";

export class TransientDeliveryError extends Error {}

/**
 * Delivers one email: through Resend's HTTP API when RESEND_API_KEY is set, otherwise into the
 * local dev mailbox (never in production). Idempotent on messageId.
 */
export async function deliverEmail(db: Database, config: Config, email: OutboundEmail, fetcher: typeof fetch = fetch) {
  if (config.RESEND_API_KEY) {
    const res = await fetcher("https://api.resend.com/emails", {
      method: "POST",
      headers: {
        authorization: `Bearer ${config.RESEND_API_KEY}`,
        "content-type": "application/json",
        "idempotency-key": email.messageId,
      },
      body: JSON.stringify({ from: config.EMAIL_FROM, to: [email.to], subject: email.subject, text: email.text }),
    });
    if (res.status === 429 || res.status >= 500) throw new TransientDeliveryError(`Resend answered ${res.status}`);
    if (!res.ok) throw new Error(`Resend refused the message: ${res.status}`);
    return;
  }
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
