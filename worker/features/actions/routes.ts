import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireOrg, requireWorkspace } from "../../core/tenancy";
import { doc, targetParam, validate } from "../../lib/validate";
import { actionDetail, approveAction, cancelAction, listActions, listOrgActions, rejectAction, revertAction } from "./service";
import { listSettings, saveSettings } from "./settings";
import { actionDetailView, actionListView, actionParam, actionView, kindParam, kindSettingsView, listQuery, noteBody, orgActionListView, orgParam, settingsBody, settingsListView, workspaceParam } from "./schemas";

const tags = ["actions"];
const target = targetParam("action", "actionId");

/** Mounted at /api/workspaces/:workspaceId/actions */
export const actionRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "The workspace's actions (publish, send, pause, budget) with filters; waiting=me: what waits for the caller's approval", tags, response: actionListView }), validate("param", workspaceParam), requireWorkspace("viewer"), validate("query", listQuery), async (c) =>
    c.json({ actions: await listActions({ ctx: c.var.tenantCtx, input: c.req.valid("query") }) }),
  )
  .get("/settings", doc({ summary: "Approval policy, autopilot and guardrail limits per action kind", tags, response: settingsListView }), validate("param", workspaceParam), requireWorkspace("viewer"), async (c) =>
    c.json({ settings: await listSettings({ ctx: c.var.tenantCtx }) }),
  )
  .put(
    "/settings/:kind",
    doc({ summary: "Set who approves an action kind, its autopilot switch and guardrail limits", tags, response: kindSettingsView, activity: { action: "actions.settings.update", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("admin"),
    validate("param", kindParam),
    validate("json", settingsBody),
    async (c) => c.json(await saveSettings({ ctx: c.var.tenantCtx, input: { kind: c.req.valid("param").kind, ...c.req.valid("json") } })),
  )
  .get("/:actionId", doc({ summary: "An action with its before/after, provider answer and audit trail", tags, response: actionDetailView }), validate("param", actionParam), requireWorkspace("viewer"), async (c) =>
    c.json(await actionDetail({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").actionId } })),
  )
  .post("/:actionId/approve", doc({ summary: "Approve an action (it runs when due)", tags, response: actionView, activity: { action: "actions.approve", target } }), validate("param", actionParam), requireWorkspace("editor"), validate("json", noteBody), async (c) =>
    c.json(await approveAction({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").actionId, ...c.req.valid("json") } })),
  )
  .post("/:actionId/reject", doc({ summary: "Reject an action", tags, response: actionView, activity: { action: "actions.reject", target } }), validate("param", actionParam), requireWorkspace("editor"), validate("json", noteBody), async (c) =>
    c.json(await rejectAction({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").actionId, ...c.req.valid("json") } })),
  )
  .post("/:actionId/cancel", doc({ summary: "Cancel an action that has not started", tags, response: actionView, activity: { action: "actions.cancel", target } }), validate("param", actionParam), requireWorkspace("editor"), validate("json", noteBody), async (c) =>
    c.json(await cancelAction({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").actionId, ...c.req.valid("json") } })),
  )
  .post("/:actionId/revert", doc({ summary: "Undo a done action: proposes its inverse (through the same approval path)", tags, status: 201, response: actionView, activity: { action: "actions.revert", target } }), validate("param", actionParam), requireWorkspace("editor"), async (c) =>
    c.json(await revertAction({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").actionId } }), 201),
  );

/** Mounted at /api/orgs/:orgId/actions: across an agency's clients. */
export const orgActionRoutes = new Hono<AppEnv>().get(
  "/",
  doc({ summary: "Actions across the organization's workspaces; waiting=me: what waits for the caller's approval", tags, response: orgActionListView }),
  validate("param", orgParam),
  requireOrg("member"),
  validate("query", listQuery),
  async (c) => c.json({ actions: await listOrgActions({ ctx: c.var.orgCtx, input: c.req.valid("query") }) }),
);
