import type { Database } from "../../db/client";
import type { ReportBranding, ReportSection } from "../../db/schema";
import type { TenantContext } from "../../core/context";
import { getBreakdown, kpisFor, periodsOf, type Range } from "../dashboards";
import { metricOf } from "../metrics";

export type ModelKpi = { key: string; label: string; unit: string; value: Record<string, number | null>; previous: Record<string, number | null> | null; change: Record<string, number | null> | null };
export type ModelSection =
  | { kind: "kpis"; kpis: ModelKpi[] }
  | { kind: "chart"; metric: string; label: string; unit: string; points: { bucket: string; value: Record<string, number | null> }[] }
  | { kind: "top"; dimension: string; metrics: string[]; rows: { label: string; figures: Record<string, Record<string, number | null>> }[] }
  | { kind: "note"; text: string };
export type ReportModel = { title: string; branding: ReportBranding; range: Range; comparison: Range | null; timeZone: string; sections: ModelSection[] };

const TOP: Record<string, string[]> = { product: ["products_sold", "product_revenue"], campaign: ["email_sends", "email_opens", "email_revenue"], channel: ["sessions", "conversions"], landing_page: ["sessions", "conversions"] };

/** The figures a report shows, read through the dashboard's own queries (so both always agree). */
export async function buildModel(db: Database, tenant: TenantContext, t: { title: string; sections: ReportSection[]; branding: ReportBranding; timeZone: string }, range: Range): Promise<ReportModel> {
  const periods = periodsOf(range, "previous");
  const sections: ModelSection[] = [];
  for (const s of t.sections) {
    if (s.kind === "note") sections.push({ kind: "note", text: s.text });
    else if (s.kind === "kpis") {
      const kpis = await kpisFor(db, tenant.workspaceId, s.metrics.filter((m) => metricOf(m)), periods);
      sections.push({ kind: "kpis", kpis: kpis.map((k) => ({ key: k.key, label: k.label, unit: k.unit, value: k.value, previous: k.previous, change: k.change })) });
    } else if (s.kind === "chart") {
      const [k] = await kpisFor(db, tenant.workspaceId, [s.metric], periods);
      if (k) sections.push({ kind: "chart", metric: k.key, label: k.label, unit: k.unit, points: k.series });
    } else {
      const b = await getBreakdown({ ctx: { db, tenant, now: 0 }, input: { dimension: s.dimension, metrics: TOP[s.dimension]!, range } });
      sections.push({ kind: "top", dimension: s.dimension, metrics: b.metrics, rows: b.rows.slice(0, 10).map((r) => ({ label: r.label, figures: r.figures })) });
    }
  }
  return { title: t.title, branding: t.branding, range: periods.current, comparison: periods.comparison, timeZone: t.timeZone, sections };
}
