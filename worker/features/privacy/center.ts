import { eq } from "drizzle-orm";
import type { Ctx, OrgCtx } from "../../core/context";
import { orgFlags, userFlags } from "../../core/restrictions";
import { memberships, organizations, users } from "../../db/schema";
import { currentConsent } from "../consent";
import { acceptanceStatus } from "../policy";
import { listUserRequests, recordRequest, requestView } from "./dsr";
import { pendingOrgDeletions } from "./erasure";
import { jobView, listJobs } from "./export/jobs";
import { inventory } from "./inventory";

type Me = { userId: string; email: string };

/** Everything the privacy center shows: switches, consents, requests, exports, policy, organizations. */
export async function privacyOverview({ ctx, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  const { db, env } = ctx;
  const [flags, consent, policy, requests, jobs, pending, owned, last] = await Promise.all([
    userFlags(db, userId),
    currentConsent({ ctx, input: { userId } }),
    acceptanceStatus({ ctx, input: { userId } }),
    listUserRequests({ ctx, input: { userId } }),
    listJobs({ ctx, input: { userId } }),
    pendingOrgDeletions({ ctx, input: { userId } }),
    db.select({ id: organizations.id, name: organizations.name, role: memberships.role, restrictedAt: organizations.restrictedAt, objectedAt: organizations.objectedAt, deletedAt: organizations.deletedAt, purgeAfter: organizations.purgeAfter })
      .from(memberships).innerJoin(organizations, eq(organizations.id, memberships.orgId)).where(eq(memberships.userId, userId)),
    env.PRIVACY_EXPORT.getByName(`export:${userId}`).last(),
  ]);
  return {
    processing: flags,
    consent,
    policy,
    requests: requests.map((r) => requestView(r)),
    exports: jobs.map(jobView),
    lastExport: last,
    organizations: owned.map((o) => ({ id: o.id, name: o.name, role: o.role, restricted: !!o.restrictedAt, objected: !!o.objectedAt, deletedAt: o.deletedAt, purgeAfter: o.purgeAfter })),
    pendingDeletions: pending,
    inventory: inventory(),
  };
}

type ProcessingChange = { restricted?: boolean; objected?: boolean; saleOptOut?: boolean };

/** Restriction, objection and CCPA opt-out of sale: the data is kept; each change is a completed request on record. */
export async function setProcessing({ ctx, input: { me, change } }: { ctx: Ctx; input: { me: Me; change: ProcessingChange } }) {
  const { db, now } = ctx;
  const before = await userFlags(db, me.userId);
  await db.update(users).set({
    ...(change.restricted !== undefined ? { restrictedAt: change.restricted ? now : null } : {}),
    ...(change.objected !== undefined ? { objectedAt: change.objected ? now : null } : {}),
    ...(change.saleOptOut !== undefined ? { saleOptOutAt: change.saleOptOut ? now : null } : {}),
    updatedAt: now,
  }).where(eq(users.id, me.userId));
  const changes: [boolean | undefined, boolean, "restriction" | "objection" | "opt-out-sale", string, string][] = [
    [change.restricted, before.restricted, "restriction", "Processing restricted: no AI processing, automations or analytics; data kept", "Restriction lifted"],
    [change.objected, before.objected, "objection", "Objection recorded: no AI processing, automations or analytics; data kept", "Objection withdrawn"],
    [change.saleOptOut, before.saleOptOut, "opt-out-sale", "Opted out of sale (QWEB sells no personal information); no feature changes", "Opt-out of sale withdrawn"],
  ];
  for (const [want, had, kind, on, off] of changes) {
    if (want === undefined || want === had) continue;
    await recordRequest({ ctx, input: {
      userId: me.userId, email: me.email, regime: kind === "opt-out-sale" ? "ccpa" : "gdpr", kind, source: "self-serve",
      status: "completed", verification: "session", actions: [want ? on : off], by: { actor: "user" },
    } });
  }
  return { processing: await userFlags(db, me.userId) };
}

/** An organization's restriction or objection (owners and admins), on record as a completed request. */
export async function setOrgProcessing({ ctx, input: { email, change } }: { ctx: OrgCtx; input: { email: string; change: Omit<ProcessingChange, "saleOptOut"> } }) {
  const { db, org, now } = ctx;
  const before = await orgFlags(db, org.orgId);
  await db.update(organizations).set({
    ...(change.restricted !== undefined ? { restrictedAt: change.restricted ? now : null } : {}),
    ...(change.objected !== undefined ? { objectedAt: change.objected ? now : null } : {}),
    updatedAt: now,
  }).where(eq(organizations.id, org.orgId));
  for (const [want, had, kind] of [[change.restricted, before.restricted, "restriction"], [change.objected, before.objected, "objection"]] as const) {
    if (want === undefined || want === had) continue;
    await recordRequest({ ctx, input: {
      userId: org.userId, orgId: org.orgId, email, regime: "gdpr", kind, source: "self-serve", status: "completed", verification: "session",
      actions: [`Organization ${kind} ${want ? "in force: no AI processing, automations or analytics; data kept" : "lifted"}`],
      by: { actor: "user" },
    } });
  }
  return { processing: await orgFlags(db, org.orgId) };
}
