// Local only (`npm run bench -- publish`): the publishing benchmark's fixture and its read-out.
// `setup` writes, per workspace, what N scheduled posts look like after "compose → schedule →
// autopilot approved" (a Meta connection with its sealed token, its Page and Instagram channels,
// one library image, posts, variants waiting for their action, and the publish_post actions with
// their audit entries) in bulk D1 batches, because composing 10,000 posts one request at a time
// would measure the compose path, not publishing. `arm` sets every post's due time and hands it to
// its workspace's Publisher exactly as an approval does (the executor's handoff); from there on
// everything is the real path (Publisher alarm → fleet gate → Graph calls to the Meta sandbox →
// the actions settled; the runner's safety look after the grace).
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, TenantCtx } from "../../core/context";
import { requireOrg } from "../../core/tenancy";
import { chunkRows, columnsOf, inChunks } from "../../db/chunk";
import { actions, actionSettings, approvalEvents, integrations, publishPosts, publishVariants, socialAccounts, workspaces } from "../../db/schema";
import { isLocal } from "../../env";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { doc, validate } from "../../lib/validate";
import { requireAuth } from "../../middleware/auth";
import { kickRunner } from "../actions";
import { HANDOFF_GRACE_MS } from "./executor";
import { sealStatements } from "../integrations";
import { uploadMedia } from "./media";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, ...new Array(200).fill(7), 0xff, 0xd9]);
const STATEMENTS_PER_BATCH = 50;

const page = z.object({ id: z.string().min(1).max(40), name: z.string().max(200), ig: z.object({ id: z.string().min(1).max(40), username: z.string().max(200) }).nullable() });
const setupBody = z.strictObject({
  postsPerWorkspace: z.number().int().min(1).max(200),
  workspaces: z.array(z.strictObject({ name: z.string().min(1).max(100), userId: z.string().min(1).max(40), userName: z.string().max(200), accessToken: z.string().min(1).max(500), expiresIn: z.number().int().positive(), pages: z.array(page).min(1).max(5) })).min(1).max(100),
});
const armBody = z.strictObject({ workspaceIds: z.array(z.string().min(1).max(64)).min(1).max(1000), dueAt: z.number().int().positive() });
const orgParam = z.object({ orgId: z.string().min(1).max(64) });

type Batchable = Parameters<TenantCtx["db"]["batch"]>[0][number];

async function runBatched(db: TenantCtx["db"], stmts: Batchable[]) {
  for (let i = 0; i < stmts.length; i += STATEMENTS_PER_BATCH) await db.batch(stmts.slice(i, i + STATEMENTS_PER_BATCH) as [Batchable, ...Batchable[]]);
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : null);

export const publishBenchRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!isLocal(c.var.config)) throw notFound();
    await next();
  })
  .use(requireAuth)
  .post("/:orgId/setup", doc({ summary: "Publishing benchmark fixture: workspaces with Meta channels and scheduled, autopilot-approved posts (local only)", tags: ["dev"] }), requireOrg("admin"), validate("param", orgParam), validate("json", setupBody), async (c) => {
    const { db } = c.var.ctx;
    const { orgId, userId } = c.var.org;
    const body = c.req.valid("json");
    const now = Date.now();
    const out: string[] = [];
    const stmts: Batchable[] = [];
    const rows = { posts: [] as (typeof publishPosts.$inferInsert)[], variants: [] as (typeof publishVariants.$inferInsert)[], actions: [] as (typeof actions.$inferInsert)[], events: [] as (typeof approvalEvents.$inferInsert)[] };
    for (const w of body.workspaces) {
      const workspaceId = newId();
      out.push(workspaceId);
      await db.insert(workspaces).values({ id: workspaceId, orgId, name: w.name, description: null, timeZone: "UTC", createdAt: now, updatedAt: now });
      const ctx: TenantCtx = { ...c.var.ctx, now, tenant: { userId, orgId, workspaceId, role: "admin", orgRole: c.var.org.role } };
      const account = { userId: w.userId, userName: w.userName, pages: w.pages.map((p) => p.id).join(","), igAccounts: w.pages.flatMap((p) => (p.ig ? [p.ig.id] : [])).join(","), adAccounts: "", adCurrencies: "" };
      const integration = {
        id: newId(), orgId, workspaceId, provider: "meta", status: "active" as const, label: w.userName, accountKey: `meta-user:${w.userId}`, account: { ...account, assets: [account.pages, account.igAccounts].filter(Boolean).join(",") },
        scopes: ["pages_manage_posts", "instagram_content_publish"], tokenExpiresAt: now + w.expiresIn * 1000, connectedBy: userId, lastSyncAt: now, rowsSynced: 0, syncIntervalMinutes: 60, createdAt: now, updatedAt: now, disconnectedAt: null, lastError: null,
      };
      const media = await uploadMedia({ ctx, input: { name: "bench.jpg", bytes: JPEG } });
      stmts.push(
        db.insert(integrations).values(integration),
        ...(await sealStatements(ctx.env, db, integration, { accessToken: w.accessToken }, { now })),
        db.insert(socialAccounts).values(w.pages.flatMap((p) => [
          { integrationId: integration.id, providerId: p.id, orgId, workspaceId, source: "meta", kind: "page" as const, name: p.name, parentId: null, followers: 1000, updatedAt: now },
          ...(p.ig ? [{ integrationId: integration.id, providerId: p.ig.id, orgId, workspaceId, source: "meta", kind: "ig" as const, name: p.ig.username, parentId: p.id, followers: 1000, updatedAt: now }] : []),
        ])),
        db.insert(actionSettings).values({ workspaceId, orgId, kind: "publish_post", autopilot: true, limits: { postsPerDay: 100 }, updatedBy: userId, updatedAt: now }),
      );
      const fb = w.pages[0]!;
      const ig = w.pages.find((p) => p.ig)?.ig ?? null;
      for (let i = 0; i < body.postsPerWorkspace; i++) {
        const toIg = ig && i % 2 === 1;
        const accountId = toIg ? ig.id : fb.id;
        const text = `Bench post ${i + 1} of ${w.name} ${workspaceId.slice(-6)}: fresh from the studio #qweb`;
        const post = { id: newId(), orgId, workspaceId, title: `Bench post ${i + 1}`, status: "scheduled" as const, scheduledFor: null, contentId: null, actionId: newId(), createdBy: userId, createdAt: now, updatedAt: now };
        const channels = [{ accountId, network: toIg ? "instagram" : "facebook", text, media: 1, firstComment: null, link: null }];
        rows.posts.push(post);
        rows.variants.push({ id: newId(), postId: post.id, orgId, workspaceId, integrationId: integration.id, accountId, network: toIg ? "instagram" : "facebook", text, mediaIds: [media.id], firstComment: null, link: null, status: "scheduled", dueAt: null, updatedAt: now });
        rows.actions.push({
          id: post.actionId, orgId, workspaceId, kind: "publish_post", subjectType: "post", subjectId: post.id, summary: `Publish "${post.title}"`, before: { status: "draft", scheduledFor: null }, after: { status: "published", scheduledFor: null, channels },
          // Not due until `arm` sets the time: the runner skips it (dueAt null) until then.
          state: "scheduled", scheduledFor: null, dueAt: null, attemptId: newId(), attempts: 0, proposedBy: userId, approvedAt: now, approvedAs: "autopilot", transitionId: newId(), createdAt: now, updatedAt: now,
        });
        rows.events.push(
          { id: newId(), orgId, workspaceId, subjectKind: "action", subjectId: post.actionId, action: "requested", toStatus: "proposed", actorId: userId, actorRole: "org-admin", note: null, createdAt: now },
          { id: newId(), orgId, workspaceId, subjectKind: "action", subjectId: post.actionId, action: "approved", toStatus: "scheduled", actorId: null, actorRole: "autopilot", note: "Inside the guardrails", createdAt: now },
        );
      }
    }
    for (const part of chunkRows(rows.posts, columnsOf(publishPosts))) stmts.push(db.insert(publishPosts).values(part));
    for (const part of chunkRows(rows.variants, columnsOf(publishVariants))) stmts.push(db.insert(publishVariants).values(part));
    for (const part of chunkRows(rows.actions, columnsOf(actions))) stmts.push(db.insert(actions).values(part));
    for (const part of chunkRows(rows.events, columnsOf(approvalEvents))) stmts.push(db.insert(approvalEvents).values(part));
    await runBatched(db, stmts);
    // As when a post is scheduled: each workspace's runner holds an alarm (here a provisional one an hour ahead; `arm` moves it earlier).
    await Promise.all(out.map((ws) => kickRunner(c.var.ctx, ws, now + 3_600_000)));
    return c.json({ workspaceIds: out });
  })
  .post("/:orgId/arm", doc({ summary: "Publishing benchmark: every bench post due at `dueAt`, handed to each workspace's Publisher as an approval does (local only)", tags: ["dev"] }), requireOrg("admin"), validate("param", orgParam), validate("json", armBody), async (c) => {
    const { db } = c.var.ctx;
    const { orgId } = c.var.org;
    const { workspaceIds, dueAt } = c.req.valid("json");
    // What approving each post does (the executor's handoff), in bulk: the variants due at the time, the
    // Publisher's alarm set to it, and the action due for the runner's safety look HANDOFF_GRACE_MS later.
    for (const ids of inChunks(workspaceIds, 6)) { // 6 = the updates' other parameters (3 set, org, kind, state)
      await db.batch([
        db.update(actions).set({ dueAt: dueAt + HANDOFF_GRACE_MS, scheduledFor: dueAt, updatedAt: Date.now() }).where(and(eq(actions.orgId, orgId), inArray(actions.workspaceId, ids), eq(actions.kind, "publish_post"), eq(actions.state, "scheduled"))),
        db.update(publishPosts).set({ scheduledFor: dueAt, updatedAt: Date.now() }).where(and(eq(publishPosts.orgId, orgId), inArray(publishPosts.workspaceId, ids), eq(publishPosts.status, "scheduled"))),
        db.update(publishVariants).set({ dueAt, updatedAt: Date.now() }).where(and(eq(publishVariants.orgId, orgId), inArray(publishVariants.workspaceId, ids), eq(publishVariants.status, "scheduled"), isNull(publishVariants.dueAt))),
      ]);
    }
    for (let i = 0; i < workspaceIds.length; i += 25) {
      await Promise.all(workspaceIds.slice(i, i + 25).map(async (ws) => {
        await c.env.PUBLISHER.getByName(ws).wake(ws, dueAt);
        await kickRunner(c.var.ctx, ws, dueAt + HANDOFF_GRACE_MS);
      }));
    }
    return c.json({ armed: workspaceIds.length });
  })
  .post("/:orgId/status", doc({ summary: "Publishing benchmark read-out: variants by status and lateness of the published ones (local only)", tags: ["dev"] }), requireOrg("admin"), validate("param", orgParam), validate("json", z.strictObject({ workspaceIds: z.array(z.string().min(1).max(64)).min(1).max(1000), phases: z.boolean().optional(), countsOnly: z.boolean().optional() })), async (c) => {
    const { db } = c.var.ctx;
    const { orgId } = c.var.org;
    const byStatus: Record<string, number> = {};
    if (c.req.valid("json").countsOnly) {
      // While the run goes: counts only (one GROUP BY per chunk), so polling costs the machine little.
      for (const ids of inChunks(c.req.valid("json").workspaceIds, 1)) {
        for (const r of await db.select({ status: publishVariants.status, n: sql<number>`count(*)` }).from(publishVariants).where(and(eq(publishVariants.orgId, orgId), inArray(publishVariants.workspaceId, ids))).groupBy(publishVariants.status)) byStatus[r.status] = (byStatus[r.status] ?? 0) + Number(r.n);
      }
      return c.json({ byStatus, published: byStatus.published ?? 0, firstAt: null, lastAt: null, p50: null, p95: null, p99: null, max: null, retried: 0, errors: [] });
    }
    const lateness: number[] = [];
    const errors: string[] = [];
    let first = Infinity;
    let last = 0;
    for (const ids of inChunks(c.req.valid("json").workspaceIds, 1)) {
      const rows = await db
        .select({ status: publishVariants.status, publishedAt: publishVariants.publishedAt, dueAt: publishPosts.scheduledFor, error: publishVariants.error, attempts: publishVariants.attempts })
        .from(publishVariants)
        .innerJoin(publishPosts, eq(publishPosts.id, publishVariants.postId))
        .where(and(eq(publishVariants.orgId, orgId), inArray(publishVariants.workspaceId, ids)));
      for (const r of rows) {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        if (r.status === "published" && r.publishedAt && r.dueAt) {
          lateness.push(r.publishedAt - r.dueAt);
          first = Math.min(first, r.publishedAt);
          last = Math.max(last, r.publishedAt);
        }
        if (r.error && errors.length < 5) errors.push(r.error);
      }
    }
    lateness.sort((a, b) => a - b);
    // Where the time went, per post (ms): due → the runner's first claim of its action (the approval path; none when the
    // Publisher took the action itself) → the Publisher's claim of the variant → published → the action recorded done.
    const phases = { runner: [] as number[], handoff: [] as number[], publish: [] as number[], settle: [] as number[] };
    for (const ids of c.req.valid("json").phases ? inChunks(c.req.valid("json").workspaceIds, 2) : []) { // 2 = org, status
      const rows = await db
        .select({
          dueAt: publishPosts.scheduledFor, startedAt: publishVariants.startedAt, publishedAt: publishVariants.publishedAt, finishedAt: actions.finishedAt,
          claimedAt: sql<number | null>`(select min(${approvalEvents.createdAt}) from ${approvalEvents} where ${approvalEvents.subjectKind} = 'action' and ${approvalEvents.subjectId} = ${actions.id} and ${approvalEvents.toStatus} = 'running')`,
        })
        .from(publishVariants)
        .innerJoin(publishPosts, eq(publishPosts.id, publishVariants.postId))
        .innerJoin(actions, eq(actions.id, publishPosts.actionId))
        .where(and(eq(publishVariants.orgId, orgId), inArray(publishVariants.workspaceId, ids), eq(publishVariants.status, "published")));
      for (const r of rows) {
        if (r.dueAt === null || r.startedAt === null || r.publishedAt === null) continue;
        const handedAt = r.claimedAt ?? r.dueAt;
        if (r.claimedAt !== null) phases.runner.push(r.claimedAt - r.dueAt);
        phases.handoff.push(r.startedAt - handedAt);
        phases.publish.push(r.publishedAt - r.startedAt);
        if (r.finishedAt !== null) phases.settle.push(r.finishedAt - r.publishedAt);
      }
    }
    const spread = (xs: number[]) => {
      xs.sort((a, b) => a - b);
      return { n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99) };
    };
    const [retried] = await db.select({ n: sql<number>`count(*)` }).from(publishVariants).where(and(eq(publishVariants.orgId, orgId), sql`${publishVariants.attempts} > 1`));
    return c.json({ byStatus, published: lateness.length, firstAt: lateness.length ? first : null, lastAt: lateness.length ? last : null, p50: pct(lateness, 50), p95: pct(lateness, 95), p99: pct(lateness, 99), max: lateness.at(-1) ?? null, retried: retried?.n ?? 0, errors, phases: { runner: spread(phases.runner), handoff: spread(phases.handoff), publish: spread(phases.publish), settle: spread(phases.settle) } });
  });
