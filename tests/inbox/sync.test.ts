import { describe, expect, it } from "vitest";
import { INITIAL_DAYS } from "../../worker/features/inbox/sync";
import { waitForMailbox } from "./support";
import { createDb } from "../../worker/db/client";
import { openMailboxSecrets } from "../../worker/features/inbox/credentials";
import { call, connectGmail, conversations, count, deliver, env, expectStatus, injectFaults, mailboxObject, ownerWithWorkspace, sandboxControl, sandboxMailbox, syncMailbox, thread, uniqueAddress } from "./support";

const DAY = 86_400_000;
const inWindow = (m: { labelIds: string[]; internalDate: number }) => !m.labelIds.includes("DRAFT") && m.internalDate >= Date.now() - INITIAL_DAYS * DAY;

describe("Gmail mailbox sync", () => {
  it("initial sync stores exactly the sandbox's messages of the window, threaded by threadId, with the mailbox's progress", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("initial");
    await (await fetch(`${env.SANDBOX_URL}/_sandbox/requests`, { method: "DELETE" })).text();
    const id = await connectGmail(t, ws.id, address);
    const before = await call("GET", `/api/workspaces/${ws.id}/inbox/mailboxes`, { token: t.token });
    expect(before.json.mailboxes).toEqual([expect.objectContaining({ id, address, provider: "gmail", status: "active" })]);
    await syncMailbox(id);

    const box = await sandboxMailbox(address);
    const expected = box.messages.filter(inWindow);
    expect(expected.length).toBeGreaterThan(10);
    const stored = await env.DB.prepare("SELECT provider_id AS id, thread_key AS threadId, subject FROM inbox_messages WHERE mailbox_id = ? ORDER BY provider_id").bind(id).all<{ id: string; threadId: string; subject: string }>();
    expect(stored.results.map((m) => m.id)).toEqual(expected.map((m) => m.id).sort());
    expect(Object.fromEntries(stored.results.map((m) => [m.id, m.threadId]))).toEqual(Object.fromEntries(expected.map((m) => [m.id, m.threadId])));
    expect(await count("SELECT 1 FROM conversations WHERE mailbox_id = ?", id)).toBe(new Set(expected.map((m) => m.threadId)).size);

    const view = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(view.json).toMatchObject({ status: "active", messagesSynced: expected.length, sync: { phase: "idle", historyId: box.historyId }, lastError: null });
    expect(view.json.lastSyncAt).toBeGreaterThan(0);
    expect(view.json.sync.timings).toMatchObject({ messages: expected.length, classified: expect.any(Number), fetchMs: expect.any(Number) });

    // Fetched through Gmail's batch endpoint, each message once (the sandbox logs each part as its call).
    const log = (await (await fetch(`${env.SANDBOX_URL}/_sandbox/requests?provider=gmail`)).json()) as { requests: { method: string; path: string }[] };
    const batches = log.requests.filter((r) => r.method === "POST" && r.path === "gmail.googleapis.com/batch/gmail/v1");
    expect(batches.length).toBe(Math.ceil(expected.length / 50));
    const fetched = log.requests.filter((r) => r.path.includes("format=raw") && expected.some((m) => r.path.includes(`/messages/${m.id}?`)));
    expect(fetched.length).toBe(expected.length);

    // A thread with a follow-up is one conversation of two messages, its subject without "Re:".
    const threadIds = expected.map((m) => m.threadId);
    const multi = threadIds.find((tid, i) => threadIds.indexOf(tid) !== i);
    expect(multi).toBeTruthy();
    const list = await conversations(t, { status: "open" });
    const conv = list.conversations.find((c) => c.messageCount === 2 && c.subject.startsWith("Could you"));
    expect(conv).toBeTruthy();
    const th = await thread(t, conv!.id);
    expect(th.messages.map((m) => m.subject)).toEqual([conv!.subject, `Re: ${conv!.subject}`]);
  });

  it("incremental sync from historyId brings new mail into its thread and new threads, and nothing twice", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("incr");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const n0 = await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id);
    const first = (await conversations(t)).conversations.find((c) => c.messageCount === 1)!;
    const threadKey = (await env.DB.prepare("SELECT thread_key AS k FROM conversations WHERE id = ?").bind(first.id).first<{ k: string }>())!.k;

    const fresh = await deliver(address, { from: "Nora New <nora@newclient.example>", subject: "Brand new request", text: "Can we talk tomorrow?" });
    const followUp = await deliver(address, { from: "Someone <someone@example.test>", subject: `Re: ${first.subject}`, text: "Any news?", threadId: threadKey });
    const ran = await mailboxObject(id).syncNow();
    expect(ran.state).toBe("syncing");
    await syncMailbox(id);

    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id)).toBe(n0 + 2);
    const after = await conversations(t);
    const newConv = after.conversations.find((c) => c.subject === "Brand new request");
    expect(newConv).toMatchObject({ unreadCount: 1, messageCount: 1, participants: [{ name: "Nora New", address: "nora@newclient.example" }] });
    const th = await thread(t, first.id);
    expect(th.messages.at(-1)).toMatchObject({ text: expect.stringContaining("Any news?"), direction: "in" });
    expect(await count("SELECT 1 FROM inbox_messages WHERE provider_id IN (?, ?)", fresh.id, followUp.id)).toBe(2);

    // A sync with nothing new stores nothing.
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id)).toBe(n0 + 2);
  });

  it("a 404 on a stale historyId falls back to a bounded full sync that misses nothing and duplicates nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("stale");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const n0 = await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id);
    const late = await deliver(address, { subject: "Arrived while history expired", text: "hello" });
    await sandboxControl("gmail/expire-history", { user: address });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id)).toBe(n0 + 1);
    expect(await count("SELECT 1 FROM inbox_messages WHERE provider_id = ?", late.id)).toBe(1);
    const status = await mailboxObject(id).status();
    expect(status.cursor).toEqual({ phase: "incremental", historyId: (await sandboxMailbox(address)).historyId });
  });

  it("a 429 with Retry-After pauses the sync at least that long, 500s back off, and the sync resumes from its cursor and completes", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("faults");
    await injectFaults([
      { provider: "gmail", kind: "429", match: `format=raw`, count: 1, after: 3, retryAfter: 30 },
      { provider: "gmail", kind: "500", match: `format=raw`, count: 2, after: 8 },
    ]);
    const id = await connectGmail(t, ws.id, address);
    const paused = await waitForMailbox(id, (st) => st.state === "waiting");
    expect(paused.nextAt! - Date.now()).toBeGreaterThan(20_000);
    expect(paused.cursor).toMatchObject({ phase: "initial" });
    const view = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(view.json.lastError).toMatch(/rate limit/i);
    expect(view.json.sync.phase).toBe("waiting");
    await syncMailbox(id);
    const expected = (await sandboxMailbox(address)).messages.filter(inWindow).length;
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id)).toBe(expected);
    expect((await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token })).json).toMatchObject({ status: "active", lastError: null, messagesSynced: expected });
  });

  it("an expired access token is refreshed and the sync goes on; a revoked grant marks the mailbox needs_reconnect", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("token");
    const id = await connectGmail(t, ws.id, address);
    await sandboxControl("google/expire", { user: address });
    await syncMailbox(id);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id)).toBeGreaterThan(10);

    // The user revokes QWEB's access in their Google account: every token of the grant dies.
    const secrets = await openMailboxSecrets(env, createDb(env.DB), { id, orgId: t.orgId });
    expect(Object.keys(secrets).sort()).toEqual(["accessToken", "refreshToken"]);
    const revoked = await fetch(`${env.SANDBOX_URL}/gmail/oauth2.googleapis.com/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${secrets.refreshToken}` });
    expect(revoked.status).toBe(200);
    await revoked.text();
    await deliver(address, { subject: "after revoke" });
    await mailboxObject(id).syncNow();
    const st = await syncMailbox(id);
    expect(st.state).toBe("stopped");
    const view = await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token });
    expect(view.json.status).toBe("needs_reconnect");
    expectStatus(await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token }), 409);
  });
});
