// Alt text per attached image: saved with the post's variant, sent to Instagram (`alt_text` on the
// image container and on each carousel image item) and to Facebook (`alt_text_custom` on the Page
// photo and on each unpublished photo of a multi-photo post), as the sandbox's own record shows.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, compose, expectStatus, getPost, runDue, textOf, uploadMediaOf, withMeta, type MetaSetup } from "./support";

let s: MetaSetup;
beforeAll(async () => {
  s = await withMeta("alt");
}, 120_000);

const mediaOf = (kind: "jpeg" | "mp4", n = 1) => uploadMediaOf(s, kind, n, kind === "jpeg" ? "alt-photo" : "alt-clip", 40);

type SandboxPost = { message: string; mediaType: string | null; altText: string | null; altTexts: (string | null)[] };
const sandboxPost = async (asset: string, text: string) =>
  ((await (await fetch(`${env.SANDBOX_URL}/_sandbox/meta/publish/posts?asset=${asset}`)).json()) as { posts: SandboxPost[] }).posts.find((p) => p.message === text);
const problems = (res: { json: any }) => (res.json.error.details as { path: string; message: string }[]).map((d) => `${d.path}: ${d.message}`);

describe("publishing: image alt text", () => {
  it("an image with alt text goes to Instagram and to a Facebook Page with it", async () => {
    const [img] = await mediaOf("jpeg");
    const alt = "A lemon tart on a blue plate, dusted with sugar";
    const text = textOf("alt");
    const post = await compose(s, {
      variants: [
        { accountId: s.igId, text, mediaIds: [img], altTexts: { [img!]: alt } },
        { accountId: s.pageId, text, mediaIds: [img], altTexts: { [img!]: `  ${alt}  ` } },
      ],
      scheduledFor: Date.now(),
    });
    // Saved with each variant's media (trimmed), shown back on the post.
    expect(post.variants.map((v) => v.altTexts)).toEqual([{ [img!]: alt }, { [img!]: alt }]);
    await runDue(s);
    const after = await getPost(s, post.id);
    for (const v of after.variants) expect(v.status, String(v.error)).toBe("published");
    const ig = await sandboxPost(s.igId, text);
    expect(ig).toMatchObject({ mediaType: "IMAGE", altText: alt });
    const fb = await sandboxPost(s.pageId, text);
    expect(fb).toMatchObject({ mediaType: "photo", altText: alt });
  });

  it("carousel and multi-photo posts carry each image's own alt text; a video takes none", async () => {
    const imgs = await mediaOf("jpeg", 2);
    const [clip] = await mediaOf("mp4");
    const text = textOf("alt-many");
    const altTexts = { [imgs[0]!]: "First: the shop front at dawn", [imgs[1]!]: "Second: a tray of croissants" };
    const post = await compose(s, {
      variants: [
        { accountId: s.igId, text, mediaIds: [imgs[0], clip, imgs[1]], altTexts },
        { accountId: s.pageId, text, mediaIds: imgs, altTexts: { [imgs[1]!]: "Second: a tray of croissants" } },
      ],
      scheduledFor: Date.now(),
    });
    await runDue(s);
    for (let i = 0; i < 3 && (await getPost(s, post.id)).variants.some((v) => v.status !== "published"); i++) {
      // The carousel's video may still be processing: its next try polls the same containers.
      await env.DB.prepare("UPDATE publish_variants SET due_at = ? WHERE post_id = ? AND status = 'scheduled'").bind(Date.now() - 1, post.id).run();
      await runDue(s);
    }
    for (const v of (await getPost(s, post.id)).variants) expect(v.status, String(v.error)).toBe("published");
    expect(await sandboxPost(s.igId, text)).toMatchObject({ mediaType: "CAROUSEL_ALBUM", altTexts: ["First: the shop front at dawn", null, "Second: a tray of croissants"] });
    expect(await sandboxPost(s.pageId, text)).toMatchObject({ mediaType: "album", altTexts: [null, "Second: a tray of croissants"] });
  });

  it("refuses alt text that is too long, for a file not attached, or for a video: 400 and the post is unchanged", async () => {
    const [img] = await mediaOf("jpeg");
    const [clip] = await mediaOf("mp4");
    const text = textOf("alt-bad");
    const draft = await compose(s, { variants: [{ accountId: s.igId, text, mediaIds: [img], altTexts: { [img!]: "A short description" } }] });
    const put = (altTexts: Record<string, string>, mediaIds = [img!]) =>
      call("PUT", `${s.base}/posts/${draft.id}`, { token: s.t.token, body: { variants: [{ accountId: s.igId, text: `${text} edited`, mediaIds, altTexts }] } });
    const long = await put({ [img!]: "x".repeat(1001) });
    expectStatus(long, 400);
    expect(long.json.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(long.json.error.details)).toMatch(/at most 1000 characters/);
    const stranger = await put({ [img!]: "ok", other: "not attached" });
    expectStatus(stranger, 400);
    expect(problems(stranger)).toContain("variants.0.altTexts.other: Alt text for a file that is not attached to this variant");
    const video = await put({ [clip!]: "a video" }, [clip!]);
    expectStatus(video, 400);
    expect(problems(video)).toContain(`variants.0.altTexts.${clip}: Alt text goes with images; Meta takes none for videos`);
    const created = await call("POST", `${s.base}/posts`, { token: s.t.token, body: { variants: [{ accountId: s.igId, text, mediaIds: [img], altTexts: { [img!]: "y".repeat(1001) } }] } });
    expectStatus(created, 400);
    // Nothing changed: the draft keeps its text and alt text.
    const after = await getPost(s, draft.id);
    expect(after.variants).toHaveLength(1);
    expect(after.variants[0]).toMatchObject({ altTexts: { [img!]: "A short description" } });
    expect(after.variants[0]!.text).toBe(text);
    // 1,000 characters exactly is fine.
    expectStatus(await put({ [img!]: "z".repeat(1000) }), 200);
  });
});
