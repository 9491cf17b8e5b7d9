// The fleet-wide gate in front of a provider app's publishing calls. Every workspace's Publisher
// takes slots here (the Throttle object of key `gate:meta:<app id>`) before it calls Graph, so a
// burst of posts due at the same minute across hundreds of workspaces keeps a bounded number of
// calls in flight for the app, earliest due first, instead of every workspace going at once,
// swamping the provider (and this Worker and D1), and each backing off on its own. What Meta says
// about the app's usage is shared through the same object: a throttle error or usage near 100 %
// pauses every workspace's publishing until Meta's estimate (`estimated_time_to_regain_access`),
// not just the one that tripped it.
import type { Ctx } from "../../core/context";
import type { GateGrant } from "../../core/throttle";
import { buildRuntime } from "../../connectors/runtime";
import type { ConnectorRuntime } from "../../connectors/types";
import { appUsagePct, DEFAULT_THROTTLE_WAIT_MS, regainAccessMs } from "../../connectors/meta/graph";

/**
 * Variants being published at once for the whole fleet (one slot = one variant's Graph calls, made
 * one after another). Meta limits an app by calls per hour (X-App-Usage, which pauses the gate
 * near 100 %), not by calls in flight; this bound keeps a burst from swamping the Worker and D1.
 * 512 rather than 128: with more variants in flight, their D1 writes share more round trips
 * (RunWrites) and the isolate waits less; 300 workspaces x 20 posts went out in 47 s instead of
 * 64 s, at 7.4 instead of 9.1 ms of workerd CPU a post (bench/publish.bench.mjs).
 */
export const GATE_CAPACITY = 512;
/** A holder that died frees its slots after this (a run stops starting posts after its budget). */
const LEASE_MS = 2 * 60_000;
/** X-App-Usage at or above this (percent of the app's hourly allowance): stop before Meta refuses. */
export const APP_USAGE_HIGH = 95;
/** Meta's app-level throttle (#4); the others (user, page, IG account, ad account) concern one account. */
const APP_THROTTLE = 4;
const ACCOUNT_THROTTLE = new Set([17, 32, 613, 80001, 80002, 80004]);

export const gateKey = (ctx: Ctx) => `gate:meta:${buildRuntime(ctx.env, "meta").app.clientId || "app"}`;
const stub = (ctx: Ctx) => ctx.env.THROTTLE.getByName(gateKey(ctx));

export const acquireSlots = (ctx: Ctx, a: { want: number; dueAt: number; waitMs: number }): Promise<GateGrant> =>
  stub(ctx).acquire({ want: a.want, capacity: GATE_CAPACITY, dueAt: a.dueAt, leaseMs: LEASE_MS, waitMs: a.waitMs });
export const releaseSlots = (ctx: Ctx, ticket: number | null) => (ticket === null ? Promise.resolve() : stub(ctx).release(ticket));
export const pauseApp = (ctx: Ctx, until: number) => stub(ctx).pause(until);
export const gateStatus = (ctx: Ctx) => stub(ctx).gate();

/** What one run heard from Meta about its limits. */
export class UsageSignals {
  /** Set when the app as a whole must wait (ms timestamp). */
  appPausedUntil: number | null = null;
  /** Accounts (Page / IG ids) Meta throttled, and until when. */
  readonly accounts = new Map<string, number>();

  private app(until: number) {
    this.appPausedUntil = Math.max(this.appPausedUntil ?? 0, until);
  }

  /** Reads a Graph answer's usage headers and, for an error, its code. */
  async see(res: Response, url: string) {
    const now = Date.now();
    const regain = regainAccessMs(res.headers);
    if (appUsagePct(res.headers) >= APP_USAGE_HIGH) this.app(now + (regain ?? DEFAULT_THROTTLE_WAIT_MS));
    if (res.ok) return;
    let code = 0;
    try {
      code = Number(((await res.clone().json()) as { error?: { code?: number } })?.error?.code) || 0;
    } catch {}
    if (code === APP_THROTTLE) this.app(now + (regain ?? DEFAULT_THROTTLE_WAIT_MS));
    else if (ACCOUNT_THROTTLE.has(code)) {
      // The account is the path's first segment after the version (/v24.0/{id}/edge).
      const id = /\/v\d+\.\d+\/([^/?]+)/.exec(new URL(url).pathname)?.[1];
      if (id) this.accounts.set(id, Math.max(this.accounts.get(id) ?? 0, now + (regain ?? DEFAULT_THROTTLE_WAIT_MS)));
    }
  }

  /** Until when this account (or the whole app) must not be called; null when it may be. */
  blockedUntil(accountId: string, now = Date.now()): number | null {
    const until = Math.max(this.appPausedUntil ?? 0, this.accounts.get(accountId) ?? 0);
    return until > now ? until : null;
  }

  /** The runtime whose every Graph answer passes through `see`. */
  observe(rt: ConnectorRuntime): ConnectorRuntime {
    return {
      ...rt,
      fetch: async (input, init) => {
        const res = await rt.fetch(input, init);
        await this.see(res, typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url);
        return res;
      },
    };
  }
}
