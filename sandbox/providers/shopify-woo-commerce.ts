// The deterministic shop behind the Shopify and WooCommerce fakes: a year of orders ending
// yesterday, generated lazily from (seed, index) so a 100,000-order benchmark shop costs one
// sorted index, not 100,000 materialised orders. Money is integer minor units throughout.
import { DAY_MS, rng, seedOf } from "../lib.ts";
import { persisted } from "../state.ts";

export type Line = { productIndex: number; title: string; sku: string; quantity: number; unitMinor: number; subtotalMinor: number; totalMinor: number };
export type Refund = { createdAt: number; amountMinor: number; reason: string };
export type Financial = "paid" | "pending" | "refunded" | "partially_refunded" | "voided";
export type StoreOrder = {
  index: number;
  createdAt: number;
  updatedAt: number;
  cancelledAt: number | null;
  fulfilledAt: number | null;
  financial: Financial;
  currency: string;
  customer: { index: number; firstName: string; lastName: string; email: string } | null;
  lines: Line[];
  /** Sum of line prices × quantities, before discounts. */
  itemsMinor: number;
  discountMinor: number;
  discountCode: string | null;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  refunds: Refund[];
  refundedMinor: number;
  /** How many times the order was touched by /mutate (0 for generated history). */
  revision: number;
};
export type StoreProduct = { index: number; title: string; sku: string; priceMinor: number; createdAt: number; updatedAt: number };
export type StoreStats = {
  orders: number;
  products: number;
  refunds: number;
  refundedOrders: number;
  currency: string;
  revenueMinor: number;
  refundedMinor: number;
  discountMinor: number;
  lines: number;
};

const SEC = 1000;
const floorSec = (ms: number) => Math.floor(ms / SEC) * SEC;
/**
 * "Today" is fixed when the sandbox first generates history (and kept in its state file), so
 * history stays put while a sandbox runs past midnight or restarts on another day.
 */
let anchor = Math.floor(Date.now() / DAY_MS) * DAY_MS;
persisted("history-anchor", { save: () => anchor, load: (d: number) => void (anchor = d) });
export const historyAnchor = () => anchor;

export const minorDigits = (c: string) => (["JPY", "KRW", "VND", "CLP", "ISK"].includes(c) ? 0 : ["KWD", "BHD", "JOD", "OMR", "TND"].includes(c) ? 3 : 2);

/** Integer minor units → the provider's decimal string ("19.99", "1980", "4.750"). */
export function money(minor: number, currency: string): string {
  const d = minorDigits(currency);
  const neg = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (d === 0) return `${neg}${abs}`;
  const s = String(abs).padStart(d + 1, "0");
  return `${neg}${s.slice(0, -d)}.${s.slice(-d)}`;
}

export const isoSec = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const mix = (seed: number, i: number, salt: number) => (Math.imul(seed ^ salt, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b)) >>> 0;

const ADJ = ["Classic", "Organic", "Everyday", "Vintage", "Merino", "Cold Brew", "Handmade", "Travel", "Linen", "Ceramic", "Bamboo", "Studio", "Trail", "Signature", "Mini"];
const NOUN = ["Tee", "Hoodie", "Coffee Beans", "Mug", "Tote Bag", "Candle", "Notebook", "Socks", "Cap", "Water Bottle", "Apron", "Scarf", "Tea Sampler", "Poster", "Backpack", "Gift Card"];
const FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Hedy", "Tim", "Radia", "Katherine", "Guido", "Sophie"];
const LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra", "Lamarr", "Berners-Lee", "Perlman", "Johnson", "Rossum", "Wilson"];
const CODES = ["WELCOME10", "SPRING15", "VIP20"];
const PRICES: Record<number, number[]> = {
  0: [100, 500, 980, 1500, 1980, 2980, 4500, 7800, 12000],
  2: [10, 499, 999, 1250, 1400, 1999, 2495, 2900, 3999, 4900, 5950, 7990, 9900, 12900],
  3: [250, 1500, 4750, 9900, 15000, 23500],
};

export type StoreConfig = { orders: number; products: number; currency: string; bulky: boolean };

/**
 * Sizing and currency come from the account's first DNS label: "bench-100000", "x-orders-600-jpy";
 * "-bulky" adds orders of 11–14 line items (3%), which Shopify pages separately.
 */
export function configFor(label: string, seed: number): StoreConfig {
  const first = label.split(".")[0]!.toLowerCase();
  const orders = /(?:^|-)(?:bench|orders)-(\d+)(?=-|$)/.exec(first);
  const products = /(?:^|-)products-(\d+)(?=-|$)/.exec(first);
  const cur = /(?:^|-)(usd|eur|gbp|jpy|cad|aud|kwd|chf)(?=-|$)/.exec(first);
  const n = orders ? Math.min(1_000_000, Number(orders[1])) : 300 + (seed % 1700);
  return {
    orders: n,
    products: products ? Math.max(1, Math.min(5000, Number(products[1]))) : Math.max(12, Math.min(300, Math.round(n / 15))),
    currency: cur ? cur[1]!.toUpperCase() : ["USD", "USD", "EUR", "GBP", "CAD", "AUD", "JPY"][seed % 7]!,
    bulky: /(?:^|-)bulky(?=-|$)/.test(first),
  };
}

/** The business behind a store: its first label without the sizing words ("bistro-uno-orders-120" → "Bistro Uno"). */
export function storeName(label: string): string {
  const first = label.split(".")[0]!.toLowerCase();
  const words = first.replace(/(?:^|-)(?:(?:bench|orders|products)-\d+|usd|eur|gbp|jpy|cad|aud|kwd|chf|bulky)(?=-|$)/g, "") || first;
  return words.split("-").filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

type Times = { createdAt: number; fulfilledAt: number | null; cancelledAt: number | null; refundAt: number | null; fate: "paid" | "pending" | "cancelled" | "refund-full" | "refund-part"; updatedAt: number };

export class Store {
  readonly key: string;
  readonly seed: number;
  readonly cfg: StoreConfig;
  /** Orders created by /mutate after the generated history: their creation times. */
  private created: number[] = [];
  private touched = new Map<number, { updatedAt: number; revision: number }>();
  private sortedByUpdate: Int32Array | null = null;
  private updateTimes: Float64Array | null = null;
  private stats: StoreStats | null = null;
  private mutations = 0;
  private readonly start = anchor - 365 * DAY_MS;
  private readonly last = anchor - SEC;

  readonly label: string;

  constructor(key: string, label: string) {
    this.key = key;
    this.label = label;
    this.seed = seedOf(key);
    this.cfg = configFor(label, this.seed);
  }

  /** What /mutate changed (the rest is generated from the seed). */
  get changes() {
    return this.mutations ? { created: this.created, touched: [...this.touched], mutations: this.mutations } : null;
  }

  restore(c: NonNullable<Store["changes"]>) {
    this.created = c.created;
    this.touched = new Map(c.touched);
    this.mutations = c.mutations;
  }

  get orderCount() {
    return this.cfg.orders + this.created.length;
  }

  private times(i: number): Times {
    const touch = this.touched.get(i);
    if (i >= this.cfg.orders) {
      const at = this.created[i - this.cfg.orders]!;
      return { createdAt: at, fulfilledAt: null, cancelledAt: null, refundAt: null, fate: "paid", updatedAt: touch?.updatedAt ?? at };
    }
    const r = rng(mix(this.seed, i, 1));
    const spacing = (this.last - this.start) / this.cfg.orders;
    const createdAt = floorSec(this.start + (i + r()) * spacing);
    const f = r();
    const fate = f < 0.01 ? "cancelled" : f < 0.03 ? "pending" : f < 0.08 ? (r() < 0.6 ? "refund-full" : "refund-part") : "paid";
    const cap = (t: number) => Math.max(createdAt, Math.min(this.last, floorSec(t)));
    const fulfilledAt = fate === "pending" || fate === "cancelled" ? null : cap(createdAt + (1 + r() * 71) * 3_600_000);
    const cancelledAt = fate === "cancelled" ? cap(createdAt + (1 + r() * 47) * 3_600_000) : null;
    const refundAt = fate.startsWith("refund") ? cap(fulfilledAt! + (1 + r() * 19) * DAY_MS) : null;
    const updatedAt = touch?.updatedAt ?? Math.max(createdAt, fulfilledAt ?? 0, cancelledAt ?? 0, refundAt ?? 0);
    return { createdAt, fulfilledAt, cancelledAt, refundAt, fate, updatedAt };
  }

  updatedAt(i: number) {
    return this.times(i).updatedAt;
  }

  product(j: number): StoreProduct {
    const r = rng(mix(this.seed, j, 3));
    const prices = PRICES[minorDigits(this.cfg.currency)]!;
    const title = j === 0 ? "Sticker" : `${ADJ[(j + this.seed) % ADJ.length]} ${NOUN[Math.floor(j / ADJ.length + this.seed) % NOUN.length]}${j >= ADJ.length * NOUN.length ? ` ${j}` : ""}`;
    const createdAt = floorSec(this.start + r() * 30 * DAY_MS);
    return { index: j, title, sku: `SKU-${1000 + j}`, priceMinor: j === 0 ? prices[0]! : prices[Math.floor(r() * prices.length)]!, createdAt, updatedAt: floorSec(createdAt + r() * 330 * DAY_MS) };
  }

  order(i: number): StoreOrder {
    const t = this.times(i);
    const cur = this.cfg.currency;
    const r = rng(mix(this.seed, i, 2));
    const bulky = r() < (this.cfg.bulky ? 0.03 : 0);
    const n = bulky ? 11 + Math.floor(r() * 4) : 1 + Math.floor(r() ** 2 * 4);
    const lines: Line[] = [];
    for (let k = 0; k < n; k++) {
      const productIndex = Math.floor(r() ** 2 * this.cfg.products);
      const p = this.product(productIndex);
      const quantity = 1 + Math.floor(r() ** 3 * 3);
      const subtotalMinor = p.priceMinor * quantity;
      lines.push({ productIndex, title: p.title, sku: p.sku, quantity, unitMinor: p.priceMinor, subtotalMinor, totalMinor: subtotalMinor });
    }
    const itemsMinor = lines.reduce((s, l) => s + l.subtotalMinor, 0);
    let discountMinor = 0;
    let discountCode: string | null = null;
    if (r() < 0.18) {
      const c = Math.floor(r() * CODES.length);
      discountCode = CODES[c]!;
      discountMinor = Math.floor((itemsMinor * [10, 15, 20][c]!) / 100);
      // Allocate the order discount over the lines so that line totals add up to the subtotal.
      let left = discountMinor;
      lines.forEach((l, k) => {
        const share = k === lines.length - 1 ? left : Math.floor((l.subtotalMinor * discountMinor) / itemsMinor);
        l.totalMinor = l.subtotalMinor - share;
        left -= share;
      });
    }
    const net = itemsMinor - discountMinor;
    const unit = 10 ** minorDigits(cur);
    const shippingMinor = net >= 75 * (cur === "JPY" ? 100 : 1) * unit ? 0 : Math.round(4.99 * (cur === "JPY" ? 100 : 1) * unit);
    const taxMinor = Math.floor((net * 7) / 100);
    const totalMinor = net + shippingMinor + taxMinor;
    const refunds: Refund[] = [];
    if (t.fate === "refund-full") refunds.push({ createdAt: t.refundAt!, amountMinor: totalMinor, reason: "Customer return" });
    if (t.fate === "refund-part") refunds.push({ createdAt: t.refundAt!, amountMinor: Math.max(1, Math.floor((totalMinor * (20 + Math.floor(r() * 40))) / 100)), reason: "Damaged item" });
    const refundedMinor = refunds.reduce((s, x) => s + x.amountMinor, 0);
    const guest = r() < 0.06;
    const k = Math.floor(r() * Math.max(20, Math.floor(this.cfg.orders / 3)));
    const firstName = FIRST[k % FIRST.length]!;
    const lastName = LAST_NAMES[Math.floor(k / FIRST.length) % LAST_NAMES.length]!;
    const financial: Financial =
      t.fate === "cancelled" ? "voided" : t.fate === "pending" ? "pending" : t.fate === "refund-full" ? "refunded" : t.fate === "refund-part" ? "partially_refunded" : "paid";
    return {
      index: i,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      cancelledAt: t.cancelledAt,
      fulfilledAt: t.fulfilledAt,
      financial,
      currency: cur,
      customer: guest ? null : { index: k, firstName, lastName, email: `${firstName}.${lastName}.${k}@example.com`.toLowerCase() },
      lines,
      itemsMinor,
      discountMinor,
      discountCode,
      shippingMinor,
      taxMinor,
      totalMinor,
      refunds,
      refundedMinor,
      revision: this.touched.get(i)?.revision ?? 0,
    };
  }

  /** Indices of all orders sorted by (updatedAt, index): the order a keyset or `orderby=modified` walk sees. */
  byUpdate(): { order: Int32Array; times: Float64Array } {
    if (!this.sortedByUpdate || !this.updateTimes) {
      const n = this.orderCount;
      const times = new Float64Array(n);
      for (let i = 0; i < n; i++) times[i] = this.updatedAt(i);
      const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
      this.sortedByUpdate = order;
      this.updateTimes = times;
    }
    return { order: this.sortedByUpdate, times: this.updateTimes };
  }

  /** First position in byUpdate() whose (updatedAt, index) is > (or >= when inclusive) the given key. */
  seek(at: number, index: number, inclusive: boolean): number {
    const { order, times } = this.byUpdate();
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const i = order[mid]!;
      const t = times[i]!;
      const before = t < at || (t === at && (inclusive ? i < index : i <= index));
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Products sorted by (updatedAt, index). */
  productsByUpdate(): StoreProduct[] {
    return Array.from({ length: this.cfg.products }, (_, j) => this.product(j)).sort((a, b) => a.updatedAt - b.updatedAt || a.index - b.index);
  }

  /** Touches `updated` existing orders and creates `created` new ones, all "now"; returns their indices. */
  mutate(p: { updated?: number; created?: number; now?: number }) {
    const now = floorSec(p.now ?? Date.now());
    const r = rng(mix(this.seed, ++this.mutations, 4));
    const updated = new Set<number>();
    const want = Math.min(p.updated ?? 0, this.orderCount);
    while (updated.size < want) updated.add(Math.floor(r() * this.orderCount));
    for (const i of updated) this.touched.set(i, { updatedAt: now, revision: (this.touched.get(i)?.revision ?? 0) + 1 });
    const created: number[] = [];
    for (let k = 0; k < (p.created ?? 0); k++) {
      created.push(this.orderCount);
      this.created.push(now);
    }
    this.sortedByUpdate = null;
    this.updateTimes = null;
    this.stats = null;
    return { updated: [...updated].sort((a, b) => a - b), created, at: now };
  }

  summary(): StoreStats {
    if (this.stats) return this.stats;
    const s: StoreStats = { orders: this.orderCount, products: this.cfg.products, refunds: 0, refundedOrders: 0, currency: this.cfg.currency, revenueMinor: 0, refundedMinor: 0, discountMinor: 0, lines: 0 };
    for (let i = 0; i < this.orderCount; i++) {
      const o = this.order(i);
      s.revenueMinor += o.totalMinor;
      s.refundedMinor += o.refundedMinor;
      s.discountMinor += o.discountMinor;
      s.refunds += o.refunds.length;
      s.refundedOrders += o.refunds.length ? 1 : 0;
      s.lines += o.lines.length;
    }
    this.stats = s;
    return s;
  }
}

/**
 * One Store per account, created on first use; a bounded cache so many throwaway test shops stay
 * cheap. Stores that /mutate changed are kept in the sandbox state as `name`.
 */
export function storeCache(name: string, limit = 200) {
  const stores = new Map<string, Store>();
  persisted(name, {
    save: () => [...stores.values()].flatMap((s) => (s.changes ? [[s.key, s.label, s.changes]] : [])),
    load: (d: [string, string, NonNullable<Store["changes"]>][]) => {
      stores.clear();
      for (const [key, label, changes] of d) {
        const s = new Store(key, label);
        s.restore(changes);
        stores.set(key, s);
      }
    },
  });
  return (key: string, label: string): Store => {
    let s = stores.get(key);
    if (s) {
      stores.delete(key);
      stores.set(key, s);
      return s;
    }
    s = new Store(key, label);
    stores.set(key, s);
    if (stores.size > limit) stores.delete(stores.keys().next().value!);
    return s;
  };
}
