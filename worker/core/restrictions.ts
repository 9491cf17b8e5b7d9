import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { organizations, users } from "../db/schema";
import { ApiError } from "../lib/errors";

/** Processing a restriction or objection stops (Art. 18 / 21): the data itself is kept. */
export type Purpose = "ai" | "automation" | "analytics";

export type Flags = { restricted: boolean; objected: boolean };

export async function userFlags(db: Database, userId: string): Promise<Flags & { saleOptOut: boolean }> {
  const [u] = await db
    .select({ restrictedAt: users.restrictedAt, objectedAt: users.objectedAt, saleOptOutAt: users.saleOptOutAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return { restricted: !!u?.restrictedAt, objected: !!u?.objectedAt, saleOptOut: !!u?.saleOptOutAt };
}

export async function orgFlags(db: Database, orgId: string): Promise<Flags> {
  const [o] = await db.select({ restrictedAt: organizations.restrictedAt, objectedAt: organizations.objectedAt }).from(organizations).where(eq(organizations.id, orgId)).limit(1);
  return { restricted: !!o?.restrictedAt, objected: !!o?.objectedAt };
}

/**
 * Whether a user's or organization's data may be processed for `purpose` (AI agents, automations,
 * analytics). Every feature that processes personal data for these purposes asks here first.
 */
export async function processingAllowed(db: Database, subject: { userId?: string | null; orgId?: string | null }, _purpose: Purpose): Promise<boolean> {
  const [u, o] = await Promise.all([
    subject.userId ? userFlags(db, subject.userId) : null,
    subject.orgId ? orgFlags(db, subject.orgId) : null,
  ]);
  return !(u?.restricted || u?.objected || o?.restricted || o?.objected);
}

/** Sign-in refuses an account scheduled for erasure, and says how to restore it. */
export function assertNotErased(user: { deletedAt: number | null; purgeAfter: number | null }, now = Date.now()) {
  if (!user.deletedAt) return;
  const restorable = !!user.purgeAfter && user.purgeAfter > now;
  throw new ApiError("FORBIDDEN", restorable ? `This account is scheduled for deletion on ${new Date(user.purgeAfter!).toUTCString()}. Restore it to sign in.` : "This account has been deleted", {
    details: { reason: "account-deleted", purgeAfter: user.purgeAfter, restorable },
  });
}
