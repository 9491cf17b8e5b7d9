// Multi-media posts and video through the sandbox over HTTP: Instagram carousels (a child container
// per item, the CAROUSEL parent, status_code polling, media_publish), single Instagram videos as
// REELS, Facebook multi-photo posts (unpublished photos + attached_media) and Page videos
// (file_url), each exactly once, including a retry after a fault in the middle of the flow.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createCarouselContainer, createCarouselItem, createContainer, createPagePost, GraphWriteError, uploadUnpublishedPhoto } from "../../worker/connectors/meta/publish";
import { pageToken } from "../../worker/connectors/meta/social";
import { connect, rt, slugOf, userOf } from "../connectors/meta-support";
import { call, compose, expectStatus, getPost, igSettings, injectFaultsMeta, loseAnswer, publishCount, publishedOnRetry, retryNow, runDue, textOf, uploadMediaOf, withMeta, type MetaSetup } from "./support";

let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("carousel");
}, 120_000);

const mediaOf = (kind: "jpeg" | "mp4", n = 1) => uploadMediaOf(s, kind, n, kind === "jpeg" ? "media-photo" : "media-clip", 0);

const fileOf = (mediaId: string) => `/api/public-media/${mediaId}`;
type SandboxPost = { id: string; message: string; mediaType: string | null; children: { id: string; mediaType: string }[] };
const sandboxPosts = async (asset: string) => ((await (await fetch(`${env.SANDBOX_URL}/_sandbox/meta/publish/posts?asset=${asset}`)).json()) as { posts: SandboxPost[] }).posts;
/** How many child containers (IG) or unpublished photos (FB) the sandbox made from this library file. */
const itemCount = (asset: string, mediaId: string) => publishCount(`${asset}/items`, fileOf(mediaId));
const photoCount = (asset: string, mediaId: string) => publishCount(`${asset}/unpublished`, fileOf(mediaId));


describe("publishing carousels and video: happy path", () => {
  it("an Instagram carousel (2 images and a video): one child container each, the parent, polled, published once as CAROUSEL_ALBUM; the next sync sees it", async () => {
    await igSettings(s.igId, { inProgressPolls: 1, videoPolls: 2 });
    const media = [...(await mediaOf("jpeg", 2)), ...(await mediaOf("mp4"))];
    const text = textOf("carousel");
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: media, firstComment: `More ${text}` }], scheduledFor: Date.now() });
    expect(post.variants[0]!.status).toBe("scheduled");
    await runDue(s);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(v.permalink).toBe(`https://www.instagram.com/p/${v.providerPostId}/`);
    expect(v.commentId).toBeTruthy();
    expect(await publishCount(s.igId, text)).toBe(1);
    for (const m of media) expect(await itemCount(s.igId, m)).toBe(1);
    const out = (await sandboxPosts(s.igId)).find((p) => p.message === text)!;
    expect(out.mediaType).toBe("CAROUSEL_ALBUM");
    expect(out.children.map((c) => c.mediaType)).toEqual(["IMAGE", "IMAGE", "VIDEO"]);
    // The next Meta sync reads it back from the account's media (with its metrics).
    expectStatus(await call("POST", `/api/integrations/${s.integrationId}/sync`, { token: s.t.token }), 202);
    const { drain } = await import("../integrations/support");
    await drain(s.ws.id);
    expect((await getPost(s, post.id)).variants[0]!.metrics?.views).toBeGreaterThan(0);
  });

  it("a single Instagram video goes out as REELS after its container is IN_PROGRESS for a few polls", async () => {
    await igSettings(s.igId, { inProgressPolls: 1, videoPolls: 3 });
    const [video] = await mediaOf("mp4");
    const text = textOf("reel");
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: [video] }], scheduledFor: Date.now() });
    await runDue(s);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    const out = (await sandboxPosts(s.igId)).find((p) => p.message === text) as SandboxPost & { mediaType: string };
    expect(out.mediaType).toBe("VIDEO");
    expect(await publishCount(s.igId, text)).toBe(1);
  });

  it("a Facebook multi-photo post: each photo uploaded unpublished, then one feed post attaching them in order", async () => {
    const media = await mediaOf("jpeg", 3);
    const text = textOf("album");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text, mediaIds: media }], scheduledFor: Date.now() });
    await runDue(s);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(v.providerPostId).toMatch(new RegExp(`^${s.pageId}_`));
    const out = (await sandboxPosts(s.pageId)).find((p) => p.message === text)!;
    expect(out.mediaType).toBe("album");
    expect(out.children).toHaveLength(3);
    expect(await publishCount(s.pageId, text)).toBe(1);
    for (const m of media) expect(await photoCount(s.pageId, m)).toBe(1);
  });

  it("a Facebook video: POST /{page-id}/videos with file_url and description; permalink and first comment recorded, metrics after the sync", async () => {
    const [video] = await mediaOf("mp4");
    const text = textOf("fbvideo");
    const post = await compose(s, { variants: [{ accountId: s.pageId, text, mediaIds: [video], firstComment: `Watch ${text}` }], scheduledFor: Date.now() });
    await runDue(s);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(v.permalink).toBe(`https://www.facebook.com/${s.pageId}/videos/${v.providerPostId}/`);
    expect(v.commentId).toBeTruthy();
    expect(await publishCount(s.pageId, text)).toBe(1);
    expect((await sandboxPosts(s.pageId)).find((p) => p.message === text)!.mediaType).toBe("video");
    expectStatus(await call("POST", `/api/integrations/${s.integrationId}/sync`, { token: s.t.token }), 202);
    const { drain } = await import("../integrations/support");
    await drain(s.ws.id);
    expect((await getPost(s, post.id)).variants[0]!.metrics?.views).toBeGreaterThan(0);
  });
});

describe("publishing carousels and video: resume without duplicates", () => {
  it("a 500 on the third child container: the retry creates only the missing child and publishes once", async () => {
    await igSettings(s.igId, { inProgressPolls: 0, videoPolls: 0 });
    const media = await mediaOf("jpeg", 4);
    const text = textOf("carousel-500");
    await injectFaultsMeta({ kind: "500", match: `${s.igId}/media`, count: 1, after: 2 });
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: media }], scheduledFor: Date.now() });
    await runDue(s);
    const waiting = (await getPost(s, post.id)).variants[0]!;
    expect(waiting.status).toBe("scheduled");
    expect(await publishCount(s.igId, text)).toBe(0);
    await retryNow(s, post.id);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(await publishCount(s.igId, text)).toBe(1);
    for (const m of media) expect(await itemCount(s.igId, m)).toBe(1);
    expect((await sandboxPosts(s.igId)).find((p) => p.message === text)!.children).toHaveLength(4);
  });

  for (const step of ["parent", "media_publish"] as const) {
    it(`a carousel whose answer is lost at the ${step} step is retried: children are not re-created and it posts once`, async () => {
      await igSettings(s.igId, { inProgressPolls: 0, videoPolls: 1 });
      const media = [...(await mediaOf("jpeg")), ...(await mediaOf("mp4"))];
      const text = textOf(`carousel-lost-${step}`);
      await loseAnswer(step === "parent" ? "media" : "media_publish", text.slice(0, 24));
      const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: media }], scheduledFor: Date.now() });
      const v = await publishedOnRetry(s, post.id);
      expect(await publishCount(s.igId, text)).toBe(1);
      for (const m of media) expect(await itemCount(s.igId, m)).toBe(1);
    });
  }

  it("a carousel video still processing when the try's polls run out: the next try polls the same children and publishes once", async () => {
    await igSettings(s.igId, { inProgressPolls: 0, videoPolls: 12 });
    const media = [...(await mediaOf("mp4")), ...(await mediaOf("jpeg"))];
    const text = textOf("carousel-slow");
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: media }], scheduledFor: Date.now() });
    await runDue(s);
    const waiting = (await getPost(s, post.id)).variants[0]!;
    expect(waiting.status).toBe("scheduled");
    expect(waiting.error).toMatch(/still processing/);
    await retryNow(s, post.id);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(await publishCount(s.igId, text)).toBe(1);
    for (const m of media) expect(await itemCount(s.igId, m)).toBe(1);
    await igSettings(s.igId, { inProgressPolls: 1 });
  }, 30_000);

  it("a 500 on the second unpublished photo and a lost feed answer: photos are not re-uploaded, the post appears once", async () => {
    const media = await mediaOf("jpeg", 3);
    const text = textOf("album-faults");
    await injectFaultsMeta({ kind: "500", match: `${s.pageId}/photos`, count: 1, after: 1 });
    await loseAnswer("feed", text.slice(0, 24));
    const post = await compose(s, { variants: [{ accountId: s.pageId, text, mediaIds: media }], scheduledFor: Date.now() });
    await runDue(s);
    expect((await getPost(s, post.id)).variants[0]!.status).toBe("scheduled");
    await retryNow(s, post.id);
    await retryNow(s, post.id);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(await publishCount(s.pageId, text)).toBe(1);
    for (const m of media) expect(await photoCount(s.pageId, m)).toBe(1);
  });

  it("a Facebook video whose answer is lost is found among the Page's videos on retry, not posted again", async () => {
    const [video] = await mediaOf("mp4");
    const text = textOf("fbvideo-lost");
    await loseAnswer("videos", text.slice(0, 24));
    const post = await compose(s, { variants: [{ accountId: s.pageId, text, mediaIds: [video] }], scheduledFor: Date.now() });
    await runDue(s);
    expect((await getPost(s, post.id)).variants[0]!.status).toBe("scheduled");
    await retryNow(s, post.id);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status, String(v.error)).toBe("published");
    expect(v.permalink).toMatch(/\/videos\/\d+\/$/);
    expect(await publishCount(s.pageId, text)).toBe(1);
  });

  it("a carousel item that fails processing (ERROR) fails the post with the reason; a retry re-creates the failed items and publishes once", async () => {
    await igSettings(s.igId, { failContainer: true });
    const media = await mediaOf("jpeg", 2);
    const text = textOf("carousel-error");
    const post = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: media }], scheduledFor: Date.now() });
    await runDue(s);
    const v = (await getPost(s, post.id)).variants[0]!;
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/carousel item 1.*2207003/);
    expect(await publishCount(s.igId, text)).toBe(0);
    // Processing works again: the person's retry makes new containers for the failed items, and publishes once.
    await igSettings(s.igId, { inProgressPolls: 0 });
    expectStatus(await call("POST", `${s.base}/posts/${post.id}/retry`, { token: s.t.token }), 200);
    await runDue(s);
    const after = (await getPost(s, post.id)).variants[0]!;
    expect(after.status, String(after.error)).toBe("published");
    expect(await publishCount(s.igId, text)).toBe(1);
    for (const m of media) expect(await itemCount(s.igId, m)).toBe(2);
    expect((await sandboxPosts(s.igId)).filter((p) => p.message === text)).toHaveLength(1);
    await igSettings(s.igId, { inProgressPolls: 1 });
  });
});

describe("publishing carousels and video: validation", () => {
  const problems = (res: { json: any }) => (res.json.error.details as { path: string; message: string }[]).map((d) => `${d.path}: ${d.message}`);
  const post = (body: unknown) => call("POST", `${s.base}/posts`, { token: s.t.token, body });

  it("each network's media rules: at most 10 items, no file twice, a Facebook video on its own; the channels list says so", async () => {
    const ch = await call("GET", `${s.base}/channels`, { token: s.t.token });
    expect(ch.json.limits.instagram).toMatchObject({ media: 10, needsMedia: true });
    expect(ch.json.limits.instagram.mediaRule).toMatch(/2 to 10/);
    const photos = await mediaOf("jpeg", 11);
    const [video] = await mediaOf("mp4");
    const tooMany = await post({ variants: [{ accountId: s.igId, text: "eleven", mediaIds: photos }] });
    expectStatus(tooMany, 400);
    expect(tooMany.json.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(tooMany.json.error.details)).toMatch(/mediaIds/);
    const twice = await post({ variants: [{ accountId: s.igId, text: "twice", mediaIds: [photos[0], photos[0]] }] });
    expectStatus(twice, 400);
    expect(problems(twice)).toContain("variants.0.mediaIds: The same file is attached twice");
    const mixed = await post({ variants: [{ accountId: s.pageId, text: "mixed", mediaIds: [photos[0], video] }] });
    expectStatus(mixed, 400);
    expect(problems(mixed)).toContain("variants.0.mediaIds: A Facebook video is posted on its own: remove the other files or make separate posts");
    expectStatus(await post({ variants: [{ accountId: s.igId, text: "ten", mediaIds: [...photos.slice(0, 9), video] }, { accountId: s.pageId, text: "ten", mediaIds: photos.slice(0, 10) }] }), 201);
  });
});

describe("publishing carousels and video: the sandbox speaks Graph", () => {
  it("refuses >10 children, unknown or unfinished children, a lone carousel item and foreign media_fbids with Meta's error bodies", async () => {
    const slug = slugOf("carousel-sbx");
    const { secrets } = await connect(slug);
    const user = await userOf(slug);
    const page = user.pages.find((p) => p.ig)!;
    const igId = page.ig!.id;
    const token = secrets.accessToken as string;
    const url = (i: number) => `https://cdn.example.com/p${i}.jpg`;
    const err = (p: Promise<unknown>) => p.then(() => null, (e) => e as GraphWriteError);
    const children: string[] = [];
    for (let i = 0; i < 11; i++) children.push(await createCarouselItem(rt, token, { igId, imageUrl: url(i) }));
    const tooMany = await err(createCarouselContainer(rt, token, { igId, caption: "x", children }));
    expect(tooMany?.code).toBe(100);
    expect(tooMany?.message).toMatch(/between 2 and 10/);
    expect((await err(createCarouselContainer(rt, token, { igId, caption: "x", children: children.slice(0, 1) })))?.code).toBe(100);
    const unknown = await err(createCarouselContainer(rt, token, { igId, caption: "x", children: [children[0]!, "178000000"] }));
    expect(unknown?.code).toBe(100);
    expect(unknown?.subcode).toBe(33);
    // Not polled yet: still IN_PROGRESS.
    const early = await err(createCarouselContainer(rt, token, { igId, caption: "x", children: children.slice(0, 2) }));
    expect(early?.code).toBe(9007);
    const single = await createContainer(rt, token, { igId, caption: "single", imageUrl: url(99) });
    expect((await err(createCarouselContainer(rt, token, { igId, caption: "x", children: [single, children[0]!] })))?.message).toMatch(/carousel item/);
    expect((await err(createCarouselItem(rt, token, { igId })))?.code).toBe(9004);
    const videoAsReel = await fetch(`${rt.sandboxUrl}/meta/graph.facebook.com/v24.0/${igId}/media`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded" }, body: "is_carousel_item=true&media_type=REELS&video_url=https%3A%2F%2Fcdn.example.com%2Fv.mp4" });
    expect(((await videoAsReel.json()) as { error: { code: number } }).error.code).toBe(100);
    const pt = await pageToken(rt, secrets, page.id);
    const photo = await uploadUnpublishedPhoto(rt, pt, page.id, url(1));
    const foreign = await err(createPagePost(rt, pt, { pageId: page.id, message: "album", attachedMedia: [photo, "999999"] }));
    expect(foreign?.code).toBe(100);
    expect(foreign?.message).toMatch(/attached_media\[1\]/);
    const ok = await createPagePost(rt, pt, { pageId: page.id, message: `album ${slug}`, attachedMedia: [photo] });
    expect(ok.id).toMatch(new RegExp(`^${page.id}_`));
    expect((await err(createPagePost(rt, pt, { pageId: page.id, message: `again ${slug}`, attachedMedia: [photo] })))?.message).toMatch(/already attached/);
  });
});
