import { describe, expect, it } from "vitest";
import { addMonths } from "../../worker/lib/time";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("addMonths clamps to the month's last day (UTC)", () => {
  it.each([
    ["2026-05-31T10:00:00.000Z", -3, "2026-02-28T10:00:00.000Z"],
    ["2028-05-31T10:00:00.000Z", -3, "2028-02-29T10:00:00.000Z"],
    ["2028-02-29T00:00:00.000Z", 12, "2029-02-28T00:00:00.000Z"],
    ["2028-02-29T00:00:00.000Z", -12, "2027-02-28T00:00:00.000Z"],
    ["2026-01-31T23:59:59.999Z", 1, "2026-02-28T23:59:59.999Z"],
    ["2026-03-31T00:00:00.000Z", -1, "2026-02-28T00:00:00.000Z"],
    ["2026-12-31T00:00:00.000Z", 6, "2027-06-30T00:00:00.000Z"],
    ["2026-08-31T00:00:00.000Z", -6, "2026-02-28T00:00:00.000Z"],
    ["2026-07-15T12:00:00.000Z", -24, "2024-07-15T12:00:00.000Z"],
  ])("%s %+d months → %s", (from, months, expected) => {
    expect(iso(addMonths(at(from), months))).toBe(expected);
  });
});
