import type { Ctx } from "./context";
import { notifications } from "../db/schema";
import { chunkRows, columnsOf } from "../db/chunk";
import { newId } from "../lib/ids";
import type { EmailAttachment, OutboundEmail } from "./messages";
import { readConfig } from "../env";

export type NotificationKind = (typeof notifications.$inferInsert)["kind"];
export type Notice = { kind: NotificationKind; title: string; body: string; link?: string | null; attachments?: EmailAttachment[] };
export type Recipient = { userId: string; email?: string | null };

/** What sending needs of a `Ctx` (queue consumers and crons not yet on verbs pass just these). */
export type NotifyCtx = Pick<Ctx, "env" | "db" | "now">;

export type Delivery = { userId: string; notificationId: string; emailMessageId: string | null };

/**
 * Sends one notice to many users: an in-app notification each and, for recipients with an email
 * address, an email through the outbound-email queue. Returns what was delivered to whom.
 */
export async function notify({ ctx, input: { recipients, notice } }: { ctx: NotifyCtx; input: { recipients: Recipient[]; notice: Notice } }): Promise<Delivery[]> {
  const { env, db, now } = ctx;
  const deliveries: Delivery[] = [];
  const rows = recipients.map((r) => {
    const id = newId();
    deliveries.push({ userId: r.userId, notificationId: id, emailMessageId: r.email ? newId() : null });
    return { id, userId: r.userId, kind: notice.kind, title: notice.title, body: notice.body, link: notice.link ?? null, createdAt: now, readAt: null };
  });
  const inserts = chunkRows(rows, columnsOf(notifications)).map((chunk) => db.insert(notifications).values(chunk));
  for (let i = 0; i < inserts.length; i += 50) {
    const chunk = inserts.slice(i, i + 50);
    await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]]);
  }
  const emails: OutboundEmail[] = [];
  recipients.forEach((r, i) => {
    const messageId = deliveries[i]!.emailMessageId;
    if (r.email && messageId) emails.push({ kind: "email", messageId, to: r.email, userId: r.userId, subject: notice.title, text: emailText(env, notice), ...(notice.attachments?.length ? { attachments: notice.attachments } : {}) });
  });
  for (let i = 0; i < emails.length; i += 100) await env.OUTBOUND_EMAIL.sendBatch(emails.slice(i, i + 100).map((body) => ({ body })));
  return deliveries;
}

function emailText(env: Env, notice: Notice) {
  const link = notice.link ? `\n\n${readConfig(env).APP_URL}${notice.link}` : "";
  return `${notice.body}${link}\n\n— QWEB (privacy@qwebmaster.com)`;
}
