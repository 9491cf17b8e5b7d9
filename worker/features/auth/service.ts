import { eq } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { memberships, organizations, policyAcceptances, users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../../lib/password";
import { ageOn } from "../../lib/time";
import { currentPolicy } from "../policy";
import { assertNotErased } from "../../core/restrictions";
import { openSession } from "./sessions";
import { claimLockoutNotice, claimLoginAttempt, LOGIN_WINDOW_MS } from "./login-guard";
import { sendEmail } from "../../core/email/outbound";
import { lockoutEmail } from "../../core/email/templates";
import type { z } from "zod";
import type { signupBody } from "./schemas";

export const MINIMUM_AGE = 16;

type Meta = { ip?: string; userAgent?: string };
const incorrect = () => new ApiError("UNAUTHORIZED", "Incorrect email or password");
type UserRow = typeof users.$inferSelect;

export const publicUser = (u: Pick<UserRow, "id" | "email" | "name" | "birthDate" | "createdAt">) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  birthDate: u.birthDate,
  createdAt: u.createdAt,
});

/** P23: refuse anyone under 16, before anything is stored. */
export function assertOldEnough(birthDate: string, now: number) {
  const age = ageOn(birthDate, now);
  if (age > 130 || new Date(birthDate).getTime() > now) {
    throw new ApiError("UNPROCESSABLE", "Enter a valid birth date", { details: [{ path: "birthDate" }] });
  }
  if (age < MINIMUM_AGE) {
    throw new ApiError("UNPROCESSABLE", "You must be at least 16 years old to use QWEB", {
      details: [{ path: "birthDate", message: "QWEB is not available to people under 16" }],
    });
  }
}

export async function signup({ ctx, input: { body: input, meta } }: { ctx: Ctx; input: { body: z.infer<typeof signupBody>; meta: Meta } }) {
  const { db, now } = ctx;
  const policy = await currentPolicy({ ctx });
  if (input.acceptPolicyVersion !== policy.version) {
    throw new ApiError("UNPROCESSABLE", `Accept the privacy policy in force (version ${policy.version})`, {
      details: [{ path: "acceptPolicyVersion" }],
    });
  }
  assertOldEnough(input.birthDate, now);
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing.length) throw new ApiError("CONFLICT", "An account with this email already exists");

  const user = {
    id: newId(),
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    birthDate: input.birthDate,
    createdAt: now,
    updatedAt: now,
  };
  const organization = {
    id: newId(),
    name: input.organizationName,
    kind: input.organizationKind,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(users).values(user),
      db.insert(organizations).values(organization),
      db.insert(memberships).values({ id: newId(), orgId: organization.id, userId: user.id, role: "owner", createdAt: now }),
      db.insert(policyAcceptances).values({ id: newId(), userId: user.id, version: policy.version, acceptedAt: now, ip: meta.ip ?? null }),
    ]);
  } catch (err) {
    // Two signups racing for one email: the unique index decides.
    if (String(err).includes("UNIQUE")) throw new ApiError("CONFLICT", "An account with this email already exists");
    throw err;
  }
  const session = await openSession({ ctx, input: { userId: user.id, meta } });
  return { user: publicUser(user), organization, ...session };
}

/** Returns the user when the password matches, null otherwise (same timing either way). */
export async function checkCredentials({ ctx: { db }, input: { email, password } }: { ctx: Ctx; input: { email: string; password: string } }) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}

/**
 * P12: the throttle is claimed before bcrypt runs, so a locked-out source gets 429 even with
 * the right password. The failure that triggers a lockout emails the owner (at most once per
 * window), after the response so its timing says nothing about whether the account exists.
 */
export async function login({ ctx, input: { email, password, meta, waitUntil } }: {
  ctx: Ctx;
  input: { email: string; password: string; meta: Meta & { ip: string }; waitUntil: (p: Promise<unknown>) => void };
}) {
  const attempt = await claimLoginAttempt({ ctx, input: { email, ip: meta.ip } });
  const user = await checkCredentials({ ctx, input: { email, password } });
  if (!user) {
    if (attempt.locksOut) waitUntil(notifyLockout({ ctx, input: { email, ip: meta.ip } }));
    throw incorrect();
  }
  await attempt.succeeded();
  assertNotErased(user, ctx.now);
  const session = await openSession({ ctx, input: { userId: user.id, meta } });
  return { user: publicUser(user), session };
}

async function notifyLockout({ ctx, input: { email, ip } }: { ctx: Ctx; input: { email: string; ip: string } }) {
  const { env, db, config, now } = ctx;
  const [user] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email)).limit(1);
  if (!user || !(await claimLockoutNotice({ ctx, input: { email } }))) return;
  const message = lockoutEmail({ name: user.name, ip, at: now, minutes: LOGIN_WINDOW_MS / 60_000, resetLink: `${config.APP_URL}/reset-password` });
  await sendEmail(env, { to: email, userId: user.id, ...message });
}
