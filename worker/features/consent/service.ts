import { desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
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

export async function currentConsent(db: Database, userId: string): Promise<ConsentState> {
  const [row] = await db.select().from(consents).where(eq(consents.userId, userId)).orderBy(desc(consents.createdAt)).limit(1);
  return row ? { functional: row.functional, analytics: row.analytics, policyVersion: row.policyVersion, decidedAt: row.createdAt } : NO_CONSENT;
}

export async function consentHistory(db: Database, userId: string) {
  const rows = await db.select().from(consents).where(eq(consents.userId, userId)).orderBy(desc(consents.createdAt)).limit(100);
  return rows.map((r) => ({ functional: r.functional, analytics: r.analytics, policyVersion: r.policyVersion, source: r.source, at: r.createdAt }));
}

/** Records a choice (append-only); returns the categories this choice withdrew. */
export async function recordConsent(
  db: Database,
  userId: string,
  choice: { functional: boolean; analytics: boolean; source: "banner" | "settings" | "signup" },
  policyVersion: string,
  now = Date.now(),
) {
  const before = await currentConsent(db, userId);
  await db.insert(consents).values({ id: newId(), userId, functional: choice.functional, analytics: choice.analytics, policyVersion, source: choice.source, createdAt: now });
  const withdrawn = consentCategories.filter((c: ConsentCategory) => before[c] && !choice[c]);
  return { consent: { functional: choice.functional, analytics: choice.analytics, policyVersion, decidedAt: now }, withdrawn };
}

