// Approval hands a post to its workspace's Publisher (the publish executor's handoff): the
// Publisher's alarm fires the post at its time without the ActionRunner, and records the action's
// outcome; the runner only looks HANDOFF_GRACE_MS later, as the safety net. A handed-over post
// whose action is no longer approved (cancelled) is never published, whatever its due time says.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDOFF_GRACE_MS } from "../../worker/features/publishing/executor";
import { call, compose, expectStatus, getPost, publishCount, textOf, withMeta, type MetaSetup } from "./support";

let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("handoff");
}, 120_000);

const actionOf = async (id: string) => (await call("GET", `/api/workspaces/${s.ws.id}/actions/${id}`, { token: s.t.token })).json;
const row = <T>(sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args).first<T>();

describe("publishing: approval hands the post to the Publisher", () => {
  it("an autopiloted post is due at its time in the Publisher (alarm set), and for the runner only after the grace", async () => {
    const at = Date.now() + 3_600_000;
    const post = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("armed") }], scheduledFor: at });
    const actionId = post.approval!.actionId;
    expect((await actionOf(actionId)).state).toBe("scheduled");
    expect((await row<{ due_at: number }>("SELECT due_at FROM publish_variants WHERE post_id = ?", post.id))!.due_at).toBe(at);
    expect((await row<{ due_at: number }>("SELECT due_at FROM actions WHERE id = ?", actionId))!.due_at).toBe(at + HANDOFF_GRACE_MS);
    const publisher = await env.PUBLISHER.getByName(s.ws.id).status();
    expect(publisher.nextAt).not.toBeNull();
    expect(publisher.nextAt!).toBeLessThanOrEqual(at);
  });

  it("the Publisher's alarm alone publishes it at its time and records the action done (no runner claim in the trail)", async () => {
    const text = textOf("alone");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() + 1_500 });
    const actionId = post.approval!.actionId;
    let p = await getPost(s, post.id);
    for (let i = 0; i < 150 && p.status !== "published"; i++) p = (await new Promise((r) => setTimeout(r, 100)), await getPost(s, post.id));
    expect(p.status).toBe("published");
    expect(await publishCount(s.pageId, text)).toBe(1);
    let action = await actionOf(actionId);
    for (let i = 0; i < 50 && action.state !== "done"; i++) action = (await new Promise((r) => setTimeout(r, 100)), await actionOf(actionId));
    expect(action.state).toBe("done");
    expect(action.providerResult.variants[0]).toMatchObject({ accountId: s.pageId, status: "published", providerPostId: p.variants[0]!.providerPostId });
    const trail = await env.DB.prepare("SELECT to_status FROM approval_events WHERE subject_kind = 'action' AND subject_id = ? ORDER BY created_at").bind(actionId).all<{ to_status: string }>();
    expect(trail.results.map((e) => e.to_status)).toEqual(["proposed", "scheduled", "done"]);
  }, 30_000);

  it("posts settled together each record their own provider answer on their own action", async () => {
    const at = Date.now() + 1_500;
    const posts = await Promise.all([1, 2, 3].map((i) => compose(s, { variants: [{ accountId: s.pageId, text: textOf(`together-${i}`) }], scheduledFor: at })));
    for (const post of posts) {
      let p = await getPost(s, post.id);
      for (let i = 0; i < 150 && p.status !== "published"; i++) p = (await new Promise((r) => setTimeout(r, 100)), await getPost(s, post.id));
      let action = await actionOf(post.approval!.actionId);
      for (let i = 0; i < 50 && action.state !== "done"; i++) action = (await new Promise((r) => setTimeout(r, 100)), await actionOf(post.approval!.actionId));
      expect(action.state).toBe("done");
      expect(action.providerResult.variants).toEqual([expect.objectContaining({ providerPostId: p.variants[0]!.providerPostId, permalink: p.variants[0]!.permalink })]);
    }
    expect(new Set(posts.map((p) => p.id)).size).toBe(3);
  }, 30_000);

  it("a handed-over post whose action was cancelled is not published, even once its time has passed", async () => {
    const text = textOf("withdrawn");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() + 3_600_000 });
    expectStatus(await call("POST", `/api/workspaces/${s.ws.id}/actions/${post.approval!.actionId}/cancel`, { token: s.t.token, body: {} }), 200);
    await env.DB.prepare("UPDATE publish_variants SET due_at = ? WHERE post_id = ?").bind(Date.now() - 1, post.id).run();
    await env.PUBLISHER.getByName(s.ws.id).runDue(s.ws.id);
    expect(await publishCount(s.pageId, text)).toBe(0);
    expect((await getPost(s, post.id)).variants[0]!.status).toBe("scheduled");
    // Nor does it keep the Publisher's alarm firing for a post it will never claim.
    const { nextDueAt } = await import("../../worker/features/publishing/engine");
    const { ctxFromEnv } = await import("../../worker/core/context");
    const next = await nextDueAt(ctxFromEnv(env as never), s.ws.id);
    expect(next === null || next > Date.now() + 60_000).toBe(true);
  });
});
