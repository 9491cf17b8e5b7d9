// The sandbox's SMTP submission server (plain TCP on loopback; iCloud's is smtp.mail.me.com:587
// with STARTTLS). Started with `tls` (a key and certificate, sandbox/loopback-cert.ts), it is that: EHLO
// offers STARTTLS, AUTH and MAIL before it are refused (530), and after "220 Ready to start TLS"
// the connection is a TLS server socket (the session starts over, RFC 3207). EHLO capabilities, AUTH PLAIN (inline or after 334) with app-specific
// passwords (535 5.7.8), MAIL FROM must be the signed-in address (553), RCPT TO, DATA with
// dot-unstuffing, RSET, NOOP, QUIT. Accepted mail goes to the iCloud outbox (and into a sandbox
// recipient's INBOX). Faults (provider "icloud", "smtp.mail.me.com/<COMMAND>"): 500/503 → 421
// and disconnect, 429 → 451 4.7.1, token-expired → 535.
import net from "node:net";
import tls from "node:tls";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { logRequest, takeFault, type SandboxRequest } from "./lib.ts";
import { passwordOk, recordOutgoing } from "./providers/icloud.ts";

const pseudo = (verb: string): SandboxRequest => ({ method: verb, url: new URL(`smtp://smtp.mail.me.com/${encodeURIComponent(verb)}`), host: "smtp.mail.me.com", path: `/${verb}`, headers: {}, body: Buffer.alloc(0), origin: "" });

export async function startSmtpServer(port = 0, opts: { tls?: { key: string; cert: string } } = {}): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => sock.destroy());
    let io: net.Socket = sock;
    let secure = false;
    const send = (s: string) => void (io.writable && io.write(s));
    let user: string | null = null;
    let from: string | null = null;
    let to: string[] = [];
    let mode: "cmd" | "auth" | "data" = "cmd";
    let data: string[] = [];
    let buf = "";
    send("220 smtp.mail.me.com (sandbox) ESMTP ready\r\n");
    const login = (b64: string) => {
      const [, u = "", p = ""] = Buffer.from(b64, "base64").toString("utf8").split("\0");
      if (!passwordOk(u, p)) return send("535 5.7.8 Authentication credentials invalid\r\n");
      user = u.toLowerCase();
      send("235 2.7.0 Authentication successful\r\n");
    };
    const onData = (chunk: Buffer) => {
      buf += chunk.toString("latin1");
      let i;
      while ((i = buf.indexOf("\r\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (mode === "data") {
          if (line === ".") {
            mode = "cmd";
            const raw = Buffer.from(data.join("\r\n") + "\r\n", "latin1").toString("utf8");
            recordOutgoing({ user: user!, from: from!, to, raw, at: Date.now() });
            send(`250 2.0.0 Ok: queued as ${randomBytes(5).toString("hex").toUpperCase()}\r\n`);
            from = null;
            to = [];
            data = [];
          } else data.push(line.startsWith(".") ? line.slice(1) : line);
          continue;
        }
        if (mode === "auth") {
          mode = "cmd";
          login(line);
          continue;
        }
        const verb = line.split(" ")[0]!.toUpperCase();
        const req = pseudo(verb);
        logRequest("icloud", req);
        const fault = takeFault("icloud", req);
        if (fault && (fault.kind === "500" || fault.kind === "503")) {
          send("421 4.3.2 Service not available, closing transmission channel\r\n");
          io.end();
          return;
        }
        if (fault && (fault.kind === "429" || fault.kind === "throttled")) {
          send("451 4.7.1 Too many messages, slow down\r\n");
          continue;
        }
        if (fault?.kind === "token-expired") {
          send("535 5.7.8 Authentication credentials invalid\r\n");
          continue;
        }
        const arg = line.slice(verb.length).trim();
        const needsTls = !!opts.tls && !secure;
        if (verb === "EHLO") send(`250-smtp.mail.me.com\r\n250-PIPELINING\r\n250-SIZE 28311552\r\n${needsTls ? "250-STARTTLS\r\n" : "250-AUTH LOGIN PLAIN\r\n"}250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n`);
        else if (verb === "HELO") send("250 smtp.mail.me.com\r\n");
        else if (verb === "STARTTLS") {
          if (!needsTls) send(opts.tls ? "503 5.5.1 Error: TLS already active\r\n" : "454 4.7.0 TLS not available (sandbox speaks plain TCP)\r\n");
          else {
            send("220 2.0.0 Ready to start TLS\r\n");
            // Everything said before the handshake is forgotten (RFC 3207 4.2).
            sock.removeListener("data", onData);
            buf = "";
            user = null;
            from = null;
            to = [];
            const upgraded = new tls.TLSSocket(sock, { isServer: true, key: opts.tls!.key, cert: opts.tls!.cert });
            upgraded.on("error", () => sock.destroy());
            upgraded.on("data", onData);
            io = upgraded;
            secure = true;
            return;
          }
        } else if (needsTls && (verb === "AUTH" || verb === "MAIL")) send("530 5.7.0 Must issue a STARTTLS command first\r\n");
        else if (verb === "AUTH") {
          const [mech = "", initial] = arg.split(/\s+/);
          if (mech.toUpperCase() !== "PLAIN") send("504 5.5.4 Unrecognized authentication type\r\n");
          else if (initial) login(initial);
          else {
            mode = "auth";
            send("334 \r\n");
          }
        } else if (verb === "MAIL") {
          if (!user) send("530 5.7.0 Authentication required\r\n");
          else {
            const addr = /^FROM:\s*<([^>]*)>/i.exec(arg)?.[1]?.toLowerCase();
            if (!addr) send("501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
            else if (addr !== user) send(`553 5.7.1 <${addr}>: Sender address rejected: not owned by user ${user}\r\n`);
            else {
              from = addr;
              send("250 2.1.0 Ok\r\n");
            }
          }
        } else if (verb === "RCPT") {
          const addr = /^TO:\s*<([^>]+)>/i.exec(arg)?.[1]?.toLowerCase();
          if (!from) send("503 5.5.1 Error: need MAIL command\r\n");
          else if (!addr || !/^[^\s@]+@[^\s@]+$/.test(addr)) send("501 5.1.3 Bad recipient address syntax\r\n");
          else {
            to.push(addr);
            send("250 2.1.5 Ok\r\n");
          }
        } else if (verb === "DATA") {
          if (!from || !to.length) send("503 5.5.1 Error: need RCPT command\r\n");
          else {
            mode = "data";
            send("354 End data with <CR><LF>.<CR><LF>\r\n");
          }
        } else if (verb === "RSET") {
          from = null;
          to = [];
          send("250 2.0.0 Ok\r\n");
        } else if (verb === "NOOP") send("250 2.0.0 Ok\r\n");
        else if (verb === "QUIT") {
          send("221 2.0.0 Bye\r\n");
          io.end();
          return;
        } else send("502 5.5.2 Error: command not recognized\r\n");
      }
    };
    sock.on("data", onData);
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
