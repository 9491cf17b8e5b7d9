import { UTCDate } from "@date-fns/utc";
import { differenceInCalendarDays, getDaysInMonth, subYears } from "date-fns";
import { ApiError } from "../../lib/errors";
import { localDay } from "../metrics";

export type Compare = "previous" | "year" | "none";
export type Bucket = "day" | "week" | "month";
export type Range = { from: string; to: string };
export type Periods = { current: Range; comparison: Range | null; bucket: Bucket; days: number };

const DAY_MS = 86_400_000;
const day = (s: string) => new UTCDate(`${s}T00:00:00Z`);
// Plain UTC arithmetic: bucket lists are built for every KPI's series, and date-fns' format was a
// measurable share of a dashboard request.
const iso = (d: Date) => new Date(d.getTime()).toISOString().slice(0, 10);
export const shiftDays = (s: string, n: number) => new Date(Date.parse(`${s}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const nextMonth = (m: string) => (m.endsWith("-12") ? `${Number(m.slice(0, 4)) + 1}-01` : `${m.slice(0, 5)}${String(Number(m.slice(5, 7)) + 1).padStart(2, "0")}`);
export const MAX_DAYS = 3 * 366;
/** How many days a range covers, both ends included. */
export const daysOf = (r: Range) => differenceInCalendarDays(day(r.to), day(r.from)) + 1;
/** The number of days of a month (YYYY-MM). */
export const monthLength = (month: string) => getDaysInMonth(day(`${month}-01`));

/** Preset ranges ending today in the workspace's time zone. */
export const presets = ["7d", "28d", "90d", "12m", "mtd", "ytd"] as const;
export type Preset = (typeof presets)[number];
export function presetRange(preset: Preset, timeZone: string, now: number): Range {
  const to = localDay(timeZone, now);
  const back = { "7d": 6, "28d": 27, "90d": 89, "12m": 364 } as Record<string, number>;
  if (preset in back) return { from: shiftDays(to, -back[preset]!), to };
  if (preset === "mtd") return { from: `${to.slice(0, 7)}-01`, to };
  return { from: `${to.slice(0, 4)}-01-01`, to };
}

/** The period asked for, the one it is compared with, and how the charts bucket it. */
export function periodsOf(range: Range, compare: Compare): Periods {
  const days = daysOf(range);
  if (days < 1) throw new ApiError("VALIDATION_FAILED", "The range ends before it starts");
  if (days > MAX_DAYS) throw new ApiError("VALIDATION_FAILED", `A range covers at most ${MAX_DAYS} days`);
  const comparison =
    compare === "none" ? null
    : compare === "previous" ? { from: shiftDays(range.from, -days), to: shiftDays(range.from, -1) }
    : { from: iso(subYears(day(range.from), 1)), to: iso(subYears(day(range.to), 1)) };
  const bucket: Bucket = days <= 92 ? "day" : days <= 400 ? "week" : "month";
  return { current: range, comparison, bucket, days };
}

/** SQL for a day's bucket start (weeks start on Monday). */
export const bucketSql = (b: Bucket, col = "day") =>
  b === "day" ? col : b === "week" ? `date(${col}, '-6 days', 'weekday 1')` : `substr(${col}, 1, 7) || '-01'`;

/** Every bucket start of a range, in order (empty buckets are zeros on the charts). */
export function bucketsOf(r: Range, b: Bucket): string[] {
  const out: string[] = [];
  const first = b === "day" ? r.from : b === "month" ? `${r.from.slice(0, 7)}-01` : mondayOf(r.from);
  for (let d = first; d <= r.to; ) {
    out.push(d);
    d = b === "day" ? shiftDays(d, 1) : b === "week" ? shiftDays(d, 7) : `${nextMonth(d.slice(0, 7))}-01`;
  }
  return out;
}
const mondayOf = (s: string) => shiftDays(s, -((new Date(Date.parse(`${s}T00:00:00Z`)).getUTCDay() + 6) % 7));
