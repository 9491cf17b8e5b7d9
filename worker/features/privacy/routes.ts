import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate, targetParam } from "../../lib/validate";
import { requireOrg } from "../../core/tenancy";
import { consentsOf } from "../consent";
import { saveConsent } from "./consent";
import { acceptanceStatus, acceptPolicy, acceptanceStatusView } from "../policy";
import { privacyOverview, setOrgProcessing, setProcessing } from "./center";
import { deleteOrganization, restoreAccount, restoreOrganization } from "./erasure";
import { inventory } from "./inventory";
import { acceptPolicyBody, consentBody, idParam, orgProcessingBody, passwordBody, processingBody, restoreBody, consentView, consentsView, inventoryView, orgDeletionView, orgProcessingView, overviewView, processingView, restoredView } from "./schemas";
import { exportRoutes } from "./export-routes";
import { requestRoutes } from "./request-routes";

const tags = ["privacy"];

export const privacyRoutes = new Hono<AppEnv>()
  .get("/overview", doc({ summary: "Everything the privacy center shows: switches, consents, requests, exports, policy", tags, response: overviewView }), async (c) =>
    c.json(await privacyOverview({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } })),
  )
  .get("/inventory", doc({ summary: "What QWEB collects, why, how long it is kept and whether it is exported (CCPA right to know: categories)", tags, response: inventoryView }), (c) =>
    c.json({ inventory: inventory() }),
  )
  .put(
    "/processing",
    doc({ summary: "Restrict processing, object to it, or opt out of sale (CCPA); the data is kept, no feature is gated", tags, response: processingView, activity: { action: "privacy.processing" } }),
    validate("json", processingBody),
    async (c) => c.json(await setProcessing({ ctx: c.var.ctx, input: { me: c.var.auth, change: c.req.valid("json") } })),
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
    c.json(await acceptanceStatus({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } })),
  )
  .post("/policy/accept", doc({ summary: "Accept the privacy policy in force", tags, response: acceptanceStatusView, activity: { action: "privacy.policy.accept" } }), validate("json", acceptPolicyBody), async (c) =>
    c.json(await acceptPolicy({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, version: c.req.valid("json").version, ip: c.var.clientIp } })),
  )
  .put(
    "/orgs/:orgId/processing",
    doc({ summary: "Restrict or object to processing of an organization's data (owners and admins)", tags, response: orgProcessingView, activity: { action: "organization.processing", target: targetParam("organization", "orgId") } }),
    requireOrg("admin"),
    validate("param", idParam("orgId")),
    validate("json", orgProcessingBody),
    async (c) => c.json(await setOrgProcessing({ ctx: c.var.orgCtx, input: { email: c.var.auth.email, change: c.req.valid("json") } })),
  )
  .delete(
    "/orgs/:orgId",
    doc({ summary: "Delete an organization (owner, with password): blocked at once, erased within 30 days, cancellable until then", tags, status: 202, response: orgDeletionView, activity: { action: "organization.delete", target: targetParam("organization", "orgId") } }),
    requireOrg("owner", "orgId", { includeDeleted: true }),
    validate("param", idParam("orgId")),
    validate("json", passwordBody),
    async (c) => c.json(await deleteOrganization({ ctx: c.var.orgCtx, input: c.req.valid("json") }), 202),
  )
  .post("/orgs/:orgId/restore", doc({ summary: "Cancel an organization's deletion during its grace period (owner)", tags, response: restoredView, activity: { action: "organization.restore", target: targetParam("organization", "orgId") } }), requireOrg("owner", "orgId", { includeDeleted: true }), validate("param", idParam("orgId")), async (c) => {
    await restoreOrganization({ ctx: c.var.orgCtx });
    return c.json({ restored: true });
  })
  .post(
    "/restore",
    doc({ summary: "Cancel your account's deletion during the grace period (email and password)", tags, public: true, response: restoredView, activity: { action: "account.restore" } }),
    validate("json", restoreBody),
    async (c) => {
      await restoreAccount({ ctx: c.var.ctx, input: { ...c.req.valid("json"), ip: c.var.clientIp } });
      return c.json({ restored: true });
    },
  )
  .route("/", exportRoutes)
  .route("/", requestRoutes);
