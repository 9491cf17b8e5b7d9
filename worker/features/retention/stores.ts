import type { Ctx } from "../../core/context";
import { storeRegistry, type StoreDeclaration, type Subject } from "../../db/registry";
import type { Budget } from "./budget";

/** A Durable Object class holding subject data: its storage is wiped by `erase()`. */
export interface ErasableObject {
  erase(): Promise<void>;
}

export type Tally = { subjects: number; rows: number; objects: number };

/** `{id}` → the subject's id, `{column}` → that column of its root row. */
export function renderKey(template: string, row: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, col: string) => String(row[col] ?? ""));
}

/** The fixed part of a key template, before the first placeholder. */
export const staticPrefix = (template: string) => template.split("{")[0]!;

export function bucketOf(env: Env, store: StoreDeclaration): R2Bucket {
  const b = (env as unknown as Record<string, unknown>)[store.binding ?? ""];
  if (!b) throw new Error(`Store ${store.name}: binding ${store.binding} is missing`);
  return b as R2Bucket;
}

function namespaceOf(env: Env, store: StoreDeclaration) {
  const ns = (env as unknown as Record<string, unknown>)[store.binding ?? ""];
  if (!ns) throw new Error(`Store ${store.name}: binding ${store.binding} is missing`);
  return ns as DurableObjectNamespace;
}

/** Deletes a store's objects under a prefix (those `doomed` picks; all by default), a page at a time. False when out of budget. */
export async function deletePrefix({ ctx, input: { store, prefix, budget, tally, doomed = () => true } }: {
  ctx: Ctx;
  input: { store: StoreDeclaration; prefix: string; budget: Budget; tally: Tally; doomed?: (o: R2Object) => boolean };
}): Promise<boolean> {
  const bucket = bucketOf(ctx.env, store);
  let cursor: string | undefined;
  do {
    if (budget.exhausted) return false;
    const page = await budget.run("r2:list", () => bucket.list({ prefix, cursor, limit: 1000 }));
    const keys = page.objects.filter(doomed).map((o) => o.key);
    if (keys.length) {
      await budget.run("r2:delete", () => bucket.delete(keys));
      tally.objects += keys.length;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return true;
}

/** Erases every R2 object and Durable Object of one subject. */
export async function eraseSubjectStores({ ctx, input: { subject, root, budget, tally } }: {
  ctx: Ctx;
  input: { subject: Subject; root: Record<string, unknown>; budget: Budget; tally: Tally };
}): Promise<boolean> {
  for (const store of storeRegistry) {
    const template = store.owners[subject];
    if (!template) continue;
    if (budget.exhausted) return false;
    const key = renderKey(template, root);
    if (store.store === "r2") {
      if (!(await deletePrefix({ ctx, input: { store, prefix: key, budget, tally } }))) return false;
    } else {
      const stub = namespaceOf(ctx.env, store).getByName(key) as unknown as ErasableObject;
      await budget.run("do:erase", () => stub.erase());
      tally.objects += 1;
    }
  }
  return true;
}
