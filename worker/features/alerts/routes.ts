import { Hono, type Context } from "hono";
import type { AppEnv, TenantCtx } from "../../core/context";
import { doc, targetParam, validate } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { alertParam, alertView, alertsView, ruleBody, ruleParam, rulePatch, rulesView, ruleView, snoozeBody } from "./schemas";
import { createRule, deleteRule, listAlerts, listRules, setAlertStatus, updateRule, type Ctx } from "./service";

const tags = ["alerts"];
/** The request context the workspace guard built (db, env, config, now, tenant). */
const ctxOf = (c: Context<AppEnv>): Ctx & TenantCtx => c.var.tenantCtx;

/** /api/workspaces/:workspaceId/alerts — everyone on the workspace reads; editors manage rules and acknowledge. */
export const alertRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "Alerts raised for the workspace, newest first", tags, response: alertsView }), requireWorkspace("viewer"), async (c) => c.json({ alerts: await listAlerts({ ctx: ctxOf(c) }) }))
  .get("/rules", doc({ summary: "The workspace's alert rules", tags, response: rulesView }), requireWorkspace("viewer"), async (c) => c.json({ rules: await listRules({ ctx: ctxOf(c) }) }))
  .post("/rules", doc({ summary: "Create an alert rule (editors)", tags, status: 201, response: ruleView, activity: { action: "alerts.rule.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("json", ruleBody), async (c) =>
    c.json(await createRule({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .patch("/rules/:ruleId", doc({ summary: "Change an alert rule (editors)", tags, response: ruleView, activity: { action: "alerts.rule.update", target: targetParam("alert-rule", "ruleId") } }), validate("param", ruleParam), requireWorkspace("editor"), validate("json", rulePatch), async (c) =>
    c.json(await updateRule({ ctx: ctxOf(c), input: { id: c.req.valid("param").ruleId, patch: c.req.valid("json") } })),
  )
  .delete("/rules/:ruleId", doc({ summary: "Delete an alert rule (editors)", tags, status: 204, response: null, activity: { action: "alerts.rule.delete", target: targetParam("alert-rule", "ruleId") } }), validate("param", ruleParam), requireWorkspace("editor"), async (c) => {
    await deleteRule({ ctx: ctxOf(c), input: { id: c.req.valid("param").ruleId } });
    return c.body(null, 204);
  })
  .post("/:alertId/acknowledge", doc({ summary: "Acknowledge an alert (editors)", tags, response: alertView, activity: { action: "alerts.alert.acknowledge", target: targetParam("alert", "alertId") } }), validate("param", alertParam), requireWorkspace("editor"), async (c) =>
    c.json(await setAlertStatus({ ctx: ctxOf(c), input: { id: c.req.valid("param").alertId, status: "acknowledged" } })),
  )
  .post("/:alertId/snooze", doc({ summary: "Snooze an alert's rule until a time (editors)", tags, response: alertView, activity: { action: "alerts.alert.snooze", target: targetParam("alert", "alertId") } }), validate("param", alertParam), requireWorkspace("editor"), validate("json", snoozeBody), async (c) =>
    c.json(await setAlertStatus({ ctx: ctxOf(c), input: { id: c.req.valid("param").alertId, status: "snoozed", until: c.req.valid("json").until } })),
  );
