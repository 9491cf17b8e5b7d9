// Deletions and moves made at the provider (in Gmail, Outlook or another IMAP client) are mirrored
// by the next sync: a deleted message leaves its conversation, an emptied conversation leaves the
// list, an archived one is marked archived (and unmarked when it is moved back to the inbox).
import { describe, expect, it } from "vitest";
import { call, connectGmail, conversations, count, env, expectStatus, mailboxObject, ownerWithWorkspace, sandboxControl, syncMailbox, thread, uniqueAddress } from "./support";
import { connectIcloud, connectOutlook } from "./transports-support";
import type { Tenant } from "../support/harness";

type Stored = { providerId: string; conversationId: string };
const storedOf = async (mailboxId: string) =>
  (await env.DB.prepare("SELECT provider_id AS providerId, conversation_id AS conversationId FROM inbox_messages WHERE mailbox_id = ?").bind(mailboxId).all<Stored>()).results;

async function resync(id: string) {
  await mailboxObject(id).syncNow();
  await syncMailbox(id);
}

/** A conversation of two messages and two of one message, from what was synced. */
async function pick(t: Tenant, mailboxId: string) {
  const rows = await storedOf(mailboxId);
  const byConv = new Map<string, string[]>();
  for (const r of rows) byConv.set(r.conversationId, [...(byConv.get(r.conversationId) ?? []), r.providerId]);
  const listed = new Set((await conversations(t, { status: "open" })).conversations.map((c) => c.id));
  const pair = [...byConv].find(([c, ids]) => ids.length === 2 && listed.has(c))!;
  const singles = [...byConv].filter(([c, ids]) => ids.length === 1 && listed.has(c));
  expect(pair, "a two-message conversation").toBeTruthy();
  expect(singles.length).toBeGreaterThanOrEqual(2);
  return { pair: { id: pair[0], messages: pair[1] }, single: { id: singles[0]![0], message: singles[0]![1][0]! }, other: { id: singles[1]![0], message: singles[1]![1][0]! } };
}

async function expectMirrored(t: Tenant, p: Awaited<ReturnType<typeof pick>>, gone: string, archivedConv: string) {
  // The deleted message left its conversation; the other one stays, counted once.
  const th = await thread(t, p.pair.id);
  expect(th.messages).toHaveLength(1);
  expect(th.conversation.messageCount).toBe(1);
  expect(await count("SELECT 1 FROM inbox_messages WHERE provider_id = ?", gone)).toBe(0);
  // The conversation whose only message was deleted is gone from the list and from the API.
  const open = (await conversations(t, { status: "open" })).conversations.map((c) => c.id);
  expect(open).not.toContain(p.other.id);
  expectStatus(await call("GET", `/api/inbox/conversations/${p.other.id}`, { token: t.token }), 404);
  // The archived one is still there, its message marked archived.
  const arch = await thread(t, archivedConv);
  expect(arch.messages.map((m) => m.archived)).toEqual([true]);
  expect(open).toContain(archivedConv);
}

describe("deletions and moves made at the provider", () => {
  it("Gmail: history messagesDeleted and TRASH added delete, INBOX removed archives, INBOX added unarchives", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("rm-gmail");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const p = await pick(t, id);
    const [keep, trashed] = p.pair.messages as [string, string];

    await sandboxControl("gmail/move", { user: address, id: trashed, to: "trash" });
    await sandboxControl("gmail/move", { user: address, id: p.single.message, to: "archive" });
    await sandboxControl("gmail/delete", { user: address, id: p.other.message });
    await resync(id);
    await expectMirrored(t, p, trashed, p.single.id);
    expect(await count("SELECT 1 FROM inbox_messages WHERE provider_id = ?", keep)).toBe(1);
    const labels = await env.DB.prepare("SELECT label_ids AS l FROM inbox_messages WHERE provider_id = ?").bind(p.single.message).first<{ l: string }>();
    expect(JSON.parse(labels!.l)).not.toContain("INBOX");

    await sandboxControl("gmail/move", { user: address, id: p.single.message, to: "inbox" });
    await resync(id);
    expect((await thread(t, p.single.id)).messages.map((m) => m.archived)).toEqual([false]);
    // The mailbox's own count follows.
    const mb = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(mb.json.messagesSynced).toBe((await storedOf(id)).length);
  });

  it("Outlook: delta @removed is looked up: gone or in Deleted Items → deleted, in Archive → archived, back in the inbox → unarchived", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("rm-outlook");
    const id = await connectOutlook(t, ws.id, address);
    await syncMailbox(id);
    const p = await pick(t, id);
    // The conversation's inbound message (the reply in it may be a sent one).
    const box = await sandboxControl<{ messages: { id: string; folder: string }[] }>(`outlook/mailbox?user=${encodeURIComponent(address)}`);
    const inInbox = (mid: string) => box.messages.find((m) => m.id === mid)?.folder === "inbox";
    const trashed = p.pair.messages.find(inInbox)!;
    expect(trashed).toBeTruthy();

    await sandboxControl("outlook/delete", { user: address, id: trashed });
    await sandboxControl("outlook/move", { user: address, id: p.single.message, folder: "archive" });
    await sandboxControl("outlook/delete", { user: address, id: p.other.message, permanent: true });
    await resync(id);
    await expectMirrored(t, p, trashed, p.single.id);

    await sandboxControl("outlook/move", { user: address, id: p.single.message, folder: "inbox" });
    await resync(id);
    expect((await thread(t, p.single.id)).messages.map((m) => m.archived)).toEqual([false]);
  });

  it("iCloud: UIDs gone from a folder (same UIDVALIDITY) are found in Archive (archived) or deleted; a UIDVALIDITY change deletes nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("rm-icloud");
    const id = await connectIcloud(t, ws.id, address);
    await syncMailbox(id);
    const p = await pick(t, id);
    type F = { name: string; messages: { uid: number; messageId: string }[] };
    const inbox = (await sandboxControl<{ folders: F[] }>(`icloud/mailbox?user=${encodeURIComponent(address)}`)).folders.find((f) => f.name === "INBOX")!;
    const inInbox = (pid: string) => inbox.messages.some((m) => `mid:${m.messageId}` === pid);
    const trashed = p.pair.messages.find(inInbox)!;
    expect(trashed && inInbox(p.single.message) && inInbox(p.other.message)).toBe(true);

    // A UIDVALIDITY change first: every UID is new, nothing is lost.
    const before = (await storedOf(id)).length;
    await sandboxControl("icloud/uidvalidity", { user: address, folder: "INBOX" });
    await resync(id);
    await resync(id);
    expect((await storedOf(id)).length).toBe(before);

    await sandboxControl("icloud/move", { user: address, folder: "INBOX", messageId: trashed.slice(4), to: "Deleted Messages" });
    await sandboxControl("icloud/move", { user: address, folder: "INBOX", messageId: p.single.message.slice(4), to: "Archive" });
    await sandboxControl("icloud/delete", { user: address, folder: "INBOX", messageId: p.other.message.slice(4) });
    await resync(id);
    await expectMirrored(t, p, trashed, p.single.id);

    await sandboxControl("icloud/move", { user: address, folder: "Archive", messageId: p.single.message.slice(4), to: "INBOX" });
    await resync(id);
    expect((await thread(t, p.single.id)).messages.map((m) => m.archived)).toEqual([false]);
  });
});
