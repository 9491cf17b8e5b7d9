import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { invitations, memberships, organizations, portalAccess, users, workspaces } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { sha256Hex } from "../../lib/hash";
import { newId, newToken } from "../../lib/ids";
import { DAY } from "../../lib/time";
import { sendEmail } from "../../core/email/outbound";
import { invitationEmail } from "../../core/email/templates";
import { INVITATION_TTL_DAYS, type InvitationView } from "./schemas";

type Row = typeof invitations.$inferSelect;

const view = (r: Row, workspaceName: string | null, now: number): InvitationView => ({
  id: r.id,
  email: r.email,
  role: r.role,
  workspaceId: r.workspaceId,
  workspaceName,
  expiresAt: r.expiresAt,
  createdAt: r.createdAt,
  status: r.expiresAt > now ? "pending" : "expired",
});

export type InviteInput = {
  orgId: string;
  workspaceId: string | null;
  email: string;
  role: string;
  inviter: { userId: string; name: string };
};

/**
 * Creates an invitation and emails its single-use link. Only the token's SHA-256 is stored.
 * A pending invitation of the same email to the same place is revoked in the same batch.
 */
export async function createInvitation({ ctx, input }: { ctx: Ctx; input: InviteInput }) {
  const { env, db, config, now } = ctx;
  const [place] = await db
    .select({ orgName: organizations.name, workspaceName: workspaces.name })
    .from(organizations)
    .leftJoin(workspaces, and(eq(workspaces.orgId, organizations.id), eq(workspaces.id, input.workspaceId ?? "")))
    .where(eq(organizations.id, input.orgId))
    .limit(1);
  if (!place || (input.workspaceId && !place.workspaceName)) throw notFound(input.workspaceId ? "Workspace" : "Organization");

  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) await assertNoAccessYet({ ctx, input: { userId: existing.id, orgId: input.orgId, workspaceId: input.workspaceId } });

  const token = newToken();
  const row: Row = {
    id: newId(),
    orgId: input.orgId,
    workspaceId: input.workspaceId,
    email: input.email,
    role: input.role,
    tokenHash: await sha256Hex(token),
    invitedBy: input.inviter.userId,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_DAYS * DAY,
    acceptedAt: null,
    revokedAt: null,
  };
  await db.batch([
    db
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.orgId, input.orgId),
          input.workspaceId ? eq(invitations.workspaceId, input.workspaceId) : isNull(invitations.workspaceId),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      ),
    db.insert(invitations).values(row),
  ]);
  const mail = invitationEmail({
    inviterName: input.inviter.name,
    orgName: place.orgName,
    workspaceName: place.workspaceName,
    role: input.role,
    link: `${config.APP_URL.replace(/\/$/, "")}/accept-invitation?token=${encodeURIComponent(token)}`,
    expiresAt: row.expiresAt,
  });
  await sendEmail(env, { to: input.email, ...mail, userId: existing?.id ?? null });
  return view(row, place.workspaceName, now);
}

async function assertNoAccessYet({ ctx: { db }, input: { userId, ...input } }: { ctx: Ctx; input: { userId: string; orgId: string; workspaceId: string | null } }) {
  const [[member], [portal]] = await db.batch([
    db.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, userId))).limit(1),
    db
      .select({ id: portalAccess.id })
      .from(portalAccess)
      .where(and(eq(portalAccess.orgId, input.orgId), eq(portalAccess.workspaceId, input.workspaceId ?? ""), eq(portalAccess.userId, userId)))
      .limit(1),
  ]);
  if (member) throw new ApiError("CONFLICT", "This person is already a member of the organization");
  if (portal) throw new ApiError("CONFLICT", "This person already has access to the workspace; change their role instead");
}

/** Pending (not accepted, not revoked) invitations of an organization, or of one of its workspaces. */
export async function listInvitations({ ctx: { db, now }, input: { orgId, workspaceId } }: { ctx: Ctx; input: { orgId: string; workspaceId?: string } }) {
  const rows = await db
    .select({ inv: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .leftJoin(workspaces, and(eq(workspaces.id, invitations.workspaceId), eq(workspaces.orgId, invitations.orgId)))
    .where(
      and(
        eq(invitations.orgId, orgId),
        workspaceId ? eq(invitations.workspaceId, workspaceId) : undefined,
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .orderBy(desc(invitations.createdAt))
    .limit(500);
  return rows.map((r) => view(r.inv, r.workspaceName, now));
}

/** Revokes a pending invitation; 404 outside the caller's organization (or workspace). */
export async function revokeInvitation({ ctx: { db, now }, input: { invitationId, ...scope } }: { ctx: Ctx; input: { orgId: string; workspaceId?: string; invitationId: string } }) {
  const where = and(
    eq(invitations.id, invitationId),
    eq(invitations.orgId, scope.orgId),
    scope.workspaceId ? eq(invitations.workspaceId, scope.workspaceId) : undefined,
  );
  const [row] = await db.select({ acceptedAt: invitations.acceptedAt }).from(invitations).where(where).limit(1);
  if (!row) throw notFound("Invitation");
  if (row.acceptedAt) throw new ApiError("CONFLICT", "This invitation was already accepted; remove the person's access instead");
  await db.update(invitations).set({ revokedAt: sql`coalesce(${invitations.revokedAt}, ${now})` }).where(where);
}

/** The invitation a token opens, or the reason it cannot be used (404 unknown, 410 used/revoked/expired). */
export async function usableInvitation({ ctx: { db, now }, input: { token } }: { ctx: Ctx; input: { token: string } }) {
  const [row] = await db
    .select({ inv: invitations, orgName: organizations.name, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .leftJoin(workspaces, and(eq(workspaces.id, invitations.workspaceId), eq(workspaces.orgId, invitations.orgId)))
    .where(eq(invitations.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) throw new ApiError("NOT_FOUND", "This invitation link is not valid. Ask for a new invitation.");
  assertUsable(row.inv, now);
  return row;
}

export async function previewInvitation({ ctx, input: { token } }: { ctx: Ctx; input: { token: string } }) {
  const { inv, orgName, workspaceName } = await usableInvitation({ ctx, input: { token } });
  const { db } = ctx;
  const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, inv.email)).limit(1);
  return { email: inv.email, role: inv.role, orgName, workspaceName, accountExists: !!account, expiresAt: inv.expiresAt };
}

export function assertUsable(inv: Pick<Row, "acceptedAt" | "revokedAt" | "expiresAt">, now: number) {
  if (inv.acceptedAt) throw new ApiError("GONE", "This invitation has already been used. Sign in instead.");
  if (inv.revokedAt) throw new ApiError("GONE", "This invitation was revoked or replaced by a newer one. Ask for a new invitation.");
  if (inv.expiresAt <= now) throw new ApiError("GONE", "This invitation has expired. Ask for a new invitation.");
}

/**
 * Marks the invitation accepted if, and only if, it is still usable: a single statement, so two
 * concurrent acceptances cannot both succeed.
 */
export async function claimInvitation({ ctx: { db, now }, input: { id } }: { ctx: Ctx; input: { id: string } }) {
  const claimed = await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .returning({ id: invitations.id });
  if (claimed.length) return;
  const [row] = await db.select().from(invitations).where(eq(invitations.id, id)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", "This invitation link is not valid. Ask for a new invitation.");
  assertUsable(row, now);
}

export const unclaimInvitation = ({ ctx: { db }, input: { id } }: { ctx: Ctx; input: { id: string } }) =>
  db.update(invitations).set({ acceptedAt: null }).where(eq(invitations.id, id));
