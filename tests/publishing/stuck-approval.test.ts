// Stuck posts (late or failed, with the reason) and their retry or cancel; posts waiting for a
// person on the approval path; every new route refuses another organization (404).
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { newTenant } from "../support/harness";
import { call, compose, expectStatus, getPost, injectFaultsMeta, jpegId, publishCount, runDue, textOf, withMeta, type MetaSetup } from "./support";

let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("stuck");
}, 120_000);

const stuckList = async () => (await call("GET", `${s.base}/posts?list=stuck`, { token: s.t.token })).json.posts as { id: string; stuck: { reason: string } }[];

describe("publishing: stuck posts", () => {
  it("a post that failed for good shows as stuck with its reason; retry publishes it once", async () => {
    const text = textOf("stuck");
    await injectFaultsMeta({ kind: "token-expired", match: `${s.pageId}/feed`, count: 1 });
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    await runDue(s);
    const failed = await getPost(s, post.id);
    expect(failed.status).toBe("failed");
    expect(failed.stuck!.reason).toMatch(/reconnect Meta/);
    expect((await stuckList()).map((p) => p.id)).toContain(post.id);
    const retried = await call("POST", `${s.base}/posts/${post.id}/retry`, { token: s.t.token });
    expectStatus(retried, 200);
    await runDue(s);
    expect((await getPost(s, post.id)).status).toBe("published");
    expect(await publishCount(s.pageId, text)).toBe(1);
    expect((await stuckList()).map((p) => p.id)).not.toContain(post.id);
    expectStatus(await call("POST", `${s.base}/posts/${post.id}/retry`, { token: s.t.token }), 409);
  });

  it("a post still not out minutes past its time is stuck ('still waiting' reason); cancel stops it for good", async () => {
    const text = textOf("late");
    await injectFaultsMeta({ kind: "500", match: `${s.pageId}/feed`, count: 1 });
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    await runDue(s);
    // Its time was 11 minutes ago and it is still waiting for a retry.
    await env.DB.prepare("UPDATE publish_posts SET scheduled_for = ? WHERE id = ?").bind(Date.now() - 11 * 60_000, post.id).run();
    const late = await getPost(s, post.id);
    expect(late.status).toBe("scheduled");
    expect(late.stuck!.reason).toMatch(/unknown error/i);
    expect((await stuckList()).map((p) => p.id)).toContain(post.id);
    const cancelled = await call("POST", `${s.base}/posts/${post.id}/cancel`, { token: s.t.token });
    expectStatus(cancelled, 200);
    expect(cancelled.json.post.status).toBe("cancelled");
    await env.DB.prepare("UPDATE publish_variants SET due_at = ? WHERE post_id = ?").bind(Date.now() - 1, post.id).run();
    await runDue(s);
    expect(await publishCount(s.pageId, text)).toBe(0);
    expectStatus(await call("POST", `${s.base}/posts/${post.id}/cancel`, { token: s.t.token }), 409);
  });
});

describe("publishing: approval path", () => {
  it("without autopilot a scheduled post waits for approval (stuck: not approved), is published once approved", async () => {
    const w = await withMeta("approve", { autopilot: false });
    const text = textOf("approve");
    const res = await call("POST", `${w.base}/posts`, { token: w.t.token, body: { variants: [{ accountId: w.pageId, text }], scheduledFor: Date.now() } });
    expectStatus(res, 201);
    const post = res.json.post;
    expect(post.approval.state).toBe("proposed");
    await runDue(w);
    expect(await publishCount(w.pageId, text)).toBe(0);
    await env.DB.prepare("UPDATE publish_posts SET scheduled_for = ? WHERE id = ?").bind(Date.now() - 11 * 60_000, post.id).run();
    expect((await getPost(w, post.id)).stuck!.reason).toBe("Not approved yet: it waits for an approver");
    const action = await call("GET", `/api/workspaces/${w.ws.id}/actions/${post.approval.actionId}`, { token: w.t.token });
    expect(action.json.kind).toBe("publish_post");
    expect(action.json.after.channels[0]).toMatchObject({ accountId: w.pageId, text });
    expectStatus(await call("POST", `/api/workspaces/${w.ws.id}/actions/${post.approval.actionId}/approve`, { token: w.t.token, body: {} }), 200);
    let p = await getPost(w, post.id);
    for (let i = 0; i < 80 && p.status !== "published"; i++) p = (await new Promise((r) => setTimeout(r, 100)), await getPost(w, post.id));
    expect(p.status).toBe("published");
    expect(await publishCount(w.pageId, text)).toBe(1);
  }, 120_000);

  it("rescheduling replaces the open action (the old one is cancelled)", async () => {
    const post = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("resched") }], scheduledFor: Date.now() + 86_400_000 });
    const first = post.approval!.actionId;
    const moved = await call("POST", `${s.base}/posts/${post.id}/schedule`, { token: s.t.token, body: { scheduledFor: Date.now() + 2 * 86_400_000 } });
    expectStatus(moved, 200);
    expect(moved.json.post.approval.actionId).not.toBe(first);
    expect((await call("GET", `/api/workspaces/${s.ws.id}/actions/${first}`, { token: s.t.token })).json.state).toBe("cancelled");
  });
});

describe("publishing: security", () => {
  it("another organization gets 404 on every publishing route with this workspace's ids", async () => {
    const media = await jpegId(s);
    const post = await compose(s, { title: "Victim post", variants: [{ accountId: s.pageId, text: textOf("victim") }] });
    const b = await newTenant({ name: "Intruder" });
    const routes: [string, string, unknown?][] = [
      ["GET", "/channels"], ["GET", "/media"], ["GET", `/media/${media}`], ["DELETE", `/media/${media}`],
      ["GET", "/calendar?from=2030-01-01&to=2030-01-31"], ["GET", "/posts?list=queue"], ["GET", `/posts/${post.id}`],
      ["POST", "/posts", { variants: [{ accountId: s.pageId, text: "x" }] }], ["POST", "/posts/from-content", { contentId: "x", accountIds: [s.pageId] }],
      ["PUT", `/posts/${post.id}`, { variants: [{ accountId: s.pageId, text: "x" }] }], ["POST", `/posts/${post.id}/schedule`, { scheduledFor: Date.now() + 3_600_000 }],
      ["POST", `/posts/${post.id}/cancel`], ["POST", `/posts/${post.id}/retry`], ["DELETE", `/posts/${post.id}`], ["POST", "/run-due"],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(method, `${s.base}${path}`, { token: b.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.text).not.toContain("Victim");
    }
    // B's own workspace does not see A's channels or post either.
    const { newWorkspace } = await import("../support/harness");
    const bws = await newWorkspace(b, "Intruder Co");
    expectStatus(await call("GET", `/api/workspaces/${bws.id}/publishing/posts/${post.id}`, { token: b.token }), 404);
    expectStatus(await call("GET", `/api/workspaces/${bws.id}/publishing/media/${media}`, { token: b.token }), 404);
    const foreign = await call("POST", `/api/workspaces/${bws.id}/publishing/posts`, { token: b.token, body: { variants: [{ accountId: s.pageId, text: "hijack" }] } });
    expectStatus(foreign, 400);
    expect((await getPost(s, post.id)).status).toBe("draft");
  });
});
