import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiJobs, brandVoices, type BrandVoice } from "../../db/schema";
import { createJob } from "./jobs";
import { ctxFromEnv } from "../../core/context";

const VOICES: Record<string, BrandVoice> = {
  "Bistro Uno": {
    tone: "warm, neighbourly and a little playful",
    wordsToUse: ["homemade", "seasonal", "neighbours"],
    wordsToAvoid: ["cheap", "fast food"],
    audience: "families and office workers within walking distance",
    goals: "fill weekday lunches and grow the newsletter",
    examples: ["Sunday ragù is back — slow-cooked for six hours, just like Nonna's. See you at noon?"],
    colors: ["#b91c1c", "#f59e0b"],
    timeZone: "Europe/Rome",
  },
  "Peak Outfitters": {
    tone: "confident, outdoorsy and practical",
    wordsToUse: ["trail-tested", "built to last", "adventure"],
    wordsToAvoid: ["extreme", "cheap"],
    audience: "weekend hikers and climbers aged 25–45",
    goals: "grow repeat orders and sell the new autumn layers",
    examples: ["Trail-tested on the Dolomites: our new shell keeps you dry when the forecast lies."],
    colors: ["#065f46", "#0ea5e9"],
    timeZone: "Europe/Berlin",
  },
};

/**
 * Local demo: each demo workspace gets its brand voice and a few items written by the local
 * provider through the real queue (a social post, an email campaign, an insight). Idempotent.
 */
export async function seedDemoAi(env: Env, db: Database, ownerId: string, workspaces: { id: string; orgId: string; name: string }[]) {
  const base = ctxFromEnv(env);
  const now = base.now;
  for (const ws of workspaces) {
    const voice = VOICES[ws.name];
    if (voice) await db.insert(brandVoices).values({ workspaceId: ws.id, orgId: ws.orgId, voice, updatedBy: ownerId, updatedAt: now }).onConflictDoNothing();
    const [any] = await db.select({ id: aiJobs.id }).from(aiJobs).where(and(eq(aiJobs.workspaceId, ws.id), eq(aiJobs.orgId, ws.orgId))).limit(1);
    if (any) continue;
    const ctx = { ...base, db, tenant: { orgId: ws.orgId, workspaceId: ws.id, userId: ownerId } };
    await createJob({ ctx, input: { kind: "social_post", input: { brief: ws.name === "Bistro Uno" ? "Our autumn menu launches this Friday" : "The new autumn layers are in stock", networks: ["instagram", "facebook", "x"], variants: 2 } } });
    await createJob({ ctx, input: { kind: "email_campaign", input: { brief: "A thank-you to our regulars with what's new this month" } } });
    await createJob({ ctx, input: { kind: "insight", input: {}, agent: "performance_analyst" } });
  }
}
