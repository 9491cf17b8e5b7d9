import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { workspaces } from "../../db/schema";
import type { OrgContext } from "../../core/context";
import { planKpis } from "./service";
import { periodsOf, type Compare, type Range } from "./periods";

/** The agency roll-up's KPIs per client; a client is flagged when one of them fell by this much. */
export const ROLLUP_KPIS = ["revenue_net", "orders", "sessions", "conversions", "email_opens", "ad_spend"];
export const DROP_FLAG = -0.2;

/**
 * Every client workspace of the organization with its headline KPIs, comparison and trend. Money
 * stays per currency: two clients in EUR and USD show both, and no total adds them.
 */
export async function getAgencyRollup({ ctx, input }: { ctx: { db: Database; org: OrgContext }; input: { range: Range; compare: Compare } }) {
  const periods = periodsOf(input.range, input.compare === "none" ? "previous" : input.compare);
  const list = await ctx.db
    .select({ id: workspaces.id, name: workspaces.name, timeZone: workspaces.timeZone })
    .from(workspaces)
    .where(eq(workspaces.orgId, ctx.org.orgId))
    .orderBy(asc(workspaces.name));
  // Every client's figures in one D1 batch.
  const plans = list.map((w) => planKpis(ctx.db, w.id, ROLLUP_KPIS, periods));
  const queries = plans.flatMap((p) => p.queries);
  const results = (queries.length ? await ctx.db.batch(queries as [(typeof queries)[number], ...(typeof queries)[number][]]) : []) as unknown[][];
  let at = 0;
  const clients = list.map((w, i) => {
      const plan = plans[i]!;
      const kpis = plan.finish(results.slice(at, (at += plan.queries.length)));
      const drops = kpis.flatMap((k) =>
        Object.entries(k.change ?? {}).flatMap(([cur, c]) => (c !== null && c <= DROP_FLAG ? [{ metric: k.key, currency: cur, change: c }] : [])),
      );
      return { workspaceId: w.id, name: w.name, timeZone: w.timeZone, kpis, dropped: drops.length > 0, drops };
  });
  const currencies = [...new Set(clients.flatMap((c) => c.kpis.filter((k) => k.unit === "money").flatMap((k) => Object.keys(k.value))))].sort();
  // Totals only ever within one currency.
  const totals = Object.fromEntries(
    ROLLUP_KPIS.map((key) => {
      const sums: Record<string, number> = {};
      for (const c of clients) for (const [cur, v] of Object.entries(c.kpis.find((k) => k.key === key)?.value ?? {})) if (v !== null) sums[cur] = (sums[cur] ?? 0) + v;
      return [key, sums];
    }),
  );
  return { range: periods.current, comparison: periods.comparison, bucket: periods.bucket, currencies, totals, clients };
}
