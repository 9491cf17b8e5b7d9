import type { ContentKind } from "../../db/schema";

const first = (s: unknown) => (typeof s === "string" ? s : "");
const clip = (s: string) => (s.length > 90 ? `${s.slice(0, 89)}…` : s);

/** A library title for one generated item. */
export function titleOf(kind: ContentKind, body: Record<string, unknown>, brief: string): string {
  const b = body as Record<string, any>;
  const t =
    kind === "social_post" ? first(b.posts?.[0]?.text)
    : kind === "ad_copy" ? first(b.meta?.headline)
    : kind === "email_campaign" ? first(b.subjectLines?.[0])
    : kind === "image" ? first(b.headline)
    : kind === "strategy" ? `Plan for ${first(b.month)}`
    : first(b.summary);
  return clip(t || brief);
}
