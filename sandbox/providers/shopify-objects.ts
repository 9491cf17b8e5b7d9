// The Shopify fake's view of the shared Store: Admin GraphQL objects (with connection fields as
// functions of their arguments) and the REST-style JSON that webhooks carry.
import { historyAnchor, isoSec, money, type Store, type StoreOrder, type StoreProduct } from "./shopify-woo-commerce.ts";
import type { Resolvable } from "./shopify-graphql.ts";

export const ORDER_ID_BASE = 5_550_000_000_000;
export const PRODUCT_ID_BASE = 7_700_000_000_000;
const CUSTOMER_ID_BASE = 6_600_000_000_000;
const LINE_ID_BASE = 13_000_000_000_000;
const REFUND_ID_BASE = 9_000_000_000_000;

export const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
export const orderId = (i: number) => ORDER_ID_BASE + i;
const lineId = (i: number, k: number) => LINE_ID_BASE + i * 20 + k;
const refundId = (i: number, k: number) => REFUND_ID_BASE + i * 4 + k;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
export const unb64 = (s: unknown): Record<string, number> | null => {
  if (typeof s !== "string" || !s) return null;
  try {
    return JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Record<string, number>;
  } catch {
    return null;
  }
};
export const encodeCursor = (o: Record<string, number>) => b64(o);

function bag(minor: number, currency: string) {
  const m = { __typename: "MoneyV2", amount: money(minor, currency), currencyCode: currency };
  return { __typename: "MoneyBag", shopMoney: m, presentmentMoney: m };
}

/** A plain list or connection over `items`, paged by `first`/`after` with opaque position cursors. */
export function listConnection<T>(items: T[], map: (x: T) => unknown, args: Record<string, unknown>) {
  const first = Math.max(0, Math.min(250, Number(args.first ?? args.last ?? 250)));
  const start = (unb64(args.after)?.p ?? -1) + 1;
  const slice = items.slice(start, start + first);
  const nodes = slice.map(map);
  return {
    __typename: "Connection",
    nodes,
    edges: nodes.map((node, k) => ({ __typename: "Edge", node, cursor: b64({ p: start + k }) })),
    pageInfo: { __typename: "PageInfo", hasNextPage: start + first < items.length, hasPreviousPage: start > 0, startCursor: slice.length ? b64({ p: start }) : null, endCursor: slice.length ? b64({ p: start + slice.length - 1 }) : null },
  };
}

export function productNode(s: Store, p: StoreProduct): Resolvable {
  const cur = s.cfg.currency;
  const variant = { __typename: "ProductVariant", id: gid("ProductVariant", PRODUCT_ID_BASE + p.index * 10), sku: p.sku, price: money(p.priceMinor, cur), title: "Default Title" };
  return {
    __typename: "Product",
    id: gid("Product", PRODUCT_ID_BASE + p.index),
    legacyResourceId: String(PRODUCT_ID_BASE + p.index),
    title: p.title,
    handle: p.title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    status: "ACTIVE",
    createdAt: isoSec(p.createdAt),
    updatedAt: isoSec(p.updatedAt),
    priceRangeV2: { minVariantPrice: { amount: money(p.priceMinor, cur), currencyCode: cur }, maxVariantPrice: { amount: money(p.priceMinor, cur), currencyCode: cur } },
    variants: (a: Record<string, unknown>) => listConnection([variant], (v) => v, a),
  };
}

const FINANCIAL: Record<StoreOrder["financial"], string> = { paid: "PAID", pending: "PENDING", refunded: "REFUNDED", partially_refunded: "PARTIALLY_REFUNDED", voided: "VOIDED" };

export function orderNode(s: Store, o: StoreOrder): Resolvable {
  const cur = o.currency;
  const id = orderId(o.index);
  const customer = o.customer && {
    __typename: "Customer",
    id: gid("Customer", CUSTOMER_ID_BASE + o.customer.index),
    firstName: o.customer.firstName,
    lastName: o.customer.lastName,
    defaultEmailAddress: { emailAddress: o.customer.email },
    numberOfOrders: String(1 + (o.customer.index % 5)),
    amountSpent: { amount: money(o.totalMinor * (1 + (o.customer.index % 5)), cur), currencyCode: cur },
  };
  const lines = o.lines.map((l, k) => ({
    __typename: "LineItem",
    id: gid("LineItem", lineId(o.index, k)),
    title: l.title,
    name: l.title,
    sku: l.sku,
    quantity: l.quantity,
    currentQuantity: l.quantity,
    product: { __typename: "Product", id: gid("Product", PRODUCT_ID_BASE + l.productIndex), title: l.title },
    variant: { __typename: "ProductVariant", id: gid("ProductVariant", PRODUCT_ID_BASE + l.productIndex * 10), sku: l.sku },
    originalUnitPriceSet: bag(l.unitMinor, cur),
    originalTotalSet: bag(l.subtotalMinor, cur),
    discountedTotalSet: bag(l.totalMinor, cur),
    totalDiscountSet: bag(l.subtotalMinor - l.totalMinor, cur),
  }));
  const refunds = o.refunds.map((r, k) => ({ __typename: "Refund", id: gid("Refund", refundId(o.index, k)), createdAt: isoSec(r.createdAt), note: r.reason, totalRefundedSet: bag(r.amountMinor, cur) }));
  return {
    __typename: "Order",
    id: gid("Order", id),
    legacyResourceId: String(id),
    name: `#${1001 + o.index}`,
    createdAt: isoSec(o.createdAt),
    processedAt: isoSec(o.createdAt),
    updatedAt: isoSec(o.updatedAt),
    cancelledAt: o.cancelledAt === null ? null : isoSec(o.cancelledAt),
    closedAt: o.fulfilledAt === null ? null : isoSec(o.fulfilledAt),
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    displayFinancialStatus: FINANCIAL[o.financial],
    displayFulfillmentStatus: o.fulfilledAt !== null || o.revision > 0 ? "FULFILLED" : "UNFULFILLED",
    note: o.revision ? `Updated ${o.revision}×` : null,
    tags: o.revision ? ["updated"] : [],
    discountCodes: o.discountCode ? [o.discountCode] : [],
    subtotalPriceSet: bag(o.itemsMinor - o.discountMinor, cur),
    currentSubtotalPriceSet: bag(o.itemsMinor - o.discountMinor, cur),
    totalPriceSet: bag(o.totalMinor, cur),
    currentTotalPriceSet: bag(o.totalMinor - o.refundedMinor, cur),
    totalDiscountsSet: bag(o.discountMinor, cur),
    totalShippingPriceSet: bag(o.shippingMinor, cur),
    totalTaxSet: bag(o.taxMinor, cur),
    totalRefundedSet: bag(o.refundedMinor, cur),
    customer,
    refunds: (a: Record<string, unknown>) => refunds.slice(0, Math.min(250, Number(a.first ?? 250))),
    lineItems: (a: Record<string, unknown>) => listConnection(lines, (l) => l, a),
  };
}

/** orders/create, orders/updated: the REST-style snake_case payload Shopify webhooks carry. */
export function orderPayload(s: Store, o: StoreOrder) {
  const cur = o.currency;
  const id = orderId(o.index);
  return {
    id,
    admin_graphql_api_id: gid("Order", id),
    name: `#${1001 + o.index}`,
    order_number: 1001 + o.index,
    created_at: isoSec(o.createdAt),
    updated_at: isoSec(o.updatedAt),
    processed_at: isoSec(o.createdAt),
    cancelled_at: o.cancelledAt === null ? null : isoSec(o.cancelledAt),
    currency: cur,
    presentment_currency: cur,
    financial_status: o.financial,
    fulfillment_status: o.fulfilledAt !== null ? "fulfilled" : null,
    total_line_items_price: money(o.itemsMinor, cur),
    subtotal_price: money(o.itemsMinor - o.discountMinor, cur),
    total_discounts: money(o.discountMinor, cur),
    total_tax: money(o.taxMinor, cur),
    total_price: money(o.totalMinor, cur),
    discount_codes: o.discountCode ? [{ code: o.discountCode, amount: money(o.discountMinor, cur), type: "percentage" }] : [],
    customer: o.customer && { id: 6_600_000_000_000 + o.customer.index, admin_graphql_api_id: gid("Customer", 6_600_000_000_000 + o.customer.index), first_name: o.customer.firstName, last_name: o.customer.lastName, email: o.customer.email },
    line_items: o.lines.map((l, k) => ({
      id: lineId(o.index, k),
      admin_graphql_api_id: gid("LineItem", lineId(o.index, k)),
      product_id: PRODUCT_ID_BASE + l.productIndex,
      variant_id: PRODUCT_ID_BASE + l.productIndex * 10,
      title: l.title,
      name: l.title,
      sku: l.sku,
      quantity: l.quantity,
      price: money(l.unitMinor, cur),
      total_discount: money(0, cur),
      discount_allocations: l.subtotalMinor === l.totalMinor ? [] : [{ amount: money(l.subtotalMinor - l.totalMinor, cur), discount_application_index: 0 }],
    })),
    refunds: o.refunds.map((r, k) => refundPayload(o, k, r.createdAt)),
  };
}

export function refundPayload(o: StoreOrder, k: number, at = historyAnchor()) {
  const r = o.refunds[k]!;
  return {
    id: refundId(o.index, k),
    order_id: orderId(o.index),
    created_at: isoSec(r.createdAt ?? at),
    note: r.reason,
    refund_line_items: [],
    transactions: [{ id: refundId(o.index, k) + 1, kind: "refund", status: "success", amount: money(r.amountMinor, o.currency), currency: o.currency }],
  };
}
