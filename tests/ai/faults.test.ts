import { describe, it } from "vitest";
import { aiFault, contentCount, deliver, expect, job, jobWithoutQueue, owner, usageRows, useProvider, type Provider } from "./support";
import { QUEUES } from "../../worker/lib/queues";

/** A tenant whose calls to `provider` a fault can target alone (by the tag in its key or model id). */
async function isolated(provider: Provider, fallback: Provider[] = []) {
  const { t, ws } = await owner();
  const tag = `-t${crypto.randomUUID().slice(0, 8)}`;
  await useProvider(t, provider, { fallback, tag });
  return { t, ws, match: tag };
}

describe("ai-jobs consumer: transient faults retry, permanent ones do not", () => {
  it.each([
    ["anthropic", "429"],
    ["anthropic", "529"],
    ["openai", "500"],
    ["gemini", "503"],
    ["gemini", "429"],
  ] as const)("%s %s: the message is retried with backoff, the job says why, the next delivery succeeds", async (provider, kind) => {
    const { t, ws, match } = await isolated(provider);
    await aiFault({ provider, kind, match, retryAfter: 7 });
    const id = await jobWithoutQueue(t, ws.id, "social_post");
    const first = await deliver(id, 1);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays[0]).toBeGreaterThanOrEqual(kind === "429" ? 7 : 1);
    const waiting = await job(t, id);
    expect(waiting.status).toBe("retrying");
    expect(waiting.error).toMatch(kind === "429" ? /rate limited/ : /overloaded|server error/);
    const second = await deliver(id, 2);
    expect(second.retryMessages).toHaveLength(0);
    expect((await job(t, id)).status).toBe("succeeded");
    expect((await usageRows(id)).map((u) => u.outcome)).toEqual(["error", "ok"]);
  });

  it("a slow provider times out and is retried", async () => {
    const { t, ws, match } = await isolated("openai");
    await aiFault({ provider: "openai", kind: "slow", match, retryAfter: 4 });
    const id = await jobWithoutQueue(t, ws.id, "ad_copy");
    const res = await deliver(id, 1);
    expect(res.retryMessages).toHaveLength(1);
    expect((await job(t, id)).error).toMatch(/did not answer in time/);
  });

  it.each(["anthropic", "openai", "gemini"] as const)("%s: an exhausted quota fails the job at once with the reason, without a retry", async (provider) => {
    const { t, ws, match } = await isolated(provider);
    await aiFault({ provider, kind: "quota", match });
    const id = await jobWithoutQueue(t, ws.id, "email_campaign");
    const res = await deliver(id, 1);
    expect(res.retryMessages).toHaveLength(0);
    const j = await job(t, id);
    expect(j.status).toBe("failed");
    expect(j.error).toMatch(/quota or spend limit.*Not retried/);
    expect(await contentCount(id)).toBe(0);
  });

  it("malformed output is asked for once more and the second answer is used", async () => {
    const { t, ws, match } = await isolated("anthropic");
    await aiFault({ provider: "anthropic", kind: "malformed", match });
    const id = await jobWithoutQueue(t, ws.id, "social_post");
    await deliver(id, 1);
    expect((await job(t, id)).status).toBe("succeeded");
    expect((await usageRows(id)).map((u) => u.outcome)).toEqual(["malformed", "ok"]);
  });

  it("malformed output twice fails the job with a readable error", async () => {
    const { t, ws, match } = await isolated("gemini");
    await aiFault({ provider: "gemini", kind: "malformed", match, count: 2 });
    const id = await jobWithoutQueue(t, ws.id, "insight");
    const res = await deliver(id, 1);
    expect(res.retryMessages).toHaveLength(0);
    const j = await job(t, id);
    expect(j.status).toBe("failed");
    expect(j.error).toMatch(/not valid JSON.*even after asking again/);
  });

  it("a failing provider falls back to the next in the organization's order within the same delivery", async () => {
    const { t, ws, match } = await isolated("anthropic", ["openai"]);
    await aiFault({ provider: "anthropic", kind: "500", match });
    const id = await jobWithoutQueue(t, ws.id, "social_post");
    await deliver(id, 1);
    expect((await job(t, id)).status).toBe("succeeded");
    expect((await usageRows(id)).map((u) => `${u.provider}:${u.outcome}`)).toEqual(["anthropic:error", "openai:ok"]);
  });
});

describe("dead letters and redelivery", () => {
  it("after the last retry the dead-letter consumer marks the job failed with the reason", async () => {
    const { t, ws, match } = await isolated("openai");
    await aiFault({ provider: "openai", kind: "500", match, count: 6 });
    const id = await jobWithoutQueue(t, ws.id, "social_post");
    for (let attempt = 1; attempt <= 6; attempt++) expect((await deliver(id, attempt)).retryMessages).toHaveLength(1);
    const dlq = await deliver(id, 1, QUEUES.AI_JOBS_DLQ);
    expect(dlq.explicitAcks).toHaveLength(1);
    const j = await job(t, id);
    expect(j.status).toBe("failed");
    expect(j.error).toMatch(/^Gave up after 6 attempts: openai: server error \(500\)/);
  });

  it("a redelivered message never doubles content or usage rows, also when two copies run at once", async () => {
    const { t, ws } = await isolated("openai");
    const id = await jobWithoutQueue(t, ws.id, "social_post", { variants: 2 });
    await Promise.all([deliver(id, 1, QUEUES.AI_JOBS, "dup"), deliver(id, 1, QUEUES.AI_JOBS, "dup")]);
    await deliver(id, 2, QUEUES.AI_JOBS, "dup");
    expect((await job(t, id)).status).toBe("succeeded");
    expect(await contentCount(id)).toBe(2);
    expect((await usageRows(id)).length).toBe(1);
  });

  it("a cancelled job is not run", async () => {
    const { t, ws } = await owner();
    const id = await jobWithoutQueue(t, ws.id, "strategy");
    const { call } = await import("./support");
    expect((await call("POST", `/api/ai/jobs/${id}/cancel`, { token: t.token })).status).toBe(200);
    await deliver(id, 1);
    expect((await job(t, id)).status).toBe("cancelled");
    expect(await contentCount(id)).toBe(0);
    expect((await call("POST", `/api/ai/jobs/${id}/cancel`, { token: t.token })).status).toBe(409);
  });
});
