// Routes of routing rules and teams (organization), SLAs (workspace), and per-conversation
// classification and AI drafts. Mounted from routes.ts.
import { Hono } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { requireOrg, requireWorkspace } from "../../core/tenancy";

import { doc, targetParam, validate } from "../../lib/validate";
import { inboxMessages } from "../../db/schema";
import { getConversation } from "./conversations";
import { generateAiDraft } from "./drafts";
import { deleteRule, listRules, saveRule, triageMessage } from "./routing";
import { deleteSla, getSla, putSla } from "./sla";
import { deleteTeam, listTeams, saveTeam } from "./teams";
import { conversationParam } from "./schemas";
import { aiDraftBody, aiDraftView, classificationView, ruleBody, ruleListView, ruleParam, ruleView, slaBody, slaViewSchema, teamBody, teamListView, teamParam, teamView } from "./routing-schemas";
import { and, desc } from "drizzle-orm";
import { requireConversation } from "./conversation-guard";

const tags = ["inbox"];

/** Under /api/orgs/:orgId/inbox */
export const orgRoutingRoutes = new Hono<AppEnv>()
  .get("/rules", doc({ summary: "The organization's inbox routing rules, in order", tags, response: ruleListView }), requireOrg("member"), async (c) => c.json({ rules: await listRules({ ctx: c.var.orgCtx }) }))
  .post("/rules", doc({ summary: "Add a routing rule (conditions on sender, recipient, subject, body, AI category; assign or set a category)", tags, status: 201, response: ruleView, activity: { action: "inbox.rule.create" } }), requireOrg("admin"), validate("json", ruleBody), async (c) =>
    c.json(await saveRule({ ctx: c.var.orgCtx, input: c.req.valid("json") }), 201),
  )
  .put("/rules/:inboxRuleId", doc({ summary: "Change a routing rule", tags, response: ruleView, activity: { action: "inbox.rule.update", target: targetParam("inbox_rule", "inboxRuleId") } }), validate("param", ruleParam), requireOrg("admin"), validate("json", ruleBody), async (c) =>
    c.json(await saveRule({ ctx: c.var.orgCtx, input: { ...c.req.valid("json"), id: c.req.valid("param").inboxRuleId } })),
  )
  .delete("/rules/:inboxRuleId", doc({ summary: "Delete a routing rule", tags, status: 204, response: null, activity: { action: "inbox.rule.delete", target: targetParam("inbox_rule", "inboxRuleId") } }), validate("param", ruleParam), requireOrg("admin"), async (c) => {
    await deleteRule({ ctx: c.var.orgCtx, input: { id: c.req.valid("param").inboxRuleId } });
    return c.body(null, 204);
  })
  .get("/teams", doc({ summary: "Inbox teams with their members and caps", tags, response: teamListView }), requireOrg("member"), async (c) => c.json({ teams: await listTeams({ ctx: c.var.orgCtx }) }))
  .post("/teams", doc({ summary: "Create an inbox team", tags, status: 201, response: teamView, activity: { action: "inbox.team.create" } }), requireOrg("admin"), validate("json", teamBody), async (c) =>
    c.json(await saveTeam({ ctx: c.var.orgCtx, input: c.req.valid("json") }), 201),
  )
  .put("/teams/:teamId", doc({ summary: "Change a team's name, cap and members", tags, response: teamView, activity: { action: "inbox.team.update", target: targetParam("inbox_team", "teamId") } }), validate("param", teamParam), requireOrg("admin"), validate("json", teamBody), async (c) =>
    c.json(await saveTeam({ ctx: c.var.orgCtx, input: { ...c.req.valid("json"), id: c.req.valid("param").teamId } })),
  )
  .delete("/teams/:teamId", doc({ summary: "Delete an inbox team", tags, status: 204, response: null, activity: { action: "inbox.team.delete", target: targetParam("inbox_team", "teamId") } }), validate("param", teamParam), requireOrg("admin"), async (c) => {
    await deleteTeam({ ctx: c.var.orgCtx, input: { id: c.req.valid("param").teamId } });
    return c.body(null, 204);
  });

/** Under /api/workspaces/:workspaceId/inbox */
export const workspaceSlaRoutes = new Hono<AppEnv>()
  .get("/sla", doc({ summary: "The workspace's SLA: response targets in business hours, its time zone", tags, response: slaViewSchema }), requireWorkspace("viewer"), async (c) => c.json(await getSla({ ctx: c.var.tenantCtx })))
  .put("/sla", doc({ summary: "Set the workspace's SLA targets and business hours", tags, response: slaViewSchema, activity: { action: "inbox.sla.update", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("admin"), validate("json", slaBody), async (c) =>
    c.json(await putSla({ ctx: c.var.tenantCtx, input: c.req.valid("json") })),
  )
  .delete("/sla", doc({ summary: "Remove the workspace's SLA", tags, status: 204, response: null, activity: { action: "inbox.sla.delete", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("admin"), async (c) => {
    await deleteSla({ ctx: c.var.tenantCtx });
    return c.body(null, 204);
  });

/** Under /api/inbox */
export const conversationAiRoutes = new Hono<AppEnv>()
  .post("/conversations/:conversationId/classify", doc({ summary: "Classify the conversation again (rules first, AI where no rule decides) and route it if unassigned", tags, response: classificationView, activity: { action: "inbox.conversation.classify", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("editor"), async (c) => {
    const ctx = c.var.tenantCtx;
    const conv = await getConversation({ ctx, input: { id: c.req.valid("param").conversationId } });
    const [last] = await ctx.db.select({ id: inboxMessages.id }).from(inboxMessages).where(and(eq(inboxMessages.conversationId, conv.id), eq(inboxMessages.orgId, ctx.tenant.orgId), eq(inboxMessages.direction, "in"))).orderBy(desc(inboxMessages.date)).limit(1);
    const out = last ? await triageMessage({ ctx, input: { messageId: last.id } }) : null;
    const after = await getConversation({ ctx: { ...ctx, tenant: { ...ctx.tenant, workspaceId: conv.workspaceId } }, input: { id: conv.id } }).catch(() => conv);
    return c.json({ category: after.category, priority: after.priority, summary: after.summary, reason: after.categoryReason, model: after.categoryModel, routed: out?.routed ?? null });
  })
  .post("/conversations/:conversationId/ai-draft", doc({ summary: "Write a reply draft with AI in the brand voice (this thread only) and save it to the mailbox's drafts", tags, status: 201, response: aiDraftView, activity: { action: "inbox.draft.generate", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("editor"), validate("json", aiDraftBody), async (c) =>
    c.json(await generateAiDraft({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId, ...c.req.valid("json") } }), 201),
  );
