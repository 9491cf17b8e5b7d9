import { describe, expect, it } from "vitest";
import { daily } from "../retention/support";
import { newTenant, newWorkspace } from "../support/harness";
import { call, connectGmail, conversations, count, env, expectStatus, mailboxObject, ownerWithWorkspace, sandboxMailbox, syncMailbox, thread, uniqueAddress } from "./support";

const DAY = 86_400_000;

/** Rows of every D1 table that mention the value, by table. */
async function mentions(value: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'").all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of results) {
    const cols = (await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>()).results.map((c) => c.name);
    const where = cols.map((c) => `CAST("${c}" AS TEXT) = ?1`).join(" OR ");
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}" WHERE ${where}`).bind(value).first<{ n: number }>();
    if (n?.n) out[name] = n.n;
  }
  return out;
}

describe("inbox privacy and tenancy", () => {
  it("P04: a synced message is read — its headers, participants, subject and body are visible through the API", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("p04");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const sandbox = (await sandboxMailbox(address)).messages.find((m) => m.subject.startsWith("Quote request"))!;
    expect(sandbox).toBeTruthy();
    const convId = (await env.DB.prepare("SELECT id FROM conversations WHERE mailbox_id = ? AND thread_key = ?").bind(id, sandbox.threadId).first<{ id: string }>())!.id;
    const conv = (await conversations(t)).conversations.find((c) => c.id === convId)!;
    const sender = /<([^>]+)>/.exec(sandbox.from)![1]!;
    expect(conv.participants).toEqual([{ name: sandbox.from.split(" <")[0], address: sender }]);
    const msg = (await thread(t, conv.id)).messages[0]!;
    expect(msg).toMatchObject({ subject: sandbox.subject, from: { address: sender }, to: [{ address }], messageId: sandbox.messageId, direction: "in" });
    expect(msg.headers).toMatchObject({ subject: sandbox.subject, "message-id": sandbox.messageId });
    expect(msg.text).toMatch(/could you send us a quote/i);
    expect(msg.html).toMatch(/could you send us a quote/i);
  });

  it("attachments are stored in R2 and served only through the authenticated route with the sniffed type", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = await connectGmail(t, ws.id, uniqueAddress("att"));
    await syncMailbox(id);
    const row = await env.DB.prepare("SELECT a.id, a.filename, a.content_type AS type, a.r2_key AS key, m.conversation_id AS conv FROM inbox_attachments a JOIN inbox_messages m ON m.id = a.message_id WHERE a.mailbox_id = ? LIMIT 1").bind(id).first<{ id: string; filename: string; type: string; key: string; conv: string }>();
    expect(row).toMatchObject({ filename: expect.stringMatching(/^INV-\d+\.pdf$/), type: "application/pdf", key: expect.stringMatching(new RegExp(`^mailboxes/${id}/`)) });
    const th = await thread(t, row!.conv);
    expect(th.messages.flatMap((m) => m.attachments)).toContainEqual(expect.objectContaining({ id: row!.id, contentType: "application/pdf" }));
    const res = await call("GET", `/api/inbox/conversations/${row!.conv}/attachments/${row!.id}`, { token: t.token });
    expectStatus(res, 200);
    expect(res.text.startsWith("%PDF-")).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="INV-\d+\.pdf"$/);
    expectStatus(await call("GET", `/api/inbox/conversations/${row!.conv}/attachments/${row!.id}`), 401);
    const other = await newTenant();
    expectStatus(await call("GET", `/api/inbox/conversations/${row!.conv}/attachments/${row!.id}`, { token: other.token }), 404);
  });

  it("tenant isolation: every inbox route answers 404 to another organization, and its lists never show foreign conversations", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = await connectGmail(t, ws.id, uniqueAddress("iso"));
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations[0]!;
    const other = await newTenant();
    await newWorkspace(other, "Theirs");
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/inbox/conversations/${conv.id}`],
      ["PATCH", `/api/inbox/conversations/${conv.id}`, { status: "resolved" }],
      ["POST", `/api/inbox/conversations/${conv.id}/read`],
      ["POST", `/api/inbox/conversations/${conv.id}/notes`, { body: "hi" }],
      ["POST", `/api/inbox/conversations/${conv.id}/drafts`, { body: "hi" }],
      ["POST", `/api/inbox/conversations/${conv.id}/reply`, { body: "hi" }],
      ["POST", `/api/inbox/conversations/${conv.id}/images`, { sender: "a@b.example" }],
      ["GET", `/api/inbox/mailboxes/${id}`],
      ["POST", `/api/inbox/mailboxes/${id}/sync`],
      ["DELETE", `/api/inbox/mailboxes/${id}`],
      ["GET", `/api/workspaces/${ws.id}/inbox/mailboxes`],
      ["POST", `/api/workspaces/${ws.id}/inbox/mailboxes/gmail/connect`, {}],
      ["GET", `/api/orgs/${t.orgId}/inbox/conversations`],
      ["GET", `/api/orgs/${t.orgId}/inbox/mailboxes`],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(method, path, { token: other.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await conversations(other)).conversations).toEqual([]);
    // Nothing changed for the owner.
    expect((await thread(t, conv.id)).conversation.status).toBe("open");
  });

  it("triage: assign to me, notes, snooze until later, resolve; the filters and unread counts follow", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = await connectGmail(t, ws.id, uniqueAddress("triage"));
    await syncMailbox(id);
    const start = await conversations(t);
    const unread = start.conversations.filter((c) => c.unreadCount > 0);
    expect(start.counts).toMatchObject({ open: start.conversations.length, unread: unread.length, unassigned: start.conversations.length, mine: 0 });
    const conv = unread[0]!;
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { assigneeId: t.userId, labels: ["lead", "lead", " vip "] } }), 200);
    expect((await conversations(t, { assignee: "mine" })).conversations.map((c) => c.id)).toEqual([conv.id]);
    expect((await conversations(t, { assignee: "unassigned" })).conversations.map((c) => c.id)).not.toContain(conv.id);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/read`, { token: t.token }), 204);
    expect((await conversations(t)).counts.unread).toBe(unread.length - 1);
    const note = await call("POST", `/api/inbox/conversations/${conv.id}/notes`, { token: t.token, body: { body: "Call them back" } });
    expectStatus(note, 201);
    const th = await thread(t, conv.id);
    expect(th.conversation).toMatchObject({ assigneeId: t.userId, labels: ["lead", "vip"], unreadCount: 0 });
    expect(th.notes).toEqual([expect.objectContaining({ body: "Call them back", authorId: t.userId })]);

    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { status: "snoozed", snoozedUntil: Date.now() + DAY } }), 200);
    expect((await conversations(t)).conversations.map((c) => c.id)).not.toContain(conv.id);
    expect((await conversations(t, { status: "snoozed" })).conversations.map((c) => c.id)).toEqual([conv.id]);
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { status: "resolved" } }), 200);
    const resolved = (await conversations(t, { status: "resolved" })).conversations;
    expect(resolved).toEqual([expect.objectContaining({ id: conv.id, resolvedAt: expect.any(Number) })]);
    expect((await conversations(t, { workspaceId: ws.id, status: "resolved" })).conversations).toHaveLength(1);
  });

  it("P18, P26: disconnecting a mailbox deletes its credentials and cursor at once; its mail is present on day 29 and gone after the day-30 cron", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("p18");
    const id = await connectGmail(t, ws.id, address);
    const keep = await connectGmail(t, ws.id, uniqueAddress("p18keep"));
    await syncMailbox(id);
    await syncMailbox(keep);
    const conv = (await conversations(t)).conversations.find((c) => c.mailboxId === id)!;
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/notes`, { token: t.token, body: { body: "note" } }), 201);
    const held = await mentions(id);
    expect(held).toMatchObject({ mailboxes: 1, mailbox_credentials: 2, conversations: expect.any(Number), inbox_messages: expect.any(Number), inbox_attachments: expect.any(Number), inbox_notes: 1 });
    const objects = await env.FILES.list({ prefix: `mailboxes/${id}/` });
    expect(objects.objects.length).toBeGreaterThan(0);

    expectStatus(await call("DELETE", `/api/inbox/mailboxes/${id}`, { token: t.token }), 204);
    expect(await count("SELECT 1 FROM mailbox_credentials WHERE mailbox_id = ?", id)).toBe(0);
    const st = await mailboxObject(id).status();
    expect(st).toMatchObject({ mailboxId: null, cursor: null, nextAt: null });
    expectStatus(await call("GET", `/api/inbox/mailboxes/${id}`, { token: t.token }), 404);
    expectStatus(await call("GET", `/api/inbox/conversations/${conv.id}`, { token: t.token }), 404);
    expect((await conversations(t)).conversations.map((c) => c.mailboxId)).not.toContain(id);
    const disconnectedAt = (await env.DB.prepare("SELECT disconnected_at AS at FROM mailboxes WHERE id = ?").bind(id).first<{ at: number }>())!.at;

    await daily(disconnectedAt + 29 * DAY);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id)).toBe(held.inbox_messages);
    await daily(disconnectedAt + 30 * DAY);
    const { activity_log: _log, ...left } = await mentions(id);
    expect(left).toEqual({});
    expect((await env.FILES.list({ prefix: `mailboxes/${id}/` })).objects).toEqual([]);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", keep)).toBeGreaterThan(10);
  });
});
