import { eq } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { PDFDocument } from "pdf-lib";
import { financeSettings } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { getSettings, requireFinanceAdmin, type FinanceCtx } from "../context";

export const MAX_LOGO_BYTES = 1024 * 1024;
const MAX_SIDE = 4000;
type LogoType = "image/png" | "image/jpeg";

/**
 * The logo's real type (sniffed from its bytes; SVG is refused: it can carry scripts) and its
 * pixel size, read by the same pdf-lib that draws it, so an accepted logo always embeds.
 */
export async function readLogo(bytes: Uint8Array): Promise<{ type: LogoType; width: number; height: number }> {
  if (bytes.byteLength === 0) throw new ApiError("VALIDATION_FAILED", "The logo file is empty");
  if (bytes.byteLength > MAX_LOGO_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE", "A logo can be at most 1 MB");
  const mime = (await fileTypeFromBuffer(bytes))?.mime;
  if (mime !== "image/png" && mime !== "image/jpeg") throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "A logo must be a PNG or JPEG image");
  let size: { width: number; height: number };
  try {
    const doc = await PDFDocument.create();
    const img = mime === "image/png" ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
    size = { width: img.width, height: img.height };
  } catch {
    throw new ApiError("VALIDATION_FAILED", "The logo image could not be read; save it again as PNG or JPEG");
  }
  if (size.width < 1 || size.height < 1 || size.width > MAX_SIDE || size.height > MAX_SIDE) throw new ApiError("VALIDATION_FAILED", `A logo can be at most ${MAX_SIDE} × ${MAX_SIDE} pixels`);
  return { type: mime, ...size };
}

const logoKey = (orgId: string) => `finance/${orgId}/logo/${newId()}`;

/** Stores (or replaces) the agency's logo in R2; the old object goes once the new one is recorded. */
export async function uploadLogo({ ctx, input }: { ctx: FinanceCtx; input: { bytes: Uint8Array } }) {
  requireFinanceAdmin(ctx);
  const logo = await readLogo(input.bytes);
  const before = await getSettings(ctx);
  const key = logoKey(ctx.org.orgId);
  await ctx.env.FILES.put(key, input.bytes, { httpMetadata: { contentType: logo.type } });
  await ctx.db
    .update(financeSettings)
    .set({ logoKey: key, logoType: logo.type, logoWidth: logo.width, logoHeight: logo.height, logoBytes: input.bytes.byteLength, updatedAt: ctx.now })
    .where(eq(financeSettings.orgId, ctx.org.orgId));
  if (before.logoKey) await ctx.env.FILES.delete(before.logoKey);
  return getSettings(ctx);
}

export async function removeLogo({ ctx }: { ctx: FinanceCtx }) {
  requireFinanceAdmin(ctx);
  const before = await getSettings(ctx);
  if (!before.logoKey) throw notFound("Logo");
  await ctx.db.update(financeSettings).set({ logoKey: null, logoType: null, logoWidth: null, logoHeight: null, logoBytes: null, updatedAt: ctx.now }).where(eq(financeSettings.orgId, ctx.org.orgId));
  await ctx.env.FILES.delete(before.logoKey);
  return getSettings(ctx);
}

/** The stored logo's bytes, or null (no logo, or its object is gone). */
export async function logoBytes(ctx: FinanceCtx, settings: { logoKey: string | null }) {
  if (!settings.logoKey) return null;
  const obj = await ctx.env.FILES.get(settings.logoKey);
  return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
}

export async function getLogo({ ctx }: { ctx: FinanceCtx }) {
  const s = await getSettings(ctx);
  const bytes = await logoBytes(ctx, s);
  if (!bytes || !s.logoType) throw notFound("Logo");
  return { bytes, type: s.logoType };
}
