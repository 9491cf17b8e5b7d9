import { describe, it } from "vitest";
import { env } from "cloudflare:test";
import { createDb } from "../../worker/db/client";
import { openSecrets } from "../../worker/features/integrations/credentials";
import { connectKey } from "../integrations/support";
import { call, deliver, expect, expectStatus, job, jobWithoutQueue, KINDS, KEYS, owner, PROVIDERS, sandboxPrompts, startJob, usageRows, useProvider, waitForJob } from "./support";

async function connectedWorkspace() {
  const { t, ws } = await owner(`Privacy Shop ${crypto.randomUUID().slice(0, 6)}`);
  const slug = crypto.randomUUID().slice(0, 8);
  const klaviyo = await connectKey(t, ws.id, "klaviyo", { apiKey: `pk_sandbox_${slug}` });
  const woo = await connectKey(t, ws.id, "woocommerce", { storeUrl: `https://${slug}.example`, consumerKey: `ck_${slug}`, consumerSecret: `cs_${slug}` });
  const db = createDb(env.DB);
  const tokens: string[] = [];
  for (const i of [klaviyo, woo]) tokens.push(...Object.values(await openSecrets(env, db, { id: i.id, orgId: t.orgId, workspaceId: ws.id })));
  expect(tokens.length).toBeGreaterThanOrEqual(3);
  return { t, ws, tokens };
}

describe("P09: AI providers receive business context only, never integration credentials", () => {
  it("P09: the recording sandboxes see no token of any connected integration in any prompt of any kind, through every provider", async () => {
    const { t, ws, tokens } = await connectedWorkspace();
    for (const provider of PROVIDERS) {
      await useProvider(t, provider);
      const ids = await Promise.all(KINDS.map((kind) => startJob(t, ws.id, kind, { variants: 1 })));
      const done = await Promise.all(ids.map((id) => waitForJob(t, id, 60_000)));
      for (const j of done) expect(j.status, `${provider} ${j.kind}: ${j.error}`).toBe("succeeded");
    }
    // This workspace's prompts (image prompts name the brand too).
    const prompts = (await sandboxPrompts()).filter((p) => p.text.includes(ws.name));
    // Every remote provider got one prompt per kind (images: the brief and the image prompt).
    for (const p of ["anthropic", "openai", "gemini"]) expect(prompts.filter((x) => x.provider === p).length, p).toBeGreaterThanOrEqual(6);
    for (const p of prompts) for (const token of [...tokens, ...Object.values(KEYS)]) expect(p.text.includes(token), `${p.provider} ${p.path} carried a secret`).toBe(false);
    // The stored prompt and context of every item are free of them too.
    const { results } = await env.DB.prepare("SELECT prompt, context FROM generated_content WHERE workspace_id = ?").bind(ws.id).all<{ prompt: string; context: string }>();
    expect(results.length).toBe(PROVIDERS.length * KINDS.length);
    for (const r of results) for (const token of tokens) expect(`${r.prompt}${r.context}`.includes(token)).toBe(false);
  }, 180_000);

  it("P09: the guard refuses a prompt that contains a stored secret, records the refusal, and nothing reaches the provider", async () => {
    const { t, ws, tokens } = await connectedWorkspace();
    await useProvider(t, "openai");
    const voice = { tone: "friendly", wordsToUse: [], wordsToAvoid: [], audience: "everyone", goals: "sales", examples: [`Use our key ${tokens[0]} for the promo`], colors: ["#112233", "#445566"] };
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/ai/brand-voice`, { token: t.token, body: voice }), 200);
    const before = (await sandboxPrompts("openai")).length;
    const j = await waitForJob(t, await startJob(t, ws.id, "social_post"));
    expect(j.status).toBe("failed");
    expect(j.error).toMatch(/^Refused: the prompt contained a stored integration credential/);
    expect((await usageRows(j.id)).map((u) => u.outcome)).toEqual(["refused"]);
    const after = await sandboxPrompts("openai");
    expect(after.length).toBe(before);
    expect(after.some((p) => p.text.includes(tokens[0]!))).toBe(false);
  });

  it("P09: the context holds no customer id or email of the synced orders", async () => {
    const { t, ws } = await connectedWorkspace();
    const now = Date.now();
    const integ = (await env.DB.prepare("SELECT id FROM integrations WHERE workspace_id = ? AND provider = 'woocommerce'").bind(ws.id).first<{ id: string }>())!.id;
    await env.DB.prepare("INSERT INTO orders (integration_id, provider_id, org_id, workspace_id, source, number, status, currency, total_minor, subtotal_minor, discount_minor, refunded_minor, customer_id, created_at, updated_at) VALUES (?, 'o-secret-1', ?, ?, 'woocommerce', '1001', 'paid', 'EUR', 4200, 4200, 0, 0, 'cust-jane.doe@example.com', ?, ?)")
      .bind(integ, t.orgId, ws.id, now - 86_400_000, now)
      .run();
    const j = await waitForJob(t, await startJob(t, ws.id, "insight"));
    expect(j.status).toBe("succeeded");
    const item = (await call("GET", `/api/content/${j.contentIds[0]}`, { token: t.token })).json.content;
    expect(JSON.stringify(item.context)).not.toContain("jane.doe");
    expect(item.prompt).not.toContain("jane.doe");
  });

  it("P19: a user who restricted processing gets no AI job run on their request, and the job says so", async () => {
    const { t, ws } = await owner();
    expectStatus(await call("PUT", "/api/privacy/processing", { token: t.token, body: { restricted: true } }), 200);
    const id = await jobWithoutQueue(t, ws.id, "social_post");
    await deliver(id, 1);
    const j = await job(t, id);
    expect(j.status).toBe("failed");
    expect(j.error).toMatch(/restricted or objected to processing/);
    expect(await usageRows(id)).toEqual([]);
  });
});
