import { env } from "cloudflare:test";
import { describe, it } from "vitest";
import { call, expect, expectStatus, jobWithoutQueue, owner } from "./support";

describe("the AI job list pages newest first without skipping a job", () => {
  it("jobs created in the same millisecond all appear once across pages (cursor: createdAt and id)", async () => {
    const { t, ws } = await owner();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await jobWithoutQueue(t, ws.id, "social_post"));
    // Five of them share one creation time, as a burst of jobs posted at once does.
    const same = 1_800_000_000_000;
    await env.DB.prepare(`UPDATE ai_jobs SET created_at = ? WHERE id IN (${ids.slice(1, 6).map(() => "?").join(",")})`).bind(same, ...ids.slice(1, 6)).run();

    const seen: string[] = [];
    let cursor: { createdAt: number; id: string } | null = null;
    for (let page = 0; page < 10; page++) {
      const q: string = cursor ? `&before=${cursor.createdAt}&beforeId=${cursor.id}` : "";
      const res = await call("GET", `/api/workspaces/${ws.id}/ai/jobs?limit=2${q}`, { token: t.token });
      expectStatus(res, 200);
      const jobs = res.json.jobs as { id: string; createdAt: number }[];
      if (!jobs.length) break;
      seen.push(...jobs.map((j) => j.id));
      cursor = jobs[jobs.length - 1]!;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("a bad cursor answers 400", async () => {
    const { t, ws } = await owner();
    const res = await call("GET", `/api/workspaces/${ws.id}/ai/jobs?before=soon&beforeId=x`, { token: t.token });
    expectStatus(res, 400);
  });
});
