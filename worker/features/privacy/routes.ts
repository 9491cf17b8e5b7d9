import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { memberships, organizations, users } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { doc, validate, targetParam } from "../../lib/validate";
import { requireOrg } from "../../core/tenancy";
import { claimLoginAttempt, checkCredentials } from "../auth";
import { consentsOf, currentConsent } from "../consent";
import { saveConsent } from "./consent";
import { acceptanceStatus, acceptPolicy } from "../policy";
import { listUserRequests, recordRequest, requestView } from "./dsr";
import { deleteOrganization, pendingOrgDeletions, restoreAccount, restoreOrganization } from "./erasure";
import { orgFlags, userFlags } from "../../core/restrictions";
import { inventory } from "./inventory";
import { jobView, listJobs } from "./export/jobs";
import { acceptPolicyBody, consentBody, idParam, orgProcessingBody, passwordBody, processingBody, restoreBody, consentView, consentsView, inventoryView, orgDeletionView, orgProcessingView, overviewView, processingView, restoredView } from "./schemas";
import { acceptanceStatusView } from "../policy";
import { exportRoutes } from "./export-routes";
import { requestRoutes } from "./request-routes";

const tags = ["privacy"];

export const privacyRoutes = new Hono<AppEnv>()
  .get("/overview", doc({ summary: "Everything the privacy center shows: switches, consents, requests, exports, policy", tags, response: overviewView }), async (c) => {
    const { db, auth } = c.var;
    const [flags, consent, policy, requests, jobs, pending, owned, last] = await Promise.all([
      userFlags(db, auth.userId),
      currentConsent({ ctx: c.var.ctx, input: { userId: auth.userId } }),
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
    c.json(await consentsOf({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } })),
  )
  .put(
    "/consents",
    doc({ summary: "Record your cookie choice (functional, analytics) under the policy in force; withdrawing is as easy as giving", tags, response: consentView, activity: { action: "privacy.consent" } }),
    validate("json", consentBody),
    async (c) => c.json(await saveConsent({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, email: c.var.auth.email, choice: c.req.valid("json") } })),
  )
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
  )
  .route("/", exportRoutes)
  .route("/", requestRoutes);
