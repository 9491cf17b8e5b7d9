// Time-zone rules for SQL: the rollup statements file each timestamp under its local day by
// looking up the offset in force (tz_offsets), since SQLite has no time-zone database.
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Minutes east of UTC in force at `ms` in `tz` ("GMT+14:00" → 840). */
export function offsetMinutes(tz: string, ms: number): number {
  let f = formatters.get(tz);
  if (!f) formatters.set(tz, (f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })));
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The local calendar day (YYYY-MM-DD) of `ms` in `tz`. */
export const localDay = (tz: string, ms: number) => new Date(ms + offsetMinutes(tz, ms) * 60_000).toISOString().slice(0, 10);

/** [from, offset] rows: the offset in force from each transition on, between the given years. */
export function transitions(tz: string, fromYear = 1990, toYear = 2045): [number, number][] {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear, 0, 1);
  const rows: [number, number][] = [[-62_135_596_800_000, offsetMinutes(tz, start)]];
  let prev = rows[0]![1];
  for (let t = start; t < end; t += DAY_MS) {
    const next = offsetMinutes(tz, t + DAY_MS);
    if (next === prev) continue;
    // Narrow the change down to the minute within the day.
    let lo = t;
    let hi = t + DAY_MS;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(tz, mid) === prev) lo = mid;
      else hi = mid;
    }
    rows.push([hi, next]);
    prev = next;
  }
  return rows;
}

/** Statements that store `tz`'s rules when they are not stored yet (chunked: 3 params a row). */
export async function ensureTimeZone(d1: D1Database, tz: string): Promise<void> {
  if (tz === "UTC") return; // no rows: the SQL falls back to offset 0
  const have = await d1.prepare("SELECT 1 FROM tz_offsets WHERE time_zone = ? LIMIT 1").bind(tz).first();
  if (have) return;
  const rows = transitions(tz);
  const sql = "INSERT INTO tz_offsets (time_zone, from_ms, offset_minutes) SELECT ?1, j.value->>0, j.value->>1 FROM json_each(?2) AS j WHERE true ON CONFLICT DO NOTHING";
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += 500) stmts.push(d1.prepare(sql).bind(tz, JSON.stringify(rows.slice(i, i + 500))));
  await d1.batch(stmts);
}

/**
 * SQL for the local day of the ms timestamp `col`, for the workspace bound as `wsParam`.
 * Used inside the rollup statements (one correlated lookup per row on the primary key).
 */
export const localDaySql = (col: string, wsParam: string) =>
  `date((${col} + 60000 * COALESCE((SELECT z.offset_minutes FROM tz_offsets z WHERE z.time_zone = ` +
  `(SELECT w.time_zone FROM workspaces w WHERE w.id = ${wsParam}) AND z.from_ms <= ${col} ORDER BY z.from_ms DESC LIMIT 1), 0)) / 1000, 'unixepoch')`;
