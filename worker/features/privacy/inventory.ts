import { dataRegistry, storeRegistry, type Retention } from "../../db/registry";

function retentionText(r: Retention): string {
  switch (r.rule) {
    case "owner-lifetime":
      return "kept while the account, organization or connection it belongs to exists; erased with it";
    case "purge-after":
      return `erased within ${r.days} days of ${r.column.replace(/_at$/, "").replace(/_/g, " ")}`;
    case "expires":
      return r.column === "purge_after" ? "erased when the 30-day grace period after deletion ends" : "erased once it expires";
    case "rolling":
      return `kept ${r.months} months, then erased`;
    case "platform":
      return "platform record without personal content (identifying links are cleared when you are erased)";
  }
}

/** What QWEB collects, why, how long it keeps it and whether the export includes it (from the registry). */
export function inventory() {
  const tables = [...dataRegistry].map(([table, d]) => ({
    name: table,
    kind: "table" as const,
    purpose: d.purpose,
    retention: retentionText(d.retention),
    exported: d.export !== false && !!d.owners.user,
    about: Object.keys(d.owners),
  }));
  const stores = storeRegistry.map((s) => ({
    name: s.name,
    kind: s.store,
    purpose: s.purpose,
    retention: retentionText(s.retention),
    exported: s.store === "r2" && !!s.export && !!s.owners.user,
    about: Object.keys(s.owners),
  }));
  return [...tables, ...stores];
}
