import { addDays as add, format } from "date-fns";
import { UTCDate } from "@date-fns/utc";

/** Calendar-day arithmetic on YYYY-MM-DD strings, in UTC (no local-time drift). */
export const addDays = (isoDay: string, days: number) => format(add(new UTCDate(`${isoDay}T00:00:00Z`), days), "yyyy-MM-dd");

/** The local calendar day of an instant in an IANA time zone. */
export function localDay(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms));
  return parts;
}
