// Stripe's form encoding: `line_items[0][price]=price_1&metadata[org]=x&lookup_keys[]=a` → nested objects and arrays.
export type Form = Record<string, any>;

export function parseStripeForm(raw: string): Form {
  const out: Form = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.replace(/\]/g, "").split("[");
    let node: any = out;
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(parts[i + 1]!);
      const k = p === "" && Array.isArray(node) ? node.length : p;
      if (last) node[k] = value;
      else node = node[k] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

export const bool = (v: unknown) => v === true || v === "true";
export const int = (v: unknown) => (v === undefined || v === "" ? undefined : Number(v));
