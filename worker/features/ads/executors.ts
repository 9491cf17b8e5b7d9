// The executors of pause_campaign, resume_campaign and change_budget: they reach Meta's Marketing
// API or Google Ads with the integration's credentials, and mirror the provider's new state into
// the synced rows at once (the next sync overwrites them with the provider's own answer).
import { and, eq } from "drizzle-orm";
import type { ActionExecutor, ActionOutcome, ActionRecord } from "../../core/actions";
import type { Ctx } from "../../core/context";
import { ProviderError } from "../../connectors/http";
import { updateMetaObject } from "../../connectors/meta/manage";
import { minorToMicros, setBudgetAmount, setCampaignStatus } from "../../connectors/google-ads/manage";
import { adCampaigns, adSets } from "../../db/schema";
import { minorDigits } from "../../lib/money";
import { DAY } from "../../lib/time";
import { doneActionsOf } from "../actions";
import { openContext, refreshTokens, tokenDue, type SyncContext } from "../integrations";

/** What an ads action carries in before/after (the subject: which campaign or ad set, on which integration). */
export type AdTarget = {
  integrationId: string;
  channel: "meta" | "google";
  level: "campaign" | "adset";
  /** The campaign's or ad set's provider id. */
  providerId: string;
  accountId: string;
  currency: string;
  budgetId: string | null;
};
export type AdState = AdTarget & { status?: string; dailyBudgetMinor?: number | null; lifetimeBudgetMinor?: number | null; sharedBudget?: boolean };

const stateOf = (j: unknown) => j as AdState;

async function open(ctx: Ctx, a: ActionRecord, target: AdTarget): Promise<SyncContext> {
  const sc = await openContext(ctx.env, target.integrationId);
  if (!sc || sc.integration.orgId !== a.orgId || sc.integration.workspaceId !== a.workspaceId) throw new ProviderError("permanent", "The ad account is no longer connected to this workspace");
  if (sc.unreadable) throw new ProviderError("permanent", sc.unreadable);
  if (sc.connector.id === "google-ads" && tokenDue(sc, Date.now())) await refreshTokens(sc);
  return sc;
}

/** Runs a provider call with a fresh token once after a 401 (Google); maps provider errors to outcomes. */
async function attempt(ctx: Ctx, a: ActionRecord, target: AdTarget, call: (sc: SyncContext) => Promise<unknown>, result: Record<string, string | number | boolean | null>): Promise<ActionOutcome> {
  try {
    const sc = await open(ctx, a, target);
    try {
      await call(sc);
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind !== "unauthorized" || sc.connector.id !== "google-ads") throw err;
      await refreshTokens(sc);
      await call(sc);
    }
    return { ok: true, result };
  } catch (err) {
    if (err instanceof ProviderError) {
      const retry = err.kind === "rate-limited" || err.kind === "transient";
      return { ok: false, error: err.message, retry, ...(err.opts.retryAfterMs ? { retryAfterMs: err.opts.retryAfterMs } : {}) };
    }
    return { ok: false, error: err instanceof Error ? err.message : String(err), retry: false };
  }
}

/** Mirrors the provider's new state into the synced row so the campaigns table shows it now. */
async function mirror(ctx: Ctx, a: ActionRecord, t: AdState) {
  const patch: Partial<typeof adCampaigns.$inferInsert> = {};
  if (t.status) patch.status = t.status;
  if (t.dailyBudgetMinor !== undefined) patch.dailyBudgetMinor = t.dailyBudgetMinor;
  if (t.lifetimeBudgetMinor !== undefined) patch.lifetimeBudgetMinor = t.lifetimeBudgetMinor;
  if (!Object.keys(patch).length) return;
  const table = t.level === "adset" ? adSets : adCampaigns;
  await ctx.db.update(table).set(patch).where(and(eq(table.integrationId, t.integrationId), eq(table.providerId, t.providerId), eq(table.orgId, a.orgId), eq(table.workspaceId, a.workspaceId)));
}

function statusExecutor(kind: "pause_campaign" | "resume_campaign"): ActionExecutor {
  const pause = kind === "pause_campaign";
  return {
    kind,
    async execute({ ctx, action }) {
      const t = stateOf(action.after);
      const status = t.channel === "meta" ? (pause ? "PAUSED" : "ACTIVE") : pause ? "PAUSED" : "ENABLED";
      const out = await attempt(ctx, action, t, (sc) =>
        t.channel === "meta"
          ? updateMetaObject(sc.rt, sc.secrets, t.providerId, { status: status as "PAUSED" | "ACTIVE" })
          : setCampaignStatus(sc.rt, sc.secrets, { customerId: t.accountId, campaignId: t.providerId, loginCustomerId: sc.account.loginCustomerId || undefined }, status as "PAUSED" | "ENABLED"),
        { status },
      );
      if (out.ok) await mirror(ctx, action, { ...t, status });
      return out;
    },
    async guard({ ctx, action, limits }) {
      if (limits.maxPerDay === undefined) return null;
      const today = await doneActionsOf(ctx, action, kind, ctx.now - DAY);
      return today.length >= limits.maxPerDay ? `Autopilot may ${pause ? "pause" : "resume"} at most ${limits.maxPerDay} campaigns a day` : null;
    },
  };
}

export const pauseExecutor = statusExecutor("pause_campaign");
export const resumeExecutor = statusExecutor("resume_campaign");

const DEFAULT_MAX_CHANGE_PCT = 20;

export const budgetExecutor: ActionExecutor = {
  kind: "change_budget",
  async execute({ ctx, action }) {
    const t = stateOf(action.after);
    const digits = minorDigits(t.currency);
    const out = await attempt(ctx, action, t, async (sc) => {
      if (t.channel === "meta") {
        return updateMetaObject(sc.rt, sc.secrets, t.providerId, t.dailyBudgetMinor != null ? { dailyBudgetMinor: t.dailyBudgetMinor } : { lifetimeBudgetMinor: t.lifetimeBudgetMinor! });
      }
      if (!t.budgetId) throw new ProviderError("permanent", "google-ads: the campaign has no budget to change");
      return setBudgetAmount(sc.rt, sc.secrets, { customerId: t.accountId, budgetId: t.budgetId, loginCustomerId: sc.account.loginCustomerId || undefined }, minorToMicros(t.dailyBudgetMinor ?? 0, digits));
    }, { dailyBudgetMinor: t.dailyBudgetMinor ?? null, lifetimeBudgetMinor: t.lifetimeBudgetMinor ?? null });
    if (out.ok) {
      await mirror(ctx, action, t);
      // A shared Google budget: every campaign using it shows the new amount.
      if (t.channel === "google" && t.budgetId) {
        await ctx.db.update(adCampaigns).set({ dailyBudgetMinor: t.dailyBudgetMinor ?? null }).where(and(eq(adCampaigns.integrationId, t.integrationId), eq(adCampaigns.budgetId, t.budgetId), eq(adCampaigns.orgId, action.orgId), eq(adCampaigns.workspaceId, action.workspaceId)));
      }
    }
    return out;
  },
  revert: ({ action }) => ({ before: action.after, after: action.before }),
  /** At most ±maxChangePct (default 20 %) against the budget as it stood before the first change of the last 24 h. */
  async guard({ ctx, action, limits }) {
    const max = limits.maxChangePct ?? DEFAULT_MAX_CHANGE_PCT;
    const before = stateOf(action.before);
    const after = stateOf(action.after);
    if (after.sharedBudget) return "This Google Ads budget is shared by several campaigns: a person decides";
    const earlier = await doneActionsOf(ctx, action, "change_budget", ctx.now - DAY, { type: action.subjectType, id: action.subjectId });
    const first = earlier.length ? stateOf(earlier[0]!.before) : before;
    const base = first.dailyBudgetMinor ?? first.lifetimeBudgetMinor ?? null;
    const next = after.dailyBudgetMinor ?? after.lifetimeBudgetMinor ?? null;
    if (!base || next === null) return "The budget before the change is unknown";
    const pct = (Math.abs(next - base) / base) * 100;
    return pct > max + 1e-9 ? `A change of ${pct.toFixed(1)} % in 24 hours is more than the ±${max} % autopilot may make` : null;
  },
};
