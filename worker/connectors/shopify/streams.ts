import { toMinor } from "../../lib/money";
import { ProviderError } from "../http";
import type { ConnectorRuntime, Cursor, Order, OrderLine, Product, Secrets, StreamPage, SyncStream } from "../types";
import { MaxCostExceeded, SINGLE_QUERY_MAX_COST, legacyId, shopifyGraphql } from "./graphql";
import { bulkPage } from "./bulk";
import { normalizeShop } from "./oauth";

type Money = { shopMoney: { amount: string; currencyCode: string } };
type PageInfo = { hasNextPage: boolean; endCursor: string | null };
type LineNode = { title: string; quantity: number; product: { id: string } | null; discountedTotalSet: Money };
type OrderNode = {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  subtotalPriceSet: Money;
  totalPriceSet: Money;
  totalDiscountsSet: Money;
  totalRefundedSet: Money;
  customer: { id: string } | null;
  lineItems: { pageInfo: PageInfo; nodes: LineNode[] };
};

const MONEY = "shopMoney { amount currencyCode }";
const LINE_FIELDS = `title quantity product { id } discountedTotalSet { ${MONEY} }`;
const LINES_PER_ORDER = 10;
// Requested cost (scalar 0, object 1, connection 2 + first × node): each order node costs
// 1 + 4 money sets × 2 + customer 1 + lineItems (2 + 10 × 4) = 52, so 1000 allows 19 per page.
const ORDER_NODE_COST = 52;
const ORDERS_PAGE = Math.min(250, Math.floor((SINGLE_QUERY_MAX_COST - 2) / ORDER_NODE_COST));

const ORDER_FIELDS = `id name createdAt updatedAt cancelledAt displayFinancialStatus
      subtotalPriceSet { ${MONEY} }
      totalPriceSet { ${MONEY} }
      totalDiscountsSet { ${MONEY} }
      totalRefundedSet { ${MONEY} }
      customer { id }`;
/** A first backfill of at least this many orders runs as a Bulk Operation (paged, it would take 10+ throttled pages). */
export const BULK_MIN_ORDERS = 200;

// The first page of a first backfill also asks how many orders there are (one point of cost).
const ordersQuery = (counted: boolean) => `query QwebOrders($first: Int!, $after: String, $query: String) {
  ${counted ? "ordersCount(query: $query) { count }" : ""}
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${ORDER_FIELDS}
      lineItems(first: ${LINES_PER_ORDER}) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
    }
  }
}`;

const MORE_LINES_QUERY = `query QwebOrderLines($id: ID!, $after: String) {
  order(id: $id) { lineItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } } }
}`;

const PRODUCTS_PAGE = 200;
const PRODUCTS_QUERY = `query QwebProducts($first: Int!, $after: String, $query: String) {
  shop { currencyCode }
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id title updatedAt variants(first: 1) { nodes { sku price } } }
  }
}`;

/** A provider amount that is not a decimal is a broken reply, not a crash. */
function minor(amount: string | null | undefined, currency: string): number {
  try {
    return toMinor(amount, currency);
  } catch {
    throw new ProviderError("permanent", `shopify: unexpected amount ${String(amount).slice(0, 20)}`, { provider: "shopify" });
  }
}

const isoSecond = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
/** Inclusive lower bound: rows updated in the watermark's own second are read again (upserts make that harmless). */
const sinceFilter = (since: number | null) => (since === null ? null : `updated_at:>='${isoSecond(since)}'`);

function mapLine(l: LineNode, currency: string): OrderLine {
  return { productId: l.product ? legacyId(l.product.id) : "", title: l.title, quantity: l.quantity, totalMinor: minor(l.discountedTotalSet.shopMoney.amount, currency) };
}

export function mapOrder(n: OrderNode, lines: LineNode[]): Order {
  const currency = n.totalPriceSet.shopMoney.currencyCode;
  return {
    providerId: legacyId(n.id),
    number: n.name,
    status: n.cancelledAt ? "cancelled" : (n.displayFinancialStatus ?? "unknown").toLowerCase(),
    currency,
    totalMinor: minor(n.totalPriceSet.shopMoney.amount, currency),
    // Shopify's subtotal: line items after discounts, before shipping and tax.
    subtotalMinor: minor(n.subtotalPriceSet.shopMoney.amount, currency),
    discountMinor: minor(n.totalDiscountsSet.shopMoney.amount, currency),
    refundedMinor: minor(n.totalRefundedSet.shopMoney.amount, currency),
    customerId: n.customer ? legacyId(n.customer.id) : null,
    createdAt: Date.parse(n.createdAt),
    updatedAt: Date.parse(n.updatedAt),
    lines: lines.map((l) => mapLine(l, currency)),
  };
}

type Ctx = { rt: ConnectorRuntime; shop: string; accessToken: string };

function context(rt: ConnectorRuntime, p: { secrets: Secrets; account: Record<string, string> }): Ctx {
  if (!p.secrets.accessToken) throw new ProviderError("unauthorized", "shopify: no access token stored", { provider: "shopify" });
  return { rt, shop: normalizeShop(p.account.shop), accessToken: p.secrets.accessToken };
}

/** Orders with more than LINES_PER_ORDER line items: fetch the rest with the order's own connection. */
async function remainingLines(c: Ctx, n: OrderNode): Promise<LineNode[]> {
  const lines = [...n.lineItems.nodes];
  let info = n.lineItems.pageInfo;
  while (info.hasNextPage) {
    const data = await shopifyGraphql<{ order: { lineItems: { pageInfo: PageInfo; nodes: LineNode[] } } | null }>(c.rt, {
      ...c,
      query: MORE_LINES_QUERY,
      variables: { id: n.id, after: info.endCursor },
      describe: "order line items",
    });
    if (!data.order) break;
    lines.push(...data.order.lineItems.nodes);
    info = data.order.lineItems.pageInfo;
  }
  return lines;
}

/** Keeps the watermark moving forward only: the newest updatedAt seen in this run, else the run's start. */
const watermark = (prev: number | null, rows: { updatedAt: number }[]) =>
  rows.reduce<number | null>((m, r) => (m === null || r.updatedAt > m ? r.updatedAt : m), prev);

const num = (v: Cursor[string] | undefined) => (typeof v === "number" ? v : null);

export const ordersStream: SyncStream = {
  name: "orders",
  async page(rt, p): Promise<StreamPage> {
    const c = context(rt, p);
    if (p.cursor && "bulk" in p.cursor) return bulkPage(c, p.cursor, { order: ORDER_FIELDS, line: LINE_FIELDS }, (o, lines) => mapOrder(o, lines));
    const since = p.cursor ? num(p.cursor.since) : p.since;
    const counted = !p.cursor && since === null;
    let first = num(p.cursor?.first) ?? ORDERS_PAGE;
    const run = async () =>
      shopifyGraphql<{ ordersCount?: { count: number }; orders: { pageInfo: PageInfo; nodes: OrderNode[] } }>(rt, {
        ...c,
        query: ordersQuery(counted),
        variables: { first, after: p.cursor?.after ?? null, query: sinceFilter(since) },
        describe: "orders",
      });
    let data;
    try {
      data = await run();
    } catch (err) {
      // Shopify's cost rules can differ from our estimate: shrink the page to fit and carry that size on.
      if (!(err instanceof MaxCostExceeded) || first <= 1) throw err;
      first = Math.max(1, Math.floor((first * err.maxCost * 0.9) / err.cost));
      data = await run();
    }
    const orders: Order[] = [];
    for (const n of data.orders.nodes) orders.push(mapOrder(n, n.lineItems.pageInfo.hasNextPage ? await remainingLines(c, n) : n.lineItems.nodes));
    const max = watermark(num(p.cursor?.max) ?? since, orders);
    const { hasNextPage, endCursor } = data.orders.pageInfo;
    // A large first backfill: this page only measured the shop; a bulk export brings every order.
    if (hasNextPage && (data.ordersCount?.count ?? 0) >= BULK_MIN_ORDERS) return { batch: {}, next: { bulk: "", since: null, max: null } };
    return { batch: { orders }, next: hasNextPage && endCursor ? { after: endCursor, since, max, first } : null, watermark: max };
  },
};

type ProductNode = { id: string; title: string; updatedAt: string; variants: { nodes: { sku: string | null; price: string }[] } };

export const productsStream: SyncStream = {
  name: "products",
  async page(rt, p): Promise<StreamPage> {
    const c = context(rt, p);
    const since = p.cursor ? num(p.cursor.since) : p.since;
    const data = await shopifyGraphql<{ shop: { currencyCode: string }; products: { pageInfo: PageInfo; nodes: ProductNode[] } }>(rt, {
      ...c,
      query: PRODUCTS_QUERY,
      variables: { first: PRODUCTS_PAGE, after: p.cursor?.after ?? null, query: sinceFilter(since) },
      describe: "products",
    });
    const currency = data.shop.currencyCode;
    const products: Product[] = data.products.nodes.map((n) => {
      const v = n.variants.nodes[0];
      return { providerId: legacyId(n.id), title: n.title, sku: v?.sku || null, priceMinor: minor(v?.price ?? "0", currency), currency, updatedAt: Date.parse(n.updatedAt) };
    });
    const max = watermark(num(p.cursor?.max) ?? since, products);
    const { hasNextPage, endCursor } = data.products.pageInfo;
    return { batch: { products }, next: hasNextPage && endCursor ? { after: endCursor, since, max } : null, watermark: max };
  },
};
