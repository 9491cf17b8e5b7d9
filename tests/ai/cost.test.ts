import { describe, it } from "vitest";
import { costMicros, priceOf } from "../../worker/connectors/ai/prices";
import { retryDelaySeconds } from "../../worker/features/ai/run";
import { call, env, expect, expectStatus, owner, startJob, useProvider, waitForJob } from "./support";

describe("cost arithmetic", () => {
  it("prices tokens per million in micro-USD, cached input at its own rate, images per image", () => {
    // 1,000 in + 500 out on Sonnet 4.5 ($3 / $15 per M) = 3,000 + 7,500 micro-USD.
    expect(costMicros("anthropic", "claude-sonnet-4-5-20250929", { inputTokens: 1000, outputTokens: 500, images: 0 })).toBe(10_500);
    // gpt-5-mini: 10,000 input of which 4,000 cached ($0.25, $0.025) + 2,000 output ($2).
    expect(costMicros("openai", "gpt-5-mini", { inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 2_000, images: 0 })).toBe(1_500 + 100 + 4_000);
    // One gpt-image-1 image ($0.042) plus its 50 prompt tokens at $5/M.
    expect(costMicros("openai", "gpt-image-1", { inputTokens: 50, outputTokens: 4160, images: 1 })).toBe(42_000 + 250);
    expect(costMicros("gemini", "gemini-2.5-flash", { inputTokens: 3, outputTokens: 0, images: 0 })).toBe(1); // 0.9 µ$ rounds up
    expect(costMicros("local", "qweb-local-1", { inputTokens: 10_000, outputTokens: 10_000, images: 1 })).toBe(0);
    expect(priceOf("openai", "unknown-model").input).toBe(0.25);
  });

  it("retry delays are full-jitter backoff and never shorter than Retry-After", () => {
    for (let i = 0; i < 50; i++) {
      expect(retryDelaySeconds(1, 30_000)).toBeGreaterThanOrEqual(30);
      const d = retryDelaySeconds(3);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(16);
    }
  });
});

describe("monthly budget", () => {
  it("warns the owner at 80 %, then answers 402 with a clear message until an admin raises the budget", async () => {
    const { t, ws } = await owner();
    await useProvider(t, "openai", { budgetMicros: 1_000 });
    const now = Date.now();
    await env.DB.prepare("INSERT INTO ai_usage (id, org_id, provider, model, input_tokens, output_tokens, images, cost_micros, currency, duration_ms, outcome, idempotency_key, created_at) VALUES ('b1', ?, 'openai', 'gpt-5-mini', 1, 1, 0, 850, 'USD', 1, 'ok', ?, ?)").bind(t.orgId, `b1-${t.orgId}`, now).run();
    const j = await waitForJob(t, await startJob(t, ws.id, "social_post", { variants: 1 }));
    expect(j.status).toBe("succeeded");
    const notes = (await call("GET", "/api/notifications", { token: t.token })).json.notifications as { title: string }[];
    expect(notes.filter((n) => /^AI budget \d+ % used$/.test(n.title))).toHaveLength(1);

    await env.DB.prepare("UPDATE ai_usage SET cost_micros = 1000 WHERE id = 'b1'").run();
    const refused = await call("POST", `/api/workspaces/${ws.id}/ai/jobs`, { token: t.token, body: { kind: "social_post", input: { brief: "More posts" } } });
    expectStatus(refused, 402);
    expect(refused.json.error.code).toBe("PAYMENT_REQUIRED");
    expect(refused.json.error.message).toMatch(/AI budget of 0\.0010 USD is used up.*admin can raise it/);

    await useProvider(t, "openai", { budgetMicros: 50_000_000 });
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/ai/jobs`, { token: t.token, body: { kind: "social_post", input: { brief: "More posts" } } }), 202);
  });

  it("keys are write-only: settings say where a key comes from, never the key", async () => {
    const { t } = await owner();
    await useProvider(t, "anthropic");
    const res = await call("GET", `/api/orgs/${t.orgId}/ai/settings`, { token: t.token });
    expectStatus(res, 200);
    expect(res.text).not.toContain("sk-ant-sandbox");
    expect(res.json.keys.find((k: { provider: string }) => k.provider === "anthropic").source).toBe("organization");
    const raw = await env.DB.prepare("SELECT ciphertext FROM ai_keys WHERE org_id = ?").bind(t.orgId).all<{ ciphertext: string }>();
    for (const r of raw.results) expect(r.ciphertext).not.toContain("sandbox");
  });
});

describe("the month's spend", () => {
  it("is summed from the organization index alone (it is read before every AI call and every synced mail page)", async () => {
    const { results } = await env.DB.prepare("EXPLAIN QUERY PLAN SELECT coalesce(sum(cost_micros), 0) FROM ai_usage WHERE org_id = ? AND created_at >= ?").bind("org", 0).all<{ detail: string }>();
    expect(results.map((r) => r.detail).join("; ")).toMatch(/USING COVERING INDEX ai_usage_org_idx/);
  });
});
