import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { consents, consentCategories, type ConsentCategory } from "../../db/schema";
import { newId } from "../../lib/ids";

/** The cookie categories of the banner (policy 7). Essential cookies need no consent and cannot be refused. */
export const CATEGORIES = [
  { id: "essential", label: "Essential", required: true, description: "Sign-in and security (the session cookie), and remembering these choices. Always on." },
  { id: "functional", label: "Functional", required: false, description: "Your preferences: selected dashboard views, filters and UI settings." },
  { id: "analytics", label: "Analytics", required: false, description: "Which pages and features are used, so we can improve QWEB. First-party only, never shared." },
] as const;

export type ConsentState = { functional: boolean; analytics: boolean; policyVersion: string | null; decidedAt: number | null };
export const NO_CONSENT: ConsentState = { functional: false, analytics: false, policyVersion: null, decidedAt: null };

export async function currentConsent({ ctx: { db }, input: { userId } }: { ctx: Ctx; input: { userId: string } }): Promise<ConsentState> {
  const [row] = await db.select().from(consents).where(eq(consents.userId, userId)).orderBy(desc(consents.createdAt)).limit(1);
  return row ? { functional: row.functional, analytics: row.analytics, policyVersion: row.policyVersion, decidedAt: row.createdAt } : NO_CONSENT;
}

export async function consentHistory({ ctx: { db }, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  const rows = await db.select().from(consents).where(eq(consents.userId, userId)).orderBy(desc(consents.createdAt)).limit(100);
  return rows.map((r) => ({ functional: r.functional, analytics: r.analytics, policyVersion: r.policyVersion, source: r.source, at: r.createdAt }));
}

/** GET /api/privacy/consents: the consent in force and its history. */
export async function consentsOf({ ctx, input }: { ctx: Ctx; input: { userId: string } }) {
  const [consent, history] = await Promise.all([currentConsent({ ctx, input }), consentHistory({ ctx, input })]);
  return { consent, history };
}

/** Records a choice (append-only); returns the categories this choice withdrew. */
export async function recordConsent({ ctx, input: { userId, choice, policyVersion } }: { ctx: Ctx; input: { userId: string; choice: { functional: boolean; analytics: boolean; source: "banner" | "settings" | "signup" }; policyVersion: string } }) {
  const { db, now } = ctx;
  const before = await currentConsent({ ctx, input: { userId } });
  await db.insert(consents).values({ id: newId(), userId, functional: choice.functional, analytics: choice.analytics, policyVersion, source: choice.source, createdAt: now });
  const withdrawn = consentCategories.filter((c: ConsentCategory) => before[c] && !choice[c]);
  return { consent: { functional: choice.functional, analytics: choice.analytics, policyVersion, decidedAt: now }, withdrawn };
}

