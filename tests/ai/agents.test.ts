import { describe, it } from "vitest";
import { runCron } from "../retention/support";
import { call, contentCount, expect, expectStatus, owner, usageRows, waitForJob } from "./support";

const FREQUENT = "*/15 * * * *";

async function runAgent(t: { token: string }, workspaceId: string, agent: string, kind: string, input: Record<string, unknown> = {}) {
  const res = await call("POST", `/api/workspaces/${workspaceId}/ai/jobs`, { token: t.token, body: { kind, agent, input: { brief: "Plan December", ...input } } });
  expectStatus(res, 202);
  return waitForJob(t, res.json.jobId);
}

describe("agents", () => {
  it("the Content Strategist records its steps, writes a month plan and draft posts for its first week, with usage per call", async () => {
    const { t, ws } = await owner("Plan Co");
    const run = await runAgent(t, ws.id, "content_strategist", "strategy");
    expect(run.status, run.error).toBe("succeeded");
    expect(run.agent).toBe("content_strategist");
    expect(run.steps.map((s: { name: string }) => s.name)).toEqual(["Context", "Prompt check", "Generated", "Drafts", "Stored"]);
    expect(await contentCount(run.id)).toBe(2);
    const items = (await call("GET", `/api/workspaces/${ws.id}/content?job=${run.id}`, { token: t.token })).json.items as { kind: string }[];
    expect(items.map((i) => i.kind).sort()).toEqual(["social_post", "strategy"]);
    const usage = await usageRows(run.id);
    expect(usage).toHaveLength(2);
    expect(usage.every((u) => u.agent === "content_strategist")).toBe(true);
    const runs = (await call("GET", `/api/workspaces/${ws.id}/ai/jobs?agents=true`, { token: t.token })).json.jobs as { id: string }[];
    expect(runs.map((r) => r.id)).toEqual([run.id]);
  });

  it("the Performance Analyst's report cites the figures it used", async () => {
    const { t, ws } = await owner("Numbers Co");
    const run = await runAgent(t, ws.id, "performance_analyst", "insight");
    expect(run.status).toBe("succeeded");
    const body = (await call("GET", `/api/content/${run.contentIds[0]}`, { token: t.token })).json.content.body;
    expect(body.figuresUsed.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^Revenue /), expect.stringMatching(/^Orders /)]));
    for (const f of body.findings) expect(f.figure.length).toBeGreaterThan(0);
  });

  it("a scheduled agent starts from the cron when due, once, and moves to its next run", async () => {
    const { t, ws } = await owner("Sched Co");
    const first = Date.now() - 60_000;
    const res = await call("POST", `/api/workspaces/${ws.id}/ai/schedules`, { token: t.token, body: { agent: "copywriter", cadence: "weekly", brief: "Weekly special", firstRunAt: first } });
    expectStatus(res, 201);
    await runCron(FREQUENT, Date.now());
    await runCron(FREQUENT, Date.now());
    const runs = (await call("GET", `/api/workspaces/${ws.id}/ai/jobs?agents=true`, { token: t.token })).json.jobs as { id: string; trigger: string; agent: string }[];
    expect(runs.map((r) => `${r.agent}:${r.trigger}`)).toEqual(["copywriter:schedule"]);
    expect((await waitForJob(t, runs[0]!.id)).status).toBe("succeeded");
    const schedules = (await call("GET", `/api/workspaces/${ws.id}/ai/schedules`, { token: t.token })).json.schedules;
    expect(schedules[0].nextRunAt).toBe(first + 7 * 86_400_000);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/ai/schedules/${schedules[0].id}`, { token: t.token }), 204);
  });
});
