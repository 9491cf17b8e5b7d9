import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import wranglerToml from "../../wrangler.toml?raw";
import { BASE } from "../support/harness";
import { connectOAuth, count, drain, env, ownerWithWorkspace, sandboxControl } from "../integrations/support";

/** The [vars] wrangler.toml commits, as a deploy without any --var would run with them. */
function committedVars(): Record<string, string> {
  const section = wranglerToml.split(/^\[vars\]\s*$/m)[1]!.split(/^\[/m)[0]!;
  return Object.fromEntries([...section.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
}

// The test pool's bindings set APP_ENV=test; these override them with what is committed.
const deployed = { ...env, ...committedVars() } as Env;

async function fetchAs(target: Env, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, { method, ...init }), target, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, any> };
}

describe("production by default: the committed vars", () => {
  it("say APP_ENV=production", () => {
    expect(committedVars().APP_ENV).toBe("production");
  });

  it.each([
    ["POST", "/api/dev/seed", "{}"],
    ["GET", "/api/dev/mailbox", undefined],
    ["GET", "/api/dev/mailbox?to=someone%40example.test", undefined],
    ["POST", "/api/dev/sync-bench", "{}"],
    ["GET", "/api/dev/sync-bench/anything", undefined],
  ])("%s %s answers 404", async (method, path, body) => {
    const res = await fetchAs(deployed, method, path, body ? { headers: { "content-type": "application/json" }, body } : {});
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("NOT_FOUND");
  });

  it("the OpenAPI document lists no /api/dev route", async () => {
    const res = await fetchAs(deployed, "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.paths).filter((p) => p.startsWith("/api/dev"))).toEqual([]);
  });

  it("a Shopify webhook signed with the sandbox app's secret is refused and stores nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = `prod-${Date.now().toString(36)}-orders-5.myshopify.com`;
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    const { delivery } = await sandboxControl<{ delivery: { headers: Record<string, string>; body: string } }>("shopify/webhooks", { shop, topic: "orders/create" });

    const refused = await fetchAs(deployed, "POST", "/api/webhooks/shopify", delivery);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(await count("SELECT 1 FROM webhook_events WHERE integration_id = ?", i.id)).toBe(0);
    // Even with a real app secret configured, the sandbox's signature does not verify.
    const withSecret = { ...deployed, SHOPIFY_CLIENT_ID: "real-app", SHOPIFY_CLIENT_SECRET: "a-real-shopify-app-secret" } as Env;
    expect((await fetchAs(withSecret, "POST", "/api/webhooks/shopify", delivery)).status).toBe(401);
    expect(await count("SELECT 1 FROM webhook_events WHERE integration_id = ?", i.id)).toBe(0);

    // The same delivery in local mode verifies: the refusal above is production's doing.
    expect((await fetchAs(env, "POST", "/api/webhooks/shopify", delivery)).status).toBe(200);
  });
});
