import { toMinor } from "../../lib/money";
import { ProviderError } from "../http";
import type { ConnectorRuntime, Cursor, Order, Product, Secrets, StreamPage, SyncStream } from "../types";
import { wooGet, type WooPage } from "./client";
import { normalizeStoreUrl } from "./store-url";

type Amount = string | number | null | undefined;
export type WooOrder = {
  id: number;
  number?: string;
  status: string;
  currency: string;
  date_created_gmt: string;
  date_modified_gmt: string;
  discount_total?: Amount;
  total?: Amount;
  customer_id?: number;
  line_items?: { product_id?: number; variation_id?: number; name?: string; quantity?: number; total?: Amount }[];
  refunds?: { total?: Amount }[];
};
type WooProduct = { id: number; name: string; sku?: string; price?: Amount; date_modified_gmt: string };

const PER_PAGE = 100;
const SEC = 1000;

function minor(amount: Amount, currency: string): number {
  try {
    return toMinor(amount, currency);
  } catch {
    throw new ProviderError("permanent", `woocommerce: unexpected amount ${String(amount).slice(0, 20)}`, { provider: "woocommerce" });
  }
}

/** Woo's *_gmt fields carry no zone: they are UTC. */
const gmt = (s: string) => Date.parse(/[zZ]$/.test(s) ? s : `${s}Z`);
const wpDate = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export function mapWooOrder(o: WooOrder): Order {
  const cur = o.currency;
  const lines = (o.line_items ?? []).map((l) => ({
    productId: l.product_id ? String(l.product_id) : "",
    title: l.name ?? "",
    quantity: l.quantity ?? 0,
    totalMinor: minor(l.total, cur),
  }));
  return {
    providerId: String(o.id),
    number: o.number ?? String(o.id),
    status: o.status,
    currency: cur,
    totalMinor: minor(o.total, cur),
    // Same meaning as Shopify's subtotal: line items after discounts, before shipping and tax.
    subtotalMinor: lines.reduce((s, l) => s + l.totalMinor, 0),
    discountMinor: minor(o.discount_total, cur),
    // Woo lists refunds with negative totals.
    refundedMinor: -(o.refunds ?? []).reduce((s, r) => s + minor(r.total, cur), 0),
    customerId: o.customer_id ? String(o.customer_id) : null,
    createdAt: gmt(o.date_created_gmt),
    updatedAt: gmt(o.date_modified_gmt),
    lines,
  };
}

const num = (v: Cursor[string] | undefined) => (typeof v === "number" ? v : null);

type Ctx = { rt: ConnectorRuntime; storeUrl: string; secrets: Secrets; account: Record<string, string> };

/**
 * One run reads the fixed window modified_after=since .. modified_before=horizon (the store's "now"
 * when the run began), ordered by modified ascending, page by page. A row modified during the run
 * leaves the window, which shifts every later row one place forward and could hide one from the
 * next page: X-WP-Total shrinking reveals it, and the run steps back to re-read the shifted rows.
 * The next run starts at the horizon, so consecutive runs neither overlap nor leave a gap.
 */
function windowedStream<T, R, P>(o: {
  name: "orders" | "products";
  path: string;
  extra?: Record<string, string>;
  /** Once per page, before mapping (e.g. the store currency for products). */
  prepare: (c: Ctx) => Promise<P>;
  map: (row: T, prepared: P) => R;
}): SyncStream {
  const { name, path } = o;
  return {
    name,
    async page(rt, p): Promise<StreamPage> {
      const storeUrl = normalizeStoreUrl(rt, p.account.storeUrl);
      const since = p.cursor ? num(p.cursor.since) : p.since;
      let horizon = num(p.cursor?.horizon) ?? Math.floor(rt.now() / SEC) * SEC;
      let page = num(p.cursor?.page) ?? 1;
      const fetchPage = (): Promise<WooPage<T[]>> =>
        wooGet<T[]>(rt, {
          storeUrl,
          secrets: p.secrets,
          path,
          describe: name,
          query: {
            ...o.extra,
            per_page: String(PER_PAGE),
            page: String(page),
            orderby: "modified",
            order: "asc",
            dates_are_gmt: "true",
            ...(since === null ? {} : { modified_after: wpDate(since) }),
            modified_before: wpDate(horizon),
          },
        });
      let res = await fetchPage();
      // A store clock behind ours would let rows changed during the run stay inside the window: use its clock.
      if (!p.cursor && res.serverTime !== null && res.serverTime < horizon) {
        horizon = Math.floor(res.serverTime / SEC) * SEC;
        res = await fetchPage();
      }
      if (!Array.isArray(res.data)) throw new ProviderError("transient", `woocommerce ${name}: expected a list`, { provider: "woocommerce" });
      const prepared = await o.prepare({ rt, storeUrl, secrets: p.secrets, account: p.account });
      const rows = res.data.map((row) => o.map(row, prepared));
      const total = res.total;
      const before = num(p.cursor?.total);
      const shifted = before !== null && total !== null && total < before ? before - total : 0;
      // Without the headers (some hosts strip them) a short page is the last one.
      const totalPages = res.totalPages ?? (res.data.length < PER_PAGE ? page : page + 1);
      const next = shifted ? Math.max(1, page - Math.ceil(shifted / PER_PAGE)) : page + 1;
      const done = !shifted && (page >= totalPages || res.data.length < PER_PAGE);
      // The watermark moves only when the window is complete: to the horizon's last second read (modified_after is exclusive).
      const reached = Math.max(horizon - SEC, since ?? -Infinity);
      return {
        batch: { [name]: rows },
        next: done ? null : { since, horizon, page: next, total },
        watermark: done ? reached : undefined,
      };
    },
  };
}

export const ordersStream = windowedStream<WooOrder, Order, null>({
  name: "orders",
  path: "/orders",
  extra: { status: "any" },
  prepare: async () => null,
  map: (row) => mapWooOrder(row),
});

async function storeCurrency(c: Ctx): Promise<string> {
  if (c.account.currency) return c.account.currency;
  const res = await wooGet<{ settings?: { currency?: string } }>(c.rt, { storeUrl: c.storeUrl, secrets: c.secrets, path: "/system_status", describe: "system status" });
  const currency = res.data.settings?.currency;
  if (!currency) throw new ProviderError("permanent", "woocommerce: the store did not report its currency", { provider: "woocommerce" });
  return currency;
}

export const productsStream = windowedStream<WooProduct, Product, string>({
  name: "products",
  path: "/products",
  prepare: storeCurrency,
  map: (x, currency) => ({
    providerId: String(x.id),
    title: x.name,
    sku: x.sku || null,
    priceMinor: minor(x.price === "" ? "0" : x.price, currency),
    currency,
    updatedAt: gmt(x.date_modified_gmt),
  }),
});
