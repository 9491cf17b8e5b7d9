import type { Database } from "../../db/client";
import type { AlertKind, AlertParams } from "../../db/schema";
import { kpisFor, monthLength, periodsOf } from "../dashboards";
import { localDay } from "../metrics";
import { fromMinor } from "../../lib/money";
import { getConnector } from "../../connectors";

/** Tokens QWEB renews by itself never need a warning; the others (Meta's long-lived tokens) do. */
const renewsItself = (provider: string) => {
  const c = getConnector(provider);
  return !!c && (c.auth.kind !== "oauth2" || !!c.auth.flow.refresh);
};

export type Finding = { periodKey: string; title: string; body: string; figures: Record<string, number | string | null> };
type Rule = { kind: AlertKind; name: string; params: AlertParams; workspaceId: string };
type Health = { id: string; label: string; provider: string; status: string; lastError: string | null; updatedAt: number; tokenExpiresAt: number | null };

const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const pct = (p: AlertParams, fallback: number) => (p.thresholdPct ?? fallback) / 100;

/** A metric's sum over [from, to] in one currency ("" for counts). */
async function sum(db: Database, ws: string, key: string, from: string, to: string, currency: string) {
  const [k] = await kpisFor(db, ws, [key], periodsOf({ from, to }, "none"));
  return k?.value[currency] ?? k?.value[""] ?? 0;
}

/**
 * Budget pacing across every ad source in the catalogue (Meta and Google Ads once connected):
 * month-to-date spend (today included) projected linearly to the month's end, against the budget.
 */
async function pacing(db: Database, r: Rule, today: string): Promise<Finding | null> {
  const budget = r.params.monthlyBudgetMinor ?? 0;
  const cur = r.params.currency ?? "USD";
  if (budget <= 0) return null;
  const month = today.slice(0, 7);
  const elapsed = Number(today.slice(8, 10));
  const days = monthLength(month);
  const spent = await sum(db, r.workspaceId, "ad_spend", `${month}-01`, today, cur);
  const projected = Math.round((spent / elapsed) * days);
  const over = projected > budget * (1 + pct(r.params, 10));
  const under = elapsed >= 7 && projected < budget * (1 - pct(r.params, 10));
  if (!over && !under) return null;
  const money = (m: number) => `${fromMinor(m, cur)} ${cur}`;
  return {
    periodKey: month,
    title: `${r.name}: pacing ${over ? "over" : "under"} budget`,
    body: `Spend so far this month is ${money(spent)}; at this pace the month ends at ${money(projected)} against a budget of ${money(budget)}.`,
    figures: { spentMinor: spent, projectedMinor: projected, budgetMinor: budget, currency: cur, direction: over ? "over" : "under" },
  };
}

/** Yesterday against the trailing 14-day daily average: worse by the threshold raises once per day. */
async function againstTrailing(db: Database, r: Rule, today: string, key: string, worse: "up" | "down", label: string): Promise<Finding | null> {
  const day = shift(today, -1);
  const cur = r.params.currency ?? "";
  const [last] = await kpisFor(db, r.workspaceId, [key], periodsOf({ from: day, to: day }, "none"));
  const [base] = await kpisFor(db, r.workspaceId, [key], periodsOf({ from: shift(day, -14), to: shift(day, -1) }, "none"));
  const pick = (f: Record<string, number | null> | undefined) => (f ? (f[cur] ?? Object.values(f)[0] ?? null) : null);
  const now = pick(last?.value);
  let avg = pick(base?.value);
  if (now === null || avg === null || avg === 0) return null;
  // Sums (spend, revenue) average per day; ratios (ROAS, CPA) are already per-period figures.
  if (last!.unit === "money" && ["ad_spend", "revenue_net"].includes(key)) avg = avg / 14;
  const change = (now - avg) / Math.abs(avg);
  const threshold = pct(r.params, 25);
  if (worse === "up" ? change < threshold : change > -threshold) return null;
  return {
    periodKey: day,
    title: `${r.name}: ${label} ${worse === "up" ? "up" : "down"} ${Math.abs(Math.round(change * 100))} %`,
    body: `${label} on ${day} was ${Math.round(now * 100) / 100} against a 14-day average of ${Math.round(avg * 100) / 100}.`,
    figures: { value: now, average: avg, change, day },
  };
}

function health(r: Rule, list: Health[], now: number): Finding | null {
  if (r.kind === "sync_failing") {
    const bad = list.find((i) => i.status === "error" || i.status === "needs_reconnect");
    if (!bad) return null;
    return { periodKey: `${bad.id}:${bad.status}:${bad.updatedAt}`, title: `${bad.label}: ${bad.status === "needs_reconnect" ? "needs reconnecting" : "sync failing"}`, body: bad.lastError ?? "The last sync did not complete.", figures: { integrationId: bad.id, status: bad.status } };
  }
  const days = r.params.days ?? 7;
  const soon = list.find((i) => i.tokenExpiresAt !== null && i.tokenExpiresAt > now && i.tokenExpiresAt - now < days * 86_400_000 && !renewsItself(i.provider));
  if (!soon) return null;
  return { periodKey: `${soon.id}:${soon.tokenExpiresAt}`, title: `${soon.label}: access expires soon`, body: `The connection's access ends ${new Date(soon.tokenExpiresAt!).toISOString().slice(0, 10)}; reconnect it before then.`, figures: { integrationId: soon.id, expiresAt: soon.tokenExpiresAt } };
}

export async function evaluateRule(db: Database, r: Rule, ctx: { now: number; timeZone: string; integrations: Health[] }): Promise<Finding | null> {
  const today = localDay(ctx.timeZone, ctx.now);
  switch (r.kind) {
    case "budget_pacing": return pacing(db, r, today);
    case "roas_drop": return againstTrailing(db, r, today, "roas", "down", "ROAS");
    case "cpa_rise": return againstTrailing(db, r, today, "cpa", "up", "CPA");
    case "spend_spike": return againstTrailing(db, r, today, "ad_spend", "up", "Ad spend");
    case "revenue_drop": return againstTrailing(db, r, today, "revenue_net", "down", "Net revenue");
    default: return health(r, ctx.integrations, ctx.now);
  }
}
