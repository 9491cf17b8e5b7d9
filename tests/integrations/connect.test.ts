import { describe, expect, it } from "vitest";
import { authorizeSilently } from "../support/connectors";
import type { Tenant } from "../support/harness";
import {
  call, connectKey, connectOAuth, count, drain, env, expectStatus, OAUTH_COOKIE, oauthCallback, oauthCallbackResponse, ownerWithWorkspace, sandboxControl, startOAuth,
} from "./support";

let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`;

async function begin(t: Tenant, workspaceId: string, provider: string, fields: Record<string, string> = {}) {
  return (await startOAuth(t, workspaceId, provider, fields)).authorizeUrl;
}

async function portalUser(owner: Tenant, workspaceId: string, role: "viewer" | "editor" | "admin") {
  const { t } = await ownerWithWorkspace();
  await env.DB.prepare("INSERT INTO portal_access (id, org_id, workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(crypto.randomUUID(), owner.orgId, workspaceId, t.userId, role, Date.now())
    .run();
  return t;
}

describe("connect: happy path", () => {
  it("lists the seven providers with what each connect form asks, never a secret value", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const res = await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token });
    expectStatus(res, 200);
    expect(res.json.providers.map((p: { id: string }) => p.id)).toEqual(["shopify", "woocommerce", "ga4", "klaviyo", "mailchimp", "meta", "google-ads"]);
    const woo = res.json.providers.find((p: { id: string }) => p.id === "woocommerce");
    expect(woo).toMatchObject({ auth: "api-key", category: "commerce" });
    expect(woo.inputs.map((i: { name: string; secret: boolean }) => [i.name, i.secret])).toEqual([["storeUrl", false], ["consumerKey", true], ["consumerSecret", true]]);
    expect(res.json.integrations).toEqual([]);
  });

  it("OAuth: state bound to the user and workspace, PKCE for Google, tokens stored, scopes and expiry recorded, back to the app", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const url = new URL(await begin(t, ws.id, "ga4"));
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:8787/api/integrations/oauth/callback");
    const state = url.searchParams.get("state")!;
    const stored = await env.DB.prepare("SELECT state_hash, code_verifier, expires_at - created_at AS ttl FROM oauth_states WHERE user_id = ?").bind(t.userId).first<{ state_hash: string; code_verifier: string; ttl: number }>();
    expect(stored?.state_hash).not.toContain(state);
    expect(stored?.code_verifier).toMatch(/^v1\./);
    expect(stored?.ttl).toBe(10 * 60_000);

    const query = await authorizeSilently(url.toString(), { login_hint: `c-${uid()}@example.test` });
    const back = await oauthCallback(query);
    expect(back.pathname).toBe(`/workspaces/${ws.id}/integrations`);
    expect(back.searchParams.get("connected")).toBe("ga4");
    const list = (await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token })).json;
    const i = list.integrations[0];
    expect(i).toMatchObject({ provider: "ga4", scopes: ["https://www.googleapis.com/auth/analytics.readonly"] });
    expect(["active", "syncing"]).toContain(i.status);
    expect(i.tokenExpiresAt).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(await count("SELECT 1 FROM integration_credentials WHERE integration_id = ? AND field IN ('accessToken', 'refreshToken')", i.id)).toBe(2);

    // The state is single use.
    const again = await oauthCallback(query);
    expect(again.pathname).toBe("/integrations");
    expect(again.searchParams.get("error")).toMatch(/expired or was already used/);
    await drain(ws.id);
  });

  it("API key: verified with a real call before it is stored; the first sync starts", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const key = `pk_sandbox_c${uid()}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    const i = await connectKey(t, ws.id, "klaviyo", { apiKey: key });
    expect(i).toMatchObject({ provider: "klaviyo", status: "active" });
    expect(i.label).toBeTruthy();
    await drain(ws.id);
    expect((await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json.rowsSynced).toBeGreaterThan(0);
  });

  it("connecting the same account again updates the integration instead of adding one", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const storeUrl = `https://again-${uid()}-orders-12.example`;
    const a = await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: "ck_sandbox_one1", consumerSecret: "cs_sandbox_one1" });
    const b = await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: "ck_sandbox_two2", consumerSecret: "cs_sandbox_two2" });
    expect(b.id).toBe(a.id);
    await drain(ws.id);
    expect((await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token })).json.integrations).toHaveLength(1);
  });
});

describe("connect: errors", () => {
  it("a refused key stores nothing (422); a missing key is 400; an unknown provider 404; a bad shop domain 400", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const path = (p: string) => `/api/workspaces/${ws.id}/integrations/${p}/connect`;
    const refused = await call("POST", path("klaviyo"), { token: t.token, body: { fields: { apiKey: "pk_not_a_sandbox_key" } } });
    expectStatus(refused, 422);
    expect(refused.json.error.message).toMatch(/Klaviyo refused the key/);
    expectStatus(await call("POST", path("woocommerce"), { token: t.token, body: { fields: { storeUrl: "https://x.example" } } }), 400);
    expectStatus(await call("POST", path("myspace"), { token: t.token, body: { fields: {} } }), 404);
    const badShop = await call("POST", path("shopify"), { token: t.token, body: { fields: { shop: "not a shop!" } } });
    expectStatus(badShop, 400);
    expect(badShop.json.error.message).toMatch(/myshopify\.com/);
    expect(await count("SELECT 1 FROM integrations WHERE workspace_id = ?", ws.id)).toBe(0);
    expect(await count("SELECT 1 FROM oauth_states WHERE workspace_id = ?", ws.id)).toBe(0);
  });

  it("a denied consent, an expired state and a forged state return to the app with a reason and store nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const url = new URL(await begin(t, ws.id, "shopify", { shop: `deny-${uid()}.myshopify.com` }));
    const denied = await oauthCallback({ state: url.searchParams.get("state")!, error: "access_denied" });
    expect(denied.pathname).toBe(`/workspaces/${ws.id}/integrations`);
    expect(denied.searchParams.get("error")).toBe("access_denied");

    const url2 = new URL(await begin(t, ws.id, "shopify", { shop: `late-${uid()}.myshopify.com` }));
    const query = await authorizeSilently(url2.toString());
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE workspace_id = ? AND used_at IS NULL").bind(Date.now() - 1, ws.id).run();
    expect((await oauthCallback(query)).searchParams.get("error")).toMatch(/expired/);
    expect((await oauthCallback({ ...query, state: "forged" })).searchParams.get("error")).toMatch(/expired/);
    expect(await count("SELECT 1 FROM integrations WHERE workspace_id = ?", ws.id)).toBe(0);
  });

  it("a Shopify callback with a tampered signature is refused", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const url = await begin(t, ws.id, "shopify", { shop: `hmac-${uid()}.myshopify.com` });
    const query = await authorizeSilently(url);
    const back = await oauthCallback({ ...query, hmac: "0".repeat(64) });
    expect(back.searchParams.get("error")).toMatch(/signature/);
    expect(await count("SELECT 1 FROM integrations WHERE workspace_id = ?", ws.id)).toBe(0);
  });
});

describe("connect: security", () => {
  it("viewers see status; editors may sync; only admins connect and disconnect", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const i = await connectOAuth(t, ws.id, "shopify", { shop: `roles-${uid()}-orders-8.myshopify.com` });
    await drain(ws.id);
    const viewer = await portalUser(t, ws.id, "viewer");
    const editor = await portalUser(t, ws.id, "editor");
    const admin = await portalUser(t, ws.id, "admin");
    const connect = (u: Tenant) => call("POST", `/api/workspaces/${ws.id}/integrations/shopify/connect`, { token: u.token, body: { fields: { shop: "x.myshopify.com" } } });

    expectStatus(await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: viewer.token }), 200);
    expectStatus(await call("GET", `/api/integrations/${i.id}/runs`, { token: viewer.token }), 200);
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: viewer.token }), 403);
    expectStatus(await connect(viewer), 403);
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: editor.token }), 202);
    expectStatus(await connect(editor), 403);
    expectStatus(await call("DELETE", `/api/integrations/${i.id}`, { token: editor.token }), 403);
    expectStatus(await connect(admin), 200);
    await drain(ws.id);
  });

  it("the callback re-checks the user: one who lost admin rights meanwhile cannot finish connecting", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const admin = await portalUser(t, ws.id, "admin");
    const url = await begin(admin, ws.id, "shopify", { shop: `demoted-${uid()}.myshopify.com` });
    await env.DB.prepare("UPDATE portal_access SET role = 'viewer' WHERE user_id = ?").bind(admin.userId).run();
    const back = await oauthCallback(await authorizeSilently(url));
    expect(back.searchParams.get("error")).toMatch(/admins/);
    expect(await count("SELECT 1 FROM integrations WHERE workspace_id = ?", ws.id)).toBe(0);
  });

  it("the OAuth state is bound to the browser that started the connect: a callback in another browser connects nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const { authorizeUrl, setCookie } = await startOAuth(t, ws.id, "shopify", { shop: `other-${uid()}-orders-5.myshopify.com` });
    expect(setCookie, "the connect start sets the browser's nonce cookie").toBeTruthy();
    const attrs = setCookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/api/integrations/oauth"]));
    expect(attrs.find((a) => a.startsWith("max-age="))).toBe("max-age=600");
    const query = await authorizeSilently(authorizeUrl);

    for (const cookie of [null, `${OAUTH_COOKIE}=${"A".repeat(43)}`]) {
      const back = await oauthCallback(query, { cookie });
      expect(back.pathname).toBe("/integrations");
      expect(back.searchParams.get("error")).toMatch(/another browser/);
      expect(back.searchParams.get("connected")).toBeNull();
    }
    expect(await count("SELECT 1 FROM integrations WHERE workspace_id = ?", ws.id)).toBe(0);

    // The browser that started it still finishes, and the cookie is cleared.
    const own = await oauthCallbackResponse(query);
    expect(own.location.searchParams.get("connected")).toBe("shopify");
    expect(own.setCookie.find((c) => c.startsWith(`${OAUTH_COOKIE}=`))).toMatch(/Max-Age=0/i);
    expect(await count("SELECT 1 FROM integrations WHERE workspace_id = ?", ws.id)).toBe(1);
    await drain(ws.id);
  });
});
