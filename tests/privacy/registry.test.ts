import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { dataRegistry, resolveLink, storeRegistry, type Subject } from "../../worker/db/registry";
import { columnsOf, linkedTables, rootTable, schemaTables } from "../../worker/features/retention/plan";

const columnNames = (table: string) => new Set(columnsOf(table).map((c) => c.name));

describe("personal-data registry: completeness", () => {
  it("P13/P19: every table of the Drizzle schema declares whose data it holds, how long it is kept and whether it is exported", () => {
    expect(schemaTables.size).toBeGreaterThan(10);
    const missing = [...schemaTables.keys()].filter((t) => !dataRegistry.has(t));
    expect(missing, `tables without declareData(): ${missing.join(", ")}`).toEqual([]);
  });

  it("the migrated database has no table outside the schema (so none escapes the registry)", async () => {
    const { results } = await env.DB.prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'`,
    ).all<{ name: string }>();
    const undeclared = results.map((r) => r.name).filter((n) => !dataRegistry.has(n));
    expect(undeclared).toEqual([]);
  });

  it("every column a declaration names exists, and columns cleared on erasure can be cleared", () => {
    const problems: string[] = [];
    for (const [table, d] of dataRegistry) {
      const cols = columnNames(table);
      const nullable = new Set(columnsOf(table).filter((c) => !c.notNull).map((c) => c.name));
      for (const [subject, link] of Object.entries(d.owners)) {
        const r = resolveLink(link!);
        if (!r.column && !r.via) problems.push(`${table}.${subject}: a link needs a column or a via`);
        if (r.column && !cols.has(r.column)) problems.push(`${table}.${subject}: no column ${r.column}`);
        if (r.via) {
          if (!cols.has(r.via.column)) problems.push(`${table}.${subject}: no column ${r.via.column}`);
          const parent = dataRegistry.get(r.via.parent);
          if (!parent) problems.push(`${table}.${subject}: parent ${r.via.parent} is not registered`);
          else if (!parent.owners[subject as Subject]) problems.push(`${table}.${subject}: parent ${r.via.parent} has no ${subject} link`);
        }
        if (r.erase !== "delete") {
          for (const c of r.erase.clear) {
            if (!cols.has(c)) problems.push(`${table}.${subject}: clears unknown column ${c}`);
            else if (!nullable.has(c)) problems.push(`${table}.${subject}: clears NOT NULL column ${c}`);
          }
          if (r.column && !r.erase.clear.includes(r.column)) problems.push(`${table}.${subject}: must clear its link ${r.column}`);
        }
      }
      const ret = d.retention;
      if ("column" in ret && !cols.has(ret.column)) problems.push(`${table}: retention column ${ret.column} missing`);
      if (d.export && d.export.omit) for (const c of d.export.omit) if (!cols.has(c)) problems.push(`${table}: omits unknown column ${c}`);
      if (!d.purpose.trim()) problems.push(`${table}: no purpose`);
    }
    expect(problems).toEqual([]);
  });

  it("every subject that owns rows has a root table, so its erasure can find them", () => {
    const subjects = new Set<Subject>();
    for (const d of dataRegistry.values()) for (const s of Object.keys(d.owners)) subjects.add(s as Subject);
    for (const s of subjects) {
      expect(rootTable(s), `subject ${s}`).toBeTruthy();
      expect(linkedTables(s).length).toBeGreaterThanOrEqual(0);
    }
  });

  it("no column that looks like a secret is exported", () => {
    const leaks: string[] = [];
    for (const [table, d] of dataRegistry) {
      if (d.export === false) continue;
      const omitted = new Set(d.export.omit ?? []);
      for (const c of columnNames(table)) {
        if (/(password|hash|secret|ciphertext|verifier|token$)/.test(c) && !omitted.has(c)) leaks.push(`${table}.${c}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("Durable Object storage and R2 prefixes declare themselves; owned stores name a binding that exists", () => {
    expect(storeRegistry.map((s) => s.name)).toEqual(expect.arrayContaining(["Throttle", "PrivacyExport", "privacy-attachments", "export-archives"]));
    for (const s of storeRegistry) {
      if (!Object.keys(s.owners).length) continue;
      expect(s.binding, s.name).toBeTruthy();
      expect((env as unknown as Record<string, unknown>)[s.binding!], `${s.name}: binding ${s.binding}`).toBeTruthy();
    }
  });
});
