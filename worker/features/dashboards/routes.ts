import { Hono, type Context } from "hono";
import type { AppEnv, TenantCtx } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { requireOrg, requireWorkspace, requireWorkspaceInBatch } from "../../core/tenancy";
import { sessionInBatch } from "../../middleware/auth";
import { requireOperator } from "../../core/operators";
import { catalogue, rebuildRollups } from "../metrics";
import { getAgencyRollup } from "./agency";
import { toCsv } from "./csv";
import { presetRange, type Range } from "./periods";
import {
  agencyView, breakdownQuery, breakdownView, catalogueView, dashboardQuery, dashboardView, drillQuery, drillView, layoutBody, layoutView, rangeQuery, rebuildBody, rebuildView, timeZoneBody, timeZoneView,
} from "./schemas";
import { BREAKDOWN_MAX, getDashboard, getDrill, planBreakdown, type Ctx } from "./service";
import { getLayout, resetLayout, saveLayout, setTimeZone } from "./settings";
import type { z } from "zod";

const tags = ["dashboards"];
/** The request context the workspace guard built (db, env, config, now, tenant). */
const ctxOf = (c: Context<AppEnv>): Ctx & TenantCtx => c.var.tenantCtx;

/** The asked range: from and to, or a preset ending today in the workspace's time zone (known once the access check has read it). */
function rangeFor(c: Context<AppEnv>, q: z.infer<typeof rangeQuery>): Range | ((timeZone: string) => Range) {
  if (q.from && q.to) return { from: q.from, to: q.to };
  if (q.from || q.to) throw new ApiError("VALIDATION_FAILED", "Give both from and to, or a preset");
  const now = c.var.ctx.now;
  return (timeZone) => presetRange(q.preset ?? "28d", timeZone, now);
}
const rangeIn = (r: ReturnType<typeof rangeFor>, timeZone: string) => (typeof r === "function" ? r(timeZone) : r);

/** /api/workspaces/:workspaceId/dashboard — every workspace role reads; editors arrange the widgets. */
export const dashboardRoutes = new Hono<AppEnv>()
  // The three reads answer in ONE D1 round trip: the session check, the access check and the
  // figures in one batch (sessionInBatch + requireWorkspaceInBatch).
  .get("/", doc({ summary: "Dashboard figures: overview or one area, with comparison and freshness", tags, response: dashboardView }), sessionInBatch, requireWorkspaceInBatch("viewer"), validate("query", dashboardQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await getDashboard({ ctx: c.var.ctx, batch: c.var.workspaceBatch, input: { area: q.area, range: rangeFor(c, q), compare: q.compare, metrics: q.metrics } }));
  })
  .get("/breakdown", doc({ summary: "A dimension's rows (products, channels, landing pages, campaigns); CSV with format=csv", tags, response: breakdownView }), sessionInBatch, requireWorkspaceInBatch("viewer"), validate("query", breakdownQuery), async (c) => {
    const q = c.req.valid("query");
    const limit = q.limit ?? (q.format === "csv" ? BREAKDOWN_MAX : undefined);
    const range = rangeFor(c, q);
    let plan: ReturnType<typeof planBreakdown> | undefined;
    const read = await c.var.workspaceBatch(({ workspaceId, timeZone }) => {
      plan = planBreakdown(c.var.db, workspaceId, { dimension: q.dimension, metrics: q.metrics, range: rangeIn(range, timeZone), limit });
      return plan.query ? [plan.query] : [];
    });
    const out = plan!.finish((read.results[0] ?? []) as Parameters<ReturnType<typeof planBreakdown>["finish"]>[0]);
    if (q.format === "json") return c.json(out);
    return c.body(toCsv(out), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${q.dimension}.csv"` });
  })
  .get("/drill", doc({ summary: "Daily figures of one product, channel, landing page or campaign", tags, response: drillView }), sessionInBatch, requireWorkspaceInBatch("viewer"), validate("query", drillQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await getDrill({ ctx: c.var.ctx, batch: c.var.workspaceBatch, input: { dimension: q.dimension, metrics: q.metrics, value: q.value, range: rangeFor(c, q) } }));
  })
  .get("/layout", doc({ summary: "The workspace's dashboard widgets", tags, response: layoutView }), requireWorkspace("viewer"), async (c) => c.json(await getLayout({ ctx: ctxOf(c) })))
  .put("/layout", doc({ summary: "Choose, order and size the dashboard widgets (editors)", tags, response: layoutView, activity: { action: "dashboard.layout.save", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("json", layoutBody), async (c) =>
    c.json(await saveLayout({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .delete("/layout", doc({ summary: "Back to the default widgets (editors)", tags, status: 200, response: layoutView, activity: { action: "dashboard.layout.reset", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), async (c) => c.json(await resetLayout({ ctx: ctxOf(c) })))
  .put("/time-zone", doc({ summary: "Set where the workspace's days begin; rollups are refiled (workspace admins)", tags, response: timeZoneView, activity: { action: "dashboard.time-zone.set", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("admin"), validate("json", timeZoneBody), async (c) =>
    c.json(await setTimeZone({ ctx: ctxOf(c), d1: c.env.DB, input: c.req.valid("json") })),
  );

/** /api/orgs/:orgId/dashboard — the agency roll-up, for organization members. */
export const agencyDashboardRoutes = new Hono<AppEnv>().get(
  "/",
  doc({ summary: "Every client's headline KPIs and trend, flagging drops (money per currency)", tags, response: agencyView }),
  requireOrg("member"),
  validate("query", rangeQuery),
  async (c) => {
    const q = c.req.valid("query");
    const range = rangeIn(rangeFor(c, q), "UTC");
    return c.json(await getAgencyRollup({ ctx: c.var.orgCtx, input: { range, compare: q.compare } }));
  },
);

/** /api/metrics — the catalogue (public to signed-in users) and the operator's rebuild. */
export const metricRoutes = new Hono<AppEnv>()
  .get("/catalogue", doc({ summary: "Every KPI's definition, unit, sources and aggregation", tags, response: catalogueView }), (c) => c.json({ metrics: catalogue }))
  .post("/rollups/rebuild", doc({ summary: "Rebuild the rollups from the synced rows, a batch of integrations at a time (platform operators)", tags, response: rebuildView, activity: { action: "metrics.rollups.rebuild" } }), requireOperator, validate("json", rebuildBody), async (c) =>
    c.json(await rebuildRollups(c.env.DB, c.req.valid("json"))),
  );
