import { z } from "zod";
import type { ContentKind } from "../../db/schema/ai";

/** Each network's post length limit (characters) and Meta's / Google's ad text limits. */
export const NETWORK_LIMITS = { instagram: 2200, facebook: 2000, linkedin: 3000, x: 280, tiktok: 2200 } as const;
export type Network = keyof typeof NETWORK_LIMITS;
export const networks = Object.keys(NETWORK_LIMITS) as Network[];
export const AD_LIMITS = { metaPrimaryText: 125, metaHeadline: 40, metaDescription: 30, googleHeadline: 30, googleDescription: 90 } as const;
export const EMAIL_LIMITS = { subject: 60, preheader: 100 } as const;

const s = (max: number) => z.string().min(1).max(max);

const socialPost = z.object({
  posts: z
    .array(z.object({ network: z.enum(networks as [Network, ...Network[]]), text: s(3000), hashtags: z.array(s(40)).max(10) }))
    .min(1),
});
const adCopy = z.object({
  meta: z.object({ primaryText: s(AD_LIMITS.metaPrimaryText), headline: s(AD_LIMITS.metaHeadline), description: s(AD_LIMITS.metaDescription) }),
  google: z.object({ headlines: z.array(s(AD_LIMITS.googleHeadline)).min(3).max(15), descriptions: z.array(s(AD_LIMITS.googleDescription)).min(2).max(4) }),
});
const emailCampaign = z.object({
  subjectLines: z.array(s(EMAIL_LIMITS.subject)).min(2).max(5),
  preheader: s(EMAIL_LIMITS.preheader),
  sections: z.array(z.object({ heading: s(120), body: s(1500) })).min(2).max(6),
  cta: z.object({ label: s(40), url: s(300) }),
});
const image = z.object({ headline: s(80), tagline: s(120), prompt: s(1000), altText: s(300) });
const strategy = z.object({
  month: s(20),
  summary: s(1500),
  themes: z.array(s(120)).min(2).max(6),
  weeks: z.array(z.object({ week: z.number().int().min(1).max(5), focus: s(200), posts: z.array(z.object({ day: s(12), network: s(20), idea: s(300) })).min(1).max(7) })).min(4).max(5),
  tasks: z.array(s(200)).max(10),
});
const insight = z.object({
  summary: s(1500),
  findings: z.array(z.object({ title: s(120), detail: s(600), figure: s(60) })).min(1).max(8),
  recommendations: z.array(s(300)).min(1).max(6),
  figuresUsed: z.array(z.object({ name: s(80), value: s(60) })).min(1),
});

export const kindSchemas = { social_post: socialPost, ad_copy: adCopy, email_campaign: emailCampaign, image, strategy, insight } satisfies Record<ContentKind, z.ZodType>;
export type KindOutput<K extends ContentKind> = z.infer<(typeof kindSchemas)[K]>;

/** The answer asked of a provider: `variants` items of the kind's shape. */
const makeAnswerSchema = (kind: ContentKind, variants: number) => z.object({ variants: z.array(kindSchemas[kind]).min(variants).max(variants) });
type AnswerSchema = ReturnType<typeof makeAnswerSchema>;

// Built once per kind and count (a few dozen at most): building and converting a schema on every
// job was a measurable share of the queue's per-job overhead (bench/ai.bench.mjs).
const answers = new Map<string, AnswerSchema>();
const answersJson = new Map<string, Record<string, unknown>>();

export function answerSchema(kind: ContentKind, variants: number): AnswerSchema {
  const key = `${kind}:${variants}`;
  let schema = answers.get(key);
  if (!schema) answers.set(key, (schema = makeAnswerSchema(kind, variants)));
  return schema;
}

/** The JSON schema providers are given (a copy: an SDK may adjust what it sends). */
export function answerJsonSchema(kind: ContentKind, variants: number): Record<string, unknown> {
  const key = `${kind}:${variants}`;
  let js = answersJson.get(key);
  if (!js) {
    js = z.toJSONSchema(answerSchema(kind, variants), { target: "draft-7" }) as Record<string, unknown>;
    delete js.$schema;
    answersJson.set(key, js);
  }
  return structuredClone(js);
}

/** Beyond the shape: each post within its own network's limit. */
export function limitProblems(kind: ContentKind, item: unknown): string[] {
  if (kind !== "social_post") return [];
  return (item as KindOutput<"social_post">).posts
    .filter((p) => p.text.length > NETWORK_LIMITS[p.network])
    .map((p) => `${p.network} post is ${p.text.length} characters (limit ${NETWORK_LIMITS[p.network]})`);
}

export const kindLabels: Record<ContentKind, string> = {
  social_post: "Social post",
  ad_copy: "Ad copy",
  email_campaign: "Email campaign",
  image: "Image",
  strategy: "Monthly strategy",
  insight: "Performance insight",
};

/** Job input per kind: a brief plus kind-specific choices. */
export const jobInputSchemas = {
  social_post: z.strictObject({ brief: z.string().trim().min(3).max(2000), networks: z.array(z.enum(networks as [Network, ...Network[]])).min(1).max(5).default(["instagram", "facebook"]), variants: z.number().int().min(1).max(3).default(2) }),
  ad_copy: z.strictObject({ brief: z.string().trim().min(3).max(2000), product: z.string().trim().max(200).optional(), variants: z.number().int().min(1).max(3).default(2) }),
  email_campaign: z.strictObject({ brief: z.string().trim().min(3).max(2000), variants: z.number().int().min(1).max(2).default(1) }),
  image: z.strictObject({ brief: z.string().trim().min(3).max(1000), variants: z.number().int().min(1).max(1).default(1) }),
  strategy: z.strictObject({ brief: z.string().trim().max(2000).default("Plan next month"), month: z.string().regex(/^\d{4}-\d{2}$/).optional(), variants: z.number().int().min(1).max(1).default(1) }),
  insight: z.strictObject({ brief: z.string().trim().max(2000).default("How did last month go?"), variants: z.number().int().min(1).max(1).default(1) }),
} satisfies Record<ContentKind, z.ZodType>;
export type JobInput = { brief: string; variants: number; networks?: Network[]; product?: string; month?: string };

export const kindTasks: Record<ContentKind, string> = {
  social_post: `Write social posts, one per requested network, each within that network's character limit (${Object.entries(NETWORK_LIMITS).map(([n, l]) => `${n} ${l}`).join(", ")}), with up to 5 hashtags.`,
  ad_copy: `Write ad copy: for Meta a primary text (≤${AD_LIMITS.metaPrimaryText}), headline (≤${AD_LIMITS.metaHeadline}) and description (≤${AD_LIMITS.metaDescription}); for Google responsive search ads 3–15 headlines (≤${AD_LIMITS.googleHeadline} each) and 2–4 descriptions (≤${AD_LIMITS.googleDescription} each).`,
  email_campaign: `Write an email campaign: 2–5 subject lines (≤${EMAIL_LIMITS.subject}), a preheader (≤${EMAIL_LIMITS.preheader}), 2–6 body sections and a call to action.`,
  image: "Write the brief of one marketing image: a short headline and tagline to set on it, the image prompt, and alt text.",
  strategy: "Write next month's content plan from the goals and recent performance: a summary, 2–6 themes, 4–5 weeks with post ideas per network, and tasks for the team.",
  insight: "Analyse the workspace's recent performance: a summary, findings each citing the figure it rests on, recommendations, and every figure used with its value.",
};
