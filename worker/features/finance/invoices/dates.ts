import { addDays as add, format } from "date-fns";
import { UTCDate } from "@date-fns/utc";

/** Calendar-day arithmetic on YYYY-MM-DD strings, in UTC (no local-time drift). */
export const addDays = (isoDay: string, days: number) => format(add(new UTCDate(`${isoDay}T00:00:00Z`), days), "yyyy-MM-dd");

/** The local calendar day of an instant in an IANA time zone. */
const formats = new Map<string, Intl.DateTimeFormat>();
export function localDay(ms: number, timeZone: string) {
  // Building a formatter costs far more than using one: one per zone, reused (an invoice checks thousands of entries).
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  return f.format(new Date(ms));
}
