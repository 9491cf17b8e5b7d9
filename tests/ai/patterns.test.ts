// P17 content intelligence from social post history: once Meta is connected, the best posting times
// come from engagement per person reached, by weekday and hour in the workspace's time zone, and the
// formats list compares networks and post lengths — each figure recomputed here from the synced rows.
import { describe, expect, it } from "vitest";
import { call, env, expectStatus } from "../support/harness";
import { connectOAuth, drain, ownerWithWorkspace } from "../integrations/support";
import { slugOf } from "../connectors/meta-support";

const DAY = 86_400_000;

describe("content intelligence: social post history", () => {
  it("P17: best times and formats come from the synced Facebook and Instagram posts, in the workspace's time zone", async () => {
    const { t, ws } = await ownerWithWorkspace("Social Patterns Co");
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/time-zone`, { token: t.token, body: { timeZone: "America/New_York" } }), 200);
    await connectOAuth(t, ws.id, "meta", {}, { login_hint: slugOf("patterns") });
    await drain(ws.id);

    const res = await call("GET", `/api/workspaces/${ws.id}/ai/patterns`, { token: t.token });
    expectStatus(res, 200);
    const p = res.json.patterns;
    expect(p.timeZone).toBe("America/New_York");
    expect(p.source).toMatch(/^social posts/);
    expect(p.bestTimes.length).toBeGreaterThan(0);
    expect(p.bestTimes.every((b: { basis: string }) => b.basis === "post engagement rate")).toBe(true);

    // The same figures from the raw rows: posts of the last 180 days with any reach.
    const since = Date.now() - 180 * DAY;
    const rows = (
      await env.DB.prepare(
        "SELECT p.published_at, p.reach, p.engagement, p.message, a.kind FROM social_posts p LEFT JOIN social_accounts a ON a.integration_id = p.integration_id AND a.provider_id = p.account_id WHERE p.workspace_id = ? AND p.published_at >= ? AND p.reach > 0",
      )
        .bind(ws.id, since)
        .all<{ published_at: number; reach: number; engagement: number; message: string | null; kind: string | null }>()
    ).results;
    expect(rows.length).toBeGreaterThan(0);
    const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", weekday: "short", hour: "2-digit", hourCycle: "h23" });
    const slots = new Map<string, { sum: number; n: number }>();
    for (const r of rows) {
      const parts = fmt.formatToParts(new Date(r.published_at));
      const key = `${parts.find((x) => x.type === "weekday")!.value}-${Number(parts.find((x) => x.type === "hour")!.value)}`;
      const s = slots.get(key) ?? { sum: 0, n: 0 };
      s.sum += r.engagement / r.reach;
      s.n++;
      slots.set(key, s);
    }
    const best = Math.max(...[...slots.values()].map((s) => s.sum / s.n));
    const top = p.bestTimes[0];
    expect(top.score).toBeCloseTo(Math.round(best * 1000) / 1000, 3);
    const topSlot = slots.get(`${top.weekday}-${top.hour}`)!;
    expect(topSlot.sum / topSlot.n).toBeCloseTo(best, 6);

    const byNetwork = (kind: string) => rows.filter((r) => (kind === "ig" ? r.kind === "ig" : r.kind !== "ig"));
    const formats = new Map<string, { format: string; engagementRate: number; posts: number }>(p.postFormats.map((f: { format: string; engagementRate: number; posts: number }) => [f.format, f]));
    for (const [label, kind] of [["Facebook Page", "page"], ["Instagram", "ig"]] as const) {
      const mine = byNetwork(kind);
      if (mine.length === 0) continue;
      const rate = mine.reduce((a, r) => a + r.engagement, 0) / mine.reduce((a, r) => a + r.reach, 0);
      expect(formats.get(label), label).toEqual({ format: label, engagementRate: Math.round(rate * 1000) / 10, posts: mine.length });
    }
    const lengths = [...formats.keys()].filter((k) => k.endsWith("post (≤80 chars)") || k.includes("post (81–200)") || k.includes("post (>200)"));
    expect(lengths.length).toBeGreaterThan(0);
    expect(lengths.reduce((a, k) => a + formats.get(k)!.posts, 0)).toBe(rows.length);
  });

  it("another organization cannot read a workspace's patterns", async () => {
    const { ws } = await ownerWithWorkspace("Private Patterns Co");
    const { t: other } = await ownerWithWorkspace("Nosy Co");
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/ai/patterns`, { token: other.token }), 404);
  });
});
