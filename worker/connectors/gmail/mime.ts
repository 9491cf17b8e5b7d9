// Raw RFC 5322 (Gmail format=raw, base64url) → the fields the inbox stores, with postal-mime.
import PostalMime from "postal-mime";

export type MailAddress = { name: string | null; address: string };
export type ParsedAttachment = { filename: string; mimeType: string; content: Uint8Array; contentId: string | null; inline: boolean };
export type ParsedMail = {
  headers: Record<string, string>;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  date: number | null;
  html: string | null;
  text: string;
  attachments: ParsedAttachment[];
};

const KEPT_HEADERS = ["from", "to", "cc", "reply-to", "subject", "date", "message-id", "in-reply-to", "references", "list-unsubscribe", "auto-submitted"];

type PmAddress = { name?: string; address?: string; group?: PmAddress[] };
const flatten = (list: PmAddress[] | undefined): MailAddress[] =>
  (list ?? []).flatMap((a) => (a.group ? flatten(a.group) : a.address ? [{ name: a.name || null, address: a.address.toLowerCase() }] : []));

export function decodeBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function parseMail(raw: Uint8Array | string): Promise<ParsedMail> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  const headers: Record<string, string> = {};
  for (const h of email.headers) if (KEPT_HEADERS.includes(h.key) && !(h.key in headers)) headers[h.key] = h.value.slice(0, 2000);
  const from = flatten(email.from ? [email.from as PmAddress] : [])[0] ?? { name: null, address: "unknown@invalid" };
  const date = email.date ? Date.parse(email.date) : NaN;
  return {
    headers,
    from,
    to: flatten(email.to as PmAddress[] | undefined),
    cc: flatten(email.cc as PmAddress[] | undefined),
    subject: email.subject ?? "(no subject)",
    messageId: email.messageId ?? null,
    inReplyTo: email.inReplyTo ?? null,
    references: email.references ?? null,
    date: Number.isNaN(date) ? null : date,
    html: email.html ?? null,
    text: email.text ?? "",
    attachments: email.attachments.map((a) => ({
      filename: a.filename ?? "attachment",
      mimeType: a.mimeType,
      content: a.content instanceof ArrayBuffer ? new Uint8Array(a.content) : typeof a.content === "string" ? new TextEncoder().encode(a.content) : new Uint8Array(a.content),
      contentId: a.contentId ?? null,
      inline: a.disposition === "inline",
    })),
  };
}
