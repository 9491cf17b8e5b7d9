import { describe, expect, it } from "vitest";
import { daily } from "../retention/support";
import { call, conversations, count, env, expectStatus, injectFaults, mailboxObject, ownerWithWorkspace, sandboxControl, syncMailbox, thread, uniqueAddress } from "./support";
import { APP_PASSWORD as PASSWORD, connectIcloud, connectOutlook } from "./transports-support";

const DAY = 86_400_000;
type IFolder = { name: string; uidValidity: number; uidNext: number; messages: { uid: number; flags: string[]; internalDate: number; subject: string; from: string; to: string; messageId: string; inReplyTo: string | null; references: string | null }[] };
const icloudBox = (user: string) => sandboxControl<{ folders: IFolder[]; outbox: { from: string; to: string[]; raw: string }[] }>(`icloud/mailbox?user=${encodeURIComponent(user)}`);
const folder = async (user: string, name: string) => (await icloudBox(user)).folders.find((f) => f.name === name)!;
const stored = (id: string) => count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id);
const windowStart = () => Math.floor((Date.now() - 90 * DAY) / DAY) * DAY;

async function connected(tag: string) {
  const { t, ws } = await ownerWithWorkspace();
  const address = uniqueAddress(tag);
  const id = await connectIcloud(t, ws.id, address);
  return { t, ws, address, id };
}

describe("iCloud mailboxes (IMAP + SMTP with an app-specific password)", () => {
  it("connect checks the password with a real IMAP login; bad input and refused passwords are 4xx and store nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("ic-connect");
    const bad = await call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/icloud/connect`, { token: t.token, body: { address, appPassword: "hunter2" } });
    expectStatus(bad, 400);
    await sandboxControl("icloud/revoke", { user: address, password: "wxyz-wxyz-wxyz-wxyz" });
    const refused = await call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/icloud/connect`, { token: t.token, body: { address, appPassword: "wxyz-wxyz-wxyz-wxyz" } });
    expectStatus(refused, 422);
    expect(refused.json.error.message).toMatch(/app-specific password/);
    expect(await count("SELECT 1 FROM mailboxes WHERE address = ?", address)).toBe(0);
    const id = await connectIcloud(t, ws.id, address);
    const creds = await env.DB.prepare("SELECT field, ciphertext FROM mailbox_credentials WHERE mailbox_id = ?").bind(id).all<{ field: string; ciphertext: string }>();
    expect(creds.results.map((r) => r.field)).toEqual(["password"]);
    expect(creds.results[0]!.ciphertext).not.toContain(PASSWORD);
    const list = await call("GET", `/api/workspaces/${ws.id}/inbox/mailboxes`, { token: t.token });
    expect(JSON.stringify(list.json)).not.toContain(PASSWORD);
  });

  it("initial sync stores INBOX and Sent Messages of the window (not Junk), threaded by References, read state from \\Seen", async () => {
    const { t, address, id } = await connected("ic-initial");
    await syncMailbox(id);
    const inbox = await folder(address, "INBOX");
    const junk = await folder(address, "Junk");
    const expected = inbox.messages.filter((m) => m.internalDate >= windowStart());
    expect(expected.length).toBeGreaterThan(10);
    expect(junk.messages.length).toBeGreaterThan(0);
    const rows = await env.DB.prepare("SELECT provider_id AS id, thread_key AS k, unread FROM inbox_messages WHERE mailbox_id = ?").bind(id).all<{ id: string; k: string; unread: number }>();
    expect(rows.results.map((r) => r.id).sort()).toEqual(expected.map((m) => `mid:${m.messageId}`).sort());
    for (const m of expected) {
      const row = rows.results.find((r) => r.id === `mid:${m.messageId}`)!;
      expect(row.k).toBe(`mid:${(m.references ?? m.messageId).split(/\s+/)[0]}`);
      expect(row.unread).toBe(m.flags.includes("\\Seen") ? 0 : 1);
    }
    const conv = (await conversations(t)).conversations.find((c) => c.messageCount === 2 && c.subject.startsWith("Could you"))!;
    expect(conv).toBeTruthy();
    expect((await thread(t, conv.id)).messages.map((m) => m.subject)).toEqual([conv.subject, `Re: ${conv.subject}`]);
    expect((await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token })).json).toMatchObject({ provider: "icloud", status: "active", messagesSynced: expected.length, sync: { phase: "idle" }, lastError: null });
    const cursor = (await mailboxObject(id).status()).cursor as { phase: string; state: { folders: Record<string, { uidValidity: number; lastUid: number }> } };
    expect(cursor.phase).toBe("incremental");
    expect(cursor.state.folders.inbox).toEqual(expect.objectContaining({ name: "INBOX", uidValidity: inbox.uidValidity, lastUid: inbox.uidNext - 1 }));
    expect(cursor.state.folders.sent).toEqual(expect.objectContaining({ name: "Sent Messages" }));
  });

  it("incremental sync fetches only UIDs above the last one: a new thread and a reply in its thread; nothing twice", async () => {
    const { t, address, id } = await connected("ic-incr");
    await syncMailbox(id);
    const n0 = await stored(id);
    const root = (await folder(address, "INBOX")).messages.find((m) => m.subject.startsWith("Quote request"))!;
    await sandboxControl("icloud/deliver", { user: address, from: "Nora New <nora@newclient.example>", subject: "Brand new request", text: "Can we talk?" });
    await sandboxControl("icloud/deliver", { user: address, from: root.from, subject: `Re: ${root.subject}`, text: "Any news?", inReplyTo: root.messageId });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await stored(id)).toBe(n0 + 2);
    const convs = (await conversations(t)).conversations;
    expect(convs.find((c) => c.subject === "Brand new request")).toMatchObject({ messageCount: 1, unreadCount: 1 });
    expect(convs.find((c) => c.subject === root.subject)).toMatchObject({ messageCount: 2 });
    const searches = (await sandboxControl<{ requests: { path: string }[] }>("requests?provider=icloud")).requests.filter((r) => r.path.includes("imap.mail.me.com/UID FETCH"));
    expect(searches.length).toBeGreaterThan(0);
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await stored(id)).toBe(n0 + 2);
  });

  it("a changed UIDVALIDITY walks that folder again: the new message arrives, none is stored twice", async () => {
    const { address, id } = await connected("ic-uidv");
    await syncMailbox(id);
    const n0 = await stored(id);
    const late = await sandboxControl<{ messageId: string }>("icloud/deliver", { user: address, subject: "After the rebuild", text: "hi" });
    const changed = await sandboxControl<{ uidValidity: number }>("icloud/uidvalidity", { user: address, folder: "INBOX" });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await stored(id)).toBe(n0 + 1);
    expect(await count("SELECT 1 FROM inbox_messages WHERE provider_id = ?", `mid:${late.messageId}`)).toBe(1);
    const cursor = (await mailboxObject(id).status()).cursor as { reason: string; state: { folders: Record<string, { uidValidity: number; lastUid: number }> } };
    expect(cursor.reason).toBe("full-resync");
    expect(cursor.state.folders.inbox!.uidValidity).toBe(changed.uidValidity);
  });

  it("a draft is APPENDed to Drafts; sending submits it over SMTP, files it in Sent Messages, removes the draft, and the thread shows it once", async () => {
    const { t, address, id } = await connected("ic-reply");
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations.find((c) => c.messageCount === 2 && c.subject.startsWith("Could you"))!;
    const last = (await thread(t, conv.id)).messages.at(-1)!;
    const draft = await call("POST", `/api/inbox/conversations/${conv.id}/drafts`, { token: t.token, body: { body: "Sure, done today.\n.\nBest" } });
    expectStatus(draft, 201);
    const drafts = await folder(address, "Drafts");
    expect(drafts.messages).toEqual([expect.objectContaining({ flags: ["\\Draft", "\\Seen"], inReplyTo: last.messageId, subject: `Re: ${conv.subject}` })]);
    expect(draft.json.providerDraftId).toBe(`imap-draft:${drafts.messages[0]!.messageId}`);

    const sent = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { draftId: draft.json.id } });
    expectStatus(sent, 200);
    const box = await icloudBox(address);
    expect(box.outbox).toEqual([expect.objectContaining({ from: address, to: [last.from.address] })]);
    expect(box.outbox[0]!.raw).toContain(`In-Reply-To: ${last.messageId}`);
    expect(box.folders.find((f) => f.name === "Drafts")!.messages).toEqual([]);
    expect(box.folders.find((f) => f.name === "Sent Messages")!.messages).toEqual([expect.objectContaining({ messageId: drafts.messages[0]!.messageId })]);
    const after = await thread(t, conv.id);
    expect(after.messages.at(-1)).toMatchObject({ direction: "out", text: expect.stringContaining("Sure, done today.") });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect((await thread(t, conv.id)).messages).toHaveLength(after.messages.length);
  });

  it("a BYE mid-sync is retried and the sync completes; a revoked app-specific password marks the mailbox needs_reconnect", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("ic-faults");
    await injectFaults({ provider: "icloud", kind: "503", match: "imap.mail.me.com/UID FETCH", count: 1 });
    const id = await connectIcloud(t, ws.id, address);
    await syncMailbox(id);
    expect(await stored(id)).toBe((await folder(address, "INBOX")).messages.filter((m) => m.internalDate >= windowStart()).length);
    await sandboxControl("icloud/revoke", { user: address, password: PASSWORD });
    await mailboxObject(id).syncNow();
    expect((await syncMailbox(id)).state).toBe("stopped");
    const view = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(view.json).toMatchObject({ status: "needs_reconnect", lastError: expect.stringMatching(/app-specific password/) });
    expectStatus(await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token }), 409);
  });

  it("P18: disconnecting an iCloud or Outlook mailbox deletes its credentials and cursor now; its mail is gone after the day-30 cron", async () => {
    const { t, ws, id } = await connected("ic-p18");
    const outlookId = await connectOutlook(t, ws.id, uniqueAddress("ol-p18"));
    const keep = await connectIcloud(t, ws.id, uniqueAddress("ic-p18keep"));
    for (const m of [id, outlookId, keep]) await syncMailbox(m);
    expect(await count("SELECT 1 FROM mailbox_credentials WHERE mailbox_id = ?", id)).toBe(1);
    expect(await count("SELECT 1 FROM mailbox_credentials WHERE mailbox_id = ?", outlookId)).toBe(2);
    const held = { [id]: await stored(id), [outlookId]: await stored(outlookId) };
    for (const m of [id, outlookId]) {
      expect(held[m]).toBeGreaterThan(10);
      expectStatus(await call("DELETE", `/api/inbox/mailboxes/${m}`, { token: t.token }), 204);
      expect(await count("SELECT 1 FROM mailbox_credentials WHERE mailbox_id = ?", m)).toBe(0);
      expect(await mailboxObject(m).status()).toMatchObject({ mailboxId: null, cursor: null, nextAt: null });
      expectStatus(await call("GET", `/api/inbox/mailboxes/${m}`, { token: t.token }), 404);
    }
    const at = (await env.DB.prepare("SELECT MAX(disconnected_at) AS at FROM mailboxes WHERE id IN (?, ?)").bind(id, outlookId).first<{ at: number }>())!.at;
    await daily(at + 29 * DAY);
    for (const m of [id, outlookId]) expect(await stored(m)).toBe(held[m]);
    await daily(at + 30 * DAY);
    for (const m of [id, outlookId]) {
      expect(await stored(m)).toBe(0);
      expect(await count("SELECT 1 FROM conversations WHERE mailbox_id = ?", m)).toBe(0);
      expect(await count("SELECT 1 FROM mailboxes WHERE id = ?", m)).toBe(0);
    }
    expect(await stored(keep)).toBeGreaterThan(10);
  });
});
