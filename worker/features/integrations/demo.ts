import { getConnector } from "../../connectors";
import { sandboxUrlOf } from "../../connectors/runtime";
import type { Connector, ProviderId } from "../../connectors/types";
import type { Database } from "../../db/client";
import { ctxFromEnv, type TenantCtx } from "../../core/context";
import { getWorkspaceAccess } from "../../core/tenancy";
import { beginOAuth, completeOAuth, connectWithKey, consumeState } from "./connect";
import { listIntegrations, syncStub } from "./service";
import { readConfig } from "../../env";

const SYNC_WAIT_MS = 180_000;

/** What each demo workspace connects to in the sandbox (each slug is its own sandbox account). */
const demoAccounts = (slug: string): Record<Exclude<ProviderId, "gmail" | "outlook" | "icloud">, { fields: Record<string, string>; loginHint?: string }> => ({
  // A shop of a few hundred to two thousand orders: its first backfill is one bulk export.
  shopify: { fields: { shop: `${slug}.myshopify.com` } },
  woocommerce: { fields: { storeUrl: `https://${slug}.example`, consumerKey: "ck_sandbox_demo", consumerSecret: "cs_sandbox_demo" } },
  ga4: { fields: {}, loginHint: `${slug}@demo.qweb.test` },
  klaviyo: { fields: { apiKey: `pk_sandbox_${slug.replace(/-/g, "_")}` } },
  mailchimp: { fields: {}, loginHint: slug },
  meta: { fields: {}, loginHint: slug },
  "google-ads": { fields: {}, loginHint: `${slug}@demo.qweb.test` },
});

/**
 * The sandbox's consent screen answers `prompt=none` straight back with a code (an already
 * granted consent), so the seed walks the same OAuth path a user's browser does.
 */
async function connectSilently(ctx: TenantCtx, connector: Connector, fields: Record<string, string>, loginHint?: string) {
  // Server-side, the seed is the browser: it keeps the nonce a browser's cookie would carry.
  const { started: { authorizeUrl }, browserNonce } = await beginOAuth({ ctx, input: { connector, fields } });
  const url = new URL(authorizeUrl);
  url.searchParams.set("prompt", "none");
  if (loginHint) url.searchParams.set("login_hint", loginHint);
  const res = await fetch(url, { redirect: "manual" });
  await res.body?.cancel();
  const location = res.headers.get("location");
  if (!location) throw new Error(`${connector.name} sandbox did not redirect back (${res.status})`);
  const query = Object.fromEntries(new URL(location).searchParams);
  const consumed = await consumeState({ ctx: { ...ctx, now: Date.now() }, input: { state: query.state ?? "", browserNonce } });
  if ("refused" in consumed) throw new Error(`${connector.name}: OAuth state refused (${consumed.refused})`);
  await completeOAuth({ ctx: { ...ctx, now: Date.now() }, input: { state: consumed.state, connector, query } });
}

/**
 * Connects one demo workspace to all five sandbox providers, each account named for the
 * workspace's business (the sandbox names an account by its slug). Idempotent.
 */
export async function connectDemoWorkspace(env: Env, db: Database, ownerId: string, ws: { id: string; name: string }) {
  const ctx: TenantCtx = { ...ctxFromEnv(env), db, tenant: await getWorkspaceAccess(db, ownerId, ws.id) };
  const have = new Set((await listIntegrations({ ctx })).map((i) => i.provider));
  const slug = ws.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  for (const [provider, spec] of Object.entries(demoAccounts(slug)) as [Exclude<ProviderId, "gmail" | "outlook" | "icloud">, ReturnType<typeof demoAccounts>[Exclude<ProviderId, "gmail" | "outlook" | "icloud">]][]) {
    const connector = getConnector(provider);
    if (!connector || have.has(provider)) continue;
    if (connector.auth.kind === "oauth2") await connectSilently({ ...ctx, now: Date.now() }, connector, spec.fields, spec.loginHint);
    else await connectWithKey({ ctx: { ...ctx, now: Date.now() }, input: { connector, fields: spec.fields } });
  }
}

/**
 * Local demo only (`npm start`, APP_ENV=development with the sandbox running): connects each demo
 * workspace and waits for the first syncs. Idempotent.
 */
export async function seedDemoIntegrations(env: Env, db: Database, ownerId: string, workspaces: { id: string; name: string }[]) {
  if (readConfig(env).APP_ENV !== "development" || !sandboxUrlOf(env)) return;
  for (const ws of workspaces) await connectDemoWorkspace(env, db, ownerId, ws);
  const until = Date.now() + SYNC_WAIT_MS;
  for (const ws of workspaces) {
    for (;;) {
      const st = await syncStub(env, ws.id).status();
      if ((!st.running && st.queued.length === 0) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
