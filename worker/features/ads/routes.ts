import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireOrg, requireWorkspace } from "../../core/tenancy";
import { doc, targetParam, validate } from "../../lib/validate";
import { listCampaigns, listOrgCampaigns, proposeBudget, proposeStatus } from "./campaigns";
import { budgetBody, campaignListView, campaignParam, orgCampaignListView, orgParam, proposedView, statusBody, workspaceParam } from "./schemas";

const tags = ["ads"];
const target = targetParam("ad_campaign", "adCampaignId");

/** Mounted at /api/workspaces/:workspaceId/ads */
export const adsRoutes = new Hono<AppEnv>()
  .get("/campaigns", doc({ summary: "Ad campaigns across channels: status, budget, spend this month, pacing, ROAS and CPA", tags, response: campaignListView }), validate("param", workspaceParam), requireWorkspace("viewer"), async (c) => {
    const campaigns = await listCampaigns({ ctx: c.var.tenantCtx });
    return c.json({ campaigns: campaigns.map(({ workspaceId: _w, ...rest }) => rest) });
  })
  .post("/integrations/:integrationId/campaigns/:adCampaignId/pause", doc({ summary: "Propose pausing a campaign (an action for approval)", tags, status: 201, response: proposedView, activity: { action: "ads.campaign.pause", target } }), validate("param", campaignParam), requireWorkspace("editor"), validate("json", statusBody), async (c) =>
    c.json(await proposeStatus({ ctx: c.var.tenantCtx, input: { ...campaignOf(c.req.valid("param")), ...c.req.valid("json"), pause: true } }), 201),
  )
  .post("/integrations/:integrationId/campaigns/:adCampaignId/resume", doc({ summary: "Propose resuming a campaign (an action for approval)", tags, status: 201, response: proposedView, activity: { action: "ads.campaign.resume", target } }), validate("param", campaignParam), requireWorkspace("editor"), validate("json", statusBody), async (c) =>
    c.json(await proposeStatus({ ctx: c.var.tenantCtx, input: { ...campaignOf(c.req.valid("param")), ...c.req.valid("json"), pause: false } }), 201),
  )
  .post("/integrations/:integrationId/campaigns/:adCampaignId/budget", doc({ summary: "Propose a new campaign or ad-set budget (warns when a Google budget is shared)", tags, status: 201, response: proposedView, activity: { action: "ads.campaign.budget", target } }), validate("param", campaignParam), requireWorkspace("editor"), validate("json", budgetBody), async (c) =>
    c.json(await proposeBudget({ ctx: c.var.tenantCtx, input: { ...campaignOf(c.req.valid("param")), ...c.req.valid("json") } }), 201),
  );

/** The route names the synced campaign `:adCampaignId` (`:campaignId` is an email campaign elsewhere). */
const campaignOf = ({ adCampaignId, ...p }: { adCampaignId: string; integrationId: string; workspaceId: string }) => ({ ...p, campaignId: adCampaignId });

/** Mounted at /api/orgs/:orgId/ads: every client's campaigns in one table. */
export const orgAdsRoutes = new Hono<AppEnv>().get("/campaigns", doc({ summary: "Ad campaigns across the organization's workspaces", tags, response: orgCampaignListView }), validate("param", orgParam), requireOrg("member"), async (c) =>
  c.json({ campaigns: await listOrgCampaigns({ ctx: c.var.orgCtx }) }),
);
