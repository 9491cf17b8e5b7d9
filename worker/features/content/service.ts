import { and, desc, eq, inArray, isNull, like, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { contentComments, contentVersions, generatedContent, memberships, portalAccess, users, type ApproverRole, type ContentKind, type ContentStatus } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { notify } from "../../core/notifications";
import { getWorkspaceAccess, type TenantContext } from "../../core/tenancy";
import { approversFor, auditStatement, auditTrail, mayApprove } from "../approvals";

type Content = typeof generatedContent.$inferSelect;
const SUBJECT = "content";

/** The caller's access to a content item's workspace, or NOT_FOUND. */
export async function contentAccess(db: Database, userId: string, id: string): Promise<{ item: Content; tenant: TenantContext }> {
  const [item] = await db.select().from(generatedContent).where(eq(generatedContent.id, id)).limit(1);
  if (!item) throw notFound("Content");
  try {
    return { item, tenant: await getWorkspaceAccess(db, userId, item.workspaceId) };
  } catch {
    throw notFound("Content");
  }
}

export async function listContent(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">, q: { kind?: ContentKind; status?: ContentStatus; job?: string; search?: string; limit: number }) {
  const where: (SQL | undefined)[] = [eq(generatedContent.orgId, t.orgId), eq(generatedContent.workspaceId, t.workspaceId)];
  if (q.kind) where.push(eq(generatedContent.kind, q.kind));
  if (q.status) where.push(eq(generatedContent.status, q.status));
  if (q.job) where.push(eq(generatedContent.jobId, q.job));
  if (q.search) where.push(like(generatedContent.title, `%${q.search.replace(/[%_]/g, "")}%`));
  return db
    .select({ id: generatedContent.id, jobId: generatedContent.jobId, variant: generatedContent.variant, kind: generatedContent.kind, title: generatedContent.title, body: generatedContent.body, status: generatedContent.status, provider: generatedContent.provider, model: generatedContent.model, version: generatedContent.version, hasImage: generatedContent.imageKey, createdBy: generatedContent.createdBy, createdAt: generatedContent.createdAt, updatedAt: generatedContent.updatedAt })
    .from(generatedContent)
    .where(and(...where))
    .orderBy(desc(generatedContent.createdAt), generatedContent.variant)
    .limit(q.limit);
}

export const contentView = (c: Content) => ({
  id: c.id, workspaceId: c.workspaceId, jobId: c.jobId, variant: c.variant, kind: c.kind, title: c.title, body: c.body, status: c.status, version: c.version,
  provider: c.provider, model: c.model, prompt: c.prompt, context: c.context, hasImage: !!c.imageKey, createdBy: c.createdBy, createdAt: c.createdAt, updatedAt: c.updatedAt,
});

export async function contentDetail(db: Database, item: Content, t: TenantContext) {
  const [comments, trail, approvers] = await Promise.all([
    db.select({ id: contentComments.id, userId: contentComments.userId, authorName: contentComments.authorName, body: contentComments.body, createdAt: contentComments.createdAt }).from(contentComments).where(and(eq(contentComments.contentId, item.id), eq(contentComments.orgId, item.orgId))).orderBy(contentComments.createdAt),
    auditTrail(db, t, SUBJECT, item.id),
    approversFor(db, t, SUBJECT),
  ]);
  return { content: contentView(item), comments, approvals: trail, approvers, canApprove: await mayApprove(db, t, SUBJECT) };
}

/** An edit keeps the previous text as a version; the item moves back to draft if it had been decided. */
export async function editContent(db: Database, item: Content, t: TenantContext, edit: { title?: string; body: Record<string, unknown> }, now: number) {
  const next = item.version + 1;
  const status: ContentStatus = item.status === "archived" ? "archived" : "draft";
  await db.batch([
    db.insert(contentVersions).values({ id: newId(), contentId: item.id, orgId: item.orgId, workspaceId: item.workspaceId, version: item.version, title: item.title, body: item.body, editedBy: t.userId, createdAt: now }).onConflictDoNothing(),
    db.update(generatedContent).set({ title: edit.title ?? item.title, body: edit.body, version: next, status, updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId), eq(generatedContent.version, item.version))),
    auditStatement(db, t, { subjectKind: SUBJECT, subjectId: item.id, action: "edited", toStatus: status, note: `version ${next}` }, now),
  ]);
}

export const versionsOf = (db: Database, item: Content) =>
  db.select({ version: contentVersions.version, title: contentVersions.title, body: contentVersions.body, editedBy: contentVersions.editedBy, createdAt: contentVersions.createdAt }).from(contentVersions).where(and(eq(contentVersions.contentId, item.id), eq(contentVersions.orgId, item.orgId))).orderBy(desc(contentVersions.version));

/** Which transitions are allowed from where (decisions go through decide()). */
const MOVES: Record<"draft" | "archived", ContentStatus[]> = { draft: ["in_review", "approved", "rejected", "archived"], archived: ["draft", "in_review", "approved", "rejected"] };

export async function setStatus(db: Database, item: Content, t: TenantContext, to: "draft" | "archived", now: number) {
  if (!MOVES[to].includes(item.status)) throw new ApiError("CONFLICT", `Content that is ${item.status.replace("_", " ")} cannot move to ${to}`);
  await db.batch([
    db.update(generatedContent).set({ status: to, updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId))),
    auditStatement(db, t, { subjectKind: SUBJECT, subjectId: item.id, action: "status", toStatus: to }, now),
  ]);
}

/** Everyone the policy lets approve in this workspace: team members by role, portal users by theirs. */
async function approverRecipients(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">, roles: ApproverRole[]) {
  const teamRoles = [...(roles.includes("editor") ? (["member"] as const) : []), ...(roles.includes("admin") ? (["admin", "owner"] as const) : [])];
  const portalRoles = [...(roles.includes("portal_editor") ? (["editor"] as const) : []), ...(roles.includes("portal_admin") ? (["admin"] as const) : [])];
  const [team, portal] = await Promise.all([
    teamRoles.length ? db.select({ userId: users.id, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.orgId, t.orgId), inArray(memberships.role, teamRoles), isNull(users.deletedAt))) : [],
    portalRoles.length ? db.select({ userId: users.id, email: users.email }).from(portalAccess).innerJoin(users, eq(users.id, portalAccess.userId)).where(and(eq(portalAccess.workspaceId, t.workspaceId), eq(portalAccess.orgId, t.orgId), inArray(portalAccess.role, portalRoles), isNull(users.deletedAt))) : [],
  ]);
  const seen = new Set<string>();
  return [...portal, ...team].filter((r) => !seen.has(r.userId) && seen.add(r.userId));
}

export async function sendForApproval(env: Env, db: Database, item: Content, t: TenantContext, note: string | undefined, now: number) {
  if (item.status === "in_review") throw new ApiError("CONFLICT", "This content is already waiting for approval");
  if (item.status === "archived") throw new ApiError("CONFLICT", "Restore archived content before sending it for approval");
  await db.batch([
    db.update(generatedContent).set({ status: "in_review", updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId))),
    auditStatement(db, t, { subjectKind: SUBJECT, subjectId: item.id, action: "requested", toStatus: "in_review", note: note ?? null }, now),
  ]);
  const recipients = (await approverRecipients(db, t, await approversFor(db, t, SUBJECT))).filter((r) => r.userId !== t.userId);
  await notify(env, db, recipients, { kind: "system", title: "Content waiting for your approval", body: `"${item.title}" was sent for approval${note ? `: ${note}` : "."}`, link: `/content/${item.id}` }, now);
  return recipients.length;
}

export async function decide(db: Database, item: Content, t: TenantContext, decision: "approve" | "reject", note: string | undefined, now: number) {
  if (!(await mayApprove(db, t, SUBJECT))) throw forbidden("Your role may not approve content in this workspace");
  if (item.status !== "in_review" && item.status !== "draft") throw new ApiError("CONFLICT", `Content that is ${item.status.replace("_", " ")} cannot be ${decision === "approve" ? "approved" : "rejected"}`);
  const to: ContentStatus = decision === "approve" ? "approved" : "rejected";
  // The status condition makes two concurrent decisions land once.
  const [res] = await db.batch([
    db.update(generatedContent).set({ status: to, updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId), or(eq(generatedContent.status, "in_review"), eq(generatedContent.status, "draft")))).returning({ id: generatedContent.id }),
    auditStatement(db, t, { subjectKind: SUBJECT, subjectId: item.id, action: decision === "approve" ? "approved" : "rejected", toStatus: to, note: note ?? null }, now),
  ]);
  if (res.length === 0) throw new ApiError("CONFLICT", "Someone else decided first");
  return to;
}

export async function addComment(db: Database, item: Content, t: TenantContext, authorName: string, body: string, now: number) {
  const row = { id: newId(), contentId: item.id, orgId: item.orgId, workspaceId: item.workspaceId, userId: t.userId, authorName, body, createdAt: now };
  await db.insert(contentComments).values(row);
  return { id: row.id, userId: row.userId, authorName: row.authorName, body: row.body, createdAt: row.createdAt };
}

/** Deleting content removes it, its versions and comments (cascade) and its image at once. */
export async function deleteContent(env: Env, db: Database, item: Content) {
  await db.delete(generatedContent).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId)));
  if (item.imageKey) await env.FILES.delete(item.imageKey);
}

