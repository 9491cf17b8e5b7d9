// A small IMAP4rev1 client (RFC 3501 + UIDPLUS/SPECIAL-USE where offered) over a MailSocket:
// LOGIN, LIST (special-use folders), EXAMINE (UIDVALIDITY, UIDNEXT, EXISTS), UID SEARCH,
// UID FETCH (UID FLAGS INTERNALDATE BODY.PEEK[]) with literal parsing, APPEND (+ APPENDUID),
// UID STORE/EXPUNGE, LOGOUT. Errors: NO [AUTHENTICATIONFAILED] → unauthorized, BYE / lost
// connection / timeouts → transient, other NO/BAD → permanent.
import { ProviderError } from "../http";
import { Wire, type Endpoint, type SocketFactory } from "./socket";

export type Untagged = { text: string; literals: Uint8Array[] };
export type Folder = { name: string; attributes: string[] };
export type Selected = { uidValidity: number; uidNext: number; exists: number };
export type FetchedMessage = { uid: number; flags: string[]; internalDate: number; raw: Uint8Array };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** IMAP date-time ("17-Jul-1996 02:44:25 -0700") → ms. */
export function parseImapDate(s: string): number {
  const m = /^\s*(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(s);
  if (!m) return NaN;
  const utc = Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === "-" ? -1 : 1);
  return utc - offset;
}

/** A SEARCH date ("1-Sep-2026"). */
export const imapSearchDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCDate()}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
};

/** An IMAP string argument: quoted when it can be, never with CR/LF (no command injection). */
export function quote(s: string): string {
  if (/[\r\n\0]/.test(s)) throw new ProviderError("permanent", "imap: a value contained a line break", { provider: "icloud" });
  return `"${s.replace(/(["\\])/g, "\\$1")}"`;
}

export class ImapClient {
  private seq = 0;
  capabilities = new Set<string>();

  private constructor(private wire: Wire) {}

  static async open(sockets: SocketFactory, ep: Endpoint, timeoutMs: number): Promise<ImapClient> {
    let socket;
    try {
      socket = await sockets(ep);
      await socket.opened;
    } catch {
      throw new ProviderError("transient", `imap ${ep.hostname}:${ep.port}: could not connect`, { provider: "icloud" });
    }
    const client = new ImapClient(new Wire(socket, `imap ${ep.hostname}`, timeoutMs));
    const greeting = await client.wire.line();
    if (!/^\* (OK|PREAUTH)/i.test(greeting)) {
      await client.close();
      throw new ProviderError("transient", `imap: the server refused the connection (${greeting.slice(0, 120)})`, { provider: "icloud" });
    }
    client.readCapabilities(greeting);
    return client;
  }

  private readCapabilities(text: string) {
    const m = /\[CAPABILITY ([^\]]+)\]/i.exec(text) ?? /^\* CAPABILITY (.+)$/i.exec(text);
    if (m) this.capabilities = new Set(m[1]!.toUpperCase().split(/\s+/));
  }

  /** One response: untagged lines (with their literals) up to the tagged completion. */
  private async response(tag: string): Promise<{ untagged: Untagged[]; status: string; text: string }> {
    const untagged: Untagged[] = [];
    for (;;) {
      let line = await this.wire.line();
      const literals: Uint8Array[] = [];
      let m: RegExpExecArray | null;
      while ((m = /\{(\d+)\+?\}$/.exec(line))) {
        literals.push(await this.wire.bytes(Number(m[1])));
        line = line.slice(0, m.index) + `\0${literals.length - 1}` + (await this.wire.line());
      }
      if (line.startsWith(`${tag} `)) {
        const [, status = "BAD", text = ""] = /^\S+ (OK|NO|BAD)\s?(.*)$/i.exec(line) ?? [];
        return { untagged, status: status.toUpperCase(), text };
      }
      if (/^\* BYE/i.test(line)) throw new ProviderError("transient", `imap: the server ended the session (${line.slice(6, 120)})`, { provider: "icloud" });
      if (line.startsWith("* ")) untagged.push({ text: line.slice(2), literals });
    }
  }

  private async command(cmd: string, opts: { literal?: Uint8Array } = {}): Promise<{ untagged: Untagged[]; text: string }> {
    const tag = `Q${++this.seq}`;
    if (opts.literal) {
      await this.wire.write(`${tag} ${cmd} {${opts.literal.byteLength}}\r\n`);
      const cont = await this.wire.line();
      if (!cont.startsWith("+")) {
        const [, status = "BAD", text = cont] = /^\S+ (OK|NO|BAD)\s?(.*)$/i.exec(cont) ?? [];
        throw this.failure(cmd, status, text);
      }
      await this.wire.write(opts.literal);
      await this.wire.write("\r\n");
    } else {
      await this.wire.write(`${tag} ${cmd}\r\n`);
    }
    const r = await this.response(tag);
    if (r.status !== "OK") throw this.failure(cmd, r.status, r.text);
    return r;
  }

  private failure(cmd: string, status: string, text: string): ProviderError {
    const verb = cmd.split(" ")[0]!;
    if (/\[(AUTHENTICATIONFAILED|AUTHORIZATIONFAILED)\]/i.test(text) || (verb === "LOGIN" && status === "NO")) {
      return new ProviderError("unauthorized", `imap LOGIN: ${text.replace(/\[[^\]]*\]\s*/, "") || "authentication failed"}`, { provider: "icloud" });
    }
    if (/\[(UNAVAILABLE|LIMIT|INUSE|SERVERBUG)\]/i.test(text)) return new ProviderError("transient", `imap ${verb}: ${text}`, { provider: "icloud" });
    return new ProviderError("permanent", `imap ${verb}: ${status} ${text}`.trim(), { provider: "icloud" });
  }

  async login(user: string, password: string) {
    const r = await this.command(`LOGIN ${quote(user)} ${quote(password)}`);
    this.readCapabilities(r.text);
    for (const u of r.untagged) this.readCapabilities(`* ${u.text}`);
    if (!this.capabilities.size) {
      const c = await this.command("CAPABILITY");
      for (const u of c.untagged) this.readCapabilities(`* ${u.text}`);
    }
  }

  async list(): Promise<Folder[]> {
    const r = await this.command('LIST "" "*"');
    const out: Folder[] = [];
    for (const u of r.untagged) {
      const m = /^LIST \(([^)]*)\) (?:"(?:[^"\\]|\\.)*"|NIL) (.+)$/i.exec(u.text);
      if (!m) continue;
      const rawName = m[2]!.trim();
      const lit = /^\0(\d+)$/.exec(rawName);
      const name = lit ? new TextDecoder().decode(u.literals[Number(lit[1])]) : rawName.startsWith('"') ? rawName.slice(1, -1).replace(/\\(["\\])/g, "$1") : rawName;
      out.push({ name, attributes: m[1]!.split(/\s+/).filter(Boolean) });
    }
    return out;
  }

  /** EXAMINE (read-only SELECT): nothing a sync does changes a flag. */
  async examine(folder: string): Promise<Selected> {
    return this.open("EXAMINE", folder);
  }
  async select(folder: string): Promise<Selected> {
    return this.open("SELECT", folder);
  }
  private async open(verb: string, folder: string): Promise<Selected> {
    const r = await this.command(`${verb} ${quote(folder)}`);
    const all = r.untagged.map((u) => u.text).join("\n");
    const num = (re: RegExp) => Number(re.exec(all)?.[1] ?? NaN);
    const uidValidity = num(/\[UIDVALIDITY (\d+)\]/i);
    if (!Number.isFinite(uidValidity)) throw new ProviderError("permanent", `imap ${verb}: no UIDVALIDITY for ${folder}`, { provider: "icloud" });
    return { uidValidity, uidNext: num(/\[UIDNEXT (\d+)\]/i) || 0, exists: num(/^(\d+) EXISTS$/im) || 0 };
  }

  async uidSearch(criteria: string): Promise<number[]> {
    const r = await this.command(`UID SEARCH ${criteria}`);
    return r.untagged.filter((u) => /^SEARCH\b/i.test(u.text)).flatMap((u) => u.text.slice(6).trim().split(/\s+/).filter(Boolean).map(Number)).sort((a, b) => a - b);
  }

  async uidFetch(uids: number[]): Promise<FetchedMessage[]> {
    if (!uids.length) return [];
    const r = await this.command(`UID FETCH ${uids.join(",")} (UID FLAGS INTERNALDATE BODY.PEEK[])`);
    const out: FetchedMessage[] = [];
    for (const u of r.untagged) {
      if (!/^\d+ FETCH \(/i.test(u.text)) continue;
      const uid = Number(/\bUID (\d+)/i.exec(u.text)?.[1]);
      const body = /BODY\[\] \0(\d+)/i.exec(u.text);
      if (!uid || !body) continue;
      out.push({
        uid,
        flags: (/FLAGS \(([^)]*)\)/i.exec(u.text)?.[1] ?? "").split(/\s+/).filter(Boolean),
        internalDate: parseImapDate(/INTERNALDATE "([^"]+)"/i.exec(u.text)?.[1] ?? ""),
        raw: u.literals[Number(body[1])]!,
      });
    }
    return out.sort((a, b) => a.uid - b.uid);
  }

  /** APPEND; the new message's UID when the server has UIDPLUS (APPENDUID), else null. */
  async append(folder: string, raw: Uint8Array, flags: string[]): Promise<{ uidValidity: number; uid: number } | null> {
    const r = await this.command(`APPEND ${quote(folder)} (${flags.join(" ")})`, { literal: raw });
    const m = /\[APPENDUID (\d+) (\d+)\]/i.exec(r.text);
    return m ? { uidValidity: Number(m[1]), uid: Number(m[2]) } : null;
  }

  /** Removes one message of the selected folder (UID EXPUNGE with UIDPLUS, else EXPUNGE). */
  async deleteUid(uid: number) {
    await this.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
    await this.command(this.capabilities.has("UIDPLUS") ? `UID EXPUNGE ${uid}` : "EXPUNGE");
  }

  async close() {
    try {
      await this.wire.write(`Q${++this.seq} LOGOUT\r\n`);
    } catch {}
    this.wire.release();
    await this.wire.socket.close().catch(() => undefined);
  }
}

/** Opens, logs in, runs `fn`, logs out (whatever happens). */
export async function withImap<T>(sockets: SocketFactory, ep: Endpoint, auth: { user: string; password: string }, timeoutMs: number, fn: (c: ImapClient) => Promise<T>): Promise<T> {
  const c = await ImapClient.open(sockets, ep, timeoutMs);
  try {
    await c.login(auth.user, auth.password);
    return await fn(c);
  } finally {
    await c.close();
  }
}
