// Autopilot's postsPerDay guardrail for publish_post: posts already scheduled count, not only
// those already out, so scheduling ahead cannot take a channel past its daily limit.
import { beforeAll, describe, expect, it } from "vitest";
import { call, compose, expectStatus, getPost, runDue, textOf, withMeta, type MetaSetup } from "./support";

const HOUR = 3_600_000;
let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("guard");
  expectStatus(await call("PUT", `/api/workspaces/${s.ws.id}/actions/settings/publish_post`, { token: s.t.token, body: { autopilot: true, limits: { postsPerDay: 2 } } }), 200);
}, 120_000);

const waitReason = async (actionId: string) => (await call("GET", `/api/workspaces/${s.ws.id}/actions/${actionId}`, { token: s.t.token })).json.waitReason as string | null;

describe("publishing: autopilot's posts-per-day guardrail", () => {
  it("counts the channel's scheduled posts: the third post within a day waits for a person, one two days later does not", async () => {
    const base = Date.now() + 3 * 86_400_000;
    const first = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("day 1") }], scheduledFor: base });
    const second = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("day 2") }], scheduledFor: base + 2 * HOUR });
    expect(first.approval!.state).toBe("scheduled");
    expect(second.approval!.state).toBe("scheduled");
    // Nothing of the channel is published yet: before, only published posts counted and this one went through too.
    const third = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("day 3") }], scheduledFor: base + 20 * HOUR });
    expect(third.approval!.state).toBe("proposed");
    expect(await waitReason(third.approval!.actionId)).toBe(`Channel ${s.pageId} already has 2 posts published or scheduled within 24 hours of this one (autopilot allows 2 a day)`);
    // The same channel two days on is inside the limit.
    const later = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("day 5") }], scheduledFor: base + 48 * HOUR });
    expect(later.approval!.state).toBe("scheduled");
  });

  it("a cancelled post frees its place; a published one keeps it", async () => {
    const base = Date.now() + 8 * 86_400_000;
    const a = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("keep") }], scheduledFor: base });
    const b = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("cancel") }], scheduledFor: base + HOUR });
    expect(b.approval!.state).toBe("scheduled");
    expectStatus(await call("POST", `${s.base}/posts/${b.id}/cancel`, { token: s.t.token }), 200);
    const c = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("in its place") }], scheduledFor: base + 2 * HOUR });
    expect(c.approval!.state).toBe("scheduled");
    expect((await getPost(s, a.id)).approval!.state).toBe("scheduled");
  });

  it("posts published in the last day count as before", async () => {
    const now = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("now 1") }], scheduledFor: Date.now() });
    const now2 = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("now 2") }], scheduledFor: Date.now() });
    await runDue(s);
    expect((await getPost(s, now.id)).status).toBe("published");
    expect((await getPost(s, now2.id)).status).toBe("published");
    const third = await compose(s, { variants: [{ accountId: s.pageId, text: textOf("now 3") }], scheduledFor: Date.now() + HOUR });
    expect(third.approval!.state).toBe("proposed");
  });
});
