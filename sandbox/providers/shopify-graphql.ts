// Just enough GraphQL for the Shopify fake: parse one operation, resolve it against plain objects
// (fields may be functions of their arguments), return exactly the selected fields, and compute
// Shopify's requested and actual query cost (scalar 0, object 1, connection 2 + first × node).

export type Value = { kind: "var"; name: string } | { kind: "lit"; value: unknown } | { kind: "list"; items: Value[] } | { kind: "obj"; fields: Record<string, Value> };
export type Field = { kind: "field"; alias: string; name: string; args: Record<string, Value>; selections: Selection[] | null };
export type Selection = Field | { kind: "inline"; on: string | null; selections: Selection[] };
export type Operation = { type: "query" | "mutation"; selections: Selection[] };
export class GraphQLError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

type Tok = { t: "name" | "punct" | "num" | "str" | "eof"; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s+|,|#[^\n]*|(\.\.\.)|([{}()\[\]:!$=@|&])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*")|([_A-Za-z][_0-9A-Za-z]*)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    m = re.exec(src);
    if (!m || re.lastIndex === at) throw new GraphQLError(`Parse error on "${src.slice(at, at + 10)}" (position ${at})`, "PARSE_ERROR");
    if (m[1] || m[2]) out.push({ t: "punct", v: m[1] ?? m[2]! });
    else if (m[3]) out.push({ t: "num", v: m[3] });
    else if (m[4]) out.push({ t: "str", v: JSON.parse(m[4]) as string });
    else if (m[5]) out.push({ t: "name", v: m[5] });
  }
  out.push({ t: "eof", v: "" });
  return out;
}

export function parse(src: string): Operation {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const expect = (v: string) => {
    const t = next();
    if (t.v !== v || (t.t !== "punct" && t.t !== "name")) throw new GraphQLError(`Parse error on "${t.v}": expected "${v}"`, "PARSE_ERROR");
  };
  const name = () => {
    const t = next();
    if (t.t !== "name") throw new GraphQLError(`Parse error on "${t.v}": expected a name`, "PARSE_ERROR");
    return t.v;
  };
  const value = (): Value => {
    const t = next();
    if (t.t === "punct" && t.v === "$") return { kind: "var", name: name() };
    if (t.t === "num") return { kind: "lit", value: Number(t.v) };
    if (t.t === "str") return { kind: "lit", value: t.v };
    if (t.t === "name") return { kind: "lit", value: t.v === "true" ? true : t.v === "false" ? false : t.v === "null" ? null : t.v };
    if (t.v === "[") {
      const items: Value[] = [];
      while (peek().v !== "]") items.push(value());
      next();
      return { kind: "list", items };
    }
    if (t.v === "{") {
      const fields: Record<string, Value> = {};
      while (peek().v !== "}") {
        const k = name();
        expect(":");
        fields[k] = value();
      }
      next();
      return { kind: "obj", fields };
    }
    throw new GraphQLError(`Parse error on "${t.v}"`, "PARSE_ERROR");
  };
  const selectionSet = (): Selection[] => {
    expect("{");
    const out: Selection[] = [];
    while (peek().v !== "}") {
      if (peek().t === "eof") throw new GraphQLError("Parse error: unexpected end of document", "PARSE_ERROR");
      if (peek().v === "...") {
        next();
        if (peek().v !== "on") throw new GraphQLError("Named fragments are not supported by the sandbox", "PARSE_ERROR");
        next();
        out.push({ kind: "inline", on: name(), selections: selectionSet() });
        continue;
      }
      let alias = name();
      let fieldName = alias;
      if (peek().v === ":") {
        next();
        fieldName = name();
      }
      const args: Record<string, Value> = {};
      if (peek().v === "(") {
        next();
        while (peek().v !== ")") {
          const k = name();
          expect(":");
          args[k] = value();
        }
        next();
      }
      out.push({ kind: "field", alias, name: fieldName, args, selections: peek().v === "{" ? selectionSet() : null });
    }
    next();
    return out;
  };
  let type: Operation["type"] = "query";
  if (peek().t === "name") {
    const kw = name();
    if (kw !== "query" && kw !== "mutation") throw new GraphQLError(`Parse error on "${kw}"`, "PARSE_ERROR");
    type = kw;
    if (peek().t === "name") next();
    if (peek().v === "(") {
      // Variable definitions: ($first: Int!, $after: String = null) — types are not checked.
      let depth = 0;
      do {
        const t = next();
        if (t.v === "(") depth++;
        if (t.v === ")") depth--;
        if (t.t === "eof") throw new GraphQLError("Parse error: unterminated variable definitions", "PARSE_ERROR");
      } while (depth > 0);
    }
  }
  const selections = selectionSet();
  if (peek().t !== "eof") throw new GraphQLError("Only one operation per document is supported by the sandbox", "PARSE_ERROR");
  return { type, selections };
}

export function argValue(v: Value, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case "var":
      return vars[v.name] ?? null;
    case "lit":
      return v.value;
    case "list":
      return v.items.map((x) => argValue(x, vars));
    case "obj":
      return Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, argValue(x, vars)]));
  }
}

const argsOf = (f: Field, vars: Record<string, unknown>) => Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, argValue(v, vars)]));

/** Fields of a selection set that apply to an object of `typename` (inline fragments flattened). */
function fieldsFor(sels: Selection[], typename: string | undefined): Field[] {
  return sels.flatMap((s) => (s.kind === "field" ? [s] : !s.on || s.on === typename ? fieldsFor(s.selections, typename) : []));
}

export type Resolvable = Record<string, unknown> & { __typename?: string };

/** Projects `value` onto the selection; unknown fields are GraphQL errors, as on Shopify. */
export function project(value: unknown, sels: Selection[], vars: Record<string, unknown>, path: string[] = []): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v, i) => project(v, sels, vars, [...path, String(i)]));
  const obj = value as Resolvable;
  const out: Record<string, unknown> = {};
  for (const f of fieldsFor(sels, obj.__typename)) {
    if (f.name === "__typename") {
      out[f.alias] = obj.__typename ?? null;
      continue;
    }
    if (!(f.name in obj)) throw new GraphQLError(`Field '${f.name}' doesn't exist on type '${obj.__typename ?? "Object"}'`, "undefinedField");
    let v = obj[f.name];
    if (typeof v === "function") v = (v as (a: Record<string, unknown>) => unknown)(argsOf(f, vars));
    out[f.alias] = f.selections ? project(v, f.selections, vars, [...path, f.alias]) : v;
  }
  return out;
}

/** The node selection of a connection (nodes{…} or edges{node{…}}), or the field's own selection for a plain list. */
function nodeSelections(f: Field): Selection[] {
  const own = f.selections ?? [];
  const inner = fieldsFor(own, undefined);
  const nodes = inner.filter((x) => x.name === "nodes").flatMap((x) => x.selections ?? []);
  const edges = inner.filter((x) => x.name === "edges").flatMap((x) => fieldsFor(x.selections ?? [], undefined).filter((y) => y.name === "node").flatMap((y) => y.selections ?? []));
  return nodes.length || edges.length || inner.some((x) => x.name === "pageInfo") ? [...nodes, ...edges] : own;
}

/** Requested cost: the worst case before execution, from `first` arguments. */
export function requestedCost(sels: Selection[], vars: Record<string, unknown>): number {
  let cost = 0;
  for (const f of fieldsFor(sels, undefined)) {
    const first = argValue(f.args.first ?? f.args.last ?? { kind: "lit", value: null }, vars);
    if (typeof first === "number") cost += 2 + first * (1 + requestedCost(nodeSelections(f), vars));
    else if (f.selections) cost += 1 + requestedCost(f.selections, vars);
  }
  return cost;
}

/** Actual cost: the same rule applied to what was returned. */
export function actualCost(sels: Selection[], out: unknown, vars: Record<string, unknown>): number {
  if (out === null || typeof out !== "object") return 0;
  let cost = 0;
  const obj = out as Record<string, unknown>;
  for (const f of fieldsFor(sels, undefined)) {
    const v = obj[f.alias];
    if (v === null || v === undefined || !f.selections) continue;
    const hasFirst = f.args.first ?? f.args.last;
    if (hasFirst) {
      const c = v as { nodes?: unknown[]; edges?: { node: unknown }[] };
      const items = Array.isArray(v) ? v : (c.nodes ?? c.edges?.map((e) => e.node) ?? []);
      const inner = nodeSelections(f);
      cost += 2 + items.reduce<number>((s, it) => s + 1 + actualCost(inner, it, vars), 0);
    } else if (Array.isArray(v)) cost += v.reduce<number>((s, it) => s + 1 + actualCost(f.selections!, it, vars), 0);
    else cost += 1 + actualCost(f.selections, v, vars);
  }
  return cost;
}
