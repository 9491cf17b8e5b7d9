import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { dotStuff, ImapClient, imapSearchDate, parseImapDate, quote, submit, withImap, workerSockets, type Endpoint } from "../../worker/connectors/icloud";
import { injectFaults, sandboxControl, uniqueAddress } from "./support";

const PASSWORD = "abcd-efgh-ijkl-mnop";
const endpoints = async () => {
  const e = await sandboxControl<{ imap: { hostname: string; port: number }; smtp: { hostname: string; port: number } }>("icloud/endpoints");
  return { imap: { ...e.imap, tls: "off" } as Endpoint, smtp: { ...e.smtp, tls: "off" } as Endpoint };
};
type Folder = { name: string; uidValidity: number; uidNext: number; messages: { uid: number; flags: string[]; internalDate: number; subject: string; messageId: string }[] };
const icloudBox = (user: string) => sandboxControl<{ folders: Folder[]; outbox: { from: string; to: string[]; raw: string }[] }>(`icloud/mailbox?user=${encodeURIComponent(user)}`);
const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ProviderError);

describe("IMAP client against the sandbox IMAP server", () => {
  it("logs in, lists special-use folders, EXAMINEs (UIDVALIDITY, UIDNEXT, EXISTS) and UID FETCHes byte-exact literals", async () => {
    const user = uniqueAddress("imap");
    const ep = (await endpoints()).imap;
    const box = await icloudBox(user);
    const inbox = box.folders.find((f) => f.name === "INBOX")!;
    await withImap(workerSockets, ep, { user, password: PASSWORD }, 5000, async (c) => {
      const folders = await c.list();
      expect(folders.find((f) => f.attributes.includes("\\Sent"))?.name).toBe("Sent Messages");
      expect(folders.find((f) => f.attributes.includes("\\Drafts"))?.name).toBe("Drafts");
      const sel = await c.examine("INBOX");
      expect(sel).toEqual({ uidValidity: inbox.uidValidity, uidNext: inbox.uidNext, exists: inbox.messages.length });
      const all = await c.uidSearch("ALL");
      expect(all).toEqual(inbox.messages.map((m) => m.uid));
      const recent = await c.uidSearch(`SINCE ${imapSearchDate(Date.now() - 10 * 86_400_000)}`);
      expect(recent).toEqual(inbox.messages.filter((m) => m.internalDate >= Math.floor((Date.now() - 10 * 86_400_000) / 86_400_000) * 86_400_000).map((m) => m.uid));
      // "n:*" answers the highest UID even when n is past it (RFC 3501): the caller filters.
      expect(await c.uidSearch(`UID ${inbox.uidNext + 5}:*`)).toEqual([inbox.messages.at(-1)!.uid]);
      const fetched = await c.uidFetch(all.slice(0, 3));
      expect(fetched.map((m) => m.uid)).toEqual(all.slice(0, 3));
      for (const m of fetched) {
        const want = inbox.messages.find((x) => x.uid === m.uid)!;
        expect(Math.abs(m.internalDate - want.internalDate)).toBeLessThan(1000);
        expect(m.flags).toEqual(want.flags);
        const text = new TextDecoder().decode(m.raw);
        expect(text).toContain(`Message-ID: ${want.messageId}`);
        expect(text.endsWith("\r\n") || text.endsWith("--")).toBe(true);
      }
    });
  });

  it("APPEND answers APPENDUID and the message is in the folder; a draft is removed with UID STORE + UID EXPUNGE", async () => {
    const user = uniqueAddress("append");
    const ep = (await endpoints()).imap;
    const raw = new TextEncoder().encode("From: a@b.example\r\nTo: c@d.example\r\nSubject: Draft\r\nMessage-ID: <draft-1@qweb.test>\r\n\r\nHello\r\n.with a dot\r\n");
    await withImap(workerSockets, ep, { user, password: PASSWORD }, 5000, async (c) => {
      const appended = await c.append("Drafts", raw, ["\\Draft", "\\Seen"]);
      const drafts = (await icloudBox(user)).folders.find((f) => f.name === "Drafts")!;
      expect(appended).toEqual({ uidValidity: drafts.uidValidity, uid: drafts.messages.at(-1)!.uid });
      await c.select("Drafts");
      const [uid] = await c.uidSearch('HEADER Message-ID "<draft-1@qweb.test>"');
      expect(uid).toBe(appended!.uid);
      const [back] = await c.uidFetch([uid!]);
      expect(new TextDecoder().decode(back!.raw)).toBe(new TextDecoder().decode(raw));
      await c.deleteUid(uid!);
    });
    expect((await icloudBox(user)).folders.find((f) => f.name === "Drafts")!.messages).toEqual([]);
  });

  it("a refused login is unauthorized; a server BYE is transient; values with line breaks are never sent", async () => {
    const user = uniqueAddress("imapauth");
    const ep = (await endpoints()).imap;
    const bad = await caught(withImap(workerSockets, ep, { user, password: "not-an-app-password" }, 5000, async () => null));
    expect(bad).toBeInstanceOf(ProviderError);
    expect(bad).toMatchObject({ kind: "unauthorized" });
    await injectFaults({ provider: "icloud", kind: "503", match: "imap.mail.me.com/EXAMINE" });
    const bye = await caught(withImap(workerSockets, ep, { user, password: PASSWORD }, 5000, (c) => c.examine("INBOX")));
    expect(bye).toMatchObject({ kind: "transient" });
    expect(() => quote("INBOX\r\nA1 DELETE INBOX")).toThrow(ProviderError);
    const c = await ImapClient.open(workerSockets, ep, 5000);
    await c.login(user, PASSWORD);
    expect(c.capabilities.has("UIDPLUS")).toBe(true);
    await c.close();
  });

  it("parses IMAP dates with their zone", () => {
    expect(parseImapDate("17-Jul-1996 02:44:25 -0700")).toBe(Date.UTC(1996, 6, 17, 9, 44, 25));
    expect(parseImapDate(" 1-Dec-2026 10:00:00 +0100")).toBe(Date.UTC(2026, 11, 1, 9, 0, 0));
    expect(parseImapDate("garbage")).toBeNaN();
    expect(imapSearchDate(Date.UTC(2026, 8, 1, 23, 0))).toBe("1-Sep-2026");
  });
});

describe("SMTP submission client against the sandbox SMTP server", () => {
  it("EHLO, AUTH PLAIN, MAIL FROM/RCPT TO/DATA: the message arrives byte for byte, dot-stuffing undone", async () => {
    const user = uniqueAddress("smtp");
    const ep = (await endpoints()).smtp;
    const raw = new TextEncoder().encode("From: " + user + "\nTo: ana@client.example\nSubject: Dots\n\n.leading dot\n..two dots\nend\n");
    const queued = await submit(workerSockets, ep, { user, password: PASSWORD }, 5000, { from: user, to: ["ana@client.example", "bo@client.example"], raw });
    expect(queued).toMatch(/queued as/);
    const out = (await icloudBox(user)).outbox;
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ from: user, to: ["ana@client.example", "bo@client.example"] });
    expect(out[0]!.raw).toBe(new TextDecoder().decode(raw).replace(/\n/g, "\r\n"));
    expect(new TextDecoder().decode(dotStuff(new TextEncoder().encode(".a\n.\nb")))).toBe("..a\r\n..\r\nb\r\n.\r\n");
  });

  it("a wrong password is unauthorized, another sender is refused, and a STARTTLS endpoint that offers none gets no credentials", async () => {
    const user = uniqueAddress("smtpbad");
    const ep = (await endpoints()).smtp;
    const raw = new TextEncoder().encode("Subject: x\r\n\r\nx\r\n");
    expect(await caught(submit(workerSockets, ep, { user, password: "wxyz-wxyz-wxyz-wxy1" }, 5000, { from: user, to: ["a@b.example"], raw }))).toMatchObject({ kind: "unauthorized" });
    expect(await caught(submit(workerSockets, ep, { user, password: PASSWORD }, 5000, { from: "someone.else@icloud.example", to: ["a@b.example"], raw }))).toMatchObject({ kind: "permanent", message: expect.stringContaining("553") });
    const before = (await sandboxControl<{ requests: { path: string }[] }>("requests?provider=icloud")).requests.filter((r) => r.path.includes("smtp.mail.me.com/AUTH")).length;
    expect(await caught(submit(workerSockets, { ...ep, tls: "starttls" }, { user, password: PASSWORD }, 5000, { from: user, to: ["a@b.example"], raw }))).toMatchObject({ kind: "permanent", message: expect.stringContaining("STARTTLS") });
    const after = (await sandboxControl<{ requests: { path: string }[] }>("requests?provider=icloud")).requests.filter((r) => r.path.includes("smtp.mail.me.com/AUTH")).length;
    expect(after).toBe(before);
    expect((await icloudBox(user)).outbox).toEqual([]);
  });
});
