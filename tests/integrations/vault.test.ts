import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { openCredentials, sealStatements } from "../../worker/features/integrations/credentials";
import { fromBase64 } from "../../worker/lib/hash";
import { parseKeyring, vaultFrom } from "../../worker/lib/vault";
import { call, connectKey, connectOAuth, drain, env, expectStatus, ownerWithWorkspace, runs, sandboxControl } from "./support";

let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`;
const db = () => createDb(env.DB);

async function ownerOf(integrationId: string) {
  return (await env.DB.prepare("SELECT id, org_id AS orgId, workspace_id AS workspaceId FROM integrations WHERE id = ?").bind(integrationId).first<{ id: string; orgId: string; workspaceId: string }>())!;
}

/** Every table and column of D1 whose text contains `needle`. */
async function whereInD1(needle: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const hits: string[] = [];
  for (const { name } of results) {
    const cols = (await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>()).results.map((c) => c.name);
    const where = cols.map((c) => `instr(CAST("${c}" AS TEXT), ?1) > 0`).join(" OR ");
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}" WHERE ${where}`).bind(needle).first<{ n: number }>();
    if (n?.n) hits.push(name);
  }
  return hits;
}

describe("credential vault: security", () => {
  it("P03: stores integration tokens and keys only as AES-256-GCM ciphertext; no raw D1 row and no API response holds the plaintext", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = uid();
    const shop = await connectOAuth(t, ws.id, "shopify", { shop: `vault-${id}-orders-20.myshopify.com` });
    const woo = await connectKey(t, ws.id, "woocommerce", { storeUrl: `https://vault-${id}-orders-20.example`, consumerKey: `ck_sandbox_v${id}`, consumerSecret: `cs_sandbox_v${id}` });
    const apiKey = `pk_sandbox_v${id}`;
    await sandboxControl("klaviyo/config", { key: apiKey, relaxed: true });
    const kl = await connectKey(t, ws.id, "klaviyo", { apiKey });
    await drain(ws.id);

    const shopSecrets = await openCredentials(env, db(), await ownerOf(shop.id));
    expect(shopSecrets.accessToken).toMatch(/^shpat_/);
    expect(shopSecrets.refreshToken).toBeTruthy();
    const plaintexts = [shopSecrets.accessToken!, shopSecrets.refreshToken!, shopSecrets.webhookSecret!, `ck_sandbox_v${id}`, `cs_sandbox_v${id}`, apiKey];
    for (const p of plaintexts) expect(await whereInD1(p), `plaintext ${p.slice(0, 8)}… found in D1`).toEqual([]);

    const rows = await env.DB.prepare("SELECT integration_id, field, ciphertext, key_id FROM integration_credentials WHERE integration_id IN (?, ?, ?)").bind(shop.id, woo.id, kl.id).all<{ field: string; ciphertext: string; key_id: string }>();
    expect(rows.results.length).toBeGreaterThanOrEqual(7);
    const ivs = new Set<string>();
    for (const r of rows.results) {
      // v1.<key id>.<96-bit IV>.<ciphertext + 128-bit GCM tag>, sealed with the keyring's current key.
      const [version, keyId, iv, ct] = r.ciphertext.split(".");
      expect(version).toBe("v1");
      expect(keyId).toBe(parseKeyring(env.VAULT_KEYS).current);
      expect(r.key_id).toBe(keyId);
      expect(fromBase64(iv!)).toHaveLength(12);
      expect(fromBase64(ct!).length).toBeGreaterThan(16);
      ivs.add(iv!);
    }
    expect(ivs.size).toBe(rows.results.length);

    const responses = [
      await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token }),
      ...(await Promise.all([shop, woo, kl].flatMap((i) => [call("GET", `/api/integrations/${i.id}`, { token: t.token }), call("GET", `/api/integrations/${i.id}/runs`, { token: t.token })]))),
    ];
    for (const res of responses) for (const p of plaintexts) expect(res.text).not.toContain(p);
  });

  it("P03: a ciphertext with the wrong AAD (another integration, field or organization) or tampered bytes does not decrypt", async () => {
    const vault = vaultFrom(env);
    const aad = { orgId: "org-a", recordId: "int-1", field: "accessToken" };
    const sealed = await vault.encrypt("shpat_secret_token", aad);
    expect(await vault.decrypt(sealed, aad)).toBe("shpat_secret_token");
    expect(await vault.encrypt("shpat_secret_token", aad)).not.toBe(sealed);
    for (const wrong of [{ ...aad, recordId: "int-2" }, { ...aad, field: "refreshToken" }, { ...aad, orgId: "org-b" }]) {
      await expect(vault.decrypt(sealed, wrong)).rejects.toThrow("Credential failed to decrypt");
    }
    const [v, k, iv, ct] = sealed.split(".") as [string, string, string, string];
    const bytes = fromBase64(ct);
    bytes[0]! ^= 1;
    const tampered = [v, k, iv, btoa(String.fromCharCode(...bytes))].join(".");
    await expect(vault.decrypt(tampered, aad)).rejects.toThrow("Credential failed to decrypt");
  });

  it("P03: a credential copied into another integration's row is unusable there: that sync stops as needs-reconnect", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = uid();
    const a = await connectKey(t, ws.id, "woocommerce", { storeUrl: `https://copy-a-${id}-orders-15.example`, consumerKey: "ck_sandbox_aaaa", consumerSecret: "cs_sandbox_aaaa" });
    const b = await connectKey(t, ws.id, "woocommerce", { storeUrl: `https://copy-b-${id}-orders-15.example`, consumerKey: "ck_sandbox_bbbb", consumerSecret: "cs_sandbox_bbbb" });
    await drain(ws.id);
    await env.DB.prepare(
      "UPDATE integration_credentials SET ciphertext = (SELECT ciphertext FROM integration_credentials WHERE integration_id = ?1 AND field = 'consumerKey') WHERE integration_id = ?2 AND field = 'consumerKey'",
    )
      .bind(a.id, b.id)
      .run();
    for (const i of [a, b]) expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    expect((await call("GET", `/api/integrations/${b.id}`, { token: t.token })).json).toMatchObject({ status: "needs_reconnect", lastError: expect.stringMatching(/could not read the saved sign-in/), lastErrorDetail: expect.stringMatching(/could not read the stored credentials/) });
    expect((await call("GET", `/api/integrations/${a.id}`, { token: t.token })).json).toMatchObject({ status: "active" });
  });
});

describe("credential vault: key rotation", () => {
  it("P03: rotation re-encrypts every credential to the current key in bounded batches and keeps them readable", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = uid();
    const ring = parseKeyring(env.VAULT_KEYS);
    const oldKey = Object.keys(ring.keys).find((k) => k !== ring.current)!;
    const i = await connectKey(t, ws.id, "woocommerce", { storeUrl: `https://rot-${id}-orders-30.example`, consumerKey: "ck_sandbox_rot1", consumerSecret: "cs_sandbox_rot1" });
    await drain(ws.id);
    // These credentials were sealed before the current key existed.
    const before = await openCredentials(env, db(), await ownerOf(i.id));
    const oldEnv = { ...env, VAULT_KEYS: JSON.stringify({ ...ring, current: oldKey }) } as Env;
    const stmts = await sealStatements(oldEnv, db(), await ownerOf(i.id), before);
    await db().batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    const stale = () => env.DB.prepare("SELECT COUNT(*) AS n FROM integration_credentials WHERE integration_id = ? AND key_id = ?").bind(i.id, oldKey).first<{ n: number }>();
    expect((await stale())?.n).toBe(Object.keys(before).length);
    // Old ciphertext stays readable while its key is in the keyring: a sync works.
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    expect((await runs(t, i.id))[0]).toMatchObject({ status: "succeeded" });

    // Only platform operators may rotate.
    expectStatus(await call("POST", "/api/operator/vault/rotate", { token: t.token, body: { limit: 1 } }), 404);
    await env.DB.prepare("INSERT INTO operators (id, user_id, granted_by, created_at) VALUES (?, ?, 'test', ?)").bind(crypto.randomUUID(), t.userId, Date.now()).run();
    let calls = 0;
    for (;;) {
      const r = await call("POST", "/api/operator/vault/rotate", { token: t.token, body: { limit: 1 } });
      expectStatus(r, 200);
      calls++;
      if (r.json.remaining === 0) break;
      expect(r.json.rotated).toBe(1);
    }
    expect(calls).toBeGreaterThanOrEqual(Object.keys(before).length);
    expect((await stale())?.n).toBe(0);
    // Readable with a keyring that no longer has the old key, and the integration still syncs.
    const newOnly = { ...env, VAULT_KEYS: JSON.stringify({ current: ring.current, keys: { [ring.current]: ring.keys[ring.current] } }) } as Env;
    expect(await openCredentials(newOnly, db(), await ownerOf(i.id))).toEqual(before);
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    expect((await runs(t, i.id))[0]).toMatchObject({ status: "succeeded" });
  });
});
