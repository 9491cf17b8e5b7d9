import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { openMailboxSecrets } from "../../worker/features/inbox/credentials";
import { newTenant, newWorkspace } from "../support/harness";
import { connectOutlook } from "./transports-support";
import { call, conversations, count, env, expectStatus, injectFaults, mailboxObject, ownerWithWorkspace, sandboxControl, syncMailbox, thread, uniqueAddress, waitForMailbox } from "./support";

const DAY = 86_400_000;
type GraphBoxMessage = { id: string; folder: string; conversationId: string; isRead: boolean; isDraft: boolean; receivedAt: number; subject: string; from: string; to: string; messageId: string; inReplyTo: string | null; text: string };
const graphBox = (user: string) => sandboxControl<{ messages: GraphBoxMessage[]; sent: { id: string; to: string; subject: string }[] }>(`outlook/mailbox?user=${encodeURIComponent(user)}`);
const inWindow = (m: GraphBoxMessage) => (m.folder === "inbox" || m.folder === "sentitems") && !m.isDraft && m.receivedAt >= Date.now() - 90 * DAY;
const stored = (id: string) => count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id);

async function connected(tag: string) {
  const { t, ws } = await ownerWithWorkspace();
  const address = uniqueAddress(tag);
  const id = await connectOutlook(t, ws.id, address);
  return { t, ws, address, id };
}

describe("Outlook mailbox sync (Microsoft Graph delta)", () => {
  it("initial sync walks the inbox and sent items deltas page by page and stores the window's messages threaded by conversationId", async () => {
    // An address whose generated inbox takes more than one delta page of 25: one in about 17 holds
    // exactly 25 messages, and the paging check below then failed.
    let address = uniqueAddress("ol-initial");
    while ((await graphBox(address)).messages.length <= 25) address = uniqueAddress("ol-initial");
    const { t, ws } = await ownerWithWorkspace();
    const id = await connectOutlook(t, ws.id, address);
    await syncMailbox(id);
    const box = await graphBox(address);
    const expected = box.messages.filter(inWindow);
    expect(expected.length).toBeGreaterThan(10);
    const rows = await env.DB.prepare("SELECT provider_id AS id, thread_key AS threadId FROM inbox_messages WHERE mailbox_id = ?").bind(id).all<{ id: string; threadId: string }>();
    expect(rows.results.map((r) => r.id).sort()).toEqual(expected.map((m) => m.id).sort());
    expect(Object.fromEntries(rows.results.map((r) => [r.id, r.threadId]))).toEqual(Object.fromEntries(expected.map((m) => [m.id, m.conversationId])));
    expect(await count("SELECT 1 FROM conversations WHERE mailbox_id = ?", id)).toBe(new Set(expected.map((m) => m.conversationId)).size);
    // 25 a page: the inbox takes more than one delta page (a $skiptoken nextLink), then sent items.
    const deltas = (await sandboxControl<{ requests: { path: string }[] }>("requests?provider=outlook")).requests.filter((r) => r.path.includes("/messages/delta"));
    expect(deltas.some((r) => r.path.includes("inbox") && r.path.includes("$skiptoken"))).toBe(true);
    expect(deltas.some((r) => r.path.includes("sentitems"))).toBe(true);

    const list = await call("GET", `/api/workspaces/${ws.id}/inbox/mailboxes`, { token: t.token });
    expect(list.json.mailboxes).toEqual([expect.objectContaining({ id, address, provider: "outlook", status: "active", messagesSynced: expected.length, sync: expect.objectContaining({ phase: "idle" }) })]);
    const conv = (await conversations(t)).conversations.find((c) => c.messageCount === 2 && c.subject.startsWith("Could you"))!;
    expect(conv).toBeTruthy();
    const th = await thread(t, conv.id);
    expect(th.messages.map((m) => m.subject)).toEqual([conv.subject, `Re: ${conv.subject}`]);
    const unread = expected.filter((m) => m.folder === "inbox" && !m.isRead).length;
    expect((await conversations(t)).counts.unread).toBeGreaterThan(0);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ? AND unread = 1", id)).toBe(unread);
  });

  it("incremental sync follows the stored deltaLink: new mail, a reply in its conversation, a message read elsewhere; nothing twice", async () => {
    const { t, address, id } = await connected("ol-incr");
    await syncMailbox(id);
    const n0 = await stored(id);
    const box = await graphBox(address);
    const first = box.messages.find((m) => m.folder === "inbox" && m.subject.startsWith("Quote request") && !m.isRead)!;
    await sandboxControl("outlook/deliver", { user: address, from: "Nora New <nora@newclient.example>", subject: "Brand new request", text: "Can we talk tomorrow?" });
    await sandboxControl("outlook/deliver", { user: address, from: first.from, subject: `RE: ${first.subject}`, text: "Any news?", conversationId: first.conversationId });
    await sandboxControl("outlook/read", { user: address, id: first.id });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await stored(id)).toBe(n0 + 2);
    const convs = (await conversations(t)).conversations;
    expect(convs.find((c) => c.subject === "Brand new request")).toMatchObject({ messageCount: 1, unreadCount: 1, participants: [{ name: "Nora New", address: "nora@newclient.example" }] });
    const quote = convs.find((c) => c.subject === first.subject)!;
    expect(quote).toMatchObject({ messageCount: 2, unreadCount: 1 });
    expect((await thread(t, quote.id)).messages.at(-1)).toMatchObject({ direction: "in", text: expect.stringContaining("Any news?") });
    const cursor = (await mailboxObject(id).status()).cursor as { phase: string; state: { deltaLinks: Record<string, string> } };
    expect(cursor.phase).toBe("incremental");
    expect(Object.keys(cursor.state.deltaLinks).sort()).toEqual(["inbox", "sentitems"]);
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await stored(id)).toBe(n0 + 2);
  });

  it("a 410 on an expired delta token restarts that folder's bounded window: the late message arrives, nothing is duplicated", async () => {
    const { address, id } = await connected("ol-410");
    await syncMailbox(id);
    const n0 = await stored(id);
    const late = await sandboxControl<{ id: string }>("outlook/deliver", { user: address, subject: "Arrived while the delta state expired", text: "hi" });
    await sandboxControl("outlook/expire-delta", { user: address });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await stored(id)).toBe(n0 + 1);
    expect(await count("SELECT 1 FROM inbox_messages WHERE provider_id = ?", late.id)).toBe(1);
    const gone = (await sandboxControl<{ requests: { path: string }[] }>("requests?provider=outlook")).requests.filter((r) => r.path.includes("$deltatoken"));
    expect(gone.length).toBeGreaterThan(0);
    expect((await mailboxObject(id).status()).cursor).toMatchObject({ phase: "incremental", reason: "full-resync" });
  });

  it("429 ApplicationThrottled with Retry-After pauses the sync at least that long; it resumes from its cursor and completes", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("ol-429");
    await injectFaults([
      { provider: "outlook", kind: "429", match: "/$value", count: 1, after: 4, retryAfter: 30 },
      { provider: "outlook", kind: "500", match: "/$value", count: 1, after: 8 },
    ]);
    const id = await connectOutlook(t, ws.id, address);
    const paused = await waitForMailbox(id, (st) => st.state === "waiting");
    expect(paused.nextAt! - Date.now()).toBeGreaterThan(20_000);
    const view = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(view.json).toMatchObject({ sync: { phase: "waiting" }, lastError: expect.stringMatching(/rate limit/i) });
    await syncMailbox(id);
    expect(await stored(id)).toBe((await graphBox(address)).messages.filter(inWindow).length);
    expect((await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token })).json).toMatchObject({ status: "active", lastError: null });
  });

  it("an expired access token is refreshed and the rotated refresh token replaces the old one; a spent refresh token marks the mailbox needs_reconnect", async () => {
    const { t, address, id } = await connected("ol-token");
    const db = createDb(env.DB);
    const before = await openMailboxSecrets(env, db, { id, orgId: t.orgId });
    await sandboxControl("outlook/expire", { user: address });
    await syncMailbox(id);
    expect(await stored(id)).toBeGreaterThan(10);
    const after = await openMailboxSecrets(env, db, { id, orgId: t.orgId });
    expect(after.refreshToken).toBeTruthy();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // The old refresh token was spent by the rotation.
    const reuse = await fetch(`${env.SANDBOX_URL}/outlook/login.microsoftonline.com/common/oauth2/v2.0/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: before.refreshToken!, client_id: "qweb-sandbox-client", client_secret: "qweb-sandbox-secret" }) });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe("invalid_grant");

    // Someone else redeems the stored refresh token: QWEB's copy is spent.
    const stolen = await fetch(`${env.SANDBOX_URL}/outlook/login.microsoftonline.com/common/oauth2/v2.0/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: after.refreshToken!, client_id: "qweb-sandbox-client", client_secret: "qweb-sandbox-secret" }) });
    expect(stolen.status).toBe(200);
    await stolen.text();
    await sandboxControl("outlook/expire", { user: address });
    await mailboxObject(id).syncNow();
    expect((await syncMailbox(id)).state).toBe("stopped");
    const view = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(view.json).toMatchObject({ status: "needs_reconnect", lastError: expect.stringMatching(/Outlook refused the stored authorization.*invalid_grant/) });
    expectStatus(await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token }), 409);
  });

  it("a draft is a Graph createReply in the conversation with the edited body; sending it moves it to Sent Items and the conversation shows it once", async () => {
    const { t, address, id } = await connected("ol-reply");
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations.find((c) => c.messageCount === 2 && c.subject.startsWith("Could you"))!;
    const th = await thread(t, conv.id);
    const last = th.messages.at(-1)!;
    const draft = await call("POST", `/api/inbox/conversations/${conv.id}/drafts`, { token: t.token, body: { body: "Done — the banner is live." } });
    expectStatus(draft, 201);
    let box = await graphBox(address);
    const gDraft = box.messages.find((m) => m.id === draft.json.providerDraftId)!;
    expect(gDraft).toMatchObject({ folder: "drafts", isDraft: true, conversationId: box.messages.find((m) => m.messageId === last.messageId)!.conversationId, inReplyTo: last.messageId, text: expect.stringContaining("Done — the banner is live.") });
    expect(gDraft.subject).toMatch(/^re: /i);

    const sent = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { draftId: draft.json.id } });
    expectStatus(sent, 200);
    box = await graphBox(address);
    expect(box.messages.find((m) => m.id === gDraft.id)).toMatchObject({ folder: "sentitems", isDraft: false });
    expect(box.sent).toEqual([expect.objectContaining({ id: gDraft.id, to: expect.stringContaining(last.from.address) })]);
    const after = await thread(t, conv.id);
    expect(after.messages.at(-1)).toMatchObject({ direction: "out", text: expect.stringContaining("Done — the banner is live.") });
    expect(after.conversation).toMatchObject({ waitingSince: null, firstResponseAt: expect.any(Number) });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect((await thread(t, conv.id)).messages).toHaveLength(after.messages.length);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { draftId: draft.json.id } }), 409);
  });

  it("tenant isolation: another organization cannot start an Outlook or iCloud connect on the workspace", async () => {
    const { ws } = await ownerWithWorkspace();
    const other = await newTenant();
    await newWorkspace(other, "Theirs");
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/outlook/connect`, { token: other.token, body: {} }), 404);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/icloud/connect`, { token: other.token, body: { address: "a@icloud.example", appPassword: "abcd-efgh-ijkl-mnop" } }), 404);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/outlook/connect`, { body: {} }), 401);
  });
});
