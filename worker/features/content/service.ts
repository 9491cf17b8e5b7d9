import { and, desc, eq, inArray, isNull, like, or, type SQL } from "drizzle-orm";
import type { Ctx, TenantCtx } from "../../core/context";
import { contentComments, contentVersions, generatedContent, memberships, portalAccess, users, type ApproverRole, type ContentKind, type ContentStatus } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { notify } from "../../core/notifications";
import { getWorkspaceAccess, type TenantContext } from "../../core/tenancy";
import { approversFor, auditStatement, auditTrail, mayApprove } from "../approvals";
import { kindSchemas } from "../ai";

export type Content = typeof generatedContent.$inferSelect;
const SUBJECT = "content";
/** An item and the caller's tenant context on its workspace (set by the route's access check). */
type ItemCtx = TenantCtx & { item: Content };

/** The caller's access to a content item's workspace, or NOT_FOUND. */
export async function contentAccess({ ctx, input }: { ctx: Ctx; input: { userId: string; contentId: string } }): Promise<{ item: Content; tenant: TenantContext }> {
  const { db } = ctx;
  const [item] = await db.select().from(generatedContent).where(eq(generatedContent.id, input.contentId)).limit(1);
  if (!item) throw notFound("Content");
  try {
    return { item, tenant: await getWorkspaceAccess(db, input.userId, item.workspaceId) };
  } catch {
    throw notFound("Content");
  }
}

export async function listContent({ ctx, input: q }: { ctx: TenantCtx; input: { kind?: ContentKind; status?: ContentStatus; job?: string; search?: string; limit: number } }) {
  const { db, tenant: t } = ctx;
  const where: (SQL | undefined)[] = [eq(generatedContent.orgId, t.orgId), eq(generatedContent.workspaceId, t.workspaceId)];
  if (q.kind) where.push(eq(generatedContent.kind, q.kind));
  if (q.status) where.push(eq(generatedContent.status, q.status));
  if (q.job) where.push(eq(generatedContent.jobId, q.job));
  if (q.search) where.push(like(generatedContent.title, `%${q.search.replace(/[%_]/g, "")}%`));
  const rows = await db
    .select({ id: generatedContent.id, jobId: generatedContent.jobId, variant: generatedContent.variant, kind: generatedContent.kind, title: generatedContent.title, body: generatedContent.body, status: generatedContent.status, provider: generatedContent.provider, model: generatedContent.model, version: generatedContent.version, hasImage: generatedContent.imageKey, createdBy: generatedContent.createdBy, createdAt: generatedContent.createdAt, updatedAt: generatedContent.updatedAt })
    .from(generatedContent)
    .where(and(...where))
    .orderBy(desc(generatedContent.createdAt), generatedContent.variant)
    .limit(q.limit);
  return { items: rows.map((r) => ({ ...r, hasImage: !!r.hasImage })) };
}

export const contentView = (c: Content) => ({
  id: c.id, workspaceId: c.workspaceId, jobId: c.jobId, variant: c.variant, kind: c.kind, title: c.title, body: c.body, status: c.status, version: c.version,
  provider: c.provider, model: c.model, prompt: c.prompt, context: c.context, hasImage: !!c.imageKey, createdBy: c.createdBy, createdAt: c.createdAt, updatedAt: c.updatedAt,
});

export async function contentDetail({ ctx }: { ctx: ItemCtx; input?: undefined }) {
  const { db, item } = ctx;
  const [comments, trail, approvers, canApprove] = await Promise.all([
    db.select({ id: contentComments.id, userId: contentComments.userId, authorName: contentComments.authorName, body: contentComments.body, createdAt: contentComments.createdAt }).from(contentComments).where(and(eq(contentComments.contentId, item.id), eq(contentComments.orgId, item.orgId))).orderBy(contentComments.createdAt),
    auditTrail({ ctx, input: { subjectKind: SUBJECT, subjectId: item.id } }),
    approversFor({ ctx, input: { subjectKind: SUBJECT } }),
    mayApprove({ ctx, input: { subjectKind: SUBJECT } }),
  ]);
  return { content: contentView(item), comments, approvals: trail, approvers, canApprove };
}

/** An edit keeps the previous text as a version; the item moves back to draft if it had been decided. */
export async function editContent({ ctx, input: edit }: { ctx: ItemCtx; input: { title?: string; body: Record<string, unknown> } }) {
  const { db, item, tenant: t, now } = ctx;
  const shape = kindSchemas[item.kind].safeParse(edit.body);
  if (!shape.success) throw new ApiError("VALIDATION_FAILED", `Invalid body for ${item.kind}: ${shape.error.issues[0]?.message}`, { details: shape.error.issues.map((i) => ({ path: ["body", ...i.path].join("."), message: i.message })) });
  const body = { ...item.body, ...(shape.data as Record<string, unknown>) };
  const next = item.version + 1;
  const status: ContentStatus = item.status === "archived" ? "archived" : "draft";
  const [, updated] = await db.batch([
    db.insert(contentVersions).values({ id: newId(), contentId: item.id, orgId: item.orgId, workspaceId: item.workspaceId, version: item.version, title: item.title, body: item.body, editedBy: t.userId, createdAt: now }).onConflictDoNothing(),
    db.update(generatedContent).set({ title: edit.title ?? item.title, body, version: next, status, updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId), eq(generatedContent.version, item.version))).returning(),
    auditStatement({ ctx, input: { subjectKind: SUBJECT, subjectId: item.id, action: "edited", toStatus: status, note: `version ${next}` } }),
  ]);
  if (!updated[0]) throw new ApiError("CONFLICT", "Someone else edited this first: reload and edit again");
  return { content: contentView(updated[0]) };
}

export async function versionsOf({ ctx }: { ctx: ItemCtx; input?: undefined }) {
  const { db, item } = ctx;
  const versions = await db.select({ version: contentVersions.version, title: contentVersions.title, body: contentVersions.body, editedBy: contentVersions.editedBy, createdAt: contentVersions.createdAt }).from(contentVersions).where(and(eq(contentVersions.contentId, item.id), eq(contentVersions.orgId, item.orgId))).orderBy(desc(contentVersions.version));
  return { versions };
}

/** Which transitions are allowed from where (decisions go through decide()). */
const MOVES: Record<"draft" | "archived", ContentStatus[]> = { draft: ["in_review", "approved", "rejected", "archived"], archived: ["draft", "in_review", "approved", "rejected"] };

export async function setStatus({ ctx, input: { status: to } }: { ctx: ItemCtx; input: { status: "draft" | "archived" } }) {
  const { db, item } = ctx;
  if (!MOVES[to].includes(item.status)) throw new ApiError("CONFLICT", `Content that is ${item.status.replace("_", " ")} cannot move to ${to}`);
  await db.batch([
    db.update(generatedContent).set({ status: to, updatedAt: ctx.now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId))),
    auditStatement({ ctx, input: { subjectKind: SUBJECT, subjectId: item.id, action: "status", toStatus: to } }),
  ]);
  return { status: to };
}

/** Everyone the policy lets approve in this workspace: team members by role, portal users by theirs. */
async function approverRecipients({ db, tenant: t }: TenantCtx, roles: ApproverRole[]) {
  const teamRoles = [...(roles.includes("editor") ? (["member"] as const) : []), ...(roles.includes("admin") ? (["admin", "owner"] as const) : [])];
  const portalRoles = [...(roles.includes("portal_editor") ? (["editor"] as const) : []), ...(roles.includes("portal_admin") ? (["admin"] as const) : [])];
  const [team, portal] = await Promise.all([
    teamRoles.length ? db.select({ userId: users.id, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.orgId, t.orgId), inArray(memberships.role, teamRoles), isNull(users.deletedAt))) : [],
    portalRoles.length ? db.select({ userId: users.id, email: users.email }).from(portalAccess).innerJoin(users, eq(users.id, portalAccess.userId)).where(and(eq(portalAccess.workspaceId, t.workspaceId), eq(portalAccess.orgId, t.orgId), inArray(portalAccess.role, portalRoles), isNull(users.deletedAt))) : [],
  ]);
  const seen = new Set<string>();
  return [...portal, ...team].filter((r) => !seen.has(r.userId) && seen.add(r.userId));
}

export async function sendForApproval({ ctx, input: { note } }: { ctx: ItemCtx; input: { note?: string } }) {
  const { db, item, tenant: t, now } = ctx;
  if (item.status === "in_review") throw new ApiError("CONFLICT", "This content is already waiting for approval");
  if (item.status === "archived") throw new ApiError("CONFLICT", "Restore archived content before sending it for approval");
  await db.batch([
    db.update(generatedContent).set({ status: "in_review", updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId))),
    auditStatement({ ctx, input: { subjectKind: SUBJECT, subjectId: item.id, action: "requested", toStatus: "in_review", note: note ?? null } }),
  ]);
  const recipients = (await approverRecipients(ctx, await approversFor({ ctx, input: { subjectKind: SUBJECT } }))).filter((r) => r.userId !== t.userId);
  await notify({ ctx, input: { recipients, notice: { kind: "system", title: "Content waiting for your approval", body: `"${item.title}" was sent for approval${note ? `: ${note}` : "."}`, link: `/content/${item.id}` } } });
  return { status: "in_review" as const, notified: recipients.length };
}

export async function decide({ ctx, input: { decision, note } }: { ctx: ItemCtx; input: { decision: "approve" | "reject"; note?: string } }) {
  const { db, item, now } = ctx;
  if (!(await mayApprove({ ctx, input: { subjectKind: SUBJECT } }))) throw forbidden("Your role may not approve content in this workspace");
  if (item.status !== "in_review" && item.status !== "draft") throw new ApiError("CONFLICT", `Content that is ${item.status.replace("_", " ")} cannot be ${decision === "approve" ? "approved" : "rejected"}`);
  const to = decision === "approve" ? ("approved" as const) : ("rejected" as const);
  // The status condition makes two concurrent decisions land once.
  const [res] = await db.batch([
    db.update(generatedContent).set({ status: to, updatedAt: now }).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId), or(eq(generatedContent.status, "in_review"), eq(generatedContent.status, "draft")))).returning({ id: generatedContent.id }),
    auditStatement({ ctx, input: { subjectKind: SUBJECT, subjectId: item.id, action: decision === "approve" ? "approved" : "rejected", toStatus: to, note: note ?? null } }),
  ]);
  if (res.length === 0) throw new ApiError("CONFLICT", "Someone else decided first");
  return { status: to };
}

export async function addComment({ ctx, input }: { ctx: ItemCtx; input: { authorName: string; body: string } }) {
  const { db, item, tenant: t, now } = ctx;
  const row = { id: newId(), contentId: item.id, orgId: item.orgId, workspaceId: item.workspaceId, userId: t.userId, authorName: input.authorName, body: input.body, createdAt: now };
  await db.insert(contentComments).values(row);
  return { comment: { id: row.id, userId: row.userId, authorName: row.authorName, body: row.body, createdAt: row.createdAt } };
}

/** The item's image (PNG) from R2, or NOT_FOUND. */
export async function contentImage({ ctx }: { ctx: ItemCtx; input?: undefined }) {
  const obj = ctx.item.imageKey ? await ctx.env.FILES.get(ctx.item.imageKey) : null;
  if (!obj) throw notFound("Image");
  return obj;
}

/** Deleting content removes it, its versions and comments (cascade) and its image at once. */
export async function deleteContent({ ctx }: { ctx: ItemCtx; input?: undefined }) {
  const { db, env, item } = ctx;
  await db.delete(generatedContent).where(and(eq(generatedContent.id, item.id), eq(generatedContent.orgId, item.orgId)));
  if (item.imageKey) await env.FILES.delete(item.imageKey);
}
