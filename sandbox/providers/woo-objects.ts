// The WooCommerce fake's JSON (REST v3 shapes) over the shared Store, and its list queries:
// filters, orderby/order and page/per_page over a lazily generated catalogue.
import { money, type Store, type StoreOrder, type StoreProduct } from "./shopify-woo-commerce.ts";

export const ORDER_ID_BASE = 1000;
export const PRODUCT_ID_BASE = 100;
const wpDate = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19));

export function wooStatus(o: StoreOrder): string {
  if (o.financial === "voided") return "cancelled";
  if (o.financial === "pending") return "pending";
  if (o.financial === "refunded") return "refunded";
  return o.fulfilledAt === null && o.revision === 0 ? "processing" : "completed";
}

export function orderJson(storeUrl: string, o: StoreOrder) {
  const cur = o.currency;
  const id = ORDER_ID_BASE + o.index;
  const address = o.customer
    ? { first_name: o.customer.firstName, last_name: o.customer.lastName, company: "", address_1: "1 Main St", address_2: "", city: "Springfield", state: "", postcode: "12345", country: "US" }
    : { first_name: "Guest", last_name: "", company: "", address_1: "", address_2: "", city: "", state: "", postcode: "", country: "US" };
  return {
    id,
    parent_id: 0,
    status: wooStatus(o),
    currency: cur,
    version: "9.8.1",
    prices_include_tax: false,
    date_created: wpDate(o.createdAt),
    date_modified: wpDate(o.updatedAt),
    discount_total: money(o.discountMinor, cur),
    discount_tax: money(0, cur),
    shipping_total: money(o.shippingMinor, cur),
    shipping_tax: money(0, cur),
    cart_tax: money(o.taxMinor, cur),
    total: money(o.totalMinor, cur),
    total_tax: money(o.taxMinor, cur),
    customer_id: o.customer ? o.customer.index + 1 : 0,
    order_key: `wc_order_${(id * 2654435761).toString(36).slice(0, 13)}`,
    billing: { ...address, email: o.customer?.email ?? "guest@example.com", phone: "" },
    shipping: { ...address, phone: "" },
    payment_method: "stripe",
    payment_method_title: "Credit card",
    transaction_id: o.financial === "pending" ? "" : `pi_${id}`,
    customer_note: "",
    date_completed: wpDate(o.fulfilledAt),
    date_paid: wpDate(o.financial === "pending" || o.financial === "voided" ? null : o.createdAt),
    number: String(id),
    meta_data: [],
    line_items: o.lines.map((l, k) => ({
      id: id * 20 + k,
      name: l.title,
      product_id: PRODUCT_ID_BASE + l.productIndex,
      variation_id: 0,
      quantity: l.quantity,
      tax_class: "",
      subtotal: money(l.subtotalMinor, cur),
      subtotal_tax: money(0, cur),
      total: money(l.totalMinor, cur),
      total_tax: money(0, cur),
      taxes: [],
      meta_data: [],
      sku: l.sku,
      price: l.unitMinor / 10 ** (cur === "JPY" ? 0 : cur === "KWD" ? 3 : 2),
    })),
    tax_lines: [],
    shipping_lines: o.shippingMinor ? [{ id: id * 20 + 19, method_title: "Flat rate", method_id: "flat_rate", total: money(o.shippingMinor, cur), total_tax: money(0, cur) }] : [],
    fee_lines: [],
    coupon_lines: o.discountCode ? [{ id: id * 20 + 18, code: o.discountCode.toLowerCase(), discount: money(o.discountMinor, cur), discount_tax: money(0, cur) }] : [],
    refunds: o.refunds.map((r, k) => ({ id: 900_000 + o.index * 4 + k, reason: r.reason, total: money(-r.amountMinor, cur) })),
    date_created_gmt: wpDate(o.createdAt),
    date_modified_gmt: wpDate(o.updatedAt),
    date_completed_gmt: wpDate(o.fulfilledAt),
    date_paid_gmt: wpDate(o.financial === "pending" || o.financial === "voided" ? null : o.createdAt),
    _links: { self: [{ href: `${storeUrl}/wp-json/wc/v3/orders/${id}` }], collection: [{ href: `${storeUrl}/wp-json/wc/v3/orders` }] },
  };
}

export function productJson(storeUrl: string, s: Store, p: StoreProduct) {
  const cur = s.cfg.currency;
  const id = PRODUCT_ID_BASE + p.index;
  return {
    id,
    name: p.title,
    slug: p.title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    permalink: `${storeUrl}/product/${id}`,
    date_created: wpDate(p.createdAt),
    date_created_gmt: wpDate(p.createdAt),
    date_modified: wpDate(p.updatedAt),
    date_modified_gmt: wpDate(p.updatedAt),
    type: "simple",
    status: "publish",
    sku: p.sku,
    price: money(p.priceMinor, cur),
    regular_price: money(p.priceMinor, cur),
    sale_price: "",
    stock_status: "instock",
    _links: { self: [{ href: `${storeUrl}/wp-json/wc/v3/products/${id}` }] },
  };
}

export class WooParamError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}

/** WordPress reads a GMT date without a zone when dates_are_gmt=true (the only mode the fake supports). */
function dateParam(q: URLSearchParams, name: string): number | null {
  const v = q.get(name);
  if (v === null) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(ms)) throw new WooParamError(name, `Invalid parameter(s): ${name}`);
  return ms;
}

export type ListQuery = { page: number; perPage: number };

export function listParams(q: URLSearchParams): ListQuery {
  const perPage = Number(q.get("per_page") ?? 10);
  const page = Number(q.get("page") ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new WooParamError("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)");
  if (!Number.isInteger(page) || page < 1) throw new WooParamError("page", "page must be greater than or equal to 1");
  return { page, perPage };
}

/** Indices of the orders matching the query, in the requested order (a view, not a copy, for orderby=modified asc). */
export function selectOrders(s: Store, q: URLSearchParams): { total: number; at: (k: number) => number } {
  const after = dateParam(q, "modified_after");
  const before = dateParam(q, "modified_before");
  const createdAfter = dateParam(q, "after");
  const createdBefore = dateParam(q, "before");
  const desc = (q.get("order") ?? "desc") === "desc";
  const orderby = q.get("orderby") ?? "date";
  const statuses = (q.get("status") ?? "any").split(",").filter((x) => x && x !== "any");
  if (!["date", "id", "modified", "include", "title", "slug"].includes(orderby)) throw new WooParamError("orderby", "orderby is not one of date, id, include, title, slug, modified.");
  const simple = orderby === "modified" && createdAfter === null && createdBefore === null && statuses.length === 0;
  if (simple) {
    const { order } = s.byUpdate();
    const lo = after === null ? 0 : s.seek(after + 1, -1, true);
    const hi = before === null ? order.length : s.seek(before, -1, true);
    const total = Math.max(0, hi - lo);
    return { total, at: (k) => order[desc ? hi - 1 - k : lo + k]! };
  }
  const keep: number[] = [];
  const byUpdate = orderby === "modified" ? s.byUpdate().order : null;
  for (let k = 0; k < s.orderCount; k++) {
    const i = byUpdate ? byUpdate[k]! : k;
    const u = s.updatedAt(i);
    if ((after !== null && u <= after) || (before !== null && u >= before)) continue;
    if (createdAfter !== null || createdBefore !== null || statuses.length) {
      const o = s.order(i);
      if ((createdAfter !== null && o.createdAt <= createdAfter) || (createdBefore !== null && o.createdAt >= createdBefore)) continue;
      if (statuses.length && !statuses.includes(wooStatus(o))) continue;
    }
    keep.push(i);
  }
  if (desc) keep.reverse();
  return { total: keep.length, at: (k) => keep[k]! };
}

export function selectProducts(s: Store, q: URLSearchParams): StoreProduct[] {
  const after = dateParam(q, "modified_after");
  const before = dateParam(q, "modified_before");
  const orderby = q.get("orderby") ?? "date";
  const all = orderby === "modified" ? s.productsByUpdate() : Array.from({ length: s.cfg.products }, (_, j) => s.product(j));
  const keep = all.filter((p) => (after === null || p.updatedAt > after) && (before === null || p.updatedAt < before));
  return (q.get("order") ?? "desc") === "desc" ? keep.reverse() : keep;
}
