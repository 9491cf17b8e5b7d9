// The sandbox's IMAP4rev1 server (plain TCP on loopback; iCloud itself is implicit TLS on 993):
// LOGIN with app-specific passwords (NO [AUTHENTICATIONFAILED]), CAPABILITY (UIDPLUS,
// SPECIAL-USE), LIST with special-use attributes, SELECT/EXAMINE (FLAGS, EXISTS, UIDVALIDITY,
// UIDNEXT), UID SEARCH (UID sets, SINCE, HEADER, ALL), UID FETCH (UID FLAGS INTERNALDATE
// RFC822.SIZE BODY[] / BODY.PEEK[]) as literals, APPEND with synchronizing literals and
// APPENDUID, UID STORE, UID EXPUNGE / EXPUNGE, LOGOUT. Faults (provider "icloud", matched on
// "imap.mail.me.com/<COMMAND>"): 500/503 → BYE and disconnect, timeout → silence, token-expired →
// the login fails, 429 → NO [LIMIT].
import net from "node:net";
import type { AddressInfo } from "node:net";
import { logRequest, takeFault, type SandboxRequest } from "./lib.ts";
import { appendTo, boxOf, folderOf, passwordOk, type IBox, type IFolder, type IMsg } from "./providers/icloud.ts";
import { headersOf } from "./providers/gmail-store.ts";
import { changed } from "./state.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const imapDate = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
const parseSearchDate = (s: string) => {
  const m = /^(\d{1,2})-(\w{3})-(\d{4})$/.exec(s);
  return m ? Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1])) : NaN;
};
const CAPS = "IMAP4rev1 UIDPLUS SPECIAL-USE ID UNSELECT";

/** Tokens of an IMAP command line: atoms, "quoted" strings, (lists) kept whole, literals as strings. */
function tokens(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let s = "";
      for (i++; i < line.length && line[i] !== '"'; i++) s += line[i] === "\\" ? line[++i] : line[i];
      out.push(s);
      i++;
    } else if (line[i] === "(") {
      const end = line.indexOf(")", i);
      out.push(line.slice(i, end + 1));
      i = end + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== " ") j++;
      out.push(line.slice(i, j));
      i = j;
    }
  }
  return out;
}

function inSet(set: string, uid: number, max: number): boolean {
  return set.split(",").some((part) => {
    const [a, b] = part.split(":");
    const lo = a === "*" ? max : Number(a);
    if (b === undefined) return uid === lo;
    const hi = b === "*" ? max : Number(b);
    return uid >= Math.min(lo, hi) && uid <= Math.max(lo, hi);
  });
}

function search(f: IFolder, args: string[]): number[] {
  const max = f.messages.reduce((m, x) => Math.max(m, x.uid), 0);
  let hits = [...f.messages];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.toUpperCase();
    if (a === "ALL") continue;
    if (a === "UID") {
      const set = args[++i]!;
      hits = hits.filter((m) => inSet(set, m.uid, max));
    } else if (a === "SINCE") {
      const d = parseSearchDate(args[++i]!);
      hits = hits.filter((m) => m.internalDate >= d);
    } else if (a === "HEADER") {
      const name = args[++i]!.toLowerCase();
      const value = args[++i]!.toLowerCase();
      hits = hits.filter((m) => (headersOf(m.raw)[name] ?? "").toLowerCase().includes(value));
    } else if (a === "UNSEEN") hits = hits.filter((m) => !m.flags.includes("\\Seen"));
    else throw new Error(`unsupported search key ${a}`);
  }
  // RFC 3501: "n:*" includes the highest UID even when it is below n.
  return hits.map((m) => m.uid).sort((x, y) => x - y);
}

type Session = { user: string | null; box: IBox | null; folder: IFolder | null; readOnly: boolean };

function fetchLine(f: IFolder, m: IMsg, items: string): Buffer[] {
  const seq = f.messages.indexOf(m) + 1;
  const want = items.toUpperCase();
  const parts = [`UID ${m.uid}`];
  if (want.includes("FLAGS")) parts.push(`FLAGS (${m.flags.join(" ")})`);
  if (want.includes("INTERNALDATE")) parts.push(`INTERNALDATE "${imapDate(m.internalDate)}"`);
  if (want.includes("RFC822.SIZE")) parts.push(`RFC822.SIZE ${Buffer.byteLength(m.raw)}`);
  if (!/BODY(\.PEEK)?\[\]/.test(want)) return [Buffer.from(`* ${seq} FETCH (${parts.join(" ")})\r\n`)];
  const raw = Buffer.from(m.raw, "utf8");
  if (!want.includes("PEEK") && !m.flags.includes("\\Seen")) m.flags.push("\\Seen");
  return [Buffer.from(`* ${seq} FETCH (${parts.join(" ")} BODY[] {${raw.length}}\r\n`), raw, Buffer.from(")\r\n")];
}

function handle(s: Session, tag: string, verb: string, args: string[], literal: Buffer | null, send: (b: string | Buffer) => void): void {
  const ok = (text = `${verb} completed`) => send(`${tag} OK ${text}\r\n`);
  const no = (text: string) => send(`${tag} NO ${text}\r\n`);
  const bad = (text: string) => send(`${tag} BAD ${text}\r\n`);
  const v = verb.toUpperCase();
  if (v === "CAPABILITY") return send(`* CAPABILITY ${CAPS}\r\n`), ok();
  if (v === "NOOP") return ok();
  if (v === "LOGOUT") return send("* BYE LOGOUT received\r\n"), ok();
  if (v === "LOGIN") {
    const [user = "", password = ""] = args;
    if (!/^[^\s@]+@[^\s@]+$/.test(user) || !passwordOk(user, password)) return no("[AUTHENTICATIONFAILED] Authentication failed.");
    s.user = user.toLowerCase();
    s.box = boxOf(s.user);
    return ok(`[CAPABILITY ${CAPS}] ${s.user} authenticated (Success)`);
  }
  if (!s.box) return bad("[AUTHENTICATIONFAILED] Not authenticated");
  if (v === "LIST") {
    for (const f of s.box.folders) send(`* LIST (\\HasNoChildren${f.special ? ` ${f.special}` : ""}) "/" "${f.name}"\r\n`);
    return ok();
  }
  if (v === "SELECT" || v === "EXAMINE") {
    const f = folderOf(s.box, args[0] ?? "");
    if (!f) return no("[NONEXISTENT] Mailbox does not exist");
    s.folder = f;
    s.readOnly = v === "EXAMINE";
    send(`* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)\r\n* ${f.messages.length} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY ${f.uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${f.uidNext}] Predicted next UID\r\n`);
    return ok(`[${s.readOnly ? "READ-ONLY" : "READ-WRITE"}] ${v} completed`);
  }
  if (v === "APPEND") {
    const f = folderOf(s.box, args[0] ?? "");
    if (!f) return no("[TRYCREATE] Mailbox does not exist");
    if (!literal) return bad("APPEND needs a message literal");
    const flags = (args.find((a) => a.startsWith("(")) ?? "()").slice(1, -1).split(/\s+/).filter(Boolean);
    const m = appendTo(f, literal.toString("utf8"), flags);
    return ok(`[APPENDUID ${f.uidValidity} ${m.uid}] APPEND completed`);
  }
  if (v === "CLOSE" || v === "UNSELECT") {
    s.folder = null;
    return ok();
  }
  const f = s.folder;
  if (!f) return bad("No mailbox selected");
  if (v === "EXPUNGE") {
    const gone = f.messages.filter((m) => m.flags.includes("\\Deleted"));
    for (const m of gone) send(`* ${f.messages.indexOf(m) + 1} EXPUNGE\r\n`), f.messages.splice(f.messages.indexOf(m), 1);
    changed();
    return ok();
  }
  if (v !== "UID") return bad(`Unknown command ${verb}`);
  const sub = (args[0] ?? "").toUpperCase();
  const max = f.messages.reduce((mx, x) => Math.max(mx, x.uid), 0);
  if (sub === "SEARCH") {
    try {
      return send(`* SEARCH${search(f, args.slice(1)).map((u) => ` ${u}`).join("")}\r\n`), ok("SEARCH completed");
    } catch (err) {
      return bad(String((err as Error).message));
    }
  }
  if (sub === "FETCH") {
    const set = args[1] ?? "";
    for (const m of f.messages.filter((x) => inSet(set, x.uid, max))) for (const b of fetchLine(f, m, args.slice(2).join(" "))) send(b);
    return ok("FETCH completed");
  }
  if (sub === "STORE") {
    if (s.readOnly) return no("[READ-ONLY] Mailbox is read-only");
    const [, set = "", op = "", list = "()"] = args;
    const flags = list.slice(1, -1).split(/\s+/).filter(Boolean);
    for (const m of f.messages.filter((x) => inSet(set, x.uid, max))) {
      if (op.startsWith("+")) m.flags = [...new Set([...m.flags, ...flags])];
      else if (op.startsWith("-")) m.flags = m.flags.filter((x) => !flags.includes(x));
      else m.flags = flags;
      if (!op.toUpperCase().endsWith(".SILENT")) send(`* ${f.messages.indexOf(m) + 1} FETCH (UID ${m.uid} FLAGS (${m.flags.join(" ")}))\r\n`);
    }
    changed();
    return ok("STORE completed");
  }
  if (sub === "EXPUNGE") {
    if (s.readOnly) return no("[READ-ONLY] Mailbox is read-only");
    const set = args[1] ?? "";
    for (const m of f.messages.filter((x) => x.flags.includes("\\Deleted") && inSet(set, x.uid, max))) send(`* ${f.messages.indexOf(m) + 1} EXPUNGE\r\n`), f.messages.splice(f.messages.indexOf(m), 1);
    changed();
    return ok("EXPUNGE completed");
  }
  return bad(`Unknown UID command ${sub}`);
}

const pseudo = (verb: string): SandboxRequest => {
  const url = new URL(`imap://imap.mail.me.com/${encodeURIComponent(verb)}`);
  return { method: verb, url, host: "imap.mail.me.com", path: `/${verb}`, headers: {}, body: Buffer.alloc(0), origin: "" };
};

export async function startImapServer(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => sock.destroy());
    const s: Session = { user: null, box: null, folder: null, readOnly: false };
    const send = (b: string | Buffer) => void (sock.writable && sock.write(b));
    let buf = Buffer.alloc(0);
    let pending: { line: string; need: number } | null = null;
    send(`* OK [CAPABILITY ${CAPS}] imap.mail.me.com (sandbox) IMAP4 service ready\r\n`);
    sock.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (pending) {
          if (buf.length < pending.need + 2) return;
          const literal = buf.subarray(0, pending.need);
          buf = buf.subarray(pending.need + 2);
          const line = pending.line;
          pending = null;
          run(line, Buffer.from(literal));
          continue;
        }
        const i = buf.indexOf("\r\n");
        if (i < 0) return;
        const line = buf.subarray(0, i).toString("utf8");
        buf = buf.subarray(i + 2);
        const lit = /\{(\d+)\}$/.exec(line);
        if (lit) {
          pending = { line: line.slice(0, lit.index).trimEnd(), need: Number(lit[1]) };
          send("+ Ready for literal data\r\n");
          continue;
        }
        run(line, null);
      }
    });
    function run(line: string, literal: Buffer | null) {
      const [tag = "*", verb = "", ...args] = tokens(line);
      const full = verb.toUpperCase() === "UID" ? `UID ${(args[0] ?? "").toUpperCase()}` : verb.toUpperCase();
      const req = pseudo(full);
      logRequest("icloud", req);
      const fault = takeFault("icloud", req);
      if (fault?.kind === "timeout") return;
      if (fault && (fault.kind === "500" || fault.kind === "503")) {
        send("* BYE [UNAVAILABLE] Service temporarily unavailable, try again later\r\n");
        sock.end();
        return;
      }
      if (fault?.kind === "token-expired") return send(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`);
      if (fault && (fault.kind === "429" || fault.kind === "throttled")) return send(`${tag} NO [LIMIT] Too many simultaneous connections or commands, try again later\r\n`);
      handle(s, tag, verb, args, literal, send);
      if (verb.toUpperCase() === "LOGOUT") sock.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
