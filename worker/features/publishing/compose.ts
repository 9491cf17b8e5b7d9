// Compose once for many channels: the workspace's channels (Pages and Instagram accounts of its
// Meta connections), each network's limits, and the checks a variant must pass before it is saved.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TenantCtx } from "../../core/context";
import { generatedContent, integrations, publishMedia, socialAccounts } from "../../db/schema";
import type { ChannelNetwork } from "../../db/schema/publishing";
import { ApiError, notFound } from "../../lib/errors";
import { isVideo } from "./media";
import type { VariantInput } from "./schemas";

/**
 * Each network's limits as Meta documents them (Page posts: 63,206 characters; IG captions 2,200,
 * 30 hashtags; IG carousels 2–10 images or videos; a Page post: up to 10 photos or one video).
 */
export const LIMITS: Record<ChannelNetwork, { text: number; firstComment: number; hashtags: number; media: number; needsMedia: boolean; links: boolean; mediaRule: string }> = {
  facebook: { text: 63_206, firstComment: 8000, hashtags: 30, media: 10, needsMedia: false, links: true, mediaRule: "Up to 10 photos (several make a multi-photo post), or one video on its own" },
  instagram: { text: 2200, firstComment: 2200, hashtags: 30, media: 10, needsMedia: true, links: false, mediaRule: "At least one JPEG image or MP4/MOV video; 2 to 10 make a carousel" },
};

export type Channel = { accountId: string; integrationId: string; network: ChannelNetwork; name: string; followers: number; parentId: string | null };

export async function listChannels({ ctx }: { ctx: TenantCtx }): Promise<Channel[]> {
  const rows = await ctx.db
    .select({ accountId: socialAccounts.providerId, integrationId: socialAccounts.integrationId, kind: socialAccounts.kind, name: socialAccounts.name, followers: socialAccounts.followers, parentId: socialAccounts.parentId })
    .from(socialAccounts)
    .innerJoin(integrations, eq(integrations.id, socialAccounts.integrationId))
    .where(and(eq(socialAccounts.orgId, ctx.tenant.orgId), eq(socialAccounts.workspaceId, ctx.tenant.workspaceId), isNull(integrations.disconnectedAt)));
  return rows.map((r) => ({ accountId: r.accountId, integrationId: r.integrationId, network: r.kind === "ig" ? "instagram" : "facebook", name: r.name, followers: r.followers, parentId: r.parentId }));
}

const hashtags = (s: string) => (s.match(/(^|\s)#[\p{L}\p{N}_]+/gu) ?? []).length;
/** Length as the networks count it: by code points, not UTF-16 units. */
export const textLength = (s: string) => [...s].length;

export type CheckedVariant = VariantInput & { channel: Channel };

/** Every problem with the variants, by path (variants.0.text …): a 400 lists them all at once. */
export async function checkVariants(ctx: TenantCtx, variants: VariantInput[]): Promise<CheckedVariant[]> {
  const channels = new Map((await listChannels({ ctx })).map((c) => [c.accountId, c]));
  const mediaIds = [...new Set(variants.flatMap((v) => v.mediaIds))];
  const media = new Map(
    mediaIds.length
      ? (await ctx.db.select().from(publishMedia).where(and(eq(publishMedia.orgId, ctx.tenant.orgId), eq(publishMedia.workspaceId, ctx.tenant.workspaceId), inArray(publishMedia.id, mediaIds)))).map((m) => [m.id, m])
      : [],
  );
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const out: CheckedVariant[] = [];
  variants.forEach((v, i) => {
    const at = (f: string) => `variants.${i}.${f}`;
    const channel = channels.get(v.accountId);
    if (!channel) return problems.push({ path: at("accountId"), message: "Not a connected Facebook Page or Instagram account of this workspace" });
    if (seen.has(v.accountId)) problems.push({ path: at("accountId"), message: "This channel already has a variant" });
    seen.add(v.accountId);
    const lim = LIMITS[channel.network];
    const net = channel.network === "instagram" ? "Instagram" : "Facebook";
    if (textLength(v.text) > lim.text) problems.push({ path: at("text"), message: `${net} allows ${lim.text} characters; this is ${textLength(v.text)}` });
    if (hashtags(v.text) > lim.hashtags) problems.push({ path: at("text"), message: `${net} allows ${lim.hashtags} hashtags; this has ${hashtags(v.text)}` });
    if (v.firstComment && textLength(v.firstComment) > lim.firstComment) problems.push({ path: at("firstComment"), message: `${net} comments allow ${lim.firstComment} characters` });
    if (v.link && !lim.links) problems.push({ path: at("link"), message: "Instagram captions cannot carry links (put the link in the first comment's text or the bio)" });
    if (v.mediaIds.length > lim.media) problems.push({ path: at("mediaIds"), message: `${net} posts take at most ${lim.media} images or videos; this has ${v.mediaIds.length}` });
    if (new Set(v.mediaIds).size !== v.mediaIds.length) problems.push({ path: at("mediaIds"), message: "The same file is attached twice" });
    const files = v.mediaIds.map((id) => media.get(id));
    if (files.some((f) => !f)) problems.push({ path: at("mediaIds"), message: "Unknown media (upload it to this workspace's library first)" });
    if (lim.needsMedia && v.mediaIds.length === 0) problems.push({ path: at("mediaIds"), message: "Instagram needs an image or a video" });
    const known = files.filter((f) => !!f);
    if (channel.network === "instagram" && known.some((f) => !isVideo(f.type) && f.type !== "image/jpeg")) problems.push({ path: at("mediaIds"), message: "Instagram takes JPEG images (or MP4/MOV videos)" });
    if (channel.network === "facebook" && known.some((f) => isVideo(f.type)) && v.mediaIds.length > 1) problems.push({ path: at("mediaIds"), message: "A Facebook video is posted on its own: remove the other files or make separate posts" });
    for (const mid of Object.keys(v.altTexts ?? {})) {
      const file = media.get(mid);
      if (!v.mediaIds.includes(mid)) problems.push({ path: at(`altTexts.${mid}`), message: "Alt text for a file that is not attached to this variant" });
      else if (file && isVideo(file.type)) problems.push({ path: at(`altTexts.${mid}`), message: "Alt text goes with images; Meta takes none for videos" });
    }
    if (channel.network === "facebook" && !v.text.trim() && !v.link && v.mediaIds.length === 0) problems.push({ path: at("text"), message: "A Facebook post needs text, a link or an image" });
    out.push({ ...v, altTexts: Object.fromEntries(Object.entries(v.altTexts ?? {}).filter(([, t]) => t !== "")), channel }); // (zod trimmed them)
  });
  if (problems.length) throw new ApiError("VALIDATION_FAILED", problems[0]!.message, { details: problems });
  return out;
}

export async function contentOf(ctx: TenantCtx, contentId: string) {
  const [item] = await ctx.db.select().from(generatedContent)
    .where(and(eq(generatedContent.id, contentId), eq(generatedContent.orgId, ctx.tenant.orgId), eq(generatedContent.workspaceId, ctx.tenant.workspaceId))).limit(1);
  if (!item) throw notFound("Content");
  return item;
}

/** A social-post content item's text for each channel (its post for that network, with hashtags). */
export async function variantsFromContent(ctx: TenantCtx, contentId: string, accountIds: string[]): Promise<{ title: string; variants: VariantInput[] }> {
  const item = await contentOf(ctx, contentId);
  if (item.kind !== "social_post") throw new ApiError("UNPROCESSABLE", "Only social-post content can be published as a post");
  const posts = ((item.body as { posts?: { network: string; text: string; hashtags?: string[] }[] }).posts ?? []);
  const channels = new Map((await listChannels({ ctx })).map((c) => [c.accountId, c]));
  const variants = accountIds.map((accountId) => {
    const network = channels.get(accountId)?.network ?? "facebook";
    const p = posts.find((x) => x.network === network) ?? posts[0];
    const tags = (p?.hashtags ?? []).map((h) => (h.startsWith("#") ? h : `#${h}`)).join(" ");
    return { accountId, text: [p?.text ?? "", tags].filter(Boolean).join("\n\n"), mediaIds: [], altTexts: {}, firstComment: null, link: null };
  });
  return { title: item.title, variants };
}
