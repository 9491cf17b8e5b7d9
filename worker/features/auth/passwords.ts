import { and, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { passwordResets, users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { newId, newToken } from "../../lib/ids";
import { sha256Hex } from "../../lib/hash";
import { hashPassword, verifyPassword } from "../../lib/password";
import { HOUR, MINUTE } from "../../lib/time";
import { consume, forgive } from "../../core/throttle";
import { sendEmail } from "../../core/email/outbound";
import { passwordChangedEmail, passwordResetEmail } from "../../core/email/templates";
import { openSession, revokeUserSessions } from "./sessions";

export const RESET_TTL_MS = HOUR;
type Meta = { ip: string; userAgent?: string };

const notifyChanged = (env: Env, user: { id: string; email: string; name: string }, ip: string, now: number) =>
  sendEmail(env, { to: user.email, userId: user.id, ...passwordChangedEmail({ name: user.name, at: now, ip }) });

/**
 * Changes the password after proving the current one. Every session of the user, the current
 * one included, is revoked and a new session is opened for this device (ASVS 7.4.3: a credential
 * change ends all sessions; the caller stays signed in with fresh tokens).
 */
export async function changePassword({ ctx, input: { userId, meta, ...input } }: { ctx: Ctx; input: { userId: string; currentPassword: string; newPassword: string; meta: Meta } }) {
  const { env, db, now } = ctx;
  // A stolen access token must not become a password oracle: 5 wrong guesses per 15 minutes.
  const key = `password-change:${userId}`;
  const attempt = await consume(env, key, 5, 15 * MINUTE, now);
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ApiError("UNPROCESSABLE", "Your current password is incorrect", { details: [{ path: "currentPassword" }] });
  }
  await forgive(env, key, attempt.eventId);
  if (input.newPassword === input.currentPassword) {
    throw new ApiError("UNPROCESSABLE", "Choose a password different from the current one", { details: [{ path: "newPassword" }] });
  }
  await db.batch([
    db.update(users).set({ passwordHash: await hashPassword(input.newPassword), updatedAt: now }).where(eq(users.id, user.id)),
    revokeUserSessions({ ctx, input: { userId: user.id, reason: "password-change" } }),
  ]);
  const session = await openSession({ ctx, input: { userId: user.id, meta } });
  await notifyChanged(env, user, meta.ip, now);
  return session;
}

/**
 * Emails a single-use reset link when the address belongs to an account; does nothing
 * otherwise. The route answers 202 either way and runs this after responding, so neither the
 * answer nor its timing tells whether the account exists.
 */
export async function requestPasswordReset({ ctx: { env, db, config, now }, input: { email } }: { ctx: Ctx; input: { email: string } }) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user) return;
  const token = newToken();
  const expiresAt = now + RESET_TTL_MS;
  await db.insert(passwordResets).values({ id: newId(), userId: user.id, tokenHash: await sha256Hex(token), createdAt: now, expiresAt });
  const link = `${config.APP_URL}/reset-password?token=${encodeURIComponent(token)}`;
  await sendEmail(env, { to: user.email, userId: user.id, ...passwordResetEmail({ name: user.name, link, expiresAt }) });
}

/** Sets a new password from a reset token: single use, 1 h, and every session is revoked. */
export async function confirmPasswordReset({ ctx, input: { token, password, ip } }: { ctx: Ctx; input: { token: string; password: string; ip: string } }) {
  const { env, db, now } = ctx;
  const tokenHash = await sha256Hex(token);
  // Claiming the token is one conditional UPDATE, so a token can never be used twice.
  const [claimed] = await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
    .returning({ userId: passwordResets.userId });
  if (!claimed) throw new ApiError("BAD_REQUEST", "This reset link is invalid, used or expired. Ask for a new one.");
  const [user] = await db.select().from(users).where(eq(users.id, claimed.userId)).limit(1);
  if (!user) throw new ApiError("BAD_REQUEST", "This reset link is invalid, used or expired. Ask for a new one.");
  await db.batch([
    db.update(users).set({ passwordHash: await hashPassword(password), updatedAt: now }).where(eq(users.id, user.id)),
    revokeUserSessions({ ctx, input: { userId: user.id, reason: "password-reset" } }),
    // Any other link still in a mailbox stops working too.
    db.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt))),
  ]);
  await notifyChanged(env, user, ip, now);
  return user.id;
}
