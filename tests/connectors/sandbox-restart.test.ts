// The sandbox keeps what it issued across a real restart (its own process, same state file), as a
// provider does: tokens, refresh tokens, generated accounts and their changes.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ga4 } from "../../worker/connectors/ga4";
import { mailchimp } from "../../worker/connectors/mailchimp";
import { shopify } from "../../worker/connectors/shopify";
import type { Connector, OAuthFlow } from "../../worker/connectors/types";
import { authorizeSilently, rowsOf, sandboxRuntime, syncAll } from "../support/connectors";

const flowOf = (c: Connector) => (c.auth.kind === "oauth2" ? c.auth.flow : (undefined as never as OAuthFlow));

async function supervisor(action: "start" | "restart"): Promise<string> {
  const res = await fetch(`${env.SANDBOX_SUPERVISOR_URL}/${action}`, { method: "POST" });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return (JSON.parse(text) as { url: string }).url;
}

async function control<T = any>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/_sandbox/${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as T;
}

async function pkce() {
  const verifier = `v-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return { verifier, challenge: btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") };
}

describe("sandbox: restart with a state file", () => {
  it("keeps the tokens, refresh tokens and accounts it issued: Shopify, GA4 and Mailchimp sync after a restart", async () => {
    const url = await supervisor("start");
    const rt = sandboxRuntime({ sandboxUrl: url });
    const tag = Date.now().toString(36);
    const shop = `r${tag}-orders-90.myshopify.com`;
    const gUser = `restart-${tag}@example.test`;
    const mcUser = `mc-restart-${tag}`;

    const sBack = await authorizeSilently(flowOf(shopify).authorizeUrl(rt, { state: "s", account: { shop } }));
    const sGrant = await flowOf(shopify).exchange(rt, { code: sBack.code!, account: { shop }, query: sBack });
    const { verifier, challenge } = await pkce();
    const gBack = await authorizeSilently(flowOf(ga4).authorizeUrl(rt, { state: "g", codeChallenge: challenge, account: { loginHint: gUser } }));
    const gGrant = await flowOf(ga4).exchange(rt, { code: gBack.code!, codeVerifier: verifier, account: {}, query: gBack });
    const mBack = await authorizeSilently(flowOf(mailchimp).authorizeUrl(rt, { state: "m", account: {} }), { login_hint: mcUser });
    const mGrant = await flowOf(mailchimp).exchange(rt, { code: mBack.code!, account: {}, query: mBack });
    // Changes made at the provider before the restart stay made.
    await control(url, "shopify/mutate", { shop, created: 3 });
    await control(url, "shopify/config", { shop, maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
    await control(url, "mailchimp/mutate", { user: mcUser, create: 2 });
    const mcBefore = await control<{ accountname: string; campaigns: unknown[] }>(url, `mailchimp/stats?user=${mcUser}`);

    expect(await supervisor("restart")).toBe(url);

    const shopStats = await control<{ orders: number }>(url, `shopify/stats?shop=${shop}`);
    expect(shopStats.orders).toBe(93);
    const s = await syncAll(shopify, rt, { secrets: sGrant.secrets, account: sGrant.account! });
    expect(s.errors).toEqual([]);
    expect(rowsOf(s.store, "orders")).toHaveLength(93);
    // Refresh tokens survive too (Shopify rotates its token; Google keeps its own).
    const sRefreshed = await flowOf(shopify).refresh!(rt, { secrets: sGrant.secrets, account: sGrant.account! });
    expect(sRefreshed.secrets.accessToken).not.toBe(sGrant.secrets.accessToken);

    const g = await syncAll(ga4, rt, { secrets: gGrant.secrets, account: gGrant.account! });
    expect(g.errors).toEqual([]);
    expect(rowsOf(g.store, "metrics").length).toBeGreaterThan(0);
    const gRefreshed = await flowOf(ga4).refresh!(rt, { secrets: gGrant.secrets, account: gGrant.account! });
    expect(gRefreshed.secrets.accessToken).not.toBe(gGrant.secrets.accessToken);

    const m = await syncAll(mailchimp, rt, { secrets: mGrant.secrets, account: mGrant.account! });
    expect(m.errors).toEqual([]);
    const mcAfter = await control<{ accountname: string; campaigns: { id: string }[] }>(url, `mailchimp/stats?user=${mcUser}`);
    expect(mcAfter).toEqual(mcBefore);
    expect(rowsOf(m.store, "campaigns").map((c) => c.providerId).sort()).toEqual(mcAfter.campaigns.map((c) => c.id).sort());
  });
});
