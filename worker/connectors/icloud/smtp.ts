// A small SMTP submission client (RFC 6409/5321) over a MailSocket: EHLO, STARTTLS when the
// endpoint says so (and then it is required: credentials never go over a plain connection that
// was meant to be upgraded), AUTH PLAIN, MAIL FROM / RCPT TO / DATA with CRLF normalization and
// dot-stuffing, QUIT. 535 → unauthorized, other 5xx → permanent, 4xx and lost connections → transient.
import { ProviderError } from "../http";
import { Wire, type Endpoint, type SocketFactory } from "./socket";

type Reply = { code: number; lines: string[] };

async function reply(wire: Wire): Promise<Reply> {
  const lines: string[] = [];
  for (;;) {
    const line = await wire.line();
    const m = /^(\d{3})([ -])(.*)$/.exec(line);
    if (!m) throw new ProviderError("transient", `smtp: unreadable reply (${line.slice(0, 80)})`, { provider: "icloud" });
    lines.push(m[3]!);
    if (m[2] === " ") return { code: Number(m[1]), lines };
  }
}

function failure(step: string, r: Reply): ProviderError {
  const text = `smtp ${step}: ${r.code} ${r.lines.join(" ")}`.slice(0, 300);
  if (r.code === 535 || r.code === 534 || r.code === 530) return new ProviderError("unauthorized", text, { provider: "icloud" });
  if (r.code >= 500) return new ProviderError("permanent", text, { provider: "icloud" });
  return new ProviderError("transient", text, { provider: "icloud" });
}

async function expect(wire: Wire, step: string, ok: (code: number) => boolean): Promise<Reply> {
  const r = await reply(wire);
  if (!ok(r.code)) throw failure(step, r);
  return r;
}

/** CRLF line ends and a leading "." doubled on every line (RFC 5321 4.5.2), ended by CRLF.CRLF. */
export function dotStuff(raw: Uint8Array): Uint8Array {
  const text = new TextDecoder("latin1").decode(raw).replace(/\r?\n/g, "\r\n").replace(/(^|\r\n)\./g, "$1..");
  const body = text.endsWith("\r\n") ? text : `${text}\r\n`;
  const out = new Uint8Array(body.length + 3);
  for (let i = 0; i < body.length; i++) out[i] = body.charCodeAt(i);
  out.set([46, 13, 10], body.length);
  return out;
}

const b64 = (s: string) => {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
};
const address = (a: string) => {
  if (/[\r\n<>]/.test(a) || !/^[^\s@]+@[^\s@]+$/.test(a)) throw new ProviderError("permanent", `smtp: not an address: ${a.slice(0, 80)}`, { provider: "icloud" });
  return `<${a}>`;
};

export type Submission = { from: string; to: string[]; raw: Uint8Array };

/** Submits one message; resolves with the server's queue reply. */
export async function submit(sockets: SocketFactory, ep: Endpoint, auth: { user: string; password: string }, timeoutMs: number, mail: Submission): Promise<string> {
  if (!mail.to.length) throw new ProviderError("permanent", "smtp: no recipient", { provider: "icloud" });
  let socket;
  try {
    socket = await sockets(ep);
    await socket.opened;
  } catch {
    throw new ProviderError("transient", `smtp ${ep.hostname}:${ep.port}: could not connect`, { provider: "icloud" });
  }
  let wire = new Wire(socket, `smtp ${ep.hostname}`, timeoutMs);
  try {
    await expect(wire, "greeting", (c) => c === 220);
    await wire.write("EHLO qweb.app\r\n");
    let ehlo = await expect(wire, "EHLO", (c) => c === 250);
    if (ep.tls === "starttls") {
      if (!ehlo.lines.some((l) => /^STARTTLS\b/i.test(l))) throw new ProviderError("permanent", "smtp: the server does not offer STARTTLS", { provider: "icloud" });
      await wire.write("STARTTLS\r\n");
      await expect(wire, "STARTTLS", (c) => c === 220);
      const plain = socket;
      ({ socket, wire } = wire.upgrade(() => plain.startTls()));
      await wire.write("EHLO qweb.app\r\n");
      ehlo = await expect(wire, "EHLO", (c) => c === 250);
    }
    if (!ehlo.lines.some((l) => /^AUTH\b.*\bPLAIN\b/i.test(l))) throw new ProviderError("permanent", "smtp: the server offers no AUTH PLAIN", { provider: "icloud" });
    await wire.write(`AUTH PLAIN ${b64(`\0${auth.user}\0${auth.password}`)}\r\n`);
    await expect(wire, "AUTH", (c) => c === 235);
    await wire.write(`MAIL FROM:${address(mail.from)}\r\n`);
    await expect(wire, "MAIL FROM", (c) => c === 250);
    for (const to of mail.to) {
      await wire.write(`RCPT TO:${address(to)}\r\n`);
      await expect(wire, "RCPT TO", (c) => c === 250 || c === 251);
    }
    await wire.write("DATA\r\n");
    await expect(wire, "DATA", (c) => c === 354);
    await wire.write(dotStuff(mail.raw));
    const queued = await expect(wire, "DATA end", (c) => c === 250);
    await wire.write("QUIT\r\n");
    return queued.lines.join(" ");
  } finally {
    wire.release();
    await socket.close().catch(() => undefined);
  }
}
