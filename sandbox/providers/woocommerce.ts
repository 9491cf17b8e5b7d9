// WooCommerce fake: REST v3 under <store>/wp-json/wc/v3 with HTTP Basic consumer keys, orders and
// products paged by page/per_page (X-WP-Total, X-WP-TotalPages, Link), webhooks resource, signed
// deliveries (and the unsigned ping), plus mutate/stats controls.
//
// Controls under /_sandbox/woocommerce/: GET stats?storeUrl= · POST mutate {storeUrl, updated, created} ·
// POST webhooks {storeUrl, topic, orderIndex?, secret?, target?, badSignature?, deliveryId?, ping?, webhookId?}
// (signs with the registered webhook's secret unless `secret` is given; POSTs to `target` or the
// registered delivery_url). Stores are sized by their host's first label like Shopify shops.
//
// Sandbox keys: any pair "ck_<x>" / "cs_<x>" with the same <x> (4+ characters) is valid for every
// store, e.g. consumer key ck_sandbox_demo with consumer secret cs_sandbox_demo.
import { createHmac, randomUUID } from "node:crypto";
import { header, json, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { storeCache, type Store } from "./shopify-woo-commerce.ts";
import { ORDER_ID_BASE, PRODUCT_ID_BASE, WooParamError, listParams, orderJson, productJson, selectOrders, selectProducts } from "./woo-objects.ts";

const API = "/wp-json/wc/v3";
const storeOf = storeCache("woocommerce-stores");
/** The store key: https://host[/path] as WordPress knows its home URL. */
export const storeKey = (url: string) => {
  const u = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
  return `https://${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`;
};
export const wooStore = (storeUrl: string): Store => {
  const key = storeKey(storeUrl);
  return storeOf(key, new URL(key).hostname);
};

type Hook = { id: number; name: string; topic: string; delivery_url: string; secret: string; status: string; date_created_gmt: string };
const hooks = new Map<string, Hook[]>();
let nextHookId = 1;
persisted("woocommerce-hooks", {
  save: () => ({ hooks: entries(hooks), nextHookId }),
  load: (d) => {
    refill(hooks, d.hooks);
    nextHookId = d.nextHookId ?? 1;
  },
});

const wooError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => json(status, { code, message, data: { status, ...extra } });

function authorized(req: SandboxRequest): boolean | "missing" {
  let key = req.url.searchParams.get("consumer_key") ?? undefined;
  let secret = req.url.searchParams.get("consumer_secret") ?? undefined;
  const auth = header(req, "authorization");
  if (auth?.startsWith("Basic ")) {
    const [k, ...rest] = Buffer.from(auth.slice(6), "base64").toString("utf8").split(":");
    key = k;
    secret = rest.join(":");
  }
  if (!key || !secret) return "missing";
  const m = /^ck_(.{4,})$/.exec(key);
  return Boolean(m && secret === `cs_${m[1]}`);
}

function paged<T>(req: SandboxRequest, storeUrl: string, total: number, p: { page: number; perPage: number }, items: T[]): SandboxResponse {
  const totalPages = Math.ceil(total / p.perPage);
  const link = (page: number) => {
    const q = new URLSearchParams(req.url.searchParams);
    q.set("page", String(page));
    q.delete("consumer_key");
    q.delete("consumer_secret");
    return `<${storeUrl}${req.path.slice(req.path.indexOf(API))}?${q}>`;
  };
  const links = [p.page > 1 ? `${link(p.page - 1)}; rel="prev"` : "", p.page < totalPages ? `${link(p.page + 1)}; rel="next"` : ""].filter(Boolean);
  return json(200, items, { "x-wp-total": String(total), "x-wp-totalpages": String(totalPages), ...(links.length ? { link: links.join(", ") } : {}) });
}

function api(req: SandboxRequest, storeUrl: string, route: string): SandboxResponse | null {
  const s = wooStore(storeUrl);
  const q = req.url.searchParams;
  if (route === "/system_status" && req.method === "GET") {
    return json(200, {
      environment: { home_url: storeUrl, site_url: storeUrl, version: "9.8.1", wp_version: "6.8.1", wp_multisite: false, language: "en_US", server_info: "nginx" },
      database: { wc_database_version: "9.8.1" },
      active_plugins: [{ plugin: "woocommerce/woocommerce.php", name: "WooCommerce", version: "9.8.1" }],
      settings: { api_enabled: true, force_ssl: true, currency: s.cfg.currency, currency_symbol: s.cfg.currency, currency_position: "left", thousand_separator: ",", decimal_separator: ".", number_of_decimals: s.cfg.currency === "JPY" ? 0 : 2 },
      security: { secure_connection: true, hide_errors: true },
    });
  }
  if (route === "/orders" && req.method === "GET") {
    const p = listParams(q);
    const sel = selectOrders(s, q);
    const out = [];
    for (let k = (p.page - 1) * p.perPage; k < Math.min(sel.total, p.page * p.perPage); k++) out.push(orderJson(storeUrl, s.order(sel.at(k))));
    return paged(req, storeUrl, sel.total, p, out);
  }
  const one = /^\/(orders|products)\/(\d+)$/.exec(route);
  if (one && req.method === "GET") {
    const n = Number(one[2]);
    if (one[1] === "orders" && n >= ORDER_ID_BASE && n - ORDER_ID_BASE < s.orderCount) return json(200, orderJson(storeUrl, s.order(n - ORDER_ID_BASE)));
    if (one[1] === "products" && n >= PRODUCT_ID_BASE && n - PRODUCT_ID_BASE < s.cfg.products) return json(200, productJson(storeUrl, s, s.product(n - PRODUCT_ID_BASE)));
    return wooError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
  }
  if (route === "/products" && req.method === "GET") {
    const p = listParams(q);
    const all = selectProducts(s, q);
    return paged(req, storeUrl, all.length, p, all.slice((p.page - 1) * p.perPage, p.page * p.perPage).map((x) => productJson(storeUrl, s, x)));
  }
  if (route === "/webhooks") {
    const list = hooks.get(storeUrl) ?? [];
    if (req.method === "GET") return json(200, list, { "x-wp-total": String(list.length), "x-wp-totalpages": "1" });
    if (req.method === "POST") {
      let b: Partial<Hook>;
      try {
        b = JSON.parse(req.body.toString("utf8")) as Partial<Hook>;
      } catch {
        return wooError(400, "rest_invalid_json", "Invalid JSON body passed.");
      }
      if (!b.topic || !/^(order|product|customer|coupon)\.(created|updated|deleted|restored)$/.test(b.topic)) return wooError(400, "rest_invalid_param", "Invalid parameter(s): topic", { params: { topic: "Invalid topic" } });
      if (!b.delivery_url || !/^https?:\/\//.test(b.delivery_url)) return wooError(400, "rest_invalid_param", "Invalid parameter(s): delivery_url", { params: { delivery_url: "Invalid URL" } });
      const hook: Hook = { id: nextHookId++, name: b.name ?? b.topic, topic: b.topic, delivery_url: b.delivery_url, secret: b.secret ?? randomUUID(), status: b.status ?? "active", date_created_gmt: new Date().toISOString().slice(0, 19) };
      hooks.set(storeUrl, [...list, hook]);
      changed();
      return json(201, hook);
    }
  }
  const del = /^\/webhooks\/(\d+)$/.exec(route);
  if (del && req.method === "DELETE") {
    const list = hooks.get(storeUrl) ?? [];
    const hook = list.find((h) => h.id === Number(del[1]));
    if (!hook) return wooError(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.");
    hooks.set(storeUrl, list.filter((h) => h !== hook));
    changed();
    return json(200, hook);
  }
  return null;
}

export const woocommerce: ProviderModule = {
  id: "woocommerce",
  handle(req) {
    const at = req.path.indexOf(`${API}/`);
    if (at < 0) return null;
    const storeUrl = storeKey(`https://${req.host}${req.path.slice(0, at)}`);
    const ok = authorized(req);
    if (ok === "missing") return wooError(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    if (!ok) return wooError(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
    try {
      return api(req, storeUrl, req.path.slice(at + API.length)) ?? wooError(404, "rest_no_route", "No route was found matching the URL and request method.");
    } catch (err) {
      if (err instanceof WooParamError) return wooError(400, "rest_invalid_param", `Invalid parameter(s): ${err.param}`, { params: { [err.param]: err.message } });
      throw err;
    }
  },
  renderFault(f: Fault) {
    switch (f.kind) {
      case "429":
      case "throttled":
        return json(429, { code: "too_many_requests", message: "Too many requests.", data: { status: 429 } }, { "retry-after": String(f.retryAfter ?? 1) });
      case "500":
        return wooError(500, "internal_server_error", "<p>There has been a critical error on this website.</p>");
      case "503":
        return { ...wooError(503, "service_unavailable", "Briefly unavailable for scheduled maintenance."), headers: { "content-type": "application/json", "retry-after": String(f.retryAfter ?? 1) } };
      case "token-expired":
        return wooError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
      default:
        return null;
    }
  },
  control: (req, action) => control(req, action),
};

async function control(req: SandboxRequest, action: string): Promise<SandboxResponse | null> {
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Record<string, any>) : {};
  const raw = String(body.storeUrl ?? req.url.searchParams.get("storeUrl") ?? "");
  let storeUrl: string;
  try {
    storeUrl = storeKey(raw);
  } catch {
    return json(400, { error: "storeUrl is required" });
  }
  const s = wooStore(storeUrl);
  const ids = (xs: number[]) => xs.map((i) => String(ORDER_ID_BASE + i));
  switch (action) {
    case "stats":
      return json(200, { storeUrl, ...s.summary() });
    case "mutate": {
      const m = s.mutate({ updated: Number(body.updated ?? 0), created: Number(body.created ?? 0) });
      return json(200, { updated: ids(m.updated), created: ids(m.created), at: m.at });
    }
    case "webhooks":
      return deliver(storeUrl, s, body);
    default:
      return null;
  }
}

/** One delivery signed as WooCommerce signs it (base64 HMAC-SHA256 of the body), or the unsigned ping. */
async function deliver(storeUrl: string, s: Store, p: Record<string, any>): Promise<SandboxResponse> {
  const topic = String(p.topic ?? "order.created");
  const registered = (hooks.get(storeUrl) ?? []).find((h) => (p.webhookId ? h.id === Number(p.webhookId) : h.topic === topic));
  const webhookId = registered?.id ?? Number(p.webhookId ?? 1);
  const target = p.target ?? registered?.delivery_url;
  let raw: string;
  let headers: Record<string, string>;
  if (p.ping) {
    raw = `webhook_id=${webhookId}`;
    headers = { "content-type": "application/x-www-form-urlencoded", "user-agent": "WooCommerce/9.8.1 Hookshot (WordPress/6.8.1)" };
  } else {
    const secret = p.secret ?? registered?.secret;
    if (!secret) return json(400, { error: "no secret: register a webhook (POST /wp-json/wc/v3/webhooks) or pass secret" });
    const index = p.orderIndex === undefined ? s.orderCount - 1 : Number(p.orderIndex);
    const [resource, event] = topic.split(".") as [string, string];
    raw = JSON.stringify(event === "deleted" ? { id: ORDER_ID_BASE + index } : orderJson(storeUrl, s.order(index)));
    headers = {
      "content-type": "application/json",
      "user-agent": "WooCommerce/9.8.1 Hookshot (WordPress/6.8.1)",
      "x-wc-webhook-source": `${storeUrl}/`,
      "x-wc-webhook-topic": topic,
      "x-wc-webhook-resource": resource,
      "x-wc-webhook-event": event,
      "x-wc-webhook-signature": createHmac("sha256", p.badSignature ? "not-the-webhook-secret" : String(secret)).update(raw).digest("base64"),
      "x-wc-webhook-id": String(webhookId),
      "x-wc-webhook-delivery-id": String(p.deliveryId ?? randomUUID().replace(/-/g, "")),
    };
  }
  const out: Record<string, unknown> = { delivery: { headers, body: raw } };
  if (target) {
    try {
      const res = await fetch(String(target), { method: "POST", headers, body: raw, signal: AbortSignal.timeout(5000) });
      out.response = { status: res.status, body: (await res.text()).slice(0, 2000) };
    } catch (err) {
      out.response = { status: 0, error: String(err) };
    }
  }
  return json(200, out);
}
