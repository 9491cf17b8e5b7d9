// Publishing tests: a workspace with a Meta connection (synced once from the sandbox), library
// uploads, the local "run due now" trigger, and the sandbox's exactly-once counters.
import { call, connectOAuth, drain, expectStatus, ownerWithWorkspace, sandboxControl } from "../integrations/support";
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { Tenant } from "../support/harness";

export { call, expectStatus, sandboxControl };
let n = 0;
export const slugOf = (tag: string) => `pub-${tag}-${Date.now().toString(36)}-${++n}`;
/** A unique post text (Meta refuses a repeat of a recent one with #506). */
export const textOf = (tag: string) => `${tag} ${Date.now().toString(36)}-${++n} — fresh from the studio ✨ #qweb`;

export type MetaSetup = { t: Tenant; ws: { id: string; orgId: string }; integrationId: string; pageId: string; igId: string; slug: string; base: string };

/** Owner, workspace, Meta connected through Facebook Login and synced (its Pages and IG accounts become channels). */
export async function withMeta(tag = "ws", opts: { autopilot?: boolean } = {}): Promise<MetaSetup> {
  const slug = slugOf(tag);
  const { t, ws } = await ownerWithWorkspace("Victim Bakery");
  const i = await connectOAuth(t, ws.id, "meta", {}, { login_hint: slug });
  await drain(ws.id);
  const user = await sandboxControl<{ pages: { id: string; ig: { id: string } | null }[] }>(`meta/user?user=${slug}`);
  const page = user.pages.find((p) => p.ig)!;
  // Autopilot for publish_post: a scheduled post's action is approved by itself (the approval flow has its own test).
  if (opts.autopilot !== false) expectStatus(await call("PUT", `/api/workspaces/${ws.id}/actions/settings/publish_post`, { token: t.token, body: { autopilot: true } }), 200);
  return { t, ws, integrationId: i.id, pageId: page.id, igId: page.ig!.id, slug, base: `/api/workspaces/${ws.id}/publishing` };
}

export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, ...new Array(200).fill(7), 0xff, 0xd9]);
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(100).fill(1)]);
export const MP4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, ...new Array(100).fill(2)]);

export function upload(base: string, token: string, bytes: Uint8Array, name = "photo.jpg", declared = "image/jpeg") {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type: declared }));
  return call("POST", `${base}/media`, { token, rawBody: form });
}

export async function jpegId(s: MetaSetup): Promise<string> {
  const res = await upload(s.base, s.t.token, JPEG);
  expectStatus(res, 201);
  return res.json.id;
}

export async function compose(s: MetaSetup, body: Record<string, unknown>) {
  const res = await call("POST", `${s.base}/posts`, { token: s.t.token, body });
  expectStatus(res, 201);
  return res.json.post as Post;
}

export async function runDue(s: MetaSetup) {
  const res = await call("POST", `${s.base}/run-due`, { token: s.t.token });
  expectStatus(res, 200);
  return res.json as { published: number; failed: number; deferred: number };
}

/** Makes the post's waiting variants due now (a retry's backoff passed) and runs the publisher. */
export async function retryNow(s: MetaSetup, postId: string) {
  await env.DB.prepare("UPDATE publish_variants SET due_at = ? WHERE post_id = ? AND status = 'scheduled'").bind(Date.now() - 1, postId).run();
  await runDue(s);
}

/** A due post whose first try loses the provider's answer waits for a retry, and the retry publishes it. */
export async function publishedOnRetry(s: MetaSetup, postId: string) {
  await runDue(s);
  expect((await getPost(s, postId)).variants[0]!.status).toBe("scheduled");
  await retryNow(s, postId);
  const v = (await getPost(s, postId)).variants[0]!;
  expect(v.status, String(v.error)).toBe("published");
  return v;
}

export async function getPost(s: MetaSetup, id: string) {
  const res = await call("GET", `${s.base}/posts/${id}`, { token: s.t.token });
  expectStatus(res, 200);
  return res.json.post as Post;
}

/** How many times the sandbox created a post (or comment: asset `${postId}/comments`) with this text. */
export const publishCount = async (asset: string, text: string) =>
  (await sandboxControl<{ count: number }>(`meta/publish/count?asset=${encodeURIComponent(asset)}&text=${encodeURIComponent(text)}`)).count;
export const loseAnswer = (step: "feed" | "photos" | "videos" | "media" | "media_publish" | "comments", match: string, count = 1) => sandboxControl("meta/publish/lose-answer", { step, match, count });
export const igSettings = (igId: string, s: { inProgressPolls?: number; videoPolls?: number; usedToday?: number; failContainer?: boolean }) => sandboxControl("meta/publish/ig", { igId, ...s });

export type Variant = { id: string; publishedAt: number | null; accountId: string; network: string; status: string; text: string; mediaIds: string[]; altTexts: Record<string, string>; providerPostId: string | null; permalink: string | null; commentId: string | null; error: string | null; attempts: number; dueAt: number | null; metrics: Record<string, number> | null };
export type Post = { id: string; status: string; scheduledFor: number | null; stuck: { since: number; reason: string } | null; approval: { actionId: string; state: string } | null; variants: Variant[] };

export const injectFaultsMeta = (f: { kind: "500" | "429" | "token-expired"; match: string; count?: number; after?: number }) => sandboxControl("faults", { provider: "meta", ...f });

/**
 * Uploads n library files of a kind to the setup's workspace and returns their ids. A tail byte
 * (salt + i) makes every upload its own file; `tag` names them.
 */
export async function uploadMediaOf(s: MetaSetup, kind: "jpeg" | "mp4", n: number, tag: string, salt = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const bytes = new Uint8Array([...(kind === "jpeg" ? JPEG : MP4), salt + i]);
    const res = await upload(s.base, s.t.token, bytes, `${tag}-${i}.${kind === "jpeg" ? "jpg" : "mp4"}`, kind === "jpeg" ? "image/jpeg" : "video/mp4");
    expectStatus(res, 201);
    ids.push(res.json.id);
  }
  return ids;
}
