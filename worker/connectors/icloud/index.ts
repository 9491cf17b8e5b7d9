// iCloud Mail: IMAP (imap.mail.me.com:993, implicit TLS) to read, SMTP submission
// (smtp.mail.me.com:587, STARTTLS) to send, both with the Apple ID address and an app-specific
// password. No maintained IMAP library runs on workerd (imapflow needs node:net and node:tls);
// these are small clients over `cloudflare:sockets` behind an injectable socket factory.
import { readConfig } from "../../env";
import { sandboxUrlOf } from "../runtime";
import { ProviderError } from "../http";
import { endpointOf, type Endpoint } from "./socket";

export { ImapClient, withImap, imapSearchDate, parseImapDate, quote, type FetchedMessage, type Folder, type Selected } from "./imap";
export { submit, dotStuff, type Submission } from "./smtp";
export { workerSockets, endpointOf, Wire, type Endpoint, type MailSocket, type SocketFactory, type TlsMode } from "./socket";

export type IcloudEndpoints = { imap: Endpoint; smtp: Endpoint };

/**
 * Where iCloud's servers are: the config (production: imap.mail.me.com:993 TLS, smtp.mail.me.com:587
 * STARTTLS), or, in local mode with the sandbox, the sandbox's own IMAP/SMTP servers on loopback,
 * which speak plain TCP (wrangler dev's workerd does not trust the sandbox's certificate). The
 * STARTTLS path itself (`secureTransport: "starttls"`, then `socket.startTls()` after the server's
 * 220, EHLO again over TLS) is tested against the sandbox's STARTTLS SMTP server in the unit tests,
 * whose workerd trusts that certificate (tests/inbox/smtp-starttls.test.ts). Implicit TLS ("on",
 * IMAP's 993) is not exercised against a local server.
 */
export async function icloudEndpoints(env: Env): Promise<IcloudEndpoints> {
  const sandbox = sandboxUrlOf(env);
  if (sandbox) {
    const res = await fetch(`${sandbox}/_sandbox/icloud/endpoints`).catch(() => null);
    if (!res?.ok) {
      await res?.body?.cancel();
      throw new ProviderError("transient", "icloud: the sandbox's IMAP/SMTP servers are not reachable", { provider: "icloud" });
    }
    const e = (await res.json()) as { imap: { hostname: string; port: number }; smtp: { hostname: string; port: number } };
    return { imap: { ...e.imap, tls: "off" }, smtp: { ...e.smtp, tls: "off" } };
  }
  const c = readConfig(env);
  return { imap: endpointOf(c.ICLOUD_IMAP_ENDPOINT, c.ICLOUD_IMAP_TLS), smtp: endpointOf(c.ICLOUD_SMTP_ENDPOINT, c.ICLOUD_SMTP_TLS) };
}
