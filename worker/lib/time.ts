import { addMonths as dfAddMonths } from "date-fns";
import { UTCDate } from "@date-fns/utc";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Whole years between a YYYY-MM-DD birth date and `now` (UTC). */
export function ageOn(birthDate: string, now: number): number {
  const [y, m, d] = birthDate.split("-").map(Number) as [number, number, number];
  const today = new Date(now);
  let age = today.getUTCFullYear() - y;
  const beforeBirthday =
    today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

/** Calendar months in UTC; a day past the target month's end clamps to its last day (31 May − 3 → 28/29 Feb). */
export function addMonths(ms: number, months: number): number {
  return dfAddMonths(new UTCDate(ms), months).getTime();
}
