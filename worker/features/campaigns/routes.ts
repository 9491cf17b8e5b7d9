import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireWorkspace } from "../../core/tenancy";
import { doc, targetParam, validate } from "../../lib/validate";
import { cancelSend, requestSend } from "./dispatch";
import { createCampaign, draftFromContent, getCampaign, listAudiences, listCampaigns, sendTest, updateCampaign } from "./service";
import { campaignEnvelope, campaignListView, campaignParam, contentDraftView, contentParam, createBody, listQuery, listsView, scheduleBody, testBody, updateBody, workspaceParam } from "./schemas";

const tags = ["campaigns"];
const target = targetParam("campaign", "campaignId");

/** Mounted at /api/workspaces/:workspaceId/campaigns */
export const campaignRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "The workspace's email campaigns with their state and synced results (opens, clicks)", tags, response: campaignListView }), validate("param", workspaceParam), requireWorkspace("viewer"), validate("query", listQuery), async (c) =>
    c.json({ campaigns: await listCampaigns({ ctx: c.var.tenantCtx, input: c.req.valid("query") }) }),
  )
  .get("/lists", doc({ summary: "The connected Klaviyo and Mailchimp accounts with their lists or audiences (synced, else asked live) and the workspace's time zone", tags, response: listsView }), validate("param", workspaceParam), requireWorkspace("viewer"), async (c) =>
    c.json(await listAudiences({ ctx: c.var.tenantCtx })),
  )
  .get("/from-content/:contentId", doc({ summary: "Subject, preheader and body a campaign would take from an AI email content item (the editor fills its fields with them)", tags, response: contentDraftView }), validate("param", contentParam), requireWorkspace("viewer"), async (c) =>
    c.json(await draftFromContent({ ctx: c.var.tenantCtx, input: { contentId: c.req.valid("param").contentId } })),
  )
  .post(
    "/",
    doc({ summary: "Create a campaign draft from hand-written content or an AI email content item, for one list of a connected account", tags, status: 201, response: campaignEnvelope, activity: { action: "campaigns.create", target: targetParam("workspace", "workspaceId") } }),
    validate("param", workspaceParam),
    requireWorkspace("editor"),
    validate("json", createBody),
    async (c) => c.json({ campaign: await createCampaign({ ctx: c.var.tenantCtx, input: c.req.valid("json") }) }, 201),
  )
  .get("/:campaignId", doc({ summary: "A campaign with its body, state, provider ids and results", tags, response: campaignEnvelope }), validate("param", campaignParam), requireWorkspace("viewer"), async (c) =>
    c.json({ campaign: await getCampaign({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").campaignId } }) }),
  )
  .patch("/:campaignId", doc({ summary: "Edit a draft (subject, preheader, body, list, sender)", tags, response: campaignEnvelope, activity: { action: "campaigns.update", target } }), validate("param", campaignParam), requireWorkspace("editor"), validate("json", updateBody), async (c) =>
    c.json({ campaign: await updateCampaign({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").campaignId, patch: c.req.valid("json") } }) }),
  )
  .post("/:campaignId/test", doc({ summary: "Send a test of the campaign to up to 5 addresses (creates it at the provider first if needed)", tags, response: campaignEnvelope, activity: { action: "campaigns.test", target } }), validate("param", campaignParam), requireWorkspace("editor"), validate("json", testBody), async (c) =>
    c.json({ campaign: await sendTest({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").campaignId, emails: c.req.valid("json").emails } }) }),
  )
  .post("/:campaignId/schedule", doc({ summary: "Propose sending the campaign at a time (ms UTC; Mailchimp needs a quarter-hour): a send_campaign action on the approval path", tags, response: campaignEnvelope, activity: { action: "campaigns.schedule", target } }), validate("param", campaignParam), requireWorkspace("editor"), validate("json", scheduleBody), async (c) =>
    c.json({ campaign: await requestSend({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").campaignId, at: c.req.valid("json").scheduledFor } }) }),
  )
  .post("/:campaignId/send", doc({ summary: "Propose sending the campaign now: a send_campaign action that runs once approved", tags, response: campaignEnvelope, activity: { action: "campaigns.send", target } }), validate("param", campaignParam), requireWorkspace("editor"), async (c) =>
    c.json({ campaign: await requestSend({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").campaignId, at: null } }) }),
  )
  .post("/:campaignId/unschedule", doc({ summary: "Cancel a send waiting for approval or its time, or a schedule the provider holds: the campaign is a draft again", tags, response: campaignEnvelope, activity: { action: "campaigns.unschedule", target } }), validate("param", campaignParam), requireWorkspace("editor"), async (c) =>
    c.json({ campaign: await cancelSend({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").campaignId } }) }),
  );
