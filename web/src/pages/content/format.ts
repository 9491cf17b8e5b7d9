// How the content studio shows things: labels and the clipboard text of an item. The API calls and
// their types are web/src/lib/api/content.ts and ai.ts.
import type { ContentItem, Status } from "../../lib/api/content";
import type { Kind } from "../../lib/api/ai";

export const KIND_LABELS: Record<Kind, string> = { social_post: "Social post", ad_copy: "Ad copy", email_campaign: "Email campaign", image: "Image", strategy: "Monthly strategy", insight: "Performance insight" };
export const STATUS_LABELS: Record<Status, string> = { draft: "Draft", in_review: "In review", approved: "Approved", rejected: "Rejected", archived: "Archived" };
export const NETWORKS = ["instagram", "facebook", "linkedin", "x", "tiktok"] as const;
export const NETWORK_LABELS: Record<(typeof NETWORKS)[number], string> = { instagram: "Instagram", facebook: "Facebook", linkedin: "LinkedIn", x: "X", tiktok: "TikTok" };

/** Plain text of an item, for the clipboard. */
export function plainText(item: Pick<ContentItem, "kind" | "body">): string {
  // The body's shape depends on the kind (worker/features/ai/kinds.ts); the API types it as an object.
  const b = item.body as Record<string, any>;
  switch (item.kind) {
    case "social_post":
      return (b.posts ?? []).map((p: any) => `${p.network.toUpperCase()}\n${p.text}\n${(p.hashtags ?? []).join(" ")}`).join("\n\n");
    case "ad_copy":
      return `Meta\n${b.meta?.primaryText}\n${b.meta?.headline}\n${b.meta?.description}\n\nGoogle headlines\n${(b.google?.headlines ?? []).join("\n")}\n\nGoogle descriptions\n${(b.google?.descriptions ?? []).join("\n")}`;
    case "email_campaign":
      return `Subject: ${b.subjectLines?.[0]}\nPreheader: ${b.preheader}\n\n${(b.sections ?? []).map((s: any) => `${s.heading}\n${s.body}`).join("\n\n")}\n\n${b.cta?.label}: ${b.cta?.url}`;
    case "image":
      return `${b.headline}\n${b.tagline}\n\nAlt text: ${b.altText}`;
    case "strategy":
      return `${b.month}\n${b.summary}\n\n${(b.weeks ?? []).map((w: any) => `Week ${w.week}: ${w.focus}\n${w.posts.map((p: any) => `- ${p.day} ${p.network}: ${p.idea}`).join("\n")}`).join("\n\n")}`;
    case "insight":
      return `${b.summary}\n\n${(b.findings ?? []).map((f: any) => `${f.title} (${f.figure}): ${f.detail}`).join("\n")}\n\n${(b.recommendations ?? []).map((r: string) => `- ${r}`).join("\n")}`;
  }
}
