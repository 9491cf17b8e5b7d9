// Facebook Page and Instagram comments in the team inbox, against the Meta sandbox: sync of the
// newest posts' comments with replies and pagination, the signed webhook (idempotent, 401 on a bad
// signature), replies through the send_reply action exactly once, hide / unhide, tenant isolation.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { newTenant, newWorkspace } from "../support/harness";
import type { MetaSetup } from "../publishing/support";
import { connectOAuth, drain, ownerWithWorkspace } from "../integrations/support";
import { contractChecker } from "../api/contract-support";
import { daily } from "../retention/support";

const DAY = 86_400_000;
import { call, count, conversations, env, expectStatus, sandboxControl, syncMailbox, thread } from "./support";

const BASE = "http://qweb.test";

type SbComment = { id: string; postId: string; parentId: string | null; message: string; from: { id: string; name: string }; hidden: boolean };
const sandboxComments = async (s: MetaSetup, asset: string) =>
  (await sandboxControl<{ posts: { id: string; comments: SbComment[] }[] }>(`meta/comments/list?user=${s.slug}&asset=${asset}`)).posts.flatMap((p) => p.comments);

/**
 * The sandbox Meta user of this file. Its generated Pages, posts and comments derive from the
 * slug, so the slug is fixed (a time-based one gave every run other data, and the sync test's
 * counts once went wrong on some of it): this user runs two Pages, both with Instagram, so the
 * comment sources of several assets are exercised each run. The sandbox starts empty each run.
 */
const SLUG = "inbox-comments-13";

/** Owner, workspace, Meta connected through Facebook Login for SLUG and synced (as publishing's withMeta). */
async function withMeta(slug: string): Promise<MetaSetup> {
  const { t, ws } = await ownerWithWorkspace("Victim Bakery");
  const i = await connectOAuth(t, ws.id, "meta", {}, { login_hint: slug });
  await drain(ws.id);
  const user = await sandboxControl<{ pages: { id: string; ig: { id: string } | null }[] }>(`meta/user?user=${slug}`);
  const page = user.pages.find((p) => p.ig)!;
  return { t, ws, integrationId: i.id, pageId: page.id, igId: page.ig!.id, slug, base: `/api/workspaces/${ws.id}/publishing` };
}

async function withComments(slug: string, opts: { pageCap?: number } = {}) {
  const s = await withMeta(slug);
  if (opts.pageCap) {
    await sandboxControl("meta/comments/config", { user: s.slug, asset: s.pageId, maxPage: opts.pageCap });
    await sandboxControl("meta/comments/config", { user: s.slug, asset: s.igId, maxPage: opts.pageCap });
  }
  const res = await call("POST", `/api/workspaces/${s.ws.id}/inbox/comments/connect`, { token: s.t.token });
  expectStatus(res, 200);
  const boxes = res.json.mailboxes as { id: string; provider: string; address: string }[];
  // The sandbox user may run several Pages: the test reads the Page with Instagram that withMeta picked.
  const boxOf = async (asset: string) => (await env.DB.prepare("SELECT mailbox_id AS id FROM comment_sources WHERE asset_id = ?").bind(asset).first<{ id: string }>())?.id;
  const fbId = await boxOf(s.pageId);
  const igId = await boxOf(s.igId);
  const fb = boxes.find((b) => b.id === fbId)!;
  const ig = boxes.find((b) => b.id === igId)!;
  expect(fb && ig).toBeTruthy();
  for (const b of boxes) await syncMailbox(b.id);
  return { ...s, boxes, fb, ig };
}

type Setup = Awaited<ReturnType<typeof withComments>>;
let s: Setup;
beforeAll(async () => {
  s = await withComments(SLUG, { pageCap: 1 });
}, 180_000);

/** The conversation a comment belongs to. */
const convOf = async (commentId: string) => {
  const row = await env.DB.prepare("SELECT conversation_id AS id FROM inbox_comments WHERE comment_id = ?").bind(commentId).first<{ id: string }>();
  return (await conversations(s.t)).conversations.find((c) => c.id === row?.id)!;
};
const tops = async (asset: string) => (await sandboxComments(s, asset)).filter((c) => !c.parentId);

const hook = (body: string, signature: string) =>
  exports.default.fetch(new Request(`${BASE}/api/webhooks/meta`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body }));

describe("comments: sync", () => {
  it("each top-level comment of the newest posts is a conversation (channel, post preview, replies in the thread), paged through, classified; a re-sync duplicates nothing", async () => {
    const fbComments = await sandboxComments(s, s.pageId);
    const igComments = await sandboxComments(s, s.igId);
    const list = (await conversations(s.t)).conversations;
    const fbConvs = list.filter((c) => c.mailboxId === s.fb.id);
    const igConvs = list.filter((c) => c.mailboxId === s.ig.id);
    expect(fbConvs.every((c) => c.transport === "facebook") && igConvs.every((c) => c.transport === "instagram")).toBe(true);
    // Page size 1 at the sandbox: every comment still arrived, page after page; compared by id, so
    // a difference names the comments (and threads) that are extra or missing.
    const storedIds = async (mailboxId: string) => (await env.DB.prepare("SELECT provider_id AS id FROM inbox_messages WHERE mailbox_id = ?").bind(mailboxId).all<{ id: string }>()).results.map((r) => r.id).sort();
    const threadKeys = (convs: Record<string, any>[]) => Promise.all(convs.map(async (c) => (await env.DB.prepare("SELECT thread_key AS k FROM conversations WHERE id = ?").bind(c.id).first<{ k: string }>())!.k));
    expect(await storedIds(s.fb.id)).toEqual(fbComments.map((c) => c.id).sort());
    expect(await storedIds(s.ig.id)).toEqual(igComments.map((c) => c.id).sort());
    expect((await threadKeys(fbConvs)).sort()).toEqual(fbComments.filter((c) => !c.parentId).map((c) => c.id).sort());
    expect((await threadKeys(igConvs)).sort()).toEqual(igComments.filter((c) => !c.parentId).map((c) => c.id).sort());
    expect(fbConvs[0]).toMatchObject({ mailboxAddress: s.fb.address, subject: expect.stringMatching(/^Comment on “/), category: expect.any(String) });

    // A thread with a reply: both comments, oldest first; the post is previewed with its link.
    const parent = fbComments.find((c) => fbComments.some((r) => r.parentId === c.id)) ?? igComments.find((c) => igComments.some((r) => r.parentId === c.id));
    if (parent) {
      const conv = await convOf(parent.id);
      expect(conv.messageCount).toBe(2);
      const th = await thread(s.t, conv.id);
      expect(th.messages.map((m) => m.text)).toEqual([parent.message, expect.any(String)]);
      const comments = await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: s.t.token });
      expectStatus(comments, 200);
      expect(comments.json.post).toMatchObject({ id: parent.postId, permalink: expect.stringMatching(/^https:\/\/www\.(facebook|instagram)\.com\//) });
      expect(comments.json.comments.map((c: { commentId: string }) => c.commentId)[0]).toBe(parent.id);
    }
    // Classified like mail: a category with its reason and model on every inbound thread.
    for (const c of [...fbConvs, ...igConvs]) expect(c).toMatchObject({ category: expect.any(String), categoryReason: expect.any(String), categoryModel: expect.any(String) });

    const before = await count("SELECT 1 FROM inbox_messages WHERE mailbox_id IN (?, ?)", s.fb.id, s.ig.id);
    // Every comment conversation of the workspace: this user's other Page and its Instagram have their own.
    const commentConvs = async () => (await conversations(s.t)).conversations.filter((c) => c.transport !== "email").map((c) => c.id).sort();
    const convsBefore = await commentConvs();
    expect(convsBefore.length).toBeGreaterThan(fbConvs.length + igConvs.length);
    for (const b of s.boxes) {
      expectStatus(await call("POST", `/api/inbox/mailboxes/${b.id}/sync`, { token: s.t.token }), 202);
      await syncMailbox(b.id);
    }
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id IN (?, ?)", s.fb.id, s.ig.id)).toBe(before);
    expect(await commentConvs()).toEqual(convsBefore);
    // Connecting again is idempotent.
    const again = await call("POST", `/api/workspaces/${s.ws.id}/inbox/comments/connect`, { token: s.t.token });
    expect(again.json.mailboxes.map((b: { id: string }) => b.id).sort()).toEqual(s.boxes.map((b) => b.id).sort());
  });
});

describe("comments: webhook", () => {
  it("a signed Page comment webhook opens a conversation at once; a redelivery adds nothing; a bad signature is 401 and stores nothing", async () => {
    const message = `Do you have gluten-free options? ${Date.now()}`;
    const d = await sandboxControl<{ comment: SbComment; payload: string; signature: string }>("meta/comments/deliver", { user: s.slug, asset: s.pageId, message, deliver: false });
    const stored = () => count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ? AND provider_id = ?", s.fb.id, d.comment.id);

    const forged = await hook(d.payload, `sha256=${"0".repeat(64)}`);
    expect(forged.status).toBe(401);
    expect((await hook(d.payload.replace("gluten", "GLUTEN"), d.signature)).status).toBe(401);
    expect(await stored()).toBe(0);

    expect((await hook(d.payload, d.signature)).status).toBe(200);
    expect(await stored()).toBe(1);
    const conv = (await conversations(s.t)).conversations.find((c) => c.snippet.startsWith("Do you have gluten-free"))!;
    expect(conv).toMatchObject({ transport: "facebook", unreadCount: 1, messageCount: 1, waitingSince: expect.any(Number) });
    expect((await hook(d.payload, d.signature)).status).toBe(200);
    expect(await stored()).toBe(1);
    // The next poll finds the same comment: still one.
    await call("POST", `/api/inbox/mailboxes/${s.fb.id}/sync`, { token: s.t.token });
    await syncMailbox(s.fb.id);
    expect(await stored()).toBe(1);

    // An Instagram reply to an existing comment joins that comment's conversation.
    const igTop = (await tops(s.igId))[1] ?? (await tops(s.igId))[0]!;
    const r = await sandboxControl<{ comment: SbComment; payload: string; signature: string }>("meta/comments/deliver", { user: s.slug, asset: s.igId, postId: igTop.postId, parentId: igTop.id, message: "Any update on this?", deliver: false });
    expect((await hook(r.payload, r.signature)).status).toBe(200);
    const igConv = (await conversations(s.t)).conversations.find((c) => c.transport === "instagram" && c.snippet === "Any update on this?")!;
    expect(igConv).toBeTruthy();
    expect(igConv.id).toBe((await convOf(igTop.id)).id);
    const texts = (await thread(s.t, igConv.id)).messages.map((m) => m.text);
    expect(texts[0]).toBe(igTop.message);
    expect(texts.at(-1)).toBe("Any update on this?");
  });
});

describe("comments: replies and moderation", () => {
  it("an Instagram reply whose answer was lost is not posted again on retry (IG /{comment-id}/replies)", async () => {
    const top = (await tops(s.igId))[0]!;
    const conv = await convOf(top.id);
    const text = `We sent you a DM ✉️ ${Date.now()}`;
    await sandboxControl("meta/comments/lose-answer", { match: text, count: 1 });
    const failed = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: s.t.token, body: { body: text } });
    expectStatus(failed, 502);
    const draft = (await thread(s.t, conv.id)).drafts[0]!;
    expect(draft.body).toBe(text);
    const ok = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: s.t.token, body: { draftId: draft.id } });
    expectStatus(ok, 200);
    const posted = (await sandboxComments(s, s.igId)).filter((c) => c.parentId === top.id && c.message === text);
    expect(posted.map((c) => c.id)).toEqual([ok.json.providerMessageId]);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: s.t.token, body: { draftId: draft.id } }), 409);
  });

  it("hide and unhide a comment on Facebook (is_hidden) and Instagram (hide); the team's own reply cannot be hidden", async () => {
    for (const [box, asset] of [[s.fb, s.pageId], [s.ig, s.igId]] as const) {
      const top = (await tops(asset)).at(-1)!;
      const conv = await convOf(top.id);
      const view = await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: s.t.token });
      const first = view.json.comments[0];
      expect(first).toMatchObject({ commentId: top.id, hidden: false, own: false });
      const hid = await call("PUT", `/api/inbox/conversations/${conv.id}/comments/${first.messageId}/hidden`, { token: s.t.token, body: { hidden: true } });
      expectStatus(hid, 200);
      expect(hid.json).toEqual({ messageId: first.messageId, commentId: top.id, hidden: true });
      expect((await sandboxComments(s, asset)).find((c) => c.id === top.id)!.hidden).toBe(true);
      expect((await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: s.t.token })).json.comments[0].hidden).toBe(true);
      // Undo.
      expectStatus(await call("PUT", `/api/inbox/conversations/${conv.id}/comments/${first.messageId}/hidden`, { token: s.t.token, body: { hidden: false } }), 200);
      expect((await sandboxComments(s, asset)).find((c) => c.id === top.id)!.hidden).toBe(false);
      for (const body of [{}, { hidden: "yes" }, { hidden: true, extra: 1 }]) expectStatus(await call("PUT", `/api/inbox/conversations/${conv.id}/comments/${first.messageId}/hidden`, { token: s.t.token, body }), 400);
      if (box === s.fb) {
        const sent = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: s.t.token, body: { body: `Thank you! ${Date.now()}` } });
        expectStatus(sent, 200);
        const own = (await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: s.t.token })).json.comments.find((c: { own: boolean }) => c.own);
        expectStatus(await call("PUT", `/api/inbox/conversations/${conv.id}/comments/${own.messageId}/hidden`, { token: s.t.token, body: { hidden: true } }), 422);
      }
    }
  });
});

describe("comments: security", () => {
  it("another tenant's comment conversation answers 404 on every route; connecting comments needs Meta and an admin", async () => {
    const conv = (await conversations(s.t)).conversations.find((c) => c.transport === "facebook")!;
    const messageId = (await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: s.t.token })).json.comments[0].messageId;
    const other = await newTenant();
    expectStatus(await call("GET", `/api/inbox/conversations/${conv.id}`, { token: other.token }), 404);
    expectStatus(await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: other.token }), 404);
    expectStatus(await call("PUT", `/api/inbox/conversations/${conv.id}/comments/${messageId}/hidden`, { token: other.token, body: { hidden: true } }), 404);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: other.token, body: { body: "hi" } }), 404);
    expectStatus(await call("POST", `/api/workspaces/${s.ws.id}/inbox/comments/connect`, { token: other.token }), 404);
    expect((await conversations(other)).conversations).toEqual([]);
    // A workspace without Meta: a clear 409, nothing created.
    const ws = await newWorkspace(s.t, "No Meta");
    const none = await call("POST", `/api/workspaces/${ws.id}/inbox/comments/connect`, { token: s.t.token });
    expectStatus(none, 409);
    expect(none.json.error.code).toBe("CONFLICT");
    expect(await count("SELECT 1 FROM mailboxes WHERE workspace_id = ?", ws.id)).toBe(0);
  });
});

describe("comments: contract", () => {
  it("the comment routes answer their documented schemas", async () => {
    const api = await contractChecker();
    const auth = { token: s.t.token };
    expectStatus(await api.call("POST", `/api/workspaces/${s.ws.id}/inbox/comments/connect`, auth), 200);
    const list = await api.call("GET", `/api/orgs/${s.t.orgId}/inbox/conversations?limit=100`, auth);
    const conv = (list.json.conversations as { id: string; transport: string }[]).find((c) => c.transport === "instagram")!;
    expectStatus(await api.call("GET", `/api/inbox/conversations/${conv.id}`, auth), 200);
    const view = await api.call("GET", `/api/inbox/conversations/${conv.id}/comments`, auth);
    expectStatus(view, 200);
    const messageId = view.json.comments.find((c: { own: boolean }) => !c.own).messageId;
    expectStatus(await api.call("PUT", `/api/inbox/conversations/${conv.id}/comments/${messageId}/hidden`, { ...auth, body: { hidden: false } }), 200);
    expectStatus(await api.call("GET", `/api/inbox/mailboxes/${s.ig.id}`, auth), 200);
  });
});

// Comments deleted at the network leave the inbox as deleted mail does (tests/inbox/removals.test.ts).
describe("comments: deletions", () => {
  const stored = (mailboxId: string, commentId: string) => count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ? AND provider_id = ?", mailboxId, commentId);
  const deleteAt = (asset: string, id: string) => sandboxControl<{ comment: SbComment; payload: string | null; signature: string | null }>("meta/comments/delete", { user: s.slug, asset, id, deliver: false });

  it("a signed Page `feed` remove webhook deletes the comment's message (and its replies); an emptied conversation leaves the list; a forged one changes nothing", async () => {
    const fb = await sandboxComments(s, s.pageId);
    const top = fb.find((c) => !c.parentId && fb.some((r) => r.parentId === c.id)) ?? fb.find((c) => !c.parentId)!;
    const replies = fb.filter((r) => r.parentId === top.id);
    const conv = await convOf(top.id);
    expect(conv.messageCount).toBe(1 + replies.length);
    const d = await deleteAt(s.pageId, top.id);
    expect(JSON.parse(d.payload!).entry[0].changes[0].value).toMatchObject({ item: "comment", verb: "remove", comment_id: top.id });

    expect((await hook(d.payload!, `sha256=${"0".repeat(64)}`)).status).toBe(401);
    expect(await stored(s.fb.id, top.id)).toBe(1);
    expect((await hook(d.payload!, d.signature!)).status).toBe(200);
    for (const c of [top, ...replies]) expect(await stored(s.fb.id, c.id)).toBe(0);
    expect(await count("SELECT 1 FROM inbox_comments WHERE comment_id = ?", top.id)).toBe(0);
    expect((await conversations(s.t)).conversations.map((c) => c.id)).not.toContain(conv.id);
    expectStatus(await call("GET", `/api/inbox/conversations/${conv.id}`, { token: s.t.token }), 404);
    // A redelivery, and the next poll, change nothing more (the comment is gone at Meta too).
    const left = await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", s.fb.id);
    expect((await hook(d.payload!, d.signature!)).status).toBe(200);
    expectStatus(await call("POST", `/api/inbox/mailboxes/${s.fb.id}/sync`, { token: s.t.token }), 202);
    await syncMailbox(s.fb.id);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", s.fb.id)).toBe(left);
    expect(await stored(s.fb.id, top.id)).toBe(0);
  });

  it("a late `add` webhook after its `remove` never brings the comment back: neither when the remove came first, nor as a redelivery after it was stored and removed, nor as a reply to it", async () => {
    const postId = (await tops(s.pageId))[0]!.postId;
    const add = (p: Record<string, unknown>) => sandboxControl<{ comment: SbComment; payload: string; signature: string }>("meta/comments/deliver", { user: s.slug, asset: s.pageId, postId, deliver: false, ...p });

    // Out of order: the remove arrives first, then the add and a reply's add.
    const early = await add({ message: `Is the patio open tonight? ${Date.now()}` });
    const reply = await add({ parentId: early.comment.id, message: "Asking for a friend" });
    const removed = await deleteAt(s.pageId, early.comment.id);
    expect((await hook(removed.payload!, removed.signature!)).status).toBe(200);
    expect((await hook(early.payload, early.signature)).status).toBe(200);
    expect((await hook(reply.payload, reply.signature)).status).toBe(200);
    expect(await stored(s.fb.id, early.comment.id)).toBe(0);
    expect(await stored(s.fb.id, reply.comment.id)).toBe(0);
    expect((await conversations(s.t)).conversations.some((c) => c.snippet.startsWith("Is the patio open tonight?"))).toBe(false);

    // In order, then the add redelivered late.
    const late = await add({ message: `Do you deliver to the harbour? ${Date.now()}` });
    expect((await hook(late.payload, late.signature)).status).toBe(200);
    expect(await stored(s.fb.id, late.comment.id)).toBe(1);
    const gone = await deleteAt(s.pageId, late.comment.id);
    expect((await hook(gone.payload!, gone.signature!)).status).toBe(200);
    expect(await stored(s.fb.id, late.comment.id)).toBe(0);
    expect((await hook(late.payload, late.signature)).status).toBe(200);
    expect(await stored(s.fb.id, late.comment.id)).toBe(0);
    expect((await conversations(s.t)).conversations.some((c) => c.snippet.startsWith("Do you deliver to the harbour?"))).toBe(false);
  });

  it("comments deleted at the network without a webhook (Instagram sends none) are found gone by the next sync: a reply leaves its thread, a top-level comment takes its conversation", async () => {
    const ig = await sandboxComments(s, s.igId);
    const reply = ig.find((c) => c.parentId && ig.find((t) => t.id === c.parentId));
    const lone = ig.find((c) => !c.parentId && c.id !== reply?.parentId && !ig.some((r) => r.parentId === c.id))
      ?? ig.find((c) => !c.parentId && c.id !== reply?.parentId)!;
    const fbLone = (await tops(s.pageId)).at(-1)!;
    const loneConv = await convOf(lone.id);
    const replyConv = reply ? await convOf(reply.parentId!) : null;
    const igDeleted = await deleteAt(s.igId, lone.id);
    expect(igDeleted.payload).toBeNull();
    if (reply) await deleteAt(s.igId, reply.id);
    await deleteAt(s.pageId, fbLone.id);
    const fbConv = await convOf(fbLone.id);
    // Nothing arrived: still stored until the sync looks.
    expect(await stored(s.ig.id, lone.id)).toBe(1);
    for (const b of [s.ig, s.fb]) {
      expectStatus(await call("POST", `/api/inbox/mailboxes/${b.id}/sync`, { token: s.t.token }), 202);
      await syncMailbox(b.id);
    }
    expect(await stored(s.ig.id, lone.id)).toBe(0);
    expect(await stored(s.fb.id, fbLone.id)).toBe(0);
    const ids = (await conversations(s.t)).conversations.map((c) => c.id);
    expect(ids).not.toContain(loneConv.id);
    expect(ids).not.toContain(fbConv.id);
    if (reply && replyConv) {
      expect(await stored(s.ig.id, reply.id)).toBe(0);
      const th = await thread(s.t, replyConv.id);
      expect(th.conversation.messageCount).toBe(replyConv.messageCount - 1);
      expect(th.messages.map((m) => m.text)).not.toContain(reply.message);
    }
    // What is still at Meta is still in the inbox, once each.
    const nowIg = await sandboxComments(s, s.igId);
    expect(await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", s.ig.id)).toBe(nowIg.length);
  });
});

// Last: it turns on approvals for replies in the shared workspace.
describe("comments: replies through the approval path", () => {
  it("a reply proposed as a send_reply action posts exactly one public reply once approved (FB /{comment-id}/comments), and the thread shows it", async () => {
    expectStatus(await call("PUT", `/api/workspaces/${s.ws.id}/actions/settings/send_reply`, { token: s.t.token, body: { autopilot: false, limits: {} } }), 200);
    const top = (await tops(s.pageId))[0]!;
    const conv = await convOf(top.id);
    const text = `Thanks for asking — we reply within a day! ${Date.now()}`;
    const proposed = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: s.t.token, body: { body: text } });
    expectStatus(proposed, 202);
    const ours = async () => (await sandboxComments(s, s.pageId)).filter((c) => c.parentId === top.id && c.message === text);
    expect(await ours()).toHaveLength(0);

    const approved = await call("POST", `/api/workspaces/${s.ws.id}/actions/${proposed.json.action.id}/approve`, { token: s.t.token, body: {} });
    expectStatus(approved, 200);
    const until = Date.now() + 15_000;
    let action;
    do {
      action = (await call("GET", `/api/workspaces/${s.ws.id}/actions/${proposed.json.action.id}`, { token: s.t.token })).json;
      if (["done", "failed"].includes(action.state)) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < until);
    expect(action).toMatchObject({ state: "done" });
    const posted = await ours();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.from.id).toBe(s.pageId);
    const th = await thread(s.t, conv.id);
    expect(th.messages.at(-1)).toMatchObject({ direction: "out", text });
    expect(th.conversation).toMatchObject({ waitingSince: null, firstResponseAt: expect.any(Number) });
    // Approving again is refused; nothing is posted twice.
    expect((await call("POST", `/api/workspaces/${s.ws.id}/actions/${proposed.json.action.id}/approve`, { token: s.t.token, body: {} })).status).toBe(409);
    expect(await ours()).toHaveLength(1);
  });
});

// Very last: it runs the day-30 retention job.
describe("comments: privacy", () => {
  it("P18: disconnecting a comment source stops it at once; its comments, posts and conversations are present on day 29 and gone after the day-30 run", async () => {
    const id = s.fb.id;
    const rows = async () => ({
      messages: await count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id),
      comments: await count("SELECT 1 FROM inbox_comments WHERE mailbox_id = ?", id),
      posts: await count("SELECT 1 FROM inbox_comment_posts WHERE mailbox_id = ?", id),
      sources: await count("SELECT 1 FROM comment_sources WHERE mailbox_id = ?", id),
      conversations: await count("SELECT 1 FROM conversations WHERE mailbox_id = ?", id),
    });
    const held = await rows();
    expect(Math.min(...Object.values(held))).toBeGreaterThan(0);
    const conv = (await conversations(s.t)).conversations.find((c) => c.mailboxId === id)!;
    expectStatus(await call("DELETE", `/api/inbox/mailboxes/${id}`, { token: s.t.token }), 204);
    expect(await env.MAILBOX.getByName(id).status()).toMatchObject({ mailboxId: null, cursor: null, nextAt: null });
    expectStatus(await call("GET", `/api/inbox/conversations/${conv.id}/comments`, { token: s.t.token }), 404);
    // A webhook for the disconnected Page stores nothing.
    const d = await sandboxControl<{ comment: SbComment; payload: string; signature: string }>("meta/comments/deliver", { user: s.slug, asset: s.pageId, message: "Still there?", deliver: false });
    expect((await hook(d.payload, d.signature)).status).toBe(200);
    expect(await count("SELECT 1 FROM inbox_comments WHERE comment_id = ?", d.comment.id)).toBe(0);
    const at = (await env.DB.prepare("SELECT disconnected_at AS at FROM mailboxes WHERE id = ?").bind(id).first<{ at: number }>())!.at;
    await daily(at + 29 * DAY);
    expect(await rows()).toEqual(held);
    await daily(at + 30 * DAY);
    expect(await rows()).toEqual({ messages: 0, comments: 0, posts: 0, sources: 0, conversations: 0 });
    expect(await count("SELECT 1 FROM mailboxes WHERE id = ?", id)).toBe(0);
  });
});
