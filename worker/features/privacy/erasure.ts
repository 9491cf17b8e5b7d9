import { and, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inChunks } from "../../db/chunk";
import { dsrEvents, dsrRequests, memberships, organizations, users, type Regime } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { verifyPassword } from "../../lib/password";
import { DAY } from "../../lib/time";
import { checkCredentials, claimLoginAttempt, revokeUserSessions } from "../auth";
import type { Ctx, OrgCtx } from "../../core/context";
import { sendEmail } from "../../core/email/outbound";
import { notify } from "../../core/notifications";
import { Budget, dailyRunAtOrBefore, purgeSubject, type ErasureHook } from "../retention";
import { OPEN_STATUSES, recordRequest, updateRequest } from "./dsr";
import { readConfig } from "../../env";

/** Erasure waits this long for a change of mind (policy 5: personal data removed within 30 days). */
export const GRACE_DAYS = 30;

/** The daily run that erases a subject deleted at `deletedAt`: the last one within the grace period. */
export const purgeAfterFor = (deletedAt: number) => dailyRunAtOrBefore(deletedAt + GRACE_DAYS * DAY);

const fmt = (t: number) => new Date(t).toUTCString();

const wrongPassword = () =>
  new ApiError("UNPROCESSABLE", "The password is incorrect", { details: [{ path: "password", message: "The password is incorrect" }] });

async function checkPassword(db: Database, userId: string, password: string) {
  const [u] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!u) throw notFound("User");
  if (!(await verifyPassword(password, u.passwordHash))) throw wrongPassword();
  return u;
}

/** Organizations the user owns, with how many other members and owners each has. */
async function ownedOrganizations(db: Database, userId: string) {
  const owned = await db
    .select({ id: organizations.id, name: organizations.name, deletedAt: organizations.deletedAt })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")));
  if (!owned.length) return [];
  const others = (
    await Promise.all(
      inChunks(owned.map((o) => o.id), 1).map((orgIds) =>
        db
          .select({ orgId: memberships.orgId, role: memberships.role, n: sql<number>`count(*)` })
          .from(memberships)
          .where(and(inArray(memberships.orgId, orgIds), ne(memberships.userId, userId)))
          .groupBy(memberships.orgId, memberships.role),
      ),
    )
  ).flat();
  return owned.map((o) => {
    const rows = others.filter((r) => r.orgId === o.id);
    return { ...o, otherMembers: rows.reduce((a, r) => a + r.n, 0), otherOwners: rows.find((r) => r.role === "owner")?.n ?? 0 };
  });
}

/**
 * P13/P19 erasure: re-authenticated with the password, the account is signed out everywhere and
 * blocked at once, and the daily retention run erases it (and organizations only it belonged to)
 * at `purgeAfter`, within 30 days. Cancellable until then with `restoreAccount`.
 */
export async function deleteAccount({ ctx, input: { userId, password, regime } }: { ctx: Ctx; input: { userId: string; password: string; regime: Regime } }) {
  const { env, db, now } = ctx;
  const user = await checkPassword(db, userId, password);
  if (user.deletedAt) throw new ApiError("CONFLICT", "This account is already scheduled for deletion");
  const owned = await ownedOrganizations(db, userId);
  const blocking = owned.filter((o) => !o.deletedAt && o.otherMembers > 0 && o.otherOwners === 0);
  if (blocking.length) {
    throw new ApiError("CONFLICT", `You are the only owner of ${blocking.map((o) => o.name).join(", ")}. Make another member an owner, or delete the organization first.`, {
      details: blocking.map((o) => ({ orgId: o.id, name: o.name })),
    });
  }
  const purgeAfter = purgeAfterFor(now);
  const solo = owned.filter((o) => !o.deletedAt && o.otherMembers === 0);
  await db.batch([
    db.update(users).set({ deletedAt: now, purgeAfter, updatedAt: now }).where(eq(users.id, userId)),
    revokeUserSessions({ ctx, input: { userId, reason: "account-deleted" } }),
    ...solo.map((o) => db.update(organizations).set({ deletedAt: now, purgeAfter, deletedBy: userId, updatedAt: now }).where(eq(organizations.id, o.id))),
  ]);
  await recordRequest({ ctx, input: {
    userId, email: user.email, regime, kind: regime === "ccpa" ? "delete" : "erasure", source: "self-serve", status: "in-progress", verification: "password",
    actions: [
      "Signed out on every device; access blocked",
      `Scheduled for erasure by the retention run of ${fmt(purgeAfter)}`,
      ...solo.map((o) => `Organization "${o.name}" (no other members) scheduled with the account`),
    ],
    by: { actor: "user" },
  } });
  await sendEmail(env, {
    to: user.email,
    userId,
    subject: "Your QWEB account will be deleted",
    text: [
      `Hi ${user.name},`,
      "",
      `You asked us to delete your QWEB account. You have been signed out everywhere. On ${fmt(purgeAfter)} every piece of`,
      "personal data we hold about you will be erased: your profile, your activity, your files and everything else.",
      "",
      `Changed your mind? Restore your account before then: ${readConfig(env).APP_URL}/restore-account`,
    ].join("\n"),
  });
  return { deletedAt: now, purgeAfter, organizations: solo.map((o) => ({ id: o.id, name: o.name })) };
}

/**
 * Cancels a pending deletion during the grace period: the owner proves it with their email and
 * password (login-throttled like a sign-in).
 */
export async function restoreAccount({ ctx, input: { email, password, ip } }: { ctx: Ctx; input: { email: string; password: string; ip: string } }) {
  const { env, db, now } = ctx;
  const attempt = await claimLoginAttempt({ ctx, input: { email, ip } });
  const found = await checkCredentials({ ctx, input: { email, password } });
  if (!found) throw new ApiError("UNAUTHORIZED", "Incorrect email or password");
  await attempt.succeeded();
  const [user] = await db.select().from(users).where(eq(users.id, found.id)).limit(1);
  if (!user) throw notFound("Account");
  if (!user.deletedAt || !user.purgeAfter) throw new ApiError("CONFLICT", "This account is not scheduled for deletion");
  if (user.purgeAfter <= now) throw new ApiError("GONE", "The grace period has ended; the account is being erased");
  await db.batch([
    db.update(users).set({ deletedAt: null, purgeAfter: null, updatedAt: now }).where(eq(users.id, user.id)),
    db.update(organizations).set({ deletedAt: null, purgeAfter: null, deletedBy: null, updatedAt: now })
      .where(and(eq(organizations.deletedBy, user.id), eq(organizations.deletedAt, user.deletedAt))),
  ]);
  const open = await db.select().from(dsrRequests).where(and(eq(dsrRequests.userId, user.id), inArray(dsrRequests.kind, ["erasure", "delete"]), inArray(dsrRequests.status, OPEN_STATUSES)));
  for (const r of open) await updateRequest({ ctx, input: { row: r, change: { status: "cancelled", action: "Deletion cancelled by the account owner" }, by: { actor: "user" } } });
}

async function orgMembers(db: Database, orgId: string) {
  return db
    .select({ userId: users.id, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId));
}

async function ownerOf(db: Database, userId: string, orgId: string) {
  const [m] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).limit(1);
  if (!m) throw notFound("Organization");
  if (m.role !== "owner") throw forbidden("Only an owner can delete or restore the organization");
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw notFound("Organization");
  return org;
}

/** Organization deletion by its owner: access blocked at once for every member, erased within 30 days. */
export async function deleteOrganization({ ctx, input: { password, regime } }: { ctx: OrgCtx; input: { password: string; regime: Regime } }) {
  const { env, db, now, org: { userId, orgId } } = ctx;
  const org = await ownerOf(db, userId, orgId);
  const user = await checkPassword(db, userId, password);
  if (org.deletedAt) throw new ApiError("CONFLICT", "This organization is already scheduled for deletion");
  const purgeAfter = purgeAfterFor(now);
  await db.update(organizations).set({ deletedAt: now, purgeAfter, deletedBy: userId, updatedAt: now }).where(eq(organizations.id, orgId));
  await recordRequest({ ctx, input: {
    userId, orgId, email: user.email, regime, kind: regime === "ccpa" ? "delete" : "erasure", source: "self-serve", status: "in-progress", verification: "password",
    details: `Deletion of the organization "${org.name}"`,
    actions: ["Access blocked for every member", `Scheduled for erasure by the retention run of ${fmt(purgeAfter)}`],
    by: { actor: "user" },
  } });
  const members = await orgMembers(db, orgId);
  await notify({ ctx, input: { recipients: members.map((m) => ({ userId: m.userId, email: m.email })), notice: {
    kind: "erasure",
    title: `"${org.name}" will be deleted`,
    body: `An owner deleted the organization "${org.name}" on QWEB. Its workspaces and data are no longer accessible and will be erased on ${fmt(purgeAfter)}. An owner can still restore it until then from the privacy center.`,
    link: "/settings/privacy",
  } } });
  return { orgId, deletedAt: now, purgeAfter };
}

export async function restoreOrganization({ ctx }: { ctx: OrgCtx; input?: undefined }) {
  const { db, now, org: { userId, orgId } } = ctx;
  const org = await ownerOf(db, userId, orgId);
  if (!org.deletedAt || !org.purgeAfter) throw new ApiError("CONFLICT", "This organization is not scheduled for deletion");
  if (org.purgeAfter <= now) throw new ApiError("GONE", "The grace period has ended; the organization is being erased");
  await db.update(organizations).set({ deletedAt: null, purgeAfter: null, deletedBy: null, updatedAt: now }).where(eq(organizations.id, orgId));
  const open = await db.select().from(dsrRequests).where(and(eq(dsrRequests.orgId, orgId), inArray(dsrRequests.kind, ["erasure", "delete"]), inArray(dsrRequests.status, OPEN_STATUSES)));
  for (const r of open) await updateRequest({ ctx, input: { row: r, change: { status: "cancelled", action: "Deletion cancelled by an owner" }, by: { actor: "user" } } });
}

/** Organizations scheduled for deletion that the user is a member of (the privacy center shows them). */
export async function pendingOrgDeletions({ ctx: { db }, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role, deletedAt: organizations.deletedAt, purgeAfter: organizations.purgeAfter })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNotNull(organizations.deletedAt)));
}

/** The engine's hook: an erasure request is completed when its subject's erasure runs. */
export const closeErasureRequests: ErasureHook = async ({ ctx: { db, now }, input: { subject, id } }) => {
  if (subject !== "user" && subject !== "organization") return;
  // Account requests carry no org_id; an organization's deletion request carries its org_id.
  const owner = subject === "user" ? and(eq(dsrRequests.userId, id), isNull(dsrRequests.orgId)) : eq(dsrRequests.orgId, id);
  const open = await db
    .select({ id: dsrRequests.id })
    .from(dsrRequests)
    .where(and(owner, inArray(dsrRequests.kind, ["erasure", "delete"]), inArray(dsrRequests.status, ["received", "verifying", "in-progress"])));
  const done = "Erased by the retention run: every registered row, file and object";
  for (const r of open) {
    await db.batch([
      db.update(dsrRequests)
        .set({ status: "completed", completedAt: now, updatedAt: now, actions: sql`json_insert(${dsrRequests.actions}, '$[#]', ${done})` })
        .where(eq(dsrRequests.id, r.id)),
      db.insert(dsrEvents).values({ id: crypto.randomUUID(), requestId: r.id, at: now, actor: "system", action: "status: completed", note: "Erased by the retention run" }),
    ]);
  }
};

/**
 * P23: an operator flags an account as a child's: no grace period. Signed out, then erased at once
 * (with organizations only they belonged to); the engine finishes anything a request cannot.
 */
export async function eraseChildAccount({ ctx, input: { operatorId, userId, note } }: { ctx: Ctx; input: { operatorId: string; userId: string; note: string | null } }) {
  const { env, db, now } = ctx;
  if (userId === operatorId) throw new ApiError("CONFLICT", "You cannot flag your own account");
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw notFound("User");
  const owned = await ownedOrganizations(db, userId);
  const solo = owned.filter((o) => o.otherMembers === 0);
  await db.batch([
    db.update(users).set({ deletedAt: now, purgeAfter: now, updatedAt: now }).where(eq(users.id, userId)),
    revokeUserSessions({ ctx, input: { userId, reason: "child-account" } }),
    ...solo.map((o) => db.update(organizations).set({ deletedAt: now, purgeAfter: now, deletedBy: userId, updatedAt: now }).where(eq(organizations.id, o.id))),
  ]);
  const by = { actor: "operator" as const, operatorId };
  const request = await recordRequest({ ctx, input: {
    userId, regime: "gdpr", kind: "erasure", source: "operator", status: "in-progress", verification: "manual", filedBy: operatorId,
    details: "Account of a child under 16 (policy 8): erased at once, no grace period",
    actions: ["Flagged as a child's account by an operator", "Signed out on every device"],
    by,
  } });
  if (note) await updateRequest({ ctx, input: { row: request, change: { note }, by } });
  const budget = new Budget();
  const tally = { subjects: 0, rows: 0, objects: 0 };
  let complete = true;
  const purge = (subject: "organization" | "user", id: string) => purgeSubject({ ctx, input: { subject, id, budget, tally, hook: closeErasureRequests } });
  for (const o of solo) complete = (await purge("organization", o.id)) && complete;
  complete = (await purge("user", userId)) && complete;
  return { requestId: request.id, erased: complete, rows: tally.rows, objects: tally.objects, organizations: solo.length };
}
