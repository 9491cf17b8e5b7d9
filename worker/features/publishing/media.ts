// The workspace's media library: files in R2 under publishing/{workspace}/, their type sniffed from
// the bytes, and the signed, expiring URLs through which Meta fetches them (Meta cannot sign in).
import { and, desc, eq } from "drizzle-orm";
import type { Ctx, TenantCtx } from "../../core/context";
import { publishMedia } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { sniffType } from "../../lib/sniff";

export const IMAGE_MAX_BYTES = 8 * 1024 * 1024;
export const VIDEO_MAX_BYTES = 100 * 1024 * 1024;
/** What the upload route reads at most (the largest allowed file plus the multipart envelope). */
export const UPLOAD_MAX_BYTES = VIDEO_MAX_BYTES + 64 * 1024;
export const MEDIA_URL_TTL_MS = 60 * 60_000;
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** Images by the shared sniffer; MP4 / QuickTime by their `ftyp` box (ISO base media). */
export function sniffMedia(bytes: Uint8Array): string {
  const t = sniffType(bytes);
  if (t !== "application/octet-stream") return t;
  if (bytes.length >= 12 && String.fromCharCode(...bytes.slice(4, 8)) === "ftyp") {
    return String.fromCharCode(...bytes.slice(8, 12)) === "qt  " ? "video/quicktime" : "video/mp4";
  }
  return t;
}
export const isVideo = (type: string) => type.startsWith("video/");

export const mediaView = (m: typeof publishMedia.$inferSelect) => ({ id: m.id, name: m.name, type: m.type, bytes: m.bytes, createdAt: m.createdAt });

export async function uploadMedia({ ctx, input }: { ctx: TenantCtx; input: { name: string; bytes: Uint8Array } }) {
  const { tenant } = ctx;
  if (input.bytes.byteLength === 0) throw new ApiError("VALIDATION_FAILED", "The file is empty", { details: [{ path: "file", message: "Empty" }] });
  const type = sniffMedia(input.bytes);
  if (!IMAGE_TYPES.has(type) && !isVideo(type)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Upload a JPEG, PNG, GIF or WebP image, or an MP4 or MOV video (the file's bytes are none of these)");
  const max = isVideo(type) ? VIDEO_MAX_BYTES : IMAGE_MAX_BYTES;
  if (input.bytes.byteLength > max) throw new ApiError("PAYLOAD_TOO_LARGE", `${isVideo(type) ? "Videos" : "Images"} can be at most ${max / 1024 / 1024} MB`);
  const id = newId();
  const key = `publishing/${tenant.workspaceId}/${id}`;
  await ctx.env.FILES.put(key, input.bytes, { httpMetadata: { contentType: type } });
  const row = { id, orgId: tenant.orgId, workspaceId: tenant.workspaceId, key, name: input.name.slice(0, 200) || "upload", type, bytes: input.bytes.byteLength, uploadedBy: tenant.userId, createdAt: ctx.now };
  await ctx.db.insert(publishMedia).values(row);
  return mediaView(row);
}

export async function listMedia({ ctx }: { ctx: TenantCtx }) {
  const rows = await ctx.db.select().from(publishMedia)
    .where(and(eq(publishMedia.orgId, ctx.tenant.orgId), eq(publishMedia.workspaceId, ctx.tenant.workspaceId)))
    .orderBy(desc(publishMedia.createdAt)).limit(500);
  return rows.map(mediaView);
}

export async function getMedia({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const [row] = await ctx.db.select().from(publishMedia)
    .where(and(eq(publishMedia.id, input.id), eq(publishMedia.orgId, ctx.tenant.orgId), eq(publishMedia.workspaceId, ctx.tenant.workspaceId))).limit(1);
  if (!row) throw notFound("Media");
  return row;
}

export async function deleteMedia({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const row = await getMedia({ ctx, input });
  await ctx.env.FILES.delete(row.key);
  await ctx.db.delete(publishMedia).where(and(eq(publishMedia.id, row.id), eq(publishMedia.orgId, ctx.tenant.orgId)));
}

// The URL key is derived from JWT_SECRET (HMAC with a fixed label), so no second secret to manage
// and a signed media URL can never be replayed as anything else.
const keys = new WeakMap<object, Promise<CryptoKey>>();
async function urlKey(ctx: Ctx): Promise<CryptoKey> {
  let k = keys.get(ctx.config);
  if (!k) {
    k = (async () => {
      const enc = new TextEncoder();
      const root = await crypto.subtle.importKey("raw", enc.encode(ctx.config.JWT_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const derived = await crypto.subtle.sign("HMAC", root, enc.encode("qweb/publishing/media-url/v1"));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    })();
    keys.set(ctx.config, k);
  }
  return k;
}
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => new Uint8Array(s.match(/../g)!.map((x) => Number.parseInt(x, 16)));

export async function signedMediaUrl(ctx: Ctx, mediaId: string, ttlMs = MEDIA_URL_TTL_MS): Promise<string> {
  const exp = ctx.now + ttlMs;
  const sig = hex(await crypto.subtle.sign("HMAC", await urlKey(ctx), new TextEncoder().encode(`${mediaId}.${exp}`)));
  return `${ctx.config.APP_URL.replace(/\/$/, "")}/api/public-media/${mediaId}?expires=${exp}&sig=${sig}`;
}

/** The file behind a signed URL; 404 for a bad signature or an unknown id, 410 once expired. */
export async function openSignedMedia({ ctx, input }: { ctx: Ctx; input: { mediaId: string; expires: number; sig: string } }) {
  const valid = await crypto.subtle.verify("HMAC", await urlKey(ctx), unhex(input.sig), new TextEncoder().encode(`${input.mediaId}.${input.expires}`));
  if (!valid) throw notFound("Media");
  if (input.expires < ctx.now) throw new ApiError("GONE", "This media link has expired");
  const [row] = await ctx.db.select().from(publishMedia).where(eq(publishMedia.id, input.mediaId)).limit(1);
  const obj = row ? await ctx.env.FILES.get(row.key) : null;
  if (!row || !obj) throw notFound("Media");
  return { body: obj.body, type: row.type, bytes: row.bytes };
}
