// iCloud's SMTP submission (smtp.mail.me.com:587) is STARTTLS. The connector's client over the
// Worker's real sockets (cloudflare:sockets `connect` with secureTransport "starttls", then
// `socket.startTls()`), against the sandbox's STARTTLS server: its certificate (sandbox/loopback-cert.ts, for
// 127.0.0.1 and localhost) is trusted by this workerd through NODE_EXTRA_CA_CERTS (vitest.config.ts),
// so workerd's own certificate and host-name checks run as they would against Apple's.
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { submit, workerSockets, type Endpoint } from "../../worker/connectors/icloud";
import { sandboxControl, uniqueAddress } from "./support";

const PASSWORD = "abcd-efgh-ijkl-mnop";
const starttlsEndpoint = async (): Promise<Endpoint> => {
  const e = await sandboxControl<{ smtpStarttls: { hostname: string; port: number } }>("icloud/endpoints");
  return { ...e.smtpStarttls, tls: "starttls" };
};
const outbox = async (user: string) => (await sandboxControl<{ outbox: { from: string; to: string[]; raw: string }[] }>(`icloud/mailbox?user=${encodeURIComponent(user)}`)).outbox;
const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ProviderError);

describe("SMTP submission with STARTTLS (iCloud's port 587)", () => {
  it("EHLO, STARTTLS, the TLS handshake, EHLO again, AUTH and DATA over TLS: the message arrives", async () => {
    const user = uniqueAddress("starttls");
    const ep = await starttlsEndpoint();
    const raw = new TextEncoder().encode(`From: ${user}\r\nTo: ana@client.example\r\nSubject: Over TLS\r\n\r\nSent after STARTTLS.\r\n`);
    const queued = await submit(workerSockets, ep, { user, password: PASSWORD }, 10_000, { from: user, to: ["ana@client.example"], raw });
    expect(queued).toMatch(/queued as/);
    const out = await outbox(user);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ from: user, to: ["ana@client.example"] });
    expect(out[0]!.raw).toContain("Sent after STARTTLS.");
  });

  it("the server refuses AUTH before STARTTLS; a client told to use plain TCP there is refused and sends nothing", async () => {
    const user = uniqueAddress("starttls-plain");
    const ep = await starttlsEndpoint();
    const raw = new TextEncoder().encode("Subject: x\r\n\r\nx\r\n");
    const err = await caught(submit(workerSockets, { ...ep, tls: "off" }, { user, password: PASSWORD }, 10_000, { from: user, to: ["a@b.example"], raw }));
    // This server offers AUTH only after the upgrade: the plain client finds none and stops.
    expect(err).toMatchObject({ kind: "permanent", message: expect.stringContaining("AUTH PLAIN") });
    expect(await outbox(user)).toEqual([]);
  });
});
