// Compose validation per network, posts from content, the media library (sniffing, size) and
// the signed, expiring media URLs Meta fetches.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, compose, expectStatus, JPEG, jpegId, MP4, PNG, textOf, upload, withMeta, type MetaSetup } from "./support";

let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("compose");
}, 120_000);

const post = (body: unknown) => call("POST", `${s.base}/posts`, { token: s.t.token, body });
const problems = (res: { json: any }) => (res.json.error.details as { path: string; message: string }[]).map((d) => `${d.path}: ${d.message}`);

describe("publishing: compose", () => {
  it("lists the workspace's Pages and Instagram accounts with each network's limits", async () => {
    const res = await call("GET", `${s.base}/channels`, { token: s.t.token });
    expectStatus(res, 200);
    expect(res.json.channels.map((c: { accountId: string }) => c.accountId)).toEqual(expect.arrayContaining([s.pageId, s.igId]));
    expect(res.json.channels.find((c: { accountId: string }) => c.accountId === s.igId).network).toBe("instagram");
    expect(res.json.limits.instagram).toMatchObject({ text: 2200, needsMedia: true, links: false });
    expect(res.json.limits.facebook.text).toBe(63_206);
  });

  it("Instagram: needs an image or video, JPEG only, 2,200 characters, 30 hashtags, no links", async () => {
    const png = await upload(s.base, s.t.token, PNG, "a.png", "image/png");
    expectStatus(png, 201);
    const r1 = await post({ variants: [{ accountId: s.igId, text: "No picture" }] });
    expectStatus(r1, 400);
    expect(problems(r1)).toContain("variants.0.mediaIds: Instagram needs an image or a video");
    const r2 = await post({ variants: [{ accountId: s.igId, text: "x".repeat(2201), mediaIds: [png.json.id], link: "https://example.com" }] });
    expectStatus(r2, 400);
    expect(problems(r2).join("\n")).toMatch(/variants\.0\.text: Instagram allows 2200 characters; this is 2201/);
    expect(problems(r2).join("\n")).toMatch(/variants\.0\.link: Instagram captions cannot carry links/);
    expect(problems(r2).join("\n")).toMatch(/variants\.0\.mediaIds: Instagram takes JPEG images/);
    const tags = Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(" ");
    const r3 = await post({ variants: [{ accountId: s.igId, text: tags, mediaIds: [await jpegId(s)] }] });
    expectStatus(r3, 400);
    expect(problems(r3)).toContain("variants.0.text: Instagram allows 30 hashtags; this has 31");
    // Emoji count as one character each, as the networks count them.
    const ok = await post({ variants: [{ accountId: s.igId, text: "🍰".repeat(2200), mediaIds: [await jpegId(s)] }] });
    expectStatus(ok, 201);
    expect(ok.json.post.status).toBe("draft");
  });

  it("Facebook: text, a link or an image; one variant per channel; unknown channels refused", async () => {
    const video = await upload(s.base, s.t.token, MP4, "clip.mp4", "video/mp4");
    expectStatus(video, 201);
    expect(video.json.type).toBe("video/mp4");
    const r = await post({ variants: [{ accountId: s.pageId, text: "" }, { accountId: s.pageId, text: "again", mediaIds: [video.json.id] }, { accountId: "123456", text: "nope" }] });
    expectStatus(r, 400);
    expect(problems(r)).toEqual(expect.arrayContaining([
      "variants.0.text: A Facebook post needs text, a link or an image",
      "variants.1.accountId: This channel already has a variant",
      "variants.2.accountId: Not a connected Facebook Page or Instagram account of this workspace",
    ]));
    expectStatus(await post({ variants: [{ accountId: s.pageId, text: "x".repeat(63_207) }] }), 400);
    expectStatus(await post({ variants: [{ accountId: s.pageId, text: "", link: "https://example.com/a" }] }), 201);
    expectStatus(await post({ variants: [{ accountId: s.pageId, text: "hi", link: "javascript:alert(1)" }] }), 400);
    expectStatus(await post({ variants: [{ accountId: s.pageId, text: "hi" }], scheduledFor: Date.now() - 3_600_000 }), 400);
  });

  it("a draft is edited, scheduled, rescheduled (calendar drag) and shows on the calendar in the workspace's time zone", async () => {
    expectStatus(await call("PUT", `/api/workspaces/${s.ws.id}/dashboard/time-zone`, { token: s.t.token, body: { timeZone: "Pacific/Auckland" } }), 200);
    const draft = await compose(s, { title: "Spring launch", variants: [{ accountId: s.pageId, text: textOf("draft") }] });
    const edited = await call("PUT", `${s.base}/posts/${draft.id}`, { token: s.t.token, body: { title: "Spring launch v2", variants: [{ accountId: s.pageId, text: textOf("edited") }, { accountId: s.igId, text: "IG too", mediaIds: [await jpegId(s)] }] } });
    expectStatus(edited, 200);
    expect(edited.json.post.variants).toHaveLength(2);
    // 2027-03-10 23:30 in Auckland (UTC+13) is 2027-03-10 10:30 UTC.
    const at = Date.parse("2027-03-10T10:30:00Z");
    const sch = await call("POST", `${s.base}/posts/${draft.id}/schedule`, { token: s.t.token, body: { scheduledFor: at } });
    expectStatus(sch, 200);
    expect(sch.json.post).toMatchObject({ status: "scheduled", scheduledFor: at });
    const cal = await call("GET", `${s.base}/calendar?from=2027-03-10&to=2027-03-10`, { token: s.t.token });
    expectStatus(cal, 200);
    expect(cal.json.timeZone).toBe("Pacific/Auckland");
    expect(cal.json.posts.map((p: { id: string }) => p.id)).toEqual([draft.id]);
    // 10:30 UTC on the 11th would be the 11th in Auckland: dragged there, it leaves the 10th.
    const moved = Date.parse("2027-03-11T10:30:00Z");
    expectStatus(await call("POST", `${s.base}/posts/${draft.id}/schedule`, { token: s.t.token, body: { scheduledFor: moved } }), 200);
    expect((await call("GET", `${s.base}/calendar?from=2027-03-10&to=2027-03-10`, { token: s.t.token })).json.posts).toHaveLength(0);
    expect((await call("GET", `${s.base}/calendar?from=2027-03-11&to=2027-03-11`, { token: s.t.token })).json.posts).toHaveLength(1);
    const queue = await call("GET", `${s.base}/posts?list=queue`, { token: s.t.token });
    expect(queue.json.posts.map((p: { id: string }) => p.id)).toContain(draft.id);
    expectStatus(await call("GET", `${s.base}/calendar?from=2027-03-10&to=2027-06-10`, { token: s.t.token }), 400);
  });

  it("creates a draft from a social-post content item (its text per network, with hashtags)", async () => {
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO generated_content (id, org_id, workspace_id, job_id, variant, kind, title, body, provider, model, prompt, context, status, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 'social_post', 'Autumn menu', ?, 'local', 'local', 'p', '{}', 'draft', ?, ?)",
    ).bind(id, s.ws.orgId, s.ws.id, crypto.randomUUID(), JSON.stringify({ posts: [{ network: "facebook", text: "Our autumn menu is here", hashtags: ["autumn", "#menu"] }, { network: "instagram", text: "Autumn on a plate", hashtags: [] }] }), now, now).run();
    const res = await call("POST", `${s.base}/posts/from-content`, { token: s.t.token, body: { contentId: id, accountIds: [s.pageId] } });
    expectStatus(res, 201);
    expect(res.json.post).toMatchObject({ title: "Autumn menu", contentId: id, status: "draft" });
    expect(res.json.post.variants[0].text).toBe("Our autumn menu is here\n\n#autumn #menu");
    expectStatus(await call("POST", `${s.base}/posts/from-content`, { token: s.t.token, body: { contentId: "nope", accountIds: [s.pageId] } }), 404);
  });
});

describe("publishing: media library", () => {
  it("sniffs the type from the bytes, not the name or the declared type", async () => {
    const res = await upload(s.base, s.t.token, JPEG, "photo.png", "image/png");
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ type: "image/jpeg", bytes: JPEG.byteLength, name: "photo.png" });
    const back = await call("GET", `${s.base}/media/${res.json.id}`, { token: s.t.token });
    expect(back.headers.get("content-type")).toBe("image/jpeg");
    const list = await call("GET", `${s.base}/media`, { token: s.t.token });
    expect(list.json.media.map((m: { id: string }) => m.id)).toContain(res.json.id);
  });

  it("refuses HTML posing as an image, an empty file, a JSON body, and an image over 8 MB", async () => {
    expectStatus(await upload(s.base, s.t.token, new TextEncoder().encode("<html><script>alert(1)</script>"), "x.jpg"), 415);
    expectStatus(await upload(s.base, s.t.token, new Uint8Array()), 400);
    expectStatus(await call("POST", `${s.base}/media`, { token: s.t.token, body: { file: "x" } }), 415);
    const big = new Uint8Array(8 * 1024 * 1024 + 1);
    big.set(JPEG.slice(0, 12));
    const res = await upload(s.base, s.t.token, big);
    expectStatus(res, 413);
    expect(res.json.error.message).toMatch(/8 MB/);
  });

  it("a signed URL serves the file without a session until it expires; a changed signature or id is refused", async () => {
    const id = await jpegId(s);
    const { signedMediaUrl } = await import("../../worker/features/publishing/media");
    const { ctxFromEnv } = await import("../../worker/core/context");
    const url = new URL(await signedMediaUrl(ctxFromEnv(env), id, 60_000));
    const path = `${url.pathname}${url.search}`;
    const ok = await call("GET", path);
    expectStatus(ok, 200);
    expect(ok.headers.get("content-type")).toBe("image/jpeg");
    const sig = url.searchParams.get("sig")!;
    const forged = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
    expectStatus(await call("GET", path.replace(sig, forged)), 404);
    expectStatus(await call("GET", `${url.pathname}?expires=${Number(url.searchParams.get("expires")) + 1}&sig=${sig}`), 404);
    const expired = new URL(await signedMediaUrl({ ...ctxFromEnv(env), now: Date.now() - 120_000 }, id, 60_000));
    expectStatus(await call("GET", `${expired.pathname}${expired.search}`), 410);
    expectStatus(await call("GET", `/api/public-media/${id}`), 400);
  });
});
