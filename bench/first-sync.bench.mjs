// First sync of a new Shopify connection (the sandbox's real cost throttle: 2000 points, 100/s)
// with a Klaviyo account connected at the same moment, in a fresh workspace through the real
// connectors, WorkspaceSync and D1. Prints each one's seconds and whether Klaviyo had to wait for
// Shopify. Target: Shopify's first sync under 60 s, Klaviyo done without waiting for it.
import { connectOAuth, http } from "./sync.bench.mjs";

const TARGET_S = 60;
const SHOPS = (process.env.BENCH_FIRST_SYNC_ORDERS ?? "default,10000").split(",");
const TIMEOUT_MS = 300_000;

async function once(baseUrl, sandboxUrl, token, orgId, size) {
  const tag = Date.now().toString(36);
  const { json: ws } = await http(baseUrl, "POST", "/api/workspaces", { token, body: { orgId, name: `First sync ${tag}` } });
  const shop = size === "default" ? `first-sync-${tag}.myshopify.com` : `first-sync-${tag}-orders-${size}.myshopify.com`;
  const orders = (await (await fetch(`${sandboxUrl}/_sandbox/shopify/stats?shop=${shop}`)).json()).orders;
  await connectOAuth(baseUrl, token, ws.id, "shopify", { shop });
  await http(baseUrl, "POST", `/api/workspaces/${ws.id}/integrations/klaviyo/connect`, { token, body: { fields: { apiKey: `pk_sandbox_first_${tag}` } } });
  const t0 = Date.now();
  let list;
  for (;;) {
    ({ json: list } = await http(baseUrl, "GET", `/api/workspaces/${ws.id}/integrations`, { token }));
    const failed = list.integrations.find((i) => i.status === "error" || i.status === "needs_reconnect");
    if (failed) throw new Error(`${failed.provider}: ${failed.lastError}`);
    if (list.integrations.every((i) => i.lastSyncAt && i.status === "active" && !i.queued)) break;
    if (Date.now() - t0 > TIMEOUT_MS) throw new Error("the first syncs did not finish in time");
    await new Promise((r) => setTimeout(r, 250));
  }
  const run = async (provider) => {
    const i = list.integrations.find((x) => x.provider === provider);
    return { ...(await http(baseUrl, "GET", `/api/integrations/${i.id}/runs`, { token })).json.runs.at(-1), rows: i.rowsSynced };
  };
  const s = await run("shopify");
  const k = await run("klaviyo");
  const secs = (r) => (r.durationMs / 1000).toFixed(1);
  console.log(`  Shopify, ${orders.toLocaleString("en-US")} orders: first sync ${secs(s)} s (${s.rows.toLocaleString("en-US")} rows, ${s.pages} pages, ${s.retries} retries; target < ${TARGET_S} s: ${s.durationMs < TARGET_S * 1000 ? "met" : "NOT met"})`);
  const waited = k.startedAt >= s.finishedAt;
  const gap = (s.finishedAt - k.finishedAt) / 1000;
  console.log(
    `  Klaviyo connected with it: ${secs(k)} s (${k.rows.toLocaleString("en-US")} rows), started ${((k.startedAt - s.startedAt) / 1000).toFixed(1)} s after Shopify's run, ` +
      `finished ${Math.abs(gap).toFixed(1)} s ${gap >= 0 ? "before" : "after"} it: ${waited ? "it WAITED for Shopify" : "no waiting"}`,
  );
  await http(baseUrl, "DELETE", `/api/workspaces/${ws.id}`, { token }).catch(() => {});
}

export default async function firstSyncBench({ baseUrl, sandboxUrl, seeded }) {
  const { json: login } = await http(baseUrl, "POST", "/api/auth/login", { body: { email: "owner@demo.qweb.test", password: seeded?.password ?? "qweb-demo-password" } });
  for (const size of SHOPS) await once(baseUrl, sandboxUrl, login.accessToken, seeded.orgId, size);
}
