import { Hono, type Context } from "hono";
import { z } from "zod";
import { and, eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { dsrRequests, memberships, organizations, users } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { doc, validate, targetParam } from "../../lib/validate";
import { getOrgAccess, requireOrg } from "../../core/tenancy";
import { claimLoginAttempt, checkCredentials } from "../auth";
import { recordConsent, currentConsent, consentHistory } from "../consent";
import { acceptanceStatus, acceptPolicy, currentPolicy } from "../policy";
import { OPEN_STATUSES, eventView, eventsOf, getUserRequest, listUserRequests, recordRequest, requestView, updateRequest } from "./dsr";
import { deleteOrganization, pendingOrgDeletions, restoreAccount, restoreOrganization } from "./erasure";
import { orgFlags, userFlags } from "../../core/restrictions";
import { inventory } from "./inventory";
import { exportJson, isSmall, liveEntries, prepareExport } from "./export/build";
import { getJob, jobEntries, jobJson, jobView, listJobs, startExport } from "./export/jobs";
import { zipStream } from "./export/zip";
import { LINK_TTL_SECONDS, signDownloadLink, verifyDownloadLink } from "./export/link";
import {
  ATTACHMENT_MAX_BYTES, acceptPolicyBody, attachmentBody, consentBody, exportQuery, idParam,
  orgProcessingBody, passwordBody, processingBody, requestBody, restoreBody,
  consentView, consentsView, exportView, inventoryView, jobEnvelope, jobsView, linkView, orgDeletionView, orgProcessingView, overviewView,
  processingView, requestDetailView, requestEnvelope, requestsView, restoredView,
} from "./schemas";
import { acceptanceStatusView } from "../policy/schemas";

const tags = ["privacy"];
type C = Context<AppEnv>;

const zipResponse = (c: C, body: ReadableStream<Uint8Array>, name: string) =>
  c.body(body, 200, { "content-type": "application/zip", "content-disposition": `attachment; filename="${name}"` });

const exportName = (ext: string, now = Date.now()) => `qweb-export-${new Date(now).toISOString().slice(0, 10)}.${ext}`;

/** P19/P20 access and portability: every self-serve download is a completed request on record. */
const logExport = (c: C, format: "json" | "zip", rows: number) =>
  recordRequest(c.var.db, {
    userId: c.var.auth.userId, email: c.var.auth.email, regime: "gdpr", kind: format === "zip" ? "portability" : "access",
    source: "self-serve", status: "completed", verification: "session",
    actions: [`Export delivered (${format.toUpperCase()}, about ${rows} rows)`],
  }, { actor: "user" });

const downloadQuery = z.object({ format: z.enum(["json", "zip"]).default("zip") });

async function downloadJob(c: C, job: Awaited<ReturnType<typeof getJob>>, format: "json" | "zip") {
  if (job.status !== "ready") throw new ApiError("CONFLICT", `This export is ${job.status}; download it once it is ready`);
  await logExport(c, format, job.rowsDone);
  if (format === "json") {
    return c.body(await jobJson(c.env, job), 200, { "content-type": "application/json", "content-disposition": `attachment; filename="${exportName("json", job.createdAt)}"` });
  }
  const { entries } = await jobEntries(c.env, job);
  return zipResponse(c, zipStream(entries, job.completedAt ?? Date.now()), exportName("zip", job.createdAt));
}

export const privacyRoutes = new Hono<AppEnv>()
  .get("/overview", doc({ summary: "Everything the privacy center shows: switches, consents, requests, exports, policy", tags, response: overviewView }), async (c) => {
    const { db, auth } = c.var;
    const [flags, consent, policy, requests, jobs, pending, owned, last] = await Promise.all([
      userFlags(db, auth.userId),
      currentConsent(db, auth.userId),
      acceptanceStatus(db, auth.userId),
      listUserRequests(db, auth.userId),
      listJobs(db, auth.userId),
      pendingOrgDeletions(db, auth.userId),
      db.select({ id: organizations.id, name: organizations.name, role: memberships.role, restrictedAt: organizations.restrictedAt, objectedAt: organizations.objectedAt, deletedAt: organizations.deletedAt, purgeAfter: organizations.purgeAfter })
        .from(memberships).innerJoin(organizations, eq(organizations.id, memberships.orgId)).where(eq(memberships.userId, auth.userId)),
      c.env.PRIVACY_EXPORT.getByName(`export:${auth.userId}`).last(),
    ]);
    return c.json({
      processing: flags,
      consent,
      policy,
      requests: requests.map((r) => requestView(r)),
      exports: jobs.map(jobView),
      lastExport: last,
      organizations: owned.map((o) => ({ id: o.id, name: o.name, role: o.role, restricted: !!o.restrictedAt, objected: !!o.objectedAt, deletedAt: o.deletedAt, purgeAfter: o.purgeAfter })),
      pendingDeletions: pending,
      inventory: inventory(),
    });
  })
  .get("/inventory", doc({ summary: "What QWEB collects, why, how long it is kept and whether it is exported (CCPA right to know: categories)", tags, response: inventoryView }), (c) =>
    c.json({ inventory: inventory() }),
  )
  .get(
    "/export",
    doc({ summary: "Download every piece of data QWEB holds about you (JSON, or ?format=zip); 202 with a background job for large accounts", tags, response: exportView, media: "application/zip", alternatives: { 202: { description: "Started as a background job", schema: jobEnvelope } } }),
    validate("query", exportQuery),
    async (c) => {
      const { format } = c.req.valid("query");
      const prepared = await prepareExport(c.env, c.var.auth.userId, Date.now());
      if (!isSmall(prepared)) {
        const job = await startExport(c.env, c.var.db, c.var.auth.userId, prepared);
        c.header("Location", `/api/privacy/exports/${job.id}`);
        return c.json({ job: jobView(job) }, 202);
      }
      // The request is on record first, so the archive (and its manifest) includes it.
      await logExport(c, format, prepared.rowsTotal);
      const final = await prepareExport(c.env, c.var.auth.userId, Date.now());
      if (format === "zip") return zipResponse(c, zipStream(liveEntries(c.env, final), Date.now()), exportName("zip"));
      c.header("content-disposition", `attachment; filename="${exportName("json")}"`);
      return c.json(await exportJson(c.env, final));
    },
  )
  .post("/exports", doc({ summary: "Start a background export with progress (any account size)", tags, status: 202, response: jobEnvelope, activity: { action: "privacy.export.start" } }), async (c) => {
    const prepared = await prepareExport(c.env, c.var.auth.userId, Date.now());
    const job = await startExport(c.env, c.var.db, c.var.auth.userId, prepared);
    c.header("Location", `/api/privacy/exports/${job.id}`);
    return c.json({ job: jobView(job) }, 202);
  })
  .get("/exports", doc({ summary: "Your exports and their progress", tags, response: jobsView }), async (c) =>
    c.json({ exports: (await listJobs(c.var.db, c.var.auth.userId)).map(jobView) }),
  )
  .get("/exports/:jobId", doc({ summary: "One export's progress", tags, response: jobEnvelope }), validate("param", idParam("jobId")), async (c) =>
    c.json({ job: jobView(await getJob(c.var.db, c.var.auth.userId, c.req.valid("param").jobId)) }),
  )
  .get(
    "/exports/:jobId/download",
    doc({ summary: "Download a finished export as ZIP (or ?format=json), streamed", tags, response: exportView, media: "application/zip" }),
    validate("param", idParam("jobId")),
    validate("query", downloadQuery),
    async (c) => downloadJob(c, await getJob(c.var.db, c.var.auth.userId, c.req.valid("param").jobId), c.req.valid("query").format),
  )
  .post(
    "/exports/:jobId/link",
    doc({ summary: "A signed link (5 minutes) the browser can follow to download a finished export", tags, response: linkView, activity: { action: "privacy.export.link", target: targetParam("export", "jobId") } }),
    validate("param", idParam("jobId")),
    async (c) => {
      const job = await getJob(c.var.db, c.var.auth.userId, c.req.valid("param").jobId);
      if (job.status !== "ready") throw new ApiError("CONFLICT", `This export is ${job.status}; download it once it is ready`);
      const token = await signDownloadLink(c.var.config, { userId: c.var.auth.userId, jobId: job.id, sessionId: c.var.auth.sessionId });
      return c.json({ url: `/api/privacy/download/${token}`, expiresIn: LINK_TTL_SECONDS });
    },
  )
  .get(
    "/download/:token",
    doc({ summary: "Follow a signed export link (no bearer token: the link is the credential, for 5 minutes, while the session lives)", tags, public: true, response: exportView, media: "application/zip" }),
    validate("param", z.object({ token: z.string().min(20).max(2000) })),
    validate("query", downloadQuery),
    async (c) => {
      const claims = await verifyDownloadLink(c.var.config, c.req.valid("param").token);
      if (!claims) throw new ApiError("UNAUTHORIZED", "This download link is invalid or has expired");
      const live = await c.env.DB.prepare(
        `SELECT 1 AS ok FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.deleted_at IS NULL`,
      ).bind(claims.sessionId, claims.userId, Date.now()).first();
      if (!live) throw new ApiError("UNAUTHORIZED", "This download link is invalid or has expired");
      const [u] = await c.var.db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, claims.userId)).limit(1);
      c.set("auth", { userId: claims.userId, sessionId: claims.sessionId, email: u?.email ?? "", name: u?.name ?? "" });
      return downloadJob(c, await getJob(c.var.db, claims.userId, claims.jobId), c.req.valid("query").format);
    },
  )
  .put(
    "/processing",
    doc({ summary: "Restrict processing, object to it, or opt out of sale (CCPA); the data is kept, no feature is gated", tags, response: processingView, activity: { action: "privacy.processing" } }),
    validate("json", processingBody),
    async (c) => {
      const { db, auth } = c.var;
      const input = c.req.valid("json");
      const before = await userFlags(db, auth.userId);
      const now = Date.now();
      await db.update(users).set({
        ...(input.restricted !== undefined ? { restrictedAt: input.restricted ? now : null } : {}),
        ...(input.objected !== undefined ? { objectedAt: input.objected ? now : null } : {}),
        ...(input.saleOptOut !== undefined ? { saleOptOutAt: input.saleOptOut ? now : null } : {}),
        updatedAt: now,
      }).where(eq(users.id, auth.userId));
      const changes: [boolean | undefined, boolean, "restriction" | "objection" | "opt-out-sale", string, string][] = [
        [input.restricted, before.restricted, "restriction", "Processing restricted: no AI processing, automations or analytics; data kept", "Restriction lifted"],
        [input.objected, before.objected, "objection", "Objection recorded: no AI processing, automations or analytics; data kept", "Objection withdrawn"],
        [input.saleOptOut, before.saleOptOut, "opt-out-sale", "Opted out of sale (QWEB sells no personal information); no feature changes", "Opt-out of sale withdrawn"],
      ];
      for (const [want, had, kind, on, off] of changes) {
        if (want === undefined || want === had) continue;
        await recordRequest(db, {
          userId: auth.userId, email: auth.email, regime: kind === "opt-out-sale" ? "ccpa" : "gdpr", kind, source: "self-serve",
          status: "completed", verification: "session", actions: [want ? on : off],
        }, { actor: "user" }, now);
      }
      return c.json({ processing: await userFlags(db, auth.userId) });
    },
  )
  .get("/consents", doc({ summary: "Your cookie consent in force and its history", tags, response: consentsView }), async (c) =>
    c.json({ consent: await currentConsent(c.var.db, c.var.auth.userId), history: await consentHistory(c.var.db, c.var.auth.userId) }),
  )
  .put(
    "/consents",
    doc({ summary: "Record your cookie choice (functional, analytics) under the policy in force; withdrawing is as easy as giving", tags, response: consentView, activity: { action: "privacy.consent" } }),
    validate("json", consentBody),
    async (c) => {
      const { db, auth } = c.var;
      const policy = await currentPolicy(db);
      const { consent, withdrawn } = await recordConsent(db, auth.userId, c.req.valid("json"), policy.version);
      if (withdrawn.length) {
        await recordRequest(db, {
          userId: auth.userId, email: auth.email, regime: "gdpr", kind: "consent-withdrawal", source: "self-serve", status: "completed", verification: "session",
          actions: withdrawn.map((w) => `Consent withdrawn: ${w} cookies`),
        }, { actor: "user" });
      }
      return c.json({ consent });
    },
  )
  .get("/requests", doc({ summary: "Your privacy requests and their status", tags, response: requestsView }), async (c) =>
    c.json({ requests: (await listUserRequests(c.var.db, c.var.auth.userId)).map((r) => requestView(r)) }),
  )
  .post(
    "/requests",
    doc({ summary: "File a privacy request (e.g. rectification of data you cannot edit yourself)", tags, status: 201, response: requestEnvelope, activity: { action: "privacy.request.create" } }),
    validate("json", requestBody),
    async (c) => {
      const { db, auth } = c.var;
      const input = c.req.valid("json");
      if (input.orgId) await getOrgAccess(db, auth.userId, input.orgId);
      const row = await recordRequest(db, {
        userId: auth.userId, orgId: input.orgId ?? null, email: auth.email, regime: input.regime, kind: input.kind,
        source: "self-serve", status: "received", verification: "session", details: input.details,
      }, { actor: "user" });
      return c.json({ request: requestView(row) }, 201);
    },
  )
  .get("/requests/:requestId", doc({ summary: "One of your requests with its audit trail", tags, response: requestDetailView }), validate("param", idParam("requestId")), async (c) => {
    const row = await getUserRequest(c.var.db, c.var.auth.userId, c.req.valid("param").requestId);
    return c.json({ request: requestView(row), events: (await eventsOf(c.var.db, row.id)).map(eventView) });
  })
  .put(
    "/requests/:requestId/attachment",
    doc({ summary: "Attach a document to your request (PDF, PNG, JPEG or text; up to 512 KB), sent as base64 JSON", tags, response: requestEnvelope, activity: { action: "privacy.request.attach", target: targetParam("request", "requestId") } }),
    validate("param", idParam("requestId")),
    // Someone else's request answers 404 before anything about the upload is judged.
    async (c, next) => {
      await getUserRequest(c.var.db, c.var.auth.userId, c.req.param("requestId"));
      await next();
    },
    validate("json", attachmentBody),
    async (c) => {
      const { db, auth } = c.var;
      const row = await getUserRequest(db, auth.userId, c.req.valid("param").requestId);
      if (!OPEN_STATUSES.includes(row.status)) throw new ApiError("CONFLICT", "This request is closed");
      const { name, contentType, dataBase64 } = c.req.valid("json");
      let body: Uint8Array;
      try {
        body = Uint8Array.from(atob(dataBase64), (ch) => ch.charCodeAt(0));
      } catch {
        throw new ApiError("VALIDATION_FAILED", "The file is not valid base64", { details: [{ path: "dataBase64" }] });
      }
      if (!body.byteLength) throw new ApiError("VALIDATION_FAILED", "The file is empty", { details: [{ path: "dataBase64" }] });
      if (body.byteLength > ATTACHMENT_MAX_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE", "Attachments are limited to 512 KB");
      const key = `privacy/${auth.userId}/requests/${row.id}/${name}`;
      if (row.attachmentKey && row.attachmentKey !== key) await c.env.FILES.delete(row.attachmentKey);
      await c.env.FILES.put(key, body, { httpMetadata: { contentType } });
      await db.update(dsrRequests).set({ attachmentKey: key, attachmentName: name, updatedAt: Date.now() }).where(eq(dsrRequests.id, row.id));
      await updateRequest(db, row, { note: `Attached ${name} (${body.byteLength} bytes)` }, { actor: "user" });
      return c.json({ request: requestView({ ...row, attachmentKey: key, attachmentName: name }) });
    },
  )
  .post("/requests/:requestId/cancel", doc({ summary: "Withdraw one of your open requests", tags, response: requestEnvelope, activity: { action: "privacy.request.cancel", target: targetParam("request", "requestId") } }), validate("param", idParam("requestId")), async (c) => {
    const row = await getUserRequest(c.var.db, c.var.auth.userId, c.req.valid("param").requestId);
    if (!OPEN_STATUSES.includes(row.status)) throw new ApiError("CONFLICT", "This request is already closed");
    return c.json({ request: requestView(await updateRequest(c.var.db, row, { status: "cancelled", action: "Withdrawn by the requester" }, { actor: "user" })) });
  })
  .get("/policy", doc({ summary: "The policy in force, the versions you accepted, and whether you must accept a new one", tags, response: acceptanceStatusView }), async (c) =>
    c.json(await acceptanceStatus(c.var.db, c.var.auth.userId)),
  )
  .post("/policy/accept", doc({ summary: "Accept the privacy policy in force", tags, response: acceptanceStatusView, activity: { action: "privacy.policy.accept" } }), validate("json", acceptPolicyBody), async (c) =>
    c.json(await acceptPolicy(c.var.db, c.var.auth.userId, c.req.valid("json").version, c.var.clientIp)),
  )
  .put(
    "/orgs/:orgId/processing",
    doc({ summary: "Restrict or object to processing of an organization's data (owners and admins)", tags, response: orgProcessingView, activity: { action: "organization.processing", target: targetParam("organization", "orgId") } }),
    requireOrg("admin"),
    validate("param", idParam("orgId")),
    validate("json", orgProcessingBody),
    async (c) => {
      const { db, auth, org } = c.var;
      const input = c.req.valid("json");
      const before = await orgFlags(db, org.orgId);
      const now = Date.now();
      await db.update(organizations).set({
        ...(input.restricted !== undefined ? { restrictedAt: input.restricted ? now : null } : {}),
        ...(input.objected !== undefined ? { objectedAt: input.objected ? now : null } : {}),
        updatedAt: now,
      }).where(eq(organizations.id, org.orgId));
      for (const [want, had, kind] of [[input.restricted, before.restricted, "restriction"], [input.objected, before.objected, "objection"]] as const) {
        if (want === undefined || want === had) continue;
        await recordRequest(db, {
          userId: auth.userId, orgId: org.orgId, email: auth.email, regime: "gdpr", kind, source: "self-serve", status: "completed", verification: "session",
          actions: [`Organization ${kind} ${want ? "in force: no AI processing, automations or analytics; data kept" : "lifted"}`],
        }, { actor: "user" }, now);
      }
      return c.json({ processing: await orgFlags(db, org.orgId) });
    },
  )
  .delete(
    "/orgs/:orgId",
    doc({ summary: "Delete an organization (owner, with password): blocked at once, erased within 30 days, cancellable until then", tags, status: 202, response: orgDeletionView, activity: { action: "organization.delete", target: targetParam("organization", "orgId") } }),
    requireOrg("owner", "orgId", { includeDeleted: true }),
    validate("param", idParam("orgId")),
    validate("json", passwordBody),
    async (c) => {
      const { password, regime } = c.req.valid("json");
      return c.json(await deleteOrganization(c.env, c.var.db, c.var.auth.userId, c.req.valid("param").orgId, password, regime), 202);
    },
  )
  .post("/orgs/:orgId/restore", doc({ summary: "Cancel an organization's deletion during its grace period (owner)", tags, response: restoredView, activity: { action: "organization.restore", target: targetParam("organization", "orgId") } }), requireOrg("owner", "orgId", { includeDeleted: true }), validate("param", idParam("orgId")), async (c) => {
    await restoreOrganization(c.var.db, c.var.auth.userId, c.req.valid("param").orgId);
    return c.json({ restored: true });
  })
  .post(
    "/restore",
    doc({ summary: "Cancel your account's deletion during the grace period (email and password)", tags, public: true, response: restoredView, activity: { action: "account.restore" } }),
    validate("json", restoreBody),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const attempt = await claimLoginAttempt(c.env, email, c.var.clientIp);
      const user = await checkCredentials(c.var.db, email, password);
      if (!user) throw new ApiError("UNAUTHORIZED", "Incorrect email or password");
      await attempt.succeeded();
      const [row] = await c.var.db.select().from(users).where(and(eq(users.id, user.id))).limit(1);
      if (!row) throw notFound("Account");
      await restoreAccount(c.var.db, row);
      return c.json({ restored: true });
    },
  );
