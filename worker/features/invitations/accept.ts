import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { z } from "zod";
import type { Ctx } from "../../core/context";
import { memberships, policyAcceptances, portalAccess, users, type OrgRole, type PortalRole } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { MINUTE } from "../../lib/time";
import { assertAllowed, recordEvent } from "../../core/throttle";
import { newId } from "../../lib/ids";
import { hashPassword, verifyPassword } from "../../lib/password";
import { password as passwordRule, assertOldEnough, publicUser, openSession } from "../auth";
import { currentPolicy } from "../policy";
import { assertNotErased } from "../../core/restrictions";
import type { acceptBody } from "./schemas";
import { claimInvitation, unclaimInvitation, usableInvitation } from "./service";

type NewUser = typeof users.$inferInsert & { id: string };

const PASSWORD_ATTEMPTS = 5;
const PASSWORD_WINDOW_MS = 15 * MINUTE;
type Meta = { ip?: string; userAgent?: string };

/**
 * Accepts an invitation: creates the invitee's account (P23 age check first) or proves an existing
 * one by its password, grants the membership or portal access, and opens a session.
 */
export async function acceptInvitation({ ctx, input: { body: input, meta } }: { ctx: Ctx; input: { body: z.infer<typeof acceptBody>; meta: Meta } }) {
  const { env, db, now } = ctx;
  const { inv } = await usableInvitation({ ctx, input: { token: input.token } });
  const [existing] = await db.select().from(users).where(eq(users.email, inv.email)).limit(1);

  let userId: string;
  const writes: BatchItem<"sqlite">[] = [];
  if (existing) {
    // The token already proves the inbox; this bounds password guessing per invitation too.
    const key = `invitation-password:${inv.id}`;
    await assertAllowed(env, key, PASSWORD_ATTEMPTS, PASSWORD_WINDOW_MS, now);
    if (!(await verifyPassword(input.password, existing.passwordHash))) {
      await recordEvent(env, key, PASSWORD_WINDOW_MS, now);
      throw new ApiError("UNAUTHORIZED", `An account for ${inv.email} already exists: enter its password to accept`);
    }
    // An account scheduled for erasure cannot sign in, so it cannot be reopened through a link either.
    assertNotErased(existing, now);
    userId = existing.id;
  } else {
    const user = await newAccount({ ctx, input: { body: input, email: inv.email } });
    userId = user.id;
    writes.push(db.insert(users).values(user));
    if (input.acceptPolicyVersion) {
      writes.push(db.insert(policyAcceptances).values({ id: newId(), userId, version: input.acceptPolicyVersion, acceptedAt: now, ip: meta.ip ?? null }));
    }
  }

  if (inv.workspaceId) {
    const role = inv.role as PortalRole;
    writes.push(
      db
        .insert(portalAccess)
        .values({ id: newId(), orgId: inv.orgId, workspaceId: inv.workspaceId, userId, role, createdAt: now })
        .onConflictDoUpdate({ target: [portalAccess.workspaceId, portalAccess.userId], set: { role } }),
    );
  } else {
    // Never lower an existing membership (someone may have added them meanwhile).
    writes.push(
      db.insert(memberships).values({ id: newId(), orgId: inv.orgId, userId, role: inv.role as OrgRole, createdAt: now }).onConflictDoNothing(),
    );
  }

  await claimInvitation({ ctx, input: { id: inv.id } });
  try {
    await db.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (err) {
    await unclaimInvitation({ ctx, input: { id: inv.id } });
    if (String(err).includes("UNIQUE")) throw new ApiError("CONFLICT", "An account with this email was just created: sign in and open the link again");
    throw err;
  }
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  const session = await openSession({ ctx, input: { userId, meta } });
  return { user: publicUser(user!), accessToken: session.accessToken, refreshToken: session.refreshToken, workspaceId: inv.workspaceId, orgId: inv.orgId };
}

async function newAccount({ ctx, input: { body: input, email } }: { ctx: Ctx; input: { body: z.infer<typeof acceptBody>; email: string } }): Promise<NewUser> {
  const { now } = ctx;
  const missing = [
    ...(input.name ? [] : [{ path: "name", message: "Name is required for a new account" }]),
    ...(input.birthDate ? [] : [{ path: "birthDate", message: "Birth date is required for a new account" }]),
  ];
  if (missing.length) throw new ApiError("VALIDATION_FAILED", missing.map((m) => m.message).join("; "), { details: missing });
  const pw = passwordRule.safeParse(input.password);
  if (!pw.success) {
    throw new ApiError("VALIDATION_FAILED", pw.error.issues[0]!.message, { details: [{ path: "password", message: pw.error.issues[0]!.message }] });
  }
  assertOldEnough(input.birthDate!, now);
  if (input.acceptPolicyVersion) {
    const policy = await currentPolicy({ ctx });
    if (input.acceptPolicyVersion !== policy.version) {
      throw new ApiError("UNPROCESSABLE", `Accept the privacy policy in force (version ${policy.version})`, { details: [{ path: "acceptPolicyVersion" }] });
    }
  }
  return {
    id: newId(),
    email,
    name: input.name!,
    passwordHash: await hashPassword(input.password),
    birthDate: input.birthDate!,
    createdAt: now,
    updatedAt: now,
  };
}
