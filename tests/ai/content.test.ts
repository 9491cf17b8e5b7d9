import { describe, it } from "vitest";
import { inviteAndAccept } from "../support/harness";
import { call, env, expect, expectStatus, owner, startJob, waitForJob } from "./support";

async function draft() {
  const { t, ws } = await owner("Studio Co");
  const j = await waitForJob(t, await startJob(t, ws.id, "social_post", { variants: 2 }));
  expect(j.status, j.error).toBe("succeeded");
  return { t, ws, ids: j.contentIds as string[] };
}

describe("content studio", () => {
  it("P05: a generated item exposes its prompt and context; the library filters by kind and status", async () => {
    const { t, ws, ids } = await draft();
    const item = (await call("GET", `/api/content/${ids[0]}`, { token: t.token })).json;
    expect(item.content.prompt).toMatch(/Task: Write social posts/);
    expect(item.content.context.performance).toBeDefined();
    const lib = await call("GET", `/api/workspaces/${ws.id}/content?kind=social_post&status=draft`, { token: t.token });
    expect(lib.json.items.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
    expect((await call("GET", `/api/workspaces/${ws.id}/content?kind=ad_copy`, { token: t.token })).json.items).toEqual([]);
  });

  it("an edit keeps the previous text as a version and sends an approved item back to draft", async () => {
    const { t, ids } = await draft();
    const before = (await call("GET", `/api/content/${ids[0]}`, { token: t.token })).json.content;
    expectStatus(await call("POST", `/api/content/${ids[0]}/decision`, { token: t.token, body: { decision: "approve" } }), 200);
    const posts = [{ ...before.body.posts[0], text: "Edited by a human: autumn menu from Friday!" }];
    const edit = await call("PATCH", `/api/content/${ids[0]}`, { token: t.token, body: { body: { posts } } });
    expectStatus(edit, 200);
    expect(edit.json.content.version).toBe(2);
    expect(edit.json.content.status).toBe("draft");
    expect(edit.json.content.body.posts[0].text).toBe("Edited by a human: autumn menu from Friday!");
    const versions = (await call("GET", `/api/content/${ids[0]}/versions`, { token: t.token })).json.versions;
    expect(versions).toHaveLength(1);
    expect(versions[0].body.posts[0].text).toBe(before.body.posts[0].text);
    const bad = await call("PATCH", `/api/content/${ids[0]}`, { token: t.token, body: { body: { posts: [{ network: "x", text: "", hashtags: [] }] } } });
    expectStatus(bad, 400);
  });

  it("a portal editor can be asked to approve: the policy lets them, they are notified, and the trail records who approved", async () => {
    const { t, ws, ids } = await draft();
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer", "Vic Viewer");
    const client = await inviteAndAccept(t, { workspaceId: ws.id }, "editor", "Cleo Client");
    // Without the policy the portal editor may not approve.
    expectStatus(await call("POST", `/api/content/${ids[0]}/send-for-approval`, { token: t.token, body: {} }), 200);
    expectStatus(await call("POST", `/api/content/${ids[0]}/decision`, { token: client.token, body: { decision: "approve" } }), 403);
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/approval-policies/content`, { token: t.token, body: { approvers: ["admin", "portal_editor"] } }), 200);
    expectStatus(await call("POST", `/api/content/${ids[1]}/send-for-approval`, { token: t.token, body: { note: "For Friday" } }), 200);
    const notes = (await call("GET", "/api/notifications", { token: client.token })).json.notifications as { title: string; link: string }[];
    expect(notes.some((n) => n.title === "Content waiting for your approval" && n.link === `/content/${ids[1]}`)).toBe(true);
    // Viewers comment but never approve.
    expectStatus(await call("POST", `/api/content/${ids[1]}/comments`, { token: viewer.token, body: { body: "Love it" } }), 201);
    expectStatus(await call("POST", `/api/content/${ids[1]}/decision`, { token: viewer.token, body: { decision: "approve" } }), 403);
    const ok = await call("POST", `/api/content/${ids[1]}/decision`, { token: client.token, body: { decision: "approve", note: "Go" } });
    expectStatus(ok, 200);
    expect(ok.json.status).toBe("approved");
    const detail = (await call("GET", `/api/content/${ids[1]}`, { token: t.token })).json;
    expect(detail.content.status).toBe("approved");
    expect(detail.comments.map((c: { body: string }) => c.body)).toEqual(["Love it"]);
    expect(detail.approvals.map((a: { action: string; actorRole: string }) => `${a.action}:${a.actorRole}`)).toEqual(["requested:admin", "approved:portal_editor"]);
    expectStatus(await call("POST", `/api/content/${ids[1]}/decision`, { token: client.token, body: { decision: "reject" } }), 409);
  });

  it("viewers cannot start jobs, edit or delete; deleting removes the item", async () => {
    const { t, ws, ids } = await draft();
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer");
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/ai/jobs`, { token: viewer.token, body: { kind: "social_post", input: { brief: "x y z" } } }), 403);
    expectStatus(await call("DELETE", `/api/content/${ids[0]}`, { token: viewer.token }), 403);
    expectStatus(await call("DELETE", `/api/content/${ids[0]}`, { token: t.token }), 204);
    expectStatus(await call("GET", `/api/content/${ids[0]}`, { token: t.token }), 404);
  });

  it("another organization's jobs, content, images, settings and usage answer 404", async () => {
    const { t, ws, ids } = await draft();
    const other = await owner("Other");
    const jobId = (await env.DB.prepare("SELECT job_id FROM generated_content WHERE id = ?").bind(ids[0]).first<{ job_id: string }>())!.job_id;
    for (const [m, p] of [["GET", `/api/content/${ids[0]}`], ["GET", `/api/content/${ids[0]}/image`], ["GET", `/api/ai/jobs/${jobId}`], ["GET", `/api/workspaces/${ws.id}/content`], ["GET", `/api/orgs/${t.orgId}/ai/settings`], ["GET", `/api/ai/usage?orgId=${t.orgId}`], ["POST", `/api/content/${ids[0]}/decision`]] as const) {
      const res = await call(m, p, { token: other.t.token, body: m === "POST" ? { decision: "approve" } : undefined });
      expect(res.status, `${m} ${p}`).toBe(404);
    }
  });
});

describe("input validation", () => {
  it("bad job input answers 400 in the common error shape, never 5xx", async () => {
    const { t, ws } = await owner();
    for (const body of [{ kind: "poem", input: {} }, { kind: "social_post", input: { brief: "" } }, { kind: "social_post", input: { brief: "ok brief", networks: ["myspace"] } }, { kind: "ad_copy", input: { brief: "ok", variants: 9 } }]) {
      const res = await call("POST", `/api/workspaces/${ws.id}/ai/jobs`, { token: t.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
    }
    const key = await call("PUT", `/api/orgs/${t.orgId}/ai/keys/openai`, { token: t.token, body: { apiKey: "short" } });
    expectStatus(key, 400);
  });
});
