import { and, asc, desc, eq, gt, isNull, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Ctx } from "../../core/context";

/** What reading policies needs of a `Ctx` (sign-up and invitations not yet on verbs pass just these). */
export type PolicyCtx = Pick<Ctx, "db" | "now">;
import { policyAcceptances, policyVersions, users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { notify } from "../../core/notifications";
import { CURRENT_POLICY } from "./current";

export type PolicyDoc = {
  version: string;
  effectiveDate: string;
  effectiveAt: number;
  title: string;
  text: string;
  summary: string | null;
  material: boolean;
  publishedAt: number;
};

/** The policy shipped with the code: in force until a version is published (treated as material). */
const BASELINE: PolicyDoc = {
  version: CURRENT_POLICY.version,
  effectiveDate: CURRENT_POLICY.effectiveDate,
  effectiveAt: Date.parse(CURRENT_POLICY.effectiveDate),
  title: CURRENT_POLICY.title,
  text: CURRENT_POLICY.text,
  summary: null,
  material: true,
  publishedAt: Date.parse(CURRENT_POLICY.effectiveDate),
};

const toDoc = (r: typeof policyVersions.$inferSelect): PolicyDoc => ({
  version: r.version,
  effectiveDate: r.effectiveDate,
  effectiveAt: r.effectiveAt,
  title: r.title,
  text: r.text,
  summary: r.summary,
  material: r.material,
  publishedAt: r.publishedAt,
});

/** The version in force at `now`: the latest published one whose effective date has come. */
export async function currentPolicy({ ctx: { db, now } }: { ctx: PolicyCtx; input?: undefined }): Promise<PolicyDoc> {
  const [row] = await db.select().from(policyVersions).where(lte(policyVersions.effectiveAt, now)).orderBy(desc(policyVersions.effectiveAt)).limit(1);
  return row ? toDoc(row) : BASELINE;
}

export async function listVersions({ ctx: { db } }: { ctx: Pick<Ctx, "db">; input?: undefined }): Promise<PolicyDoc[]> {
  const rows = await db.select().from(policyVersions).orderBy(desc(policyVersions.effectiveAt));
  return [...rows.map(toDoc), BASELINE];
}

export async function findVersion(db: Database, version: string): Promise<PolicyDoc | null> {
  if (version === BASELINE.version) return BASELINE;
  const [row] = await db.select().from(policyVersions).where(eq(policyVersions.version, version)).limit(1);
  return row ? toDoc(row) : null;
}

/**
 * P25: a user must accept again when a material version is in force that neither they nor any
 * later version they accepted covers.
 */
export async function acceptanceStatus({ ctx, input: { userId } }: { ctx: PolicyCtx; input: { userId: string } }) {
  const { db, now } = ctx;
  const [current, material, accepted, versions] = await Promise.all([
    currentPolicy({ ctx }),
    db.select().from(policyVersions).where(and(eq(policyVersions.material, true), lte(policyVersions.effectiveAt, now))).orderBy(desc(policyVersions.effectiveAt)).limit(1),
    db.select().from(policyAcceptances).where(eq(policyAcceptances.userId, userId)).orderBy(asc(policyAcceptances.acceptedAt)),
    db.select({ version: policyVersions.version, effectiveAt: policyVersions.effectiveAt }).from(policyVersions),
  ]);
  const effective = new Map<string, number>([[BASELINE.version, BASELINE.effectiveAt], ...versions.map((v) => [v.version, v.effectiveAt] as const)]);
  const lastMaterialAt = material[0]?.effectiveAt ?? BASELINE.effectiveAt;
  const covered = accepted.some((a) => (effective.get(a.version) ?? 0) >= lastMaterialAt);
  return {
    current: { version: current.version, effectiveDate: current.effectiveDate, title: current.title, summary: current.summary, material: current.material },
    acceptanceRequired: !covered,
    acceptances: accepted.map((a) => ({ version: a.version, acceptedAt: a.acceptedAt })),
  };
}

export async function acceptPolicy({ ctx, input: { userId, version, ip } }: { ctx: PolicyCtx; input: { userId: string; version: string; ip: string | null } }) {
  const { db, now } = ctx;
  const current = await currentPolicy({ ctx });
  if (version !== current.version) {
    throw new ApiError("UNPROCESSABLE", `Accept the privacy policy in force (version ${current.version})`, { details: [{ path: "version" }] });
  }
  await db.insert(policyAcceptances).values({ id: newId(), userId, version, acceptedAt: now, ip });
  return acceptanceStatus({ ctx, input: { userId } });
}

export type PublishInput = { version: string; effectiveDate: string; title: string; text: string; summary?: string | null; material: boolean };

export async function publishPolicy({ ctx, input: { operatorId, version: input } }: { ctx: Ctx; input: { operatorId: string; version: PublishInput } }) {
  const { db, now } = ctx;
  if ((await findVersion(db, input.version)) !== null) throw new ApiError("CONFLICT", `Version ${input.version} already exists`);
  const effectiveAt = Date.parse(input.effectiveDate);
  const row = {
    id: newId(),
    version: input.version,
    effectiveDate: input.effectiveDate,
    effectiveAt,
    title: input.title,
    text: input.text,
    summary: input.summary ?? null,
    material: input.material,
    publishedAt: now,
    publishedBy: operatorId,
    announceCursor: null,
    announcedAt: input.material ? null : now,
  };
  await db.insert(policyVersions).values(row);
  if (input.material) await announceBatch({ ctx, input: { versionId: row.id } });
  return toDoc(row);
}

export const ANNOUNCE_BATCH = 500;

/**
 * Announces a material version to the next batch of users (in-app and email); the frequent cron
 * continues until every user has been told. Returns true when the announcement is complete.
 */
export async function announceBatch({ ctx, input: { versionId } }: { ctx: Ctx; input: { versionId: string } }): Promise<boolean> {
  const { db, now } = ctx;
  const [v] = await db.select().from(policyVersions).where(eq(policyVersions.id, versionId)).limit(1);
  if (!v || v.announcedAt !== null) return true;
  const batch = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(isNull(users.deletedAt), v.announceCursor ? gt(users.id, v.announceCursor) : undefined))
    .orderBy(asc(users.id))
    .limit(ANNOUNCE_BATCH);
  if (batch.length) {
    await notify({ ctx, input: { recipients: batch.map((u) => ({ userId: u.id, email: u.email })), notice: {
      kind: "policy",
      title: `We updated our privacy policy (${v.version})`,
      body: [
        `A new version of QWEB's privacy policy takes effect on ${v.effectiveDate}.`,
        v.summary ? `What changes: ${v.summary}` : null,
        "You will be asked to review and accept it the next time you sign in.",
      ].filter(Boolean).join("\n"),
      link: "/privacy",
    } } });
  }
  const done = batch.length < ANNOUNCE_BATCH;
  await db
    .update(policyVersions)
    .set({ announceCursor: batch.at(-1)?.id ?? v.announceCursor, announcedAt: done ? now : null })
    .where(eq(policyVersions.id, versionId));
  return done;
}

/** Frequent cron: continues unfinished announcements. */
export async function continueAnnouncements({ ctx }: { ctx: Ctx; input?: undefined }) {
  const { db } = ctx;
  const pending = await db.select({ id: policyVersions.id }).from(policyVersions).where(isNull(policyVersions.announcedAt)).limit(5);
  for (const p of pending) await announceBatch({ ctx, input: { versionId: p.id } });
}
