// The Shopify fake's Admin GraphQL endpoint: query root, search syntax, keyset cursors and the
// cost-based leaky bucket (maximumAvailable 2000, restoreRate 100 by default, per shop).
import { json, type SandboxResponse } from "../lib.ts";
import { entries, persisted, refill } from "../state.ts";
import { GraphQLError, actualCost, parse, project, requestedCost, type Resolvable } from "./shopify-graphql.ts";
import { ORDER_ID_BASE, PRODUCT_ID_BASE, encodeCursor, gid, orderNode, productNode, unb64 } from "./shopify-objects.ts";
import { storeName, type Store } from "./shopify-woo-commerce.ts";
import { bulkMutations, bulkNode, currentBulkOperation } from "./shopify-bulk.ts";

export const SINGLE_QUERY_MAX = 1000;
type Bucket = { max: number; rate: number; available: number; at: number; queryMax: number };
const buckets = new Map<string, Bucket>();
persisted("shopify-buckets", { save: () => entries(buckets), load: (d) => refill(buckets, d) });

/** Benchmark shops are unthrottled by default: the benchmark measures QWEB, not Shopify's quota. */
const defaults = (shop: string) => (/^bench-/.test(shop) ? { max: 1_000_000, rate: 1_000_000 } : { max: 2000, rate: 100 });

export function bucket(shop: string): Bucket {
  let b = buckets.get(shop);
  const now = Date.now();
  if (!b) {
    const d = defaults(shop);
    b = { max: d.max, rate: d.rate, available: d.max, at: now, queryMax: SINGLE_QUERY_MAX };
    buckets.set(shop, b);
  }
  b.available = Math.min(b.max, b.available + ((now - b.at) / 1000) * b.rate);
  b.at = now;
  return b;
}

export function configureBucket(shop: string, c: { maximumAvailable?: number; restoreRate?: number; currentlyAvailable?: number; singleQueryMax?: number }) {
  const b = bucket(shop);
  if (c.singleQueryMax) b.queryMax = c.singleQueryMax;
  if (c.maximumAvailable) b.max = c.maximumAvailable;
  if (c.restoreRate) b.rate = c.restoreRate;
  b.available = Math.min(b.max, c.currentlyAvailable ?? b.max);
  return b;
}

const throttleStatus = (b: Bucket) => ({ maximumAvailable: b.max, currentlyAvailable: Math.floor(b.available), restoreRate: b.rate });

export function throttledBody(shop: string, requested: number) {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus(bucket(shop)) } },
  };
}

type Term = { field: string; op: string; value: string };
/** Shopify search syntax, the part the connector uses: `updated_at:>='2025-01-01T00:00:00Z' created_at:<2025-02-01`. */
function parseSearch(q: unknown): Term[] {
  if (typeof q !== "string") return [];
  return [...q.matchAll(/(\w+):(<=|>=|<|>)?(?:'([^']*)'|"([^"]*)"|(\S+))/g)].map((m) => ({ field: m[1]!, op: m[2] ?? "=", value: m[3] ?? m[4] ?? m[5] ?? "" }));
}

function timePredicate(terms: Term[], field: string): ((t: number) => boolean) | null {
  const ts = terms.filter((t) => t.field === field);
  if (!ts.length) return null;
  const checks = ts.map((t) => {
    const v = Date.parse(t.value);
    if (Number.isNaN(v)) throw new GraphQLError(`Invalid date in search query: ${t.value}`, "BAD_REQUEST");
    return (x: number) => (t.op === ">=" ? x >= v : t.op === ">" ? x > v : t.op === "<=" ? x <= v : t.op === "<" ? x < v : Math.floor(x / 86_400_000) === Math.floor(v / 86_400_000));
  });
  return (x) => checks.every((c) => c(x));
}

function pageSize(args: Record<string, unknown>) {
  if (args.last !== undefined && args.last !== null) throw new GraphQLError("The sandbox supports forward pagination (first/after) only", "BAD_REQUEST");
  if (args.reverse) throw new GraphQLError("The sandbox does not support reverse: true", "BAD_REQUEST");
  const first = Number(args.first);
  if (!Number.isInteger(first) || first < 0) throw new GraphQLError("you must provide one of first or last", "BAD_REQUEST");
  if (first > 250) throw new GraphQLError("The first argument must be at most 250", "BAD_REQUEST");
  return first;
}

function page<T>(items: T[], cursors: string[], hasNextPage: boolean) {
  const edges = items.map((node, k) => ({ __typename: "Edge", node, cursor: cursors[k]! }));
  return {
    __typename: "Connection",
    nodes: items,
    edges,
    pageInfo: { __typename: "PageInfo", hasNextPage, hasPreviousPage: false, startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null },
  };
}

function ordersConnection(s: Store, args: Record<string, unknown>) {
  const first = pageSize(args);
  const terms = parseSearch(args.query);
  const updated = timePredicate(terms, "updated_at");
  const created = timePredicate(terms, "created_at");
  const after = unb64(args.after);
  const byUpdate = args.sortKey === "UPDATED_AT";
  const found: ReturnType<Store["order"]>[] = [];
  const cursors: string[] = [];
  let hasNext = false;
  const take = (i: number, sortValue: number) => {
    const o = s.order(i);
    if ((updated && !updated(o.updatedAt)) || (created && !created(o.createdAt))) return true;
    if (found.length === first) {
      hasNext = true;
      return false;
    }
    found.push(o);
    cursors.push(encodeCursor({ last_id: ORDER_ID_BASE + i, last_value: sortValue }));
    return true;
  };
  if (byUpdate) {
    const { order, times } = s.byUpdate();
    const lower = terms.find((t) => t.field === "updated_at" && (t.op === ">=" || t.op === ">"));
    let pos = 0;
    if (after) pos = s.seek(after.last_value!, after.last_id! - ORDER_ID_BASE, false);
    else if (lower) pos = s.seek(Date.parse(lower.value) + (lower.op === ">" ? 1 : 0), -1, true);
    for (; pos < order.length; pos++) if (!take(order[pos]!, times[order[pos]!]!)) break;
  } else {
    for (let i = after ? after.last_id! - ORDER_ID_BASE + 1 : 0; i < s.orderCount; i++) if (!take(i, i)) break;
  }
  return page(found.map((o) => orderNode(s, o)), cursors, hasNext);
}

function productsConnection(s: Store, args: Record<string, unknown>) {
  const first = pageSize(args);
  const updated = timePredicate(parseSearch(args.query), "updated_at");
  const byUpdate = args.sortKey === "UPDATED_AT";
  const all = byUpdate ? s.productsByUpdate() : Array.from({ length: s.cfg.products }, (_, j) => s.product(j));
  const after = unb64(args.after);
  const matching = all.filter((p) => !updated || updated(p.updatedAt));
  let start = 0;
  if (after) {
    const k = (p: { updatedAt: number; index: number }) => (byUpdate ? [p.updatedAt, p.index] : [p.index, p.index]);
    start = matching.findIndex((p) => {
      const [v, i] = k(p);
      return v! > after.last_value! || (v === after.last_value && i! > after.last_id! - PRODUCT_ID_BASE);
    });
    if (start < 0) start = matching.length;
  }
  const slice = matching.slice(start, start + first);
  return page(
    slice.map((p) => productNode(s, p)),
    slice.map((p) => encodeCursor({ last_id: PRODUCT_ID_BASE + p.index, last_value: byUpdate ? p.updatedAt : p.index })),
    start + first < matching.length,
  );
}

function byGid(s: Store, id: unknown): Resolvable | null {
  const m = /^gid:\/\/shopify\/(Order|Product)\/(\d+)$/.exec(String(id));
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === "Order" && n >= ORDER_ID_BASE && n - ORDER_ID_BASE < s.orderCount) return orderNode(s, s.order(n - ORDER_ID_BASE));
  if (m[1] === "Product" && n >= PRODUCT_ID_BASE && n - PRODUCT_ID_BASE < s.cfg.products) return productNode(s, s.product(n - PRODUCT_ID_BASE));
  return null;
}

export function queryRoot(s: Store, shop: string, origin = ""): Resolvable {
  const name = storeName(shop);
  return {
    __typename: "QueryRoot",
    shop: { __typename: "Shop", id: gid("Shop", 1000 + (s.seed % 100000)), name, myshopifyDomain: shop, currencyCode: s.cfg.currency, ianaTimezone: "Etc/UTC", plan: { displayName: "Basic" } },
    orders: (a: Record<string, unknown>) => ordersConnection(s, a),
    products: (a: Record<string, unknown>) => productsConnection(s, a),
    order: (a: Record<string, unknown>) => byGid(s, a.id),
    product: (a: Record<string, unknown>) => byGid(s, a.id),
    node: (a: Record<string, unknown>) => bulkNode(shop, a.id, origin) ?? byGid(s, a.id),
    ordersCount: (a: Record<string, unknown>) => ({ __typename: "Count", count: a.query ? countOrders(s, a) : s.orderCount, precision: "EXACT" }),
    currentBulkOperation: () => currentBulkOperation(shop, origin),
  };
}

function countOrders(s: Store, args: Record<string, unknown>) {
  let n = 0;
  for (let after: string | null = null; ; ) {
    const c = ordersConnection(s, { query: args.query, first: 250, after });
    n += c.nodes.length;
    if (!c.pageInfo.hasNextPage) return n;
    after = c.pageInfo.endCursor;
  }
}

export function graphql(s: Store, shop: string, body: Buffer, origin = ""): SandboxResponse {
  let req: { query?: unknown; variables?: unknown };
  try {
    req = JSON.parse(body.toString("utf8"));
  } catch {
    return json(400, { errors: { query: "Required parameter missing or invalid" } });
  }
  if (typeof req.query !== "string") return json(400, { errors: { query: "Required parameter missing or invalid" } });
  const vars = (req.variables && typeof req.variables === "object" ? req.variables : {}) as Record<string, unknown>;
  const fail = (e: unknown) => {
    if (!(e instanceof GraphQLError)) throw e;
    return json(200, { errors: [{ message: e.message, extensions: { code: e.code } }] });
  };
  let op;
  try {
    op = parse(req.query);
  } catch (e) {
    return fail(e);
  }
  const requested = requestedCost(op.selections, vars);
  const b = bucket(shop);
  if (requested > b.queryMax) {
    return json(200, { errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${b.queryMax}).`, extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: b.queryMax } }] });
  }
  if (b.available < requested) return json(200, throttledBody(shop, requested));
  b.available -= requested;
  let data: unknown;
  try {
    const root = queryRoot(s, shop, origin);
    data = project(op.type === "mutation" ? bulkMutations(shop, root, origin) : root, op.selections, vars);
  } catch (e) {
    b.available = Math.min(b.max, b.available + requested);
    return fail(e);
  }
  const actual = actualCost(op.selections, data, vars);
  b.available = Math.min(b.max, b.available + requested - actual);
  return json(200, { data, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus(b) } } });
}
