// Shopify's Bulk Operations for the fake: bulkOperationRunQuery starts an export (one bulk query
// per shop at a time: OPERATION_IN_PROGRESS otherwise), the operation moves CREATED → RUNNING →
// COMPLETED on the clock (objectCount growing), and its `url` serves the JSONL: one object per
// line, nested connection nodes on their own lines after their parent, with `__parentId`.
// Failures on demand: POST /_sandbox/shopify/bulk {shop, fail: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT"}
// makes the shop's next operation fail; {shop, msPerObject} sets the export speed.
import { randomBytes } from "node:crypto";
import { json, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { argValue, GraphQLError, parse, project, type Field, type Resolvable, type Selection } from "./shopify-graphql.ts";
import type { Store } from "./shopify-woo-commerce.ts";

export const BULK_HOST = "storage.googleapis.com";
const START_MS = 150;
const DEFAULT_MS_PER_OBJECT = 0.25;

type Op = {
  id: string;
  shop: string;
  query: string;
  createdAt: number;
  doneAt: number;
  objects: number;
  roots: number;
  fail: string | null;
  file: string;
  canceled: boolean;
};
const ops = new Map<string, Op>();
const settings = new Map<string, { fail?: string | null; msPerObject?: number }>();
const files = new Map<string, Buffer>();
let seq = 1;
persisted("shopify-bulk", {
  save: () => ({ ops: entries(ops), settings: entries(settings), seq }),
  load: (d) => {
    refill(ops, d.ops);
    refill(settings, d.settings);
    seq = d.seq ?? 1;
    files.clear();
  },
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const fields = (sels: Selection[]): Field[] => sels.flatMap((s) => (s.kind === "field" ? [s] : fields(s.selections)));

/** The node selection of a connection field (edges { node { … } } or nodes { … }), or null when the field is no connection. */
function connectionNodes(f: Field): Selection[] | null {
  const inner = fields(f.selections ?? []);
  const nodes = inner.find((x) => x.name === "nodes");
  if (nodes) return nodes.selections ?? [];
  const node = inner.filter((x) => x.name === "edges").flatMap((e) => fields(e.selections ?? [])).find((x) => x.name === "node");
  return node ? (node.selections ?? []) : null;
}

type Conn = { nodes: Resolvable[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Every node of a connection resolver, page by page (bulk queries ignore `first`). */
function allNodes(resolve: (a: Record<string, unknown>) => unknown, args: Record<string, unknown>): Resolvable[] {
  const out: Resolvable[] = [];
  let after: string | null = null;
  for (;;) {
    const c = resolve({ ...args, first: 250, after }) as Conn;
    out.push(...c.nodes);
    if (!c.pageInfo.hasNextPage || !c.pageInfo.endCursor) return out;
    after = c.pageInfo.endCursor;
  }
}

/** Runs a bulk query against the shop: JSONL lines, the object count and the root count. */
function execute(root: Resolvable, query: string): { lines: string[]; roots: number } {
  const op = parse(query);
  const [top, ...rest] = fields(op.selections);
  const nodeSels = top && connectionNodes(top);
  if (!top || rest.length || !nodeSels) throw new GraphQLError("Bulk queries must contain exactly one top-level connection field.", "INVALID");
  const lines: string[] = [];
  const emit = (obj: Resolvable, sels: Selection[], parentId: string | null) => {
    const own = fields(sels);
    const nested = own.filter((f) => f.selections && connectionNodes(f));
    const plain = own.filter((f) => !nested.includes(f));
    const row = project(obj, plain, {}) as Record<string, unknown>;
    lines.push(JSON.stringify(parentId ? { ...row, __parentId: parentId } : row));
    for (const f of nested) {
      const resolver = obj[f.name] as (a: Record<string, unknown>) => unknown;
      const args = Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, argValue(v, {})]));
      for (const child of allNodes(resolver, args)) emit(child, connectionNodes(f)!, String(obj.id));
    }
  };
  const args = Object.fromEntries(Object.entries(top.args).map(([k, v]) => [k, argValue(v, {})]));
  const roots = allNodes(root[top.name] as (a: Record<string, unknown>) => unknown, args);
  for (const r of roots) emit(r, nodeSels, null);
  return { lines, roots: roots.length };
}

function statusOf(o: Op, now: number) {
  if (o.canceled) return "CANCELED";
  if (now < o.createdAt + START_MS) return "CREATED";
  if (now < o.doneAt) return "RUNNING";
  return o.fail ? "FAILED" : "COMPLETED";
}

function view(o: Op, origin: string): Resolvable {
  const now = Date.now();
  const status = statusOf(o, now);
  const done = status === "COMPLETED";
  const progress = status === "RUNNING" ? Math.floor((o.objects * (now - o.createdAt - START_MS)) / Math.max(1, o.doneAt - o.createdAt - START_MS)) : done ? o.objects : 0;
  // The real URL (a signed storage link); connectors reach it through the sandbox like any provider host.
  const signed = `https://${BULK_HOST}/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/${o.file}?X-Goog-Expires=604800&X-Goog-Signature=${o.file.slice(0, 16)}`;
  return {
    __typename: "BulkOperation",
    id: o.id,
    status,
    type: "QUERY",
    query: o.query,
    createdAt: iso(o.createdAt),
    completedAt: done ? iso(o.doneAt) : null,
    errorCode: status === "FAILED" ? o.fail : null,
    objectCount: String(status === "FAILED" ? Math.floor(o.objects / 2) : progress),
    rootObjectCount: String(done ? o.roots : 0),
    fileSize: done && o.objects ? String(fileOf(o)?.length ?? 0) : null,
    url: done && o.objects ? signed : null,
    partialDataUrl: null,
  };
}

// The file is built from the shop as it is when first downloaded (and again after a restart).
let stores: ((shop: string) => Store) | null = null;
let roots: ((s: Store, shop: string) => Resolvable) | null = null;
export function wireBulk(storeOf: (shop: string) => Store, rootOf: (s: Store, shop: string) => Resolvable) {
  stores = storeOf;
  roots = rootOf;
}

function fileOf(o: Op): Buffer | null {
  let f = files.get(o.file);
  if (!f) {
    const { lines } = execute(roots!(stores!(o.shop), o.shop), o.query);
    f = Buffer.from(lines.map((l) => `${l}\n`).join(""));
    files.set(o.file, f);
    if (files.size > 20) files.delete(files.keys().next().value!);
  }
  return f;
}

const latest = (shop: string) => [...ops.values()].filter((o) => o.shop === shop).at(-1) ?? null;

/** The mutation root's bulk fields, for one shop. */
export function bulkMutations(shop: string, root: Resolvable, origin: string): Resolvable {
  return {
    __typename: "Mutation",
    bulkOperationRunQuery: (a: Record<string, unknown>) => {
      const running = latest(shop);
      if (running && ["CREATED", "RUNNING"].includes(statusOf(running, Date.now()))) {
        return {
          bulkOperation: null,
          userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${running.id}.`, code: "OPERATION_IN_PROGRESS" }],
        };
      }
      const query = String(a.query ?? "");
      let counted;
      let file: Buffer;
      try {
        const r = execute(root, query);
        counted = { objects: r.lines.length, roots: r.roots };
        file = Buffer.from(r.lines.map((l) => `${l}\n`).join(""));
      } catch (e) {
        return { bulkOperation: null, userErrors: [{ field: ["query"], message: e instanceof Error ? e.message : String(e), code: "INVALID" }] };
      }
      const cfg = settings.get(shop) ?? {};
      const now = Date.now();
      const o: Op = {
        id: `gid://shopify/BulkOperation/${4_400_000_000 + seq++}`,
        shop, query, createdAt: now, ...counted,
        doneAt: now + START_MS + Math.ceil(counted.objects * (cfg.msPerObject ?? DEFAULT_MS_PER_OBJECT)),
        fail: cfg.fail ?? null, file: randomBytes(12).toString("hex"), canceled: false,
      };
      if (cfg.fail) settings.set(shop, { ...cfg, fail: null });
      ops.set(o.id, o);
      files.set(o.file, file);
      if (files.size > 20) files.delete(files.keys().next().value!);
      changed();
      return { bulkOperation: view(o, origin), userErrors: [] };
    },
    bulkOperationCancel: (a: Record<string, unknown>) => {
      const o = ops.get(String(a.id));
      if (!o || o.shop !== shop) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist", code: null }] };
      if (statusOf(o, Date.now()) === "RUNNING" || statusOf(o, Date.now()) === "CREATED") o.canceled = true;
      changed();
      return { bulkOperation: view(o, origin), userErrors: [] };
    },
  };
}

/** currentBulkOperation and node(id) for BulkOperation gids. */
export const currentBulkOperation = (shop: string, origin: string) => {
  const o = latest(shop);
  return o ? view(o, origin) : null;
};
export function bulkNode(shop: string, id: unknown, origin: string): Resolvable | null {
  const o = ops.get(String(id));
  return o && o.shop === shop ? view(o, origin) : null;
}

/** GET of a result URL, with Range support like the storage bucket behind it. */
export function download(req: SandboxRequest): SandboxResponse {
  const name = req.path.split("/").at(-1) ?? "";
  const o = [...ops.values()].find((x) => x.file === name);
  if (!o || statusOf(o, Date.now()) !== "COMPLETED") return { status: 404, headers: { "content-type": "application/xml" }, body: "<Error><Code>NoSuchKey</Code></Error>" };
  const f = fileOf(o)!;
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ""));
  if (!range) return { status: 200, headers: { "content-type": "application/jsonl", "content-length": String(f.length) }, body: f };
  const start = Number(range[1]);
  const end = Math.min(f.length - 1, range[2] ? Number(range[2]) : f.length - 1);
  if (start >= f.length) return { status: 416, headers: { "content-range": `bytes */${f.length}` } };
  return { status: 206, headers: { "content-type": "application/jsonl", "content-range": `bytes ${start}-${end}/${f.length}` }, body: f.subarray(start, end + 1) };
}

export function bulkControl(shop: string, body: Record<string, any>): SandboxResponse {
  if (body.fail !== undefined || body.msPerObject !== undefined) {
    const cfg = settings.get(shop) ?? {};
    settings.set(shop, { ...cfg, ...(body.fail !== undefined ? { fail: body.fail } : {}), ...(body.msPerObject !== undefined ? { msPerObject: Number(body.msPerObject) } : {}) });
  }
  return json(200, { operations: [...ops.values()].filter((o) => o.shop === shop).map((o) => ({ id: o.id, status: statusOf(o, Date.now()), objectCount: o.objects, rootObjectCount: o.roots })) });
}
