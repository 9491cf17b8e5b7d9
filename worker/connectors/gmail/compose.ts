// An RFC 2822 reply built by hand: threaded with In-Reply-To/References, Subject "Re: …",
// UTF-8 text body in base64, header injection refused (no CR/LF in any header value).
import { b64url } from "../../lib/ids";

export type Reply = {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  inReplyTo: string | null;
  references: string | null;
  text: string;
  date: number;
  messageIdDomain: string;
};

const clean = (v: string) => v.replace(/[\r\n]+/g, " ").trim();
const utf8B64 = (s: string) => {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
};
const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${utf8B64(s)}?=`);

export const replySubject = (s: string) => (/^re:/i.test(s.trim()) ? clean(s) : `Re: ${clean(s)}`);

export function buildReply(r: Reply): { raw: string; messageId: string } {
  const messageId = `<${crypto.randomUUID()}@${r.messageIdDomain}>`;
  const refs = [r.references, r.inReplyTo].filter(Boolean).join(" ").split(/\s+/).filter((v, i, a) => v && a.indexOf(v) === i);
  const lines = [
    `From: ${clean(r.from)}`,
    `To: ${r.to.map(clean).join(", ")}`,
    ...(r.cc?.length ? [`Cc: ${r.cc.map(clean).join(", ")}`] : []),
    `Subject: ${encodeWord(replySubject(r.subject))}`,
    `Date: ${new Date(r.date).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${messageId}`,
    ...(r.inReplyTo ? [`In-Reply-To: ${clean(r.inReplyTo)}`] : []),
    ...(refs.length ? [`References: ${refs.join(" ")}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    utf8B64(r.text.replace(/\r?\n/g, "\r\n")).replace(/.{1,76}/g, "$&\r\n"),
  ];
  return { raw: b64url(new TextEncoder().encode(lines.join("\r\n"))), messageId };
}
