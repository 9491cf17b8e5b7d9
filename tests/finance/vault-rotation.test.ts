import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { openStripe, sealStripe } from "../../worker/features/finance/online/secrets";
import { parseKeyring } from "../../worker/lib/vault";
import { call, env, expectStatus } from "../support/harness";
import { newAgency, ok } from "./support";

const AGENCY_KEY = "sk_test_agency_rotation_9876";

describe("finance: vault key rotation covers the agency's Stripe secrets (P03)", () => {
  it("P03: the rotation route re-encrypts the agency's Stripe key and webhook secret to the current key; they stay usable without the old key", async () => {
    const a = await newAgency("Rotate");
    await ok("PUT", a.fin("/stripe"), a.token, { secretKey: AGENCY_KEY }, 200);
    const db = createDb(env.DB);
    const before = (await openStripe(env, db, a.orgId))!;
    expect(before.secretKey).toBe(AGENCY_KEY);
    // Sealed before the current key existed.
    const ring = parseKeyring(env.VAULT_KEYS);
    const oldKey = Object.keys(ring.keys).find((k) => k !== ring.current)!;
    const oldEnv = { ...env, VAULT_KEYS: JSON.stringify({ ...ring, current: oldKey }) } as Env;
    const stmts = await sealStripe(oldEnv, db, a.orgId, before, Date.now());
    await db.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    const stale = () => env.DB.prepare("SELECT COUNT(*) AS n FROM finance_secrets WHERE org_id = ? AND key_id = ?").bind(a.orgId, oldKey).first<{ n: number }>();
    expect((await stale())?.n).toBe(2);

    expectStatus(await call("POST", "/api/operator/vault/rotate", { token: a.token, body: { limit: 1 } }), 404);
    await env.DB.prepare("INSERT INTO operators (id, user_id, granted_by, created_at) VALUES (?, ?, 'test', ?)").bind(crypto.randomUUID(), a.userId, Date.now()).run();
    let rotated = 0;
    for (let calls = 0; calls < 10; calls++) {
      const r = await call("POST", "/api/operator/vault/rotate", { token: a.token, body: { limit: 1 } });
      expectStatus(r, 200);
      rotated += r.json.rotated;
      if (r.json.remaining === 0) break;
    }
    expect(rotated).toBe(2);
    expect((await stale())?.n).toBe(0);
    const newOnly = { ...env, VAULT_KEYS: JSON.stringify({ current: ring.current, keys: { [ring.current]: ring.keys[ring.current] } }) } as Env;
    expect(await openStripe(newOnly, db, a.orgId)).toEqual(before);
    // Still connected as far as the agency can tell, with the same hint.
    expect(await ok("GET", a.fin("/stripe"), a.token)).toMatchObject({ connected: true, hint: "test key …9876" });
  });
});
