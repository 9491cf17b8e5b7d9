import { ProviderError, providerFetch } from "../http";
import type { ConnectorRuntime, Cursor, Order, StreamPage } from "../types";
import { shopifyGraphql } from "./graphql";

/**
 * A first backfill of a large shop as one Bulk Operation, which Shopify recommends for large
 * exports: bulkOperationRunQuery, poll the operation (its id lives in the cursor, so a restart
 * resumes polling the same one), then read its JSONL in byte ranges, one page per range. Nested
 * line items come as their own lines after their order, pointing to it with __parentId.
 */
type Ctx = { rt: ConnectorRuntime; shop: string; accessToken: string };
export type BulkOrderFields = { order: string; line: string };
type Mapper = (order: any, lines: any[]) => Order;

const RUN = `mutation QwebBulkOrders($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;
const POLL = `query QwebBulkStatus($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } } }`;
const CURRENT = "query QwebBulkCurrent { currentBulkOperation { id status query } }";
/** Bytes of JSONL per page: a few hundred orders, well within one D1 batch. */
export const BULK_CHUNK_BYTES = 512 * 1024;
const MAX_RESTARTS = 3;

export const bulkQuery = (f: BulkOrderFields) =>
  `{ orders(sortKey: UPDATED_AT) { edges { node { ${f.order} lineItems { edges { node { ${f.line} } } } } } } }`;

const num = (v: Cursor[string] | undefined) => (typeof v === "number" ? v : 0);
/** Poll soon, then less often: 0.5 s, 1 s, 2 s … 10 s. */
const pollWait = (polls: number) => Math.min(10_000, 500 * 2 ** polls);

type Op = { id: string; status: string; errorCode: string | null; objectCount: string; url: string | null };

async function start(c: Ctx, cursor: Cursor, query: string): Promise<StreamPage> {
  const data = await shopifyGraphql<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string; code: string | null }[] } }>(c.rt, {
    ...c, query: RUN, variables: { query }, describe: "bulk export start",
  });
  let id = data.bulkOperationRunQuery.bulkOperation?.id ?? null;
  const err = data.bulkOperationRunQuery.userErrors[0];
  if (!id && err?.code === "OPERATION_IN_PROGRESS") {
    // Ours from a run that lost its cursor: adopt it. Another export of this app: wait for it.
    const cur = await shopifyGraphql<{ currentBulkOperation: { id: string; query: string } | null }>(c.rt, { ...c, query: CURRENT, variables: {}, describe: "bulk export status" });
    const same = (q: string) => q.replace(/\s+/g, " ").trim();
    if (cur.currentBulkOperation && same(cur.currentBulkOperation.query) === same(query)) id = cur.currentBulkOperation.id;
    else return { batch: {}, next: { ...cursor, polls: num(cursor.polls) + 1 }, waitMs: pollWait(num(cursor.polls)), detail: "Waiting for another Shopify export to finish" };
  }
  if (!id) throw new ProviderError("permanent", `shopify bulk export: ${err?.message ?? "refused"}`, { provider: "shopify" });
  return { batch: {}, next: { ...cursor, bulk: id, polls: 0 }, waitMs: pollWait(0), detail: "Shopify is preparing the export" };
}

async function poll(c: Ctx, cursor: Cursor): Promise<StreamPage | string> {
  const { node: op } = await shopifyGraphql<{ node: Op | null }>(c.rt, { ...c, query: POLL, variables: { id: cursor.bulk }, describe: "bulk export status" });
  const polls = num(cursor.polls);
  if (op && (op.status === "CREATED" || op.status === "RUNNING")) {
    return { batch: {}, next: { ...cursor, polls: polls + 1 }, waitMs: pollWait(polls), detail: `Shopify is preparing the export (${Number(op.objectCount).toLocaleString("en")} objects so far)` };
  }
  if (op?.status === "COMPLETED") return op.url ?? "";
  if (op?.errorCode === "ACCESS_DENIED") {
    throw new ProviderError("permanent", "shopify bulk export: ACCESS_DENIED (the app lacks access to the shop's orders; reconnect with read_orders)", { provider: "shopify" });
  }
  // Failed (INTERNAL_SERVER_ERROR, TIMEOUT), canceled or expired: run a new export, a few times.
  const restarts = num(cursor.restarts) + 1;
  if (restarts > MAX_RESTARTS) throw new ProviderError("transient", `shopify bulk export ${op?.status ?? "vanished"} ${op?.errorCode ?? ""}`.trim(), { provider: "shopify" });
  return { batch: {}, next: { ...cursor, bulk: "", polls: 0, restarts }, waitMs: pollWait(restarts), detail: "Shopify's export failed; starting another" };
}

/** One byte range of the JSONL, cut after the last complete order (its line items follow it). */
async function read(c: Ctx, cursor: Cursor, url: string, mapOrder: Mapper): Promise<StreamPage> {
  const offset = num(cursor.offset);
  let size = num(cursor.chunk) || BULK_CHUNK_BYTES;
  for (;;) {
    const res = await providerFetch(c.rt, url, { provider: "shopify", describe: "bulk export download", headers: { range: `bytes=${offset}-${offset + size - 1}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const total = Number(/\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1] ?? (res.status === 200 ? offset + bytes.length : NaN));
    const body = res.status === 200 ? bytes.subarray(offset) : bytes;
    const atEnd = !(offset + body.length < total);
    // Complete lines only, with where each ends in the file's bytes.
    const decoder = new TextDecoder();
    const lines: { row: Record<string, any>; end: number }[] = [];
    for (let from = 0, nl = body.indexOf(10); nl >= 0; from = nl + 1, nl = body.indexOf(10, from)) {
      if (nl > from) lines.push({ row: JSON.parse(decoder.decode(body.subarray(from, nl))) as Record<string, any>, end: nl + 1 });
    }
    // Unless this is the end, the last order may still have line items in the next range.
    let keep = lines.length;
    if (!atEnd) {
      while (keep > 0 && lines[keep - 1]!.row.__parentId !== undefined) keep--;
      keep--;
    }
    if (keep <= 0 && !atEnd) {
      size *= 2;
      continue;
    }
    const used = atEnd ? body.length : lines[keep - 1]!.end;
    const orders: Order[] = [];
    const byId = new Map<string, { order: any; lines: any[] }>();
    for (const { row: l } of lines.slice(0, keep)) {
      if (l.__parentId === undefined) byId.set(l.id, { order: l, lines: [] });
      else byId.get(l.__parentId)?.lines.push(l);
    }
    for (const { order, lines: ls } of byId.values()) orders.push(mapOrder(order, ls));
    const max = orders.reduce((m, o) => Math.max(m, o.updatedAt), num(cursor.max) || 0) || null;
    const next = atEnd ? null : { ...cursor, url, offset: offset + used, max };
    return { batch: { orders }, next, watermark: max };
  }
}

/** One page of a bulk backfill: start, poll, or read the next range of the result. */
export async function bulkPage(c: Ctx, cursor: Cursor, fields: BulkOrderFields, mapOrder: Mapper): Promise<StreamPage> {
  if (!cursor.bulk) return start(c, cursor, bulkQuery(fields));
  let url = typeof cursor.url === "string" ? cursor.url : null;
  if (!url) {
    const polled = await poll(c, cursor);
    if (typeof polled !== "string") return polled;
    if (!polled) return { batch: {}, next: null, watermark: num(cursor.max) || null };
    url = polled;
  }
  return read(c, cursor, url, mapOrder);
}
