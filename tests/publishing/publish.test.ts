// Publishing to Facebook and Instagram through the sandbox over HTTP, exactly once.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, compose, expectStatus, getPost, igSettings, injectFaultsMeta, jpegId, loseAnswer, publishCount, publishedOnRetry, retryNow, runDue, textOf, withMeta, type MetaSetup } from "./support";

let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("publish");
}, 120_000);

describe("publishing: happy path", () => {
  it("publishes a Facebook post with its link and first comment, records id and permalink", async () => {
    const text = textOf("fb");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text, link: "https://example.com/spring", firstComment: `First! ${text}` }], scheduledFor: Date.now() });
    expect(post.status).toBe("scheduled");
    await runDue(s);
    const after = await getPost(s, post.id);
    expect(after.status).toBe("published");
    const v = after.variants[0]!;
    expect(v.providerPostId).toMatch(new RegExp(`^${s.pageId}_`));
    expect(v.permalink).toBe(`https://www.facebook.com/${v.providerPostId}`);
    expect(v.commentId).toBeTruthy();
    expect(await publishCount(s.pageId, text)).toBe(1);
    expect(await publishCount(`${v.providerPostId}/comments`, `First! ${text}`)).toBe(1);
  });

  it("publishes to Instagram through the container flow (create → poll status_code → media_publish) and to the Page with the photo", async () => {
    await igSettings(s.igId, { inProgressPolls: 2 });
    const media = await jpegId(s);
    const text = textOf("ig");
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: [media], firstComment: "Link in bio" }, { accountId: s.pageId, text, mediaIds: [media] }], scheduledFor: Date.now() });
    await runDue(s);
    const after = await getPost(s, post.id);
    expect(after.status).toBe("published");
    const ig = after.variants.find((v) => v.network === "instagram")!;
    expect(ig.providerPostId).toMatch(/^179/);
    expect(ig.permalink).toBe(`https://www.instagram.com/p/${ig.providerPostId}/`);
    expect(ig.commentId).toBeTruthy();
    expect(await publishCount(s.igId, text)).toBe(1);
    expect(await publishCount(s.pageId, text)).toBe(1);
    const posted = (await (await fetch(`${env.SANDBOX_URL}/_sandbox/meta/publish/posts?asset=${s.pageId}`)).json()) as { posts: { message: string; media: string }[] };
    // Meta fetched the image through a signed, expiring URL of the Worker.
    expect(posted.posts.find((p) => p.message === text)!.media).toMatch(/\/api\/public-media\/[^?]+\?expires=\d+&sig=[0-9a-f]{64}$/);
  });

  it("a scheduled post fires at its time from the workspace's alarm (not the cron), as its publish_post action", async () => {
    const text = textOf("alarm");
    const at = Date.now() + 1500;
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: at });
    expect(post.approval?.state).toBe("scheduled");
    await new Promise((r) => setTimeout(r, 500));
    expect((await getPost(s, post.id)).status).toBe("scheduled");
    expect(await publishCount(s.pageId, text)).toBe(0);
    // Nothing triggers it but the Durable Object alarms.
    let done = await getPost(s, post.id);
    for (let i = 0; i < 80 && done.status !== "published"; i++) done = (await new Promise((r) => setTimeout(r, 100)), await getPost(s, post.id));
    expect(done.status, JSON.stringify(done.variants[0])).toBe("published");
    expect(done.variants[0]!.publishedAt!).toBeGreaterThanOrEqual(at - 1000);
    // The Publisher wakes the action when its post settles; the action's runner records it next.
    const actionOf = () => call("GET", `/api/workspaces/${s.ws.id}/actions/${done.approval!.actionId}`, { token: s.t.token });
    let action = await actionOf();
    for (let i = 0; i < 50 && action.json.state !== "done"; i++) action = (await new Promise((r) => setTimeout(r, 100)), await actionOf());
    expect(action.json.state).toBe("done");
    expect(await publishCount(s.pageId, text)).toBe(1);
  });

  it("metrics of a published post appear after the next Meta sync, with what the post shows (text, photo)", async () => {
    const text = textOf("metrics");
    const photo = textOf("metrics photo");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    const igPost = await compose(s, { variants: [{ accountId: s.igId, text: photo, mediaIds: [await jpegId(s)] }], scheduledFor: Date.now() });
    await runDue(s);
    expect((await getPost(s, igPost.id)).status).toBe("published");
    expect((await getPost(s, post.id)).variants[0]!.metrics).toBeNull();
    expectStatus(await call("POST", `/api/integrations/${s.integrationId}/sync`, { token: s.t.token }), 202);
    const { drain } = await import("../integrations/support");
    await drain(s.ws.id);
    const m = (await getPost(s, post.id)).variants[0]!.metrics!;
    expect(m.views).toBeGreaterThan(0);
    const list = await call("GET", `${s.base}/posts?list=published`, { token: s.t.token });
    expect(list.json.posts.find((p: { id: string }) => p.id === post.id).variants[0].metrics.reach).toBe(m.reach);
    // The synced rows say what each post shows, for per-post analytics by format.
    const typeOf = async (providerId: string) => (await env.DB.prepare("SELECT media_type AS t FROM social_posts WHERE provider_id = ?").bind(providerId).first<{ t: string | null }>())?.t;
    expect(await typeOf((await getPost(s, post.id)).variants[0]!.providerPostId!)).toBe("text");
    expect(await typeOf((await getPost(s, igPost.id)).variants[0]!.providerPostId!)).toBe("photo");
  });
});

describe("publishing: exactly once", () => {
  const fbSteps = ["feed", "comments"] as const;
  for (const step of fbSteps) {
    it(`a Facebook publish whose answer is lost at ${step} is retried and posts once`, async () => {
      const text = textOf(`lost-${step}`);
      const comment = `Comment ${text}`;
      await loseAnswer(step, step === "feed" ? text.slice(0, 20) : comment.slice(0, 20));
      const post = await compose(s, { variants: [{ accountId: s.pageId, text, firstComment: comment }], scheduledFor: Date.now() });
      const v = await publishedOnRetry(s, post.id);
      expect(await publishCount(s.pageId, text)).toBe(1);
      expect(await publishCount(`${v.providerPostId}/comments`, comment)).toBe(1);
    });
  }

  for (const step of ["media", "media_publish", "comments"] as const) {
    it(`an Instagram publish whose answer is lost at ${step} is retried and posts once`, async () => {
      await igSettings(s.igId, { inProgressPolls: 1 });
      const media = await jpegId(s);
      const text = textOf(`ig-lost-${step}`);
      const comment = `IG comment ${text}`;
      await loseAnswer(step, step === "comments" ? comment.slice(0, 20) : text.slice(0, 20));
      const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: [media], firstComment: comment }], scheduledFor: Date.now() });
      const v = await publishedOnRetry(s, post.id);
      expect(await publishCount(s.igId, text)).toBe(1);
      expect(await publishCount(`${v.providerPostId}/comments`, comment)).toBe(1);
    });
  }

  it("a try that died mid-publish (lease expired) is taken over and posts once; a second runner finds nothing to do", async () => {
    const text = textOf("lease");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    // The first try marked the step and reached Meta, then its isolate died: only the marker and Meta's post remain.
    await loseAnswer("feed", text.slice(0, 20));
    await runDue(s);
    await env.DB.prepare("UPDATE publish_variants SET status = 'publishing', updated_at = ? WHERE post_id = ?").bind(Date.now() - 10 * 60_000, post.id).run();
    const [a, b] = await Promise.all([runDue(s), runDue(s)]);
    expect(a.published + b.published, JSON.stringify((await getPost(s, post.id)).variants[0])).toBe(1);
    expect(await publishCount(s.pageId, text)).toBe(1);
    expect((await getPost(s, post.id)).status).toBe("published");
  });

  it("a transient 500 before Meta recorded anything is retried with backoff and posts once", async () => {
    const text = textOf("500");
    await injectFaultsMeta({ kind: "500", match: `${s.pageId}/feed`, count: 1 });
    const post = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    await runDue(s);
    const waiting = (await getPost(s, post.id)).variants[0]!;
    expect(waiting.status).toBe("scheduled");
    expect(waiting.dueAt!).toBeGreaterThan(Date.now());
    expect(waiting.error).toMatch(/unknown error/i);
    // The retry is the Publisher's alarm.
    expect((await env.PUBLISHER.getByName(s.ws.id).status()).nextAt).toBe(waiting.dueAt);
    await retryNow(s, post.id);
    expect(await publishCount(s.pageId, text)).toBe(1);
  });
});

describe("publishing: provider limits", () => {
  it("Instagram's 50 posts per 24 h: the 51st waits with the reason and is not posted", async () => {
    await igSettings(s.igId, { usedToday: 50, inProgressPolls: 0 });
    const media = await jpegId(s);
    const text = textOf("limit");
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: [media] }], scheduledFor: Date.now() });
    await runDue(s);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status).toBe("scheduled");
    expect(v.error).toMatch(/50 posts per 24 hours/);
    expect(v.dueAt! - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(await publishCount(s.igId, text)).toBe(0);
    await igSettings(s.igId, { usedToday: 0 });
  });

  it("Meta's #506 duplicate: a post repeating the Page's recent text fails with the reason, nothing is posted twice", async () => {
    const text = textOf("dup");
    const first = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    await runDue(s);
    expect((await getPost(s, first.id)).status).toBe("published");
    // The first post predates this attempt (Graph's `since` is in seconds): someone else's, not a lost answer of ours.
    await new Promise((r) => setTimeout(r, 1100));
    const second = await compose(s, { variants: [{ accountId: s.pageId, text }], scheduledFor: Date.now() });
    await runDue(s);
    const v = (await getPost(s, second.id)).variants[0]!;
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/duplicate.*#506/i);
    expect(await publishCount(s.pageId, text)).toBe(1);
  });
});

